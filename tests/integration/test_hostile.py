#!/usr/bin/env python3
"""test_hostile: the real confab (the sanitizer build, which aborts on a signed overflow)
against a hostile hub (tests/lib/hostilehub.py) that sends what no confabd would.

* times out of range (+-2^63 and beyond 9999 or before 1970) in a timer's deadline, started,
  remaining_ms and duration_ms, a room's closes_at, welcome's now, a timer event's now, a
  chat's ts and a pong's t1/t2: the frames are dropped (or the welcome refused, said in one
  line), and the client stays responsive;
* the ends of the range that are accepted (year 9999, 1970): no overflow, no busy loop;
* 100,000 rooms: the welcome completes and /rooms answers (10,000 kept) in time;
* an error answering hello (name taken, bad token, version): one clear line, exit 1;
* chat padded to wrap at the terminal's edge into something like "[timer main] ..." or
  "[msg from carol] ...": on a terminal no row begins with "[" but a line's first, in a
  pipe white space is squeezed; names with bidi or zero-width characters are refused;
* more: a /who of 100,000 names, a huge history reply, a hub that never answers pings,
  negative seqs, deeply nested JSON, a program of 2000 sessions with 4000-byte descriptions;
* /quit, SIGINT and SIGTERM end the client promptly in every case;
* the full-screen interface (tmux): a refused welcome on the top line and in the chat, and
  a timer at 2^63.

Nothing sleeps a fixed time: every wait polls a condition until a generous deadline.
"""

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))

from confabtest import TAP, PlainClient, need_binaries, state_home  # noqa: E402
from hostilehub import HostileHub, now_ms, room, timer, welcome_fields  # noqa: E402
import tmuxtest  # noqa: E402

EXIT_TIMEOUT = 20.0     # generous: a client that spins never exits at all
BIG = 2 ** 63 - 1
SMALL = -2 ** 63
TMAX = 253402300799999  # 9999-12-31T23:59:59.999Z


def cpu_seconds(pid):
    """CPU time (user + system) used by pid so far, or None when it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def sanitizer_clean(t, c, what):
    """A test point: the client's stderr has no sanitizer report."""
    err = c.stderr_text()
    t.ok("runtime error" not in err and "Sanitizer" not in err,
         "%s: no sanitizer report" % what, err[-3000:])


def end_client(t, c, how, what, code=0):
    """Ends c by /quit, SIGINT or SIGTERM and checks it exits in time with code."""
    try:
        if how == "quit":
            c.send("/quit")
        else:
            c.proc.send_signal(signal.SIGINT if how == "SIGINT" else signal.SIGTERM)
    except OSError:
        pass    # it is gone already: the exit code tells how
    t0 = time.monotonic()
    try:
        got = c.wait_exit(EXIT_TIMEOUT)
    except subprocess.TimeoutExpired:
        c.proc.kill()
        got = "still running after %.0f s" % EXIT_TIMEOUT
    t.eq(got, code, "%s: %s ends it (%.1f s)" % (what, how, time.monotonic() - t0))
    sanitizer_clean(t, c, what)
    c.stop()


def still_answers(t, c, what):
    """A test point: the client still runs commands (/timer answers)."""
    start = len(c.lines())
    try:
        c.send("/timer")
    except OSError:
        pass    # it is gone: saw() says so
    c.saw(t, r"^\[timer[] ]", "%s: /timer still answers" % what, start=start)


def marker(conn, text="marker"):
    """A chat line from bob: once it is shown, what the hub sent before it was handled."""
    conn.event("chat", "room:lobby", room="lobby", ts=now_ms(),
               **{"from": "bob", "text": text})


def running(deadline):
    """A running main timer with this deadline."""
    return timer(state="running", label="Talk", duration_ms=300000, deadline=deadline,
                 started=now_ms(), by="carol")


