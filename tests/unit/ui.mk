# tests/unit/ui.mk: unit tests of the UI's building blocks (column widths and wrapping, the
# input line, big digits, the config file). None needs a terminal.

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_width
TESTS += tests/unit/test_width
endif
tests_unit_test_width_SOURCES = tests/unit/test_width.c
tests_unit_test_width_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_width_LDADD = $(CF_CORE_LIBS) $(CF_TEST_LIBS)
