"""ptserver: a pluggable transport server in front of a hub, for confab's tests (stdlib).

Obfs4Server(hub_port) runs Debian's obfs4proxy as a managed server transport (Pluggable
Transport specification, version 1), as doc/REACH.md tells hub operators to:

    TOR_PT_MANAGED_TRANSPORT_VER=1  TOR_PT_SERVER_TRANSPORTS=obfs4
    TOR_PT_SERVER_BINDADDR=obfs4-127.0.0.1:0   (a free port on loopback)
    TOR_PT_ORPORT=127.0.0.1:HUB_PORT           (confabd)
    TOR_PT_STATE_LOCATION=DIR  TOR_PT_EXIT_ON_STDIN_CLOSE=1

and reads its SMETHOD line: .port (where it listens), .args ({"cert": ..., "iat-mode":
...}), .bridge_line(addr, port) (what an attendee pastes after --bridge), .state_dir.
The process is tracked by tests/lib/reaper.py; stop() closes its standard input (the
spec's way to stop it) and waits. have_obfs4proxy() tells whether it is installed.
"""

import os
import re
import shutil
import subprocess
import tempfile
import threading
import time

import reaper


def have_obfs4proxy():
    """The path of obfs4proxy, or None."""
    return shutil.which("obfs4proxy")


class Obfs4Server:
    """obfs4proxy as a managed server in front of 127.0.0.1:hub_port."""

    def __init__(self, hub_port, state_dir=None, timeout=20.0, iat_mode=None):
        self.state_dir = state_dir or tempfile.mkdtemp(prefix="confabtest-obfs4-")
        env = dict(os.environ)
        env.update({
            "TOR_PT_MANAGED_TRANSPORT_VER": "1",
            "TOR_PT_SERVER_TRANSPORTS": "obfs4",
            "TOR_PT_SERVER_BINDADDR": "obfs4-127.0.0.1:0",
            "TOR_PT_ORPORT": "127.0.0.1:%d" % hub_port,
            "TOR_PT_STATE_LOCATION": self.state_dir,
            "TOR_PT_EXIT_ON_STDIN_CLOSE": "1",
        })
        if iat_mode is not None:
            env["TOR_PT_SERVER_TRANSPORT_OPTIONS"] = "obfs4:iat-mode=%d" % iat_mode
        self.lines = []
        self._cond = threading.Condition()
        self.proc = reaper.spawn([have_obfs4proxy() or "obfs4proxy"], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        threading.Thread(target=self._read, daemon=True).start()
        m = self.wait_line(r"^SMETHOD obfs4 127\.0\.0\.1:(\d+) ARGS:(.*)$", timeout)
        self.port = int(m.group(1))
        self.args = {}
        for kv in re.split(r"(?<!\\),", m.group(2)):
            k, _, v = kv.partition("=")
            self.args[k] = v.replace("\\,", ",").replace("\\=", "=")
        self.wait_line(r"^SMETHODS DONE$", timeout)

    def _read(self):
        for raw in iter(self.proc.stdout.readline, b""):
            with self._cond:
                self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
                self._cond.notify_all()
        with self._cond:
            self.lines.append(None)
            self._cond.notify_all()

    def wait_line(self, regex, timeout=20.0):
        """Waits for a line of its standard output matching regex; returns the match."""
        pat = re.compile(regex)
        deadline = time.monotonic() + timeout
        i = 0
        with self._cond:
            while True:
                while i < len(self.lines):
                    line = self.lines[i]
                    i += 1
                    if line is None:
                        raise RuntimeError("obfs4proxy ended; it said: %r" % self.lines)
                    m = pat.search(line)
                    if m:
                        return m
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("obfs4proxy did not say %r: %r" % (regex, self.lines))
                self._cond.wait(min(left, 0.5))

    def bridge_line(self, host="127.0.0.1", port=None):
        """The bridge line an attendee pastes: ADDRESS:PORT cert=... iat-mode=N."""
        return "%s:%d cert=%s iat-mode=%s" % (host, port or self.port, self.args["cert"],
                                              self.args.get("iat-mode", "0"))

    def stop(self, timeout=10.0):
        """Closes its standard input (TOR_PT_EXIT_ON_STDIN_CLOSE), waits, kills if need be."""
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        reaper.done(self.proc)
        return self.proc.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False
