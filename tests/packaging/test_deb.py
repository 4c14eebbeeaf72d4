#!/usr/bin/env python3
"""The Debian packages: built from the release tarball with dpkg-buildpackage, checked
with lintian, unpacked into a scratch root and run. Prints TAP; skipped with the reason
when dpkg-buildpackage (dpkg-dev, debhelper, fakeroot) is missing. Slow (a whole build):
run by `make check-deb` and `./setup --check --deb` (CI), not by `make check`.

Checks: `make dist` gives a tarball whose debian/ builds confab, confabd and
confab-common .debs with `dpkg-buildpackage -us -uc -b`; lintian finds no error; the
packages hold what they should (binaries, manual pages, translations, the demo program,
the units, /etc/default/confabd); unpacked with `dpkg -x` into a scratch root,
`confab --version` and `confabd --version` run, and confab speaks Russian from the
scratch root's translations; confabd.service runs as a dynamic user with its state in
/var/lib/confabd, reads /etc/default/confabd and has the hardening options; the units
pass `systemd-analyze verify`, and `systemd-analyze security` rates confabd.service's
exposure 2.0 or lower (where systemd-analyze is installed).
"""

import glob
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from confabtest import TAP  # noqa: E402

HARDENING = ("DynamicUser=yes", "StateDirectory=confabd", "ConfigurationDirectory=confabd",
             "EnvironmentFile=-/etc/default/confabd", "ProtectSystem=strict",
             "ProtectHome=yes", "PrivateTmp=yes", "NoNewPrivileges=yes",
             "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
             "SystemCallFilter=@system-service", "CapabilityBoundingSet=",
             "MemoryDenyWriteExecute=yes")


