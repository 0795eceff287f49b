/* libvjail/ns.h - which namespaces the jail gets. */
#ifndef VJ_NS_H
#define VJ_NS_H

#include <stdbool.h>
#include <stdint.h>

struct vj_ns {
	uint64_t want; /* VJAIL_NS_* */
	bool chosen;   /* vjail_namespaces() was called */
};

#endif
