/* libvjail/unify.c - unification: vjail_unify() and vjail_unify_usage().
 *
 * Owns a whole unification run: walking the jail trees, grouping candidate
 * files, confirming duplicates, protecting the shared copy, replacing paths
 * atomically, splitting a tree off again, and the per-root disk accounting.
 * It keeps no state between calls and never touches a jail handle.
 *
 * Why it is shaped this way:
 *  - The jails own their directories and may be running. Every file is
 *    therefore reached from a root descriptor one component at a time with
 *    O_NOFOLLOW, and each directory is checked against the device and
 *    inode the walk saw: a jail that swaps a directory for a symlink to the
 *    host's /etc between our scan and our rename gets a "changed", never a
 *    host file replaced.
 *  - The copy that becomes shared is made unwritable (new owner, no write
 *    bits) *before* its content is compared, and a read lease then proves
 *    that no process still has it open for writing (the kernel refuses a
 *    read lease while a writer exists, write mappings included). From then
 *    on its content is final, so a jail that kept a writable descriptor on
 *    its own file cannot change what the other jails see.
 *  - The shared copy is linked from the descriptor that was compared
 *    (linkat AT_EMPTY_PATH, or /proc/self/fd without CAP_DAC_READ_SEARCH),
 *    never from its path.
 *  - A path is replaced with RENAME_EXCHANGE: the old inode stays under a
 *    temporary name until we have checked that it is the one we compared
 *    and that it did not change since; otherwise the exchange is undone.
 *  - Speed: one stat per entry (d_type spares it for what is not a file or
 *    directory), groups by device, size, owner and mode, then a direct
 *    compare for small groups and a keyed 64-bit hash for large ones.
 *    Trees are walked and groups processed by up to two threads (measured:
 *    see vjail_unify(3)).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <linux/capability.h>

#include "vjail.h"
#include "unify.h"

#define MAX_ROOTS 4096
#define MAX_THREADS 64
#define MAX_DEPTH 64		/* deeper directories are skipped: each level
				   holds a descriptor, in every walking
				   thread, and real trees stay below 30 */
#define HASH_MIN_GROUP 5	/* groups of this many inodes are hashed */
#define HEAD_BYTES 4096		/* screened before protecting a master */
#define MAX_ROUNDS 8		/* masters tried per group: bounds the work
				   a jail can cause with crafted collisions */
#define IOBUF (256u << 10)
#define MASTER_CACHE (4u << 20)	/* masters this small are read once */
#define DCACHE_N 32		/* directory descriptors kept per worker */
#define XLIST 4096		/* extended attribute names per file */
#define NO_DIR UINT32_MAX
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#ifdef VJ_TESTING
void (*vj_unify_test_hook)(enum vj_unify_hook_point point, const char *path);
#define TEST_HOOK(point, path)                                                 \
	do {                                                                   \
		if (vj_unify_test_hook != NULL)                                \
			vj_unify_test_hook(point, path);                       \
	} while (0)
#else
#define TEST_HOOK(point, path) ((void)0)
#endif

/* Directories excluded unless VJAIL_UNIFY_NO_DEFAULT_EXCLUDES: config,
 * state, user data and kernel filesystems, which a jail changes or which
 * are not files at all. Matched against the path inside the root. */
static const char *const default_excludes[] = {
	"etc", "var", "home", "root", "tmp", "run", "srv",
	"mnt", "media", "proc", "sys", "dev", "lost+found", NULL,
};

enum walk_mode {
	WALK_UNIFY,	/* patterns, eligibility, the owner's markers */
	WALK_ALL,	/* every regular file; markers of shared inodes */
};

struct pattern {
	char *s;		/* normalized copy, NUL-terminated */
	size_t len;
	size_t prefix;	/* bytes before the first wildcard */
	bool literal;
};

struct udir {
	uint32_t parent;	/* NO_DIR for the root */
	uint32_t name;		/* offset in the tree's name pool */
	dev_t dev;
	ino_t ino;
};

#define UF_MARKED (1u << 0)	/* identity read from the marker */
#define UF_SMALL (1u << 1)	/* below min_size: scanned, not a candidate */
#define UF_SKIP (1u << 2)	/* not eligible */

struct ufile {
	uint32_t tree;
	uint32_t dir;
	uint32_t name;		/* offset in the tree's name pool */
	uint32_t flags;		/* UF_* */
	uint64_t seq;		/* walk order, for deterministic choices */
	dev_t dev;
	ino_t ino;
	uint64_t size;
	uint64_t blocks;
	uint64_t nlink;
	uid_t uid;		/* identity: before protection when marked */
	gid_t gid;
	mode_t mode;
	struct timespec mtime;
};

struct utree {
	const char *path;	/* as the caller gave it */
	int fd;			/* the root, open for the whole run */
	dev_t dev;
	ino_t ino;
	bool reference;
	struct udir *dirs;
	size_t ndirs, cdirs;
	char *pool;
	size_t npool, cpool;
	struct ufile *files;
	size_t nfiles, cfiles;
	uint64_t skipped;	/* unreadable or too deep directories */
	char msg[PATH_MAX];	/* paths in the walk's error messages */
};

/* One inode of a group: its paths are files[first .. first + npaths). */
struct uinode {
	size_t first;
	uint32_t npaths;
	uint32_t drop;		/* left out of the current round */
	uint64_t hash;
};

struct ugroup {
	size_t first;		/* into inodes[] */
	size_t n;
	uint64_t size;
};

struct uctx {
	unsigned int flags;
	uint64_t min_size;
	uid_t owner_uid;
	gid_t owner_gid;
	struct pattern *excl, *incl;
	size_t nexcl, nincl;
	vjail_unify_log_t log;
	void *log_arg;
	unsigned int nthreads;
	uint64_t seed;
	bool protect;		/* protect shared copies (not split) */
	enum walk_mode walk_mode;

	struct utree *trees;
	size_t ntrees;
	size_t next;		/* work index, atomic */

	struct ufile *files;
	size_t nfiles;
	struct uinode *inodes;
	size_t ninodes;
	struct ugroup *groups;
	size_t ngroups;

	int empty_path_link;	/* -1 unknown, 0 /proc, 1 AT_EMPTY_PATH */
	int stop;		/* set on the first error, atomic */
	int err;
	pthread_mutex_t lock;	/* err, errbuf, log */
	char *errbuf;
	size_t errlen;
	struct vjail_unify_report rep;	/* walk and grouping counters */
};

struct dcache_ent {
	uint32_t tree;
	uint32_t dir;
	int fd;
	uint64_t used;
};

struct uworker {
	struct uctx *c;
	unsigned int id;
	pthread_t th;
	int rc;
	struct vjail_unify_report rep;
	struct dcache_ent dc[DCACHE_N];
	uint64_t clock;
	uint64_t seq;		/* temporary names */
	unsigned char *buf, *buf2;	/* IOBUF each */
	unsigned char *mbuf;	/* master content, when small */
	size_t mcap;
	char xl1[XLIST], xl2[XLIST];
	char xv1[XLIST], xv2[XLIST];
	char mp[PATH_MAX];	/* the master's path */
	char dp[PATH_MAX];	/* the duplicate's path */
	char p1[PATH_MAX];	/* scratch, for error messages */
	char lp[PATH_MAX];	/* the logged path */
};

/* ---- errors -------------------------------------------------------------- */

/* Record the first error of the run as "<step> <object>: <reason>", stop
 * the other threads, and return -err. */
static int __attribute__((format(printf, 3, 4)))
fail(struct uctx *c, int err, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&c->lock);
	if (c->err == 0) {
		c->err = err;
		if (c->errbuf != NULL && c->errlen > 0) {
			size_t len;

			va_start(ap, fmt);
			vsnprintf(c->errbuf, c->errlen, fmt, ap);
			va_end(ap);
			len = strlen(c->errbuf);
			snprintf(c->errbuf + len, c->errlen - len, ": %s",
				 strerrordesc_np(err) ? strerrordesc_np(err) :
							"Unknown error");
		}
	}
	pthread_mutex_unlock(&c->lock);
	__atomic_store_n(&c->stop, 1, __ATOMIC_RELAXED);
	return -err;
}

/* The same for a bad argument, where strerror(EINVAL) adds nothing. */
static int __attribute__((format(printf, 4, 5)))
bad_arg(char *errbuf, size_t errlen, int err, const char *fmt, ...)
{
	va_list ap;

	if (errbuf != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(errbuf, errlen, fmt, ap);
		va_end(ap);
	}
	return -err;
}

static bool stopped(struct uctx *c)
{
	return __atomic_load_n(&c->stop, __ATOMIC_RELAXED) != 0;
}

/* errno values that mean "the tree changed under us", not a failure. */
static bool vanished(int err)
{
	return err == ENOENT || err == ESTALE || err == ELOOP ||
	       err == ENOTDIR;
}

/* ---- the hash ------------------------------------------------------------ */

/* Four independent multiply-rotate lanes over 32-byte stripes, so the CPU
 * overlaps the multiplications; a final avalanche mixes lanes, tail and
 * length. Keyed with a random seed per run: a jail cannot precompute files
 * that collide, and MAX_ROUNDS bounds what collisions could cost anyway. */
#define HK1 UINT64_C(0x9e3779b97f4a7c15)
#define HK2 UINT64_C(0xd1b54a32d192ed03)
#define HK3 UINT64_C(0xff51afd7ed558ccd)

struct hstate {
	uint64_t v[4];
	uint64_t len;
	unsigned char tail[32];
	size_t ntail;
};

static inline uint64_t rotl64(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static inline uint64_t hround(uint64_t acc, uint64_t w)
{
	return rotl64(acc ^ (w * HK2), 29) * HK1;
}

static inline uint64_t load64(const unsigned char *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof(w));
	return w;
}

static void hash_init(struct hstate *h, uint64_t seed)
{
	h->v[0] = seed ^ HK1;
	h->v[1] = seed + HK2;
	h->v[2] = rotl64(seed, 17) ^ HK3;
	h->v[3] = ~seed;
	h->len = 0;
	h->ntail = 0;
}

static void hash_stripes(struct hstate *h, const unsigned char *p, size_t n)
{
	uint64_t a = h->v[0], b = h->v[1], c = h->v[2], d = h->v[3];

	for (; n >= 32; p += 32, n -= 32) {
		a = hround(a, load64(p));
		b = hround(b, load64(p + 8));
		c = hround(c, load64(p + 16));
		d = hround(d, load64(p + 24));
	}
	h->v[0] = a, h->v[1] = b, h->v[2] = c, h->v[3] = d;
}

static void hash_update(struct hstate *h, const void *data, size_t n)
{
	const unsigned char *p = data;

	h->len += n;
	if (h->ntail > 0) {
		size_t take = 32 - h->ntail < n ? 32 - h->ntail : n;

		memcpy(h->tail + h->ntail, p, take);
		h->ntail += take;
		p += take;
		n -= take;
		if (h->ntail < 32)
			return;
		hash_stripes(h, h->tail, 32);
		h->ntail = 0;
	}
	hash_stripes(h, p, n & ~(size_t)31);
	p += n & ~(size_t)31;
	n &= 31;
	memcpy(h->tail, p, n);
	h->ntail = n;
}

