implement Vxcheck;

#
# vxcheck: checks of $Vxrun that need Limbo threads (inferno/check.sh).
#	vxcheck par n [mb]	n guests (mb MiB each) at once from n Dis threads, while a Limbo
#			thread keeps running: each guest waits until every
#			other guest and the Limbo thread have shown up in
#			/tmp/vxcheck/par, so none can finish unless all run
#			together.
#	vxcheck engine	the sandbox engine guests get
#	vxcheck kill	a spinning guest; its thread is killed through
#			/prog/N/ctl; prints how long the thread took to go.
#	vxcheck net	tcp through Inferno's /net both ways between Limbo
#			and busybox nc, and nc in a namespace without /net.
#	vxcheck errors	what $Vxrun's functions say of bad arguments.
#	vxcheck killroot dir	vxinferno -r dir running a Debian python3
#			with threads and a child, in a thread that is killed;
#			prints emu's host threads running guests before,
#			during and after.
#

include "sys.m";
	sys: Sys;

include "draw.m";

include "vxrun.m";
	vxrun: Vxrun;

Vxcheck: module
{
	init:	fn(ctxt: ref Draw->Context, argv: list of string);
};

Command: module
{
	init:	fn(ctxt: ref Draw->Context, argv: list of string);
};

Dir: con "/tmp/vxcheck";
guestmb := 160;		# busybox needs 136 MiB

init(nil: ref Draw->Context, argv: list of string)
{
	sys = load Sys Sys->PATH;
	vxrun = load Vxrun Vxrun->PATH;
	if(vxrun == nil)
		fail(sys->sprint("cannot load %s: %r", Vxrun->PATH));
	argv = tl argv;
	if(argv == nil)
		fail("usage: vxcheck par n [mb] | kill | net | errors | killroot dir | engine");
	case hd argv {
	"par" =>
		if(len argv == 3)
			guestmb = int hd tl tl argv;
		else if(len argv != 2)
			fail("usage: vxcheck par n [mb]");
		par(int hd tl argv);
	"kill" =>
		kill();
	"net" =>
		net();
	"errors" =>
		errors();
	"killroot" =>
		if(len argv != 2)
			fail("usage: vxcheck killroot dir");
		killroot(hd tl argv);
	"engine" =>
		e := vxrun->engine();
		if(e == nil)
			e = "none";
		sys->print("engine %s\n", e);
	* =>
		fail("usage: vxcheck par n [mb] | kill | net | errors | killroot dir | engine");
	}
}

fail(s: string)
{
	sys->fprint(sys->fildes(2), "vxcheck: %s\n", s);
	raise "fail:" + s;
}

par(n: int)
{
	sys->create(Dir, Sys->OREAD, Sys->DMDIR|8r777);
	sys->create(Dir+"/par", Sys->OREAD, Sys->DMDIR|8r777);
	want := string (n+1);
	done := chan of (int, int);
	ticks := chan of int;
	stop := chan of int;
	spawn ticker(stop, ticks);
	for(i := 0; i < n; i++){
		# a failed fork must fail the guest, not end its wait
		script := "touch " + Dir + "/par/g" + string i + " || exit 8; k=0; " +
			"while :; do c=$(ls " + Dir + "/par | wc -l) || exit 7; " +
			"[ -n \"$c\" ] || exit 6; [ $c -ge " + want + " ] && exit 0; " +
			"sleep 0.05; k=$((k+1)); [ $k -gt 600 ] && exit 9; done";
		spawn guest(i, "sh" :: "-c" :: script :: nil, done);
	}
	bad := 0;
	for(i = 0; i < n; i++){
		(g, st) := <-done;
		if(st != 0){
			sys->print("par: guest %d: status %d\n", g, st);
			bad++;
		}
	}
	stop <-= 1;
	t := <-ticks;
	sys->print("par: %d guests, %d failed; the Limbo thread ticked %d times meanwhile\n", n, bad, t);
	if(bad)
		raise "fail:par";
}

guest(i: int, argv: list of string, done: chan of (int, int))
{
	st := vxrun->run(argv, guestmb);
	if(st < 0)
		sys->print("par: guest %d: %r\n", i);
	done <-= (i, st);
}

ticker(stop, ticks: chan of int)
{
	n := 0;
	for(;;) alt {
	<-stop =>
		ticks <-= n;
		return;
	* =>
		n++;
		if(n == 5)
			sys->create(Dir+"/par/limbo", Sys->OWRITE, 8r666);
		sys->sleep(10);
	}
}

