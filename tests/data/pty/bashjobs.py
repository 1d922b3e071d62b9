# bash -i on a pty's slave, job control as a user at a terminal has it:
# sleep 100, ^Z (Stopped), jobs, bg (Running), fg, ^C (status 130).
# Each step waits for what bash shows (or, for a job to run, for the
# terminal's foreground group to be sleep's); bash's job lines are
# printed with their spacing squeezed.
import os, ptyend, pty, select, sys
pid, fd = pty.fork()
if pid == 0:
    os.execve("/bin/bash", ["bash", "--norc", "--noprofile", "-i"], {"PS1": "$ ", "TERM": "dumb", "PATH": "/usr/bin:/bin"})
seen = b""
log = b""

def until(what):
    global seen, log
    while what not in seen:
        r, _, _ = select.select([fd], [], [], 30)
        if not r:
            sys.exit("no %r in %r" % (what, seen))
        seen += os.read(fd, 4096)
    n = seen.index(what) + len(what)
    log += seen[:n]
    seen = seen[n:]

# the foreground group sleep's (not bash's, nor its child's before the exec)
def running():
    for _ in range(3000):
        g = os.tcgetpgrp(fd)
        try:
            if g != pid and open("/proc/%d/stat" % g).read().split()[1] == "(sleep)":
                return True
        except OSError:
            pass
        select.select([], [], [], 0.01)
    return False

def say(s):
    os.write(fd, s)

until(b"$ ")
say(b"sleep 100\n")
print("sleep in the foreground:", running())
say(b"\x1a")
until(b"Stopped")
print("^Z: the shell has the terminal:", os.tcgetpgrp(fd) == pid)
until(b"$ ")
for cmd, want in ((b"jobs\n", b"Stopped"), (b"bg\n", b"&"), (b"jobs\n", b"Running")):
    say(cmd)
    until(want)
    until(b"$ ")
say(b"fg\n")
print("fg: in the foreground again:", running())
say(b"\x03")
until(b"$ ")
say(b"echo status $?; exit 5\n")
d = ptyend.rest(fd)
for l in (log + seen + d).split(b"\n"):
    if b"[1]" in l:
        print(b" ".join(l.split()).decode())
print(b"status 130" in d, os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
