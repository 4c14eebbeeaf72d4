#!/usr/bin/env python3
"""confab through proxies: SOCKS5 (as Tor) and HTTP CONNECT, all on loopback. Prints TAP.

The proxies are tests/lib/proxies.py (SOCKS5 with RFC 1929 credentials and names it maps
the way Tor maps an .onion address; HTTP CONNECT with Basic credentials); the hub is a
real confabd, the clients real `confab --plain`. Checks:

* socks5h: a made-up .onion name goes to the proxy unresolved (ATYP 3) and reaches the
  hub; chat both ways with a client connected directly; /stats counts the bytes to the
  proxy. With credentials (percent-encoded in the URL): connects, the proxy got them;
  wrong ones, none: refused in words, and confab keeps trying. Refusals: the proxy's
  "connection refused", an unknown .onion ("host unreachable"), no proxy listening.
* http: CONNECT with and without Basic credentials; 407 without or with wrong ones, 403,
  each in words.
* the environment: http_proxy, HTTP_PROXY, all_proxy for ws:// hubs, https_proxy for
  wss://; no_proxy leaves the proxy out; --proxy none ignores them; a bad value stops
  confab with status 2 naming the variable.
* loopback is never proxied: `confab --demo` with http_proxy set to a dead proxy reaches
  its own hub; so does ws://127.0.0.1 with --proxy.
* wss:// through each proxy: the hub's certificate is verified for the hub's name (a
  certificate for another name is refused naming both); the proxy carries TLS only.
* a link through the proxy cut in the middle: confab reconnects through it, and nothing
  said meanwhile is lost or shown twice.
"""

import itertools
import os
import re
import subprocess
import tempfile

from confabtest import Hub, PlainClient, TAP, need_binaries
from linksim import LinkSim
from proxies import HttpProxy, SocksProxy, free_port

ONION = "confabhub2xyzw7q.onion"
PROXY_VARS = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
              "ALL_PROXY", "no_proxy", "NO_PROXY")


# One state directory for every client of this test, as for people on one machine: the
# hub holds a name for the secret kept there (so alice is alice again next time).
STATE = tempfile.mkdtemp(prefix="confabtest-proxy-state-")


def clean_env(**extra):
    """The environment of a client: no proxy variable but those given, the shared state."""
    env = {k: "" for k in PROXY_VARS}
    env["XDG_STATE_HOME"] = STATE
    env.update(extra)
    return env


NAMES = itertools.count(1)


def client(url, name, args=(), env=None):
    """A plain client with a clean proxy environment, named name and a number of its own
    (the hub holds a name for the secret a client keeps per hub address, and this test
    reaches one hub by several addresses)."""
    return PlainClient(url, "%s%d" % (name, next(NAMES)), extra_args=list(args),
                       env=env or clean_env())


def cannot(t, c, pattern, what):
    """c says it cannot connect because of pattern, then that it tries again."""
    c.saw(t, r"^\[confab\] cannot connect \(%s\); trying again in \d+ s$" % pattern, what)
    t.ok(c.alive(), "%s: confab keeps running and trying" % what)


def chat(t, a, b, what):
    """a and b hear each other."""
    a.send("hello from %s, %s" % (a.name, what))
    b.saw(t, r"^\[#lobby\] <%s> hello from %s, %s$" % (a.name, a.name, re.escape(what)),
          "%s: %s hears %s" % (what, b.name, a.name))
    b.send("hi %s" % a.name)
    a.saw(t, r"^\[#lobby\] (\[mention\] )?<%s> hi %s$" % (b.name, a.name), "%s: %s hears %s"
          % (what, a.name, b.name))


