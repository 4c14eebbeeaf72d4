#!/usr/bin/env python3
"""The full-screen interface end to end: confab runs inside a real tmux server (a private
socket) against a real confabd on loopback; keys go in with send-keys, the screen comes
back with capture-pane (with -e to see colours). Checked: the schedule view shows the PTIM
sessions and their details; a message typed in one client appears in another; joining a
breakout from the rooms view with keys updates its occupancy in a second client; a short
timer's line changes colour at the warning and danger thresholds and in overtime; the
speaker view draws big digits; the bell rings at zero unless the config says bell = no,
and on a mention; a pasted block is one line; the rooms view names kinds in words; a
closed room's prompt says so; a resize reflows the screen and a tiny one says so; a
message with escape sequences, C1 controls and bidi overrides has no effect on the terminal;
TERM=dumb gives plain mode; /quit exits 0. Prints TAP."""

import os
import re
import shutil
import tempfile
import unicodedata

from confabtest import Hub, TAP, WsClient, hello, need_binaries
from tmuxtest import TmuxPane, have_tmux

COLS, ROWS = 100, 30
SGR = re.compile(r"\x1b\[([0-9;]*)m")


def start(confab, hub, name, extra=(), cols=COLS, rows=ROWS, env=None):
    """confab in its own tmux, once its top line says it is online."""
    pane = TmuxPane([confab, "--name", name] + list(extra) + [hub.url], cols=cols, rows=rows,
                    env=env, name=name)
    pane.wait_text(r"online", timeout=30)
    return pane


def width(s):
    """Terminal columns of s (wide East Asian characters count 2)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def sgr_codes(row):
    """Every SGR parameter in a captured row."""
    return [p for seq in SGR.findall(row) for p in seq.split(";") if p]


def last_row(text):
    """The last non-empty row of a screen."""
    rows = [r for r in text.split("\n") if r.strip()]
    return rows[-1] if rows else ""


def test_schedule(t, carol):
    """F2 opens the schedule at today's page; Enter shows a session's details."""
    m = carol.wait_text(r"online, (\d+) ms, ([\d.]+) (B|KB)\s*$")
    t.ok(m and (m.group(3) == "KB" or float(m.group(2)) > 0),
         "the top line shows the round trip and the bytes used so far (%s)"
         % (m.group(0).strip() if m else None))
    carol.send("F2")
    m = carol.wait_text(r"Day 1 of \d+:")
    t.ok(m, "F2 opens the schedule on day 1")
    text = carol.wait_text(r"Decision and Spec 3\.0 Needs").string
    t.ok(re.search(r"^>[ *] \d\d:\d\d-\d\d:\d\d\s+Decision and Spec 3\.0 Needs", text, re.M),
         "the session on now is marked (the demo starts it this hour)")
    t.ok("America/New_York" in text, "times are given with their zone")
    carol.send("Enter")
    text = carol.wait_text(r"A run-through of the changes").string
    t.ok("Decision and Spec 3.0 Needs" in text and re.search(r"\d\d:\d\d-\d\d:\d\d \w+", text),
         "Enter shows the details with day, time and zone")
    carol.send("Escape")
    carol.wait_text(r"Day 1 of \d+:")
    t.ok(True, "Esc goes back to the schedule")
    carol.send("Right")
    text = carol.wait_text(r"Day 2 of \d+:").string
    t.ok(re.search(r"Trust in Censorship|Open Discussion|Lightning|Community", text),
         "Right shows the next day's sessions")
    carol.send("Escape")
    carol.wait(lambda s: "Day 2 of" not in s, what="the chat again")
    t.ok(True, "Esc goes back to the chat")


def test_chat(t, carol, bob):
    """A line typed in one client appears in the other; a mention is highlighted."""
    carol.type("hello from carol")
    carol.send("Enter")
    bob.wait_text(r"<carol> hello from carol")
    t.ok(True, "bob sees carol's line")
    carol.wait_text(r"<carol> hello from carol")
    t.ok(True, "carol sees her own line")
    bob.type("carol: are you there?")
    bob.send("Enter")
    text = carol.wait_text(r"<bob> carol: are you there\?", escapes=True).string
    row = [r for r in text.split("\n") if "are you there" in r][0]
    t.ok("\x1b[" in row.split("carol:")[0] + row, "the mention carries an attribute",
         repr(row))
    t.ok(re.search(r"\x1b\[[0-9;]*33[;m]", row), "mentions are yellow", repr(row))


def test_rooms(t, carol, bob):
    """bob joins a breakout with F3, End and Enter; carol's rooms view shows 1/5."""
    carol.type("/room create hack 5")
    carol.send("Enter")
    bob.wait_text(r"#hack opened")
    carol.send("F3")
    carol.wait_text(r"#hack\s+0/5")
    t.ok(True, "carol's rooms view shows #hack empty (0/5)")
    bob.send("F3")
    bob.wait_text(r"#hack\s+0/5")
    bob.send("End")
    bob.send("Enter")
    bob.wait_text(r"^\[#hack\]")
    t.ok(True, "Enter on the selected room joins it (the prompt says #hack)")
    carol.wait_text(r"#hack\s+1/5")
    t.ok(True, "carol's rooms view shows the new occupancy (1/5) without a key")
    text = bob.screen()
    t.ok(re.search(r"2:#hack", text), "the room bar lists the new buffer")
    text = carol.screen()
    t.ok(re.search(r"#lobby\s+\d+\s+lobby\s*$", text, re.M) and
         re.search(r"#hack\s+1/5\s+breakout\s*$", text, re.M),
         "the rooms view names each room's kind", text)
    t.ok(not re.search(r"\d\s+discussion\b", text),
         "no wire name of a kind shows (open discussion, not discussion)", text)
    carol.send("Escape")
    bob.send("M-1")
    bob.wait_text(r"^\[#lobby\]")
    t.ok(True, "Alt-1 goes back to the lobby buffer")
    carol.type("/room close hack")
    carol.send("Enter")
    bob.wait_text(r"2:#hack\(closed\)")
    bob.send("M-2")
    bob.wait_text(r"^\[#hack closed\]")
    t.ok(True, "Alt-2 on a closed room's buffer: the prompt says it is closed")
    bob.type("into the void")
    bob.send("Enter")
    bob.wait_text(r"#hack is closed: its history stays readable")
    t.ok("<bob> into the void" not in carol.screen() + bob.screen(),
         "a line typed there is not sent")
    bob.send("M-1")
    bob.wait_text(r"^\[#lobby\]\s*$")
    t.ok(True, "Alt-1: the prompt names the lobby again")


