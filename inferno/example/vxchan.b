implement Vxchan;

#
# vxchan [-n count]: the file2chan example.  A Limbo thread serves
# /chan/vxchan with sys->file2chan; the C guest /vx/bin/vxchan, run with
# $Vxrun in this namespace, writes count messages to it and reads each
# answer back.  Each write is a message; a read returns "re: " and the
# last message that fid wrote.
#

include "sys.m";
	sys: Sys;

include "draw.m";

include "vxrun.m";
	vxrun: Vxrun;

Vxchan: module
{
	init:	fn(ctxt: ref Draw->Context, argv: list of string);
};

Fidmsg: adt {
	fid:	int;
	msg:	string;
};

init(nil: ref Draw->Context, argv: list of string)
{
	sys = load Sys Sys->PATH;
	vxrun = load Vxrun Vxrun->PATH;
	if(vxrun == nil){
		sys->fprint(sys->fildes(2), "vxchan: cannot load %s: %r\n", Vxrun->PATH);
		raise "fail:load";
	}
	count := "1000";
	if(argv != nil)
		argv = tl argv;
	if(len argv == 2 && hd argv == "-n")
		count = hd tl argv;
	else if(argv != nil){
		sys->fprint(sys->fildes(2), "usage: vxchan [-n count]\n");
		raise "fail:usage";
	}
	sys->pctl(Sys->FORKNS, nil);
	if(sys->bind("#s", "/chan", Sys->MBEFORE) < 0){
		sys->fprint(sys->fildes(2), "vxchan: bind #s /chan: %r\n");
		raise "fail:bind";
	}
	fio := sys->file2chan("/chan", "vxchan");
	if(fio == nil){
		sys->fprint(sys->fildes(2), "vxchan: file2chan: %r\n");
		raise "fail:file2chan";
	}
	nmsg := chan of int;
	spawn serve(fio, nmsg);
	st := vxrun->run("vxchan" :: "/chan/vxchan" :: count :: nil, 0);
	if(st < 0){
		sys->fprint(sys->fildes(2), "vxchan: run: %r\n");
		raise "fail:run";
	}
	nmsg <-= 0;
	n := <-nmsg;
	sys->print("vxchan: the Limbo server answered %d messages; the guest's status is %d\n", n, st);
	if(st != 0)
		raise "fail:" + string st;
}

serve(fio: ref Sys->FileIO, nmsg: chan of int)
{
	msgs: list of Fidmsg;
	n := 0;
	for(;;) alt {
	(nil, nil, fid, rc) := <-fio.read =>
		if(rc == nil)
			continue;
		m := "";
		for(l := msgs; l != nil; l = tl l)
			if((hd l).fid == fid){
				m = (hd l).msg;
				break;
			}
		rc <-= (array of byte ("re: " + m), nil);
		n++;
	(nil, data, fid, wc) := <-fio.write =>
		if(wc == nil){
			# the fid was clunked: forget it
			nl: list of Fidmsg;
			for(l := msgs; l != nil; l = tl l)
				if((hd l).fid != fid)
					nl = hd l :: nl;
			msgs = nl;
			continue;
		}
		found := 0;
		nl: list of Fidmsg;
		for(l := msgs; l != nil; l = tl l){
			if((hd l).fid == fid){
				nl = Fidmsg(fid, string data) :: nl;
				found = 1;
			}else
				nl = hd l :: nl;
		}
		if(!found)
			nl = Fidmsg(fid, string data) :: nl;
		msgs = nl;
		wc <-= (len data, nil);
	<-nmsg =>
		nmsg <-= n;
		return;
	}
}
