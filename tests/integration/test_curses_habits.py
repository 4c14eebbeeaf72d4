#!/usr/bin/env python3
"""The full-screen interface for irssi and WeeChat users, in a real tmux against a real
confabd: a private message opens a query buffer with unread counts, and what is typed
there goes to that person; /find and Ctrl-R highlight matches and jump between them;
names have colours of their own (256 colours, never the warning yellow or red); the light
theme; a key binding from the config; the mouse wheel and a click on the room bar; the
smart filter folds and Alt-= unfolds; /quit with lines not sent asks first and prints
them to copy; the demo's first screen hints at F1, F2, F3 and /help and comes alive.
Prints TAP."""

import os
import re
import tempfile

from confabtest import Hub, TAP, WsClient, hello, need_binaries
from tmuxtest import TmuxPane, have_tmux

COLS, ROWS = 100, 30


def pane(confab, home, name, url, config="", extra=(), wait=r"online", tz=None):
    """confab in its own tmux with a config of its own (tz: its TZ)."""
    cfg = os.path.join(home, "config-" + name)
    os.makedirs(os.path.join(cfg, "confab"), exist_ok=True)
    with open(os.path.join(cfg, "confab", "config"), "w") as fp:
        fp.write(config)
    env = {"XDG_CONFIG_HOME": cfg, "XDG_STATE_HOME": os.path.join(home, "state-" + name),
           "XDG_CACHE_HOME": os.path.join(home, "cache-" + name)}
    if tz is not None:
        env["TZ"] = tz
    p = TmuxPane([confab, "--name", name] + list(extra) + ([url] if url else []),
                 cols=COLS, rows=ROWS, env=env, name=name)
    if wait:
        p.wait_text(wait, timeout=30)
    return p


def row_of(text, needle):
    """The first row of text that contains needle."""
    for r in text.split("\n"):
        if needle in r:
            return r
    return ""


def test_query(t, confab, hub, home):
    """A private message opens a query buffer; typing there answers the person."""
    amy = pane(confab, home, "amy", hub.url)
    try:
        with WsClient(hub.port) as bob:
            hello(bob, "bob")
            bob.request("msg", to="amy", text="psst, a secret")
            m = amy.wait_text(r"2:@bob\(1, @1\)")
            t.ok(m is not None, "the message opens buffer 2:@bob with its unread count")
            t.ok("psst, a secret" not in amy.screen(), "it is not shown in the lobby")
            amy.send("M-2")
            amy.wait_text(r"<bob> psst, a secret")
            amy.wait_text(r"^\[@bob\]")
            t.ok(True, "Alt-2 shows the conversation; the prompt names bob")
            amy.type("the answer")
            amy.send("Enter")
            got = bob.wait_for(lambda m: isinstance(m, dict) and m.get("type") == "privmsg"
                               and m.get("from") == "amy")
            t.eq(got.get("text"), "the answer", "a line typed in the query goes to bob")
            amy.wait_text(r"<amy> the answer")
            amy.type("/close")
            amy.send("Enter")
            amy.wait(lambda s: "@bob" not in s, what="the query closed")
            t.ok(True, "/close closes the query buffer")
            amy.type("/query bob back again")
            amy.send("Enter")
            amy.wait_text(r"^\[@bob\]")
            got = bob.wait_for(lambda m: isinstance(m, dict) and m.get("type") == "privmsg"
                               and m.get("text") == "back again")
            t.ok(got is not None, "/query NAME TEXT opens the conversation and says TEXT")
            amy.type("/away in a meeting")
            amy.send("Enter")
            amy.wait_text(r"^\[@bob\] \(away\)")
            t.ok(True, "the prompt says when you are away")
    finally:
        amy.kill()


def test_find_colours(t, confab, hub, home):
    """/find and Ctrl-R; colours per name; the smart filter and Alt-=."""
    cat = pane(confab, home, "cat", hub.url, config="smart-filter = yes\n")
    try:
        with WsClient(hub.port) as dan, WsClient(hub.port) as eve:
            hello(dan, "dan")
            hello(eve, "eve")
            for i, line in enumerate(["first apple", "pear", "second apple", "plum"]):
                (dan if i % 2 == 0 else eve).request("say", room="lobby", text=line)
            cat.wait_text(r"<eve> plum")
            text = cat.screen(escapes=True)
            dan_row, eve_row = row_of(text, "first apple"), row_of(text, "plum")
            t.ok(re.search(r"\x1b\[[0-9;]*38;5;\d+", dan_row) is not None,
                 "a name is drawn in one of 256 colours", repr(dan_row))
            colours = [re.findall(r"38;5;(\d+)", r) for r in (dan_row, eve_row)]
            t.ok(all(c and int(c[0]) not in (1, 3, 9, 11, 196, 226) for c in colours),
                 "never in a warning colour", colours)
            cat.type("/find apple")
            cat.send("Enter")
            text = cat.wait_text(r"\[find: apple\]").string
            found = cat.screen(escapes=True)
            t.ok("\x1b[7m" in row_of(found, "second apple") or
                 ";7m" in row_of(found, "second apple"),
                 "/find highlights the newest match", repr(row_of(found, "second apple")))
            cat.send("C-r")
            cat.wait(lambda s: "\x1b[7m" in row_of(s, "first apple") or
                     ";7m" in row_of(s, "first apple"), what="the older match",
                     escapes=True)
            t.ok(True, "Ctrl-R jumps to the next older match")
            cat.send("Escape")
            cat.wait(lambda s: "[find:" not in s, what="the search ended")
            t.ok(True, "Esc ends the search")
            # the smart filter: eve joins and leaves a room without speaking
            cat.type("/join d2-open")
            cat.send("Enter")
            cat.wait_text(r"^\[#d2-open\]")
            eve.call("join", room="d2-open")
            eve.call("part", room="d2-open")
            dan.call("join", room="d2-open")
            dan.request("say", room="d2-open", text="dan speaks")
            cat.wait_text(r"<dan> dan speaks")
            t.ok("eve joined" not in cat.screen(), "the smart filter folds a silent join")
            cat.send("M-=")
            cat.wait_text(r"eve joined")
            t.ok("eve left" in cat.screen(), "Alt-= shows the folded notices")
    finally:
        cat.kill()


