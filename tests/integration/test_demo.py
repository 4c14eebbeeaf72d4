#!/usr/bin/env python3
"""confab --demo shows the whole product in seconds: the embedded hub's bots (a
facilitator bot that runs the lineup, attendees who chat and wander between rooms) are
lively and deterministic under --demo-seed, and absent with --demo=quiet. Also here,
because the demo's program is shifted to the current hour: plain mode honours the
config's time and clock and /tz and /clock (local times name their offset). Prints TAP."""

import os
import re
import tempfile

from confabtest import Hub, PlainClient, TAP, need_binaries

BOT_LINE = re.compile(r"^\[#lobby\] <(\w+\.bot)> (.+)$")


def demo(home, name, args, config="", tz="UTC"):
    """confab --plain with the demo (args: the --demo options) and a config of its own."""
    cfg = os.path.join(home, "config-" + name)
    os.makedirs(os.path.join(cfg, "confab"), exist_ok=True)
    with open(os.path.join(cfg, "confab", "config"), "w") as fp:
        fp.write(config)
    return PlainClient("--demo", name, extra_args=args,
                       env={"XDG_CONFIG_HOME": cfg, "TZ": tz}, tmpdir=None)


def bot_lines(c, n):
    """Waits for the first n lobby lines of bots; returns them as (name, text)."""
    got = []
    i = 0
    while len(got) < n:
        m = c.wait_line(BOT_LINE.pattern, timeout=30)
        got.append((m.group(1), m.group(2)))
        i += 1
    return got


def test_lively(t, home):
    """Within seconds: the pitch timer runs, the next talk is queued, a breakout opens,
    bots chat in the lobby and in rooms, join them and leave; the same seed gives the same
    lines."""
    c = demo(home, "tester", ["--demo-seed", "42"])
    try:
        c.saw(t, r"^\[timer main\] started by host\.bot: Speaker 4: A pluggable transport "
              r"over video calls, 2:00 left$", "a pitch timer is running when you arrive",
              timeout=30)
        c.send("/join d2-open")
        c.send("/lineup")
        c.saw(t, r"^\[lineup\] up next: Domain fronting after the CDN crackdown \(Speaker 1, "
              r"talk\)$", "the next talk is queued", start=0)
        c.saw(t, r"^\[rooms\] #hack opened \(breakout, capacity 8\)$",
              "the facilitator bot opened a breakout", start=0)
        c.send("/join hack")
        first = bot_lines(c, 3)
        t.ok(len(first) == 3, "bots chat in the lobby", first)
        c.poll(t, "/who d2-open", r"^\[who #d2-open\] [1-9]\d* (person|people): .*\.bot",
               "bots are in the open discussion")
        c.saw(t, r"^\[#(d2-open|hack)\] <\w+\.bot> ", "bots chat in the open discussion "
              "and the breakout", start=0, timeout=60)
        c.saw(t, r"^\[#(d2-open|hack)\] \w+\.bot joined$", "bots join them", start=0,
              timeout=60)
        c.saw(t, r"^\[#(d2-open|hack)\] \w+\.bot left$", "and leave them", start=0,
              timeout=90)
        c.send("/quit")
        t.eq(c.wait_exit(), 0, "the demo quits with 0")
    finally:
        c.stop()
    c = demo(home, "tester2", ["--demo-seed", "42"])
    try:
        again = bot_lines(c, 3)
        t.eq(again, first, "the same seed: the same bots say the same lines in order")
        c.send("/quit")
        c.wait_exit()
    finally:
        c.stop()


def test_quiet(t, home):
    """--demo=quiet: the hub and its program, nobody else."""
    c = demo(home, "alone", ["--demo=quiet"])
    try:
        c.wait_line(r"^\[confab\] connected as alone")
        c.send("/who")
        c.saw(t, r"^\[who #lobby\] 1 person: alone$", "--demo=quiet has no bots")
        c.send("/timer")
        c.saw(t, r"^\[timer\] no timer is running$", "and no timer runs")
        c.send("/quit")
        c.wait_exit()
        t.ok(not any(".bot" in l for l in c.lines()), "no bot ever speaks", c.lines())
    finally:
        c.stop()


def test_times(t, home):
    """time = local and clock = 12h in the config; /tz and /clock switch (Asia/Tokyo)."""
    c = demo(home, "tokyo", ["--demo=quiet"], config="time = local\nclock = 12h\n",
             tz="Asia/Tokyo")
    try:
        c.wait_line(r"^\[confab\] connected as tokyo")
        c.send("/now")
        c.saw(t, r"^\[now\] \d\d:\d\d [AP]M-\d\d:\d\d [AP]M JST \(UTC\+9\) d1-spec ",
              "plain /now honours time = local and clock = 12h, naming the offset")
        c.send("/tz event")
        c.saw(t, r"^\[tz\] times are shown in the conference's time zone, America/New_York",
              "/tz event says so")
        c.send("/clock 24h")
        c.saw(t, r"^\[clock\] times are shown on a 24-hour clock", "/clock 24h says so")
        c.send("/now")
        c.saw(t, r"^\[now\] \d\d:\d\d-\d\d:\d\d E[SD]T d1-spec ",
              "/now in the conference's zone on a 24-hour clock")
        c.send("/schedule 1")
        c.saw(t, r"^\[schedule\] \w{3} \d\d \w{3} \d\d:\d\d-\d\d:\d\d E[SD]T d1-spec ",
              "/schedule follows too")
        c.send("/tz local")
        c.saw(t, r"^\[tz\] times are shown in your time zone, UTC\+9 ", "/tz local")
        c.send("/next")
        c.saw(t, r"^\[next\] \d\d:\d\d-\d\d:\d\d JST \(UTC\+9\) ", "/next in local time")
        c.send("/quit")
        c.wait_exit()
    finally:
        c.stop()


def test_confabd_bots(t, home):
    """confabd --demo --demo-seed N: the same bots on a standalone hub."""
    with Hub(args=["--demo", "--demo-seed", "9"]) as hub:
        c = PlainClient(hub.port, "guest1", env={"XDG_CONFIG_HOME": os.path.join(home, "x")})
        try:
            c.wait_line(r"^\[confab\] connected as guest1")
            c.saw(t, BOT_LINE.pattern, "confabd --demo-seed brings the bots", timeout=30)
            c.send("/timer")
            c.saw(t, r"^\[timer main\] running: Speaker 4: ", "and the pitch timer")
            c.send("/quit")
            c.wait_exit()
        finally:
            c.stop()
    with Hub(args=["--demo"]) as hub:
        c = PlainClient(hub.port, "guest2", env={"XDG_CONFIG_HOME": os.path.join(home, "x")})
        try:
            c.wait_line(r"^\[confab\] connected as guest2")
            c.send("/who")
            c.saw(t, r"^\[who #lobby\] 1 person: guest2$", "confabd --demo alone has no bots")
            c.send("/quit")
            c.wait_exit()
        finally:
            c.stop()


def main():
    t = TAP()
    need_binaries(t, "CONFAB", "CONFABD")
    home = tempfile.mkdtemp(prefix="confabtest-demo-")
    t.run(test_lively, home)
    t.run(test_quiet, home)
    t.run(test_times, home)
    t.run(test_confabd_bots, home)
    t.done()


if __name__ == "__main__":
    main()
