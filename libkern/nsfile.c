/*
 * nsfile.c — namespace files in Plan 9's namespace(6) form, and emu's
 * default namespace.
 *
 *	bind [-abcC] new old
 *	mount [-abcC] [-u user] servename old [spec]
 *	unmount [new] old
 *	cd dir
 *	. file			(include)
 *	# comment
 *
 * '#' starts a comment at the start of a line, or as a word of its own;
 * elsewhere it names a device (bind -c #e /env).  Words are split at blanks; '…' quotes (with '' for a quote); $name is
 * replaced by the environment variable.  A file is applied to a copy of
 * the namespace which replaces the real one only if every line succeeded,
 * so a bad line (reported as file:line: error, or file:line: words: error
 * when a kernel call failed) leaves nothing behind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dat.h"
#include "fns.h"

enum { Maxargs = 16, Maxinclude = 8, Maxnsfile = 1024*1024 };

static int applytext(char *text, char *name, int depth);

static int
isvarchar(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Split line into words (malloc'd, in *argv); -1 with the error set. */
static int
tokenize(char *line, char **argv)
{
	char *p = line, *w;
	int argc = 0;
	size_t n, max;
	for(;;){
		while(*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		/* '#' begins a comment at the start of a line or when a blank
		 * follows it; otherwise it is a device name such as #e */
		if(*p == 0 || (*p == '#' && (argc == 0 || p[1] == 0 || p[1] == ' ' || p[1] == '\t')))
			break;
		if(argc >= Maxargs){
			while(argc > 0)
				free(argv[--argc]);
			return kseterr("too many words");
		}
		max = strlen(p) + 1;
		w = kmalloc(max);
		n = 0;
		while(*p && *p != ' ' && *p != '\t' && *p != '\r'){
			if(*p == '\''){
				p++;
				for(;;){
					if(*p == 0){
						free(w);
						goto Quote;
					}
					if(*p == '\''){
						if(p[1] != '\'')
							break;
						p++;
					}
					if(n + 1 >= max){
						max *= 2;
						w = realloc(w, max);
						if(w == NULL)
							abort();
					}
					w[n++] = *p++;
				}
				p++;
			}else if(*p == '$' && isvarchar((uchar)p[1])){
				char var[128], *val;
				size_t k = 0, l;
				p++;
				while(isvarchar((uchar)*p) && k < sizeof var - 1)
					var[k++] = *p++;
				var[k] = 0;
				val = kgetenv(up->egrp, var);
				if(val == NULL){
					free(w);
					while(argc > 0)
						free(argv[--argc]);
					kwerrstr("undefined variable $%s", var);
					return -1;
				}
				l = strlen(val);
				max += l;
				w = realloc(w, max);
				if(w == NULL)
					abort();
				memcpy(w + n, val, l);
				n += l;
				free(val);
			}else{
				if(n + 1 >= max){
					max *= 2;
					w = realloc(w, max);
					if(w == NULL)
						abort();
				}
				w[n++] = *p++;
			}
		}
		w[n] = 0;
		argv[argc++] = w;
	}
	return argc;
Quote:
	while(argc > 0)
		free(argv[--argc]);
	return kseterr("unmatched quote");
}

/* The flags of bind and mount, getopt style; user (mount only, else
 * NULL) takes -u name, the uname its Tattach sends. */
static int
mountflags(char **argv, int argc, int *ip, int *flag, char **user)
{
	int i = 1;
	*flag = MREPL;
	if(user != NULL)
		*user = NULL;
	for(; i < argc && argv[i][0] == '-' && argv[i][1] != 0; i++){
		char *s;
		for(s = argv[i] + 1; *s; s++)
			switch(*s){
			case 'a': *flag |= MAFTER; break;
			case 'b': *flag |= MBEFORE; break;
			case 'c': *flag |= MCREATE; break;
			case 'C': *flag |= MCACHE; break;
			case 'u':
				if(user == NULL)
					goto Bad;
				if(s[1] != 0)
					*user = s + 1;
				else if(i + 1 < argc)
					*user = argv[++i];
				else{
					kwerrstr("%s: -u needs a user name", argv[0]);
					return -1;
				}
				s += strlen(s) - 1;	/* the word's rest was the name */
				break;
			default:
			Bad:
				kwerrstr("%s: bad flag -%c", argv[0], *s);
				return -1;
			}
	}
	if((*flag & MORDER) == MORDER){
		kwerrstr("%s: -a and -b together", argv[0]);
		return -1;
	}
	*ip = i;
	return 0;
}

static char *
readwhole(char *file)
{
	int fd = kopen(file, OREAD);
	char *buf;
	long n = 0, r;
	if(fd < 0)
		return NULL;
	buf = kmalloc(Maxnsfile + 1);
	while((r = kread(fd, buf + n, Maxnsfile - n)) > 0)
		n += r;
	kclose(fd);
	if(r < 0){
		free(buf);
		return NULL;
	}
	if(n >= Maxnsfile){
		free(buf);
		return kseterrp(Etoobig);
	}
	if(memchr(buf, 0, n) != NULL){
		/* the text would end there: what follows must not be skipped unseen */
		free(buf);
		kwerrstr("%s: a NUL byte in a namespace file", file);
		return NULL;
	}
	buf[n] = 0;
	return buf;
}

/* Styx: net!… names a network address, not a file */
static int
isdialstr(char *s)
{
	return strncmp(s, "tcp!", 4) == 0 || strncmp(s, "unix!", 5) == 0 || strncmp(s, "net!", 4) == 0;
}

static int
usage(char *cmd, char *how)
{
	kwerrstr("usage: %s %s", cmd, how);
	return -1;
}

/* Run one command.  *named is set when its error already names what
 * failed (usage, flags, an include's place); else applytext adds the
 * line's words ("bind /a /b: file does not exist"). */
static int
runline(char **argv, int argc, int depth, int *named)
{
	int i, flag, fd, r;
	char *cmd = argv[0], *user;
	*named = 1;
	if(strcmp(cmd, "bind") == 0){
		if(mountflags(argv, argc, &i, &flag, NULL) < 0)
			return -1;
		if(argc - i != 2)
			return usage(cmd, "[-abcC] new old");
		*named = 0;
		return kbind(argv[i], argv[i+1], flag);
	}
	if(strcmp(cmd, "mount") == 0){
		if(mountflags(argv, argc, &i, &flag, &user) < 0)
			return -1;
		if(argc - i != 2 && argc - i != 3)
			return usage(cmd, "[-abcC] [-u user] servename old [spec]");
		if(!havemountdriver())
			return kseterr(Enomount);
		/* Styx: a dial string (tcp!host!port, unix!/path) is dialed;
		 * its errors name the address */
		fd = isdialstr(argv[i]) ? kdial(argv[i], NULL, NULL, NULL) : kopen(argv[i], ORDWR);
		*named = fd < 0 && isdialstr(argv[i]);
		if(fd < 0)
			return -1;
		r = kmountas(fd, -1, argv[i+1], flag, argc - i == 3 ? argv[i+2] : "", user);
		kclose(fd);
		return r < 0 ? -1 : 0;
	}
	if(strcmp(cmd, "unmount") == 0){
		*named = argc != 2 && argc != 3;
		if(argc == 2)
			return kunmount(NULL, argv[1]);
		if(argc == 3)
			return kunmount(argv[1], argv[2]);
		return usage(cmd, "[new] old");
	}
	if(strcmp(cmd, "cd") == 0){
		if(argc != 2)
			return usage(cmd, "dir");
		*named = 0;
		return kchdir(argv[1]);
	}
	if(strcmp(cmd, ".") == 0){
		char *text;
		if(argc != 2)
			return usage(cmd, "file");
		if(depth >= Maxinclude)
			return kseterr("includes nested too deep");
		text = readwhole(argv[1]);
		if(text == NULL){
			*named = 0;	/* ". /lib/inc: file does not exist" */
			return -1;
		}
		r = applytext(text, argv[1], depth + 1);
		free(text);
		return r;
	}
	kwerrstr("unknown command %s", cmd);
	return -1;
}

/* The words of a line as the kernel was given them ($vars replaced),
 * blank separated, quoted again where they must be; "" if they do not
 * fit (better none than half a path). */
static void
joinwords(char *buf, int n, char **argv, int argc)
{
	char q[2*ERRMAX + 3], *s;
	int i, j, l = 0;

	for(i = 0; i < argc && l < n; i++){
		if(argv[i][0] != 0 && strpbrk(argv[i], " \t'") == NULL)
			l += snprintf(buf + l, n - l, "%s%s", i > 0 ? " " : "", argv[i]);
		else{
			j = 0;
			q[j++] = '\'';
			for(s = argv[i]; *s && j < (int)sizeof q - 3; s++){
				if(*s == '\'')
					q[j++] = '\'';
				q[j++] = *s;
			}
			q[j++] = '\'';
			q[j] = 0;
			l += *s != 0 ? n : snprintf(buf + l, n - l, "%s%s", i > 0 ? " " : "", q);
		}
	}
	if(l >= n)
		l = 0;
	buf[l] = 0;
}

/* The error of a line: file:line: words: error, leaving out first the
 * words, then the place, rather than cutting off the cause. */
static void
placeerr(char *name, int lineno, char *words, char *err)
{
	char msg[3*ERRMAX];

	if(words[0] != 0 && snprintf(msg, sizeof msg, "%s:%d: %s: %s", name, lineno, words, err) < ERRMAX)
		kseterr(msg);
	else if(snprintf(msg, sizeof msg, "%s:%d: %s", name, lineno, err) < ERRMAX)
		kseterr(msg);
}

static int
applytext(char *text, char *name, int depth)
{
	char *line, *next, *argv[Maxargs];
	int argc, lineno = 0, r = 0, named = 1;
	char err[ERRMAX], words[ERRMAX];
	for(line = text; line != NULL && r == 0; line = next){
		next = strchr(line, '\n');
		if(next != NULL)
			*next++ = 0;
		lineno++;
		argc = tokenize(line, argv);
		words[0] = 0;
		if(argc > 0){
			r = runline(argv, argc, depth, &named);
			if(r < 0 && !named)
				joinwords(words, sizeof words, argv, argc);
			while(argc > 0)
				free(argv[--argc]);
		}else if(argc < 0)
			r = -1;
		if(r < 0){
			kgerrstr(err, sizeof err);
			placeerr(name, lineno, words, err);
			if(next != NULL)
				next[-1] = '\n';
			return -1;
		}
		if(next != NULL)
			next[-1] = '\n';
	}
	return r;
}

/* Apply text to a copy of the namespace; keep it only if all of it worked. */
int
knsstring(char *text, char *name)
{
	Pgrp *old, *copy;
	Dotgrp *dg;
	Chan *d0;
	char *buf;
	int r;
	if(up == NULL)
		return kseterr(Enoproc);
	old = up->pgrp;
	copy = pgrpcopy(old);
	buf = kstrdup(text);
	/* a cd in the text changes the copy's dot; a proc with a dot of
	 * its own (FORKDOT) takes it from there if all of the text worked */
	dg = up->dotg;
	up->dotg = NULL;
	d0 = copy->dot;
	incref(&d0->ref);	/* held: no new dot can take its address */
	up->pgrp = copy;
	r = applytext(buf, name != NULL ? name : "ns", 0);
	up->pgrp = old;
	up->dotg = dg;
	free(buf);
	if(r == 0 && dg != NULL && copy->dot != d0){
		incref(&copy->dot->ref);
		setprocdot(up, copy->dot);
	}
	cclose(d0);
	if(r == 0)
		pgrpswap(old, copy);
	closepgrp(copy);
	return r;
}

int
knsfile(char *file)
{
	char *text;
	int r;
	if(up == NULL)
		return kseterr(Enoproc);
	text = readwhole(file);
	if(text == NULL)
		return -1;
	r = knsstring(text, file);
	free(text);
	return r;
}

/* emu's default: the host directory after the root device, with create;
 * the devices on their usual directories. */
int
knsdefault(void)
{
	static struct { int dc; char *new, *old; int flag; } binds[] = {
		{ 'U', "#U", "/", MAFTER|MCREATE },
		{ 'c', "#c", "/dev", MBEFORE },
		{ 'e', "#e", "/env", MREPL|MCREATE },
		{ 'p', "#p", "/prog", MREPL },
		{ 'd', "#d", "/fd", MREPL },
		{ 's', "#s", "/srv", MREPL|MCREATE },
		{ 'L', "#L", "/proc", MREPL },
		/* Linux's /dev/fd: the caller's fds (a mount point in #/'s
		 * /dev, beside stdin, stdout and stderr) */
		{ 'd', "#dL", "/dev/fd", MREPL },
		/* Linux's /dev/ptmx, after the rest of /dev, and /dev/pts,
		 * a mount of its own on #/'s, as Linux's devpts */
		{ 'P', "#P", "/dev", MAFTER },
		{ 'P', "#P/pts", "/dev/pts", MREPL },
	};
	char text[1024];
	size_t i, n = 0;
	for(i = 0; i < sizeof binds / sizeof binds[0]; i++){
		const char *f = "";
		if(devno(binds[i].dc, 0) < 0)
			continue;
		switch(binds[i].flag){
		case MAFTER|MCREATE: f = "-ac "; break;
		case MBEFORE: f = "-b "; break;
		case MAFTER: f = "-a "; break;
		case MREPL|MCREATE: f = "-c "; break;
		}
		n += snprintf(text + n, sizeof text - n, "bind %s'%s' %s\n", f, binds[i].new, binds[i].old);
	}
	/* dot was set before the binds: make it cross the union at /, so
	 * relative names see #U as absolute ones do */
	n += snprintf(text + n, sizeof text - n, "cd /\n");
	text[n] = 0;
	return knsstring(text, "default namespace");
}
