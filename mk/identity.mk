# mk/identity.mk - build rules of the identity area, included by Makefile.am.

# The virtual uname(2): filters, init's answers, main's trap (uname.c).
vjail_sources += libvjail/uname.c libvjail/uname.h
