# bench/: benchmarks (run by hand, never by make check; see bench/RESULTS.md).
# skewclient is the real client stack driven by bench/skew.py; it builds with everything
# else so that it cannot rot, and it is small.

noinst_PROGRAMS += bench/skewclient
bench_skewclient_SOURCES = bench/skewclient.c
bench_skewclient_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS)
bench_skewclient_LDADD = src/libcfnet.a src/libcfclient.a $(CF_FIND_LIBS) src/libcfreach.a \
	$(CF_CORE_LIBS) $(LWS_LIBS) $(OPENSSL_LIBS) $(ZLIB_LIBS) $(JANSSON_LIBS) $(CF_FIND_LDADD) \
	$(LTLIBINTL)

EXTRA_DIST += bench/RESULTS.md bench/skew.py bench/fanout.py bench/bytes.py bench/reload.py \
	bench/deflatemem.py bench/hubbench.py bench/hubprof.py bench/peer.js bench/clientres.py \
	bench/pmdreplay.py

# multihub is the load generator of bench/multihub.py (one event on several hubs).
noinst_PROGRAMS += bench/multihub
bench_multihub_SOURCES = bench/multihub.c
EXTRA_DIST += bench/multihub.py bench/votes.py

# searchbench: /search on the largest program (2000 sessions, 4000-byte abstracts).
noinst_PROGRAMS += bench/searchbench
bench_searchbench_SOURCES = bench/searchbench.c
bench_searchbench_LDADD = $(CF_FIND_LIBS) $(CF_CORE_LIBS) $(JANSSON_LIBS) $(CF_FIND_LDADD) \
	$(LTLIBINTL)

# loadgen is the C load generator of bench/hubbench.py (issue 13): its own WebSocket client,
# no lws; built with everything else for the same reason.
noinst_PROGRAMS += bench/loadgen
bench_loadgen_SOURCES = bench/loadgen.c bench/loadgen.h bench/lg_ws.c bench/lg_ws.h \
	bench/lg_proc.c bench/lg_proc.h bench/lg_report.c
bench_loadgen_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS) $(ZLIB_CFLAGS)
bench_loadgen_LDADD = src/libcfutil.a $(OPENSSL_LIBS) $(ZLIB_LIBS)

# make bench: the short hub benchmark, confabd against bench/peer.js (2,000 attendees, under
# 2 minutes; the peer needs ./setup --bench). Never part of make check.
bench: confabd$(EXEEXT) bench/loadgen$(EXEEXT) bench-always
	$(PYTHON3) $(srcdir)/bench/hubbench.py --short --confabd $(abs_builddir)/confabd \
	    --loadgen $(abs_builddir)/bench/loadgen
# bench/ is also a directory of the build: a prerequisite that never exists keeps the
# target always out of date (a .PHONY here would clash with fuzz/local.mk's conditional one)
bench-always:
