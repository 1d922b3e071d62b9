# $Vxrun: unmodified Linux i386 programs run confined inside the
# emulator, their system calls served by its kernel (see vxrun(2) in
# man/1/vxinferno and the vxinferno kit's README).
Vxrun: module
{
	PATH:	con "$Vxrun";

	# Run argv (hd argv: a namespace path, or a name looked up in
	# /vx/bin then /bin) with mb MiB of guest memory (0: 256) and wait
	# for it.  The guest gets a copy of the caller's fd table (its fds
	# 0, 1 and 2 are the caller's), the caller's namespace and a copy
	# of its environment.  Returns the exit status (0-255, 128+signal
	# when a signal ended it), or -1 with the error string set.  If
	# the calling thread is killed the guest is killed.
	run:	fn(argv: list of string, mb: int): int;

	# The same, without waiting: returns the guest's pid, or -1.
	start:	fn(argv: list of string, mb: int): int;

	# Wait for a guest started by start: its status as run returns
	# it, or -1 (no such guest).  Killing the waiting thread kills
	# the guest.
	wait:	fn(pid: int): int;

	# Kill a guest and the processes it started (SIGKILL): 0, or -1.
	kill:	fn(pid: int): int;

	# The sandbox engine guests get on this host ("compat", "long"),
	# or nil if it runs none.
	engine:	fn(): string;
};
