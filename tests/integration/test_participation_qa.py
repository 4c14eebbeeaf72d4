#!/usr/bin/env python3
"""Q&A for panels and polls, as people use them: plain clients and a real hub. TAP.

Q&A: /ask in the lobby goes to the panel on now (the demo's d1-spec), --session to
another; /questions is sorted by upvotes (pinned first, answered last); /upvote;
--anonymous is refused until carol allows it (/qa anonymous on), and then nobody is told
who asked (not even in the raw frames); carol answers, pins and hides questions.

Polls: carol opens one (/poll "QUESTION" CHOICE...); attendees vote by the choice's text
or number and may change their vote; counts are live; /poll close gives everyone one
self-contained result line, once. A --secret poll shows only how many voted until it
closes (also in the raw frames). A poll with an end closes by itself, and the result line
comes then.
"""

from confabtest import TAP, Hub, PlainClient, WsClient, hello, need_binaries, quit_all
from parttest import count, listing, snapshot, wait_votes


def test_qa(t, hub, carol, alice, bob):
    alice.send("/ask Is the spec ready for v3?")
    bob.saw(t, r'^\[question 1\] alice asks \(d1-spec\): "Is the spec ready for v3\?": '
            r'/upvote 1$', "/ask goes to the panel on now, and everyone sees it")
    bob.send("/ask What about DPI? --session d3-detect")
    bob.saw(t, r'^\[question 2\] bob asks \(d3-detect\)', "--session names another panel")
    bob.send("/ask Who pays? --session d2-open")
    bob.saw(t, r"^\[error\] /ask: that session takes no questions \(no-such-session\)$",
            "an open discussion takes topics, not questions")
    alice.send("/ask Will slides be shared?")
    alice.wait_line(r"^\[question 3\] alice asks")
    for c in (bob, carol):
        c.send("/upvote 3")
        c.saw(t, r"^\[confab\] you voted for question 3$", "%s upvotes" % c.name)
    t.eq(wait_votes(hub.port, 3, 2), 2, "question 3 has 2 upvotes")
    bob.send("/upvote 1")
    bob.wait_line(r"you voted for question 1")
    rows = listing(alice, "/questions", "[questions] ", 3,
                   lambda r: r[0].startswith("[questions] 3. 2") and " 1 upvote" in r[1])
    t.ok(rows[0].startswith('[questions] 3. 2 upvotes: "Will slides be shared?"') and
         rows[1].startswith("[questions] 1. 1 upvote") and
         rows[2].startswith("[questions] 2. 0 upvotes"),
         "/questions: most upvotes first", rows)

    carol.send("/questions pin 2")
    bob.saw(t, r'^\[question 2\] carol pinned "What about DPI\?" to the top$', "pin")
    carol.send("/questions answer 3")
    bob.saw(t, r'^\[question 3\] carol marked "Will slides be shared\?" answered$', "answer")
    rows = listing(alice, "/questions", "[questions] ", 3, lambda r: "answered" in r[2])
    t.ok(rows[0].startswith("[questions] 2.") and "pinned" in rows[0] and
         rows[1].startswith("[questions] 1.") and rows[2].startswith("[questions] 3.") and
         "answered" in rows[2], "pinned first, answered last", rows)
    bob.send("/upvote 3")
    bob.saw(t, r"^\[error\] /vote: it takes no votes now \(item-state\)$",
            "an answered question takes no more upvotes")

    bob.send("/ask Who funds this? --anonymous")
    bob.saw(t, r"^\[error\] /ask: anonymous questions are not allowed in that session "
            r"\(anonymous-off\)$", "anonymous questions need a facilitator's leave")
    carol.send("/qa anonymous on")
    bob.saw(t, r"^\[qa d1-spec\] carol allows anonymous questions$",
            "allowing them is told to everyone")
    with WsClient(hub.port) as raw:
        hello(raw, "watcher")
        raw.drain(quiet=0.3)
        bob.send("/ask Who funds this? --anonymous")
        alice.saw(t, r'^\[question 4\] someone asks \(d1-spec\): "Who funds this\?": /upvote 4$',
                  "an anonymous question says nobody's name")
        ev = raw.wait_type("item", timeout=10)
        t.ok("by" not in ev and "by" not in ev["item"] and ev["item"].get("anonymous"),
             "... not even in the frames", ev)
    t.ok(not any("bob asks" in l and "funds" in l for l in carol.lines()),
         "a facilitator is not told either")
    carol.send("/questions hide 4")
    alice.saw(t, r"^\[question 4\] hidden by carol$", "hide")
    t.ok(4 not in snapshot(hub.port, "watcher"), "a hidden question is gone")


