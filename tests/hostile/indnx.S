# indnx.S — hostile guest: retnx.S with jmp *%eax for the ret.  A warm
# long-engine Vx sends an indirect jmp through the return table
# (doc/translator.md); after the target's entry was filled (three jumps
# there) the page is made non-executable, and the jump must fault at its
# target, not run the translation the entry led to.
# Expected under vxhost: PAGEFAULT at 0x20000000, addr 0x20000000
#define INDIRECT 1
#include "retnx.S"
