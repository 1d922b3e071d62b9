#!/bin/sh
# vxinferno_abi.t — what Linux programs check of the system
# (tests/guest_abi.c), the same natively (Linux: qemu-i386 here) and
# under vxinferno: the device numbers of /dev/null, zero, full, random,
# urandom and tty in stat, struct stat and statx, and a stdin that is
# /dev/null (rdev); the flags F_GETFL reports: those open keeps (not
# O_CREAT, O_EXCL, O_TRUNC, O_NOCTTY, O_CLOEXEC; O_SYNC with O_DSYNC,
# O_PATH's few), shared by dup and fork, changed by F_SETFL (getfl);
# statx of a host (#U) file: the host's mask for what was asked and
# its birth time; of a pipe and a kernel device: the basic fields
# (statx, statxdev); STATX_MNT_ID as mountinfo's id (mntid); the
# sender in a siginfo: kill's and tgkill's pid,
# uid and code, a child's exit, alarm's (siginfo); getlogin's error as
# the host's login uid says, setpgid of a child before and after its
# execve (misc, execpgid); the faults of the system instructions a
# process may run (sysfault); the zero bytes above AT_EXECFN's string at
# the stack's top (stacktop); the register forms of sgdt and sidt (sysud).
cd "$(dirname "$0")/.." || exit 1
. tests/vxinferno/lib.sh
per_engine "$0"	# once per engine (tests/lib/engines.sh)
need_vx
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxinferno_abi.t.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
R=$tmp/root
mkroot "$R" guest_abi

# abi MODE [ARGS]: MODE's output natively into $tmp/MODE.native, as a guest into $tmp/MODE.guest
abi() {
	m=$1
	shift
	(cd "$R" && refrun ./bin/guest_abi "$m" "$@"; echo "status $?") >"$tmp/$m.native" 2>&1
	timeout 60 $VX -r "$R" guest_abi "$m" "$@" >"$tmp/$m.guest" 2>&1
	echo "status $?" >>"$tmp/$m.guest"
}

echo text >"$R/tmp/in"
abi rdev </dev/null
same "device numbers: /dev/null 1:3 and its kin, tty 5:0; stdin from /dev/null is /dev/null" "$tmp/rdev.native" "$tmp/rdev.guest"
grep -q '^/dev/null: char 1 rdev 1:3, struct stat.s 1:3, statx.s 1:3$' "$tmp/rdev.guest" && grep -q '^stdin is /dev/null: 1$' "$tmp/rdev.guest"
okrc $? "stat, struct stat and statx say 1:3 for /dev/null; fstat(0) of a host /dev/null too"
abi rdev <"$R/tmp/in"
same "device numbers, stdin a file: not /dev/null" "$tmp/rdev.native" "$tmp/rdev.guest"
(cd "$R/tmp" && refrun ../bin/guest_abi getfl; echo "status $?") >"$tmp/getfl.native" 2>&1
timeout 60 $VX -r "$R" sh -c 'cd /tmp && exec guest_abi getfl' >"$tmp/getfl.guest" 2>&1
echo "status $?" >>"$tmp/getfl.guest"
same "F_GETFL: open's flags kept as Linux's f_flags; dup, fork, F_SETFL; pipes, sockets, epoll, eventfd" "$tmp/getfl.native" "$tmp/getfl.guest"
grep -q '^O_DIRECTORY: O_RDONLY O_DIRECTORY$' "$tmp/getfl.guest" && grep -q '^O_SYNC: O_WRONLY O_DSYNC __O_SYNC$' "$tmp/getfl.guest" &&
	grep -q '^in a forked child: O_RDONLY O_DIRECTORY O_NOFOLLOW$' "$tmp/getfl.guest"
