#!/usr/bin/env python3
"""test_hub_raw.py: a real confabd spoken to with raw WebSocket frames.

The welcome snapshot, then malformed input of every kind: each gets one "error" reply with
the right code, and the hub keeps serving everybody."""

import json

from confabtest import TAP, Hub, WsClient, hello, need_binaries, OP_TEXT, OP_CONT

tap = TAP()
need_binaries(tap, "CONFABD")


def expect_error(t, ws, code, name, rid=None):
    """Waits for the next error reply; checks its code (and re when rid is given)."""
    m = ws.wait_type("error")
    ok = m.get("code") == code and (rid is None or m.get("re") == rid)
    t.ok(ok, name, "got %r" % m)


def test_welcome(t, hub):
    with WsClient(hub.port) as ws:
        t.eq(ws.subprotocol, "confab.1", "the hub agrees on the confab.1 subprotocol")
        w = hello(ws, "alice")
        t.eq(w.get("type"), "welcome", "hello gets welcome")
        t.eq(w.get("role"), "attendee", "no token: attendee")
        prog = w.get("program") or {}
        t.eq(len(prog.get("sessions", [])), 12, "the demo program has the 12 PTIM sessions")
        rooms = w.get("rooms", [])
        t.ok(rooms and rooms[0].get("id") == "lobby", "the first room is the lobby")
        t.ok(any(r.get("kind") == "discussion" for r in rooms), "there are discussion rooms")
        t.eq(w.get("joined"), ["lobby"], "joined: the lobby")
        t.ok(any(tm.get("scope") == "main" for tm in w.get("timers", [])),
             "the main timer is in the snapshot")
        t.ok(isinstance(w.get("epoch"), str) and w["epoch"], "an epoch")
        t.eq((w.get("limits") or {}).get("frame"), 16384, "limits.frame")


def test_no_subprotocol(t, hub):
    with WsClient(hub.port, subprotocol=None) as ws:
        w = hello(ws, "nosub")
        t.eq(w.get("type"), "welcome", "a connection naming no subprotocol is served too")


def test_malformed(t, hub):
    with WsClient(hub.port) as ws:
        rid = ws.request("say", room="lobby", text="too early")
        expect_error(t, ws, "hello-first", "a request before hello: hello-first", rid)
        t.eq(hello(ws, "mallory").get("type"), "welcome", "then hello works")

        ws.send_text("this is not json")
        expect_error(t, ws, "bad-json", "not JSON: bad-json")
        ws.send_text("[1, 2, 3]")
        expect_error(t, ws, "bad-json", "a JSON array: bad-json")
        ws.send_json({"type": "frobnicate", "id": 5})
        expect_error(t, ws, "unknown-type", "unknown type: unknown-type", 5)
        ws.send_json({"type": "say", "id": 6, "room": "lobby"})
        expect_error(t, ws, "bad-field", "missing field: bad-field", 6)
        ws.send_json({"type": "say", "id": 7, "room": "lobby", "text": 42})
        expect_error(t, ws, "bad-field", "wrong type: bad-field", 7)
        ws.send_json({"type": "say", "id": 8, "room": "lobby", "text": "x" * 2001})
        expect_error(t, ws, "too-long", "text over 2000 bytes: too-long", 8)
        ws.send_json({"type": "say", "id": 9, "room": "lobby", "text": "y" * 17000})
        expect_error(t, ws, "bad-frame", "a frame over 16 KiB: bad-frame")
        ws.send_raw_frame(OP_TEXT, b'{"type":"say","id":10,"room":"lobby","text":"\xff\xfe"}')
        expect_error(t, ws, "bad-utf8", "invalid UTF-8: bad-utf8")
        ws.send_binary(b'{"type":"ping","id":11,"t0":1}')
        expect_error(t, ws, "bad-frame", "a binary frame: bad-frame")
        # A big frame in many fragments, over the limit in total.
        big = json.dumps({"type": "say", "id": 12, "room": "lobby", "text": "z" * 20000})
        ws.send_fragmented(big, pieces=20)
        expect_error(t, ws, "bad-frame", "fragments over 16 KiB in total: bad-frame")

        frame = json.dumps({"type": "say", "id": 13, "room": "lobby", "text": "in pieces"})
        ws.send_fragmented(frame, pieces=4)
        r = ws.wait_for(lambda m: m.get("re") == 13)
        t.eq(r.get("type"), "ok", "a fragmented valid frame is accepted")
        c = ws.wait_type("chat", text="in pieces")
        t.eq(c.get("from"), "mallory", "and its chat line comes back")
        pong = ws.call("ping", t0=123)
        t.ok(pong.get("type") == "pong" and pong.get("t0") == 123, "ping still answered")


def test_still_serving(t, hub):
    with WsClient(hub.port) as a, WsClient(hub.port) as b:
        hello(a, "anna")
        hello(b, "bert")
        a.send_text("garbage")
        expect_error(t, a, "bad-json", "garbage from anna: bad-json")
        r = a.call("say", room="lobby", text="hello bert")
        t.eq(r.get("type"), "ok", "anna can still say")
        m = b.wait_type("chat", text="hello bert")
        t.eq(m.get("from"), "anna", "bert gets anna's chat")
        t.ok(hub.alive(), "the hub process is still alive")


def test_privileges(t, hub):
    with WsClient(hub.port) as ws:
        hello(ws, "att")
        r = ws.call("timer.start", duration_ms=60000)
        t.ok(r.get("type") == "error" and r.get("code") == "not-allowed",
             "an attendee's timer.start: not-allowed", repr(r))
    with WsClient(hub.port) as ws:
        r = hello(ws, "fake", token="wrong-token-123")
        t.ok(r.get("type") == "error" and r.get("code") == "bad-token",
             "a wrong facilitator token: bad-token", repr(r))
        r = hello(ws, "fac", token=hub.token)
        t.ok(r.get("type") == "welcome" and r.get("role") == "facilitator",
             "the right token: facilitator", repr(r))
        r = ws.call("timer.start", duration_ms=60000, label="talk")
        t.eq(r.get("type"), "ok", "a facilitator's timer.start: ok")
        ev = ws.wait_type("timer")
        t.eq((ev.get("timer") or {}).get("state"), "running", "the timer event says running")


def test_rooms_event(t, hub):
    with WsClient(hub.port) as a, WsClient(hub.port) as b:
        w = hello(a, "roamer")
        hello(b, "watcher")
        disc = [r["id"] for r in w.get("rooms", []) if r.get("kind") == "discussion"][0]
        r = a.call("join", room=disc)
        t.eq(r.get("type"), "ok", "join a discussion room")

        def occupied(m):
            return m.get("type") == "occupancy" and (m.get("rooms") or {}).get(disc) == 1
        m = b.wait_for(occupied)
        t.eq(m.get("stream"), "rooms", "others get an occupancy event with the new count")
        t.ok(set(m["rooms"]) <= {disc, "lobby"},
             "with the counts that changed only, not the whole list of rooms", repr(m))


def main():
    try:
        hub = Hub(["--demo"])
    except Exception as e:  # noqa: BLE001
        tap.bail("confabd did not start: %s" % e)
    with hub:
        for test in (test_welcome, test_no_subprotocol, test_malformed, test_still_serving,
                     test_privileges, test_rooms_event):
            tap.run(test, hub)
        tap.ok(hub.alive(), "confabd survived everything")
        code = hub.stop()
        tap.eq(code, 0, "confabd exits 0 on SIGTERM")
        if code != 0:
            tap.diag(hub.log()[-4000:])
    tap.done()


main()
