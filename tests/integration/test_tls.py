#!/usr/bin/env python3
"""TLS (wss://) between confab and confabd. Prints TAP.

Certificates are made with the openssl CLI in a temporary directory: a test CA and an
intermediate one; hub certificates: for 127.0.0.1 and localhost (served with the
intermediate, as a fullchain.pem), for another name, expired, not valid yet; two
self-signed ones (the first made exactly as README tells organizers to). A real
confabd serves them with --tls-cert/--tls-key on loopback; real `confab --plain` clients
(and one full-screen client in tmux) connect. Checks:

* ca: with --ca-file two clients connect over wss://, chat, record the hub as "ca" in
  known-hosts (0700 directory, 0600 file), /stats says the link is compressed, and both
  survive a hub restart (resume over TLS: told plainly what was lost, then chat again).
* wire: through tests/lib/linksim.py the bytes both ways are TLS records (0x16 0x03 ...),
  and neither the upgrade (subprotocol), a chat line nor the welcome's resume token
  crosses in clear (the same checks on a ws:// hub find them all, so they can fail); a cut
  link reconnects.
* deflate: the hub's 101 over TLS carries "Confab-Deflate: every-frame" and the extension;
  ALPN settles on http/1.1 even when h2 is offered.
* refusals: not trusted (no --ca-file), another name, expired, not valid yet: exit 3 with
  a message in words and nothing recorded; a ws:// hub addressed as wss://: "the TLS
  handshake failed", and confab keeps trying.
* self-signed: unknown: exit 3 with the fingerprint (the one openssl prints) and the exact
  command to trust it; --trust-cert (openssl's spelling) connects and records it as
  pinned; the next run connects from known-hosts alone; another --trust-cert: exit 4; the
  hub switched to the second certificate: exit 4 with the loud message, the old and new
  fingerprints and the known-hosts line to remove; once removed, --trust-cert with the new
  fingerprint connects. The full-screen interface shows the loud message, stops trying,
  says why a line typed then goes nowhere, and exits 4 on /quit.
* hub: bad --tls-cert/--tls-key (missing, a directory, not PEM, a key of another
  certificate, an encrypted key, one without the other): exit 2 naming the file; the log
  gives the fingerprint to publish; the hub listens on 127.0.0.1 only.
"""

import os
import re
import shutil
import socket
import ssl
import stat
import subprocess
import tempfile
import time

from confabtest import Hub, PlainClient, TAP, WsClient, check_restart, hello, need_binaries
from linksim import DOWN, UP, LinkSim
from tmuxtest import TmuxPane, have_tmux

OPENSSL_CNF = """\
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = placeholder
[ ca_ext ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ inter_ext ]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ ca ]
default_ca = testca
[ testca ]
database = {dir}/index.txt
serial = {dir}/serial
new_certs_dir = {dir}
certificate = {dir}/ca.pem
private_key = {dir}/ca.key
default_md = sha256
policy = anything
unique_subject = no
[ anything ]
commonName = supplied
"""

LEAF_EXT = """\
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = {names}
"""