okrc $? "F_GETFL reports O_DIRECTORY, O_SYNC, and a forked child sees O_NOFOLLOW"
# O_LARGEFILE as passed (Linux's compat open does not add it; qemu-i386
# always reports it: the sandbox alone)
timeout 60 $VX -r "$R" sh -c 'cd /tmp && exec guest_abi largefile' >"$tmp/out" 2>&1
echo 'O_LARGEFILE without it: 0, with it: 1' | cmp -s - "$tmp/out"
okrc $? "F_GETFL: O_LARGEFILE only where the program opened with it"
# one host file, stat'd by the reference and the guest: the same birth time
echo hello >"$R/tmp/bt"
abi statx tmp/bt
same "statx of a #U file: the host's stx_mask for each request mask, its birth time; a pipe's" "$tmp/statx.native" "$tmp/statx.guest"
bt=$(stat -c %W "$R/tmp/bt" 2>/dev/null)
if [ -n "$bt" ] && [ "$bt" != 0 ] && [ "$bt" != - ]; then
	grep -q "^basic stats and btime asked: mask 0xfff btime $bt\\." "$tmp/statx.guest" &&
		grep -q "^AT_SYMLINK_NOFOLLOW, btime asked: mask 0xfff btime $bt\\." "$tmp/statx.guest"
	okrc $? "statx with STATX_BTIME gives the host file's birth time, with AT_SYMLINK_NOFOLLOW too (stat %W: $bt)"
else
	skip "statx with STATX_BTIME gives the host file's birth time" "the host's file system keeps none"
fi
timeout 60 $VX -r "$R" guest_abi statxdev >"$tmp/out" 2>&1
printf '%s\n' '/dev/null: mask 0x7ff size 0 mode 20666' '/proc/self/stat: mask 0x7ff size 0 mode 100444' >"$tmp/want"
same "statx of kernel devices' files: STATX_BASIC_STATS, no birth time" "$tmp/want" "$tmp/out"
# STATX_MNT_ID: the id of mountinfo's line for the mount a file is
# under (by absolute and relative path, by fd, at and below mount points
# of kernel devices and of the #U tree).  Under vxinferno only: qemu-i386
# sets the mask bit but copies no stx_mnt_id (0).
timeout 60 $VX -r "$R" guest_abi mntid >"$tmp/out" 2>&1
n=$(grep -c ': mask has STATX_MNT_ID, mount \(/[^ ]*\), holds it \1: the same$' "$tmp/out")
[ "$n" = 9 ]
rc=$?
okrc $rc "statx's STATX_MNT_ID names the mountinfo line of the mount holding the file (9 cases; was not filled)"
[ $rc = 0 ] || sed 's/^/# /' "$tmp/out"
abi siginfo
same "siginfo of kill, tkill, tgkill, a child's kill and exit, alarm: si_code, si_pid, si_uid, si_status (rt_sigtimedwait, SA_SIGINFO)" "$tmp/siginfo.native" "$tmp/siginfo.guest"
grep -q "^kill from a child: User defined signal 1 code SI_USER pid the child's uid ours$" "$tmp/siginfo.guest" &&
	grep -q '^tgkill, rt_sigtimedwait by number: User defined signal 2 code SI_TKILL pid ours uid ours$' "$tmp/siginfo.guest"
okrc $? "a kill from a child names the child; tgkill is SI_TKILL with our pid"
abi misc
same "getlogin's error (/proc/self/loginuid, the host's), setpgid of a child before its execve" "$tmp/misc.native" "$tmp/misc.guest"
if [ "$(cat /proc/self/loginuid 2>/dev/null)" = 4294967295 ]; then
	grep -q '^getlogin: No such device or address$' "$tmp/misc.guest"
	okrc $? "getlogin with no login uid set: ENXIO (was ENOTTY: no /proc/self/loginuid)"
else
	skip "getlogin with no login uid set: ENXIO" "the host has a login uid"
