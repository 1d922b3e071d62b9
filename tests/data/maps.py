# maps.py DIR — /proc/self/maps names a mapped file: a private mapping
# of a file at an offset (its name, protection, offset and the file's
# inode), and libc among the libraries ld.so mapped.  Run by the host's
# python3 on its kernel and by the root's as a guest (userland_procps.t).
import mmap, os, sys
d = sys.argv[1]
os.makedirs(d, exist_ok=True)
path = os.path.realpath(os.path.join(d, 'mapped'))	# as the kernel names it
with open(path, 'wb') as f:
    f.write(b'x' * 4 * 4096)
fd = os.open(path, os.O_RDONLY)
m = mmap.mmap(fd, 4096, flags=mmap.MAP_PRIVATE, prot=mmap.PROT_READ, offset=8192)
ino = os.fstat(fd).st_ino
for line in open('/proc/self/maps'):
    f = line.split()
    if len(f) == 6 and f[5] == path:
        lo, hi = (int(x, 16) for x in f[0].split('-'))
        print('mapped:', hi - lo, f[1], f[2], 'inode as stat' if int(f[4]) == ino else 'inode ' + f[4])
names = {os.path.basename(l.split()[5]) for l in open('/proc/self/maps') if len(l.split()) == 6}
print('libc.so.6 named:', 'libc.so.6' in names)
m.close()
os.close(fd)
os.unlink(path)
os.rmdir(d)
