#!/usr/bin/env python3
"""Resilience with a real hub: a client whose link is cut (the hub stays up) comes back,
misses nothing said meanwhile, sees nothing twice and sends what was typed offline once;
and the hub survives a seeded storm of random and malformed WebSocket frames. TAP."""

import json
import random
import time

from confabtest import Hub, PlainClient, TAP, WsClient, WsClosed, hello, need_binaries
from linksim import LinkSim


def link_cut(t, hub):
    """bob talks to the hub through a link simulator; alice is connected directly."""
    with LinkSim(hub.port, up_delay_ms=40, down_delay_ms=40) as sim:
        bob = PlainClient(sim.port, "bob")
        alice = PlainClient(hub.port, "alice")
        try:
            bob.saw(t, r"^\[confab\] connected as bob ", "bob connects through the simulator")
            alice.saw(t, r"^\[confab\] connected as alice ", "alice connects directly")
            alice.send("before the cut")
            bob.saw(t, r"^\[#lobby\] <alice> before the cut$", "bob hears alice")

            sim.refuse(True)            # an outage: cut now, and refuse reconnects for a while
            t.ok(sim.cut() >= 1, "the link is cut")
            bob.saw(t, r"^\[confab\] connection lost \(.*\); reconnecting in \d+ s$",
                    "bob is told that the link dropped")
            alice.send("while bob was away")
            alice.saw(t, r"^\[#lobby\] <alice> while bob was away$", "alice's line is on the hub")
            bob.send("typed during the outage")
            sim.refuse(False)

            bob.saw(t, r"^\[confab\] reconnected", "bob reconnects by himself", timeout=60)
            bob.saw(t, r"^\[#lobby\] \[mention\] <alice> while bob was away$",
                    "what was said while bob was away reaches him", start=0)
            alice.saw(t, r"^\[#lobby\] <bob> typed during the outage$",
                      "what bob typed offline is sent after the reconnect")
            # A sync point after everything above, then count.
            alice.send("sync")
            bob.wait_line(r"<alice> sync$")
            lines = bob.lines()
            t.eq(sum(1 for l in lines if l == "[#lobby] <alice> before the cut"), 1,
                 "a line bob had already seen is not shown again after the reconnect")
            t.eq(sum(1 for l in lines if l == "[#lobby] [mention] <alice> while bob was away"), 1,
                 "the missed line is shown exactly once")
            t.eq(sum(1 for l in alice.lines() if l.endswith("<bob> typed during the outage")), 1,
                 "the offline line is delivered exactly once")
            bob.send("/who")
            bob.saw(t, r"^\[who #lobby\] 2 people: alice, bob$",
                    "bob is in the lobby under his own name again")
        finally:
            bob.stop()
            alice.stop()


def random_frames(rng, n):
    """n seeded frames: (opcode, payload, fin, rsv). Valid requests, mutations of them,
    random bytes, binary, control frames, bad opcodes and reserved bits."""
    valid = [
        {"type": "say", "id": 1, "room": "lobby", "text": "hi"},
        {"type": "join", "id": 2, "room": "d2-open"},
        {"type": "who", "id": 3, "room": "lobby"},
        {"type": "msg", "id": 4, "to": "nobody", "text": "x"},
        {"type": "timer.start", "id": 5, "duration_ms": 1000},
        {"type": "ping", "id": 6, "t0": 1},
        {"type": "hello", "id": 7, "proto": 1, "name": "again"},
    ]
    out = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.40:
            text = json.dumps(rng.choice(valid)).encode()
            b = bytearray(text)
            for _ in range(rng.randint(1, 4)):
                b[rng.randrange(len(b))] = rng.randrange(256)
            out.append((0x1, bytes(b), True, 0))
        elif kind < 0.60:
            out.append((0x1, bytes(rng.randrange(256) for _ in range(rng.randint(0, 300))),
                        True, 0))
        elif kind < 0.70:
            out.append((0x2, bytes(rng.randrange(256) for _ in range(rng.randint(0, 100))),
                        True, 0))
        elif kind < 0.85:
            out.append((0x1, json.dumps(rng.choice(valid)).encode(), True, 0))
        elif kind < 0.90:
            out.append((0x9, b"ping", True, 0))
        elif kind < 0.96:
            # a message in two fragments (valid at the WebSocket level)
            out.append((0x1, b'{"type":"say","id":9,', False, 0))
            out.append((0x0, b'"room":"lobby","text":"end"}', True, 0))
        elif kind < 0.98:
            out.append((rng.choice([0x3, 0x4, 0xB, 0xF]), b"??", True, 0))  # reserved opcode
        else:
            out.append((0x1, b'{"type":"ping","id":1,"t0":1}', True, rng.choice([1, 2, 4])))
    return out


def fuzz(t, hub):
    """Random frames over several connections: protocol-level garbage gets error replies,
    WebSocket-level violations get the connection closed, and the hub never goes down."""
    rng = random.Random(20201012)
    frames = random_frames(rng, 400)
    conns = closed = replies = 0
    deadline = time.monotonic() + 60
    i = 0
    while i < len(frames) and time.monotonic() < deadline:
        ws = WsClient(hub.port)
        conns += 1
        if rng.random() < 0.7:
            hello(ws, "fuzz%d" % conns)
        try:
            while i < len(frames):
                op, payload, fin, rsv = frames[i]
                i += 1
                ws.send_raw_frame(op, payload, fin=fin, rsv=rsv)
                if i % 10 == 0:
                    ws.drain(quiet=0.02)
                    replies += len(ws.pending)
                    ws.pending.clear()
                if ws.closed:
                    break
        except (WsClosed, OSError):
            closed += 1
        try:
            ws.close()
        except Exception:  # noqa: BLE001 - the connection may be gone already
            pass
    t.ok(i == len(frames), "%d random frames sent over %d connections (%d closed by the hub)"
         % (i, conns, closed))
    t.ok(replies >= len(frames) // 4,
         "most frames reach the protocol layer and are answered (%d replies)" % replies)
    t.ok(hub.alive(), "the hub survives the storm")
    with WsClient(hub.port) as a, WsClient(hub.port) as b:
        wa = hello(a, "after1")
        hello(b, "after2")
        t.eq(wa.get("type"), "welcome", "a new client is welcomed afterwards")
        a.call("say", room="lobby", text="still here")
        ev = b.wait_for(lambda m: m.get("type") == "chat" and m.get("text") == "still here")
        t.ok(ev is not None, "and chat still flows")


def main():
    t = TAP()
    need_binaries(t, "CONFABD", "CONFAB")
    with Hub(["--demo"]) as hub:
        t.run(link_cut, hub)
        t.run(fuzz, hub)
        t.ok(hub.alive(), "the hub is still running")
        t.eq(hub.stop(), 0, "the hub exits 0 on SIGTERM")
    t.done()


if __name__ == "__main__":
    main()
