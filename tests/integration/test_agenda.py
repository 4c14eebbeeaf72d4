#!/usr/bin/env python3
"""Finding your way, end to end: a real confabd serves a small program placed around now
(its own explicit days, so the test passes at any hour and in any zone); plain clients
search it (case, accents, Cyrillic, CJK), filter the schedule, star sessions, get the
reminder of a starred session before it starts (config remind = 2m; the client's clock,
no sleeping), see overlaps in /agenda, export it as iCalendar (parsed back with
python3-icalendar) and find their stars again after a restart, per hub. In a real tmux,
'*' stars the selected session of the schedule view and F6 filters it by track.
Prints TAP."""

import datetime
import json
import os
import re
import tempfile

from confabtest import Hub, PlainClient, TAP, icalendar_module, need_binaries
from tmuxtest import TmuxPane, have_tmux

NOW = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
REMIND = datetime.timedelta(minutes=2)
ELKA = "Ёлка, ель; 中文会议"


def iso(delta):
    """NOW + delta as an ISO 8601 UTC time."""
    return (NOW + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def session(sid, title, start, minutes, **extra):
    """One session of the test program."""
    s = {"id": sid, "title": title, "kind": "talk", "start": iso(start),
         "end": iso(start + datetime.timedelta(minutes=minutes)), "description": "",
         "speakers": [], "room": None}
    s.update(extra)
    return s


H = datetime.timedelta(hours=1)
SESSIONS = [
    # starts just after the reminder time: its reminder comes a few seconds after /star
    session("caf", "Café Crème Protocols", REMIND + datetime.timedelta(seconds=6), 30,
            track="Security", location="Hall A", speakers=["Zoë Ng"]),
    session("elka", ELKA, 3 * H, 60, track="Community", location="Hall B",
            description="Новогодняя\nвстреча"),
    session("over", "Overlapping", 3.5 * H, 60, track="Security Deep Dive",
            location="Hall A"),
    session("later", "Tomorrow", 26 * H, 60, track="Community", location="Hall B"),
]
PROGRAM = {"format": "confab-program-1", "title": "Agenda Test", "timezone": "UTC",
           "days": [iso(-H), iso(20 * H)], "sessions": SESSIONS}


def plain(hub, name, config_dir, **kw):
    """A plain client whose config file says remind = 2m."""
    return PlainClient(hub.port, name, env={"XDG_CONFIG_HOME": config_dir}, **kw)


def listed(c, command, tag, last):
    """Sends command; waits for its closing line (regex last); returns that match and the
    session lines tagged [tag] in between."""
    start = len(c.lines())
    c.send(command)
    m = c.wait_line(last, start=start)
    return m, [l for l in c.lines()[start:] if re.match(r"^\[%s\] \w{3} " % tag, l)]


def test_search_filter(t, c):
    """/search over titles, speakers, tracks, locations; /filter for /schedule."""
    for text, ids in (("cafe CREME", ["caf"]), ("zoe", ["caf"]), ("ЁЛКА", ["elka"]),
                      ("елка", ["elka"]), ("中文", ["elka"]), ("hall a", ["caf", "over"]),
                      ("security", ["caf", "over"]), ("встреча", ["elka"])):
        m, lines = listed(c, "/search " + text, "search",
                          r"^\[search\] (no session matches|(\d+) sessions? match(es)?) ")
        found = [re.match(r"^\[search\] .* (\S+) talk: ", l).group(1) for l in lines]
        t.eq(found, ids, "/search %s finds %s" % (text, ids))
        t.ok(m.group(2) == str(len(ids)), "/search %s says how many match" % text, m.group(0))
    c.send("/search nothing like this")
    c.saw(t, r'^\[search\] no session matches "nothing like this"$', "no match is said")
    c.send("/search")
    c.saw(t, r"^\[error\] usage: /search TEXT$", "/search without text says the usage")

    c.send("/filter track security")
    c.saw(t, r'^\[filter\] /schedule shows: track contains "security"; /filter off shows all$',
          "/filter track says what /schedule will show")
    start = len(c.lines())
    _, rows = listed(c, "/schedule", "schedule", r"^\[schedule\] \d+ sessions?$")
    t.ok(len(rows) == 2 and "caf" in rows[0] and "over" in rows[1],
         "/schedule with a track filter lists only that track", rows)
    t.ok(any(re.match(r"^\[schedule\] 2 sessions hidden by /filter", l)
             for l in c.lines()[start:]), "/schedule says how many the filter hides")
    c.send("/filter room hall b")
    c.send("/schedule")
    c.saw(t, r"^\[schedule\] 0 sessions$", "track and room filters together: none left")
    c.send("/filter off")
    c.saw(t, r"^\[filter\] no filter: /schedule shows every session$", "/filter off lifts all")
    c.send("/filter day 2")
    c.send("/schedule")
    c.saw(t, r"^\[schedule\] day 2 of 2: 1 session$", "/filter day 2 shows the second day")
    c.send("/filter day all")
    c.send("/filter speaker x")
    c.saw(t, r"^\[error\] usage: /filter \[day DAY \| track TEXT \| room TEXT \| off\]$",
          "a bad /filter says the usage")


def test_star_remind(t, c, export_path):
    """/star, the reminder, overlaps in /agenda, /export parsed back."""
    c.send("/star caf")
    c.saw(t, r'^\[star\] caf "Café Crème Protocols" is on your agenda$', "/star caf")
    c.saw(t, r"^\[reminder\] \d\d:\d\d-\d\d:\d\d UTC caf talk: Café Crème Protocols "
          r"\(starts in 2 min\)$", "the reminder comes 2 minutes before (remind = 2m)",
          timeout=40)
    c.send("/star elka")
    c.saw(t, r"^\[star\] elka .* is on your agenda$", "/star elka")
    c.send("/star OVER")
    c.saw(t, r'^\[star\] over overlaps elka "Ёлка, ель; 中文会议", also on your agenda$',
          "/star says when the session overlaps a starred one")
    c.send("/star caf")
    c.saw(t, r"^\[star\] caf .* was already on your agenda$", "starring twice is said")
    c.send("/star nope")
    c.saw(t, r'^\[error\] no session "nope"; /schedule shows the session ids$',
          "/star of an unknown id is an error")
    _, rows = listed(c, "/agenda", "agenda", r"^\[agenda\] 3 starred sessions; 2 overlap$")
    t.ok(len(rows) == 3 and not rows[0].endswith("(overlaps)") and
         rows[1].endswith("(overlaps)") and rows[2].endswith("(overlaps)"),
         "/agenda lists the starred sessions in order and flags the overlapping ones", rows)

    c.send("/export /nonexistent-dir/x.ics")
    c.saw(t, r"^\[error\] cannot write /nonexistent-dir/x\.ics: ", "an unwritable file is said")
    c.send("/export " + export_path)
    c.saw(t, r"^\[export\] 3 sessions written to ", "/export writes the starred sessions")
    icalendar = icalendar_module()
    if icalendar is None:
        t.skip("the export parsed back", "python3-icalendar is not installed")
        return
    with open(export_path, "rb") as fp:
        data = fp.read()
    cal = icalendar.Calendar.from_ical(data)
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    key = "127.0.0.1-%d" % c.port
    t.eq(sorted(events), sorted("%s@%s" % (i, key) for i in ("caf", "elka", "over")),
         "each event's UID is the session id at the hub")
    e = events["elka@" + key]
    t.eq(str(e["SUMMARY"]), ELKA, "commas, semicolons, Cyrillic and CJK come back whole")
    t.eq(e["DTSTART"].dt, NOW + 3 * H, "DTSTART is the session's start (UTC)")
    t.eq(e["DTEND"].dt, NOW + 4 * H, "DTEND is its end")
    t.eq(str(e["LOCATION"]), "Hall B", "LOCATION is where it takes place")
    t.ok("\r\n" in data.decode() and all(len(l) <= 75 for l in data.split(b"\r\n")),
         "lines end in CRLF and are folded at 75 octets")
    t.ok("DTSTAMP" in e, "each event has a DTSTAMP")


def agenda_after_start(t, hub, config_dir, want, name, then=()):
    """Starts alice again on hub: /agenda must say want (a regex); then sends the lines of
    then, each with the regex of its answer, and quits."""
    c = plain(hub, "alice", config_dir)
    try:
        c.wait_line(r"^\[confab\] connected as alice")
        c.send("/agenda")
        c.saw(t, want, name)
        for line, answer, what in then:
            c.send(line)
            c.saw(t, answer, what)
        c.send("/quit")
        c.wait_exit()
    finally:
        c.stop()


def test_persist(t, hub, hub2, config_dir):
    """The stars come back after a restart, for this hub only."""
    agenda_after_start(t, hub, config_dir, r"^\[agenda\] 3 starred sessions; 2 overlap$",
                       "the stars are there after a restart",
                       [("/unstar over", r"^\[star\] over is off your agenda$", "/unstar")])
    agenda_after_start(t, hub2, config_dir, r"^\[agenda\] your agenda is empty",
                       "another hub has its own agenda")
    agenda_after_start(t, hub, config_dir, r"^\[agenda\] 2 starred sessions, no overlaps$",
                       "/unstar was kept too")


def rows(screen):
    """The schedule rows of a screen (below the top line and the view's header)."""
    return "\n".join(screen.split("\n")[2:])


def test_curses(t, confab, hub, config_dir):
    """In the schedule view, '*' stars the selected session, F6 filters by track."""
    pane = TmuxPane([confab, "--name", "carol", hub.url], cols=110, rows=30,
                    env={"XDG_CONFIG_HOME": config_dir}, name="carol")
    try:
        pane.wait_text(r"online", timeout=30)
        pane.send("F2")
        pane.wait_text(r"Day 1 of 2:")
        pane.wait_text(r"Café Crème Protocols")
        pane.type("*")
        m = pane.wait_text(r"^>?\s?\*\s*\d\d:\d\d-\d\d:\d\d\s+Café Crème", timeout=15)
        t.ok(m, "'*' stars the selected session: its row shows a star")
        pane.send("F6")
        m = pane.wait(lambda s: "(filtered)" in s and "Café" in rows(s) and
                      "Overlapping" in rows(s) and "Ёлка" not in rows(s),
                      what="the first track only")
        t.ok(m, "F6 shows the first track (Security; its name is in Security Deep Dive "
             "too): the header says (filtered)")
        pane.send("F6")
        m = pane.wait(lambda s: "Ёлка" in rows(s) and "Café" not in rows(s),
                      what="the second track")
        t.ok(m, "F6 again goes to the next track (Community)")
        pane.send("F6")
        pane.send("F6")
        m = pane.wait(lambda s: "(filtered)" not in s and "Café" in rows(s) and
                      "Ёлка" in rows(s), what="every session again")
        t.ok(m, "after the last track F6 shows every session again")
        pane.send("F7")
        m = pane.wait(lambda s: "(filtered)" in s and "Café" in rows(s) and
                      "Overlapping" in rows(s) and "Ёлка" not in rows(s),
                      what="the first room (Hall A) only")
        t.ok(m, "F7 shows the first room only (Hall A)")
        pane.send("F7")
        pane.send("F7")
        pane.wait(lambda s: "(filtered)" not in s, what="every session again")
        pane.send("Escape")
        pane.wait(lambda s: "Day 1 of 2" not in s, what="the chat again")
        pane.type("/agenda")
        pane.send("Enter")
        t.ok(pane.wait_text(r"agenda: .* caf talk: Café Crème Protocols"),
             "/agenda lists the star in the chat")
        pane.type("/quit")
        pane.send("Enter")
        t.eq(pane.exit_status(), 0, "confab exits 0")
    finally:
        pane.kill()


def main():
    t = TAP()
    confabd, confab = need_binaries(t, "CONFABD", "CONFAB")
    tmp = tempfile.mkdtemp(prefix="confabtest-agenda-")
    program = os.path.join(tmp, "program.json")
    with open(program, "w", encoding="utf-8") as fp:
        json.dump(PROGRAM, fp, ensure_ascii=False)
    config_dir = os.path.join(tmp, "config")
    os.makedirs(os.path.join(config_dir, "confab"))
    with open(os.path.join(config_dir, "confab", "config"), "w") as fp:
        fp.write("remind = 2m\n")
    with Hub(args=["--program", program]) as hub, Hub(args=["--program", program]) as hub2:
        c = plain(hub, "alice", config_dir)
        c.port = hub.port
        try:
            c.wait_line(r"^\[confab\] connected as alice")
            t.run(test_search_filter, c)
            t.run(test_star_remind, c, os.path.join(tmp, "agenda.ics"))
            c.send("/quit")
            t.eq(c.wait_exit(), 0, "confab exits 0")
        finally:
            c.stop()
        t.run(test_persist, hub, hub2, config_dir)
        if have_tmux():
            t.run(test_curses, confab, hub, config_dir)
        else:
            t.skip("the curses schedule keys", "tmux is not installed")
    t.done()


if __name__ == "__main__":
    main()