kill()
{
	sys->create(Dir, Sys->OREAD, Sys->DMDIR|8r777);
	sys->remove(Dir+"/spinning");
	pidc := chan of int;
	spawn spinner(pidc);
	pid := <-pidc;
	for(i := 0; sys->open(Dir+"/spinning", Sys->OREAD) == nil; i++){
		if(i > 500)
			fail("the spinning guest did not start");
		sys->sleep(10);
	}
	sys->sleep(200);
	ctl := sys->open("/prog/"+string pid+"/ctl", Sys->OWRITE);
	if(ctl == nil)
		fail(sys->sprint("open /prog/%d/ctl: %r", pid));
	t0 := sys->millisec();
	if(sys->fprint(ctl, "kill") < 0)
		fail(sys->sprint("kill: %r"));
	while(sys->open("/prog/"+string pid+"/status", Sys->OREAD) != nil){
		if(sys->millisec() - t0 > 10000)
			fail("the killed thread did not end in 10 s");
		sys->sleep(5);
	}
	sys->print("kill: the thread of the spinning guest ended %d ms after the kill\n", sys->millisec() - t0);
}

spinner(pidc: chan of int)
{
	pidc <-= sys->pctl(0, nil);
	vxrun->run("sh" :: "-c" :: "echo > " + Dir + "/spinning; while :; do :; done" :: nil, 0);
	sys->print("kill: run returned in a killed thread\n");
}

# The port of a conversation's local address (addr!port).
localport(dir: string): string
{
	fd := sys->open(dir+"/local", Sys->OREAD);
	if(fd == nil)
		fail(sys->sprint("open %s/local: %r", dir));
	buf := array[128] of byte;
	n := sys->read(fd, buf, len buf);
	if(n <= 0)
		fail(sys->sprint("read %s/local: %r", dir));
	(nil, l) := sys->tokenize(string buf[0:n], "!\n");
	if(len l != 2)
		fail("local address " + string buf[0:n]);
	return hd tl l;
}

readline(fd: ref Sys->FD): string
{
	s := "";
	b := array[1] of byte;
	while(sys->read(fd, b, 1) == 1 && b[0] != byte '\n')
		s[len s] = int b[0];
	return s;
}

net()
{
	# Limbo announces, the guest dials: each side sends a line
	(ok, c) := sys->announce("tcp!127.0.0.1!0");
	if(ok < 0)
		fail(sys->sprint("announce: %r"));
	port := localport(c.dir);
	got := chan[1] of string;	# the server ends, closing, before run returns
	spawn netserve(c, got);
	st := vxrun->run("sh" :: "-c" :: "echo hello from the guest | nc 127.0.0.1 " + port :: nil, 0);
	sys->print("net: the Limbo server got \"%s\"; nc's status %d\n", <-got, st);

	# the guest listens (bind and listen), Limbo dials
	(ok, c) = sys->announce("tcp!127.0.0.1!0");
	if(ok < 0)
		fail(sys->sprint("announce: %r"));
	port = localport(c.dir);
	c = (nil, nil, nil);	# a free port, for the guest
	pid := vxrun->start("sh" :: "-c" :: "echo hello from the guest server | nc -l -p " + port + " 127.0.0.1" :: nil, 0);
	if(pid < 0)
		fail(sys->sprint("start: %r"));
	for(i := 0; ; i++){
		(ok, c) = sys->dial("tcp!127.0.0.1!" + port, nil);
		if(ok >= 0)
			break;
		if(i > 1000){
			vxrun->kill(pid);
			fail(sys->sprint("dial the guest: %r"));
		}
		sys->sleep(10);
	}
	line := readline(c.dfd);
	sys->fprint(c.dfd, "hello from limbo\n");
	c = (nil, nil, nil);
	sys->print("net: Limbo read \"%s\" from the guest server; its status %d\n", line, vxrun->wait(pid));

	# no /net, no network
	sys->pctl(Sys->FORKNS, nil);
	if(sys->unmount(nil, "/net") < 0)
		fail(sys->sprint("unmount /net: %r"));
	st = vxrun->run("nc" :: "127.0.0.1" :: port :: nil, 0);
	sys->print("net: without /net nc's status %d\n", st);
}

netserve(c: Sys->Connection, got: chan of string)
{
	(ok, nc) := sys->listen(c);
	if(ok < 0){
		got <-= sys->sprint("listen: %r");
		return;
	}
	fd := sys->open(nc.dir+"/data", Sys->ORDWR);
	if(fd == nil){
		got <-= sys->sprint("open data: %r");
		return;
	}
	sys->fprint(fd, "hello from limbo\n");
	got <-= readline(fd);
}

