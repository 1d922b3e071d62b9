implement Vxinferno;

#
# vxinferno [-m MB] [-r dir] prog [args...]: run a Linux i386 program
# confined inside this emulator, in this thread's namespace, with its fds.
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

# What a guest keeps of Inferno's namespace under -r (newroot)
kept := array[] of {"dev", "env", "net", "prog", "chan"};

usage()
{
	sys->fprint(sys->fildes(2), "usage: vxinferno [-m MB] [-r dir] prog [args...]\n");
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
	root: string;
	while(argv != nil){
		a := hd argv;
		if(a == "--"){
			argv = tl argv;
			break;
		}
		if(len a < 2 || a[0] != '-')
			break;
		if(a != "-m" && a != "-r" || tl argv == nil)
			usage();
		argv = tl argv;
		case a {
		"-m" =>
			mb = int hd argv;
			if(mb <= 0 || mb > 4095)
				usage();
		"-r" =>
			root = hd argv;
		}
		argv = tl argv;
	}
	if(argv == nil)
		usage();
	if(root != nil)
		newroot(root);
	st := vxrun->run(argv, mb);
	if(st < 0){
		sys->fprint(sys->fildes(2), "vxinferno: %r\n");
		raise "fail:error";
	}
	if(st != 0)
		raise "fail:" + string st;
}

# dir becomes / in a namespace and environment of our own, with the
# PATH of a Linux system unless one is set.  The kept directories of
# Inferno's namespace are bound on dir's own where it has them (a Debian
# root has dev); what dir lacks at its top comes from Inferno's root
# device, after it, with what is bound there (/env, /net, /prog, /chan).
# The binds on dir's directories go through a path that is no '#' name
# (those walk past mounts): dir mounted for a moment on /fd, which gets
# #d back after.
newroot(dir: string)
{
	sys->pctl(Sys->FORKNS|Sys->FORKENV, nil);
	(ok, d) := sys->stat(dir);
	if(ok < 0)
		fatal(sys->sprint("%s: %r", dir));
	if((d.mode & Sys->DMDIR) == 0)
		fatal(dir + ": not a directory");
	if(sys->stat("#e/PATH").t0 < 0){
		fd := sys->create("#e/PATH", Sys->OWRITE, 8r644);
		if(fd != nil)
			sys->fprint(fd, "/usr/local/bin:/usr/bin:/bin");
	}
	if(sys->bind(dir, "/fd", Sys->MREPL) < 0)
		fatal(sys->sprint("bind %s /fd: %r", dir));
	for(i := 0; i < len kept; i++)
		if(sys->stat("/fd/"+kept[i]).t0 >= 0 && sys->bind("/"+kept[i], "/fd/"+kept[i], Sys->MREPL) < 0)
			fatal(sys->sprint("bind /%s %s/%s: %r", kept[i], dir, kept[i]));
	if(sys->bind("/fd", "/", Sys->MREPL) < 0)
		fatal(sys->sprint("bind %s /: %r", dir));
	if(sys->bind("#/", "/", Sys->MAFTER) < 0)
		fatal(sys->sprint("bind #/ /: %r"));
	sys->unmount(nil, "/fd");
	sys->bind("#d", "/fd", Sys->MREPL);
}

fatal(s: string)
{
	sys->fprint(sys->fildes(2), "vxinferno: %s\n", s);
	raise "fail:error";
}
