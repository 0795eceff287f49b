/* libvjail/config.c - the policy-file language of vjail.conf(5): a pure
 * parser from text to a list of entries, and the writer back to text.
 *
 * Pure on purpose: no system call, no handle, no global state, so that a
 * fuzzer can hammer vj_config_parse() and a daemon can trust it with a
 * file an admin wrote. Applying the entries to a handle (and the names
 * that need the system: users, capabilities, syscalls) is config-load.c.
 *
 * The language, in short (vjail.conf(5) is the reference):
 *   # a comment line
 *   key = value [value...]   # a comment after a value
 * A value is a bare word or a "quoted string" (\" \\ \n \t \xHH). A '#'
 * starts a comment only where a word could start. Every error names the
 * line and column (1-based, in bytes) and what was expected there.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vjail.h"
#include "config.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_TOKENS 256 /* values on one line */
#define MAX_GROUPS 64  /* as vjail_set_groups() */
#define UTS_LEN 64     /* as vjail_set_hostname(), vjail_set_uname() */

/* ---- limits: key limit-NAME, with the unit its value is written in ----- */

enum unit {
	U_BYTES,    /* 64M: powers of 1024 */
	U_BYTES_PCT, /* bytes, or N% of the machine's RAM (cgroup memory) */
	U_COUNT,    /* a plain number */
	U_SECONDS,  /* 90, 1h30m */
	U_PERMILLE, /* per-mille of one CPU, or N% */
};

static const struct limit_key {
	const char *name; /* also the name vjail_limit(3) uses */
	enum vjail_limit_kind kind;
	enum unit unit;
} limit_keys[] = {
	{ "as", VJAIL_LIMIT_AS, U_BYTES },
	{ "data", VJAIL_LIMIT_DATA, U_BYTES },
	{ "stack", VJAIL_LIMIT_STACK, U_BYTES },
	{ "rss", VJAIL_LIMIT_RSS, U_BYTES },
	{ "nproc", VJAIL_LIMIT_NPROC, U_COUNT },
	{ "nofile", VJAIL_LIMIT_NOFILE, U_COUNT },
	{ "locks", VJAIL_LIMIT_LOCKS, U_COUNT },
	{ "memlock", VJAIL_LIMIT_MEMLOCK, U_BYTES },
	{ "msgqueue", VJAIL_LIMIT_MSGQUEUE, U_BYTES },
	{ "sigpending", VJAIL_LIMIT_SIGPENDING, U_COUNT },
	{ "cpu", VJAIL_LIMIT_CPU, U_SECONDS },
	{ "fsize", VJAIL_LIMIT_FSIZE, U_BYTES },
	{ "core", VJAIL_LIMIT_CORE, U_BYTES },
	{ "nice", VJAIL_LIMIT_NICE, U_COUNT },
	{ "rtprio", VJAIL_LIMIT_RTPRIO, U_COUNT },
	{ "memory", VJAIL_LIMIT_MEMORY, U_BYTES_PCT },
	{ "memory-swap", VJAIL_LIMIT_MEMORY_SWAP, U_BYTES_PCT },
	{ "pids", VJAIL_LIMIT_PIDS, U_COUNT },
	{ "cpu-max", VJAIL_LIMIT_CPU_MAX, U_PERMILLE },
	{ "cpu-weight", VJAIL_LIMIT_CPU_WEIGHT, U_COUNT },
	{ "io-read-bps", VJAIL_LIMIT_IO_READ_BPS, U_BYTES },
	{ "io-write-bps", VJAIL_LIMIT_IO_WRITE_BPS, U_BYTES },
	{ "msgmnb", VJAIL_LIMIT_MSGMNB, U_BYTES },
	{ "msgmax", VJAIL_LIMIT_MSGMAX, U_BYTES },
	{ "shmmax", VJAIL_LIMIT_SHMMAX, U_BYTES },
	{ "shmall", VJAIL_LIMIT_SHMALL, U_COUNT },
	{ "semmsl", VJAIL_LIMIT_SEMMSL, U_COUNT },
};

static const struct limit_key *limit_by_kind(uint64_t kind)
{
	for (size_t i = 0; i < ARRAY_LEN(limit_keys); i++)
		if ((uint64_t)limit_keys[i].kind == kind)
			return &limit_keys[i];
	return NULL;
}

/* ---- small word tables --------------------------------------------------- */

static const struct {
	const char *name;
	uint64_t bit;
} ns_names[] = {
	{ "user", VJAIL_NS_USER }, { "pid", VJAIL_NS_PID },
	{ "mount", VJAIL_NS_MOUNT }, { "ipc", VJAIL_NS_IPC },
	{ "uts", VJAIL_NS_UTS }, { "net", VJAIL_NS_NET },
	{ "cgroup", VJAIL_NS_CGROUP }, { "time", VJAIL_NS_TIME },
};

static const struct {
	const char *name;
	unsigned int flag;
} bind_words[] = {
	{ "ro", 0 },
	{ "rw", VJAIL_BIND_RW },
	{ "optional", VJAIL_BIND_OPTIONAL },
	{ "dev", VJAIL_BIND_DEV },
	{ "noexec", VJAIL_BIND_EXEC_OFF },
};

static const char *const profile_names[] = {
	[VJAIL_PROFILE_NONE] = "none",
	[VJAIL_PROFILE_DAEMON] = "daemon",
	[VJAIL_PROFILE_MINIMAL] = "minimal",
};

static const char *const action_names[] = {
	[VJAIL_ACTION_ERRNO] = "errno", [VJAIL_ACTION_KILL] = "kill",
	[VJAIL_ACTION_TRAP] = "trap",   [VJAIL_ACTION_LOG] = "log",
	[VJAIL_ACTION_ALLOW] = "allow",
};

/* ---- the parser's state ---------------------------------------------------- */

struct tok {
	char *s;          /* decoded, NUL-terminated */
	unsigned int col; /* where it starts on the line */
	bool quoted;
};

struct key_def;

struct parser {
	struct vj_config *cfg;
	unsigned int line;
	char *err;
	size_t errlen;
	unsigned int seen[16 + 27]; /* line of the first use of a key that
				      may appear once; limits from 16 */
};

typedef int (*value_fn)(struct parser *p, const struct key_def *k,
			const struct tok *t, size_t n, unsigned int kcol);

struct key_def {
	const char *name;
	value_fn parse;
	enum vj_cfg_key key; /* what the entries it makes are */
	int once;            /* index into seen[] + 1, or 0: may repeat */
	const char *syntax;  /* what the value looks like */
	uint64_t arg;        /* key-specific */
};

