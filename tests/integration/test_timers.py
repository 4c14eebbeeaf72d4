#!/usr/bin/env python3
"""Timer controls end to end: a facilitator and an attendee in plain mode. Milestones are
announced once each and in order (warning, danger, 0:10, time is up); adjust, stop and a
room's timer reach the attendee; attendees are refused; a raw client checks the wire
(thresholds in the timer object, an adjust moves the deadline by exactly its delta).
Prints TAP."""

import re

from confabtest import quit_all, Hub, PlainClient, WsClient, TAP, hello, need_binaries

MILESTONES = [
    (r"^\[timer main\] Quick: 0:12 left$", "the warning (0:12)"),
    (r"^\[timer main\] Quick: 0:11 left$", "the danger threshold (0:11)"),
    (r"^\[timer main\] Quick: 0:10 left$", "0:10 left"),
    (r"^\[timer main\] Quick: time is up$", "time is up"),
]


def milestones(t, bob, carol):
    """A short timer: each milestone line comes once, in order."""
    carol.send("/timer start 0:14 Quick --warn 0:12 --danger 0:11")
    bob.saw(t, r"^\[timer main\] started by carol: Quick, 0:1[34] left$",
            "the attendee sees the start")
    for regex, name in MILESTONES:
        bob.saw(t, regex, "the attendee hears " + name, timeout=60)
    lines = bob.lines()
    idx = []
    for regex, name in MILESTONES:
        hits = [i for i, l in enumerate(lines) if re.search(regex, l)]
        t.eq(len(hits), 1, "%s is announced exactly once" % name)
        idx.append(hits[0] if hits else -1)
    t.ok(idx == sorted(idx) and -1 not in idx, "milestones come in order (%r)" % idx)
    t.ok(not any(re.search(r"^\[timer main\] Quick: 0:0\d left$", l) for l in lines),
         "no line per second")


def adjust_and_stop(t, bob, carol):
    """+30, -30 and stop reach the attendee; an attendee may not change the timer."""
    carol.send("/timer start 2m Pitch 1")
    bob.saw(t, r"^\[timer main\] started by carol: Pitch 1, [12]:\d\d left$",
            "a new timer starts")
    carol.send("/timer +30")
    bob.saw(t, r"^\[timer main\] carol added 0:30: 2:[0-3]\d left$", "/timer +30 reaches")
    carol.send("/timer -30")
    bob.saw(t, r"^\[timer main\] carol took off 0:30: [12]:\d\d left$", "/timer -30 reaches")
    bob.send("/timer +30")
    bob.saw(t, r"^\[error\] .*\(not-allowed\)$", "an attendee's /timer +30 is refused")
    bob.send("/timer stop")
    bob.saw(t, r"^\[error\] .*\(not-allowed\)$", "an attendee's /timer stop is refused")
    carol.send("/timer stop")
    bob.saw(t, r"^\[timer main\] stopped by carol$", "/timer stop reaches")
    bob.send("/timer")
    bob.saw(t, r"^\[timer\] no timer is running$", "after stop no timer runs")
    carol.send("/timer stop")
    carol.saw(t, r"^\[error\] .*\(timer-state\)$", "stopping an idle timer is refused")


def room_timer(t, bob, carol):
    """A room's timer is announced with the room's name."""
    carol.send("/room create hack")
    bob.saw(t, r"^\[rooms\] #hack opened", "the room is announced")
    carol.send("/timer start 1m Hack --room hack")
    bob.saw(t, r"^\[timer hack\] started by carol: Hack, [01]:\d\d left$",
            "a room-scoped timer is announced as [timer hack]")
    carol.send("/timer -10 --room #hack")
    bob.saw(t, r"^\[timer hack\] carol took off 0:10: 0:[45]\d left$",
            "adjusting the room's timer")
    carol.send("/timer stop --room hack")
    bob.saw(t, r"^\[timer hack\] stopped by carol$", "stopping the room's timer")


def wire(t, hub):
    """The timer object carries the thresholds; adjust moves the deadline by delta."""
    with WsClient(hub.port) as raw:
        w = hello(raw, "rawfac", token=hub.token)
        t.eq(w.get("role"), "facilitator", "a raw facilitator joins")
        t.ok(all("warn_ms" in tm and "danger_ms" in tm for tm in w.get("timers", [])),
             "welcome timers carry warn_ms and danger_ms")
        rep = raw.call("timer.start", duration_ms=90000, label="Wire", warn_ms=20000,
                       danger_ms=5000)
        t.eq(rep.get("type"), "ok", "timer.start with thresholds is accepted")
        ev = raw.wait_for(lambda m: m.get("type") == "timer" and
                          m["timer"].get("label") == "Wire")
        tm = ev["timer"]
        t.eq((tm.get("warn_ms"), tm.get("danger_ms")), (20000, 5000),
             "the timer object has warn_ms and danger_ms")
        rep = raw.call("timer.adjust", delta_ms=15000)
        t.eq(rep.get("type"), "ok", "timer.adjust is accepted")
        ev2 = raw.wait_for(lambda m: m.get("type") == "timer" and
                           m["timer"]["rev"] > tm["rev"])
        tm2 = ev2["timer"]
        t.eq(tm2["deadline"] - tm["deadline"], 15000, "the deadline moved by exactly delta")
        t.eq(tm2["rev"], tm["rev"] + 1, "rev increased by one")
        t.eq(tm2.get("by"), "rawfac", "by names who adjusted")
        rep = raw.call("timer.adjust", delta_ms=0)
        t.eq((rep.get("type"), rep.get("code")), ("error", "bad-field"),
             "a zero delta is a bad field")
        rep = raw.call("timer.start", duration_ms=1000, warn_ms=-1)
        t.eq((rep.get("type"), rep.get("code")), ("error", "bad-field"),
             "a negative threshold is a bad field")
        rep = raw.call("timer.stop")
        t.eq(rep.get("type"), "ok", "timer.stop is accepted")
        ev3 = raw.wait_for(lambda m: m.get("type") == "timer" and
                           m["timer"]["state"] == "idle")
        t.eq((ev3["timer"]["label"], ev3["timer"]["duration_ms"]), ("", 0),
             "a stopped timer is cleared")
        rep = raw.call("timer.adjust", delta_ms=1000)
        t.eq((rep.get("type"), rep.get("code")), ("error", "timer-state"),
             "adjusting an idle timer is a timer-state error")


def main():
    t = TAP()
    need_binaries(t, "CONFABD", "CONFAB")
    with Hub() as hub:
        bob = PlainClient(hub.port, "bob")
        carol = PlainClient(hub.port, "carol", hub.facilitator_args())
        clients = (bob, carol)
        try:
            bob.saw(t, r"^\[confab\] connected as bob \(attendee\)$", "bob connects")
            carol.saw(t, r"^\[confab\] connected as carol \(facilitator\)$",
                      "carol connects as a facilitator")
            t.run(milestones, bob, carol)
            t.run(adjust_and_stop, bob, carol)
            t.run(room_timer, bob, carol)
            t.run(wire, hub)
            quit_all(t, clients)
        finally:
            for c in clients:
                c.stop()
        t.ok(hub.alive(), "the hub is still running")
    t.done()


if __name__ == "__main__":
    main()
