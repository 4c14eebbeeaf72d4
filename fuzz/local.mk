# fuzz/local.mk: the libFuzzer targets (fuzz/README). Included by Makefile.am only when
# configure ran with --enable-fuzzing (CC=clang): everything is then built with ASan, UBSan
# and libFuzzer's coverage instrumentation, and the targets link libFuzzer's driver.

noinst_LIBRARIES += fuzz/libcffuzz.a
fuzz_libcffuzz_a_SOURCES = fuzz/fuzzutil.c fuzz/fuzzutil.h fuzz/fuzzproto.c fuzz/fuzzproto.h \
	fuzz/fuzzprog.c fuzz/fuzzprog.h

# The targets, each fuzz/NAME.c with seeds in fuzz/corpus/NAME/ and the dictionary
# fuzz/NAME.dict (fuzz/fuzz_proto.dict for those that read protocol frames).
FUZZ_TARGETS = fuzz_proto_request fuzz_proto_event fuzz_program_json fuzz_program_import \
	fuzz_command fuzz_sanitize fuzz_config fuzz_hub fuzz_client
CF_FUZZ_PROGS = fuzz/fuzz_proto_request fuzz/fuzz_proto_event fuzz/fuzz_program_json \
	fuzz/fuzz_program_import fuzz/fuzz_command fuzz/fuzz_sanitize fuzz/fuzz_config fuzz/fuzz_hub fuzz/fuzz_client
noinst_PROGRAMS += $(CF_FUZZ_PROGS)

# Each target is built from fuzz/NAME.c (automake's default source) and the helpers.
CF_FUZZ_LINK = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
CF_FUZZ_LIBS = fuzz/libcffuzz.a $(CF_CORE_LIBS) $(JANSSON_LIBS) $(LTLIBINTL)
fuzz_fuzz_proto_request_LDFLAGS = $(CF_FUZZ_LINK)
fuzz_fuzz_proto_event_LDFLAGS = $(CF_FUZZ_LINK)
fuzz_fuzz_program_json_LDFLAGS = $(CF_FUZZ_LINK)
fuzz_fuzz_program_import_LDFLAGS = $(CF_FUZZ_LINK)
fuzz_fuzz_command_LDFLAGS = $(CF_FUZZ_LINK)
fuzz_fuzz_sanitize_LDFLAGS = $(CF_FUZZ_LINK)
fuzz_fuzz_config_LDFLAGS = $(CF_FUZZ_LINK)
fuzz_fuzz_hub_LDFLAGS = $(CF_FUZZ_LINK)
fuzz_fuzz_client_LDFLAGS = $(CF_FUZZ_LINK)
fuzz_fuzz_proto_request_LDADD = $(CF_FUZZ_LIBS)
fuzz_fuzz_proto_event_LDADD = $(CF_FUZZ_LIBS)
fuzz_fuzz_program_json_LDADD = $(CF_FUZZ_LIBS)
fuzz_fuzz_program_import_LDADD = $(CF_IMPORT_LIBS) $(CF_FUZZ_LIBS) $(CF_IMPORT_LDADD)
fuzz_fuzz_command_LDADD = src/libcfclient.a src/libcfreach.a $(CF_FUZZ_LIBS)
fuzz_fuzz_sanitize_LDADD = $(CF_FUZZ_LIBS)
fuzz_fuzz_config_LDADD = src/libcfclient.a src/libcfreach.a $(CF_FUZZ_LIBS)
fuzz_fuzz_hub_LDADD = hub/libcfhub.a data/libcfdata.a $(CF_FUZZ_LIBS) $(CF_HUB_LIBS)
fuzz_fuzz_client_LDADD = src/libcfclient.a $(CF_FIND_LIBS) src/libcfreach.a $(CF_FUZZ_LIBS) \
	$(CF_FIND_LDADD)

# make fuzz-smoke: each target for FUZZ_SMOKE_SECONDS on a fresh copy of its seeds,
# FUZZ_SMOKE_JOBS at a time, as TAP results in fuzz/smoke/NAME.trs (tests/summary.sh
# counts them); fails when a target finds a crash, and says where the reproducer is.
# The smoke run is CI's gate, so its search is the same on every run of the same tree:
# libFuzzer starts from FUZZ_SMOKE_SEED (a slower machine runs a prefix of the same
# inputs). Finding new bugs is make fuzz's work, with a random seed each run; what it
# finds becomes a seed in fuzz/corpus/ and so part of every smoke run after.
FUZZ_SMOKE_SECONDS = 10
FUZZ_SMOKE_SEED = 1
FUZZ_SMOKE_JOBS = 1
# make fuzz: each of FUZZ_TARGETS for FUZZ_SECONDS, growing the corpus kept in
# fuzz/work/NAME/corpus from one run to the next (e.g. make fuzz FUZZ_TARGETS=fuzz_hub
# FUZZ_SECONDS=3600).
FUZZ_SECONDS = 600
FUZZ_RUN = $(SHELL) $(top_srcdir)/fuzz/run.sh
FUZZ_REPORT = $(SHELL) $(top_srcdir)/fuzz/report.sh

fuzz-smoke: $(CF_FUZZ_PROGS)
	@rm -rf fuzz/smoke && $(MKDIR_P) fuzz/smoke
	@n=0; for t in $(FUZZ_TARGETS); do \
	  d=$(top_srcdir)/fuzz/$$t.dict; test -f $$d || d=$(top_srcdir)/fuzz/fuzz_proto.dict; \
	  FUZZ_FLAGS="-seed=$(FUZZ_SMOKE_SEED) $${FUZZ_FLAGS:-}" \
	  $(LOG_DRIVER) --test-name fuzz/$$t --log-file fuzz/smoke/$$t.log \
	    --trs-file fuzz/smoke/$$t.trs --color-tests no --expect-failure no --ignore-exit -- \
	    $(FUZZ_RUN) fuzz/$$t $(top_srcdir)/fuzz/corpus/$$t $$d fuzz/smoke/$$t \
	    $(FUZZ_SMOKE_SECONDS) & \
	  n=`expr $$n + 1`; if test $$n -ge $(FUZZ_SMOKE_JOBS); then wait; n=0; fi; \
	done; wait
	@$(FUZZ_REPORT) fuzz/smoke

fuzz: $(CF_FUZZ_PROGS)
	@$(MKDIR_P) fuzz/work
	@for t in $(FUZZ_TARGETS); do \
	  d=$(top_srcdir)/fuzz/$$t.dict; test -f $$d || d=$(top_srcdir)/fuzz/fuzz_proto.dict; \
	  $(FUZZ_RUN) fuzz/$$t $(top_srcdir)/fuzz/corpus/$$t $$d fuzz/work/$$t \
	    $(FUZZ_SECONDS) --keep > fuzz/work/$$t.tap; \
	  sed -n 's/^ok 1 - /PASS: /p; s/^not ok 1 - /FAIL: /p; s/^#/ /p' fuzz/work/$$t.tap; \
	done
	@$(FUZZ_REPORT) fuzz/work

# make clean removes the smoke runs; the corpora grown by make fuzz stay (rm -r fuzz/work).
clean-local:
	-rm -rf fuzz/smoke

.PHONY: fuzz fuzz-smoke
