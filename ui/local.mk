# ui/: front ends (plain line mode; curses later) and the client's network and state.

noinst_LIBRARIES += src/libcfnet.a src/libcfreach.a src/libcfclient.a

# The ways out of a censored network, without lws: SOCKS5, HTTP CONNECT, proxy settings,
# the pluggable transport protocol's lines (unit-tested on their own).
src_libcfreach_a_SOURCES = \
	src/net/socks5.c src/net/socks5.h \
	src/net/httpconnect.c src/net/httpconnect.h \
	src/net/proxyurl.c src/net/proxyurl.h \
	src/net/ptline.c src/net/ptline.h

src_libcfnet_a_SOURCES = \
	src/net/backoff.c src/net/backoff.h \
	src/net/conn.c src/net/conn.h \
	src/net/pmdguard.c src/net/pmdguard.h \
	src/net/knownhosts.c src/net/knownhosts.h \
	src/net/tlscert.c src/net/tlscert.h \
	src/net/tlsverify.c src/net/tlsverify.h \
	src/net/relay.c src/net/relay.h \
	src/net/ptproc.c src/net/ptproc.h \
	src/net/route.c src/net/route.h \
	src/net/netutil.c src/net/netutil.h
src_libcfnet_a_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS) $(ZLIB_CFLAGS) $(OPENSSL_CFLAGS)

src_libcfclient_a_SOURCES = \
	src/client/command.c src/client/command.h src/client/command_int.h \
	src/client/command_mod.c src/client/command_session.c src/client/command_agenda.c \
	src/client/client.c src/client/client_recv.c src/client/client.h \
	src/client/client_int.h \
	src/client/clocksync.c src/client/clocksync.h \
	src/client/client_store.c src/client/client_out.c src/client/client_rooms.c \
	src/client/client_mod.c src/client/client_agenda.c \
	src/client/client_part.c src/client/client_part.h src/client/client_part_req.c \
	src/client/client_part_text.c src/client/command_part.c \
	src/client/cache.c src/client/cache.h \
	src/client/secrets.c src/client/secrets.h \
	src/client/config.c src/client/config.h \
	src/client/command_habits.c \
	src/client/client_habits.c src/client/client_staff.c \
	src/client/timefmt.c src/client/timefmt.h \
	src/client/smartfilter.c src/client/smartfilter.h \
	src/client/chatlog.c src/client/chatlog.h \
	src/client/keybind.c src/client/keybind.h

# The UI's building blocks without curses (unit-tested on their own).
noinst_LIBRARIES += ui/libcfui.a
ui_libcfui_a_SOURCES = \
	ui/editline.c ui/editline.h \
	ui/bigdigits.c ui/bigdigits.h \
	ui/namecolour.c ui/namecolour.h

bin_PROGRAMS += confab
confab_SOURCES = ui/main.c ui/plain.c ui/plain.h ui/plain_int.h ui/plain_stdin.c \
	ui/plain_out.c ui/plain_mod.c ui/plain_part.c ui/plain_agenda.c ui/plain_tty.c \
	ui/plain_habits.c ui/statstext.c ui/statstext.h ui/progtext.c ui/progtext.h \
	ui/curses.c ui/curses_buf.c ui/curses_events.c ui/curses_input.c ui/curses_views.c \
	ui/curses_mod.c ui/curses_part.c ui/curses_agenda.c ui/curses_habits.c ui/curses_mouse.c \
	ui/curses_ui.h ui/curses_int.h
confab_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS) $(NCURSESW_CFLAGS) $(OPENSSL_CFLAGS)
confab_LDADD = ui/libcfui.a src/libcfclient.a $(CF_FIND_LIBS) hub/libcfhub.a src/libcfnet.a \
	src/libcfreach.a data/libcfdata.a $(CF_CORE_LIBS) $(NCURSESW_LIBS) $(LWS_LIBS) \
	$(OPENSSL_LIBS) $(ZLIB_LIBS) $(JANSSON_LIBS) $(CF_HUB_LIBS) $(CF_FIND_LDADD) $(LTLIBINTL)

dist_man_MANS += doc/confab.1
