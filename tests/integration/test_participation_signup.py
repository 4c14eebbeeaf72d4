#!/usr/bin/env python3
"""Sign-ups, the speaking queue, a cut link, reply order and a restart: plain clients and a
real hub. TAP.

Sign-ups: /signup talk|pitch TITLE (one open request per attendee and kind); /signups
shows a facilitator everyone's and an attendee only their own; carol accepts one (it
joins the lineup with the attendee as speaker) and declines another with a note; the
attendee is told either way, and "you are up next" / "your time starts now" when the
lineup reaches the item.

Queue: /hand and /hand down in the current room, /queue shows the order, carol's
/queue next calls the first (who is told), /queue clear lowers every hand.

A plain client votes through a link that is cut in the middle: after it reconnects each
vote counts once and is confirmed once. A burst of participation requests sent at once
is answered in the order sent, with the per-attendee limit applied in that order.
Everything lives on the SQLite store: after a restart of the hub the topics, votes,
questions, polls, sign-ups, the queue and the Q&A setting are all there, and a vote
given before the restart is not counted again.
"""

import re
import tempfile

from confabtest import TAP, Hub, PlainClient, WsClient, hello, need_binaries, quit_all
from linksim import LinkSim
from parttest import count, listing, snapshot, votes, wait_votes


def test_signups(t, carol, alice, bob):
    alice.send("/signup talk Censorship in 5 minutes")
    alice.saw(t, r"^\[confab\] your request is in as sign-up (\d+): a facilitator will "
              r"answer it$", "a sign-up is confirmed")
    carol.saw(t, r'^\[signup \d+\] alice asks for a talk slot: "Censorship in 5 minutes": '
              r'/signups accept \d+$', "facilitators see the request")
    alice.send("/signup talk Another one")
    alice.saw(t, r"^\[error\] .*\(already-signed-up\)$", "one open request per attendee and kind")
    alice.send("/signup pitch A tool")
    alice.wait_line(r"your request is in as sign-up")
    bob.send("/signup pitch Bob's pitch")
    bob.wait_line(r"your request is in as sign-up")
    rows = listing(bob, "/signups", "[signups] ", 1, lambda r: "Bob's pitch" in r[0])
    t.ok(re.match(r'^\[signups\] \d+\. pitch: "Bob\'s pitch" by bob; waiting for an '
                  r'answer$', rows[0] if rows else ""), "an attendee sees their own request",
         rows)
    t.eq(count(bob, r"^\[signups\].*alice"), 0, "... and nobody else's")
    rows = listing(carol, "/signups", "[signups] ", 3, lambda r: True)
    t.ok(len([r for r in rows if "waiting" in r]) == 3, "a facilitator sees all three", rows)
    talk = next(r for r in rows if "Censorship" in r).split()[1].rstrip(".")
    pitch = next(r for r in rows if "A tool" in r).split()[1].rstrip(".")

    carol.send("/signups accept %s" % talk)
    alice.saw(t, r'^\[signup\] carol accepted your talk "Censorship in 5 minutes": it is '
              r'number 6 of the lineup$', "the attendee is told of the acceptance")
    bob.saw(t, r"^\[lineup\] .*added 6\. Censorship in 5 minutes \(alice, talk\)$",
            "it is in the lineup with alice as speaker")
    carol.send("/signups decline %s no room left today" % pitch)
    alice.saw(t, r'^\[signup\] carol declined your pitch "A tool": no room left today$',
              "the attendee is told of the refusal, with the note")
    carol.send("/signups accept %s" % pitch)
    carol.saw(t, r"^\[error\] .*\(item-state\)$", "a declined request is not accepted later")
    alice.send("/signup pitch A better tool")
    alice.saw(t, r"your request is in as sign-up", "after an answer a new request may come")

    for _ in range(5):
        carol.send("/lineup next")
    alice.saw(t, r"^\[lineup\] you are up next: ", "the speaker is told they are up next")
    carol.send("/lineup next")
    alice.saw(t, r"^\[lineup\] your time starts now: .*5:00", "... and when their time starts")
    t.eq(count(bob, r"you are up next|your time starts"), 0, "nobody else is told")


def test_queue(t, carol, alice, bob):
    bob.send("/hand")
    carol.saw(t, r"^\[queue #lobby\] bob raised a hand: number 1 in line$", "/hand")
    alice.send("/hand")
    alice.saw(t, r"^\[queue #lobby\] alice raised a hand: number 2 in line$", "a second hand")
    alice.send("/hand")
    alice.saw(t, r"^\[confab\] your hand is up already in #lobby$", "a hand is up once")
    alice.send("/queue")
    alice.saw(t, r"^\[queue #lobby\] 2 hands up: 1 bob, 2 alice; you are number 2$",
              "/queue shows the order and our place")
    bob.send("/queue next")
    bob.saw(t, r"^\[error\] .*\(not-allowed\)$", "only facilitators call the next person")
    carol.send("/queue next")
    bob.saw(t, r"^\[queue #lobby\] carol calls you to speak; next: alice$",
            "the person called is told")
    alice.saw(t, r"^\[queue #lobby\] carol called bob to speak; you are next$",
              "the next in line is told they are next")
    alice.send("/hand down")
    carol.saw(t, r"^\[queue #lobby\] alice lowered a hand$", "/hand down")
    alice.send("/hand")
    alice.wait_line(r"alice raised a hand")
    carol.send("/queue clear")
    alice.saw(t, r"^\[queue #lobby\] carol lowered every hand$", "/queue clear")
    carol.send("/queue next")
    carol.saw(t, r"^\[error\] .*\(queue-empty\)$", "nobody to call: queue-empty")
    bob.send("/hand")   # up across the restart
    bob.wait_line(r"bob raised a hand")


