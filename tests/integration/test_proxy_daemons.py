#!/usr/bin/env python3
"""confab through real proxy daemons on loopback: Debian's dante-server (danted, SOCKS5),
tinyproxy (HTTP CONNECT) and tor (its SOCKS port). Prints TAP; each part is skipped with
the reason when its daemon is not installed.

A hub on loopback is never reached through a proxy, so the hub is addressed by a host
name other than localhost that this machine resolves to 127.0.0.1 (its own name, or
another alias in /etc/hosts); the daemons resolve it themselves (socks5h://, CONNECT).
Without such a name the test is skipped with that reason. Checks: danted with
socks5h:// and socks5://; tinyproxy without and with Basic credentials; tinyproxy's 407
(none, wrong ones) and 403 (a port it does not allow) in words; chat through each.

tor: a real tor with no way onto the Tor network (its only directory authority is a dead
port on loopback; nothing leaves this machine) answers confab's SOCKS5 handshake itself:
a mistyped .onion address is refused in Tor's words with ExtendedErrors on its SocksPort
("not a valid .onion address"), and without them as "general failure" with the hint.
Reaching an onion service through a real tor would need a private Tor network
(authorities, relays, directories) that bootstraps for minutes on two cores: the whole
way to an .onion hub is tested in test_proxy.py through a SOCKS5 server that maps the
name as Tor does.
"""

import itertools
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time

from confabtest import Hub, PlainClient, TAP, need_binaries
from proxies import free_port
import reaper

PROXY_VARS = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
              "ALL_PROXY", "no_proxy", "NO_PROXY")


def local_name():
    """A host name, not localhost, that resolves to 127.0.0.1 here; or None."""
    cands = [socket.gethostname(), socket.getfqdn()]
    try:
        with open("/etc/hosts") as fp:
            for line in fp:
                parts = line.split("#", 1)[0].split()
                if parts and parts[0] == "127.0.0.1":
                    cands += parts[1:]
    except OSError:
        pass
    for name in cands:
        if not name or name == "localhost" or name.endswith(".localhost") or "." in name \
                and name.replace(".", "").isdigit():
            continue
        try:
            addrs = {a[4][0] for a in socket.getaddrinfo(name, None, socket.AF_INET)}
        except OSError:
            continue
        if addrs == {"127.0.0.1"}:
            return name
    return None


