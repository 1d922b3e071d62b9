/*
 * vxint.h — declarations shared between libvx source files but not part of
 * the public interface in vx.h.
 */
#ifndef VX_VXINT_H
#define VX_VXINT_H

#include "vx.h"

/* Set the message returned by vx_errstr(vx) (printf-style, truncated to
 * VX_ERRLEN).  Implemented in vx.c. */
void vx_seterr(Vx *vx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
