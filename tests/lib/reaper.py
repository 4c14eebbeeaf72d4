"""reaper: no test leaves a process behind, however it ends (stdlib only).

A test that fails, raises, is interrupted or is killed with SIGKILL must not leave its hub,
its clients or its private tmux server running. The first call of track() starts a small
watchdog process (a new session, so a Ctrl-C of the test's group does not stop it first)
that holds the read end of a pipe; the test holds the only write end. The test writes one
line per process it starts ("+PID START") or ends ("-PID"), and per private tmux server
("+tmux SOCKET", "-tmux SOCKET"). When the pipe reaches end of file, which happens when
the test process ends in any way, the watchdog kills what is still listed and exits.

* spawn(cmd, **popen_kwargs) -- subprocess.Popen, tracked.
* track(proc) / done(proc)   -- list a Popen (or a pid) / take it off the list.
* track_tmux(socket) / done_tmux(socket) -- the same for a `tmux -L SOCKET` server.

The start time of each process (/proc/PID/stat) is recorded, so a pid reused by the
system after the process ended is never killed.
"""

import os
import signal
import subprocess
import sys
import threading

_lock = threading.Lock()
_pipe = None


def _start_time(pid):
    """The start time of pid (field 22 of /proc/PID/stat), or None."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[19]
    except OSError:
        return None


def _send(line):
    """Writes one line to the watchdog, starting it first if needed."""
    global _pipe
    with _lock:
        if _pipe is None:
            proc = subprocess.Popen([sys.executable, os.path.abspath(__file__)],
                                    stdin=subprocess.PIPE,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    start_new_session=True, close_fds=True)
            _pipe = proc.stdin
        try:
            _pipe.write((line + "\n").encode())
            _pipe.flush()
        except OSError:
            pass


def track(proc):
    """Lists a process (a Popen or a pid) to be killed if the test ends before done()."""
    pid = proc if isinstance(proc, int) else proc.pid
    st = _start_time(pid)
    if st is not None:
        _send("+%d %s" % (pid, st))
    return proc


def done(proc):
    """Takes a process off the list (it has ended, or the test ended it)."""
    pid = proc if isinstance(proc, int) else proc.pid
    _send("-%d" % pid)


def track_tmux(socket):
    """Lists a private tmux server (tmux -L socket) to be killed with the test."""
    _send("+tmux %s" % socket)


def done_tmux(socket):
    """Takes a tmux server off the list."""
    _send("-tmux %s" % socket)


def spawn(cmd, **kwargs):
    """subprocess.Popen(cmd, **kwargs), killed with the test if it is still running."""
    return track(subprocess.Popen(cmd, **kwargs))


def _watchdog():
    """The watchdog: reads the list from stdin; at its end kills what is left on it."""
    pids, socks = {}, set()
    for line in sys.stdin:
        parts = line.split()
        if len(parts) == 2 and parts[0] == "+tmux":
            socks.add(parts[1])
        elif len(parts) == 2 and parts[0] == "-tmux":
            socks.discard(parts[1])
        elif len(parts) == 2 and parts[0].startswith("+"):
            pids[int(parts[0][1:])] = parts[1]
        elif len(parts) == 1 and parts[0].startswith("-"):
            pids.pop(int(parts[0][1:]), None)
    for sock in socks:
        try:
            subprocess.run(["tmux", "-L", sock, "kill-server"], stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=20)
        except (OSError, subprocess.SubprocessError):
            pass
    for pid, st in pids.items():
        if _start_time(pid) == st:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


if __name__ == "__main__":
    _watchdog()
