implement Vxinferno;

#
# vxinferno [-m MB] prog [args...]: run a Linux i386 program confined
# inside this emulator, in this thread's namespace, with its fds.
#

include "sys.m";
	sys: Sys;

include "draw.m";

include "vxrun.m";
	vxrun: Vxrun;

Vxinferno: module
{
	init:	fn(ctxt: ref Draw->Context, argv: list of string);
};

usage()
{
	sys->fprint(sys->fildes(2), "usage: vxinferno [-m MB] prog [args...]\n");
	raise "fail:usage";
}

init(nil: ref Draw->Context, argv: list of string)
{
	sys = load Sys Sys->PATH;
	vxrun = load Vxrun Vxrun->PATH;
	if(vxrun == nil){
		sys->fprint(sys->fildes(2), "vxinferno: cannot load %s: %r\n", Vxrun->PATH);
		raise "fail:load";
	}
	if(argv != nil)
		argv = tl argv;
	mb := 0;
	while(argv != nil){
		a := hd argv;
		if(a == "--"){
			argv = tl argv;
			break;
		}
		if(len a < 2 || a[0] != '-')
			break;
		if(a != "-m")
			usage();
		argv = tl argv;
		if(argv == nil)
			usage();
		mb = int hd argv;
		if(mb <= 0 || mb > 4095)
			usage();
		argv = tl argv;
	}
	if(argv == nil)
		usage();
	st := vxrun->run(argv, mb);
	if(st < 0){
		sys->fprint(sys->fildes(2), "vxinferno: %s: %r\n", hd argv);
		raise "fail:error";
	}
	if(st != 0)
		raise "fail:" + string st;
}
