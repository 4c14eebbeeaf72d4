#!/usr/bin/env python3
"""The link simulator (tests/lib/linksim.py): latency, bandwidth cap, order, byte counters,
cut(), blackhole(), refuse(), seeded random cuts, the command-line program, and a real confabd --demo
behind a 32 kbit/s, 800 ms round-trip link. Timings are checked as lower bounds (what the
simulator guarantees) with generous upper slack. Prints TAP."""

import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time

from confabtest import TAP, Hub, WsClient, WsClosed, hello, need_binaries, srcdir
from linksim import LinkSim, cut_schedule
import reaper

DEADLINE = 20.0
SLACK = 1.5        # upper slack on timings (s): machines are noisy


def wait_until(pred, timeout=DEADLINE, what="condition"):
    """Polls pred() until true; raises TimeoutError after timeout seconds."""
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise TimeoutError("timed out waiting for " + what)
        time.sleep(0.005)


class EchoServer:
    """A threaded echo server on 127.0.0.1; records per connection what arrived when."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.conns = []          # dicts: arrivals [(t, n)], sent [(t, n)], total, closed
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            rec = {"arrivals": [], "sent": [], "total": 0, "closed": False}
            with self.lock:
                self.conns.append(rec)
            threading.Thread(target=self._serve, args=(c, rec), daemon=True).start()

    def _serve(self, c, rec):
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            while True:
                data = c.recv(65536)
                now = time.monotonic()
                if not data:
                    c.shutdown(socket.SHUT_WR)
                    break
                rec["arrivals"].append((now, len(data)))
                rec["total"] += len(data)
                rec["sent"].append((time.monotonic(), len(data)))
                c.sendall(data)
        except OSError:
            pass
        finally:
            rec["closed"] = True
            c.close()

    def close(self):
        self.sock.close()


def connect(port):
    """A plain TCP client to port with TCP_NODELAY and a timeout."""
    s = socket.create_connection(("127.0.0.1", port), timeout=DEADLINE)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def recv_exactly(s, n, timeout=DEADLINE):
    """Reads n bytes (raises on EOF or timeout)."""
    deadline = time.monotonic() + timeout
    buf = b""
    while len(buf) < n:
        s.settimeout(max(0.01, deadline - time.monotonic()))
        data = s.recv(n - len(buf))
        if not data:
            raise EOFError("EOF after %d of %d bytes" % (len(buf), n))
        buf += data
    return buf


def sees_closed(s, timeout=DEADLINE):
    """True when s reports EOF or a reset before timeout (data before that is skipped)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        s.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            if not s.recv(65536):
                return True
        except socket.timeout:
            return False
        except OSError:
            return True
    return False


def test_delay(t, echo):
    """200 ms up, 50 ms down: each direction takes at least its delay; a round trip >= 250 ms."""
    with LinkSim(echo.port, up_delay_ms=200, down_delay_ms=50) as sim:
        s = connect(sim.port)
        ups, downs, rtts = [], [], []
        for i in range(3):
            msg = b"ping %d\n" % i
            t0 = time.monotonic()
            s.sendall(msg)
            got = recv_exactly(s, len(msg))
            t3 = time.monotonic()
            rec = echo.conns[-1]
            t1 = rec["arrivals"][-1][0]
            t2 = rec["sent"][-1][0]
            ups.append(t1 - t0)
            downs.append(t3 - t2)
            rtts.append(t3 - t0)
            t.eq(got, msg, "round %d echoes intact through the delay" % i)
        s.close()
        t.diag("one-way up %s s, down %s s, rtt %s s" % (
            ["%.3f" % x for x in ups], ["%.3f" % x for x in downs],
            ["%.3f" % x for x in rtts]))
        t.ok(min(ups) >= 0.200, "the up direction is delayed by at least 200 ms",
             "ups: %r" % ups)
        t.ok(min(downs) >= 0.050, "the down direction is delayed by at least 50 ms",
             "downs: %r" % downs)
        t.ok(min(rtts) >= 0.250 and max(rtts) < 0.250 + SLACK,
             "an echo round trip takes >= 250 ms (and not absurdly more)", "rtts: %r" % rtts)

        sim.set_delay(up_ms=0, down_ms=300)
        t.eq(sim.params(), (0, 300, None, None), "set_delay() changes the delays live")
        s = connect(sim.port)
        t0 = time.monotonic()
        s.sendall(b"x")
        recv_exactly(s, 1)
        rtt = time.monotonic() - t0
        t.ok(rtt >= 0.300 and echo.conns[-1]["arrivals"][0][0] - t0 < 0.300,
             "after set_delay() the new asymmetric delays apply", "rtt %.3f" % rtt)
        s.close()


