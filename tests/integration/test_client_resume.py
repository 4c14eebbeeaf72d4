#!/usr/bin/env python3
"""Lossless resume from the client's side, with a real confabd and real plain clients. TAP.
(The storm of 100 cuts is in test_resume_storm.py.)

* restart: the hub restarts (in-memory store, so a new epoch): clients say plainly that
  what was said meanwhile cannot be recovered, instead of a silent gap.
* cache: a client started again with the same cache directory is not sent the program
  again (fewer bytes in /stats), and one started while the hub is down shows the cached
  program marked as not live.
"""

import os
import re
import tempfile

from confabtest import Hub, PlainClient, TAP, check_restart, need_binaries


def restart(t):
    """A hub restart: a clean "not recoverable" notice, then the new hub's lines."""
    hubs = [Hub(["--demo"])]
    port = hubs[0].port
    a = PlainClient(port, "dana")
    b = PlainClient(port, "eve")
    try:
        a.wait_line(r"^\[confab\] connected as dana")
        b.wait_line(r"^\[confab\] connected as eve")
        a.send("before the restart")
        b.saw(t, r"^\[#lobby\] <dana> before the restart$", "eve hears dana")
        hubs[0].stop()
        check_restart(t, a, b, "before the restart",
                      lambda: hubs.append(Hub(["--listen", "127.0.0.1:%d" % port, "--demo"])))
    finally:
        a.stop()
        b.stop()
        for h in hubs:
            h.kill()


def history(t):
    """/history loads older lines as a block, each line standing alone, up to the start."""
    with Hub(["--demo"]) as hub:
        a = PlainClient(hub.port, "gina")
        b = None
        try:
            a.wait_line(r"^\[confab\] connected as gina")
            for i in range(40):
                a.send("old line %02d" % i)
            a.wait_line(r"<gina> old line 39$")
            b = PlainClient(hub.port, "hal")
            b.wait_line(r"^\[confab\] connected as hal")
            b.wait_line(r"<gina> old line 39$")
            shown = [l for l in b.lines() if "<gina> old line" in l]
            t.ok(0 < len(shown) < 40, "a newcomer gets only the recent lines (%d)" % len(shown))
            first = int(re.search(r"old line (\d+)", shown[0]).group(1))
            b.send("/history 10")
            b.saw(t, r"^\[#lobby\] 10 earlier lines:$", "/history 10 announces 10 earlier lines")
            for i in range(first - 10, first):
                b.saw(t, r"^\[#lobby\] \(earlier, \d\d:\d\d\) <gina> old line %02d$" % i,
                      "earlier line %02d stands alone, with its time" % i)
            b.send("/history 100")
            b.saw(t, r"^\[#lobby\] %d earlier lines?:$" % (first - 10),
                  "/history 100 brings the rest")
            b.saw(t, r"^\[#lobby\] \(earlier, \d\d:\d\d\) <gina> old line 00$",
                  "back to the first line")
            b.saw(t, r"^\[#lobby\] no earlier lines: this is the start",
                  "and says that this is the start")
            b.send("/history")
            b.saw(t, r"^\[#lobby\] no earlier lines: this is the start",
                  "asking again says so at once")
            t.eq(sum(1 for l in b.lines() if l.endswith("<gina> old line 05")), 1,
                 "each older line is shown once")
        finally:
            a.stop()
            if b is not None:
                b.stop()


def stats_rx(client):
    """Bytes received, from the client's /stats line."""
    client.send("/stats")
    m = client.wait_line(r"^\[stats\] sent .* received ([\d.]+) (B|KB|MB) in ")
    scale = {"B": 1, "KB": 1024, "MB": 1024 * 1024}[m.group(2)]
    return float(m.group(1)) * scale


def cache(t):
    """Warm join with the program cache, then a start with the hub down."""
    cache_home = tempfile.mkdtemp(prefix="confabtest-cache-")
    env = {"XDG_CACHE_HOME": cache_home}
    hub = Hub(["--demo"])
    try:
        cold = PlainClient(hub.port, "frank", env=env)
        cold.wait_line(r"^\[confab\] connected as frank")
        cold_rx = stats_rx(cold)
        cold.send("/quit")
        t.eq(cold.wait_exit(), 0, "the first client exits 0")
        cdir = os.path.join(cache_home, "confab")
        files = os.listdir(cdir) if os.path.isdir(cdir) else []
        t.eq(files, ["program-127.0.0.1-%d.json" % hub.port],
             "the program is cached per hub under $XDG_CACHE_HOME/confab")
        size = os.path.getsize(os.path.join(cdir, files[0])) if files else 0
        t.eq(os.stat(cdir).st_mode & 0o777, 0o700, "the cache directory is private")
        if files:
            t.eq(os.stat(os.path.join(cdir, files[0])).st_mode & 0o777, 0o600,
                 "the cache file is private")

        warm = PlainClient(hub.port, "frank", env=env)
        warm.saw(t, r"^\[schedule\] showing the program saved from the last visit",
                 "a second start shows the cached program at once")
        warm.wait_line(r"^\[confab\] connected as frank")
        warm_rx = stats_rx(warm)
        t.ok(warm_rx + size * 0.8 < cold_rx,
             "the warm join is not sent the program again (%d B received warm, %d B cold, "
             "program %d B)" % (warm_rx, cold_rx, size))
        warm.send("/schedule 1")
        warm.wait_line(r"^\[schedule\] day 1 of ")
        t.ok(not any("saved copy" in l for l in warm.lines()),
             "once the hub confirmed it, the cached program is live")
        warm.send("/quit")
        t.eq(warm.wait_exit(), 0, "the second client exits 0")
        port = hub.port
        hub.stop()

        offline = PlainClient(port, "frank", env=env)
        offline.saw(t, r"^\[schedule\] showing the program saved from the last visit: not "
                    r"live", "started with the hub down, the cached program is shown")
        offline.saw(t, r"^\[confab\] cannot connect", "and the hub is not reachable")
        offline.send("/schedule 1")
        # The demo runs live, so its weekday is today's: match any date, and check that
        # the saved program keeps the event's first day whole (3 sessions) at any hour.
        offline.saw(t, r"^\[schedule\] \w+ \d\d \w+ \d\d:\d\d-\d\d:\d\d \S+ d1-spec ",
                    "/schedule works offline")
        offline.saw(t, r"^\[schedule\] day 1 of 4: 3 sessions$",
                    "day 1 of the saved program holds its 3 sessions")
        offline.saw(t, r"^\[schedule\] this is the saved copy, not live",
                    "the schedule says it is the saved copy, not live")
        offline.send("/now")
        offline.saw(t, r"^\[now\] .*\(saved copy, not live\)$|^\[now\] nothing is on now "
                    r"\(saved copy, not live\)$", "/now too")
        offline.stop()
    finally:
        hub.kill()


def main():
    t = TAP()
    need_binaries(t, "CONFABD", "CONFAB")
    t.run(restart)
    t.run(history)
    t.run(cache)
    t.done()


if __name__ == "__main__":
    main()