class Pki:
    """A test CA and hub certificates in dir, made with the openssl CLI."""

    def __init__(self, d):
        self.dir = d
        self.cnf = self.path("openssl.cnf")
        with open(self.cnf, "w") as fp:
            fp.write(OPENSSL_CNF.format(dir=d))
        open(self.path("index.txt"), "w").close()
        with open(self.path("serial"), "w") as fp:
            fp.write("1000\n")
        self.ca = self.path("ca.pem")
        self.openssl("req", "-config", self.cnf, "-x509", "-newkey", "ec", "-pkeyopt",
                     "ec_paramgen_curve:P-256", "-nodes", "-keyout", self.path("ca.key"),
                     "-out", self.ca, "-days", "3650", "-subj", "/CN=Confab Test CA",
                     "-extensions", "ca_ext")
        inter_key, inter_csr = self.path("inter.key"), self.path("inter.csr")
        self.inter = self.path("inter.pem")
        self.openssl("req", "-config", self.cnf, "-new", "-newkey", "ec", "-pkeyopt",
                     "ec_paramgen_curve:P-256", "-nodes", "-keyout", inter_key, "-out",
                     inter_csr, "-subj", "/CN=Confab Test Intermediate")
        self.openssl("x509", "-req", "-in", inter_csr, "-CA", self.ca, "-CAkey",
                     self.path("ca.key"), "-set_serial", "7", "-days", "3650", "-extfile",
                     self.cnf, "-extensions", "inter_ext", "-out", self.inter)
        leaf, key = self.signed("good", "DNS:localhost,IP:127.0.0.1",
                                issuer=(self.inter, inter_key))
        with open(self.path("good-fullchain.pem"), "w") as out:
            for part in (leaf, self.inter):
                with open(part) as fp:
                    out.write(fp.read())
        self.good = (self.path("good-fullchain.pem"), key)
        self.wrong = self.signed("wrong", "DNS:wrong.example")
        self.expired = self.signed("expired", "DNS:localhost,IP:127.0.0.1",
                                   dates=("20000101000000Z", "20010101000000Z"))
        self.future = self.signed("future", "DNS:localhost,IP:127.0.0.1",
                                  dates=("20900101000000Z", "20910101000000Z"))
        self.self1 = self.self_signed("self1")
        self.self2 = self.self_signed("self2")

    def path(self, name):
        """A file in the directory."""
        return os.path.join(self.dir, name)

    def openssl(self, *args):
        """Runs the openssl CLI; returns its standard output."""
        p = subprocess.run(["openssl"] + list(args), stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=60)
        if p.returncode != 0:
            raise RuntimeError("openssl %s failed: %s" % (" ".join(args),
                                                          p.stderr.decode(errors="replace")))
        return p.stdout.decode()

    def signed(self, name, names, dates=None, issuer=None):
        """A key and a certificate for names signed by the CA, or by issuer (cert, key)
        (dates: notBefore and notAfter, for certificates outside their time); returns
        (cert, key)."""
        key, csr, cert, ext = (self.path(name + s) for s in (".key", ".csr", ".pem", ".ext"))
        with open(ext, "w") as fp:
            fp.write(LEAF_EXT.format(names=names))
        self.openssl("req", "-config", self.cnf, "-new", "-newkey", "ec", "-pkeyopt",
                     "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", csr,
                     "-subj", "/CN=" + names.split(",")[0].split(":")[1])
        if dates is None:
            ca, ca_key = issuer or (self.ca, self.path("ca.key"))
            self.openssl("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key,
                         "-set_serial", str(len(os.listdir(self.dir))), "-days", "365",
                         "-extfile", ext, "-out", cert)
        else:
            self.openssl("ca", "-batch", "-config", self.cnf, "-startdate", dates[0],
                         "-enddate", dates[1], "-extfile", ext, "-notext", "-in", csr,
                         "-out", cert)
        return cert, key

    def self_signed(self, name):
        """A self-signed certificate made as README tells organizers; (cert, key)."""
        key, cert = self.path(name + ".key"), self.path(name + ".pem")
        self.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                     "-nodes", "-days", "365", "-subj", "/CN=confab hub", "-addext",
                     "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert)
        return cert, key

    def fingerprint(self, cert):
        """The SHA-256 fingerprint as openssl prints it ("sha256 Fingerprint=AB:...")."""
        return self.openssl("x509", "-in", cert, "-noout", "-fingerprint", "-sha256").strip()


def confab_fp(openssl_fp):
    """openssl's "sha256 Fingerprint=AB:..." in confab's spelling, "SHA256:AB:..."."""
    return "SHA256:" + openssl_fp.split("=", 1)[1].upper()


def tls_hub(cert_key, port=0, args=("--demo",), env=None):
    """A hub serving wss:// with (cert, key) on 127.0.0.1 (port 0: a free one)."""
    return Hub(["--listen", "127.0.0.1:%d" % port, "--tls-cert", cert_key[0],
                "--tls-key", cert_key[1]] + list(args), env=env)


def state_env(d):
    """confab's environment with its known-hosts (XDG state) directory in d."""
    return {"XDG_STATE_HOME": d}


def known_hosts(d):
    """The known-hosts file under state directory d."""
    return os.path.join(d, "confab", "known-hosts")


def read(path):
    """A file's text, or "" when it does not exist."""
    try:
        with open(path) as fp:
            return fp.read()
    except OSError:
        return ""


