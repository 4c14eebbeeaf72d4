#!/usr/bin/env python3
"""confab and confabd speak the user's language: Russian under LANG=ru_RU.UTF-8, Simplified
Chinese under LANG=zh_CN.UTF-8 (or LC_MESSAGES), English under LANG=C.UTF-8.

The catalogs are compiled from po/*.po with msgfmt into a temporary directory named by
CONFAB_LOCALEDIR, so nothing needs to be installed. What each program prints is compared
with the catalog's own translation (read with Python's gettext module) of the English text,
so the test checks that the right string comes out, filled in the right way, not merely
that something non-English does. --help must keep its columns (a CJK character is two
columns wide) and fit in 80 columns. A language whose locale is not installed (./setup
generates them) is skipped. Prints TAP."""

import gettext
import os
import re
import shutil
import subprocess
import tempfile

from i18ntest import compile_catalogs, installed_locales, skip, width
from confabtest import Hub, PlainClient, TAP, need_binaries, srcdir

LANGS = [("ru", "ru_RU.UTF-8", re.compile(r"[\u0400-\u04ff]")),
         ("zh_CN", "zh_CN.UTF-8", re.compile(r"[\u4e00-\u9fff]"))]


def lang_env(localedir, lang=None, messages=None):
    """An environment that selects a language only through LANG (and LC_MESSAGES); the
    empty LC_ALL and LANGUAGE count as unset for setlocale() and gettext()."""
    env = dict(os.environ, LC_ALL="", LANGUAGE="", LC_MESSAGES=messages or "",
               LANG=lang or "C.UTF-8", CONFAB_LOCALEDIR=localedir)
    return env


def run(binary, args, env, timeout=20):
    """Runs binary with args and no input; returns (exit code, stdout, stderr) as text."""
    p = subprocess.run([binary] + args, stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=timeout, env=env)
    return p.returncode, p.stdout.decode("utf-8", "replace"), \
        p.stderr.decode("utf-8", "replace")


def help_column(english):
    """The column where option descriptions start in an English --help text."""
    for line in english.splitlines():
        m = re.match(r"^(  (?:-h, )?--help +)\S", line)
        if m:
            return len(m.group(1))
    raise AssertionError("no --help line in:\n" + english)


def layout_problems(english, text, limit=80):
    """What breaks the --help layout of text against the English one (empty: nothing):
    options and their padding as in English, descriptions and their continuation lines at
    the English column, no line wider than limit columns (None: no limit)."""
    col = help_column(english)
    lines = text.splitlines()
    probs = ["wider than %d columns (%d): %s" % (limit, width(l), l) for l in lines
             if limit is not None and width(l) > limit]
    def is_option(l):
        """An option line: "  -x, --long" or, GNU style, "      --long-only"."""
        return l.lstrip(" ").startswith("-") and len(l) - len(l.lstrip(" ")) < col

    for e in english.splitlines():
        if not is_option(e):
            continue
        described = len(e) > col and e[col - 1] == " "
        head = e[:col] if described else e
        match = [l for l in lines if l.startswith(head)]
        if not match:
            probs.append("no line starts with %r" % head)
        elif described and (len(match[0]) <= col or match[0][col] == " "):
            probs.append("description not at column %d: %s" % (col, match[0]))
        elif not described and match[0] != e:
            probs.append("option line changed: %s" % match[0])
    body = lines[lines.index(""):] if "" in lines else lines
    for l in body:
        if l.startswith(" ") and not is_option(l) and \
                len(l) - len(l.lstrip(" ")) != col:
            probs.append("continuation not at column %d: %s" % (col, l))
    return probs


def test_command_line(t, confab, confabd, localedir, lang, locale_name, script, tr):
    """--help of both programs and a bad option of each, in one language."""
    _, english, _ = run(confab, ["--help"], lang_env(localedir))
    rc, out, _ = run(confab, ["--help"], lang_env(localedir, locale_name))
    t.ok(rc == 0 and script.search(out), "%s: confab --help is in %s" % (lang, lang), out)
    t.eq(out, tr.gettext(english), "%s: confab --help is the catalog's translation" % lang)
    # the limit is for translations: the English text is the reference
    limit = None if lang == "en" else 80
    t.eq(layout_problems(english, out, limit), [], "%s: confab --help keeps its columns" % lang)

    rc, _, err = run(confab, ["--bogus", "ws://127.0.0.1:1"], lang_env(localedir, locale_name))
    want = "confab: %s\n%s\n" % (tr.gettext("unknown option %s") % "--bogus",
                                tr.gettext("Try 'confab --help'."))
    t.ok(rc == 2 and err == want, "%s: a bad option of confab is explained in %s" % (lang, lang),
         "exit %d\ngot:  %r\nwant: %r" % (rc, err, want))
    rc, _, err = run(confab, ["--bogus", "ws://127.0.0.1:1"],
                     lang_env(localedir, "C.UTF-8", messages=locale_name))
    t.ok(rc == 2 and err == want, "%s: LC_MESSAGES alone chooses the language" % lang, err)

    _, english, _ = run(confabd, ["--help"], lang_env(localedir))
    rc, out, _ = run(confabd, ["--help"], lang_env(localedir, locale_name))
    t.ok(rc == 0 and script.search(out) and "--listen HOST:PORT" in out and
         out.splitlines()[0].endswith("confabd [OPTION]... (--program FILE | --demo)"),
         "%s: confabd --help is in %s, with the options as typed" % (lang, lang), out)
    t.eq(layout_problems(english, out, limit), [],
         "%s: confabd --help keeps its columns" % lang)
    rc, _, err = run(confabd, ["--bogus"], lang_env(localedir, locale_name))
    want = "confabd: %s\n%s\n" % (tr.gettext("unknown option: %s") % "--bogus",
                                 tr.gettext("Try 'confabd --help'."))
    t.ok(rc == 2 and err == want, "%s: a bad option of confabd is explained in %s"
         % (lang, lang), "exit %d\ngot:  %r\nwant: %r" % (rc, err, want))