static int perr(struct parser *p, unsigned int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int perr(struct parser *p, unsigned int col, const char *fmt, ...)
{
	va_list ap;
	int len;

	p->cfg->err_line = p->line;
	p->cfg->err_col = col;
	if (p->errlen == 0)
		return -EINVAL;
	len = snprintf(p->err, p->errlen, "%u:%u: ", p->line, col);
	if (len >= 0 && (size_t)len < p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err + len, p->errlen - (size_t)len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static struct vj_cfg_entry *add_entry(struct parser *p, enum vj_cfg_key key,
				      unsigned int col)
{
	struct vj_config *c = p->cfg;
	struct vj_cfg_entry *e;

	if (c->n == c->cap) {
		/* Doubling: a fuzzer's megabyte of "waive = a a a ..." must
		 * not cost a copy per word. */
		size_t cap = c->cap ? c->cap * 2 : 16;
		struct vj_cfg_entry *grown =
			reallocarray(c->entries, cap, sizeof(*grown));

		if (grown == NULL)
			return NULL;
		c->entries = grown;
		c->cap = cap;
	}
	e = &c->entries[c->n++];
	memset(e, 0, sizeof(*e));
	e->key = key;
	e->line = p->line;
	e->col = col;
	return e;
}

/* Set str[i] of @e to a copy of @s. */
static int set_str(struct vj_cfg_entry *e, int i, const char *s)
{
	e->str[i] = strdup(s);
	return e->str[i] != NULL ? 0 : -ENOMEM;
}

/* ---- values ------------------------------------------------------------------ */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Leading decimal digits of @s into *@v; returns how many, 0 if none or
 * on overflow (with *@over set). */
static size_t digits(const char *s, uint64_t *v, bool *over)
{
	size_t i = 0;

	*v = 0;
	*over = false;
	for (; is_digit(s[i]); i++) {
		uint64_t d = (uint64_t)(s[i] - '0');

		if (*v > (UINT64_MAX - d) / 10)
			*over = true;
		else
			*v = *v * 10 + d;
	}
	return *over ? 0 : i;
}

static int number(struct parser *p, const struct tok *t, uint64_t max,
		  const char *what, uint64_t *v)
{
	bool over;
	size_t n = digits(t->s, v, &over);

	if (over || (n > 0 && t->s[n] == '\0' && *v > max))
		return perr(p, t->col, "%s \"%s\" is too large (at most %llu)",
			    what, t->s, (unsigned long long)max);
	if (n == 0 || t->s[n] != '\0')
		return perr(p, t->col, "expected %s, got \"%s\"", what, t->s);
	return 0;
}

static bool is_unlimited(const char *s)
{
	return strcmp(s, "unlimited") == 0 || strcmp(s, "infinity") == 0;
}

/* 4096, 64K, 64M, 1G, 2GiB, 512B: powers of 1024. */
static int size_value(struct parser *p, const char *s, unsigned int col,
		      uint64_t *v)
{
	static const char units[] = "kmgtpe";
	bool over;
	size_t n = digits(s, v, &over);
	const char *u = s + n, *at;
	unsigned int shift = 0;

	if (over)
		return perr(p, col, "size \"%s\" is too large", s);
	if (n == 0)
		return perr(p, col,
			    "expected a size such as 4096, 64K, 16M or 2G, "
			    "got \"%s\"",
			    s);
	if (*u != '\0' && *u != 'b' && *u != 'B') {
		at = strchr(units, lower(*u));
		if (at == NULL)
			return perr(p, col + (unsigned int)n,
				    "unknown size unit \"%s\" (expected K, M, "
				    "G, T, P or E)",
				    u);
		shift = 10 * (unsigned int)(at - units + 1);
		u++;
		if (*u == 'i')
			u++;
	}
	if (*u == 'b' || *u == 'B')
		u++;
	if (*u != '\0')
		return perr(p, col + (unsigned int)(u - s),
			    "unexpected \"%s\" after the size", u);
	if (shift > 0 && *v > (UINT64_MAX >> shift))
		return perr(p, col, "size \"%s\" is too large", s);
	*v <<= shift;
	return 0;
}

/* 90, 90s, 15m, 1h30m, 2d, 1w: seconds. */
static int duration_value(struct parser *p, const char *s, unsigned int col,
			  uint64_t *v)
{
	static const struct {
		char c;
		uint64_t mul;
	} units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 },
		      { 'd', 86400 }, { 'w', 604800 } };
	const char *c = s;

	*v = 0;
	if (*c == '\0')
		return perr(p, col, "expected a duration");
	while (*c != '\0') {
		uint64_t part, mul = 0;
		bool over;
		size_t n = digits(c, &part, &over);

		if (n == 0)
			return perr(p, col + (unsigned int)(c - s),
				    over ? "duration \"%s\" is too large"
					 : "expected a duration such as 90, "
					   "90s, 15m, 1h30m or 2d, got \"%s\"",
				    s);
		c += n;
		if (*c == '\0' && c - n == s) {
			mul = 1; /* a plain number: seconds */
		} else {
			for (size_t i = 0; i < ARRAY_LEN(units); i++)
				if (*c == units[i].c)
					mul = units[i].mul;
			if (mul == 0)
				return perr(p, col + (unsigned int)(c - s),
					    "expected a unit s, m, h, d or w "
					    "after %llu",
					    (unsigned long long)part);
			c++;
		}
		if (part > (UINT64_MAX - *v) / mul)
			return perr(p, col, "duration \"%s\" is too large", s);
		*v += part * mul;
	}
	return 0;
}

/* A limit's value in its unit; "unlimited" is VJAIL_UNLIMITED. */
static int limit_value(struct parser *p, const struct limit_key *lk,
		       const char *s, unsigned int col, uint64_t *v,
		       bool *pct)
{
	size_t len = strlen(s);

	*pct = false;
	if (is_unlimited(s)) {
		*v = VJAIL_UNLIMITED;
		return 0;
	}
	if (len > 1 && s[len - 1] == '%' &&
	    (lk->unit == U_BYTES_PCT || lk->unit == U_PERMILLE)) {
		bool over;
		size_t n = digits(s, v, &over);

		if (n != len - 1 || over)
			return perr(p, col, "expected a whole percentage such "
				    "as 50%%, got \"%s\"", s);
		if (lk->unit == U_PERMILLE) {
			if (*v > UINT64_MAX / 10)
				return perr(p, col, "\"%s\" is too large", s);
			*v *= 10; /* 50% of one CPU = 500 per-mille */
			return 0;
		}
		if (*v < 1 || *v > 100)
			return perr(p, col, "expected 1%% to 100%% of the "
				    "machine's memory, got \"%s\"", s);
		*pct = true;
		return 0;
	}
	switch (lk->unit) {
	case U_BYTES:
	case U_BYTES_PCT:
		return size_value(p, s, col, v);
	case U_SECONDS:
		return duration_value(p, s, col, v);
	case U_COUNT:
	case U_PERMILLE:
	default: {
		struct tok t = { (char *)s, col, false };

		return number(p, &t, UINT64_MAX - 1,
			      lk->unit == U_PERMILLE
				      ? "per-mille of one CPU or a percentage"
				      : "a number or \"unlimited\"",
			      v);
	}
	}
}

/* 1 to UTS_LEN bytes of printable ASCII (no '/' if @no_slash): what the
 * uts setters accept, checked here to point at the right column. */
static int uts_text(struct parser *p, const struct tok *t, bool no_slash)
{
	size_t len = strlen(t->s);

	if (len == 0 || len > UTS_LEN)
		return perr(p, t->col, "expected 1 to %d characters, got %zu",
			    UTS_LEN, len);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)t->s[i];

		if (c < 0x20 || c > 0x7e || (no_slash && c == '/'))
			return perr(p, t->col, "character %zu (0x%02x) is not "
				    "printable ASCII%s",
				    i + 1, c, no_slash ? " without '/'" : "");
	}
	return 0;
}

