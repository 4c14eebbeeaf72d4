#!/usr/bin/env python3
"""Dead links that say nothing (no FIN, no reset: linksim's blackhole): an idle confab finds
out within about a minute (lws's WebSocket PING after 45 s without a sign of life goes
unanswered; the link is dropped 60 s after the last thing received), a confab that just
sent a line finds out sooner (nothing at all came back for 15 s), and both reconnect; the
line typed into the dead link is delivered exactly once. The reasons printed tell which
rule fired; the seconds are printed as diagnostics only (numbers go to bench/). And the
hub's side: it PINGs a silent connection and closes one that answers nothing (90 s and
150 s, shortened here with CONFABD_LIVENESS). TAP."""

import time

from confabtest import (Hub, OP_PING, OP_PONG, PlainClient, TAP, WsClient, WsClosed, hello,
                        need_binaries)
from linksim import LinkSim


def dead_links(t, hub):
    """idle and typer each go through their own simulator; alice watches directly."""
    with LinkSim(hub.port) as sim_idle, LinkSim(hub.port) as sim_typer:
        idle = PlainClient(sim_idle.port, "idle")
        typer = PlainClient(sim_typer.port, "typer")
        alice = PlainClient(hub.port, "alice")
        try:
            idle.saw(t, r"^\[confab\] connected as idle ", "idle connects")
            typer.saw(t, r"^\[confab\] connected as typer ", "typer connects")
            alice.saw(t, r"^\[confab\] connected as alice ", "alice connects")
            typer.send("before the silence")
            alice.saw(t, r"^\[#lobby\] <typer> before the silence$", "the link works")

            # the clock-sync burst after the welcome is answered (hello and 8 pings sent,
            # at least as many messages received): from now on idle sends nothing
            idle.poll(t, "/stats", r"sent .* in 9 messages, received .* in (9|[1-9]\d+) "
                      r"messages", "idle's welcome and ping burst are answered")
            t.eq(sim_idle.blackhole() + sim_typer.blackhole(), 2,
                 "both links go silent (no FIN, no reset)")
            start = time.monotonic()
            typer.send("typed into the void")

            typer.saw(t, r"^\[confab\] connection lost \(no answer from the hub for 15 s\); "
                      r"reconnecting in \d+ s$",
                      "typer drops the link: nothing came back after the line", timeout=60)
            t.diag("typer noticed after %.1f s" % (time.monotonic() - start))
            typer.saw(t, r"^\[confab\] reconnected", "typer reconnects", timeout=60)
            alice.saw(t, r"^\[#lobby\] <typer> typed into the void$",
                      "the line typed into the dead link arrives after the reconnect",
                      timeout=60)
            idle.saw(t, r"^\[confab\] connection lost \(nothing from the hub for 60 s\); "
                     r"reconnecting in \d+ s$",
                     "the idle client drops the link: its PING went unanswered", timeout=300)
            t.diag("idle noticed after %.1f s" % (time.monotonic() - start))
            idle.saw(t, r"^\[confab\] reconnected", "the idle client reconnects", timeout=60)

            alice.send("sync")
            typer.wait_line(r"<alice> sync$", timeout=60)
            idle.wait_line(r"<alice> sync$", timeout=60)
            t.eq(sum(1 for l in alice.lines() if l.endswith("<typer> typed into the void")), 1,
                 "alice got the line exactly once")
            t.eq(sum(1 for l in typer.lines() if l.endswith("<typer> typed into the void")), 1,
                 "typer shows it once")
            typer.send("/who")
            typer.saw(t, r"^\[who #lobby\] 3 people: alice, idle, typer$",
                      "everyone is back under their own name")
            t.ok(not any("connection lost" in l for l in alice.lines()),
                 "alice's healthy link was never dropped")
        finally:
            idle.stop()
            typer.stop()
            alice.stop()


def read_frames(ws, until, deadline, pong):
    """Reads ws's frames (none sent but PONGs, when pong) until until(pings) is true, the
    hub closes it or the deadline passes; returns (PINGs received, closed)."""
    pings = 0
    while time.monotonic() < deadline and not until(pings):
        try:
            _, op, payload = ws._frame(deadline)
        except WsClosed:
            return pings, True
        except TimeoutError:
            break
        if op == OP_PING:
            pings += 1
            if pong:
                ws.send_raw_frame(OP_PONG, payload)
    return pings, False


def hub_liveness(t):
    """A connection silent but for its PONGs stays past the hangup time; one that answers
    nothing is closed after the hangup time, having been sent a PING first."""
    with Hub(["--demo"], env={"CONFABD_LIVENESS": "2,5"}) as hub:
        answers = WsClient(hub.port)
        mute = WsClient(hub.port)
        try:
            t.eq(hello(answers, "answers").get("type"), "welcome", "liveness: answers says hello")
            t.eq(hello(mute, "mute").get("type"), "welcome", "liveness: mute says hello")
            start = time.monotonic()
            # answers says nothing after its hello but PONGs: three PINGs (about 7 s of
            # silence otherwise, past the 5 s hangup) and it is still there
            pings, closed = read_frames(answers, lambda n: n >= 3, start + 60, pong=True)
            t.ok(pings >= 3 and not closed,
                 "liveness: PONGs keep a silent connection open (%d PINGs)" % pings)
            who = answers.call("who", room="lobby")
            t.eq(who.get("type"), "members", "liveness: and it is still served")
            # meanwhile mute, which reads nothing and answers nothing, was closed
            hub.wait_log(r"nothing received from a connection for 5 s: closing it")
            t.ok(True, "liveness: the hub logs that it closed a silent connection")
            pings, closed = read_frames(mute, lambda n: False, start + 60, pong=False)
            t.ok(closed, "liveness: a connection that answers no PING is closed")
            t.ok(pings >= 1, "liveness: it was sent a PING first (%d)" % pings)
            t.ok("mute" not in answers.call("who", room="lobby").get("names", []),
                 "liveness: the closed one has left the lobby")
        finally:
            answers.close()
            mute.close()


def main():
    t = TAP()
    need_binaries(t, "CONFABD", "CONFAB")
    with Hub(["--demo"]) as hub:
        t.run(dead_links, hub)
        t.ok(hub.alive(), "the hub is still running")
        t.eq(hub.stop(), 0, "the hub exits 0 on SIGTERM")
    t.run(hub_liveness)
    t.done()


if __name__ == "__main__":
    main()
