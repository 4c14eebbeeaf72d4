# tests/unit/hub.mk: the hub's unit tests (no network) and its raw-protocol integration test.

check_PROGRAMS += tests/unit/test_hub
TESTS += tests/unit/test_hub
tests_unit_test_hub_SOURCES = tests/unit/test_hub.c tests/unit/hubfix.c tests/unit/hubfix.h
tests_unit_test_hub_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_hub_LDADD = hub/libcfhub.a data/libcfdata.a $(CF_CORE_LIBS) $(CF_HUB_LIBS) $(CF_TEST_LIBS)

# Lossless resume, cid dedupe, lazy history, program cache, user stream on takeover.
check_PROGRAMS += tests/unit/test_hub_resume
TESTS += tests/unit/test_hub_resume
tests_unit_test_hub_resume_SOURCES = tests/unit/test_hub_resume.c tests/unit/hubfix.c \
	tests/unit/hubfix.h
tests_unit_test_hub_resume_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_hub_resume_LDADD = hub/libcfhub.a data/libcfdata.a $(CF_CORE_LIBS) $(CF_HUB_LIBS) $(CF_TEST_LIBS)

# The live program: session.change, program.changes, reloads (memory store).
check_PROGRAMS += tests/unit/test_hub_live
TESTS += tests/unit/test_hub_live
tests_unit_test_hub_live_SOURCES = tests/unit/test_hub_live.c tests/unit/hubfix.c \
	tests/unit/hubfix.h
tests_unit_test_hub_live_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_hub_live_LDADD = hub/libcfhub.a data/libcfdata.a $(CF_CORE_LIBS) $(CF_HUB_LIBS) $(CF_TEST_LIBS)

TESTS += tests/integration/test_hub_raw.py
EXTRA_DIST += tests/integration/test_hub_raw.py tests/lib/confabtest.py

# The obfs4 bridge line from obfs4proxy's state file (confabd --print-bridge-line).
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_hub_bridge
TESTS += tests/unit/test_hub_bridge
endif
tests_unit_test_hub_bridge_SOURCES = tests/unit/test_hub_bridge.c tests/unit/tmpdirfix.c \
	tests/unit/tmpdirfix.h
tests_unit_test_hub_bridge_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_hub_bridge_LDADD = hub/libcfhub.a $(CF_CORE_LIBS) $(CF_TEST_LIBS)

# The stores: memory, SQLite (durability, refusals of bad databases), group failures.
check_PROGRAMS += tests/unit/test_store
TESTS += tests/unit/test_store
tests_unit_test_store_SOURCES = tests/unit/test_store.c
tests_unit_test_store_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_store_LDADD = hub/libcfhub.a $(CF_CORE_LIBS) $(CF_HUB_LIBS) $(CF_TEST_LIBS)

# Presence across hubs: the other hubs' members (store_pres.c), the hub's texts (hub_pres.c).
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_pres
TESTS += tests/unit/test_pres
endif
tests_unit_test_pres_SOURCES = tests/unit/test_pres.c
tests_unit_test_pres_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_pres_LDADD = hub/libcfhub.a $(CF_CORE_LIBS) $(CF_HUB_LIBS) $(CF_TEST_LIBS)

# The Redis store's address parsing (its behaviour with a server: test_redis.py).
if HAVE_HIREDIS
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_store_redis
TESTS += tests/unit/test_store_redis
tests_unit_test_store_redis_SOURCES = tests/unit/test_store_redis.c
tests_unit_test_store_redis_CFLAGS = $(CF_TEST_CFLAGS) $(LWS_CFLAGS) $(HIREDIS_CFLAGS)
tests_unit_test_store_redis_LDADD = $(CF_REDIS_LIBS) hub/libcfhub.a $(CF_CORE_LIBS) \
	$(CF_HUB_LIBS) $(LWS_LIBS) $(CF_TEST_LIBS)
endif
endif
# Participation: topics, votes, merges, sign-ups, polls, Q&A, the speaking queue, resume.
check_PROGRAMS += tests/unit/test_hub_part
TESTS += tests/unit/test_hub_part
tests_unit_test_hub_part_SOURCES = tests/unit/test_hub_part.c tests/unit/hubfix.c \
	tests/unit/hubfix.h
tests_unit_test_hub_part_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_hub_part_LDADD = hub/libcfhub.a data/libcfdata.a $(CF_CORE_LIBS) $(CF_HUB_LIBS) $(CF_TEST_LIBS)
