#!/usr/bin/env python3
"""The board of the full-screen interface in a real tmux against a real hub. TAP.

F5 opens it: topics, questions, polls (a row per choice of an open poll), sign-ups and
the room's speaking queue. The terminal cursor sits on the selected row; Enter votes
for a topic (and takes the vote back), chooses in a poll and raises or lowers a hand;
the room bar shows an open poll and our place in the queue; a topic a facilitator hides
vanishes from the board; /board opens it too; Esc goes back. Votes given on the board
reach the hub. An accepted sign-up rings the bell when its speaker is up next. A question
with an escape sequence and a bidi override shows them visibly; the pane title stays.
"""

import os
import tempfile

from confabtest import TAP, Hub, WsClient, hello, need_binaries
from parttest import snapshot, wait_votes
from tmuxtest import TmuxPane, have_tmux


def cursor_row(pane):
    """The text of the screen row the terminal cursor is on."""
    y = int(pane.info("#{cursor_y}"))
    return pane.screen().split("\n")[y]


def wait_cursor(pane, what, timeout=20.0):
    """Polls until the cursor's row contains what; returns that row (or the last seen)."""
    try:
        pane.wait(lambda _s: what in cursor_row(pane), timeout=timeout,
                  what="the cursor's row")
    except TimeoutError:
        pass
    return cursor_row(pane)


def move_to(pane, what, most=12):
    """Presses Down (at most `most` times) until the cursor's row contains what."""
    row = cursor_row(pane)
    for _ in range(most):
        if what in row:
            break
        before = pane.screen()
        pane.send("Down")
        try:
            pane.wait(lambda s: s != before, timeout=5, what="the selection moving")
        except TimeoutError:
            pass
        row = cursor_row(pane)
    return row


def test_board(t, hub, ann, fac):
    with WsClient(hub.port) as ws:
        hello(ws, "zed")
        first = ws.call("propose", title="Mesh networks")["item"]
        second = ws.call("propose", title="Satellite links")["item"]
        ws.call("ask", text="\x1b]2;HACKED\x07 \u202eevil?", session="d1-spec")
    title = ann.title()
    poll = fac.call("poll.open", question="Break now?", choices=["yes", "no"])["item"]
    ann.send("F5")
    ann.wait_text(r"Topics \(/propose TITLE")
    ann.wait_text(r"Break now\?")
    t.ok(ann.wait_text(r"\( \) 2 no") is not None, "F5: the board lists topics and an open "
         "poll with a row per choice")
    t.ok(ann.wait_text(r"\[poll %d open\]" % poll) is not None,
         "the room bar says a poll is open")
    ann.wait_text(r"evil\?")
    row = next(r for r in ann.screen().split("\n") if "evil?" in r)
    t.ok("^[]2;HACKED^G" in row and "<U+202E>" in row,
         "a question's escape sequence and bidi override show visibly on the board", row)
    t.eq(ann.title(), title, "the pane title is unchanged")
    row = wait_cursor(ann, "Mesh networks")
    t.ok("Mesh networks" in row, "the cursor is on the selected row (the first topic)", row)

    ann.send("Enter")
    t.eq(wait_votes(hub.port, first, 1), 1, "Enter votes for the topic")
    ann.wait_text(r"1 vote: \"Mesh networks\".*you voted")
    ann.send("Enter")
    t.eq(wait_votes(hub.port, first, 0), 0, "Enter again takes the vote back")

    ann.send("Down")
    row = wait_cursor(ann, "Satellite links")
    t.ok("Satellite links" in row, "Down moves the cursor to the next topic", row)
    row = move_to(ann, "2 no")
    t.ok("2 no" in row, "... past the headings to the poll's second choice", row)
    ann.send("Enter")
    ann.wait_text(r"\(\*\) 2 no: 1")
    t.eq(wait_votes(hub.port, poll, 1), 1, "Enter on a choice votes in the poll")

    row = move_to(ann, "no hand is up")
    ann.send("Enter")
    t.ok(ann.wait_text(r"\[you speak next\]") is not None,
         "Enter on the queue's row raises the hand; the bar says we speak next", row)
    ann.send("Enter")
    ann.wait(lambda s: "[you speak next]" not in s, what="the hand lowered")
    t.ok(True, "Enter again lowers it")

    r = fac.call("item.hide", item=second)
    t.eq(r.get("type"), "ok", "a facilitator hides a topic")
    ann.wait(lambda s: "Satellite links" not in s.split("Polls (")[0],
             what="the hidden topic gone")
    t.ok(second not in snapshot(hub.port, "peek"), "a hidden topic vanishes from the board")

    # a sign-up accepted: the bell when the lineup reaches it
    ann.send("Escape")
    ann.wait(lambda s: "Board   Up/Down" not in s, what="the board closed")
    ann.type("/signup talk Mesh in practice")
    ann.send("Enter")
    ev = fac.wait_for(lambda m: m.get("type") == "item" and
                      m["item"].get("kind") == "signup", timeout=20)
    t.eq(fac.call("signup.accept", item=ev["item"]["id"]).get("type"), "ok",
         "a facilitator accepts ann's sign-up")
    ann.wait_text(r"accepted your talk")
    t.ok(not ann.rang(), "no bell yet (mention-bell = no: not for the answer)")
    for _ in range(5):
        fac.call("lineup.next")
    ann.wait_text(r"you are up next: ann: Mesh in practice")
    ann.wait(lambda _s: ann.rang(), what="the bell")
    t.ok(ann.rang(), "'you are up next' rings the bell")
    ann.type("/board")
    ann.send("Enter")
    t.ok(ann.wait_text(r"Board   Up/Down: choose") is not None, "/board opens it again")
    ann.send("Escape")


def main():
    t = TAP()
    _confabd, confab = need_binaries(t, "CONFABD", "CONFAB")
    if not have_tmux():
        t.bail("tmux is not installed")
    # the bell for our turn (bell) but not for mentions and answers (mention-bell): so
    # the bell heard is the one of "you are up next"
    conf = tempfile.mkdtemp(prefix="confabtest-conf-")
    os.makedirs(os.path.join(conf, "confab"))
    with open(os.path.join(conf, "confab", "config"), "w") as fp:
        fp.write("bell = yes\nmention-bell = no\n")
    with Hub(["--demo"]) as hub:
        with WsClient(hub.port) as fac, \
                TmuxPane([confab, "--name", "ann", hub.url], cols=100, rows=40,
                         name="ann", env={"XDG_CONFIG_HOME": conf}) as ann:
            hello(fac, "carol", token=hub.token)
            ann.wait_text(r"online", timeout=30)
            t.run(test_board, hub, ann, fac)
            ann.type("/quit")
            ann.send("Enter")
            t.eq(ann.exit_status(), 0, "ann exits 0 after /quit")
    t.done()


if __name__ == "__main__":
    main()