def test_session(t, hub, localedir, lang, locale_name, tr, english_help):
    """A plain-mode attendee: the connect lines, /help, /rooms, a local error and an error
    from the hub, all in the language of the catalog tr. Returns the /help lines."""
    c = PlainClient(hub.port, "alice", env=lang_env(localedir, locale_name))
    try:
        c.wait_line(r"^\[confab\] ")
        t.eq(c.lines()[0], "[confab] " + tr.gettext("connecting to %s") % hub.url,
             "%s: the connecting line" % lang)
        want = "[confab] " + tr.gettext("connected as %s (%s)") % ("alice",
                                                                   tr.gettext("attendee"))
        c.saw(t, "^" + re.escape(want) + "$", "%s: the connected line" % lang)

        c.send("/help")
        c.wait_line(r"^\[help\] /quit: ")
        got = [l for l in c.lines() if l.startswith("[help] ")]
        if english_help is not None:
            want = []
            for l in english_help:
                usage, _, desc = l[len("[help] "):].partition(": ")
                want.append("[help] %s: %s" % (usage, tr.gettext(desc)))
            t.eq(got, want, "%s: every /help line is translated, its usage as typed" % lang)

        c.send("/rooms")
        want = "[rooms] #lobby (%s): %s" % (tr.gettext("lobby"),
                                           tr.ngettext("%u person", "%u people", 1) % 1)
        c.saw(t, "^" + re.escape(want) + "$", "%s: /rooms, with a plural form" % lang)

        c.send("/jion x")
        want = "[error] " + tr.gettext('unknown command "/%s"; did you mean /%s? Type /help '
                                       'for the list') % ("jion", "join")
        c.saw(t, "^" + re.escape(want) + "$", "%s: a mistyped command" % lang)

        c.send("/timer start 2m")
        want = "[error] %s (not-allowed)" % tr.gettext("only facilitators can do that")
        c.saw(t, "^" + re.escape(want) + "$", "%s: an error sent by the hub" % lang)

        c.send("/quit")
        t.eq(c.wait_exit(), 0, "%s: /quit exits 0" % lang)
        return got
    finally:
        if c.alive():
            c.proc.kill()
        c.stop()


def main():
    t = TAP()
    confab, confabd = need_binaries(t, "CONFAB", "CONFABD")
    if shutil.which("msgfmt") is None:
        t.bail("msgfmt not found (Debian: apt-get install gettext)")
    top = srcdir()
    localedir = tempfile.mkdtemp(prefix="confabtest-locale-")
    try:
        cats = compile_catalogs(t, top, localedir, [l for l, _, _ in LANGS])
        have = installed_locales()
        english = gettext.NullTranslations()
        t.run(test_command_line, confab, confabd, localedir, "en", "C.UTF-8",
              re.compile(r"^Usage: confab"), english)
        with Hub(["--demo"]) as hub:
            help_en = []

            def test_session_en(tt):
                help_en.extend(test_session(tt, hub, localedir, "en", "C.UTF-8", english, None))
            t.run(test_session_en)
            t.ok(len(help_en) > 10, "en: /help lists the commands (%d lines)" % len(help_en))
            for lang, locale_name, script in LANGS:
                if lang not in cats:
                    continue
                if locale_name.lower().replace("utf-8", "utf8") not in have:
                    skip(t, "%s: the session and the command line" % lang,
                         "locale %s is not installed (./setup generates it)" % locale_name)
                    continue
                t.run(test_command_line, confab, confabd, localedir, lang, locale_name,
                      script, cats[lang])
                t.run(test_session, hub, localedir, lang, locale_name, cats[lang], help_en)
            t.ok(hub.alive(), "the hub is still running")
    finally:
        shutil.rmtree(localedir, ignore_errors=True)
    t.done()


if __name__ == "__main__":
    main()