def test_bandwidth(t, echo):
    """20 KB through 64 kbit/s takes >= 2.5 s; the byte counters match what was sent."""
    payload = bytes(random.Random(1).getrandbits(8) for _ in range(20000))
    with LinkSim(echo.port, up_kbps=64, down_kbps=64) as sim:
        s = connect(sim.port)
        t0 = time.monotonic()
        s.sendall(payload)
        wait_until(lambda: echo.conns and echo.conns[-1]["total"] >= len(payload),
                   what="20 KB at the echo server")
        rec = echo.conns[-1]
        up_time = rec["arrivals"][-1][0] - t0
        got = recv_exactly(s, len(payload))
        total = time.monotonic() - t0
        t.diag("20000 bytes at 64 kbit/s: up %.2f s, echo back complete after %.2f s"
               % (up_time, total))
        t.ok(up_time >= 2.5 - 0.005, "20 KB up at 64 kbit/s takes at least 2.5 s",
             "took %.3f s" % up_time)
        t.ok(total < 2.5 + 2.5 + SLACK, "the capped echo finishes in reasonable time",
             "took %.3f s" % total)
        t.ok(got == payload, "the 20 KB come back intact")
        wait_until(lambda: sim.bytes_down >= len(payload), what="the down counter")
        t.eq((sim.bytes_up, sim.bytes_down), (20000, 20000), "the total byte counters")
        conn = sim.connections[-1]
        t.eq((conn.bytes_up, conn.bytes_down), (20000, 20000),
             "the per-connection byte counters")
        s.close()
        sim.set_bandwidth(up_kbps=None)
        t.eq(sim.params(), (0, 0, None, 64), "set_bandwidth() changes the caps live")


def test_order(t, echo):
    """Many small writes through a delayed link come back complete and in order."""
    with LinkSim(echo.port, up_delay_ms=20, down_delay_ms=5, up_kbps=2000) as sim:
        s = connect(sim.port)
        want = b"".join(b"%05d;" % i for i in range(1500))
        for i in range(1500):
            s.sendall(b"%05d;" % i)
        got = recv_exactly(s, len(want))
        t.ok(got == want, "1500 small writes arrive in order, none lost or duplicated")
        s.close()
        wait_until(lambda: sim.open_connections() == 0, what="the proxied connection to end")
        t.eq(sim.connections[-1].how, "closed", "a client's close ends the proxied connection")


def test_cut(t, echo):
    """cut() closes both sides now; a new connection works afterwards."""
    with LinkSim(echo.port, up_delay_ms=10, down_delay_ms=10) as sim:
        s = connect(sim.port)
        s.sendall(b"before")
        t.eq(recv_exactly(s, 6), b"before", "echo works before the cut")
        rec = echo.conns[-1]
        n = sim.cut()
        t.eq(n, 1, "cut() reports one connection cut")
        t.ok(sees_closed(s), "the client sees its connection closed")
        wait_until(lambda: rec["closed"], what="the server side to close")
        t.ok(rec["closed"], "the server side is closed too")
        s.close()
        s = connect(sim.port)
        s.sendall(b"after")
        t.eq(recv_exactly(s, 5), b"after", "a new connection works after the cut")
        s.close()
        t.eq((sim.cuts_done, sim.cut_connections, sim.accepted), (1, 1, 2),
             "cuts, cut connections and accepted connections are counted")


