#!/usr/bin/env python3
"""skew.py: timer-skew benchmark for confab (Python 3, stdlib only).

Twelve clients watch the same hub timer: 4 direct, 4 behind a symmetric latency proxy
(tests/lib/linksim.py), 4 behind an asymmetric one. At 10 common instants the bench
samples every client at the same local monotonic instant and records the remaining time
each would display:

  * corrected: the client's algorithm, ported line for line from src/client/clocksync.c
    and src/client/client.c (ping burst of CLIENT_PING_BURST = 5 pings CLIENT_PING_GAP_MS
    = 150 ms apart after the welcome, then one every 30 s; each pong is a sample
    offset = ((t1 - t0) + (t2 - t3)) / 2 (C division), delay = (t3 - t0) - (t2 - t1);
    the last CLOCKSYNC_WINDOW = 8 kept, the one with the smallest delay wins (ties: the
    newest); before any sample the offset comes from the last welcome/timer "now");
    remaining = deadline - (mono_now + offset).
  * naive: remaining = deadline - (now of the last timer event + time since its receipt),
    i.e. trusting the event's "now" as the hub time at receipt.

The hub's clock is CLOCK_REALTIME in ms (src/util/clock.c) on this same machine, so the
truth is deadline - time.time() at the sampling instant; errors are reported against it.

Usage: python3 bench/skew.py [--confabd PATH] [--instants N] [--every S]
                           [--jitter MS] [--seed N]
Exit status 0 when the targets hold, 1 when not, 2 on a setup failure.
"""

import argparse
import os
import random
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "lib"))

from confabtest import Hub, WsClient, WsClosed, hello  # noqa: E402
from linksim import LinkSim  # noqa: E402

# Constants mirrored from src/client/client.h and src/client/clocksync.h.
CLIENT_PING_BURST = 5
CLIENT_PING_GAP_MS = 150
CLIENT_PING_MS = 30000
CLOCKSYNC_WINDOW = 8

# (group, up ms, down ms): "up" is client -> hub.
LINKS = [
    ("direct", 0, 0), ("direct", 0, 0), ("direct", 0, 0), ("direct", 0, 0),
    ("symmetric", 150, 150), ("symmetric", 220, 220),
    ("symmetric", 300, 300), ("symmetric", 400, 400),
    ("asymmetric", 50, 350), ("asymmetric", 30, 330),
    ("asymmetric", 100, 400), ("asymmetric", 150, 450),
]
STAGGER_S = 0.35          # client i connects at i * STAGGER_S
TIMER_MS = 600000
SETUP_DEADLINE_S = 40.0


def mono_ms():
    """Integer monotonic ms, like cf_mono_ms()."""
    return int(time.monotonic() * 1000)