def test_cut_link(t, hub):
    """Votes sent while the link is cut: none lost, none doubled."""
    with WsClient(hub.port) as ws:
        hello(ws, "topicmaker")
        ids = [ws.call("propose", title="cut %d" % i)["item"] for i in range(6)]
    with LinkSim(hub.port, up_delay_ms=150, down_delay_ms=150) as sim:
        eve = PlainClient(sim.port, "eve")
        eve.wait_line(r"^\[confab\] connected as ")
        for i in ids:
            eve.send("/vote %d" % i)
        eve.wait_line(r"you voted for topic %d$" % ids[1], timeout=30)
        sim.refuse(True)
        sim.cut()
        with WsClient(hub.port) as ws:     # made while eve is away
            hello(ws, "topicmaker")
            missed = ws.call("propose", title="while you were away")["item"]
        sim.refuse(False)
        eve.saw(t, r"^\[confab\] reconnected", "the voter comes back", timeout=60)
        eve.saw(t, r'^\[topic %d\] topicmaker proposed "while you were away"' % missed,
                "a topic proposed while the link was down is replayed", start=0)
        for i in ids:
            eve.wait_line(r"you voted for topic %d$" % i, start=0, timeout=30)
        t.eq([wait_votes(hub.port, i, 1) for i in ids], [1] * len(ids),
             "every vote sent around the cut counts once")
        t.eq([count(eve, r"you (had )?voted for topic %d( already)?$" % i) for i in ids],
             [1] * len(ids), "and is confirmed once")
        t.eq(count(eve, r"while you were away"), 1, "... once")
        quit_all(t, (eve,))


def test_order(t, hub):
    """A burst of requests is answered in the order sent; the limit applies in order."""
    with WsClient(hub.port) as ws:
        hello(ws, "burst")
        reqs = [("propose", {"title": "b%d" % i}) for i in range(4)]
        reqs[2:2] = [("vote", {"item": 1}), ("hand", {"room": "lobby", "up": True}),
                     ("say", {"room": "lobby", "text": "hi"}), ("ask", {"text": "q?"})]
        sent = [ws.request(ty, **f) for ty, f in reqs]
        got = []
        while len(got) < len(sent):
            m = ws.recv(timeout=20)
            if m.get("type") in ("ok", "error") and m.get("re") in sent:
                got.append((m["re"], m["type"], m.get("code")))
        t.ok([g[0] for g in got] == sent, "the replies come in the order of the requests",
             got)
        t.ok([g[1] for g in got].count("error") == 1,
             "with the limit on 3 proposals at once, one reply is rate-limited", got)
        t.ok(got[-1][2] == "rate-limited", "... the last proposal's", got)


def main():
    t = TAP()
    need_binaries(t, "CONFABD", "CONFAB")
    data = tempfile.mkdtemp(prefix="confabtest-part-")
    args = ["--demo", "--data-dir", data]
    with Hub(args) as hub:
        carol = PlainClient(hub.port, "carol", hub.facilitator_args())
        alice = PlainClient(hub.port, "alice")
        bob = PlainClient(hub.port, "bob")
        for c in (carol, alice, bob):
            c.wait_line(r"^\[confab\] connected as ")
        t.run(test_signups, carol, alice, bob)
        t.run(test_queue, carol, alice, bob)
        # some of everything, for the restart
        alice.send("/propose Kept across a restart")
        kept = int(alice.wait_line(r"^\[topic (\d+)\] alice proposed \"Kept across a "
                                   r"restart\"").group(1))
        alice.send("/vote %d" % kept)
        alice.wait_line(r"you voted for topic %d$" % kept)
        carol.send("/qa anonymous on")
        carol.wait_line(r"allows anonymous questions")
        bob.send("/ask Kept too? --anonymous")
        bob.wait_line(r"someone asks")
        carol.send('/poll "Kept?" yes no')
        bob.wait_line(r"carol asks: \"Kept\?\"")
        alice.send("/poll vote %d yes" % max(snapshot(hub.port, "x1")))
        alice.wait_line(r"you chose \"yes\"")
        t.run(test_cut_link, hub)
        before = snapshot(hub.port, "x2")
        quit_all(t, (carol, alice, bob))
    t.eq(hub.exit_code, 0, "the hub stops cleanly")
    with Hub(["--listen", "127.0.0.1:%d" % hub.port, "--data-dir", data, "--demo"]) as hub:
        after = snapshot(hub.port, "x3")
        t.eq(sorted(after), sorted(before), "every item is there after a restart")
        t.eq({k: v.get("votes") for k, v in after.items()},
             {k: v.get("votes") for k, v in before.items()}, "with its votes")
        t.eq({k: v.get("state") for k, v in after.items()},
             {k: v.get("state") for k, v in before.items()}, "and its state")
        alice = PlainClient(hub.port, "alice")
        bob = PlainClient(hub.port, "bob")
        for c in (alice, bob):
            c.saw(t, r"^\[confab\] connected as %s " % c.name,
                  "%s holds the name after the restart" % c.name)
        alice.send("/vote %d" % kept)
        alice.saw(t, r"^\[confab\] you had voted for topic %d already$" % kept,
                  "a vote given before the restart is remembered")
        t.eq(votes(hub.port, kept), 1, "... and not counted again")
        bob.send("/queue")
        bob.saw(t, r"^\[queue #lobby\] 1 hand up: 1 bob; you are number 1$",
                "a raised hand stays up across the restart")
        bob.send("/ask Still anonymous? --anonymous")
        bob.saw(t, r"^\[question \d+\] someone asks", "the Q&A setting is kept")
        quit_all(t, (alice, bob))
    with Hub(["--demo"], limits=True) as hub:
        t.run(test_order, hub)
    t.done()


if __name__ == "__main__":
    main()
