/*
 * elf_interp.c — dynamically linked executables (vx_elfinterp,
 * vx_loadelfinterp): a program with PT_INTERP and an interpreter made
 * here byte by byte.  The guest starts in the interpreter, placed below
 * the stack, with AT_BASE and AT_ENTRY telling it where it and the
 * program are; malformed PT_INTERPs and interpreters are refused with a
 * reason and leave nothing mapped.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>
#include "elfhdr.h"
#include "tap.h"
#include "vx.h"

static char *argv0[] = { "prog", "x", NULL };
static char *envp0[] = { "A=1", NULL };

enum { PROGBASE = 0x08048000 };
static const char interpname[] = "/lib/ld-linux.so.2";

/* An ELF32 i386 file of type type at vaddr with the code bytes code,
 * one PT_LOAD (R+X) and, when interp is set, a PT_INTERP naming it. */
static size_t
mkelf(uint8_t *buf, int type, uint32_t vaddr, const uint8_t *code, size_t ncode, const char *interp)
{
	Elf32_Ehdr *eh = (Elf32_Ehdr*)buf;
	Elf32_Phdr *ph = (Elf32_Phdr*)(buf + sizeof *eh);
	size_t off, n;

	memset(buf, 0, 4096);
	elfhdr(eh, type, 0, interp != NULL ? 2 : 1);	/* its entry: after the code is placed */
	off = sizeof *eh + eh->e_phnum * sizeof *ph;
	if(interp != NULL){
		n = strlen(interp) + 1;
		ph->p_type = PT_INTERP;
		ph->p_offset = off;
		ph->p_vaddr = vaddr + off;
		ph->p_filesz = ph->p_memsz = n;
		ph->p_flags = PF_R;
		ph->p_align = 1;
		memcpy(buf + off, interp, n);
		off += n;
		ph++;
	}
	off = (off + 15) & ~15;
	memcpy(buf + off, code, ncode);
	eh->e_entry = vaddr + off;
	ph->p_type = PT_LOAD;
	ph->p_offset = 0;
	ph->p_vaddr = vaddr;
	ph->p_filesz = ph->p_memsz = off + ncode;
	ph->p_flags = PF_R | PF_X;
	ph->p_align = 4096;
	return off + ncode;
}

static int
memfile(const uint8_t *buf, size_t n)
{
	int fd;

	fd = memfd_create("elf_interp", MFD_CLOEXEC);
	if(fd < 0 || write(fd, buf, n) != (ssize_t)n)
		return -1;
	return fd;
}

/* The auxv value of type, from the initial stack. */
static uint32_t
auxval(Vx *vx, uint32_t sp, uint32_t type)
{
	uint32_t *p, argc, i;

	p = vx_access(vx, sp, 4, VX_PROT_READ);
	if(p == NULL)
		return 0;
	argc = p[0];
	i = 1 + argc + 1;
	while((p = vx_access(vx, sp + 4 * i, 4, VX_PROT_READ)) != NULL && p[0] != 0)
		i++;
	for(i++;; i += 2){
		p = vx_access(vx, sp + 4 * i, 8, VX_PROT_READ);
		if(p == NULL || p[0] == AT_NULL)
			return 0;
		if(p[0] == type)
			return p[1];
	}
}

/* A PT_INTERP whose path lies past the file's first 4 KiB (which
 * vx_elfinterp reads instead of mapping the file) is found too. */
static void
interpfar(Vx *vx, const uint8_t *prog, size_t np)
{
	static uint8_t big[3 * 4096];
	char path[64];
	Elf32_Phdr *ph = (Elf32_Phdr*)(big + sizeof(Elf32_Ehdr));
	int fd;

	memset(big, 0, sizeof big);
	memcpy(big, prog, np);
	memcpy(big + 2 * 4096 + 100, "/lib/far.so", 12);
	ph->p_offset = 2 * 4096 + 100;
	ph->p_filesz = ph->p_memsz = 12;
	fd = memfile(big, sizeof big);
	is(vx_elfinterp(vx, fd, path, sizeof path), 1, "a PT_INTERP past the first 4 KiB is found");
	isstr(path, "/lib/far.so", "with its path");
	close(fd);
}

