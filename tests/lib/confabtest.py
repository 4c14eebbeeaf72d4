"""confabtest: the library of confab's integration tests (Python 3 stdlib only).

What it gives:

* TAP         -- a TAP producer: ``t = TAP(); t.ok(cond, name); t.run(func); t.done()``;
                 t.skip(name, why) for a test point skipped with its reason.
                 Test functions that raise count as "not ok" with the traceback as "#"
                 diagnostics; the process exits 0 even on failures (the TAP driver counts).
* need_binaries(*names) -- bails out ("Bail out!") when $CONFAB / $CONFABD are missing.
* Hub         -- starts $CONFABD on 127.0.0.1 with a kernel-chosen port, a facilitator
                 token file in a temporary directory, learns the scheme and port from the
                 "listening on ws://HOST:PORT" (or wss://, with --tls-cert) log line, keeps
                 draining stderr, and stops it with SIGTERM (checking the exit code). A
                 context manager. With CONFAB_TEST_STORE=redis in the environment, a hub
                 that is given no --data-dir keeps its event in a private redis-server
                 of its own (tests/lib/redistest.py), so that the suites written for the
                 embedded stores run on the Redis store unchanged.
* WsPeer      -- one end of an open WebSocket on a socket (frames out, masked on the client
                 side; messages in, with ping/pong/close handling); ws_accept_key(key).
* WsClient    -- a minimal RFC 6455 client over a plain socket or TLS (tls=SSLContext), a
                 WsPeer: handshake with
                 "Sec-WebSocket-Protocol: confab.1", masked frames, fragments, raw frames,
                 ping/pong/close handling, recv() of decoded JSON objects with deadlines and
                 wait_for(predicate).
* hello(ws, name, token=None) -- sends hello and returns the welcome (or error) reply.
* PlainClient -- runs "$CONFAB --plain --name NAME ws://127.0.0.1:PORT" with pipes and a
                 reader thread; send(line), wait_line(regex), lines().
* check_restart(t, a, b, said, restart) -- what two plain clients must show across a hub
                 restart (resume after a new epoch).
* faketime_env(offset) -- an environment with libfaketime moving the wall clock, or None.

Nothing here sleeps for a fixed time: every wait polls a condition until a generous deadline.
"""

import base64
import hashlib
import json
import os
import queue
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback

import anyday  # noqa: F401 - time.sleep under tests/any-day.sh
import reaper

DEFAULT_TIMEOUT = 20.0
# make check-valgrind: confabd and confab run under valgrind's memcheck (the command and
# its options in CONFAB_VALGRIND), each writing its findings to a file of its own in
# CONFAB_VALGRIND_LOGS, which tests/valgrind-report.sh reads at the end. Everything takes
# longer under it: the default deadline too.
VALGRIND = os.environ.get("CONFAB_VALGRIND", "").split()
if VALGRIND:
    DEFAULT_TIMEOUT *= 3


def valgrind_wrap(what):
    """The command that runs binary `what` ("confabd", "confab") under valgrind, as a list
    to put before it: empty unless CONFAB_VALGRIND is set."""
    if not VALGRIND:
        return []
    logs = os.environ.get("CONFAB_VALGRIND_LOGS") or tempfile.gettempdir()
    os.makedirs(logs, exist_ok=True)
    test = os.path.splitext(os.path.basename(sys.argv[0]))[0] or "test"
    return VALGRIND + ["--log-file=%s" % os.path.join(logs, "%s-%s-%%p.log" % (test, what))]
FACILITATOR_TOKEN = "test-facilitator-token-0123"

OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA


# ---------------------------------------------------------------------------------------
# TAP

