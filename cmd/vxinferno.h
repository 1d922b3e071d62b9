/*
 * vxinferno.h — what vxinferno.c shares with tcdir.c.
 */
typedef struct Bind {
	char *new;
	char *old;
	int flag;
	int host;		/* -b/-B new:old:ro|rw — new is a host directory (Hro, Hrw) */
} Bind;

enum { Hnone, Hrw, Hro };

extern char *argv0;

/* Set up the persistent translation cache as VXCACHE says (tcdir.c) */
void tcacheinit(int trace, const char *root, int readonly, Bind *binds, int nbind);
