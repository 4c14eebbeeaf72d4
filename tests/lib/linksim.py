#!/usr/bin/env python3
"""linksim: a TCP link simulator for confab's tests and benchmarks (Python 3 stdlib only).

What it is
    A small proxy that sits between a client and the hub on loopback and makes the link
    between them worse on purpose: one-way latency (asymmetric allowed), a bandwidth cap per
    direction, connections cut on demand or at seeded-random times, and refused connections
    (a simulated outage). It works at the TCP level and does not parse WebSocket.

How to use it (as a module)
    from linksim import LinkSim
    sim = LinkSim(hub.port, up_delay_ms=400, down_delay_ms=400, up_kbps=32, down_kbps=32)
    sim.start()                      # binds 127.0.0.1 on a free port -> sim.port
    ws = WsClient(sim.port)          # the client talks to the proxy
    sim.cut()                        # closes every current connection now (RST)
    sim.blackhole()                  # current connections go silent (no FIN, no RST)
    sim.refuse(True)                 # new connections are reset at once
    sim.cut_random(500, 100)         # 100 cuts, about every 500 ms, seeded
    sim.set_delay(up_ms=100)         # live changes (apply to data read from now on)
    sim.set_bandwidth(down_kbps=None)
    sim.bytes_up, sim.bytes_down     # bytes delivered per direction (all connections)
    sim.connections[-1].bytes_up     # ... and per connection
    LinkSim(port, capture=4096)      # keeps the first 4096 bytes of each direction of each
    sim.connections[-1].head[UP]     # connection: what crossed the wire (bytes)
    sim.stop()
    "Up" is client -> target, "down" is target -> client. LinkSim is a context manager.

How to use it (as a program)
    python3 tests/lib/linksim.py --listen 127.0.0.1:0 --target 127.0.0.1:PORT \
        [--up-delay MS] [--down-delay MS] [--rtt MS] [--kbps K | --up-kbps K --down-kbps K]
        [--seed N] [--cut-every MS --cuts N] [--max-conns N]
    It prints "linksim listening on 127.0.0.1:PORT" on stderr once ready, runs until
    SIGTERM or SIGINT, then prints a one-line byte count summary on stderr and exits 0.
    --rtt splits the round trip evenly between the two directions.

Model and guarantees
    * Each connection has two directions, each an independent simulated link (the cap is
      per connection and per direction, not shared between connections).
    * A chunk of n bytes read at time t enters its link at start = max(t, link free);
      it occupies the link for n*8/kbps ms (serialization), then travels for the one-way
      delay: it is written to the other side at start + n*8/kbps ms + delay. Bytes are
      never reordered, duplicated or altered; while capped, reads are limited to small
      chunks (about 20 ms of link time) so delivery is smooth rather than bursty.
    * Delay and bandwidth are lower bounds on what the peer sees: the machine may add
      more (scheduling), never less.
    * A half close (FIN) is delivered in order after the data before it, with the same
      delay; a connection closes once both directions have been closed.
    * cut() closes both sides of every current connection abruptly with SO_LINGER 0, so
      both peers see a TCP reset (ECONNRESET, or EOF on some reads). Data queued inside
      the simulator is lost, like on a real broken link. A reset from one side is passed
      on to the other side at once (not delayed).
    * blackhole() makes every current connection silent, as when a link dies without a
      word (a NAT forgets it, a cable is pulled): data queued inside the simulator is
      dropped, and from then on whatever either side sends is read and thrown away; no
      FIN and no reset is passed on. Both sockets stay open until their own peer closes
      them (or stop()), so each side finds out only through its own timeouts. New
      connections are not affected.
    * refuse(True): the kernel still completes the TCP handshake (the listening socket
      stays open), but every new connection is reset at once, before any byte goes
      through; the client sees a reset or EOF on its first read or write (or, racing,
      already as ECONNRESET from connect()).
    * cut_random(mean_interval_ms, count, rng): count cuts at intervals drawn uniformly
      from [0.5, 1.5] * mean_interval_ms (so never two cuts at the same instant). The
      schedule depends only on the rng (default: random.Random(seed)), so the same seed
      gives the same schedule; it is returned as a list of offsets in ms from now, and
      also available as cut_schedule(mean, count, seed) without starting anything.
    * drop_every=MS in the constructor means cut_random(MS, drop_count) at start().

Limits
    * Bounded: at most max_conns connections at once (more are reset), at most max_buffer
      bytes queued per direction per connection (when full the simulator stops reading,
      so TCP backpressure reaches the sender), a bounded history of connection records.
    * One thread runs all the I/O (selectors); stop() ends it. It is a daemon thread, so a
      forgotten simulator never keeps a test process alive.
    * Timing granularity is about a millisecond; it is meant for tens of connections and
      a few MB/s, not for performance testing of the proxy itself.
    * Only TCP to a fixed target; it binds 127.0.0.1 only when used as a module.
"""

