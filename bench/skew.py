#!/usr/bin/env python3
"""skew.py: timer-skew benchmark for confab (Python 3, stdlib only).

Twelve real C clients (bench/skewclient: confab's own struct conn + struct client, built
with the tree) watch the same hub timer: 4 direct, 4 behind a symmetric latency proxy
(tests/lib/linksim.py), 4 behind an asymmetric one, one proxy each. At N common instants
the bench asks every client for the remaining time of the main timer at the same
CLOCK_REALTIME instant T (an lws_sul timer in each client's own loop fires at T):

  * corrected: what confab displays: timer_remaining() at client_hub_now(), i.e. the
    deadline minus (monotonic ms + the offset of the best ping sample); the ping burst,
    the sample window and the choice are the client's own code (src/client/).
  * naive: also printed by skewclient, from the same frames on the same path:
    deadline - (the "now" of the last timer event + time since it arrived), i.e. trusting
    the event's "now" as the hub time at receipt.

The hub's clock is CLOCK_REALTIME in ms (src/util/clock.c) on this same machine, so the
truth at T is deadline - T. A client reads its clock a little after T (its process must be
scheduled); it reports the wall time of the reading, and its error is taken against the
truth at that moment. The spread at an instant is over truth(T) + error, i.e. what each
client would show at exactly T; the raw spread of the values as read is reported too.

Usage: python3 bench/skew.py [--confabd PATH] [--skewclient PATH] [--instants N]
                           [--every S] [--jitter MS] [--seed N]
Exit status 0 when the targets hold, 1 when not, 2 on a setup failure.
"""

import argparse
import os
import random
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "lib"))

from confabtest import Hub, WsClient, hello  # noqa: E402
from linksim import LinkSim  # noqa: E402

# (group, up ms, down ms): "up" is client -> hub.
LINKS = [
    ("direct", 0, 0), ("direct", 0, 0), ("direct", 0, 0), ("direct", 0, 0),
    ("symmetric", 150, 150), ("symmetric", 220, 220),
    ("symmetric", 300, 300), ("symmetric", 400, 400),
    ("asymmetric", 50, 350), ("asymmetric", 30, 330),
    ("asymmetric", 100, 400), ("asymmetric", 150, 450),
]
STAGGER_S = 0.35          # client i starts at i * STAGGER_S
TIMER_MS = 600000
SETUP_DEADLINE_S = 40.0
SAMPLE_LEAD_MS = 200      # an instant is announced this long before it comes
SAMPLE_DEADLINE_S = 10.0  # all answers for one instant within this
QUIT_WAIT_S = 5.0


class Sample:
    """One answer of skewclient to "sample T"."""

    def __init__(self, fields):
        # sample T WALL_US STATE REMAINING NAIVE OFFSET RTT ERROR
        self.at = int(fields[1])
        self.wall_ms = int(fields[2]) / 1000.0
        self.state = fields[3]
        self.remaining = int(fields[4])
        self.naive = None if fields[5] == "-" else int(fields[5])
        self.offset = int(fields[6])
        self.rtt = int(fields[7])
        self.error_bound = int(fields[8])