def test_socks(t, hub):
    """socks5h:// as Tor: an .onion name resolved by the proxy, credentials, refusals."""
    names = {ONION: ("127.0.0.1", hub.port)}
    bob = client(hub.url, "bob")
    try:
        bob.wait_line(r"^\[confab\] connected as bob\d+")
        with SocksProxy(names=names) as sp:
            url = "socks5h://127.0.0.1:%d" % sp.port
            a = client("ws://%s/" % ONION, "alice", ["--proxy", url])
            try:
                a.saw(t, r"^\[confab\] connecting through the proxy %s$" % re.escape(url),
                      "socks5h: confab says which proxy it uses")
                a.saw(t, r"^\[confab\] connected as alice\d+", "socks5h: connected to the "
                      ".onion hub through the proxy", timeout=30)
                req = sp.requests[0] if sp.requests else {}
                t.eq((req.get("atyp"), req.get("host"), req.get("port")),
                     ("domain", ONION, 80), "socks5h: the proxy got the name, unresolved")
                chat(t, a, bob, "socks5h")
                a.send("/stats")
                a.saw(t, r"^\[stats\] sent .* \(to the proxy %s: \d+(\.\d)? K?B sent, "
                      r"\d+(\.\d)? K?B received, compressed\)$" % re.escape(url),
                      "socks5h: /stats counts the bytes to the proxy")
            finally:
                a.stop()
    finally:
        bob.stop()

    with SocksProxy(names=names, users={"us@er": "p:w d"}) as sp:
        good = "socks5h://us%%40er:p%%3Aw%%20d@127.0.0.1:%d" % sp.port
        a = client("ws://%s/" % ONION, "alice", ["--proxy", good])
        try:
            a.saw(t, r"^\[confab\] connected as alice\d+", "socks5h with credentials: connected")
            t.ok(any(r.get("user") == b"us@er" and r.get("password") == b"p:w d"
                     for r in sp.requests), "the proxy got the decoded user name and "
                 "password", sp.requests)
            t.ok(not re.search(r"p%3Aw|p:w", "\n".join(a.lines())),
                 "the password is never shown", a.lines())
        finally:
            a.stop()
        shown = r"the proxy socks5h://127\.0\.0\.1:%d" % sp.port
        a = client("ws://%s/" % ONION, "alice",
                   ["--proxy", "socks5h://us%%40er:wrong@127.0.0.1:%d" % sp.port])
        try:
            cannot(t, a, shown + " refused the user name and password",
                   "socks5h, a wrong password")
        finally:
            a.stop()
        a = client("ws://%s/" % ONION, "alice", ["--proxy", "socks5h://127.0.0.1:%d"
                                                 % sp.port])
        try:
            cannot(t, a, shown + r" wants a user name and password: give them in its "
                   r"address \(socks5h://USER:PASSWORD@HOST:PORT\)",
                   "socks5h, no credentials for a proxy that wants them")
        finally:
            a.stop()

    with SocksProxy(names=names, refuse=5) as sp:
        a = client("ws://%s/" % ONION, "alice", ["--proxy", "socks5h://127.0.0.1:%d"
                                                 % sp.port])
        try:
            cannot(t, a, r"the proxy socks5h://127\.0\.0\.1:%d could not reach %s:80: "
                   r"connection refused" % (sp.port, re.escape(ONION)),
                   "a proxy that refuses the connection")
        finally:
            a.stop()
    with SocksProxy(names=names) as sp:
        a = client("ws://unknownhubname.onion:7450", "alice",
                   ["--proxy", "socks5h://127.0.0.1:%d" % sp.port])
        try:
            cannot(t, a, r"the proxy socks5h://127\.0\.0\.1:%d could not reach "
                   r"unknownhubname\.onion:7450: host unreachable" % sp.port,
                   "an .onion name the proxy does not know")
        finally:
            a.stop()
    dead = free_port()
    a = client("ws://%s/" % ONION, "alice", ["--proxy", "socks5h://127.0.0.1:%d" % dead])
    try:
        cannot(t, a, r"cannot reach the proxy socks5h://127\.0\.0\.1:%d( \(.*\))?" % dead,
               "no proxy listening")
    finally:
        a.stop()


