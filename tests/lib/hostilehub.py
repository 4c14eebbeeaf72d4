"""hostilehub: a scripted, hostile confab hub for tests of the client (Python 3 stdlib only).

    def script(conn):                  # runs in a thread per connection, after the hello
        conn.reply("welcome", **welcome_fields(conn, rooms=[...]))
        conn.event("timer", "timers", now=now_ms(), timer=timer(deadline=2**63 - 1))
    with HostileHub(script) as hub:    # 127.0.0.1, a free port: hub.url, hub.port
        ...run confab against hub.url...

The hub speaks the WebSocket handshake with the subprotocol confab.1 and never negotiates
permessage-deflate (libwebsockets 4.1.6 clients that negotiated it hang on uncompressed
frames), reads the client's hello, then runs the script, which may send anything at all.
When the script returns (unless it returns False), the connection keeps being served
(serve()): pings get pongs (hub times now; none with pong=False), `who` gets `members`,
`history` an empty reply, any other request `ok`, until the client goes away.

* HubConn (a WsPeer of tests/lib/confabtest.py, the server end): hello (the request, a
  dict), reply(type, **fields) (re: the hello's id), answer(req, type, **fields),
  event(type, stream, seq=None, **fields) (seq: a counter per stream), serve(pong=True),
  requests (every request read so far, in order).
* HostileHub(script): conns (the connections so far), errors (tracebacks of scripts that
  raised), wait_conns(n), wait_requests(pred, n), close(); a context manager.
* welcome_fields(conn, ...), room(id, ...), timer(...), now_ms(): valid hub objects, to be
  spoiled on purpose.

Nothing sleeps a fixed time: waits poll a condition until a generous deadline.
"""

import itertools
import json
import re
import socket
import threading
import time
import traceback

from confabtest import DEFAULT_TIMEOUT, WsClosed, WsPeer, ws_accept_key


def now_ms():
    """The wall clock in UTC milliseconds."""
    return int(time.time() * 1000)


def room(rid, kind="discussion", occupancy=0, capacity=0, title=None, **extra):
    """A room object (section 8.1 of doc/PROTOCOL.md)."""
    r = {"id": rid, "title": title if title is not None else rid, "kind": kind,
         "occupancy": occupancy, "capacity": capacity}
    r.update(extra)
    return r


def timer(scope="main", state="idle", label="", duration_ms=0, by="", rev=1, **extra):
    """A timer object (section 8.2); give deadline (running) or remaining_ms (paused)."""
    t = {"scope": scope, "state": state, "label": label, "duration_ms": duration_ms,
         "warn_ms": 60000, "danger_ms": 30000, "rev": rev, "by": by}
    t.update(extra)
    return t


def welcome_fields(conn, rooms=None, timers=None, joined=None, now=None, **extra):
    """The members of a valid welcome answering conn's hello (pass them to reply())."""
    w = {"proto": 1, "hub": "hostile", "epoch": "0123456789abcdef",
         "name": conn.hello.get("name", "guest"), "role": "attendee",
         "resume": "r" * 32, "now": now_ms() if now is None else now,
         "limits": {"frame": 16384, "text": 2000, "name": 32, "history": 200,
                    "backlog": 20},
         "rooms": rooms if rooms is not None else [room("lobby", "lobby", 1)],
         "timers": timers if timers is not None else [timer()],
         "joined": joined if joined is not None else ["lobby"],
         "lineup": {"items": [], "current": -1}}
    w.update(extra)
    return w


class HubConn(WsPeer):
    """The hub's end of one client connection."""

    def __init__(self, sock, buf, hub):
        WsPeer.__init__(self, sock, mask=False, buf=buf)
        self.hub = hub
        self.hello = None
        self.requests = []
        self._seqs = {}
        self._lock = threading.Lock()

    def _sendall(self, data):
        """Writes bytes (several threads may send: frames are never interleaved)."""
        with self._lock:
            self.sock.sendall(data)

    def send_json(self, obj):
        """Sends obj as compact JSON (a welcome of 100,000 rooms stays under 8 MiB)."""
        self.send_text(json.dumps(obj, separators=(",", ":")))

    def next_request(self, timeout=DEFAULT_TIMEOUT):
        """The next request from the client (a dict), recorded in requests."""
        msg = self.recv(timeout)
        if isinstance(msg, dict):
            with self.hub.cond:
                self.requests.append(msg)
                self.hub.cond.notify_all()
        return msg

    def reply(self, type_, **fields):
        """Sends a reply to the hello."""
        self.answer(self.hello, type_, **fields)

    def answer(self, req, type_, **fields):
        """Sends a reply to request req (its id as "re")."""
        obj = {"type": type_, "re": req.get("id", 0) if req else 0}
        obj.update(fields)
        self.send_json(obj)

    def event(self, type_, stream, seq=None, **fields):
        """Sends an event; seq defaults to the next number of the stream."""
        if seq is None:
            seq = self._seqs.get(stream, 0) + 1
        self._seqs[stream] = max(self._seqs.get(stream, 0), seq if isinstance(seq, int)
                                 else 0)
        obj = {"type": type_, "stream": stream, "seq": seq}
        obj.update(fields)
        self.send_json(obj)

    def serve(self, pong=True):
        """Answers requests like a quiet hub until the client goes away."""
        try:
            while True:
                try:
                    req = self.next_request(timeout=3600)
                except TimeoutError:
                    continue
                if not isinstance(req, dict):
                    continue
                kind = req.get("type")
                if kind == "ping":
                    if pong:
                        t = now_ms()
                        self.answer(req, "pong", t0=req.get("t0"), t1=t, t2=t)
                elif kind == "who":
                    self.answer(req, "members", room=req.get("room", "lobby"),
                                names=[self.hello.get("name", "guest")])
                elif kind == "history":
                    self.answer(req, "history", room=req.get("room", "lobby"), events=[],
                                more=False)
                else:
                    self.answer(req, "ok")
        except (WsClosed, OSError):
            pass


