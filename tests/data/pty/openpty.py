# os.openpty and tty.setraw; os.forkpty: the child leads a session with
# the slave as its controlling terminal; pty.fork and ^C killing its
# foreground shell; pty.spawn (stdin /dev/null).  Run by vxinferno_pty.t.
import os, pty, sys, tty, termios, signal
def out(*a):
    print(*a); sys.stdout.flush()
m, s = os.openpty()
out("openpty", os.isatty(m), os.isatty(s), os.ttyname(s).startswith("/dev/pts/"))
os.write(m, b"hi\r")
out("slave read", os.read(s, 100), "echo", os.read(m, 100))
tty.setraw(s)
os.write(s, b"raw\n")
out("raw", os.read(m, 100), termios.tcgetattr(s)[3] & termios.ICANON)
os.close(s); os.close(m)
pid, fd = os.forkpty()
if pid == 0:
    out("child", os.isatty(0), os.getsid(0) == os.getpid(), os.tcgetpgrp(0) == os.getpid())
    out("child got", repr(sys.stdin.readline()))
    os._exit(3)
data = b""
while b"\r\n" not in data:
    data += os.read(fd, 1024)
os.write(fd, b"ping\n")
while True:
    try:
        d = os.read(fd, 1024)
    except OSError as e:
        out("master then", e.errno)
        break
    if not d: break
    data += d
out("from the child", data, "status", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
pid, fd = pty.fork()
if pid == 0:
    os.execv("/bin/sh", ["sh", "-c", "echo ready; read x; echo not reached"])
d = b""
while b"ready" not in d:
    d += os.read(fd, 100)
os.write(fd, b"\x03")
out("^C:", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
os.close(fd)
out("spawn", pty.spawn(["/bin/sh", "-c", "test -t 0 && test -t 1 && echo both terminals; stty size; exit 4"]))
