#!/usr/bin/env python3
"""test_hub_resume.py: lossless resume against a real confabd, with raw WebSocket frames.

A reconnect with positions ("since") gets exactly the missed lines; a position that fell out
of the hub's history, or one from before a hub restart, gets "lost" and a fresh backlog; a
say re-sent with the same cid is delivered once; "history" pages back to the start; a
client whose cached program is current gets a much smaller welcome."""

from confabtest import TAP, Hub, WsClient, need_binaries, hello, OP_TEXT

tap = TAP()
need_binaries(tap, "CONFABD")

BACKLOG = 20


class SizedWs(WsClient):
    """A WsClient that counts the bytes of the text messages it receives (payloads)."""

    def __init__(self, *args, **kwargs):
        self.text_bytes = 0
        super().__init__(*args, **kwargs)

    def _frame(self, deadline):
        fin, op, payload = super()._frame(deadline)
        if op == OP_TEXT or op == 0:
            self.text_bytes += len(payload)
        return fin, op, payload


def hello2(ws, name, **extra):
    """hello with extra members (and the name's secret, as the library keeps it); returns
    the reply."""
    return hello(ws, name, **extra)


def chats(ws, room="lobby"):
    """Everything that arrives until the line is quiet: the chat events of room, in order
    of arrival (the other messages are dropped)."""
    ws.drain(quiet=0.5)
    got = [m for m in ws.pending if isinstance(m, dict) and m.get("type") == "chat" and
           m.get("room") == room]
    ws.pending = []
    return got


def say_n(ws, n, prefix, room="lobby"):
    """Says n lines and waits for each ok; returns the seqs the hub gave them."""
    seqs = []
    for i in range(n):
        r = ws.call("say", room=room, text="%s %d" % (prefix, i))
        seqs.append(r.get("seq"))
    return seqs


def test_gap_replay(t):
    with Hub(["--demo"]) as hub, WsClient(hub.port) as b:
        hello2(b, "bob")
        a = WsClient(hub.port)
        w = hello2(a, "alice")
        epoch, resume = w["epoch"], w["resume"]
        say_n(b, 5, "before")
        seen = chats(a)
        t.eq([c["seq"] for c in seen], [1, 2, 3, 4, 5], "alice sees lines 1..5 live")
        a.close()
        missed = say_n(b, 7, "away")
        a = WsClient(hub.port)
        w = hello2(a, "alice", resume=resume,
                   since={"epoch": epoch, "rooms": {"lobby": 5}})
        t.eq(w.get("type"), "welcome", "the resuming hello is welcomed")
        t.eq((w.get("history") or {}).get("lobby"), {"last": 12, "from": 6, "lost": False},
             "welcome.history: last 12, from 6, not lost")
        got = chats(a)
        t.eq([c["seq"] for c in got], missed, "exactly the 7 missed lines, in order")
        t.eq([c["text"] for c in got], ["away %d" % i for i in range(7)],
             "with their texts, and nothing else")
        a.close()


def test_gap_too_old(t):
    with Hub(["--demo"]) as hub, WsClient(hub.port) as b:
        hello2(b, "bob")
        a = WsClient(hub.port)
        w = hello2(a, "alice")
        epoch = w["epoch"]
        say_n(b, 3, "before")
        chats(a)
        a.close()
        say_n(b, 210, "flood")
        a = WsClient(hub.port)
        w = hello2(a, "alice", since={"epoch": epoch, "rooms": {"lobby": 3}})
        h = (w.get("history") or {}).get("lobby")
        t.eq(h, {"last": 213, "from": 213 - BACKLOG + 1, "lost": True},
             "position 3 fell out of the 200 kept: lost, from the last 20")
        got = chats(a)
        t.eq([c["seq"] for c in got], list(range(213 - BACKLOG + 1, 214)),
             "the snapshot: the last 20 lines, in order")
        a.close()


def test_hub_restart(t):
    with Hub(["--demo"]) as hub1:
        a = WsClient(hub1.port)
        w = hello2(a, "alice")
        old_epoch = w["epoch"]
        a.call("say", room="lobby", text="first run")
        last = chats(a)[-1]["seq"]
        a.close()
    with Hub(["--demo"]) as hub2, WsClient(hub2.port) as b:
        hello2(b, "bob")
        say_n(b, 3, "second run")
        a = WsClient(hub2.port)
        w = hello2(a, "alice", since={"epoch": old_epoch, "rooms": {"lobby": last}})
        t.ok(w.get("epoch") != old_epoch, "a restarted hub has a new epoch")
        t.eq((w.get("history") or {}).get("lobby"), {"last": 3, "from": 1, "lost": True},
             "a position of the old epoch is lost")
        t.eq([c["text"] for c in chats(a)], ["second run %d" % i for i in range(3)],
             "and the new run's lines come as a snapshot")
        a.close()


