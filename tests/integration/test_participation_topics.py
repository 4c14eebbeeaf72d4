#!/usr/bin/env python3
"""Topics for open discussions, as people use them: plain clients and a real hub. TAP.

carol facilitates; alice, bob and dave attend. /propose adds a topic to the open
discussion next (the demo's d2-open) or to --session; /topics lists them with their votes,
most first, ties by age; /vote and /unvote (one vote per attendee: again, from a second
connection of the name, or under a look-alike name, it still counts once); counts reach
everyone live, and a burst of votes makes a few lines, not one per vote (the hub sends at
most one tally a second; plain mode tells an item's count at most every 5 s). carol
promotes a topic (a breakout named after it, announced to all), merges two (nobody
counted twice) and hides one (gone from every list, a newcomer's too). Attendees who send
facilitators' requests as raw JSON get not-allowed; bad input (blank, too long, a choice
twice) has its error code; a muted attendee cannot add items; the per-attendee limit on
proposals holds across connections; with --votes-by-invite one invite votes once under
any name.
"""

import os
import subprocess
import tempfile
import time

from confabtest import TAP, Hub, PlainClient, WsClient, hello, need_binaries, quit_all
from parttest import FACILITATOR_ONLY, count, listing, snapshot, votes, wait_votes


def test_topics(t):
    with Hub(["--demo"]) as hub:
        carol = PlainClient(hub.port, "carol", hub.facilitator_args())
        alice = PlainClient(hub.port, "alice")
        bob = PlainClient(hub.port, "bob")
        dave = PlainClient(hub.port, "dave")
        for c in (carol, alice, bob, dave):
            c.wait_line(r"^\[confab\] connected as ")

        alice.send("/propose Bridges in China")
        bob.saw(t, r'^\[topic 1\] alice proposed "Bridges in China" for d2-open: /vote 1$',
                "a topic goes to the open discussion next, and everyone sees it at once")
        bob.send("/propose Snowflake in Iran --session d4-hard")
        dave.saw(t, r'^\[topic 2\] bob proposed "Snowflake in Iran" for d4-hard: /vote 2$',
                 "--session names another discussion")
        dave.send("/propose Tor in Russia")
        dave.wait_line(r"^\[topic 3\] dave proposed")
        bob.send("/propose nothing --session d1-spec")
        bob.saw(t, r"^\[error\] /propose: that session is not an open discussion \(no-such-session\)$",
                "a session that is not an open discussion is refused")

        for c in (alice, bob, dave):
            c.send("/vote 3")
        carol.send("/vote 2")
        for c in (alice, bob, dave):
            c.saw(t, r"^\[confab\] you voted for topic 3$", "%s's vote is confirmed" % c.name)
        carol.saw(t, r"^\[topic 3\] now has 3 votes$", "the count reaches everyone live",
                  timeout=30)
        bob.send("/vote 3")
        bob.saw(t, r"^\[confab\] you had voted for topic 3 already$",
                "voting again does not count twice")
        t.eq(wait_votes(hub.port, 3, 3), 3, "the hub counts 3 votes for topic 3")

        rows = listing(alice, "/topics", "[topics] ", 3,
                       lambda r: r[0].startswith("[topics] 3. 3") and " 1 vote" in r[1])
        t.ok(rows[0].startswith('[topics] 3. 3 votes: "Tor in Russia" by dave; you voted'),
             "/topics: most votes first, with our own vote marked", rows)
        t.ok(rows[1].startswith('[topics] 2. 1 vote: "Snowflake in Iran"') and
             rows[2].startswith('[topics] 1. 0 votes: "Bridges in China"'),
             "... then by votes, ties by age", rows)

        alice.send("/unvote 3")
        alice.saw(t, r"^\[confab\] you took your vote for topic 3 back$", "/unvote")
        t.eq(wait_votes(hub.port, 3, 2), 2, "the vote is gone")
        alice.send("/unvote 3")
        alice.saw(t, r"^\[confab\] you had not voted for topic 3$", "/unvote twice says so")
        alice.send("/vote 3")
        alice.wait_line(r"you voted for topic 3")

        # the same person cannot vote twice: a second connection of the name, a look-alike
        with WsClient(hub.port) as ws:
            w = hello(ws, "alice", secret=False)
            t.eq(w.get("code"), "name-taken", "the name is held: a second person cannot use it")
            w = hello(ws, "ALICE", secret=False)
            t.eq(w.get("code"), "name-taken", "nor a look-alike of it")
        t.eq(votes(hub.port, 3), 3, "topic 3 has 3 votes, alice's once")

        # a burst of votes: no line per vote, hub-side at most one tally a second
        voters = []
        obs = WsClient(hub.port)
        hello(obs, "observer")
        obs.drain(quiet=0.3)
        obs.pending.clear()
        start = len(bob.lines())
        t0 = time.monotonic()
        for i in range(12):
            ws = WsClient(hub.port)
            hello(ws, "voter%d" % i)
            ws.request("vote", item=1)
            voters.append(ws)
        for ws in voters:
            ws.wait_type("ok", timeout=20)
        burst = time.monotonic() - t0
        t.eq(wait_votes(hub.port, 1, 12), 12, "12 attendees voted for topic 1")
        bob.saw(t, r"^\[topic 1\] now has 12 votes$", "plain mode ends on the exact count",
                start=start, timeout=30)
        n = count(bob, r"^\[topic 1\] now has")
        t.ok(1 <= n <= 2 + int(burst / 5), "a burst of 12 votes made %d count lines, not 12"
             % n)
        obs.drain(quiet=1.5)
        tallies = [m for m in obs.pending if isinstance(m, dict) and m.get("type") == "tally"]
        t.ok(1 <= len(tallies) <= 2 + int(burst + 1.5),
             "the hub sent %d tallies for 12 votes in %.1f s (at most one a second)"
             % (len(tallies), burst), [m.get("votes") for m in tallies])
        for ws in voters + [obs]:
            ws.close()

        # promote: a breakout named after the topic, announced to everyone
        carol.send("/topics promote 3 --minutes 30 8")
        for c in (alice, bob, dave):
            c.saw(t, r'^\[topic 3\] "Tor in Russia" runs in #tor-in-russia now \(opened by '
                  r'carol\): /join tor-in-russia$', "promote is announced to %s" % c.name)
        dave.send("/join tor-in-russia")
        dave.saw(t, r"^\[#tor-in-russia\] you joined #tor-in-russia", "the room is there")
        carol.send("/topics promote 3")
        carol.saw(t, r"^\[error\] /topics promote: the topic runs already \(item-state\)$",
                  "a running topic is not promoted twice")

        # merge: topic 2 (carol's vote) into 3; alice votes for 2 too: counted once
        alice.send("/vote 2")
        alice.wait_line(r"you voted for topic 2")
        carol.send("/topics merge 2 3")
        bob.saw(t, r'^\[topic 2\] carol merged "Snowflake in Iran" into topic 3: its votes '
                r'count there$', "a merge is announced")
        t.eq(wait_votes(hub.port, 3, 4), 4, "after the merge topic 3 has 4 votes: carol's "
             "came over, alice's counts once")
        t.ok(2 not in snapshot(hub.port, "counter"), "the merged topic is no longer listed")
        bob.send("/vote 2")
        bob.saw(t, r"^\[error\] /vote: it takes no votes now \(item-state\)$",
                "a merged topic takes no votes")

        # hide: gone from every list, also a newcomer's
        carol.send("/topics hide 1")
        bob.saw(t, r"^\[topic 1\] hidden by carol$", "hiding is told to everyone")
        bob.send("/topics")
        bob.wait_line(r"^\[topics\] 3\. ")
        t.ok(not any(l.startswith("[topics] 1.") for l in bob.lines()[-5:]),
             "a hidden topic is gone from /topics")
        t.ok(1 not in snapshot(hub.port, "newcomer"), "and from a newcomer's snapshot")
        erin = PlainClient(hub.port, "erin")
        erin.wait_line(r"^\[confab\] connected as ")
        erin.send("/topics")
        erin.saw(t, r'^\[topics\] 3\. 4 votes: "Tor in Russia" by dave; runs in #tor-in-russia$',
                 "a newcomer's /topics has the live count")
        t.eq(count(erin, r"Bridges in China"), 0, "... and nothing of the hidden topic")
        bob.send("/vote 1")
        bob.saw(t, r"^\[error\] .*\(no-such-item\)$", "a hidden topic takes no votes")

        # attendees cannot do what facilitators do, whatever they send
        with WsClient(hub.port) as ws:
            hello(ws, "mallory")
            codes = [ws.call(ty, **fields).get("code") for ty, fields in FACILITATOR_ONLY]
            t.eq(codes, ["not-allowed"] * len(FACILITATOR_ONLY),
                 "every facilitator request as raw JSON from an attendee: not-allowed")
            r = ws.call("propose", title="   ")
            t.eq(r.get("code"), "bad-field", "a blank title: bad-field")
            r = ws.call("propose", title="x" * 121)
            t.eq(r.get("code"), "too-long", "a title over 120 characters: too-long")
            r = ws.call("vote", item=3, choice=1)
            t.eq(r.get("code"), "bad-field", "a choice on a topic: bad-field")
            r = ws.call("vote", item=999)
            t.eq(r.get("code"), "no-such-item", "an unknown item: no-such-item")
            r = ws.call("ask", text="q" * 501, session="d1-spec")
            t.eq(r.get("code"), "too-long", "a question over 500 characters: too-long")
        with WsClient(hub.port) as fac:
            hello(fac, "carol3", token=hub.token)
            r = fac.call("poll.open", question="Q?", choices=["a", "b" * 41])
            t.eq(r.get("code"), "too-long", "a choice over 40 characters: too-long")
            r = fac.call("poll.open", question="Q?", choices=["same", "SAME"])
            t.eq(r.get("code"), "bad-field", "two choices alike: bad-field")
            r = fac.call("poll.open", question="Q?", choices=["only one"])
            t.eq(r.get("code"), "bad-field", "a single choice: bad-field")
            t.eq(fac.call("mute", name="mallory", minutes=5).get("type"), "ok",
                 "a facilitator mutes mallory")
        with WsClient(hub.port) as ws:
            hello(ws, "mallory")
            t.eq([ws.call(ty, **f).get("code") for ty, f in
                  (("propose", {"title": "loud"}), ("ask", {"text": "loud?"}),
                   ("signup", {"format": "talk", "title": "loud"}))],
                 ["muted"] * 3, "a muted attendee cannot propose, ask or sign up")
        alice.send("/propose " + "x" * 130)
        alice.saw(t, r"^\[error\] /propose: field \"title\": longer than 120 characters \(too-long\)$",
                  "plain mode shows the refusal with its code")
        alice.send('/propose \x1b]0;pwned\x07 \u202eevil')
        alice.saw(t, r"^\[topic \d+\] alice proposed \"\^\[\]0;pwned\^G <U\+202E>evil\"",
                  "a title's control and bidi characters are shown visibly, like chat")
        quit_all(t, (carol, alice, bob, dave, erin))


