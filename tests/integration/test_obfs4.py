#!/usr/bin/env python3
"""confab through a pluggable transport: Debian's obfs4proxy on both sides, loopback only.
Prints TAP (skipped with the reason when obfs4proxy is not installed).

The hub's side is obfs4proxy as a managed server transport in front of a real confabd
(tests/lib/ptserver.py, as doc/REACH.md tells operators); confab runs obfs4proxy itself
as a managed client transport (--transport obfs4 --bridge '...'). Between the two
transports sits tests/lib/linksim.py, recording the bytes; another one between the
server transport and confabd records what the hub gets. Checks:

* chat both ways with a client connected directly, a facilitator's timer seen by both;
  the bytes between the transports hold nothing of the protocol (no upgrade, no JSON, no
  chat line), while the same conversation between the server transport and the hub
  does (so the check can fail); /stats counts the bytes to the transport.
* the bridge line of `confabd --print-bridge-line` is obfs4proxy's own, and works; the
  config file's transport and bridge keys work as the options do.
* --proxy with a transport: obfs4proxy itself goes through the SOCKS5 proxy
  (TOR_PT_PROXY) to the bridge.
* obfs4proxy killed: confab says the link broke, starts the transport again (a new
  process), reconnects through it and resumes: what was said meanwhile arrives once,
  what was typed meanwhile is delivered once. After /quit no obfs4proxy of confab's is
  left.
* the managed proxy protocol with scripted transports: the environment it is given
  (TOR_PT_MANAGED_TRANSPORT_VER, TOR_PT_CLIENT_TRANSPORTS, TOR_PT_STATE_LOCATION,
  TOR_PT_EXIT_ON_STDIN_CLOSE), CMETHOD-ERROR, VERSION-ERROR, a transport it does not
  offer, one that exits at once, one that says nothing (the interface still answers):
  each in words; the program missing, a bad bridge line: exit 1 and 2 in words; a bridge
  nobody listens on.
"""

import os
import re
import signal
import stat
import subprocess
import tempfile
import time

from confabtest import Hub, PlainClient, TAP, need_binaries
from linksim import DOWN, UP, LinkSim
from proxies import SocksProxy, free_port
from ptserver import Obfs4Server, have_obfs4proxy
import reaper

HUB_URL = "ws://hub.example.org:7450"
SECRETS = (b"confab.1", b"Sec-WebSocket", b'"type"', b"GET /", b"secret pitch idea",
           b"HTTP/1.1")