def test_http(t, hub):
    """HTTP CONNECT with and without credentials; 407 and 403 in words."""
    names = {"hub.test": ("127.0.0.1", hub.port)}
    url = "ws://hub.test:%d" % hub.port
    with HttpProxy(names=names) as hp:
        a = client(url, "alice", ["--proxy", "http://127.0.0.1:%d" % hp.port])
        try:
            a.saw(t, r"^\[confab\] connected as alice\d+", "http: connected through CONNECT")
            req = hp.requests[0] if hp.requests else {}
            t.eq((req.get("method"), req.get("target")), ("CONNECT", "hub.test:%d"
                 % hub.port), "http: CONNECT names the hub")
            t.ok(hp.heads and hp.heads[0].startswith(b"GET / HTTP/1.1"),
                 "http: the WebSocket upgrade goes through the tunnel", hp.heads[:1])
        finally:
            a.stop()
    with HttpProxy(names=names, users={"ann": "s3cret"}, forbid=("forbidden.test",)) as hp:
        shown = r"the proxy http://127\.0\.0\.1:%d" % hp.port
        a = client(url, "alice", ["--proxy", "http://ann:s3cret@127.0.0.1:%d" % hp.port])
        try:
            a.saw(t, r"^\[confab\] connected as alice\d+", "http with credentials: connected")
            t.ok(any(r.get("user") == "ann" and r.get("password") == "s3cret"
                     for r in hp.requests), "the proxy got them (Basic)")
        finally:
            a.stop()
        a = client(url, "alice", ["--proxy", "http://127.0.0.1:%d" % hp.port])
        try:
            cannot(t, a, shown + r" wants a user name and password: give them in its "
                   r"address \(http://USER:PASSWORD@HOST:PORT\)", "http: 407 without "
                   "credentials")
        finally:
            a.stop()
        a = client(url, "alice", ["--proxy", "http://ann:nope@127.0.0.1:%d" % hp.port])
        try:
            cannot(t, a, shown + r" refused the user name and password \(407 Proxy "
                   r"Authentication Required\)", "http: 407 with wrong credentials")
        finally:
            a.stop()
        a = client("ws://forbidden.test:80", "alice",
                   ["--proxy", "http://ann:s3cret@127.0.0.1:%d" % hp.port])
        try:
            cannot(t, a, shown + r" does not allow connections to forbidden\.test:80 "
                   r"\(403 Forbidden\)", "http: 403")
        finally:
            a.stop()


def test_environment(t, hub):
    """The proxy variables as people set them."""
    names = {"hub.test": ("127.0.0.1", hub.port)}
    url = "ws://hub.test:%d" % hub.port
    with HttpProxy(names=names) as hp, SocksProxy(names=names) as sp:
        hproxy = "http://127.0.0.1:%d" % hp.port
        for var, value, proxy in (("http_proxy", hproxy, hp), ("HTTP_PROXY", hproxy, hp),
                                  ("all_proxy", "socks5h://127.0.0.1:%d" % sp.port, sp)):
            before = proxy.tunnels
            a = client(url, "alice", env=clean_env(**{var: value}))
            try:
                a.saw(t, r"^\[confab\] connecting through the proxy .* \(from %s\)$" % var,
                      "%s: confab says it uses it" % var)
                a.saw(t, r"^\[confab\] connected as alice\d+", "%s: connected through it"
                      % var)
                t.ok(proxy.tunnels > before, "%s: the link went through the proxy" % var)
            finally:
                a.stop()
        # https_proxy is for wss:// only: a ws:// hub does not use it
        a = client(url, "alice", env=clean_env(https_proxy=hproxy, http_proxy=""))
        try:
            cannot(t, a, r".*", "https_proxy is not used for a ws:// hub (hub.test does "
                   "not resolve here)")
        finally:
            a.stop()
        before = hp.connections
        a = client(url, "alice", env=clean_env(http_proxy=hproxy, no_proxy="localhost, .test"))
        try:
            a.saw(t, r"^\[confab\] not using the proxy from http_proxy: no_proxy names "
                  r"hub\.test$", "no_proxy: confab says the proxy is left out")
            cannot(t, a, r".*", "no_proxy: it connects directly (and hub.test does not "
                   "resolve here)")
            t.eq(hp.connections, before, "no_proxy: the proxy saw nothing")
        finally:
            a.stop()
        a = client(hub.url, "alice", ["--proxy", "none"], env=clean_env(http_proxy=hproxy))
        try:
            a.saw(t, r"^\[confab\] connected as alice\d+", "--proxy none: connected directly")
            t.ok(not any("proxy" in l for l in a.lines()), "--proxy none: no word of a "
                 "proxy", a.lines())
        finally:
            a.stop()
    a = client(url, "alice", env=clean_env(http_proxy="socks4://127.0.0.1:1"))
    try:
        t.eq(a.wait_exit(), 2, "a bad http_proxy: exit 2")
        t.ok(re.search(r"from the environment variable http_proxy", a.stderr_text()),
             "... naming the variable", a.stderr_text())
    finally:
        a.stop()


