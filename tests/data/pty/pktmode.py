# pktmode.py — a pty master in packet mode (TIOCPKT): the status byte
# its reads begin with for the slave's flushes, ^S and ^Q, flow control
# turned off and on, a signal character's flush, and data after a 0
# byte; TIOCGPKT; both refused on the slave.  Each read waits (select)
# for what the line discipline does, which Linux does after the write.
import fcntl, os, select, struct, sys, termios

TIOCPKT, TIOCGPKT = 0x5420, 0x80045438
m, s = os.openpty()

def show(what):
    r, _, _ = select.select([m], [], [], 10)
    if not r:
        print(what, 'nothing to read')
        return
    print(what, repr(os.read(m, 100)))

def ioctl_int(fd, req, v=0):
    try:
        return struct.unpack('i', fcntl.ioctl(fd, req, struct.pack('i', v)))[0]
    except OSError as e:
        return 'error ' + os.strerror(e.errno)

print('TIOCGPKT before', ioctl_int(m, TIOCGPKT))
print('TIOCPKT on the slave', ioctl_int(s, TIOCPKT, 1))
print('TIOCGPKT on the slave', ioctl_int(s, TIOCGPKT))
# a status from before packet mode does not count
termios.tcflush(s, termios.TCIFLUSH)
print('TIOCPKT on', ioctl_int(m, TIOCPKT, 1), 'TIOCGPKT', ioctl_int(m, TIOCGPKT))
r, _, _ = select.select([m], [], [], 0)
print('readable with nothing new', bool(r))
os.write(s, b'hello\n')
show('data')
for how, name in ((termios.TCIFLUSH, 'TCIFLUSH'), (termios.TCOFLUSH, 'TCOFLUSH'), (termios.TCIOFLUSH, 'TCIOFLUSH')):
    termios.tcflush(s, how)
    show('slave ' + name)
termios.tcflush(m, termios.TCIOFLUSH)
r, _, _ = select.select([m], [], [], 0)
print('master TCIOFLUSH readable', bool(r))
a = termios.tcgetattr(s)
a[0] &= ~termios.IXON
termios.tcsetattr(s, termios.TCSANOW, a)
show('IXON off')
a[0] |= termios.IXON
termios.tcsetattr(s, termios.TCSANOW, a)
show('IXON on')
a[6][termios.VSTOP] = b'\x13'
termios.tcsetattr(s, termios.TCSAFLUSH, a)
show('TCSAFLUSH')
os.write(m, b'\x13')
show('^S')
os.write(m, b'\x11')
show('^Q')
a[3] &= ~termios.NOFLSH
termios.tcsetattr(s, termios.TCSANOW, a)
os.write(m, b'\x03')
show('^C')
show('its echo')
print('TIOCPKT off', ioctl_int(m, TIOCPKT, 0), 'TIOCGPKT', ioctl_int(m, TIOCGPKT))
os.write(s, b'raw\n')
termios.tcflush(s, termios.TCIFLUSH)
show('data, not in packet mode')
# screen makes its terminals its own: chmod of the slave (its first
# mode is devpts's mount option)
t = os.ttyname(s)
os.chmod(t, 0o600)
print('after chmod 600', oct(os.stat(t).st_mode & 0o777), oct(os.fstat(s).st_mode & 0o777))
os.chmod(t, 0o620)
print('after chmod 620', oct(os.stat(t).st_mode & 0o777))
