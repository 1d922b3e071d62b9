/*
 * elf.c — tests of vx_loadelf: a hand-built ELF32 image loads with the
 * layout the Linux i386 ABI describes, each malformed or hostile variant of
 * it is refused with a message naming the problem and leaves nothing
 * mapped, and real gcc -m32 -static (and -static-pie) binaries load.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elfhdr.h"
#include "tap.h"
#include "vx.h"

enum {
	MEM = 256 << 20,
	BASE = 0x08048000,
	FILESZ = 0x2000,
	CODEOFF = 0x100,
	DATAOFF = 0x1100,
	DATASZ = 0x100,
	BSSSZ = 0x2000,
	RX = VX_PROT_READ | VX_PROT_EXEC,
	RW = VX_PROT_READ | VX_PROT_WRITE,
};

static _Alignas(16) uint8_t file[FILESZ];

static Elf32_Ehdr *
ehdr(void)
{
	return (Elf32_Ehdr *)file;
}

static Elf32_Phdr *
phdr(int i)
{
	return (Elf32_Phdr *)(file + sizeof(Elf32_Ehdr)) + i;
}

/* A minimal valid executable: text (with the headers) and data+bss that
 * starts mid-page, followed in the file by junk that must not be loaded. */
static void
mkimage(int type)
{
	static const uint8_t code[] = { 0xb8, 1, 0, 0, 0, 0xcd, 0x80 };	/* mov $1,%eax; int $0x80 */
	uint32_t base;
	Elf32_Ehdr *eh;
	Elf32_Phdr *ph;

	base = type == ET_DYN ? 0 : BASE;
	memset(file, 0, sizeof file);
	eh = ehdr();
	elfhdr(eh, type, base + CODEOFF, 3);

	ph = phdr(0);
	ph->p_type = PT_LOAD;
	ph->p_offset = 0;
	ph->p_vaddr = ph->p_paddr = base;
	ph->p_filesz = ph->p_memsz = 0x200;
	ph->p_flags = PF_R | PF_X;
	ph->p_align = 0x1000;

	ph = phdr(1);
	ph->p_type = PT_LOAD;
	ph->p_offset = DATAOFF;
	ph->p_vaddr = ph->p_paddr = base + DATAOFF;
	ph->p_filesz = DATASZ;
	ph->p_memsz = BSSSZ;
	ph->p_flags = PF_R | PF_W;
	ph->p_align = 0x1000;

	ph = phdr(2);
	ph->p_type = PT_GNU_STACK;
	ph->p_flags = PF_R | PF_W;
	ph->p_align = 16;

	memcpy(file + CODEOFF, code, sizeof code);
	memset(file + DATAOFF, 0xaa, DATASZ);
	memset(file + DATAOFF + DATASZ, 0xcc, FILESZ - DATAOFF - DATASZ);
}

static uint32_t
rd32(Vx *vx, uint32_t a)
{
	uint32_t v;
	void *p;

	p = vx_access(vx, a, 4, VX_PROT_READ);
	if(p == NULL)
		return 0xdeadbeef;
	memcpy(&v, p, 4);
	return v;
}

/* A guest string, checked readable byte by byte; NULL if not. */
static const char *
rdstr(Vx *vx, uint32_t a)
{
	const char *s;
	uint32_t n;

	for(n = 0; n < 4096; n++){
		s = vx_access(vx, a + n, 1, VX_PROT_READ);
		if(s == NULL)
			return NULL;
		if(*s == 0)
			return vx_access(vx, a, n + 1, VX_PROT_READ);
	}
	return NULL;
}

/* Are all of guest [a, a+n) equal to c? */
static int
allbytes(Vx *vx, uint32_t a, uint32_t n, uint8_t c)
{
	uint8_t *p;
	uint32_t i;

	p = vx_access(vx, a, n, VX_PROT_READ);
	if(p == NULL)
		return 0;
	for(i = 0; i < n; i++)
		if(p[i] != c)
			return 0;
	return 1;
}

static Vx *
newvx(uint32_t mem)
{
	char err[VX_ERRLEN];
	Vx *vx;

	vx = vx_new(mem, err);
	if(vx == NULL){
		printf("Bail out! vx_new: %s\n", err);
		exit(1);
	}
	return vx;
}

static char *argv0[] = { "prog", "first arg", "", "last", NULL };
static char *envp0[] = { "PATH=/bin", "HOME=/", "LANG=C", NULL };

