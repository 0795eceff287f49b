/* libvjail/procgen.c - the texts of the jail's resource views, made from
 * the kernel's own texts (the host's /proc files, the cgroup's statistics).
 *
 * Pure functions on caller buffers: the library's init runs them every
 * second, after fork and without malloc, and the tests feed them samples.
 * What a view cannot know for the jail it shows as 0, never the host's
 * figure: a 0 may mislead a monitoring tool, the host's figure would leak
 * what other tenants do.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "procgen.h"

#define KIB 1024

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

uint64_t vj_gen_value(const char *text, const char *key, bool *found)
{
	size_t klen = strlen(key);

	*found = false;
	for (const char *line = text; line != NULL && *line != '\0';) {
		const char *p = line + klen;

		if (strncmp(line, key, klen) == 0 && (*p == ':' || is_space(*p))) {
			uint64_t v = 0;

			if (*p == ':')
				p++;
			while (is_space(*p))
				p++;
			if (is_digit(*p)) {
				while (is_digit(*p))
					v = v * 10 + (uint64_t)(*p++ - '0');
				*found = true;
				return v;
			}
		}
		line = strchr(line, '\n');
		if (line != NULL)
			line++;
	}
	return 0;
}

static uint64_t val(const char *text, const char *key)
{
	bool found;

	return vj_gen_value(text, key, &found);
}

void vj_gen_memcg_stat(struct vj_memcg *m, int version, const char *s)
{
	if (version == 1) {
		bool found;
		uint64_t v = vj_gen_value(s, "hierarchical_memory_limit", &found);

		if (found && v < m->limit)
			m->limit = v;
		/* hierarchical_memsw_limit is memory plus swap */
		v = vj_gen_value(s, "hierarchical_memsw_limit", &found);
		if (found && v >= m->limit && v - m->limit < m->swap_limit)
			m->swap_limit = v - m->limit;
		m->cache = val(s, "total_cache");
		m->shmem = val(s, "total_shmem");
		m->anon = val(s, "total_rss");
		m->mapped = val(s, "total_mapped_file");
		m->dirty = val(s, "total_dirty");
		m->writeback = val(s, "total_writeback");
		m->swapcached = val(s, "total_swapcached");
		m->active_anon = val(s, "total_active_anon");
		m->inactive_anon = val(s, "total_inactive_anon");
		m->active_file = val(s, "total_active_file");
		m->inactive_file = val(s, "total_inactive_file");
		m->unevictable = val(s, "total_unevictable");
		if (m->swap_usage == 0)
			m->swap_usage = val(s, "total_swap");
		return;
	}
	m->cache = val(s, "file");
	m->shmem = val(s, "shmem");
	m->anon = val(s, "anon");
	m->mapped = val(s, "file_mapped");
	m->dirty = val(s, "file_dirty");
	m->writeback = val(s, "file_writeback");
	m->swapcached = val(s, "swapcached");
	m->active_anon = val(s, "active_anon");
	m->inactive_anon = val(s, "inactive_anon");
	m->active_file = val(s, "active_file");
	m->inactive_file = val(s, "inactive_file");
	m->unevictable = val(s, "unevictable");
	m->slab_reclaimable = val(s, "slab_reclaimable");
	m->slab_unreclaimable = val(s, "slab_unreclaimable");
	m->kernel_stack = val(s, "kernel_stack");
	m->pagetables = val(s, "pagetables");
}

/* ---- a bounded writer ----------------------------------------------------- */