class HostileHub:
    """A listening socket on 127.0.0.1 (a free port) that runs script(conn) for each
    client connection after its hello."""

    _names = itertools.count(1)

    def __init__(self, script, pong=True):
        self.script = script
        self.pong = pong
        self.lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.lsock.bind(("127.0.0.1", 0))
        self.lsock.listen(16)
        self.port = self.lsock.getsockname()[1]
        self.url = "ws://127.0.0.1:%d" % self.port
        self.conns = []
        self.errors = []
        self.handshakes = []
        self.cond = threading.Condition()
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self._stop:
            try:
                sock, _ = self.lsock.accept()
            except OSError:
                return
            threading.Thread(target=self._run, args=(sock,), daemon=True).start()

    def _handshake(self, sock):
        """Answers the opening handshake; returns the bytes read past it, or None."""
        buf = b""
        deadline = time.monotonic() + DEFAULT_TIMEOUT
        sock.settimeout(DEFAULT_TIMEOUT)
        while b"\r\n\r\n" not in buf:
            if time.monotonic() > deadline:
                return None
            data = sock.recv(65536)
            if not data:
                return None
            buf += data
        head, rest = buf.split(b"\r\n\r\n", 1)
        text = head.decode("latin-1")
        with self.cond:
            self.handshakes.append(text)
        key = re.search(r"(?im)^Sec-WebSocket-Key:\s*(\S+)", text)
        proto = re.search(r"(?im)^Sec-WebSocket-Protocol:\s*(.*)$", text)
        if key is None or proto is None or "confab.1" not in proto.group(1):
            sock.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            return None
        # no Sec-WebSocket-Extensions: permessage-deflate is never negotiated
        sock.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n"
                      "Sec-WebSocket-Protocol: confab.1\r\n\r\n"
                      % ws_accept_key(key.group(1))).encode())
        return rest

    def _run(self, sock):
        conn = None
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            rest = self._handshake(sock)
            if rest is None:
                sock.close()
                return
            conn = HubConn(sock, rest, self)
            with self.cond:
                self.conns.append(conn)
                self.cond.notify_all()
            while conn.hello is None:
                req = conn.next_request()
                if isinstance(req, dict) and req.get("type") == "hello":
                    conn.hello = req
            if self.script(conn) is not False:
                conn.serve(pong=self.pong)
        except (WsClosed, OSError, TimeoutError):
            pass
        except Exception:  # noqa: BLE001 - reported by the test
            with self.cond:
                self.errors.append(traceback.format_exc())
                self.cond.notify_all()
        finally:
            if conn is not None:
                conn.close()
            else:
                sock.close()

    def wait(self, pred, timeout=DEFAULT_TIMEOUT, what="a condition"):
        """Waits until pred() is true (checked whenever a connection or request comes);
        returns its value or raises TimeoutError."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                v = pred()
                if v:
                    return v
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("hostile hub: no %s in %.0fs" % (what, timeout))
                self.cond.wait(min(left, 0.5))

    def wait_conns(self, n, timeout=DEFAULT_TIMEOUT):
        """Waits until n connections have been accepted; returns the list."""
        return self.wait(lambda: len(self.conns) >= n and self.conns, timeout,
                         "%d connections" % n)

    def requests(self, kind):
        """The requests of this type over every connection so far."""
        with self.cond:
            return [r for c in self.conns for r in c.requests if r.get("type") == kind]

    def wait_requests(self, kind, n, timeout=DEFAULT_TIMEOUT):
        """Waits until n requests of this type have come in (all connections)."""
        return self.wait(lambda: len(self.requests(kind)) >= n and self.requests(kind),
                         timeout, "%d %s requests" % (n, kind))

    def close(self):
        """Stops accepting and closes every connection."""
        self._stop = True
        try:
            self.lsock.close()
        except OSError:
            pass
        for c in list(self.conns):
            c.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
