"""proxies: small proxies on loopback for confab's tests (Python 3 stdlib only).

* SocksProxy -- a SOCKS5 server (RFC 1928: CONNECT with IPv4, IPv6 or domain-name
  addresses) with optional username/password authentication (RFC 1929). `names` maps
  names to (host, port), as Tor would for an .onion address; other names are refused
  with "host unreachable" (nothing is ever resolved through the system). refuse=CODE
  answers every CONNECT with that reply code. Every request is recorded in `requests`
  as a dict: atyp ("ipv4", "ipv6", "domain"), host, port, user, password.
* HttpProxy  -- an HTTP CONNECT proxy with optional Basic credentials (407 without or
  with wrong ones), forbid=(host, ...) answered 403, `names` mapped as above (other
  names: 502); requests recorded likewise (the request line and headers), and the first
  bytes each tunnel carried from the client in `heads`.
* Both: start() binds 127.0.0.1 on a free port (.port), then one thread accepts and one
  thread per tunnel copies bytes both ways; stop() closes everything. Context managers.
  connections counts accepted connections, tunnels the ones that were spliced.
"""

import base64
import selectors
import socket
import struct
import threading

SOCKS_REFUSED = 5
SOCKS_HOST_UNREACHABLE = 4


class _Server:
    """Accepts connections on 127.0.0.1 and hands each to handle() in a thread."""

    def __init__(self):
        self.port = None
        self.requests = []
        self.connections = 0
        self.tunnels = 0
        self._sock = None
        self._socks = set()
        self._lock = threading.Lock()
        self._stop = False
        self._thread = None

    def start(self):
        """Binds and starts accepting; returns self."""
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(32)
        self.port = self._sock.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()
        return self

    def _track(self, s):
        with self._lock:
            self._socks.add(s)

    def _accept(self):
        while not self._stop:
            try:
                c, _ = self._sock.accept()
            except OSError:
                return
            self.connections += 1
            self._track(c)
            threading.Thread(target=self._serve, args=(c,), daemon=True).start()

    def _serve(self, c):
        try:
            c.settimeout(20)
            self.handle(c)
        except (OSError, ValueError):
            pass
        finally:
            self._close(c)

    def _close(self, s):
        try:
            s.close()
        except OSError:
            pass
        with self._lock:
            self._socks.discard(s)

    @staticmethod
    def recv_exact(c, n):
        """Reads exactly n bytes (raises ValueError at EOF)."""
        buf = b""
        while len(buf) < n:
            chunk = c.recv(n - len(buf))
            if not chunk:
                raise ValueError("eof")
            buf += chunk
        return buf

    def splice(self, a, b):
        """Copies bytes both ways until either side closes."""
        self.tunnels += 1
        self._track(b)
        a.settimeout(None)
        b.settimeout(None)
        sel = selectors.DefaultSelector()
        sel.register(a, selectors.EVENT_READ, b)
        sel.register(b, selectors.EVENT_READ, a)
        try:
            while not self._stop:
                for key, _ in sel.select(0.5):
                    data = key.fileobj.recv(65536)
                    if not data:
                        return
                    key.data.sendall(data)
        except OSError:
            pass
        finally:
            sel.close()
            self._close(b)

    def connect(self, host, port):
        """A connection to the target, or None."""
        try:
            return socket.create_connection((host, port), timeout=10)
        except OSError:
            return None

    def stop(self):
        """Closes the listener and every connection."""
        self._stop = True
        if self._sock is not None:
            # close() alone does not wake a thread blocked in accept(); shutdown() does.
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._sock.close()
        with self._lock:
            socks = list(self._socks)
        for s in socks:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._close(s)
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self):
        return self.start() if self._thread is None else self

    def __exit__(self, *exc):
        self.stop()
        return False


