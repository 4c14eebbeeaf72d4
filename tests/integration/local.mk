# tests/integration: end-to-end tests with a real hub and real clients.
TESTS += tests/integration/test_e2e.py tests/integration/test_confabd_cli.py
EXTRA_DIST += tests/integration/test_e2e.py tests/integration/test_confabd_cli.py tests/summary.sh

# gettext: every file with _() strings is listed for xgettext.
TESTS += tests/check-potfiles.sh
EXTRA_DIST += tests/check-potfiles.sh
# The link simulator (latency, bandwidth cap, cuts) and its test.
TESTS += tests/integration/test_linksim.py
EXTRA_DIST += tests/integration/test_linksim.py tests/lib/linksim.py

# A cut link with the hub up (nothing missed, nothing twice) and a frame storm.
TESTS += tests/integration/test_resilience.py
EXTRA_DIST += tests/integration/test_resilience.py

# Timer controls and plain-mode milestone announcements.
TESTS += tests/integration/test_timers.py
EXTRA_DIST += tests/integration/test_timers.py

# Lineup and breakout durations.
TESTS += tests/integration/test_lineup.py
EXTRA_DIST += tests/integration/test_lineup.py

# The full-screen interface inside a real tmux (tests/lib/tmuxtest.py).
TESTS += tests/integration/test_curses.py
EXTRA_DIST += tests/integration/test_curses.py tests/lib/tmuxtest.py