def test_paste(t, carol, bob):
    """A pasted block of three lines (bracketed paste) lands in the input line as one line
    and sends nothing until Enter."""
    carol.paste("first pasted\nsecond pasted\nthird pasted")
    carol.wait_text(r"^\[#lobby\] first pasted second pasted third pasted\s*$")
    t.ok(True, "the pasted lines wait in the input line, joined by spaces")
    t.ok("<carol> first pasted" not in carol.screen(), "nothing was sent by the paste")
    carol.send("Enter")
    bob.wait_text(r"<carol> first pasted second pasted third pasted$")
    t.ok(True, "Enter sends the pasted block as one line")
    carol.type("/help speaker")
    carol.send("Enter")
    carol.wait_text(r"F4, /speaker: the running timer in large digits")
    t.ok(True, "/help speaker explains a command of the interface itself")
    t.ok("no command" not in carol.screen(), "and no error says it does not exist")


def timer_phase(pane):
    """The background colour of the timer line (42 green, 43 yellow, 41 red, 45 magenta),
    or None when there is no timer line."""
    for row in pane.screen(escapes=True).split("\n"):
        plain = SGR.sub("", row)
        if re.match(r"^ timer main", plain):
            codes = ";".join(SGR.findall(row.split("timer")[0]))
            m = re.findall(r"(?:^|;)(4[0-7])(?=;|$)", codes)
            return m[-1] if m else "none"
    return None


