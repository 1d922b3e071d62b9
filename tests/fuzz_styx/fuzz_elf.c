/* fuzz_elf.c — libFuzzer target for the ELF loader (libvx/elf.c): what
 * execve hands it is any file a guest wrote.  The input is
 *	mode[1] split[2] bytes…
 * mode & 3: 0 vx_loadelf on the bytes; 1 vx_loadelffd on a memfd
 * holding them (headers read into a buffer or mapped, segments mapped
 * copy-on-write); 2 and 3 vx_elfinterp on it and vx_loadelfinterp with
 * the first split bytes as the program and the rest as the interpreter.
 * Each load goes into a new Vx of 256 MiB.  A refusal must name its
 * reason and leave nothing mapped; a load must start the guest at an
 * executable address and its stack inside guest memory.  Nothing may
 * crash or read out of bounds.  FUZZ_ELF_SAY=1: print each refusal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "vx.h"

enum { MEM = 256 << 20, PG = 4096 };

static char *argv0[] = { "prog", "arg", NULL };
static char *envp0[] = { "PATH=/bin", NULL };

static int
memfile(const uint8_t *p, size_t n)
{
	int fd;

	fd = memfd_create("fuzz_elf", MFD_CLOEXEC);
	if(fd < 0)
		abort();
	if(n > 0 && write(fd, p, n) != (ssize_t)n)
		abort();
	return fd;
}

/* After a refusal nothing of the image may remain: no page mapped. */
static void
checkempty(Vx *vx)
{
	uint32_t a;

	if(vx_errstr(vx) == NULL || vx_errstr(vx)[0] == 0){
		fprintf(stderr, "refused without a reason\n");
		abort();
	}
	for(a = 0; a < MEM; a += PG)
		if(vx_pageprot(vx, a) != -1){
			fprintf(stderr, "refused (%s) with page 0x%x still mapped\n", vx_errstr(vx), a);
			abort();
		}
}

static void
checkloaded(Vx *vx, VxImage *im)
{
	int prot;

	prot = vx_pageprot(vx, im->entry);
	if(prot < 0 || !(prot & VX_PROT_EXEC)){
		fprintf(stderr, "entry 0x%x not executable (%d)\n", im->entry, prot);
		abort();
	}
	if(im->sp < PG || im->sp >= vx_memsize(vx) || vx_pageprot(vx, im->sp) < 0){
		fprintf(stderr, "sp 0x%x outside guest memory\n", im->sp);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[VX_ERRLEN], path[256];
	int mode, fd, ifd, r;
	size_t split;
	VxImage im;
	Vx *vx;

	if(size < 3)
		return 0;
	mode = data[0] & 3;
	split = data[1] | data[2] << 8;
	data += 3;
	size -= 3;
	if(split > size)
		split = size;
	vx = vx_new(MEM, err);
	if(vx == NULL){
		fprintf(stderr, "vx_new: %s\n", err);
		abort();
	}
	fd = ifd = -1;
	switch(mode){
	case 0:
		r = vx_loadelf(vx, data, size, argv0, envp0, "/bin/prog", &im);
		break;
	case 1:
		fd = memfile(data, size);
		r = vx_loadelffd(vx, fd, argv0, envp0, "/bin/prog", &im);
		break;
	default:
		fd = memfile(data, split);
		ifd = memfile(data + split, size - split);
		r = vx_elfinterp(vx, fd, path, sizeof path);
		if(r > 0 && strlen(path) >= sizeof path)
			abort();
		if(r >= 0)
			r = vx_loadelfinterp(vx, fd, ifd, argv0, envp0, "/bin/prog", &im);
		break;
	}
	if(r < 0 && getenv("FUZZ_ELF_SAY") != NULL)
		fprintf(stderr, "refused: %s\n", vx_errstr(vx));
	if(r < 0)
		checkempty(vx);
	else
		checkloaded(vx, &im);
	if(fd >= 0)
		close(fd);
	if(ifd >= 0)
		close(ifd);
	vx_free(vx);
	return 0;
}
