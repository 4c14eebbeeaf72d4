#!/usr/bin/env python3
"""Several hubs, one event: confabd --redis (doc/MULTIHUB.md). TAP.

Each test starts its own redis-server on a free loopback port (tests/lib/redistest.py),
append-only with appendfsync always; the tests skip, saying why, where redis-server is
missing or confabd was built without Redis.

* three_hubs: hubs A, B and C and nine raw clients, three on each: every client sees the
  chat in one order (the same seqs, contiguous); a timer started through A reaches the
  clients of C with the same deadline (so the same remaining time); a room created and a
  lineup item added through A are identical on B and C, also in a new client's welcome;
  a name taken on A is refused on B; a private message from B reaches C; the lobby's
  occupancy counts the attendees of every hub, and those of a hub killed with -9 leave
  the count within the counts' lifetime (10 s, refreshed every 2 s).
* presence: who and presence events across hubs A, B and C: who on C lists the
  members of a room on A and B, with an away message set on B; a join, a part and a
  quit with a message on A reach a member on C once each, and the quit's message the
  lobby's members on B; hub B killed with -9: its member leaves C's who list within the
  lifetime of the hubs' sets (12 s); a hub D started later lists the members already
  there; a client that moves from C to A (C's link still open) has its session on C
  closed, and appears once.
* failover: six confab clients in plain mode, each given all three hubs (its own first),
  chat while hub B is killed with -9: B's clients move to the next hub and resume there;
  every line typed arrives exactly once on every client, all in one order.
* redis_restart: raw clients on two hubs chat while redis-server is killed with -9 and
  started again on its files: the hubs log the outage and the return, /health says
  degraded meanwhile, an away message set on A during the outage reaches B's who after, the writes made during the outage complete after it, and every
  acknowledged line is there once, in order, on every hub.
* long_outage: Redis away for longer than a write waits (10 s): a line is answered
  not-stored with the reason, the next one at once; /metrics says the store is not
  available; with Redis back, lines are stored again.
* password: a Redis with requirepass: a hub given the password in a private file serves
  (a line is stored); a wrong password, and a file that others may read, stop the hub
  with exit status 2 and a message that says why, without the password in it.
* retention: lines said through a hub whose clock libfaketime set back 10 days, and
  today's; a hub started with --retain-days 5 deletes the old ones from Redis (the room's
  stream, the private messages' and the feed) and does not serve them; the numbering
  goes on (skipped where libfaketime is missing).
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

from confabtest import (FACILITATOR_TOKEN, SECRETS, TAP, Hub, PlainClient, WsClient,
                        WsClosed, faketime_env, hello, need_binaries, quit_all)
from redistest import Redis, redis_missing

DEADLINE = 30.0


def start_hub(redis, extra=()):
    """A hub on the shared event."""
    return Hub(["--demo", "--redis", redis.url] + list(extra))


def close_all(wss, hubs):
    """Closes raw clients and kills hubs (the end of a test, passed or not)."""
    for ws in wss:
        try:
            ws.close()
        except (OSError, WsClosed):
            pass
    for h in hubs:
        h.kill()


def kill9(hub):
    """SIGKILL, as a crash would."""
    hub.proc.send_signal(signal.SIGKILL)
    hub.proc.wait()


def chats(ws, want, timeout=DEADLINE):
    """Collects lobby chat events on ws until `want` of them came: [(seq, from, text)]."""
    got = []
    deadline = time.monotonic() + timeout
    while len(got) < want:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("%d of %d lines" % (len(got), want))
        m = ws.recv(timeout=left)
        if m.get("type") == "chat" and m.get("stream") == "room:lobby":
            got.append((m["seq"], m["from"], m["text"]))
    return got


def http_get(port, path):
    """GET path from the hub: the body."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                   % path).encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    return data.decode("utf-8", "replace").split("\r\n\r\n", 1)[-1]


