# ui/: front ends (plain line mode; curses later) and the client's network and state.

noinst_LIBRARIES += src/libcfnet.a src/libcfclient.a

src_libcfnet_a_SOURCES = \
	src/net/backoff.c src/net/backoff.h \
	src/net/conn.c src/net/conn.h \
	src/net/pmdguard.c src/net/pmdguard.h
src_libcfnet_a_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS) $(ZLIB_CFLAGS)

src_libcfclient_a_SOURCES = \
	src/client/command.c src/client/command.h \
	src/client/client.c src/client/client_recv.c src/client/client.h \
	src/client/client_int.h \
	src/client/clocksync.c src/client/clocksync.h

bin_PROGRAMS += confab
confab_SOURCES = ui/main.c ui/plain.c ui/plain.h
confab_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS)
confab_LDADD = src/libcfclient.a hub/libcfhub.a src/libcfnet.a data/libcfdata.a \
	$(CF_CORE_LIBS) $(LWS_LIBS) $(ZLIB_LIBS) $(JANSSON_LIBS) $(LTLIBINTL)

dist_man_MANS += doc/confab.1