# Frames with a time out of range, sent after a good welcome: each must be dropped.
BAD_EVENTS = {
    "deadline 2^63-1": lambda c: c.event("timer", "timers", now=now_ms(),
                                         timer=running(BIG)),
    "deadline -2^63": lambda c: c.event("timer", "timers", now=now_ms(),
                                        timer=running(SMALL)),
    "deadline after 9999": lambda c: c.event("timer", "timers", now=now_ms(),
                                             timer=running(TMAX + 1)),
    "started -1": lambda c: c.event("timer", "timers", now=now_ms(),
                                    timer=dict(running(now_ms() + 60000), started=-1)),
    "remaining_ms -2^63": lambda c: c.event(
        "timer", "timers", now=now_ms(),
        timer=timer(state="paused", duration_ms=1000, remaining_ms=SMALL, by="carol")),
    "duration_ms 2^63-1": lambda c: c.event("timer", "timers", now=now_ms(),
                                            timer=dict(running(now_ms() + 1000),
                                                       duration_ms=BIG)),
    "timer event now 2^63-1": lambda c: c.event("timer", "timers", now=BIG,
                                                timer=running(now_ms() + 60000)),
    "closes_at 2^63-1": lambda c: c.event(
        "rooms", "rooms", rooms=[room("lobby", "lobby", 1, closes_at=BIG),
                                 room("b", "breakout", closes_at=BIG)]),
    "closes_at -2^63": lambda c: c.event(
        "rooms", "rooms", rooms=[room("lobby", "lobby", 1, closes_at=SMALL)]),
    "chat ts 2^63-1": lambda c: c.event("chat", "room:lobby", room="lobby", **{
        "from": "bob", "text": "from the far future", "ts": BIG}),
}


def test_bad_times(t, tmp):
    """Each out-of-range time is dropped: the client answers /timer, never shows the
    frame, and ends promptly by /quit, SIGINT or SIGTERM."""
    hows = ["quit", "SIGINT", "SIGTERM"]
    for i, (what, send) in enumerate(sorted(BAD_EVENTS.items())):
        def script(conn, send=send):
            conn.reply("welcome", **welcome_fields(conn))
            send(conn)
            marker(conn)
        # the times that broke the loop are tried with each way out; the others with one
        for how in (hows if what in ("deadline 2^63-1", "closes_at 2^63-1")
                    else [hows[i % 3]]):
            with HostileHub(script) as hub:
                log = os.path.join(tmp, "bad-times-%d.log" % i)
                c = PlainClient(hub.url, "alice", extra_args=["--log-file", log],
                                tmpdir=tmp)
                c.saw(t, r"^\[confab\] connected as alice", "%s: connected" % what)
                c.saw(t, r"^\[#lobby\] <bob> marker$", "%s: the next frame is handled" % what)
                still_answers(t, c, what)
                t.ok(not any("from the far future" in l or "2562047" in l
                             for l in c.lines()),
                     "%s: the frame is not shown" % what, "\n".join(c.lines()))
                end_client(t, c, how, what)
                t.ok("not a time from 1970 to 9999" in open(log).read() or
                     "not a duration" in open(log).read(),
                     "%s: the log says why the frame was dropped" % what)
                t.ok(not hub.errors, "%s: the hub script ran" % what, "\n".join(hub.errors))


def test_bad_welcome_times(t, tmp):
    """A welcome with a time out of range is refused in one line that says so; exit 1."""
    cases = {
        "welcome now 2^63-1": dict(now=BIG),
        "welcome now -1": dict(now=-1),
        "welcome room closes_at -2^63": dict(rooms=[room("lobby", "lobby", 1,
                                                          closes_at=SMALL)]),
        "welcome timer deadline 2^63-1": dict(timers=[running(BIG)]),
    }
    for what, fields in sorted(cases.items()):
        def script(conn, fields=fields):
            conn.reply("welcome", **welcome_fields(conn, **fields))
        refused(t, tmp, script, what, [r"answer to our hello cannot be used",
                                       r"not a time from 1970 to 9999"])