class SkewProc:
    """One skewclient process and what it has said."""

    def __init__(self, idx, group, up, down, binary):
        self.idx, self.group, self.up, self.down = idx, group, up, down
        self.name = "skew%d" % idx
        self.binary = binary
        self.proc = None
        self.lock = threading.Lock()
        self.cond = threading.Condition(self.lock)
        self.burst = None
        self.online = False
        self.pongs = 0
        self.timer = "idle"
        self.samples = {}        # T -> Sample
        self.errors = []
        self.stderr = []
        self.eof = False

    def start(self, url):
        self.proc = subprocess.Popen([self.binary, "--name", self.name, url],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            f = line.split()
            if not f:
                continue
            with self.cond:
                if f[0] == "burst":
                    self.burst = int(f[1])
                elif f[0] == "online":
                    self.online = True
                    self.pongs = 0
                elif f[0] == "pong":
                    self.pongs = int(f[1])
                elif f[0] == "timer":
                    self.timer = f[1]
                elif f[0] == "sample" and len(f) == 9:
                    s = Sample(f)
                    self.samples[s.at] = s
                else:
                    self.errors.append(line.strip())
                self.cond.notify_all()
        with self.cond:
            self.eof = True
            self.cond.notify_all()

    def _drain(self):
        for line in self.proc.stderr:
            self.stderr.append(line.rstrip())

    def send(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def failure(self):
        """A reason to stop, or None."""
        with self.lock:
            if self.errors:
                return "said %r" % self.errors[0]
            if self.eof or (self.proc is not None and self.proc.poll() is not None):
                return "exited (%s)" % "; ".join(self.stderr[-3:])
        return None

    def ready(self):
        with self.lock:
            return (self.online and self.timer == "running" and self.burst is not None
                    and self.pongs >= self.burst)

    def wait_sample(self, at, deadline):
        with self.cond:
            while at not in self.samples and not self.eof:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.cond.wait(left)
            return self.samples.get(at)

    def close(self):
        if self.proc is None:
            return
        try:
            if self.proc.poll() is None:
                self.send("quit")
            self.proc.wait(QUIT_WAIT_S)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()


def jitter_loop(sims, links, jitter, seed, stop):
    """Redraws each proxied delay as base + uniform(0, jitter) every 20 ms until stop."""
    rng = random.Random(seed)
    while not stop.wait(0.02):
        for sim, (_, up, down) in zip(sims, links):
            sim.set_delay(up_ms=up + rng.uniform(0, jitter),
                          down_ms=down + rng.uniform(0, jitter))


def spread(vals):
    return max(vals) - min(vals)


def default_skewclient(confabd):
    return os.environ.get("SKEWCLIENT",
                          os.path.join(os.path.dirname(confabd), "bench", "skewclient"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--confabd", default=os.environ.get("CONFABD",
                                                        "/tmp/build-skew/confabd"))
    ap.add_argument("--skewclient", default=None,
                    help="default: $SKEWCLIENT, else bench/skewclient beside confabd")
    ap.add_argument("--instants", type=int, default=10)
    ap.add_argument("--every", type=float, default=0.3, help="seconds between instants")
    ap.add_argument("--jitter", type=int, default=0,
                    help="add 0..MS ms (uniform, seeded, redrawn every 20 ms, per direction) "
                         "to every proxied one-way delay")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    binary = args.skewclient or default_skewclient(args.confabd)
    if not os.access(binary, os.X_OK):
        raise RuntimeError("no skewclient at %s (make bench/skewclient)" % binary)

    hub = Hub(["--demo"], binary=args.confabd)
    sims, clients, fac = [], [], None
    jit_stop = threading.Event()
    try:
        urls = []
        for i, (group, up, down) in enumerate(LINKS):
            port = hub.port
            if group != "direct":
                sim = LinkSim(hub.port, up_delay_ms=up, down_delay_ms=down)
                sim.start()
                sims.append(sim)
                port = sim.port
            urls.append("ws://127.0.0.1:%d" % port)
            clients.append(SkewProc(i, group, up, down, binary))
        if args.jitter > 0:
            jt = threading.Thread(target=jitter_loop, daemon=True,
                                  args=(sims, [lk for lk in LINKS if lk[0] != "direct"],
                                        args.jitter, args.seed, jit_stop))
            jt.start()

        t_start = time.monotonic()
        deadline = t_start + SETUP_DEADLINE_S
        started = None
        while True:
            for i, c in enumerate(clients):
                if c.proc is None and time.monotonic() >= t_start + i * STAGGER_S:
                    c.start(urls[i])
                if c.proc is not None:
                    why = c.failure()
                    if why:
                        raise RuntimeError("client %s %s" % (c.name, why))
            if started is None and all(c.online for c in clients):
                fac = WsClient(hub.port)
                w = hello(fac, "facilitator", token=hub.token)
                if w.get("type") != "welcome" or w.get("role") != "facilitator":
                    raise RuntimeError("facilitator hello failed: %r" % w)
                r = fac.call("timer.start", duration_ms=TIMER_MS, label="skew")
                if r.get("type") != "ok":
                    raise RuntimeError("timer.start failed: %r" % r)
                ev = fac.wait_type("timer")
                started = ev["timer"]["deadline"]
            if started is not None and all(c.ready() for c in clients):
                break
            if time.monotonic() > deadline:
                raise RuntimeError("setup did not finish in %.0f s" % SETUP_DEADLINE_S)
            time.sleep(0.01)   # polling the readers (bench, not a test)
        deadline_ms = started

        rows = []
        for k in range(args.instants):
            at = int(time.time() * 1000) + SAMPLE_LEAD_MS
            for c in clients:
                c.send("sample %d" % at)
            limit = time.monotonic() + SAMPLE_DEADLINE_S
            got = [c.wait_sample(at, limit) for c in clients]
            for c, s in zip(clients, got):
                if s is None:
                    raise RuntimeError("client %s did not answer sample %d (%s)"
                                       % (c.name, at, c.failure()))
            rows.append((deadline_ms - at, got))
            time.sleep(args.every)
    finally:
        jit_stop.set()
        for c in clients:
            c.close()
        if fac is not None:
            fac.close()
        for s in sims:
            s.stop()
        hub.stop()

    return report(clients, rows, deadline_ms)


def report(clients, rows, deadline_ms):
    """Prints the per-client errors and the per-set spreads; returns the exit status."""
    n = len(rows)
    burst = clients[0].burst
    print("timer skew: %d skewclient processes (CLIENT_PING_BURST %d), %d instants, "
          "hub clock = CLOCK_REALTIME (same machine)" % (len(clients), burst, n))
    print()
    # errors against the truth at each reading's own wall time
    cerr = [[s.remaining - (deadline_ms - s.wall_ms) for s in got] for _, got in rows]
    nerr = [[s.naive - (deadline_ms - s.wall_ms) for s in got] for _, got in rows]
    print("%-8s %-10s %5s %5s %5s %6s | %9s %9s | %9s %9s" %
          ("client", "group", "up", "down", "rtt", "offset", "corr err", "(min..max)",
           "naive err", "(min..max)"))
    for i, c in enumerate(clients):
        ce = [e[i] for e in cerr]
        ne = [e[i] for e in nerr]
        last = rows[-1][1][i]
        print("%-8s %-10s %5d %5d %5d %+6d | %+9.1f %4.0f..%-4.0f | %+9.1f %4.0f..%-4.0f" %
              (c.name, c.group, c.up, c.down, last.rtt, last.offset,
               sum(ce) / n + 0.0, round(min(ce)) + 0.0, round(max(ce)) + 0.0,
               sum(ne) / n + 0.0, round(min(ne)) + 0.0, round(max(ne)) + 0.0))
    print()
    print("err = displayed remaining - true remaining at the reading (ms); rtt = round trip "
          "of the sample the client uses; offset = client_clock_offset() (truth: 0)")
    late = sorted(s.wall_ms - s.at for _, got in rows for s in got)
    print("readings taken %.3f ms (median) / %.3f ms (max) after the instant"
          % (late[len(late) // 2], late[-1]))
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
    print("%-18s %8s %8s %8s | %9s %9s | %6s %s" %
          ("set", "corr max", "corr med", "raw max", "naive max", "naive med", "target",
           "verdict"))
    for name, idx, target in sets:
        cs = sorted(spread([cerr[k][i] for i in idx]) for k in range(n))
        raw = sorted(spread([rows[k][1][i].remaining for i in idx]) for k in range(n))
        ns = sorted(spread([nerr[k][i] for i in idx]) for k in range(n))
        verdict = ""
        if target is not None:
            good = cs[-1] <= target
            ok = ok and good
            verdict = "PASS" if good else "FAIL"
        print("%-18s %8.1f %8.1f %8d | %9.1f %9.1f | %6s %s" %
              (name, cs[-1], cs[n // 2], raw[-1], ns[-1], ns[n // 2],
               "%.0f" % target if target is not None else "-", verdict))
    print()
    print("spread = max - min across the set of what each client shows at the instant "
          "(truth + err);")
    print("raw = of the values as read (readings a little apart); max / med over the %d "
          "instants." % n)
    print("Target for all 12: half the asymmetry (%.0f) + 20." % half_asym)
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RuntimeError as e:
        print("skew: %s" % e, file=sys.stderr)
        sys.exit(2)
