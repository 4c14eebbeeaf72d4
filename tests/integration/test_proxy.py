#!/usr/bin/env python3
"""Proxy variables as users set them (plain mode, a real hub, an HTTP CONNECT proxy on
loopback written here): http_proxy and HTTP_PROXY (with credentials) for ws://,
https_proxy for wss://, no_proxy, a loopback hub never proxied (confab --demo with
http_proxy set reaches its own hub), a proxy that refuses the tunnel named as the reason,
and a proxy confab cannot use refused with a clear error. The hub is named
hub.confab.test, a name no resolver knows: only the proxy (which sends every tunnel to
127.0.0.1) can reach it, so a connection proves the proxy was used. Prints TAP."""

import base64
import contextlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading

from confabtest import Hub, PlainClient, TAP, need_binaries

NAME = "hub.confab.test"
# Every proxy variable, emptied: the test's environment decides, not the caller's.
NO_PROXY_VARS = {v: "" for v in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
                                 "no_proxy", "NO_PROXY")}


class ConnectProxy:
    """An HTTP CONNECT proxy on 127.0.0.1 and a free port. It records the head of each
    request (requests) and tunnels every destination to 127.0.0.1 on the port asked for."""

    def __init__(self, refuse=False):
        self.refuse = refuse     # answer 407 to every request
        self.lsock = socket.socket()
        self.lsock.bind(("127.0.0.1", 0))
        self.lsock.listen(8)
        self.port = self.lsock.getsockname()[1]
        self.requests = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                c, _ = self.lsock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(c,), daemon=True).start()

    def _serve(self, c):
        head = b""
        c.settimeout(30)
        try:
            while b"\r\n\r\n" not in head and len(head) < 16384:
                data = c.recv(4096)
                if not data:
                    c.close()
                    return
                head += data
            h, rest = head.split(b"\r\n\r\n", 1)
            text = h.decode("latin-1")
            with self._lock:
                self.requests.append(text)
            if self.refuse:
                c.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                          b"Proxy-Authenticate: Basic realm=\"test\"\r\n"
                          b"Content-Length: 0\r\n\r\n")
                c.close()
                return
            m = re.match(r"CONNECT [^ ]*:(\d+) HTTP/1\.[01]\r\n", text + "\r\n")
            if not m:
                c.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
                c.close()
                return
            s = socket.create_connection(("127.0.0.1", int(m.group(1))), timeout=10)
            s.settimeout(None)
            c.settimeout(None)
            c.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            if rest:
                s.sendall(rest)
        except OSError:
            c.close()
            return
        threading.Thread(target=self._pipe, args=(c, s), daemon=True).start()
        self._pipe(s, c)

    @staticmethod
    def _pipe(src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        for x in (src, dst):
            try:
                x.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def seen(self):
        """A copy of the request heads so far."""
        with self._lock:
            return list(self.requests)

    def close(self):
        self.lsock.close()


def env_for(home, **proxy):
    """The client's environment: its own config, and only the proxy variables given."""
    env = dict(NO_PROXY_VARS)
    env.update(proxy)
    env["XDG_CONFIG_HOME"] = os.path.join(home, "config")
    return env


@contextlib.contextmanager
def client(url, name, env, extra_args=None):
    """A plain client for the with block, which then quits (stopped if the block fails)."""
    c = PlainClient(url, name, extra_args=extra_args, env=env)
    try:
        yield c
        c.send("/quit")
        c.wait_exit()
    finally:
        c.stop()


def connects(t, c, what):
    """A test point: c says it is connected."""
    return c.saw(t, r"^\[confab\] connected as ", what) is not None


def test_http_proxy(t, hub, home):
    """http_proxy (ws://): the link goes through the proxy, which is named; HTTP_PROXY
    alone too, with its credentials sent to the proxy and shown to no one."""
    proxy = ConnectProxy()
    try:
        url = "ws://%s:%d" % (NAME, hub.port)
        with client(url, "pia", env=env_for(
            home, http_proxy="http://127.0.0.1:%d/" % proxy.port)) as c:
            c.saw(t, r"^\[confab\] through the HTTP proxy 127\.0\.0\.1:%d \(from http_proxy\)$"
                  % proxy.port, "the proxy in use is said, with its variable")
            connects(t, c, "a hub only the proxy can reach is reached (http_proxy)")
            heads = proxy.seen()
            t.ok(len(heads) >= 1 and heads[0].startswith("CONNECT %s:%d HTTP/1.1"
                                                         % (NAME, hub.port)),
                 "the proxy was asked for the hub by name", repr(heads))
        with client(url, "pol", env=env_for(
            home, HTTP_PROXY="http://pol:s3cret@127.0.0.1:%d" % proxy.port)) as c:
            c.saw(t, r"^\[confab\] through the HTTP proxy 127\.0\.0\.1:%d \(from HTTP_PROXY\)$"
                  % proxy.port, "HTTP_PROXY is used when http_proxy is not set")
            connects(t, c, "the hub is reached through HTTP_PROXY")
            auth = base64.b64encode(b"pol:s3cret").decode()
            t.ok(any(re.search(r"(?im)^proxy-authorization: basic %s$" % re.escape(auth), h)
                     for h in proxy.seen()),
                 "the proxy's user and password go to the proxy", repr(proxy.seen()))
        t.ok("s3cret" not in "\n".join(c.lines()) + c.stderr_text(),
             "the password is never shown")
    finally:
        proxy.close()


def test_refused(t, hub, home):
    """A proxy that will not open the tunnel (407) is said to be the reason."""
    proxy = ConnectProxy(refuse=True)
    try:
        with client("ws://%s:%d" % (NAME, hub.port), "rae",
                    env=env_for(home, http_proxy="127.0.0.1:%d" % proxy.port)) as c:
            c.saw(t, r"^\[confab\] cannot connect \(the proxy refused to open a tunnel to "
                  r"the hub\); trying again in \d+ s$", "a refusing proxy is named as the reason")
    finally:
        proxy.close()


def test_no_proxy(t, hub, home):
    """no_proxy names hubs reached directly. 0.0.0.0 is not loopback by its address, and
    Linux connects to it as to this machine: with no_proxy naming it the hub is reached
    without the proxy, without no_proxy through it."""
    proxy = ConnectProxy()
    try:
        url = "ws://0.0.0.0:%d" % hub.port
        with client(url, "nia", env=env_for(home, http_proxy="127.0.0.1:%d" % proxy.port,
                                            no_proxy="example.org, 0.0.0.0/8")) as c:
            connects(t, c, "a hub named in no_proxy is reached")
            t.ok(proxy.seen() == [] and not any("through the HTTP proxy" in x
                                                 for x in c.lines()),
                 "... directly", repr(proxy.seen()))
        with client(url, "noa", env=env_for(home, http_proxy="127.0.0.1:%d" % proxy.port,
                                            NO_PROXY="example.org")) as c:
            connects(t, c, "a hub not named in NO_PROXY is reached")
            t.ok(len(proxy.seen()) >= 1, "... through the proxy", repr(proxy.seen()))
    finally:
        proxy.close()


def test_loopback(t, hub, home):
    """A loopback hub is never proxied, not even the demo's own hub."""
    proxy = ConnectProxy()
    try:
        every = {v: "http://127.0.0.1:%d" % proxy.port
                 for v in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY")}
        for url, name in (("ws://127.0.0.1:%d" % hub.port, "lia"),
                          ("ws://localhost:%d" % hub.port, "lou")):
            with client(url, name, env=env_for(home, **every)) as c:
                connects(t, c, "%s is reached with every proxy variable set" % url)
        with client("--demo=quiet", "dee", env=env_for(home, **every)) as c:
            connects(t, c, "confab --demo reaches its own hub with http_proxy set")
        t.ok(proxy.seen() == [], "the proxy was never asked", repr(proxy.seen()))
    finally:
        proxy.close()


def test_https_proxy(t, home):
    """https_proxy (wss://): TLS to the hub inside the tunnel; http_proxy is not used."""
    cert, key = os.path.join(home, "hub.pem"), os.path.join(home, "hub.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-days", "30", "-subj",
                    "/CN=" + NAME, "-addext", "subjectAltName=DNS:" + NAME, "-keyout", key,
                    "-out", cert], check=True, capture_output=True, timeout=60)
    hub = Hub(["--tls-cert", cert, "--tls-key", key, "--demo"])
    proxy = ConnectProxy()
    try:
        with client("wss://%s:%d" % (NAME, hub.port), "tia", extra_args=["--ca-file", cert],
                    env=env_for(home, https_proxy="http://127.0.0.1:%d" % proxy.port,
                                http_proxy="http://127.0.0.1:9")) as c:
            c.saw(t, r"^\[confab\] through the HTTP proxy 127\.0\.0\.1:%d \(from https_proxy\)$"
                  % proxy.port, "https_proxy is the one for wss://")
            connects(t, c, "a wss:// hub is reached through the proxy, its certificate checked")
    finally:
        proxy.close()
        hub.stop()


def test_bad_proxy(t, home):
    """A proxy confab cannot use is an error naming the variable: no direct link."""
    env = dict(os.environ)
    env.update(env_for(home, http_proxy="socks5://me:hunter2@127.0.0.1:1080"))
    env["LC_ALL"] = "C.UTF-8"
    env["XDG_STATE_HOME"] = os.path.join(home, "state")
    p = subprocess.run([os.environ["CONFAB"], "--plain", "--name", "bo",
                        "ws://%s:7450" % NAME], stdin=subprocess.DEVNULL,
                       capture_output=True, env=env, timeout=30)
    err = p.stderr.decode(errors="replace")
    t.ok(p.returncode == 1, "confab exits with status 1", "status %d" % p.returncode)
    t.ok("http_proxy" in err and "socks5://" in err and "http://" in err and
         "hunter2" not in err, "the error names the variable and the scheme, not the password",
         err)


def main():
    t = TAP()
    need_binaries(t, "CONFAB", "CONFABD")
    home = tempfile.mkdtemp(prefix="confabtest-proxy-")
    hub = Hub()
    try:
        t.run(test_http_proxy, hub, home)
        t.run(test_refused, hub, home)
        t.run(test_no_proxy, hub, home)
        t.run(test_loopback, hub, home)
        t.run(test_https_proxy, home)
        t.run(test_bad_proxy, home)
    finally:
        hub.stop()
        shutil.rmtree(home, ignore_errors=True)
    t.done()


if __name__ == "__main__":
    main()
