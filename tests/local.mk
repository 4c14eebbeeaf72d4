# tests/: every test speaks TAP, so that the summary counts test cases, not binaries.

TEST_EXTENSIONS = .py .sh
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
PY_LOG_DRIVER = $(LOG_DRIVER)
PY_LOG_COMPILER = $(PYTHON3)
SH_LOG_DRIVER = $(LOG_DRIVER)
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = \
	CMOCKA_MESSAGE_OUTPUT=TAP; export CMOCKA_MESSAGE_OUTPUT; \
	CONFAB="$(abs_top_builddir)/confab"; export CONFAB; \
	CONFABD="$(abs_top_builddir)/confabd"; export CONFABD; \
	CONFAB_SRCDIR="$(abs_top_srcdir)"; export CONFAB_SRCDIR; \
	CONFAB_BUILDDIR="$(abs_top_builddir)"; export CONFAB_BUILDDIR; \
	PYTHONPATH="$(abs_top_srcdir)/tests/lib"; export PYTHONPATH; \
	PYTHONDONTWRITEBYTECODE=1; export PYTHONDONTWRITEBYTECODE; \
	LC_ALL=C.UTF-8; export LC_ALL;

# Translations: every language of po/LINGUAS is complete for the current sources.
TESTS += tests/check-po.sh
EXTRA_DIST += tests/check-po.sh

# make check-valgrind, in a build without --enable-asan (valgrind and ASan exclude each
# other): the unit tests, then the integration suites of VALGRIND_SUITES with confabd and
# confab, under valgrind's memcheck. A unit test with a finding fails (its exit status);
# for the suites, tests/valgrind-report.sh makes one test point of each process's findings.
VALGRIND = valgrind
VALGRIND_FLAGS = -q --error-exitcode=99 --leak-check=full \
	--show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
	--num-callers=30
VALGRIND_SUITES = tests/integration/test_e2e.py tests/integration/test_plain.py \
	tests/integration/test_timers.py tests/integration/test_lineup.py \
	tests/integration/test_store.py tests/integration/test_moderation.py \
	tests/integration/test_participation_topics.py tests/integration/test_live.py \
	tests/integration/test_import.py tests/integration/test_hostile.py \
	tests/integration/test_habits.py tests/integration/test_offline.py
check-valgrind: all
	@rm -rf tests/valgrind && $(MKDIR_P) tests/valgrind; rc=0; \
	$(MAKE) $(AM_MAKEFLAGS) check TESTS='$(filter-out %.py %.sh,$(TESTS))' \
	    LOG_COMPILER='$(VALGRIND) $(VALGRIND_FLAGS)' || rc=1; \
	env CONFAB_VALGRIND='$(VALGRIND) $(VALGRIND_FLAGS)' \
	    CONFAB_VALGRIND_LOGS='$(abs_builddir)/tests/valgrind' \
	    $(MAKE) $(AM_MAKEFLAGS) check TESTS='$(VALGRIND_SUITES)' || rc=1; \
	$(LOG_DRIVER) --test-name tests/valgrind-report.sh --log-file tests/valgrind-report.log \
	    --trs-file tests/valgrind-report.trs --color-tests no --expect-failure no -- \
	    $(SHELL) $(srcdir)/tests/valgrind-report.sh tests/valgrind; \
	grep -q '^:global-test-result: PASS' tests/valgrind-report.trs || rc=1; \
	exit $$rc
EXTRA_DIST += tests/valgrind-report.sh

# Unit tests (cmocka) link the core and whatever part they test.
CF_TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
CF_TEST_LIBS = $(CMOCKA_LIBS) $(JANSSON_LIBS) $(LTLIBINTL)

include $(srcdir)/tests/unit/core.mk
include $(srcdir)/tests/unit/hub.mk
include $(srcdir)/tests/unit/client.mk
include $(srcdir)/tests/unit/import.mk
include $(srcdir)/tests/unit/ui.mk
include $(srcdir)/tests/unit/fuzzfound.mk
include $(srcdir)/tests/integration/local.mk
