#!/usr/bin/env python3
"""bytes.py: bytes on the wire and time to a usable screen for confab (issue 6 targets).

Not a test: it prints numbers (Markdown tables) for bench/RESULTS.md. The hub is a real
confabd serving data/ptim2020.json (the PTIM 2020 program), on 127.0.0.1.

Raw clients (tests/lib/wsdeflate.py) answer the questions about bytes, each with
permessage-deflate as confab offers it and without:
  * cold join: TCP connect, upgrade, hello, welcome with the whole program, and what
    the hub sends right after it (until 0.5 s pass quietly);
  * warm join: the same with hello carrying "program":"<version>" (the version from a
    cold join's welcome). If the hub still sends the program ("sessions" in the welcome),
    the row says n/a: no program cache on this hub yet;
  * 100 chat messages received: another raw client says 100 lines (30 to 90 characters
    of text from a fixed seeded list) in the lobby; the receiver's bytes for those events.
For each: payload bytes (uncompressed JSON, "ws payload"), WebSocket bytes (frames as
sent: headers, masks and compression included; the HTTP upgrade excluded), and TCP bytes
(what the socket carried: the HTTP upgrade included), each down / up (hub -> client /
client -> hub), plus TCP segments from TCP_INFO (tcpi_segs_in / tcpi_segs_out; on
loopback, so fewer and larger than on a real link: each costs another 52 bytes or so of
IPv4 + TCP headers with timestamps on a real link).

A real `confab --plain` process answers the questions about the client:
  * idle: confab connects through tests/lib/linksim.py (no delay, no cap), joins, and
    stays idle for --idle-seconds (default 1200: two clock refreshes, one every
    CLIENT_PING_MS = 10 min) after its clock-sync ping burst is over, with its real
    liveness traffic (its WebSocket PINGs after 45 s without hearing from the hub, the
    hub's after 90 s) and clock refreshes; the bytes linksim passed in that span (on an
    open WebSocket, TCP payload = WebSocket frames: this is the WebSocket level, PING and
    PONG frames included) are scaled to one hour. The payload bytes come from confab's
    own counters (its log's "conn: totals" line on exit) minus those of an identical run
    that quits right after joining.
  * time to first usable screen: from starting confab to its "[confab] connected as"
    line (printed once the welcome is received and decoded), through linksim at
    --kbps (32) kbit/s each way and --rtt (800) ms round trip; cold (empty
    XDG_CACHE_HOME) and warm (the same XDG_CACHE_HOME and hub address again: the cache
    is per address; n/a when the second join moved as many bytes as the first). linksim
    delays data, not the TCP handshake: a real link adds one more round trip.

Usage: bench/bytes.py [--confab PATH] [--confabd PATH] [--idle-seconds 1200]
                      [--kbps 32] [--rtt 800] [--runs 3] [--skip-idle | --only-idle]
                      [--deflate on|off|both]
(The idle spans are long: run `--skip-idle` once and `--only-idle --deflate on` and
`--only-idle --deflate off` side by side.)
"""

import argparse
import json
import os
import platform
import random
import re
import socket
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(TOP, "tests", "lib"))
import confabtest  # noqa: E402
from linksim import LinkSim  # noqa: E402
from wsdeflate import DEFAULT_OFFER, DeflateClient  # noqa: E402

PROGRAM = os.path.join(TOP, "data", "ptim2020.json")
LINES = ["is anyone else seeing the obfs4 bridge time out from here?",
         "yes, since this morning", "same here, snowflake still works though",
         "the slides for the next talk are on the wiki",
         "can you repeat the question about meek?",
         "+1 to what was said about domain fronting",
         "I will post the link to the measurement data after the session",
         "thanks, that was a great talk", "brb", "coffee break in 5 minutes?",
         "the pitch timer is at one minute", "what is the room for the hack session?"]


def tcp_info(sock):
    """(bytes_acked, bytes_received, segs_out, segs_in) of a connected TCP socket."""
    raw = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 232)
    if len(raw) < 144:
        return (0, 0, 0, 0)
    acked, received = struct.unpack_from("=QQ", raw, 120)
    segs_out, segs_in = struct.unpack_from("=II", raw, 136)
    return (acked, received, segs_out, segs_in)


class Snap:
    """Counters of a raw client at one moment."""

    def __init__(self, ws):
        self.ws_rx, self.ws_tx = ws.ws_rx, ws.ws_tx
        self.wire_rx, self.wire_tx = ws.wire_rx, ws.wire_tx
        self.tcp = tcp_info(ws.sock)

    def minus(self, before, handshake=0):
        """A result row: this snapshot minus an earlier one."""
        return {"payload": (self.ws_rx - before.ws_rx, self.ws_tx - before.ws_tx),
                "ws": (self.wire_rx - before.wire_rx - handshake[0] if handshake else
                       self.wire_rx - before.wire_rx,
                       self.wire_tx - before.wire_tx - handshake[1] if handshake else
                       self.wire_tx - before.wire_tx),
                "tcp": (self.wire_rx - before.wire_rx, self.wire_tx - before.wire_tx),
                "segs": (self.tcp[3] - before.tcp[3], self.tcp[2] - before.tcp[2])}