class TAP:
    """Collects test points and prints them as TAP; call done() at the end."""

    def __init__(self):
        self.n = 0
        self.failed = 0
        self.planned = None

    def plan(self, n):
        """Prints the plan up front (optional: done() prints it otherwise)."""
        self.planned = n
        print("1..%d" % n, flush=True)

    def diag(self, text):
        """Prints text as TAP diagnostics."""
        for line in str(text).splitlines() or [""]:
            print("# " + line, flush=True)

    def ok(self, cond, name, diag=None):
        """One test point; returns cond so that callers can chain."""
        self.n += 1
        name = re.sub(r"[\r\n#]", " ", str(name))
        if cond:
            print("ok %d - %s" % (self.n, name), flush=True)
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, name), flush=True)
            if diag is not None:
                self.diag(diag)
        return bool(cond)

    def skip(self, name, why):
        """A test point that cannot run here, and why (counted as skipped)."""
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, re.sub(r"[\r\n#]", " ", str(name)),
                                        re.sub(r"[\r\n#]", " ", str(why))), flush=True)

    def eq(self, got, want, name):
        """A test point that compares got with want and shows both on failure."""
        return self.ok(got == want, name, "got:  %r\nwant: %r" % (got, want))

    def run(self, func, *args, **kwargs):
        """Runs func(self, ...); an exception becomes a failed test point named after it."""
        name = getattr(func, "__name__", "test")
        try:
            func(self, *args, **kwargs)
            return True
        except Exception:  # noqa: BLE001 - every failure must be reported
            self.ok(False, "%s raised" % name, traceback.format_exc())
            return False

    def bail(self, why):
        """Stops the whole test file."""
        print("Bail out! %s" % why, flush=True)
        sys.exit(0)

    def done(self):
        """Prints the plan (if not printed yet) and exits 0."""
        if self.planned is None:
            print("1..%d" % self.n, flush=True)
        sys.stdout.flush()
        sys.exit(0)


def icalendar_module():
    """python3-icalendar, also when this python3 is not Debian's (it then looks in Debian's
    dist-packages), or None."""
    try:
        import icalendar  # noqa: F401
        return sys.modules["icalendar"]
    except ImportError:
        pass
    dist = "/usr/lib/python3/dist-packages"
    if os.path.isdir(os.path.join(dist, "icalendar")):
        sys.path.append(dist)
        try:
            import icalendar  # noqa: F401
            return sys.modules["icalendar"]
        except ImportError:
            return None
    return None


def need_binaries(tap, *envs):
    """Returns the paths in the given env vars ("CONFABD", "CONFAB"); bails out if missing."""
    paths = []
    for env in envs:
        path = os.environ.get(env)
        if not path or not os.access(path, os.X_OK):
            tap.bail("%s binary not found (%r)" % (env, path))
        paths.append(path)
    return paths


def srcdir():
    """The top source directory ($CONFAB_SRCDIR, else guessed from this file)."""
    return os.environ.get("CONFAB_SRCDIR") or \
        os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


# ---------------------------------------------------------------------------------------
# Hub

