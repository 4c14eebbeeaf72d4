#!/usr/bin/env python3
"""confabd imports conference programs exported by other software: --check-program on the
real exports (../shared/schedules, skipped when absent) and on the fixtures of
tests/fixtures/programs (exit codes, summary lines); a hub serving an imported frab program
to a plain client (/schedule with the right days and times, in the event's zone whatever
the client's); the iCalendar fixture checked against a second reader (python3-icalendar);
files that cannot be used stop the hub with the file, the line or JSON path, and the
problem. Prints TAP."""

import datetime
import json
import os
import subprocess
import sys
import tempfile
import zoneinfo

from confabtest import Hub, PlainClient, TAP, WsClient, hello, need_binaries, srcdir
from tmuxtest import TmuxPane, have_tmux

FIXTURES = os.path.join(srcdir(), "tests", "fixtures", "programs")
REAL = os.path.normpath(os.path.join(srcdir(), "..", "shared", "schedules"))


def fixture(name):
    """The path of a fixture."""
    return os.path.join(FIXTURES, name)


def skip(t, name, why):
    """A skipped test point."""
    t.n += 1
    print("ok %d - %s # SKIP %s" % (t.n, name, why), flush=True)


def confabd(binary, *args):
    """Runs confabd to completion (it must exit by itself): (code, stdout, stderr)."""
    p = subprocess.run([binary] + list(args), stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=60, env=dict(os.environ, LC_ALL="C.UTF-8"))
    return (p.returncode, p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"))


def check_summary(t, binary, path, args, lines, what):
    """confabd --check-program path args: exit 0 and every one of lines in the summary."""
    code, out, err = confabd(binary, "--check-program", path, *args)
    got = out.splitlines()
    missing = [l for l in lines if l not in got]
    t.ok(code == 0 and not missing, "--check-program %s: exit 0, %s" % (what, lines[0]),
         "exit %d\nmissing: %r\nstdout:\n%s\nstderr:\n%s" % (code, missing, out, err))


def test_check_fixtures(t, binary):
    """--check-program on every fixture."""
    check_summary(t, binary, fixture("frab-times.json"), [], [
        "sessions: 7", "format: frab/pretalx schedule.json", "time zone: Europe/Berlin",
        "days: 2", "  day 1: Sat 30 Mar 2024, 3 sessions",
        "  day 2: Sun 31 Mar 2024, 4 sessions", "rooms: 1", "  Saal 1: 7 sessions",
        "warnings: 1", "  left out 2 events: 108 \"Marker without a duration\" (no "
        "duration), 109 (no title)"], "frab times")
    check_summary(t, binary, fixture("frab-identity.json"), [], [
        "sessions: 9", "  Main Hall: 8 sessions", "  Room B: 1 session",
        "chat rooms for discussions: 1",
        "  left out 1 event: 8 \"Joint session\" (listed twice)"], "identities")
    check_summary(t, binary, fixture("frab-text.json"), [], [
        "title: Text & Markup Day", "sessions: 6",
        "  cut 1 description to 4000 bytes: 206 \"A very long abstract\""], "text")
    check_summary(t, binary, fixture("frab-kinds.json"), [], [
        "sessions: 14", "  panel: 3", "  talk: 3", "  lightning talks: 2", "  pitches: 1",
        "  open discussion: 4", "  break: 1", "warnings: 0"], "kinds, built in")
    check_summary(t, binary, fixture("frab-kinds.json"), ["--kinds", fixture("kinds.txt")], [
        "sessions: 14", "  talk: 1", "  open discussion: 5", "  break: 2"],
        "kinds with a kinds file")
    check_summary(t, binary, fixture("pretalx.json"), [], [
        "sessions: 2", "time zone: America/New_York", "  day 1: Sat 05 Oct 2024, 2 sessions"],
        "pretalx")
    check_summary(t, binary, fixture("frab-31c3.xml"), [], [
        "sessions: 5", "format: frab/Pentabarf schedule.xml",
        "  day 1: Sat 27 Dec 2014, 4 sessions", "  day 2: Sun 28 Dec 2014, 1 session"],
        "31C3-style XML")
    check_summary(t, binary, fixture("fosdem.xml"), ["--timezone", "Europe/Brussels"], [
        "sessions: 3", "time zone: Europe/Brussels", "  day 1: Sat 03 Feb 2024, 2 sessions",
        "  H.1302 (Depage): 1 session", "  lightning talks: 1"], "FOSDEM-style XML")
    code, out, err = confabd(binary, "--check-program", fixture("fosdem.xml"))
    t.ok(code == 1 and out == "" and "fosdem.xml: the file names no time zone (<time_zone_name>"
         " in <conference>): give the conference's with --timezone ZONE" in err,
         "--check-program on FOSDEM-style XML without --timezone: exit 1, asks for it", err)
    check_summary(t, binary, fixture("conf.ics"), [], [
        "sessions: 6", "format: iCalendar", "time zone: Europe/Berlin",
        "  day 1: Sat 30 Mar 2024, 3 sessions", "  (no room): 3 sessions",
        "  left out 2 events: allday@ical.example.org \"Hackspace open all day\" (all-day "
        "event), cancelled@ical.example.org \"Cancelled talk\" (cancelled)"], "iCalendar")
    check_summary(t, binary, os.path.join(srcdir(), "data", "ptim2020.json"), [], [
        "sessions: 12", "format: confab program", "time zone: America/New_York",
        "days: 4"], "confab's own format")


def test_check_real(t, binary):
    """--check-program on the real exports (skipped when they are absent)."""
    camp = os.path.join(REAL, "camp2019_frab.schedule.json")
    jev = os.path.join(REAL, "jev22_channels.schedule.json")
    if not os.path.isdir(REAL):
        for name in ("camp2019", "jev22"):
            skip(t, "--check-program on the real export %s" % name,
                 "%s is absent: the real exports are not shipped with confab" % REAL)
        return
    check_summary(t, binary, camp, [], [
        "title: Chaos Communication Camp 2019", "time zone: Europe/Berlin", "sessions: 79",
        "days: 5", "  day 1: Wed 21 Aug 2019, 17 sessions",
        "  day 2: Thu 22 Aug 2019, 17 sessions", "  day 3: Fri 23 Aug 2019, 19 sessions",
        "  day 4: Sat 24 Aug 2019, 17 sessions", "  day 5: Sun 25 Aug 2019, 9 sessions",
        "rooms: 2", "  Curie: 41 sessions", "  Meitner: 38 sessions", "  talk: 78",
        "  lightning talks: 1", "warnings: 1"], "camp2019 (real)")
    check_summary(t, binary, jev, [], [
        "time zone: Europe/Amsterdam", "sessions: 213", "days: 6",
        "  day 1: Mon 26 Dec 2022, 4 sessions", "  day 4: Thu 29 Dec 2022, 64 sessions",
        "rooms: 14", "  open discussion: 8", "chat rooms for discussions: 8"],
        "jev22 (real)")


def write(tmp, name, text):
    """Writes text into tmp/name; returns the path."""
    path = os.path.join(tmp, name)
    with open(path, "w", encoding="utf-8", newline="") as fp:
        fp.write(text)
    return path


def test_bad_files(t, binary, tmp):
    """Files that cannot be used: --check-program exits 1 and --program stops the hub
    (exit 2), both with the file, the line or JSON path, and the problem."""
    frab = json.load(open(fixture("frab-times.json"), encoding="utf-8"))
    frab["schedule"]["conference"]["days"][1]["rooms"]["Saal 1"][3]["date"] = "2024-13-01"
    bad = [
        ("bad-syntax.json", "{\n  \"schedule\": {\n    oops\n}", "bad-syntax.json:3:", "not "
         "valid JSON"),
        ("bad-date.json", json.dumps(frab), "bad-date.json: schedule.conference.days[1]"
         ".rooms[\"Saal 1\"][3].date: ", "\"2024-13-01\" is not a date and time"),
        ("bad.xml", "<?xml version=\"1.0\"?>\n<schedule><conference><time_zone_name>UTC"
         "</time_zone_name></conference>\n<day>\n</schedule>\n", "bad.xml:4:",
         "not well-formed XML: mismatched tag"),
        ("bad.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nnot a content line\r\n"
         "END:VCALENDAR\r\n", "bad.ics:3:", "not an iCalendar content line"),
        ("bad.txt", "Day 1: talks all day", "bad.txt: not a program: ", "expected JSON"),
    ]
    for name, text, where, problem in bad:
        path = write(tmp, name, text)
        code, out, err = confabd(binary, "--check-program", path)
        t.ok(code == 1 and out == "" and where in err and problem in err,
             "--check-program %s: exit 1, says where (%s) and what" % (name, where), err)
        code, out, err = confabd(binary, "--listen", "127.0.0.1:0", "--program", path)
        t.ok(code == 2 and where in err and problem in err and "listening" not in err,
             "--program %s: the hub stops (exit 2) with the message" % name, err)
    kinds = write(tmp, "kinds.txt", "type workshop -> discussion\ntitle keynote -> keynote\n")
    code, _, err = confabd(binary, "--check-program", fixture("frab-kinds.json"),
                           "--kinds", kinds)
    t.ok(code == 1 and "kinds.txt:2: unknown kind \"keynote\"" in err,
         "a bad kinds file: its line and the problem", err)
    code, _, err = confabd(binary, "--listen", "127.0.0.1:0", "--program",
                           fixture("frab-kinds.json"), "--kinds", kinds)
    t.ok(code == 2 and "kinds.txt:2: unknown kind" in err, "a bad kinds file stops the hub",
         err)
    for args, what in [(["--check-program", fixture("conf.ics"), "--demo"], "with --demo"),
                       (["--demo", "--timezone", "UTC"], "--timezone with --demo"),
                       (["--check-program"], "without a file")]:
        code, _, err = confabd(binary, *args)
        t.ok(code == 2 and err.strip() != "", "--check-program/--timezone %s: usage error, "
             "exit 2" % what, err)


def schedule(t, client, day, count, lines, what):
    """/schedule DAY on a plain client: every one of lines, then the day's count."""
    client.send("/schedule %d" % day)
    m = client.saw(t, r"^\[schedule\] day %d of \d+: %d sessions?$" % (day, count),
                   "%s: /schedule %d has %d sessions" % (what, day, count))
    if m is None:
        return
    got = client.lines()
    missing = [l for l in lines if l not in got]
    t.ok(not missing, "%s: /schedule %d shows the sessions at their times in the "
         "event's zone" % (what, day), "missing: %r\ngot:\n%s" % (missing, "\n".join(got)))


def test_serve_frab(t, tmp):
    """A hub serving the frab fixture; a plain client in Kiritimati lists its days."""
    with Hub(["--program", fixture("frab-times.json")]) as hub:
        with WsClient(hub.port) as ws:
            prog = hello(ws, "wire").get("program", {})
            s = {x["id"]: x for x in prog.get("sessions", [])}
            t.ok(s.get("101", {}).get("guid") == "6f3c0d0e-0000-4000-8000-000000000101" and
                 s["101"].get("location") == "Saal 1" and s["101"].get("track") == "Camp" and
                 s.get("102", {}).get("guid") == "id:102",
                 "the program on the wire carries guid, location and track", s.get("101"))
            t.eq(len(prog.get("days", [])), 2, "the file's two days go on the wire")
        c = PlainClient(hub.port, "reader", env={"TZ": "Pacific/Kiritimati"}, tmpdir=tmp)
        try:
            c.wait_line(r"^\[confab\] connected as reader")
            schedule(t, c, 1, 3, [
                "[schedule] Sat 30 Mar 10:00-10:45 CET 101 talk: Welcome",
                "[schedule] Sat 30 Mar 23:30-00:30 CET 102 talk: Late talk across midnight",
                "[schedule] Sun 31 Mar 01:30-04:30 CEST 103 talk: Night session through the "
                "change to summer time"], "frab fixture")
            schedule(t, c, 2, 4, [
                "[schedule] Sun 31 Mar 10:00-10:20 CEST 104 talk: Short talk in HH:MM:SS",
                "[schedule] Sun 31 Mar 12:00-14:00 CEST 106 talk: Hackathon of a day and two "
                "hours",
                "[schedule] Sun 31 Mar 18:00-19:00 CEST 105 talk: Remote talk from another "
                "zone"], "frab fixture")
            c.send("/info 102")
            c.saw(t, r"^\[info 102\] speakers: Nox$", "/info shows an imported session")
            c.send("/info 101")
            c.saw(t, r"^\[info 101\] where: Saal 1$", "/info says where a session takes place")
            c.saw(t, r"^\[info 101\] track: Camp$", "/info gives its track")
            c.saw(t, r"^\[info 101\] link: https://qc24\.example\.org/events/101\.html$",
                  "/info gives its page")
        finally:
            c.stop()
        if not have_tmux():
            skip(t, "the full-screen details show where, track and link", "tmux is not "
                 "installed")
            return
        pane = TmuxPane([os.environ["CONFAB"], "--name", "viewer", hub.url], name="viewer",
                        env={"TZ": "America/New_York"})
        try:
            pane.wait_text(r"online", timeout=30)
            pane.send("F2")
            pane.wait_text(r"Day 1 of 2:")
            pane.send("Enter")
            text = pane.wait_text(r"link: https://qc24\.example\.org/events/101\.html").string
            t.ok("Welcome" in text and "where: Saal 1" in text and "track: Camp" in text and
                 "CET" in text, "the full-screen details show where, track and link", text)
            pane.type("/quit")
            pane.send("Enter")
            t.eq(pane.exit_status(), 0, "the full-screen client exits 0 after /quit")
        finally:
            pane.kill()


def test_discussion_rooms(t):
    """An imported open discussion gets a chat room named by its id (the lobby's name
    taken, it is lobby-2)."""
    with Hub(["--program", fixture("frab-identity.json")]) as hub:
        with WsClient(hub.port) as ws:
            w = hello(ws, "rooms")
    rooms = {r["id"]: r for r in w.get("rooms", [])}
    t.ok(rooms.get("lobby-2", {}).get("kind") == "discussion" and
         rooms["lobby-2"].get("title") == "Hallway discussion" and
         rooms["lobby-2"].get("session") == "lobby-2" and rooms.get("lobby", {}).get("kind") ==
         "lobby", "an imported discussion has its own chat room", rooms)


def test_serve_real(t, tmp):
    """The real exports served to a plain client (skipped when absent)."""
    cases = [
        ("camp2019_frab.schedule.json", 2, 17, [
            "[schedule] Thu 22 Aug 12:00-12:45 CEST 10400 talk: OpenCodes"]),
        ("jev22_channels.schedule.json", 2, 37, [
            "[schedule] Tue 27 Dec 16:30-17:30 CET 6713 talk: Intro to Solar Protocol"]),
        ("jev22_channels.schedule.json", 3, 62, [
            "[schedule] Wed 28 Dec 23:00-00:00 CET 49092 talk: Never Mind the Gigwork"]),
    ]
    for name, day, count, lines in cases:
        path = os.path.join(REAL, name)
        if not os.path.exists(path):
            skip(t, "a hub serving the real export %s" % name, "%s is absent: the real "
                 "exports are not shipped with confab" % REAL)
            continue
        with Hub(["--program", path]) as hub:
            c = PlainClient(hub.port, "reader", env={"TZ": "America/New_York"}, tmpdir=tmp)
            try:
                c.wait_line(r"^\[confab\] connected as reader")
                schedule(t, c, day, count, lines, name)
            finally:
                c.stop()


def icalendar_module():
    """python3-icalendar, also when this python3 is not Debian's (it then looks in Debian's
    dist-packages), or None."""
    try:
        import icalendar  # noqa: F401
        return sys.modules["icalendar"]
    except ImportError:
        pass
    dist = "/usr/lib/python3/dist-packages"
    if os.path.isdir(os.path.join(dist, "icalendar")):
        sys.path.append(dist)
        try:
            import icalendar  # noqa: F401
            return sys.modules["icalendar"]
        except ImportError:
            return None
    return None


def ms(dt):
    """A timezone-aware datetime as UTC milliseconds."""
    return int(dt.timestamp() * 1000)


def ical_expected(ical, path):
    """What python3-icalendar reads in the file: {uid: (title, start ms, end ms, location)}
    for each event that has a time (all-day and cancelled events are left out)."""
    cal = ical.Calendar.from_ical(open(path, "rb").read())
    zone = zoneinfo.ZoneInfo(str(cal.get("X-WR-TIMEZONE")))
    out = {}
    for ev in cal.walk("VEVENT"):
        start = ev.decoded("DTSTART")
        if not isinstance(start, datetime.datetime) or str(ev.get("STATUS", "")) == "CANCELLED":
            continue
        if start.tzinfo is None:
            start = start.replace(tzinfo=zone)
        if "DTEND" in ev:
            end = ev.decoded("DTEND")
            end = end.replace(tzinfo=zone) if end.tzinfo is None else end
        else:
            end = start + ev.decoded("DURATION")
        loc = str(ev["LOCATION"]) if "LOCATION" in ev else None
        out[str(ev["UID"])] = (str(ev["SUMMARY"]), ms(start), ms(end), loc)
    return out


def test_ical_cross_check(t):
    """The iCalendar fixture as confabd serves it is what python3-icalendar reads."""
    ical = icalendar_module()
    if ical is None:
        skip(t, "the iCalendar fixture matches python3-icalendar", "python3-icalendar is not "
             "installed (Debian: apt-get install python3-icalendar)")
        return
    want = ical_expected(ical, fixture("conf.ics"))
    with Hub(["--program", fixture("conf.ics")]) as hub:
        with WsClient(hub.port) as ws:
            prog = hello(ws, "ical").get("program", {})
    got = {s.get("guid"): (s["title"], s["start"], s["end"], s.get("location"))
           for s in prog.get("sessions", [])}
    t.ok(len(want) == 6, "python3-icalendar finds the fixture's 6 timed events", want)
    t.eq(got, want, "confabd's iCalendar import agrees with python3-icalendar (titles, "
         "instants, locations)")


def main():
    t = TAP()
    (binary,) = need_binaries(t, "CONFABD")
    need_binaries(t, "CONFAB")
    tmp = tempfile.mkdtemp(prefix="confab-import-")
    t.run(test_check_fixtures, binary)
    t.run(test_check_real, binary)
    t.run(test_bad_files, binary, tmp)
    t.run(test_serve_frab, tmp)
    t.run(test_discussion_rooms)
    t.run(test_serve_real, tmp)
    t.run(test_ical_cross_check)
    t.done()


if __name__ == "__main__":
    main()
