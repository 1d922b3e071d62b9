/*
 * sysmisc.c — identity, uname, randomness, TLS (set_thread_area), limits
 * and the small calls that only report.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>
#include "dat.h"

enum {
	UTSLEN = 65,
	USERDESC = 16,		/* struct user_desc */
	TLSENTRY0 = 12,		/* GDT_ENTRY_TLS_MIN on i386 */
	LRLIM_NLIMITS = 16,
	LRLIMIT_CPU = 0, LRLIMIT_FSIZE = 1, LRLIMIT_STACK = 3, LRLIMIT_CORE = 4, LRLIMIT_NPROC = 6, LRLIMIT_NOFILE = 7,
	LRLIMIT_MEMLOCK = 8, LRLIMIT_AS = 9, LRLIMIT_SIGPENDING = 11, LRLIMIT_NICE = 13, LRLIMIT_RTPRIO = 14,
};

long
sys_uname(Lthread *t, uint32_t *a)
{
	char node[UTSLEN];
	const char *f[6];
	uint8_t *g;
	long n;
	int i, fd;

	g = gmem(t, a[0], 6 * UTSLEN, VX_PROT_WRITE);
	if(g == NULL)
		return -EFAULT;
	snprintf(node, sizeof node, "vxinferno");
	fd = kopen("#c/sysname", OREAD);
	if(fd >= 0){
		n = kread(fd, node, sizeof node - 1);
		if(n > 0){
			node[n] = 0;
			node[strcspn(node, "\n")] = 0;
		}else
			snprintf(node, sizeof node, "vxinferno");
		kclose(fd);
	}
	f[0] = "Linux";		/* the ABI guests see: config.guess, platform.system() and the like ask */
	f[1] = node;
	f[2] = "6.1.0";		/* glibc refuses to start on kernels it thinks too old */
	f[3] = "#1 vxinferno";
	f[4] = "i686";
	f[5] = "(none)";
	memset(g, 0, 6 * UTSLEN);
	for(i = 0; i < 6; i++)
		memcpy(g + i * UTSLEN, f[i], strnlen(f[i], UTSLEN - 1));
	return 0;
}

/*
 * The host user and group every guest file and process shows.  The
 * sandbox never changes them, so each is asked of the host once, not on
 * every stat.
 */
static _Atomic long uidmemo = -1, gidmemo = -1;

static uint32_t
memoid(_Atomic long *m, int group)
{
	long v = *m;
	if(v < 0)
		*m = v = group ? (long)getgid() : (long)getuid();
	return v;
}

uint32_t hostuid(void) { return memoid(&uidmemo, 0); }
uint32_t hostgid(void) { return memoid(&gidmemo, 1); }

long sys_getuid(Lthread *t, uint32_t *a) { (void)t, (void)a; return hostuid(); }
long sys_getgid(Lthread *t, uint32_t *a) { (void)t, (void)a; return hostgid(); }
long sys_zero(Lthread *t, uint32_t *a) { (void)t, (void)a; return 0; }
long sys_einval(Lthread *t, uint32_t *a) { (void)t, (void)a; return -EINVAL; }

/*
 * The 16-bit calls of i386's first ABI (getuid, setreuid, getgroups ...)
 * give an id above 65535 as 65534 (Linux's overflow id) and take only
 * the low 16 bits of an id, 0xffff being -1.
 */
static uint32_t
narrowid(uint32_t id)
{
	return id > 0xffff ? 65534 : id;
}

/* Store id at p as a 16-bit call (size 2) or a 32-bit one gives it. */
static void
putid(uint8_t *p, uint32_t id, int size)
{
	if(size == 2)
		put16(p, narrowid(id));
	else
		put32(p, id);
}

long sys_getuid16(Lthread *t, uint32_t *a) { (void)t, (void)a; return narrowid(hostuid()); }
long sys_getgid16(Lthread *t, uint32_t *a) { (void)t, (void)a; return narrowid(hostgid()); }

static long
guestgroups(Lthread *t, uint32_t *a, int size)
{
	uint8_t *g;

	if((int32_t)a[0] < 0)
		return -EINVAL;
	if(a[0] == 0)
		return 1;
	g = gmem(t, a[1], size, VX_PROT_WRITE);
	if(g == NULL)
		return -EFAULT;
	putid(g, hostgid(), size);
	return 1;
}

