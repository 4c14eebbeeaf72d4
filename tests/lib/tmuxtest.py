"""tmuxtest: run a full-screen program inside a real tmux server for tests (stdlib only).

* have_tmux()   -- True when the tmux binary is installed.
* TmuxPane(cmd, cols=100, rows=30, env=None) -- starts a private tmux server
                   (`tmux -L <unique> -f /dev/null`) with one detached window of the given
                   size running cmd (a list of arguments); the pane stays after the program
                   exits (remain-on-exit), so its exit status can be read.
  send(*keys)      -- tmux key names ("Enter", "F2", "Up", "M-1", "C-n", "Escape").
  type(text)       -- literal text (no key names).
  screen(escapes=False, joined=False) -- the visible rows (`capture-pane -p`; with `-e`:
                   SGR attributes; with `-J`: a row the terminal wrapped joins the next).
  wait(pred, timeout, what, escapes=False) -- polls the screen until pred(text) is true;
                   returns the text or raises TimeoutError with the last screen.
  wait_text(regex, ...) -- wait() for a regex search; returns the match.
  rang()           -- True once the program has rung the terminal bell (tmux sets the
                   window's bell flag for a session no client is attached to; the flag
                   stays set).
  paste(text)      -- pastes text as a terminal would (bracketed when the program asked
                   for it with ESC [ ? 2004 h; newlines arrive as carriage returns).
  resize(cols, rows), info(fmt) (a `display-message -p` format), title(), dead(),
  exit_status() (recorded by a wrapping shell), kill() (the whole private server).

Nothing sleeps a fixed time: every wait polls with a deadline.
"""

import itertools
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import time

import anyday  # noqa: F401 - time.sleep under tests/any-day.sh
import reaper

DEFAULT_TIMEOUT = 20.0
_counter = itertools.count(1)


def have_tmux():
    """True when tmux is installed."""
    return shutil.which("tmux") is not None


class TmuxPane:
    """One program in one pane of a private tmux server."""

    def __init__(self, cmd, cols=100, rows=30, env=None, name="pane"):
        self.socket = "confabtest-%d-%d" % (os.getpid(), next(_counter))
        self.name = name
        self._tmpdir = tempfile.mkdtemp(prefix="confabtest-tmux-")
        # the program's state (the secrets of names it holds) stays in the test's directory
        envs = dict(LC_ALL="C.UTF-8", TERM="tmux-256color",
                    XDG_STATE_HOME=os.path.join(self._tmpdir, "state"))
        if env:
            envs.update(env)
        # The environment of the program: set explicitly (the tmux server has its own).
        parts = ["env"]
        for k, v in envs.items():
            if v is None:
                parts += ["-u", k]
        parts += ["%s=%s" % (k, v) for k, v in envs.items() if v is not None]
        # A shell records the exit status in a file: tmux learns it only once it has
        # reaped the process, which it may do late.
        self.status_path = os.path.join(self._tmpdir, "status")
        script = '"$@"; echo $? > %s' % shlex.quote(self.status_path)
        line = " ".join(shlex.quote(p) for p in ["sh", "-c", script, "sh"] + parts +
                        list(cmd))
        run_env = dict(os.environ)
        run_env["LC_ALL"] = "C.UTF-8"
        run_env.pop("TMUX", None)
        self._env = run_env
        reaper.track_tmux(self.socket)   # killed with the test, however it ends
        self._tmux("start-server", ";", "set-option", "-g", "remain-on-exit", "on", ";",
                   "set-option", "-g", "default-terminal", "tmux-256color", ";",
                   "new-session", "-d", "-x", str(cols), "-y", str(rows), "-s", "main", line)

    def _tmux(self, *args, check=True):
        """Runs one tmux command on the private server; returns its stdout."""
        p = subprocess.run(["tmux", "-u", "-L", self.socket, "-f", "/dev/null"] + list(args),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=self._env,
                           timeout=DEFAULT_TIMEOUT)
        if check and p.returncode != 0:
            raise RuntimeError("tmux %s failed: %s" % (" ".join(args),
                                                       p.stderr.decode("utf-8", "replace")))
        return p.stdout.decode("utf-8", "replace")

    def send(self, *keys):
        """Sends tmux key names."""
        self._tmux("send-keys", "-t", "main", *keys)

    def type(self, text):
        """Types text literally."""
        self._tmux("send-keys", "-t", "main", "-l", "--", text)

    def screen(self, escapes=False, joined=False):
        """The visible rows of the pane as one string; joined: rows that wrapped into the
        next one (the terminal's own line wrap) come back as one row."""
        args = ["capture-pane", "-p", "-t", "main"]
        if escapes:
            args.insert(2, "-e")
        if joined:
            args.insert(2, "-J")
        return self._tmux(*args)

    def wait(self, pred, timeout=DEFAULT_TIMEOUT, what="the screen", escapes=False):
        """Polls the screen until pred(text); returns the text, or raises TimeoutError."""
        deadline = time.monotonic() + timeout
        text = ""
        while True:
            text = self.screen(escapes)
            if pred(text):
                return text
            if time.monotonic() >= deadline:
                raise TimeoutError("%s: no %s in %.0fs; screen:\n%s"
                                   % (self.name, what, timeout, text))
            time.sleep(0.1)  # a poll interval, not a wait for a result

    def wait_text(self, regex, timeout=DEFAULT_TIMEOUT, escapes=False, flags=re.M):
        """Waits until regex matches the screen; returns the match."""
        pat = re.compile(regex, flags)
        text = self.wait(lambda t: pat.search(t) is not None, timeout, repr(regex), escapes)
        return pat.search(text)

    def rang(self):
        """True when the bell has rung in the window (monitor-bell is on by default)."""
        return self.info("#{window_bell_flag}") == "1"

    def paste(self, text):
        """Pastes text through a tmux buffer (paste-buffer -p: bracketed if asked for)."""
        self._tmux("set-buffer", "-b", "confabtest", "--", text)
        self._tmux("paste-buffer", "-p", "-d", "-b", "confabtest", "-t", "main")

    def resize(self, cols, rows):
        """Resizes the window (and so the pane)."""
        self._tmux("resize-window", "-t", "main", "-x", str(cols), "-y", str(rows))

    def info(self, fmt):
        """A display-message format evaluated for the pane."""
        return self._tmux("display-message", "-p", "-t", "main", fmt).rstrip("\n")

    def title(self):
        """The pane's title (what escape sequences could have set)."""
        return self.info("#{pane_title}")

    def dead(self):
        """True when the program has exited."""
        return self.info("#{pane_dead}") == "1"

    def exit_status(self, timeout=DEFAULT_TIMEOUT):
        """Waits for the program to exit; returns its status (128 + N: killed by signal N)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                with open(self.status_path) as fp:
                    text = fp.read().strip()
                if text:
                    return int(text)
            except OSError:
                pass
            if time.monotonic() >= deadline:
                raise TimeoutError("%s: the program did not exit; screen:\n%s"
                                   % (self.name, self.screen()))
            time.sleep(0.1)

    def kill(self):
        """Stops the private tmux server (and the program)."""
        self._tmux("kill-server", check=False)
        reaper.done_tmux(self.socket)
        shutil.rmtree(self._tmpdir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()
        return False
