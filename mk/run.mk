# mk/run.mk - build rules of the run area, included by Makefile.am.