def test_loopback(t, hub):
    """A hub on this machine is never reached through a proxy."""
    dead = "http://127.0.0.1:%d" % free_port()
    d = PlainClient("--demo", "demo", env=clean_env(http_proxy=dead, HTTP_PROXY=dead,
                                                    all_proxy=dead))
    try:
        d.saw(t, r"^\[confab\] connected as demo \(facilitator\)$",
              "confab --demo with http_proxy set to a dead proxy reaches its own hub")
        d.send("/now")
        d.saw(t, r"^\[(now|schedule)\]", "and /now answers")
        t.ok(not any("proxy" in l for l in d.lines()), "--demo: no word of a proxy",
             d.lines())
    finally:
        d.stop()
    a = client(hub.url, "alice", ["--proxy", dead], env=clean_env(http_proxy=dead))
    try:
        a.saw(t, r"^\[confab\] not using the proxy from --proxy for a hub on this machine$",
              "ws://127.0.0.1 with --proxy: confab says it goes directly")
        a.saw(t, r"^\[confab\] connected as alice\d+", "and connects")
    finally:
        a.stop()
    a = client("ws://localhost:%d" % hub.port, "ann", env=clean_env(http_proxy=dead))
    try:
        a.saw(t, r"^\[confab\] connected as ann\d+", "ws://localhost with http_proxy: connects")
    finally:
        a.stop()


def openssl(*args):
    """Runs the openssl CLI."""
    subprocess.run(["openssl"] + list(args), check=True, stdin=subprocess.DEVNULL,
                   capture_output=True, timeout=60)


def make_pki(d):
    """A CA and two hub certificates (hub.test, other.test) in d; returns paths."""
    ca, cakey = os.path.join(d, "ca.pem"), os.path.join(d, "ca.key")
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", cakey, "-out", ca, "-days", "3650", "-subj", "/CN=Reach Test CA",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign")
    out = {"ca": ca}
    for name in ("hub.test", "other.test"):
        key, csr, crt = (os.path.join(d, name + s) for s in (".key", ".csr", ".pem"))
        ext = os.path.join(d, name + ".ext")
        with open(ext, "w") as fp:
            fp.write("subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth\n" % name)
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=" + name)
        openssl("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", cakey, "-set_serial", "5",
                "-days", "30", "-extfile", ext, "-out", crt)
        out[name] = (crt, key)
    return out


