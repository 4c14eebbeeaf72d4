#!/usr/bin/env python3
"""A hub that loses nothing: confabd --data-dir (SQLite) against kill -9. TAP.

* kill9: three raw clients say lines as fast as the hub answers while the hub is killed
  with SIGKILL; the hub restarted on the same data directory has every acknowledged line
  (checked with --export), keeps the epoch (a resume is exact, nothing "lost"), its timer
  runs to the same deadline, and its breakout and lineup are back.
* resume: plain clients across a kill -9: no "could not be recovered", the lines said
  meanwhile arrive once, and a line typed (and a /msg sent) while the hub was down is
  delivered once.
* names: a name is held across restarts; another client cannot take it.
* refusals: a locked, foreign, damaged or newer database stops confabd with a message that
  names the file; nothing is reset.
* export, retention and the log: --export writes text and JSON Lines; --retain-days
  deletes older chat (the old lines were said by a hub whose clock libfaketime set back);
  addresses are logged only with --log-addresses; without --data-dir the hub says it keeps
  nothing.
"""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time

from confabtest import TAP, Hub, PlainClient, WsClient, WsClosed, hello, need_binaries

FAKETIME = shutil.which("faketime")


def start(data, port=None, extra=(), env=None):
    """A hub on data (and port, to come back on the same address)."""
    args = ["--demo", "--data-dir", data] + list(extra)
    if port is not None:
        args = ["--listen", "127.0.0.1:%d" % port] + args
    return Hub(args, env=env)


def kill9(hub):
    """SIGKILL, as a crash would."""
    hub.proc.send_signal(signal.SIGKILL)
    hub.proc.wait()


def say_until_killed(ws, prefix, acked, stop_after):
    """Says lines until the link breaks; records (text, seq) of every acknowledged one."""
    i = 0
    try:
        while True:
            text = "%s %d" % (prefix, i)
            rep = ws.call("say", room="lobby", text=text, timeout=10)
            if rep.get("type") == "ok":
                acked.append((text, rep.get("seq")))
            i += 1
            if i == stop_after:
                return
    except (WsClosed, OSError, TimeoutError, ConnectionError):
        return


def exported(data, tmp):
    """The lobby's lines as --export writes them (JSON Lines): [(text, seq)]."""
    out = os.path.join(tmp, "export-%d" % time.monotonic_ns())
    p = subprocess.run([os.environ["CONFABD"], "--data-dir", data, "--export", out],
                       capture_output=True, timeout=60)
    if p.returncode != 0:
        raise RuntimeError("--export failed: %s" % p.stderr.decode())
    lines = []
    path = os.path.join(out, "lobby.jsonl")
    if os.path.exists(path):
        with open(path) as fp:
            for line in fp:
                ev = json.loads(line)
                if ev.get("type") == "chat":
                    lines.append((ev["text"], ev["seq"]))
    return lines, out