def cdiv2(x):
    """x / 2 with C's truncation toward zero."""
    return -((-x) // 2) if x < 0 else x // 2


class ClockSync:
    """Port of src/client/clocksync.c."""

    def __init__(self):
        self.samples = []        # (offset, delay), oldest first
        self.fallback = 0

    def reset(self):
        self.samples = []

    def set_fallback(self, hub_now, mono_now):
        self.fallback = hub_now - mono_now

    def add(self, t0, t1, t2, t3):
        if t3 < t0 or t2 < t1:
            return -1
        delay = (t3 - t0) - (t2 - t1)
        if delay < 0:
            return -1
        if len(self.samples) == CLOCKSYNC_WINDOW:
            self.samples.pop(0)
        self.samples.append((cdiv2((t1 - t0) + (t2 - t3)), delay))
        return 0

    def best(self):
        b = None
        for s in self.samples:
            if b is None or s[1] <= b[1]:
                b = s
        return b

    def offset(self):
        b = self.best()
        return b[0] if b is not None else self.fallback


class SkewClient:
    """One client: a WebSocket, a reader thread, the clock estimate and the timer."""

    def __init__(self, idx, group, up, down, port, start_at):
        self.idx, self.group, self.up, self.down = idx, group, up, down
        self.name = "skew%d" % idx
        self.port = port
        self.start_at = start_at
        self.lock = threading.Lock()
        self.cs = ClockSync()
        self.ws = None
        self.online = False
        self.error = None
        self.burst = 0
        self.last_ping = 0
        self.pings = {}          # id -> t0
        self.pongs = 0
        self.deadline = None     # running main timer's deadline (hub ms)
        self.ev_now = None       # "now" of the last timer event
        self.ev_recv = None      # our mono ms when it arrived
        self.stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        try:
            left = self.start_at - time.monotonic()
            if left > 0:
                time.sleep(left)       # staggered start (bench, not a test)
            self.ws = WsClient(self.port)
            w = hello(self.ws, self.name)
            t = mono_ms()
            if w.get("type") != "welcome":
                raise RuntimeError("hello failed: %r" % w)
            with self.lock:
                # client_recv.c: a welcome resets the samples, sets the fallback, burst 0
                self.cs.reset()
                if w.get("now", 0) > 0:
                    self.cs.set_fallback(w["now"], t)
                self.burst = 0
                self.online = True
            while not self.stop:
                try:
                    m = self.ws.recv(timeout=0.5)
                except TimeoutError:
                    continue
                t = mono_ms()
                if isinstance(m, dict):
                    self._on_message(m, t)
        except WsClosed as e:
            if not self.stop:
                self.error = str(e)
        except Exception as e:  # reported by the main thread
            self.error = "%s: %s" % (type(e).__name__, e)

    def _on_message(self, m, t):
        typ = m.get("type")
        with self.lock:
            if typ == "pong":
                t0 = self.pings.pop(m.get("re"), None)
                if t0 is not None and t0 == m.get("t0"):
                    if self.cs.add(t0, m["t1"], m["t2"], t) == 0:
                        self.pongs += 1
            elif typ == "timer":
                if m.get("now", 0) > 0:
                    self.cs.set_fallback(m["now"], t)
                tm = m.get("timer", {})
                if tm.get("scope") == "main" and tm.get("state") == "running":
                    self.deadline = tm["deadline"]
                    self.ev_now = m["now"]
                    self.ev_recv = t

    def tick(self):
        """client_ping(): sends a ping when one is due."""
        with self.lock:
            if not self.online or self.ws is None:
                return
            now = mono_ms()
            gap = CLIENT_PING_GAP_MS if self.burst < CLIENT_PING_BURST else CLIENT_PING_MS
            if self.burst > 0 and now - self.last_ping < gap:
                return
            rid = self.ws.next_id()
            self.pings[rid] = now
            self.last_ping = now
            if self.burst < CLIENT_PING_BURST:
                self.burst += 1
        self.ws.send_json({"type": "ping", "id": rid, "t0": now})

    def ready(self):
        with self.lock:
            return self.deadline is not None and self.pongs >= CLIENT_PING_BURST

    def sample(self, m):
        """(corrected, naive) remaining ms at our mono instant m."""
        with self.lock:
            corrected = self.deadline - (m + self.cs.offset())
            naive = self.deadline - (self.ev_now + (m - self.ev_recv))
            return corrected, naive

    def close(self):
        self.stop = True
        if self.ws is not None:
            self.ws.close()


def jitter_loop(sims, links, jitter, seed, stop):
    """Redraws each proxied delay as base + uniform(0, jitter) every 20 ms until stop."""
    rng = random.Random(seed)
    while not stop.wait(0.02):
        for sim, (_, up, down) in zip(sims, links):
            sim.set_delay(up_ms=up + rng.uniform(0, jitter),
                          down_ms=down + rng.uniform(0, jitter))


def spread(vals):
    return max(vals) - min(vals)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--confabd", default=os.environ.get("CONFABD",
                                                        "/tmp/build-skew/confabd"))
    ap.add_argument("--instants", type=int, default=10)
    ap.add_argument("--every", type=float, default=0.3, help="seconds between instants")
    ap.add_argument("--jitter", type=int, default=0,
                    help="add 0..MS ms (uniform, seeded, redrawn every 20 ms, per direction) "
                         "to every proxied one-way delay")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    hub = Hub(["--demo"], binary=args.confabd)
    sims, clients, fac = [], [], None
    jit_stop = threading.Event()
    try:
        t_start = time.monotonic() + 0.2
        for i, (group, up, down) in enumerate(LINKS):
            port = hub.port
            if group != "direct":
                sim = LinkSim(hub.port, up_delay_ms=up, down_delay_ms=down)
                sim.start()
                sims.append(sim)
                port = sim.port
            clients.append(SkewClient(i, group, up, down, port, t_start + i * STAGGER_S))
        if args.jitter > 0:
            jt = threading.Thread(target=jitter_loop, daemon=True,
                                  args=(sims, [lk for lk in LINKS if lk[0] != "direct"],
                                        args.jitter, args.seed, jit_stop))
            jt.start()
        for c in clients:
            c.thread.start()

        deadline = time.monotonic() + SETUP_DEADLINE_S
        started = False
        while True:
            for c in clients:
                if c.error:
                    raise RuntimeError("client %s: %s" % (c.name, c.error))
                c.tick()
            if not started and all(c.online for c in clients):
                fac = WsClient(hub.port)
                w = hello(fac, "facilitator", token=hub.token)
                if w.get("type") != "welcome" or w.get("role") != "facilitator":
                    raise RuntimeError("facilitator hello failed: %r" % w)
                r = fac.call("timer.start", duration_ms=TIMER_MS, label="skew")
                if r.get("type") != "ok":
                    raise RuntimeError("timer.start failed: %r" % r)
                started = True
            if started and all(c.ready() for c in clients):
                break
            if time.monotonic() > deadline:
                raise RuntimeError("setup did not finish in %.0f s" % SETUP_DEADLINE_S)
            time.sleep(0.01)   # the ping tick, like the client's event loop

        # The common instants: one mono reading for all; truth from the wall clock.
        rows = []
        for k in range(args.instants):
            w0 = time.time() * 1000.0
            m = mono_ms()
            w1 = time.time() * 1000.0
            vals = [c.sample(m) for c in clients]
            # clients see integer mono ms (like cf_mono_ms), so m lags the instant by
            # 0..1 ms: displayed values read up to 1 ms high against the truth
            truth = clients[0].deadline - ((w0 + w1) / 2.0)
            rows.append((truth, vals))
            end = time.monotonic() + args.every
            while time.monotonic() < end:
                for c in clients:
                    c.tick()
                time.sleep(0.01)
    finally:
        jit_stop.set()
        for c in clients:
            c.close()
        if fac is not None:
            fac.close()
        for s in sims:
            s.stop()
        hub.stop()

    return report(clients, rows)


