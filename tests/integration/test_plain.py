#!/usr/bin/env python3
"""confab --plain against a real confabd: one client at a time (the lead's test_e2e.py
covers several clients). Checks the line formats a screen-reader user or a script relies
on, command errors, the command line, and exit codes. Prints TAP."""

import os
import re
import subprocess

from confabtest import Hub, PlainClient, WsClient, TAP, hello, need_binaries

PTIM_IDS = ["d1-spec", "d1-pitch", "d1-community", "d2-trust", "d2-open", "d2-lightning",
            "d2-users", "d3-detect", "d3-lightning", "d4-fronting", "d4-lightning",
            "d4-hard"]


def run_confab(confab, args, timeout=20):
    """Runs confab with args and no input; returns (exit code, stdout, stderr)."""
    p = subprocess.run([confab] + args, stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=timeout, env=dict(os.environ, LC_ALL="C.UTF-8"))
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def test_command_line(t, confab):
    """--help, --version, bad options, bad addresses and bad names."""
    rc, out, _ = run_confab(confab, ["--help"])
    t.ok(rc == 0 and "Usage: confab" in out and "--plain" in out, "confab --help exits 0 with usage")
    rc, out, _ = run_confab(confab, ["--version"])
    t.ok(rc == 0 and re.match(r"^confab \d", out), "confab --version exits 0")
    rc, _, err = run_confab(confab, ["--bogus", "ws://127.0.0.1:1"])
    t.ok(rc == 2 and "Try 'confab --help'." in err and len(err.strip().splitlines()) == 2,
         "a bad option exits 2 with a one-line error and a hint", err)
    rc, _, err = run_confab(confab, ["http://127.0.0.1:7450"])
    t.ok(rc == 2 and "ws://HOST:PORT" in err, "a non-ws URL exits 2 and says what works", err)
    rc, _, err = run_confab(confab, ["--trust-cert", "SHA256:00", "wss://127.0.0.1:7450"])
    t.ok(rc == 2 and "bad fingerprint \"SHA256:00\" for --trust-cert" in err,
         "wss:// with a malformed --trust-cert exits 2 (TLS itself: test_tls.py)", err)
    rc, _, err = run_confab(confab, ["--ca-file", "/nonexistent.pem", "wss://127.0.0.1:7450"])
    t.ok(rc == 2 and "cannot use /nonexistent.pem as the CA file" in err,
         "an unreadable --ca-file exits 2 and names the file", err)
    rc, _, err = run_confab(confab, ["--ca-file", "/nonexistent.pem", "ws://127.0.0.1:7450"])
    t.ok(rc == 2 and "are for wss:// hubs" in err, "--ca-file with a ws:// hub exits 2", err)
    rc, _, err = run_confab(confab, ["ws://127.0.0.1:99999"])
    t.ok(rc == 2, "a bad port exits 2", err)
    rc, _, err = run_confab(confab, [])
    t.ok(rc == 2 and "missing" in err, "no address exits 2", err)
    rc, _, err = run_confab(confab, ["--name", "#bad name", "ws://127.0.0.1:1"])
    t.ok(rc == 2 and "bad name" in err, "a bad --name exits 2", err)
    rc, _, err = run_confab(confab, ["--demo", "ws://127.0.0.1:1"])
    t.ok(rc == 2, "--demo with an address exits 2", err)