static uint64_t hash_final(struct hstate *h)
{
	unsigned char last[32] = { 0 };
	uint64_t x;

	memcpy(last, h->tail, h->ntail);
	x = rotl64(h->v[0], 1) + rotl64(h->v[1], 7) + rotl64(h->v[2], 12) +
	    rotl64(h->v[3], 18);
	for (int i = 0; i < 4; i++)
		x = (x ^ hround(h->v[i], load64(last + 8 * i))) * HK1 + HK3;
	x ^= h->len;
	x ^= x >> 33;
	x *= HK3;
	x ^= x >> 29;
	x *= HK2;
	x ^= x >> 32;
	return x;
}

uint64_t vj_unify_hash(const void *data, size_t len, uint64_t seed)
{
	struct hstate h;

	hash_init(&h, seed);
	hash_update(&h, data, len);
	return hash_final(&h);
}

/* ---- patterns ------------------------------------------------------------ */

static int add_patterns(struct pattern **v, size_t *n,
			const char *const *list, char *errbuf, size_t errlen)
{
	struct pattern *np;
	size_t count = 0;

	for (const char *const *p = list; p != NULL && *p != NULL; p++)
		count++;
	if (count == 0)
		return 0;
	np = reallocarray(*v, *n + count, sizeof(**v));
	if (np == NULL)
		return bad_arg(errbuf, errlen, ENOMEM,
			       "patterns: out of memory");
	*v = np;
	for (const char *const *p = list; *p != NULL; p++) {
		struct pattern *pt = &(*v)[*n];
		const char *s = *p;
		size_t len;

		while (*s == '/')
			s++;	/* "/etc" and "etc" both mean the top etc */
		len = strlen(s);
		while (len > 0 && s[len - 1] == '/')
			len--;	/* "etc/" too */
		if (len == 0)
			return bad_arg(errbuf, errlen, EINVAL,
				       "pattern \"%s\": empty", *p);
		pt->s = strndup(s, len);
		if (pt->s == NULL)
			return bad_arg(errbuf, errlen, ENOMEM,
				       "patterns: out of memory");
		pt->len = len;
		pt->prefix = strcspn(s, "*?[\\");
		if (pt->prefix > len)
			pt->prefix = len;
		pt->literal = pt->prefix == len;
		(*n)++;	/* only now: teardown frees what is counted */
	}
	return 0;
}

/* Does @rel (length @len, relative to the root) match one of @v? Literal
 * patterns (all the defaults) cost a length check, not an fnmatch(3). */
static bool match_any(const struct pattern *v, size_t n, const char *rel,
		      size_t len)
{
	for (size_t i = 0; i < n; i++) {
		const struct pattern *p = &v[i];

		if (p->literal) {
			if (p->len == len && memcmp(p->s, rel, len) == 0)
				return true;
		} else if (len >= p->prefix &&
			   memcmp(p->s, rel, p->prefix) == 0 &&
			   fnmatch(p->s, rel, 0) == 0) {
			return true;
		}
	}
	return false;
}

/* Could an include pattern match something below the excluded directory
 * @rel? Then the walk must still descend into it. */
static bool include_below(const struct uctx *c, const char *rel, size_t len)
{
	for (size_t i = 0; i < c->nincl; i++) {
		const struct pattern *p = &c->incl[i];
		size_t k = p->prefix < len ? p->prefix : len;

		if (memcmp(p->s, rel, k) != 0)
			continue;
		if (p->prefix > len && p->s[len] == '/')
			return true;	/* "var/lib/x" below "var" */
		if (p->prefix <= len)
			return true;	/* a wildcard may reach below */
	}
	return false;
}

/* ---- growing arrays ------------------------------------------------------ */

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t ncap;
	void *np;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 1024;
	while (ncap < need)
		ncap *= 2;
	np = reallocarray(*p, ncap, elem);
	if (np == NULL)
		return -ENOMEM;
	*p = np;
	*cap = ncap;
	return 0;
}

static int pool_add(struct utree *t, const char *name, uint32_t *off)
{
	size_t len = strlen(name) + 1;

	if (t->npool + len > UINT32_MAX)
		return -ENOMEM;	/* 4 GiB of names in one tree */
	if (grow((void **)&t->pool, &t->cpool, t->npool + len, 1) < 0)
		return -ENOMEM;
	memcpy(t->pool + t->npool, name, len);
	*off = (uint32_t)t->npool;
	t->npool += len;
	return 0;
}

/* ---- paths for messages -------------------------------------------------- */

/* "<root>/<dir>/.../<name>" of a file, cut at @len; for messages and logs
 * only, never to open anything. */
static const char *tree_path(const struct utree *t, uint32_t dir,
			     const char *name, char *buf, size_t len)
{
	uint32_t chain[MAX_DEPTH + 2];
	size_t n = 0, off;

	for (uint32_t d = dir; d != NO_DIR && n < ARRAY_LEN(chain);
	     d = t->dirs[d].parent)
		chain[n++] = d;
	off = (size_t)snprintf(buf, len, "%s", t->path);
	/* chain[n - 1] is the root itself */
	for (size_t i = n - 1; i-- > 0 && off < len;)
		off += (size_t)snprintf(buf + off, len - off, "/%s",
					t->pool + t->dirs[chain[i]].name);
	if (name != NULL && off < len)
		snprintf(buf + off, len - off, "/%s", name);
	return buf;
}

static const char *file_path(const struct uctx *c, const struct ufile *f,
			     char *buf, size_t len)
{
	const struct utree *t = &c->trees[f->tree];

	return tree_path(t, f->dir, t->pool + f->name, buf, len);
}

/* ---- the marker ---------------------------------------------------------- */

static bool uniform_rx(mode_t m)
{
	mode_t u = (m >> 6) & 5, g = (m >> 3) & 5, o = m & 5;

	return u == g && g == o;
}

/* Read and check the marker on @fd: 1 and the original identity when
 * present and sane, 0 when absent, -errno on failure. */
static int marker_read(int fd, uid_t *uid, gid_t *gid, mode_t *mode)
{
	char v[64];
	unsigned int u, g, m;
	ssize_t n;
	int end = 0;

	n = fgetxattr(fd, VJ_UNIFY_MARKER, v, sizeof(v) - 1);
	if (n < 0) {
		/* ENODATA: not marked. ENOTSUP: no xattrs here. EPERM or
		 * EACCES: unprivileged callers cannot see trusted.* */
		if (errno == ENODATA || errno == ENOTSUP || errno == EPERM ||
		    errno == EACCES || errno == ERANGE)
			return 0;
		return -errno;
	}
	v[n] = '\0';
	if (sscanf(v, "v1 %u %u %o%n", &u, &g, &m, &end) != 3 ||
	    (size_t)end != (size_t)n || m > 0777 || u == UINT_MAX ||
	    g == UINT_MAX)
		return 0;	/* not ours, or damaged: ignore it */
	*uid = u;
	*gid = g;
	*mode = m;
	return 1;
}

/* ---- the walk ------------------------------------------------------------ */

static int add_dir(struct uctx *c, struct utree *t, uint32_t parent,
		   const char *name, const struct stat *st, uint32_t *idx)
{
	struct udir *d;
	uint32_t off = 0;

	if (t->ndirs >= NO_DIR - 1)
		return fail(c, ENOMEM, "walk %s: too many directories",
			    t->path);
	if (grow((void **)&t->dirs, &t->cdirs, t->ndirs + 1,
		 sizeof(*t->dirs)) < 0 ||
	    (name != NULL && pool_add(t, name, &off) < 0))
		return fail(c, ENOMEM, "walk %s", t->path);
	d = &t->dirs[t->ndirs];
	d->parent = parent;
	d->name = off;
	d->dev = st->st_dev;
	d->ino = st->st_ino;
	*idx = (uint32_t)t->ndirs++;
	return 0;
}

static int add_file(struct uctx *c, struct utree *t, uint32_t dir, int dfd,
		    const char *name, const struct stat *st)
{
	struct ufile *f;
	uint32_t flags = 0;
	uid_t uid = st->st_uid;
	gid_t gid = st->st_gid;
	mode_t mode = st->st_mode & 07777;
	bool want_marker;

	/* The marker tells the identity a shared copy had before it was
	 * protected, so that a later run can link new copies to it. Reading
	 * it costs an open, so only where it can be: files of the shared
	 * owner, or (accounting, split) inodes linked more than once. */
	if (c->walk_mode == WALK_UNIFY)
		want_marker = c->protect && st->st_uid == c->owner_uid;
	else
		want_marker = st->st_nlink > 1 || st->st_uid == c->owner_uid;
	if (want_marker) {
		int fd = openat(dfd, name,
				O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
					O_CLOEXEC);
		int rc;

		if (fd < 0) {
			if (vanished(errno) || errno == EACCES ||
			    errno == EPERM)
				return 0;
			return fail(c, errno, "open %s",
				    tree_path(t, dir, name, t->msg,
					      sizeof(t->msg)));
		}
		rc = marker_read(fd, &uid, &gid, &mode);
		close(fd);
		if (rc < 0)
			return fail(c, -rc, "read %s of %s", VJ_UNIFY_MARKER,
				    tree_path(t, dir, name,
					      t->msg, sizeof(t->msg)));
		if (rc > 0)
			flags |= UF_MARKED;
		else {
			uid = st->st_uid;
			gid = st->st_gid;
			mode = st->st_mode & 07777;
		}
	}
	if (c->walk_mode == WALK_UNIFY) {
		if (st->st_size == 0 || (uint64_t)st->st_size < c->min_size)
			flags |= UF_SMALL;
		else if (c->protect &&
			 ((mode & 07000) != 0 || !uniform_rx(mode)))
			/* Set-id files: a new owner would either drop the bit
			 * (chown clears it) or hand out the shared owner, and
			 * keeping a root owner would leave the copy writable
			 * by a jail that runs as uid 0 without capabilities.
			 * A mode like 0640 reads differently for a new owner.
			 * Without protection, owner and mode stay: no issue. */
			flags |= UF_SKIP;
	}
	if (grow((void **)&t->files, &t->cfiles, t->nfiles + 1,
		 sizeof(*t->files)) < 0)
		return fail(c, ENOMEM, "walk %s", t->path);
	f = &t->files[t->nfiles];
	memset(f, 0, sizeof(*f));
	if (pool_add(t, name, &f->name) < 0)
		return fail(c, ENOMEM, "walk %s", t->path);
	f->tree = (uint32_t)(t - c->trees);
	f->dir = dir;
	f->flags = flags;
	f->seq = t->nfiles;
	f->dev = st->st_dev;
	f->ino = st->st_ino;
	f->size = (uint64_t)st->st_size;
	f->blocks = (uint64_t)st->st_blocks;
	f->nlink = st->st_nlink;
	f->uid = uid;
	f->gid = gid;
	f->mode = mode;
	f->mtime = st->st_mtim;
	t->nfiles++;
	return 0;
}

