#!/usr/bin/env python3
"""The hub against abuse: rate limits, queues, descriptors, bad frames, files, access. TAP.

Each part is an attack that broke the hub before (issue 11), tried again:

* flood: eight connections pipeline chat lines as fast as they can; they are answered
  rate-limited, while an attendee on a 20 KB/s link stays connected, gets every line and
  nothing is lost from the room's history.
* queue: 1,000 history requests from a connection that does not read: the hub stops
  reading it (its memory stays bounded), answers the others at once, sends everything once
  the reader reads, and drops a connection that never reads after --limit stall.
* per address: --limit conns / hellos with --limit-loopback; loopback is exempt without it.
* hello loop: one connection looping hello/close does not push "rooms" to others.
* descriptors: with few file descriptors the hub refuses new connections, logs it at most
  once a second, does not spin, and recovers.
* unmasked frames close the connection with 1002.
* files: a FIFO as program, token, invite or welcome file, and a token file others can
  read, are refused (not waited on); SIGHUP reloads the tokens; NAME:TOKEN binds a token to
  a name; tokens never reach the log.
* access: Origin allow-list, invite-only events, /health and /metrics by address.
"""

import os
import re
import signal
import socket
import stat
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

from confabtest import (TAP, FACILITATOR_TOKEN, Hub, PlainClient, WsClient, WsClosed,
                        hello, need_binaries)
from linksim import LinkSim

OP_TEXT = 0x1


def rss_kib(pid):
    """The resident set of a process, KiB."""
    with open("/proc/%d/status" % pid) as fp:
        for line in fp:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    """User + system CPU time of a process so far, seconds."""
    with open("/proc/%d/stat" % pid) as fp:
        fields = fp.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pipeline_say(ws, n, prefix, deadline):
    """Sends n say requests without waiting; returns the ids sent."""
    ids = []
    for i in range(n):
        if time.monotonic() > deadline:
            break
        rid = ws.next_id()
        ws.send_json({"type": "say", "id": rid, "room": "lobby",
                      "text": "%s %d" % (prefix, i)})
        ids.append(rid)
    return ids


def count_replies(ws, ids, timeout=60):
    """Reads until every id has its reply: (oks, rate-limited errors, other errors)."""
    want = set(ids)
    ok = limited = other = 0
    deadline = time.monotonic() + timeout
    while want and time.monotonic() < deadline:
        m = ws.recv(timeout=max(0.1, deadline - time.monotonic()))
        if not isinstance(m, dict) or m.get("re") not in want:
            continue
        want.discard(m["re"])
        if m.get("type") == "ok":
            ok += 1
        elif m.get("type") == "error" and m.get("code") == "rate-limited":
            limited += 1
        else:
            other += 1
    return ok, limited, other


def test_flood(t):
    with Hub(["--demo"], limits=True) as hub, LinkSim(hub.port, down_kbps=160) as sim:
        slow = WsClient(sim.port)
        w = hello(slow, "slowlink")
        t.eq(w.get("type"), "welcome", "flood: the attendee on a 20 KB/s link is welcomed")
        alice = hub.client()
        hello(alice, "alice")
        t.eq(alice.call("say", room="lobby", text="before the flood").get("type"), "ok",
             "flood: a line said before the flood is stored")
        floods = []
        for i in range(8):
            ws = hub.client()
            hello(ws, "flood%d" % i)
            floods.append(ws)
        deadline = time.monotonic() + 3
        sent = {ws: pipeline_say(ws, 750, "spam from %d" % i, deadline)
                for i, ws in enumerate(floods)}
        total = sum(len(v) for v in sent.values())
        ok = limited = other = 0
        for ws, ids in sent.items():
            a, b, c = count_replies(ws, ids)
            ok, limited, other = ok + a, limited + b, other + c
        t.diag("flood: %d lines sent, %d stored, %d rate-limited, %d other" %
               (total, ok, limited, other))
        t.ok(limited > 0 and ok + limited == total and other == 0,
             "flood: the flood is answered rate-limited (every request has a reply)")
        # 8 sessions x (burst 20 + 5 a second); generous: twice that over 10 s
        t.ok(ok <= 8 * (20 + 5 * 10) * 2, "flood: at most a burst and the rate were stored",
             "%d stored" % ok)
        t.eq(alice.call("say", room="lobby", text="after the flood").get("type"), "ok",
             "flood: a normal attendee can still speak")
        got = []
        try:
            slow.wait_for(lambda m: isinstance(m, dict) and m.get("type") == "chat" and
                          (got.append(m) or m.get("text") == "after the flood"), timeout=120)
            reached = True
        except (WsClosed, TimeoutError) as e:
            reached = False
            t.diag("slow link: %s" % e)
        t.ok(reached, "flood: the attendee on the slow link is still connected and gets "
             "the line said after the flood")
        seqs = [m["seq"] for m in got]
        t.ok(seqs == list(range(seqs[0], seqs[0] + len(seqs))) if seqs else False,
             "flood: the slow link got every line in between, in order, none missing")
        # the room's history still reaches back to the line before the flood
        texts, before = [], seqs[-1] + 1 if seqs else 1
        for _ in range(30):            # pages of 100, back to the first line (a loaded
                                       # machine stores more of the flood: the rate refills)
            h = alice.call("history", room="lobby", before=before, limit=100)
            events = h.get("events", [])
            texts += [e.get("text") for e in events]
            if not events or not h.get("more"):
                break
            before = events[0]["seq"]
        t.ok("before the flood" in texts, "flood: the history still has the line said "
             "before the flood")
        body = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % hub.port,
                                      timeout=30).read().decode()
        m = re.search(r"^confabd_rate_limited_total (\d+)$", body, re.M)
        t.ok(m is not None and int(m.group(1)) >= limited,
             "flood: /metrics counts the rate-limited requests")
        for ws in floods + [alice, slow]:
            ws.close()