/* The process's address space in bytes (/proc/self/status VmSize). */
static unsigned long long
vmsize(void)
{
	char line[256];
	unsigned long long kb = 0;
	FILE *f = fopen("/proc/self/status", "r");

	if(f == NULL)
		return 0;
	while(fgets(line, sizeof line, f) != NULL)
		if(sscanf(line, "VmSize: %llu kB", &kb) == 1)
			break;
	fclose(f);
	return kb * 1024;
}

/* vx_elfinterp and vx_loadelfinterp read the headers of an ordinary
 * program and interpreter without mapping the files (each munmap is a
 * TLB shootdown): they still work where the process has no address space
 * left for a mapping of the program.  The interpreter then runs. */
static void
headonly(int pfd, int lfd)
{
	struct rlimit old, lim;
	char path[64], err[VX_ERRLEN];
	unsigned long long vm;
	VxTrapInfo ti;
	VxImage img;
	int r, rl;
	Vx *vx;

	vx = vx_new(256 << 20, err);
	if(vx == NULL || ftruncate(pfd, 64 << 20) < 0 || getrlimit(RLIMIT_AS, &old) < 0 || (vm = vmsize()) == 0){
		ok(0, "a sandbox, a 64 MiB program and the address space limit");
		vx_free(vx);
		return;
	}
	lim = old;
	lim.rlim_cur = vm + (1 << 20);
	if(setrlimit(RLIMIT_AS, &lim) < 0){
		ok(0, "setrlimit RLIMIT_AS: %s", strerror(errno));
		vx_free(vx);
		return;
	}
	r = vx_elfinterp(vx, pfd, path, sizeof path);
	rl = vx_loadelfinterp(vx, pfd, lfd, argv0, envp0, "prog", &img);
	setrlimit(RLIMIT_AS, &old);
	is(r, 1, "vx_elfinterp reads a 64 MiB program's PT_INTERP with 1 MiB of address space to spare");
	ok(rl == 0, "vx_loadelfinterp loads it and its interpreter so: %s", rl == 0 ? "" : vx_errstr(vx));
	if(rl == 0){
		vx_setreg(vx, VX_EIP, img.entry);
		vx_setreg(vx, VX_ESP, img.sp);
		ok(vx_run(vx, &ti) == VX_TRAP_SYSCALL && vx_getreg(vx, VX_EBX) == 42, "and the interpreter runs");
	}else
		ok(0, "and the interpreter runs");
	vx_free(vx);
}

