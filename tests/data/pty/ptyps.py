# ptyps.py — ps on a terminal: bash -c on a pty's slave (its session's
# controlling terminal) runs ps, which lists the processes of its own
# terminal, with their TTY, and STAT's flags (s: a session leader, +:
# in the terminal's foreground group; its state, R or S as ps reads it
# while bash waits, is not asked); the pty's number made N.
import os, pty, re
pid, fd = pty.fork()
if pid == 0:
    os.execv('/bin/bash', ['bash', '--norc', '--noprofile', '-c',
        'ps -o tty=,comm=; ps -o stat= -p $$ | cut -c2-; ps -o tty=,stat=,comm= -p $BASHPID; (ps -o stat=,comm= -p $BASHPID)'])
out = b''
while True:
    try:
        d = os.read(fd, 4096)
    except OSError:
        break
    if not d:
        break
    out += d
_, st = os.waitpid(pid, 0)
print(re.sub(rb'pts/[0-9]+', b'pts/N', out).decode(), end='')
print('status', st)