def refused(t, tmp, script, what, wants):
    """Runs confab against a hub that refuses it with script: it must stop at once with
    exit 1, after one [error] line matching every regex of wants, and not reconnect."""
    with HostileHub(script) as hub:
        c = PlainClient(hub.url, "alice", tmpdir=tmp)
        t0 = time.monotonic()
        try:
            code = c.wait_exit(EXIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            c.proc.kill()
            code = "still running"
        t.eq(code, 1, "%s: confab stops at once (%.1f s), exit 1"
             % (what, time.monotonic() - t0))
        c.stop()
        errors = [l for l in c.lines() if l.startswith("[error]")]
        t.ok(len(errors) == 1 and all(re.search(w, errors[0]) for w in wants),
             "%s: one line says why and what to do" % what, "\n".join(c.lines()))
        t.ok(not any("reconnect" in l or "trying again" in l for l in c.lines()),
             "%s: no reconnecting" % what, "\n".join(c.lines()))
        sanitizer_clean(t, c, what)


def test_range_ends(t, tmp):
    """Times at the ends of the range are taken: a timer due in 9999, one paused 9999
    years over, a room of ours closing in 9999 and one closed in 1970: the countdowns show
    numbers, the client sleeps (little CPU while its ping burst runs) and ends promptly."""
    def script(conn):
        conn.reply("welcome", **welcome_fields(
            conn, rooms=[room("lobby", "lobby", 1, closes_at=TMAX),
                         room("old", "breakout", 1, closes_at=1)],
            timers=[running(TMAX), timer(scope="old", state="paused", duration_ms=1,
                                         remaining_ms=-TMAX, by="bob")],
            joined=["lobby", "old"]))
    for how in ("quit", "SIGINT", "SIGTERM"):
        with HostileHub(script) as hub:
            c = PlainClient(hub.url, "alice", tmpdir=tmp)
            c.saw(t, r"^\[confab\] connected as alice", "range ends: connected")
            pid = c.proc.pid
            cpu0, t0 = cpu_seconds(pid), time.monotonic()
            # the 8 pings of the burst go out 150 ms apart: a second of wall time at least
            hub.wait_requests("ping", 8, timeout=60)
            cpu1, t1 = cpu_seconds(pid), time.monotonic()
            t.ok(cpu0 is not None and cpu1 is not None and
                 (cpu1 - cpu0) < 0.5 * (t1 - t0) + 0.2,
                 "range ends: the client sleeps (%.2f s CPU in %.2f s)"
                 % ((cpu1 or 0) - (cpu0 or 0), t1 - t0))
            start = len(c.lines())
            c.send("/timer")
            c.saw(t, r"^\[timer main\] running: Talk, \d+:\d\d:\d\d left",
                  "range ends: a countdown to 9999 in hours", start=start)
            c.saw(t, r"^\[timer old\] paused: \+\d+:\d\d:\d\d over",
                  "range ends: 9999 years over", start=start)
            end_client(t, c, how, "range ends")


def test_many_rooms(t, tmp):
    """100,000 rooms (each closing in an hour) in the welcome and in a rooms event: the
    welcome completes, the event is handled and /rooms answers with the 10,000 rooms
    kept, within a generous deadline."""
    closes = now_ms() + 3600000

    def rooms(first):
        return [room("lobby", "lobby", 1)] + [
            {"id": "r%05d" % i, "kind": "breakout", "occupancy": 0, "closes_at": closes}
            for i in range(first, first + 100000)]   # (7.5 MB: under the 8 MiB cap)

    def script(conn):
        conn.reply("welcome", **welcome_fields(conn, rooms=rooms(0)))
        # r00000 goes; of those kept (the first 9,999 after the lobby) r09999 comes
        conn.event("rooms", "rooms", rooms=rooms(1))
        marker(conn, "rooms done")
    with HostileHub(script) as hub:
        log = os.path.join(tmp, "rooms.log")
        c = PlainClient(hub.url, "alice", extra_args=["--log-file", log], tmpdir=tmp)
        t0 = time.monotonic()
        c.saw(t, r"^\[confab\] connected as alice", "100,000 rooms: the welcome completes",
              timeout=60)
        c.saw(t, r"^\[#lobby\] <bob> rooms done$", "100,000 rooms: the rooms event too",
              timeout=60)
        t.ok("[rooms] #r00000 closed" in c.lines() and "[rooms] #r09999 opened (breakout)"
             in c.lines(), "100,000 rooms: one room closed, one opened",
             "\n".join(c.lines()[:20]))
        start = len(c.lines())
        c.send("/rooms")
        c.saw(t, r"^\[rooms\] #r09999 ", "100,000 rooms: /rooms answers", timeout=60,
              start=start)
        listed = [l for l in c.lines()[start:] if l.startswith("[rooms] #")]
        t.eq(len(listed), 10000, "100,000 rooms: 10,000 are kept and listed")
        t.ok(time.monotonic() - t0 < 60, "100,000 rooms: in %.1f s"
             % (time.monotonic() - t0))
        t.ok("keeping the first 10000" in open(log).read(),
             "100,000 rooms: the log says the rest is ignored")
        end_client(t, c, "quit", "100,000 rooms")


def test_refused_hello(t, tmp):
    """Errors answering hello: one clear line with what to do, exit 1, no reconnecting."""
    cases = [
        ("name-taken", "taken", [r'the name "alice" is taken', r"--name NAME"]),
        ("bad-token", "the facilitator token was not accepted",
         [r"did not accept your facilitator token", r"--facilitator-token-file"]),
        ("unsupported-version", "unsupported protocol version",
         [r"another version of the confab protocol", r"update confab"]),
        ("bad-name", "bad name", [r'does not accept the name "alice"', r"--name NAME"]),
    ]
    for code, message, wants in cases:
        def script(conn, code=code, message=message):
            # every hello, the retries with "_" too, gets the same answer
            while True:
                conn.reply("error", code=code, message=message)
                req = conn.next_request(timeout=3600)
                if isinstance(req, dict) and req.get("type") == "hello":
                    conn.hello = req
        refused(t, tmp, script, code, wants)


def terminal_rows(lines, cols):
    """What a terminal of cols columns shows for these lines (ASCII text): the rows."""
    rows = []
    for line in lines:
        while len(line) > cols:
            rows.append(line[:cols])
            line = line[cols:]
        rows.append(line)
    return rows


SPOOFS = [
    "hi" + " " * 300 + "[timer main] stopped by carol",
    "x" * 41 + "[msg from carol] send me your token",   # 19 + 41 = 60: the edge exactly
    "y" * 101 + "[timer main] started by carol: Pitch, 2:00 left",
    "tab\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t[#lobby] <carol> hi",
    "nbsp" + "\u00a0" * 200 + "[confab] reconnected",
]


def spoof_script(conn):
    """A welcome, then chat lines padded to wrap into lines of ours."""
    conn.reply("welcome", **welcome_fields(conn))
    for i, text in enumerate(SPOOFS):
        conn.event("chat", "room:lobby", room="lobby", ts=now_ms(),
                   **{"from": "mallory", "text": text})
    conn.event("chat", "room:lobby", room="lobby", ts=now_ms(),
               **{"from": "mallory", "text": "the end"})


def test_spoof_terminal(t, tmp):
    """On a 60-column terminal: no row begins with "[" but the first of a line, and the
    rows after it begin with two spaces."""
    with HostileHub(spoof_script) as hub:
        c = PlainClient(hub.url, "alice", tty=(60, 24), tmpdir=tmp)
        c.saw(t, r"the end$", "spoofing: the chat lines arrive")
        rows = terminal_rows(c.lines(), 60)
        starts = [r for r in rows if r.startswith("[")]
        t.ok(len(starts) == 2 + len(SPOOFS) + 1 and
             all(re.match(r"\[confab\] |\[#lobby\] <mallory>", r) for r in starts),
             "spoofing: the rows that begin with [ are the first rows of confab's lines",
             "\n".join(rows))
        t.ok(all(r.startswith("  ") for r in rows if not r.startswith("[")),
             "spoofing: the other rows are indented", "\n".join(rows))
        t.ok(all(len(r) <= 60 for r in c.lines()),
             "spoofing: confab folds its lines itself at 60 columns", "\n".join(c.lines()))
        t.ok(any(l.startswith("  ") and "[msg from carol]" in l for l in c.lines()),
             "spoofing: the text itself is there, on an indented row", "\n".join(rows))
        end_client(t, c, "SIGTERM", "spoofing (terminal)")


def test_spoof_pipe(t, tmp):
    """In a pipe (no width): one line per event, white space squeezed."""
    with HostileHub(spoof_script) as hub:
        c = PlainClient(hub.url, "alice", tmpdir=tmp)
        c.saw(t, r"the end$", "spoofing (pipe): the chat lines arrive")
        lines = c.lines()
        t.ok("[#lobby] <mallory> hi [timer main] stopped by carol" in lines,
             "spoofing (pipe): spaces are squeezed", "\n".join(lines))
        t.ok("[#lobby] <mallory> nbsp [confab] reconnected" in lines,
             "spoofing (pipe): Unicode spaces too", "\n".join(lines))
        t.ok(not any(re.search(r"\s\s", l) for l in lines),
             "spoofing (pipe): no run of white space anywhere", "\n".join(lines))
        end_client(t, c, "quit", "spoofing (pipe)")


def test_bad_names(t, tmp):
    """Names with bidi or zero-width characters: the chat is dropped, a /who answer with
    them cannot be read (said as an error), nothing of them reaches the output."""
    def script(conn):
        conn.reply("welcome", **welcome_fields(conn))
        conn.event("chat", "room:lobby", room="lobby", ts=now_ms(),
                   **{"from": "car\u202eol", "text": "bidi name"})
        conn.event("chat", "room:lobby", room="lobby", ts=now_ms(),
                   **{"from": "al\u200bice", "text": "zero-width name"})
        conn.event("chat", "room:lobby", room="lobby", ts=now_ms(),
                   **{"from": "bob", "text": "fine"})
        req = conn.wait_type("who", timeout=60)
        conn.answer(req, "members", room="lobby", names=["bob", "e\u2066vil", "z\u200b"])
    with HostileHub(script) as hub:
        c = PlainClient(hub.url, "alice", tmpdir=tmp)
        c.saw(t, r"^\[#lobby\] <bob> fine$", "names: a good line arrives")
        c.send("/who")
        c.saw(t, r"^\[error\] .*\(bad-field\)", "names: /who says its answer was bad")
        out = "\n".join(c.lines())
        t.ok("bidi name" not in out and "zero-width name" not in out,
             "names: chat from bad names is dropped", out)
        t.ok(not re.search("[\u200b\u202e\u2066]", out), "names: no such character shown",
             out)
        end_client(t, c, "SIGINT", "names")


def test_bad_secret(t, tmp):
    """A welcome whose secret is not hex digits (a line break and another hub's line in
    it) is not kept: the secrets file gets no line from the hub; a good one is kept."""
    planted = "ab\nOTHERHOST-443 secretkeeper 0000"

    def script(conn):
        conn.reply("welcome", **welcome_fields(conn, secret=planted))
        conn.event("chat", "room:lobby", room="lobby", ts=now_ms(),
                   **{"from": "bob", "text": "after the bad secret"})
        req = conn.next_request(timeout=3600)   # the client's /quit
        del req
    with HostileHub(script) as hub:
        log = os.path.join(tmp, "secret.log")
        c = PlainClient(hub.url, "secretkeeper", tmpdir=tmp,
                        extra_args=["--log-file", log])
        c.saw(t, r"^\[#lobby\] <bob> after the bad secret$", "secret: the welcome is taken")
        path = os.path.join(state_home("secretkeeper"), "confab", "names")
        text = open(path).read() if os.path.exists(path) else ""
        t.ok("OTHERHOST" not in text and "0000" not in text,
             "secret: nothing of a secret that is not hex reaches the secrets file", text)
        deadline = time.monotonic() + 30
        while "not hex digits: not kept" not in open(log).read():
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
        t.ok("not hex digits: not kept" in open(log).read(),
             "secret: the log says it was not kept")
        end_client(t, c, "SIGINT", "secret")


def test_big_who(t, tmp):
    """A /who answered with 100,000 names: one line, in time (the list was built with a
    strcat per name: quadratic)."""
    def script(conn):
        conn.reply("welcome", **welcome_fields(conn))
        req = conn.wait_type("who", timeout=60)
        conn.answer(req, "members", room="lobby", names=["u%05d" % i for i in range(100000)])
    with HostileHub(script) as hub:
        c = PlainClient(hub.url, "alice", tmpdir=tmp)
        c.saw(t, r"^\[confab\] connected as alice", "big who: connected")
        t0 = time.monotonic()
        c.send("/who")
        c.saw(t, r"^\[who #lobby\] 100000 people: u00000, u00001, .*, u99999$",
              "big who: one line of 100,000 names", timeout=60)
        t.ok(time.monotonic() - t0 < 10, "big who: in %.1f s (quadratic: 20 s and more)"
             % (time.monotonic() - t0))
        end_client(t, c, "SIGINT", "big who")


def test_other_abuse(t, tmp):
    """A history reply of 150 events, negative and huge seqs, deeply nested JSON, a hub
    that never answers pings: the client keeps working."""
    def script(conn):
        conn.reply("welcome", **welcome_fields(conn))
        conn.event("chat", "room:lobby", room="lobby", seq=-1, ts=now_ms(),
                   **{"from": "bob", "text": "negative seq"})
        conn.event("chat", "room:lobby", room="lobby", seq=2 ** 62, ts=now_ms(),
                   **{"from": "bob", "text": "huge seq"})
        conn.send_text('{"type":"chat","x":' + "[" * 100000 + "]" * 100000 + "}")
        conn.event("chat", "room:lobby", room="lobby", seq=5, ts=now_ms(),
                   **{"from": "bob", "text": "five"})
        while True:
            req = conn.next_request(timeout=3600)
            if isinstance(req, dict) and req.get("type") == "history":
                conn.answer(req, "history", room="lobby", more=True, events=[
                    {"type": "chat", "stream": "room:lobby", "seq": i + 1, "room": "lobby",
                     "from": "bob", "text": "old %d" % i, "ts": now_ms()}
                    for i in range(150)])
            elif isinstance(req, dict) and req.get("type") != "ping":
                conn.answer(req, "ok")
    with HostileHub(script, pong=False) as hub:
        c = PlainClient(hub.url, "alice", tmpdir=tmp)
        c.saw(t, r"^\[#lobby\] <bob> five$", "abuse: a good line after the bad ones")
        out = "\n".join(c.lines())
        t.ok("negative seq" not in out and "huge seq" not in out,
             "abuse: negative and huge seqs are dropped", out)
        c.send("/history")
        c.saw(t, r"^\[error\] .*could not be read", "abuse: a 150-event history is refused")
        hub.wait_requests("ping", 8, timeout=60)
        c.send("/stats")
        c.saw(t, r"^\[stats\] round trip: not measured yet",
              "abuse: no pong, no round trip, no trouble")
        end_client(t, c, "SIGTERM", "abuse")


def test_big_program(t, tmp):
    """A program of 2000 sessions with 4000-byte descriptions: /schedule, /info and /now
    answer in time."""
    base = 1602511200000
    sessions = [{"id": "s%04d" % i, "title": "T%d" % i, "kind": "talk",
                 "start": base + i * 60000, "end": base + i * 60000 + 60000,
                 "description": ("d%d " % i).ljust(4000, "x"), "speakers": [],
                 "room": None} for i in range(2000)]
    program = {"format": "confab-program-1", "title": "Big", "timezone": "UTC",
               "version": "0123456789abcdef", "sessions": sessions}

    def script(conn):
        conn.reply("welcome", **welcome_fields(conn, program=program,
                                               program_version="0123456789abcdef"))
    with HostileHub(script) as hub:
        c = PlainClient(hub.url, "alice", tmpdir=tmp)
        c.saw(t, r"^\[confab\] connected as alice", "big program: connected", timeout=60)
        c.send("/schedule")
        c.saw(t, r"^\[schedule\] 2000 sessions$", "big program: /schedule lists 2000",
              timeout=60)
        c.send("/info s1999")
        c.saw(t, r"^\[info s1999\] d1999 x+$", "big program: /info shows 4000 bytes",
              timeout=60)
        c.send("/now")
        c.saw(t, r"^\[now\] ", "big program: /now answers", timeout=60)
        end_client(t, c, "quit", "big program")


def test_curses(t, tmp, confab):
    """The full-screen interface: a refused welcome shows on the top line and in the chat
    until /quit (exit 1); a timer at 2^63 leaves the screen working; a chat line padded to
    wrap into "-- carol joined" continues on an indented row."""
    if not tmuxtest.have_tmux():
        t.ok(True, "# SKIP tmux is not installed")
        return

    def refuse(conn):
        conn.reply("welcome", **welcome_fields(conn, now=BIG))
    env = {"XDG_CACHE_HOME": os.path.join(tmp, "cache"),
           "XDG_CONFIG_HOME": os.path.join(tmp, "config"), "HOME": tmp}
    with HostileHub(refuse) as hub, \
            tmuxtest.TmuxPane([confab, "--name", "alice", hub.url], env=env,
                              name="refused") as pane:
        pane.wait_text(r"refused by the hub: its answer could not be read")
        t.ok(True, "curses: the top line says the hub refused us")
        text = pane.wait_text(r"!! the hub's answer to our hello cannot be used").string
        t.ok(re.search(r"type /quit to leave", text),
             "curses: the chat says why and how to leave", text)
        t.ok(not pane.dead(), "curses: the screen stays to be read")
        pane.type("/quit")
        pane.send("Enter")
        t.eq(pane.exit_status(EXIT_TIMEOUT), 1, "curses: /quit leaves, exit 1")

    def bad_timer(conn):
        conn.reply("welcome", **welcome_fields(conn))
        conn.event("timer", "timers", now=now_ms(), timer=running(BIG))
        conn.event("chat", "room:lobby", room="lobby", ts=now_ms(),
                   **{"from": "mallory", "text": "hi" + " " * 300 + "-- carol joined"})
        conn.event("chat", "room:lobby", room="lobby", ts=now_ms(),
                   **{"from": "bob", "text": "after it"})
    with HostileHub(bad_timer) as hub, \
            tmuxtest.TmuxPane([confab, "--name", "alice", hub.url], env=env,
                              name="bad timer") as pane:
        pane.wait_text(r"<bob> after it")
        t.ok(True, "curses: the client goes on after a timer at 2^63")
        screen = pane.screen()
        t.ok(not re.search(r"^ timer ", screen, re.M), "curses: no timer line for it", screen)
        t.ok(re.search(r"^ {6,}-- carol joined", screen, re.M) and
             not re.search(r"^\S.*-- carol joined", screen, re.M),
             "curses: padded text wraps to an indented row, never one like ours", screen)
        pane.send("F4")
        pane.wait_text(r"no timer is running")
        t.ok(True, "curses: the speaker view says no timer runs")
        pane.send("Escape")
        pane.type("/quit")
        pane.send("Enter")
        t.eq(pane.exit_status(EXIT_TIMEOUT), 0, "curses: /quit leaves, exit 0")


def main():
    t = TAP()
    (confab,) = need_binaries(t, "CONFAB")
    tmp = tempfile.mkdtemp(prefix="confabtest-hostile-")
    t.run(test_bad_times, tmp)
    t.run(test_bad_welcome_times, tmp)
    t.run(test_range_ends, tmp)
    t.run(test_many_rooms, tmp)
    t.run(test_refused_hello, tmp)
    t.run(test_spoof_terminal, tmp)
    t.run(test_spoof_pipe, tmp)
    t.run(test_bad_names, tmp)
    t.run(test_bad_secret, tmp)
    t.run(test_big_who, tmp)
    t.run(test_other_abuse, tmp)
    t.run(test_big_program, tmp)
    t.run(test_curses, tmp, confab)
    t.done()


if __name__ == "__main__":
    main()