def test_session(t, hub):
    """One attendee: connected line, program commands, errors, sanitising, EOF."""
    c = PlainClient(hub.port, "alice")
    try:
        m = c.wait_line(r"^\[confab\] connected as (\S+) \((attendee|facilitator)\)$")
        t.ok(m.group(1) == "alice" and m.group(2) == "attendee", "connected as alice (attendee)")
        t.ok(c.lines()[0].startswith("[confab] connecting to ws://127.0.0.1:"),
             "the first line says where it connects")

        c.send("/schedule")
        c.wait_line(r"^\[schedule\] 12 sessions$")
        sched = [l for l in c.lines() if l.startswith("[schedule] ") and not l.endswith(" sessions")]
        t.eq(len(sched), 12, "/schedule prints one line per session")
        fmt = re.compile(r"^\[schedule\] \w{3} \d\d \w{3} \d\d:\d\d-\d\d:\d\d \S+ (\S+) [a-z ]+: .+$")
        t.ok(all(fmt.match(l) for l in sched), "each schedule line is self-contained", sched[:2])
        ids = [fmt.match(l).group(1) for l in sched if fmt.match(l)]
        t.eq(sorted(ids), sorted(PTIM_IDS), "every PTIM session id is listed")
        c.send("/schedule 2")
        t.ok(c.wait_line(r"^\[schedule\] day 2 of 4: 4 sessions$") is not None,
             "/schedule 2 lists one day (the event's second day, whole, at any hour)")
        c.send("/schedule today")
        t.ok(c.wait_line(r"^\[schedule\] day 1 of 4: 3 sessions$") is not None,
             "/schedule today is the demo's first day, which starts this hour")
        c.send("/schedule 9")
        t.ok(c.wait_line(r"^\[error\] there is no day 9") is not None, "/schedule 9 is an error")

        c.send("/now")
        t.ok(c.wait_line(r"^\[now\] \d\d:\d\d-\d\d:\d\d \S+ d1-spec .*\(ends in .+\)$")
             is not None, "/now says what is on: the demo's first session, which starts this hour")
        c.send("/next")
        t.ok(c.wait_line(r"^\[next\] (nothing more is scheduled|\d\d:\d\d-\d\d:\d\d \S+ \S+ .*"
                         r"\(starts in .+\))$") is not None, "/next answers")
        c.send("/info d1-spec")
        t.ok(c.wait_line(r"^\[info d1-spec\] Decision and Spec 3\.0 Needs$") is not None,
             "/info prints the title")
        t.ok(c.wait_line(r"^\[info d1-spec\] \w{3} \d\d \w{3} \d\d:\d\d-\d\d:\d\d \S+, panel$")
             is not None, "/info prints the time and kind")
        c.send("/info nosuch")
        t.ok(c.wait_line(r"^\[error\] no session \"nosuch\"") is not None, "/info of an unknown id")

        c.send("/jion hack")
        t.ok(c.wait_line(r'^\[error\] unknown command "/jion"; did you mean /join\? '
                         r'Type /help for the list$') is not None, "unknown command suggests /join")
        c.send("/timer start 5x")
        t.ok(c.wait_line(r'^\[error\] bad duration "5x": ') is not None, "bad duration is explained")
        c.send("/msg bob")
        t.ok(c.wait_line(r"^\[error\] usage: /msg NAME TEXT$") is not None, "usage error for /msg")
        c.send("/timer start 5m")
        t.ok(c.wait_line(r"^\[error\] .*\(not-allowed\)$") is not None,
             "an attendee's /timer start is refused by the hub")
        c.send("/help join")
        t.ok(c.wait_line(r"^\[help\] /join ROOM: join a room and make it current$") is not None,
             "/help join")
        c.send("/rooms")
        t.ok(c.wait_line(r"^\[rooms\] #lobby \(lobby\): 1 person$") is not None, "/rooms lists the lobby")
        c.send("/who")
        t.ok(c.wait_line(r"^\[who #lobby\] 1 person: alice$") is not None, "/who in the lobby")
        c.send("/timer")
        t.ok(c.wait_line(r"^\[timer\] no timer is running$") is not None, "/timer with no timer")

        # network text is sanitised; our own line comes back from the hub
        with WsClient(hub.port) as raw:
            hello(raw, "mallory")
            raw.request("say", room="lobby", text="x\x1b]0;pwned\x07 \u202eabc")
            m = c.wait_line(r"^\[#lobby\] <mallory> x")
            line = m.string
            t.ok("\x1b" not in line and "\x07" not in line and "\u202e" not in line
                 and "^[" in line and "<U+202E>" in line, "chat from the network is sanitised",
                 repr(line))
        c.send("hello, world")
        t.ok(c.wait_line(r"^\[#lobby\] <alice> hello, world$") is not None, "text is said in the lobby")

        c.send("last words")
        rc = c.stop()
        t.eq(rc, 0, "end of input exits 0")
        t.ok(any(l == "[#lobby] <alice> last words" for l in c.lines()),
             "a line typed just before the end of input is still sent")
    finally:
        if c.alive():
            c.proc.kill()


