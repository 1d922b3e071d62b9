/*
 * segedge.c — what the first and last pages of the program's segments
 * hold around them: Linux maps the file's pages, so the bytes before a
 * segment in its first page and after it in its last are the file's
 * (the end of the segment before, padding), but where bss starts
 * mid-page, whose rest is zero.  Prints, for each PT_LOAD, a checksum of
 * the bytes before it in its first page and, without bss, of those after
 * its file data in its last (the sandbox zeroed both until session 22).
 */
#define _GNU_SOURCE
#include <link.h>
#include <stdint.h>
#include <stdio.h>

enum { PG = 4096 };

static uint32_t
sum(const uint8_t *p, uint32_t n)
{
	uint32_t s = 0;

	while(n-- > 0)
		s = s * 31 + *p++;
	return s;
}

static int
each(struct dl_phdr_info *info, size_t size, void *arg)
{
	const ElfW(Phdr) *ph;
	uintptr_t va, end, tail;
	int i, k = 0;

	(void)size;
	if(*(int *)arg)
		return 0;	/* the program only, not the vDSO */
	*(int *)arg = 1;
	for(i = 0; i < info->dlpi_phnum; i++){
		ph = &info->dlpi_phdr[i];
		if(ph->p_type != PT_LOAD || !(ph->p_flags & PF_R))
			continue;
		va = info->dlpi_addr + ph->p_vaddr;
		end = va + ph->p_filesz;
		tail = (end + PG - 1) & ~(uintptr_t)(PG - 1);
		printf("segment %d (%c%c%c): %u bytes before, sum %08x; ", k++,
			ph->p_flags & PF_R ? 'r' : '-', ph->p_flags & PF_W ? 'w' : '-', ph->p_flags & PF_X ? 'x' : '-',
			(unsigned)(va & (PG - 1)), (unsigned)sum((const uint8_t *)(va & ~(uintptr_t)(PG - 1)), va & (PG - 1)));
		if(ph->p_memsz > ph->p_filesz)
			printf("bss after\n");	/* libc's start has written it */
		else
			printf("%u bytes after, sum %08x\n", (unsigned)(tail - end), (unsigned)sum((const uint8_t *)end, tail - end));
	}
	return 0;
}

int
main(void)
{
	int done = 0;

	dl_iterate_phdr(each, &done);
	return 0;
}
