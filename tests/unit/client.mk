# tests/unit/client.mk: unit tests of the client (commands, backoff, model, known hosts) and its
# plain-mode integration test.

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_client
TESTS += tests/unit/test_client
endif
tests_unit_test_client_SOURCES = tests/unit/test_client.c tests/unit/clientfix.c \
	tests/unit/clientfix.h
tests_unit_test_client_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_client_LDADD = src/libcfclient.a $(CF_FIND_LIBS) src/libcfnet.a src/libcfreach.a \
	$(CF_CORE_LIBS) $(CF_TEST_LIBS) $(CF_FIND_LDADD)

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_client_resume
TESTS += tests/unit/test_client_resume
endif
tests_unit_test_client_resume_SOURCES = tests/unit/test_client_resume.c \
	tests/unit/clientfix.c tests/unit/clientfix.h
tests_unit_test_client_resume_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_client_resume_LDADD = src/libcfclient.a src/libcfreach.a $(CF_FIND_LIBS) $(CF_CORE_LIBS) $(CF_TEST_LIBS) $(CF_FIND_LDADD)

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_client_hostile
TESTS += tests/unit/test_client_hostile
endif
tests_unit_test_client_hostile_SOURCES = tests/unit/test_client_hostile.c \
	tests/unit/clientfix.c tests/unit/clientfix.h
tests_unit_test_client_hostile_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_client_hostile_LDADD = src/libcfclient.a src/libcfreach.a $(CF_FIND_LIBS) $(CF_CORE_LIBS) $(CF_TEST_LIBS) $(CF_FIND_LDADD)

TESTS += tests/integration/test_plain.py
EXTRA_DIST += tests/integration/test_plain.py

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_clocksync
TESTS += tests/unit/test_clocksync
endif
tests_unit_test_clocksync_SOURCES = tests/unit/test_clocksync.c
tests_unit_test_clocksync_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_clocksync_LDADD = src/libcfclient.a src/libcfreach.a $(CF_FIND_LIBS) $(CF_CORE_LIBS) $(CF_TEST_LIBS) $(CF_FIND_LDADD)

# The known-hosts file of TLS hubs and the trust policy (src/net/knownhosts.c).
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_knownhosts
TESTS += tests/unit/test_knownhosts
endif
tests_unit_test_knownhosts_SOURCES = tests/unit/test_knownhosts.c tests/unit/tmpdirfix.c \
	tests/unit/tmpdirfix.h
tests_unit_test_knownhosts_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_knownhosts_LDADD = src/libcfnet.a $(CF_CORE_LIBS) $(CF_TEST_LIBS)

# Finding your way (src/find): search folding, filters, the agenda, the iCalendar writer.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_find
TESTS += tests/unit/test_find
endif
tests_unit_test_find_SOURCES = tests/unit/test_find.c tests/unit/tmpdirfix.c \
	tests/unit/tmpdirfix.h
tests_unit_test_find_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_find_LDADD = src/libcfclient.a src/libcfreach.a $(CF_FIND_LIBS) $(CF_CORE_LIBS) \
	$(CF_TEST_LIBS) $(CF_FIND_LDADD)

# Terminal-chat habits: smart filter, name colours, key bindings, chat logs, times.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_habits
TESTS += tests/unit/test_habits
endif
tests_unit_test_habits_SOURCES = tests/unit/test_habits.c
tests_unit_test_habits_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_habits_LDADD = ui/libcfui.a src/libcfclient.a src/libcfreach.a $(CF_CORE_LIBS) $(CF_TEST_LIBS)

# The ways out of a censored network without the network: SOCKS5, HTTP CONNECT, proxy
# URLs, the proxy environment, no_proxy, loopback, transport lines, bridge lines.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_reach
TESTS += tests/unit/test_reach
endif
tests_unit_test_reach_SOURCES = tests/unit/test_reach.c
tests_unit_test_reach_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_reach_LDADD = src/libcfreach.a $(CF_CORE_LIBS) $(CF_TEST_LIBS)