def test_kill9(t, tmp):
    """kill -9 during chat: every acknowledged line survives; state comes back."""
    data = os.path.join(tmp, "kill9")
    hub = start(data)
    port = hub.port
    try:
        fac = WsClient(port)
        w = hello(fac, "fac", token=hub.token)
        epoch = w["epoch"]
        t.eq(fac.call("timer.start", duration_ms=600000, label="talk").get("type"), "ok",
             "a timer runs")
        timer = fac.wait_type("timer")["timer"]
        t.eq(fac.call("room.create", room="hack", capacity=4).get("type"), "ok",
             "a breakout is open")
        t.eq(fac.call("lineup.add", title="Before the crash", speaker="Ann").get("type"),
             "ok", "the lineup has an item")
        clients = [WsClient(port) for _ in range(3)]
        for i, c in enumerate(clients):
            hello(c, "talker%d" % i)
        acked = [[] for _ in clients]
        # three attendees say lines as fast as the hub answers; SIGKILL in the middle
        threads = [threading.Thread(target=say_until_killed,
                                    args=(c, "load%d" % i, acked[i], 100000), daemon=True)
                   for i, c in enumerate(clients)]
        for th in threads:
            th.start()
        deadline = time.monotonic() + 30
        while sum(len(a) for a in acked) < 300 and time.monotonic() < deadline:
            time.sleep(0.02)  # a poll interval, not a wait for a result
        kill9(hub)
        for th in threads:
            th.join(30)
        n_acked = sum(len(a) for a in acked)
        t.ok(n_acked >= 300, "lines were acknowledged under load before the kill (%d)"
             % n_acked)
        for c in clients + [fac]:
            c.close()

        hub = start(data, port)
        lines, _ = exported_after(hub, data, tmp)
        seqs = {s for _, s in lines}
        texts = {x for x, _ in lines}
        missing = [(x, q) for a in acked for x, q in a if q not in seqs or x not in texts]
        t.eq(missing, [], "every acknowledged line is in the store after kill -9, with its "
             "seq (%d acknowledged, %d stored)" % (n_acked, len(seqs)))
        hub = start(data, port)
        again = WsClient(port)
        w2 = hello(again, "fac", token=hub.token)
        t.eq(w2.get("epoch"), epoch, "the epoch is kept: positions stay valid")
        timers = {x["scope"]: x for x in w2.get("timers", [])}
        t.eq((timers.get("main", {}).get("state"), timers.get("main", {}).get("deadline")),
             ("running", timer.get("deadline")), "the timer runs to the same deadline")
        t.ok(any(r["id"] == "hack" and r.get("capacity") == 4 for r in w2.get("rooms", [])),
             "the breakout is back")
        t.eq([i["title"] for i in w2.get("lineup", {}).get("items", [])][-1:],
             ["Before the crash"], "the lineup is back")
        again.close()
        hub.stop()
    finally:
        hub.kill()


def exported_after(hub, data, tmp):
    """Stops the hub cleanly and exports its lines."""
    hub.stop()
    return exported(data, tmp)


def test_resume(t, tmp):
    """Plain clients across kill -9: an exact resume, and what was typed meanwhile."""
    data = os.path.join(tmp, "resume")
    hub = start(data)
    port = hub.port
    a = PlainClient(port, "alice")
    b = PlainClient(port, "bob")
    try:
        a.wait_line(r"^\[confab\] connected as alice")
        b.wait_line(r"^\[confab\] connected as bob")
        a.send("before the crash")
        b.saw(t, r"^\[#lobby\] <alice> before the crash$", "bob hears alice")
        kill9(hub)
        b.saw(t, r"^\[confab\] (connection lost|the link broke|cannot connect)",
              "bob sees the link drop")
        b.send("typed while the hub was down")
        b.send("/msg alice a private word while the hub was down")
        hub = start(data, port)
        a.saw(t, r"^\[#lobby\] <bob> typed while the hub was down$",
              "the line typed while the hub was down arrives", timeout=60)
        a.saw(t, r"^\[msg from bob\] a private word while the hub was down$",
              "so does the private message", start=0, timeout=60)
        a.send("after the crash")
        b.saw(t, r"^\[#lobby\] <alice> after the crash$", "chat goes on", timeout=60)
        for c in (a, b):
            t.ok(not any("could not be recovered" in l for l in c.lines()),
                 "%s resumes exactly: nothing said to be lost" % c.name)
            t.eq(sum(1 for l in c.lines() if l.endswith("<alice> before the crash")), 1,
                 "%s shows the line from before the crash once" % c.name)
        t.eq(sum(1 for l in a.lines() if l.endswith("typed while the hub was down")), 1,
             "the offline line arrives once")
        for c in (a, b):
            c.send("/quit")
        for c in (a, b):
            t.eq(c.wait_exit(), 0, "%s exits 0" % c.name)
    finally:
        a.stop()
        b.stop()
        hub.kill()


