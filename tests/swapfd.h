/*
 * swapfd.h — the thread the swap tests (guest_fsizeswap.c,
 * guest_kindswap.c, guest_byfdswap.c, guest_sockswap.c) run beside
 * their calls: it puts
 * fda and fdb at Swapfd in turn (dup2) until stop is set, so that a
 * call on Swapfd may find one open file there at its start and the
 * other at any step after.  The including file sets fda and fdb, and
 * may set afterb, called each time fdb has been put there.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

/* Swapfd below 40: emu's fd table grows 20 at a time, and a dup2 past
 * its next step fails there (inferno/check.sh) */
enum { Swapfd = 30 };

static atomic_int stop;
static int fda, fdb;
static void (*afterb)(void);

static void *
swapper(void *arg)
{
	(void)arg;
	while(!atomic_load(&stop)){
		dup2(fda, Swapfd);
		dup2(fdb, Swapfd);
		if(afterb != NULL)
			afterb();
	}
	return NULL;
}
