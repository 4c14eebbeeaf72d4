#!/usr/bin/env python3
"""fanout.py: memory, chat fan-out latency and CPU cost of the confabd hub.

For each N in --sizes (default 100 500 1000 2000) it starts a fresh hub
(confabd --listen 127.0.0.1:0 --demo), connects N attendees that all say hello (so
all are in the lobby), then one of them says M lines (default 50, paced at --rate
lines per second) and every one of the N connections (the sender included) must
receive every line, in order.

Measured per N:
  * hub VmRSS idle (before any connection), after N connections + hello, and the
    difference divided by N (per-connection cost);
  * for every line, the time from the send until the FIRST and until the LAST of
    the N receivers has it; p50 / p95 / max over the M lines;
  * missing, out-of-order and duplicate lines over all receivers (must be 0), and
    connections the hub dropped;
  * hub CPU time (utime + stime from /proc/PID/stat) over the chat phase divided by
    the number of chat events delivered (N * M).

All N client sockets live in this one Python process, driven by one selectors loop
(non-blocking sockets, a small RFC 6455 client of its own). At large N the Python
receiver, not the hub, is the bottleneck: the latencies are an upper bound on the
hub's latency.

Python 3 stdlib only; uses tests/lib/confabtest.py only to start and stop the hub.
Usage: bench/fanout.py [--confabd PATH] [--sizes 100 500 ...] [--lines 50] [--rate 20]
"""

import argparse
import base64
import json
import os
import resource
import selectors
import socket
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests", "lib"))
import confabtest  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024

# connection states
CONNECTING, HANDSHAKE, WAIT_WELCOME, OPEN, CLOSED = range(5)


