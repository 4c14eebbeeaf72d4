#!/usr/bin/env python3
"""No test leaves a process behind: a test process killed with SIGKILL in the middle of its
work (a hub, a plain client and a full-screen client in a private tmux server running)
takes them all with it (tests/lib/reaper.py)."""

import os
import signal
import subprocess
import sys
import time

from confabtest import TAP, need_binaries, srcdir
from tmuxtest import have_tmux

CHILD = r'''
import os, sys, time
sys.path.insert(0, %r)
from confabtest import Hub, PlainClient
from tmuxtest import TmuxPane, have_tmux
hub = Hub(["--demo"])
client = PlainClient(hub.port, "zed")
client.wait_line(r"^\[confab\] connected as zed")
pane = TmuxPane([os.environ["CONFAB"], "--name", "yan", hub.url]) if have_tmux() else None
if pane is not None:
    pane.wait_text(r"online")
print(hub.proc.pid, client.proc.pid, pane.socket if pane else "-", flush=True)
sys.stdin.read()   # until the test kills this process
'''


def alive(pid):
    """True while pid runs (a zombie counts as gone)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def tmux_alive(sock):
    """True while the private tmux server answers."""
    p = subprocess.run(["tmux", "-L", sock, "list-sessions"], stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=20)
    return p.returncode == 0


def wait_until(pred, timeout=20.0):
    """Polls pred until it is true or the deadline passes; returns its last value."""
    deadline = time.monotonic() + timeout
    while True:
        if pred():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)  # a poll interval, not a wait for a result


def killed_test_leaves_nothing(t):
    """SIGKILL a test in the middle: its hub, client and tmux server go too."""
    lib = os.path.join(srcdir(), "tests", "lib")
    proc = subprocess.Popen([sys.executable, "-c", CHILD % lib], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        line = proc.stdout.readline().decode().split()
        t.eq(len(line), 3, "the child test started a hub, a client and a tmux pane")
        if len(line) != 3:
            return
        hub, client, sock = int(line[0]), int(line[1]), line[2]
        t.ok(alive(hub) and alive(client), "the hub and the client run")
        if sock != "-":
            t.ok(tmux_alive(sock), "the private tmux server runs")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        t.ok(wait_until(lambda: not alive(hub)), "the hub is gone after the test was killed")
        t.ok(wait_until(lambda: not alive(client)), "the client is gone too")
        if sock != "-":
            t.ok(wait_until(lambda: not tmux_alive(sock)), "and the tmux server with its confab")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def main():
    t = TAP()
    need_binaries(t, "CONFABD", "CONFAB")
    if not have_tmux():
        t.diag("tmux is not installed: the tmux part is left out")
    t.run(killed_test_leaves_nothing)
    t.done()


if __name__ == "__main__":
    main()