static int abs_path(struct parser *p, const struct tok *t, const char *what)
{
	if (t->s[0] != '/')
		return perr(p, t->col, "expected an absolute %s path, got "
			    "\"%s\"", what, t->s);
	return 0;
}

/* A name from a list (index of the match), or an error listing them. */
static int word(struct parser *p, const struct tok *t,
		const char *const *names, size_t n, const char *what)
{
	char list[256] = "";

	for (size_t i = 0; i < n; i++)
		if (names[i] != NULL && strcmp(t->s, names[i]) == 0)
			return (int)i;
	for (size_t i = 0; i < n; i++) {
		if (names[i] == NULL)
			continue;
		if (list[0] != '\0')
			strncat(list, ", ", sizeof(list) - strlen(list) - 1);
		strncat(list, names[i], sizeof(list) - strlen(list) - 1);
	}
	return perr(p, t->col, "unknown %s \"%s\" (expected %s)", what, t->s,
		    list);
}

static int errno_value(struct parser *p, const struct tok *t, uint64_t *v)
{
	if (is_digit(t->s[0])) {
		bool over;
		size_t n = digits(t->s, v, &over);

		if (n == 0 || t->s[n] != '\0' || *v < 1 || *v > 4095)
			return perr(p, t->col, "expected an errno 1 to 4095 or "
				    "a name such as EPERM, got \"%s\"", t->s);
		return 0;
	}
	for (int e = 1; e <= 4095; e++) {
		const char *name = strerrorname_np(e);

		if (name != NULL && strcmp(name, t->s) == 0) {
			*v = (uint64_t)e;
			return 0;
		}
	}
	return perr(p, t->col, "unknown errno \"%s\" (expected a name such as "
		    "EPERM or a number 1 to 4095)", t->s);
}

/* "errno [ERR]", "kill", "trap", "log" (and "allow" when @allow_ok). */
static int action_value(struct parser *p, const struct tok *t, size_t n,
			bool allow_ok, uint64_t *action, uint64_t *err)
{
	int a = word(p, &t[0], action_names,
		     allow_ok ? ARRAY_LEN(action_names)
			      : ARRAY_LEN(action_names) - 1,
		     "action");

	if (a < 0)
		return a;
	*action = (uint64_t)a;
	*err = 0;
	if (a == VJAIL_ACTION_ERRNO) {
		*err = 1; /* EPERM */
		if (n > 2)
			return perr(p, t[2].col, "unexpected \"%s\" after the "
				    "errno", t[2].s);
		return n > 1 ? errno_value(p, &t[1], err) : 0;
	}
	if (n > 1)
		return perr(p, t[1].col, "action \"%s\" takes no errno, got "
			    "\"%s\"", t[0].s, t[1].s);
	return 0;
}

/* ---- one parser per kind of key -------------------------------------------- */

static int need_count(struct parser *p, const struct key_def *k,
		      const struct tok *t, size_t n, size_t min, size_t max,
		      unsigned int kcol)
{
	if (n < min)
		return perr(p, n > 0 ? t[n - 1].col : kcol,
			    "key \"%s\" needs a value: %s", k->name, k->syntax);
	if (n > max)
		return perr(p, t[max].col, "unexpected \"%s\": \"%s\" takes %s",
			    t[max].s, k->name, k->syntax);
	return 0;
}

static int v_string(struct parser *p, const struct key_def *k,
		    const struct tok *t, size_t n, unsigned int kcol)
{
	struct vj_cfg_entry *e;
	int rc = need_count(p, k, t, n, 1, 1, kcol);

	if (rc < 0)
		return rc;
	if (k->key == VJ_CFG_ROOT)
		rc = abs_path(p, &t[0], "root");
	else if (k->key == VJ_CFG_CGROUP_PARENT && t[0].s[0] == '\0')
		rc = perr(p, t[0].col, "expected a cgroup path");
	else if (k->key == VJ_CFG_HOSTNAME || k->key == VJ_CFG_DOMAINNAME)
		rc = uts_text(p, &t[0], true);
	if (rc < 0)
		return rc;
	e = add_entry(p, k->key, t[0].col);
	return e == NULL ? -ENOMEM : set_str(e, 0, t[0].s);
}

static int v_bool(struct parser *p, const struct key_def *k,
		  const struct tok *t, size_t n, unsigned int kcol)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	struct vj_cfg_entry *e;
	int rc = need_count(p, k, t, n, 1, 1, kcol);

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < ARRAY_LEN(yes); i++) {
		if (strcmp(t[0].s, yes[i]) == 0 || strcmp(t[0].s, no[i]) == 0) {
			e = add_entry(p, k->key, t[0].col);
			if (e == NULL)
				return -ENOMEM;
			e->num[0] = strcmp(t[0].s, yes[i]) == 0;
			return 0;
		}
	}
	return perr(p, t[0].col, "expected yes or no, got \"%s\"", t[0].s);
}

static int v_waive(struct parser *p, const struct key_def *k,
		   const struct tok *t, size_t n, unsigned int kcol)
{
	int rc = need_count(p, k, t, n, 1, MAX_TOKENS, kcol);

	for (size_t i = 0; rc == 0 && i < n; i++) {
		uint64_t bit = 0;
		struct vj_cfg_entry *e;

		for (int b = 0; b < 64 && bit == 0; b++) {
			const char *name = vjail_feature_name(UINT64_C(1) << b);

			if (name != NULL && strcmp(name, t[i].s) == 0)
				bit = UINT64_C(1) << b;
		}
		if (bit == 0)
			return perr(p, t[i].col, "unknown feature \"%s\" (the "
				    "names of vjail-features(1), such as "
				    "landlock-net or ns-time)", t[i].s);
		e = add_entry(p, k->key, t[i].col);
		if (e == NULL)
			return -ENOMEM;
		e->num[0] = bit;
	}
	return rc;
}

static int v_namespaces(struct parser *p, const struct key_def *k,
			const struct tok *t, size_t n, unsigned int kcol)
{
	uint64_t mask = 0;
	struct vj_cfg_entry *e;
	int rc = need_count(p, k, t, n, 1, MAX_TOKENS, kcol);

	for (size_t i = 0; rc == 0 && i < n; i++) {
		const char *w = t[i].s;
		bool minus = w[0] == '-';
		uint64_t bits = 0;

		if (minus)
			w++;
		if (strcmp(w, "default") == 0)
			bits = VJAIL_NS_DEFAULT;
		else if (strcmp(w, "all") == 0)
			bits = VJAIL_NS_ALL;
		else if (strcmp(w, "none") == 0 && !minus)
			mask = 0;
		for (size_t m = 0; m < ARRAY_LEN(ns_names); m++)
			if (strcmp(w, ns_names[m].name) == 0)
				bits = ns_names[m].bit;
		if (bits == 0 && strcmp(t[i].s, "none") != 0)
			return perr(p, t[i].col, "unknown namespace \"%s\" "
				    "(expected user, pid, mount, ipc, uts, "
				    "net, cgroup, time, default, all or none, "
				    "or -NAME to remove one)", t[i].s);
		mask = minus ? mask & ~bits : mask | bits;
	}
	if (rc < 0)
		return rc;
	e = add_entry(p, k->key, t[0].col);
	if (e == NULL)
		return -ENOMEM;
	e->num[0] = mask;
	return 0;
}

