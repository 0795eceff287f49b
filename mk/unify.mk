# mk/unify.mk - build rules of the unify area, included by Makefile.am.