def raise_fd_limit(cap=20000):
    """Raises the soft RLIMIT_NOFILE to the hard limit (at most cap); returns it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = hard if hard != resource.RLIM_INFINITY else cap
    want = min(want, cap)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def vm_rss_kb(pid):
    """VmRSS of pid in KiB."""
    with open("/proc/%d/status" % pid) as fp:
        for line in fp:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS for %d" % pid)


def cpu_seconds(pid):
    """utime + stime of pid in seconds."""
    with open("/proc/%d/stat" % pid) as fp:
        data = fp.read()
    fields = data[data.rindex(")") + 2:].split()
    # fields[0] is field 3 (state); utime and stime are fields 14 and 15
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def ws_frame(payload, opcode=0x1):
    """One masked client frame."""
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
    elif n < 65536:
        head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
    key = os.urandom(4)
    # mask with a 4-byte key via int arithmetic (fast enough for small frames)
    k = (key * (n // 4 + 1))[:n]
    body = (int.from_bytes(payload, "big") ^ int.from_bytes(k, "big")).to_bytes(n, "big") \
        if n else b""
    return head + key + body


class Conn:
    """One attendee connection: a non-blocking socket and its frame parser."""

    __slots__ = ("idx", "sock", "state", "buf", "frag", "name", "got", "closed_why")

    def __init__(self, idx):
        self.idx = idx
        self.sock = None
        self.state = CONNECTING
        self.buf = bytearray()
        self.frag = None
        self.name = "u%d" % idx
        self.got = []          # line numbers of the bench chat events, in arrival order
        self.closed_why = None

    def send(self, data):
        """Sends data; the socket is non-blocking but these messages are tiny."""
        view = memoryview(data)
        deadline = time.monotonic() + 10
        while view:
            try:
                sent = self.sock.send(view)
                view = view[sent:]
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.001)

    def frames(self):
        """Yields (opcode, payload) of the complete messages in buf."""
        buf = self.buf
        pos = 0
        end = len(buf)
        while end - pos >= 2:
            b0 = buf[pos]
            b1 = buf[pos + 1]
            n = b1 & 0x7F
            hl = 2
            if n == 126:
                if end - pos < 4:
                    break
                n = (buf[pos + 2] << 8) | buf[pos + 3]
                hl = 4
            elif n == 127:
                if end - pos < 10:
                    break
                n = struct.unpack_from("!Q", buf, pos + 2)[0]
                hl = 10
            if b1 & 0x80:
                raise RuntimeError("masked frame from the hub")
            if end - pos < hl + n:
                break
            payload = bytes(buf[pos + hl:pos + hl + n])
            pos += hl + n
            op = b0 & 0x0F
            fin = b0 & 0x80
            if op == 0x0:
                if self.frag is None:
                    raise RuntimeError("continuation without a start")
                self.frag[1].append(payload)
                if fin:
                    op0, parts = self.frag
                    self.frag = None
                    yield op0, b"".join(parts)
            elif op in (0x1, 0x2) and not fin:
                self.frag = (op, [payload])
            else:
                yield op, payload
        if pos:
            del buf[:pos]


class Bench:
    """One run for one N against one fresh hub."""

    def __init__(self, hub, n, lines, rate, inflight=200):
        self.hub = hub
        self.pid = hub.proc.pid
        self.n = n
        self.lines = lines
        self.rate = rate
        self.inflight = inflight
        self.sel = selectors.DefaultSelector()
        self.conns = []
        self.open_count = 0
        self.dropped = 0
        self.send_t = [None] * lines
        self.first_t = [None] * lines
        self.last_t = [None] * lines
        self.count = [0] * lines    # receivers that have line k
        self.sender_oks = 0
        self.sender = None
        self.phase = "connect"
        self.key = base64.b64encode(b"confab-bench-key").decode()

    # -- connection set-up

    def open_one(self):
        """Starts one non-blocking connect."""
        c = Conn(len(self.conns))
        self.conns.append(c)
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        c.sock = s
        err = s.connect_ex(("127.0.0.1", self.hub.port))
        if err not in (0, 115):  # EINPROGRESS
            raise OSError(err, "connect failed: %s" % os.strerror(err))
        self.sel.register(s, selectors.EVENT_WRITE, c)

    def on_writable(self, c):
        """The connect finished: send the upgrade request."""
        err = c.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if err:
            raise OSError(err, "connect failed: %s" % os.strerror(err))
        req = ("GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
               "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
               "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: confab.1\r\n\r\n"
               % (self.hub.port, self.key))
        c.send(req.encode())
        c.state = HANDSHAKE
        self.sel.modify(c.sock, selectors.EVENT_READ, c)

    def on_readable(self, c, now):
        """Reads what is there and handles every complete message."""
        try:
            data = c.sock.recv(32768)
        except BlockingIOError:
            return
        except OSError as e:
            self.close(c, "recv: %s" % e)
            return
        if not data:
            self.close(c, "closed by the hub")
            return
        c.buf += data
        if c.state == HANDSHAKE:
            i = c.buf.find(b"\r\n\r\n")
            if i < 0:
                return
            head = bytes(c.buf[:i])
            del c.buf[:i + 4]
            if not head.startswith(b"HTTP/1.1 101"):
                raise RuntimeError("handshake refused: %r" % head[:80])
            c.state = WAIT_WELCOME
            c.send(ws_frame(json.dumps({"type": "hello", "id": 1, "proto": 1,
                                        "name": c.name}).encode()))
        for op, payload in c.frames():
            if op == 0x1:
                self.on_message(c, payload, now)
            elif op == 0x9:
                c.send(ws_frame(payload, 0xA))
            elif op == 0x8:
                self.close(c, "close frame from the hub")
                return

    def on_message(self, c, payload, now):
        """One text message from the hub."""
        # cheap pre-filter: only chat events, ok replies and the welcome matter
        if c.state == OPEN:
            if b'"chat"' not in payload:
                if c is self.sender and b'"ok"' in payload:
                    self.sender_oks += 1
                return
            m = json.loads(payload)
            if m.get("type") != "chat":
                return
            text = m.get("text", "")
            if not text.startswith("bench "):
                return
            k = int(text.split()[1])
            c.got.append(k)
            self.count[k] += 1
            if self.first_t[k] is None:
                self.first_t[k] = now
            if self.count[k] == self.n:
                self.last_t[k] = now
        elif c.state == WAIT_WELCOME:
            m = json.loads(payload)
            if m.get("type") == "welcome" and m.get("re") == 1:
                c.state = OPEN
                self.open_count += 1
            elif m.get("type") == "error":
                raise RuntimeError("hello refused: %r" % m)

    def close(self, c, why):
        """Marks a connection as lost."""
        if c.state != CLOSED:
            if c.state == OPEN:
                self.open_count -= 1
            c.state = CLOSED
            c.closed_why = why
            self.dropped += 1
            try:
                self.sel.unregister(c.sock)
            except (KeyError, ValueError):
                pass
            c.sock.close()

    def poll(self, timeout):
        """One round of the event loop."""
        events = self.sel.select(timeout)
        now = time.monotonic()
        for key, mask in events:
            c = key.data
            if c.state == CONNECTING:
                self.on_writable(c)
            else:
                self.on_readable(c, now)
            if len(events) > 1:
                now = time.monotonic()

    def drain(self, seconds):
        """Keeps reading for the given time (lets rooms events etc. settle)."""
        end = time.monotonic() + seconds
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return
            self.poll(left)

    def connect_all(self, timeout=90):
        """Connects N attendees, each one hello'd into the lobby."""
        deadline = time.monotonic() + timeout
        while self.open_count < self.n:
            if self.dropped:
                bad = [c for c in self.conns if c.state == CLOSED][0]
                raise RuntimeError("connection %d lost while connecting: %s"
                                   % (bad.idx, bad.closed_why))
            while len(self.conns) < self.n and \
                    len(self.conns) - self.open_count < self.inflight:
                self.open_one()
            if time.monotonic() > deadline:
                raise TimeoutError("only %d of %d connected" % (self.open_count, self.n))
            self.poll(0.5)

    # -- the chat phase

    def chat(self, settle_timeout=60):
        """Sends the lines, paced, and waits until all N receivers have all of them."""
        self.sender = self.conns[0]
        interval = 1.0 / self.rate
        start = time.monotonic()
        k = 0
        deadline = None
        while True:
            now = time.monotonic()
            if k < self.lines and now >= start + k * interval:
                frame = ws_frame(json.dumps({"type": "say", "id": 2 + k, "room": "lobby",
                                             "text": "bench %d of the fan-out run" % k})
                                 .encode())
                self.send_t[k] = time.monotonic()
                self.sender.send(frame)
                k += 1
                if k == self.lines:
                    deadline = time.monotonic() + settle_timeout
                continue
            if k == self.lines:
                if all(t is not None for t in self.last_t):
                    break
                now = time.monotonic()
                # a receiver is gone: the lines cannot complete; wait a little only
                if now > deadline or (self.dropped and now > deadline - settle_timeout + 5):
                    break
                self.poll(0.2)
            else:
                self.poll(max(0.0, start + k * interval - time.monotonic()))
        return time.monotonic() - start

    def check(self):
        """Missing / out-of-order / duplicate lines over all receivers."""
        missing = ooo = dup = 0
        for c in self.conns:
            seen = set()
            prev = -1
            for k in c.got:
                if k in seen:
                    dup += 1
                    continue
                seen.add(k)
                if k < prev:
                    ooo += 1
                prev = max(prev, k)
            missing += self.lines - len(seen)
        return missing, ooo, dup

    def shutdown(self):
        """Closes every client socket."""
        for c in self.conns:
            if c.state != CLOSED:
                try:
                    self.sel.unregister(c.sock)
                except (KeyError, ValueError):
                    pass
                c.sock.close()
                c.state = CLOSED
        self.sel.close()


