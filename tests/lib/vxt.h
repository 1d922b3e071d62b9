/*
 * vxt.h — what the sandbox's unit tests share beside tap.h.
 */

/* Rewrite a byte of guest code through the API, as a guest's mprotect
 * and store would: the translator must notice. */
static inline void
vxt_poke(Vx *vx, uint32_t a, uint8_t v)
{
	uint32_t pg = a & ~0xfffu;

	vx_protect(vx, pg, 0x1000, VX_PROT_READ | VX_PROT_WRITE);
	*(uint8_t *)vx_access(vx, a, 1, VX_PROT_WRITE) = v;
	vx_protect(vx, pg, 0x1000, VX_PROT_READ | VX_PROT_EXEC);
}

/* Run from eip with esp at esp until the next trap. */
static inline int
vxt_run(Vx *vx, uint32_t eip, uint32_t esp)
{
	VxTrapInfo ti;

	vx_setreg(vx, VX_EIP, eip);
	vx_setreg(vx, VX_ESP, esp);
	return vx_run(vx, &ti);
}
