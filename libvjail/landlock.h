/* libvjail/landlock.h - Landlock rules of the jail. */
#ifndef VJ_LANDLOCK_H
#define VJ_LANDLOCK_H

#include <stddef.h>
#include <stdint.h>

struct vj_port_rule {
	uint16_t port;
	unsigned int what; /* VJAIL_NET_BIND | VJAIL_NET_CONNECT */
};

struct vj_ll {
	struct vj_port_rule *ports;
	size_t nports;
};

struct vjail;
void vj_ll_free(struct vjail *j);

#endif
