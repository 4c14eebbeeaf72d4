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
	PYTHONPATH="$(abs_top_srcdir)/tests/lib"; export PYTHONPATH; \
	PYTHONDONTWRITEBYTECODE=1; export PYTHONDONTWRITEBYTECODE; \
	LC_ALL=C.UTF-8; export LC_ALL;

# Translations: every language of po/LINGUAS is complete for the current sources.
TESTS += tests/check-po.sh
EXTRA_DIST += tests/check-po.sh

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