def pct(values, p):
    """The p-th percentile (nearest rank) of values."""
    v = sorted(values)
    if not v:
        return float("nan")
    i = max(0, min(len(v) - 1, int(round(p / 100.0 * len(v) + 0.5)) - 1))
    return v[i]


def run_one(binary, n, lines, rate):
    """One N against a fresh hub; returns a dict of results."""
    r = {"n": n}
    with confabtest.Hub(args=["--demo"], tokens=None, binary=binary) as hub:
        pid = hub.proc.pid
        time.sleep(0.2)  # let the freshly started hub finish touching its pages
        r["rss_idle"] = vm_rss_kb(pid)
        b = Bench(hub, n, lines, rate)
        try:
            cpu0 = cpu_seconds(pid)
            t0 = time.monotonic()
            b.connect_all()
            r["connect_s"] = time.monotonic() - t0
            b.drain(0.5)  # rooms events (at most one per 100 ms) settle
            r["hub_cpu_connect"] = cpu_seconds(pid) - cpu0
            r["rss_conn"] = vm_rss_kb(pid)
            r["per_conn_kb"] = (r["rss_conn"] - r["rss_idle"]) / n
            cpu1 = cpu_seconds(pid)
            pcpu1 = time.process_time()
            r["chat_s"] = b.chat()
            cpu2 = cpu_seconds(pid)
            pcpu2 = time.process_time()
            r["rss_after"] = vm_rss_kb(pid)
            r["hub_cpu_chat"] = cpu2 - cpu1
            r["py_cpu_chat"] = pcpu2 - pcpu1
            delivered = sum(b.count)
            r["delivered"] = delivered
            r["hub_us_per_msg"] = (cpu2 - cpu1) / delivered * 1e6 if delivered else float("nan")
            sent_span = b.send_t[-1] - b.send_t[0]
            r["send_rate"] = (lines - 1) / sent_span if sent_span > 0 else float("nan")
            first = [(f - s) * 1000 for f, s in zip(b.first_t, b.send_t) if f is not None]
            last = [(l - s) * 1000 for l, s in zip(b.last_t, b.send_t) if l is not None]
            r["first"] = (pct(first, 50), pct(first, 95), max(first) if first else float("nan"))
            r["last"] = (pct(last, 50), pct(last, 95), max(last) if last else float("nan"))
            r["lines_complete"] = len(last)
            r["missing"], r["ooo"], r["dup"] = b.check()
            r["dropped"] = b.dropped
            r["sender_oks"] = b.sender_oks
            r["hub_alive"] = hub.alive()
        finally:
            b.shutdown()
        hub.stop()
        r["hub_exit"] = hub.exit_code
    return r