int
main(void)
{
	/* the program: exit(7); the interpreter: exit(42) */
	static const uint8_t progcode[] = { 0xb8, 1, 0, 0, 0, 0xbb, 7, 0, 0, 0, 0xcd, 0x80 };
	static const uint8_t ldcode[] = { 0xb8, 1, 0, 0, 0, 0xbb, 42, 0, 0, 0, 0xcd, 0x80 };
	uint8_t prog[4096], ld[4096], bad[4096];
	char path[64], err[VX_ERRLEN];
	size_t np, nl, nb;
	int pfd, lfd, sfd, bfd, trap;
	VxImage img;
	uint32_t base, entry;
	VxTrapInfo ti;
	Vx *vx;

	np = mkelf(prog, ET_EXEC, PROGBASE, progcode, sizeof progcode, interpname);
	nl = mkelf(ld, ET_DYN, 0, ldcode, sizeof ldcode, NULL);
	pfd = memfile(prog, np);
	lfd = memfile(ld, nl);
	if(pfd < 0 || lfd < 0)
		skip_all("memfd_create");
	vx = vx_new(256 << 20, err);
	if(vx == NULL)
		skip_all(err);

	is(vx_elfinterp(vx, pfd, path, sizeof path), 1, "vx_elfinterp finds PT_INTERP");
	isstr(path, interpname, "and its path");
	is(vx_elfinterp(vx, lfd, path, sizeof path), 0, "the interpreter itself has none");
	is(vx_elfinterp(vx, pfd, path, 8), -1, "a path longer than the buffer is refused: %s", vx_errstr(vx));
	ok(vx_loadelffd(vx, pfd, argv0, envp0, "prog", &img) < 0 && strstr(vx_errstr(vx), "PT_INTERP") != NULL,
		"vx_loadelffd still refuses it: %s", vx_errstr(vx));
	ok(vx_pageprot(vx, PROGBASE) < 0, "and maps nothing");

	if(!ok(vx_loadelfinterp(vx, pfd, lfd, argv0, envp0, "prog", &img) == 0, "vx_loadelfinterp: %s", vx_errstr(vx)))
		return done_testing();
	base = auxval(vx, img.sp, AT_BASE);
	entry = auxval(vx, img.sp, AT_ENTRY);
	ok(base != 0 && base % 4096 == 0 && base > PROGBASE && base < vx_memsize(vx) - (8 << 20) + 1,
		"AT_BASE %#x: page aligned, above the program, below the stack", base);
	is(entry, ((Elf32_Ehdr*)prog)->e_entry, "AT_ENTRY is the program's entry");
	is(auxval(vx, img.sp, AT_PHDR), PROGBASE + sizeof(Elf32_Ehdr), "AT_PHDR is the program's headers");
	is(auxval(vx, img.sp, AT_PHNUM), 2, "AT_PHNUM");
	is(vx_getreg(vx, VX_EIP), base + ((Elf32_Ehdr*)ld)->e_entry, "the guest starts at the interpreter's entry");
	is(img.entry, vx_getreg(vx, VX_EIP), "VxImage.entry says so");
	ok(vx_pageprot(vx, base) == (VX_PROT_READ | VX_PROT_EXEC), "the interpreter is mapped R+X");
	trap = vx_run(vx, &ti);
	ok(trap == VX_TRAP_SYSCALL && vx_getreg(vx, VX_EBX) == 42, "it runs: exit(%u) from the interpreter", vx_getreg(vx, VX_EBX));
	vx_free(vx);

	/* refusals, each leaving nothing mapped */
	vx = vx_new(256 << 20, err);
	sfd = memfile(ld, nl);
	nb = mkelf(bad, ET_EXEC, PROGBASE, progcode, sizeof progcode, NULL);
	bfd = memfile(bad, nb);
	ok(vx_loadelfinterp(vx, bfd, lfd, argv0, envp0, "prog", &img) < 0, "a static program with an interpreter: %s", vx_errstr(vx));
	close(bfd);
	nb = mkelf(bad, ET_EXEC, 0x10000000, ldcode, sizeof ldcode, NULL);
	bfd = memfile(bad, nb);
	ok(vx_loadelfinterp(vx, pfd, bfd, argv0, envp0, "prog", &img) < 0, "an ET_EXEC interpreter: %s", vx_errstr(vx));
	close(bfd);
	nb = mkelf(bad, ET_DYN, 0, ldcode, sizeof ldcode, "/x");
	bfd = memfile(bad, nb);
	ok(vx_loadelfinterp(vx, pfd, bfd, argv0, envp0, "prog", &img) < 0, "an interpreter with an interpreter: %s", vx_errstr(vx));
	close(bfd);
	ok(vx_pageprot(vx, PROGBASE) < 0 && vx_pageprot(vx, vx_memsize(vx) - 8192) < 0, "nothing is left mapped");
	memcpy(bad, prog, np);
	{
		Elf32_Phdr *ph = (Elf32_Phdr*)(bad + sizeof(Elf32_Ehdr));
		bad[ph->p_offset + ph->p_filesz - 1] = 'x';	/* no NUL */
	}
	bfd = memfile(bad, np);
	is(vx_elfinterp(vx, bfd, path, sizeof path), -1, "a PT_INTERP without its NUL: %s", vx_errstr(vx));
	close(bfd);
	memcpy(bad, prog, np);
	((Elf32_Phdr*)(bad + sizeof(Elf32_Ehdr)))->p_offset = 0x7ffffff0;
	bfd = memfile(bad, np);
	is(vx_elfinterp(vx, bfd, path, sizeof path), -1, "a PT_INTERP outside the file: %s", vx_errstr(vx));
	close(bfd);
	memcpy(bad, prog, np);
	((Elf32_Phdr*)(bad + sizeof(Elf32_Ehdr)))->p_filesz = 0xffffffff;
	bfd = memfile(bad, np);
	is(vx_elfinterp(vx, bfd, path, sizeof path), -1, "a PT_INTERP of 4 GiB: %s", vx_errstr(vx));
	close(bfd);
	interpfar(vx, prog, np);
	headonly(pfd, lfd);
	close(sfd);
	vx_free(vx);
	close(pfd);
	close(lfd);
	return done_testing();
}