def report(clients, rows):
    """Prints the per-client errors and the per-set spreads; returns the exit status."""
    n = len(rows)
    print("timer skew: %d clients, %d instants, hub clock = CLOCK_REALTIME (same machine)"
          % (len(clients), n))
    print()
    print("%-8s %-10s %5s %5s %6s | %9s %9s | %9s %9s" %
          ("client", "group", "up", "down", "rtt", "corr err", "(min..max)",
           "naive err", "(min..max)"))
    for i, c in enumerate(clients):
        ce = [v[i][0] - t for t, v in rows]
        ne = [v[i][1] - t for t, v in rows]
        print("%-8s %-10s %5d %5d %6d | %+9.1f %4.0f..%-4.0f | %+9.1f %4.0f..%-4.0f" %
              (c.name, c.group, c.up, c.down, c.cs.best()[1],
               sum(ce) / n + 0.0, round(min(ce)) + 0.0, round(max(ce)) + 0.0,
               sum(ne) / n + 0.0, round(min(ne)) + 0.0, round(max(ne)) + 0.0))
    print()
    print("err = displayed remaining - true remaining (ms); rtt = delay of the best sample")
    print()

    sets = [
        ("direct", [i for i, c in enumerate(clients) if c.group == "direct"], None),
        ("symmetric", [i for i, c in enumerate(clients) if c.group == "symmetric"], None),
        ("asymmetric", [i for i, c in enumerate(clients) if c.group == "asymmetric"], None),
    ]
    sym = [i for i, c in enumerate(clients) if c.group != "asymmetric"]
    half_asym = max(abs(c.down - c.up) for c in clients) / 2.0
    sets.append(("direct+symmetric", sym, 20.0))
    sets.append(("all 12", list(range(len(clients))), half_asym + 20.0))
    ok = True
    print("%-18s %8s %8s | %8s %8s | %8s %s" %
          ("set", "corr max", "corr med", "naive max", "naive med", "target", "verdict"))
    for name, idx, target in sets:
        cs = sorted(spread([v[i][0] for i in idx]) for _, v in rows)
        ns = sorted(spread([v[i][1] for i in idx]) for _, v in rows)
        verdict = ""
        if target is not None:
            good = cs[-1] <= target
            ok = ok and good
            verdict = "PASS" if good else "FAIL"
        print("%-18s %8d %8d | %9d %9d | %8s %s" %
              (name, cs[-1], cs[n // 2], ns[-1], ns[n // 2],
               "%.0f" % target if target is not None else "-", verdict))
    print()
    print("spread = max - min of the displayed remaining ms across the set at one instant;")
    print("max / med over the %d instants. Target for all 12: half the asymmetry (%.0f) + 20."
          % (n, half_asym))
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RuntimeError as e:
        print("skew: %s" % e, file=sys.stderr)
        sys.exit(2)