fi
# setpgid(2): EACCES for a child that has made an execve (the sandbox
# alone: qemu-i386 cannot exec an i386 program without binfmt_misc)
timeout 60 $VX -r "$R" guest_abi execpgid >"$tmp/out" 2>&1
printf '%s\n' 'setpgid of a child after its execve: Permission denied, its group ours: 1' '  into our own group: Permission denied' >"$tmp/want"
same "setpgid of a child after its execve: EACCES, its group unchanged" "$tmp/want" "$tmp/out"
# wanttext MODE NAME NATIVENAME: MODE's output as a guest must be
# $tmp/MODE.want, and natively too where the reference is this CPU
wanttext() {
	timeout 60 $VX -r "$R" guest_abi "$1" >"$tmp/$1.guest" 2>&1
	same "$2" "$tmp/$1.want" "$tmp/$1.guest"
	if [ "$REF" = native ]; then
		(cd "$R" && refrun ./bin/guest_abi "$1") >"$tmp/$1.native" 2>&1
		same "$3" "$tmp/$1.want" "$tmp/$1.native"
	else
		skip "$3" "the reference is not the CPU"
	fi
}
# sysfault: the system instructions' faults as Linux gives them (here,
# on a CPU with UMIP; qemu-i386 differs, so the text is Linux's, kept):
# a store to or a selector read from an unmapped page is SEGV_MAPERR at
# the operand; lldt, ltr, lmsw, lgdt are #GP, SI_KERNEL.  Until session
# 22 sgdt, smsw, str, lsl, verr were all SI_KERNEL with no address.
cat >"$tmp/sysfault.want" <<'EOF'
sgdt: signal 11 code 0x1, at the operand: 1
smsw: signal 11 code 0x1, at the operand: 1
str: signal 11 code 0x1, at the operand: 1
lsl: signal 11 code 0x1, at the operand: 1
verr: signal 11 code 0x1, at the operand: 1
lldt: signal 11 code 0x80, at the operand: 0
ltr: signal 11 code 0x80, at the operand: 0
lmsw: signal 11 code 0x80, at the operand: 0
lgdt: signal 11 code 0x80, at the operand: 0
EOF
wanttext sysfault "sgdt, smsw, str to an unmapped page and lsl, verr from one: SIGSEGV SEGV_MAPERR at the operand; lldt, ltr, lmsw, lgdt: SIGSEGV SI_KERNEL" \
	"the system instructions' faults: the text is what the CPU here gives natively"
# stacktop: a zero pointer above the strings, as a 64-bit Linux leaves it;
# without it glibc's GLIBC_TUNABLES=glibc.cpu.hwcaps=... parser faulted
echo "after AT_EXECFN: 0 0 0 0, 8 bytes to the stack's end" >"$tmp/stacktop.want"
wanttext stacktop "the stack's top: 8 zero bytes above AT_EXECFN's string" "the stack's top: the same natively"
# sysud: sgdt and sidt have no register form; 0f 01 c0-cf (vmx's,
# monitor, mwait, clac, stac, encls) are #UD in user mode, SIGILL
# ILL_ILLOPN at the instruction (until session 23 SIGSEGV SI_KERNEL).
# vmcall (c1) is left out: under KVM this host's CPU gives SIGSEGV.
for b in c0 c2 c3 c4 c5 c6 c7 c8 c9 ca cb cc cd ce cf; do
	echo "0f 01 $b: signal 4 code 0x2, at the instruction: 1"
done >"$tmp/sysud.want"
wanttext sysud "sgdt/sidt register forms (0f 01 c0-cf but vmcall): SIGILL ILL_ILLOPN at the instruction" \
	"sgdt/sidt register forms: the text is what the CPU here gives natively"
# tlsall: set_thread_area with every flag byte and limits at the edges
# of 20 bits, then get_thread_area, lar and lsl of the slot, as natively
# (qemu's lar and lsl are not the CPU's: no reference there)
if [ "$REF" = native ]; then
	abi tlsall
	same "set_thread_area of every flag byte and edge limit: its answer, get_thread_area, lar, lsl as natively" "$tmp/tlsall.native" "$tmp/tlsall.guest"
else
	skip "set_thread_area of every flag byte and edge limit" "the reference is not the CPU"
fi
# sysud2: 0f 01 d0-ff (xgetbv, xsetbv, vmfunc, xend, xtest, enclu, SVM,
# smsw and lmsw of a register, serialize, CET and UINTR forms, rdpkru,
# wrpkru, swapgs, rdtscp, monitorx, mwaitx, clzero, rdpru, invlpgb,
# tlbsync) as the CPU here runs them natively (until session 24 most
# #UD ones were SIGSEGV, and clzero, which cpuid offers, was SIGSEGV)
if [ "$REF" = native ]; then
	abi sysud2
	same "0f 01 d0-ff (but vmmcall and smsw %esp): the signal, where, and what ran left, as natively" "$tmp/sysud2.native" "$tmp/sysud2.guest"
else
	skip "0f 01 d0-ff as natively" "the reference is not the CPU"