/* Walk the directory open on @fd (taken over and closed here). @rel holds
 * the path inside the root, @rlen bytes long; @excluded is inherited from
 * an excluded ancestor. */
static int walk_dir(struct uctx *c, struct utree *t, int fd, uint32_t didx,
		    char *rel, size_t rlen, bool excluded, int depth)
{
	struct dirent *de;
	DIR *d = fdopendir(fd);
	int rc = 0;

	if (d == NULL) {
		int e = errno;

		close(fd);
		return fail(c, e, "read directory %s",
			    tree_path(t, didx, NULL, t->msg, sizeof(t->msg)));
	}
	for (;;) {
		const char *name;
		struct stat st;
		bool have_st = false, ex, inc;
		size_t nlen, plen;
		unsigned char type;

		errno = 0;
		de = readdir(d);
		if (de == NULL) {
			if (errno != 0)
				rc = fail(c, errno, "read directory %s",
					  tree_path(t, didx, NULL,
						    t->msg, sizeof(t->msg)));
			break;
		}
		if (stopped(c)) {
			rc = -ECANCELED;
			break;
		}
		name = de->d_name;
		if (name[0] == '.' &&
		    (name[1] == '\0' || (name[1] == '.' && name[2] == '\0')))
			continue;
		nlen = strlen(name);
		plen = rlen + (rlen > 0) + nlen;
		if (plen >= PATH_MAX) {
			t->skipped++;	/* too long to match or report */
			continue;
		}
		if (rlen > 0)
			rel[rlen] = '/';
		memcpy(rel + rlen + (rlen > 0), name, nlen + 1);
		ex = excluded ||
		     (c->walk_mode == WALK_UNIFY &&
		      match_any(c->excl, c->nexcl, rel, plen));
		inc = ex && match_any(c->incl, c->nincl, rel, plen);
		type = de->d_type;
		if (type == DT_UNKNOWN) {
			if (fstatat(dirfd(d), name, &st,
				    AT_SYMLINK_NOFOLLOW) < 0) {
				if (vanished(errno))
					continue;
				rc = fail(c, errno, "stat %s",
					  tree_path(t, didx, name,
						    t->msg, sizeof(t->msg)));
				break;
			}
			have_st = true;
			type = S_ISDIR(st.st_mode) ? DT_DIR :
			       S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
		}
		if (type == DT_DIR) {
			uint32_t cidx;
			int cfd;

			if (ex && !inc && !include_below(c, rel, plen))
				continue;
			if (depth >= MAX_DEPTH) {
				t->skipped++;
				continue;
			}
			cfd = openat(dirfd(d), name,
				     O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					     O_CLOEXEC);
			if (cfd < 0) {
				if (vanished(errno))
					continue;
				if (errno == EACCES || errno == EPERM) {
					t->skipped++;	/* unprivileged */
					continue;
				}
				rc = fail(c, errno, "open directory %s",
					  tree_path(t, didx, name,
						    t->msg, sizeof(t->msg)));
				break;
			}
			if (fstat(cfd, &st) < 0) {
				rc = fail(c, errno, "stat directory %s",
					  tree_path(t, didx, name,
						    t->msg, sizeof(t->msg)));
				close(cfd);
				break;
			}
			if (st.st_dev != t->dev) {
				close(cfd);	/* another mount: stay out */
				continue;
			}
			rc = add_dir(c, t, didx, name, &st, &cidx);
			if (rc < 0) {
				close(cfd);
				break;
			}
			rc = walk_dir(c, t, cfd, cidx, rel, plen, ex && !inc,
				      depth + 1);
			if (rc < 0)
				break;
		} else if (type == DT_REG) {
			if (ex && !inc)
				continue;
			if (!have_st && fstatat(dirfd(d), name, &st,
						AT_SYMLINK_NOFOLLOW) < 0) {
				if (vanished(errno))
					continue;
				rc = fail(c, errno, "stat %s",
					  tree_path(t, didx, name,
						    t->msg, sizeof(t->msg)));
				break;
			}
			if (!S_ISREG(st.st_mode))
				continue;	/* replaced since readdir */
			rc = add_file(c, t, didx, dirfd(d), name, &st);
			if (rc < 0)
				break;
		}
		/* Symlinks, devices, fifos and sockets are never touched. */
	}
	rel[rlen] = '\0';
	closedir(d);
	return rc;
}

