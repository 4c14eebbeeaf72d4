#!/usr/bin/env python3
"""The full-screen interface in Russian (LANG=ru_RU.UTF-8) and Simplified Chinese
(LANG=zh_CN.UTF-8): confab runs inside a real tmux against a real confabd on loopback, with
catalogs compiled from po/*.po into a temporary CONFAB_LOCALEDIR.

Translated: the top line, the room bar's view names, the help view (F1), the schedule
(F2), the rooms view (F3) with its room kinds, the timer line, and notices (connected,
room opened, time is up). Each is compared with the catalog's own translation of the
English text (Python's gettext), not with words written here.

Layout, at 100x30 and after a resize to 60x16, in every view: as many rows as the pane;
no row wider than the pane (a CJK character is two columns); no row the terminal wrapped
into the next (capture-pane -J joins such rows); the top line on top, the input line last
with the cursor on it at the column after the typed text. The layout checker is itself
checked on a screen with one row too long, so it can fail. A language whose locale is not
installed is skipped (./setup generates them). Prints TAP."""

import re
import shutil
import tempfile

from i18ntest import compile_catalogs, installed_locales, skip, width
from confabtest import Hub, TAP, need_binaries, srcdir
from tmuxtest import TmuxPane, have_tmux

LANGS = [("ru", "ru_RU.UTF-8"), ("zh_CN", "zh_CN.UTF-8")]
SIZES = [(100, 30), (60, 16)]

# English texts (msgids) whose translations the screen must show.
HELP_HEAD = "Keys (Esc: back; PgUp/PgDn: scroll)"
HELP_KEYS = [("F1, /help", "this help"), ("F3, /rooms", "the rooms (Enter joins)"),
             ("Esc", "back to the chat")]
DAY_HEAD = "Day %d of %zu: %s (times: %s)   Left/Right: day, Enter: details"
KINDS = ["panel", "talk", "lightning talks", "pitches", "open discussion", "break"]
ROOMS_HEAD = "Rooms   Up/Down: choose, Enter: join, Esc: back"


def rows_of(text):
    """The rows of a captured screen (capture-pane ends each with a newline)."""
    return text[:-1].split("\n") if text.endswith("\n") else text.split("\n")


def layout_problems(plain, joined, cols, rows, prompt):
    """What is wrong with the layout of a screen (empty: nothing): plain and joined are
    the same capture without and with -J."""
    probs = []
    r = rows_of(plain)
    j = [x.rstrip(" ") for x in rows_of(joined)]
    if len(r) != rows:
        probs.append("%d rows, not %d" % (len(r), rows))
    for i, row in enumerate(r):
        if width(row) > cols:
            probs.append("row %d is %d columns wide (pane: %d): %s" % (i, width(row), cols,
                                                                       row))
    # A row that wrapped comes back joined with the next: fewer rows. (Only the count is
    # compared: the two captures are moments apart, and the round trip on the top line
    # may change in between.)
    if len(j) != len(r):
        probs.append("a row wrapped into the next one:\n%s" % "\n".join(j))
    if not r or not r[-1].startswith(prompt):
        probs.append("the last row is not the input line %r: %r" % (prompt, r[-1:]))
    if r and not r[0].startswith(" "):
        probs.append("the top line is not on top: %r" % r[0])
    return probs


def fmt_regex(msg):
    """A regex for a printf format: the text as is, each directive any text."""
    parts = re.split(r"%(?:ll|z|l)?[dsu]", msg)
    return ".*?".join(re.escape(p) for p in parts)


def prefix(msg):
    """The text of a format before its first directive."""
    return re.split(r"%", msg, maxsplit=1)[0]


def test_checker(t):
    """The layout checker finds a row too long, a wrapped row and a misplaced input line."""
    good = " top\n" + "x\n" * 2 + "[#lobby] \u4f1a\n"
    t.eq(layout_problems(good, good, 12, 4, "[#lobby]"), [], "a good screen passes")
    wide = good.replace("x\n", "\u4f1a\u8bae" * 3 + "\u4f1a\n", 1)
    probs = layout_problems(wide, wide, 12, 4, "[#lobby]")
    t.ok(len(probs) == 1 and "14 columns wide" in probs[0],
         "a row of 7 CJK characters (14 columns) in a 12-column pane is caught", probs)
    joined = " top\nxx\n[#lobby] \u4f1a\n"
    t.ok(any("wrapped" in p for p in layout_problems(good, joined, 12, 4, "[#lobby]")),
         "a wrapped row is caught")
    t.ok(layout_problems(good, good, 12, 4, "[#hack]") != [], "a wrong last row is caught")


