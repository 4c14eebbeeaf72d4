# bench/: benchmarks (run by hand, never by make check; see bench/RESULTS.md).
# skewclient is the real client stack driven by bench/skew.py; it builds with everything
# else so that it cannot rot, and it is small.

noinst_PROGRAMS += bench/skewclient
bench_skewclient_SOURCES = bench/skewclient.c
bench_skewclient_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS)
bench_skewclient_LDADD = src/libcfnet.a src/libcfclient.a src/libcfreach.a $(CF_CORE_LIBS) $(LWS_LIBS) \
	$(OPENSSL_LIBS) $(ZLIB_LIBS) $(JANSSON_LIBS) $(LTLIBINTL)

EXTRA_DIST += bench/RESULTS.md bench/skew.py bench/fanout.py bench/bytes.py \
	bench/deflatemem.py
