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
	bench/deflatemem.py

# multihub is the load generator of bench/multihub.py (one event on several hubs).
noinst_PROGRAMS += bench/multihub
bench_multihub_SOURCES = bench/multihub.c
EXTRA_DIST += bench/multihub.py bench/votes.py

# searchbench: /search on the largest program (2000 sessions, 4000-byte abstracts).
noinst_PROGRAMS += bench/searchbench
bench_searchbench_SOURCES = bench/searchbench.c
bench_searchbench_LDADD = $(CF_FIND_LIBS) $(CF_CORE_LIBS) $(JANSSON_LIBS) $(CF_FIND_LDADD) \
	$(LTLIBINTL)