def test_queue(t):
    # no rate limits: the byte budget alone must hold; a small stall for the drop
    with Hub(["--demo", "--limit", "all=off", "--limit", "stall=8"], limits=True) as hub:
        alice = hub.client()
        hello(alice, "alice")
        line = "x" * 400
        for i in range(200):
            last = alice.next_id()
            alice.send_json({"type": "say", "id": last, "room": "lobby",
                             "text": "%d %s" % (i, line)})
        alice.wait_for(lambda m: isinstance(m, dict) and m.get("type") == "ok" and
                       m.get("re") == last, timeout=60)
        alice.pending.clear()
        rss0 = rss_kib(hub.proc.pid)
        reader = hub.client()
        hello(reader, "lazy")
        ids = []
        for i in range(1000):
            rid = reader.next_id()
            reader.send_json({"type": "history", "id": rid, "room": "lobby", "limit": 100})
            ids.append(rid)
        hub.wait_log(r"lazy.*bytes queued: not reading its requests", timeout=60)
        t.ok(True, "queue: the hub stops reading a connection over its budget")
        rss1 = rss_kib(hub.proc.pid)
        t.diag("queue: hub RSS %d KiB before, %d KiB with 1000 history requests unread" %
               (rss0, rss1))
        t.ok(rss1 - rss0 < 64 * 1024, "queue: the hub's memory stays bounded (< 64 MiB more)",
             "%d KiB more" % (rss1 - rss0))
        t0 = time.monotonic()
        rep = alice.call("ping", t0=1, timeout=30)
        t.eq(rep.get("type"), "pong", "queue: others are answered meanwhile")
        t.diag("queue: ping answered in %.3f s" % (time.monotonic() - t0))
        # now it reads: every reply arrives, in order; it is not dropped
        got = []
        deadline = time.monotonic() + 120
        while len(got) < len(ids) and time.monotonic() < deadline:
            m = reader.recv(timeout=max(0.1, deadline - time.monotonic()))
            if isinstance(m, dict) and m.get("type") == "history":
                got.append(m["re"])
        t.eq(got, ids, "queue: once it reads, all 1000 replies arrive in order")
        t.ok(not re.search(r"lazy.*dropping", hub.log()), "queue: a reader that catches up "
             "is not dropped")
        # a connection that never reads is dropped after the stall
        never = hub.client()
        hello(never, "never")
        for i in range(1000):
            never.send_json({"type": "history", "id": never.next_id(), "room": "lobby",
                             "limit": 100})
        hub.wait_log(r"never.*has not read for 8 s: dropping it", timeout=60)
        t.ok(True, "queue: a connection that never reads is dropped after --limit stall")
        t.eq(alice.call("ping", t0=1).get("type"), "pong", "queue: the hub still serves the others")
        never.sock.close()
        for ws in (alice, reader):
            ws.close()


