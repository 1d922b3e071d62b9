/*
 * vxengines — which sandbox engines this host runs, one line each:
 *	compat ok
 *	long no: <reason>
 * Tests read it to run once per engine and skip the others by name.
 * `vxengines new` instead makes one sandbox and prints the engine it got
 * ("engine compat"), or "none: <error>": the tests check with it that
 * VXENGINE really selects the engine they name.  `vxengines avx` prints
 * which of AVX, AVX2 and FMA guests are offered (the host has them and
 * its OS enables the YMM state, which the engines then keep), one line
 * each: "avx yes", "avx2 no" ...
 */
#include <stdio.h>
#include <string.h>
#include "vx.h"
#include "../../libvx/decode.h"

int
main(int argc, char **argv)
{
	static const int e[] = { VX_ENGINE_COMPAT, VX_ENGINE_LONG };
	char why[VX_ERRLEN];
	size_t i;
	Vx *vx;

	if(argc > 1 && strcmp(argv[1], "avx") == 0){
		uint32_t f = vx_guestfeat();

		printf("avx %s\navx2 %s\nfma %s\n", (f & VXF_AVX) ? "yes" : "no",
			(f & VXF_AVX2) ? "yes" : "no", (f & VXF_FMA) ? "yes" : "no");
		return 0;
	}
	if(argc > 1 && strcmp(argv[1], "new") == 0){
		vx = vx_new(1 << 20, why);
		if(vx == NULL){
			printf("none: %s\n", why);
			return 1;
		}
		printf("engine %s\n", vx_enginename(vx_engineof(vx)));
		vx_free(vx);
		return 0;
	}
	for(i = 0; i < sizeof e / sizeof e[0]; i++){
		if(vx_engineok(e[i], why))
			printf("%s ok\n", vx_enginename(e[i]));
		else
			printf("%s no: %s\n", vx_enginename(e[i]), why);
	}
	return 0;
}