def refused(t, url, name, extra, env, code, what, patterns):
    """A client that is refused: exits with code by itself; each pattern matches a line of
    its output (in order). Returns the output."""
    c = PlainClient(url, name, extra_args=extra, env=env)
    try:
        rc = c.wait_exit(30)
    finally:
        c.stop()
    out = "\n".join(c.lines())
    t.eq(rc, code, "%s: exit %d" % (what, code))
    pos = 0
    for pat in patterns:
        m = re.compile(pat, re.M).search(out, pos)
        t.ok(m, "%s: %s" % (what, pat), out)
        if m:
            pos = m.end()
    t.ok(not re.search(r"SSL err|error:[0-9a-f]{8}|X509_V_ERR", out),
         "%s: no library codes" % what, out)
    return out


def test_ca(t, pki, tmp):
    """--ca-file (the root only: the hub sends the intermediate): two clients chat over
    wss://, the hub is recorded as "ca", deflate is on, and both resume after a hub
    restart."""
    st = os.path.join(tmp, "ca-state")
    hub = tls_hub(pki.good)
    hubs = [hub]
    t.eq(hub.scheme, "wss", "the hub logs \"listening on wss://\"")
    port = hub.port
    extra = ["--ca-file", pki.ca]
    a = PlainClient(hub.url, "dana", extra_args=extra, env=state_env(st))
    b = PlainClient(hub.url, "eve", extra_args=extra + hub.facilitator_args(),
                    env=state_env(st))
    try:
        a.saw(t, r"^\[confab\] connected as dana \(attendee\)$", "dana connects over wss://")
        b.saw(t, r"^\[confab\] connected as eve \(facilitator\)$",
              "eve connects as a facilitator (the token went inside TLS)")
        a.send("hello over tls")
        b.saw(t, r"^\[#lobby\] <dana> hello over tls$", "eve hears dana")
        b.send("/me waves back")
        a.saw(t, r"^\[#lobby\] \* eve waves back$", "dana hears eve")
        a.send("/stats")
        a.saw(t, r"^\[stats\] .*on the wire: .*compressed\)$",
              "permessage-deflate is on over TLS (/stats)")
        kh = known_hosts(st)
        t.ok(re.search(r"^127\.0\.0\.1:%d ca SHA256:(?:[0-9A-F]{2}:){31}[0-9A-F]{2}$" % port,
                       read(kh), re.M), "the hub is recorded as \"ca\" in known-hosts",
             read(kh))
        t.ok(confab_fp(pki.fingerprint(pki.good[0])) in read(kh),
             "with the fingerprint openssl gives")
        t.eq(stat.S_IMODE(os.stat(kh).st_mode), 0o600, "known-hosts is 0600")
        t.eq(stat.S_IMODE(os.stat(os.path.dirname(kh)).st_mode), 0o700,
             "its directory is 0700")
        t.ok(not [f for f in os.listdir(os.path.dirname(kh))
                  if f not in ("known-hosts", "names")],
             "no temporary file is left beside it", os.listdir(os.path.dirname(kh)))

        # a restart: both resume over TLS (told plainly what was lost)
        hub.stop()
        check_restart(t, a, b, "hello over tls",
                      lambda: hubs.append(tls_hub(pki.good, port)))
    finally:
        a.stop()
        b.stop()
        for h in hubs:
            h.kill()


def wire_heads(t, hub, url_scheme, extra, st):
    """A facilitator and an attendee chat through a recording proxy; returns the bytes of
    the facilitator's connection (up, down) and the proxy."""
    sim = LinkSim(hub.port, capture=1 << 16)
    sim.start()
    url = "%s://127.0.0.1:%d" % (url_scheme, sim.port)
    a = PlainClient(url, "frank", extra_args=extra + hub.facilitator_args(),
                    env=state_env(st))
    try:
        a.wait_line(r"^\[confab\] connected as frank")
        a.send("secret plans for the pitch")
        a.wait_line(r"^\[#lobby\] <frank> secret plans for the pitch$")
        if url_scheme == "wss":
            sim.cut()
            a.saw(t, r"^\[confab\] (connection lost|reconnected)",
                  "wss://: a cut link is noticed")
            a.saw(t, r"^\[confab\] reconnected", "and confab reconnects over TLS", timeout=60)
            a.send("said after the cut")
            a.saw(t, r"^\[#lobby\] <frank> said after the cut$",
                  "chat goes on after the cut (verified again)")
        a.send("/quit")
        t.eq(a.wait_exit(), 0, "%s://: the client exits 0" % url_scheme)
    finally:
        a.stop()
        sim.stop()
    conn = sim.connections[0]
    return bytes(conn.head[UP]), bytes(conn.head[DOWN])