errors()
{
	sys->print("errors: run(nil, 0): %d %r\n", vxrun->run(nil, 0));
	sys->print("errors: run(ls, -1): %d %r\n", vxrun->run("ls" :: nil, -1));
	sys->print("errors: run(ls, 4096): %d %r\n", vxrun->run("ls" :: nil, 4096));
	sys->print("errors: run(nosuchprog): %d %r\n", vxrun->run("nosuchprog" :: nil, 0));
	sys->print("errors: run(/tmp/vxcheck/nosuch/prog): %d %r\n", vxrun->run("/tmp/vxcheck/nosuch/prog" :: nil, 0));
	sys->print("errors: run(/dis/sh.dis): %d %r\n", vxrun->run("/dis/sh.dis" :: nil, 0));
	sys->print("errors: run(/dis): %d %r\n", vxrun->run("/dis" :: nil, 0));
	sys->print("errors: start(nosuchprog): %d %r\n", vxrun->start("nosuchprog" :: nil, 0));
	sys->print("errors: wait(-1): %d %r\n", vxrun->wait(-1));
	sys->print("errors: wait(999999): %d %r\n", vxrun->wait(999999));
	sys->print("errors: kill(999999): %d %r\n", vxrun->kill(999999));
	pid := vxrun->start("true" :: nil, 0);
	st := vxrun->wait(pid);
	again := vxrun->wait(pid);
	e := sys->sprint("%r");
	if(e == "no guest " + string pid)
		e = "no guest PID";
	sys->print("errors: start(true) then wait: %d; wait again: %d %s\n", st, again, e);
}

# Host threads of the emulator that run guests (kif_emu.c names them):
# the entries of its /proc/self/task whose comm is vxguest.
guestthreads(): int
{
	fd := sys->open("#U*/proc/self/task", Sys->OREAD);
	if(fd == nil)
		fail(sys->sprint("open #U*/proc/self/task: %r"));
	n := 0;
	buf := array[32] of byte;
	for(;;){
		(k, d) := sys->dirread(fd);
		if(k <= 0)
			break;
		for(i := 0; i < k; i++){
			cfd := sys->open("#U*/proc/self/task/"+d[i].name+"/comm", Sys->OREAD);
			if(cfd != nil && (r := sys->read(cfd, buf, len buf)) > 0 && string buf[0:r] == "vxguest\n")
				n++;
		}
	}
	return n;
}

killroot(dir: string)
{
	vxinferno := load Command "/dis/vxinferno.dis";
	if(vxinferno == nil)
		fail(sys->sprint("load /dis/vxinferno.dis: %r"));
	before := guestthreads();
	p := array[2] of ref Sys->FD;
	if(sys->pipe(p) < 0)
		fail(sys->sprint("pipe: %r"));
	pidc := chan of int;
	script := "import threading, subprocess, sys\n" +
		"def spin():\n\twhile True: pass\n" +
		"for i in range(3): threading.Thread(target=spin, daemon=True).start()\n" +
		"subprocess.Popen(['sleep', '1000'])\n" +
		"print('started', flush=True)\n" +
		"spin()\n";
	spawn runner(vxinferno, p[1], "vxinferno" :: "-r" :: dir :: "python3" :: "-c" :: script :: nil, pidc);
	pid := <-pidc;
	p[1] = nil;
	line := readline(p[0]);
	if(line != "started")
		fail("the guest said \"" + line + "\"");
	during := guestthreads();
	ctl := sys->open("/prog/"+string pid+"/ctl", Sys->OWRITE);
	if(ctl == nil || sys->fprint(ctl, "kill") < 0)
		fail(sys->sprint("kill %d: %r", pid));
	t0 := sys->millisec();
	while(sys->open("/prog/"+string pid+"/status", Sys->OREAD) != nil){
		if(sys->millisec() - t0 > 10000)
			fail("the killed thread did not end in 10 s");
		sys->sleep(5);
	}
	after := guestthreads();
	for(i := 0; after > before && i < 500; i++){
		sys->sleep(10);
		after = guestthreads();
	}
	sys->print("killroot: host threads running guests: %d before, %d while the guest ran, %d after the kill\n", before, during, after);
}

runner(cmd: Command, out: ref Sys->FD, argv: list of string, pidc: chan of int)
{
	pidc <-= sys->pctl(Sys->NEWFD, 0 :: 2 :: out.fd :: nil);
	sys->dup(out.fd, 1);
	out = nil;
	cmd->init(nil, argv);
}
