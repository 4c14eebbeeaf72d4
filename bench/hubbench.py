#!/usr/bin/env python3
"""hubbench.py: confabd against a Node.js peer at many attendees, in one run (issue 13).

Orchestration only: the load is bench/loadgen (C, epoll, its own WebSocket client) and the
peer is bench/peer.js (Node.js, Debian's node-ws). For each of R runs it runs, one after
the other, on fresh hubs bound to 127.0.0.1 with a free port:

  confabd            confabd --demo, the generator offers no deflate
  peer               node bench/peer.js, no deflate offered
  confabd+deflate    confabd --demo, the generator offers permessage-deflate (window 2^10)
  peer+deflate       node bench/peer.js, deflate offered

(the order turns by one each run, so that no hub always goes first). Both hubs accept
deflate; the generator decides whether to offer it, as a confab client would. The peer
serves the welcome that a real confabd --demo sent at the start of this run, so both
send the same program bytes. Each loadgen run has four phases (connect, idle, 1 line/s
to all, a burst at a smaller N); see bench/loadgen.c. At the end it prints the medians
over the runs with the confabd/peer ratios (below 1: confabd is better).

  bench/hubbench.py --short     2,000 attendees, 1 run: under 2 minutes (make bench)
  bench/hubbench.py --full      10,000 attendees, 4 runs, 200 s idle: about 90 minutes

Options override the preset: --attendees N --runs R --idle S --lines N --burst-attendees N
--burst-rate R --burst-seconds S --inflight N --hubs LIST --peer-zlib confabd|ws --nice N
--confabd PATH --loadgen PATH --node PATH --json FILE --keep DIR. Needs nodejs and node-ws
(./setup --bench); without them the peer columns are left out. Python 3 stdlib only.
"""

import argparse
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(TOP, "tests", "lib"))
import reaper  # noqa: E402

PRESETS = {
    "short": dict(attendees=2000, runs=1, idle=3, lines=6, burst_attendees=2000,
                  burst_rate=20, burst_seconds=3, settle_min=1.5, settle_max=5,
                  connect_timeout=60),
    "full": dict(attendees=10000, runs=4, idle=200, lines=60, burst_attendees=2000,
                 burst_rate=20, burst_seconds=10, settle_min=1.5, settle_max=30,
                 connect_timeout=300),
}
HUBS = ["confabd", "peer", "confabd+deflate", "peer+deflate"]
START_TIMEOUT = 15.0


def say(*args):
    print("hubbench:", *args, flush=True)


def fail(msg):
    print("hubbench: " + msg, file=sys.stderr, flush=True)
    sys.exit(1)


def raise_fd_limit():
    """Soft RLIMIT_NOFILE up to the hard limit, for us and the hubs we start."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def find_node(path):
    """The node binary and the ws version, or (None, why)."""
    node = path or shutil.which("node") or shutil.which("nodejs")
    if node is None:
        return None, "node not found (./setup --bench installs nodejs and node-ws)"
    try:
        out = subprocess.run([node, "-e", "let w;try{w=require('ws/package.json')}catch(e)"
                              "{w=require('/usr/share/nodejs/ws/package.json')}"
                              "console.log(process.version+' '+w.version)"],
                             capture_output=True, text=True, timeout=20,
                             env=node_env())
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, "cannot run %s: %s" % (node, e)
    if out.returncode != 0:
        return None, "node cannot load ws (./setup --bench installs node-ws)"
    return node, out.stdout.strip()


def node_env():
    env = dict(os.environ)
    env["NODE_PATH"] = "/usr/share/nodejs" + (":" + env["NODE_PATH"] if env.get("NODE_PATH")
                                              else "")
    return env


def niced(args):
    """A preexec_fn that applies --nice, or None."""
    if args.nice == 0:
        return None
    return lambda: os.nice(args.nice)


def wait_port(read_line, what, deadline):
    """Polls read_line() until it gives 'listening on ws://HOST:PORT'; the port."""
    while time.monotonic() < deadline:
        m = re.search(r"listening on ws://127\.0\.0\.1:(\d+)", read_line() or "")
        if m:
            return int(m.group(1))
        time.sleep(0.05)
    raise RuntimeError("%s did not say where it listens within %.0f s" % (what, START_TIMEOUT))


class Hub:
    """A confabd or a peer.js process on 127.0.0.1, port chosen by the kernel."""

    def __init__(self, kind, args, tmp, tag):
        self.kind = kind
        self.log = os.path.join(tmp, tag + ".log")
        deadline = time.monotonic() + START_TIMEOUT
        logf = open(self.log, "w")
        if kind == "confabd":
            cmd = [args.confabd, "--listen", "127.0.0.1:0", "--demo", "--log-file", self.log]
            self.proc = reaper.spawn(cmd, stdin=subprocess.DEVNULL, stdout=logf,
                                     stderr=subprocess.STDOUT, preexec_fn=niced(args))
            self.port = wait_port(lambda: open(self.log).read(), "confabd", deadline)
        else:
            cmd = [args.node, os.path.join(HERE, "peer.js"), "--welcome", args.welcome,
                   "--deflate", "--zlib", args.peer_zlib]
            self.proc = reaper.spawn(cmd, stdin=subprocess.DEVNULL, stdout=logf,
                                     stderr=subprocess.STDOUT, env=node_env(),
                                     preexec_fn=niced(args))
            self.port = wait_port(lambda: open(self.log).read(), "peer.js", deadline)
        logf.close()

    def stop(self):
        """SIGTERM, then SIGKILL after 20 s; the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        reaper.done(self.proc)
        return self.proc.returncode