/* uname-release, uname-version, uname-machine: one vjail_set_uname() call,
 * at the place of the first of them. */
static int v_uname(struct parser *p, const struct key_def *k,
		   const struct tok *t, size_t n, unsigned int kcol)
{
	struct vj_cfg_entry *e = NULL;
	int rc = need_count(p, k, t, n, 1, 1, kcol);

	if (rc == 0)
		rc = uts_text(p, &t[0], false);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < p->cfg->n; i++)
		if (p->cfg->entries[i].key == VJ_CFG_UNAME)
			e = &p->cfg->entries[i];
	if (e == NULL && (e = add_entry(p, VJ_CFG_UNAME, t[0].col)) == NULL)
		return -ENOMEM;
	return set_str(e, (int)k->arg, t[0].s);
}

static int v_duration(struct parser *p, const struct key_def *k,
		      const struct tok *t, size_t n, unsigned int kcol)
{
	struct vj_cfg_entry *e;
	uint64_t v;
	int rc = need_count(p, k, t, n, 1, 1, kcol);

	if (rc == 0)
		rc = duration_value(p, t[0].s, t[0].col, &v);
	if (rc < 0)
		return rc;
	e = add_entry(p, k->key, t[0].col);
	if (e == NULL)
		return -ENOMEM;
	e->num[0] = v;
	return 0;
}

static int v_user(struct parser *p, const struct key_def *k,
		  const struct tok *t, size_t n, unsigned int kcol)
{
	struct vj_cfg_entry *e;
	const char *colon;
	int rc = need_count(p, k, t, n, 1, 1, kcol);

	if (rc < 0)
		return rc;
	colon = strchr(t[0].s, ':');
	if (is_digit(t[0].s[0]) || colon != NULL) {
		uint64_t uid, gid;
		bool over;
		size_t a = digits(t[0].s, &uid, &over);
		size_t b = colon ? digits(colon + 1, &gid, &over) : 0;

		if (colon == NULL || a != (size_t)(colon - t[0].s) || b == 0 ||
		    colon[1 + b] != '\0' || uid >= UINT32_MAX ||
		    gid >= UINT32_MAX)
			return perr(p, t[0].col, "expected a user name or "
				    "UID:GID (numbers below 4294967295), got "
				    "\"%s\"", t[0].s);
		e = add_entry(p, VJ_CFG_USER_ID, t[0].col);
		if (e == NULL)
			return -ENOMEM;
		e->num[0] = uid;
		e->num[1] = gid;
		return 0;
	}
	e = add_entry(p, VJ_CFG_USER_NAME, t[0].col);
	return e == NULL ? -ENOMEM : set_str(e, 0, t[0].s);
}

static int v_groups(struct parser *p, const struct key_def *k,
		    const struct tok *t, size_t n, unsigned int kcol)
{
	struct vj_cfg_entry *e;
	uint32_t ids[MAX_GROUPS];
	size_t nids = 0;
	int rc = need_count(p, k, t, n, 1, MAX_GROUPS, kcol);

	if (rc < 0)
		return rc;
	if (!(n == 1 && strcmp(t[0].s, "none") == 0)) {
		for (size_t i = 0; i < n; i++) {
			uint64_t v;

			if (number(p, &t[i], UINT32_MAX - 1,
				   "a group id (or \"none\" alone)", &v) < 0)
				return -EINVAL;
			ids[nids++] = (uint32_t)v;
		}
	}
	e = add_entry(p, k->key, t[0].col);
	if (e == NULL)
		return -ENOMEM;
	if (nids > 0) {
		e->ids = calloc(nids, sizeof(*e->ids));
		if (e->ids == NULL)
			return -ENOMEM;
		memcpy(e->ids, ids, nids * sizeof(*ids));
	}
	e->nids = nids;
	return 0;
}

static int v_caps(struct parser *p, const struct key_def *k,
		  const struct tok *t, size_t n, unsigned int kcol)
{
	int rc = need_count(p, k, t, n, 1, MAX_TOKENS, kcol);

	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct vj_cfg_entry *e;

		if (t[i].s[strspn(t[i].s, "abcdefghijklmnopqrstuvwxyz"
				  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")] !=
			    '\0' ||
		    t[i].s[0] == '\0')
			return perr(p, t[i].col, "expected a capability such "
				    "as net_bind_service or CAP_CHOWN, got "
				    "\"%s\"", t[i].s);
		e = add_entry(p, k->key, t[i].col);
		if (e == NULL || set_str(e, 0, t[i].s) < 0)
			return -ENOMEM;
	}
	return rc;
}

static int v_bind(struct parser *p, const struct key_def *k,
		  const struct tok *t, size_t n, unsigned int kcol)
{
	struct vj_cfg_entry *e;
	unsigned int flags = 0;
	size_t i = 1;
	int rc = need_count(p, k, t, n, 1, 2 + ARRAY_LEN(bind_words), kcol);

	if (rc == 0)
		rc = abs_path(p, &t[0], "source");
	if (rc < 0)
		return rc;
	if (n > 1 && (t[1].s[0] == '/' || t[1].quoted))
		if (abs_path(p, &t[i++], "target") < 0)
			return -EINVAL;
	for (; i < n; i++) {
		size_t w;

		for (w = 0; w < ARRAY_LEN(bind_words); w++)
			if (strcmp(t[i].s, bind_words[w].name) == 0)
				break;
		if (w == ARRAY_LEN(bind_words))
			return perr(p, t[i].col, "unknown bind option \"%s\" "
				    "(expected ro, rw, optional, dev or "
				    "noexec)", t[i].s);
		flags |= bind_words[w].flag;
	}
	e = add_entry(p, k->key, t[0].col);
	if (e == NULL || set_str(e, 0, t[0].s) < 0 ||
	    set_str(e, 1, n > 1 && t[1].s[0] == '/' ? t[1].s : t[0].s) < 0)
		return -ENOMEM;
	e->num[0] = flags;
	return 0;
}

static int v_tmpfs(struct parser *p, const struct key_def *k,
		   const struct tok *t, size_t n, unsigned int kcol)
{
	struct vj_cfg_entry *e;
	uint64_t size;
	int rc = need_count(p, k, t, n, 2, 2, kcol);

	if (rc == 0)
		rc = abs_path(p, &t[0], "target");
	if (rc == 0)
		rc = size_value(p, t[1].s, t[1].col, &size);
	if (rc < 0)
		return rc;
	e = add_entry(p, k->key, t[0].col);
	if (e == NULL || set_str(e, 0, t[0].s) < 0)
		return -ENOMEM;
	e->num[0] = size;
	return 0;
}

static int v_keep_fd(struct parser *p, const struct key_def *k,
		     const struct tok *t, size_t n, unsigned int kcol)
{
	struct vj_cfg_entry *e;
	uint64_t fd;
	int rc = need_count(p, k, t, n, 1, 2, kcol);

	if (rc == 0)
		rc = number(p, &t[0], INT32_MAX, "a descriptor number", &fd);
	if (rc == 0 && n == 2 && strcmp(t[1].s, "unsafe") != 0)
		rc = perr(p, t[1].col, "expected \"unsafe\" or nothing after "
			  "the descriptor, got \"%s\"", t[1].s);
	if (rc < 0)
		return rc;
	e = add_entry(p, k->key, t[0].col);
	if (e == NULL)
		return -ENOMEM;
	e->num[0] = fd;
	e->num[1] = n == 2 ? VJAIL_KEEP_FD_UNSAFE : 0;
	return 0;
}

static int v_ports(struct parser *p, const struct key_def *k,
		   const struct tok *t, size_t n, unsigned int kcol)
{
	int rc = need_count(p, k, t, n, 1, MAX_TOKENS, kcol);

	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct vj_cfg_entry *e;
		uint64_t port;

		if (number(p, &t[i], 65535, "a TCP port 0 to 65535", &port) < 0)
			return -EINVAL;
		e = add_entry(p, k->key, t[i].col);
		if (e == NULL)
			return -ENOMEM;
		e->num[0] = port;
		e->num[1] = k->arg;
	}
	return rc;
}