def zero_snap():
    """A snapshot of a client before it connected."""
    s = Snap.__new__(Snap)
    s.ws_rx = s.ws_tx = s.wire_rx = s.wire_tx = 0
    s.tcp = (0, 0, 0, 0)
    return s


def request_len(port, offer):
    """Length of the HTTP upgrade request DeflateClient sends (to split TCP from WS)."""
    req = ("GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
           "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
           "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: confab.1\r\n"
           % (port, "x" * 24))
    if offer:
        req += "Sec-WebSocket-Extensions: %s\r\n" % offer
    return len(req) + 2


def join(port, offer, name, program_version=None):
    """Connects, says hello (with the cached program version if given); returns
    (client, welcome, row)."""
    ws = DeflateClient(port, offer=offer)
    # the TCP handshake and upgrade are done: count from the socket's birth
    fields = {"proto": 1, "name": name, "client": "bench"}
    if program_version is not None:
        fields["program"] = program_version
    w = ws.call("hello", **fields)
    if w.get("type") != "welcome":
        raise RuntimeError("no welcome: %r" % w)
    ws.drain(0.5)  # what the hub sends right after the welcome is part of joining
    snap = Snap(ws)
    row = snap.minus(zero_snap(), handshake=(ws.handshake_bytes, request_len(port, offer)))
    return ws, w, row


def raw_bytes(port, offer):
    """Cold join, warm join and 100 chat messages for one offer; returns rows."""
    rows = {}
    ws, w, rows["cold join"] = join(port, offer, "cold")
    version = (w.get("program") or {}).get("version")
    ws.close()
    ws, w2, row = join(port, offer, "warm", program_version=version)
    if isinstance(w2.get("program"), dict) and "sessions" in w2["program"]:
        row["na"] = "n/a: the hub sent the program again (no program cache yet)"
    rows["warm join"] = row
    ws.close()

    rx, _, _ = join(port, offer, "rx")
    tx, _, _ = join(port, offer, "tx")
    rx.drain(0.5)
    rng = random.Random(1)
    texts = [rng.choice(LINES) for _ in range(100)]
    before = Snap(rx)
    for i, text in enumerate(texts):
        tx.request("say", room="lobby", text=text)
    for text in texts:
        rx.wait_type("chat")
    after = Snap(rx)
    rows["100 chat received"] = after.minus(before)
    rx.close()
    tx.close()
    return rows


def fmt_pair(p):
    """'down / up'."""
    return "%d / %d" % p


def print_raw(title, rows):
    """A Markdown table of raw-client rows."""
    print("\n%s\n" % title)
    print("| what | ws payload down / up | WebSocket down / up | TCP down / up | "
          "TCP segments in / out |")
    print("|---|---|---|---|---|")
    for what, r in rows.items():
        if r.get("na"):
            print("| %s | %s | | | |" % (what, r["na"]))
            continue
        print("| %s | %s | %s | %s | %s |" % (what, fmt_pair(r["payload"]),
                                             fmt_pair(r["ws"]), fmt_pair(r["tcp"]),
                                             fmt_pair(r["segs"])))


def confab_totals(log):
    """(payload sent, payload received) from confab's 'conn: totals' log line."""
    m = re.search(r"payload bytes (\d+) sent (\d+) received", open(log).read())
    return (int(m.group(2)), int(m.group(1))) if m else None


def run_confab(confab, port, tmp, name, stay_s, cache_home):
    """confab --plain through port: waits for 'connected as', stays stay_s seconds,
    quits. Returns (seconds to the connected line, payload (down, up))."""
    log = os.path.join(tmp, "%s.log" % name)
    env = {"XDG_CACHE_HOME": cache_home}
    start = time.monotonic()
    c = confabtest.PlainClient("ws://127.0.0.1:%d" % port, name,
                               extra_args=["--log-file", log], tmpdir=tmp, env=env,
                               binary=confab)
    try:
        c.wait_line(r"^\[confab\] connected as ", timeout=120)
        ready = time.monotonic() - start
        if stay_s > 0:
            time.sleep(stay_s)
    finally:
        c.send("/quit")
        c.wait_exit(60)
        c.stop()
    return ready, confab_totals(log)