def capture_welcome(args, tmp):
    """A welcome from a real confabd --demo, for the peer to serve."""
    hub = Hub("confabd", args, tmp, "capture")
    try:
        out = subprocess.run([args.loadgen, "--port", str(hub.port), "--capture-welcome",
                              args.welcome], capture_output=True, text=True, timeout=30)
        if out.returncode != 0:
            fail("capturing a welcome failed: " + out.stderr.strip())
    finally:
        hub.stop()


def loadgen_cmd(args, hub, cfg, tag):
    cmd = [args.loadgen, "--port", str(hub.port), "--pid", str(hub.proc.pid),
           "--label", cfg, "--attendees", str(args.attendees), "--inflight",
           str(args.inflight), "--idle", str(args.idle), "--lines", str(args.lines),
           "--burst-attendees", str(args.burst_attendees), "--burst-rate",
           str(args.burst_rate), "--burst-seconds", str(args.burst_seconds),
           "--settle-min", str(args.settle_min), "--settle-max", str(args.settle_max),
           "--connect-timeout", str(args.connect_timeout)]
    if cfg.endswith("+deflate"):
        cmd.append("--deflate")
    return cmd


def run_one(args, cfg, run, tmp):
    """One hub, one loadgen run: the loadgen's JSON (None when it failed) and text."""
    tag = "%s-run%d" % (cfg.replace("+", "-"), run + 1)
    load = os.getloadavg()[0]
    hub = Hub("confabd" if cfg.startswith("confabd") else "peer", args, tmp, tag)
    result, text = None, ""
    try:
        time.sleep(0.5)      # the hub's start-up settles before RSS "before" is read
        limit = (args.connect_timeout + args.idle + args.lines + 2 * args.settle_max +
                 args.burst_seconds + 2 * 20 * 10 + 60)   # 20 x --drain at most, twice
        try:
            out = subprocess.run(loadgen_cmd(args, hub, cfg, tag), capture_output=True,
                                 text=True, timeout=limit, preexec_fn=niced(args))
            text = out.stdout + out.stderr
            if out.returncode == 0:
                lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
                result = json.loads(lines[-1]) if lines else None
        except subprocess.TimeoutExpired:
            text = "loadgen did not finish within %.0f s" % limit
    finally:
        status = hub.stop()
    with open(os.path.join(tmp, tag + ".out"), "w") as f:
        f.write(text)
    if result is not None:
        result["hub_exit"] = status
        result["run"] = run + 1
        result["load_before"] = load
    return result, text


def median(values):
    values = [v for v in values if v is not None and v >= 0]
    return statistics.median(values) if values else None


def fig(res, path):
    """The number at path ("lines.p99_ms") of a loadgen result, or None."""
    v = res
    for k in path.split("."):
        if not isinstance(v, dict) or k not in v:
            return None
        v = v[k]
    return v


