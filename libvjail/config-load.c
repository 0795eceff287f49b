/* libvjail/config-load.c - policy files meet the handle: vjail_load_config()
 * and vjail_load_config_text() apply a parsed policy (config.c) through the
 * public setters, vjail_dump_config() writes a handle's settings back as a
 * policy.
 *
 * All or nothing, without an undo in every setter: the handle's current
 * settings are read back as policy entries (the same list the dump
 * prints), replayed onto a scratch handle, the file's entries follow, and
 * only if every one succeeded do the two handles trade places. So every
 * setting of struct vjail must be readable here: a new public setter needs
 * a key in config.c and a line in from_handle() below, or a load would
 * drop what it set. tests/config-keys.sh fails the build's tests until
 * both exist.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cap-ng.h>
#include <seccomp.h>

#include "args.h"
#include "config.h"
#include "error.h"
#include "jail.h"

/* ---- the handle's settings as policy entries ----------------------------- */

static struct vj_cfg_entry *push(struct vj_config *c, enum vj_cfg_key key)
{
	struct vj_cfg_entry *e;

	if (c->n == c->cap) {
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
	return e;
}

static int push_str(struct vj_config *c, enum vj_cfg_key key, const char *s)
{
	struct vj_cfg_entry *e = push(c, key);

	if (e == NULL || (e->str[0] = strdup(s)) == NULL)
		return -ENOMEM;
	return 0;
}

static int push_num(struct vj_config *c, enum vj_cfg_key key, uint64_t a,
		    uint64_t b)
{
	struct vj_cfg_entry *e = push(c, key);

	if (e == NULL)
		return -ENOMEM;
	e->num[0] = a;
	e->num[1] = b;
	return 0;
}

static int uname_entry(struct vj_config *c, const struct vj_uts *u)
{
	const char *f[] = { u->release, u->version, u->machine };
	struct vj_cfg_entry *e = push(c, VJ_CFG_UNAME);

	if (e == NULL)
		return -ENOMEM;
	for (int i = 0; i < 3; i++)
		if (f[i][0] != '\0' && (e->str[i] = strdup(f[i])) == NULL)
			return -ENOMEM;
	return 0;
}

static int mount_entry(struct vj_config *c, const struct vj_mount_req *m)
{
	struct vj_cfg_entry *e = push(c, m->source ? VJ_CFG_BIND : VJ_CFG_TMPFS);

	if (e == NULL)
		return -ENOMEM;
	if (m->source == NULL) {
		e->num[0] = m->tmpfs_size;
		return (e->str[0] = strdup(m->target)) ? 0 : -ENOMEM;
	}
	e->num[0] = m->flags;
	if ((e->str[0] = strdup(m->source)) == NULL ||
	    (e->str[1] = strdup(m->target)) == NULL)
		return -ENOMEM;
	return 0;
}

static int cap_entries(struct vj_config *c, uint64_t caps)
{
	for (int cap = 0; cap < 64; cap++) {
		const char *name;
		char num[16];

		if (!(caps & (UINT64_C(1) << cap)))
			continue;
		name = capng_capability_to_name((unsigned int)cap);
		snprintf(num, sizeof(num), "%d", cap);
		if (push_str(c, VJ_CFG_KEEP_CAP, name ? name : num) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int syscall_entry(struct vj_config *c, const struct vj_sc_rule *r)
{
	char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, r->nr);
	struct vj_cfg_entry *e;

	if (name == NULL)
		return -ENOMEM; /* the setter resolved it: it has a name */
	e = push(c, VJ_CFG_SYSCALL);
	if (e == NULL) {
		free(name);
		return -ENOMEM;
	}
	e->str[0] = name;
	e->num[0] = r->action;
	e->num[1] = (uint64_t)r->err;
	return 0;
}

static int limit_entries(struct vj_config *c, const struct vjail *j)
{
	/* Every kind of enum vjail_limit_kind, in its order. */
	for (int kind = 1; kind <= VJAIL_LIMIT_SEMMSL; kind++) {
		struct vj_cfg_entry *e;
		uint64_t soft, hard;

		if (vj_limit_get(j, (enum vjail_limit_kind)kind, &soft,
				 &hard) != 1)
			continue;
		e = push(c, VJ_CFG_LIMIT);
		if (e == NULL)
			return -ENOMEM;
		e->num[0] = (uint64_t)kind;
		e->num[1] = soft;
		e->num[2] = hard;
	}
	return 0;
}

/* Every setting @j holds, as the entries that would set it again. */
static int from_handle(struct vj_config *c, const struct vjail *j)
{
	const struct vj_creds *cr = &j->creds;
	int rc = 0;

	memset(c, 0, sizeof(*c));
	if (j->flags & VJAIL_CREATE_ROOT_RW)
		rc = rc ?: push_num(c, VJ_CFG_ROOT_RW, 1, 0);
	if (j->flags & VJAIL_CREATE_BEST_EFFORT)
		rc = rc ?: push_num(c, VJ_CFG_BEST_EFFORT, 1, 0);
	if (j->flags & VJAIL_CREATE_NO_ACCOUNTING)
		rc = rc ?: push_num(c, VJ_CFG_NO_ACCOUNTING, 1, 0);
	if (j->fs.root != NULL)
		rc = rc ?: push_str(c, VJ_CFG_ROOT, j->fs.root);
	for (int b = 0; b < 64 && rc == 0; b++)
		if (j->waived & (UINT64_C(1) << b))
			rc = push_num(c, VJ_CFG_WAIVE, UINT64_C(1) << b, 0);
	if (j->ns.chosen)
		rc = rc ?: push_num(c, VJ_CFG_NAMESPACES, j->ns.want, 0);
	if (j->uts.hostname[0] != '\0')
		rc = rc ?: push_str(c, VJ_CFG_HOSTNAME, j->uts.hostname);
	if (j->uts.domainname[0] != '\0')
		rc = rc ?: push_str(c, VJ_CFG_DOMAINNAME, j->uts.domainname);
	if (j->uts.uname_set)
		rc = rc ?: uname_entry(c, &j->uts);
	if (j->timens.set)
		rc = rc ?: push_num(c, VJ_CFG_UPTIME, (uint64_t)j->timens.uptime,
				    0);
	if (cr->user_set)
		rc = rc ?: push_num(c, VJ_CFG_USER_ID, cr->uid, cr->gid);
	if (cr->groups_set && rc == 0) {
		struct vj_cfg_entry *e = push(c, VJ_CFG_GROUPS);

		if (e == NULL ||
		    (cr->ngroups > 0 &&
		     (e->ids = calloc(cr->ngroups, sizeof(*e->ids))) == NULL))
			return -ENOMEM;
		for (size_t i = 0; i < cr->ngroups; i++)
			e->ids[i] = cr->groups[i];
		e->nids = cr->ngroups;
	}
	rc = rc ?: cap_entries(c, cr->keep_caps);
	for (size_t i = 0; i < j->fs.nmounts && rc == 0; i++)
		rc = mount_entry(c, &j->fs.mounts[i]);
	for (size_t i = 0; i < j->fds.n && rc == 0; i++)
		rc = push_num(c, VJ_CFG_KEEP_FD, (uint64_t)j->fds.keep[i].fd,
			      j->fds.keep[i].flags);
	for (unsigned int what = VJAIL_NET_BIND; what <= VJAIL_NET_CONNECT;
	     what <<= 1)
		for (size_t i = 0; i < j->ll.nports && rc == 0; i++)
			if (j->ll.ports[i].what & what)
				rc = push_num(c, VJ_CFG_NET,
					      j->ll.ports[i].port, what);
	if (j->sc.profile != 0)
		rc = rc ?: push_num(c, VJ_CFG_SC_PROFILE, j->sc.profile, 0);
	if (j->sc.deny_action != 0)
		rc = rc ?: push_num(c, VJ_CFG_SC_DEFAULT, j->sc.deny_action,
				    (uint64_t)j->sc.deny_err);
	for (size_t i = 0; i < j->sc.nrules && rc == 0; i++)
		rc = syscall_entry(c, &j->sc.rules[i]);
	rc = rc ?: limit_entries(c, j);
	if (j->cg.parent != NULL)
		rc = rc ?: push_str(c, VJ_CFG_CGROUP_PARENT, j->cg.parent);
	return rc;
}

/* ---- applying entries with the public setters ---------------------------- */

/* "net_bind_service", "CAP_NET_BIND_SERVICE" or "10". */
static int keep_cap(struct vjail *s, const char *name)
{
	const char *n = strncasecmp(name, "cap_", 4) == 0 ? name + 4 : name;
	int cap;

	if (n[0] >= '0' && n[0] <= '9')
		cap = n[strspn(n, "0123456789")] == '\0' && strlen(n) < 4
			      ? atoi(n)
			      : -1;
	else
		cap = capng_name_to_capability(n);
	if (cap < 0)
		return vj_fail_msg(s, EINVAL, "keep-cap %s: unknown capability "
				   "(see capabilities(7))", name);
	return vjail_keep_cap(s, cap);
}

/* N% of the machine's memory, for the cgroup memory limits. */
static uint64_t percent_of_ram(uint64_t v)
{
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);

	if (v == VJAIL_UNLIMITED || pages <= 0 || size <= 0)
		return v;
	/* whole pages, as the kernel would round it anyway */
	return (uint64_t)pages / 100 * v * (uint64_t)size;
}

static int apply(struct vjail *s, const struct vj_cfg_entry *e)
{
	gid_t gids[VJ_MAX_GROUPS];

	switch (e->key) {
	case VJ_CFG_NONE:
	case VJ_CFG_ROOT:
	case VJ_CFG_ROOT_RW:
	case VJ_CFG_BEST_EFFORT:
	case VJ_CFG_NO_ACCOUNTING:
		return 0; /* arguments of vjail_create(), see load() */
	case VJ_CFG_WAIVE:
		return vjail_waive(s, e->num[0]);
	case VJ_CFG_NAMESPACES:
		return vjail_namespaces(s, e->num[0]);
	case VJ_CFG_HOSTNAME:
		return vjail_set_hostname(s, e->str[0]);
	case VJ_CFG_DOMAINNAME:
		return vjail_set_domainname(s, e->str[0]);
	case VJ_CFG_UNAME:
		return vjail_set_uname(s, e->str[0], e->str[1], e->str[2]);
	case VJ_CFG_UPTIME:
		if (e->num[0] > INT64_MAX)
			return vj_fail_msg(s, EINVAL, "uptime: too large");
		return vjail_set_uptime(s, (int64_t)e->num[0]);
	case VJ_CFG_USER_NAME:
		return vjail_set_user_name(s, e->str[0]);
	case VJ_CFG_USER_ID:
		return vjail_set_user(s, (uid_t)e->num[0], (gid_t)e->num[1]);
	case VJ_CFG_GROUPS:
		for (size_t i = 0; i < e->nids && i < VJ_MAX_GROUPS; i++)
			gids[i] = e->ids[i];
		return vjail_set_groups(s, e->nids, gids);
	case VJ_CFG_KEEP_CAP:
		return keep_cap(s, e->str[0]);
	case VJ_CFG_BIND:
		return vjail_bind(s, e->str[0], e->str[1],
				  (unsigned int)e->num[0]);
	case VJ_CFG_TMPFS:
		return vjail_tmpfs(s, e->str[0], e->num[0]);
	case VJ_CFG_KEEP_FD:
		return vjail_keep_fd(s, (int)e->num[0], (unsigned int)e->num[1]);
	case VJ_CFG_NET:
		return vjail_net_allow(s, (unsigned int)e->num[1],
				       (unsigned int)e->num[0]);
	case VJ_CFG_SC_PROFILE:
		return vjail_seccomp_profile(s, (enum vjail_profile)e->num[0]);
	case VJ_CFG_SC_DEFAULT:
		return vjail_seccomp_default_action(
			s, (enum vjail_action)e->num[0], (int)e->num[1]);
	case VJ_CFG_SYSCALL:
		return vjail_syscall_rule(s, e->str[0],
					  (enum vjail_action)e->num[0],
					  (int)e->num[1]);
	case VJ_CFG_LIMIT:
		if (e->pct)
			return vjail_limit(s, (enum vjail_limit_kind)e->num[0],
					   percent_of_ram(e->num[1]),
					   percent_of_ram(e->num[2]));
		return vjail_limit(s, (enum vjail_limit_kind)e->num[0],
				   e->num[1], e->num[2]);
	case VJ_CFG_CGROUP_PARENT:
		return vjail_cgroup_parent(s, e->str[0]);
	}
	return vj_fail_msg(s, EINVAL, "unknown policy entry %d", (int)e->key);
}

/* The root and create flags the scratch handle needs: the handle's, plus
 * what the file adds; a file that contradicts the handle fails. */
static int create_args(struct vjail *j, const char *name,
		       const struct vj_config *file, const char **root,
		       unsigned int *flags, const struct vj_cfg_entry **where)
{
	static const struct {
		enum vj_cfg_key key;
		unsigned int flag;
		const char *text;
	} bools[] = {
		{ VJ_CFG_ROOT_RW, VJAIL_CREATE_ROOT_RW, "VJAIL_CREATE_ROOT_RW" },
		{ VJ_CFG_BEST_EFFORT, VJAIL_CREATE_BEST_EFFORT,
		  "VJAIL_CREATE_BEST_EFFORT" },
		{ VJ_CFG_NO_ACCOUNTING, VJAIL_CREATE_NO_ACCOUNTING,
		  "VJAIL_CREATE_NO_ACCOUNTING" },
	};

	*root = j->fs.root;
	*flags = j->flags;
	for (size_t i = 0; i < file->n; i++) {
		const struct vj_cfg_entry *e = &file->entries[i];

		if (e->key == VJ_CFG_ROOT) {
			if (j->fs.root != NULL &&
			    strcmp(j->fs.root, e->str[0]) != 0)
				return vj_fail_msg(j, EEXIST,
						   "%s:%u:%u: root %s: the "
						   "handle already has root %s",
						   name, e->line, e->col,
						   e->str[0], j->fs.root);
			*root = e->str[0];
			*where = e;
		}
		for (size_t b = 0; b < ARRAY_SIZE(bools); b++) {
			if (e->key != bools[b].key)
				continue;
			if (e->num[0])
				*flags |= bools[b].flag;
			else if (j->flags & bools[b].flag)
				return vj_fail_msg(j, EEXIST,
						   "%s:%u:%u: \"no\", but the "
						   "handle was created with %s",
						   name, e->line, e->col,
						   bools[b].text);
		}
	}
	return 0;
}

/* The two handles trade their settings; @j keeps its last error text. */
static void take_over(struct vjail *j, struct vjail *s)
{
	struct vjail tmp;

	memcpy(s->errmsg, j->errmsg, sizeof(s->errmsg));
	tmp = *j;
	*j = *s;
	*s = tmp;
}

/* The three uname fields are one setting made of three keys: a file that
 * gives only some of them completes the handle's (vjail-run loads each
 * option as a file of its own), and a field given twice is EEXIST, as
 * vjail_set_uname() says. The handle's entry is emptied into the file's. */
static int merge_uname(struct vj_config *cur, struct vj_config *file)
{
	struct vj_cfg_entry *c = NULL, *f = NULL;

	for (size_t i = 0; i < cur->n; i++)
		if (cur->entries[i].key == VJ_CFG_UNAME)
			c = &cur->entries[i];
	for (size_t i = 0; i < file->n; i++)
		if (file->entries[i].key == VJ_CFG_UNAME)
			f = &file->entries[i];
	if (c == NULL || f == NULL)
		return 0;
	for (int i = 0; i < 3; i++)
		if (c->str[i] != NULL && f->str[i] != NULL)
			return -EEXIST;
	for (int i = 0; i < 3; i++) {
		if (f->str[i] == NULL)
			f->str[i] = c->str[i];
		else
			free(c->str[i]);
		c->str[i] = NULL;
	}
	c->key = VJ_CFG_NONE;
	return 0;
}

static int load(struct vjail *j, const char *name, const char *text,
		size_t len)
{
	struct vj_config file, cur;
	struct vjail *s = NULL;
	const struct vj_cfg_entry *where = NULL;
	const char *root;
	unsigned int flags;
	char err[384];
	int rc;

	rc = vj_config_parse(&file, text, len, err, sizeof(err));
	if (rc == -ENOMEM)
		return vj_fail(j, ENOMEM, "load config %s", name);
	if (rc < 0)
		return vj_fail_msg(j, EINVAL, "%s:%s", name, err);
	rc = from_handle(&cur, j);
	if (rc < 0) {
		vj_config_free(&cur);
		vj_config_free(&file);
		return vj_fail(j, -rc, "load config %s: reading the handle",
			       name);
	}
	if (merge_uname(&cur, &file) < 0) {
		vj_config_free(&cur);
		vj_config_free(&file);
		return vj_fail_msg(j, EEXIST, "%s: uname field already set",
				   name);
	}
	rc = create_args(j, name, &file, &root, &flags, &where);
	if (rc == 0) {
		/* Only a root from the file can fail: the handle's passed. */
		rc = vjail_create(&s, root, flags);
		if (rc < 0 && where != NULL)
			vj_fail(j, -rc, "%s:%u:%u: root %s", name, where->line,
				where->col, root);
		else if (rc < 0)
			vj_fail(j, -rc, "load config %s: scratch handle", name);
	}
	for (size_t i = 0; i < cur.n && rc == 0; i++) {
		rc = apply(s, &cur.entries[i]);
		if (rc < 0)
			vj_fail_msg(j, -rc, "load config %s: the handle's own "
				    "settings do not copy: %s",
				    name, vjail_strerror(s));
	}
	for (size_t i = 0; i < file.n && rc == 0; i++) {
		const struct vj_cfg_entry *e = &file.entries[i];

		rc = apply(s, e);
		if (rc < 0)
			vj_fail_msg(j, -rc, "%s:%u:%u: %s", name, e->line,
				    e->col, vjail_strerror(s));
	}
	if (rc == 0)
		take_over(j, s);
	vjail_destroy(s); /* the old settings, or the failed attempt */
	vj_config_free(&cur);
	vj_config_free(&file);
	return rc;
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_load_config_text(struct vjail *j, const char *name,
				     const char *text, size_t len)
{
	int rc = vj_check_new(j, "load config");

	if (rc < 0)
		return rc;
	if (text == NULL)
		return vj_fail_msg(j, EINVAL, "load config: text is NULL");
	return load(j, name != NULL ? name : "policy", text, len);
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_load_config(struct vjail *j, const char *path)
{
	struct stat st;
	char *text;
	size_t got = 0;
	int fd, rc = vj_check_new(j, "load config");

	if (rc == 0)
		rc = vj_check_abs_path(j, "config file", path, true);
	if (rc < 0)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return vj_fail(j, errno, "open config %s", path);
	if (fstat(fd, &st) != 0) {
		rc = vj_fail(j, errno, "stat config %s", path);
		close(fd);
		return rc;
	}
	if (S_ISREG(st.st_mode) && st.st_size > VJ_CONFIG_MAX_BYTES) {
		close(fd);
		return vj_fail_msg(j, EFBIG, "config %s: larger than %u bytes",
				   path, VJ_CONFIG_MAX_BYTES);
	}
	/* One byte more than allowed, to tell a pipe that is too long. */
	text = malloc(VJ_CONFIG_MAX_BYTES + 1);
	if (text == NULL) {
		close(fd);
		return vj_fail(j, ENOMEM, "load config %s", path);
	}
	for (;;) {
		ssize_t n = read(fd, text + got, VJ_CONFIG_MAX_BYTES + 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = vj_fail(j, errno, "read config %s", path);
			break;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got > VJ_CONFIG_MAX_BYTES) {
			rc = vj_fail_msg(j, EFBIG, "config %s: larger than %u "
					 "bytes", path, VJ_CONFIG_MAX_BYTES);
			break;
		}
	}
	close(fd);
	if (rc == 0)
		rc = load(j, path, text, got);
	free(text);
	return rc;
}

/* ---- dump ------------------------------------------------------------------- */

static int write_all(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_dump_config(const struct vjail *j, int fd)
{
	struct vj_config cur;
	char head[160], *body = NULL;
	struct buf_defaults {
		bool on;
		const char *line;
	} defaults[] = {
		{ !j->ns.chosen, "# namespaces = user pid mount ipc uts cgroup "
				 "time\n" },
		{ j->sc.profile == 0, "# seccomp-profile = daemon\n" },
		{ j->sc.deny_action == 0, "# seccomp-default = errno EPERM\n" },
	};
	int rc;

	if (fd < 0 || fcntl(fd, F_GETFD) < 0)
		return -EBADF;
	rc = from_handle(&cur, j);
	if (rc == 0)
		rc = vj_config_format(&cur, &body);
	vj_config_free(&cur);
	if (rc < 0)
		return rc;
	snprintf(head, sizeof(head),
		 "# libvjail %s policy, as vjail_dump_config() sees it "
		 "(vjail.conf(5))\n",
		 PACKAGE_VERSION);
	rc = write_all(fd, head, strlen(head));
	if (rc == 0)
		rc = write_all(fd, body, strlen(body));
	if (rc == 0 && (defaults[0].on || defaults[1].on || defaults[2].on))
		rc = write_all(fd, "# defaults in force:\n", 21);
	for (size_t i = 0; i < ARRAY_SIZE(defaults) && rc == 0; i++)
		if (defaults[i].on)
			rc = write_all(fd, defaults[i].line,
				       strlen(defaults[i].line));
	free(body);
	return rc;
}
