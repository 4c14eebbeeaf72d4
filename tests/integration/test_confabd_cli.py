#!/usr/bin/env python3
"""confabd's command line and program files: bad input gets a clear error and exit code 2;
a good program file is served. Prints TAP."""

import json
import os
import subprocess
import tempfile

from confabtest import Hub, TAP, WsClient, hello, need_binaries, srcdir


def run(binary, *args):
    """Runs confabd with args to completion (it must exit by itself); returns (code, stderr)."""
    p = subprocess.run([binary] + list(args), stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=20)
    return p.returncode, p.stderr.decode("utf-8", "replace") + p.stdout.decode("utf-8", "replace")


def write(tmp, name, text):
    path = os.path.join(tmp, name)
    with open(path, "w", encoding="utf-8") as fp:
        fp.write(text)
    return path


def main():
    t = TAP()
    (confabd,) = need_binaries(t, "CONFABD")
    tmp = tempfile.mkdtemp(prefix="confabd-cli-")

    code, out = run(confabd, "--help")
    t.ok(code == 0 and "--listen" in out and "--program" in out, "--help exits 0 and lists options")
    code, out = run(confabd, "--version")
    t.ok(code == 0 and "confabd" in out, "--version exits 0")

    bad_cli = [
        (["--frobnicate"], "an unknown option"),
        (["--listen", "127.0.0.1", "--demo"], "a --listen without a port"),
        (["--listen", "127.0.0.1:99999", "--demo"], "a port out of range"),
        ([], "neither --program nor --demo"),
        (["--demo", "--program", "x.json"], "both --program and --demo"),
        (["--demo", "--facilitator-token-file", os.path.join(tmp, "missing")], "a missing token file"),
    ]
    for args, what in bad_cli:
        code, out = run(confabd, *args)
        t.ok(code == 2 and out.strip() != "", "%s: exit 2 with a message (%d: %s)"
             % (what, code, out.strip().splitlines()[0] if out.strip() else ""))

    good = json.load(open(os.path.join(srcdir(), "data", "ptim2020.json"), encoding="utf-8"))
    broken = {
        "not JSON": "{ this is not json",
        "not an object": "[1, 2, 3]",
        "no title": json.dumps({k: v for k, v in good.items() if k != "title"}),
        "unknown time zone": json.dumps(dict(good, timezone="Mars/Olympus_Mons")),
        "end before start": json.dumps(dict(good, sessions=[dict(good["sessions"][0],
                                                               end="2020-10-12T09:00:00-04:00")])),
        "bad kind": json.dumps(dict(good, sessions=[dict(good["sessions"][0], kind="party")])),
        "duplicate session id": json.dumps(dict(good, sessions=[good["sessions"][0]] * 2)),
    }
    for what, text in broken.items():
        path = write(tmp, "bad.json", text)
        code, out = run(confabd, "--program", path)
        t.ok(code == 2 and path in out, "a program file with %s is refused, naming the file (%s)"
             % (what, out.strip().splitlines()[-1] if out.strip() else ""))
    code, out = run(confabd, "--program", os.path.join(tmp, "nonexistent.json"))
    t.ok(code == 2 and "nonexistent.json" in out, "a missing program file is refused")

    # A small valid program of our own is served as given (no shift without --demo).
    mine = {"title": "Test Conf", "timezone": "Europe/Berlin", "sessions": [
        {"id": "open", "title": "Opening", "kind": "talk",
         "start": "2030-05-01T09:00:00+02:00", "end": "2030-05-01T09:30:00+02:00",
         "speakers": ["Ana", "李雷"]},
        {"id": "talk-room", "title": "Hallway", "kind": "discussion",
         "start": "2030-05-01T10:00:00+02:00", "end": "2030-05-01T11:00:00+02:00"}]}
    path = write(tmp, "mine.json", json.dumps(mine, ensure_ascii=False))
    with Hub(["--program", path]) as hub:
        with WsClient(hub.port) as ws:
            w = hello(ws, "tester")
            prog = w.get("program", {})
            t.eq(prog.get("title"), "Test Conf", "the program file's title is served")
            t.eq([s["id"] for s in prog.get("sessions", [])], ["open", "talk-room"],
                 "its sessions are served in order")
            t.eq(prog["sessions"][0]["start"], 1903849200000, "times are UTC ms, unshifted")
            t.eq(prog["sessions"][0].get("speakers"), ["Ana", "李雷"], "speakers survive")
            t.ok(any(r["id"] == "talk-room" and r["kind"] == "discussion" for r in w["rooms"]),
                 "a discussion session gets its own room")
    t.done()


if __name__ == "__main__":
    main()