def test_timer(t, carol, bob, dave):
    """A short timer: green, then yellow at the warning, red at danger, magenta after;
    without colours (NO_COLOR) attributes alone."""
    carol.type("/timer start 0:09 Quick --warn 0:06 --danger 0:03")
    carol.send("Enter")
    seen = []
    want = ["42", "43", "41", "45"]

    def phases(_):
        p = timer_phase(bob)
        if p is not None and (not seen or seen[-1] != p):
            seen.append(p)
        return "45" in seen
    try:
        bob.wait(phases, timeout=40, what="overtime colours")
    except TimeoutError as exc:
        t.ok(False, "the timer line reaches overtime", str(exc))
    t.eq([p for p in seen if p in want], want,
         "the timer line is green, yellow, red, then magenta")
    text = bob.wait_text(r"^ timer main: Quick \+0:\d\d").string
    t.ok(True, "overtime counts up (+0:ss)")
    mono = dave.wait_text(r"^.*timer main: Quick \+0:\d\d.*$", escapes=True).group(0)
    codes = sgr_codes(mono)
    t.ok(not any(re.match(r"^(3[0-8]|4[0-8]|9\d|10\d)$", c) for c in codes),
         "NO_COLOR: the timer line has no colours", repr(mono))
    t.ok("7" in codes and "1" in codes, "NO_COLOR: overtime is reverse and bold", repr(mono))
    t.ok(re.search(r"time is up", text), "a line says time is up")
    carol.send("F4")
    text = carol.wait(lambda s: sum(1 for r in s.split("\n") if "\u2588" in r) >= 5,
                      what="big digits")
    t.ok(True, "the speaker view draws the timer in big digits")
    t.ok("Quick" in text, "the speaker view shows the label")
    carol.send("Escape")
    carol.type("/timer stop")
    carol.send("Enter")
    bob.wait(lambda s: timer_phase(bob) is None, what="no timer line")
    t.ok(True, "the timer line goes when the timer stops")


def test_resize(t, bob):
    """Smaller, tiny, then big again: the layout follows at once."""
    bob.type("x" * 10 + " a line long enough to wrap once the window is narrow " * 2)
    bob.send("Enter")
    bob.wait_text(r"wrap once the window is narrow\s*$")
    bob.type("\u4f1a\u8bae" * 30 + " end")
    bob.send("Enter")
    bob.wait_text(r"\u4f1a\u8bae end\s*$")
    bob.resize(60, 16)
    text = bob.wait(lambda s: len(s.rstrip("\n").split("\n")) == 16 and
                    last_row(s).startswith("[#lobby]"), what="a 60x16 layout")
    rows = text.rstrip("\n").split("\n")
    t.ok(all(width(r) <= 60 for r in rows), "no row is wider than 60 columns", text)
    t.ok(sum(1 for r in rows if "\u4f1a\u8bae" in r) >= 2, "the CJK line wraps", text)
    t.ok(rows[0].startswith(" PTIM"), "the top line stays on top")
    t.ok(rows[-1].startswith("[#lobby]"), "the input line is the last row")
    bob.resize(30, 8)
    bob.wait_text(r"too small")
    t.ok(True, "below the minimum size a message says so")
    bob.resize(COLS, ROWS)
    text = bob.wait(lambda s: last_row(s).startswith("[#lobby]") and "PTIM" in s,
                    what="the full layout again")
    t.ok("too small" not in text, "back to the full layout")


