#!/usr/bin/env python3
"""votes.py: a burst of votes on one topic, measured on a real confabd on loopback.

For each N (default 100, 500, 1000) a fresh hub (memory store, or --data-dir for the
SQLite store) gets N attendees (raw WebSocket clients, one hello each) and an observer.
One attendee proposes a topic; then every attendee sends one `vote` at once (all sends
first, then all replies are read). Measured: the time from the first vote sent to the
last `ok` read, the votes per second that makes, how many `tally` events the observer
got for the N votes (the hub sends at most one a second) and the count it ends on, and
the hub's CPU time over the burst (utime + stime from /proc). The final count must be
exactly N (the script exits 1 otherwise). Results go in bench/RESULTS.md.

    python3 bench/votes.py --confabd build/confabd [--sizes 100,500] [--data-dir]
"""

import argparse
import os
import resource
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "lib"))
from confabtest import Hub, WsClient, hello  # noqa: E402


def cpu_s(pid):
    """utime + stime of pid, in seconds."""
    with open("/proc/%d/stat" % pid) as fp:
        f = fp.read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


def run(confabd, n, durable):
    """One burst of n votes; returns a dict of results."""
    args = ["--demo"]
    if durable:
        args += ["--data-dir", tempfile.mkdtemp(prefix="confab-bench-votes-")]
    with Hub(args, binary=confabd) as hub:
        obs = WsClient(hub.port)
        hello(obs, "observer")
        clients = []
        for i in range(n):
            ws = WsClient(hub.port)
            hello(ws, "v%d" % i)
            clients.append(ws)
        item = clients[0].call("propose", title="bench topic")["item"]
        obs.drain(quiet=1.5)
        obs.pending.clear()
        cpu0 = cpu_s(hub.proc.pid)
        t0 = time.monotonic()
        ids = [ws.request("vote", item=item) for ws in clients]
        for ws, rid in zip(clients, ids):
            ws.wait_for(lambda m, rid=rid: m.get("re") == rid, timeout=120)
        burst = time.monotonic() - t0
        cpu = cpu_s(hub.proc.pid) - cpu0
        obs.drain(quiet=1.5)
        tallies = [m for m in obs.pending if m.get("type") == "tally"]
        last = tallies[-1]["votes"].get(str(item)) if tallies else None
        for ws in clients + [obs]:
            ws.close()
        return {"n": n, "burst_s": burst, "per_s": n / burst if burst > 0 else 0,
                "tallies": len(tallies), "final": last, "cpu_s": cpu}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--confabd", default=os.environ.get("CONFABD", "build/confabd"))
    ap.add_argument("--sizes", default="100,500,1000")
    ap.add_argument("--data-dir", action="store_true", help="the SQLite store")
    a = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    ok = True
    print("store   N      burst s  votes/s  tallies  final  hub CPU s")
    for n in (int(x) for x in a.sizes.split(",")):
        r = run(a.confabd, n, a.data_dir)
        ok = ok and r["final"] == n
        print("%-7s %-6d %-8.3f %-8.0f %-8d %-6s %.2f" % (
            "sqlite" if a.data_dir else "memory", n, r["burst_s"], r["per_s"],
            r["tallies"], r["final"], r["cpu_s"]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
