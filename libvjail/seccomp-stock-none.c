/* libvjail/seccomp-stock-none.c - no precompiled seccomp programs: the
 * build copies this file to libvjail/seccomp-stock.c when it cannot run the
 * generator (cross-compiling). prepare then compiles every filter with
 * libseccomp, as it always did. See seccomp-stock.h.
 */
#include <stddef.h>

#include "libvjail/seccomp-stock.h"

const struct vj_sc_stock *vj_sc_stock(void)
{
	return NULL;
}

const struct sock_filter *vj_sc_stock_init(unsigned short *len)
{
	*len = 0;
	return NULL;
}
