#!/usr/bin/env python3
"""Several hubs behind one name (doc/MULTIHUB.md, "Clients: several hubs"). TAP.

The name hubs.confab.test resolves to 127.0.0.1 and 127.0.0.2 for the client under test
only: it runs in a mount namespace of its own (unshare -m) where a private hosts file is
bound over /etc/hosts, so the machine's /etc/hosts is never touched. Two hubs share one
event through a private redis-server (tests/lib/redistest.py) and listen on the same
port of the two addresses; confab is given the name only (ws://hubs.confab.test:PORT/).

* failover: the client chats, the hub it is on (the name's first address, found from the
  hubs' /metrics) is killed with -9 while it types and while another attendee on the
  other hub talks; the client reconnects through the same name to the other address (the
  first one now refuses) and resumes: every line typed, before, during and after the
  outage, arrives exactly once, in one order, on both clients; nothing is said lost.
* fresh start: with the hub on the name's first address dead (connection refused), a new
  client reaches the hub on the second address in its first attempt.

Skipped, saying why, where unshare or mount --bind is not permitted, 127.0.0.2 cannot be
bound, redis-server is missing or confabd was built without Redis.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request

from confabtest import TAP, Hub, PlainClient, need_binaries, quit_all
from redistest import Redis, redis_missing

DEADLINE = 30.0
NAME = "hubs.confab.test"
ADDRS = ("127.0.0.1", "127.0.0.2")
LINE = re.compile(r"^\[#lobby\] <(\w+)> (from \w+ \d{3})$")


def resolve_in_namespace(hosts):
    """The IPv4 addresses NAME has inside a mount namespace whose /etc/hosts is `hosts`,
    in the resolver's order; raises OSError with the reason when that cannot be done."""
    try:
        p = subprocess.run(["unshare", "-m", "sh", "-c",
                            'mount --bind "$0" /etc/hosts && exec getent ahostsv4 "$1"',
                            hosts, NAME], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=20)
    except (OSError, subprocess.SubprocessError) as e:
        raise OSError("cannot run unshare: %s" % e) from e
    out = p.stdout.decode("utf-8", "replace")
    if p.returncode != 0:
        raise OSError("unshare -m with mount --bind over /etc/hosts is not permitted "
                      "here: %s" % out.strip()[:200])
    order = []
    for line in out.splitlines():
        addr = line.split()[0] if line.split() else ""
        if addr in ADDRS and addr not in order:
            order.append(addr)
    return order


def environment_missing(tmp):
    """Why the tests cannot run here, or None; writes tmp/hosts and the client wrapper."""
    why = redis_missing()
    if why is not None:
        return why
    if shutil.which("unshare") is None:
        return "unshare (util-linux) is not installed"
    try:
        s = socket.socket()
        s.bind((ADDRS[1], 0))
        s.close()
    except OSError as e:
        return "cannot bind %s: %s" % (ADDRS[1], e)
    hosts = os.path.join(tmp, "hosts")
    with open(hosts, "w") as fp:
        fp.write("# the test's own hosts file (bound over /etc/hosts for confab only)\n")
        for a in ADDRS:
            fp.write("%s %s\n" % (a, NAME))
    try:
        order = resolve_in_namespace(hosts)
    except OSError as e:
        return str(e)
    if sorted(order) != sorted(ADDRS):
        return "%s resolves to %s inside the namespace, not to both %s" % (
            NAME, order, " and ".join(ADDRS))
    # confab under test: the same pid all the way (unshare and sh exec), so the reaper
    # that tracks it kills confab itself
    wrapper = os.path.join(tmp, "confab-ns")
    with open(wrapper, "w") as fp:
        fp.write("#!/bin/sh\nexec unshare -m sh -c 'mount --bind \"$0\" /etc/hosts && "
                 "exec \"$@\"' %s %s \"$@\"\n" % (hosts, os.environ["CONFAB"]))
    os.chmod(wrapper, 0o755)
    return None


def hub_pair(redis):
    """Two hubs of the event on ADDRS[0]:P and ADDRS[1]:P (the same free port P, tried
    again with another port if one is taken meanwhile): {address: Hub}."""
    for _ in range(5):
        s = socket.socket()
        s.bind((ADDRS[1], 0))
        port = s.getsockname()[1]
        s.close()
        hubs = {}
        try:
            for a in ADDRS:
                hubs[a] = Hub(["--demo", "--redis", redis.url,
                               "--listen", "%s:%d" % (a, port)])
            return port, hubs
        except (RuntimeError, TimeoutError):
            for h in hubs.values():
                h.kill()
    raise RuntimeError("no port free on both %s after 5 tries" % " and ".join(ADDRS))


def attendees(addr, port):
    """The hub's confabd_attendees gauge (GET /metrics), or -1 when it cannot be read."""
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with direct.open("http://%s:%d/metrics" % (addr, port), timeout=5) as r:
            data = r.read()
    except OSError:
        return -1
    m = re.search(rb"^confabd_attendees (\d+)$", data, re.M)
    return int(m.group(1)) if m else -1


def wait_attendees(port, want, timeout=DEADLINE):
    """Polls both hubs until their attendee counts are `want` ({address: n}); returns
    the counts last seen."""
    deadline = time.monotonic() + timeout
    while True:
        got = {a: attendees(a, port) for a in ADDRS}
        if got == want or time.monotonic() >= deadline:
            return got
        time.sleep(0.2)


