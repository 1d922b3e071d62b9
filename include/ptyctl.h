/*
 * ptyctl.h — the pseudo-terminal device's (#P, libkern/devpty.c) state
 * as a personality reads and sets it: what Linux's terminal ioctls act
 * on.  The line discipline is the kernel's, so its modes are kept in
 * Linux's termios bits (POSIX's, which any personality can translate).
 * Shared by kernel.h (kptyctl) and vxrun/kif.h (kif_ptyctl).
 */
#ifndef PTYCTL_H
#define PTYCTL_H
typedef struct Kpty Kpty;
struct Kpty {
	/* the terminal's modes: Linux's struct termios (without speeds) */
	unsigned iflag, oflag, cflag, lflag;
	unsigned char line, cc[19];
	unsigned short row, col, xpixel, ypixel;	/* its window size */
	int n;			/* its number: pts/n */
	int master;		/* the fd asked about is the master */
	int locked;		/* the slave may not be opened (TIOCSPTLCK) */
	/* the session whose controlling terminal it is (sid 0: none) and
	 * that session's foreground process group, numbers the
	 * personality gives (a sandbox's pid namespace: box) */
	int box, sid, pgrp;
	int inq;		/* bytes the fd's reader may read now (TIOCINQ) */
	int packet;		/* the master reads in packet mode (TIOCPKT) */
	int arg;		/* the operation's argument, below */
};

/* kptyctl's operations.  Each takes or gives the fields named. */
enum {
	KPTYGET,	/* everything (inq for the fd's side) */
	KPTYSETATTR,	/* the modes; arg 1: and flush the slave's input */
	KPTYSETWINSZ,	/* row … ypixel: SIGWINCH to the foreground group if changed */
	KPTYLOCK,	/* locked */
	KPTYSCTTY,	/* box, sid, pgrp: the controlling terminal of that
			 * session; EPERM if it is another's, or the session
			 * has another */
	KPTYNOTTY,	/* box, sid: no longer; arg 1 (the session leader's):
			 * SIGHUP and SIGCONT to the foreground group */
	KPTYSETPGRP,	/* pgrp, for the session box, sid */
	KPTYFLUSH,	/* arg: Linux's TCIFLUSH 0, TCOFLUSH 1, TCIOFLUSH 2, for the fd's side */
	KPTYPACKET,	/* arg: the master's packet mode on (1) or off (0); ENOTTY on a slave */
};

/* How the device signals: sig to process group pgrp (pid 0) or to
 * process pid (pgrp 0) of sandbox box.  Called with no kernel lock
 * held, from whichever proc caused it. */
typedef void Kptysig(int box, int pgrp, int pid, int sig);
#endif
