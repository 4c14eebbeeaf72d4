#!/usr/bin/env python3
"""Live changes of the program, with a real hub (SQLite store) and real clients. TAP.

A program file is served; the organizers change it and send SIGHUP: a session moves, one
is removed, one is added. A raw client gets exactly one "program.changes" event with
those three, which applies to the program it had; a plain client prints one line per
change; the curses client (in tmux) says so and marks the changed sessions in its
schedule; a plain client that was away (with the old program cached) is told what changed
when it comes back. A file that cannot be used keeps the program served; a changed file
is noticed without SIGHUP. Facilitators' /session delay, room and live are announced the
same way, refused with clear errors (unknown session, bad delay, not a facilitator), kept
across a restart of the hub, and a reload keeps the ones that still apply.
"""

import json
import os
import re
import signal
import tempfile

from confabtest import (TAP, Hub, PlainClient, hello, need_binaries, quit_all)
from tmuxtest import TmuxPane, have_tmux


def session(sid, title, start, end, kind="talk", location=None):
    s = {"id": sid, "title": title, "kind": kind, "start": start, "end": end}
    if location:
        s["location"] = location
    return s


def program(sessions):
    return {"format": "confab-program-1", "title": "Live Conf", "timezone": "Europe/Berlin",
            "sessions": sessions}


# Fixed dates: the output names times in the program's zone, whatever the machine's.
V1 = program([
    session("keynote", "Opening keynote", "2031-06-02T10:00:00+02:00",
            "2031-06-02T10:30:00+02:00", location="Hall A"),
    session("tools", "Tools talk", "2031-06-02T10:30:00+02:00", "2031-06-02T11:00:00+02:00"),
    session("chat", "Open chat", "2031-06-02T11:00:00+02:00", "2031-06-02T12:00:00+02:00",
            kind="discussion"),
])
# the keynote moves by 15 minutes, the tools talk goes, a panel comes
V2 = program([
    session("keynote", "Opening keynote", "2031-06-02T10:15:00+02:00",
            "2031-06-02T10:45:00+02:00", location="Hall A"),
    session("chat", "Open chat", "2031-06-02T11:00:00+02:00", "2031-06-02T12:00:00+02:00",
            kind="discussion"),
    session("panel", "Late panel", "2031-06-02T14:00:00+02:00", "2031-06-02T15:00:00+02:00",
            kind="panel"),
])


def seen(pane, regex):
    """True once regex is on the pane's screen (polled with a generous deadline)."""
    try:
        pane.wait_text(regex, timeout=20)
        return True
    except TimeoutError:
        return False


def write(path, obj):
    tmp = path + ".new"
    with open(tmp, "w") as fp:
        fp.write(obj if isinstance(obj, str) else json.dumps(obj))
    os.replace(tmp, path)


def ids(arr):
    return sorted(s["id"] if isinstance(s, dict) else s for s in arr)