static int v_profile(struct parser *p, const struct key_def *k,
		     const struct tok *t, size_t n, unsigned int kcol)
{
	struct vj_cfg_entry *e;
	int w, rc = need_count(p, k, t, n, 1, 1, kcol);

	if (rc < 0)
		return rc;
	w = word(p, &t[0], profile_names, ARRAY_LEN(profile_names),
		 "seccomp profile");
	if (w < 0)
		return w;
	e = add_entry(p, k->key, t[0].col);
	if (e == NULL)
		return -ENOMEM;
	e->num[0] = (uint64_t)w;
	return 0;
}

static int v_sc_default(struct parser *p, const struct key_def *k,
			const struct tok *t, size_t n, unsigned int kcol)
{
	struct vj_cfg_entry *e;
	uint64_t action, err;
	int rc = need_count(p, k, t, n, 1, 2, kcol);

	if (rc == 0)
		rc = action_value(p, t, n, false, &action, &err);
	if (rc < 0)
		return rc;
	e = add_entry(p, k->key, t[0].col);
	if (e == NULL)
		return -ENOMEM;
	e->num[0] = action;
	e->num[1] = err;
	return 0;
}

static int v_syscall(struct parser *p, const struct key_def *k,
		     const struct tok *t, size_t n, unsigned int kcol)
{
	struct vj_cfg_entry *e;
	uint64_t action, err;
	int rc = need_count(p, k, t, n, 2, 3, kcol);

	if (rc == 0 && t[0].s[strspn(t[0].s, "abcdefghijklmnopqrstuvwxyz"
				     "0123456789_")] != '\0')
		rc = perr(p, t[0].col, "expected a syscall name such as "
			  "chroot, got \"%s\"", t[0].s);
	if (rc == 0)
		rc = action_value(p, t + 1, n - 1, true, &action, &err);
	if (rc < 0)
		return rc;
	e = add_entry(p, k->key, t[0].col);
	if (e == NULL || set_str(e, 0, t[0].s) < 0)
		return -ENOMEM;
	e->num[0] = action;
	e->num[1] = err;
	return 0;
}

static int v_limit(struct parser *p, const struct key_def *k,
		   const struct tok *t, size_t n, unsigned int kcol)
{
	const struct limit_key *lk = limit_by_kind(k->arg);
	struct vj_cfg_entry *e;
	uint64_t soft, hard;
	bool spct, hpct;
	unsigned int *seen;
	char *colon;
	int rc = need_count(p, k, t, n, 1, 1, kcol);

	if (rc < 0)
		return rc;
	seen = &p->seen[16 + (lk - limit_keys)];
	if (*seen != 0)
		return perr(p, kcol, "key \"%s\" given twice (first on line "
			    "%u)", k->name, *seen);
	*seen = p->line;
	colon = strchr(t[0].s, ':');
	if (colon != NULL) {
		*colon = '\0';
		rc = limit_value(p, lk, t[0].s, t[0].col, &soft, &spct);
		if (rc == 0)
			rc = limit_value(p, lk, colon + 1,
					 t[0].col + (unsigned int)(colon + 1 -
								   t[0].s),
					 &hard, &hpct);
		*colon = ':';
		if (rc == 0 && spct != hpct && soft != VJAIL_UNLIMITED &&
		    hard != VJAIL_UNLIMITED)
			rc = perr(p, t[0].col, "give both SOFT and HARD as "
				  "percentages or neither");
		if (rc == 0 && !spct && !hpct && soft > hard)
			rc = perr(p, t[0].col, "soft limit above the hard one "
				  "(expected SOFT:HARD)");
	} else {
		rc = limit_value(p, lk, t[0].s, t[0].col, &hard, &hpct);
		soft = hard;
		spct = hpct;
	}
	if (rc < 0)
		return rc;
	e = add_entry(p, VJ_CFG_LIMIT, t[0].col);
	if (e == NULL)
		return -ENOMEM;
	e->num[0] = k->arg;
	e->num[1] = soft;
	e->num[2] = hard;
	e->pct = spct || hpct;
	return 0;
}

/* ---- the keys ------------------------------------------------------------------ */

#define LIMIT_KEY(n, kind)                                                     \
	{ "limit-" n, v_limit, VJ_CFG_LIMIT, 0, "VALUE or SOFT:HARD", kind }

