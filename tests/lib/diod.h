/* diod.h — Debian's diod, a 9P2000.L-only server, for the tests that
 * check a client refuses it.  diod raises its core size limit to
 * unlimited as it starts and exits when it cannot: where the hard limit
 * is lower (ulimit -c 0 sets it to 0, as CI may) it does not run. */
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

/* diod's path, or NULL with why set to the reason it cannot run. */
static inline const char *
diodpath(char *why, size_t n)
{
	static const char *paths[] = {"/usr/sbin/diod", "/usr/bin/diod", NULL};
	struct rlimit rl;
	int i;

	for(i = 0; paths[i] != NULL; i++)
		if(access(paths[i], X_OK) == 0)
			break;
	if(paths[i] == NULL){
		snprintf(why, n, "diod not installed (apt-get install diod)");
		return NULL;
	}
	if(getrlimit(RLIMIT_CORE, &rl) == 0 && rl.rlim_max != RLIM_INFINITY){
		snprintf(why, n, "diod needs an unlimited hard core size limit (it is %llu bytes)",
			(unsigned long long)rl.rlim_max);
		return NULL;
	}
	return paths[i];
}
