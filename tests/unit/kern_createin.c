/* kern_createin.c — createin (libkern/namec.c, also used by the export
 * for Tcreate) consumes the directory's Chan on every path: a refused
 * name or ".." once returned with the reference still held, so every
 * refused Tcreate leaked a Chan (found by tests/fuzz_styx/fuzz_export.c). */
#include "kern_test.h"
#include "dat.h"	/* libkern's */
#include "fns.h"

/* createin(dir, name) on a Chan of / and of #U's x, then the
 * directory's references must be what they were. */
static void
consumes(const char *path, char *name, int omode, int wantok, const char *what)
{
	Chan *c, *r;
	int before;

	c = namec((char*)path, Atodir, 0, 0);
	if(c == NULL){
		ok(0, "%s: namec %s: %s", what, path, kt_err());
		return;
	}
	before = atomic_load(&c->ref);
	incref(&c->ref);	/* the reference createin takes */
	r = createin(c, name, omode, 0644);
	ok((r != NULL) == wantok, "%s: %s", what, r != NULL ? "created" : kt_err());
	is(atomic_load(&c->ref), before, "%s: the directory's references are back to %d", what, before);
	cclose(r);
	cclose(c);
}

int
main(void)
{
	kt_init(0, NULL);
	kt_hmkdir("x");
	kt_hwrite("x/there", "here");
	consumes("/", "ctl\001char", OWRITE, 0, "a control character in /");
	consumes("/", "..", OWRITE, 0, "'..' in /");
	consumes("/", "a/b", OWRITE, 0, "a '/' in /");
	consumes("/x", "ctl\001char", OWRITE, 0, "a control character in #U");
	consumes("/x", "..", OWRITE, 0, "'..' in #U");
	consumes("/x", "there", OWRITE|OEXCL, 0, "an existing file, OEXCL");
	consumes("/x", "new", OWRITE, 1, "a new file");
	consumes("/x", "there", OWRITE, 1, "an existing file, truncated");
	kt_cleanup();
	return done_testing();
}