def children(pid):
    """The pids of pid's children."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            out.append(int(d))
    return out


def transport_pid(c, old=None, timeout=30):
    """The pid of the running obfs4proxy that client c started (not old), tracked by the
    reaper (confab stops it on exit, and it dies with confab: this is for a test that is
    killed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for p in children(c.proc.pid):
            try:
                exe = os.readlink("/proc/%d/exe" % p)
            except OSError:
                continue
            if "obfs4proxy" in exe and p != old:
                reaper.track(p)
                return p
        time.sleep(0.05)
    return None


def alive(pid):
    """True while pid runs (a zombie does not count)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_gone(pid, timeout=20):
    """True once pid has ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


# One state directory for every client of this test (the names' secrets, the transport's
# state), as for people on one machine: alice is alice again next time.
STATE = tempfile.mkdtemp(prefix="confabtest-obfs4-state-")


def obfs4_client(bridge, name, args=(), env=None):
    """confab through obfs4proxy to bridge."""
    e = {"XDG_STATE_HOME": STATE}
    e.update(env or {})
    return PlainClient(HUB_URL, name, extra_args=["--transport", "obfs4", "--bridge", bridge]
                       + list(args), env=e)


def test_chat(t, hub):
    """Chat and timers through obfs4; nothing of the protocol between the transports."""
    with LinkSim(hub.port, capture=1 << 16) as inner, \
            Obfs4Server(inner.port) as srv, \
            LinkSim(srv.port, capture=1 << 16) as outer:
        a = obfs4_client(srv.bridge_line(port=outer.port), "alice", hub.facilitator_args())
        b = PlainClient(hub.url, "bob", env={"XDG_STATE_HOME": STATE})
        try:
            a.saw(t, r"^\[confab\] connecting through the obfs4 transport \(.*obfs4proxy\) "
                  r"to the bridge 127\.0\.0\.1:%d$" % outer.port, "confab says it uses the "
                  "obfs4 transport and which bridge")
            a.saw(t, r"^\[confab\] connected as alice \(facilitator\)$",
                  "connected through obfs4proxy on both sides", timeout=60)
            transport_pid(a)
            b.wait_line(r"^\[confab\] connected as bob")
            a.send("secret pitch idea")
            b.saw(t, r"^\[#lobby\] <alice> secret pitch idea$", "bob hears alice")
            b.send("hello back")
            a.saw(t, r"^\[#lobby\] <bob> hello back$", "alice hears bob")
            a.send("/timer start 2m Pitch")
            b.saw(t, r"^\[timer main\] started by alice: Pitch, [12]:\d\d left$",
                  "a timer started through obfs4 reaches bob")
            a.saw(t, r"^\[timer main\] started by alice: Pitch, [12]:\d\d left$",
                  "and alice")
            a.send("/timer stop")
            a.send("/stats")
            a.saw(t, r"^\[stats\] sent .* \(to the obfs4 transport, before it disguises "
                  r"them: .* sent, .* received, compressed\)$",
                  "/stats counts the bytes to the transport")
            a.send("/quit")
            t.eq(a.wait_exit(), 0, "alice exits 0")
        finally:
            a.stop()
            b.stop()
        wire = b"".join(bytes(c.head[d]) for c in outer.connections for d in (UP, DOWN))
        hop = b"".join(bytes(c.head[d]) for c in inner.connections for d in (UP, DOWN))
        t.ok(len(wire) > 2000, "the recording between the transports holds the session "
             "(%d bytes)" % len(wire))
        for s in SECRETS:
            t.ok(s not in wire, "between the transports: no %r" % s.decode())
        t.ok(b"confab.1" in hop and b"GET /" in hop and b"Sec-WebSocket" in hop,
             "between the server transport and the hub, the same session's upgrade is in "
             "clear (the check can fail)")


def test_bridge_line(t, hub, confabd):
    """confabd --print-bridge-line; the config file's keys."""
    with Obfs4Server(hub.port) as srv:
        p = subprocess.run([confabd, "--print-bridge-line", srv.state_dir, "--bridge-address",
                            "127.0.0.1:%d" % srv.port], capture_output=True, timeout=30)
        line = p.stdout.decode().strip()
        t.eq(p.returncode, 0, "confabd --print-bridge-line exits 0")
        t.eq(line, srv.bridge_line(), "it prints obfs4proxy's own bridge line")
        p = subprocess.run([confabd, "--print-bridge-line", srv.state_dir],
                           capture_output=True, timeout=30)
        t.ok(p.stdout.decode().startswith("ADDRESS:PORT cert=") and
             b"replace ADDRESS:PORT" in p.stderr, "without --bridge-address: a placeholder "
             "and what to put there", p)
        cfg = tempfile.mkdtemp(prefix="confabtest-cfg-")
        os.makedirs(os.path.join(cfg, "confab"))
        with open(os.path.join(cfg, "confab", "config"), "w") as fp:
            fp.write("transport = obfs4\nbridge = %s\n" % line)
        c = PlainClient(HUB_URL, "carol", env={"XDG_CONFIG_HOME": cfg,
                                                "XDG_STATE_HOME": STATE})
        try:
            c.saw(t, r"^\[confab\] connected as carol", "the config file's transport and "
                  "bridge (the printed line): connected", timeout=60)
            transport_pid(c)
        finally:
            c.stop()


def test_upstream_proxy(t, hub):
    """--proxy with a transport: the transport itself goes through it (TOR_PT_PROXY)."""
    with Obfs4Server(hub.port) as srv, SocksProxy() as sp:
        a = obfs4_client(srv.bridge_line(), "fay",
                         ["--proxy", "socks5h://127.0.0.1:%d" % sp.port])
        try:
            a.saw(t, r"^\[confab\] connected as fay", "obfs4 through a SOCKS5 proxy "
                  "(TOR_PT_PROXY): connected", timeout=60)
            t.ok(any(r.get("host") == "127.0.0.1" and r.get("port") == srv.port
                     for r in sp.requests), "the transport reached the bridge through the "
                 "proxy", sp.requests)
            pid = transport_pid(a)
            env = open("/proc/%d/environ" % pid, "rb").read().split(b"\0") if pid else []
            t.ok(b"TOR_PT_PROXY=socks5://127.0.0.1:%d" % sp.port in env,
                 "the transport got TOR_PT_PROXY (socks5://, the spec's form)")
        finally:
            a.stop()


def test_restart(t, hub):
    """A killed transport is started again; the session resumes."""
    with Obfs4Server(hub.port) as srv:
        a = obfs4_client(srv.bridge_line(), "dora")
        b = PlainClient(hub.url, "erin", env={"XDG_STATE_HOME": STATE})
        try:
            a.wait_line(r"^\[confab\] connected as dora", timeout=60)
            b.wait_line(r"^\[confab\] connected as erin")
            first = transport_pid(a)
            t.ok(first is not None, "confab runs obfs4proxy as its child")
            env = open("/proc/%d/environ" % first, "rb").read().split(b"\0")
            for want in (b"TOR_PT_MANAGED_TRANSPORT_VER=1", b"TOR_PT_CLIENT_TRANSPORTS=obfs4",
                         b"TOR_PT_EXIT_ON_STDIN_CLOSE=1"):
                t.ok(want in env, "obfs4proxy's environment has %s" % want.decode())
            t.ok(any(e.startswith(b"TOR_PT_STATE_LOCATION=/") for e in env),
                 "... and an absolute TOR_PT_STATE_LOCATION")
            os.kill(first, signal.SIGKILL)
            a.saw(t, r"^\[confab\] connection lost", "killing obfs4proxy drops the link")
            b.send("said while the transport was down")
            a.send("typed while the transport was down")
            a.saw(t, r"^\[confab\] reconnected", "confab reconnects through a new transport",
                  timeout=60)
            second = transport_pid(a, old=first)
            t.ok(second is not None and second != first and alive(second),
                 "a new obfs4proxy runs (pid %s, was %s)" % (second, first))
            a.saw(t, r"^\[#lobby\] <erin> said while the transport was down$",
                  "what was said meanwhile arrives", start=0, timeout=30)
            b.saw(t, r"^\[#lobby\] <dora> typed while the transport was down$",
                  "what was typed meanwhile is delivered", start=0, timeout=30)
            a.send("after the restart")
            b.saw(t, r"^\[#lobby\] <dora> after the restart$", "chat goes on")
            t.eq(sum(1 for l in a.lines() if l.endswith("said while the transport was down")),
                 1, "shown once")
            t.eq(sum(1 for l in b.lines() if l.endswith("typed while the transport was "
                                                         "down")), 1, "delivered once")
            a.send("/quit")
            t.eq(a.wait_exit(), 0, "dora exits 0")
            t.ok(wait_gone(second), "no obfs4proxy is left after confab exits")
            if second is not None:
                reaper.done(second)
        finally:
            a.stop()
            b.stop()


FAKE = """#!/bin/sh
# a scripted managed transport for test_obfs4.py
env | grep '^TOR_PT_' | sort > "$0.env"
%s
"""


def fake(d, name, body):
    """A scripted transport program in d."""
    path = os.path.join(d, name)
    with open(path, "w") as fp:
        fp.write(FAKE % body)
    os.chmod(path, stat.S_IRWXU)
    return path


def test_managed_protocol(t, tmp):
    """Scripted transports: the environment, the error lines, silence, death."""
    bridge = "192.0.2.1:443 cert=AAAA iat-mode=0"
    cases = (
        ("cmethod-error", 'echo "VERSION 1"; echo "CMETHOD-ERROR obfs4 no rocks available"; '
         'echo "CMETHODS DONE"; cat > /dev/null',
         r"the obfs4 transport could not start: no rocks available"),
        ("version-error", 'echo "VERSION-ERROR no-version"',
         r"the transport program .*version-error does not speak version 1 of the pluggable "
         r"transport protocol \(no-version\)"),
        ("env-error", 'echo "VERSION 1"; echo "ENV-ERROR no TOR_PT_STATE_LOCATION"',
         r"the transport program .*env-error refused its settings: no "
         r"TOR_PT_STATE_LOCATION"),
        ("not-offered", 'echo "VERSION 1"; echo "CMETHOD meek_lite socks5 127.0.0.1:1"; '
         'echo "CMETHODS DONE"; cat > /dev/null',
         r"the transport program .*not-offered does not offer the obfs4 transport"),
        ("exits", 'echo "some trouble" >&2; exit 3',
         r"the transport program .*exits ended before it was ready \(exit status 3\): some "
         r"trouble"),
    )
    for name, body, pattern in cases:
        prog = fake(tmp, name, body)
        c = obfs4_client(bridge, "ann", ["--transport-exec", prog])
        try:
            c.saw(t, r"^\[confab\] cannot connect \(%s\); trying again in \d+ s$" % pattern,
                  "%s: said in words" % name, timeout=30)
            t.ok(c.alive(), "%s: confab keeps running" % name)
        finally:
            c.stop()
    envtext = open(os.path.join(tmp, "cmethod-error.env")).read()
    for want in ("TOR_PT_MANAGED_TRANSPORT_VER=1", "TOR_PT_CLIENT_TRANSPORTS=obfs4",
                 "TOR_PT_EXIT_ON_STDIN_CLOSE=1"):
        t.ok(want in envtext.splitlines(), "a transport gets %s" % want, envtext)
    t.ok(re.search(r"^TOR_PT_STATE_LOCATION=/.*/confab/pt-state$", envtext, re.M),
         "... and TOR_PT_STATE_LOCATION under confab's state directory", envtext)
    # a transport that says nothing: the interface answers meanwhile
    prog = fake(tmp, "silent", 'echo "VERSION 1"; cat > /dev/null')
    c = obfs4_client(bridge, "ann", ["--transport-exec", prog])
    try:
        c.wait_line(r"^\[confab\] connecting to ")
        c.send("/help timer")
        c.saw(t, r"timer", "a silent transport does not block the interface (/help answers)")
        c.send("/quit")
        t.eq(c.wait_exit(), 0, "and /quit exits 0 at once")
    finally:
        c.stop()
    # missing program, bad bridge lines
    for args, env, code, pattern, what in (
            (["--transport-exec", "/nonexistent/obfs4proxy"], None, 1,
             r'the transport program "/nonexistent/obfs4proxy" was not found',
             "--transport-exec names no program"),
            ([], {"PATH": tmp}, 1, r"the obfs4 transport needs the program obfs4proxy, which "
             r"was not found: install it \(Debian: apt install obfs4proxy\)",
             "obfs4proxy not in PATH")):
        c = obfs4_client(bridge, "ann", args, env=env)
        try:
            t.eq(c.wait_exit(), code, "%s: exit %d" % (what, code))
            t.ok(re.search(pattern, c.stderr_text()), "%s: said in words" % what,
                 c.stderr_text())
        finally:
            c.stop()
    for bl, pattern in (("192.0.2.1 cert=x", r"is not ADDRESS:PORT"),
                        ("192.0.2.1:443 iat-mode=0", r"an obfs4 bridge line needs its cert="),
                        ("meek_lite 192.0.2.1:443 url=x", r"the bridge line is for the "
                         r"meek_lite transport, not obfs4")):
        c = obfs4_client(bl, "ann")
        try:
            t.eq(c.wait_exit(), 2, "bridge %r: exit 2" % bl)
            t.ok(re.search(pattern, c.stderr_text()), "... %s" % pattern, c.stderr_text())
        finally:
            c.stop()


def test_unreachable(t, hub):
    """A bridge nobody listens on: said in words, and confab keeps trying."""
    with Obfs4Server(hub.port) as srv:
        port = free_port()
        c = obfs4_client(srv.bridge_line(port=port), "ann")
        try:
            c.saw(t, r"^\[confab\] cannot connect \(the obfs4 transport could not reach the "
                  r"bridge 127\.0\.0\.1:%d \(general failure\): the bridge is down or blocked "
                  r"from here, or the bridge line is wrong \(its cert=\)\); trying again in "
                  r"\d+ s$" % port, "a bridge nobody listens on", timeout=60)
            t.ok(c.alive(), "confab keeps trying")
        finally:
            c.stop()


def main():
    t = TAP()
    confab, confabd = need_binaries(t, "CONFAB", "CONFABD")
    if not have_obfs4proxy():
        print("1..0 # SKIP obfs4proxy is not installed (Debian: apt install obfs4proxy)")
        return
    for k in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY",
              "ALL_PROXY"):
        os.environ.pop(k, None)
    tmp = tempfile.mkdtemp(prefix="confabtest-obfs4-")
    with Hub(["--demo"]) as hub:
        t.run(test_chat, hub)
        t.run(test_bridge_line, hub, confabd)
        t.run(test_restart, hub)
        t.run(test_upstream_proxy, hub)
        t.run(test_unreachable, hub)
    t.run(test_managed_protocol, tmp)
    t.done()


if __name__ == "__main__":
    main()
