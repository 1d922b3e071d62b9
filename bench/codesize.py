#!/usr/bin/env python3
# codesize.py /tmp/perf-PID GUEST-ELF [LO HI]: what the translation makes
# of a guest program's code, from a VXPERFMAP=2 run (perf-PID.map, .code,
# .insn) and the guest binary (objdump -d; a non-PIE one, or LO and HI,
# hex, the guest addresses its text was loaded at, with the ELF's own
# addresses taken as LO's offset 0).  Prints the live fragments' host
# bytes split into exit stubs, indirect-entry checks and the rest, and
# the rest by guest opcode: guest bytes, host bytes, how many times
# larger.  doc/bench.md, "Large, branchy code", has cc1's.
import bisect
import collections
import re
import subprocess
import sys

if len(sys.argv) not in (3, 5):
	sys.exit("usage: codesize.py /tmp/perf-PID GUEST-ELF [LO HI]")
base, elf = sys.argv[1], sys.argv[2]
dis = subprocess.run(["objdump", "-d", "--no-show-raw-insn", elf], capture_output=True, text=True, check=True).stdout
insn = []
for l in dis.splitlines():
	m = re.match(r"\s*([0-9a-f]+):\t(\S+)(?:\s+(\S.*))?", l)
	if m:
		op, args = m.group(2), m.group(3) or ""
		if op in ("rep", "repz", "repnz", "lock", "data16", "addr32", "notrack") and args:
			op += "_" + args.split()[0]
		insn.append((int(m.group(1), 16), op + (".m" if "(" in args else ".r")))
if len(sys.argv) == 5:
	lo, hi = int(sys.argv[3], 16), int(sys.argv[4], 16)
	off = lo
else:
	lo, hi, off = insn[0][0], insn[-1][0] + 16, 0
ops = {}
for i in range(len(insn) - 1):
	ops[insn[i][0] + off] = (insn[i][1], insn[i + 1][0] - insn[i][0])

frags = []
for l in open(base + ".map"):
	h, s, g = l.split()
	frags.append((int(h, 16), int(h, 16) + int(s, 16), int(g[3:11], 16)))
frags.sort()
starts = [f[0] for f in frags]
ent = []
for l in open(base + ".insn"):
	h, g, k = l.split()
	ent.append((int(h, 16), int(g, 16), int(k)))
ent.sort()

M_INSN, M_INNER, M_STUB, M_IENTRY, M_TAIL = range(5)
agg = collections.defaultdict(lambda: [0, 0, 0])
kinds = collections.Counter()
seen = set()
for i, (h, g, k) in enumerate(ent):
	f = frags[bisect.bisect_right(starts, h) - 1]
	if not lo <= f[2] < hi:
		continue
	j = i + 1
	while j < len(ent) and ent[j][2] == M_INNER:
		j += 1
	size = min(ent[j][0] if j < len(ent) else f[1], f[1]) - h
	if k in (M_STUB, M_IENTRY):
		kinds[k] += size
	elif k in (M_INSN, M_TAIL):
		op, glen = ops.get(g, ("?", 0))
		a = agg[op]
		a[0] += 1
		a[1] += glen
		a[2] += size
		kinds[M_INSN] += size
		seen.add(g)
tot = [sum(v[i] for v in agg.values()) for i in range(3)]
print("fragments' host bytes: %d instructions, %d exit stubs, %d indirect-entry checks"
	% (kinds[M_INSN], kinds[M_STUB], kinds[M_IENTRY]))
print("guest instructions: %d translated, %d distinct, %d guest bytes -> %d host bytes (x%.2f)"
	% (tot[0], len(seen), tot[1], tot[2], tot[2] / max(tot[1], 1)))
print("%-14s %8s %9s %9s %6s %7s" % ("opcode", "count", "guest", "host", "x", "extra"))
for op, (c, gb, hb) in sorted(agg.items(), key=lambda kv: kv[1][1] - kv[1][2])[:20]:
	print("%-14s %8d %9d %9d %6.2f %6.1f%%" % (op, c, gb, hb, hb / max(gb, 1), 100.0 * (hb - gb) / max(tot[2] - tot[1], 1)))
