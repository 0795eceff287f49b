/* kernel/probe.h - what the running kernel offers, probed once.
 *
 * The results are the library's only global state: computed on first use,
 * cached with atomic stores, never changed afterwards. Racing first calls
 * compute the same answer, so no lock is needed.
 */
#ifndef VJ_KERNEL_PROBE_H
#define VJ_KERNEL_PROBE_H

#include <stdbool.h>
#include <stdint.h>

/* VJAIL_NS_* and VJAIL_FEAT_* bits of include/vjail.h. */
uint64_t vj_probe_features(void);

/* The VJAIL_NS_* kinds of @want (plus VJAIL_NS_USER) that this caller can
 * create; the other bits are 0. Cheaper than vj_probe_features(): it probes
 * only these kinds. Honours vj_probe_override(). */
uint64_t vj_probe_namespaces(uint64_t want);

/* Would vj_probe_namespaces(@want) answer from its cache (or from
 * vj_probe_override()), without a child? */
bool vj_probe_namespaces_cached(uint64_t want);

/* The VJAIL_FEAT_SECCOMP* bits alone, without the full probe. */
uint64_t vj_probe_seccomp(void);

/* 0 when Landlock is unusable, else the kernel's ABI number (unclamped). */
int vj_probe_landlock_abi(void);

#ifdef VJ_TESTING
/* Testing library only: pretend the kernel offers @features and Landlock
 * @abi (-1 restores the real probe), to exercise the refusal paths that
 * this machine's kernel never takes. Never a substitute for a real test. */
void vj_probe_override(uint64_t features, int abi);
#endif

#endif /* VJ_KERNEL_PROBE_H */
