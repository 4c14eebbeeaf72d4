#!/usr/bin/env python3
"""hubprof.py: where confabd's time and memory go under bench/loadgen (issue 13).

  bench/hubprof.py perf [--attendees 10000] [--deflate] [--rate 4] [--lines 60]
      starts confabd --demo, runs bench/loadgen against it and records the hub with
      `perf record` (cpu-clock, DWARF call graphs) during the connect phase and during the
      lines phase (fan-out), each into its own file; then prints the functions with the
      most samples (self) and the hub's own functions with their callees (children).
  bench/hubprof.py massif [--attendees 2000] [--deflate]
      runs confabd under valgrind --tool=massif while the generator connects everyone
      (nothing else), and prints the heap at its peak by allocation site (ms_print).

Options: --out DIR (kept; default a temporary directory, printed), --confabd PATH,
--loadgen PATH, --freq HZ (perf sampling, 499), --top N (rows, 30). Needs perf
(Debian: linux-perf) or valgrind. Orchestration only; Python 3 stdlib.
"""

import argparse
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(TOP, "tests", "lib"))
import reaper  # noqa: E402


def say(*args):
    print("hubprof:", *args, flush=True)


def start_hub(cmd, log, timeout=120):
    """Starts a hub command that logs to log; its Popen and port."""
    proc = reaper.spawn(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            m = re.search(r"listening on ws://127\.0\.0\.1:(\d+)", open(log).read())
        except OSError:
            m = None
        if m:
            return proc, int(m.group(1))
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    raise SystemExit("hubprof: the hub did not start (see %s)" % log)


def stop(proc, sig=signal.SIGTERM, timeout=60):
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    reaper.done(proc)


def loadgen(args, port, pid, extra):
    cmd = [args.loadgen, "--port", str(port), "--pid", str(pid), "--attendees",
           str(args.attendees), "--label", "hubprof"] + extra
    if args.deflate:
        cmd.append("--deflate")
    return reaper.spawn(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def report(data, out, top, children):
    """perf report of data into out; returns its text."""
    cmd = ["perf", "report", "-i", data, "--stdio", "--percent-limit", "0.5", "-g", "none"]
    cmd += ["--children"] if children else ["--no-children"]
    cmd += ["--sort", "symbol" if children else "symbol,dso"]
    text = subprocess.run(cmd, capture_output=True, text=True).stdout
    with open(out, "w") as f:
        f.write(text)
    rows = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return "\n".join(rows[:top])


def perf_mode(args, out):
    log = os.path.join(out, "confabd.log")
    hub, port = start_hub([args.confabd, "--listen", "127.0.0.1:0", "--demo", "--log-file",
                           log], log)
    lg = loadgen(args, port, hub.pid, ["--idle", "3", "--lines", str(args.lines), "--rate",
                                       str(args.rate), "--burst-attendees", "0"])
    rec = None
    files = {}
    try:
        for line in lg.stderr:
            sys.stderr.write(line)
            m = re.match(r"loadgen: (\w+): (begins|ends)", line)
            if not m or m.group(1) not in ("connect", "lines"):
                continue
            if m.group(2) == "begins":
                files[m.group(1)] = os.path.join(out, m.group(1) + ".data")
                rec = subprocess.Popen(["perf", "record", "-q", "-F", str(args.freq),
                                        "--call-graph", "dwarf,16384", "-p", str(hub.pid),
                                        "-o", files[m.group(1)]],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            elif rec is not None:
                rec.send_signal(signal.SIGINT)
                rec.wait(120)
                rec = None
        text = lg.stdout.read()
        lg.wait()
    finally:
        if rec is not None:
            rec.send_signal(signal.SIGINT)
            rec.wait(120)
        stop(lg)
        stop(hub)
    print(text)
    for phase, data in files.items():
        print("== %s: functions by own samples (self), %s" % (phase, data))
        print(report(data, os.path.join(out, phase + "-self.txt"), args.top, False))
        print("== %s: with what they call (children)" % phase)
        print(report(data, os.path.join(out, phase + "-children.txt"), args.top, True))


def massif_mode(args, out):
    log = os.path.join(out, "confabd.log")
    mout = os.path.join(out, "massif.out")
    hub, port = start_hub(["valgrind", "--tool=massif", "--massif-out-file=" + mout,
                           "--detailed-freq=1", "--max-snapshots=200", args.confabd,
                           "--listen", "127.0.0.1:0", "--demo", "--log-file", log], log)
    lg = loadgen(args, port, hub.pid, ["--idle", "2", "--lines", "0", "--burst-attendees",
                                       "0", "--inflight", "50", "--connect-timeout", "1800",
                                       "--settle-max", "60"])
    text, err = lg.communicate()
    stop(lg)
    stop(hub, timeout=300)
    print(text or err)
    ms = subprocess.run(["ms_print", "--threshold=0.5", mout], capture_output=True,
                        text=True).stdout
    with open(os.path.join(out, "massif.txt"), "w") as f:
        f.write(ms)
    print("\n".join(ms.splitlines()[:args.top * 4]))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("mode", choices=["perf", "massif"])
    p.add_argument("--attendees", type=int, default=None)
    p.add_argument("--deflate", action="store_true")
    p.add_argument("--rate", type=float, default=4)
    p.add_argument("--lines", type=int, default=60)
    p.add_argument("--freq", type=int, default=499)
    p.add_argument("--top", type=int, default=30)
    p.add_argument("--out", default=None)
    p.add_argument("--confabd", default=os.environ.get("CONFABD") or
                   os.path.join(TOP, "build", "confabd"))
    p.add_argument("--loadgen", default=os.environ.get("LOADGEN") or
                   os.path.join(TOP, "build", "bench", "loadgen"))
    args = p.parse_args()
    if args.attendees is None:
        args.attendees = 10000 if args.mode == "perf" else 2000
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    out = args.out or tempfile.mkdtemp(prefix="hubprof-")
    os.makedirs(out, exist_ok=True)
    say("output in " + out)
    (perf_mode if args.mode == "perf" else massif_mode)(args, out)


if __name__ == "__main__":
    main()
