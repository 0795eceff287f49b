# mk/man.mk - build rules of the man area, included by Makefile.am.
# The man pages are mdoc(7) sources, installed as they are (groff and
# mandoc both read mdoc). A page that documents several functions lives
# under the name of the first; each other function gets a one-line page
# ".so man3/FIRST.3" so that "man vjail_destroy" works.
# Check a page with: groff -ww -z -mandoc man/PAGE

dist_man1_MANS += man/vjail-features.1

# Pages of their own, one per group of functions.
dist_man3_MANS += \
	man/vjail_bind.3 \
	man/vjail_create.3 \
	man/vjail_enter.3 \
	man/vjail_features.3 \
	man/vjail_limit.3 \
	man/vjail_load_config.3 \
	man/vjail_namespaces.3 \
	man/vjail_net_allow.3 \
	man/vjail_seccomp_profile.3 \
	man/vjail_set_hostname.3 \
	man/vjail_set_user.3 \
	man/vjail_stats.3 \
	man/vjail_waive.3

# Aliases: .so links to the page above that documents the function.
dist_man3_MANS += \
	man/vjail_cgroup_parent.3 \
	man/vjail_destroy.3 \
	man/vjail_dump_config.3 \
	man/vjail_enforced.3 \
	man/vjail_feature_name.3 \
	man/vjail_keep_cap.3 \
	man/vjail_keep_fd.3 \
	man/vjail_landlock_abi.3 \
	man/vjail_pid.3 \
	man/vjail_seccomp_default_action.3 \
	man/vjail_set_domainname.3 \
	man/vjail_set_groups.3 \
	man/vjail_set_uname.3 \
	man/vjail_set_uptime.3 \
	man/vjail_set_user_name.3 \
	man/vjail_spawn.3 \
	man/vjail_strerror.3 \
	man/vjail_syscall_rule.3 \
	man/vjail_tmpfs.3 \
	man/vjail_version_string.3 \
	man/vjail_wait.3

dist_man7_MANS += man/vjail.7