class SocksProxy(_Server):
    """A SOCKS5 server: see the module docstring."""

    def __init__(self, users=None, names=None, refuse=None):
        _Server.__init__(self)
        self.users = users or {}
        self.names = names or {}
        self.refuse = refuse

    @staticmethod
    def reply(c, rep):
        c.sendall(struct.pack("!BBBB4sH", 5, rep, 0, 1, b"\0\0\0\0", 0))

    def handle(self, c):
        ver, n = self.recv_exact(c, 2)
        if ver != 5:
            return
        methods = self.recv_exact(c, n)
        user = password = None
        if self.users:
            if 2 not in methods:
                c.sendall(b"\x05\xff")
                return
            c.sendall(b"\x05\x02")
            _, ulen = self.recv_exact(c, 2)
            user = self.recv_exact(c, ulen)
            plen = self.recv_exact(c, 1)[0]
            password = self.recv_exact(c, plen)
            ok = self.users.get(user.decode("latin-1")) == password.decode("latin-1")
            c.sendall(b"\x01" + (b"\x00" if ok else b"\x01"))
            if not ok:
                self.requests.append({"user": user, "password": password, "refused": True})
                return
        elif 0 in methods:
            c.sendall(b"\x05\x00")
        elif 2 in methods:
            # take any credentials (a transport's arguments, for one) and record them
            c.sendall(b"\x05\x02")
            _, ulen = self.recv_exact(c, 2)
            user = self.recv_exact(c, ulen)
            plen = self.recv_exact(c, 1)[0]
            password = self.recv_exact(c, plen)
            c.sendall(b"\x01\x00")
        else:
            c.sendall(b"\x05\xff")
            return
        ver, cmd, _, atyp = self.recv_exact(c, 4)
        if atyp == 1:
            host, kind = socket.inet_ntop(socket.AF_INET, self.recv_exact(c, 4)), "ipv4"
        elif atyp == 4:
            host, kind = socket.inet_ntop(socket.AF_INET6, self.recv_exact(c, 16)), "ipv6"
        elif atyp == 3:
            host, kind = self.recv_exact(c, self.recv_exact(c, 1)[0]).decode("latin-1"), \
                "domain"
        else:
            return
        port = struct.unpack("!H", self.recv_exact(c, 2))[0]
        self.requests.append({"atyp": kind, "host": host, "port": port, "user": user,
                              "password": password, "cmd": cmd})
        if cmd != 1:
            self.reply(c, 7)
            return
        if self.refuse is not None:
            self.reply(c, self.refuse)
            return
        if kind == "domain":
            if host not in self.names:
                self.reply(c, SOCKS_HOST_UNREACHABLE)
                return
            host, port = self.names[host]
        t = self.connect(host, port)
        if t is None:
            self.reply(c, SOCKS_REFUSED)
            return
        self.reply(c, 0)
        self.splice(c, t)


class HttpProxy(_Server):
    """An HTTP CONNECT proxy: see the module docstring."""

    def __init__(self, users=None, forbid=(), names=None):
        _Server.__init__(self)
        self.users = users or {}
        self.forbid = set(forbid)
        self.names = names or {}
        self.heads = []

    def handle(self, c):
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = c.recv(4096)
            if not chunk:
                return
            head += chunk
            if len(head) > 16384:
                return
        head, rest = head.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = (lines[0].split(" ") + ["", "", ""])[:3]
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        req = {"method": method, "target": target, "headers": headers}
        self.requests.append(req)
        if method != "CONNECT":
            c.sendall(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
            return
        if self.users:
            auth = headers.get("proxy-authorization", "")
            good = False
            if auth.lower().startswith("basic "):
                try:
                    u, _, p = base64.b64decode(auth[6:]).decode("utf-8").partition(":")
                    good = self.users.get(u) == p
                    req["user"], req["password"] = u, p
                except (ValueError, UnicodeDecodeError):
                    pass
            if not good:
                c.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                          b"Proxy-Authenticate: Basic realm=\"test\"\r\n"
                          b"Content-Length: 0\r\n\r\n")
                return
        host, _, port = target.rpartition(":")
        host = host.strip("[]")
        if host in self.forbid:
            c.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            return
        if host in self.names:
            host, port = self.names[host]
        t = self.connect(host, int(port))
        if t is None:
            c.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return
        c.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        if not rest:
            c.settimeout(10)
            try:
                rest = c.recv(4096)
            except OSError:
                rest = b""
        self.heads.append(rest)
        if rest:
            t.sendall(rest)
        self.splice(c, t)


def free_port():
    """A port that nothing listens on (bound and closed at once)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
