#!/usr/bin/env python3
# bigcode.py MODE N > prog.c: a guest program whose hot code is large and
# branchy, to separate the translated code's footprint from its other
# costs (doc/bench.md, "Large, branchy code").  N functions of ten
# data-dependent ifs each (about 490 bytes of i386 code), run for argv[1]
# iterations, each calling one of them chosen by a hash:
#   ptr   through a table of function pointers (an indirect call, a ret)
#   sw    a switch of direct calls (a jump table, a call, a ret)
#   tree  a binary tree of ifs down to direct calls (no indirect jump)
#   pad   ptr, with 45 bytes of executed multi-byte nops before each if
#         (native code with about the translation's footprint)
# Build it in the i386 root (gcc -O2; N = 4096 takes minutes to compile)
# and time it natively and in vxinferno with bench/host/abtime.
import random
import sys

mode, n = sys.argv[1], int(sys.argv[2])
if mode not in ("ptr", "sw", "tree", "pad"):
	sys.exit("usage: bigcode.py ptr|sw|tree|pad N")
r = random.Random(n)

def body():
	s = []
	for _ in range(10):
		if mode == "pad":
			s.append('__asm__ volatile(".nops 45");')
		a, b, c = r.randrange(1, 1 << 30) | 1, r.randrange(1 << 30), r.randrange(1 << 30)
		s.append("if((x>>%d)&1) x = x*%du + %du; else x ^= (x>>%d) + %du;"
			% (r.randrange(32), a, b, r.randrange(1, 31), c))
	return "\n".join(s)

def tree(lo, hi):
	if hi - lo == 1:
		return "x = f%d(x + k);" % lo
	mid = (lo + hi) // 2
	return "if(k < %d){ %s } else { %s }" % (mid, tree(lo, mid), tree(mid, hi))

out = ["#include <stdio.h>", "#include <stdlib.h>", "typedef unsigned u;"]
for i in range(n):
	out.append("__attribute__((noinline)) u f%d(u x){\n%s\nreturn x;}" % (i, body()))
if mode in ("ptr", "pad"):
	out.append("u (*tab[%d])(u) = {%s};" % (n, ",".join("f%d" % i for i in range(n))))
out.append("int main(int argc, char **argv){ u x = 1, s = 0; long it = argc > 1 ? atol(argv[1]) : 1000000;")
out.append("for(long j = 0; j < it; j++){ u h = s * 2654435761u + (u)j; h ^= h >> 15; u k = h %% %du;" % n)
if mode == "tree":
	out.append(tree(0, n))
elif mode == "sw":
	out.append("switch(k){")
	out += ["case %d: x = f%d(x + k); break;" % (i, i) for i in range(n)]
	out.append("}")
else:
	out.append("x = tab[k](x + k);")
out.append("s += x; }")
out.append('printf("%u\\n", s); return 0; }')
print("\n".join(out))