def wait_occupancy(ws, room, count, timeout=DEADLINE):
    """Waits for an occupancy (or rooms) event that gives room `count`; True if it came."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            m = ws.recv(timeout=max(0.1, deadline - time.monotonic()))
        except TimeoutError:
            return False
        if m.get("type") == "occupancy" and m.get("rooms", {}).get(room) == count:
            return True
        if m.get("type") == "rooms":
            for r in m.get("rooms", []):
                if r.get("id") == room and r.get("occupancy") == count:
                    return True
    return False


def room_list(rooms):
    """Rooms as comparable tuples (id, title, kind, capacity), without the counts."""
    return sorted((r["id"], r.get("title"), r.get("kind"), r.get("capacity", 0))
                  for r in rooms)


def test_three_hubs(t, redis):
    """Three hubs behave as one: chat order, timer, rooms, lineup, names, messages."""
    hubs = [start_hub(redis) for _ in range(3)]
    a, b, c = hubs
    clients = []
    try:
        for i in range(9):
            ws = WsClient(hubs[i % 3].port)
            w = hello(ws, "u%d" % i, token=FACILITATOR_TOKEN if i == 0 else None)
            t.ok(w.get("type") == "welcome", "client u%d enters on hub %s"
                 % (i, "ABC"[i % 3]), w)
            clients.append(ws)
        epochs = set()
        for h in hubs:
            with WsClient(h.port) as probe:
                epochs.add(hello(probe, "probe%d" % h.port).get("epoch"))
        t.eq(len(epochs), 1, "the three hubs give one epoch (positions valid on all)")

        # chat: 5 lines from each of the 9, sent without waiting, from all hubs at once
        for rnd in range(5):
            for i, ws in enumerate(clients):
                ws.send_json({"type": "say", "id": ws.next_id(), "room": "lobby",
                              "text": "line %d from u%d" % (rnd, i)})
        seen = [chats(ws, 45) for ws in clients]
        t.ok(all(s == seen[0] for s in seen), "the nine clients see the 45 lines in one "
             "order", "\n".join(repr(s[:5]) for s in seen))
        seqs = [s for s, _, _ in seen[0]]
        t.eq(seqs, list(range(seqs[0], seqs[0] + 45)), "their seqs follow one another")
        t.eq(len({x for _, _, x in seen[0]}), 45, "every line once")

        fac = clients[0]
        # a timer started through hub A: the same deadline on hub C's clients
        rep = fac.call("timer.start", duration_ms=120000, label="Keynote")
        t.eq(rep.get("type"), "ok", "the facilitator on A starts the main timer")
        deadlines = []
        for ws in (clients[0], clients[2], clients[5], clients[8]):
            m = ws.wait_type("timer")
            deadlines.append(m["timer"].get("deadline"))
        t.ok(deadlines[0] is not None and len(set(deadlines)) == 1,
             "the clients of hub C get the timer with A's deadline (the same remaining "
             "time)", deadlines)
        with WsClient(c.port) as late:
            w = hello(late, "late-on-c")
            main = [x for x in w.get("timers", []) if x.get("scope") == "main"]
            t.ok(main and main[0].get("deadline") == deadlines[0],
                 "a client arriving on C later gets the same deadline in its welcome",
                 main)

        # rooms and lineup made through A
        t.eq(fac.call("room.create", room="breakout-1", title="Breakout 1").get("type"),
             "ok", "a room is created through A")
        t.eq(fac.call("lineup.add", title="Talk one", speaker="Ann").get("type"), "ok",
             "a lineup item is added through A")
        for ws, name in ((clients[1], "B"), (clients[2], "C")):
            m = ws.wait_for(lambda m: m.get("type") == "rooms" and any(
                r.get("id") == "breakout-1" for r in m.get("rooms", [])))
            t.ok(m is not None, "a client of hub %s gets the new room" % name)
            m = ws.wait_type("lineup")
            t.eq([i.get("title") for i in m.get("items", [])][-1:], ["Talk one"],
                 "a client of hub %s gets the lineup with the new item" % name)
        views = []
        for h in hubs:
            with WsClient(h.port) as probe:
                w = hello(probe, "view%d" % h.port)
                views.append((room_list(w["rooms"]), w.get("lineup")))
        t.ok(all(v == views[0] for v in views), "rooms and lineup are identical in the "
             "welcome of each hub", views)

        # names: taken on A, refused on B
        with WsClient(b.port) as thief:
            w = hello(thief, "u0")
            t.eq((w.get("type"), w.get("code")), ("error", "name-taken"),
                 "a name taken on hub A is refused on hub B")
        with WsClient(b.port) as thief:
            w = hello(thief, "U0")
            t.eq(w.get("code"), "name-taken", "and so is a name that looks like it")

        # a private message from B to a holder on C
        t.eq(clients[1].call("msg", to="u2", text="psst, from B").get("type"), "ok",
             "u1 on hub B sends a private message to u2 on hub C")
        m = clients[2].wait_type("privmsg")
        t.eq((m.get("from"), m.get("text")), ("u1", "psst, from B"),
             "it reaches u2 on hub C")

        # occupancy over every hub; hub B killed: its three leave the count
        with WsClient(a.port) as watcher:
            w = hello(watcher, "watcher")
            lobby = [r for r in w["rooms"] if r["id"] == "lobby"][0]
            ok = lobby.get("occupancy") == 10 or wait_occupancy(watcher, "lobby", 10)
            t.ok(ok, "the lobby counts the attendees of the three hubs (9 + this one)",
                 lobby)
            kill9(b)
            t0 = time.monotonic()
            ok = wait_occupancy(watcher, "lobby", 7, timeout=25)
            took = time.monotonic() - t0
            t.ok(ok and took < 15, "the attendees of the killed hub leave the count within "
                 "12 s (took %.1f s)" % took)
    finally:
        close_all(clients, hubs)


def who(ws, room):
    """The who list of room: ({name: away or None}, the reply)."""
    rep = ws.call("who", room=room)
    away = rep.get("away") or {}
    return {n: away.get(n) for n in rep.get("names", [])}, rep


def wait_who(ws, room, pred, timeout=DEADLINE):
    """Asks who every 0.3 s until pred(list) holds; the last list, and whether it did."""
    deadline = time.monotonic() + timeout
    while True:
        got, _ = who(ws, room)
        if pred(got) or time.monotonic() >= deadline:
            return got, pred(got)
        ws.drain(quiet=0.3)


def presences(ws, quiet=1.0):
    """The presence events that came on ws until `quiet` s passed without any message:
    [(room, name, action, message)]; the other messages stay pending."""
    ws.drain(quiet=quiet)
    got = [(m.get("room"), m.get("name"), m.get("action"), m.get("message"))
           for m in ws.pending if m.get("type") == "presence"]
    ws.pending = [m for m in ws.pending if m.get("type") != "presence"]
    return got


def wait_presence(ws, want, timeout=DEADLINE):
    """Waits for the presence event want (room, name, action, message); then collects
    what else comes within 1 s: every presence event seen, want's included."""
    m = ws.wait_for(lambda m: m.get("type") == "presence" and (
        m.get("room"), m.get("name"), m.get("action"), m.get("message")) == want, timeout)
    return [(m.get("room"), m.get("name"), m.get("action"), m.get("message"))] + \
        presences(ws)


