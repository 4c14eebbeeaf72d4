# tests/unit/ui.mk: unit tests of the UI's building blocks (column widths and wrapping, the
# input line, big digits, the config file). None needs a terminal.

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_width
TESTS += tests/unit/test_width
endif
tests_unit_test_width_SOURCES = tests/unit/test_width.c
tests_unit_test_width_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_width_LDADD = $(CF_CORE_LIBS) $(CF_TEST_LIBS)

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_editline tests/unit/test_bigdigits tests/unit/test_config
TESTS += tests/unit/test_editline tests/unit/test_bigdigits tests/unit/test_config
endif
tests_unit_test_editline_SOURCES = tests/unit/test_editline.c
tests_unit_test_editline_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_editline_LDADD = ui/libcfui.a $(CF_CORE_LIBS) $(CF_TEST_LIBS)

tests_unit_test_bigdigits_SOURCES = tests/unit/test_bigdigits.c
tests_unit_test_bigdigits_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_bigdigits_LDADD = ui/libcfui.a $(CF_CORE_LIBS) $(CF_TEST_LIBS)

tests_unit_test_config_SOURCES = tests/unit/test_config.c tests/unit/tmpdirfix.c \
	tests/unit/tmpdirfix.h
tests_unit_test_config_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_config_LDADD = src/libcfclient.a $(CF_FIND_LIBS) src/libcfreach.a $(CF_CORE_LIBS) \
	$(CF_TEST_LIBS) $(CF_FIND_LDADD)