class Session:
    """One confab in one language, in its own tmux."""

    def __init__(self, t, confab, hub, lang, locale_name, tr, localedir, name):
        self.t, self.lang, self.tr = t, lang, tr
        env = {"LC_ALL": None, "LANGUAGE": None, "LC_MESSAGES": None, "LANG": locale_name,
               "CONFAB_LOCALEDIR": localedir, "XDG_CONFIG_HOME": localedir}
        cols, rows = SIZES[0]
        self.pane = TmuxPane([confab, "--name", name] + hub.facilitator_args() + [hub.url],
                             cols=cols, rows=rows, env=env, name="%s/%s" % (lang, name))
        self.cols, self.rows = cols, rows

    def _(self, msg):
        """The catalog's translation."""
        return self.tr.gettext(msg)

    def ok(self, cond, name, diag=None):
        """A test point named with the language."""
        return self.t.ok(cond, "%s %dx%d: %s" % (self.lang, self.cols, self.rows, name), diag)

    def wait(self, pred, what, timeout=20):
        """Polls the screen for pred; a test point either way. Returns the screen."""
        try:
            text = self.pane.wait(pred, timeout=timeout, what=what)
            self.ok(True, what)
            return text
        except TimeoutError as exc:
            self.ok(False, what, str(exc))
            return self.pane.screen()

    def layout(self, where, prompt="[#lobby]"):
        """The layout checks on the current screen."""
        plain = self.pane.screen()
        joined = self.pane.screen(joined=True)
        probs = layout_problems(plain, joined, self.cols, self.rows, prompt)
        self.ok(probs == [], "%s: the layout holds" % where, "\n".join(probs) + "\n" + plain)

    def cursor(self, where, text):
        """The cursor is on the input line, after text."""
        y, x = self.pane.info("#{cursor_y} #{cursor_x}").split()
        want = width("[#lobby] " + text)
        self.ok(int(y) == self.rows - 1 and int(x) == want,
                "%s: the cursor is on the input line after the text (row %d, column %d)"
                % (where, self.rows - 1, want), "cursor at row %s, column %s" % (y, x))

    def row_for(self, regex, text):
        """The first row of text matching regex, or None."""
        for row in rows_of(text):
            if re.search(regex, row):
                return row
        return None


def check_top(s, text):
    """The top line: what is on now, and the connection state, in the language."""
    top = rows_of(text)[0]
    s.ok(s._("now: %s") != "now: %s" and prefix(s._("now: %s")) in top,
         "the top line says what is on now (%r)" % prefix(s._("now: %s")), top)
    fmt = "online, %lld ms, %s" if s.cols >= 80 else "online, %lld ms"
    s.ok(re.search(r"%s\s*$" % fmt_regex(s._(fmt)), top),
         "the top line ends with the connection state", top)


def check_views(s, big):
    """F1, F2, F3 and back: translated text where it fits, the layout everywhere."""
    s.pane.send("F1")
    text = s.wait(lambda x: "[%s]" % s._("help") in x, "F1: the room bar says [%s]"
                  % s._("help"))
    rows = rows_of(text)
    head = s._(HELP_HEAD)
    if width(head) <= s.cols:
        s.ok(rows[1].rstrip() == head, "the help view's heading is translated", rows[1])
    else:
        s.ok(head.startswith(rows[1].rstrip()), "the help view's heading wraps", rows[1])
    if big:
        for key, desc in HELP_KEYS:
            want = "  %-24s %s" % (key, s._(desc))
            s.ok(want in [r.rstrip() for r in rows], "help: %s is explained" % key, text)
    s.layout("the help view")
    s.pane.send("Escape")
    s.pane.send("F2")
    text = s.wait(lambda x: "[%s]" % s._("schedule") in x,
                  "F2: the room bar says [%s]" % s._("schedule"))
    rows = rows_of(text)
    day = s._(DAY_HEAD)
    s.ok(rows[1].startswith(prefix(day)) and prefix(day) != prefix(DAY_HEAD),
         "the schedule's heading is translated", rows[1])
    s.ok(rows[2].strip() == "", "the schedule's heading stays on its row (%d columns of "
         "text, cut when wider)" % width(day), text)
    if big:
        s.ok(re.match(fmt_regex(day) + r"\s*$", rows[1]),
             "the schedule's heading is the catalog's, filled in", rows[1])
        kinds = "|".join(re.escape(s._(k)) for k in KINDS)
        listed = [r for r in rows if re.search(r"\d\d  .*  \[", r)]
        s.ok(listed and all(re.search(r"  \[(%s)(\]|, #)" % kinds, r) for r in listed),
             "session kinds are translated", text)
    s.layout("the schedule")
    s.pane.send("Escape")
    s.pane.send("F3")
    text = s.wait(lambda x: "[%s]" % s._("rooms") in x and "#hack" in x,
                  "F3: the room bar says [%s]" % s._("rooms"))
    rows = rows_of(text)
    want = s._(ROOMS_HEAD)
    s.ok(rows[1].rstrip() == want or (width(want) > s.cols and want.startswith(rows[1])),
         "the rooms view's heading is translated", rows[1])
    s.ok(rows[2].strip() == "", "the rooms view's heading stays on its row (%d columns "
         "of text, cut when wider)" % width(want), text)
    lobby = s.row_for(r"#lobby\s", text)
    s.ok(lobby is not None and lobby.rstrip().endswith(" " + s._("lobby")),
         "the lobby's kind is translated", lobby)
    hack = s.row_for(r"#hack\s", text)
    bk = s._("breakout")
    s.ok(hack is not None and (hack.rstrip().endswith(" " + bk) or
                               (width(hack) >= s.cols - 1 and bk.startswith(
                                   hack.split("0/4", 1)[-1].strip()))),
         "a breakout's kind is translated", hack)
    s.layout("the rooms view")
    s.pane.send("Escape")
    s.wait(lambda x: "[%s]" % s._("rooms") not in x, "Esc: back to the chat")


