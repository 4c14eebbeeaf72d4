#!/usr/bin/env python3
"""Lineup and breakout durations end to end: a facilitator and two attendees in plain mode.
A three-item lineup (short --duration items) is built and run with /lineup next; both
attendees see every change in order. A 3-second breakout closes by itself and sends its
members back to the lobby, with no "closes in" line (it is shorter than a minute). A raw
client checks the wire (welcome lineup, lineup-end, bad index). Prints TAP."""

import os
import re
import subprocess

from confabtest import quit_all, Hub, PlainClient, WsClient, TAP, hello, need_binaries

ORDER = [
    r"^\[lineup\] carol added 1\. Alpha \(Ann, talk\)$",
    r"^\[lineup\] carol added 2\. Beta \(Ben, pitch\)$",
    r"^\[lineup\] carol added 3\. Gamma \(talk\)$",
    r"^\[lineup\] carol removed 3\. Gamma \(talk\)$",
    r"^\[lineup\] carol added 3\. Delta \(Dee, pitch\)$",
    r"^\[lineup\] now speaking: Ann: Alpha \(0:03\)$",
    r"^\[lineup\] now speaking: Ben: Beta \(0:02\)$",
    r"^\[lineup\] now speaking: Dee: Delta \(0:02\)$",
]


def build_and_run(t, bob, dave, carol):
    """Every lineup change reaches both attendees, in order."""
    bob.send("/lineup")
    bob.saw(t, r"^\[lineup\] 5\. .* \(Speaker 5, pitch\)$", "the demo comes with a lineup")
    for _ in range(5):
        carol.send("/lineup remove 1")
    bob.saw(t, r"^\[lineup\] carol removed 1\. .* \(Speaker 5, pitch\)$",
            "the facilitator empties the sample lineup")
    carol.send("/lineup add Alpha --speaker Ann --duration 3s")
    carol.send("/lineup add Beta --speaker Ben --kind pitch --duration 2s")
    carol.send("/lineup add Gamma")
    carol.send("/lineup remove 3")
    carol.send("/lineup add Delta --speaker Dee --kind pitch --duration 2s")
    for who in (bob, dave):
        who.saw(t, ORDER[4], "%s sees the lineup built" % who.name)
    bob.send("/lineup")
    bob.saw(t, r"^\[lineup\] 3\. Delta \(Dee, pitch\)$", "/lineup lists the items")
    bob.saw(t, r"^\[lineup\] up next: Alpha \(Ann, talk\)$", "/lineup says who is up next")
    bob.send("/lineup next")
    bob.saw(t, r"^\[error\] .*\(not-allowed\)$", "an attendee cannot run the lineup")
    for _ in range(3):
        carol.send("/lineup next")
    for who in (bob, dave):
        who.saw(t, ORDER[-1], "%s sees the last speaker" % who.name)
        who.saw(t, r"^\[timer main\] started by carol: Dee: Delta, 0:0\d left$",
                "%s sees the main timer start for the item" % who.name)
    carol.send("/lineup next")
    carol.saw(t, r"^\[error\] .*\(lineup-end\)$", "next after the last item: lineup-end")
    for who in (bob, dave):
        lines = who.lines()
        lines = lines[max(i for i, l in enumerate(lines) if "Speaker 5, pitch)" in l):]
        idx = []
        for regex in ORDER:
            hits = [i for i, l in enumerate(lines) if re.search(regex, l)]
            idx.append(hits[0] if len(hits) == 1 else -1)
        t.ok(-1 not in idx and idx == sorted(idx),
             "%s saw each transition once, in order (%r)" % (who.name, idx))
    bob.send("/lineup")
    bob.saw(t, r"^\[lineup\] 3\. Delta \(Dee, pitch\) \(now\)$", "the current item is marked")


