/*
 * engine.c — which engine runs guest code on this host.
 *
 * Only the compat engine exists so far; the long engine (issue 8) plugs in
 * here.  VXENGINE in the environment forces a choice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vxpriv.h"

static void
why(char *w, const char *msg)
{
	if(w)
		snprintf(w, VX_ERRLEN, "%s", msg);
}

int
vx_engineok(int e, char w[VX_ERRLEN])
{
	switch(e){
	case VX_ENGINE_COMPAT:
		return 1;
	case VX_ENGINE_LONG:
		why(w, "the long engine is not built yet");
		return 0;
	}
	why(w, "no such engine");
	return 0;
}

const char *
vx_enginename(int e)
{
	switch(e){
	case VX_ENGINE_COMPAT:
		return "compat";
	case VX_ENGINE_LONG:
		return "long";
	}
	return "none";
}

int
vx_engine(void)
{
	const char *s = getenv("VXENGINE");

	if(s && strcmp(s, "long") == 0)
		return vx_engineok(VX_ENGINE_LONG, NULL) ? VX_ENGINE_LONG : 0;
	if(s && strcmp(s, "compat") == 0)
		return vx_engineok(VX_ENGINE_COMPAT, NULL) ? VX_ENGINE_COMPAT : 0;
	if(vx_engineok(VX_ENGINE_COMPAT, NULL))
		return VX_ENGINE_COMPAT;
	return 0;
}

int
vx_engineof(Vx *vx)
{
	(void)vx;
	return VX_ENGINE_COMPAT;
}