def test_names(t, tmp):
    """A name is held across a restart: someone without its secret cannot take it."""
    data = os.path.join(tmp, "names")
    hub = start(data)
    port = hub.port
    try:
        with WsClient(port) as ws:
            w = hello(ws, "carla")
            t.ok(w.get("type") == "welcome" and len(w.get("secret", "")) >= 32,
                 "the first welcome issues a secret")
        hub.stop()
        hub = start(data, port)
        with WsClient(port) as ws:
            r = hello(ws, "carla", secret=False)
            t.eq((r.get("type"), r.get("code")), ("error", "name-taken"),
                 "after a restart the name is still held: refused without the secret")
        with WsClient(port) as ws:
            r = hello(ws, "Carla", secret="00" * 16)
            t.eq((r.get("type"), r.get("code")), ("error", "name-taken"),
                 "a wrong secret and another case: refused")
        with WsClient(port) as ws:
            r = hello(ws, "carla")
            t.eq(r.get("type"), "welcome", "the holder's secret takes it back")
            t.ok("secret" not in r, "and no new secret is issued")
        hub.stop()
    finally:
        hub.kill()


def confabd(*args, env=None):
    """confabd with args: (exit code, stderr), with a deadline (a FIFO must not hang it)."""
    p = subprocess.run([os.environ["CONFABD"], "--listen", "127.0.0.1:0"] + list(args),
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=30, env=env)
    return p.returncode, p.stderr.decode("utf-8", "replace")


def test_refusals(t, tmp):
    """Locked, foreign, damaged, newer: stopped with the file named, never reset."""
    data = os.path.join(tmp, "refusals")
    hub = start(data)
    try:
        code, err = confabd("--demo", "--data-dir", data)
        t.ok(code == 2 and "in use by another confabd" in err and data in err,
             "a second hub on the same directory is refused, naming it", err)
    finally:
        hub.stop()
    db = os.path.join(data, "confabd.db")
    before = os.path.getsize(db)
    con = sqlite3.connect(db)
    con.execute("PRAGMA user_version = 77")
    con.commit()
    con.close()
    code, err = confabd("--demo", "--data-dir", data)
    t.ok(code == 2 and "newer confabd" in err and db in err,
         "a database of a newer schema is refused, naming the file", err)
    con = sqlite3.connect(db)
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    # another program's database
    other = os.path.join(tmp, "foreign")
    os.makedirs(other)
    con = sqlite3.connect(os.path.join(other, "confabd.db"))
    con.execute("CREATE TABLE notes(x)")
    con.commit()
    con.close()
    code, err = confabd("--demo", "--data-dir", other)
    t.ok(code == 2 and "another program" in err, "another program's database is refused", err)
    # garbage where the database should be: refused, and left as it was
    junk = os.path.join(tmp, "junk")
    os.makedirs(junk)
    with open(os.path.join(junk, "confabd.db"), "wb") as fp:
        fp.write(b"this is not a database " * 100)
    code, err = confabd("--demo", "--data-dir", junk)
    t.ok(code == 2 and os.path.join(junk, "confabd.db") in err,
         "a file that is not a database is refused, naming it", err)
    t.eq(os.path.getsize(os.path.join(junk, "confabd.db")), 2300, "and it is not reset")
    t.ok(os.path.getsize(db) >= before, "the real database is still there")
    # locked by another program (the sqlite3 module holding a write transaction)
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("BEGIN EXCLUSIVE")
    code, err = confabd("--demo", "--data-dir", data)
    con.execute("ROLLBACK")
    con.close()
    t.ok(code == 2 and "locked" in err and db in err,
         "a database another program holds locked is refused, naming it", err)


