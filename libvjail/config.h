/* libvjail/config.h - policy files (vjail.conf(5)): the parsed form of a
 * policy, the pure parser that produces it (the fuzz target), and the
 * writer that turns it back into text.
 *
 * A policy is a list of entries in file order, each one later applied by
 * one call of a public setter. The parser does no system call and touches
 * no handle: names of users, capabilities and syscalls are checked when
 * the entry is applied (vjail_load_config()), which reports them with the
 * entry's line and column all the same.
 */
#ifndef VJ_CONFIG_H
#define VJ_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum vj_cfg_key {
	VJ_CFG_NONE = 0,     /* an entry emptied by a merge: applies nothing */
	VJ_CFG_ROOT = 1,     /* str[0]: vjail_create() root */
	VJ_CFG_ROOT_RW,      /* num[0]: 0/1, VJAIL_CREATE_ROOT_RW */
	VJ_CFG_BEST_EFFORT,  /* num[0]: 0/1, VJAIL_CREATE_BEST_EFFORT */
	VJ_CFG_NO_ACCOUNTING, /* num[0]: 0/1, VJAIL_CREATE_NO_ACCOUNTING */
	VJ_CFG_WAIVE,        /* num[0]: one VJAIL_FEAT_* / VJAIL_NS_* bit */
	VJ_CFG_NAMESPACES,   /* num[0]: VJAIL_NS_* mask */
	VJ_CFG_HOSTNAME,     /* str[0] */
	VJ_CFG_DOMAINNAME,   /* str[0] */
	VJ_CFG_UNAME,        /* str[0..2]: release, version, machine; NULL
				= not given */
	VJ_CFG_UPTIME,       /* num[0]: seconds */
	VJ_CFG_USER_NAME,    /* str[0] */
	VJ_CFG_USER_ID,      /* num[0]: uid, num[1]: gid */
	VJ_CFG_GROUPS,       /* ids[0..nids) */
	VJ_CFG_KEEP_CAP,     /* str[0]: name or number, resolved at apply */
	VJ_CFG_BIND,         /* str[0]: source, str[1]: target, num[0]:
				VJAIL_BIND_* */
	VJ_CFG_TMPFS,        /* str[0]: target, num[0]: bytes */
	VJ_CFG_KEEP_FD,      /* num[0]: fd, num[1]: VJAIL_KEEP_FD_* */
	VJ_CFG_NET,          /* num[0]: port, num[1]: VJAIL_NET_* */
	VJ_CFG_SC_PROFILE,   /* num[0]: enum vjail_profile */
	VJ_CFG_SC_DEFAULT,   /* num[0]: enum vjail_action, num[1]: errno */
	VJ_CFG_SYSCALL,      /* str[0]: name, num[0]: action, num[1]: errno */
	VJ_CFG_LIMIT,        /* num[0]: kind, num[1]: soft, num[2]: hard;
				pct: soft and hard are percent of RAM */
	VJ_CFG_CGROUP_PARENT, /* str[0] */
};

struct vj_cfg_entry {
	enum vj_cfg_key key;
	unsigned int line; /* 1-based position of the value; 0: not from */
	unsigned int col;  /* text (a copy of a handle's settings) */
	char *str[3];
	uint64_t num[3];
	bool pct;
	uint32_t *ids; /* VJ_CFG_GROUPS */
	size_t nids;
};

struct vj_config {
	struct vj_cfg_entry *entries;
	size_t n;
	size_t cap;            /* entries allocated */
	unsigned int err_line; /* position of the first error, 0 if none */
	unsigned int err_col;
};

/* Largest text vjail_load_config() reads. */
#define VJ_CONFIG_MAX_BYTES (1u << 20)

/*
 * Parse @len bytes of @text (no terminating NUL needed; a NUL byte inside
 * is an error) into @cfg, which is zeroed first. Pure: no system call, no
 * global state. On error, @err (if @errlen > 0) gets "LINE:COLUMN: what
 * was expected", cfg->err_line/err_col are set, and @cfg holds nothing to
 * free. Returns 0, -EINVAL (a syntax or value error) or -ENOMEM.
 */
int vj_config_parse(struct vj_config *cfg, const char *text, size_t len,
		    char *err, size_t errlen);

/* Name of the @i-th key of the language (0-based), NULL past the last:
 * for tests and help texts. */
const char *vj_config_key(size_t i);

/* Free what vj_config_parse() (or config-load.c) put in @cfg. */
void vj_config_free(struct vj_config *cfg);

/*
 * Write @cfg as policy text (what vjail_dump_config() prints, without its
 * comments). A malloc'd NUL-terminated string in *@out. Returns 0 or
 * -ENOMEM. Parsing the text gives back the same entries (positions aside).
 */
int vj_config_format(const struct vj_config *cfg, char **out);

#endif /* VJ_CONFIG_H */