ROWS = [
    ("time to connect all (connect, upgrade, hello, welcome)", "s", "connect.connect_all_s",
     None, 2),
    ("memory per connection (VmRSS after connect - before) / N", "KiB",
     "connect.rss_per_conn_kib", None, 1),
    ("memory per connection after the lines", "KiB", "lines.rss_per_conn_kib", None, 1),
    ("1 line/s to all, p50 / p99 delivery", "ms", "lines.p50_ms", "lines.p99_ms", 1),
    ("hub CPU per delivery (1 line/s)", "us", "lines.hub_us_per_delivery", None, 1),
    ("idle hub CPU", "% core", "idle.cpu_pct", None, 2),
    ("burst at the burst N, p50 / p99", "ms", "burst.p50_ms", "burst.p99_ms", 1),
    ("hub CPU per delivery (burst)", "us", "burst.hub_us_per_delivery", None, 1),
    ("hub CPU to connect all", "s", "connect.hub_cpu_s", None, 2),
    ("hub waiting for a CPU: connect / lines (run queue)", "s", "connect.hub_wait_s",
     "lines.hub_wait_s", 1),
    ("frames received while connecting (all clients)", "", "connect.frames_in", None, 0),
]


def fmt(v, digits):
    if v is None:
        return "n/a"
    return ("%." + str(digits) + "f") % v if digits else "%d" % round(v)


def cell(results, a, b, digits):
    ma = median([fig(r, a) for r in results])
    if b is None:
        return fmt(ma, digits), (ma,)
    mb = median([fig(r, b) for r in results])
    return fmt(ma, digits) + " / " + fmt(mb, digits), (ma, mb)


def ratio(x, y):
    return "%.2f" % (x / y) if x is not None and y not in (None, 0) else "n/a"


def table(args, results, hubs):
    """The issue's table: medians per hub, confabd/peer ratios."""
    head = ["%s attendees in the lobby (median of %d)" % (format(args.attendees, ","),
                                                           args.runs)] + hubs
    pairs = [(c, c.replace("confabd", "peer")) for c in hubs if c.startswith("confabd") and
             c.replace("confabd", "peer") in hubs]
    head += ["%s / %s" % p for p in pairs]
    rows = []
    for name, unit, a, b, digits in ROWS:
        label = name.replace("the burst N", "%s, %g lines/s" % (
            format(args.burst_attendees, ","), args.burst_rate)) + (" (%s)" % unit if unit
                                                                    else "")
        vals = {}
        row = [label]
        for h in hubs:
            text, nums = cell(results[h], a, b, digits)
            vals[h] = nums
            row.append(text)
        for c, p in pairs:
            row.append(" / ".join(ratio(x, y) for x, y in zip(vals[c], vals[p])))
        rows.append(row)
    lost = ["lost / dup lines (sum over runs)"]
    for h in hubs:
        lost.append("%d / %d" % (
            sum((fig(r, "lines.lost") or 0) + (fig(r, "burst.lost") or 0) for r in results[h]),
            sum((fig(r, "lines.dup") or 0) + (fig(r, "burst.dup") or 0) for r in results[h])))
    lost += [""] * len(pairs)
    rows.append(lost)
    done = ["runs completed"] + ["%d of %d" % (len(results[h]), args.runs) for h in hubs]
    rows.append(done + [""] * len(pairs))
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def machine(args):
    """A few lines about the machine and the versions."""
    def sh(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=10,
                                  shell=True).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return "?"
    model = sh("lscpu | sed -n 's/^Model name: *//p' | head -1")
    return ("machine: %s CPUs (%s), kernel %s, load %s; libwebsockets %s; %s" % (
        os.cpu_count(), model, os.uname().release, " ".join(
            "%.2f" % x for x in os.getloadavg()),
        sh("pkg-config --modversion libwebsockets").rstrip("-"),
        "node %s, ws %s" % tuple(args.node_version.split()) if args.node else
        "no node: " + args.node_version))