struct out {
	char *p;
	size_t size, len;
	bool full;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->full || o->len + n + 1 > o->size) {
		o->full = true;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

static unsigned int digits(uint64_t v)
{
	unsigned int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* @v right-aligned in @width columns. */
static void put_num(struct out *o, uint64_t v, unsigned int width)
{
	char buf[24];
	unsigned int n = digits(v), i;

	for (i = 0; i + n < width && i < sizeof(buf); i++)
		buf[i] = ' ';
	put(o, buf, i);
	for (i = n; i > 0; i--) {
		buf[i - 1] = (char)('0' + v % 10);
		v /= 10;
	}
	put(o, buf, n);
}

/* ---- /proc/meminfo -------------------------------------------------------- */

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* The jail's figure for meminfo line @key, in kB, and its largest possible
 * value (for the width); false for a line the jail has no figure of. */
static bool mem_line(const char *key, size_t klen, const struct vj_memcg *m,
		     uint64_t total, uint64_t swap_total, uint64_t *v,
		     uint64_t *max)
{
	static const char *const machine[] = { "Hugepagesize", "Hugetlb",
					       "VmallocTotal", "DirectMap4k",
					       "DirectMap2M", "DirectMap1G" };
	uint64_t used = min_u64(m->usage, total);
	uint64_t reclaim = m->active_file + m->inactive_file +
			   m->slab_reclaimable;
	const struct {
		const char *key;
		uint64_t bytes;
		bool swap;
	} t[] = {
		{ "MemTotal", total, false },
		{ "MemFree", total - used, false },
		{ "MemAvailable", min_u64(total, total - used + reclaim), false },
		{ "Buffers", 0, false },
		{ "Cached", m->cache, false },
		{ "SwapCached", m->swapcached, false },
		{ "Active", m->active_anon + m->active_file, false },
		{ "Inactive", m->inactive_anon + m->inactive_file, false },
		{ "Active(anon)", m->active_anon, false },
		{ "Inactive(anon)", m->inactive_anon, false },
		{ "Active(file)", m->active_file, false },
		{ "Inactive(file)", m->inactive_file, false },
		{ "Unevictable", m->unevictable, false },
		{ "SwapTotal", swap_total, true },
		{ "SwapFree", swap_total - min_u64(m->swap_usage, swap_total),
		  true },
		{ "Dirty", m->dirty, false },
		{ "Writeback", m->writeback, false },
		{ "AnonPages", m->anon, false },
		{ "Mapped", m->mapped, false },
		{ "Shmem", m->shmem, false },
		{ "KReclaimable", m->slab_reclaimable, false },
		{ "Slab", m->slab_reclaimable + m->slab_unreclaimable, false },
		{ "SReclaimable", m->slab_reclaimable, false },
		{ "SUnreclaim", m->slab_unreclaimable, false },
		{ "KernelStack", m->kernel_stack, false },
		{ "PageTables", m->pagetables, false },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (strlen(t[i].key) != klen ||
		    strncmp(t[i].key, key, klen) != 0)
			continue;
		*max = (t[i].swap ? swap_total : total) / KIB;
		*v = min_u64(t[i].bytes, t[i].swap ? swap_total : total) / KIB;
		return true;
	}
	for (size_t i = 0; i < sizeof(machine) / sizeof(machine[0]); i++)
		if (strlen(machine[i]) == klen &&
		    strncmp(machine[i], key, klen) == 0)
			return false;
	*v = *max = 0;
	return true;
}

size_t vj_gen_meminfo(char *out, size_t size, const char *host,
		      const struct vj_memcg *m)
{
	struct out o = { .p = out, .size = size };
	bool found;
	uint64_t host_total = vj_gen_value(host, "MemTotal", &found) * KIB;
	uint64_t host_swap = vj_gen_value(host, "SwapTotal", &found) * KIB;
	uint64_t total = min_u64(host_total, m->limit);
	uint64_t swap_total = min_u64(host_swap, m->swap_limit);

	if (size > 0)
		out[0] = '\0';
	for (const char *line = host; *line != '\0';) {
		const char *end = strchr(line, '\n');
		const char *colon = memchr(line, ':', end ? (size_t)(end - line)
							  : strlen(line));
		size_t llen = end ? (size_t)(end - line + 1) : strlen(line);
		const char *num, *rest;
		uint64_t v, max;

		if (colon == NULL) { /* not a "Key: value" line: as it is */
			put(&o, line, llen);
			line += llen;
			continue;
		}
		num = colon + 1;
		while (is_space(*num))
			num++;
		rest = num;
		while (is_digit(*rest))
			rest++;
		if (!mem_line(line, (size_t)(colon - line), m, total,
			      swap_total, &v, &max)) {
			put(&o, line, llen); /* the machine's, not its use */
			line += llen;
			continue;
		}
		/* The label as the kernel pads it, then the number, right
		 * aligned in at least the kernel's 8 columns: the spaces of
		 * the label are what the field holds beyond those. */
		put(&o, line, (size_t)(colon - line) + 1);
		{
			unsigned int field = (unsigned int)(rest - colon - 1);
			unsigned int shown = (unsigned int)(rest - num);
			unsigned int label, need;

			if (shown < 8)
				shown = 8;
			label = field > shown ? field - shown : 0;
			need = digits(max) > 8 ? digits(max) : 8;
			put_num(&o, v, label + need);
		}
		put(&o, rest, llen - (size_t)(rest - line));
		line += llen;
	}
	return o.full ? 0 : o.len;
}

/* ---- /proc/cpuinfo --------------------------------------------------------- */

static bool cpu_in(const uint8_t *cpus, unsigned int ncpus, uint64_t cpu)
{
	return cpu < ncpus && (cpus[cpu / 8] >> (cpu % 8)) & 1;
}

size_t vj_gen_cpuinfo(char *out, size_t size, const char *host,
		      const uint8_t *cpus, unsigned int ncpus)
{
	struct out o = { .p = out, .size = size };
	uint64_t next = 0;
	bool keep = false;

	if (size > 0)
		out[0] = '\0';
	for (const char *line = host; *line != '\0';) {
		const char *end = strchr(line, '\n');
		size_t llen = end ? (size_t)(end - line + 1) : strlen(line);

		if (strncmp(line, "processor", 9) == 0 &&
		    (is_space(line[9]) || line[9] == ':')) {
			const char *p = memchr(line, ':', llen);
			uint64_t cpu = 0;

			for (p = p ? p + 1 : line + llen; is_space(*p); p++)
				;
			while (is_digit(*p))
				cpu = cpu * 10 + (uint64_t)(*p++ - '0');
			keep = cpu_in(cpus, ncpus, cpu);
			if (keep) {
				/* "processor\t: N", N the jail's number */
				const char *colon = memchr(line, ':', llen);

				put(&o, line, (size_t)(colon - line) + 2);
				put_num(&o, next++, 0);
				put(&o, "\n", 1);
			}
		} else if (keep) {
			put(&o, line, llen);
		}
		line += llen;
	}
	return o.full ? 0 : o.len;
}

int vj_gen_cpulist(const char *list, uint8_t *cpus, unsigned int ncpus)
{
	const char *p = list;
	int n = 0;

	memset(cpus, 0, (ncpus + 7) / 8);
	while (*p != '\0' && *p != '\n') {
		uint64_t a = 0, b;

		if (!is_digit(*p))
			return -1;
		while (is_digit(*p))
			a = a * 10 + (uint64_t)(*p++ - '0');
		b = a;
		if (*p == '-') {
			p++;
			if (!is_digit(*p))
				return -1;
			b = 0;
			while (is_digit(*p))
				b = b * 10 + (uint64_t)(*p++ - '0');
		}
		if (b < a || b >= ncpus)
			return -1;
		for (uint64_t c = a; c <= b; c++) {
			if (!((cpus[c / 8] >> (c % 8)) & 1))
				n++;
			cpus[c / 8] |= (uint8_t)(1u << (c % 8));
		}
		if (*p == ',')
			p++;
		else if (*p != '\0' && *p != '\n')
			return -1;
	}
	return n;
}