def reload_and_edits(t, hub, path, cache_env):
    ws = hub.client()
    w = hello(ws, "rawbob")
    v1 = w.get("program_version")
    alice = PlainClient(hub.port, "alice")
    alice.wait_line(r"^\[confab\] connected as ")
    away = PlainClient(hub.port, "away", env=cache_env)
    away.wait_line(r"^\[confab\] connected as ")
    away.send("/quit")
    t.eq(away.wait_exit(), 0, "a client that will be away quits with the program cached")
    # in Tokyo, with /tz local: the announcements follow the times the user chose
    tokyo = PlainClient(hub.port, "tokyo", env={"TZ": "Asia/Tokyo"})
    tokyo.wait_line(r"^\[confab\] connected as ")
    tokyo.send("/tz local")
    tokyo.wait_line(r"^\[tz\] times are shown in your time zone, UTC\+9 ")
    pane = None
    if have_tmux():
        pane = TmuxPane([os.environ["CONFAB"], "--name", "curt", hub.url], cols=110, rows=30,
                        name="curt")
        pane.wait_text(r"online", timeout=30)

    write(path, V2)
    hub.proc.send_signal(signal.SIGHUP)
    ev = ws.wait_type("program.changes")
    t.eq(ev.get("from"), v1, "the event says which version it changes")
    t.eq(ids(ev.get("added", [])), ["panel"], "one session added")
    t.eq(ids(ev.get("removed", [])), ["tools"], "one removed")
    t.eq(ids(ev.get("changed", [])), ["keynote"], "one moved")
    t.ok("by" not in ev, "a reload is nobody's change")
    ws.call("ping", t0=1)   # its pong comes after anything the reload queued
    more, ws.pending = ws.pending, []
    t.ok(not any(m.get("type") in ("program.changes", "program") for m in more),
         "the difference comes as ONE event, not the whole program")
    w2 = hello(hub.client(), "rawcarl")
    t.eq(w2.get("program_version"), ev.get("version"),
         "a new client gets the version the event announced")
    t.eq(ids(w2["program"]["sessions"]), ["chat", "keynote", "panel"],
         "... and the program with the changes")

    alice.saw(t, r'^\[program\] session keynote "Opening keynote": now at 10:15 CEST '
              r'\(was 10:00 CEST\)$', "plain: one line for the moved session")
    alice.saw(t, r'^\[program\] session tools "Tools talk" was removed$',
              "plain: one for the removed one", start=0)
    alice.saw(t, r'^\[program\] new session panel "Late panel", Mon 02 Jun 14:00 CEST$',
              "plain: one for the new one", start=0)
    tokyo.saw(t, r'^\[program\] session keynote "Opening keynote": now at 17:15 JST '
              r'\(UTC\+9\) \(was 17:00 JST \(UTC\+9\)\)$',
              "plain, /tz local: the moved session's times in the user's zone")
    tokyo.saw(t, r'^\[program\] new session panel "Late panel", Mon 02 Jun 21:00 JST '
              r'\(UTC\+9\)$', "plain, /tz local: ... and the new one's", start=0)
    quit_all(t, (tokyo,))

    if pane is not None:
        t.ok(seen(pane, r"program: session keynote"), "curses: the change is announced",
             pane.screen())
        pane.send("F2")
        t.ok(seen(pane, r"!10:15-10:45 +Opening keynote.*\(changed\)"),
             "curses: the schedule marks the moved session", pane.screen())
        t.ok(seen(pane, r"!14:00-15:00 +Late panel.*\(changed\)"),
             "curses: ... and the new one", pane.screen())
        t.ok(re.search(r" 11:00-12:00 +Open chat", pane.screen()) is not None,
             "curses: an unchanged session is not marked", pane.screen())
        pane.kill()
    else:
        t.skip("curses marks changes", "tmux is not installed")

    away = PlainClient(hub.port, "away", env=cache_env)
    away.saw(t, r'^\[program\] session tools "Tools talk" was removed$',
             "a client back with an old cached program is told what changed", start=0)

    # a file that cannot be used keeps the program
    write(path, '{"title": "broken", "sessions": [')
    hub.proc.send_signal(signal.SIGHUP)
    hub.wait_log(r"SIGHUP: .*; keeping the program loaded before")
    w3 = hello(hub.client(), "rawdan")
    t.eq(w3.get("program_version"), ev.get("version"), "a bad file keeps the old program")

    # a changed file is noticed without SIGHUP (the hub looks every second)
    v3 = json.loads(json.dumps(V2))
    v3["sessions"][2]["title"] = "Later panel"
    write(path, v3)
    ev3 = ws.wait_type("program.changes", timeout=30)
    t.eq(ids(ev3.get("changed", [])), ["panel"], "an edited file is reloaded by itself")
    alice.saw(t, r'^\[program\] session panel "Later panel": details changed',
              "plain: a retitled session")
    ws.close()
    return alice, away