static const struct key_def keys[] = {
	{ "root", v_string, VJ_CFG_ROOT, 1, "an absolute path", 0 },
	{ "root-rw", v_bool, VJ_CFG_ROOT_RW, 2, "yes or no", 0 },
	{ "best-effort", v_bool, VJ_CFG_BEST_EFFORT, 3, "yes or no", 0 },
	{ "no-accounting", v_bool, VJ_CFG_NO_ACCOUNTING, 16, "yes or no", 0 },
	{ "waive", v_waive, VJ_CFG_WAIVE, 0, "FEATURE...", 0 },
	{ "namespaces", v_namespaces, VJ_CFG_NAMESPACES, 4, "NAME...", 0 },
	{ "hostname", v_string, VJ_CFG_HOSTNAME, 5, "a name", 0 },
	{ "domainname", v_string, VJ_CFG_DOMAINNAME, 6, "a name", 0 },
	{ "uname-release", v_uname, VJ_CFG_UNAME, 7, "a string", 0 },
	{ "uname-version", v_uname, VJ_CFG_UNAME, 8, "a string", 1 },
	{ "uname-machine", v_uname, VJ_CFG_UNAME, 9, "a string", 2 },
	{ "uptime", v_duration, VJ_CFG_UPTIME, 10, "a duration", 0 },
	{ "user", v_user, VJ_CFG_USER_NAME, 11, "NAME or UID:GID", 0 },
	{ "groups", v_groups, VJ_CFG_GROUPS, 12, "GID... or none", 0 },
	{ "keep-cap", v_caps, VJ_CFG_KEEP_CAP, 0, "CAPABILITY...", 0 },
	{ "bind", v_bind, VJ_CFG_BIND, 0,
	  "SOURCE [TARGET] [rw] [optional] [dev] [noexec]", 0 },
	{ "tmpfs", v_tmpfs, VJ_CFG_TMPFS, 0, "TARGET SIZE", 0 },
	{ "keep-fd", v_keep_fd, VJ_CFG_KEEP_FD, 0, "FD [unsafe]", 0 },
	{ "net-bind", v_ports, VJ_CFG_NET, 0, "PORT...", VJAIL_NET_BIND },
	{ "net-connect", v_ports, VJ_CFG_NET, 0, "PORT...",
	  VJAIL_NET_CONNECT },
	{ "seccomp-profile", v_profile, VJ_CFG_SC_PROFILE, 13,
	  "daemon, minimal or none", 0 },
	{ "seccomp-default", v_sc_default, VJ_CFG_SC_DEFAULT, 14,
	  "errno [ERRNO], kill, trap or log", 0 },
	{ "syscall", v_syscall, VJ_CFG_SYSCALL, 0, "NAME ACTION [ERRNO]", 0 },
	{ "cgroup-parent", v_string, VJ_CFG_CGROUP_PARENT, 15, "a path", 0 },
	LIMIT_KEY("as", VJAIL_LIMIT_AS),
	LIMIT_KEY("data", VJAIL_LIMIT_DATA),
	LIMIT_KEY("stack", VJAIL_LIMIT_STACK),
	LIMIT_KEY("rss", VJAIL_LIMIT_RSS),
	LIMIT_KEY("nproc", VJAIL_LIMIT_NPROC),
	LIMIT_KEY("nofile", VJAIL_LIMIT_NOFILE),
	LIMIT_KEY("locks", VJAIL_LIMIT_LOCKS),
	LIMIT_KEY("memlock", VJAIL_LIMIT_MEMLOCK),
	LIMIT_KEY("msgqueue", VJAIL_LIMIT_MSGQUEUE),
	LIMIT_KEY("sigpending", VJAIL_LIMIT_SIGPENDING),
	LIMIT_KEY("cpu", VJAIL_LIMIT_CPU),
	LIMIT_KEY("fsize", VJAIL_LIMIT_FSIZE),
	LIMIT_KEY("core", VJAIL_LIMIT_CORE),
	LIMIT_KEY("nice", VJAIL_LIMIT_NICE),
	LIMIT_KEY("rtprio", VJAIL_LIMIT_RTPRIO),
	LIMIT_KEY("memory", VJAIL_LIMIT_MEMORY),
	LIMIT_KEY("memory-swap", VJAIL_LIMIT_MEMORY_SWAP),
	LIMIT_KEY("pids", VJAIL_LIMIT_PIDS),
	LIMIT_KEY("cpu-max", VJAIL_LIMIT_CPU_MAX),
	LIMIT_KEY("cpu-weight", VJAIL_LIMIT_CPU_WEIGHT),
	LIMIT_KEY("io-read-bps", VJAIL_LIMIT_IO_READ_BPS),
	LIMIT_KEY("io-write-bps", VJAIL_LIMIT_IO_WRITE_BPS),
	LIMIT_KEY("msgmnb", VJAIL_LIMIT_MSGMNB),
	LIMIT_KEY("msgmax", VJAIL_LIMIT_MSGMAX),
	LIMIT_KEY("shmmax", VJAIL_LIMIT_SHMMAX),
	LIMIT_KEY("shmall", VJAIL_LIMIT_SHMALL),
	LIMIT_KEY("semmsl", VJAIL_LIMIT_SEMMSL),
};
_Static_assert(ARRAY_LEN(limit_keys) == 27, "a limit-NAME key per limit");

/* Documented in config.h. */
const char *vj_config_key(size_t i)
{
	return i < ARRAY_LEN(keys) ? keys[i].name : NULL;
}

/* Edit distance of two short strings, capped: for "did you mean". */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[40];

	if (la >= ARRAY_LEN(row) || lb >= ARRAY_LEN(row))
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

static int unknown_key(struct parser *p, const char *name, unsigned int col)
{
	const char *best = NULL;
	size_t best_d = 3; /* suggest only close names */

	for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
		size_t d = distance(name, keys[i].name);

		if (d < best_d) {
			best_d = d;
			best = keys[i].name;
		}
	}
	if (best != NULL)
		return perr(p, col, "unknown key \"%s\" (did you mean \"%s\"?)",
			    name, best);
	return perr(p, col, "unknown key \"%s\" (see vjail.conf(5) for the "
		    "keys)", name);
}

/* ---- lines and words ---------------------------------------------------------- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static int hexval(char c)
{
	c = lower(c);
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* A byte that may never appear in the text outside a quoted escape. */
static int bad_byte(struct parser *p, unsigned char c, unsigned int col)
{
	if (c == '\0')
		return perr(p, col, "NUL byte in the text");
	return perr(p, col, "control byte 0x%02x (write it as \\x%02x inside "
		    "quotes)", c, c);
}

static bool is_control(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

/* Decode the word at @s (line offset @off) into @t; returns its length in
 * the text, or -errno. */
static ssize_t read_word(struct parser *p, const char *s, size_t len,
			 unsigned int col, struct tok *t)
{
	char *out = malloc(len + 1);
	size_t i = 0, o = 0;

	if (out == NULL)
		return -ENOMEM;
	t->col = col;
	t->quoted = s[0] == '"';
	if (!t->quoted) {
		for (; i < len && !is_space(s[i]); i++) {
			if (is_control((unsigned char)s[i]))
				goto bad;
			if (s[i] == '"') {
				free(out);
				return perr(p, col + (unsigned int)i,
					    "unexpected '\"' inside a word "
					    "(quote the whole value)");
			}
			out[o++] = s[i];
		}
	} else {
		for (i = 1; i < len && s[i] != '"'; i++) {
			int hi, lo;

			if (is_control((unsigned char)s[i]))
				goto bad;
			if (s[i] != '\\') {
				out[o++] = s[i];
				continue;
			}
			if (++i >= len)
				break;
			switch (s[i]) {
			case '\\':
			case '"':
				out[o++] = s[i];
				break;
			case 'n':
				out[o++] = '\n';
				break;
			case 't':
				out[o++] = '\t';
				break;
			case 'x':
				hi = i + 1 < len ? hexval(s[i + 1]) : -1;
				lo = i + 2 < len ? hexval(s[i + 2]) : -1;
				if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
					free(out);
					return perr(p, col + (unsigned int)i - 1,
						    "expected \\xHH with two hex "
						    "digits, not 00");
				}
				out[o++] = (char)(hi * 16 + lo);
				i += 2;
				break;
			default:
				free(out);
				return perr(p, col + (unsigned int)i - 1,
					    "unknown escape \"\\%c\" (expected "
					    "\\\\, \\\", \\n, \\t or \\xHH)",
					    s[i] >= 0x20 && s[i] < 0x7f ? s[i]
									: '?');
			}
		}
		if (i >= len) {
			free(out);
			return perr(p, col, "unterminated quote (expected a "
				    "closing '\"' on the same line)");
		}
		i++; /* the closing quote */
		if (i < len && !is_space(s[i])) {
			free(out);
			return perr(p, col + (unsigned int)i,
				    "expected a space after the closing quote");
		}
	}
	out[o] = '\0';
	t->s = out;
	return (ssize_t)i;
bad:
	free(out);
	return bad_byte(p, (unsigned char)s[i], col + (unsigned int)i);
}