/* Auxv value of type t, or ~0 when absent. */
static uint32_t
auxval(Vx *vx, uint32_t auxv, uint32_t t)
{
	uint32_t a, ty;

	for(a = auxv; (ty = rd32(vx, a)) != AT_NULL; a += 8)
		if(ty == t)
			return rd32(vx, a + 4);
		else if(ty == 0xdeadbeef)
			break;
	return ~0u;
}

/* The stack built for argv0/envp0: argc, argv, envp, auxv. */
static void
checkstack(Vx *vx, VxImage *im, const char *execfn)
{
	uint32_t sp, a, auxv, r;
	const char *s;
	int i, argc, good;

	sp = im->sp;
	is(sp % 16, 0, "esp is 16-byte aligned");
	is(vx_getreg(vx, VX_ESP), sp, "esp set to the image's sp");
	is(vx_getreg(vx, VX_EIP), im->entry, "eip set to the entry point");
	is(vx_getreg(vx, VX_EDX), 0, "edx is 0 (no rtld_fini)");
	argc = rd32(vx, sp);
	is(argc, 4, "argc");
	good = 1;
	for(i = 0; i < argc; i++){
		s = rdstr(vx, rd32(vx, sp + 4 + 4 * i));
		if(s == NULL || strcmp(s, argv0[i]) != 0)
			good = 0;
	}
	ok(good, "argv strings");
	is(rd32(vx, sp + 4 + 4 * argc), 0, "argv NULL-terminated");
	a = sp + 8 + 4 * argc;
	good = 1;
	for(i = 0; envp0[i] != NULL; i++, a += 4){
		s = rdstr(vx, rd32(vx, a));
		if(s == NULL || strcmp(s, envp0[i]) != 0)
			good = 0;
	}
	ok(good, "envp strings");
	is(rd32(vx, a), 0, "envp NULL-terminated");
	auxv = a + 4;

	is(auxval(vx, auxv, AT_PHDR), im->phdr, "AT_PHDR is the image's phdr");
	ok(vx_access(vx, im->phdr, 3 * sizeof(Elf32_Phdr), VX_PROT_READ)
	   && memcmp(vx_access(vx, im->phdr, 3 * sizeof(Elf32_Phdr), VX_PROT_READ), phdr(0), 3 * sizeof(Elf32_Phdr)) == 0,
	   "AT_PHDR points at the program headers");
	is(auxval(vx, auxv, AT_PHENT), sizeof(Elf32_Phdr), "AT_PHENT");
	is(auxval(vx, auxv, AT_PHNUM), 3, "AT_PHNUM");
	is(auxval(vx, auxv, AT_PAGESZ), 4096, "AT_PAGESZ");
	is(auxval(vx, auxv, AT_BASE), 0, "AT_BASE is 0 (no interpreter)");
	is(auxval(vx, auxv, AT_ENTRY), im->entry, "AT_ENTRY");
	is(auxval(vx, auxv, AT_SECURE), 0, "AT_SECURE");
	is(auxval(vx, auxv, AT_CLKTCK), 100, "AT_CLKTCK");
	is(auxval(vx, auxv, AT_UID), getuid(), "AT_UID");
	ok(auxval(vx, auxv, AT_HWCAP) != ~0u && (auxval(vx, auxv, AT_HWCAP) & (1 << 26)), "AT_HWCAP has sse2");
	is(auxval(vx, auxv, AT_HWCAP2), 0, "AT_HWCAP2");
	is(auxval(vx, auxv, AT_SYSINFO), ~0u, "no AT_SYSINFO");
	r = auxval(vx, auxv, AT_RANDOM);
	ok(r != ~0u && vx_access(vx, r, 16, VX_PROT_READ) != NULL && !allbytes(vx, r, 16, 0), "AT_RANDOM: 16 readable random bytes");
	s = rdstr(vx, auxval(vx, auxv, AT_EXECFN));
	isstr(s, execfn, "AT_EXECFN");
	s = rdstr(vx, auxval(vx, auxv, AT_PLATFORM));
	isstr(s, "i686", "AT_PLATFORM");
}