def options():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    g = p.add_mutually_exclusive_group()
    g.add_argument("--short", action="store_true", help="2,000 attendees, 1 run (default)")
    g.add_argument("--full", action="store_true", help="10,000 attendees, 4 runs")
    for name in PRESETS["short"]:
        p.add_argument("--" + name.replace("_", "-"), type=float, default=None)
    p.add_argument("--inflight", type=int, default=200)
    p.add_argument("--nice", type=int, default=0,
                   help="run the hubs and the generator at this nice value (a negative one "
                   "needs root and takes CPU from everyone else on the machine)")
    p.add_argument("--hubs", default=",".join(HUBS),
                   help="which of %s, in order" % ",".join(HUBS))
    p.add_argument("--peer-zlib", choices=["confabd", "ws"], default="confabd",
                   help="peer.js deflate: confabd's window and memLevel, or ws's defaults")
    p.add_argument("--confabd", default=os.environ.get("CONFABD") or
                   os.path.join(TOP, "build", "confabd"))
    p.add_argument("--loadgen", default=os.environ.get("LOADGEN") or
                   os.path.join(TOP, "build", "bench", "loadgen"))
    p.add_argument("--node", default=None)
    p.add_argument("--json", default=None, help="write every run's results there")
    p.add_argument("--keep", default=None, help="keep logs and outputs in this directory")
    a = p.parse_args()
    preset = PRESETS["full" if a.full else "short"]
    for k, v in preset.items():
        if getattr(a, k) is None:
            setattr(a, k, v)
    for k in ("attendees", "runs", "lines", "burst_attendees"):
        setattr(a, k, int(getattr(a, k)))
    a.hubs = [h.strip() for h in a.hubs.split(",") if h.strip()]
    for h in a.hubs:
        if h not in HUBS:
            p.error("unknown hub %s (want some of %s)" % (h, ",".join(HUBS)))
    for path in (a.confabd, a.loadgen):
        if not os.access(path, os.X_OK):
            p.error("%s is not there: build first (./setup), or give --confabd/--loadgen" % path)
    return a


def main():
    args = options()
    raise_fd_limit()
    args.node, args.node_version = find_node(args.node)
    hubs = args.hubs
    if args.node is None:
        say(args.node_version + ": measuring confabd only")
        hubs = [h for h in hubs if h.startswith("confabd")]
    tmp = args.keep or tempfile.mkdtemp(prefix="hubbench-")
    os.makedirs(tmp, exist_ok=True)
    args.welcome = os.path.join(tmp, "welcome.json")
    say(machine(args) + ("; nice %d" % args.nice if args.nice else ""))
    if os.getloadavg()[0] > 0.5 * (os.cpu_count() or 1):
        say("warning: the machine is busy (load %.2f): figures will be noisy" %
            os.getloadavg()[0])
    t0 = time.monotonic()
    capture_welcome(args, tmp)
    results = {h: [] for h in hubs}
    every = []
    failed = False
    for run in range(args.runs):
        order = hubs[run % len(hubs):] + hubs[:run % len(hubs)]
        for cfg in order:
            res, text = run_one(args, cfg, run, tmp)
            if res is None:
                failed = True
                say("run %d %s FAILED:\n%s" % (run + 1, cfg, text.strip()[-2000:]))
                continue
            results[cfg].append(res)
            every.append(res)
            say("run %d %-16s load %.1f, connect %.2f s (hub ran %.1f s, waited %.1f s), "
                "%.1f KiB/conn, lines p50/p99 %s/%s ms, %s us/delivery, idle %s%%, burst p99 %s ms, lost %s, dup %s" % (
                    run + 1, cfg, res["load_before"], fig(res, "connect.connect_all_s"),
                    fig(res, "connect.hub_cpu_s"), fig(res, "connect.hub_wait_s"),
                    fig(res, "connect.rss_per_conn_kib"), fmt(fig(res, "lines.p50_ms"), 1),
                    fmt(fig(res, "lines.p99_ms"), 1),
                    fmt(fig(res, "lines.hub_us_per_delivery"), 1),
                    fmt(fig(res, "idle.cpu_pct"), 2), fmt(fig(res, "burst.p99_ms"), 1),
                    (fig(res, "lines.lost") or 0) + (fig(res, "burst.lost") or 0),
                    (fig(res, "lines.dup") or 0) + (fig(res, "burst.dup") or 0)))
    if args.json:
        with open(args.json, "w") as f:
            for r in every:
                f.write(json.dumps(r) + "\n")
    print()
    print(table(args, results, hubs))
    print()
    say("%d runs of %s in %.0f s; idle %g s, %d lines at 1/s, burst %g lines/s for %g s at "
        "%s" % (args.runs, ", ".join(hubs), time.monotonic() - t0, args.idle, args.lines,
                args.burst_rate, args.burst_seconds, format(args.burst_attendees, ",")))
    if args.keep or failed:
        say("logs and loadgen outputs are in " + tmp)
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
