"""redistest: a private redis-server for the tests of several hubs (stdlib only).

* redis_missing()  -- None when the tests can run, else why not (no redis-server, or a
                      confabd built without Redis): the tests skip with that reason.
* Redis(tmpdir)    -- starts redis-server on a free loopback port with its files in a
                      temporary directory, append-only with appendfsync always (every
                      acknowledged write is on disk before the answer), no RDB snapshots,
                      tracked by reaper so that it never outlives the test. url is
                      "redis://127.0.0.1:PORT"; kill() is SIGKILL, start() starts it
                      again on the same port and files, stop() ends it. A context manager.
* Redis.cmd(*args) -- one command over a socket (RESP), for checks; returns the reply.
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import reaper

DEADLINE = 20.0


def free_port():
    """A TCP port free on 127.0.0.1 now."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def redis_missing(confabd=None):
    """Why the Redis tests cannot run here, or None."""
    if shutil.which("redis-server") is None:
        return "redis-server is not installed (Debian: apt-get install redis-server)"
    confabd = confabd or os.environ.get("CONFABD")
    if confabd:
        try:
            out = subprocess.run([confabd, "--help"], stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, timeout=20,
                                 env=dict(os.environ, LANG="C", LC_ALL="C")).stdout
        except (OSError, subprocess.SubprocessError) as e:
            return "cannot run confabd: %s" % e
        if b"--redis" not in out:
            return "confabd was built without Redis (libhiredis-dev was missing)"
    return None


def _resp(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


class Redis:
    """A private redis-server."""

    def __init__(self, password=None):
        self.dir = tempfile.mkdtemp(prefix="confab-redis-")
        self.port = free_port()
        self.password = password
        self.proc = None
        self.url = "redis://127.0.0.1:%d" % self.port
        self.start()

    def start(self):
        """Starts redis-server (again) on its port and files; waits until it answers."""
        args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                "--dir", self.dir, "--appendonly", "yes", "--appendfsync", "always",
                "--save", "", "--daemonize", "no", "--protected-mode", "no",
                "--logfile", os.path.join(self.dir, "redis.log")]
        if self.password:
            args += ["--requirepass", self.password]
        self.proc = reaper.spawn(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            try:
                if self.cmd("PING") in (b"PONG", "PONG"):
                    return
            except (OSError, ValueError):
                pass
            if self.proc.poll() is not None:
                raise RuntimeError("redis-server exited: see %s/redis.log" % self.dir)
            time.sleep(0.05)
        raise RuntimeError("redis-server did not answer within %d s" % DEADLINE)

    def cmd(self, *args):
        """Sends one command; returns the decoded reply (bytes, int, list or None)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
            data = b""
            if self.password:
                data += _resp("AUTH", self.password)
            data += _resp(*args)
            s.sendall(data)
            f = s.makefile("rb")
            if self.password:
                self._read(f)
            return self._read(f)

    def _read(self, f):
        line = f.readline()
        if not line:
            raise OSError("connection closed")
        t, rest = line[:1], line[1:-2]
        if t == b"+":
            return rest.decode()
        if t == b"-":
            raise ValueError(rest.decode())
        if t == b":":
            return int(rest)
        if t == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = f.read(n + 2)
            return data[:-2]
        if t == b"*":
            n = int(rest)
            if n < 0:
                return None
            return [self._read(f) for _ in range(n)]
        raise ValueError("bad reply %r" % line)

    def kill(self):
        """SIGKILL: no shutdown save; what it acknowledged is in its append-only file."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=DEADLINE)
        if self.proc is not None:
            reaper.done(self.proc)
        self.proc = None

    def stop(self):
        """Ends it (SIGTERM, then SIGKILL) and removes its files."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=DEADLINE)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=DEADLINE)
        if self.proc is not None:
            reaper.done(self.proc)
        self.proc = None
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