static void
testvalid(void)
{
	VxImage im;
	uint32_t top;
	Vx *vx;

	mkimage(ET_EXEC);
	vx = newvx(MEM);
	if(!ok(vx_loadelf(vx, file, FILESZ, argv0, envp0, "/bin/prog", &im) == 0, "valid ET_EXEC loads"))
		diag("%s", vx_errstr(vx));
	is(im.entry, BASE + CODEOFF, "entry");
	is(im.base, 0, "no bias for ET_EXEC");
	is(im.phdr, BASE + sizeof(Elf32_Ehdr), "phdr address from the covering PT_LOAD");
	is(im.phnum, 3, "phnum");
	is(im.brk, BASE + 0x4000, "brk is the page after bss");
	checkstack(vx, &im, "/bin/prog");

	is(vx_pageprot(vx, BASE), RX, "text is r-x");
	is(vx_pageprot(vx, BASE + 0x1000), RW, "data is rw-");
	is(vx_pageprot(vx, BASE + 0x3000), RW, "bss is rw-");
	is(vx_pageprot(vx, BASE + 0x4000), -1, "nothing above bss");
	is(vx_pageprot(vx, 0), -1, "page zero unmapped");
	ok(vx_access(vx, BASE + CODEOFF, 7, VX_PROT_EXEC) && memcmp(vx_access(vx, BASE + CODEOFF, 7, 0), file + CODEOFF, 7) == 0,
	   "code copied");
	ok(allbytes(vx, BASE + DATAOFF, DATASZ, 0xaa), "data copied");
	ok(allbytes(vx, BASE + 0x1000, DATAOFF - 0x1000, 0), "data page before the segment is zero");
	ok(allbytes(vx, BASE + DATAOFF + DATASZ, 0x4000 - DATAOFF - DATASZ, 0), "bss zero, also the tail of the last file page");
	top = vx_memsize(vx);
	is(vx_pageprot(vx, top - 4096), -1, "guard page at the top of memory");
	is(vx_pageprot(vx, top - 8192), RW, "stack is rw-, not executable");
	is(vx_pageprot(vx, im.sp & ~4095u), RW, "esp is in the stack");
	vx_free(vx);
}

static void
testpie(void)
{
	VxImage im;
	Vx *vx;

	mkimage(ET_DYN);
	vx = newvx(MEM);
	if(!ok(vx_loadelf(vx, file, FILESZ, argv0, envp0, NULL, &im) == 0, "valid static-pie loads"))
		diag("%s", vx_errstr(vx));
	ok(im.base != 0 && im.base % 4096 == 0, "static-pie gets a page-aligned bias (0x%x)", im.base);
	is(im.entry, im.base + CODEOFF, "static-pie entry is relocated");
	is(im.phdr, im.base + sizeof(Elf32_Ehdr), "static-pie AT_PHDR is relocated");
	is(vx_pageprot(vx, im.base), RX, "static-pie text mapped at the bias");
	checkstack(vx, &im, "prog");
	vx_free(vx);
}

/* Two segments share a page: it gets both protections and keeps both contents. */
static void
testsharedpage(void)
{
	Elf32_Phdr *ph;
	VxImage im;
	Vx *vx;

	mkimage(ET_EXEC);
	ph = phdr(1);
	ph->p_offset = 0x200;
	ph->p_vaddr = ph->p_paddr = BASE + 0x200;
	memset(file + 0x200, 0xaa, DATASZ);
	vx = newvx(MEM);
	if(!ok(vx_loadelf(vx, file, FILESZ, argv0, envp0, "x", &im) == 0, "segments sharing a page load"))
		diag("%s", vx_errstr(vx));
	is(vx_pageprot(vx, BASE), RX | RW, "shared page has the union of protections");
	is(vx_pageprot(vx, BASE + 0x1000), RW, "the rest of data is rw-");
	ok(vx_access(vx, BASE + CODEOFF, 7, 0) && memcmp(vx_access(vx, BASE + CODEOFF, 7, 0), file + CODEOFF, 7) == 0,
	   "code survives the data segment's mapping");
	ok(allbytes(vx, BASE + 0x200, DATASZ, 0xaa), "data in the shared page");
	vx_free(vx);
}

static void
testexecstack(void)
{
	VxImage im;
	Vx *vx;

	mkimage(ET_EXEC);
	phdr(2)->p_flags |= PF_X;
	vx = newvx(MEM);
	ok(vx_loadelf(vx, file, FILESZ, argv0, envp0, "x", &im) == 0, "PT_GNU_STACK with PF_X loads");
	is(vx_pageprot(vx, im.sp & ~4095u), RW | VX_PROT_EXEC, "stack is executable when asked");
	vx_free(vx);
}

