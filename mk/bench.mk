# mk/bench.mk - build rules of the bench area, included by Makefile.am.
bench:
.PHONY: bench
