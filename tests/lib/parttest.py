"""parttest: helpers of the participation tests (topics, Q&A, polls, sign-ups, queue).

* snapshot(port, name) -- a new raw client says hello as name and returns the items of
                          the part.state that follows its welcome, by number ({} when the
                          hub sends none: nothing to see), and closes.
* votes(port, item)    -- the votes of an item as a newcomer sees them (None: not shown).
* FACILITATOR_ONLY     -- every request only a facilitator may make, with members.
* count(client, regex) -- how many of a plain client's lines match.
* listing(client, command, prefix, n, good) -- sends command until the n lines that
                          start with prefix satisfy good(rows) (live state spreads a
                          little later: the hub coalesces tallies); returns the last rows.

Nothing sleeps for a fixed time: waits poll conditions until a deadline.
"""

import re
import time

from confabtest import WsClient, hello

FACILITATOR_ONLY = [
    ("topic.promote", {"item": 1}),
    ("topic.merge", {"item": 1, "into": 2}),
    ("item.hide", {"item": 1}),
    ("question.answer", {"item": 1}),
    ("question.pin", {"item": 1}),
    ("poll.open", {"question": "Mine?", "choices": ["yes", "no"]}),
    ("poll.close", {"item": 1}),
    ("signup.accept", {"item": 1}),
    ("signup.decline", {"item": 1}),
    ("qa.anonymous", {"session": "d1-spec", "anonymous": True}),
    ("queue.next", {"room": "lobby"}),
    ("queue.clear", {"room": "lobby"}),
]


def snapshot(port, name, **hello_args):
    """The items a newcomer named name is told about, by number."""
    with WsClient(port) as ws:
        w = hello(ws, name, **hello_args)
        if w.get("type") != "welcome":
            raise RuntimeError("no welcome: %r" % w)
        # a ping's answer comes after everything the hello made the hub send
        ws.request("ping", t0=1)
        items = {}
        while True:
            m = ws.recv()
            if m.get("type") == "part.state":
                items = {it["id"]: it for it in m["items"]}
            if m.get("type") == "pong":
                return items


def votes(port, item, name="counter"):
    """The votes of item as a newcomer sees them, or None when it is not shown."""
    it = snapshot(port, name).get(item)
    return None if it is None else it.get("votes")


def wait_votes(port, item, want, timeout=20.0, name="counter"):
    """Polls votes() until it is want; returns the last value seen."""
    deadline = time.monotonic() + timeout
    got = None
    while time.monotonic() < deadline:
        got = votes(port, item, name)
        if got == want:
            return got
        time.sleep(0.2)  # a poll interval, not a wait for a result
    return got


def count(client, regex):
    """How many stdout lines of a plain client match regex."""
    pat = re.compile(regex)
    return sum(1 for line in client.lines() if pat.search(line))


def listing(client, command, prefix, n, good, timeout=20.0):
    """Sends command until the first n answer lines starting with prefix make good(rows)
    true, or the deadline passes; returns the last rows seen."""
    deadline = time.monotonic() + timeout
    rows = []
    while True:
        start = len(client.lines())
        client.send(command)
        try:
            rows = [client.wait_line("^" + re.escape(prefix), timeout=5, start=start).string]
            while len(rows) < n:
                rows.append(client.wait_line("^" + re.escape(prefix), timeout=5).string)
        except TimeoutError:
            pass
        if (len(rows) == n and good(rows)) or time.monotonic() >= deadline:
            return rows
        time.sleep(0.3)  # a poll interval, not a wait for a result
