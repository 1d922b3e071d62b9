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
		fail("usage: vxcheck par n [mb] | kill | engine");
	case hd argv {
	"par" =>
		if(len argv == 3)
			guestmb = int hd tl tl argv;
		else if(len argv != 2)
			fail("usage: vxcheck par n [mb]");
		par(int hd tl argv);
	"kill" =>
		kill();
	"engine" =>
		e := vxrun->engine();
		if(e == nil)
			e = "none";
		sys->print("engine %s\n", e);
	* =>
		fail("usage: vxcheck par n [mb] | kill | engine");
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
