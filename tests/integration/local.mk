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

# Russian and Chinese: the command line and a plain session come out in the user's language.
TESTS += tests/integration/test_i18n.py
EXTRA_DIST += tests/integration/test_i18n.py

# Lossless resume on the wire: gap replay, lost positions, cid dedupe, history, program cache.
TESTS += tests/integration/test_hub_resume.py
EXTRA_DIST += tests/integration/test_hub_resume.py

# Lossless resume from the client side: 100 seeded cuts over three chatting clients; a hub
# restart is announced as not recoverable; the program cache (warm join, offline start).
TESTS += tests/integration/test_resume_storm.py tests/integration/test_client_resume.py
EXTRA_DIST += tests/integration/test_resume_storm.py tests/integration/test_client_resume.py

# permessage-deflate between confab and confabd: negotiation, the 4.1.6 client-bug guard,
# large messages, deflate bombs on both sides.
TESTS += tests/integration/test_deflate.py
EXTRA_DIST += tests/integration/test_deflate.py tests/lib/wsdeflate.py

# The full-screen interface inside a real tmux (tests/lib/tmuxtest.py).
TESTS += tests/integration/test_curses.py
EXTRA_DIST += tests/integration/test_curses.py tests/lib/tmuxtest.py

# The full-screen interface in Russian and Chinese: translated text, layout intact.
TESTS += tests/integration/test_curses_i18n.py
EXTRA_DIST += tests/integration/test_curses_i18n.py tests/lib/i18ntest.py

# Silent dead links (linksim's blackhole): found within a minute when idle, within 15 s of
# a line typed into them; the line is delivered once after the reconnect.
TESTS += tests/integration/test_deadlink.py
EXTRA_DIST += tests/integration/test_deadlink.py

# A test killed in the middle leaves no process behind (tests/lib/reaper.py).
TESTS += tests/integration/test_reaper.py
EXTRA_DIST += tests/integration/test_reaper.py tests/lib/reaper.py tests/lib/anyday.py \
	tests/any-day.sh

# The client against a hostile hub (tests/lib/hostilehub.py): times out of range, 100,000
# rooms, refused hellos, spoofing by padding, names, floods; plain and full-screen.
TESTS += tests/integration/test_hostile.py
EXTRA_DIST += tests/integration/test_hostile.py tests/lib/hostilehub.py
# TLS (wss://): certificates from the openssl CLI; CA-verified, pinned and refused hubs,
# what crosses the wire, resume and deflate inside TLS, confabd's certificate errors.
TESTS += tests/integration/test_tls.py
EXTRA_DIST += tests/integration/test_tls.py

# The durable hub: kill -9 during chat loses no acknowledged line; resume across restarts;
# names held; bad databases refused; export, retention, addresses in the log.
TESTS += tests/integration/test_store.py
EXTRA_DIST += tests/integration/test_store.py
TESTS += tests/integration/test_limits.py
EXTRA_DIST += tests/integration/test_limits.py
TESTS += tests/integration/test_moderation.py
EXTRA_DIST += tests/integration/test_moderation.py
TESTS += tests/integration/test_names.py
EXTRA_DIST += tests/integration/test_names.py
TESTS += tests/integration/test_docs.py
EXTRA_DIST += tests/integration/test_docs.py