def test_polls(t, hub, carol, alice, bob):
    carol.send('/poll "Approve spec v2.2?" yes no abstain')
    for c in (alice, bob):
        c.saw(t, r'^\[poll 5\] carol asks: "Approve spec v2.2\?" 1 yes, 2 no, 3 abstain; '
              r'vote with /poll vote 5 CHOICE$', "%s sees the poll open, with its choices"
              % c.name)
    alice.send("/poll vote 5 yes")
    alice.saw(t, r'^\[confab\] you chose "yes" in poll 5$', "a vote by the choice's text")
    bob.send("/poll vote 5 2")
    bob.saw(t, r'^\[confab\] you chose "no" in poll 5$', "... or by its number")
    bob.send("/poll vote 5 maybe")
    bob.saw(t, r'^\[error\] poll 5 has no choice "maybe"; its choices: 1 yes, 2 no, 3 abstain$',
            "a choice that is not there is refused before anything is sent")
    carol.saw(t, r"^\[poll 5\] yes 1, no 1, abstain 0 \(2 votes so far\)$",
              "counts are live", timeout=30)
    bob.send("/poll vote 5 abs")
    bob.saw(t, r'^\[confab\] you chose "abstain" in poll 5$',
            "a vote may change (a unique prefix will do)")
    bob.send("/vote 5")
    bob.saw(t, r"^\[error\] 5 is a poll: vote with /poll vote 5 CHOICE$",
            "/vote on a poll says how to vote in it")
    t.eq(wait_votes(hub.port, 5, 2), 2, "a changed vote is still one vote")
    carol.send("/poll close")
    for c in (carol, alice, bob):
        c.saw(t, r'^\[poll 5\] closed: "Approve spec v2\.2\?": yes 1, no 0, abstain 1 '
              r'\(2 votes\): a tie$', "%s sees one result line" % c.name)
    alice.send("/poll vote 5 no")
    alice.saw(t, r"^\[error\] /vote: it takes no votes now \(item-state\)$",
              "a closed poll takes no votes")

    # a secret poll: how many voted, not the counts, until it closes
    with WsClient(hub.port) as raw:
        hello(raw, "watcher")
        raw.drain(quiet=0.3)
        carol.send('/poll "Lunch now?" yes no --secret')
        alice.wait_line(r'^\[poll 6\] carol asks: "Lunch now\?" .*\(secret: the results come '
                        r'when it closes\)$')
        alice.send("/poll vote 6 yes")
        bob.send("/poll vote 6 yes")
        carol.saw(t, r"^\[poll 6\] 2 votes so far \(secret until it closes\)$",
                  "a secret poll tells how many voted", timeout=30)
        tally = raw.wait_for(lambda m: m.get("type") == "tally" and "6" in m.get("votes", {}),
                             timeout=10)
        t.ok("6" not in tally.get("counts", {}), "... and its frames carry no counts", tally)
        carol.send("/poll close 6")
        bob.saw(t, r'^\[poll 6\] closed: "Lunch now\?": yes 2, no 0 \(2 votes\): "yes" wins$',
                "its result comes when it closes")

    # a poll that closes by itself (seconds: the raw request; /poll takes --minutes)
    with WsClient(hub.port) as fac:
        hello(fac, "carol2", token=hub.token)
        r = fac.call("poll.open", question="Short?", choices=["a", "b"], seconds=6)
        t.eq(r.get("item"), 7, "a poll that closes after 6 s")
    alice.wait_line(r'^\[poll 7\] carol2 asks: "Short\?"')
    alice.send("/poll vote 7 b")
    alice.wait_line(r"you chose \"b\" in poll 7")
    bob.saw(t, r'^\[poll 7\] closed: "Short\?": a 0, b 1 \(1 vote\): "b" wins$',
            "it closes by itself, and the result line comes", timeout=30)
    for c in (carol, alice, bob):
        t.eq(count(c, r"^\[poll 5\] closed:"), 1, "%s saw the result of poll 5 once" % c.name)
    bob.send("/poll")
    rows = [bob.wait_line(r"^\[polls\] ").string for _ in range(3)]
    t.ok(rows[0].startswith('[polls] 7. "Short?" (closed)') and
         'you chose "abstain"' in rows[2], "/poll lists them, newest first, with our vote",
         rows)


def main():
    t = TAP()
    need_binaries(t, "CONFABD", "CONFAB")
    with Hub(["--demo"]) as hub:
        carol = PlainClient(hub.port, "carol", hub.facilitator_args())
        alice = PlainClient(hub.port, "alice")
        bob = PlainClient(hub.port, "bob")
        for c in (carol, alice, bob):
            c.wait_line(r"^\[confab\] connected as ")
        if t.run(test_qa, hub, carol, alice, bob):
            t.run(test_polls, hub, carol, alice, bob)
        quit_all(t, (carol, alice, bob))
    t.done()


if __name__ == "__main__":
    main()