long sys_getgroups(Lthread *t, uint32_t *a) { return guestgroups(t, a, 4); }
long sys_getgroups16(Lthread *t, uint32_t *a) { return guestgroups(t, a, 2); }

/*
 * Changing identity.  A guest has one: the host user's, as its real,
 * effective, saved and file-system ids.  A set*id call that names it (or
 * -1, "leave unchanged") succeeds, as for an unprivileged Linux process;
 * any other id is EPERM, also where the host user is root: a guest
 * cannot become someone else.  glibc's posix_spawn (make's way of
 * running commands) resets the effective ids to the real ones this way.
 */
static long
setids(uint32_t *a, int n, int group, int narrow)
{
	uint32_t mine, v;
	int i;

	mine = group ? hostgid() : hostuid();
	for(i = 0; i < n; i++){
		v = a[i];
		if(narrow)
			v = (v & 0xffff) == 0xffff ? ~0u : (v & 0xffff);
		if(v == ~0u){
			if(n == 1)
				return -EINVAL;	/* setuid(-1) */
			continue;
		}
		if(v != mine)
			return -EPERM;
	}
	return 0;
}

long sys_setuid(Lthread *t, uint32_t *a) { (void)t; return setids(a, 1, 0, 0); }
long sys_setgid(Lthread *t, uint32_t *a) { (void)t; return setids(a, 1, 1, 0); }
long sys_setreuid(Lthread *t, uint32_t *a) { (void)t; return setids(a, 2, 0, 0); }
long sys_setregid(Lthread *t, uint32_t *a) { (void)t; return setids(a, 2, 1, 0); }
long sys_setresuid(Lthread *t, uint32_t *a) { (void)t; return setids(a, 3, 0, 0); }
long sys_setresgid(Lthread *t, uint32_t *a) { (void)t; return setids(a, 3, 1, 0); }
long sys_setuid16(Lthread *t, uint32_t *a) { (void)t; return setids(a, 1, 0, 1); }
long sys_setgid16(Lthread *t, uint32_t *a) { (void)t; return setids(a, 1, 1, 1); }
long sys_setreuid16(Lthread *t, uint32_t *a) { (void)t; return setids(a, 2, 0, 1); }
long sys_setregid16(Lthread *t, uint32_t *a) { (void)t; return setids(a, 2, 1, 1); }
long sys_setresuid16(Lthread *t, uint32_t *a) { (void)t; return setids(a, 3, 0, 1); }
long sys_setresgid16(Lthread *t, uint32_t *a) { (void)t; return setids(a, 3, 1, 1); }

/* setfsuid and setfsgid answer the id before, which never changes; the
 * 16-bit calls too, all 32 bits of it (Linux's setfsuid16 returns what
 * setfsuid does, unnarrowed) */
long sys_setfsuid(Lthread *t, uint32_t *a) { (void)t, (void)a; return hostuid(); }
long sys_setfsgid(Lthread *t, uint32_t *a) { (void)t, (void)a; return hostgid(); }

/* setgroups needs privilege on Linux, and the guest has none to give */
long sys_setgroups(Lthread *t, uint32_t *a) { (void)t, (void)a; return -EPERM; }

/* The calls only a privileged process may make (reboot, swapon, mount,
 * sethostname, init_module, settimeofday …): a guest has no
 * capabilities (capget), so each is refused first, EPERM, as Linux
 * refuses them a process without CAP_SYS_BOOT, CAP_SYS_ADMIN … */
long sys_privileged(Lthread *t, uint32_t *a) { (void)t, (void)a; return -EPERM; }

/* getresuid(ruid*, euid*, suid*) and getresgid: the one id, three times */
static long
getresids(Lthread *t, uint32_t *a, int group, int size)
{
	uint32_t id;
	uint8_t *p;
	int i;

	id = group ? hostgid() : hostuid();
	for(i = 0; i < 3; i++){
		p = gmem(t, a[i], size, VX_PROT_WRITE);
		if(p == NULL)
			return -EFAULT;
		putid(p, id, size);
	}
	return 0;
}

long sys_getresuid(Lthread *t, uint32_t *a) { return getresids(t, a, 0, 4); }
long sys_getresgid(Lthread *t, uint32_t *a) { return getresids(t, a, 1, 4); }
long sys_getresuid16(Lthread *t, uint32_t *a) { return getresids(t, a, 0, 2); }
long sys_getresgid16(Lthread *t, uint32_t *a) { return getresids(t, a, 1, 2); }

