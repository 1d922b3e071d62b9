/* mkelfseeds.c — seeds for fuzz_elf in DIR: small valid i386 images in
 * each of its modes (an ET_EXEC with text, data and bss; a static-pie;
 * a program with PT_INTERP followed by its ET_DYN interpreter), each
 * behind fuzz_elf's mode[1] split[2] header.
 *	mkelfseeds DIR */
#include <elf.h>
#include <stdio.h>
#include <string.h>
#include "elfhdr.h"

enum { TEXT = 0x100, DATA = 0x180, END = 0x200 };

/* One image of END bytes at buf: type, base, and an interpreter path
 * (NULL: none). */
static void
image(unsigned char *buf, int type, unsigned base, const char *interp)
{
	static const unsigned char code[] = { 0xb8, 1, 0, 0, 0, 0x31, 0xdb, 0xcd, 0x80 };
	Elf32_Ehdr *eh = (Elf32_Ehdr *)buf;
	Elf32_Phdr *ph = (Elf32_Phdr *)(buf + sizeof *eh);
	int n = 0;

	memset(buf, 0, END);
	if(interp != NULL){
		ph[n].p_type = PT_INTERP;
		ph[n].p_offset = DATA + 0x40;
		ph[n].p_filesz = strlen(interp) + 1;
		strcpy((char *)buf + DATA + 0x40, interp);
		n++;
	}
	ph[n].p_type = PT_LOAD;
	ph[n].p_vaddr = ph[n].p_paddr = base;
	ph[n].p_filesz = ph[n].p_memsz = DATA;
	ph[n].p_flags = PF_R | PF_X;
	ph[n].p_align = 0x1000;
	n++;
	ph[n].p_type = PT_LOAD;
	ph[n].p_offset = DATA;
	ph[n].p_vaddr = ph[n].p_paddr = base + 0x1000 + DATA;
	ph[n].p_filesz = END - DATA;
	ph[n].p_memsz = 0x3000;
	ph[n].p_flags = PF_R | PF_W;
	ph[n].p_align = 0x1000;
	n++;
	ph[n].p_type = PT_GNU_STACK;
	ph[n].p_flags = PF_R | PF_W;
	n++;
	ph[n].p_type = PT_TLS;
	ph[n].p_offset = DATA;
	ph[n].p_vaddr = base + 0x1000 + DATA;
	ph[n].p_filesz = 4;
	ph[n].p_memsz = 8;
	n++;
	elfhdr(eh, type, base + TEXT, n);
	memcpy(buf + TEXT, code, sizeof code);
}

static int
seed(const char *dir, const char *name, int mode, unsigned char *img, int n, int split)
{
	char p[512];
	unsigned char h[3] = { mode, split & 0xff, split >> 8 };
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	if((f = fopen(p, "w")) == NULL)
		return -1;
	fwrite(h, 1, 3, f);
	fwrite(img, 1, n, f);
	return fclose(f);
}

int
main(int argc, char **argv)
{
	unsigned char b[2 * END];
	int r = 0;

	if(argc != 2){
		fprintf(stderr, "usage: mkelfseeds dir\n");
		return 2;
	}
	image(b, ET_EXEC, 0x08048000, NULL);
	r |= seed(argv[1], "exec", 0, b, END, 0);
	r |= seed(argv[1], "execfd", 1, b, END, 0);
	image(b, ET_DYN, 0, NULL);
	r |= seed(argv[1], "pie", 0, b, END, 0);
	image(b, ET_EXEC, 0x08048000, "/lib/ld.so.1");
	image(b + END, ET_DYN, 0, NULL);
	r |= seed(argv[1], "interp", 2, b, 2 * END, END);
	return r != 0;
}