def test_limits(t):
    """The per-attendee limit on proposals: 3 at once, then 10 a minute, whatever the
    connection."""
    with Hub(["--demo"], limits=True) as hub:
        codes = []
        with WsClient(hub.port) as ws:
            hello(ws, "eager")
            for i in range(4):
                codes.append(ws.call("propose", title="idea %d" % i).get("type"))
        t.eq(codes, ["ok", "ok", "ok", "error"], "the 4th proposal at once is refused")
        with WsClient(hub.port) as ws:
            hello(ws, "eager")
            r = ws.call("signup", format="talk", title="and a talk")
            t.eq(r.get("code"), "rate-limited", "a new connection of the name does not refill "
                 "the limit (sign-ups share it)")
            r = ws.call("vote", item=1)
            t.eq(r.get("type"), "ok", "votes have a limit of their own")


def test_votes_by_invite(t):
    """--votes-by-invite: one vote per invite token, whatever the name."""
    d = tempfile.mkdtemp(prefix="confabtest-inv-")
    path = os.path.join(d, "invites")
    with open(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600), "w") as fp:
        fp.write("invite-of-ann-0001\ninvite-of-bo-00002\n")
    with Hub(["--demo", "--invite-token-file", path, "--votes-by-invite"]) as hub:
        replies = []
        for name, invite in (("ann", "invite-of-ann-0001"), ("ann2", "invite-of-ann-0001"),
                             ("bo", "invite-of-bo-00002")):
            with WsClient(hub.port) as ws:
                hello(ws, name, invite=invite)
                if not replies:
                    ws.call("propose", title="One person, one vote")
                replies.append(ws.call("vote", item=1))
        t.eq([r.get("dup", False) for r in replies], [False, True, False],
             "the same invite under another name votes once; another invite counts")
        t.eq(snapshot(hub.port, "carol", token=hub.token)[1].get("votes"), 2,
             "two invites, two votes")
    r = subprocess.run([os.environ["CONFABD"], "--demo", "--votes-by-invite"],
                       capture_output=True, timeout=20, stdin=subprocess.DEVNULL)
    t.ok(r.returncode == 2 and b"--invite-token-file" in r.stderr,
         "--votes-by-invite without invites is refused (exit 2)", r.stderr)


def main():
    t = TAP()
    need_binaries(t, "CONFABD", "CONFAB")
    t.run(test_topics)
    t.run(test_limits)
    t.run(test_votes_by_invite)
    t.done()


if __name__ == "__main__":
    main()
