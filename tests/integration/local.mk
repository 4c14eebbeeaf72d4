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
# Proxies (tests/lib/proxies.py: SOCKS5 as Tor, HTTP CONNECT): .onion names resolved by
# the proxy, credentials, refusals in words, the proxy variables, loopback never proxied,
# wss:// verified for the hub's name through a proxy, resume through a cut.
TESTS += tests/integration/test_proxy.py
EXTRA_DIST += tests/integration/test_proxy.py tests/lib/proxies.py
# Pluggable transports: obfs4proxy on both sides (tests/lib/ptserver.py), the recording
# between them, confabd --print-bridge-line, a killed transport restarted and resumed
# through, the managed proxy protocol with scripted transports; skipped without
# obfs4proxy.
TESTS += tests/integration/test_obfs4.py
EXTRA_DIST += tests/integration/test_obfs4.py tests/lib/ptserver.py
# Real proxy daemons: danted (dante-server, SOCKS5), tinyproxy (HTTP CONNECT) and an
# offline tor (its SOCKS port's refusals), each skipped with the reason when missing.
TESTS += tests/integration/test_proxy_daemons.py
EXTRA_DIST += tests/integration/test_proxy_daemons.py

# What irssi and WeeChat users expect: /away, /quit MESSAGE, /ignore, /names, the smart
# filter, mentions, chat logs, /find, errors that name their object (plain mode).
TESTS += tests/integration/test_habits.py
EXTRA_DIST += tests/integration/test_habits.py

# Nothing typed is lost, nothing happens silently: an unreachable hub, unsent lines at
# /quit, a hub that closes the link with a reason (plain mode, the hostile hub).
TESTS += tests/integration/test_offline.py
EXTRA_DIST += tests/integration/test_offline.py

# Plain mode on a terminal: a line that arrives never lands inside one half typed.
TESTS += tests/integration/test_plain_tty.py
EXTRA_DIST += tests/integration/test_plain_tty.py

# The demo: bots deterministic under --demo-seed, quiet without; plain-mode times.
TESTS += tests/integration/test_demo.py
EXTRA_DIST += tests/integration/test_demo.py

# The full-screen interface for irssi and WeeChat users (tmux): queries, /find, colours,
# theme, bindings, mouse, the smart filter, unsent lines at /quit, the demo's first screen.
TESTS += tests/integration/test_curses_habits.py
EXTRA_DIST += tests/integration/test_curses_habits.py
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
# Participation: topics and votes, Q&A and polls, sign-ups and the speaking queue, a cut
# link and a restart, the board in the full-screen interface.
TESTS += tests/integration/test_participation_topics.py tests/integration/test_participation_qa.py \
	tests/integration/test_participation_signup.py tests/integration/test_participation_board.py
EXTRA_DIST += tests/integration/test_participation_topics.py tests/lib/parttest.py \
	tests/integration/test_participation_qa.py tests/integration/test_participation_signup.py \
	tests/integration/test_participation_board.py
TESTS += tests/integration/test_docs.py
EXTRA_DIST += tests/integration/test_docs.py

# Several hubs, one event (confabd --redis): one chat order, timers, rooms, lineup and names
# across three hubs; kill -9 of a hub with failover of its clients; Redis restarted mid-chat.
# Each test starts its own redis-server (skipped, saying why, without one).
TESTS += tests/integration/test_redis.py
EXTRA_DIST += tests/integration/test_redis.py tests/lib/redistest.py
# Several hubs behind one name (two addresses, in a mount namespace's own /etc/hosts):
# failover through the name after kill -9, and a fresh start with the first address dead.
TESTS += tests/integration/test_redis_dns.py
EXTRA_DIST += tests/integration/test_redis_dns.py
# Live changes of the program: a reload (SIGHUP, or the file changed) reaches plain,
# curses and raw clients as one event; /session delay, room, live; kept across a restart.
TESTS += tests/integration/test_live.py
EXTRA_DIST += tests/integration/test_live.py
# Finding your way: /search, /filter, stars, reminders, /agenda, /export (plain and curses).
TESTS += tests/integration/test_agenda.py
EXTRA_DIST += tests/integration/test_agenda.py
