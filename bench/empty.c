/*
 * empty.c — benchmark: does nothing.  Timing many runs of it gives the
 * start-up and tear-down cost of a process (natively) or of a sandbox
 * (loading the ELF, setting up guest memory, glibc's start-up in the
 * guest, exit).
 */
int
main(void)
{
	return 0;
}
