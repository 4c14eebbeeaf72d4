#!/usr/bin/env python3
"""End to end: a real confabd on a free loopback port and three plain-mode confab clients
driven through pipes (two attendees and a facilitator), plus a raw WebSocket client where
the exact wire values matter. Prints TAP."""

import re
import time

from confabtest import quit_all, Hub, PlainClient, WsClient, TAP, hello, need_binaries

PTIM_IDS = ["d1-spec", "d1-pitch", "d1-community", "d2-trust", "d2-open", "d2-lightning",
            "d2-users", "d3-detect", "d3-lightning", "d4-fronting", "d4-lightning", "d4-hard"]


def program_and_chat(t, alice, bob, carol):
    """The program lists all 12 PTIM sessions; chat, /me and /msg reach the right people."""
    alice.send("/schedule")
    alice.saw(t, r"^\[schedule\] 12 sessions$", "/schedule ends with the session count")
    sched = [l for l in alice.lines()
             if l.startswith("[schedule] ") and not l.endswith(" sessions")]
    t.eq(len(sched), 12, "/schedule prints one line per session")
    missing = [i for i in PTIM_IDS if not any((" " + i + " ") in l for l in sched)]
    t.eq(missing, [], "every PTIM session id is listed")

    alice.send("hello from alice")
    for c in (bob, carol):
        c.saw(t, r"^\[#lobby\] <alice> hello from alice$", "chat from alice reaches " + c.name)
    alice.saw(t, r"^\[#lobby\] <alice> hello from alice$", "the sender sees its own line")
    bob.send("/me waves")
    alice.saw(t, r"^\[#lobby\] \* bob waves$", "/me reaches others")

    alice.send("/msg bob psst, only for you")
    bob.saw(t, r"^\[msg from alice\] psst, only for you$", "/msg reaches its recipient")
    alice.saw(t, r"^\[msg to bob\] psst, only for you$", "/msg is echoed to its sender")
    # A sync point: carol sees a line bob sent after the private message was delivered.
    bob.send("sync after msg")
    carol.wait_line(r"<bob> sync after msg$")
    t.ok(not any("psst" in l for l in carol.lines()), "/msg is not seen by a third client")


def breakouts(t, alice, bob, carol):
    """Create, join, occupancy and member lists, part."""
    carol.send("/room create hack 3")
    alice.saw(t, r"^\[rooms\] #hack opened \(breakout, capacity 3\)$",
              "a new breakout is announced")
    alice.send("/join hack")
    alice.saw(t, r"^\[#hack\] you joined #hack \(1 person\)$", "join is confirmed with occupancy")
    bob.send("/join #hack")
    bob.saw(t, r"^\[#hack\] you joined #hack \(2 people\)$", "a second join counts two")
    alice.saw(t, r"^\[#hack\] bob joined$", "members see a join")
    carol.poll(t, "/rooms", r"^\[rooms\] #hack \(breakout\): 2/3 people$",
               "/rooms shows 2/3 after two joins")
    carol.send("/who hack")
    carol.saw(t, r"^\[who #hack\] 2 people: alice, bob$", "/who lists the members")
    alice.send("in the breakout")
    bob.saw(t, r"^\[#hack\] <alice> in the breakout$", "plain text goes to the current room")
    t.ok(not any("in the breakout" in l for l in carol.lines()),
         "a non-member does not get the breakout's chat")
    bob.send("/part")
    bob.saw(t, r"^\[#hack\] you left #hack$", "/part is confirmed")
    alice.saw(t, r"^\[#hack\] bob left$", "members see a part")
    carol.poll(t, "/rooms", r"^\[rooms\] #hack \(breakout\): 1/3 people$",
               "/rooms shows 1/3 after a part")
    bob.send("/who hack")
    bob.saw(t, r"^\[who #hack\] 1 person: alice$", "/who after the part")
    bob.send("after part")
    alice.saw(t, r"^\[#lobby\] <bob> after part$", "after /part the current room is the lobby")


