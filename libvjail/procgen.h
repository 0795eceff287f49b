/* libvjail/procgen.h - the texts of the jail's resource views, made from
 * the kernel's own texts: pure functions, no allocation, async-signal-safe
 * (init runs them; see procview.c). */
#ifndef VJ_PROCGEN_H
#define VJ_PROCGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The figures of a memory cgroup, in bytes; what memory.stat lacks is 0. */
struct vj_memcg {
	uint64_t limit;      /* effective limit (ancestors included, v1) */
	uint64_t usage;      /* charged memory, page cache included */
	uint64_t swap_limit; /* of swap alone; UINT64_MAX: none known */
	uint64_t swap_usage;
	uint64_t cache, shmem, anon, mapped, dirty, writeback, swapcached;
	uint64_t active_anon, inactive_anon, active_file, inactive_file;
	uint64_t unevictable, slab_reclaimable, slab_unreclaimable;
	uint64_t kernel_stack, pagetables;
};

/* The value of @key in a "key value" (memory.stat) or "Key: value kB"
 * (/proc/meminfo) text: the first number after the key at the start of a
 * line. *@found says whether the key was there. */
uint64_t vj_gen_value(const char *text, const char *key, bool *found);

/* Fill the statistics of @m from a memory.stat text of cgroup @version
 * (1 or 2); v1 also gives the effective limits (hierarchical_*). */
void vj_gen_memcg_stat(struct vj_memcg *m, int version, const char *stat);

/*
 * The jail's /proc/meminfo: the host's text @host, line by line, with the
 * figures of @m: MemTotal is the smaller of the host's and the limit,
 * MemFree what the limit leaves, MemAvailable that plus the reclaimable
 * page cache and slab, the others the cgroup's own; the few lines that
 * describe the machine, not its use (Hugepagesize, VmallocTotal,
 * DirectMap*), stay the host's; every other line is 0, not the host's
 * figure. Each value has a fixed width per line (at least the kernel's 8
 * digits, enough for the largest value that line can take), so the text
 * keeps one length while the figures change: init rewrites it in place.
 * Returns the length written to @out (NUL-terminated), or 0 if @size is
 * too small.
 */
size_t vj_gen_meminfo(char *out, size_t size, const char *host,
		      const struct vj_memcg *m);

/*
 * The jail's /proc/cpuinfo: the blocks of @host whose "processor" is in
 * @cpus (a bitmap of @ncpus bits), renumbered from 0 as the jail's CPUs.
 * Returns the length written to @out (NUL-terminated), or 0 if @size is
 * too small.
 */
size_t vj_gen_cpuinfo(char *out, size_t size, const char *host,
		      const uint8_t *cpus, unsigned int ncpus);

/* Parse a CPU list ("0-3,8,10-11\n") into the bitmap @cpus of @ncpus
 * bits. Returns the number of CPUs set, or -1 for a malformed list or a
 * CPU beyond @ncpus. */
int vj_gen_cpulist(const char *list, uint8_t *cpus, unsigned int ncpus);

#endif