def test_presence(t, redis):
    """Presence across hubs: who lists every hub's members, presence events cross."""
    hubs = [start_hub(redis) for _ in range(3)]
    a, b, c = hubs
    wss = []
    try:
        pa, pb, pc = WsClient(a.port), WsClient(b.port), WsClient(c.port)
        wss += [pa, pb, pc]
        hello(pa, "pa", token=FACILITATOR_TOKEN)
        hello(pb, "pb")
        wpc = hello(pc, "pc")
        t.eq(pa.call("room.create", room="pres", title="Presence").get("type"), "ok",
             "a breakout is created through A")
        for ws in (pb, pc):
            ws.wait_for(lambda m: m.get("type") == "rooms" and any(
                r.get("id") == "pres" for r in m.get("rooms", [])))
        for ws in (pc, pb):
            t.eq(ws.call("join", room="pres").get("type"), "ok", "a member joins on "
                 + ("C" if ws is pc else "B"))
        t.eq(pb.call("away", message="at lunch").get("type"), "ok", "pb on B is away")
        presences(pc, quiet=0.3)
        t.eq(pa.call("join", room="pres").get("type"), "ok", "pa joins on A")
        got = wait_presence(pc, ("pres", "pa", "join", None))
        t.eq(got, [("pres", "pa", "join", None)], "pc on C sees pa's join once")
        lst, ok = wait_who(pc, "pres", lambda w: w == {"pa": None, "pb": "at lunch",
                                                      "pc": None})
        t.ok(ok, "who on C lists the members on A, B and C, with B's away message", lst)
        lst, ok = wait_who(pa, "lobby", lambda w: {"pa", "pb", "pc"} <= set(w))
        t.ok(ok and list(lst).count("pa") == 1, "who of the lobby on A lists the three",
             lst)

        t.eq(pa.call("part", room="pres").get("type"), "ok", "pa parts on A")
        got = wait_presence(pc, ("pres", "pa", "part", None))
        t.eq(got, [("pres", "pa", "part", None)], "pc on C sees pa's part once")
        t.eq(pa.call("join", room="pres").get("type"), "ok", "pa joins again")
        wait_presence(pc, ("pres", "pa", "join", None))
        presences(pb, quiet=0.3)
        t.eq(pa.call("quit", message="off to the airport").get("type"), "ok",
             "pa quits on A with a message")
        got = wait_presence(pc, ("pres", "pa", "quit", "off to the airport"))
        t.eq(sorted(got), [("lobby", "pa", "quit", "off to the airport"),
                           ("pres", "pa", "quit", "off to the airport")],
             "pc on C sees pa's quit once in the room, and once in the lobby")
        got = wait_presence(pb, ("lobby", "pa", "quit", "off to the airport"))
        t.ok(got.count(("lobby", "pa", "quit", "off to the airport")) == 1,
             "the quit's message reaches the lobby on B once", got)
        lst, ok = wait_who(pc, "pres", lambda w: "pa" not in w)
        t.ok(ok, "pa has left C's who list", lst)

        kill9(b)
        t0 = time.monotonic()
        lst, ok = wait_who(pc, "pres", lambda w: "pb" not in w, timeout=25)
        took = time.monotonic() - t0
        t.ok(ok and took < 15, "the member of the killed hub B leaves C's who list within "
             "12 s (took %.1f s)" % took, lst)
        d = start_hub(redis)
        hubs.append(d)
        pd = WsClient(d.port)
        wss.append(pd)
        hello(pd, "pd")
        lst, ok = wait_who(pd, "pres", lambda w: w == {"pc": None})
        t.ok(ok, "a hub D started later lists the member already in the room on C", lst)

        # pc moves to A while its link to C stays open: C closes the older session
        moved = WsClient(a.port)
        wss.append(moved)
        w = hello(moved, "pc", secret=SECRETS[(c.port, "pc")],
                  since={"epoch": wpc["epoch"], "rooms": {"pres": 0}})
        t.eq(w.get("type"), "welcome", "pc enters on A with its secret, C's link open")
        closed = False
        deadline = time.monotonic() + DEADLINE
        while not closed and time.monotonic() < deadline:
            try:
                pc.recv(timeout=1)
            except WsClosed:
                closed = True
            except TimeoutError:
                pass
        t.ok(closed, "hub C closes pc's older session")
        lst, ok = wait_who(pd, "pres", lambda w: list(w) == ["pc"])
        names = pd.call("who", room="pres").get("names")
        t.ok(ok and names == ["pc"], "D's who lists pc once, now on A", names)
    finally:
        close_all(wss, hubs)


