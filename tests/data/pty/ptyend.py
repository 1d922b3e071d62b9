# For bashi.py and bashjobs.py: what the master reads until the slave's
# last open goes (EIO, or end of file).
import os

def rest(fd):
    d = b""
    while True:
        try:
            c = os.read(fd, 1024)
        except OSError:
            return d
        if not c:
            return d
        d += c
