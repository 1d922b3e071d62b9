/* types.c — message type names and the codec's error strings. */
#include "styximpl.h"

static const char *typenames[Tmax - Tversion] = {
	"Tversion", "Rversion", "Tauth", "Rauth", "Tattach", "Rattach",
	NULL, "Rerror", "Tflush", "Rflush", "Twalk", "Rwalk",
	"Topen", "Ropen", "Tcreate", "Rcreate", "Tread", "Rread",
	"Twrite", "Rwrite", "Tclunk", "Rclunk", "Tremove", "Rremove",
	"Tstat", "Rstat", "Twstat", "Rwstat",
};

int
styx_typeok(int type)
{
	return type >= Tversion && type < Tmax && type != Terror;
}

const char *
styx_typename(int type)
{
	if(!styx_typeok(type))
		return NULL;
	return typenames[type - Tversion];
}

/*
 * 9P2000.L (Linux v9fs, diod) numbers its extra messages below 100:
 * Tlerror 6 … Tunlinkat 76, each T followed by its R.  Naming them lets a
 * client say plainly that its peer speaks the other dialect.
 */
int
styx_isdotl(int type)
{
	static const uint8_t dotl[] = {
		6, 8, 12, 14, 16, 18, 20, 22, 24, 26, 30, 32, 40,
		50, 52, 54, 70, 72, 74, 76,
	};
	size_t i;

	for(i = 0; i < sizeof dotl; i++)
		if(type == dotl[i] || type == dotl[i]+1)
			return 1;
	return 0;
}

static const char *errs[STYX_NERR] = {
	[STYX_EOK] = "no error",
	[STYX_ESHORT] = "9P message truncated",
	[STYX_ESIZE] = "9P message size mismatch",
	[STYX_ETRAIL] = "9P message has trailing bytes",
	[STYX_ETYPE] = "unknown 9P message type",
	[STYX_EDOTL] = "9P2000.L message (peer does not speak 9P2000)",
	[STYX_ESTRING] = "bad string in 9P message",
	[STYX_EWALK] = "too many names in 9P walk",
	[STYX_ECOUNT] = "9P count does not match data",
	[STYX_ESTAT] = "malformed 9P stat",
	[STYX_EBIG] = "9P message larger than msize",
};

const char *
styx_strerror(int code)
{
	if(code < 0)
		code = -code;
	if(code >= STYX_NERR)
		return "unknown 9P codec error";
	return errs[code];
}