class Hub:
    """A confabd process on 127.0.0.1 and a free port.

    Hub(args=["--demo"]) starts it with "--listen 127.0.0.1:0", the given args, the rate
    limits off (unless limits=True) and (unless tokens=None) "--facilitator-token-file"
    naming a file (mode 0600) with `tokens`. Attributes: port, scheme ("ws", or "wss" when
    it serves TLS), url, token (the first token), tmpdir, proc. log() returns the stderr
    seen so far. wrap: a command that runs confabd (such as prlimit and its options).
    CONFAB_TEST_STORE=redis: without --data-dir or --redis, a private Redis (self.redis).
    """

    def __init__(self, args=None, tokens=(FACILITATOR_TOKEN,), binary=None,
                 timeout=DEFAULT_TIMEOUT, env=None, limits=False, wrap=()):
        self.binary = binary or os.environ.get("CONFABD")
        if not self.binary:
            raise RuntimeError("CONFABD is not set")
        self.tmpdir = tempfile.mkdtemp(prefix="confabtest-")
        self.token = tokens[0] if tokens else None
        cmd = list(wrap) + valgrind_wrap("confabd") + [self.binary, "--listen", "127.0.0.1:0"]
        if tokens is not None:
            path = os.path.join(self.tmpdir, "tokens")
            with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as fp:
                fp.write("# facilitator tokens for the test\n")
                for t in tokens:
                    fp.write(t + "\n")
            cmd += ["--facilitator-token-file", path]
        # Tests of other things say many lines quickly: the rate limits are off unless
        # asked for (limits=True: the hub's defaults; test_limits.py tests them).
        if not limits:
            cmd += ["--limit", "all=off"]
        cmd += list(args if args is not None else ["--demo"])
        self.redis = None
        if (os.environ.get("CONFAB_TEST_STORE") == "redis" and
                not {"--data-dir", "-D", "--redis"} & set(cmd)):
            import redistest  # only here: it is of no use to the other suites
            self.redis = redistest.Redis()
            cmd += ["--redis", self.redis.url]
        self.cmd = cmd
        self._lines = []
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._eof = False
        self.port = None
        self.exit_code = None
        full_env = dict(os.environ)
        if env:
            full_env.update(env)
        self.proc = reaper.spawn(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, env=full_env)
        self._thread = threading.Thread(target=self._drain, daemon=True)
        self._thread.start()
        try:
            m = self.wait_log(r"listening on (wss?)://([^\s:]+|\[[^\]]+\]):(\d+)", timeout)
        except Exception:
            self.kill()
            raise
        self.scheme = m.group(1)
        self.host = m.group(2)
        self.port = int(m.group(3))
        self.url = "%s://127.0.0.1:%d" % (self.scheme, self.port)

    def _drain(self):
        for raw in iter(self.proc.stderr.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with self._cond:
                self._lines.append(line)
                self._cond.notify_all()
        with self._cond:
            self._eof = True
            self._cond.notify_all()

    def log(self):
        """Everything confabd wrote to stderr so far, as one string."""
        with self._lock:
            return "\n".join(self._lines)

    def wait_log(self, regex, timeout=DEFAULT_TIMEOUT):
        """Waits for a stderr line matching regex; returns the match or raises."""
        pat = re.compile(regex)
        deadline = time.monotonic() + timeout
        seen = 0
        with self._cond:
            while True:
                while seen < len(self._lines):
                    m = pat.search(self._lines[seen])
                    seen += 1
                    if m:
                        return m
                if self._eof:
                    raise RuntimeError("confabd exited before logging %r; stderr:\n%s"
                                       % (regex, "\n".join(self._lines)))
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("confabd did not log %r in %.0fs; stderr:\n%s"
                                       % (regex, timeout, "\n".join(self._lines)))
                self._cond.wait(min(left, 0.5))

    def facilitator_args(self):
        """confab arguments that make a client a facilitator of this hub (writes the
        token into a file of its own once)."""
        path = os.path.join(self.tmpdir, "facilitator.token")
        if not os.path.exists(path):
            with open(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600), "w") as fp:
                fp.write(self.token + "\n")
        return ["--facilitator-token-file", path]

    def alive(self):
        """True while the process runs."""
        return self.proc.poll() is None

    def client(self, **kwargs):
        """A new WsClient connected to this hub."""
        return WsClient(self.port, **kwargs)

    def stop(self, timeout=DEFAULT_TIMEOUT):
        """SIGTERM, wait, and return the exit code (raises if it does not exit)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                reaper.done(self.proc)
                raise RuntimeError("confabd did not stop on SIGTERM")
        reaper.done(self.proc)
        self._thread.join(timeout)
        self.exit_code = self.proc.returncode
        self._stop_redis()
        return self.exit_code

    def _stop_redis(self):
        """Ends the private Redis (CONFAB_TEST_STORE=redis), if any."""
        if self.redis is not None:
            self.redis.stop()
            self.redis = None

    def kill(self):
        """Kills the process without checks (cleanup after a failure)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        reaper.done(self.proc)
        self.exit_code = self.proc.returncode
        self._stop_redis()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            try:
                self.stop()
            except Exception:  # noqa: BLE001
                self.kill()
        return False


# ---------------------------------------------------------------------------------------
# WebSocket client

class WsClosed(Exception):
    """The connection was closed (by the peer or an error)."""