def test_per_address(t):
    with Hub(["--demo", "--limit-loopback", "--limit", "conns=3", "--limit", "hellos=4"],
             limits=True) as hub:
        conns = [hub.client() for _ in range(3)]
        refused = False
        try:
            extra = hub.client(timeout=10)
            try:
                extra.recv(timeout=5)
            except TimeoutError:
                pass
        except (RuntimeError, OSError, WsClosed):
            refused = True
        t.ok(refused, "per address: a fourth connection from one address is refused")
        conns[0].close()
        ok = False
        deadline = time.monotonic() + 30
        while not ok and time.monotonic() < deadline:
            try:
                conns[0] = hub.client(timeout=10)
                ok = True
            except (RuntimeError, OSError, WsClosed):
                time.sleep(0.1)
        t.ok(ok, "per address: once one closes, a new connection is let in")
        for ws in conns:
            ws.close()
    with Hub(["--demo", "--limit-loopback", "--limit", "hellos=4"], limits=True) as hub:
        kinds = []
        for i in range(5):
            with hub.client() as ws:
                r = hello(ws, "h%d" % i)
                kinds.append(r.get("type") + (":" + r.get("code")
                                              if r.get("type") == "error" else ""))
        t.diag("per address: hellos: %s" % kinds)
        t.eq(kinds, ["welcome"] * 4 + ["error:rate-limited"],
             "per address: the fifth hello in a minute from one address is rate-limited")
        # confab asks again later (one hello every 15 s comes back), not stuck on it
        c = PlainClient(hub.port, "patient")
        try:
            c.saw(t, r"^\[confab\] the hub cannot let us in now \(.*\); asking again in "
                  r"\d+ s$", "per address: confab says the hub will not let it in yet")
            c.saw(t, r"^\[confab\] connected as patient ", "per address: ... and gets in "
                  "when the hub takes hellos again", timeout=120)
        finally:
            c.stop()
    with Hub(["--demo", "--limit", "conns=3"], limits=True) as hub:
        conns = []
        try:
            for i in range(6):
                ws = hub.client()
                conns.append(ws)
                hello(ws, "lo%d" % i)
        except (RuntimeError, OSError, WsClosed) as e:
            t.diag("loopback: %s" % e)
        t.eq(len(conns), 6, "per address: loopback is exempt without --limit-loopback")
        for ws in conns:
            ws.close()


def test_hello_loop(t):
    with Hub(["--demo"]) as hub:
        obs = hub.client()
        hello(obs, "observer")
        obs.drain()
        obs.pending.clear()
        t0 = time.monotonic()
        for i in range(60):
            ws = hub.client()
            hello(ws, "looper%d" % i)
            ws.close()
        obs.drain(quiet=1.5)
        elapsed = time.monotonic() - t0
        kinds = [m.get("type") for m in obs.pending if isinstance(m, dict)]
        size = sum(len(str(m)) for m in obs.pending)
        t.diag("hello loop: observer got %d events (%d bytes) in %.1f s: %s" %
               (len(kinds), size, elapsed, sorted(set(kinds))))
        t.ok("rooms" not in kinds, "hello loop: no rooms event is sent to others")
        t.ok(kinds.count("occupancy") <= elapsed + 2,
             "hello loop: occupancy is sent at most once a second",
             "%d in %.1f s" % (kinds.count("occupancy"), elapsed))
        stay = hub.client()
        hello(stay, "stayer")
        # (a count that moved and came back is sent again too: a late looper's may come
        # first)
        m = obs.wait_for(lambda m: isinstance(m, dict) and m.get("type") == "occupancy" and
                         m.get("rooms", {}).get("lobby") == 2, timeout=30)
        t.eq(m.get("rooms", {}).get("lobby"), 2, "hello loop: one who stays changes the "
             "lobby's count, sent as occupancy")
        stay.close()
        obs.close()


def test_descriptors(t):
    with Hub(["--demo"], wrap=["prlimit", "--nofile=64:64"]) as hub:
        socks = []
        for _ in range(80):
            try:
                socks.append(socket.create_connection(("127.0.0.1", hub.port), timeout=5))
            except OSError:
                break
        hub.wait_log(r"(refusing|cannot accept) connections", timeout=30)
        # a window to measure the hub's CPU in while connections wait in its backlog
        # (a measurement, not a wait for a condition)
        cpu0, w0 = cpu_seconds(hub.proc.pid), time.monotonic()
        time.sleep(3)
        cpu = cpu_seconds(hub.proc.pid) - cpu0
        wall = time.monotonic() - w0
        lines = len(re.findall(r"(refusing|cannot accept) connections", hub.log()))
        t.diag("descriptors: %d sockets open; %d log lines; %.2f s CPU in %.1f s" %
               (len(socks), lines, cpu, wall))
        t.ok(cpu < wall * 0.5, "descriptors: the hub does not spin while out of descriptors")
        t.ok(lines <= wall + 40, "descriptors: refusals are logged about once a second")
        for s in socks:
            s.close()
        ok = False
        deadline = time.monotonic() + 60
        while not ok and time.monotonic() < deadline:
            try:
                ws = hub.client(timeout=10)
                ok = hello(ws, "back").get("type") == "welcome"
                ws.close()
            except (RuntimeError, OSError, WsClosed, TimeoutError):
                time.sleep(0.2)
        t.ok(ok, "descriptors: once descriptors are free, new attendees get in")


