/*
 * elf_fd.c — loading from a file (vx_loadelffd, segments mapped
 * copy-on-write) gives the guest the same memory as loading from a buffer
 * (vx_loadelf), and fork copies file-backed pages.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tap.h"
#include "vx.h"

static char *argv0[] = { "prog", NULL };
static char *envp0[] = { "A=1", NULL };

/* Compare every page of a and b below the stack: mapping, protection, bytes. */
static int
samememory(Vx *a, Vx *b, uint32_t lo, uint32_t hi)
{
	uint32_t p;

	for(p = lo; p < hi; p += 4096){
		int pa = vx_pageprot(a, p), pb = vx_pageprot(b, p);
		if(pa != pb){
			diag("page %#x: prot %d vs %d", p, pa, pb);
			return 0;
		}
		if(pa < 0 || !(pa & VX_PROT_READ))
			continue;
		if(memcmp(vx_access(a, p, 4096, VX_PROT_READ), vx_access(b, p, 4096, VX_PROT_READ), 4096) != 0){
			diag("page %#x differs", p);
			return 0;
		}
	}
	return 1;
}

int
main(void)
{
	char dir[] = "/tmp/elffdXXXXXX", src[128], bin[128], cmd[512], err[VX_ERRLEN];
	VxImage ia, ib;
	Vx *a, *b, *c;
	struct stat st;
	void *buf;
	FILE *f;
	int fd;

	if(mkdtemp(dir) == NULL)
		skip_all("mkdtemp");
	snprintf(src, sizeof src, "%s/p.c", dir);
	snprintf(bin, sizeof bin, "%s/p", dir);
	f = fopen(src, "w");
	fprintf(f, "int big[100000]; char msg[] = \"hello\"; int main(void){ big[5] = 1; return msg[0]; }\n");
	fclose(f);
	snprintf(cmd, sizeof cmd, "gcc -m32 -static -O2 -o %s %s 2>/dev/null", bin, src);
	if(system(cmd) != 0)
		skip_all("no gcc -m32");
	fd = open(bin, O_RDONLY);
	fstat(fd, &st);
	buf = malloc(st.st_size);
	if(read(fd, buf, st.st_size) != st.st_size)
		skip_all("read");

	a = vx_new(256 << 20, err);
	b = vx_new(256 << 20, err);
	int la = ok(vx_loadelf(a, buf, st.st_size, argv0, envp0, "prog", &ia) == 0, "load from a buffer: %s", vx_errstr(a));
	int lb = ok(vx_loadelffd(b, fd, argv0, envp0, "prog", &ib) == 0, "load from the file: %s", vx_errstr(b));
	is(ib.entry, ia.entry, "same entry");
	is(ib.brk, ia.brk, "same break");
	ok(la && lb && samememory(a, b, 0x1000, ia.brk), "same pages, protections and bytes (text, data, bss)");
	ok(lb && vx_pageprot(b, ib.entry) == (VX_PROT_READ | VX_PROT_EXEC), "text is read and execute");
	/* a write to a file-backed page stays private to the guest */
	uint32_t data = (ib.brk - 4096) & ~4095u;
	uint8_t *w = lb ? vx_access(b, data, 1, VX_PROT_WRITE) : NULL;
	if(w)
		w[0] ^= 0xff;
	c = vx_fork(b, err);
	ok(c != NULL, "fork of a file-backed guest");
	ok(lb && c && samememory(b, c, 0x1000, ib.brk), "the child has the file pages, written ones included");
	struct stat st2;
	ok(w && stat(bin, &st2) == 0 && st2.st_mtime == st.st_mtime, "the file itself is not changed");
	ok(vx_loadelffd(b, -1, argv0, envp0, "prog", &ib) < 0, "a bad fd is refused: %s", vx_errstr(b));
	int dfd = open(dir, O_RDONLY);
	ok(vx_loadelffd(b, dfd, argv0, envp0, "prog", &ib) < 0, "a directory is refused: %s", vx_errstr(b));
	close(dfd);
	vx_free(a);
	vx_free(b);
	if(c)
		vx_free(c);
	close(fd);
	free(buf);
	unlink(bin);
	unlink(src);
	rmdir(dir);
	return done_testing();
}
