#!/usr/bin/env python3
"""Nothing typed is lost and nothing happens silently (plain mode): with the hub out of
reach and nothing cached, every command answers, chat lines are shown as not sent, and
/quit (or the end of input) prints what was not sent so that it can be copied; a hub that
closes the link with a close frame is reported as closing it, with its reason and code
(1001 the hub shutting down: reconnect; 1008 removed by a facilitator: no reconnect),
distinct from a broken link. Uses the scriptable hostile hub. Prints TAP."""

import os
import socket
import tempfile

from confabtest import Hub, PlainClient, TAP, need_binaries
from hostilehub import HostileHub, welcome_fields


def free_port():
    """A loopback port nothing listens on (bound, then released)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def env_for(home):
    """Config and state of the test's own (no config file, no cached program)."""
    return {"XDG_CONFIG_HOME": os.path.join(home, "config"),
            "XDG_CACHE_HOME": os.path.join(home, "cache")}


def test_unreachable(t, home):
    """Every command answers; /quit prints the unsent lines."""
    port = free_port()
    c = PlainClient(port, "amy", env=env_for(home))
    try:
        c.saw(t, r"^\[confab\] cannot connect", "the failed attempt is said")
        c.send("/now")
        c.saw(t, r"^\[error\] not connected yet: the program has not arrived$",
              "/now answers without a hub or a cached program")
        c.send("/schedule")
        c.saw(t, r"^\[error\] not connected yet: the program has not arrived$", "so does /schedule")
        c.send("/rooms")
        c.saw(t, r"^\[error\] not connected yet: the list of rooms has not arrived$",
              "so does /rooms")
        c.send("/lineup")
        c.saw(t, r"^\[error\] not connected yet: the lineup has not arrived$", "so does /lineup")
        c.send("hello, is anyone there?")
        c.saw(t, r"^\[#lobby\] \(not sent yet\) <amy> hello, is anyone there\?$",
              "a chat line is shown as not sent yet")
        c.send("/join hack")
        c.saw(t, r"^\[confab\] not connected yet: /join hack will run once the hub answers$",
              "a command that needs the hub says it waits")
        c.send("/msg bob see you at the pitch")
        c.saw(t, r"^\[msg to bob\] \(not sent yet\) see you at the pitch$",
              "a private message too")
        c.send("/quit")
        c.saw(t, r"^\[confab\] 3 lines you typed were not sent \(the hub did not answer\); "
              r"here they are to copy:$", "/quit says lines were not sent")
        c.saw(t, r"^\[unsent\] #lobby: hello, is anyone there\?$", "the chat line, to copy")
        c.saw(t, r"^\[unsent\] /msg bob see you at the pitch$", "the private message, to copy")
        c.saw(t, r"^\[unsent\] /join hack$", "the command, to copy")
        t.eq(c.wait_exit(), 0, "and confab exits 0")
    finally:
        c.stop()


def test_unsent_at_eof(t, home):
    """A line typed while the hub never answers is printed at the end of input too."""
    port = free_port()
    c = PlainClient(port, "ben", env=env_for(home))
    try:
        c.wait_line(r"^\[confab\] cannot connect")
        c.send("lost words")
        c.wait_line(r"\(not sent yet\) <ben> lost words$")
        c.proc.stdin.close()
        c.saw(t, r"^\[unsent\] #lobby: lost words$", "the end of input prints it too")
        t.eq(c.wait_exit(), 0, "and exits 0")
    finally:
        c.stop()


def closing_script(code, reason):
    """A hostile-hub script: welcome, then a close frame with code and reason."""
    def script(conn):
        conn.reply("welcome", **welcome_fields(conn))
        conn.wait_for(lambda m: isinstance(m, dict) and m.get("type") == "ping", timeout=20)
        conn.close(code, reason)
        return False
    return script


def test_closed_by_hub(t, home):
    """1001 with a reason: the hub closed it, reconnecting; 1008: no reconnect; a cut
    without a close frame: the link broke."""
    with HostileHub(closing_script(1001, "the hub is shutting down")) as hub:
        c = PlainClient(hub.url, "cat", env=env_for(home))
        try:
            c.wait_line(r"^\[confab\] connected as cat")
            m = c.saw(t, r"^\[confab\] the hub closed the connection \(the hub is shutting "
                      r"down\); reconnecting in \d+ s$",
                      "a clean shutdown is said as the hub closing, with its reason")
            t.ok(m is not None and not any("the link broke" in l for l in c.lines()),
                 "and not as a broken link", c.lines())
            c.send("/quit")
            c.wait_exit()
        finally:
            c.stop()
    with HostileHub(closing_script(1008, "removed by a facilitator")) as hub:
        c = PlainClient(hub.url, "dee", env=env_for(home))
        try:
            c.wait_line(r"^\[confab\] connected as dee")
            c.saw(t, r"^\[confab\] the hub closed the connection \(removed by a facilitator\); "
                  r"not reconnecting: start confab again to come back$",
                  "a facilitator's removal is said, and not undone by reconnecting")
            c.send("/quit")
            t.eq(c.wait_exit(), 0, "/quit after a removal exits 0")
            t.eq(len(hub.conns), 1, "no second connection was made")
        finally:
            c.stop()

    def cut(conn):
        conn.reply("welcome", **welcome_fields(conn))
        conn.wait_for(lambda m: isinstance(m, dict) and m.get("type") == "ping", timeout=20)
        conn.sock.close()
        return False
    with HostileHub(cut) as hub:
        c = PlainClient(hub.url, "eve", env=env_for(home))
        try:
            c.wait_line(r"^\[confab\] connected as eve")
            c.saw(t, r"^\[confab\] connection lost \(the link broke\); reconnecting",
                  "a link cut without a close frame is a broken link")
            c.send("/quit")
            c.wait_exit()
        finally:
            c.stop()


def test_real_hub_shutdown(t, home):
    """A real confabd stopped by SIGTERM closes every link itself: confab says so."""
    hub = Hub()
    c = PlainClient(hub.port, "fay", env=env_for(home))
    try:
        c.wait_line(r"^\[confab\] connected as fay")
        hub.stop()
        c.saw(t, r"^\[confab\] the hub closed the connection \(the hub is shutting down\); "
              r"reconnecting in \d+ s$", "confabd's clean shutdown is said with its reason")
        c.send("/quit")
        c.wait_exit()
    finally:
        c.stop()
        hub.kill()


def main():
    t = TAP()
    need_binaries(t, "CONFAB", "CONFABD")
    home = tempfile.mkdtemp(prefix="confabtest-offline-")
    t.run(test_unreachable, home)
    t.run(test_unsent_at_eof, home)
    t.run(test_closed_by_hub, home)
    t.run(test_real_hub_shutdown, home)
    t.done()


if __name__ == "__main__":
    main()