static int parse_line(struct parser *p, const char *s, size_t len)
{
	struct tok *toks;
	size_t i = 0, n = 0, klen;
	unsigned int kcol;
	char key[40];
	const struct key_def *k = NULL;
	int rc = 0;

	while (i < len && is_space(s[i]))
		i++;
	if (i == len || s[i] == '#')
		goto check_rest;
	kcol = (unsigned int)i + 1;
	for (klen = 0; i + klen < len; klen++) {
		char c = s[i + klen];

		if (!(c >= 'a' && c <= 'z') && !is_digit(c) && c != '-' &&
		    c != '_')
			break;
	}
	if (klen == 0)
		return s[i] == '=' ? perr(p, kcol, "expected a key before '='")
		       : is_control((unsigned char)s[i]) || s[i] == '\0'
			       ? bad_byte(p, (unsigned char)s[i], kcol)
			       : perr(p, kcol, "expected a key (lower-case "
				      "letters, digits, '-'), got '%c'", s[i]);
	if (klen >= sizeof(key))
		return perr(p, kcol, "key too long");
	for (size_t c = 0; c < klen; c++)
		key[c] = s[i + c] == '_' ? '-' : s[i + c];
	key[klen] = '\0';
	i += klen;
	for (size_t c = 0; c < ARRAY_LEN(keys); c++)
		if (strcmp(keys[c].name, key) == 0)
			k = &keys[c];
	while (i < len && is_space(s[i]))
		i++;
	if (i == len || s[i] != '=') {
		if (k == NULL)
			return unknown_key(p, key, kcol);
		return perr(p, (unsigned int)i + 1,
			    "expected '=' after the key \"%s\"", key);
	}
	if (k == NULL)
		return unknown_key(p, key, kcol);
	if (k->once > 0) {
		unsigned int *seen = &p->seen[k->once - 1];

		if (*seen != 0)
			return perr(p, kcol, "key \"%s\" given twice (first on "
				    "line %u)", key, *seen);
		*seen = p->line;
	}
	i++;
	toks = calloc(MAX_TOKENS, sizeof(*toks));
	if (toks == NULL)
		return -ENOMEM;
	for (;;) {
		ssize_t w;

		while (i < len && is_space(s[i]))
			i++;
		if (i == len || s[i] == '#')
			break;
		if (n == MAX_TOKENS) {
			rc = perr(p, (unsigned int)i + 1,
				  "more than %d values on one line",
				  MAX_TOKENS);
			break;
		}
		w = read_word(p, s + i, len - i, (unsigned int)i + 1, &toks[n]);
		if (w < 0) {
			rc = (int)w;
			break;
		}
		n++;
		i += (size_t)w;
	}
	if (rc == 0)
		rc = k->parse(p, k, toks, n, kcol);
	for (size_t c = 0; c < n; c++)
		free(toks[c].s);
	free(toks);
	return rc;

check_rest:
	/* A comment or blank line may still hide a NUL or control byte. */
	for (; i < len; i++)
		if (is_control((unsigned char)s[i]) || s[i] == '\0')
			return bad_byte(p, (unsigned char)s[i],
					(unsigned int)i + 1);
	return 0;
}

/* Documented in config.h. */
void vj_config_free(struct vj_config *cfg)
{
	for (size_t i = 0; i < cfg->n; i++) {
		struct vj_cfg_entry *e = &cfg->entries[i];

		for (size_t s = 0; s < ARRAY_LEN(e->str); s++)
			free(e->str[s]);
		free(e->ids);
	}
	free(cfg->entries);
	cfg->entries = NULL;
	cfg->n = cfg->cap = 0;
}

/* Documented in config.h. */
int vj_config_parse(struct vj_config *cfg, const char *text, size_t len,
		    char *err, size_t errlen)
{
	struct parser p = { .cfg = cfg, .err = err, .errlen = errlen };
	size_t start = 0;
	int rc = 0;

	memset(cfg, 0, sizeof(*cfg));
	if (errlen > 0)
		err[0] = '\0';
	while (start < len && rc == 0) {
		const char *nl = memchr(text + start, '\n', len - start);
		size_t end = nl != NULL ? (size_t)(nl - text) : len;
		size_t l = end - start;

		if (++p.line == 0) /* 4 billion lines: stop counting */
			return perr(&p, 1, "too many lines");
		if (l > 0 && text[start + l - 1] == '\r')
			l--; /* CRLF files */
		rc = parse_line(&p, text + start, l);
		start = end + 1;
	}
	if (rc == -ENOMEM && errlen > 0)
		snprintf(err, errlen, "%u:1: out of memory", p.line);
	if (rc < 0)
		vj_config_free(cfg);
	return rc;
}

/* ---- writing ---------------------------------------------------------------------- */

struct buf {
	char *s;
	size_t len, cap;
	bool oom;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *grown = realloc(b->s, cap);