def test_unmasked(t):
    with Hub(["--demo"]) as hub:
        ws = hub.client()
        hello(ws, "unmasked")
        ws.send_raw_frame(OP_TEXT, b'{"type":"ping","id":99}', mask=False)
        code = None
        try:
            while True:
                m = ws.recv(timeout=30)
                if isinstance(m, dict) and m.get("type") == "pong":
                    break
        except WsClosed:
            code = ws.close_code
        except (TimeoutError, OSError):
            pass
        t.eq(code, 1002, "unmasked: an unmasked client frame closes the connection with "
             "1002 (protocol error)")
        t.ok(hub.alive(), "unmasked: the hub runs on")


def test_order(t):
    with Hub(["--demo"]) as hub:
        ws = hub.client()
        # hello and a line pipelined: the line waits for the welcome (the name is being
        # stored), it is not refused
        ids = [ws.next_id(), ws.next_id()]
        ws.send_json({"type": "hello", "id": ids[0], "proto": 1, "name": "orderly",
                      "client": "t"})
        ws.send_json({"type": "say", "id": ids[1], "room": "lobby", "text": "right away"})
        got = [ws.wait_for(lambda m, i=i: isinstance(m, dict) and m.get("re") == i)
               for i in ids]
        t.eq([m.get("type") for m in got], ["welcome", "ok"], "order: a line sent right "
             "behind hello is said once the hello is through")
        reqs = [("say", {"room": "lobby", "text": "first"}),
                ("who", {"room": "lobby"}),
                ("join", {"room": "d2-open"}),
                ("say", {"room": "d2-open", "text": "second"}),
                ("who", {"room": "d2-open"}),
                ("part", {"room": "d2-open"})]
        sent = []
        for type_, fields in reqs:
            rid = ws.next_id()
            ws.send_json(dict({"type": type_, "id": rid}, **fields))
            sent.append(rid)
        order = []
        deadline = time.monotonic() + 60
        while len(order) < len(sent) and time.monotonic() < deadline:
            m = ws.recv(timeout=max(0.1, deadline - time.monotonic()))
            if isinstance(m, dict) and m.get("re") in sent:
                order.append(m["re"])
        t.eq(order, sent, "order: replies come in the order of the requests, also when "
             "lines wait for the store")
        ws.close()


