# mk/identity.mk - build rules of the identity area, included by Makefile.am.
