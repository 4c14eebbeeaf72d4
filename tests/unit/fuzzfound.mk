# tests/unit/fuzzfound.mk: regression tests for the bugs the fuzzers (fuzz/) found.

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_fuzzfound
TESTS += tests/unit/test_fuzzfound
endif
tests_unit_test_fuzzfound_SOURCES = tests/unit/test_fuzzfound.c tests/unit/clientfix.c \
	tests/unit/clientfix.h
tests_unit_test_fuzzfound_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_fuzzfound_LDADD = hub/libcfhub.a data/libcfdata.a src/libcfclient.a \
	$(CF_CORE_LIBS) $(CF_TEST_LIBS)