/* Apply malformation k to a fresh image; returns the file size to load, 0 past the last. */
static size_t
mutate(int k, const char **name, const char **want)
{
	Elf32_Ehdr *eh;
	Elf32_Phdr t;

	mkimage(ET_EXEC);
	eh = ehdr();
#define M(n, w) *name = n; *want = w;
	switch(k){
	case 0: M("short file", "too short"); return 40;
	case 1: M("bad magic", "magic"); eh->e_ident[1] = 'X'; break;
	case 2: M("64-bit class", "32-bit"); eh->e_ident[EI_CLASS] = ELFCLASS64; break;
	case 3: M("big-endian", "little-endian"); eh->e_ident[EI_DATA] = ELFDATA2MSB; break;
	case 4: M("bad version", "version"); eh->e_version = 2; break;
	case 5: M("x86-64 machine", "i386"); eh->e_machine = EM_X86_64; break;
	case 6: M("FreeBSD OS ABI", "OS ABI"); eh->e_ident[EI_OSABI] = ELFOSABI_FREEBSD; break;
	case 7: M("relocatable object", "not an executable"); eh->e_type = ET_REL; break;
	case 8: M("wrong e_phentsize", "program header size"); eh->e_phentsize = 56; break;
	case 9: M("no program headers", "no program headers"); eh->e_phnum = 0; break;
	case 10: M("too many program headers", "too many"); eh->e_phnum = 1000; break;
	case 11: M("extended phnum", "too many"); eh->e_phnum = PN_XNUM; break;
	case 12: M("phdrs past end of file", "outside the file"); eh->e_phoff = FILESZ - 40; break;
	case 13: M("phoff wraps", "outside the file"); eh->e_phoff = 0xfffffff0; break;
	case 14: M("filesz > memsz", "exceeds memory size"); phdr(1)->p_filesz = BSSSZ + 1; break;
	case 15: M("segment data past end of file", "outside the file"); phdr(1)->p_filesz = 0x1000; break;
	case 16: M("segment offset wraps", "outside the file"); phdr(1)->p_offset = 0xfffff100; phdr(1)->p_filesz = 0x1000; break;
	case 17: M("segment address wraps", "wraps"); phdr(1)->p_vaddr = 0xfffff100; break;
	case 18: M("segment in page zero", "does not fit");
		eh->e_entry = CODEOFF; phdr(0)->p_vaddr = 0; phdr(1)->p_vaddr = DATAOFF; break;
	case 19: M("segment over the stack", "does not fit"); phdr(1)->p_vaddr = MEM - 0x200000 + 0x100; break;
	case 20: M("segment past guest memory", "does not fit"); phdr(1)->p_vaddr = 0xb0000100; break;
	case 21: M("PT_INTERP", "PT_INTERP"); phdr(2)->p_type = PT_INTERP; break;
	case 22: M("vaddr/offset not congruent", "modulo the page size"); phdr(1)->p_vaddr += 4; break;
	case 23: M("p_align not a power of two", "power of two"); phdr(1)->p_align = 0x3000; break;
	case 24: M("no PT_LOAD", "no loadable"); phdr(0)->p_type = PT_NOTE; phdr(1)->p_type = PT_NOTE; break;
	case 25: M("entry in data", "entry point"); eh->e_entry = BASE + DATAOFF; break;
	case 26: M("entry 0", "entry point"); eh->e_entry = 0; break;
	case 27: M("entry past text", "entry point"); eh->e_entry = BASE + 0x200; break;
	case 28: M("overlapping segments", "overlaps"); phdr(1)->p_vaddr = BASE + 0x100; break;
	case 29: M("segments out of order", "overlaps or precedes");
		t = *phdr(0); *phdr(0) = *phdr(1); *phdr(1) = t; break;
	case 30: M("TLS filesz > memsz", "TLS");
		phdr(2)->p_type = PT_TLS; phdr(2)->p_filesz = 8; phdr(2)->p_memsz = 4; break;
	case 31: M("huge segment", "does not fit"); phdr(1)->p_memsz = 0xf0000000; break;
	default: return 0;
	}
#undef M
	return FILESZ;
}

static void
testmalformed(void)
{
	const char *name, *want, *err;
	size_t size;
	VxImage im;
	int k, r;
	Vx *vx;

	for(k = 0; (size = mutate(k, &name, &want)) != 0; k++){
		vx = newvx(MEM);
		r = vx_loadelf(vx, file, size, argv0, envp0, "x", &im);
		err = vx_errstr(vx);
		if(!ok(r == -1 && err != NULL && strstr(err, want) != NULL, "refuse %s", name))
			diag("  r=%d err='%s', want '%s'", r, err ? err : "(null)", want);
		ok(vx_pageprot(vx, BASE) == -1 && vx_pageprot(vx, vx_memsize(vx) - 8192) == -1,
		   "%s: nothing mapped", name);
		vx_free(vx);
	}
}