def typer(client, prefix, n, every, sent):
    """Types n numbered lines, one every `every` s."""
    for i in range(n):
        text = "%s %03d" % (prefix, i)
        client.send(text)
        sent.append(text)
        time.sleep(every)


def test_failover(t, redis):
    """kill -9 of a hub: its clients go on on the others; every line once, in order."""
    hubs = [start_hub(redis) for _ in range(3)]
    urls = [h.url for h in hubs]
    clients = []
    try:
        for i in range(6):
            k = i % 3
            order = urls[k:] + urls[:k]    # its own hub first, then the others
            # (PlainClient puts its address last: the others go before it)
            clients.append(PlainClient(order[-1], "p%d" % i, extra_args=order[:-1]))
        for c in clients:
            c.wait_line(r"^\[confab\] connected as %s" % c.name, timeout=DEADLINE)
        # everyone is in the lobby before the first line
        for c in clients:
            c.send("/who")
        sent = {c.name: [] for c in clients}
        threads = [threading.Thread(target=typer, args=(c, "from %s" % c.name, 30, 0.1,
                                                         sent[c.name]))
                   for c in clients]
        for th in threads:
            th.start()
        time.sleep(1.2)
        kill9(hubs[1])
        for th in threads:
            th.join(timeout=60)
        all_lines = sorted(x for v in sent.values() for x in v)
        t.eq(len(all_lines), 180, "six clients typed 30 lines each, hub B killed midway")
        pat = re.compile(r"^\[#lobby\] <p\d> (from p\d \d{3})$")
        deadline = time.monotonic() + 60
        views = {}
        while time.monotonic() < deadline:
            views = {c.name: [m.group(1) for m in map(pat.match, c.lines()) if m]
                     for c in clients}
            if all(len(set(v)) >= 180 for v in views.values()):
                break
            time.sleep(0.3)
        for c in clients:
            v = views[c.name]
            t.eq(sorted(v), all_lines, "%s shows every line exactly once" % c.name)
        ref = views[clients[0].name]
        t.ok(all(v == ref for v in views.values()), "all six show them in one order")
        for c in (clients[1], clients[4]):
            t.ok(any(re.search(r"^\[confab\] (connection lost|the link broke|cannot "
                               r"connect)", x) for x in c.lines()),
                 "%s (hub B) saw its link drop and went on elsewhere" % c.name)
        for c in clients:
            t.ok(not any("could not be recovered" in x for x in c.lines()),
                 "%s resumed exactly (nothing said to be lost)" % c.name)
        quit_all(t, clients)
    finally:
        for c in clients:
            c.stop()
        for h in hubs:
            h.kill()


