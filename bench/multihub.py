#!/usr/bin/env python3
"""multihub.py: one event on one, two or three hubs: delivery, loss, CPU and memory.

For each setup of --setups (default: memory:1 redis:1 redis:2 redis:3; "memory:1" is one
hub with its memory store, "redis:H" is H hubs sharing a fresh redis-server), it starts
the hubs (confabd --demo --limit all=off, with the open-files limit raised by prlimit so
that one hub can hold every attendee), then two bench/multihub processes open --attendees
connections between them, spread evenly over the hubs, all in the lobby. When all are
in, one of them says --lines lines at --rate a second; every connection must receive
every line.

Measured, per setup: delivery delay of every line to every attendee (p50, p95, p99, max),
lines missing or repeated (must be 0), connections dropped; per hub: resident memory idle
and with its attendees (and so per attendee), CPU over the chat phase, and per delivery
once the CPU of an idle period as long (--idle, measured first) is taken off; for Redis:
CPU over the chat phase, per line the same way, and its memory (used_memory). The Redis is the tests' (tests/lib/redistest.py):
append-only with appendfsync always, as doc/MULTIHUB.md asks for no acknowledged loss.

Usage: bench/multihub.py [--build DIR] [--attendees 20000] [--lines 60] [--rate 1]
                         [--setups memory:1 redis:2 ...] [--json FILE]
A hub holds what its open-files limit allows: the script raises it with prlimit where it
may (root with CAP_SYS_RESOURCE), else a setup whose hubs cannot hold --attendees runs
with as many as fit (the limit less 100 per hub) and says so in its attendees column.
"""

import argparse
import json
import os
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests", "lib"))
import confabtest  # noqa: E402
import reaper  # noqa: E402
from redistest import Redis  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")


def rss_kb(pid):
    """VmRSS of pid in KiB."""
    with open("/proc/%d/status" % pid) as fp:
        for line in fp:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_s(pid):
    """utime + stime of pid in seconds."""
    with open("/proc/%d/stat" % pid) as fp:
        f = fp.read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / CLK_TCK


def pct(sorted_v, p):
    """The p-th percentile of a sorted list."""
    if not sorted_v:
        return float("nan")
    k = min(len(sorted_v) - 1, max(0, int(round(p / 100.0 * (len(sorted_v) - 1)))))
    return sorted_v[k]


