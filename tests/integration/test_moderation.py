#!/usr/bin/env python3
"""Moderation and the code of conduct, as people use it: plain clients and a hub. TAP.

carol is a facilitator, bob and mallory attend. The hub shows a code of conduct on join
(--welcome-file). bob reports mallory's line (/report), carol sees it live and in
/reports, deletes it (/delete: gone from every screen and from history), mutes mallory
(/mute, /unmute), announces (/announce: once per person, marked), kicks mallory (/kick:
she can come back) and bans a troll (/ban: by the name's secret and by address, also
when the troll comes back under another name; /unban lifts both). Attendees cannot
moderate. The hub runs with --limit-loopback so that an address ban holds for 127.0.0.2
(the troll) while everyone else connects from 127.0.0.1.
"""

import os
import tempfile

from confabtest import (TAP, Hub, PlainClient, WsClient, WsClosed, hello, need_binaries,
                        quit_all)

NOTICE = "Code of conduct: be kind; no harassment.\nPrivacy: chat is kept for 30 days."


def test(t):
    tmp = tempfile.mkdtemp(prefix="confabtest-mod-")
    welcome = os.path.join(tmp, "welcome.txt")
    with open(welcome, "w") as fp:
        fp.write(NOTICE + "\n")
    with Hub(["--demo", "--welcome-file", welcome, "--limit-loopback", "--limit",
              "hellos=off"]) as hub:
        carol = PlainClient(hub.port, "carol", hub.facilitator_args())
        bob = PlainClient(hub.port, "bob")
        mallory = PlainClient(hub.port, "mallory")
        for c in (carol, bob, mallory):
            c.wait_line(r"^\[confab\] connected as ")
        bob.saw(t, r"^\[notice\] Code of conduct: be kind; no harassment\.$",
                "the code of conduct is shown on join", start=0)
        bob.saw(t, r"^\[notice\] Privacy: chat is kept for 30 days\.$",
                "... line by line, with the privacy notice", start=0)

        carol.send("/ids on")
        carol.saw(t, r"^\[confab\] chat lines now show their numbers", "/ids on")
        mallory.send("you are all idiots")
        m = carol.saw(t, r"^\[#lobby\] \((\d+)\) <mallory> you are all idiots$",
                      "with /ids, a facilitator sees the line's number")
        seq = int(m.group(1)) if m else 0
        bob.wait_line(r"<mallory> you are all idiots$")

        # an attendee cannot moderate
        bob.send("/delete %d" % seq)
        bob.saw(t, r"^\[error\] .*\(not-allowed\)$", "an attendee cannot /delete")
        bob.send("/mute mallory")
        bob.saw(t, r"^\[error\] .*\(not-allowed\)$", "an attendee cannot /mute")

        # report
        bob.send("/report %d insults everyone" % seq)
        bob.saw(t, r"^\[confab\] your report of line %d in #lobby reached the facilitators$"
                % seq, "/report is confirmed to the reporter")
        carol.saw(t, r"^\[report\] \d+: bob reported line %d of #lobby \(<mallory> you are "
                  r"all idiots\): insults everyone$" % seq,
                  "the report reaches the facilitator at once, with the line")
        t.ok(not any("reported" in ln for ln in mallory.lines()),
             "the reported person does not see the report")
        late = PlainClient(hub.port, "dave", hub.facilitator_args())
        late.wait_line(r"^\[confab\] connected as ")
        late.send("/reports")
        late.saw(t, r"^\[report\] \d+: bob reported line %d of #lobby .*: insults everyone$"
                 % seq, "a facilitator who comes later finds it in /reports")
        late.saw(t, r"^\[confab\] end of the reports kept$", "/reports says where it ends")

        # delete
        carol.send("/delete %d" % seq)
        bob.saw(t, r"^\[#lobby\] line %d was removed by carol$" % seq,
                "/delete: every screen is told the line is gone")
        with WsClient(hub.port) as ws:
            hello(ws, "auditor")
            h = ws.call("history", room="lobby", limit=100)
            texts = [e.get("text") for e in h.get("events", [])]
            t.ok("you are all idiots" not in texts and h.get("type") == "history",
                 "/delete: the line is gone from history", texts)
        with WsClient(hub.port) as ws:
            hello(ws, "pager", token=hub.token)
            s1 = ws.call("say", room="lobby", text="page one").get("seq")
            s2 = ws.call("say", room="lobby", text="page two").get("seq")
            ws.call("delete", room="lobby", line=s2)
            h = ws.call("history", room="lobby", before=s2 + 1, limit=1)
            t.eq([e.get("seq") for e in h.get("events", [])], [s1],
                 "history skips a deleted line: a page is never empty while older lines "
                 "are there")
        erin = PlainClient(hub.port, "erin")
        erin.wait_line(r"^\[confab\] connected as ")
        erin.send("/ids on")
        erin.wait_line(r"chat lines now show")
        t.ok(not any("you are all idiots" in ln for ln in erin.lines()),
             "/delete: a newcomer's backlog does not have it")

        # mute
        carol.send("/mute mallory 5 calm down")
        carol.saw(t, r"^\[confab\] mallory is muted for 5 minutes$", "/mute is confirmed")
        mallory.saw(t, r"^\[moderation\] you are muted by carol until \d\d:\d\d: calm down$",
                    "the muted person is told by whom, until when and why")
        start = len(mallory.lines())
        mallory.send("I will keep talking")
        mallory.saw(t, r"^\[error\] .*\(muted\)", "a muted person's line is refused",
                    start=start)
        start = len(mallory.lines())
        mallory.send("/msg bob psst")
        mallory.saw(t, r"^\[error\] .*\(muted\)", "... and so is a private message",
                    start=start)
        carol.send("/unmute mallory")
        carol.saw(t, r"^\[confab\] mallory may speak again$", "/unmute is confirmed")
        mallory.saw(t, r"^\[moderation\] carol lifted your mute$", "the person is told")
        mallory.send("sorry, everyone")
        bob.saw(t, r"^\[#lobby\] <mallory> sorry, everyone$", "after /unmute the line passes")
        leaked = [ln for ln in bob.lines() if "I will keep talking" in ln or "psst" in ln]
        t.eq(leaked, [], "nothing said while muted reached others")
        if leaked:
            t.diag("mallory: %s" % "\n".join(mallory.lines()))
            t.diag("bob: %s" % "\n".join(bob.lines()))

        # announce: once per person, though bob is in two rooms
        bob.send("/join d2-open")
        bob.wait_line(r"^\[#d2-open\]")
        start = len(bob.lines())
        carol.send("/announce Lunch break: back at the hour")
        bob.saw(t, r"^\[announcement\] carol: Lunch break: back at the hour$",
                "/announce reaches everyone, marked", start=start)
        mallory.saw(t, r"^\[announcement\] carol: Lunch break: back at the hour$",
                    "... every attendee")
        bob.send("/rooms")
        bob.wait_line(r"^\[rooms\]", start=start)
        n = sum(1 for ln in bob.lines()[start:] if ln.startswith("[announcement]"))
        t.eq(n, 1, "an announcement shows once, not once per room")

        # kick: gone, may come back
        carol.send("/kick mallory spamming")
        carol.saw(t, r"^\[confab\] mallory was removed from the event$", "/kick is confirmed")
        mallory.saw(t, r"you were removed by carol: spamming|removed from the event by carol",
                    "the kicked person is told by whom and why")
        t.eq(mallory.wait_exit(), 1, "the kicked client stops (exit 1), not reconnecting")
        back = PlainClient(hub.port, "mallory")
        back.saw(t, r"^\[confab\] connected as mallory ", "after a kick she can come back")
        back.send("/quit")
        back.wait_exit()

        # ban: by secret and by address, also under another name; unban lifts both
        troll = WsClient(hub.port, source="127.0.0.2")
        hello(troll, "troll")
        carol.send("/ban troll hate speech")
        carol.saw(t, r"^\[confab\] troll is banned from the event$", "/ban is confirmed")
        try:
            ev = troll.wait_type("moderation", timeout=30)
        except (WsClosed, TimeoutError):
            ev = {}
        t.eq((ev.get("action"), ev.get("by"), ev.get("reason")), ("ban", "carol",
             "hate speech"), "the banned person is told by whom and why")
        code = None
        try:
            troll.wait_for(lambda m: False, timeout=30)
        except WsClosed:
            code = troll.close_code
        except TimeoutError:
            pass
        t.eq(code, 1008, "the banned person's connection is closed (1008)")

        def try_hello(name, source, secret=True):
            try:
                with WsClient(hub.port, source=source, timeout=10) as ws:
                    r = hello(ws, name, secret=secret)
                    return r.get("type") if r.get("type") == "welcome" else r.get("code")
            except (RuntimeError, OSError, WsClosed, TimeoutError) as e:
                return "refused (%s)" % e.__class__.__name__
        got = try_hello("troll", "127.0.0.2")
        t.ok(got != "welcome", "the banned person cannot come back", got)
        got = try_hello("troll", "127.0.0.1")
        t.eq(got, "banned", "a banned name is refused from another address too")
        got = try_hello("troll2", "127.0.0.2")
        t.ok(got != "welcome", "the banned address cannot come back under another name",
             got)
        got = try_hello("frank", "127.0.0.1")
        t.eq(got, "welcome", "others are not affected by the ban")
        carol.send("/unban troll")
        carol.saw(t, r"^\[confab\] troll is no longer banned$", "/unban is confirmed")
        got = try_hello("troll", "127.0.0.2")
        t.eq(got, "welcome", "after /unban the name and the address are let in again")

        quit_all(t, (carol, bob, late, erin))


def main():
    t = TAP()
    need_binaries(t, "CONFABD", "CONFAB")
    t.run(test)
    t.done()


if __name__ == "__main__":
    main()