def timers(t, hub, alice, bob, carol):
    """Attendees are refused; a facilitator's timer reaches everyone with the right deadline."""
    bob.send("/timer start 5m")
    bob.saw(t, r"^\[error\] .*\(not-allowed\)$", "an attendee's /timer start is refused")
    bob.send("/room close hack")
    bob.saw(t, r"^\[error\] .*\(not-allowed\)$", "an attendee's /room close is refused")

    with WsClient(hub.port) as raw:
        w = hello(raw, "rawwatcher")
        t.eq(w.get("type"), "welcome", "a raw client joins")
        carol.send("/timer start 2m Pitch 1")
        for c in (alice, bob):
            c.saw(t, r"^\[timer main\] started by carol: Pitch 1, 2:00 left$",
                  "the timer start reaches %s with 2:00 left" % c.name)
        ev = raw.wait_for(lambda m: m.get("type") == "timer"
                          and m["timer"]["state"] == "running")
        tm = ev["timer"]
        t.eq(tm["deadline"] - tm["started"], 120000, "on the wire: deadline = start + 2 min")
        t.ok(0 <= ev["now"] - tm["started"] < 10000,
             "the event's hub time is the time it was sent (%d ms after the start)"
             % (ev["now"] - tm["started"]))
        t.ok(abs(ev["now"] - time.time() * 1000) < 10000, "hub time is a UTC instant in ms")
        alice.send("/timer")
        m = alice.saw(t, r"^\[timer main\] running: Pitch 1, (\d):(\d\d) left$",
                      "/timer shows the running timer")
        left = int(m.group(1)) * 60 + int(m.group(2)) if m else -1
        t.ok(90 <= left <= 120, "/timer shows the remaining time (%d s)" % left)
        carol.send("/timer pause")
        bob.saw(t, r"^\[timer main\] paused by carol at [012]:\d\d left$", "pause reaches attendees")
        carol.send("/timer resume")
        bob.saw(t, r"^\[timer main\] resumed by carol: [012]:\d\d left$", "resume reaches attendees")
        carol.send("/timer reset")
        bob.saw(t, r"^\[timer main\] reset by carol$", "reset reaches attendees")


def closing_and_safety(t, alice, bob, carol):
    """Closing a breakout returns its members to the lobby; hostile text is neutralised."""
    carol.send("/room close hack")
    alice.saw(t, r"^\[#hack\] closed by carol; you are back in #lobby$",
              "closing a room tells its members")
    alice.send("back in lobby")
    bob.saw(t, r"^\[#lobby\] <alice> back in lobby$", "members of a closed room talk in the lobby")

    bob.send("evil \x1b]0;pwned\x07 \u202etxt.exe \u009b31m")
    m = alice.saw(t, r"^\[#lobby\] <bob> evil ", "hostile text is delivered")
    line = m.string if m else ""
    t.ok(m is not None and not re.search("[\x00-\x1f\x7f\u0080-\u009f\u202a-\u202e]", line),
         "no control characters or bidi overrides reach the output")
    t.ok("^[" in line and "<U+202E>" in line and "<U+009B>" in line,
         "they are shown visibly: %r" % line)


def main():
    t = TAP()
    need_binaries(t, "CONFABD", "CONFAB")
    with Hub(["--demo"]) as hub:
        alice = PlainClient(hub.port, "alice")
        bob = PlainClient(hub.port, "bob")
        carol = PlainClient(hub.port, "carol", hub.facilitator_args())
        clients = (alice, bob, carol)
        try:
            for c in (alice, bob):
                c.saw(t, r"^\[confab\] connected as %s \(attendee\)$" % c.name,
                      "%s connects as an attendee" % c.name)
            carol.saw(t, r"^\[confab\] connected as carol \(facilitator\)$",
                      "the facilitator token gives carol the facilitator role")
            for part in (program_and_chat, breakouts):
                t.run(part, alice, bob, carol)
            t.run(timers, hub, alice, bob, carol)
            t.run(closing_and_safety, alice, bob, carol)
            quit_all(t, clients)
        finally:
            for c in clients:
                c.stop()
        t.ok(hub.alive(), "the hub is still running")
    t.done()


if __name__ == "__main__":
    main()