def test_wss(t, tmp):
    """wss:// through HTTP CONNECT (https_proxy) and SOCKS5: the hub's name is checked."""
    pki = make_pki(tmp)
    st = os.path.join(tmp, "state")
    for cert in ("hub.test", "other.test"):
        with Hub(["--tls-cert", pki[cert][0], "--tls-key", pki[cert][1], "--demo"]) as hub:
            names = {"hub.test": ("127.0.0.1", hub.port)}
            url = "wss://hub.test:%d" % hub.port
            with HttpProxy(names=names) as hp, SocksProxy(names=names) as sp:
                for how, env, args in (
                        ("https_proxy", clean_env(https_proxy="http://127.0.0.1:%d" % hp.port,
                                                  XDG_STATE_HOME=st), []),
                        ("socks5h", clean_env(XDG_STATE_HOME=st),
                         ["--proxy", "socks5h://127.0.0.1:%d" % sp.port])):
                    a = client(url, "alice", ["--ca-file", pki["ca"]] + args, env=env)
                    try:
                        if cert == "hub.test":
                            a.saw(t, r"^\[confab\] connected as alice\d+", "wss:// through "
                                  "%s: connected, the certificate verified" % how)
                        else:
                            t.eq(a.wait_exit(30), 3, "wss:// through %s: a certificate "
                                 "for another name is refused (exit 3)" % how)
                            t.ok(re.search(r"certificate made out for other\.test, not for "
                                           r"hub\.test", "\n".join(a.lines())),
                                 "... naming the hub's name, not the proxy's", a.lines())
                    finally:
                        a.stop()
                if cert == "hub.test":
                    t.ok(hp.heads and hp.heads[0][:2] == b"\x16\x03",
                         "https_proxy: the tunnel carries a TLS handshake", hp.heads[:1])
                    t.ok(hp.heads and b"hub.test" in hp.heads[0],
                         "... whose SNI is the hub's name")
    kh = open(os.path.join(st, "confab", "known-hosts")).read()
    t.ok(re.search(r"^hub\.test:\d+ ca SHA256:", kh, re.M),
         "known-hosts records the hub by its name", kh)


def test_resume(t, hub):
    """A link through the proxy cut in the middle: reconnect through it, nothing lost."""
    with LinkSim(hub.port) as sim, SocksProxy(names={ONION: ("127.0.0.1", sim.port)}) as sp:
        a = client("ws://%s/" % ONION, "alice", ["--proxy", "socks5h://127.0.0.1:%d"
                                                 % sp.port])
        b = client(hub.url, "bob")
        try:
            a.wait_line(r"^\[confab\] connected as alice\d+", timeout=30)
            b.wait_line(r"^\[confab\] connected as bob\d+")
            sim.cut()
            a.saw(t, r"^\[confab\] connection lost", "the cut link through the proxy is "
                  "noticed")
            b.send("said while %s was away" % a.name)
            a.send("typed while offline")
            a.saw(t, r"^\[confab\] reconnected", "confab reconnects through the proxy",
                  timeout=60)
            a.saw(t, r"^\[#lobby\] (\[mention\] )?<%s> said while %s was away$" % (b.name, a.name),
                  "the line said meanwhile arrives", start=0, timeout=30)
            b.saw(t, r"^\[#lobby\] <%s> typed while offline$" % a.name,
                  "the line typed offline is delivered", start=0, timeout=30)
            t.eq(sum(1 for l in a.lines() if l.endswith("said while %s was away" % a.name)), 1,
                 "shown once")
            t.eq(sum(1 for l in b.lines() if l.endswith("<%s> typed while offline" % a.name)), 1,
                 "delivered once")
            t.ok(len(sp.requests) >= 2, "the second link went through the proxy too",
                 sp.requests)
        finally:
            a.stop()
            b.stop()


def main():
    t = TAP()
    need_binaries(t, "CONFAB", "CONFABD")
    for k in PROXY_VARS:
        os.environ.pop(k, None)
    tmp = tempfile.mkdtemp(prefix="confabtest-proxy-")
    with Hub(["--demo"]) as hub:
        t.run(test_socks, hub)
        t.run(test_http, hub)
        t.run(test_environment, hub)
        t.run(test_loopback, hub)
        t.run(test_resume, hub)
    t.run(test_wss, tmp)
    t.done()


if __name__ == "__main__":
    main()