def test_export_retention_log(t, tmp):
    """--export, --retain-days, addresses in the log, the no-data-dir warning."""
    data = os.path.join(tmp, "export")
    env = None
    if FAKETIME:
        env = dict(os.environ, FAKETIME="-10d", DONT_FAKE_MONOTONIC="1",
                   LD_PRELOAD=_libfaketime(),
                   ASAN_OPTIONS=(os.environ.get("ASAN_OPTIONS", "") +
                                 ":verify_asan_link_order=0").lstrip(":"))
    hub = start(data, env=env)
    try:
        with WsClient(hub.port) as ws:
            hello(ws, "olda")
            ws.call("say", room="lobby", text="said ten days ago")
            ws.call("say", room="lobby", text="also old, with \x1b]0;title\x07 an escape")
        hub.stop()
        hub = start(data, extra=["--log-addresses"])
        with WsClient(hub.port) as ws:
            hello(ws, "newa", token=hub.token)
            ws.call("say", room="lobby", text="said today")
            gone = ws.call("say", room="lobby", text="a line to delete").get("seq")
            ws.call("delete", room="lobby", line=gone)
        hub.stop()
        t.ok("127.0.0.1" in hub.log().replace("listening on ws://127.0.0.1", ""),
             "with --log-addresses, attendees' addresses are logged")
        lines, out = exported(data, tmp)
        texts = [x for x, _ in lines]
        t.ok("said today" in texts and "said ten days ago" in texts,
             "--export writes every room's chat as JSON Lines", texts)
        with open(os.path.join(out, "lobby.txt")) as fp:
            txt = fp.read()
        t.ok("<newa> said today" in txt and "\x1b" not in txt,
             "and as text, sanitised (no escape reaches a terminal)", txt)
        t.ok("a line to delete" not in txt and
             ("line %d was deleted by newa" % gone) in txt,
             "a deleted line is left out of the export, which says which line went", txt)
        t.eq(oct(os.stat(os.path.join(out, "lobby.txt")).st_mode & 0o777), "0o600",
             "the export is private")
        hub = start(data, extra=["--retain-days", "5"])
        with WsClient(hub.port) as ws:
            hello(ws, "newb")
            h = ws.call("history", room="lobby", limit=100)
            served = [e.get("text") for e in h.get("events", [])]
        hub.stop()
        t.ok("127.0.0.1" not in hub.log().replace("listening on ws://127.0.0.1", ""),
             "without --log-addresses, no attendee address is logged", hub.log())
        lines, _ = exported(data, tmp)
        texts = [x for x, _ in lines]
        if FAKETIME:
            t.ok("said ten days ago" not in texts and "said today" in texts,
                 "--retain-days 5 deleted the lines of ten days ago, kept today's", texts)
            t.ok("said ten days ago" not in served and "said today" in served and h.get("type") == "history",
                 "... and the running hub does not serve them from memory either", h)
        else:
            t.skip("--retain-days deletes old lines", "faketime is not installed (Debian: "
                   "faketime; ./setup installs it): no old lines to delete")
            t.skip("... and the running hub does not serve them", "faketime is not "
                   "installed")
    finally:
        hub.kill()
    plain = Hub(["--demo"])
    try:
        t.ok("keeps nothing across a restart" in plain.log(),
             "without --data-dir the hub says at start that it keeps nothing")
    finally:
        plain.stop()


def _libfaketime():
    """The path of libfaketime (Debian's), or ''."""
    for d in ("/usr/lib/x86_64-linux-gnu/faketime", "/usr/lib/aarch64-linux-gnu/faketime",
              "/usr/lib/faketime"):
        p = os.path.join(d, "libfaketime.so.1")
        if os.path.exists(p):
            return p
    return ""


def main():
    t = TAP()
    need_binaries(t, "CONFABD", "CONFAB")
    tmp = tempfile.mkdtemp(prefix="confabtest-store-")
    t.run(test_kill9, tmp)
    t.run(test_resume, tmp)
    t.run(test_names, tmp)
    t.run(test_refusals, tmp)
    t.run(test_export_retention_log, tmp)
    t.done()


if __name__ == "__main__":
    main()