long
sys_getrandom(Lthread *t, uint32_t *a)
{
	uint32_t n;
	ssize_t r;
	void *p;

	if(a[2] & ~(uint32_t)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	n = a[1] > 0x1ffffff ? 0x1ffffff : a[1];
	p = gmem(t, a[0], n, VX_PROT_WRITE);
	if(p == NULL)
		return -EFAULT;
	r = getrandom(p, n, a[2] & GRND_NONBLOCK);
	return r < 0 ? -errno : r;
}

/* Is set_thread_area's descriptor one that clears its slot?  Linux's
 * LDT_empty (base and limit 0, read_exec_only and seg_not_present
 * alone) and LDT_zero (all of it 0), which programs use to free a slot. */
static int
tlsempty(uint32_t limit, uint32_t base, uint32_t flags)
{
	flags &= 0x7f;
	return base == 0 && limit == 0 && (flags == 0 || flags == (VX_TLS_READONLY | VX_TLS_NOTPRESENT));
}

/* A user_desc at desc, copied to *d (u, if not NULL, is where it is)
 * and checked as Linux's tls_desc_okay: an empty one, or a present
 * 32-bit data segment; -EFAULT or -EINVAL otherwise.  prot is what
 * the caller will do with it: set_thread_area may write the slot back,
 * clone only reads it. */
static int
tlsget(Lthread *t, uint32_t desc, int prot, Tlsdesc *d, uint8_t **u)
{
	uint8_t *p;

	p = gmem(t, desc, USERDESC, prot);
	if(p == NULL)
		return -EFAULT;
	d->entry = get32(p);
	d->base = get32(p + 4);
	d->limit = get32(p + 8);
	d->flags = get32(p + 12);
	if(u != NULL)
		*u = p;
	/* flags: seg_32bit(0) contents(1-2) read_exec_only(3) limit_in_pages(4)
	 * seg_not_present(5) useable(6); lm(7) and above are not looked at */
	if(tlsempty(d->limit, d->base, d->flags))
		return 0;
	if(!(d->flags & 1) || (d->flags & 6) >= 4 || (d->flags & 0x20))
		return -EINVAL;
	return 0;
}

/* *d, checked by tlsget, into TLS slot n of thread t */
static void
tlsput(Lthread *t, int n, Tlsdesc *d)
{
	if(tlsempty(d->limit, d->base, d->flags)){
		vx_settlsdesc(t->vx, n, 0, 0, VX_TLS_READONLY | VX_TLS_NOTPRESENT);
		t->tlsused &= ~(1 << n);
	}else{
		vx_settlsdesc(t->vx, n, d->base, d->limit & 0xfffff, d->flags);
		t->tlsused |= 1 << n;
	}
}

/* set_thread_area's work on thread t: slots 12..14 of Linux are TLS
 * slots 0..2 of the Vx; -1 picks a free one and writes it back.  The
 * descriptor is guest data: only a present 32-bit data segment is
 * accepted; its limit and flags are kept as given, for lar, lsl and
 * get_thread_area (every access through it is confined to guest memory
 * whatever they say). */
int
settls(Lthread *t, uint32_t desc)
{
	Tlsdesc d;
	uint8_t *u;
	int n, r;

	r = tlsget(t, desc, VX_PROT_READ | VX_PROT_WRITE, &d, &u);
	if(r < 0)
		return r;
	if(d.entry == 0xffffffff){
		for(n = 0; n < VX_NTLS && (t->tlsused & (1 << n)); n++)
			;
		if(n == VX_NTLS)
			return -ESRCH;
	}else if(d.entry >= TLSENTRY0 && d.entry < TLSENTRY0 + VX_NTLS)
		n = d.entry - TLSENTRY0;
	else
		return -EINVAL;
	tlsput(t, n, &d);
	if(d.entry == 0xffffffff)
		put32(u, TLSENTRY0 + n);
	return 0;
}

/* clone's CLONE_SETTLS descriptor, read and checked before anything is
 * made, as Linux's copy_thread fails the clone whole on it: -EFAULT
 * if it cannot be read, -EINVAL if it is no TLS segment or names no TLS
 * slot (clone picks none for -1: Linux's do_set_thread_area without
 * can_allocate).  clonetlsput then sets it in the new thread, which
 * cannot fail. */
int
clonetls(Lthread *t, uint32_t desc, Tlsdesc *d)
{
	int r;

	r = tlsget(t, desc, VX_PROT_READ, d, NULL);
	if(r < 0)
		return r;
	if(d->entry < TLSENTRY0 || d->entry >= TLSENTRY0 + VX_NTLS)
		return -EINVAL;
	return 0;
}

void
clonetlsput(Lthread *nt, Tlsdesc *d)
{
	tlsput(nt, d->entry - TLSENTRY0, d);
}

long
sys_set_thread_area(Lthread *t, uint32_t *a)
{
	return settls(t, a[0]);
}

long
sys_get_thread_area(Lthread *t, uint32_t *a)
{
	uint32_t entry, base, limit, flags;
	uint8_t *u;

	u = gmem(t, a[0], USERDESC, VX_PROT_READ | VX_PROT_WRITE);
	if(u == NULL)
		return -EFAULT;
	entry = get32(u);
	if(entry < TLSENTRY0 || entry >= TLSENTRY0 + VX_NTLS)
		return -EINVAL;
	if(vx_gettlsdesc(t->vx, entry - TLSENTRY0, &base, &limit, &flags) < 0){
		/* never set, or cleared: Linux's empty GDT entry */
		base = limit = 0;
		flags = VX_TLS_READONLY | VX_TLS_NOTPRESENT;
	}
	put32(u + 4, base);
	put32(u + 8, limit);
	put32(u + 12, flags);	/* as set: limit_in_pages, useable, read_exec_only ... */
	return 0;
}

long
sys_set_tid_address(Lthread *t, uint32_t *a)
{
	t->cleartid = a[0];
	return t->tid;
}

/* Which of a process's own limits res is (dat.h's RL*), or -1: the
 * others are fixed (STACK, CORE, CPU) or none. */
static int
keptlimit(uint32_t res)
{
	switch(res){
	case LRLIMIT_AS:
		return RLAS;
	case LRLIMIT_NOFILE:
		return RLNOFILE;
	case LRLIMIT_NPROC:
		return RLNPROC;
	case LRLIMIT_FSIZE:
		return RLFSIZE;
	case LRLIMIT_SIGPENDING:
		return RLSIGPENDING;
	}
	return -1;
}

/* p's limit res, glk held */
static void
rlimitof(Lproc *p, uint32_t res, uint64_t *cur, uint64_t *max)
{
	int k;

	*cur = *max = ~(uint64_t)0;
	if((k = keptlimit(res)) >= 0){
		*cur = p->rlim[k][0];
		*max = p->rlim[k][1];
		return;
	}
	switch(res){
	case LRLIMIT_STACK:
		*cur = 8 << 20;
		break;
	case LRLIMIT_CORE:
		*cur = 0;
		break;
	case LRLIMIT_MEMLOCK:
		/* Linux's default, 8 MiB: a program sizing a table by it (as
		 * stress-ng's mlock does) was told infinity */
		*cur = *max = 8 << 20;
		break;
	case LRLIMIT_NICE:
	case LRLIMIT_RTPRIO:
		/* Linux's defaults, 0 and 0: what setpriority and
		 * sched_setscheduler allow a guest (sysproc.c, sysmore.c),
		 * where unlimited would promise a lower nice value */
		*cur = *max = 0;
		break;
	case LRLIMIT_CPU:
		if(conf.cpulimit > 0)
			*cur = *max = (uint64_t)conf.cpulimit;
		break;
	}
}

static void
rlimit(Lthread *t, uint32_t res, uint64_t *cur, uint64_t *max)
{
	pthread_mutex_lock(&glk);
	rlimitof(t->p, res, cur, max);
	pthread_mutex_unlock(&glk);
}

/* A new limit of p (glk held): a process lowers its limits as it likes
 * (the sandbox's bounds are its first hard limits) and, as an
 * unprivileged Linux process, never raises a hard one (EPERM); the
 * fixed ones take any value and keep theirs, as before.  0 or -errno. */
static long
setlimitof(Lproc *p, uint32_t res, uint64_t cur, uint64_t max)
{
	int k;

	if(cur > max)
		return -EINVAL;
	if((k = keptlimit(res)) < 0)
		return 0;
	if(max > p->rlim[k][1])
		return -EPERM;
	p->rlim[k][0] = cur;
	p->rlim[k][1] = max;
	return 0;
}

static long
setlimit(Lthread *t, uint32_t res, uint64_t cur, uint64_t max)
{
	long r;

	pthread_mutex_lock(&glk);
	r = setlimitof(t->p, res, cur, max);
	pthread_mutex_unlock(&glk);
	return r;
}

/* prlimit64(pid, resource, new, old): the old limits, then the new, of
 * the caller or of another process of its sandbox (by any of its
 * threads' ids), as Linux lets a process of the same user (prlimit -p,
 * util-linux's; until session 20 another pid was ESRCH) */
long
sys_prlimit64(Lthread *t, uint32_t *a)
{
	uint64_t cur, max;
	uint8_t *o, *n;
	Lthread *w;
	long r;

	if(a[1] >= LRLIM_NLIMITS)
		return -EINVAL;
	n = NULL;
	if(a[2] != 0 && (n = gmem(t, a[2], 16, VX_PROT_READ)) == NULL)
		return -EFAULT;
	o = NULL;
	if(a[3] != 0 && (o = gmem(t, a[3], 16, VX_PROT_WRITE)) == NULL)
		return -EFAULT;
	pthread_mutex_lock(&glk);
	w = a[0] == 0 ? t : (int32_t)a[0] < 0 ? NULL : boxthread(t, a[0]);
	r = w == NULL ? -ESRCH : 0;	/* a negative pid too, as Linux's */
	if(r == 0){
		rlimitof(w->p, a[1], &cur, &max);
		if(n != NULL)
			r = setlimitof(w->p, a[1], get64(n), get64(n + 8));
	}
	pthread_mutex_unlock(&glk);
	if(r < 0)
		return r;
	if(o != NULL){
		put64(o, cur);
		put64(o + 8, max);
	}
	return 0;
}

long
sys_ugetrlimit(Lthread *t, uint32_t *a)
{
	uint64_t cur, max;
	uint8_t *o;

	if(a[0] >= LRLIM_NLIMITS)
		return -EINVAL;
	o = gmem(t, a[1], 8, VX_PROT_WRITE);
	if(o == NULL)
		return -EFAULT;
	rlimit(t, a[0], &cur, &max);
	put32(o, cur > UINT32_MAX ? UINT32_MAX : cur);
	put32(o + 4, max > UINT32_MAX ? UINT32_MAX : max);
	return 0;
}

/* setrlimit(resource, struct rlimit *): 32-bit, RLIM_INFINITY ~0 */
static uint64_t
wide(uint32_t v)
{
	return v == UINT32_MAX ? ~(uint64_t)0 : v;
}

long
sys_setrlimit(Lthread *t, uint32_t *a)
{
	uint8_t *n;

	if(a[0] >= LRLIM_NLIMITS)
		return -EINVAL;
	n = gmem(t, a[1], 8, VX_PROT_READ);
	if(n == NULL)
		return -EFAULT;
	return setlimit(t, a[0], wide(get32(n)), wide(get32(n + 4)));
}

long
sys_sysinfo(Lthread *t, uint32_t *a)
{
	struct timespec ts;
	uint64_t total, avail;
	uint32_t unit;
	uint8_t *g;
	Lproc *p;
	int n;

	g = gmem(t, a[0], 64, VX_PROT_WRITE);
	if(g == NULL)
		return -EFAULT;
	memset(g, 0, 64);
	clock_gettime(CLOCK_BOOTTIME, &ts);
	n = 0;
	pthread_mutex_lock(&glk);
	for(p = procs; p != NULL; p = p->next)
		n += p->box == t->p->box;	/* another sandbox's are not counted */
	pthread_mutex_unlock(&glk);
	boxmeminfo(t->p->lbox, &total, &avail);
	unit = 1;
	if(total > UINT32_MAX){	/* i386's fields are 32 bits: count in pages */
		unit = PGSIZE;
		total /= PGSIZE;
		avail /= PGSIZE;
	}
	put32(g, ts.tv_sec);
	put32(g + 16, total);
	put32(g + 20, avail);
	put16(g + 40, n);
	put32(g + 52, unit);	/* mem_unit */
	return 0;
}
