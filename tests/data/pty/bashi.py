# bash -i on a pty's slave (its controlling terminal, job control on):
# a background job, jobs, kill %1, wait %1, exit 5.  What bash echoes
# depends on when it changes the modes, so only its answers are shown.
import os, ptyend, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execve("/bin/bash", ["bash", "--norc", "--noprofile", "-i"], {"PS1": "$ ", "TERM": "dumb", "PATH": "/usr/bin:/bin"})
os.write(fd, b"echo $((6*7)); sleep 30 &\njobs | wc -l; kill %1; wait %1; echo status $?; exit 5\n")
d = ptyend.rest(fd)
print(b"\r\n42\r\n" in d, b"\r\n1\r\n" in d, b"\r\nstatus 143\r\n" in d, os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