def sayer(ws, prefix, acked, stop):
    """Says numbered lines until told to stop; records (text, seq) of acknowledged ones."""
    i = 0
    try:
        while not stop.is_set():
            text = "%s %d" % (prefix, i)
            rep = ws.call("say", room="lobby", text=text, timeout=DEADLINE)
            if rep.get("type") == "ok":
                acked.append((text, rep.get("seq")))
            i += 1
            time.sleep(0.01)
    except (WsClosed, OSError, TimeoutError, ConnectionError):
        return


def test_redis_restart(t, redis):
    """Redis killed and started again mid-chat: nothing acknowledged is lost."""
    hubs = [start_hub(redis) for _ in range(2)]
    talkers, extra = [], []
    try:
        for i in range(3):
            ws = WsClient(hubs[i % 2].port)
            hello(ws, "talker%d" % i)
            talkers.append(ws)
        away_a, who_b = WsClient(hubs[0].port), WsClient(hubs[1].port)
        extra += [away_a, who_b]
        hello(away_a, "away-a")
        hello(who_b, "who-b")
        acked = [[] for _ in talkers]
        stop = threading.Event()
        threads = [threading.Thread(target=sayer, args=(ws, "t%d" % i, acked[i], stop))
                   for i, ws in enumerate(talkers)]
        for th in threads:
            th.start()
        time.sleep(1.0)
        before = sum(len(a) for a in acked)
        redis.kill()
        for h in hubs:
            h.wait_log(r"store: Redis at .* cannot be reached", timeout=DEADLINE)
        t.ok(True, "both hubs log that Redis cannot be reached")
        health = http_get(hubs[0].port, "/health")
        t.ok(health.startswith("degraded:") and "unavailable" in health,
             "/health says the store is unavailable", health)
        t.eq(away_a.call("away", message="back soon").get("type"), "ok",
             "a member of hub A goes away during the outage")
        time.sleep(1.0)
        redis.start()
        for h in hubs:
            h.wait_log(r"store: Redis at .* reached again", timeout=DEADLINE)
        t.ok(True, "both hubs log that Redis is back")
        time.sleep(1.0)
        stop.set()
        for th in threads:
            th.join(timeout=60)
        after = sum(len(a) for a in acked)
        t.ok(before > 10 and after > before, "lines were acknowledged before (%d) and "
             "after (%d in all) the restart" % (before, after))
        t.ok(http_get(hubs[0].port, "/health").startswith("ok:"), "/health is ok again")
        lst, ok = wait_who(who_b, "lobby", lambda w: w.get("away-a") == "back soon")
        t.ok(ok, "hub B learns, once Redis is back, what changed on A's members meanwhile",
             lst)
        want = sorted((seq, text) for a in acked for text, seq in a)
        t.eq(len({s for s, _ in want}), len(want), "no two acknowledged lines share a seq")
        for i, h in enumerate(hubs):
            with WsClient(h.port) as probe:
                w = hello(probe, "probe-r%d" % i)
                last = w["history"]["lobby"]["last"]
            # a resume from 150 lines back replays them exactly, from the hub's memory
            since = max(0, last - 150)
            with WsClient(h.port) as probe:
                w = hello(probe, "probe-s%d" % i, since={"epoch": w["epoch"],
                                                         "rooms": {"lobby": since}})
                hist = w["history"]["lobby"]
                n = hist["last"] - hist["from"] + 1
                got = {seq: text for seq, _, text in chats(probe, n)}
            missing = [(q, x) for q, x in want if q > since and got.get(q) != x]
            t.ok(not hist["lost"] and not missing, "hub %s replays its last %d lines "
                 "exactly, every acknowledged one at its seq" % ("AB"[i], n), missing)
            t.eq(len(got), len(set(got.values())), "hub %s: no line twice" % "AB"[i])
        stored = {}
        for entry in redis.cmd("XRANGE", "confab:s:room:lobby", "-", "+"):
            f = entry[1]
            fields = dict(zip(f[::2], f[1::2]))
            stored[int(entry[0].split(b"-")[0])] = fields[b"d"].decode()
        lost = [(q, x) for q, x in want if '"text":"%s"' % x not in stored.get(q, "")]
        t.eq(lost, [], "Redis holds all %d acknowledged lines at their seqs" % len(want))
    finally:
        close_all(talkers + extra, hubs)


