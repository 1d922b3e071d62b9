/*
 * codepage.h — for guests that jump into code they write (indjmp.c,
 * jtab.c): `page` holds their dispatchers, the page after it (`p2`)
 * stubs that return a value, rewritten, unmapped and mapped again.
 */
static unsigned char *page, *p2;

static void
put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* Stub k at p2 + 64 * k: mov $v, %eax; ret. */
static void
emit_stub(int k, uint32_t v)
{
	p2[64 * k] = 0xb8;
	put32(p2 + 64 * k + 1, v);
	p2[64 * k + 5] = 0xc3;
}

/* p2 unmapped and mapped again, empty */
static int
remap(void)
{
	munmap(p2, 4096);
	if(mmap(p2, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != p2){
		perror("mmap again");
		return -1;
	}
	return 0;
}

/* mov $0xc340c031,%eax; ret at p2+512: a jump to p2+513, inside the
 * instruction, runs xor %eax,%eax; inc %eax; ret */
static void
emit_middle(void)
{
	p2[512] = 0xb8;
	put32(p2 + 513, 0xc340c031);
	p2[517] = 0xc3;
}