def test_wire(t, pki, tmp):
    """What crosses the wire: TLS records, nothing of the protocol in clear: not the
    upgrade, not a chat line, not the welcome's resume token. (Both hubs compress nothing,
    so that only TLS can hide them; what a client sends is masked even on ws://.)"""
    st = os.path.join(tmp, "wire-state")
    secrets = (b"confab.1", b"Sec-WebSocket", b"secret plans", b'"resume":"')
    plain = {"CONFABD_DEFLATE": "off"}
    with tls_hub(pki.good, env=plain) as hub:
        up, down = wire_heads(t, hub, "wss", ["--ca-file", pki.ca], st)
    t.ok(len(up) > 200 and up[0] == 0x16 and up[1] == 0x03,
         "client to hub: a TLS handshake record first (0x16 0x03)", up[:16].hex())
    t.ok(len(down) > 200 and down[0] == 0x16 and down[1] == 0x03,
         "hub to client: a TLS handshake record first (0x16 0x03)", down[:16].hex())
    for s in secrets:
        t.ok(s not in up and s not in down, "wss://: %r does not cross in clear" % s.decode())
    # the same recording of a ws:// hub sees them all: the checks above can fail
    with Hub(["--demo"], env=plain) as hub:
        up, down = wire_heads(t, hub, "ws", [], st)
    t.ok(up.startswith(b"GET "), "ws://: the recording sees the HTTP upgrade in clear")
    for s in secrets:
        t.ok(s in up or s in down, "ws://: ... and %r" % s.decode())


def test_deflate(t, pki):
    """The 101 answer over TLS promises deflate; ALPN is http/1.1, never h2."""
    ctx = ssl.create_default_context(cafile=pki.ca)
    ctx.set_alpn_protocols(["h2", "http/1.1"])
    with tls_hub(pki.good) as hub:
        ws = WsClient(hub.port, tls=ctx,
                      extensions="permessage-deflate; client_max_window_bits")
        try:
            t.eq(ws.sock.selected_alpn_protocol(), "http/1.1",
                 "ALPN: the hub picks http/1.1 when h2 is offered too")
            t.ok(ws.sock.version() in ("TLSv1.2", "TLSv1.3"), "TLS 1.2 or later (%s)"
                 % ws.sock.version())
            t.eq(ws.headers.get("confab-deflate"), "every-frame",
                 "the 101 over TLS carries Confab-Deflate: every-frame")
            t.ok("permessage-deflate" in ws.headers.get("sec-websocket-extensions", ""),
                 "and accepts permessage-deflate", ws.headers)
            t.eq(ws.subprotocol, "confab.1", "subprotocol confab.1")
        finally:
            ws.close()
        ws = WsClient(hub.port, tls=ctx)
        try:
            reply = hello(ws, "raw")
            t.eq(reply.get("type"), "welcome", "a raw wss:// client gets its welcome")
        finally:
            ws.close()


