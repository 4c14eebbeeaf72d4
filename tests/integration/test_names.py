#!/usr/bin/env python3
"""Names belong to their holders: secrets, look-alikes, reserved names. TAP.

A name is held by whoever has the secret of its first welcome: another client cannot take
it, not even in a form that looks the same (case, width, compatibility forms, confusable
letters: Unicode TR39 skeletons through ICU); names with invisible characters or bidi
controls, and names that imitate confab's own prefixes, are refused. A private message to
a held name that is offline is delivered when its holder comes back, to the holder only.
"""

from confabtest import TAP, Hub, WsClient, hello, need_binaries

LOOKALIKES = [
    ("ALICE", "another case"),
    ("Alice", "a capital"),
    ("\uff41\uff4c\uff49\uff43\uff45", "fullwidth letters"),
    ("\u0430lice", "a Cyrillic a"),
    ("al\u0456ce", "a Cyrillic i"),
    ("\u0251lice", "a Latin alpha"),
    ("a\u217cice", "a roman numeral fifty for l"),
]

REFUSED = [
    ("al\u200bice", "a zero-width space"),
    ("al\u200dice", "a zero-width joiner"),
    ("\u202ealice", "a right-to-left override"),
    ("alice\u2066", "a bidi isolate"),
    ("al\u00adice", "a soft hyphen"),
    ("[timer", "confab's timer prefix"),
    ("system", "a reserved word"),
    ("confab", "the program's name"),
    ("CONFAB", "the program's name in capitals"),
    ("-alice", "leading punctuation"),
]


def test(t):
    with Hub(["--demo"]) as hub:
        with WsClient(hub.port) as ws:
            w = hello(ws, "alice")
            t.eq(w.get("type"), "welcome", "alice is welcomed")
            t.ok(isinstance(w.get("secret"), str) and len(w["secret"]) >= 32,
                 "the first welcome carries a secret for the name")
            secret = w.get("secret")
        for name, why in LOOKALIKES:
            with WsClient(hub.port) as ws:
                r = hello(ws, name, secret=False)
                t.eq((r.get("type"), r.get("code")), ("error", "name-taken"),
                     "a look-alike of a held name (%s) is refused" % why)
        for name, why in REFUSED:
            with WsClient(hub.port) as ws:
                r = hello(ws, name, secret=False)
                t.eq((r.get("type"), r.get("code")), ("error", "bad-name"),
                     "a name with %s is refused" % why)
        with WsClient(hub.port) as ws:
            r = hello(ws, "alice", secret=False)
            t.eq(r.get("code"), "name-taken", "alice without the secret is refused")
        with WsClient(hub.port) as ws:
            r = hello(ws, "alice", secret="0" * 32)
            t.eq(r.get("code"), "name-taken", "alice with a wrong secret is refused")
        with WsClient(hub.port) as ws:
            r = hello(ws, "alice", secret=secret)
            t.eq(r.get("type"), "welcome", "alice with her secret comes back")
            t.ok("secret" not in r, "... and is not sent a new secret")
            # bob holds his name, then leaves; a message to him waits for him
            with WsClient(hub.port) as b:
                t.eq(hello(b, "bob").get("type"), "welcome", "bob is welcomed")
            rep = ws.call("msg", to="bob", text="the slides are up")
            t.eq(rep.get("type"), "ok", "a private message to an offline held name is "
                 "accepted")
            rep = ws.call("msg", to="nobody-here", text="hello?")
            t.eq(rep.get("code"), "no-such-user", "a message to a name nobody holds is "
                 "refused")
        # a name whose look-alike key is ten times its length (ICU's skeleton of U+FDFA is
        # 18 letters): held, refused to others, given back to its holder
        long_key = "\ufdfa" * 10
        with WsClient(hub.port) as ws:
            w = hello(ws, long_key)
            t.eq(w.get("type"), "welcome", "a name with a long look-alike key is welcomed")
            lk_secret = w.get("secret")
        with WsClient(hub.port) as ws:
            r = hello(ws, long_key, secret=False)
            t.eq(r.get("code"), "name-taken", "... and held against others")
        with WsClient(hub.port) as ws:
            r = hello(ws, long_key, secret=lk_secret)
            t.eq(r.get("type"), "welcome", "... and given back to its holder")
        with WsClient(hub.port) as b:
            r = hello(b, "BOB", secret=False)
            t.eq(r.get("code"), "name-taken", "someone else as BOB gets nothing")
        with WsClient(hub.port) as b:
            hello(b, "bob")
            m = b.wait_type("privmsg", timeout=30)
            t.eq((m.get("from"), m.get("text")), ("alice", "the slides are up"),
                 "bob coming back gets the message sent while he was away")


def main():
    t = TAP()
    need_binaries(t, "CONFABD")
    t.run(test)
    t.done()


if __name__ == "__main__":
    main()