def test_blackhole(t, echo):
    """blackhole() silences a connection without closing it; new connections work."""
    with LinkSim(echo.port, up_delay_ms=10, down_delay_ms=10) as sim:
        s = connect(sim.port)
        s.sendall(b"before")
        t.eq(recv_exactly(s, 6), b"before", "echo works before the blackhole")
        rec = echo.conns[-1]
        t.eq(sim.blackhole(), 1, "blackhole() reports one connection silenced")
        s.sendall(b"lost")
        t.ok(not sees_closed(s, timeout=0.5), "the client's connection stays open, silent")
        t.eq(rec["total"], 6, "nothing sent after the blackhole reached the server")
        t.ok(not rec["closed"], "the server's connection stays open too")
        s2 = connect(sim.port)
        s2.sendall(b"after")
        t.eq(recv_exactly(s2, 5), b"after", "a new connection works")
        s2.close()
        s.close()
        t.eq(sim.stats()["blackholed"], 1, "the silenced connection is counted")


def test_refuse(t, echo):
    """refuse(True) resets new connections before any byte; refuse(False) lets them in."""
    with LinkSim(echo.port) as sim:
        before = len(echo.conns)
        sim.refuse(True)
        try:
            s = connect(sim.port)
        except OSError:          # the reset can beat connect()'s return
            s = None
        if s is not None:
            try:
                s.sendall(b"hello?")
            except OSError:
                pass
            t.ok(sees_closed(s), "while refusing, a new connection is closed at once")
            s.close()
        else:
            t.ok(True, "while refusing, a new connection is closed at once (on connect)")
        wait_until(lambda: sim.refused == 1, what="the refusal to be counted")
        t.eq(len(echo.conns), before, "nothing reached the target while refusing")
        t.eq(sim.refused, 1, "the refused connection is counted")
        sim.refuse(False)
        s = connect(sim.port)
        s.sendall(b"back")
        t.eq(recv_exactly(s, 4), b"back", "after refuse(False) connections work again")
        s.close()


def test_random_cuts(t, echo):
    """The same seed gives the same bounded schedule; the scheduled cuts happen."""
    a = cut_schedule(250, 100, 7)
    b = cut_schedule(250, 100, random.Random(7))
    c = cut_schedule(250, 100, 8)
    t.ok(a == b, "the same seed gives the same schedule")
    t.ok(a != c, "another seed gives another schedule")
    t.eq(len(a), 100, "the schedule has exactly `count` cuts")
    gaps = [y - x for x, y in zip([0.0] + a, a)]
    t.ok(all(125 - 0.01 <= g <= 375 + 0.01 for g in gaps),
         "every interval is within [0.5, 1.5] x the mean", "gaps: %r" % gaps[:10])
    with LinkSim(echo.port, seed=7) as s1, LinkSim(echo.port, seed=7) as s2:
        t.eq(s1.cut_random(250, 5), s2.cut_random(250, 5),
             "two simulators with the same seed schedule the same cuts")
    with LinkSim(echo.port, seed=3) as sim:
        s = connect(sim.port)
        s.sendall(b"x")
        recv_exactly(s, 1)
        sched = sim.cut_random(40, 3)
        t.eq(sched, cut_schedule(40, 3, 3), "cut_random() defaults to the simulator's seed")
        wait_until(lambda: sim.pending_cuts() == 0, what="the scheduled cuts")
        t.eq(sim.cuts_done, 3, "exactly the scheduled number of cuts happened")
        t.ok(sees_closed(s), "a scheduled cut closed the open connection")
        s.close()
    sim = LinkSim(echo.port, seed=5, drop_every=30, drop_count=2).start()
    try:
        wait_until(lambda: sim.cuts_done == 2 and sim.pending_cuts() == 0,
                   what="the drop_every cuts")
        t.eq((sim.cuts_done, sim.schedule), (2, cut_schedule(30, 2, 5)),
             "drop_every schedules seeded cuts at start()")
    finally:
        sim.stop()


