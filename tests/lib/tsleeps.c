/* tsleeps.c — threadsleeps (tsleeps.h): a test can tell that a thread
 * woke and went back to sleep, which no fixed sleep can. */
#include <stdio.h>
#include "tsleeps.h"

long
threadsleeps(int tid)
{
	char path[64], line[128];
	long n;
	FILE *f;

	snprintf(path, sizeof path, "/proc/self/task/%d/status", tid);
	if((f = fopen(path, "r")) == NULL)
		return -1;
	n = -1;
	while(fgets(line, sizeof line, f) != NULL)
		if(sscanf(line, "voluntary_ctxt_switches: %ld", &n) == 1)
			break;
	fclose(f);
	return n;
}