def test_refusals(t, pki, tmp):
    """Certificates that do not verify, each refused in words; a ws:// hub as wss://."""
    st = os.path.join(tmp, "refused-state")
    env = state_env(st)
    with tls_hub(pki.good) as hub:
        fp = confab_fp(pki.fingerprint(pki.good[0]))
        refused(t, hub.url, "ann", [], env, 3, "no --ca-file",
                [r"^\[confab\] 127\.0\.0\.1:%d presented a certificate from an authority "
                 r"that confab does not trust \(issued by Confab Test Intermediate\): not "
                 r"connecting\.$" % hub.port,
                 r"^\[confab\] Its fingerprint: %s$" % re.escape(fp),
                 r"--ca-file FILE",
                 r"^\[confab\] +confab --trust-cert %s %s$" % (re.escape(fp),
                                                               re.escape(hub.url))])
    with tls_hub(pki.wrong) as hub:
        refused(t, hub.url, "ann", ["--ca-file", pki.ca], env, 3, "another name",
                [r"^\[confab\] 127\.0\.0\.1:\d+ presented a certificate made out for "
                 r"wrong\.example, not for 127\.0\.0\.1: not connecting\.$",
                 r"^\[confab\] Check the address"])
    with tls_hub(pki.expired) as hub:
        t.ok(re.search(r"expired on 2001-01-01 00:00 UTC: clients will refuse it",
                       hub.log()), "confabd warns that its certificate expired", hub.log())
        refused(t, hub.url, "ann", ["--ca-file", pki.ca], env, 3, "expired",
                [r"^\[confab\] 127\.0\.0\.1:\d+ presented a certificate that expired on "
                 r"2001-01-01 00:00 UTC: not connecting\.$",
                 r"date and time are right"])
    with tls_hub(pki.future) as hub:
        refused(t, hub.url, "ann", ["--ca-file", pki.ca], env, 3, "not valid yet",
                [r"^\[confab\] 127\.0\.0\.1:\d+ presented a certificate that is valid only "
                 r"from 2090-01-01 00:00 UTC: not connecting\.$",
                 r"Check this computer's date and time"])
    t.eq(read(known_hosts(st)), "", "nothing refused is recorded")
    with Hub(["--demo"]) as hub:
        c = PlainClient("wss://127.0.0.1:%d" % hub.port, "ann", env=env)
        try:
            c.saw(t, r"^\[confab\] cannot connect \(the TLS handshake failed \(is it a ws:// "
                  r"hub rather than wss://, or is something on the path interfering\?\)\); "
                  r"trying again in \d+ s$",
                  "a ws:// hub addressed as wss://: the TLS handshake failed")
            c.saw(t, r"^\[confab\] cannot connect \(the TLS handshake failed",
                  "and confab tries again (a handshake may fail for a moment)", timeout=30)
            t.ok(c.alive(), "it keeps running")
            t.ok(not re.search(r"SSL err|error:[0-9a-f]{8}", "\n".join(c.lines())),
                 "no library codes")
        finally:
            c.stop()


