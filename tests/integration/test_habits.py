#!/usr/bin/env python3
"""What irssi and WeeChat users reach for, in plain mode against a real confabd: /away
(in /who and to a /msg sender), /quit MESSAGE (others see it), /ignore kept in the config
file, /names, the smart filter on join/part/quit notices, mentions marked for a screen
reader, chat logs on disk, /find, and errors that name what they are about. Prints TAP."""

import glob
import os
import tempfile

from confabtest import Hub, PlainClient, TAP, WsClient, hello, need_binaries


def client(hub, name, home, config=None, **kw):
    """A plain client whose config and state live under home (config: the file's text)."""
    cfg = os.path.join(home, "config-" + name)
    os.makedirs(os.path.join(cfg, "confab"), exist_ok=True)
    with open(os.path.join(cfg, "confab", "config"), "w") as fp:
        fp.write(config or "")
    env = {"XDG_CONFIG_HOME": cfg, "XDG_STATE_HOME": os.path.join(home, "state-" + name),
           "TZ": "UTC"}
    return PlainClient(hub.port, name, env=env, **kw), os.path.join(cfg, "confab", "config")


def test_away_quit_names(t, hub, home):
    """/away in /who and to a sender; /names; /quit MESSAGE seen in a room and the lobby."""
    a, _ = client(hub, "amy", home)
    b, _ = client(hub, "ben", home)
    try:
        a.wait_line(r"^\[confab\] connected as amy")
        b.wait_line(r"^\[confab\] connected as ben")
        a.send("/away at lunch, back at 2")
        a.saw(t, r"^\[away\] you are marked away: at lunch, back at 2", "/away says so")
        b.poll(t, "/who", r"^\[who #lobby\] amy is away: at lunch, back at 2$",
               "/who shows the away message")
        b.send("/names")
        b.saw(t, r"^\[who #lobby\] 2 people: amy, ben$", "/names is /who")
        b.send("/msg amy are you there?")
        b.saw(t, r"^\[msg to amy\] amy is away: at lunch, back at 2$",
              "a /msg to someone away is answered with the away message")
        a.saw(t, r"^\[msg from ben\] are you there\?$", "the message is delivered all the same")
        a.send("/away")
        a.saw(t, r"^\[away\] you are back$", "/away alone: back")
        b.poll(t, "/who", r"^\[who #lobby\] 2 people: amy, ben$", "no longer away in /who")
        a.send("/join d2-open")
        a.wait_line(r"you joined #d2-open")
        b.send("/join d2-open")
        b.wait_line(r"you joined #d2-open")
        a.saw(t, r"^\[#d2-open\] ben joined$", "a join is shown (no smart filter by default)")
        a.send("/quit see you tomorrow")
        b.saw(t, r"^\[#d2-open\] amy quit: see you tomorrow$",
              "others in a room see the quit message")
        b.saw(t, r"^\[#lobby\] amy quit: see you tomorrow$", start=0,
              name="the lobby sees a quit that has a message")
        t.eq(a.wait_exit(), 0, "/quit MESSAGE exits 0")
        b.send("/quit")
        t.eq(b.wait_exit(), 0, "/quit without a message exits 0")
    finally:
        a.stop()
        b.stop()


def test_ignore(t, hub, home):
    """/ignore hides a name's lines and keeps the list in the config file."""
    a, path = client(hub, "cat", home, config="# my settings\nclock = 24h\n")
    try:
        a.wait_line(r"^\[confab\] connected as cat")
        a.send("/ignore spammer")
        a.saw(t, r"^\[ignore\] ignoring spammer \(kept in .*config\)", "/ignore says where it is kept")
        with open(path) as fp:
            text = fp.read()
        t.eq(text, "# my settings\nclock = 24h\nignore = spammer\n",
             "the config file keeps its lines and gains the ignore list")
        with WsClient(hub.port) as s, WsClient(hub.port) as f:
            hello(s, "spammer")
            hello(f, "friend")
            s.request("say", room="lobby", text="buy now")
            f.request("say", room="lobby", text="hello cat")
            a.saw(t, r"^\[#lobby\] \[mention\] <friend> hello cat$",
                  "a mention is marked with a word a screen reader speaks")
            s.request("msg", to="cat", text="psst")
            f.request("msg", to="cat", text="ping")
            a.wait_line(r"^\[msg from friend\] ping$")
            t.ok(not any("spammer" in l and ("buy now" in l or "psst" in l) for l in a.lines()),
                 "nothing the ignored name says is shown", "\n".join(a.lines()))
        a.send("/ignore")
        a.saw(t, r"^\[ignore\] ignored: spammer$", "/ignore alone lists the list")
        a.send("/unignore nobody")
        a.saw(t, r"^\[error\] nobody is not ignored", "/unignore of a name not ignored says so")
        a.send("/quit")
        a.wait_exit()
    finally:
        a.stop()
    # a new run reads the list from the config file
    a, _ = client(hub, "cat", home, config=open(path).read())
    try:
        a.wait_line(r"^\[confab\] connected as cat")
        a.send("/ignore")
        a.saw(t, r"^\[ignore\] ignored: spammer$", "the ignore list is read back at start")
        a.send("/unignore spammer")
        a.saw(t, r"^\[ignore\] no longer ignoring spammer$", "/unignore")
        a.send("/quit")
        a.wait_exit()
        with open(path) as fp:
            t.ok("ignore" not in fp.read(), "/unignore of the last name removes the line")
    finally:
        a.stop()


