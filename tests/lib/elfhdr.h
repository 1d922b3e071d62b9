/* elfhdr.h — the ELF header of a hand-built i386 Linux executable, for
 * the loader's tests and fuzz seeds (tests/unit/elf.c, elf_interp.c,
 * tests/fuzz_styx/mkelfseeds.c): its program headers follow it. */
#include <elf.h>
#include <stdint.h>
#include <string.h>

static inline void
elfhdr(Elf32_Ehdr *eh, int type, uint32_t entry, int phnum)
{
	memset(eh, 0, sizeof *eh);
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS32;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = type;
	eh->e_machine = EM_386;
	eh->e_version = EV_CURRENT;
	eh->e_entry = entry;
	eh->e_phoff = sizeof *eh;
	eh->e_ehsize = sizeof *eh;
	eh->e_phentsize = sizeof(Elf32_Phdr);
	eh->e_phnum = phnum;
}