import argparse
import collections
import random
import selectors
import signal
import socket
import struct
import sys
import threading
import time

_KEEP = object()          # "leave this parameter unchanged" in set_delay/set_bandwidth
UP, DOWN = 0, 1
_FIN = None               # queue marker: the source half-closed after the data before it
HISTORY = 1000            # connection records kept in LinkSim.connections


def cut_schedule(mean_interval_ms, count, rng=0):
    """The cut times (ms from the start, increasing) that cut_random() uses; rng is a
    random.Random or a seed."""
    if not isinstance(rng, random.Random):
        rng = random.Random(rng)
    if mean_interval_ms <= 0 or count < 0:
        raise ValueError("cut_schedule: mean_interval_ms must be > 0 and count >= 0")
    times, t = [], 0.0
    for _ in range(int(count)):
        t += rng.uniform(0.5, 1.5) * mean_interval_ms
        times.append(round(t, 3))
    return times


def _chunk_size(kbps):
    """How much to read at once: about 20 ms of link time when capped."""
    if kbps is None:
        return 65536
    return int(max(256, min(65536, kbps * 1000 / 8 * 0.020)))


def _reset_close(sock):
    """Closes sock with SO_LINGER 0 so that the peer gets a reset."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


class _Direction:
    """One direction of one connection: a queue of (due time, bytes or _FIN)."""

    def __init__(self):
        self.queue = collections.deque()
        self.buffered = 0          # bytes in the queue
        self.link_free = 0.0       # when the simulated link is free again
        self.read_eof = False      # the source sent FIN (or we stop reading)
        self.done = False          # the FIN was passed on to the destination
        self.blocked = False       # a due write met a full socket: wait for writability


class Connection:
    """One proxied connection; the public fields are its statistics."""

    def __init__(self, cid, client, server, now):
        self.id = cid
        self.client = client
        self.server = server
        self.opened = now
        self.closed = None         # monotonic time of closing, None while open
        self.how = None            # "closed", "cut", "reset", "stopped" or "blackholed"
        self.blackholed = False    # silent since blackhole(): reads are thrown away
        self.bytes_up = 0          # bytes delivered client -> target
        self.bytes_down = 0        # bytes delivered target -> client
        self.dirs = (_Direction(), _Direction())
        self.head = (bytearray(), bytearray())  # the first bytes read per direction
                                                # (LinkSim's capture)

    def src(self, d):
        """The socket a direction reads from."""
        return self.client if d == UP else self.server

    def dst(self, d):
        """The socket a direction writes to."""
        return self.server if d == UP else self.client

    def __repr__(self):
        return "<Connection %d up=%d down=%d %s>" % (self.id, self.bytes_up,
                                                     self.bytes_down, self.how or "open")


class LinkSim:
    """The simulator: see the module docstring."""

    def __init__(self, target_port, target_host="127.0.0.1", up_delay_ms=0, down_delay_ms=0,
                 up_kbps=None, down_kbps=None, seed=0, drop_every=None, drop_count=100,
                 listen_host="127.0.0.1", listen_port=0, max_conns=64,
                 max_buffer=256 * 1024, connect_timeout=5.0, capture=0):
        self.target = (target_host, int(target_port))
        self.capture = capture     # bytes kept per direction per connection (Connection.head)
        self.listen_addr = (listen_host, int(listen_port))
        self.seed = seed
        self.drop_every = drop_every
        self.drop_count = drop_count
        self.max_conns = max_conns
        self.max_buffer = max_buffer
        self.connect_timeout = connect_timeout
        self._lock = threading.Lock()
        self._delay = [0.0, 0.0]
        self._kbps = [None, None]
        self.set_delay(up_delay_ms, down_delay_ms)
        self.set_bandwidth(up_kbps, down_kbps)
        self.port = None
        self.bytes_up = 0
        self.bytes_down = 0
        self.accepted = 0          # connections proxied
        self.refused = 0           # connections reset by refuse() or max_conns
        self.cuts_done = 0         # cut events run (cut() and scheduled)
        self.blackholed = 0        # connections made silent by blackhole()
        self.cut_connections = 0   # connections ended by a cut
        self.connections = []      # Connection records, the last HISTORY ones
        self.schedule = []         # the last random schedule (ms offsets)
        self._refusing = False
        self._live = {}            # socket -> (Connection, role)
        self._conns = set()
        self._cut_times = []       # pending scheduled cuts (monotonic, increasing)
        self._calls = collections.deque()
        self._sel = None
        self._listener = None
        self._wake_r = self._wake_w = None
        self._thread = None
        self._stopping = False
        self._next_id = 1

    # -- parameters (thread-safe)

    def set_delay(self, up_ms=_KEEP, down_ms=_KEEP):
        """Changes the one-way delays (ms); applies to data read from now on."""
        with self._lock:
            for d, v in ((UP, up_ms), (DOWN, down_ms)):
                if v is not _KEEP:
                    if v is None or v < 0:
                        raise ValueError("linksim: a delay must be >= 0 ms")
                    self._delay[d] = v / 1000.0

    def set_bandwidth(self, up_kbps=_KEEP, down_kbps=_KEEP):
        """Changes the caps (kbit/s, None for no cap); applies to data read from now on."""
        with self._lock:
            for d, v in ((UP, up_kbps), (DOWN, down_kbps)):
                if v is not _KEEP:
                    if v is not None and v <= 0:
                        raise ValueError("linksim: a bandwidth must be > 0 kbit/s or None")
                    self._kbps[d] = v

    def params(self):
        """The current (up_delay_ms, down_delay_ms, up_kbps, down_kbps)."""
        with self._lock:
            return (self._delay[UP] * 1000, self._delay[DOWN] * 1000,
                    self._kbps[UP], self._kbps[DOWN])

    def refuse(self, flag=True):
        """While true, new connections are reset as soon as they are accepted."""
        self._refusing = bool(flag)

    # -- life cycle

    def start(self):
        """Binds the listening socket, starts the I/O thread; returns self (port in .port)."""
        if self._thread is not None:
            raise RuntimeError("linksim: already started")
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(self.listen_addr)
        self._listener.listen(128)
        self._listener.setblocking(False)
        self.port = self._listener.getsockname()[1]
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._sel = selectors.DefaultSelector()
        self._sel.register(self._listener, selectors.EVENT_READ, "listen")
        self._sel.register(self._wake_r, selectors.EVENT_READ, "wake")
        self._thread = threading.Thread(target=self._loop, name="linksim-%d" % self.port,
                                        daemon=True)
        self._thread.start()
        if self.drop_every:
            self.cut_random(self.drop_every, self.drop_count)
        return self

    def stop(self, timeout=10.0):
        """Closes every connection and the listener and ends the thread."""
        if self._thread is None:
            return
        self._stopping = True
        self._wake()
        self._thread.join(timeout)
        self._thread = None

    def __enter__(self):
        return self.start() if self._thread is None else self

    def __exit__(self, *exc):
        self.stop()
        return False

    # -- cuts

    def cut(self, timeout=10.0):
        """Closes every current connection now, both sides, with a reset; returns how
        many connections were cut (after the I/O thread has done it)."""
        return self._run_in_loop(self._do_cut, timeout)

    def cut_random(self, mean_interval_ms, count, rng=None):
        """Schedules `count` cuts at seeded-random intervals (see cut_schedule) from now;
        rng defaults to random.Random(self.seed). Returns the schedule (ms offsets)."""
        sched = cut_schedule(mean_interval_ms, count,
                             rng if rng is not None else random.Random(self.seed))
        self.schedule = list(sched)

        def add():
            now = time.monotonic()
            self._cut_times = sorted(self._cut_times + [now + ms / 1000.0 for ms in sched])
        self._run_in_loop(add)
        return sched

    def blackhole(self, timeout=10.0):
        """Makes every current connection silent (see the module docstring); returns how
        many connections (after the I/O thread has done it)."""
        return self._run_in_loop(self._do_blackhole, timeout)

    def pending_cuts(self):
        """How many scheduled cuts have not happened yet."""
        return len(self._cut_times)

    def open_connections(self):
        """How many connections are open now."""
        return len(self._conns)

    def stats(self):
        """A dict of the counters."""
        return {"bytes_up": self.bytes_up, "bytes_down": self.bytes_down,
                "accepted": self.accepted, "refused": self.refused,
                "cuts": self.cuts_done, "cut_connections": self.cut_connections,
                "blackholed": self.blackholed,
                "open": len(self._conns)}

    def summary(self):
        """The one-line summary that the program prints on exit."""
        s = self.stats()
        return ("linksim: %(accepted)d connections (%(refused)d refused), "
                "%(bytes_up)d bytes up, %(bytes_down)d bytes down, "
                "%(cuts)d cuts (%(cut_connections)d connections cut)" % s)

    # -- the I/O thread

    def _wake(self):
        try:
            self._wake_w.send(b"x")
        except (OSError, AttributeError):
            pass

    def _run_in_loop(self, fn, timeout=10.0):
        """Runs fn() in the I/O thread and returns its result."""
        if self._thread is None:
            raise RuntimeError("linksim: not started")
        if threading.current_thread() is self._thread:
            return fn()
        done = threading.Event()
        box = []

        def call():
            try:
                box.append(fn())
            finally:
                done.set()
        self._calls.append(call)
        self._wake()
        if not done.wait(timeout):
            raise TimeoutError("linksim: the I/O thread did not answer")
        return box[0] if box else None

    def _loop(self):
        try:
            while not self._stopping:
                timeout = self._next_timeout()
                for key, _ in self._sel.select(timeout):
                    if self._stopping:
                        break
                    self._event(key.data, key.fileobj)
                while self._calls:
                    self._calls.popleft()()
                now = time.monotonic()
                while self._cut_times and self._cut_times[0] <= now:
                    self._cut_times.pop(0)
                    self._do_cut()
                self._flush_all()
                self._update_interest()
        finally:
            for conn in list(self._conns):
                self._close_conn(conn, "stopped", reset=True)
            for s in (self._listener, self._wake_r, self._wake_w):
                try:
                    s.close()
                except OSError:
                    pass
            self._sel.close()
            while self._calls:       # never leave a caller waiting
                self._calls.popleft()()

    def _next_timeout(self):
        """Seconds until the next due chunk or scheduled cut (None: nothing pending)."""
        nxt = self._cut_times[0] if self._cut_times else None
        for conn in self._conns:
            for d in conn.dirs:
                if d.queue and not d.blocked and (nxt is None or d.queue[0][0] < nxt):
                    nxt = d.queue[0][0]
        if nxt is None:
            return None
        return max(0.0, nxt - time.monotonic())

    def _event(self, what, sock):
        if what == "wake":
            try:
                while self._wake_r.recv(4096):
                    pass
            except OSError:
                pass
        elif what == "listen":
            self._accept()
        else:
            entry = self._live.get(sock)
            if entry is not None:
                self._readable(entry[0], entry[1])

    def _accept(self):
        """Accepts everything pending; proxies it, or resets it when refusing or full."""
        while True:
            try:
                client, _ = self._listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return
            if self._refusing or len(self._conns) >= self.max_conns:
                self.refused += 1
                _reset_close(client)
                continue
            try:
                server = socket.create_connection(self.target, timeout=self.connect_timeout)
            except OSError:
                self.refused += 1
                _reset_close(client)
                continue
            now = time.monotonic()
            conn = Connection(self._next_id, client, server, now)
            self._next_id += 1
            for s in (client, server):
                s.setblocking(False)
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._conns.add(conn)
            self._live[client] = (conn, UP)      # reading the client feeds UP
            self._live[server] = (conn, DOWN)
            self._sel.register(client, selectors.EVENT_READ, "conn")
            self._sel.register(server, selectors.EVENT_READ, "conn")
            self.accepted += 1
            self.connections.append(conn)
            if len(self.connections) > HISTORY:
                del self.connections[:len(self.connections) - HISTORY]

    def _readable(self, conn, d):
        """Reads what the source of direction d has and queues it with its due time."""
        dirn = conn.dirs[d]
        if conn.blackholed:
            self._discard(conn, d)
            return
        with self._lock:
            delay, kbps = self._delay[d], self._kbps[d]
        size = _chunk_size(kbps)
        while not dirn.read_eof and dirn.buffered < self.max_buffer:
            try:
                data = conn.src(d).recv(size)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                self._close_conn(conn, "reset", reset=True)
                return
            now = time.monotonic()
            start = max(now, dirn.link_free)
            if data and kbps is not None:
                dirn.link_free = start + len(data) * 8 / (kbps * 1000.0)
            else:
                dirn.link_free = start
            due = dirn.link_free + delay
            if dirn.queue and dirn.queue[-1][0] > due:
                due = dirn.queue[-1][0]   # a live change never reorders
            if not data:
                dirn.read_eof = True
                dirn.queue.append((due, _FIN))
                return
            if len(conn.head[d]) < self.capture:
                conn.head[d].extend(data[:self.capture - len(conn.head[d])])
            dirn.queue.append((due, data))
            dirn.buffered += len(data)

    def _flush_all(self):
        for conn in list(self._conns):
            for d in (UP, DOWN):
                if conn in self._conns:
                    self._flush(conn, d)

    def _flush(self, conn, d):
        """Writes the due chunks of direction d (partial writes keep the rest queued)."""
        dirn = conn.dirs[d]
        now = time.monotonic()
        while dirn.queue and dirn.queue[0][0] <= now:
            due, data = dirn.queue[0]
            if data is _FIN:
                dirn.queue.popleft()
                dirn.done = True
                try:
                    conn.dst(d).shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                if conn.dirs[UP].done and conn.dirs[DOWN].done:
                    self._close_conn(conn, "closed", reset=False)
                return
            try:
                n = conn.dst(d).send(data)
            except (BlockingIOError, InterruptedError):
                dirn.blocked = True
                return
            except OSError:
                self._close_conn(conn, "reset", reset=True)
                return
            if d == UP:
                conn.bytes_up += n
                self.bytes_up += n
            else:
                conn.bytes_down += n
                self.bytes_down += n
            dirn.buffered -= n
            dirn.blocked = False
            if n < len(data):
                dirn.queue[0] = (due, data[n:])
                dirn.blocked = True
                return
            dirn.queue.popleft()

    def _update_interest(self):
        """Reads only where there is room; waits for writability where a write is due."""
        for conn in self._conns:
            for d in (UP, DOWN):
                dirn = conn.dirs[d]
                want_read = not dirn.read_eof and dirn.buffered < self.max_buffer
                sock = conn.src(d)
                other = conn.dirs[1 - d]
                # sock is the source of d and the destination of the other direction
                want_write = bool(other.queue) and other.blocked
                ev = (selectors.EVENT_READ if want_read else 0) | \
                    (selectors.EVENT_WRITE if want_write else 0)
                try:
                    key = self._sel.get_key(sock)
                except KeyError:
                    key = None
                if key is None and ev:
                    self._sel.register(sock, ev, "conn")
                elif key is not None and not ev:
                    self._sel.unregister(sock)
                elif key is not None and key.events != ev:
                    self._sel.modify(sock, ev, "conn")

    def _do_cut(self):
        """Resets every current connection; returns how many."""
        self.cuts_done += 1
        conns = list(self._conns)
        for conn in conns:
            self._close_conn(conn, "cut", reset=True)
        self.cut_connections += len(conns)
        return len(conns)

    def _do_blackhole(self):
        """Makes every current connection silent; returns how many."""
        conns = [c for c in self._conns if not c.blackholed]
        for conn in conns:
            conn.blackholed = True
            for dirn in conn.dirs:
                dirn.queue.clear()
                dirn.buffered = 0
                dirn.blocked = False
        self.blackholed += len(conns)
        return len(conns)

    def _discard(self, conn, d):
        """Reads and drops what the source of direction d sends on a silent connection;
        once both sides have closed (or failed), forgets the connection quietly."""
        dirn = conn.dirs[d]
        while not dirn.read_eof:
            try:
                data = conn.src(d).recv(65536)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                data = b""
            if not data:
                dirn.read_eof = True
        if conn.dirs[UP].read_eof and conn.dirs[DOWN].read_eof:
            self._close_conn(conn, "blackholed", reset=False)

    def _close_conn(self, conn, how, reset):
        """Closes both sockets of conn (with a reset when asked) and forgets it."""
        if conn not in self._conns:
            return
        self._conns.discard(conn)
        conn.closed = time.monotonic()
        conn.how = how
        for s in (conn.client, conn.server):
            self._live.pop(s, None)
            try:
                self._sel.unregister(s)
            except (KeyError, ValueError):
                pass
            if reset:
                _reset_close(s)
            else:
                try:
                    s.close()
                except OSError:
                    pass
        for dirn in conn.dirs:
            dirn.queue.clear()
            dirn.buffered = 0


# ---------------------------------------------------------------------------------------
# The program

def _hostport(text):
    """Parses HOST:PORT."""
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise argparse.ArgumentTypeError("expected HOST:PORT, got %r" % text)
    return host.strip("[]"), int(port)


def _nonneg(text):
    """Parses a number >= 0."""
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("not a number: %r" % text)
    if v < 0:
        raise argparse.ArgumentTypeError("must be >= 0: %r" % text)
    return v


def _positive(text):
    """Parses a number > 0."""
    v = _nonneg(text)
    if v == 0:
        raise argparse.ArgumentTypeError("must be > 0: %r" % text)
    return v


def main(argv=None):
    """The command-line program; returns the exit code."""
    ap = argparse.ArgumentParser(prog="linksim", description="A TCP link simulator: adds "
                                 "latency, caps bandwidth and cuts connections.")
    ap.add_argument("--listen", type=_hostport, default=("127.0.0.1", 0),
                    help="HOST:PORT to listen on (default 127.0.0.1:0)")
    ap.add_argument("--target", type=_hostport, required=True, help="HOST:PORT to forward to")
    ap.add_argument("--up-delay", type=_nonneg, help="one-way delay client->target, ms")
    ap.add_argument("--down-delay", type=_nonneg, help="one-way delay target->client, ms")
    ap.add_argument("--rtt", type=_nonneg, help="round trip time, ms, split evenly")
    ap.add_argument("--kbps", type=_positive, help="bandwidth cap both ways, kbit/s")
    ap.add_argument("--up-kbps", type=_positive, help="bandwidth cap client->target")
    ap.add_argument("--down-kbps", type=_positive, help="bandwidth cap target->client")
    ap.add_argument("--seed", type=int, default=0, help="seed for random cuts (default 0)")
    ap.add_argument("--cut-every", type=_positive, metavar="MS",
                    help="cut all connections about every MS ms (seeded)")
    ap.add_argument("--cuts", type=int, default=100, metavar="N",
                    help="how many random cuts (default 100)")
    ap.add_argument("--max-conns", type=int, default=64, help="connections at once")
    args = ap.parse_args(argv)

    half = args.rtt / 2 if args.rtt is not None else 0
    up = args.up_delay if args.up_delay is not None else half
    down = args.down_delay if args.down_delay is not None else half
    if args.cuts < 0 or args.max_conns < 1:
        ap.error("--cuts must be >= 0 and --max-conns >= 1")
    sim = LinkSim(args.target[1], target_host=args.target[0], up_delay_ms=up,
                  down_delay_ms=down,
                  up_kbps=args.up_kbps if args.up_kbps is not None else args.kbps,
                  down_kbps=args.down_kbps if args.down_kbps is not None else args.kbps,
                  seed=args.seed, drop_every=args.cut_every, drop_count=args.cuts,
                  listen_host=args.listen[0], listen_port=args.listen[1],
                  max_conns=args.max_conns)
    quit_ev = threading.Event()

    def on_signal(signum, frame):
        quit_ev.set()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        sim.start()
    except OSError as e:
        print("linksim: cannot listen on %s:%d: %s" % (args.listen[0], args.listen[1], e),
              file=sys.stderr)
        return 1
    print("linksim listening on %s:%d" % (args.listen[0], sim.port), file=sys.stderr,
          flush=True)
    while not quit_ev.wait(0.5):
        pass
    sim.stop()
    print(sim.summary(), file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