def test_long_outage(t, redis):
    """Redis away for longer than a write waits: not-stored, saying why; then at once."""
    hub = start_hub(redis)
    ws = None
    try:
        ws = WsClient(hub.port)
        hello(ws, "patient")
        redis.kill()
        hub.wait_log(r"store: Redis at .* cannot be reached", timeout=DEADLINE)
        t0 = time.monotonic()
        rep = ws.call("say", room="lobby", text="into the void", timeout=DEADLINE)
        took = time.monotonic() - t0
        t.ok(rep.get("type") == "error" and rep.get("code") == "not-stored" and
             "cannot reach its store" in rep.get("message", "") and 8 < took < 15,
             "a line said while Redis is away waits 10 s, then not-stored says why "
             "(%.1f s)" % took, rep)
        t0 = time.monotonic()
        rep = ws.call("say", room="lobby", text="still nothing", timeout=DEADLINE)
        took = time.monotonic() - t0
        t.ok(rep.get("code") == "not-stored" and took < 3,
             "Redis away for longer: the next one is refused at once (%.1f s)" % took, rep)
        m = re.search(r"^confabd_store_available (\d)$", http_get(hub.port, "/metrics"),
                      re.M)
        t.eq(m and m.group(1), "0", "/metrics says the store is not available")
        redis.start()
        hub.wait_log(r"store: Redis at .* reached again", timeout=DEADLINE)
        rep = ws.call("say", room="lobby", text="back again", timeout=DEADLINE)
        t.eq(rep.get("type"), "ok", "with Redis back, lines are stored again")
        t.ok(ws.wait_type("chat", text="back again") is not None,
             "the stored line is delivered")
        stored = [dict(zip(e[1][::2], e[1][1::2]))[b"d"].decode()
                  for e in redis.cmd("XRANGE", "confab:s:room:lobby", "-", "+")]
        t.ok(any("back again" in d for d in stored) and
             not any("into the void" in d or "still nothing" in d for d in stored),
             "Redis holds the stored line, not the refused ones", stored)
    finally:
        close_all([ws] if ws else [], [hub])


def stored_texts(redis, key):
    """The data of every entry of a Redis stream of the event, as text."""
    return [dict(zip(e[1][::2], e[1][1::2])).get(b"d", b"").decode()
            for e in redis.cmd("XRANGE", key, "-", "+")]


