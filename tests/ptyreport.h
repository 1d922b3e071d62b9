/*
 * ptyreport.h — for tests/guest_pty.c and guest_ptyjobs.c: the processes
 * of a session report through the pipe rep, and the test's main
 * process, which types on the master, prints the reports in the order
 * they came, step by step (relay), so what it prints is fixed.
 */
static int rep[2];
static char relaybuf[4096];	/* reports not yet printed */
static int nrelay;

static void
report(const char *fmt, ...)
{
	char buf[160];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if(write(rep[1], buf, n) != n)
		_exit(9);
}

/* print the reports up to the end of the first that holds until */
static void
relay(const char *until)
{
	char *e;
	int m;

	for(;;){
		if((e = strstr(relaybuf, until)) != NULL){
			e += strlen(until);
			fwrite(relaybuf, 1, e - relaybuf, stdout);
			fflush(stdout);
			nrelay -= e - relaybuf;
			memmove(relaybuf, e, nrelay + 1);
			return;
		}
		m = read(rep[0], relaybuf + nrelay, sizeof relaybuf - 1 - nrelay);
		if(m <= 0){
			printf("%.*s[report ends]\n", nrelay, relaybuf);
			nrelay = 0;
			relaybuf[0] = 0;
			return;
		}
		nrelay += m;
		relaybuf[nrelay] = 0;
	}
}