def typer(client, n, every, sent):
    """Types n numbered lines, one every `every` s."""
    for i in range(n):
        text = "from %s %03d" % (client.name, i)
        client.send(text)
        sent.append(text)
        time.sleep(every)


def chat_views(clients, want, timeout=60):
    """Polls until every client shows `want` lines (or the deadline): {name: [text]}."""
    deadline = time.monotonic() + timeout
    while True:
        views = {c.name: [m.group(2) for m in map(LINE.match, c.lines()) if m]
                 for c in clients}
        if all(len(set(v)) >= want for v in views.values()) or \
                time.monotonic() >= deadline:
            return views
        time.sleep(0.3)


def dns_client(port, name, wrapper):
    """confab in plain mode, in its namespace, given the name only."""
    return PlainClient("ws://%s:%d/" % (NAME, port), name, binary=wrapper,
                       env={"no_proxy": NAME})


def test_failover(t, tmp, first):
    """The hub on the name's first address dies: the client goes on through the name."""
    clients = []
    with Redis() as redis:
        port, hubs = hub_pair(redis)
        try:
            d = dns_client(port, "dnsuser", os.path.join(tmp, "confab-ns"))
            clients.append(d)
            d.saw(t, r"^\[confab\] connected as dnsuser", "connects through the name")
            other = [a for a in ADDRS if a != first][0]
            got = wait_attendees(port, {first: 1, other: 0})
            on = [a for a, n in got.items() if n == 1]
            t.eq(on, [first], "it is on the hub at the resolver's first answer, %s" % first)
            o = PlainClient("ws://%s:%d" % (other, port), "other")
            clients.append(o)
            o.saw(t, r"^\[confab\] connected as other", "another attendee joins hub %s"
                  % other)
            for c in clients:
                c.send("/who")
            sent = {c.name: [] for c in clients}
            threads = [threading.Thread(target=typer, args=(c, 30, 0.1, sent[c.name]))
                       for c in clients]
            for th in threads:
                th.start()
            d.wait_line(r"^\[#lobby\] <dnsuser> from dnsuser 004$", timeout=DEADLINE)
            hubs[first].proc.send_signal(signal.SIGKILL)
            hubs[first].proc.wait()
            for th in threads:
                th.join(timeout=60)
            d.saw(t, r"^\[confab\] (connection lost|cannot connect)",
                  "the client sees its link drop when that hub is killed with -9")
            d.saw(t, r"^\[confab\] reconnected", "it reconnects through the same name",
                  timeout=DEADLINE)
            t.diag("the client's notices: %s" % [x for x in d.lines()
                                                 if x.startswith("[confab]")])
            t.eq(wait_attendees(port, {first: -1, other: 2}), {first: -1, other: 2},
                 "both attendees are now on hub %s (%s refuses)" % (other, first))
            d.send("from dnsuser 030")
            sent["dnsuser"].append("from dnsuser 030")
            everything = sorted(x for v in sent.values() for x in v)
            t.eq(len(everything), 61, "61 lines typed, hub %s killed midway" % first)
            views = chat_views(clients, len(everything))
            for c in clients:
                t.eq(sorted(views[c.name]), everything,
                     "%s shows every line exactly once" % c.name)
            t.eq(views["dnsuser"], views["other"], "both show them in one order")
            mine = [x for x in views["other"] if x.startswith("from dnsuser ")]
            t.eq(mine, sent["dnsuser"], "the lines typed through the name arrive in the "
                 "order typed, none lost")
            t.ok(not any("could not be recovered" in x for x in d.lines()),
                 "the client resumed exactly (nothing said to be lost)", d.lines())
            quit_all(t, clients)
        finally:
            for c in clients:
                c.stop()
            for h in hubs.values():
                h.kill()


def test_fresh_start(t, tmp, first):
    """The name's first address refuses: a new client reaches the second one."""
    with Redis() as redis:
        port, hubs = hub_pair(redis)
        d = None
        try:
            hubs[first].kill()
            other = [a for a in ADDRS if a != first][0]
            d = dns_client(port, "newcomer", os.path.join(tmp, "confab-ns"))
            d.saw(t, r"^\[confab\] connected as newcomer",
                  "a fresh client reaches hub %s through the name while %s refuses"
                  % (other, first))
            t.ok(not any(re.match(r"^\[confab\] cannot connect", x) for x in d.lines()),
                 "in its first attempt (lws tried the next address)", d.lines())
            t.eq(wait_attendees(port, {first: -1, other: 1}), {first: -1, other: 1},
                 "it is on hub %s" % other)
            d.send("from newcomer 000")
            d.saw(t, r"^\[#lobby\] <newcomer> from newcomer 000$", "and chats there")
            quit_all(t, [d])
        finally:
            if d is not None:
                d.stop()
            for h in hubs.values():
                h.kill()


def main():
    t = TAP()
    need_binaries(t, "CONFABD", "CONFAB")
    tmp = tempfile.mkdtemp(prefix="confab-dns-")
    try:
        why = environment_missing(tmp)
        if why is not None:
            for name in ("failover through one name with two addresses",
                         "a fresh start with the name's first address dead"):
                t.skip(name, why)
            return
        first = resolve_in_namespace(os.path.join(tmp, "hosts"))[0]
        t.run(test_failover, tmp, first)
        t.run(test_fresh_start, tmp, first)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        t.done()


if __name__ == "__main__":
    main()