def breakout(t, bob, dave, carol):
    """A 3-second breakout closes by itself; its members go back to the lobby."""
    carol.send("/room create hack --seconds 3")
    bob.saw(t, r"^\[rooms\] #hack opened", "the breakout is announced")
    bob.send("/join hack")
    bob.saw(t, r"^\[#hack\] ", "bob joins the breakout")
    bob.send("/rooms")
    bob.saw(t, r"^\[rooms\] #hack \(.*closes in 1 min.*\)", "/rooms shows the end")
    bob.send("hello hack")
    bob.saw(t, r"^\[#hack\] closed; you are back in #lobby$",
            "the hub closes the room at its end", timeout=30)
    t.ok(not any(re.search(r"closes in \d", l) for l in bob.lines()
                 if l.startswith("[#hack]")),
         "no 'closes in' line for a room shorter than a minute")
    bob.send("in the lobby again")
    dave.saw(t, r"in the lobby again", "bob talks in the lobby after the close")


def wire(t, hub):
    """welcome carries the lineup; errors for a bad index and room.expire."""
    with WsClient(hub.port) as raw:
        w = hello(raw, "rawfac", token=hub.token)
        lu = w.get("lineup", {})
        t.eq((len(lu.get("items", [])), lu.get("current")), (3, 2),
             "welcome carries the lineup and its current item")
        rep = raw.call("lineup.remove", index=7)
        t.eq((rep.get("type"), rep.get("code")), ("error", "bad-field"),
             "an index out of range is a bad field")
        rep = raw.call("lineup.move", **{"from": 2, "to": 0})
        t.eq(rep.get("type"), "ok", "lineup.move is accepted")
        ev = raw.wait_type("lineup")
        t.eq((ev["items"][0]["title"], ev["current"], ev.get("stream")),
             ("Delta", 0, "lineup"), "the current item moves with its item")
        rep = raw.call("room.create", room="later", minutes=5)
        t.eq(rep.get("type"), "ok", "room.create with minutes")
        ev = raw.wait_for(lambda m: m.get("type") == "rooms" and
                          any(r["id"] == "later" for r in m["rooms"]))
        r = [r for r in ev["rooms"] if r["id"] == "later"][0]
        t.ok(abs(r.get("closes_at", 0) - ev.get("now", r.get("closes_at", 0))) >= 0
             and "closes_at" in r, "the room object carries closes_at")
        rep = raw.call("room.expire", room="later", minutes=0)
        t.eq(rep.get("type"), "ok", "room.expire 0 removes the end")
        rep = raw.call("room.expire", room="nope", minutes=1)
        t.eq((rep.get("type"), rep.get("code")), ("error", "no-such-room"),
             "room.expire of an unknown room")


def demo_lineup(t):
    """confab --demo (the hub embedded in the client) comes with the sample lineup, and its
    user, a facilitator, can run it."""
    p = subprocess.run([os.environ["CONFAB"], "--demo", "--name", "demo"],
                       input=b"/lineup\n/lineup next\n", capture_output=True, timeout=60)
    out = p.stdout.decode("utf-8", "replace").splitlines()
    items = [l for l in out if re.match(r"^\[lineup\] \d+\. ", l)]
    t.eq(p.returncode, 0, "confab --demo exits 0 at the end of its input")
    t.ok(len(items) >= 3, "the demo's lineup has sample items (%d)" % len(items))
    t.ok(any(l.startswith("[lineup] now speaking: ") for l in out),
         "the demo user can start the first item with /lineup next")


def main():
    t = TAP()
    need_binaries(t, "CONFABD", "CONFAB")
    with Hub() as hub:
        bob = PlainClient(hub.port, "bob")
        dave = PlainClient(hub.port, "dave")
        carol = PlainClient(hub.port, "carol", hub.facilitator_args())
        clients = (bob, dave, carol)
        try:
            for c in clients:
                c.saw(t, r"^\[confab\] connected as %s " % c.name, "%s connects" % c.name)
            t.run(build_and_run, bob, dave, carol)
            t.run(breakout, bob, dave, carol)
            t.run(wire, hub)
            t.run(demo_lineup)
            quit_all(t, clients)
        finally:
            for c in clients:
                c.stop()
        t.ok(hub.alive(), "the hub is still running")
    t.done()


if __name__ == "__main__":
    main()
