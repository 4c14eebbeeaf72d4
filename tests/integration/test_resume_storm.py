#!/usr/bin/env python3
"""Lossless resume under a storm of cuts, with a real confabd and real plain clients. TAP.

Three clients chat, each behind its own link simulator, while the links are cut at
seeded-random moments, 100 cuts in all. Afterwards every client has shown every line
exactly once and in the hub's order, every line reached the hub once and in the order it
was typed, and every line typed while a link was down was delivered exactly once.
"""

import random
import re
import threading
import time

from confabtest import Hub, PlainClient, TAP, WsClient, WsClosed, hello, need_binaries
from linksim import LinkSim

CHAT = re.compile(r"^\[#lobby\] <([^>]+)> (.*)$")
NAMES = ("alice", "bob", "carol")


class Observer:
    """A raw client straight on the hub (never cut) that records the lobby's chat lines in
    the hub's order: the ground truth."""

    def __init__(self, port):
        self.ws = WsClient(port)
        w = hello(self.ws, "observer")
        if w.get("type") != "welcome":
            raise RuntimeError("observer refused: %r" % w)
        self.lines = []
        self.lock = threading.Lock()
        self.stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop:
            try:
                m = self.ws.recv(timeout=0.5)
            except TimeoutError:
                continue
            except (WsClosed, OSError):
                return
            if isinstance(m, dict) and m.get("type") == "chat" and m.get("room") == "lobby":
                with self.lock:
                    self.lines.append((m["seq"], m["from"], m["text"]))

    def snapshot(self):
        """The lines so far: (seq, from, text)."""
        with self.lock:
            return list(self.lines)

    def close(self):
        self.stop = True
        self.thread.join(5)
        self.ws.close()


def chat_lines(client):
    """The lobby chat lines a plain client showed, as (from, text), in order."""
    out = []
    for line in client.lines():
        m = CHAT.match(line)
        if m:
            out.append((m.group(1), m.group(2)))
    return out


def wait_until(pred, timeout):
    """Polls pred until it is true or the deadline passes; returns its last value."""
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v or time.monotonic() >= deadline:
            return v
        time.sleep(0.1)


def up_for(sim):
    """Seconds since sim's open connection was made (-1 when none is open). Cuts wait for
    a link to be up a little: one cut during the handshake makes the client back off
    longer, which only slows the test down."""
    now = time.monotonic()
    ages = [now - c.opened for c in list(sim.connections) if c.closed is None]
    return min(ages) if ages else -1


def storm(t, hub):
    """100 seeded cuts over three clients while they chat."""
    rng = random.Random(20201013)
    obs = Observer(hub.port)
    # replies take longer than requests: a cut often falls between a say reaching the hub
    # and its ok reaching the client, so re-sends must not be delivered twice
    sims = [LinkSim(hub.port, up_delay_ms=20, down_delay_ms=120, seed=i) for i in range(3)]
    clients = []
    try:
        for s in sims:
            s.start()
        for name, s in zip(NAMES, sims):
            clients.append(PlainClient(s.port, name))
        for c in clients:
            c.wait_line(r"^\[confab\] connected as ")
        t.ok(True, "three clients connect, each through its own link simulator")

        cuts, typed, nsent = 0, {n: [] for n in NAMES}, {n: 0 for n in NAMES}
        per_client = 40
        deadline = time.monotonic() + 120   # generous: about 45 s here
        # The driver: every tick, each client may type its next line and each open link
        # may be cut (seeded). The tick paces the load; nothing waits on it for a result.
        while time.monotonic() < deadline and (cuts < 100 or
                                               min(nsent.values()) < per_client):
            for i, c in enumerate(clients):
                name = NAMES[i]
                if nsent[name] < per_client and rng.random() < 0.15:
                    text = "%s line %02d" % (name, nsent[name])
                    c.send(text)
                    typed[name].append(text)
                    nsent[name] += 1
                if cuts < 100 and up_for(sims[i]) >= 0.3 and rng.random() < 0.6:
                    if sims[i].cut() > 0:
                        cuts += 1
            time.sleep(rng.uniform(0.05, 0.2))
        t.eq(cuts, 100, "the links were cut 100 times in all")
        t.eq(sum(nsent.values()), 3 * per_client, "every client typed all its lines")

        # settle: a last line from each, seen by everyone
        for i, c in enumerate(clients):
            c.send("sync %s" % NAMES[i])
        want_sync = {(n, "sync %s" % n) for n in NAMES}

        def synced():
            return all(want_sync <= set(chat_lines(c)) for c in clients)
        t.ok(wait_until(synced, 60), "after the storm every client sees everyone's last line",
             "\n".join("%s: %r" % (c.name, chat_lines(c)[-5:]) for c in clients))
        wait_until(lambda: want_sync <= {(f, x) for _, f, x in obs.snapshot()}, 20)
        truth_full = obs.snapshot()
        truth = [(f, x) for _, f, x in truth_full]
        seqs = [q for q, _, _ in truth_full]
        t.eq(seqs, sorted(set(seqs)), "the hub's lines have distinct increasing seqs")
        for n in NAMES:
            mine = [x for f, x in truth if f == n and not x.startswith("sync")]
            t.eq(mine, typed[n], "every line %s typed reached the hub once, in order" % n)
        for c in clients:
            got = chat_lines(c)
            t.eq(len(got), len(set(got)), "%s saw no line twice" % c.name)
            t.ok(got == truth, "%s saw every line exactly once, in the hub's order" % c.name,
                 "missing: %r\nextra: %r" % ([x for x in truth if x not in got][:10],
                                             [x for x in got if x not in truth][:10]))
            lost = [l for l in c.lines() if "could not be recovered" in l]
            t.eq(lost, [], "%s never lost its place" % c.name)
        offline = []
        for c in clients:
            for line in c.lines():
                m = re.match(r"^\[#lobby\] \(not sent yet\) <([^>]+)> (.*)$", line)
                if m:
                    offline.append((m.group(1), m.group(2)))
        t.ok(len(offline) > 0, "some lines were typed while a link was down (%d)" % len(offline))
        t.ok(all(truth.count(x) == 1 for x in offline),
             "every line typed while a link was down was delivered exactly once",
             repr([x for x in offline if truth.count(x) != 1]))
        t.ok(any(re.match(r"^\[#lobby\] \d+ lines? you missed:$", l)
                 for c in clients for l in c.lines()),
             "a client that was away is told how many lines it missed")
        for c in clients:
            c.send("/quit")
        for c in clients:
            t.eq(c.wait_exit(), 0, "%s exits 0" % c.name)
    finally:
        for c in clients:
            c.stop()
        for s in sims:
            s.stop()
        obs.close()


def main():
    t = TAP()
    need_binaries(t, "CONFABD", "CONFAB")
    with Hub(["--demo"]) as hub:
        t.run(storm, hub)
    t.done()


if __name__ == "__main__":
    main()
