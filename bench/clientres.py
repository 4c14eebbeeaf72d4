#!/usr/bin/env python3
"""clientres.py: confab's resident memory and CPU when idle, with a running timer and
with 10,000 lines received (issue 13, the client side).

For each front end (plain line mode on pipes; the full-screen interface in a private tmux
server, 120x40) it starts a fresh confabd --demo (rate limits off, so that 10,000 lines
go in quickly), starts `confab --name watcher ws://...`, waits for it to connect and for
its clock-sync burst to end, then measures over --seconds each (VmRSS and VmHWM from
/proc/PID/status, utime + stime from /proc/PID/stat; the kernel counts CPU in 10 ms
ticks):

  idle       the demo program loaded, nothing happening (liveness pings only);
  timer      a facilitator (a raw client) started the main timer for 30 minutes: the
             client shows it counting down;
  lines      the timer reset; another raw client said 10,000 lines of 60-80 bytes in the
             lobby; measured once the watcher has stopped working on them (its CPU while
             receiving them is reported too).

Usage: bench/clientres.py [--seconds 60] [--lines 10000] [--modes plain,curses]
       [--confab PATH] [--confabd PATH]
Python 3 stdlib only; uses tests/lib (Hub, PlainClient, TmuxPane, WsClient).
"""

import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(TOP, "tests", "lib"))
import confabtest  # noqa: E402
import tmuxtest  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")


def status(pid):
    """VmRSS and VmHWM of pid in KiB."""
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                out[k] = int(v.split()[0])
    return out


def cpu(pid):
    """utime + stime of pid in seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def measure(pid, seconds):
    """CPU % of a core over seconds, and memory at the end."""
    c0, t0 = cpu(pid), time.monotonic()
    time.sleep(seconds)       # the measurement span itself
    c1, t1 = cpu(pid), time.monotonic()
    m = status(pid)
    return {"cpu_pct": 100 * (c1 - c0) / (t1 - t0), "cpu_s": c1 - c0, "rss_kib": m["VmRSS"],
            "hwm_kib": m["VmHWM"]}


def quiet(pid, limit=120):
    """Waits until pid used no CPU tick over half a second (limit s at most)."""
    deadline = time.monotonic() + limit
    prev = cpu(pid)
    while time.monotonic() < deadline:
        time.sleep(0.5)       # a poll interval
        now = cpu(pid)
        if now == prev:
            return
        prev = now


def child_of(pid):
    """The first child of pid (the pane's shell runs confab as its child)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
                kids = f.read().split()
            if kids:
                return int(kids[0])
        except OSError:
            pass
        time.sleep(0.1)       # a poll interval
    raise RuntimeError("no child of %d" % pid)


def start_client(mode, hub, args, tmp):
    """Starts the watcher; its pid and the object to stop it with."""
    env = {"XDG_CACHE_HOME": os.path.join(tmp, "cache-" + mode),
           "XDG_STATE_HOME": os.path.join(tmp, "state-" + mode)}
    if mode == "plain":
        c = confabtest.PlainClient(hub.port, "watcher", binary=args.confab, env=env,
                                   tmpdir=tmp)
        c.wait_line(r"connected as", timeout=30)
        return c.proc.pid, c
    pane = tmuxtest.TmuxPane([args.confab, "--name", "watcher", hub.url], cols=120,
                             rows=40, env=env, name="watcher")
    pane.wait_text(r"watcher", timeout=30)
    return child_of(int(pane.info("#{pane_pid}"))), pane


def run_mode(mode, args, tmp):
    rows = {}
    with confabtest.Hub(args=["--demo"], binary=args.confabd) as hub:
        pid, client = start_client(mode, hub, args, tmp)
        try:
            time.sleep(3)     # the clock-sync burst (8 pings 150 ms apart) ends
            quiet(pid)
            rows["idle"] = measure(pid, args.seconds)
            fac = confabtest.WsClient(hub.port)
            w = confabtest.hello(fac, "carol", token=hub.token)
            if w.get("type") != "welcome":
                raise RuntimeError("hello: %r" % w)
            reply = fac.call("timer.start", duration_ms=1800000, label="Talk")
            if reply.get("type") != "ok":
                raise RuntimeError("timer.start: %r" % reply)
            time.sleep(1)
            rows["timer"] = measure(pid, args.seconds)
            fac.call("timer.reset")
            feeder = confabtest.WsClient(hub.port)
            w = confabtest.hello(feeder, "feeder")
            if w.get("type") != "welcome":
                raise RuntimeError("hello: %r" % w)
            c0, t0 = cpu(pid), time.monotonic()
            # in batches of 200, each answered before the next goes, so that the
            # feeder reads its replies and echoes and the hub never throttles it
            for i in range(args.lines):
                rid = feeder.next_id()
                feeder.send_json({"type": "say", "id": rid, "room": "lobby",
                                  "text": "line %05d of %d: the quick brown fox jumps over "
                                  "the lazy dog %s" % (i + 1, args.lines, "." * (i % 17))})
                if (i + 1) % 200 == 0 or i + 1 == args.lines:
                    reply = feeder.wait_for(lambda m, r=rid: isinstance(m, dict) and
                                            m.get("re") == r, timeout=120)
                    if reply.get("type") != "ok":
                        raise RuntimeError("say: %r" % reply)
                    feeder.pending.clear()
            quiet(pid)
            rows["receiving"] = {"cpu_s": cpu(pid) - c0, "seconds": time.monotonic() - t0}
            rows["lines"] = measure(pid, args.seconds)
            feeder.close()
            fac.close()
        finally:
            if mode == "plain":
                client.proc.terminate()
                client.proc.wait(20)
            else:
                client.kill()
    return rows


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--lines", type=int, default=10000)
    p.add_argument("--modes", default="plain,curses")
    p.add_argument("--confab", default=os.environ.get("CONFAB") or
                   os.path.join(TOP, "build", "confab"))
    p.add_argument("--confabd", default=os.environ.get("CONFABD") or
                   os.path.join(TOP, "build", "confabd"))
    args = p.parse_args()
    import tempfile
    tmp = tempfile.mkdtemp(prefix="clientres-")
    print("| front end | state | CPU % of a core | CPU s | VmRSS KiB | VmHWM KiB |")
    print("|---|---|---|---|---|---|")
    for mode in [m.strip() for m in args.modes.split(",") if m.strip()]:
        if mode == "curses" and not tmuxtest.have_tmux():
            print("| curses | (no tmux) | | | | |")
            continue
        rows = run_mode(mode, args, tmp)
        for state in ("idle", "timer", "lines"):
            r = rows[state]
            print("| %s | %s | %.3f | %.2f | %d | %d |" % (mode, state, r["cpu_pct"],
                                                          r["cpu_s"], r["rss_kib"],
                                                          r["hwm_kib"]), flush=True)
        print("| %s | receiving %d lines | | %.2f in %.1f s | | |" % (
            mode, args.lines, rows["receiving"]["cpu_s"], rows["receiving"]["seconds"]),
            flush=True)
    print("(each state measured over %g s)" % args.seconds)


if __name__ == "__main__":
    main()