def wait_file(path, procs, timeout):
    """Waits until path exists (or a process ended, or timeout)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path):
            return True
        if any(p.poll() is not None for p in procs):
            return False
        time.sleep(0.2)
    return False


def can_raise(n):
    """True when prlimit may raise the open-files limit to n (root with the capability)."""
    return subprocess.run(["prlimit", "--nofile=%d:%d" % (n, n), "true"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


def run_setup(args, kind, nhubs, tmp):
    """One setup; returns a dict of results."""
    redis = Redis() if kind == "redis" else None
    hubs = []
    attendees = args.attendees
    want = attendees // nhubs + 4096
    wrap = ["prlimit", "--nofile=%d:%d" % (want, want)] if can_raise(want) else []
    if not wrap:
        # one hub holds what its open-files limit allows (confabd keeps 32 in reserve,
        # and a few for itself and Redis): the setup is run with as many as fit
        cap = resource.getrlimit(resource.RLIMIT_NOFILE)[1] - 100
        attendees = min(attendees, cap * nhubs)
    res = {"setup": "%s:%d" % (kind, nhubs), "attendees": attendees,
           "lines": args.lines, "rate": args.rate}
    try:
        for _ in range(nhubs):
            extra = ["--redis", redis.url] if redis else []
            hubs.append(confabtest.Hub(["--demo"] + extra, wrap=wrap,
                                       binary=os.path.join(args.build, "confabd")))
        time.sleep(1.0)
        pids = [h.proc.pid for h in hubs]
        # prlimit runs confabd in its place (exec): the pid is the hub's
        idle = [rss_kb(p) for p in pids]
        token = secrets.token_hex(4)
        half = attendees // 2
        ready = [os.path.join(tmp, "ready%d" % i) for i in range(2)]
        go = os.path.join(tmp, "go")
        for p in ready + [go]:
            if os.path.exists(p):
                os.unlink(p)
        hublist = ",".join("127.0.0.1:%d" % h.port for h in hubs)
        gens = []
        for i, (first, n) in enumerate(((0, half), (half, attendees - half))):
            cmd = [os.path.join(args.build, "bench", "multihub"), "--hubs", hublist,
                   "--conns", str(n), "--first", str(first), "--prefix", "a",
                   "--token", token, "--lines", str(args.lines), "--rate", str(args.rate),
                   "--ready", ready[i], "--go", go, "--out",
                   os.path.join(tmp, "lat%d" % i)]
            if i == 0:
                cmd.append("--sender")
            gens.append(reaper.spawn(cmd, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL))
        t0 = time.monotonic()
        for r in ready:
            if not wait_file(r, gens, 900):
                raise RuntimeError("the load generators did not connect everyone")
        res["connect_s"] = round(time.monotonic() - t0, 1)
        time.sleep(2.0)
        loaded = [rss_kb(p) for p in pids]
        # the idle cost (timers, pings, the counts' refresh), to subtract from the chat's
        i0 = [cpu_s(p) for p in pids]
        ri0 = cpu_s(redis.proc.pid) if redis else 0.0
        time.sleep(args.idle)
        idle_cpu = [(cpu_s(p) - x) / args.idle for p, x in zip(pids, i0)]
        redis_idle = (cpu_s(redis.proc.pid) - ri0) / args.idle if redis else 0.0
        c0 = [cpu_s(p) for p in pids]
        r0 = cpu_s(redis.proc.pid) if redis else 0.0
        rm0 = rss_kb(redis.proc.pid) if redis else 0
        t1 = time.monotonic()
        open(go, "w").close()
        outs = [json.loads(g.communicate(timeout=args.lines / args.rate + 120)[0])
                for g in gens]
        dt = time.monotonic() - t1
        c1 = [cpu_s(p) for p in pids]
        r1 = cpu_s(redis.proc.pid) if redis else 0.0
        for g in gens:
            reaper.done(g)
        lat = []
        for i in range(2):
            with open(os.path.join(tmp, "lat%d" % i), "rb") as fp:
                data = fp.read()
            lat.extend(int.from_bytes(data[k:k + 4], "little")
                       for k in range(0, len(data), 4))
        lat.sort()
        per_hub = attendees / nhubs
        res.update({
            "welcomed": sum(o["welcomed"] for o in outs),
            "delivered": sum(o["delivered"] for o in outs),
            "expected": sum(o["expected"] for o in outs),
            "missing": sum(o["missing"] for o in outs),
            "dup": sum(o["dup"] for o in outs),
            "dropped": sum(o["dropped"] for o in outs),
            "p50_ms": round(pct(lat, 50) / 1000, 1), "p95_ms": round(pct(lat, 95) / 1000, 1),
            "p99_ms": round(pct(lat, 99) / 1000, 1), "max_ms": round(lat[-1] / 1000, 1)
            if lat else None,
            "chat_s": round(dt, 1),
            "hubs": [{"rss_idle_mb": round(a / 1024, 1), "rss_mb": round(b / 1024, 1),
                      "kb_per_attendee": round((b - a) / per_hub, 1),
                      "cpu_pct": round(100 * (y - x) / dt, 1),
                      "idle_cpu_pct": round(100 * z, 2),
                      "cpu_us_per_delivery": round(1e6 * max(0.0, (y - x) - z * dt) /
                                                   (per_hub * args.lines), 2)}
                     for a, b, x, y, z in zip(idle, loaded, c0, c1, idle_cpu)],
        })
        if redis:
            info = redis.cmd("INFO", "memory").decode()
            used = [l for l in info.splitlines() if l.startswith("used_memory:")]
            res["redis"] = {"cpu_pct": round(100 * (r1 - r0) / dt, 2),
                            "idle_cpu_pct": round(100 * redis_idle, 2),
                            "cpu_us_per_line": round(1e6 * max(0.0, (r1 - r0) -
                                                               redis_idle * dt) /
                                                     args.lines, 1),
                            "rss_mb": round(rm0 / 1024, 1),
                            "used_memory_mb": round(int(used[0].split(":")[1]) / 2 ** 20, 2)
                            if used else None}
        return res
    finally:
        for h in hubs:
            h.kill()
        if redis:
            redis.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(os.path.dirname(HERE), "build"))
    ap.add_argument("--attendees", type=int, default=20000)
    ap.add_argument("--lines", type=int, default=60)
    ap.add_argument("--rate", type=float, default=1.0)
    ap.add_argument("--idle", type=float, default=10.0,
                    help="seconds of idle CPU measured before the chat, subtracted")
    ap.add_argument("--setups", nargs="+",
                    default=["memory:1", "redis:1", "redis:2", "redis:3"])
    ap.add_argument("--json", help="append each result as a JSON line to this file")
    args = ap.parse_args()
    if shutil.which("prlimit") is None:
        sys.exit("multihub.py: prlimit (util-linux) is needed")
    resource.setrlimit(resource.RLIMIT_NOFILE, (resource.getrlimit(resource.RLIMIT_NOFILE)[1],
                                                resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
    tmp = tempfile.mkdtemp(prefix="multihub-")
    print("| setup | attendees | p50 ms | p95 ms | p99 ms | max ms | missing | dup | dropped "
          "| per hub: RSS MB (KB/attendee), CPU % | Redis: CPU %, µs/line, MB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for setup in args.setups:
        kind, n = setup.split(":")
        r = run_setup(args, kind, int(n), tmp)
        hubs = "; ".join("%.0f (%.1f), %.1f" % (h["rss_mb"], h["kb_per_attendee"],
                                                 h["cpu_pct"]) for h in r["hubs"])
        rd = r.get("redis")
        print("| %s | %d | %s | %s | %s | %s | %d | %d | %d | %s | %s |" % (
            r["setup"], r["welcomed"], r["p50_ms"], r["p95_ms"], r["p99_ms"], r["max_ms"],
            r["missing"], r["dup"], r["dropped"], hubs,
            "%.2f, %.0f, %.1f" % (rd["cpu_pct"], rd["cpu_us_per_line"],
                                  rd["used_memory_mb"]) if rd else "-"), flush=True)
        if args.json:
            with open(args.json, "a") as fp:
                fp.write(json.dumps(r) + "\n")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