def test_cli(t, echo):
    """The program: ready line on stderr, proxies with delay, summary on SIGTERM."""
    prog = os.path.join(srcdir(), "tests", "lib", "linksim.py")
    proc = reaper.spawn([sys.executable, prog, "--listen", "127.0.0.1:0", "--target",
                             "127.0.0.1:%d" % echo.port, "--rtt", "100", "--kbps", "1000",
                             "--seed", "1"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    lines = []

    def drain():
        for raw in iter(proc.stderr.readline, b""):
            lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
    th = threading.Thread(target=drain, daemon=True)
    th.start()
    try:
        wait_until(lambda: lines or proc.poll() is not None, what="the ready line")
        m = re.match(r"linksim listening on 127\.0\.0\.1:(\d+)$", lines[0] if lines else "")
        t.ok(m, "the program prints its ready line", "stderr: %r" % lines)
        s = connect(int(m.group(1)))
        t0 = time.monotonic()
        msg = b"through the program"
        s.sendall(msg)
        got = recv_exactly(s, len(msg))
        rtt = time.monotonic() - t0
        t.ok(got == msg and rtt >= 0.1,
             "the program proxies with the --rtt delay", "rtt %.3f" % rtt)
        s.close()
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(DEADLINE)
        th.join(DEADLINE)
        t.eq(rc, 0, "SIGTERM ends the program with status 0")
        t.ok(any(re.search(r"19 bytes up, 19 bytes down", line) for line in lines),
             "it prints a byte count summary", "stderr: %r" % lines)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    bad = subprocess.run([sys.executable, prog, "--target", "nonsense"],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, timeout=DEADLINE)
    t.ok(bad.returncode == 2 and b"HOST:PORT" in bad.stderr,
         "a bad --target is a clear usage error", bad.stderr.decode("utf-8", "replace"))


def test_hub(t):
    """A real confabd --demo behind a 32 kbit/s, 800 ms RTT link: the welcome arrives
    intact; a cut is seen as a closed connection and the hub takes the client back."""
    with Hub(["--demo"]) as hub:
        with WsClient(hub.port) as direct:
            ref = hello(direct, "ref")
        with LinkSim(hub.port, up_delay_ms=400, down_delay_ms=400, up_kbps=32,
                     down_kbps=32) as sim:
            t0 = time.monotonic()
            ws = WsClient(sim.port)
            w = hello(ws, "alice")
            took = time.monotonic() - t0
            t.diag("cold welcome through 32 kbit/s 800 ms RTT: %.2f s, %d bytes"
                   % (took, sim.bytes_down))
            t.eq(w.get("type"), "welcome", "the welcome arrives through the slow link")
            t.eq(sorted(w.keys()), sorted(ref.keys()), "the welcome has all its fields")
            t.eq(w.get("program"), ref.get("program"), "the program in it is intact")
            t.ok(took >= 1.6, "handshake + hello take at least two round trips (1.6 s)",
                 "took %.2f s" % took)
            sim.set_delay(up_ms=0, down_ms=0)
            sim.set_bandwidth(up_kbps=None, down_kbps=None)
            sim.cut()
            try:
                ws.recv(timeout=DEADLINE)
                closed = False
            except WsClosed:
                closed = True
            t.ok(closed, "after cut() the WebSocket client sees the connection closed")
            ws.close()
            with WsClient(sim.port) as again:
                w2 = hello(again, "alice2")
                t.eq(w2.get("type"), "welcome", "a new client joins through the link after a cut")
            t.ok(hub.alive(), "the hub survives the cut")
        t.eq(hub.stop(), 0, "the hub exits cleanly")


def main():
    t = TAP()
    need_binaries(t, "CONFABD")
    echo = EchoServer()
    try:
        for fn in (test_delay, test_bandwidth, test_order, test_cut, test_blackhole,
                   test_refuse,
                   test_random_cuts, test_cli):
            t.run(fn, echo)
        t.run(test_hub)
    finally:
        echo.close()
    t.done()


if __name__ == "__main__":
    main()