def facilitators(t, hub, alice):
    carol = PlainClient(hub.port, "carol", hub.facilitator_args())
    carol.wait_line(r"^\[confab\] connected as ")
    ws = hub.client()
    hello(ws, "rawerin")
    carol.send("/session delay keynote 15m")
    ev = ws.wait_type("program.changes")
    t.eq(ev.get("by"), "carol", "a facilitator's change names her")
    ch = ev.get("changed", [{}])[0]
    t.eq((ch.get("id"), ch.get("delay")), ("keynote", 900000),
         "the session carries its delay")
    alice.saw(t, r'^\[program\] session keynote "Opening keynote": now at 10:30 CEST '
              r'\(was 10:15 CEST\); 15 minutes late \(by carol\)$', "/session delay announced")
    carol.send("/session room keynote Hall B")
    alice.saw(t, r'^\[program\] session keynote "Opening keynote": moved to Hall B '
              r'\(was Hall A\) \(by carol\)$', "/session room announced")
    carol.send("/session live keynote")
    alice.saw(t, r'^\[program\] session keynote "Opening keynote": under way now '
              r'\(by carol\)$', "/session live announced")

    alice.send("/schedule")
    alice.saw(t, r"^\[schedule\] Mon 02 Jun 10:30-11:00 CEST keynote talk: Opening keynote "
              r"\(15 minutes late; under way now\)$", "/schedule says what facilitators said")
    alice.send("/info keynote")
    alice.saw(t, r"^\[info keynote\] Mon 02 Jun 10:30-11:00 CEST, talk \(15 minutes late; "
              r"under way now\)$", "/info too")
    carol.send("/session delay nosuch 15m")
    carol.saw(t, r"^\[error\] .*no session of the program fits.*\(no-such-session\)$",
              "an unknown session is refused")
    carol.send("/session delay keynote soon")
    carol.saw(t, r'^\[error\] bad delay "soon"', "a bad delay is refused")
    alice.send("/session live keynote off")
    alice.saw(t, r"^\[error\] .*\(not-allowed\)$", "an attendee cannot change the program")
    ws.drain()
    ws.close()
    return carol


def persistence(t, data, path, alice, carol):
    """After a restart the live changes are there; a reload keeps those that apply."""
    with Hub(["--program", path, "--data-dir", data]) as hub:
        w = hello(hub.client(), "rawfay")
        k = [s for s in w["program"]["sessions"] if s["id"] == "keynote"][0]
        t.eq((k.get("delay"), k.get("location"), k.get("live")), (900000, "Hall B", True),
             "the live changes are kept across a restart (SQLite)")
        ws = hub.client()
        hello(ws, "rawgus")
        # the organizers move the keynote in the file: its delay no longer applies, the
        # room change and the live mark still do
        v4 = json.loads(json.dumps(V2))
        v4["sessions"][0]["start"] = "2031-06-02T10:20:00+02:00"
        v4["sessions"][0]["end"] = "2031-06-02T10:50:00+02:00"
        write(path, v4)
        hub.proc.send_signal(signal.SIGHUP)
        ev = ws.wait_type("program.changes")
        k = [s for s in ev.get("changed", []) if s["id"] == "keynote"]
        k = k[0] if k else {}
        t.eq((k.get("start"), k.get("delay"), k.get("location"), k.get("live")),
             (1938154800000, None, "Hall B", True),
             "a reload: the file's new time wins over the delay; the other changes stay")
        ws.close()


def test(t):
    tmp = tempfile.mkdtemp(prefix="confabtest-live-")
    path = os.path.join(tmp, "program.json")
    data = os.path.join(tmp, "data")
    write(path, V1)
    cache_env = {"XDG_CACHE_HOME": os.path.join(tmp, "away-cache")}
    with Hub(["--program", path, "--data-dir", data]) as hub:
        alice, away = reload_and_edits(t, hub, path, cache_env)
        carol = facilitators(t, hub, alice)
        quit_all(t, (alice, away, carol))
    persistence(t, data, path, alice, carol)


def main():
    t = TAP()
    need_binaries(t, "CONFABD", "CONFAB")
    t.run(test)
    t.done()


if __name__ == "__main__":
    main()
