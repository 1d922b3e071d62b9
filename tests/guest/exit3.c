/*
 * exit3.c — the exit status must come through: prints a line to stdout
 * and one to stderr, then leaves main with status 3 through exit(), after
 * an atexit handler has run (its line must appear too).
 */
#include <stdio.h>
#include <stdlib.h>

static void
last_words(void)
{
	printf("atexit handler ran\n");
}

int
main(void)
{
	atexit(last_words);
	printf("about to exit with status 3\n");
	fprintf(stderr, "exit3: this line goes to stderr\n");
	exit(3);
}
