#!/usr/bin/env python3
"""reload.py: what a program reload costs (issue 12, live changes).

Not a test: it prints a Markdown table for bench/RESULTS.md. A real confabd serves a
generated program of --sessions sessions (confab's JSON format, fixed seed) on 127.0.0.1;
--clients raw WebSocket clients (tests/lib/confabtest.py, no compression) say hello. Then
the file is rewritten with K sessions changed (moved by 15 minutes), K/10 removed and K/10
added, and the hub gets SIGHUP. Measured, for each K in --changes:
  * bytes of the one event every client gets (the ws payload: JSON text), against the
    whole program's wire form (what a welcome carries);
  * time from SIGHUP to the last client having its event (p50 of --runs runs; each run
    reloads the other way, so the change count stays the same).

Usage: bench/reload.py [--confabd PATH] [--sessions 2000] [--clients 200]
                       [--changes 1,10,100,1000] [--runs 3]
"""

import argparse
import json
import os
import random
import signal
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "lib"))

from confabtest import Hub, hello  # noqa: E402

T0 = 1938153600000  # 2031-06-02T08:00:00Z


def sessions(n, rng):
    out = []
    for i in range(n):
        start = T0 + (i // 20) * 1800 * 1000
        out.append({"id": "s%d" % i, "title": "Session %d about %s" % (i, rng.choice(
            ["tor", "bridges", "censorship", "measurement", "usability"])),
            "kind": "talk", "start": start, "end": start + 1800 * 1000,
            "description": "An abstract of some length. " * rng.randint(2, 12),
            "speakers": ["Speaker %d" % rng.randint(1, 500)],
            "location": "Hall %d" % (i % 20)})
    return out


def edited(base, k, flip):
    """base with k sessions moved, k/10 removed and k/10 added (flip: the other way)."""
    out = [dict(s) for s in base]
    for s in out[:k]:
        delta = 900000 if flip else 0
        s["start"] += delta
        s["end"] += delta
    drop = max(1, k // 10)
    if flip:
        out = out[:len(out) - drop] + [dict(out[0], id="new%d" % i) for i in range(drop)]
    return out


def write(path, sess):
    tmp = path + ".new"
    with open(tmp, "w") as fp:
        json.dump({"title": "Bench", "timezone": "Europe/Berlin", "sessions": sess}, fp)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--confabd", default=os.environ.get("CONFABD",
                    os.path.join(HERE, "..", "build", "confabd")))
    ap.add_argument("--sessions", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--changes", default="1,10,100,1000")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    rng = random.Random(12)
    base = sessions(a.sessions, rng)
    tmp = tempfile.mkdtemp(prefix="confab-bench-reload-")
    path = os.path.join(tmp, "program.json")
    write(path, base)
    print("| changes (moved + removed + added) | event bytes | whole program bytes "
          "| SIGHUP to last client, p50 |")
    print("|---|---|---|---|")
    with Hub(["--program", path], binary=a.confabd, timeout=60) as hub:
        ws = [hub.client() for _ in range(a.clients)]
        w = None
        for i, c in enumerate(ws):
            w = hello(c, "b%d" % i)
        whole = len(json.dumps(w["program"], separators=(",", ":")))
        for k in [int(x) for x in a.changes.split(",")]:
            times, size, flip = [], 0, True
            for _ in range(a.runs):
                write(path, edited(base, k, flip))
                flip = not flip
                t0 = time.monotonic()
                hub.proc.send_signal(signal.SIGHUP)
                for c in ws:
                    ev = c.wait_for(lambda m: isinstance(m, dict) and
                                    m.get("type") in ("program.changes", "program"),
                                    timeout=60)
                times.append(time.monotonic() - t0)
                ev.pop("stream", None)
                size = len(json.dumps(ev, separators=(",", ":"), ensure_ascii=False))
            times.sort()
            n = k + 2 * max(1, k // 10)
            print("| %d (%d + %d + %d) | %d | %d | %.0f ms |" % (
                n, k, max(1, k // 10), max(1, k // 10), size, whole,
                times[len(times) // 2] * 1000))
        for c in ws:
            c.close()


if __name__ == "__main__":
    main()
