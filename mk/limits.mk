# mk/limits.mk - build rules of the limits area, included by Makefile.am.