static int walk_tree(struct uctx *c, struct utree *t)
{
	char *rel;
	struct stat st;
	uint32_t root;
	int fd, rc;

	if (fstat(t->fd, &st) < 0)
		return fail(c, errno, "stat root %s", t->path);
	rc = add_dir(c, t, NO_DIR, NULL, &st, &root);
	if (rc < 0)
		return rc;
	fd = openat(t->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return fail(c, errno, "open root %s", t->path);
	rel = malloc(PATH_MAX);
	if (rel == NULL) {
		close(fd);
		return fail(c, ENOMEM, "walk %s", t->path);
	}
	rel[0] = '\0';
	rc = walk_dir(c, t, fd, root, rel, 0, false, 0);
	free(rel);
	return rc;
}

/* ---- threads ------------------------------------------------------------- */

typedef int (*job_fn_t)(struct uworker *w, size_t item);

struct job {
	struct uworker *w;
	job_fn_t fn;
	size_t nitems;
};

static void *job_thread(void *arg)
{
	struct job *j = arg;
	struct uctx *c = j->w->c;

	for (;;) {
		size_t i = __atomic_fetch_add(&c->next, 1, __ATOMIC_RELAXED);
		int rc;

		if (i >= j->nitems || stopped(c))
			break;
		rc = j->fn(j->w, i);
		if (rc < 0) {
			j->w->rc = rc;
			break;
		}
	}
	return NULL;
}

/* Run @fn on items 0..@nitems-1 with the workers, the calling thread being
 * worker 0. Worker threads block every signal: the caller's signals stay
 * with the caller's threads. */
static int run_jobs(struct uctx *c, struct uworker *ws, job_fn_t fn,
		    size_t nitems)
{
	struct job jobs[MAX_THREADS];
	bool started[MAX_THREADS] = { false };
	unsigned int n = c->nthreads;
	sigset_t all, old;
	int rc = 0;

	if ((size_t)n > nitems)
		n = nitems > 0 ? (unsigned int)nitems : 1;
	c->next = 0;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (unsigned int i = 0; i < n; i++) {
		jobs[i] = (struct job){ .w = &ws[i], .fn = fn,
					.nitems = nitems };
		ws[i].rc = 0;
		/* Not enough resources for a thread is not a failure:
		 * the others (at least the caller) do its share. */
		if (i > 0 && pthread_create(&ws[i].th, NULL, job_thread,
					    &jobs[i]) == 0)
			started[i] = true;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	job_thread(&jobs[0]);
	for (unsigned int i = 1; i < n; i++)
		if (started[i])
			pthread_join(ws[i].th, NULL);
	for (unsigned int i = 0; i < n; i++)
		if (ws[i].rc < 0 && rc == 0)
			rc = ws[i].rc;
	if (rc == 0 && c->err != 0)
		rc = -c->err;
	return rc;
}

static int walk_job(struct uworker *w, size_t item)
{
	return walk_tree(w->c, &w->c->trees[item]);
}

/* ---- directory descriptors ----------------------------------------------- */

/* A descriptor for directory @dir of tree @tree, reached from the root one
 * component at a time (O_NOFOLLOW) and checked against what the walk saw.
 * -ESTALE when the tree changed there. The descriptor belongs to the cache:
 * use it before the next dir_fd() call. */
static int dir_fd(struct uworker *w, uint32_t tree, uint32_t dir)
{
	struct utree *t = &w->c->trees[tree];
	const struct udir *d = &t->dirs[dir];
	struct dcache_ent *victim = &w->dc[0];
	struct stat st;
	int pfd, fd;

	if (d->parent == NO_DIR)
		return t->fd;
	for (int i = 0; i < DCACHE_N; i++) {
		struct dcache_ent *e = &w->dc[i];

		if (e->fd >= 0 && e->tree == tree && e->dir == dir) {
			e->used = ++w->clock;
			return e->fd;
		}
		if (e->fd < 0 || e->used < victim->used)
			victim = e;
	}
	pfd = dir_fd(w, tree, d->parent);
	if (pfd < 0)
		return pfd;
	fd = openat(pfd, t->pool + d->name,
		    O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return vanished(errno) ? -ESTALE : -errno;
	if (fstat(fd, &st) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	if (st.st_dev != d->dev || st.st_ino != d->ino) {
		close(fd);
		return -ESTALE;
	}
	/* The recursive call above may have filled the victim slot. */
	for (int i = 0; i < DCACHE_N; i++)
		if (w->dc[i].fd < 0 || w->dc[i].used < victim->used)
			victim = &w->dc[i];
	if (victim->fd >= 0)
		close(victim->fd);
	victim->tree = tree;
	victim->dir = dir;
	victim->fd = fd;
	victim->used = ++w->clock;
	return fd;
}

/* ---- files --------------------------------------------------------------- */

enum {
	OPEN_OK = 0,
	OPEN_CHANGED = 1,	/* gone, moved or modified since the walk */
	OPEN_DENIED = 2,	/* not readable by this caller */
};

/* Open the path @f for reading and check it is still the inode, size and
 * mtime the walk saw. */
static int open_file(struct uworker *w, const struct ufile *f, int *fdp,
		     struct stat *st)
{
	struct uctx *c = w->c;
	const char *name = c->trees[f->tree].pool + f->name;
	int dfd, fd;

	*fdp = -1;
	dfd = dir_fd(w, f->tree, f->dir);
	if (dfd == -ESTALE)
		return OPEN_CHANGED;
	if (dfd == -EACCES || dfd == -EPERM)
		return OPEN_DENIED;
	if (dfd < 0)
		return fail(c, -dfd, "open directory of %s",
			    file_path(c, f, w->p1, sizeof(w->p1)));
	/* O_NOATIME: reading a whole tree should not dirty every inode's
	 * atime; it needs ownership or CAP_FOWNER, hence the retry. */
	fd = openat(dfd, name,
		    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOATIME);
	if (fd < 0 && errno == EPERM)
		fd = openat(dfd, name,
			    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (vanished(errno))
			return OPEN_CHANGED;
		if (errno == EACCES || errno == EPERM)
			return OPEN_DENIED;
		return fail(c, errno, "open %s",
			    file_path(c, f, w->p1, sizeof(w->p1)));
	}
	if (fstat(fd, st) < 0) {
		int e = errno;

		close(fd);
		return fail(c, e, "stat %s",
			    file_path(c, f, w->p1, sizeof(w->p1)));
	}
	if (!S_ISREG(st->st_mode) || st->st_dev != f->dev ||
	    st->st_ino != f->ino || (uint64_t)st->st_size != f->size ||
	    st->st_mtim.tv_sec != f->mtime.tv_sec ||
	    st->st_mtim.tv_nsec != f->mtime.tv_nsec) {
		close(fd);
		return OPEN_CHANGED;
	}
	*fdp = fd;
	return OPEN_OK;
}

/* Did the file behind @fd change since @before (content or size)? */
static int changed_since(struct uctx *c, int fd, const struct stat *before,
			 const char *path)
{
	struct stat now;

	if (fstat(fd, &now) < 0)
		return fail(c, errno, "stat %s", path);
	return now.st_size != before->st_size ||
	       now.st_mtim.tv_sec != before->st_mtim.tv_sec ||
	       now.st_mtim.tv_nsec != before->st_mtim.tv_nsec;
}

static ssize_t pread_full(int fd, void *buf, size_t len, off_t off)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = pread(fd, (char *)buf + got, len - got,
				  off + (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* Read the master's first @size bytes into w->mbuf when it fits: compared
 * against every duplicate, it is then read once. 1 loaded, 0 too big. */
static int load_master(struct uworker *w, int mfd, uint64_t size,
		       const char *path)
{
	ssize_t n;

	if (size > MASTER_CACHE)
		return 0;
	if (size > w->mcap) {
		size_t cap = w->mcap ? w->mcap : 64 << 10;
		unsigned char *p;

		while (cap < size)
			cap *= 2;
		p = realloc(w->mbuf, cap);
		if (p == NULL)
			return fail(w->c, ENOMEM, "read %s", path);
		w->mbuf = p;
		w->mcap = cap;
	}
	n = pread_full(mfd, w->mbuf, size, 0);
	if (n < 0)
		return fail(w->c, (int)-n, "read %s", path);
	if ((uint64_t)n != size)
		return fail(w->c, EIO, "read %s: short file", path);
	return 1;
}

/* Compare the first @len bytes of @dfd with the master (w->mbuf when
 * @cached, else @mfd). 1 equal, 0 different or short, -errno. */
static int same_bytes(struct uworker *w, int mfd, bool cached, int dfd,
		      uint64_t len, const char *path)
{
	for (uint64_t off = 0; off < len;) {
		size_t n = len - off < IOBUF ? (size_t)(len - off) : IOBUF;
		ssize_t r = pread_full(dfd, w->buf, n, (off_t)off);

		if (r < 0)
			return fail(w->c, (int)-r, "read %s", path);
		if ((size_t)r != n)
			return 0;
		if (cached) {
			if (memcmp(w->buf, w->mbuf + off, n) != 0)
				return 0;
		} else {
			r = pread_full(mfd, w->buf2, n, (off_t)off);
			if (r < 0)
				return fail(w->c, (int)-r, "read shared copy "
					    "for %s", path);
			if ((size_t)r != n || memcmp(w->buf, w->buf2, n) != 0)
				return 0;
		}
		off += n;
	}
	return 1;
}

static int hash_file(struct uworker *w, int fd, uint64_t size, uint64_t *h,
		     const char *path)
{
	struct hstate hs;

	hash_init(&hs, w->c->seed);
	for (uint64_t off = 0; off < size;) {
		size_t n = size - off < IOBUF ? (size_t)(size - off) : IOBUF;
		ssize_t r = pread_full(fd, w->buf, n, (off_t)off);

		if (r < 0)
			return fail(w->c, (int)-r, "read %s", path);
		if ((size_t)r != n)
			return OPEN_CHANGED;
		hash_update(&hs, w->buf, n);
		off += n;
	}
	*h = hash_final(&hs);
	return 0;
}

/* ---- extended attributes ------------------------------------------------- */

/* Names of @fd's extended attributes except our marker, NUL-separated in
 * @buf; returns the length, or -E2BIG when there are too many to compare
 * (the file is then treated as different from all others). */
static ssize_t xattr_names(int fd, char *buf, size_t len)
{
	ssize_t n = flistxattr(fd, buf, len);
	size_t out = 0;

	if (n < 0)
		return errno == ERANGE ? -E2BIG :
		       errno == ENOTSUP ? 0 : -errno;
	for (size_t i = 0; i < (size_t)n;) {
		size_t l = strlen(buf + i) + 1;

		if (strcmp(buf + i, VJ_UNIFY_MARKER) != 0) {
			memmove(buf + out, buf + i, l);
			out += l;
		}
		i += l;
	}
	return (ssize_t)out;
}

/* Attributes that rule a file out when its owner is about to change:
 * chown(2) drops file capabilities, and an ACL keeps granting rights to
 * named users whatever the new owner. */
static bool xattrs_forbid_protect(const char *names, size_t len)
{
	for (size_t i = 0; i < len; i += strlen(names + i) + 1)
		if (strcmp(names + i, "security.capability") == 0 ||
		    strcmp(names + i, "system.posix_acl_access") == 0)
			return true;
	return false;
}

/* Same set of names and values? w->xl1 holds the master's names (@mlen
 * bytes) on entry. 1 same, 0 different, -errno. */
static int xattrs_same(struct uworker *w, int mfd, size_t mlen, int dfd,
		       const char *path)
{
	ssize_t dlen = xattr_names(dfd, w->xl2, sizeof(w->xl2));

	if (dlen == -E2BIG)
		return 0;
	if (dlen < 0)
		return fail(w->c, (int)-dlen, "list attributes of %s", path);
	if ((size_t)dlen != mlen)
		return 0;
	for (size_t i = 0; i < mlen; i += strlen(w->xl1 + i) + 1) {
		ssize_t a = fgetxattr(mfd, w->xl1 + i, w->xv1,
				      sizeof(w->xv1));
		ssize_t b = fgetxattr(dfd, w->xl1 + i, w->xv2,
				      sizeof(w->xv2));

		if (a < 0 || b < 0 || a != b || memcmp(w->xv1, w->xv2,
						       (size_t)a) != 0)
			return 0;
	}
	return 1;
}

/* ---- protection ---------------------------------------------------------- */

/* Make the master the shared copy: marker (the identity it had), shared
 * owner, no write bits. Then prove that nobody holds it open for writing.
 * Returns 0 done, 1 busy (restored as it was), -errno. @*did tells whether
 * the inode was changed here (and so must be restored if nothing links to
 * it in the end). */
static int protect(struct uworker *w, int fd, const struct ufile *f,
		   const struct stat *st, const char *path, bool *did)
{
	struct uctx *c = w->c;
	char v[64];
	int n;

	*did = false;
	if (!(f->flags & UF_MARKED)) {
		n = snprintf(v, sizeof(v), "v1 %u %u %o", (unsigned int)f->uid,
			     (unsigned int)f->gid, (unsigned int)f->mode);
		if (fsetxattr(fd, VJ_UNIFY_MARKER, v, (size_t)n, 0) < 0) {
			if (errno == ENOTSUP)
				return fail(c, EOPNOTSUPP, "set %s on %s (the "
					    "filesystem has no trusted "
					    "attributes)", VJ_UNIFY_MARKER,
					    path);
			return fail(c, errno, "set %s on %s",
				    VJ_UNIFY_MARKER, path);
		}
		*did = true;
	}
	/* Also for a marked copy whose owner or mode someone privileged
	 * changed since: protection is restored, not trusted. */
	if ((st->st_uid != c->owner_uid || st->st_gid != c->owner_gid) &&
	    fchown(fd, c->owner_uid, c->owner_gid) < 0)
		return fail(c, errno, "chown %s to %u:%u", path,
			    (unsigned int)c->owner_uid,
			    (unsigned int)c->owner_gid);
	if ((st->st_mode & 07777) != (f->mode & 0555) &&
	    fchmod(fd, f->mode & 0555) < 0)
		return fail(c, errno, "chmod %s", path);
	/* The lease: refused (EAGAIN) while any process has the inode open
	 * for writing, write mappings included. Writers cannot appear after
	 * the chown/chmod above, so once granted the content is final. The
	 * lease is dropped at once; should a privileged writer break it in
	 * between, the kernel signals us, and SIGURG (ignored by default)
	 * then replaces the default SIGIO, which would kill the caller. */
	if (fcntl(fd, F_SETSIG, SIGURG) < 0)
		return fail(c, errno, "set lease signal on %s", path);
	if (fcntl(fd, F_SETLEASE, F_RDLCK) < 0) {
		int e = errno;

		if (e != EAGAIN) {
			if (e == EINVAL || e == ENOLCK)
				e = EOPNOTSUPP;
			return fail(c, e, "take a read lease on %s (proves "
				    "that no process writes to it)", path);
		}
		if (*did) {
			if (fchown(fd, f->uid, f->gid) < 0)
				return fail(c, errno, "restore owner of %s",
					    path);
			if (fchmod(fd, f->mode) < 0)
				return fail(c, errno, "restore mode of %s",
					    path);
			if (fremovexattr(fd, VJ_UNIFY_MARKER) < 0)
				return fail(c, errno, "remove %s from %s",
					    VJ_UNIFY_MARKER, path);
			*did = false;
		}
		return 1;
	}
	if (fcntl(fd, F_SETLEASE, F_UNLCK) < 0)
		return fail(c, errno, "release the lease on %s", path);
	return 0;
}

/* Give a master that ended up linked to nothing its identity back. */
static int unprotect(struct uworker *w, int fd, const struct ufile *f,
		     const char *path)
{
	if (fchown(fd, f->uid, f->gid) < 0)
		return fail(w->c, errno, "restore owner of %s", path);
	if (fchmod(fd, f->mode) < 0)
		return fail(w->c, errno, "restore mode of %s", path);
	if (fremovexattr(fd, VJ_UNIFY_MARKER) < 0)
		return fail(w->c, errno, "remove %s from %s", VJ_UNIFY_MARKER,
			    path);
	return 0;
}

/* ---- replacing a path ---------------------------------------------------- */

/* Hard-link the open file @fd as @name in @dfd. AT_EMPTY_PATH needs
 * CAP_DAC_READ_SEARCH; /proc/self/fd works without it. Either way the
 * inode linked is the one open on @fd, whatever its path names now. */
static int link_fd(struct uctx *c, int fd, int dfd, const char *name)
{
	int mode = __atomic_load_n(&c->empty_path_link, __ATOMIC_RELAXED);
	char proc[64];

	if (mode != 0) {
		if (linkat(fd, "", dfd, name, AT_EMPTY_PATH) == 0) {
			__atomic_store_n(&c->empty_path_link, 1,
					 __ATOMIC_RELAXED);
			return 0;
		}
		if (errno != ENOENT || mode == 1)
			return -errno;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (linkat(AT_FDCWD, proc, dfd, name, AT_SYMLINK_FOLLOW) < 0)
		return -errno;
	__atomic_store_n(&c->empty_path_link, 0, __ATOMIC_RELAXED);
	return 0;
}

enum {
	REPLACED = 0,
	REPLACE_CHANGED = 1,	/* the path changed: left as it was */
	REPLACE_SRC_GONE = 2,	/* the source was unlinked meanwhile */
	REPLACE_SRC_FULL = 3,	/* the source has the most links it can */
};

/* Make path @f name the inode open on @src, atomically, provided it still
 * names the inode the walk saw and that inode (open on @old, stat @old_st
 * taken before it was compared) has not changed since. */
static int replace_path(struct uworker *w, const struct ufile *f, int src,
			int old, const struct stat *old_st)
{
	struct uctx *c = w->c;
	const char *name = c->trees[f->tree].pool + f->name;
	char tmp[64];
	struct stat st;
	int dfd, rc, ch;

	dfd = dir_fd(w, f->tree, f->dir);
	if (dfd == -ESTALE)
		return REPLACE_CHANGED;
	if (dfd < 0)
		return fail(c, -dfd, "open directory of %s",
			    file_path(c, f, w->p1, sizeof(w->p1)));
	for (int try = 0;; try++) {
		snprintf(tmp, sizeof(tmp), ".vjail-unify.%d.%u.%" PRIu64,
			 (int)getpid(), w->id, w->seq++);
		rc = link_fd(c, src, dfd, tmp);
		if (rc == 0)
			break;
		if (rc == -EEXIST && try < 16)
			continue;
		if (rc == -ENOENT)
			return REPLACE_SRC_GONE;
		if (rc == -EMLINK)
			return REPLACE_SRC_FULL;
		return fail(c, -rc, "link shared copy into %s",
			    file_path(c, f, w->p1, sizeof(w->p1)));
	}
	if (renameat2(dfd, tmp, dfd, name, RENAME_EXCHANGE) < 0) {
		int e = errno;

		if (unlinkat(dfd, tmp, 0) < 0 && errno != ENOENT)
			return fail(c, errno, "remove temporary link %s/%s",
				    tree_path(&c->trees[f->tree], f->dir, NULL,
					      w->p1, sizeof(w->p1)), tmp);
		if (vanished(e))
			return REPLACE_CHANGED;
		if (e == EINVAL)
			e = EOPNOTSUPP;	/* no RENAME_EXCHANGE here */
		return fail(c, e, "exchange %s with a link to the shared copy",
			    file_path(c, f, w->p1, sizeof(w->p1)));
	}
	/* @name now names the shared copy; the old inode sits at @tmp. A jail
	 * that moved @tmp away meanwhile keeps the shared copy at @name. */
	if (fstatat(dfd, tmp, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (vanished(errno))
			return REPLACE_CHANGED;
		return fail(c, errno, "stat %s/%s",
			    tree_path(&c->trees[f->tree], f->dir, NULL, w->p1,
				      sizeof(w->p1)), tmp);
	}
	ch = st.st_dev != f->dev || st.st_ino != f->ino;
	if (!ch && old >= 0) {
		ch = changed_since(c, old, old_st,
				   file_path(c, f, w->p1, sizeof(w->p1)));
		if (ch < 0)
			return ch;
	}
	if (ch) {
		if (renameat2(dfd, tmp, dfd, name, RENAME_EXCHANGE) < 0 &&
		    !vanished(errno))
			return fail(c, errno, "undo the exchange of %s",
				    file_path(c, f, w->p1, sizeof(w->p1)));
	}
	if (unlinkat(dfd, tmp, 0) < 0 && !vanished(errno))
		return fail(c, errno, "remove %s/%s",
			    tree_path(&c->trees[f->tree], f->dir, NULL, w->p1,
				      sizeof(w->p1)), tmp);
	return ch ? REPLACE_CHANGED : REPLACED;
}

/* ---- logging ------------------------------------------------------------- */

static void log_event(struct uworker *w, enum vjail_unify_event_kind kind,
		      const struct ufile *f, const char *shared)
{
	struct uctx *c = w->c;
	struct vjail_unify_event ev;

	if (c->log == NULL)
		return;
	ev = (struct vjail_unify_event){
		.kind = kind,
		.path = file_path(c, f, w->lp, sizeof(w->lp)),
		.shared = shared,
		.size = f->size,
		.uid = f->uid,
		.gid = f->gid,
		.mode = f->mode,
	};
	pthread_mutex_lock(&c->lock);
	c->log(&ev, c->log_arg);
	pthread_mutex_unlock(&c->lock);
}

/* Every path of inode @in gets the same verdict. */
static void log_inode(struct uworker *w, enum vjail_unify_event_kind kind,
		      const struct uinode *in)
{
	for (uint32_t p = 0; p < in->npaths; p++)
		log_event(w, kind, &w->c->files[in->first + p], NULL);
	if (kind == VJAIL_UNIFY_EV_CHANGED)
		w->rep.files_changed += in->npaths;
	else if (kind == VJAIL_UNIFY_EV_BUSY)
		w->rep.files_busy += in->npaths;
}

/* ---- one group ----------------------------------------------------------- */

/* The inode whose copy is shared: the reference tree's first, then one that
 * already is a shared copy, then the one with the most links, then the
 * first root's. */
static size_t choose_master(struct uctx *c, const struct uinode *in, size_t k)
{
	size_t best = 0;

	for (size_t i = 1; i < k; i++) {
		const struct ufile *a = &c->files[in[i].first];
		const struct ufile *b = &c->files[in[best].first];
		bool ra = c->trees[a->tree].reference;
		bool rb = c->trees[b->tree].reference;

		if (ra != rb) {
			if (ra)
				best = i;
			continue;
		}
		if ((a->flags & UF_MARKED) != (b->flags & UF_MARKED)) {
			if (a->flags & UF_MARKED)
				best = i;
			continue;
		}
		if (a->nlink != b->nlink) {
			if (a->nlink > b->nlink)
				best = i;
			continue;
		}
		if (a->tree < b->tree ||
		    (a->tree == b->tree && a->seq < b->seq))
			best = i;
	}
	return best;
}

struct dup {
	int fd;
	struct stat st;
	int verdict;		/* 0 pending, 1 head matched */
};

/* Link every duplicate of in[0] (the master) among in[1..k) to it. Inodes
 * that turn out different are moved to in[1..1 + *nres) for another round;
 * all others are done with. */
static int one_round(struct uworker *w, struct uinode *in, size_t k,
		     bool hashed, size_t *nres)
{
	struct uctx *c = w->c;
	const struct ufile *mf = &c->files[in[0].first];
	bool dry = c->flags & VJAIL_UNIFY_DRY_RUN;
	bool screen = c->protect && !dry && !hashed && k < HASH_MIN_GROUP;
	struct dup dups[HASH_MIN_GROUP];
	struct dup own = { .fd = -1 };	/* the unscreened duplicate */
	bool did = false, cached = false, any = false;
	uint64_t linked = 0;
	size_t res = 0;
	struct stat mst;
	ssize_t mx;
	int mfd, rc;

	*nres = 0;
	for (size_t i = 0; i < HASH_MIN_GROUP; i++)
		dups[i].fd = -1;
	rc = open_file(w, mf, &mfd, &mst);
	if (rc < 0)
		return rc;
	if (rc != OPEN_OK) {
		if (rc == OPEN_CHANGED)
			log_inode(w, VJAIL_UNIFY_EV_CHANGED, &in[0]);
		else
			w->rep.files_skipped += in[0].npaths;
		*nres = k - 1;	/* the others try another master */
		return 0;
	}
	file_path(c, mf, w->mp, sizeof(w->mp));
	mx = xattr_names(mfd, w->xl1, sizeof(w->xl1));
	if (mx < 0 && mx != -E2BIG) {
		close(mfd);
		return fail(c, (int)-mx, "list attributes of %s", w->mp);
	}
	if (mx == -E2BIG ||
	    (c->protect && xattrs_forbid_protect(w->xl1, (size_t)mx))) {
		close(mfd);
		w->rep.files_skipped += in[0].npaths;
		*nres = k - 1;
		return 0;
	}

	/* Before touching the master's owner, a cheap look at the heads: two
	 * different files of one size are common among small ones, and
	 * protecting then restoring a master for nothing is not free. */
	for (size_t i = 1; screen && i < k; i++) {
		const struct ufile *df = &c->files[in[i].first];

		dups[i].verdict = 0;
		rc = open_file(w, df, &dups[i].fd, &dups[i].st);
		if (rc < 0)
			goto out_close;
		if (rc != OPEN_OK) {
			dups[i].fd = -1;
			in[i].drop = rc;
			continue;
		}
		rc = same_bytes(w, mfd, false, dups[i].fd,
				mf->size < HEAD_BYTES ? mf->size : HEAD_BYTES,
				file_path(c, df, w->dp, sizeof(w->dp)));
		if (rc < 0)
			goto out_close;
		dups[i].verdict = rc;
		any |= rc == 1;
	}
	if (screen && !any)
		goto sort_out;

	if (c->protect && !dry) {
		rc = protect(w, mfd, mf, &mst, w->mp, &did);
		if (rc < 0)
			goto out_close;
		if (rc == 1) {
			log_inode(w, VJAIL_UNIFY_EV_BUSY, &in[0]);
			for (size_t i = 1; i < k; i++)
				if (!screen || dups[i].fd >= 0)
					in[i].drop = 0;
			goto sort_out_all;
		}
	}
	rc = load_master(w, mfd, mf->size, w->mp);
	if (rc < 0)
		goto out_close;
	cached = rc == 1;

	for (size_t i = 1; i < k; i++) {
		const struct ufile *df = &c->files[in[i].first];
		struct dup *d = screen ? &dups[i] : &own;
		uint32_t done = 0;
		int same;

		if (stopped(c)) {
			rc = -ECANCELED;
			goto out_close;
		}
		if (screen && (d->fd < 0 || d->verdict == 0)) {
			/* changed, denied, or a different head */
			in[i].drop = d->fd < 0 ? in[i].drop : 0;
			continue;
		}
		file_path(c, df, w->dp, sizeof(w->dp));
		if (!screen) {
			rc = open_file(w, df, &d->fd, &d->st);
			if (rc < 0)
				goto out_close;
			if (rc != OPEN_OK) {
				in[i].drop = rc;
				continue;
			}
		}
		same = xattrs_same(w, mfd, (size_t)mx, d->fd, w->dp);
		if (same == 1)
			same = same_bytes(w, mfd, cached, d->fd, df->size,
					  w->dp);
		if (same < 0) {
			rc = same;
			goto out_close;
		}
		if (same == 0) {
			in[i].drop = 0;	/* different: another round */
			close(d->fd);
			d->fd = -1;
			continue;
		}
		/* Changed while we read it: not linked. */
		rc = changed_since(c, d->fd, &d->st, w->dp);
		if (rc < 0)
			goto out_close;
		if (rc == 0 && !c->protect && !dry)
			/* an unprotected master may change too */
			rc = changed_since(c, mfd, &mst, w->mp);
		if (rc < 0)
			goto out_close;
		if (rc) {
			in[i].drop = OPEN_CHANGED;
			close(d->fd);
			d->fd = -1;
			continue;
		}
		TEST_HOOK(VJ_UNIFY_HOOK_COMPARED, w->dp);
		for (uint32_t p = 0; p < in[i].npaths; p++) {
			const struct ufile *pf = &c->files[in[i].first + p];

			rc = dry ? REPLACED :
				   replace_path(w, pf, mfd, d->fd, &d->st);
			if (rc < 0)
				goto out_close;
			if (rc == REPLACED) {
				done++;
				log_event(w, VJAIL_UNIFY_EV_LINK, pf, w->mp);
			} else if (rc == REPLACE_CHANGED) {
				w->rep.files_changed++;
				log_event(w, VJAIL_UNIFY_EV_CHANGED, pf, NULL);
			} else {
				break;	/* master gone or full */
			}
		}
		close(d->fd);
		d->fd = -1;
		w->rep.files_linked += done;
		linked += done;
		if (done == in[i].npaths && df->nlink == in[i].npaths) {
			w->rep.inodes_freed++;
			w->rep.bytes_saved += df->size;
			w->rep.disk_saved += df->blocks * 512;
		}
		if (rc == REPLACE_SRC_GONE) {
			/* The master's last path went away meanwhile. */
			log_inode(w, VJAIL_UNIFY_EV_CHANGED, &in[0]);
			for (size_t j = i + 1; j < k; j++)
				in[j].drop = 0;
			if (done < in[i].npaths)
				in[i].drop = 0;
			goto sort_out_all;
		}
		if (rc == REPLACE_SRC_FULL) {
			for (size_t j = i; j < k; j++)
				in[j].drop = 0;
			goto sort_out_all;
		}
		in[i].drop = UINT32_MAX;	/* done with */
	}
	rc = 0;
	goto finish;

sort_out:
	/* Only the screen ran: the ones that opened are still candidates. */
	for (size_t i = 1; i < k; i++)
		if (dups[i].fd >= 0)
			in[i].drop = 0;
sort_out_all:
	rc = 0;
finish:
	if (rc == 0 && did && linked == 0)
		rc = unprotect(w, mfd, mf, w->mp);
	if (rc == 0 && linked > 0)
		w->rep.shared_copies++;
	/* Different ones (drop == 0) go to the front for the next round;
	 * changed or denied ones are reported and done with. */
	for (size_t i = 1; rc == 0 && i < k; i++) {
		if (in[i].drop == 0) {
			struct uinode tmp = in[i];

			in[i] = in[1 + res];
			in[1 + res] = tmp;
			res++;
		} else if (in[i].drop == OPEN_CHANGED) {
			log_inode(w, VJAIL_UNIFY_EV_CHANGED, &in[i]);
		} else if (in[i].drop == OPEN_DENIED) {
			w->rep.files_skipped += in[i].npaths;
		}
	}
	*nres = res;
out_close:
	for (size_t i = 1; screen && i < k; i++)
		if (dups[i].fd >= 0)
			close(dups[i].fd);
	if (own.fd >= 0)
		close(own.fd);
	close(mfd);
	return rc < 0 ? rc : 0;
}

/* Link the duplicates among @k inodes, one master per round. */
static int link_set(struct uworker *w, struct uinode *in, size_t k,
		    bool hashed)
{
	for (int round = 0; k >= 2; round++) {
		size_t m, nres;
		struct uinode tmp;
		int rc;

		if (round == MAX_ROUNDS) {
			for (size_t i = 0; i < k; i++)
				w->rep.files_skipped += in[i].npaths;
			break;
		}
		for (size_t i = 0; i < k; i++)
			in[i].drop = UINT32_MAX;
		m = choose_master(w->c, in, k);
		tmp = in[0];
		in[0] = in[m];
		in[m] = tmp;
		rc = one_round(w, in, k, hashed, &nres);
		if (rc < 0)
			return rc;
		in++;
		k = nres;
	}
	return 0;
}

static int cmp_hash(const void *a, const void *b)
{
	const struct uinode *x = a, *y = b;

	if (x->drop != y->drop)
		return x->drop < y->drop ? -1 : 1;
	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

/* A large group: hash every member, then link within runs of one hash. */
static int hash_group(struct uworker *w, struct uinode *in, size_t k)
{
	struct uctx *c = w->c;
	size_t i = 0;

	for (size_t j = 0; j < k; j++) {
		const struct ufile *f = &c->files[in[j].first];
		struct stat st;
		int fd, rc;

		in[j].drop = 0;
		rc = open_file(w, f, &fd, &st);
		if (rc < 0)
			return rc;
		if (rc == OPEN_OK) {
			rc = hash_file(w, fd, f->size, &in[j].hash,
				       file_path(c, f, w->p1, sizeof(w->p1)));
			close(fd);
			if (rc < 0)
				return rc;
			w->rep.files_hashed++;
		}
		if (rc == OPEN_CHANGED)
			log_inode(w, VJAIL_UNIFY_EV_CHANGED, &in[j]);
		else if (rc == OPEN_DENIED)
			w->rep.files_skipped += in[j].npaths;
		in[j].drop = rc != OPEN_OK;
	}
	qsort(in, k, sizeof(*in), cmp_hash);
	while (i < k && in[i].drop == 0) {
		size_t j = i + 1;
		int rc;

		while (j < k && in[j].drop == 0 && in[j].hash == in[i].hash)
			j++;
		if (j - i >= 2) {
			rc = link_set(w, in + i, j - i, true);
			if (rc < 0)
				return rc;
		}
		i = j;
	}
	return 0;
}

static int group_job(struct uworker *w, size_t item)
{
	struct uctx *c = w->c;
	const struct ugroup *g = &c->groups[item];
	struct uinode *in = c->inodes + g->first;

	if (g->n >= HASH_MIN_GROUP)
		return hash_group(w, in, g->n);
	return link_set(w, in, g->n, false);
}

/* ---- grouping ------------------------------------------------------------ */

static int cmp_identity(const void *a, const void *b)
{
	const struct ufile *x = a, *y = b;

#define CMP(f)                                                                 \
	if (x->f != y->f)                                                      \
		return x->f < y->f ? -1 : 1
	CMP(dev);
	CMP(size);
	CMP(uid);
	CMP(gid);
	CMP(mode);
	CMP(ino);
	CMP(tree);
	CMP(seq);
	return 0;
}

static int cmp_inode(const void *a, const void *b)
{
	const struct ufile *x = a, *y = b;

	CMP(dev);
	CMP(ino);
	CMP(tree);
	CMP(seq);
#undef CMP
	return 0;
}

static int cmp_group_size(const void *a, const void *b)
{
	const struct ugroup *x = a, *y = b;

	/* Big files first, so that two threads finish together. */
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

/* Gather the trees' files into one array sorted by @cmp. */
static int gather(struct uctx *c, int (*cmp)(const void *, const void *))
{
	size_t n = 0, off = 0;

	for (size_t i = 0; i < c->ntrees; i++)
		n += c->trees[i].nfiles;
	c->files = reallocarray(NULL, n ? n : 1, sizeof(*c->files));
	if (c->files == NULL)
		return fail(c, ENOMEM, "sort %zu files", n);
	for (size_t i = 0; i < c->ntrees; i++) {
		struct utree *t = &c->trees[i];

		if (t->nfiles > 0)
			memcpy(c->files + off, t->files,
			       t->nfiles * sizeof(*t->files));
		off += t->nfiles;
		free(t->files);
		t->files = NULL;
		c->rep.files_skipped += t->skipped;
	}
	c->nfiles = n;
	qsort(c->files, n, sizeof(*c->files), cmp);
	return 0;
}

static bool same_identity(const struct ufile *a, const struct ufile *b)
{
	return a->dev == b->dev && a->size == b->size && a->uid == b->uid &&
	       a->gid == b->gid && a->mode == b->mode;
}

/* Inodes and groups: an inode is eligible when every one of its links was
 * seen (else replacing our paths frees nothing and splits a link someone
 * made on purpose); a group is two or more eligible inodes of one
 * identity. */
static int make_groups(struct uctx *c)
{
	size_t ninodes = 0, ngroups = 0;

	c->inodes = reallocarray(NULL, c->nfiles ? c->nfiles : 1,
				 sizeof(*c->inodes));
	c->groups = reallocarray(NULL, c->nfiles ? c->nfiles : 1,
				 sizeof(*c->groups));
	if (c->inodes == NULL || c->groups == NULL)
		return fail(c, ENOMEM, "group %zu files", c->nfiles);
	for (size_t i = 0; i < c->nfiles;) {
		size_t gstart = ninodes, j = i;
		uint64_t paths = 0;

		/* one identity: files[i .. j) */
		while (j < c->nfiles && same_identity(&c->files[i],
						      &c->files[j]))
			j++;
		for (size_t a = i; a < j;) {
			size_t b = a + 1;
			const struct ufile *f = &c->files[a];

			while (b < j && c->files[b].ino == f->ino)
				b++;
			c->rep.files_scanned += b - a;
			c->rep.bytes_scanned += f->size;
			if (f->flags & UF_SKIP || (!(f->flags & UF_SMALL) &&
						   f->nlink > b - a)) {
				c->rep.files_skipped += b - a;
			} else if (!(f->flags & UF_SMALL)) {
				c->inodes[ninodes++] = (struct uinode){
					.first = a,
					.npaths = (uint32_t)(b - a),
				};
				paths += b - a;
			}
			a = b;
		}
		if (ninodes - gstart >= 2) {
			c->groups[ngroups++] = (struct ugroup){
				.first = gstart,
				.n = ninodes - gstart,
				.size = c->files[i].size,
			};
			c->rep.candidates += paths;
		} else {
			ninodes = gstart;
		}
		i = j;
	}
	c->ninodes = ninodes;
	c->ngroups = ngroups;
	qsort(c->groups, ngroups, sizeof(*c->groups), cmp_group_size);
	return 0;
}

/* ---- split --------------------------------------------------------------- */

/* Copy @src's content, times and attributes (not the marker) into a new
 * unnamed file in @f's directory, owned and moded as the original. */
static int copy_out(struct uworker *w, const struct ufile *f, int src,
		    const struct stat *st, int *outp)
{
	struct uctx *c = w->c;
	const char *path = w->mp;
	struct timespec times[2] = { st->st_atim, st->st_mtim };
	uint64_t left = f->size;
	ssize_t nx;
	int dfd, out;

	*outp = -1;
	dfd = dir_fd(w, f->tree, f->dir);
	if (dfd == -ESTALE)
		return REPLACE_CHANGED;
	if (dfd < 0)
		return fail(c, -dfd, "open directory of %s", path);
	/* O_TMPFILE through an O_PATH descriptor of the directory: a file
	 * with no name until it is complete. */
	out = openat(dfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (out < 0)
		return fail(c, errno == EISDIR ? EOPNOTSUPP : errno,
			    "create a copy for %s", path);
	while (left > 0) {
		ssize_t n = copy_file_range(src, NULL, out, NULL,
					    left < (1u << 30) ? left : 1u << 30,
					    0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EXDEV || errno == EINVAL ||
			      errno == EOPNOTSUPP || errno == ENOSYS)) {
			/* no in-kernel copy here: read and write */
			off_t off = (off_t)(f->size - left);
			size_t chunk = left < IOBUF ? (size_t)left : IOBUF;
			ssize_t r = pread_full(src, w->buf, chunk, off);

			if (r < 0) {
				errno = (int)-r;
				n = -1;
			} else if (r == 0) {
				n = 0;
			} else {
				n = pwrite(out, w->buf, (size_t)r, off);
				if (n >= 0 && lseek(src, off + n, SEEK_SET) < 0)
					n = -1;
			}
		}
		if (n < 0) {
			int e = errno;

			close(out);
			return fail(c, e, "copy %s", path);
		}
		if (n == 0)
			break;	/* shrank: caught by the check below */
		left -= (uint64_t)n;
	}
	if (left != 0) {
		close(out);
		return REPLACE_CHANGED;
	}
	nx = xattr_names(src, w->xl1, sizeof(w->xl1));
	if (nx < 0) {
		close(out);
		return fail(c, nx == -E2BIG ? E2BIG : (int)-nx,
			    "list attributes of %s", path);
	}
	for (size_t i = 0; i < (size_t)nx; i += strlen(w->xl1 + i) + 1) {
		ssize_t vl = fgetxattr(src, w->xl1 + i, w->xv1,
				       sizeof(w->xv1));

		if (vl < 0 || fsetxattr(out, w->xl1 + i, w->xv1, (size_t)vl,
					0) < 0) {
			int e = errno;

			close(out);
			return fail(c, e, "copy attribute %s of %s",
				    w->xl1 + i, path);
		}
	}
	/* Always: the new file belongs to us, not to the original owner. */
	if (fchown(out, f->uid, f->gid) < 0) {
		int e = errno;

		close(out);
		return fail(c, e, "chown the copy of %s to %u:%u", path,
			    (unsigned int)f->uid, (unsigned int)f->gid);
	}
	if (fchmod(out, f->mode) < 0 || futimens(out, times) < 0) {
		int e = errno;

		close(out);
		return fail(c, e, "set mode and times of the copy of %s",
			    path);
	}
	*outp = out;
	return REPLACED;
}

/* Split one inode: its paths in the tree get their own copy, or, when no
 * link is outside the tree, the shared copy gets its identity back. */
static int split_inode(struct uworker *w, size_t first, size_t n)
{
	struct uctx *c = w->c;
	const struct ufile *f = &c->files[first];
	struct stat st;
	int src, out = -1, rc;

	if (f->nlink <= n && !(f->flags & UF_MARKED))
		return 0;	/* its own already */
	rc = open_file(w, f, &src, &st);
	if (rc < 0)
		return rc;
	if (rc == OPEN_CHANGED) {
		for (size_t p = 0; p < n; p++)
			log_event(w, VJAIL_UNIFY_EV_CHANGED,
				  &c->files[first + p], NULL);
		w->rep.files_changed += n;
		return 0;
	}
	if (rc == OPEN_DENIED)
		return fail(c, EACCES, "open %s",
			    file_path(c, f, w->mp, sizeof(w->mp)));
	file_path(c, f, w->mp, sizeof(w->mp));
	if ((uint64_t)st.st_nlink <= n) {
		/* Every link is ours: restore in place. */
		if (fchown(src, f->uid, f->gid) < 0)
			rc = fail(c, errno, "restore owner of %s", w->mp);
		else if (fchmod(src, f->mode) < 0)
			rc = fail(c, errno, "restore mode of %s", w->mp);
		else if (fremovexattr(src, VJ_UNIFY_MARKER) < 0 &&
			 errno != ENODATA)
			rc = fail(c, errno, "remove %s from %s",
				  VJ_UNIFY_MARKER, w->mp);
		close(src);
		return rc < 0 ? rc : 0;
	}
	rc = copy_out(w, f, src, &st, &out);
	if (rc < 0 || rc == REPLACE_CHANGED) {
		close(src);
		if (rc == REPLACE_CHANGED) {
			w->rep.files_changed += n;
			log_event(w, VJAIL_UNIFY_EV_CHANGED, f, NULL);
		}
		return rc < 0 ? rc : 0;
	}
	for (size_t p = 0; p < n; p++) {
		const struct ufile *pf = &c->files[first + p];

		rc = replace_path(w, pf, out, src, &st);
		if (rc < 0)
			break;
		if (rc == REPLACED) {
			w->rep.files_split++;
			if (p == 0)
				w->rep.bytes_copied += f->size;
			log_event(w, VJAIL_UNIFY_EV_SPLIT, pf, NULL);
		} else {
			w->rep.files_changed++;
			log_event(w, VJAIL_UNIFY_EV_CHANGED, pf, NULL);
		}
		rc = 0;
	}
	close(out);
	close(src);
	return rc;
}

static int split_job(struct uworker *w, size_t item)
{
	struct uctx *c = w->c;
	const struct uinode *in = &c->inodes[item];
	const struct ufile *f = &c->files[in->first];

	if (!(c->flags & VJAIL_UNIFY_DRY_RUN))
		return split_inode(w, in->first, in->npaths);
	if (f->nlink > in->npaths) {
		/* what a split would copy */
		for (uint32_t p = 0; p < in->npaths; p++)
			log_event(w, VJAIL_UNIFY_EV_SPLIT,
				  &c->files[in->first + p], NULL);
		w->rep.files_split += in->npaths;
		w->rep.bytes_copied += f->size;
	}
	return 0;
}

/* One uinode per distinct inode of the sorted files. */
static int inode_runs(struct uctx *c)
{
	size_t n = 0;

	c->inodes = reallocarray(NULL, c->nfiles ? c->nfiles : 1,
				 sizeof(*c->inodes));
	if (c->inodes == NULL)
		return fail(c, ENOMEM, "sort %zu files", c->nfiles);
	for (size_t i = 0; i < c->nfiles;) {
		size_t j = i + 1;

		while (j < c->nfiles && c->files[j].dev == c->files[i].dev &&
		       c->files[j].ino == c->files[i].ino)
			j++;
		c->inodes[n++] = (struct uinode){ .first = i,
						  .npaths = (uint32_t)(j - i) };
		i = j;
	}
	c->ninodes = n;
	return 0;
}

/* ---- setup and teardown -------------------------------------------------- */

static int check_caps(struct uctx *c)
{
	static const struct {
		int cap;
		const char *name;
	} need[] = {
		{ CAP_CHOWN, "CAP_CHOWN" },
		{ CAP_FOWNER, "CAP_FOWNER" },
		{ CAP_SYS_ADMIN, "CAP_SYS_ADMIN" },
		{ CAP_LEASE, "CAP_LEASE" },
	};
	char line[256];
	uint64_t eff = 0;
	bool found = false;
	FILE *f = fopen("/proc/self/status", "re");

	if (f == NULL)
		return fail(c, errno, "open /proc/self/status");
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "CapEff: %" SCNx64, &eff) == 1) {
			found = true;
			break;
		}
	fclose(f);
	if (!found)
		return fail(c, EIO, "read CapEff from /proc/self/status");
	for (size_t i = 0; i < ARRAY_LEN(need); i++)
		if (!(eff & (UINT64_C(1) << need[i].cap)))
			return fail(c, EPERM,
				    "protect shared copies: %s is missing "
				    "(run as root, or without protection)",
				    need[i].name);
	return 0;
}

static int open_root(struct uctx *c, struct utree *t, const char *path,
		     char **real)
{
	struct stat st;

	t->fd = -1;
	t->path = path;
	if (path == NULL || path[0] != '/' || strlen(path) >= PATH_MAX) {
		if (c->errbuf != NULL && c->errlen > 0)
			snprintf(c->errbuf, c->errlen,
				 "root %s: not an absolute path",
				 path ? path : "(null)");
		c->err = EINVAL;
		return -EINVAL;
	}
	t->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (t->fd < 0)
		return fail(c, errno, "open root %s", path);
	if (fstat(t->fd, &st) < 0)
		return fail(c, errno, "stat root %s", path);
	t->dev = st.st_dev;
	t->ino = st.st_ino;
	*real = realpath(path, NULL);
	if (*real == NULL)
		return fail(c, errno, "resolve root %s", path);
	return 0;
}

/* No root may be another, or inside another: the walk would see files
 * twice, and a link count would lie. */
static int check_nesting(struct uctx *c, char **real)
{
	for (size_t i = 0; i < c->ntrees; i++)
		for (size_t j = 0; j < c->ntrees; j++) {
			size_t li = strlen(real[i]);

			if (i == j)
				continue;
			if (c->trees[i].dev == c->trees[j].dev &&
			    c->trees[i].ino == c->trees[j].ino)
				return fail(c, EINVAL, "roots %s and %s: the "
					    "same directory", c->trees[i].path,
					    c->trees[j].path);
			if (strncmp(real[i], real[j], li) == 0 &&
			    (real[j][li] == '/' || li == 1))
				return fail(c, EINVAL, "root %s: inside root "
					    "%s", c->trees[j].path,
					    c->trees[i].path);
		}
	return 0;
}

static void teardown(struct uctx *c, struct uworker *ws)
{
	for (unsigned int i = 0; ws != NULL && i < c->nthreads; i++) {
		for (int k = 0; k < DCACHE_N; k++)
			if (ws[i].dc[k].fd >= 0)
				close(ws[i].dc[k].fd);
		free(ws[i].buf);
		free(ws[i].buf2);
		free(ws[i].mbuf);
	}
	free(ws);
	for (size_t i = 0; c->trees != NULL && i < c->ntrees; i++) {
		struct utree *t = &c->trees[i];

		if (t->fd >= 0)
			close(t->fd);
		free(t->dirs);
		free(t->pool);
		free(t->files);
	}
	free(c->trees);
	free(c->files);
	free(c->inodes);
	free(c->groups);
	for (size_t i = 0; i < c->nexcl; i++)
		free(c->excl[i].s);
	for (size_t i = 0; i < c->nincl; i++)
		free(c->incl[i].s);
	free(c->excl);
	free(c->incl);
	pthread_mutex_destroy(&c->lock);
}

static struct uworker *make_workers(struct uctx *c)
{
	struct uworker *ws = calloc(c->nthreads, sizeof(*ws));

	if (ws == NULL)
		return NULL;
	for (unsigned int i = 0; i < c->nthreads; i++) {
		ws[i].c = c;
		ws[i].id = i;
		for (int k = 0; k < DCACHE_N; k++)
			ws[i].dc[k].fd = -1;
		ws[i].buf = malloc(IOBUF);
		ws[i].buf2 = malloc(IOBUF);
	}
	for (unsigned int i = 0; i < c->nthreads; i++)
		if (ws[i].buf == NULL || ws[i].buf2 == NULL) {
			for (unsigned int k = 0; k < c->nthreads; k++) {
				free(ws[k].buf);
				free(ws[k].buf2);
			}
			free(ws);
			return NULL;
		}
	return ws;
}

static void merge_reports(struct uctx *c, struct uworker *ws)
{
	for (unsigned int i = 0; i < c->nthreads; i++) {
		const struct vjail_unify_report *r = &ws[i].rep;

		c->rep.files_skipped += r->files_skipped;
		c->rep.files_hashed += r->files_hashed;
		c->rep.files_linked += r->files_linked;
		c->rep.shared_copies += r->shared_copies;
		c->rep.inodes_freed += r->inodes_freed;
		c->rep.bytes_saved += r->bytes_saved;
		c->rep.disk_saved += r->disk_saved;
		c->rep.files_changed += r->files_changed;
		c->rep.files_busy += r->files_busy;
		c->rep.files_split += r->files_split;
		c->rep.bytes_copied += r->bytes_copied;
	}
}

static unsigned int auto_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	/* Measured on 2 vCPUs, ext4 mounted with discard (vjail_unify(3)):
	 * replacing a file frees the old inode, and ext4 waits there for a
	 * synchronous discard per extent. That is waiting, not CPU, so
	 * threads beyond the CPU count overlap it: 8 threads took 1.3-1.5 s
	 * where 2 took 2.6-3.8 s, while the CPU-bound dry run costs the same
	 * with 2, 4 or 8. */
	if (n < 1)
		n = 1;
	return n >= 2 ? 8 : 4;
}

/* ---- the public calls ---------------------------------------------------- */

#define UNIFY_FLAGS                                                            \
	(VJAIL_UNIFY_DRY_RUN | VJAIL_UNIFY_SPLIT | VJAIL_UNIFY_NO_PROTECT |    \
	 VJAIL_UNIFY_NO_DEFAULT_EXCLUDES)

/* Copy what the caller's (maybe older, shorter) struct has over defaults. */
static int read_opts(const struct vjail_unify_opts *in,
		     struct vjail_unify_opts *o, char *errbuf, size_t errlen)
{
	memset(o, 0, sizeof(*o));
	if (in == NULL)
		return 0;
	if (in->size < offsetof(struct vjail_unify_opts, min_size))
		return bad_arg(errbuf, errlen, EINVAL,
			       "unify options: size %u too small", in->size);
	memcpy(o, in, in->size < sizeof(*o) ? in->size : sizeof(*o));
	return 0;
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_unify(const char *const roots[], size_t nroots,
			  const struct vjail_unify_opts *opts,
			  struct vjail_unify_report *report, char *errbuf,
			  size_t errlen)
{
	struct vjail_unify_opts o;
	struct uctx c;
	struct uworker *ws = NULL;
	char **real = NULL;
	uint32_t rsize = 0;
	int rc;

	if (errbuf != NULL && errlen > 0)
		errbuf[0] = '\0';
	rc = read_opts(opts, &o, errbuf, errlen);
	if (rc < 0)
		return rc;
	if (report != NULL) {
		rsize = report->size;
		if (rsize < offsetof(struct vjail_unify_report, files_skipped))
			return bad_arg(errbuf, errlen, EINVAL,
				       "unify report: size %u too small",
				       rsize);
	}
	if (roots == NULL || nroots == 0 || nroots > MAX_ROOTS)
		return bad_arg(errbuf, errlen, EINVAL,
			       "unify: %zu roots (1 to %d)", nroots,
			       MAX_ROOTS);
	if (o.flags & ~UNIFY_FLAGS)
		return bad_arg(errbuf, errlen, EINVAL,
			       "unify: unknown flags %#x",
			       o.flags & ~UNIFY_FLAGS);
	if ((o.flags & VJAIL_UNIFY_SPLIT) && (nroots != 1 ||
					      o.reference != NULL))
		return bad_arg(errbuf, errlen, EINVAL,
			       "unify split: exactly one root and no "
			       "reference");
	if (o.owner_uid == 0)
		o.owner_uid = VJAIL_UNIFY_OWNER_DEFAULT;
	if (o.owner_gid == 0)
		o.owner_gid = VJAIL_UNIFY_OWNER_DEFAULT;
	if (o.owner_uid == (uid_t)-1 || o.owner_gid == (gid_t)-1 ||
	    o.owner_uid == 65534 || o.owner_gid == 65534)
		return bad_arg(errbuf, errlen, EINVAL,
			       "unify owner %u:%u: not (uid_t)-1, and not "
			       "the overflow id 65534 that jails may run as",
			       (unsigned int)o.owner_uid,
			       (unsigned int)o.owner_gid);
	if (o.threads > MAX_THREADS)
		return bad_arg(errbuf, errlen, EINVAL,
			       "unify: %u threads (at most %d)", o.threads,
			       MAX_THREADS);

	memset(&c, 0, sizeof(c));
	pthread_mutex_init(&c.lock, NULL);
	c.flags = o.flags;
	c.min_size = o.min_size;
	c.owner_uid = o.owner_uid;
	c.owner_gid = o.owner_gid;
	c.log = o.log;
	c.log_arg = o.log_arg;
	c.errbuf = errbuf;
	c.errlen = errlen;
	c.empty_path_link = -1;
	c.nthreads = o.threads ? o.threads : auto_threads();
	c.protect = !(o.flags & (VJAIL_UNIFY_NO_PROTECT | VJAIL_UNIFY_SPLIT));
	c.walk_mode = (o.flags & VJAIL_UNIFY_SPLIT) ? WALK_ALL : WALK_UNIFY;
	rc = 0;
	if (!(o.flags & VJAIL_UNIFY_NO_DEFAULT_EXCLUDES))
		rc = add_patterns(&c.excl, &c.nexcl, default_excludes, errbuf,
				  errlen);
	if (rc == 0)
		rc = add_patterns(&c.excl, &c.nexcl, o.exclude, errbuf,
				  errlen);
	if (rc == 0)
		rc = add_patterns(&c.incl, &c.nincl, o.include, errbuf,
				  errlen);
	if (rc < 0)
		goto out;
	if (getrandom(&c.seed, sizeof(c.seed), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(c.seed)) {
		struct timespec ts;

		/* No entropy yet (early boot): a clock-based key still
		 * differs per run; MAX_ROUNDS bounds the rest. */
		clock_gettime(CLOCK_MONOTONIC, &ts);
		c.seed = (uint64_t)ts.tv_nsec * HK1 ^ (uint64_t)ts.tv_sec ^
			 (uint64_t)getpid();
	}

	c.ntrees = nroots + (o.reference != NULL);
	c.trees = calloc(c.ntrees, sizeof(*c.trees));
	real = calloc(c.ntrees, sizeof(*real));
	if (c.trees == NULL || real == NULL) {
		rc = fail(&c, ENOMEM, "unify %zu roots", nroots);
		goto out;
	}
	for (size_t i = 0; i < c.ntrees; i++)
		c.trees[i].fd = -1;
	for (size_t i = 0; i < c.ntrees; i++) {
		const char *p = i < nroots ? roots[i] : o.reference;

		c.trees[i].reference = i >= nroots;
		rc = open_root(&c, &c.trees[i], p, &real[i]);
		if (rc < 0)
			goto out;
	}
	rc = check_nesting(&c, real);
	if (rc < 0)
		goto out;
	if (c.protect && !(o.flags & VJAIL_UNIFY_DRY_RUN)) {
		rc = check_caps(&c);
		if (rc < 0)
			goto out;
	}
	ws = make_workers(&c);
	if (ws == NULL) {
		rc = fail(&c, ENOMEM, "unify: worker buffers");
		goto out;
	}

	rc = run_jobs(&c, ws, walk_job, c.ntrees);
	if (rc < 0)
		goto out;
	TEST_HOOK(VJ_UNIFY_HOOK_WALKED, NULL);
	if (o.flags & VJAIL_UNIFY_SPLIT) {
		rc = gather(&c, cmp_inode);
		if (rc == 0)
			rc = inode_runs(&c);
		if (rc < 0)
			goto out;
		c.rep.files_scanned = c.nfiles;
		for (size_t i = 0; i < c.ninodes; i++)
			c.rep.bytes_scanned += c.files[c.inodes[i].first].size;
		rc = run_jobs(&c, ws, split_job, c.ninodes);
	} else {
		rc = gather(&c, cmp_identity);
		if (rc == 0)
			rc = make_groups(&c);
		if (rc == 0)
			rc = run_jobs(&c, ws, group_job, c.ngroups);
	}
out:
	if (ws != NULL)
		merge_reports(&c, ws);
	if (report != NULL) {
		c.rep.size = rsize;
		memcpy(report, &c.rep,
		       rsize < sizeof(c.rep) ? rsize : sizeof(c.rep));
	}
	for (size_t i = 0; real != NULL && i < c.ntrees; i++)
		free(real[i]);
	free(real);
	teardown(&c, ws);
	if (rc == -ECANCELED && c.err != 0)
		rc = -c.err;
	return rc;
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_unify_usage(const char *root,
				struct vjail_unify_usage *usage, char *errbuf,
				size_t errlen)
{
	struct vjail_unify_usage u;
	struct uctx c;
	char *real = NULL;
	int rc;

	if (errbuf != NULL && errlen > 0)
		errbuf[0] = '\0';
	if (usage == NULL ||
	    usage->size < offsetof(struct vjail_unify_usage, own_files))
		return bad_arg(errbuf, errlen, EINVAL,
			       "unify usage: NULL struct or size too small");
	if (root == NULL || root[0] != '/')
		return bad_arg(errbuf, errlen, EINVAL,
			       "unify usage: root %s is not an absolute path",
			       root ? root : "(null)");
	memset(&u, 0, sizeof(u));
	u.size = usage->size;
	memset(&c, 0, sizeof(c));
	pthread_mutex_init(&c.lock, NULL);
	c.errbuf = errbuf;
	c.errlen = errlen;
	c.nthreads = 1;
	c.walk_mode = WALK_ALL;
	c.owner_uid = VJAIL_UNIFY_OWNER_DEFAULT;
	c.ntrees = 1;
	c.trees = calloc(1, sizeof(*c.trees));
	if (c.trees == NULL) {
		rc = fail(&c, ENOMEM, "unify usage of %s", root);
		goto out;
	}
	rc = open_root(&c, &c.trees[0], root, &real);
	if (rc < 0)
		goto out;
	rc = walk_tree(&c, &c.trees[0]);
	if (rc == 0)
		rc = gather(&c, cmp_inode);
	if (rc == 0)
		rc = inode_runs(&c);
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < c.ninodes; i++) {
		const struct ufile *f = &c.files[c.inodes[i].first];

		if (f->nlink > c.inodes[i].npaths) {
			u.shared_files++;
			u.shared_bytes += f->blocks * 512;
			u.unified_files += !!(f->flags & UF_MARKED);
		} else {
			u.own_files++;
			u.own_bytes += f->blocks * 512;
		}
	}
	memcpy(usage, &u, u.size < sizeof(u) ? u.size : sizeof(u));
out:
	free(real);
	teardown(&c, NULL);
	return rc;
}
