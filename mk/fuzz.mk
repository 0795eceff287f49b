# mk/fuzz.mk - build rules of the fuzz area, included by Makefile.am.