def test_retention(t, redis):
    """--retain-days with Redis: old lines leave Redis and the hub's memory."""
    env = faketime_env("-10d")
    if env is None:
        t.skip("--retain-days deletes old lines from Redis", "libfaketime is missing "
               "(Debian: faketime): no old lines to delete")
        return
    hubs = [Hub(["--demo", "--redis", redis.url], env=env)]
    try:
        with WsClient(hubs[0].port) as ws, WsClient(hubs[0].port) as ws2:
            hello(ws, "olda")
            hello(ws2, "oldb")
            ws.call("say", room="lobby", text="said ten days ago")
            ws.call("msg", to="oldb", text="whispered ten days ago")
        hubs[0].stop()
        hubs.append(start_hub(redis))
        with WsClient(hubs[1].port) as ws:
            hello(ws, "newa")
            today = ws.call("say", room="lobby", text="said today").get("seq")
        hubs.append(start_hub(redis, ["--retain-days", "5"]))
        hubs[2].wait_log(r"deleted \d+ lines older than the retention")
        with WsClient(hubs[2].port) as ws:
            hello(ws, "newb")
            h = ws.call("history", room="lobby", limit=100)
            served = [e.get("text") for e in h.get("events", [])]
            seq = ws.call("say", room="lobby", text="said after the trim").get("seq")
        room = stored_texts(redis, "confab:s:room:lobby")
        t.ok(not any("ten days ago" in d for d in room) and
             any("said today" in d for d in room),
             "--retain-days 5 deleted the lobby's line of ten days ago from Redis, kept "
             "today's", room)
        user = [d for k in redis.cmd("KEYS", "confab:s:user:*")
                for d in stored_texts(redis, k.decode())]
        feed = stored_texts(redis, "confab:feed")
        t.ok(not any("ten days ago" in d for d in user + feed) and
             any("said today" in d for d in feed),
             "... and the old private message, and the old changes from the feed",
             user + feed)
        t.ok(h.get("type") == "history" and "said today" in served and
             "said ten days ago" not in served, "the hub does not serve the old line", h)
        t.eq(seq, today + 1, "the numbering goes on after the trim")
    finally:
        for h in hubs:
            h.kill()


def test_password(t):
    """--redis-password-file against a Redis that asks for one."""
    secret = "s3cret-for-the-test"
    tmp = tempfile.mkdtemp(prefix="confab-redispw-")
    good, bad = os.path.join(tmp, "good"), os.path.join(tmp, "bad")
    for path, text, mode in ((good, secret, 0o600), (bad, "wrong-one", 0o600)):
        with open(os.open(path, os.O_WRONLY | os.O_CREAT, mode), "w") as fp:
            fp.write(text + "\n")
    with Redis(password=secret) as redis:
        hub = Hub(["--demo", "--redis", redis.url, "--redis-password-file", good])
        try:
            with WsClient(hub.port) as ws:
                hello(ws, "authed")
                t.eq(ws.call("say", room="lobby", text="behind a password").get("type"),
                     "ok", "with the right password the hub stores a line in Redis")
        finally:
            hub.kill()
        for path, why in ((bad, "a wrong password"), (good, "a file others may read")):
            if why.startswith("a file"):
                os.chmod(good, 0o644)
            p = subprocess.run([os.environ["CONFABD"], "--listen", "127.0.0.1:0", "--demo",
                                "--redis", redis.url, "--redis-password-file", path],
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=60,
                               env=dict(os.environ, LANG="C", LC_ALL="C"))
            err = p.stderr.decode("utf-8", "replace")
            t.ok(p.returncode == 2 and ("password" in err or path in err) and
                 secret not in err and "wrong-one" not in err,
                 "%s: confabd stops (2) and says why, without the password" % why,
                 "exit %d: %s" % (p.returncode, err))
    shutil.rmtree(tmp, ignore_errors=True)


def main():
    t = TAP()
    need_binaries(t, "CONFABD", "CONFAB")
    why = redis_missing()
    if why is not None:
        for name in ("three hubs behave as one", "presence across hubs",
                     "kill -9 of a hub: failover",
                     "Redis restarted during chat", "Redis away for long",
                     "--retain-days with Redis", "--redis-password-file"):
            t.skip(name, why)
        t.done()
    for test in (test_three_hubs, test_presence, test_failover, test_redis_restart, test_long_outage,
                 test_retention):
        with Redis() as redis:
            t.run(test, redis)
    t.run(test_password)
    t.done()


if __name__ == "__main__":
    main()