def run(cmd, cwd=None, env=None, timeout=1200):
    """Runs cmd; returns (exit code, output)."""
    p = subprocess.run(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def check_units(t, root, tmp):
    """systemd-analyze: the units verify (their programs pointed at the unpacked ones),
    and confabd.service's exposure is rated OK or better."""
    if shutil.which("systemd-analyze") is None:
        t.skip("the units", "systemd-analyze is not installed")
        return
    d = os.path.join(tmp, "units")
    os.makedirs(d)
    names = []
    for unit in ("confabd.service", "confabd-obfs4.service"):
        src = [p for p in (os.path.join(root, "lib/systemd/system", unit),
                           os.path.join(root, "usr/lib/systemd/system", unit))
               if os.path.exists(p)]
        if not src:
            t.ok(False, "%s is in the package" % unit)
            continue
        text = open(src[0]).read()
        text = text.replace("/usr/sbin/confabd", os.path.join(root, "usr/sbin/confabd"))
        text = text.replace("/usr/bin/obfs4proxy", shutil.which("true") or "/bin/true")
        with open(os.path.join(d, unit), "w") as fp:
            fp.write(text)
        names.append(os.path.join(d, unit))
    # the units' Documentation= names the unpacked manual pages
    env = dict(os.environ, MANPATH=os.path.join(root, "usr/share/man"))
    rc, out = run(["systemd-analyze", "verify"] + names, env=env, timeout=120)
    problems = [l for l in out.splitlines() if l.strip() and "Command 'man " not in l]
    t.ok(not problems and (rc == 0 or "Command 'man " in out),
         "systemd-analyze verify: the units are sound", out)
    rc, out = run(["systemd-analyze", "security", "--offline=yes",
                   os.path.join(d, "confabd.service")], timeout=120)
    m = re.search(r"Overall exposure level for confabd\.service: ([0-9.]+) (\S+)", out)
    t.ok(m and float(m.group(1)) <= 2.0, "systemd-analyze security: confabd.service "
         "exposure %s" % (m.group(1) + " " + m.group(2) if m else "?"), out[-2000:])


def main():
    t = TAP()
    missing = [p for p in ("dpkg-buildpackage", "dh", "fakeroot", "dpkg-deb")
               if shutil.which(p) is None]
    if missing:
        print("1..0 # SKIP %s not installed (Debian: apt install dpkg-dev debhelper "
              "fakeroot; ./setup --deb installs them)" % ", ".join(missing))
        return
    builddir = os.environ.get("CONFAB_BUILDDIR") or os.getcwd()
    tmp = tempfile.mkdtemp(prefix="confabtest-deb-")
    start = time.monotonic()
    rc, out = run(["make", "-C", builddir, "dist-gzip", "distdir=confab-deb-src"])
    t.eq(rc, 0, "make dist", )
    if rc != 0:
        t.diag(out[-3000:])
        t.done()
    tarball = os.path.join(builddir, "confab-deb-src.tar.gz")
    with tarfile.open(tarball) as tf:
        tf.extractall(tmp)
    os.unlink(tarball)
    src = os.path.join(tmp, "confab-deb-src")
    t.ok(os.path.isfile(os.path.join(src, "debian", "control")),
         "the tarball carries debian/")
    env = dict(os.environ)
    env.pop("MAKEFLAGS", None)
    env.pop("MFLAGS", None)
    env["DEB_BUILD_OPTIONS"] = "parallel=%d" % (os.cpu_count() or 2)
    rc, out = run(["dpkg-buildpackage", "-us", "-uc", "-b"], cwd=src, env=env)
    t.eq(rc, 0, "dpkg-buildpackage -us -uc -b")
    if rc != 0:
        t.diag(out[-6000:])
        t.done()
    t.diag("built in %.0f s" % (time.monotonic() - start))
    debs = {os.path.basename(d).split("_")[0]: d for d in glob.glob(os.path.join(tmp,
                                                                              "*.deb"))}
    debs = {k: v for k, v in debs.items() if not k.endswith("-dbgsym")}
    t.eq(sorted(debs), ["confab", "confab-common", "confabd"], "three packages (and debug symbols)")
    changes = glob.glob(os.path.join(tmp, "*.changes"))
    if shutil.which("lintian"):
        rc, out = run(["lintian", "--fail-on", "error", "--suppress-tags",
                       "bad-distribution-in-changes-file"] + changes)
        t.ok(rc == 0 and not re.search(r"^E: ", out, re.M), "lintian: no error", out)
        t.diag("lintian: %d warnings" % len(re.findall(r"^W: ", out, re.M)))
    else:
        t.skip("lintian", "lintian is not installed")
    contents = {}
    for name, deb in debs.items():
        rc, out = run(["dpkg-deb", "-c", deb])
        contents[name] = out
    want = {"confab": ["./usr/bin/confab", "./usr/share/man/man1/confab.1.gz"],
            "confabd": ["./usr/sbin/confabd", "./usr/share/man/man8/confabd.8.gz",
                        "./etc/default/confabd", "/lib/systemd/system/confabd.service",
                        "/lib/systemd/system/confabd-obfs4.service",
                        "./usr/share/doc/confabd/REACH.md"],
            "confab-common": ["./usr/share/locale/ru/LC_MESSAGES/confab.mo",
                              "./usr/share/locale/zh_CN/LC_MESSAGES/confab.mo",
                              "./usr/share/confab/ptim2020.json"]}
    for name, paths in want.items():
        for p in paths:
            t.ok(p in contents.get(name, ""), "%s holds %s" % (name, p.lstrip(".")))
    root = os.path.join(tmp, "root")
    for deb in debs.values():
        run(["dpkg", "-x", deb, root])
    rc, out = run([os.path.join(root, "usr/bin/confab"), "--version"])
    t.ok(rc == 0 and re.match(r"^confab \d+\.\d+\.\d+$", out.strip()),
         "the unpacked confab --version runs", out)
    rc, out = run([os.path.join(root, "usr/sbin/confabd"), "--version"])
    t.ok(rc == 0 and re.search(r"\d+\.\d+\.\d+", out), "the unpacked confabd --version runs",
         out)
    e = dict(os.environ, LANG="ru_RU.UTF-8", LC_ALL="ru_RU.UTF-8",
             CONFAB_LOCALEDIR=os.path.join(root, "usr/share/locale"))
    rc, out = run([os.path.join(root, "usr/bin/confab"), "--help"], env=e)
    if re.search(r"ru_RU", run(["locale", "-a"])[1], re.I):
        t.ok(re.search(r"[А-Яа-я]{4}", out), "confab --help speaks Russian from the "
             "package's translations", out[:300])
    else:
        t.skip("confab --help in Russian", "the ru_RU.UTF-8 locale is not installed")
    unit = ""
    for p in glob.glob(os.path.join(root, "lib/systemd/system/confabd.service")) + \
            glob.glob(os.path.join(root, "usr/lib/systemd/system/confabd.service")):
        unit = open(p).read()
    for line in HARDENING:
        t.ok(re.search(r"^%s$" % re.escape(line), unit, re.M), "confabd.service: %s" % line)
    check_units(t, root, tmp)
    default = open(os.path.join(root, "etc/default/confabd")).read() \
        if os.path.exists(os.path.join(root, "etc/default/confabd")) else ""
    t.ok(re.search(r'^CONFABD_OPTS="--listen 127\.0\.0\.1:7450 --demo --data-dir '
                   r'/var/lib/confabd"$', default, re.M),
         "/etc/default/confabd: the demo on loopback, its state in /var/lib/confabd",
         default)
    t.diag("packages built and checked in %.0f s" % (time.monotonic() - start))
    shutil.rmtree(tmp, ignore_errors=True)
    t.done()


if __name__ == "__main__":
    main()