def run_confabd(args, timeout=30):
    """Runs confabd to its exit: (exit code, stderr); exit code None when it hung."""
    try:
        p = subprocess.run([os.environ["CONFABD"], "--listen", "127.0.0.1:0"] + args,
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
        return p.returncode, p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        return None, (e.stderr or b"").decode("utf-8", "replace")


def private(path, text):
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as fp:
        fp.write(text)


def test_files(t):
    tmp = tempfile.mkdtemp(prefix="confabtest-files-")
    fifo = os.path.join(tmp, "fifo")
    os.mkfifo(fifo, 0o600)
    for opt in ("--program", "--facilitator-token-file", "--invite-token-file",
                "--welcome-file"):
        args = [opt, fifo] if opt == "--program" else ["--demo", opt, fifo]
        code, err = run_confabd(args)
        t.ok(code not in (None, 0) and fifo in err and "regular file" in err,
             "files: a FIFO as %s is refused at once, naming it" % opt, err.strip()[-300:])
    code, err = run_confabd(["--demo", "--facilitator-token-file", "/dev/zero"])
    t.ok(code not in (None, 0) and "/dev/zero" in err,
         "files: a device as token file is refused", err.strip()[-300:])
    loose = os.path.join(tmp, "loose-tokens")
    with open(loose, "w") as fp:
        fp.write(FACILITATOR_TOKEN + "\n")
    os.chmod(loose, 0o644)
    code, err = run_confabd(["--demo", "--facilitator-token-file", loose])
    t.ok(code not in (None, 0) and loose in err and re.search(r"other", err),
         "files: a token file others can read is refused", err.strip()[-300:])
    t.ok(FACILITATOR_TOKEN not in err, "files: the refusal does not show the token")
    # the client's own files: its token file and its config file
    try:
        p = subprocess.run([os.environ["CONFAB"], "--plain", "--facilitator-token-file", fifo,
                            "ws://127.0.0.1:9"], stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=30)
        code, err = p.returncode, p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        code, err = None, "hung"
    t.ok(code == 1 and fifo in err and "regular file" in err,
         "files: confab refuses a FIFO as its token file at once", err.strip()[-300:])
    os.makedirs(os.path.join(tmp, "config", "confab"))
    os.mkfifo(os.path.join(tmp, "config", "confab", "config"), 0o600)
    env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(tmp, "config"),
               XDG_STATE_HOME=os.path.join(tmp, "state"))
    try:
        p = subprocess.run([os.environ["CONFAB"], "--plain", "ws://127.0.0.1:9"],
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=30, env=env)
        err = p.stderr.decode("utf-8", "replace")
        hung = False
    except subprocess.TimeoutExpired:
        hung, err = True, ""
    t.ok(not hung and "config: cannot read: not a regular file" in err,
         "files: confab does not wait on a FIFO as its config file, and says so",
         err.strip()[-300:])
    bad = os.path.join(tmp, "bad-tokens")
    private(bad, "bad name!:" + FACILITATOR_TOKEN + "\n")
    code, err = run_confabd(["--demo", "--facilitator-token-file", bad])
    t.ok(code not in (None, 0) and "%s:1" % bad in err, "files: a bad NAME:TOKEN line "
         "is refused with its line number", err.strip()[-300:])


def test_tokens(t):
    new_token = "a-new-token-for-carol-42"
    with Hub(["--demo"], tokens=("carol:" + FACILITATOR_TOKEN, "any-name-token-0123456")) \
            as hub:
        path = os.path.join(hub.tmpdir, "tokens")
        with hub.client() as ws:
            w = hello(ws, "carol", token=FACILITATOR_TOKEN)
            t.eq((w.get("type"), w.get("role")), ("welcome", "facilitator"),
                 "tokens: carol's token makes carol a facilitator")
        with hub.client() as ws:
            w = hello(ws, "dave", token=FACILITATOR_TOKEN)
            t.eq((w.get("type"), w.get("code")), ("error", "bad-token"),
                 "tokens: carol's token does not work for another name")
        with hub.client() as ws:
            w = hello(ws, "dave", token="any-name-token-0123456")
            t.eq(w.get("role"), "facilitator", "tokens: a TOKEN line works for any name")
        with hub.client() as ws:
            w = hello(ws, "erin", token=new_token)
            t.eq(w.get("code"), "bad-token", "tokens: an unknown token is refused")
        private(path, "# reloaded\nerin:%s\n" % new_token)
        hub.proc.send_signal(signal.SIGHUP)
        hub.wait_log(r"SIGHUP: 1 facilitator tokens? loaded", timeout=30)
        with hub.client() as ws:
            w = hello(ws, "erin", token=new_token)
            t.eq(w.get("role"), "facilitator", "tokens: after SIGHUP the new token works")
        with hub.client() as ws:
            w = hello(ws, "frank", token="any-name-token-0123456")
            t.eq(w.get("code"), "bad-token", "tokens: after SIGHUP a removed token is refused")
        os.chmod(path, 0o644)
        hub.proc.send_signal(signal.SIGHUP)
        hub.wait_log(r"SIGHUP: .*keeping the tokens loaded before", timeout=30)
        with hub.client() as ws:
            w = hello(ws, "erin2", token=new_token, secret=False)
            t.eq(w.get("code"), "bad-token", "tokens: a reload refused (file readable by "
                 "others) keeps the tokens: erin's is for erin only")
        log = hub.log()
        t.ok(FACILITATOR_TOKEN not in log and new_token not in log and
             "any-name-token" not in log, "tokens: no token ever reaches the log")