def test_bell(t, confab, hub, carol):
    """A timer reaching zero rings the bell with bell = yes (the default) and not with
    bell = no in the config file; a mention rings it (mention-bell = yes, the default)."""
    tmp = tempfile.mkdtemp(prefix="confabtest-xdg-")
    panes = []
    try:
        loud_cfg = os.path.join(tmp, "loud")
        quiet_cfg = os.path.join(tmp, "quiet")
        os.makedirs(os.path.join(loud_cfg, "confab"))
        os.makedirs(os.path.join(quiet_cfg, "confab"))
        with open(os.path.join(quiet_cfg, "confab", "config"), "w") as fp:
            fp.write("# timers stay silent; mentions ring\nbell = no\n")
        loud = start(confab, hub, "loud", env={"XDG_CONFIG_HOME": loud_cfg})
        panes.append(loud)
        quiet = start(confab, hub, "quiet", env={"XDG_CONFIG_HOME": quiet_cfg})
        panes.append(quiet)
        t.ok(not loud.rang() and not quiet.rang(), "no bell before anything happens")
        carol.type("/timer start 0:03 Ring")
        carol.send("Enter")
        loud.wait_text(r"^ timer main: Ring ")
        t.ok(not loud.rang(), "starting a timer does not ring")
        quiet.wait_text(r"Ring: time is up", timeout=30)
        loud.wait_text(r"Ring: time is up", timeout=30)
        try:
            loud.wait(lambda _: loud.rang(), what="a bell")
            t.ok(True, "bell = yes (default): the bell rings at zero")
        except TimeoutError as exc:
            t.ok(False, "bell = yes (default): the bell rings at zero", str(exc))
        t.ok(not quiet.rang(), "bell = no: no bell at zero")
        carol.type("/timer stop")
        carol.send("Enter")
        quiet.wait(lambda _: timer_phase(quiet) is None, what="no timer line")
        carol.type("quiet: a word with you")
        carol.send("Enter")
        quiet.wait_text(r"<carol> quiet: a word with you")
        try:
            quiet.wait(lambda _: quiet.rang(), what="a bell")
            t.ok(True, "a mention rings the bell (mention-bell = yes)")
        except TimeoutError as exc:
            t.ok(False, "a mention rings the bell (mention-bell = yes)", str(exc))
        for p in panes:
            p.type("/quit")
            p.send("Enter")
            t.eq(p.exit_status(), 0, "%s exits 0 after /quit" % p.name)
    finally:
        for p in panes:
            p.kill()
        shutil.rmtree(tmp, ignore_errors=True)


def test_hostile(t, hub, bob):
    """Escape sequences, C1 controls and bidi overrides show visibly and do nothing."""
    title = bob.title()
    with WsClient(hub.port) as raw:
        hello(raw, "mallory")
        raw.request("say", room="lobby",
                    text="evil\x1b]2;HACKED\x07 \x1b[2J\x1b[31mred \u009b1m \u202eabc end")
        text = bob.wait_text(r"<mallory> evil").string
    row = [r for r in text.split("\n") if "<mallory>" in r][0]
    t.ok("^[]2;HACKED^G" in row, "OSC shows in caret notation", repr(row))
    t.ok("^[[2J" in row and "^[[31mred" in row, "CSI shows in caret notation", repr(row))
    t.ok("<U+009B>" in row and "<U+202E>" in row, "C1 and bidi show as <U+...>", repr(row))
    t.eq(bob.title(), title, "the pane title is unchanged")
    t.ok("PTIM" in text.split("\n")[0], "the screen was not cleared")


def test_plain_fallback(t, confab, hub):
    """TERM=dumb gives plain mode even on a terminal."""
    with TmuxPane([confab, "--name", "dumbo", hub.url], env={"TERM": "dumb"},
                  name="dumb") as pane:
        pane.wait_text(r"^\[confab\] connected as dumbo", timeout=30)
        t.ok(True, "TERM=dumb: plain lines")


def main():
    t = TAP()
    confabd, confab = need_binaries(t, "CONFABD", "CONFAB")
    if not have_tmux():
        t.bail("tmux is not installed")
    with Hub(args=["--demo"]) as hub:
        carol = start(confab, hub, "carol", hub.facilitator_args())
        bob = start(confab, hub, "bob")
        dave = start(confab, hub, "dave", env={"NO_COLOR": "1"})
        try:
            t.run(test_schedule, carol)
            t.run(test_chat, carol, bob)
            t.run(test_rooms, carol, bob)
            t.run(test_paste, carol, bob)
            t.run(test_timer, carol, bob, dave)
            t.run(test_bell, confab, hub, carol)
            t.run(test_hostile, hub, bob)
            t.run(test_resize, bob)
            t.run(test_plain_fallback, confab, hub)
            for p in (carol, bob, dave):
                p.type("/quit")
                p.send("Enter")
                t.eq(p.exit_status(), 0, "%s exits 0 after /quit" % p.name)
        finally:
            carol.kill()
            bob.kill()
            dave.kill()
    t.done()


if __name__ == "__main__":
    main()
