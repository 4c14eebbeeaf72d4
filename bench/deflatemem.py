#!/usr/bin/env python3
"""deflatemem.py: the hub's memory per connection with permessage-deflate off and on,
for several window/memLevel settings, and what each setting does to a cold join's bytes.

For each setting and each N in --sizes it starts a fresh hub (confabd --program
data/ptim2020.json, the setting passed as CONFABD_DEFLATE), reads VmRSS, connects N raw
clients (tests/lib/wsdeflate.py) that each say hello (compressed) and read their
welcome (compressed), then has one of them say one line in the lobby that all N
receive: every connection has inflated and deflated at least once ("idle but talked
to"). After 1 s of quiet it reads VmRSS again. KiB/conn = (RSS with N - RSS idle) / N.

Settings (name: CONFABD_DEFLATE, client offer):
  off         off      no offer
  lws-default 15,8     "permessage-deflate; client_max_window_bits" (a browser-like
                       offer: the hub must keep a 32 KiB window both ways)
  w15m8       15,8     "...; client_max_window_bits=15"
  w12m4       12,4     "...; client_max_window_bits=12"
  w10m4       10,4     "...; client_max_window_bits=10" (confab's offer)
  w10m1       10,1     "...; client_max_window_bits=10"
  w9m1         9,1     "...; client_max_window_bits=9"

Cold join bytes: the socket bytes the client read (101 answer + welcome frame) and
wrote (handshake + hello) for the first connection of each run.

Python 3 stdlib only. Usage: bench/deflatemem.py [--confabd PATH] [--sizes 200 500 1000]
[--settings off w10m4 ...]
"""

import argparse
import json
import os
import platform
import resource
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(TOP, "tests", "lib"))
import confabtest  # noqa: E402
from wsdeflate import DeflateClient  # noqa: E402

SETTINGS = {
    "off": ("off", None, 15),
    "lws-default": ("15,8", "permessage-deflate; client_max_window_bits", 15),
    "w15m8": ("15,8", "permessage-deflate; client_max_window_bits=15", 15),
    "w12m4": ("12,4", "permessage-deflate; client_max_window_bits=12", 12),
    "w10m4": ("10,4", "permessage-deflate; client_max_window_bits=10", 10),
    "w10m1": ("10,1", "permessage-deflate; client_max_window_bits=10", 10),
    "w9m1": ("9,1", "permessage-deflate; client_max_window_bits=9", 9),
}


def rss_kib(pid):
    """VmRSS of pid in KiB."""
    with open("/proc/%d/status" % pid) as fp:
        for line in fp:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def raise_fd_limit(cap=20000):
    """Raises the soft RLIMIT_NOFILE towards the hard limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard if hard != resource.RLIM_INFINITY else cap, cap)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


def run(confabd, setting, n):
    """One hub, n connections; returns a result dict."""
    env_val, offer, bits = SETTINGS[setting]
    prog = os.path.join(TOP, "data", "ptim2020.json")
    with confabtest.Hub(args=["--program", prog], binary=confabd,
                        env={"CONFABD_DEFLATE": env_val}) as hub:
        time.sleep(0.2)
        idle = rss_kib(hub.proc.pid)
        clients = []
        cold = None
        t0 = time.monotonic()
        for i in range(n):
            ws = DeflateClient(hub.port, offer=offer, client_bits=bits)
            w = confabtest.hello(ws, "u%d" % i)
            if w.get("type") != "welcome":
                raise RuntimeError("no welcome: %r" % w)
            if cold is None:
                cold = (ws.wire_rx, ws.wire_tx, ws.ws_rx, ws.deflate)
            clients.append(ws)
        connect_s = time.monotonic() - t0
        clients[0].call("say", room="lobby", text="hello everybody, this is a line "
                        "that every connection receives")
        got = 0
        for ws in clients:
            ws.wait_type("chat")
            got += 1
        time.sleep(1.0)
        rss = rss_kib(hub.proc.pid)
        alive = hub.alive()
        for ws in clients:
            ws.close()
    return {"setting": setting, "env": env_val, "n": n, "rss_idle": idle, "rss_n": rss,
            "kib_per_conn": (rss - idle) / n, "connect_s": connect_s, "chat_got": got,
            "cold_rx": cold[0], "cold_tx": cold[1], "welcome_payload": cold[2],
            "deflate": cold[3], "hub_alive": alive}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--confabd", default=os.environ.get("CONFABD",
                                                        os.path.join(TOP, "build", "confabd")))
    ap.add_argument("--sizes", type=int, nargs="+", default=[200, 500, 1000])
    ap.add_argument("--settings", nargs="+", default=list(SETTINGS))
    ap.add_argument("--json", help="also write the results as JSON lines here")
    a = ap.parse_args()
    raise_fd_limit()
    print("# %s, %s, python %s" % (platform.node(), platform.platform(),
                                   platform.python_version()))
    print("| setting | CONFABD_DEFLATE | N | RSS idle KiB | RSS N KiB | KiB/conn | "
          "deflate | cold join rx/tx bytes | welcome payload |")
    print("|---|---|---|---|---|---|---|---|---|")
    out = open(a.json, "w") if a.json else None
    for s in a.settings:
        for n in a.sizes:
            r = run(a.confabd, s, n)
            print("| %s | %s | %d | %d | %d | %.1f | %s | %d / %d | %d |" % (
                r["setting"], r["env"], n, r["rss_idle"], r["rss_n"], r["kib_per_conn"],
                "yes" if r["deflate"] else "no", r["cold_rx"], r["cold_tx"],
                r["welcome_payload"]), flush=True)
            if out:
                out.write(json.dumps(r) + "\n")
    if out:
        out.close()


if __name__ == "__main__":
    main()