def idle(confab, port, tmp, span):
    """Bytes of an idle confab over span seconds (after the clock-sync burst)."""
    burst = 3.0  # CLIENT_PING_BURST pings CLIENT_PING_GAP_MS apart: about 1 s
    with LinkSim(port) as sim:
        _, base = run_confab(confab, sim.port, tmp, "idle0", burst,
                             tempfile.mkdtemp(dir=tmp))
        base_tcp = (sim.bytes_down, sim.bytes_up)
    with LinkSim(port) as sim:
        log = os.path.join(tmp, "idle1.log")
        c = confabtest.PlainClient("ws://127.0.0.1:%d" % sim.port, "idle1",
                                   extra_args=["--log-file", log], tmpdir=tmp, binary=confab,
                                   env={"XDG_CACHE_HOME": tempfile.mkdtemp(dir=tmp)})
        c.wait_line(r"^\[confab\] connected as ", timeout=60)
        time.sleep(burst)
        t0 = time.monotonic()
        d0, u0 = sim.bytes_down, sim.bytes_up
        time.sleep(span)
        d1, u1 = sim.bytes_down, sim.bytes_up
        t1 = time.monotonic()
        c.send("/quit")
        c.wait_exit(60)
        c.stop()
        total = confab_totals(log)
    measured = t1 - t0
    scale = 3600.0 / measured
    payload = (total[0] - base[0], total[1] - base[1]) if total and base else None
    return {"span": measured, "tcp": (d1 - d0, u1 - u0),
            "tcp_hour": ((d1 - d0) * scale, (u1 - u0) * scale),
            "payload": payload,
            "payload_hour": (payload[0] * scale, payload[1] * scale) if payload else None,
            "base_tcp": base_tcp}


def first_screen(confab, port, tmp, kbps, rtt, runs):
    """Cold and warm time to the connected line through the slow link; lists of runs."""
    out = {"cold": [], "warm": [], "cold_bytes": [], "warm_bytes": []}
    for i in range(runs):
        cache = tempfile.mkdtemp(dir=tmp)
        listen = 0
        for kind in ("cold", "warm"):
            # the program cache is per hub address: warm goes through the same port
            with LinkSim(port, up_delay_ms=rtt / 2, down_delay_ms=rtt / 2, up_kbps=kbps,
                         down_kbps=kbps, listen_port=listen) as sim:
                listen = sim.port
                t, _ = run_confab(confab, sim.port, tmp, "%s%d" % (kind, i), 0, cache)
                out[kind].append(t)
                out[kind + "_bytes"].append((sim.bytes_down, sim.bytes_up))
    return out


def print_idle(deflate, r):
    """The idle line."""
    print("\nconfab --plain idle, hub deflate %s: measured %.1f s: WebSocket (= TCP payload "
          "on the open link) %s bytes down / up, i.e. %.0f / %.0f per hour; ws payload %s "
          "(%.0f / %.0f per hour)"
          % (deflate, r["span"], fmt_pair(r["tcp"]), r["tcp_hour"][0],
             r["tcp_hour"][1], fmt_pair(r["payload"]) if r["payload"] else "?",
             r["payload_hour"][0] if r["payload_hour"] else -1,
             r["payload_hour"][1] if r["payload_hour"] else -1))
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--confab", default=os.environ.get("CONFAB",
                                                       os.path.join(TOP, "build", "confab")))
    ap.add_argument("--confabd", default=os.environ.get("CONFABD",
                                                        os.path.join(TOP, "build", "confabd")))
    ap.add_argument("--idle-seconds", type=float, default=1200.0)
    ap.add_argument("--kbps", type=float, default=32.0)
    ap.add_argument("--rtt", type=float, default=800.0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-idle", action="store_true")
    ap.add_argument("--only-idle", action="store_true")
    ap.add_argument("--deflate", choices=("on", "off", "both"), default="both")
    a = ap.parse_args()
    print("# %s, %s, python %s" % (platform.node(), platform.platform(),
                                   platform.python_version()))
    tmp = tempfile.mkdtemp(prefix="confab-bytes-")
    for deflate in ("on", "off"):
        if a.deflate not in ("both", deflate):
            continue
        env = {} if deflate == "on" else {"CONFABD_DEFLATE": "off"}
        with confabtest.Hub(args=["--program", PROGRAM], binary=a.confabd, env=env) as hub:
            if a.only_idle:
                r = idle(a.confab, hub.port, tmp, a.idle_seconds)
                print_idle(deflate, r)
                continue
            rows = raw_bytes(hub.port, DEFAULT_OFFER)
            print_raw("Raw clients, hub deflate %s (client offer: %s)" % (deflate,
                      DEFAULT_OFFER if deflate == "on" else "ignored"), rows)
            fs = first_screen(a.confab, hub.port, tmp, a.kbps, a.rtt, a.runs)
            print("\nconfab --plain through linksim %g kbit/s, %g ms RTT, hub deflate %s:"
                  % (a.kbps, a.rtt, deflate))
            for kind in ("cold", "warm"):
                times = ", ".join("%.2f s" % x for x in fs[kind])
                byts = ", ".join(fmt_pair(b) for b in fs[kind + "_bytes"])
                note = ""
                if kind == "warm" and all(w[0] >= 0.9 * c[0] for w, c in
                                          zip(fs["warm_bytes"], fs["cold_bytes"])):
                    note = " (n/a as a warm join: as many bytes as cold)"
                print("- %s: first usable screen after %s; TCP bytes down / up: %s%s"
                      % (kind, times, byts, note))
            if not a.skip_idle:
                print_idle(deflate, idle(a.confab, hub.port, tmp, a.idle_seconds))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
