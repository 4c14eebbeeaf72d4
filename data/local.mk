# data/: the demo program (PTIM 2020), installed and also compiled into the binaries.

dist_pkgdata_DATA += data/ptim2020.json

noinst_LIBRARIES += data/libcfdata.a
nodist_data_libcfdata_a_SOURCES = data/demo_program.c
data_libcfdata_a_SOURCES = data/demo_program.h
BUILT_SOURCES += data/demo_program.c
CLEANFILES += data/demo_program.c
EXTRA_DIST += data/embed.sh

data/demo_program.c: $(srcdir)/data/ptim2020.json $(srcdir)/data/embed.sh
	$(AM_V_GEN)$(MKDIR_P) data && $(SHELL) $(srcdir)/data/embed.sh demo_program_json $(srcdir)/data/ptim2020.json > $@.tmp && mv $@.tmp $@
