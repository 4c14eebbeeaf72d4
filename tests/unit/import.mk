# tests/unit/import.mk: unit tests of src/import (program import) and the integration test
# of confabd --program / --check-program with imported files.

if HAVE_CMOCKA
# --- import: text, kinds and times; formats, quirks, errors and limits; real exports ---
check_PROGRAMS += tests/unit/test_import_text tests/unit/test_import \
	tests/unit/test_import_real
TESTS += tests/unit/test_import_text tests/unit/test_import tests/unit/test_import_real

CF_IMPORT_TEST_LIBS = $(CF_IMPORT_LIBS) $(CF_CORE_LIBS) $(CF_IMPORT_LDADD) $(CF_TEST_LIBS)

tests_unit_test_import_text_SOURCES = tests/unit/test_import_text.c
tests_unit_test_import_text_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_import_text_LDADD = $(CF_IMPORT_TEST_LIBS)

tests_unit_test_import_SOURCES = tests/unit/test_import.c tests/unit/importfix.c \
	tests/unit/importfix.h
tests_unit_test_import_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_import_LDADD = $(CF_IMPORT_TEST_LIBS)

tests_unit_test_import_real_SOURCES = tests/unit/test_import_real.c tests/unit/importfix.c \
	tests/unit/importfix.h
tests_unit_test_import_real_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_import_real_LDADD = $(CF_IMPORT_TEST_LIBS)
# --- end import ---
endif

# confabd --check-program and --program with imported files, a plain client's /schedule.
TESTS += tests/integration/test_import.py
EXTRA_DIST += tests/integration/test_import.py tests/fixtures/programs/frab-times.json \
	tests/fixtures/programs/frab-identity.json tests/fixtures/programs/frab-text.json \
	tests/fixtures/programs/frab-kinds.json tests/fixtures/programs/pretalx.json \
	tests/fixtures/programs/fosdem.xml tests/fixtures/programs/frab-31c3.xml \
	tests/fixtures/programs/conf.ics tests/fixtures/programs/kinds.txt
