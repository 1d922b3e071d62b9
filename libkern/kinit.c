/*
 * kinit.c — the device table and kernel start-up: configure the devices,
 * make the first proc and its namespace, bind it to the calling thread.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dat.h"
#include "fns.h"

extern Dev rootdevtab, consdevtab, envdevtab, pipedevtab, progdevtab,
	srvdevtab, dupdevtab, fsdevtab, linuxdevtab, ptydevtab, watchdevtab;
extern Dev mntdevtab, conndevtab;	/* Styx: devmnt.c, devconn.c */
extern Dev ipdevtab;		/* the network: devip.c */

/* Every device compiled in; kinit's conf.devs picks the configured ones. */
static Dev *alldevs[] = {
	&rootdevtab, &consdevtab, &envdevtab, &fsdevtab, &pipedevtab,
	&progdevtab, &srvdevtab, &dupdevtab, &linuxdevtab,
	&mntdevtab, &conndevtab,	/* Styx */
	&ipdevtab,
	&ptydevtab,	/* pseudo-terminals: devpty.c */
	&watchdevtab,	/* change notification: devwatch.c */
	NULL,
};

Dev *devtab[NDEV];

int
kinit(Kconf *conf)
{
	Kconf dflt;
	Proc *p;
	int i, n;
	if(kern.ready)
		return kseterr("kernel already started");
	if(conf == NULL){
		memset(&dflt, 0, sizeof dflt);
		conf = &dflt;
	}
	kern.conf = *conf;
	kern.root = conf->root != NULL ? kstrdup(conf->root) : NULL;
	snprintf(kern.eve, sizeof kern.eve, "%s", conf->user != NULL ? conf->user : "inferno");
	if(conf->sysname != NULL)
		snprintf(kern.sysname, sizeof kern.sysname, "%s", conf->sysname);
	else if(gethostname(kern.sysname, sizeof kern.sysname) < 0)
		snprintf(kern.sysname, sizeof kern.sysname, "vxinferno");
	kern.sysname[sizeof kern.sysname - 1] = 0;
	for(i = n = 0; alldevs[i] != NULL && n < NDEV-1; i++){
		Dev *d = alldevs[i];
		if(d->dc != '/' && conf->devs != NULL && strchr(conf->devs, d->dc) == NULL)
			continue;
		if(d->dc == 'U' && kern.root == NULL)
			continue;
		devtab[n++] = d;
	}
	devtab[n] = NULL;
	for(i = 0; devtab[i] != NULL; i++)
		if(devtab[i]->init != NULL)
			devtab[i]->init();
	kern.ready = 1;
	p = kfirstproc();
	up = p;
	if(!conf->nodefaultns && knsdefault() < 0)
		return -1;
	return 0;
}

/* From now on '#' attaches of the devices in devs fail, for every proc;
 * Chans already made (a /net bound by the embedder) keep working. */
int
knoattach(char *devs)
{
	size_t n;

	if(devs == NULL)
		return kseterr(Ebadarg);
	n = strlen(kern.noattach);
	for(; *devs != 0 && n < sizeof kern.noattach - 1; devs++)
		if(strchr(kern.noattach, *devs) == NULL)
			kern.noattach[n++] = *devs;
	kern.noattach[n] = 0;
	return 0;
}

/* A copy into a caller's buffer that another thread may take away
 * meanwhile (Kconf.copy): the bytes moved. */
size_t
kcopy(void *dst, const void *src, size_t n)
{
	size_t (*copy)(void*, const void*, size_t);

	if((copy = __atomic_load_n(&kern.conf.copy, __ATOMIC_ACQUIRE)) != NULL)
		return copy(dst, src, n);
	memcpy(dst, src, n);
	return n;
}

void
kcopyset(size_t (*copy)(void *dst, const void *src, size_t n))
{
	__atomic_store_n(&kern.conf.copy, copy, __ATOMIC_RELEASE);
}