def test_theme_binding_mouse(t, confab, hub, home):
    """theme = light; bind = ctrl-f rooms; mouse = yes (wheel, click on the bar)."""
    dee = pane(confab, home, "dee", hub.url,
               config="theme = light\nbind = ctrl-f rooms\nmouse = yes\n")
    try:
        text = dee.screen(escapes=True)
        notice = row_of(text, "connected as dee")
        t.ok(re.search(r"\x1b\[[0-9;]*34m", notice) is not None and "36m" not in notice,
             "the light theme draws notices in blue, not cyan", repr(notice))
        dee.send("C-f")
        dee.wait_text(r"#lobby\s+\d+\s+lobby")
        t.ok(True, "a key bound in the config runs its action (ctrl-f: rooms)")
        dee.send("Escape")
        with WsClient(hub.port) as fay:
            hello(fay, "fay")
            for i in range(40):
                fay.request("say", room="lobby", text="line %02d" % i)
            dee.wait_text(r"<fay> line 39")
            dee.type("\x1b[M`!!")   # the wheel up, in the terminal's own words
            dee.wait(lambda s: "line 39" not in s, what="the chat scrolled up")
            t.ok(True, "the mouse wheel scrolls the chat")
            dee.type("\x1b[Ma!!" * 4)
            dee.wait_text(r"<fay> line 39")
            fay.request("msg", to="dee", text="click me")
            dee.wait_text(r"2:@fay")
            y = ROWS - 2   # the room bar's row (no timer line)
            x = dee.screen().split("\n")[y].index("2:@fay")
            dee.type("\x1b[M " + chr(33 + x) + chr(33 + y))
            dee.wait_text(r"^\[@fay\]")
            t.ok(True, "a click on the room bar goes to that buffer")
    finally:
        dee.kill()


def test_quit_unsent(t, confab, home):
    """With the hub out of reach, /quit lists the lines not sent and asks; a second /quit
    leaves and prints them."""
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    eli = pane(confab, home, "eli", "ws://127.0.0.1:%d" % port, wait=r"cannot connect")
    try:
        eli.type("words that never left")
        eli.send("Enter")
        eli.wait_text(r"<eli> words that never left")
        eli.type("/quit")
        eli.send("Enter")
        eli.wait_text(r"1 line you typed is not sent yet")
        eli.wait_text(r"#lobby: words that never left")
        eli.wait_text(r"/quit again leaves without them")
        t.ok(not eli.dead(), "the first /quit asks instead of leaving")
        eli.type("/quit")
        eli.send("Enter")
        t.eq(eli.exit_status(), 0, "the second /quit leaves")
        eli.wait_text(r"^  #lobby: words that never left$")
        # (with the scrollback: the first row may have scrolled off the screen)
        text = eli._tmux("capture-pane", "-p", "-S", "-100", "-t", "main")
        t.ok(re.search(r"^confab: 1 line you typed was not sent:\n  #lobby: words that "
                       r"never left$", text, re.M), "and prints the line on the terminal, "
             "to copy", text)
    finally:
        eli.kill()


def test_demo(t, confab, home):
    """The demo's first screen: a one-line hint, then life (bots, the pitch timer). Under
    TZ=Asia/Tokyo the schedule is in the conference's zone, named, until /tz local."""
    d = pane(confab, home, "visitor", None, extra=["--demo", "--demo-seed", "5"],
             wait=None, tz="Asia/Tokyo")
    try:
        d.wait_text(r"F1 help, F2 schedule, F3 rooms, /help", timeout=30)
        t.ok(True, "the first screen hints at F1, F2, F3 and /help")
        d.wait_text(r"<\w+\.bot> ", timeout=30)
        t.ok(True, "bots chat in the lobby")
        d.wait_text(r"Speaker 4: A pluggable transport over video calls", timeout=30)
        t.ok(True, "the pitch timer is on screen")
        d.send("F2")
        d.wait_text(r"\(times: America/New_York\)", timeout=30)
        t.ok(True, "the schedule shows the conference's times by default, zone named")
        d.type("/tz local")
        d.send("Enter")
        d.wait_text(r"\(times: local time, JST \(UTC\+9\)\)", timeout=30)
        t.ok(True, "/tz local: local times, the zone and its offset named")
    finally:
        d.kill()


def main():
    t = TAP()
    confab, _ = need_binaries(t, "CONFAB", "CONFABD")
    if not have_tmux():
        t.bail("tmux is not installed")
    home = tempfile.mkdtemp(prefix="confabtest-curses-habits-")
    with Hub() as hub:
        t.run(test_query, confab, hub, home)
        t.run(test_find_colours, confab, hub, home)
        t.run(test_theme_binding_mouse, confab, hub, home)
    t.run(test_quit_unsent, confab, home)
    t.run(test_demo, confab, home)
    t.done()


if __name__ == "__main__":
    main()