def test_self_signed(t, pki, tmp):
    """Trust on first use by fingerprint; a changed certificate is refused loudly."""
    st = os.path.join(tmp, "self-state")
    env = state_env(st)
    kh = known_hosts(st)
    fp1_openssl = pki.fingerprint(pki.self1[0])
    fp1, fp2 = confab_fp(fp1_openssl), confab_fp(pki.fingerprint(pki.self2[0]))
    hub = tls_hub(pki.self1)
    hub2 = None
    port = hub.port
    try:
        t.ok(re.search(r"self-signed: publish its fingerprint.*--trust-cert %s"
                       % re.escape(fp1), hub.log()),
             "confabd logs the fingerprint to publish", hub.log())
        refused(t, hub.url, "gus", [], env, 3, "self-signed, unknown",
                [r"^\[confab\] 127\.0\.0\.1:%d presented a self-signed certificate that "
                 r"confab does not know: not connecting\.$" % port,
                 r"^\[confab\] Its fingerprint: %s$" % re.escape(fp1),
                 r"^\[confab\] Compare the fingerprint with the one the hub's organizer "
                 r"published",
                 r"^\[confab\] +confab --trust-cert %s wss://127\.0\.0\.1:%d$"
                 % (re.escape(fp1), port),
                 r"remember this certificate \(in %s\)" % re.escape(kh)])
        t.eq(read(kh), "", "an unknown self-signed certificate is not recorded")

        c = PlainClient(hub.url, "gus", extra_args=["--trust-cert", fp1_openssl], env=env)
        try:
            c.saw(t, r"^\[confab\] The certificate %s of 127\.0\.0\.1:%d is now trusted; "
                  r"recorded in %s\.$" % (re.escape(fp1), port, re.escape(kh)),
                  "--trust-cert (openssl's spelling) trusts and records it")
            c.saw(t, r"^\[confab\] connected as gus", "and connects")
            c.send("/quit")
            t.eq(c.wait_exit(), 0, "exits 0")
        finally:
            c.stop()
        m = re.search(r"^127\.0\.0\.1:%d pinned (\S+)$" % port, read(kh), re.M)
        t.ok(m and m.group(1) == fp1, "known-hosts pins it", read(kh))
        pin_line = read(kh).split("\n").index(m.group(0)) + 1 if m else 0

        c = PlainClient(hub.url, "gus", env=env)
        try:
            c.saw(t, r"^\[confab\] connected as gus", "the next run connects from known-hosts")
            t.ok(not any("presented" in l for l in c.lines()), "without a word about it")
            c.send("/quit")
            t.eq(c.wait_exit(), 0, "exits 0")
        finally:
            c.stop()

        refused(t, hub.url, "gus", ["--trust-cert", fp2], state_env(os.path.join(tmp, "s2")),
                4, "--trust-cert of another certificate",
                [r"^\[confab\] WARNING: HUB 127\.0\.0\.1:%d PRESENTED ANOTHER CERTIFICATE "
                 r"THAN THE ONE YOU TRUST!$" % port,
                 r"^\[confab\] Given with --trust-cert: %s$" % re.escape(fp2),
                 r"^\[confab\] Presented certificate: %s$" % re.escape(fp1)])

        hub.stop()
        hub2 = tls_hub(pki.self2, port)
        out = refused(t, hub2.url, "gus", [], env, 4, "changed certificate",
                      [r"^\[confab\] WARNING: THE CERTIFICATE OF HUB 127\.0\.0\.1:%d HAS "
                       r"CHANGED!$" % port,
                       r"^\[confab\] Someone may be intercepting the connection",
                       r"^\[confab\] Trusted certificate \(%s, line %d\): %s$"
                       % (re.escape(kh), pin_line, re.escape(fp1)),
                       r"^\[confab\] Presented certificate: %s$" % re.escape(fp2),
                       r"^\[confab\] confab will not connect to this hub\.$",
                       r"remove line %d from %s, then connect with --trust-cert"
                       % (pin_line, re.escape(kh))])
        t.ok(not re.search(r"trying again|reconnecting", out),
             "no further attempt is made", out)
        t.ok(fp1 in read(kh) and fp2 not in read(kh), "the pin is left as it was")
        refused(t, hub2.url, "gus", ["--trust-cert", fp2], env, 4,
                "--trust-cert does not override a pin", [r"HAS CHANGED!"])

        # the organizer confirms: the line goes, the new fingerprint is trusted
        lines = read(kh).split("\n")
        del lines[pin_line - 1]
        with open(kh, "w") as fp:
            fp.write("\n".join(lines))
        os.chmod(kh, 0o600)
        c = PlainClient(hub2.url, "gus", extra_args=["--trust-cert", fp2], env=env)
        try:
            c.saw(t, r"^\[confab\] connected as gus",
                  "after removing the line, --trust-cert with the new fingerprint connects")
            c.send("/quit")
            t.eq(c.wait_exit(), 0, "exits 0")
        finally:
            c.stop()
        t.ok(re.search(r"^127\.0\.0\.1:%d pinned %s$" % (port, re.escape(fp2)), read(kh),
                       re.M), "and pins it", read(kh))

        if have_tmux():
            test_curses(t, hub2, pki, tmp, fp1)
        else:
            t.ok(True, "# SKIP tmux is not installed: the full-screen refusal is not tested")
    finally:
        hub.kill()
        if hub2 is not None:
            hub2.kill()


def test_curses(t, hub, pki, tmp, fp1):
    """The full-screen interface: the loud message, no further attempt, exit 4 on /quit."""
    st = os.path.join(tmp, "curses-state")
    os.makedirs(os.path.join(st, "confab"), mode=0o700)
    with open(known_hosts(st), "w") as fp:
        fp.write("127.0.0.1:%d pinned %s\n" % (hub.port, fp1))
    os.chmod(known_hosts(st), 0o600)
    pane = TmuxPane([os.environ["CONFAB"], "--name", "hal", hub.url], cols=120, rows=30,
                    env={"XDG_STATE_HOME": st,
                         "XDG_CACHE_HOME": os.path.join(tmp, "curses-cache"),
                         "XDG_CONFIG_HOME": os.path.join(tmp, "curses-config")},
                    name="hal")
    try:
        pane.wait_text(r"WARNING: THE CERTIFICATE OF HUB 127\.0\.0\.1:%d HAS CHANGED!"
                       % hub.port, timeout=30)
        t.ok(True, "full screen: the loud message is shown")
        text = pane.wait_text(r"remove line 1\s+from").string
        t.ok(True, "with the line to remove")
        top = text.split("\n")[0]
        t.ok("not connecting: certificate refused" in top and "reconnecting" not in top,
             "the top line says it stopped trying", top)
        t.ok(not pane.dead(), "the interface stays up to be read")
        pane.type("anyone there?")
        pane.send("Enter")
        pane.wait_text(r"not connected: the hub's certificate was refused \(see above\); "
                       r"/quit leaves")
        t.ok(True, "a line typed then is not kept for later: it says why")
        pane.type("/quit")
        pane.send("Enter")
        t.eq(pane.exit_status(), 4, "/quit exits 4")
        t.ok(re.search(r"^confab will not connect to this hub\.$", pane.screen(), re.M),
             "the message is printed again once the screen is gone", pane.screen())
    finally:
        pane.kill()