def print_table(results, lines):
    """Prints the results as a Markdown table."""
    hdr = ("| N | RSS idle KiB | RSS N conn KiB | KiB/conn | connect s | "
           "first p50/p95/max ms | last p50/p95/max ms | missing | out-of-order | dup | "
           "dropped | hub CPU chat s | hub us/msg | py CPU chat s | send rate/s |")
    print(hdr)
    print("|" + "---|" * (hdr.count("|") - 1))
    for r in results:
        if "error" in r:
            print("| %d | error: %s |" % (r["n"], r["error"]))
            continue
        print("| %d | %d | %d | %.1f | %.2f | %.1f / %.1f / %.1f | %.1f / %.1f / %.1f | "
              "%d | %d | %d | %d | %.3f | %.2f | %.2f | %.1f |"
              % (r["n"], r["rss_idle"], r["rss_conn"], r["per_conn_kb"], r["connect_s"],
                 r["first"][0], r["first"][1], r["first"][2],
                 r["last"][0], r["last"][1], r["last"][2],
                 r["missing"], r["ooo"], r["dup"], r["dropped"],
                 r["hub_cpu_chat"], r["hub_us_per_msg"], r["py_cpu_chat"], r["send_rate"]))
    print()
    print("M = %d lines per N; latency = time from send until the first / the last of the N "
          "receivers (sender included) has the line, over the M lines; hub us/msg = hub "
          "utime+stime during the chat phase / (N*M delivered chat events)." % lines)


def main():
    ap = argparse.ArgumentParser(description="confabd fan-out benchmark (loopback)")
    ap.add_argument("--confabd", default=os.environ.get("CONFABD", "/tmp/build-bench/confabd"))
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 500, 1000, 2000])
    ap.add_argument("--lines", type=int, default=50)
    ap.add_argument("--rate", type=float, default=20.0, help="lines per second")
    ap.add_argument("--json", help="also write the raw results to this file")
    args = ap.parse_args()
    if not os.access(args.confabd, os.X_OK):
        sys.exit("confabd not found at %r (use --confabd)" % args.confabd)
    limit = raise_fd_limit()
    need = max(args.sizes) + 64
    if limit < need:
        sys.exit("fd limit %d too low for N=%d" % (limit, max(args.sizes)))
    print("confabd: %s; fd limit %d; M=%d lines at %.0f/s" %
          (args.confabd, limit, args.lines, args.rate), flush=True)
    results = []
    t_all = time.monotonic()
    for n in args.sizes:
        t0 = time.monotonic()
        try:
            r = run_one(args.confabd, n, args.lines, args.rate)
        except Exception as e:  # noqa: BLE001 - report and go on with the next N
            r = {"n": n, "error": "%s: %s" % (type(e).__name__, e)}
        r["wall_s"] = time.monotonic() - t0
        results.append(r)
        print("N=%d done in %.1f s: %s" % (n, r["wall_s"], json.dumps(r)), flush=True)
    print("total %.1f s" % (time.monotonic() - t_all))
    print()
    print_table(results, args.lines)
    if args.json:
        with open(args.json, "w") as fp:
            json.dump(results, fp, indent=1)
    bad = any("error" in r or r["missing"] or r["ooo"] or r["dup"] or r["dropped"]
              for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
