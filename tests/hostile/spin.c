/* spin.c — hostile guest: spins forever in C ("for(;;);", a jmp to
 * itself at any optimisation level).  Expected: vxhost -T 1 stops it and
 * exits 124 with "vxhost: timeout". */
int
main(void)
{
	for (;;)
		;
}