def test_hub(t, pki, tmp):
    """confabd's certificate and key: errors name the file and exit 2; loopback only."""
    confabd = os.environ["CONFABD"]
    enc = os.path.join(tmp, "encrypted.key")
    pki.openssl("pkey", "-in", pki.self1[1], "-aes256", "-passout", "pass:secret", "-out", enc)
    cases = [
        ("a missing certificate", [pki.path("nope.pem"), pki.self1[1]],
         r"cannot read %s: No such file" % re.escape(pki.path("nope.pem"))),
        ("a directory", [tmp, pki.self1[1]], r"%s is not a regular file" % re.escape(tmp)),
        ("a key as certificate", [pki.self1[1], pki.self1[1]],
         r"%s holds no certificate in PEM form" % re.escape(pki.self1[1])),
        ("a certificate as key", [pki.self1[0], pki.self1[0]],
         r"%s holds no private key in PEM form" % re.escape(pki.self1[0])),
        ("the key of another certificate", [pki.self1[0], pki.self2[1]],
         r"the key in %s does not belong to the certificate in %s"
         % (re.escape(pki.self2[1]), re.escape(pki.self1[0]))),
        ("an encrypted key", [pki.self1[0], enc],
         r"%s is encrypted, and confabd cannot ask for its passphrase" % re.escape(enc)),
    ]
    for what, (cert, key), pat in cases:
        p = subprocess.run([confabd, "--demo", "--listen", "127.0.0.1:0", "--tls-cert", cert,
                            "--tls-key", key], stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=30)
        err = p.stderr.decode(errors="replace")
        t.ok(p.returncode == 2 and re.search(pat, err), "confabd with %s: exit 2, %s"
             % (what, pat), "exit %d: %s" % (p.returncode, err))
    p = subprocess.run([confabd, "--demo", "--tls-cert", pki.self1[0]],
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=30)
    t.ok(p.returncode == 2 and b"--tls-cert and --tls-key go together" in p.stderr,
         "--tls-cert without --tls-key: exit 2", p.stderr)
    with tls_hub(pki.good) as hub:
        t.ok(re.search(r"TLS certificate for localhost, 127\.0\.0\.1, valid .* fingerprint %s"
                       % re.escape(confab_fp(pki.fingerprint(pki.good[0]))), hub.log()),
             "the log names the certificate and its fingerprint", hub.log())
        t.eq(listening(hub.port), ["127.0.0.1"], "--listen 127.0.0.1: it listens there only")


def listening(port):
    """The local addresses of the TCP sockets listening on port (from /proc/net)."""
    found = []
    for name, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        for line in read(name).split("\n")[1:]:
            f = line.split()
            if len(f) < 4 or f[3] != "0A":
                continue
            addr, p = f[1].split(":")
            if int(p, 16) != port:
                continue
            raw = bytes.fromhex(addr)
            # /proc prints each 32-bit word in host order
            raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4)) \
                if socket.htonl(1) != 1 else raw
            found.append(socket.inet_ntop(socket.AF_INET if width == 8 else socket.AF_INET6,
                                          raw))
    return found


def main():
    t = TAP()
    need_binaries(t, "CONFABD", "CONFAB")
    if shutil.which("openssl") is None:
        t.bail("the openssl command is needed to make test certificates (apt-get install "
               "openssl)")
    tmp = tempfile.mkdtemp(prefix="confabtest-tls-")
    try:
        pki = Pki(tmp)
        t.run(test_hub, pki, tmp)
        t.run(test_ca, pki, tmp)
        t.run(test_wire, pki, tmp)
        t.run(test_deflate, pki)
        t.run(test_refusals, pki, tmp)
        t.run(test_self_signed, pki, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    t.done()


if __name__ == "__main__":
    main()
