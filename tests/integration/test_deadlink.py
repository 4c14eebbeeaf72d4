#!/usr/bin/env python3
"""Dead links that say nothing (no FIN, no reset: linksim's blackhole): an idle confab finds
out within about a minute (lws's WebSocket PING after 45 s without a sign of life goes
unanswered; the link is dropped 60 s after the last thing received), a confab that just
sent a line finds out sooner (nothing at all came back for 15 s), and both reconnect; the
line typed into the dead link is delivered exactly once. The reasons printed tell which
rule fired; the seconds are printed as diagnostics only (numbers go to bench/). TAP."""

import time

from confabtest import Hub, PlainClient, TAP, need_binaries
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


def main():
    t = TAP()
    need_binaries(t, "CONFABD", "CONFAB")
    with Hub(["--demo"]) as hub:
        t.run(dead_links, hub)
        t.ok(hub.alive(), "the hub is still running")
        t.eq(hub.stop(), 0, "the hub exits 0 on SIGTERM")
    t.done()


if __name__ == "__main__":
    main()
