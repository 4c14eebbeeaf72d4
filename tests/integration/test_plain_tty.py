#!/usr/bin/env python3
"""Plain mode on a terminal (stdin and stdout a pseudo-terminal): a line that arrives
while one is half typed is written above it, and the typed text is written again below
it, with carriage return and erase-line only (no other escape sequence); Backspace and
Ctrl-U edit it; Enter sends it. plain-redraw = no, and a pipe, give no escape sequence
at all. Prints TAP."""

import os
import pty
import re
import select
import struct
import subprocess
import tempfile
import time
import fcntl
import termios

import reaper
from confabtest import DEFAULT_TIMEOUT, Hub, TAP, WsClient, hello, need_binaries

ERASE = b"\r\x1b[K"


class TtyClient:
    """confab --plain with stdin and stdout on one pseudo-terminal; out is every byte."""

    def __init__(self, port, name, home, config=""):
        cfg = os.path.join(home, "config-" + name)
        os.makedirs(os.path.join(cfg, "confab"), exist_ok=True)
        with open(os.path.join(cfg, "confab", "config"), "w") as fp:
            fp.write(config)
        env = dict(os.environ, LC_ALL="C.UTF-8", XDG_CONFIG_HOME=cfg,
                   XDG_CACHE_HOME=os.path.join(home, "cache-" + name),
                   XDG_STATE_HOME=os.path.join(home, "state-" + name))
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.proc = reaper.spawn([os.environ["CONFAB"], "--plain", "--name", name,
                                  "ws://127.0.0.1:%d" % port], stdin=slave, stdout=slave,
                                 stderr=subprocess.DEVNULL, env=env)
        os.close(slave)
        self.out = b""

    def read_until(self, pred, timeout=DEFAULT_TIMEOUT):
        """Reads until pred(out) is true; returns out or raises TimeoutError."""
        deadline = time.monotonic() + timeout
        while not pred(self.out):
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no match in %.0fs; got %r" % (timeout, self.out[-600:]))
            r, _, _ = select.select([self.master], [], [], min(left, 0.5))
            if r:
                try:
                    data = os.read(self.master, 65536)
                except OSError:
                    data = b""
                if not data:
                    raise TimeoutError("the terminal closed; got %r" % self.out[-600:])
                self.out += data
        return self.out

    def type(self, data):
        """Types bytes on the terminal."""
        os.write(self.master, data)

    def close(self):
        """Ends the client (Ctrl-D on an empty line, then a signal) and the terminal."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(DEFAULT_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        reaper.done(self.proc)
        os.close(self.master)


def escapes(data):
    """Every escape sequence in data."""
    return re.findall(rb"\x1b\[[0-9;?]*[A-Za-z]", data)


def test_redraw(t, hub, home):
    """A line arriving mid-typing goes above the typed text, which is written again."""
    c = TtyClient(hub.port, "amy", home)
    try:
        c.read_until(lambda o: b"connected as amy" in o)
        c.type(b"half a li")
        c.read_until(lambda o: o.endswith(b"half a li"))
        t.ok(True, "typed text is echoed")
        mark = len(c.out)
        with WsClient(hub.port) as w:
            hello(w, "bob")
            w.request("say", room="lobby", text="interrupting line")
            c.read_until(lambda o: b"interrupting line" in o[mark:] and
                         o.endswith(b"half a li"))
        chunk = c.out[mark:]
        t.ok(chunk.startswith(ERASE + b"[#lobby] <bob> interrupting line"),
             "the typed row is erased first (carriage return, erase-line)", chunk)
        t.ok(chunk.endswith(b"\r\n" + b"half a li") or chunk.endswith(b"\n" + b"half a li"),
             "the typed text is written again on its own line below", chunk)
        t.eq(set(escapes(c.out)), {b"\x1b[K"}, "no escape sequence but erase-line is used")
        mark = len(c.out)
        c.type(b"\x7f\x7f\x7f\x7fword\r")
        c.read_until(lambda o: b"<amy> half word" in o[mark:])
        t.ok(True, "Backspace edits the line and Enter sends it")
        mark = len(c.out)
        c.type(b"throw away\x15/who\r")
        c.read_until(lambda o: b"[who #lobby]" in o[mark:])
        t.ok(b"throw away/who" not in c.out, "Ctrl-U clears the line", c.out[mark:])
        c.type(b"/quit\r")
        t.eq(c.proc.wait(DEFAULT_TIMEOUT), 0, "/quit exits 0 and gives the terminal back")
    finally:
        c.close()


def test_no_redraw(t, hub, home):
    """plain-redraw = no: the terminal echoes, confab writes no escape sequence; a mention
    rings the bell (mention-bell = yes, the default)."""
    c = TtyClient(hub.port, "ben", home, config="plain-redraw = no\n")
    try:
        c.read_until(lambda o: b"connected as ben" in o)
        c.type(b"typed\n")
        c.read_until(lambda o: b"<ben> typed" in o)
        with WsClient(hub.port) as w:
            hello(w, "cat")
            w.request("say", room="lobby", text="from cat")
            c.read_until(lambda o: b"<cat> from cat" in o)
            t.ok(b"\x07" not in c.out, "a line that does not mention ben does not ring")
            w.request("say", room="lobby", text="Ben: are you there?")
            c.read_until(lambda o: b"<cat> Ben: are you there?" in o)
        t.ok(b"\x07[#lobby] [mention] <cat> Ben: are you there?" in c.out,
             "a mention rings the bell on a terminal and says [mention]", c.out[-200:])
        t.eq(escapes(c.out), [], "plain-redraw = no writes no escape sequence")
        c.type(b"/quit\n")
        c.proc.wait(DEFAULT_TIMEOUT)
    finally:
        c.close()


def test_pipe(t, hub, home):
    """In a pipe nothing but lines comes out."""
    env = dict(os.environ, LC_ALL="C.UTF-8", XDG_CONFIG_HOME=os.path.join(home, "none"),
               XDG_STATE_HOME=os.path.join(home, "state-pipe"))
    p = reaper.spawn([os.environ["CONFAB"], "--plain", "--name", "dee",
                      "ws://127.0.0.1:%d" % hub.port], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    try:
        out, _ = p.communicate(b"piped line\n/who\n/quit\n", timeout=DEFAULT_TIMEOUT)
    finally:
        reaper.done(p)
    t.ok(b"<dee> piped line" in out and b"\x1b" not in out and b"\r" not in out,
         "a pipe gets lines and no control at all", out)


def main():
    t = TAP()
    need_binaries(t, "CONFAB", "CONFABD")
    home = tempfile.mkdtemp(prefix="confabtest-tty-")
    with Hub() as hub:
        t.run(test_redraw, hub, home)
        t.run(test_no_redraw, hub, home)
        t.run(test_pipe, hub, home)
    t.done()


if __name__ == "__main__":
    main()