		if (grown == NULL) {
			b->oom = true;
			return;
		}
		b->s = grown;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void putf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void putf(struct buf *b, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		put(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* A word, quoted when the bare form would not read back the same. */
static void put_word(struct buf *b, const char *s)
{
	bool quote = s[0] == '\0' || s[0] == '#';

	for (const char *c = s; *c != '\0' && !quote; c++)
		quote = is_space(*c) || *c == '"' || *c == '\\' ||
			is_control((unsigned char)*c);
	if (!quote) {
		puts_(b, s);
		return;
	}
	puts_(b, "\"");
	for (const char *c = s; *c != '\0'; c++) {
		if (*c == '"' || *c == '\\')
			putf(b, "\\%c", *c);
		else if (*c == '\n')
			puts_(b, "\\n");
		else if (*c == '\t')
			puts_(b, "\\t");
		else if (is_control((unsigned char)*c))
			putf(b, "\\x%02x", (unsigned char)*c);
		else
			put(b, c, 1);
	}
	puts_(b, "\"");
}

static void put_size(struct buf *b, uint64_t v)
{
	static const char units[] = "KMGTPE";
	int u = -1;

	while (v != 0 && u < 5 && (v & 1023) == 0) {
		v >>= 10;
		u++;
	}
	putf(b, "%llu", (unsigned long long)v);
	if (u >= 0)
		put(b, &units[u], 1);
}

static void put_limit_value(struct buf *b, const struct limit_key *lk,
			    uint64_t v, bool pct)
{
	if (v == VJAIL_UNLIMITED)
		puts_(b, "unlimited");
	else if (pct)
		putf(b, "%llu%%", (unsigned long long)v);
	else if (lk->unit == U_BYTES || lk->unit == U_BYTES_PCT)
		put_size(b, v);
	else if (lk->unit == U_PERMILLE && v % 10 == 0)
		putf(b, "%llu%%", (unsigned long long)(v / 10));
	else
		putf(b, "%llu", (unsigned long long)v);
}

static const char *key_name(enum vj_cfg_key key, uint64_t arg)
{
	if (key == VJ_CFG_USER_ID)
		key = VJ_CFG_USER_NAME; /* both are "user" */
	for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
		if (keys[i].key != key)
			continue;
		if ((key == VJ_CFG_NET || key == VJ_CFG_LIMIT) &&
		    keys[i].arg != arg)
			continue;
		return keys[i].name;
	}
	return "?";
}

/* Entries of list keys that share a line with the one before. */
static bool continues(const struct vj_cfg_entry *prev,
		      const struct vj_cfg_entry *e)
{
	if (prev == NULL || prev->key != e->key)
		return false;
	if (e->key == VJ_CFG_NET)
		return prev->num[1] == e->num[1];
	return e->key == VJ_CFG_WAIVE || e->key == VJ_CFG_KEEP_CAP;
}

static void put_namespaces(struct buf *b, uint64_t mask)
{
	bool first = true;

	for (size_t i = 0; i < ARRAY_LEN(ns_names); i++) {
		if (!(mask & ns_names[i].bit))
			continue;
		if (!first)
			puts_(b, " ");
		puts_(b, ns_names[i].name);
		first = false;
	}
	if (first)
		puts_(b, "none");
}

static void put_action(struct buf *b, uint64_t action, uint64_t err)
{
	puts_(b, action < ARRAY_LEN(action_names) && action_names[action]
			 ? action_names[action]
			 : "?");
	if (action == VJAIL_ACTION_ERRNO) {
		const char *name = err <= 4095 ? strerrorname_np((int)err)
					       : NULL;

		if (name != NULL)
			putf(b, " %s", name);
		else
			putf(b, " %llu", (unsigned long long)err);
	}
}

static void put_entry(struct buf *b, const struct vj_cfg_entry *e)
{
	static const char *const uname_keys[] = { "uname-release",
						  "uname-version",
						  "uname-machine" };
	const struct limit_key *lk;

	switch (e->key) {
	case VJ_CFG_NONE:
		break;
	case VJ_CFG_ROOT:
	case VJ_CFG_HOSTNAME:
	case VJ_CFG_DOMAINNAME:
	case VJ_CFG_USER_NAME:
	case VJ_CFG_KEEP_CAP:
	case VJ_CFG_CGROUP_PARENT:
		put_word(b, e->str[0]);
		break;
	case VJ_CFG_ROOT_RW:
	case VJ_CFG_BEST_EFFORT:
	case VJ_CFG_NO_ACCOUNTING:
		puts_(b, e->num[0] ? "yes" : "no");
		break;
	case VJ_CFG_WAIVE:
		puts_(b, vjail_feature_name(e->num[0]) ?: "?");
		break;
	case VJ_CFG_NAMESPACES:
		put_namespaces(b, e->num[0]);
		break;
	case VJ_CFG_UNAME:
		/* Three keys: the caller wrote "uname-release = "; the
		 * first given field goes there, the others follow. */
		for (size_t i = 0, first = 1; i < 3; i++) {
			if (e->str[i] == NULL)
				continue;
			if (!first)
				putf(b, "\n%s = ", uname_keys[i]);
			put_word(b, e->str[i]);
			first = 0;
		}
		break;
	case VJ_CFG_UPTIME:
	case VJ_CFG_NET:
		putf(b, "%llu", (unsigned long long)e->num[0]);
		break;
	case VJ_CFG_USER_ID:
		putf(b, "%llu:%llu", (unsigned long long)e->num[0],
		     (unsigned long long)e->num[1]);
		break;
	case VJ_CFG_GROUPS:
		for (size_t i = 0; i < e->nids; i++)
			putf(b, "%s%lu", i ? " " : "", (unsigned long)e->ids[i]);
		if (e->nids == 0)
			puts_(b, "none");
		break;
	case VJ_CFG_BIND:
		put_word(b, e->str[0]);
		if (strcmp(e->str[0], e->str[1]) != 0) {
			puts_(b, " ");
			put_word(b, e->str[1]);
		}
		for (size_t i = 1; i < ARRAY_LEN(bind_words); i++)
			if (e->num[0] & bind_words[i].flag)
				putf(b, " %s", bind_words[i].name);
		break;
	case VJ_CFG_TMPFS:
		put_word(b, e->str[0]);
		puts_(b, " ");
		put_size(b, e->num[0]);
		break;
	case VJ_CFG_KEEP_FD:
		putf(b, "%llu%s", (unsigned long long)e->num[0],
		     e->num[1] & VJAIL_KEEP_FD_UNSAFE ? " unsafe" : "");
		break;
	case VJ_CFG_SC_PROFILE:
		puts_(b, e->num[0] < ARRAY_LEN(profile_names) &&
				 profile_names[e->num[0]]
			 ? profile_names[e->num[0]]
			 : "?");
		break;
	case VJ_CFG_SC_DEFAULT:
		put_action(b, e->num[0], e->num[1]);
		break;
	case VJ_CFG_SYSCALL:
		put_word(b, e->str[0]);
		puts_(b, " ");
		put_action(b, e->num[0], e->num[1]);
		break;
	case VJ_CFG_LIMIT:
		lk = limit_by_kind(e->num[0]);
		if (lk == NULL) {
			puts_(b, "?");
			break;
		}
		put_limit_value(b, lk, e->num[1], e->pct);
		if (e->num[1] != e->num[2]) {
			puts_(b, ":");
			put_limit_value(b, lk, e->num[2], e->pct);
		}
		break;
	}
}

/* Documented in config.h. */
int vj_config_format(const struct vj_config *cfg, char **out)
{
	struct buf b = { 0 };
	const struct vj_cfg_entry *prev = NULL;

	puts_(&b, "");
	for (size_t i = 0; i < cfg->n; i++) {
		const struct vj_cfg_entry *e = &cfg->entries[i];
		uint64_t arg = e->key == VJ_CFG_NET	  ? e->num[1]
			       : e->key == VJ_CFG_LIMIT ? e->num[0]
							: 0;

		if (e->key == VJ_CFG_NONE)
			continue;
		if (continues(prev, e)) {
			puts_(&b, " ");
		} else {
			if (prev != NULL)
				puts_(&b, "\n");
			if (e->key == VJ_CFG_UNAME)
				puts_(&b, e->str[0]   ? "uname-release"
					  : e->str[1] ? "uname-version"
						      : "uname-machine");
			else
				puts_(&b, key_name(e->key, arg));
			puts_(&b, " = ");
		}
		put_entry(&b, e);
		prev = e;
	}
	if (prev != NULL)
		puts_(&b, "\n");
	if (b.oom) {
		free(b.s);
		return -ENOMEM;
	}
	*out = b.s;
	return 0;
}