def wait_port(port, proc, timeout=20):
    """Waits until something accepts on 127.0.0.1:port; False if proc ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


class Daemon:
    """A proxy daemon run in the foreground with a config file, tracked by the reaper."""

    def __init__(self, cmd, port, log):
        self.port = port
        self.log = log
        self.proc = reaper.spawn(cmd, stdin=subprocess.DEVNULL, stdout=open(log, "ab"),
                                 stderr=subprocess.STDOUT)
        if not wait_port(port, self.proc):
            self.stop()
            raise RuntimeError("%s did not start: %s" % (cmd[0], open(log).read()))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        reaper.done(self.proc)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False


def danted(tmp):
    """danted on a free loopback port, no authentication."""
    port = free_port()
    conf = os.path.join(tmp, "danted.conf")
    root = os.geteuid() == 0
    with open(conf, "w") as fp:
        fp.write("logoutput: stderr\n"
                 "internal: 127.0.0.1 port = %d\n"
                 "external: 127.0.0.1\n"
                 "clientmethod: none\nsocksmethod: none\n" % port)
        if root:
            fp.write("user.privileged: root\nuser.unprivileged: nobody\n")
        fp.write("client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }\n"
                 "socks pass { from: 127.0.0.0/8 to: 127.0.0.0/8 command: connect }\n")
    return Daemon([shutil.which("danted"), "-f", conf, "-p",
                   os.path.join(tmp, "danted.pid"), "-N", "1"], port,
                  os.path.join(tmp, "danted.log"))


def conf_dir(tmp, name, mode):
    """A directory of its own (with mode) for a daemon; returns it and its config path."""
    d = tempfile.mkdtemp(prefix=name + "-", dir=tmp)
    os.chmod(d, mode)
    return d, os.path.join(d, name + ".conf")


def tinyproxy(tmp, extra=""):
    """tinyproxy on a free loopback port."""
    port = free_port()
    d, conf = conf_dir(tmp, "tinyproxy", 0o777)
    with open(conf, "w") as fp:
        fp.write("Port %d\nListen 127.0.0.1\nTimeout 60\nMaxClients 20\nAllow 127.0.0.1\n"
                 "LogLevel Info\nLogFile \"%s/tinyproxy.log\"\nPidFile \"%s/tinyproxy.pid\"\n"
                 % (port, d, d))
        if os.geteuid() == 0:
            group = "nogroup"
            try:
                import grp
                grp.getgrnam(group)
            except KeyError:
                group = "nobody"
            fp.write("User nobody\nGroup %s\n" % group)
        fp.write(extra)
    return Daemon([shutil.which("tinyproxy"), "-d", "-c", conf], port,
                  os.path.join(tmp, "tinyproxy-%d.out" % port))


def tor(tmp, extended):
    """tor on a free loopback SOCKS port, offline: its only directory authority is a port
    on loopback where nothing listens, so it never reaches beyond this machine."""
    port, dead = free_port(), free_port()
    d, conf = conf_dir(tmp, "tor", 0o700)
    with open(conf, "w") as fp:
        fp.write("DataDirectory %s/data\n"
                 "SocksPort 127.0.0.1:%d%s\n"
                 "UseDefaultFallbackDirs 0\n"
                 "DirAuthority nowhere orport=%d no-v2 127.0.0.1:%d %s\n"
                 "AvoidDiskWrites 1\nRunAsDaemon 0\nLog notice stdout\n"
                 % (d, port, " ExtendedErrors" if extended else "", dead, dead, "0" * 40))
    return Daemon([shutil.which("tor"), "-f", conf, "--defaults-torrc", os.devnull], port,
                  os.path.join(d, "tor.log"))


# A mistyped v3 onion address (56 letters and digits that are not a key and checksum).
BAD_ONION = "confabhubconfabhubconfabhubconfabhubconfabhubconfabhub2x.onion"


def test_tor(t, tmp):
    """confab and a real tor's SOCKS port: Tor's refusals in words."""
    url = "ws://%s/" % BAD_ONION
    for extended in (True, False):
        with tor(tmp, extended) as d:
            shown = r"the proxy socks5h://127\.0\.0\.1:%d could not reach %s:80: " \
                % (d.port, re.escape(BAD_ONION))
            if extended:
                refused(t, url, "socks5h://127.0.0.1:%d" % d.port, shown +
                        r"not a valid \.onion address", "tor with ExtendedErrors: a "
                        "mistyped .onion address in Tor's words")
            else:
                refused(t, url, "socks5h://127.0.0.1:%d" % d.port, shown +
                        r"general failure \(Tor says why only with ExtendedErrors on its "
                        r"SocksPort\)", "tor: a mistyped .onion address, and the hint")


# A name of its own for each client: the hub holds a name for the secret a client keeps.
NAMES = itertools.count(1)

# One state directory for every client (the names' secrets), as for people on one machine.
STATE = tempfile.mkdtemp(prefix="confabtest-daemons-state-")


def env():
    """A client environment without proxy variables, with the shared state."""
    e = {k: "" for k in PROXY_VARS}
    e["XDG_STATE_HOME"] = STATE
    return e


def through(t, url, proxy, what, other):
    """A client through proxy connects and chats with other."""
    c = PlainClient(url, "alice%d" % next(NAMES), extra_args=["--proxy", proxy], env=env())
    try:
        c.saw(t, r"^\[confab\] connected as %s " % c.name, "%s: connected" % what,
              timeout=30)
        c.send("hello via %s" % what)
        other.saw(t, r"^\[#lobby\] <%s> hello via %s$" % (c.name, re.escape(what)),
                  "%s: bob hears alice" % what)
    finally:
        c.stop()


def refused(t, url, proxy, pattern, what):
    """A client through proxy is refused with pattern and keeps trying."""
    c = PlainClient(url, "ann", extra_args=["--proxy", proxy], env=env())
    try:
        c.saw(t, r"^\[confab\] cannot connect \(%s\); trying again in \d+ s$" % pattern,
              what, timeout=30)
        t.ok(c.alive(), "%s: confab keeps trying" % what)
    finally:
        c.stop()


def main():
    t = TAP()
    need_binaries(t, "CONFAB", "CONFABD")
    have_dante, have_tiny = shutil.which("danted"), shutil.which("tinyproxy")
    have_tor = shutil.which("tor")
    name = local_name()
    why = None
    if not have_dante and not have_tiny and not have_tor:
        why = "none of danted (dante-server), tinyproxy and tor is installed"
    if why:
        print("1..0 # SKIP %s" % why)
        return
    for k in PROXY_VARS:
        os.environ.pop(k, None)
    tmp = tempfile.mkdtemp(prefix="confabtest-daemons-")
    os.chmod(tmp, 0o755)
    if have_tor:
        t.run(test_tor, tmp)
    else:
        t.skip("tor", "tor is not installed")
    if not have_dante and not have_tiny:
        t.skip("danted and tinyproxy", "neither is installed")
        t.done()
    if name is None:
        t.skip("danted and tinyproxy", "no host name other than localhost resolves to "
               "127.0.0.1 here, and a hub on loopback is never reached through a proxy")
        t.done()
    t.diag("the hub is addressed as %s" % name)
    with Hub(["--demo"]) as hub:
        url = "ws://%s:%d" % (name, hub.port)
        bob = PlainClient(hub.url, "bob", env=env())
        bob.wait_line(r"^\[confab\] connected as bob")
        try:
            if have_dante:
                with danted(tmp) as d:
                    through(t, url, "socks5h://127.0.0.1:%d" % d.port, "danted socks5h", bob)
                    through(t, url, "socks5://127.0.0.1:%d" % d.port, "danted socks5", bob)
            else:
                t.skip("danted", "danted (dante-server) is not installed")
            if have_tiny:
                with tinyproxy(tmp) as p:
                    through(t, url, "http://127.0.0.1:%d" % p.port, "tinyproxy", bob)
                with tinyproxy(tmp, "BasicAuth ann s3cret\n") as p:
                    through(t, url, "http://ann:s3cret@127.0.0.1:%d" % p.port,
                            "tinyproxy with credentials", bob)
                    shown = r"the proxy http://127\.0\.0\.1:%d" % p.port
                    refused(t, url, "http://127.0.0.1:%d" % p.port, shown + r" wants a user "
                            r"name and password: give them in its address "
                            r"\(http://USER:PASSWORD@HOST:PORT\)", "tinyproxy, no credentials")
                    refused(t, url, "http://ann:wrong@127.0.0.1:%d" % p.port, shown +
                            r" refused the user name and password \(40[17] .*\)",
                            "tinyproxy, a wrong password")
                with tinyproxy(tmp, "ConnectPort 1\n") as p:
                    refused(t, url, "http://127.0.0.1:%d" % p.port,
                            r"the proxy http://127\.0\.0\.1:%d does not allow connections to "
                            r"%s:%d \(403 .*\)" % (p.port, re.escape(name), hub.port),
                            "tinyproxy, a port it does not allow")
            else:
                t.skip("tinyproxy", "tinyproxy is not installed")
        finally:
            bob.stop()
    t.done()


if __name__ == "__main__":
    main()