def test_facilitator(t, hub):
    """A facilitator (token file) runs a timer."""
    path = os.path.join(hub.tmpdir, "my-token")
    with open(path, "w") as fp:
        fp.write(hub.token + "\n")
    c = PlainClient(hub.port, "carol", extra_args=["--facilitator-token-file", path])
    try:
        t.ok(c.wait_line(r"^\[confab\] connected as carol \(facilitator\)$") is not None,
             "the token file gives the facilitator role")
        c.send("/timer start pitch Pitch 1")
        t.ok(c.wait_line(r"^\[timer main\] started by carol: Pitch 1, 2:00 left$") is not None,
             "timer start is announced")
        c.send("/timer")
        t.ok(c.wait_line(r"^\[timer main\] running: Pitch 1, [12]:\d\d left$") is not None,
             "/timer shows the remaining time")
        c.send("/timer pause")
        t.ok(c.wait_line(r"^\[timer main\] paused by carol at [12]:\d\d left$") is not None, "pause")
        c.send("/timer reset")
        t.ok(c.wait_line(r"^\[timer main\] reset by carol$") is not None, "reset")
        c.send("/room create hack 3")
        c.send("/join hack")
        t.ok(c.wait_line(r"^\[#hack\] you joined #hack \(1 person\)$") is not None,
             "join a new breakout")
        c.send("in the breakout")
        t.ok(c.wait_line(r"^\[#hack\] <carol> in the breakout$") is not None,
             "text goes to the current room")
        c.send("/quit")
        t.eq(c.wait_exit(), 0, "/quit exits 0")
    finally:
        if c.alive():
            c.proc.kill()
        c.stop()


def test_link_lost(t, confab):
    """The hub goes away: one line says so and when the next attempt is; what is typed
    meanwhile is sent, once, when a hub is back on the same address."""
    hub = Hub(["--demo"])
    port = hub.port
    c = PlainClient(port, "dave")
    hub2 = None
    try:
        c.wait_line(r"^\[confab\] connected as dave")
        hub.stop()
        t.ok(c.wait_line(r"^\[confab\] (connection lost \(.+\)|the hub closed the connection "
                         r"\(the hub is shutting down\)); reconnecting in \d+ s$") is not None,
             "a lost link is announced with the retry delay")
        t.ok(c.alive(), "the client keeps running to reconnect")
        c.send("typed while offline")
        t.ok(c.wait_line(r"^\[#lobby\] \(not sent yet\) <dave> typed while offline$")
             is not None, "a line typed while offline is shown as not sent yet")
        hub2 = Hub(["--listen", "127.0.0.1:%d" % port, "--demo"])
        t.eq(hub2.port, port, "a new hub listens on the same address")
        t.ok(c.wait_line(r"^\[confab\] reconnected", timeout=60) is not None,
             "the client reconnects by itself")
        t.ok(c.wait_line(r"^\[#lobby\] <dave> typed while offline$") is not None,
             "a line typed while offline is sent after the reconnect")
        c.send("/quit")
        t.eq(c.wait_exit(), 0, "/quit exits 0")
        t.eq(sum(1 for l in c.lines() if l == "[#lobby] <dave> typed while offline"), 1,
             "the offline line is delivered exactly once")
    finally:
        if c.alive():
            c.proc.kill()
        c.stop()
        hub.kill()
        if hub2 is not None:
            hub2.kill()


def main():
    t = TAP()
    confab, _ = need_binaries(t, "CONFAB", "CONFABD")
    t.run(test_command_line, confab)
    with Hub(["--demo"]) as hub:
        t.run(test_session, hub)
        t.run(test_facilitator, hub)
        t.ok(hub.alive(), "the hub is still running")
    t.run(test_link_lost, confab)
    t.done()


if __name__ == "__main__":
    main()