fi
# tlsclearmt: set_thread_area's clearing form in a thread, a forked
# child and a signal handler while %fs holds the slot elsewhere.  qemu's
# TLS slots are one table for all threads, its child keeps a cleared
# slot in %fs, and it can die at the end (rcu_read_unlock's assertion):
# there Linux's output, recorded (tests/data/abi/README)
abiref() { (cd "$R" && refrun ./bin/guest_abi "$1"; echo "status $?"); }
refout "$tmp/tlsclearmt.native" tests/data/abi/tlsclearmt.out abiref tlsclearmt
timeout 60 $VX -r "$R" guest_abi tlsclearmt >"$tmp/tlsclearmt.guest" 2>&1
echo "status $?" >>"$tmp/tlsclearmt.guest"
same "set_thread_area's clearing form empties the caller's slot only (another thread's, a child's clear leave %fs working); a handler's leaves %fs 0 after sigreturn" "$tmp/tlsclearmt.native" "$tmp/tlsclearmt.guest"
# clzeromem: clzero's guest-supplied line (unaligned, a page's last,
# read-only, unmapped, below 4 GiB, null) and clzero over translated code
if [ "$REF" = native ] && grep -qw clzero /proc/cpuinfo; then
	abi clzeromem
	same "clzero: the line of any address, SIGSEGV at the line for read-only, unmapped, the last below 4 GiB and null, a zeroed code line runs as zeros" "$tmp/clzeromem.native" "$tmp/clzeromem.guest"
else
	skip "clzero's memory operand as natively" "the reference is not this CPU, or it has no clzero"
fi
# nosys: -t names every call vxrun does not serve, by its name where
# i386 has one ([not served]), else syscall_N; each is ENOSYS
timeout 60 $VX -t -r "$R" guest_abi nosys >"$tmp/nosys.out" 2>"$tmp/nosys.trace"
grep -c ': -1 Function not implemented$' "$tmp/nosys.out" | grep -qx 4 &&
	grep -q '^\[[0-9]*\] syscall_222(0x1, 0x2, 0x3.* = -1 ENOSYS' "$tmp/nosys.trace" &&
	grep -q '^\[[0-9]*\] syscall_251(0x1, 0x2, 0x3.* = -1 ENOSYS' "$tmp/nosys.trace" &&
	grep -q '^\[[0-9]*\] lookup_dcookie(0x1, 0x2, 0x3.* \[not served\] = -1 ENOSYS' "$tmp/nosys.trace" &&
	grep -q '^\[[0-9]*\] syscall_1000(0x1, 0x2, 0x3.* = -1 ENOSYS' "$tmp/nosys.trace"
okrc $? "-t names each unserved call (syscall_N, or its name and [not served]) with its arguments and ENOSYS"
# tlsempty: set_thread_area's clearing forms (LDT_empty's, zeros) empty
# the slot (EINVAL until session 24), the forms near them do not
if [ "$REF" = native ]; then
	abi tlsempty
	same "set_thread_area with Linux's empty descriptor or zeros clears the slot (get_thread_area, lar, %fs, a new -1 finds it); near forms EINVAL" "$tmp/tlsempty.native" "$tmp/tlsempty.guest"
else
	skip "set_thread_area's clearing forms" "the reference is not the CPU"
fi
# tests/guest/sysinsn.c (diff.t runs it under vxhost) through vxrun's
# set_thread_area and get_thread_area: TLS descriptors with their
# granularity, useable, read-only and expand-down flags as lar, lsl,
# verr, verw and get_thread_area show them (a page-granular limit under
# 1 MiB read as bytes until session 23)
if [ -x build/guest/sysinsn.O2 ]; then
	cp build/guest/sysinsn.O2 "$R/bin/sysinsn"
	# qemu's differ (no UMIP): there the CPU's, recorded (tests/data/record.sh)
	sysinsnref() { (cd "$R" && refrun ./bin/sysinsn); }
	refout "$tmp/sysinsn.native" tests/data/diff/sysinsn.O2.out sysinsnref
	timeout 60 $VX -r "$R" sysinsn >"$tmp/sysinsn.guest" 2>&1
	same "system instructions and set_thread_area's descriptors through vxrun: lar, lsl, verr, verw, get_thread_area" "$tmp/sysinsn.native" "$tmp/sysinsn.guest"
else
	skip "system instructions and set_thread_area's descriptors through vxrun: lar, lsl, verr, verw, get_thread_area" "build/guest/sysinsn.O2 not built"
fi
finish
