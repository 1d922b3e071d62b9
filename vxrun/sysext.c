/*
 * sysext.c — the extension calls (include/vxguest.h): Inferno's bind,
 * mount, unmount, errstr and dial for guests, straight onto the k* calls.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "dat.h"

enum {
	MFLAGS = MREPL | MBEFORE | MAFTER | MCREATE | MCACHE,
	MAXDIAL = 256,		/* longest dial string, with NUL (libstyx's limit) */
};

/* bind(new, old, flags) */
long
sys_xbind(Lthread *t, uint32_t *a)
{
	char new[MAXPATH], *s, *old;
	int err;

	if(a[2] & ~(uint32_t)MFLAGS)
		return -EINVAL;
	s = gpath(t, a[0], &err);
	if(s == NULL)
		return -err;
	snprintf(new, sizeof new, "%s", s);
	old = gpath(t, a[1], &err);
	if(old == NULL)
		return -err;
	if(kbind(new, old, a[2]) < 0)
		return kerrno();
	nschanged();
	return 0;
}

/* mount(fd, afd, old, flags, spec) */
long
sys_xmount(Lthread *t, uint32_t *a)
{
	char old[MAXPATH], *s, *spec;
	int err;

	if(a[3] & ~(uint32_t)MFLAGS)
		return -EINVAL;
	if(!fdcheck(t->p, a[0]) || ((int32_t)a[1] != -1 && !fdcheck(t->p, a[1])))
		return -EBADF;
	s = gpath(t, a[2], &err);
	if(s == NULL)
		return -err;
	snprintf(old, sizeof old, "%s", s);
	spec = "";
	if(a[4] != 0 && (spec = gstr(t, a[4])) == NULL)
		return -EFAULT;
	if(kmount(a[0], a[1], old, a[3], spec) < 0)
		return kerrno();
	nschanged();
	return 0;
}

/* unmount(new or NULL, old) */
long
sys_xunmount(Lthread *t, uint32_t *a)
{
	char new[MAXPATH], *s, *old;
	int err;

	if(a[0] != 0){
		s = gpath(t, a[0], &err);
		if(s == NULL)
			return -err;
		snprintf(new, sizeof new, "%s", s);
	}
	old = gpath(t, a[1], &err);
	if(old == NULL)
		return -err;
	if(kunmount(a[0] != 0 ? new : NULL, old) < 0)
		return kerrno();
	nschanged();
	return 0;
}

/* errstr(buf, n): the error string of this thread's last failed call */
long
sys_xerrstr(Lthread *t, uint32_t *a)
{
	uint8_t *g;
	size_t n;

	if(a[1] == 0)
		return -EINVAL;
	n = strlen(t->lasterr) + 1;
	if(n > a[1])
		n = a[1];
	g = gmem(t, a[0], n, VX_PROT_WRITE);
	if(g == NULL)
		return -EFAULT;
	memcpy(g, t->lasterr, n - 1);
	g[n - 1] = 0;
	return n - 1;
}

/* dial(addr): kdial, when the embedder allowed guests the network
 * (vxinferno -N): a guest may otherwise reach no host socket at all, as
 * unix!/path names host files outside its root. */
long
sys_xdial(Lthread *t, uint32_t *a)
{
	char addr[MAXDIAL];
	int fd, r;

	if((r = gstrcpy(t, a[0], addr, sizeof addr)) < 0)
		return r;
	if(!conf.dial){
		kwerrstr("permission denied: guests may not dial (vxinferno -N allows it)");
		return -EACCES;
	}
	fd = kdial(addr, NULL, NULL, NULL);
	if(fd < 0)
		return kerrno();
	if(fd >= fdlimit(t->p)){
		kclose(fd);
		return -EMFILE;
	}
	fdinstall(t->p, fd, 2, 0);	/* O_RDWR, kept across exec */
	return fd;
}
