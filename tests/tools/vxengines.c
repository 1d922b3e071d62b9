/*
 * vxengines — which sandbox engines this host runs, one line each:
 *	compat ok
 *	long no: <reason>
 * Tests read it to run once per engine and skip the others by name.
 */
#include <stdio.h>
#include "vx.h"

int
main(void)
{
	static const int e[] = { VX_ENGINE_COMPAT, VX_ENGINE_LONG };
	char why[VX_ERRLEN];
	size_t i;

	for(i = 0; i < sizeof e / sizeof e[0]; i++){
		if(vx_engineok(e[i], why))
			printf("%s ok\n", vx_enginename(e[i]));
		else
			printf("%s no: %s\n", vx_enginename(e[i]), why);
	}
	return 0;
}
