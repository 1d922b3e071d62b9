# xattr.sh DIR — extended attributes where the kernel keeps none: tar
# --xattrs archives and extracts a tree without a warning, and Linux's
# answers for a file system with xattrs and nothing set (python3's os
# calls): empty lists, ENODATA, a set ENOTSUP; ENOENT for a missing or
# dangling file; ERANGE for an empty or long name; EINVAL for bad flags.
d=$1
rm -rf "$d" && mkdir -p "$d/a/d" "$d/x" && cd "$d" || exit 1
echo hi >a/d/f
ln -s nowhere a/dangling
tar --xattrs -cf t.tar a; echo "tar c $?"
tar --xattrs -xf t.tar -C x; echo "tar x $?"
python3 -c '
import os, errno
def e(f):
    try:
        return f()
    except OSError as x:
        return errno.errorcode[x.errno]
f = "a/d/f"
print(e(lambda: os.listxattr(f)), e(lambda: os.getxattr(f, "user.x")), e(lambda: os.setxattr(f, "user.x", b"1")), e(lambda: os.removexattr(f, "user.x")))
fd = os.open(f, os.O_RDONLY)
print(e(lambda: os.listxattr(fd)), e(lambda: os.getxattr(fd, "user.x")), e(lambda: os.listxattr(99)))
print(e(lambda: os.listxattr("nope")), e(lambda: os.getxattr("nope", "user.x")), e(lambda: os.listxattr("a/dangling")), e(lambda: os.listxattr("a/dangling", follow_symlinks=False)))
print(e(lambda: os.getxattr(f, "")), e(lambda: os.getxattr(f, "u" * 300)), e(lambda: os.setxattr(f, "user.x", b"1", 8)))
'
cd / && rm -rf "$d"