def test_smart_filter(t, hub, home):
    """smart-filter = yes: joins are folded, and parts of people who did not speak."""
    a, _ = client(hub, "dee", home, config="smart-filter = yes\n")
    try:
        a.wait_line(r"^\[confab\] connected as dee")
        a.send("/join d2-users")
        a.wait_line(r"you joined #d2-users")
        with WsClient(hub.port) as talker, WsClient(hub.port) as lurker:
            hello(talker, "talker")
            hello(lurker, "lurker")
            for w in (talker, lurker):
                w.call("join", room="d2-users")
            talker.request("say", room="d2-users", text="hi all")
            a.wait_line(r"^\[#d2-users\] <talker> hi all$")
            lurker.call("part", room="d2-users")
            talker.call("part", room="d2-users")
            a.saw(t, r"^\[#d2-users\] talker left$", "the part of someone who spoke is shown")
        lines = a.lines()
        t.ok(not any("lurker" in l for l in lines), "the lurker's join and part are folded",
             "\n".join(lines))
        t.ok(not any("talker joined" in l for l in lines), "joins are folded", "\n".join(lines))
        a.send("/quit")
        a.wait_exit()
    finally:
        a.stop()


def test_logs(t, hub, home):
    """log-chat = yes: a file per room and per conversation, timestamped, sanitised."""
    a, _ = client(hub, "eve", home, config="log-chat = yes\n")
    try:
        a.wait_line(r"^\[confab\] connected as eve")
        with WsClient(hub.port) as f:
            hello(f, "fred")
            f.request("say", room="lobby", text="evil \x1b]0;title\x07 text")
            f.request("msg", to="eve", text="private hello")
            a.wait_line(r"^\[msg from fred\] private hello$")
        a.send("room line of mine")
        a.wait_line(r"^\[#lobby\] <eve> room line of mine$")
        a.send("/quit")
        a.wait_exit()
    finally:
        a.stop()
    logs = os.path.join(home, "state-eve", "confab", "logs", "127.0.0.1_%d" % hub.port)
    files = sorted(os.path.basename(p) for p in glob.glob(os.path.join(logs, "*")))
    t.eq(files, ["#lobby.log", "@fred.log"], "one log file per room and per conversation")
    lobby = open(os.path.join(logs, "#lobby.log"), encoding="utf-8").read().splitlines()
    t.ok(len(lobby) >= 2 and lobby[-1].endswith("<eve> room line of mine") and
         lobby[-2].endswith("<fred> evil ^[]0;title^G text"),
         "the room's log has its lines in order", lobby)
    t.ok(all(len(l) > 26 and l[4] == "-" and l[13] == ":" and l[20] == "+" for l in lobby),
         "each line starts with the date, time and offset", lobby)
    t.ok(all("\x1b" not in l and "\x07" not in l for l in lobby) and
         "^[]0;title^G" in lobby[-2], "logged text is sanitised", lobby)
    priv = open(os.path.join(logs, "@fred.log"), encoding="utf-8").read()
    t.ok(priv.rstrip().endswith("<fred> private hello"), "the conversation's log", priv)
    mode = os.stat(os.path.join(logs, "#lobby.log")).st_mode & 0o777
    t.eq(oct(mode), oct(0o600), "log files are private (0600)")


def test_find_and_errors(t, hub, home):
    """/find lists matches in plain mode; errors name what they are about."""
    a, _ = client(hub, "gus", home)
    try:
        a.wait_line(r"^\[confab\] connected as gus")
        for line in ("the first apple", "a banana", "another Apple pie"):
            a.send(line)
            a.wait_line(r"<gus> " + line + "$")
        a.send("/find apple")
        a.saw(t, r"^\[find #lobby\] \d\d:\d\d <gus> the first apple$", "/find lists a match")
        a.saw(t, r"^\[find #lobby\] \d\d:\d\d <gus> another Apple pie$", "matches ignore case")
        a.saw(t, r'^\[find\] 2 lines of #lobby contain "apple"$', "and says how many")
        a.send("/join nosuchroom-xyz")
        a.saw(t, r"^\[error\] no such room: #nosuchroom-xyz", "/join names the room it lacks")
        a.send("/msg nobody-here hi")
        a.saw(t, r"^\[error\] no such person here: nobody-here", "/msg names the person")
        a.send("/part nowhere")
        a.saw(t, r"^\[error\] .*#nowhere", "/part names the room")
        a.send("/timer pause")
        a.saw(t, r"^\[error\] /timer pause \(main\): ", "a refused /timer names the timer")
        a.send("/tz")
        a.saw(t, r"^\[tz\] times are shown in the conference's time zone, America/New_York",
              "/tz alone says which zone")
        a.send("/quit")
        a.wait_exit()
    finally:
        a.stop()


def main():
    t = TAP()
    need_binaries(t, "CONFAB", "CONFABD")
    home = tempfile.mkdtemp(prefix="confabtest-habits-")
    with Hub() as hub:
        t.run(test_away_quit_names, hub, home)
        t.run(test_ignore, hub, home)
        t.run(test_smart_filter, hub, home)
        t.run(test_logs, hub, home)
        t.run(test_find_and_errors, hub, home)
    t.done()


if __name__ == "__main__":
    main()