def test_origin(t):
    with Hub(["--demo", "--allow-origin", "https://ok.example"]) as hub:
        def try_origin(origin):
            try:
                ws = hub.client(headers={"Origin": origin} if origin else None, timeout=10)
                w = hello(ws, "o%d" % time.monotonic_ns())
                ws.close()
                return w.get("type") == "welcome"
            except (RuntimeError, OSError, WsClosed, TimeoutError):
                return False
        t.ok(try_origin(None), "origin: a client without Origin (confab) is let in")
        t.ok(not try_origin("https://evil.example"), "origin: a web page elsewhere is refused")
        t.ok(try_origin("https://ok.example"), "origin: an --allow-origin page is let in")
        t.ok(try_origin("http://127.0.0.1:%d" % hub.port), "origin: the hub's own host is "
             "let in")
        hub.wait_log(r"refused a connection from a web page \(Origin https://evil\.example",
                     timeout=10)
        t.ok(True, "origin: the refusal is logged with the origin")
        long_host = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 50]) + ".evil.example"
        t.ok(not try_origin("https://" + long_host),
             "origin: a page on a host name too long to copy is refused, not taken for none")
        t.ok(not try_origin("https://evil.example\x1b]0;owned\x07"),
             "origin: an Origin with escape sequences is refused")
        m = hub.wait_log(r"Origin https://evil\.example\^\[\]0;owned\^G", timeout=10)
        t.ok("\x1b" not in m.string, "origin: ... and logged with the escapes made visible")


def test_invite(t):
    with Hub(["--demo"]) as hub0:
        invites = os.path.join(hub0.tmpdir, "invites")
    private(invites, "invite-for-ptim-2020-abcdef\n")
    with Hub(["--demo", "--invite-token-file", invites]) as hub:
        with hub.client() as ws:
            w = hello(ws, "gatecrasher")
            t.eq((w.get("type"), w.get("code")), ("error", "invite-required"),
                 "invite: without an invite, hello is refused")
        with hub.client() as ws:
            w = hello(ws, "guest", invite="wrong-invite-token-0000")
            t.eq(w.get("code"), "invite-required", "invite: a wrong invite is refused")
        with hub.client() as ws:
            w = hello(ws, "guest", invite="invite-for-ptim-2020-abcdef")
            t.eq(w.get("type"), "welcome", "invite: with the invite, welcome")
        with hub.client() as ws:
            w = hello(ws, "host", token=FACILITATOR_TOKEN)
            t.eq(w.get("role"), "facilitator", "invite: a facilitator needs no invite")
        mine = os.path.join(hub.tmpdir, "my-invite")
        private(mine, "invite-for-ptim-2020-abcdef\n")
        c = PlainClient(hub.port, "invited", ["--invite-file", mine])
        c.saw(t, r"^\[confab\] connected as invited ", "invite: confab --invite-file gets in")
        c.stop()
        c = PlainClient(hub.port, "uninvited")
        c.saw(t, r"invite", "invite: confab without one is told an invite is needed")
        t.eq(c.wait_exit(), 1, "invite: ... and stops (exit 1) instead of retrying")


def http_get(port, path):
    try:
        r = urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=30)
        return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, ""


def test_metrics(t):
    with Hub(["--demo"]) as hub:
        ws = hub.client()
        hello(ws, "counted")
        code, body = http_get(hub.port, "/health")
        t.eq(code, 200, "metrics: GET /health is 200 from loopback")
        kind = "redis" if hub.redis else "memory"     # CONFAB_TEST_STORE=redis
        t.ok(body.startswith("ok: 1 attendees, 1 connections, store %s" % kind),
             "metrics: /health counts attendees as /metrics does", body)
        code, body = http_get(hub.port, "/metrics")
        t.eq(code, 200, "metrics: GET /metrics is 200 from loopback")
        for name in ("confabd_connections 1", "confabd_rooms", "confabd_lines_per_second",
                     "confabd_queue_bytes", 'confabd_drops_total{reason="queue"}',
                     "confabd_store_commit_seconds_max"):
            t.ok(name in body, "metrics: /metrics has %s" % name)
        code, _ = http_get(hub.port, "/nothing")
        t.eq(code, 404, "metrics: another path is 404")
        ws.close()
    with Hub(["--demo", "--metrics-allow", "10.9.9.9"]) as hub:
        t.eq(http_get(hub.port, "/metrics")[0], 403, "metrics: an address not in "
             "--metrics-allow gets 403")
        t.eq(http_get(hub.port, "/health")[0], 403, "metrics: ... for /health too")


def main():
    t = TAP()
    need_binaries(t, "CONFABD", "CONFAB")
    for f in (test_flood, test_queue, test_per_address, test_hello_loop, test_descriptors,
              test_unmasked, test_order, test_files, test_tokens, test_origin, test_invite,
              test_metrics):
        t.run(f)
    t.done()


if __name__ == "__main__":
    main()
