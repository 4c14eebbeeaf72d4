# tests/unit/core.mk: unit tests of the core (src/util, src/model, src/proto).

if HAVE_CMOCKA

# --- core-util: util and program model ---
check_PROGRAMS += tests/unit/test_util tests/unit/test_program tests/unit/test_progdiff
TESTS += tests/unit/test_util tests/unit/test_program tests/unit/test_progdiff

tests_unit_test_util_SOURCES = tests/unit/test_util.c
tests_unit_test_util_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_util_LDADD = $(CF_CORE_LIBS) $(CF_TEST_LIBS)

tests_unit_test_program_SOURCES = tests/unit/test_program.c
tests_unit_test_program_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_program_LDADD = $(CF_CORE_LIBS) $(CF_TEST_LIBS)

tests_unit_test_progdiff_SOURCES = tests/unit/test_progdiff.c
tests_unit_test_progdiff_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_progdiff_LDADD = $(CF_CORE_LIBS) $(CF_TEST_LIBS)
# --- end core-util ---

endif

if HAVE_CMOCKA
# --- core-proto: protocol codec and room/timer/ring models ---
check_PROGRAMS += tests/unit/test_proto tests/unit/test_model
TESTS += tests/unit/test_proto tests/unit/test_model

tests_unit_test_proto_SOURCES = tests/unit/test_proto.c
tests_unit_test_proto_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_proto_LDADD = $(CF_CORE_LIBS) $(CF_TEST_LIBS)

tests_unit_test_model_SOURCES = tests/unit/test_model.c
tests_unit_test_model_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_model_LDADD = $(CF_CORE_LIBS) $(CF_TEST_LIBS)

# participation: votes by voter, merges, list orders, poll choices, the codec
check_PROGRAMS += tests/unit/test_part
TESTS += tests/unit/test_part
tests_unit_test_part_SOURCES = tests/unit/test_part.c
tests_unit_test_part_CFLAGS = $(CF_TEST_CFLAGS)
tests_unit_test_part_LDADD = $(CF_CORE_LIBS) $(CF_TEST_LIBS)
# --- end core-proto ---
endif