def run_lang(t, confab, hub, lang, locale_name, tr, localedir, name):
    """One language: notices, views, timer line and layout at both sizes."""
    s = Session(t, confab, hub, lang, locale_name, tr, localedir, name)
    try:
        online = prefix(s._("online, %lld ms, %s"))
        text = s.wait(lambda x: online in rows_of(x)[0],
                      "the top line says %r" % online, timeout=30)
        want = "-- " + s._("connected as %s (%s)") % (name, s._("facilitator"))
        s.ok(any(r.rstrip().endswith(want) for r in rows_of(text)),
             "the connected notice is translated", text)
        check_top(s, text)
        s.layout("the chat")
        s.pane.type("/room create hack 4")
        s.pane.send("Enter")
        want = s._("#%s opened (%s, capacity %u)") % ("hack", s._("breakout"), 4)
        s.wait(lambda x: any(r.rstrip().endswith(want) for r in rows_of(x)),
               "the room-opened notice is translated")
        typed = "\u4f1a\u8bae \u0432\u0441\u0442\u0440\u0435\u0447\u0430"
        for cols, rows in SIZES:
            if (cols, rows) != (s.cols, s.rows):
                s.pane.resize(cols, rows)
                s.cols, s.rows = cols, rows
                s.wait(lambda x: len(rows_of(x)) == rows and
                       rows_of(x)[-1].startswith("[#lobby]"), "the resize takes effect")
            big = (cols, rows) == SIZES[0]
            check_top(s, s.pane.screen())
            check_views(s, big)
            s.pane.type(typed)
            s.wait(lambda x: rows_of(x)[-1].rstrip().endswith(typed), "typed text shows")
            s.cursor("the chat", typed)
            s.layout("the chat with typed text")
            s.pane.send("C-u")
        # the timer line (at the small size: the tighter case)
        s.pane.type("/timer start 0:04 Q")
        s.pane.send("Enter")
        line = "^ " + re.escape(s._("timer")) + r" main: Q [0-4]:\d\d"
        text = s.wait(lambda x: re.search(line, x, re.M), "the timer line is translated")
        s.ok(rows_of(text)[-3].startswith(" " + s._("timer")),
             "the timer line sits above the room bar", text)
        s.layout("the chat with a timer line")
        s.cursor("the chat with a timer line", "")
        up = "%s Q: %s" % (s._("[timer %s]") % "main", s._("time is up"))
        s.wait(lambda x: any(r.rstrip().endswith(up) for r in rows_of(x)),
               "the time-is-up notice is translated")
        s.pane.type("/timer stop")
        s.pane.send("Enter")
        s.wait(lambda x: not re.search(line, x, re.M) and
               not re.search(r"^ " + re.escape(s._("timer")), x, re.M),
               "the timer line goes")
        s.layout("the chat after the timer")
        s.pane.type("/room close hack")
        s.pane.send("Enter")
        s.pane.type("/quit")
        s.pane.send("Enter")
        t.eq(s.pane.exit_status(), 0, "%s: /quit exits 0" % lang)
    finally:
        s.pane.kill()


def main():
    t = TAP()
    confab, _ = need_binaries(t, "CONFAB", "CONFABD")
    if not have_tmux():
        t.bail("tmux is not installed")
    if shutil.which("msgfmt") is None:
        t.bail("msgfmt not found (Debian: apt-get install gettext)")
    t.run(test_checker)
    localedir = tempfile.mkdtemp(prefix="confabtest-locale-")
    try:
        cats = compile_catalogs(t, srcdir(), localedir, [l for l, _ in LANGS])
        have = installed_locales()
        with Hub(["--demo"]) as hub:
            for (lang, locale_name), name in zip(LANGS, ("anna", "li")):
                if lang not in cats:
                    continue
                if locale_name.lower().replace("utf-8", "utf8") not in have:
                    skip(t, "%s: the full-screen interface" % lang,
                         "locale %s is not installed (./setup generates it)" % locale_name)
                    continue
                t.run(run_lang, confab, hub, lang, locale_name, cats[lang], localedir, name)
            t.ok(hub.alive(), "the hub is still running")
    finally:
        shutil.rmtree(localedir, ignore_errors=True)
    t.done()


if __name__ == "__main__":
    main()
