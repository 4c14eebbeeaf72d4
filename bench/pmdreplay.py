#!/usr/bin/env python3
"""pmdreplay.py: what src/net/pmdguard.c's replay costs the hub.

The guard inflates the last piece of every compressed message once more, on a copy of
lws's inflater, before lws does (and in full: lws may stop early when the hub drops a
message over its 16 KiB cap). This measures the hub's CPU (utime + stime from
/proc/PID/stat) per connection that says hello and then sends one compressed text frame
of a given kind, for each confabd binary given:

  chat     a "say" of 1,900 characters of words (the everyday case)
  bomb500  500 bytes of deflate inflating to about 500 KiB of spaces (cut: no tail): the
           whole frame is one piece, the last, so the guard replays all of it (the hub
           reads about 520 bytes at a time: its 512-byte rx buffer)
  bomb4k   4,000 bytes of deflate inflating to about 4 MiB: lws gets it in pieces; the
           hub drops it at 16 KiB, before the last piece

Each kind: --conns connections one after another on a fresh hub (--demo), each waiting
for its answer or its close (deadline 10 s each). CPU per connection = hub CPU over the
run / conns; the idle hub's CPU over the same wall time is not subtracted (it is a tick
or two).

Python 3 stdlib only. Usage: bench/pmdreplay.py [--conns 100] CONFABD [CONFABD ...]
"""

import argparse
import os
import sys
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests", "lib"))
from confabtest import Hub, WsClosed, hello  # noqa: E402
from wsdeflate import DeflateClient  # noqa: E402

WORDS = "relay bridge probe tunnel cover traffic shape decoy mimic entropy".split()


def cpu_ticks(pid):
    """utime + stime of a process, in clock ticks."""
    with open("/proc/%d/stat" % pid) as fp:
        f = fp.read().rsplit(")", 1)[1].split()
    return int(f[11]) + int(f[12])


def bomb(size_in):
    """A raw deflate stream of about size_in bytes inflating to spaces, cut without its
    tail (the hub drops the message at its cap)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -10)
    z = c.compress(b'{"type":"say","text":"' + b" " * (size_in * 1030))
    z += c.flush(zlib.Z_SYNC_FLUSH)
    return z[:size_in]


def run(binary, kind, conns):
    """Hub CPU seconds per connection for one kind of frame."""
    text = " ".join(WORDS[i % len(WORDS)] for i in range(400))[:1900]
    with Hub(binary=binary) as hub:
        pid = hub.proc.pid
        start = cpu_ticks(pid)
        t0 = time.monotonic()
        for i in range(conns):
            ws = DeflateClient(hub.port)
            try:
                hello(ws, "b%d" % i)
                if kind == "chat":
                    ws.call("join", room="lobby")
                    ws.call("say", room="lobby", text=text)
                else:
                    ws.send_compressed_raw(bomb(500 if kind == "bomb500" else 4000))
                    ws.call("ping", timeout=10)
            except (WsClosed, OSError, TimeoutError):
                pass
            finally:
                ws.close()
        wall = time.monotonic() - t0
        used = cpu_ticks(pid) - start
        alive = hub.alive()
    hz = os.sysconf("SC_CLK_TCK")
    return used / hz / conns, wall, alive


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--conns", type=int, default=100)
    ap.add_argument("binaries", nargs="+")
    a = ap.parse_args()
    print("| confabd | kind | hub CPU per connection | wall | hub alive |")
    print("|---|---|---|---|---|")
    for b in a.binaries:
        for kind in ("chat", "bomb500", "bomb4k"):
            per, wall, alive = run(b, kind, a.conns)
            print("| %s | %s | %.2f ms | %.1f s | %s |" % (b, kind, per * 1000, wall, alive))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