def ws_accept_key(key):
    """The Sec-WebSocket-Accept value for a Sec-WebSocket-Key (RFC 6455, 4.2.2)."""
    return base64.b64encode(hashlib.sha1(
        (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()


class WsPeer:
    """One end of an open WebSocket connection on a socket: frames out (masked on the
    client side, as RFC 6455 wants, plain on the server side) and messages in.

    recv() returns the next received text message decoded as JSON (binary messages come
    back as bytes); every message received is also appended to `received`. Pings are
    answered; a close frame is answered and ends the stream (WsClosed).
    """

    def __init__(self, sock, mask=True, buf=b""):
        """Takes over sock (the opening handshake done); buf: bytes already read past it."""
        self.sock = sock
        self.mask = mask
        self.buf = buf
        self.received = []
        self.pending = []     # received messages not yet returned by recv()
        self.closed = False
        self.close_code = None
        self.pongs = []
        self._frag = None
        self._frag_op = None
        self._next_id = 1


    # -- sending

    def next_id(self):
        """A fresh request id."""
        i = self._next_id
        self._next_id += 1
        return i

    def send_raw_frame(self, opcode, payload, fin=True, mask=None, rsv=0):
        """Sends one frame exactly as given (payload: bytes or str); mask None: as this
        end masks (the client does, the server does not)."""
        if mask is None:
            mask = self.mask
        if isinstance(payload, str):
            payload = payload.encode("utf-8")
        b0 = (0x80 if fin else 0) | (rsv << 4) | opcode
        n = len(payload)
        mbit = 0x80 if mask else 0
        if n < 126:
            head = struct.pack("!BB", b0, mbit | n)
        elif n < 65536:
            head = struct.pack("!BBH", b0, mbit | 126, n)
        else:
            head = struct.pack("!BBQ", b0, mbit | 127, n)
        if mask:
            key = os.urandom(4)
            body = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
            self._sendall(head + key + body)
        else:
            self._sendall(head + payload)

    def _sendall(self, data):
        """Writes bytes to the socket (subclasses count them)."""
        self.sock.sendall(data)

    def send_text(self, text):
        """Sends one text message (str or bytes, sent as is)."""
        self.send_raw_frame(OP_TEXT, text)

    def send_binary(self, data):
        """Sends one binary message."""
        self.send_raw_frame(OP_BINARY, data)

    def send_fragmented(self, text, pieces=3, opcode=OP_TEXT):
        """Sends one message split into `pieces` frames (first opcode, then continuations)."""
        if isinstance(text, str):
            text = text.encode("utf-8")
        size = max(1, (len(text) + pieces - 1) // pieces)
        chunks = [text[i:i + size] for i in range(0, len(text), size)] or [b""]
        for i, chunk in enumerate(chunks):
            self.send_raw_frame(opcode if i == 0 else OP_CONT, chunk,
                                fin=(i == len(chunks) - 1))

    def send_json(self, obj):
        """Sends obj as a JSON text message."""
        self.send_text(json.dumps(obj))

    def request(self, type_, **fields):
        """Sends a request with a fresh id; returns the id."""
        rid = fields.pop("id", None) or self.next_id()
        obj = {"type": type_, "id": rid}
        obj.update(fields)
        self.send_json(obj)
        return rid

    def call(self, type_, timeout=DEFAULT_TIMEOUT, **fields):
        """Sends a request and returns its reply (the message with "re" == id)."""
        rid = self.request(type_, **fields)
        return self.wait_for(lambda m: isinstance(m, dict) and m.get("re") == rid, timeout)

    def ping(self, payload=b"hi"):
        """Sends a WebSocket ping (the pong lands in `pongs`)."""
        self.send_raw_frame(OP_PING, payload)

    def close(self, code=1000, reason=""):
        """Sends a close frame (status code and reason) and closes the socket."""
        if not self.closed:
            try:
                self.send_raw_frame(OP_CLOSE, struct.pack("!H", code) +
                                    reason.encode("utf-8"))
            except OSError:
                pass
            self.closed = True
        try:
            self.sock.close()
        except OSError:
            pass

    # -- receiving

    def _fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("nothing received in time")
        # TLS may hold decrypted bytes that select() cannot see
        pending = getattr(self.sock, "pending", None)
        if not (pending and pending()):
            r, _, _ = select.select([self.sock], [], [], min(left, 0.5))
            if not r:
                return
        try:
            data = self.sock.recv(65536)
        except OSError as e:
            self.closed = True
            raise WsClosed("connection lost: %s" % e)
        if not data:
            self.closed = True
            raise WsClosed("connection closed by the hub")
        self.buf += data

    def _frame(self, deadline):
        """Reads one frame: (fin, opcode, payload)."""
        while True:
            if len(self.buf) >= 2:
                b0, b1 = self.buf[0], self.buf[1]
                n = b1 & 0x7F
                off = 2
                if n == 126 and len(self.buf) >= 4:
                    n = struct.unpack("!H", self.buf[2:4])[0]
                    off = 4
                elif n == 127 and len(self.buf) >= 10:
                    n = struct.unpack("!Q", self.buf[2:10])[0]
                    off = 10
                elif n >= 126:
                    n = None
                if n is not None:
                    if b1 & 0x80:
                        off += 4
                    if len(self.buf) >= off + n:
                        payload = self.buf[off:off + n]
                        if b1 & 0x80:
                            key = self.buf[off - 4:off]
                            payload = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
                        self.buf = self.buf[off + n:]
                        return bool(b0 & 0x80), b0 & 0x0F, payload
            self._fill(deadline)

    def _read_message(self, deadline):
        """Reads frames until one whole data message; handles control frames."""
        if self.closed:
            raise WsClosed("connection closed (code %r)" % self.close_code)
        while True:
            fin, op, payload = self._frame(deadline)
            if op == OP_PING:
                self.send_raw_frame(OP_PONG, payload)
                continue
            if op == OP_PONG:
                self.pongs.append(payload)
                continue
            if op == OP_CLOSE:
                self.close_code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 \
                    else None
                try:
                    self.send_raw_frame(OP_CLOSE, payload[:2])
                except OSError:
                    pass
                self.closed = True
                self.sock.close()
                raise WsClosed("closed by the hub (code %r)" % self.close_code)
            if op in (OP_TEXT, OP_BINARY):
                self._frag, self._frag_op = payload, op
            elif op == OP_CONT and self._frag is not None:
                self._frag += payload
            else:
                raise RuntimeError("unexpected frame opcode %d" % op)
            if fin:
                data, kind = self._frag, self._frag_op
                self._frag = None
                if kind == OP_TEXT:
                    msg = json.loads(data.decode("utf-8"))
                else:
                    msg = data
                self.received.append(msg)
                return msg

    def recv(self, timeout=DEFAULT_TIMEOUT):
        """The next message (decoded JSON object, or bytes for binary); raises
        TimeoutError when none arrives in time and WsClosed when the hub closed."""
        if self.pending:
            return self.pending.pop(0)
        return self._read_message(time.monotonic() + timeout)

    def wait_for(self, pred, timeout=DEFAULT_TIMEOUT):
        """Returns the first message (pending or new) for which pred(msg) is true; the
        messages skipped on the way stay pending for later recv()/wait_for() calls."""
        for i, msg in enumerate(self.pending):
            if pred(msg):
                return self.pending.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            msg = self._read_message(deadline)
            if pred(msg):
                return msg
            self.pending.append(msg)

    def wait_type(self, type_, timeout=DEFAULT_TIMEOUT, **match):
        """wait_for a message of this type whose fields equal those in match."""
        def pred(m):
            return isinstance(m, dict) and m.get("type") == type_ and \
                all(m.get(k) == v for k, v in match.items())
        return self.wait_for(pred, timeout)

    def drain(self, quiet=0.2):
        """Moves everything that arrives until `quiet` s pass without data into pending
        (a poll, not a sleep: returns as soon as the line is quiet)."""
        while True:
            try:
                self.pending.append(self._read_message(time.monotonic() + quiet))
            except TimeoutError:
                return

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


class WsClient(WsPeer):
    """A minimal RFC 6455 client for tests (a WsPeer that connects and shakes hands)."""

    def __init__(self, port, host="127.0.0.1", path="/", subprotocol="confab.1",
                 timeout=DEFAULT_TIMEOUT, extensions=None, tls=None, server_hostname=None,
                 headers=None, source=None):
        """Connects and does the opening handshake (extensions: a
        Sec-WebSocket-Extensions offer, or None; tls: an ssl.SSLContext for wss://,
        checking the name server_hostname, default host; headers: more request headers,
        such as {"Origin": ...}; source: the local address to connect from, such as
        "127.0.0.2")."""
        sock = socket.create_connection((host, port), timeout=timeout,
                                        source_address=(source, 0) if source else None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if tls is not None:
            sock = tls.wrap_socket(sock, server_hostname=server_hostname or host)
        WsPeer.__init__(self, sock)
        key = base64.b64encode(os.urandom(16)).decode()
        req = ("GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\n"
               "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
               "Sec-WebSocket-Version: 13\r\n" % (path, host, port, key))
        if subprotocol:
            req += "Sec-WebSocket-Protocol: %s\r\n" % subprotocol
        if extensions:
            req += "Sec-WebSocket-Extensions: %s\r\n" % extensions
        for k, v in (headers or {}).items():
            req += "%s: %s\r\n" % (k, v)
        self._sendall((req + "\r\n").encode())
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in self.buf:
            self._fill(deadline)
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        self.handshake_bytes = len(head) + 4
        lines = head.decode("latin-1").split("\r\n")
        if not re.match(r"HTTP/1\.1 101", lines[0]):
            raise RuntimeError("handshake refused: %r" % lines[0])
        self.headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            self.headers[k.strip().lower()] = v.strip()
        if self.headers.get("sec-websocket-accept") != ws_accept_key(key):
            raise RuntimeError("bad Sec-WebSocket-Accept")
        self.subprotocol = self.headers.get("sec-websocket-protocol")


# The secrets of the names held, as a client keeps them: (port, name) -> secret.
SECRETS = {}


def hello(ws, name, token=None, resume=None, timeout=DEFAULT_TIMEOUT, secret=True, **extra):
    """Sends hello on ws and returns the reply (welcome or error). A name already held on
    this hub through this library is presented with its secret (secret=False: without
    it, as somebody else would; a string: that secret)."""
    fields = {"proto": 1, "name": name, "client": "confabtest"}
    if token is not None:
        fields["token"] = token
    if resume is not None:
        fields["resume"] = resume
    port = ws.sock.getpeername()[1]
    if secret is True and (port, name) in SECRETS:
        fields["secret"] = SECRETS[(port, name)]
    elif isinstance(secret, str):
        fields["secret"] = secret
    fields.update(extra)
    w = ws.call("hello", timeout=timeout, **fields)
    if isinstance(w, dict) and w.get("type") == "welcome" and w.get("secret"):
        SECRETS[(port, w.get("name", name))] = w["secret"]
    return w


# ---------------------------------------------------------------------------------------
# The plain-mode client

def quit_all(tap, clients):
    """Sends /quit to every client, then checks that each exits 0 (a test point each)."""
    for c in clients:
        c.send("/quit")
    for c in clients:
        tap.eq(c.wait_exit(), 0, "%s exits 0 after /quit" % c.name)


_STATE_HOMES = {}


def faketime_env(offset):
    """The environment of a process whose wall clock libfaketime moves by offset (such as
    "-10d"; the monotonic clock stays real), or None where libfaketime is missing."""
    for d in ("/usr/lib/x86_64-linux-gnu/faketime", "/usr/lib/aarch64-linux-gnu/faketime",
              "/usr/lib/faketime"):
        lib = os.path.join(d, "libfaketime.so.1")
        if os.path.exists(lib):
            return dict(os.environ, FAKETIME=offset, DONT_FAKE_MONOTONIC="1",
                        LD_PRELOAD=lib,
                        ASAN_OPTIONS=(os.environ.get("ASAN_OPTIONS", "") +
                                      ":verify_asan_link_order=0").lstrip(":"))
    return None


def state_home(name):
    """The XDG_STATE_HOME of plain clients named name in this test process."""
    if name not in _STATE_HOMES:
        _STATE_HOMES[name] = tempfile.mkdtemp(prefix="confabtest-state-")
    return _STATE_HOMES[name]


def check_restart(t, a, b, said, restart):
    """A hub restart seen by two connected plain clients: a said `said` (b saw it) and the
    hub was just stopped. b sees the link drop; restart() starts the new hub; both
    reconnect and are told plainly that what was said meanwhile cannot be recovered; chat
    goes on; `said` is shown once; both exit 0 on /quit. Test points for each."""
    # (a hub stopped by a signal closes the link itself, with its reason: said as such)
    b.saw(t, r"^\[confab\] (connection lost|the hub closed the connection \(the hub is "
          r"shutting down\))", "%s sees the link drop" % b.name)
    restart()
    b.saw(t, r"^\[confab\] reconnected", "%s reconnects to the new hub" % b.name, timeout=60)
    b.saw(t, r"^\[#lobby\] lines said while you were away could not be recovered",
          "%s is told plainly that the gap cannot be recovered" % b.name)
    a.saw(t, r"^\[#lobby\] lines said while you were away could not be recovered",
          "so is %s" % a.name, start=0, timeout=60)
    a.send("after the restart")
    b.saw(t, r"^\[#lobby\] <%s> after the restart$" % a.name, "chat goes on after the restart")
    t.eq(sum(1 for l in b.lines() if l.endswith("<%s> %s" % (a.name, said))), 1,
         "the line from before the restart is shown once")
    quit_all(t, (a, b))


class PlainClient:
    """`$CONFAB --plain --name NAME URL` with pipes.

    send(line) writes a line to its stdin; a reader thread collects stdout lines;
    wait_line(regex) waits for a matching line (from `start`, default: the first one not yet
    matched by an earlier wait_line) and returns the match. stderr goes to a file
    (stderr_text() reads it). With tty=(cols, rows), stdout is a pseudo-terminal of that
    size instead of a pipe (stdin stays a pipe): lines are what the terminal received.
    """

    def __init__(self, port_or_url, name, extra_args=None, binary=None, env=None,
                 tmpdir=None, tty=None):
        self.binary = binary or os.environ.get("CONFAB")
        if not self.binary:
            raise RuntimeError("CONFAB is not set")
        self.name = name
        url = port_or_url if isinstance(port_or_url, str) else \
            "ws://127.0.0.1:%d" % port_or_url
        self.tmpdir = tmpdir or tempfile.mkdtemp(prefix="confabtest-plain-")
        self.stderr_path = os.path.join(self.tmpdir, "stderr-%s.txt" % name)
        self._errf = open(self.stderr_path, "wb")
        full_env = dict(os.environ)
        full_env.setdefault("LC_ALL", "C.UTF-8")
        # the program cache and the known hosts go to the test's own directory unless env
        # names others
        full_env["XDG_CACHE_HOME"] = os.path.join(self.tmpdir, "cache")
        # the secrets of names held: one place per name in this test process, so that
        # the same person started again holds the same name (env may name another)
        # (the known hosts of wss:// hubs live there too)
        full_env["XDG_STATE_HOME"] = state_home(name)
        if env:
            full_env.update(env)
        self.cmd = valgrind_wrap("confab") + [self.binary, "--plain", "--name", name] + \
            list(extra_args or []) + [url]
        out = subprocess.PIPE
        if tty is not None:
            import fcntl
            import pty
            import termios
            master, out = pty.openpty()
            fcntl.ioctl(out, termios.TIOCSWINSZ, struct.pack("HHHH", tty[1], tty[0], 0, 0))
        self.proc = reaper.spawn(self.cmd, stdin=subprocess.PIPE, stdout=out,
                                 stderr=self._errf, env=full_env)
        if tty is not None:
            os.close(out)
            self._out = os.fdopen(master, "rb", buffering=0)
        else:
            self._out = self.proc.stdout
        self._lines = []
        self._cond = threading.Condition()
        self._eof = False
        self._cursor = 0
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self):
        try:
            for raw in iter(self._out.readline, b""):
                with self._cond:
                    self._lines.append(raw.decode("utf-8", "replace").rstrip("\r\n"))
                    self._cond.notify_all()
        except OSError:
            pass   # a pseudo-terminal whose other end closed (EIO)
        with self._cond:
            self._eof = True
            self._cond.notify_all()

    def send(self, line):
        """Writes line (a newline is added) to the client's stdin."""
        self.proc.stdin.write((line + "\n").encode("utf-8"))
        self.proc.stdin.flush()

    def lines(self):
        """A copy of all stdout lines so far."""
        with self._cond:
            return list(self._lines)

    def wait_line(self, regex, timeout=DEFAULT_TIMEOUT, start=None):
        """Waits for a stdout line matching regex (searched from `start`, default just
        after the previous wait_line match); returns the re.Match or raises TimeoutError."""
        pat = re.compile(regex)
        deadline = time.monotonic() + timeout
        with self._cond:
            i = self._cursor if start is None else start
            while True:
                while i < len(self._lines):
                    m = pat.search(self._lines[i])
                    i += 1
                    if m:
                        self._cursor = i
                        return m
                if self._eof:
                    raise RuntimeError("confab exited before printing %r; stdout:\n%s\n"
                                       "stderr:\n%s" % (regex, "\n".join(self._lines),
                                                        self.stderr_text()))
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("no line matching %r in %.0fs; stdout:\n%s\nstderr:\n%s"
                                       % (regex, timeout, "\n".join(self._lines),
                                          self.stderr_text()))
                self._cond.wait(min(left, 0.5))

    def saw(self, tap, regex, name, timeout=DEFAULT_TIMEOUT, start=None):
        """wait_line as a test point: ok when a matching line comes, else not ok with the
        reason as diagnostics. Returns the match or None."""
        try:
            m = self.wait_line(regex, timeout=timeout, start=start)
        except (TimeoutError, RuntimeError) as exc:
            tap.ok(False, name, str(exc))
            return None
        tap.ok(True, name)
        return m

    def poll(self, tap, line, regex, name, timeout=DEFAULT_TIMEOUT, every=0.5):
        """Sends `line` until an answer matches regex (for state that the hub spreads a
        little later, e.g. coalesced room occupancy): each round waits up to `every` s for
        a match among the new lines. A test point; returns the match or None."""
        deadline = time.monotonic() + timeout
        while True:
            start = len(self.lines())
            self.send(line)
            try:
                m = self.wait_line(regex, timeout=every, start=start)
                tap.ok(True, name)
                return m
            except TimeoutError as exc:
                if time.monotonic() >= deadline:
                    tap.ok(False, name, str(exc))
                    return None
            except RuntimeError as exc:
                tap.ok(False, name, str(exc))
                return None

    def stderr_text(self):
        """What the client wrote to stderr so far."""
        try:
            with open(self.stderr_path, "rb") as fp:
                return fp.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def alive(self):
        """True while the client runs."""
        return self.proc.poll() is None

    def wait_exit(self, timeout=DEFAULT_TIMEOUT):
        """Waits for the client to exit; returns its exit code."""
        code = self.proc.wait(timeout)
        reaper.done(self.proc)
        return code

    def stop(self, timeout=DEFAULT_TIMEOUT):
        """Closes stdin (then SIGTERM if needed); returns the exit code."""
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(timeout / 2)
            except subprocess.TimeoutExpired:
                self.proc.terminate()
                try:
                    self.proc.wait(timeout / 2)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        reaper.done(self.proc)
        self._thread.join(timeout)
        self._errf.close()
        return self.proc.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False