def test_cid_dup(t):
    with Hub(["--demo"]) as hub, WsClient(hub.port) as a, WsClient(hub.port) as b:
        hello2(a, "alice")
        hello2(b, "bob")
        r1 = a.call("say", room="lobby", text="only once", cid="c0ffee01-1")
        t.ok(r1.get("type") == "ok" and not r1.get("dup"), "the first send is delivered",
             repr(r1))
        r2 = a.call("say", room="lobby", text="only once", cid="c0ffee01-1")
        t.ok(r2.get("type") == "ok" and r2.get("dup") is True and
             r2.get("seq") == r1.get("seq"), "the re-send: ok, dup, the original seq",
             repr(r2))
        a.close()
        a2 = WsClient(hub.port)
        hello2(a2, "alice2")
        r3 = a2.call("say", room="lobby", text="only once", cid="c0ffee01-1")
        t.eq(r3.get("dup"), True, "a re-send on a new connection is a dup too")
        got = [c for c in chats(b) if c["text"] == "only once"]
        t.eq(len(got), 1, "bob sees the line exactly once")
        r4 = a2.call("say", room="lobby", text="x", cid="bad cid!")
        t.eq(r4.get("code"), "bad-field", "a malformed cid: bad-field")
        a2.close()


def test_history_pages(t):
    with Hub(["--demo"]) as hub, WsClient(hub.port) as a, WsClient(hub.port) as b:
        hello2(a, "alice")
        hello2(b, "bob")
        sent = say_n(b, 60, "line")
        chats(a)
        seqs, before, pages = [], None, 0
        while pages < 10:
            fields = {"room": "lobby", "limit": 25}
            if before is not None:
                fields["before"] = before
            r = a.call("history", **fields)
            if r.get("type") != "history":
                t.ok(False, "history reply", repr(r))
                return
            ev = r.get("events", [])
            if not ev:
                t.eq(r.get("more"), False, "an empty page says more: false")
                break
            t.ok(all(e.get("type") == "chat" and e.get("stream") == "room:lobby"
                     for e in ev), "page %d holds complete chat events" % pages)
            t.eq(r.get("more"), ev[0]["seq"] > 1, "page %d: more while older ones exist"
                 % pages)
            seqs = [e["seq"] for e in ev] + seqs
            before = ev[0]["seq"]
            pages += 1
        t.eq(seqs, sent, "the pages together hold every line, in order, back to the start")
        t.eq(pages, 3, "60 lines in pages of 25: 3 pages")
        r = a.call("history", room="nowhere")
        t.eq(r.get("code"), "no-such-room", "history of an unknown room: no-such-room")


def test_program_cached(t):
    with Hub(["--demo"]) as hub:
        with SizedWs(hub.port) as cold:
            w = hello2(cold, "cold")
            version = w.get("program_version")
            t.ok(isinstance(w.get("program"), dict), "a hello without a cached version gets "
                 "the program")
            t.eq(version, (w.get("program") or {}).get("version"),
                 "program_version is the program's version")
            cold_bytes = cold.text_bytes
        with SizedWs(hub.port) as warm:
            w = hello2(warm, "warm", program=version)
            t.ok("program" not in w, "with the current version cached, no program")
            t.eq(w.get("program_version"), version, "but program_version still")
            warm_bytes = warm.text_bytes
        # The reply is the first message after hello: these are the welcome's bytes alone.
        tap.diag("welcome bytes: cold %d, warm %d" % (cold_bytes, warm_bytes))
        t.ok(warm_bytes * 3 < cold_bytes, "the warm welcome is much smaller (%d vs %d bytes)"
             % (warm_bytes, cold_bytes))
        with SizedWs(hub.port) as stale:
            w = hello2(stale, "stale", program="0123456789abcdef")
            t.ok(isinstance(w.get("program"), dict), "an old cached version gets the program")


def main():
    for test in (test_gap_replay, test_gap_too_old, test_hub_restart, test_cid_dup,
                 test_history_pages, test_program_cached):
        tap.run(test)
    tap.done()


main()