static void
testlimits(void)
{
	char *big, *argv[3];
	const char *s;
	VxImage im;
	int n, r;
	Vx *vx;

	mkimage(ET_EXEC);
	big = malloc(200 * 1024);
	memset(big, 'x', 200 * 1024 - 1);
	big[200 * 1024 - 1] = 0;
	argv[0] = "prog";
	argv[1] = big;
	argv[2] = NULL;
	vx = newvx(MEM);
	ok(vx_loadelf(vx, file, FILESZ, argv, envp0, "x", &im) == -1 && strstr(vx_errstr(vx), "too long"),
	   "refuse a 200 KiB argument");
	ok(vx_pageprot(vx, BASE) == -1, "nothing left mapped after a late failure");
	big[100 * 1024] = 0;
	ok(vx_loadelf(vx, file, FILESZ, argv, NULL, NULL, &im) == 0, "a 100 KiB argument and no envp load");
	is(rd32(vx, im.sp), 2, "argc with big argument");
	is(rd32(vx, im.sp + 12), 0, "empty envp");
	s = vx_access(vx, rd32(vx, im.sp + 8), 100 * 1024 + 1, VX_PROT_READ);
	ok(s != NULL && s[100 * 1024] == 0 && strspn(s, "x") == 100 * 1024, "big argument intact");
	vx_free(vx);
	free(big);

	/* esp stays 16-byte aligned whatever the vector's length */
	for(n = 0; n <= 4; n++){
		vx = newvx(MEM);
		r = vx_loadelf(vx, file, FILESZ, argv0 + 4 - n, n & 1 ? envp0 : NULL, "x", &im);
		ok(r == 0 && im.sp % 16 == 0 && rd32(vx, im.sp) == (uint32_t)n, "argc %d: esp 16-byte aligned at argc", n);
		vx_free(vx);
	}

	vx = newvx(256 << 10);
	ok(vx_loadelf(vx, file, FILESZ, argv0, envp0, "x", &im) == -1 && strstr(vx_errstr(vx), "too small"),
	   "refuse guest memory too small for a stack");
	vx_free(vx);

	vx = newvx(MEM);
	ok(vx_loadelf(vx, NULL, 0, argv0, envp0, "x", &im) == -1, "refuse a NULL image");
	vx_free(vx);
}

/* Real static binaries from the toolchain the guests are built with. */
static void
testreal(const char *flags, const char *what)
{
	char dir[] = "/tmp/elftXXXXXX", cmd[512], path[300];
	Elf32_Ehdr eh;
	uint8_t *img;
	VxImage im;
	FILE *f;
	long n;
	Vx *vx;

	if(mkdtemp(dir) == NULL){
		ok(1, "%s # SKIP mkdtemp", what);
		return;
	}
	snprintf(path, sizeof path, "%s/t", dir);
	snprintf(cmd, sizeof cmd,
		 "printf '#include <stdio.h>\\n__thread int t = 1;\\nint main(void){ printf(\"%%d\\\\n\", t); return 0; }\\n' > %s/t.c"
		 " && gcc -m32 %s -o %s %s/t.c 2>/dev/null", dir, flags, path, dir);
	if(system(cmd) != 0 || (f = fopen(path, "rb")) == NULL){
		ok(1, "%s # SKIP gcc -m32 %s failed", what, flags);
		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		if(system(cmd)) {}
		return;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	img = malloc(n);
	if(fread(img, 1, n, f) != (size_t)n)
		n = 0;
	fclose(f);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if(system(cmd)) {}
	memcpy(&eh, img, sizeof eh);

	vx = newvx(256 << 20);
	if(!ok(vx_loadelf(vx, img, n, argv0, envp0, "t", &im) == 0, "%s loads", what))
		diag("%s", vx_errstr(vx));
	is(im.entry, eh.e_entry + im.base, "%s: entry", what);
	ok(vx_access(vx, im.phdr, eh.e_phnum * sizeof(Elf32_Phdr), VX_PROT_READ)
	   && memcmp(vx_access(vx, im.phdr, eh.e_phnum * sizeof(Elf32_Phdr), VX_PROT_READ),
		     img + eh.e_phoff, eh.e_phnum * sizeof(Elf32_Phdr)) == 0,
	   "%s: AT_PHDR holds the program headers", what);
	ok(vx_access(vx, im.entry, 16, VX_PROT_EXEC) != NULL, "%s: entry is executable", what);
	ok(eh.e_type == ET_EXEC ? im.base == 0 : im.base != 0, "%s: bias 0x%x", what, im.base);
	vx_free(vx);
	free(img);
}

int
main(void)
{
	testvalid();
	testpie();
	testsharedpage();
	testexecstack();
	testmalformed();
	testlimits();
	testreal("-static -fno-pie -no-pie", "gcc -static binary");
	testreal("-static-pie -fpie", "gcc -static-pie binary");
	return done_testing();
}
