#!/usr/bin/env python3
"""The documentation keeps up with the code. TAP.

* every option that `confab --help` and `confabd --help` list is described in their
  manual page (doc/confab.1, doc/confabd.8);
* every message type and every error code of the reference codec (src/proto/proto.c)
  is specified in doc/PROTOCOL.md, which must be enough to write a client from;
* both manual pages render without warnings (groff -ww), when groff is installed.
"""

import os
import re
import shutil
import subprocess

from confabtest import TAP, need_binaries, srcdir


def help_options(binary):
    """The long options a program's --help lists."""
    out = subprocess.run([binary, "--help"], capture_output=True, timeout=30,
                         env=dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="")).stdout.decode()
    return sorted(set(re.findall(r"(?<![\w-])--([a-z][a-z0-9-]+)", out)))


def c_names(text, table):
    """The strings of a C designated-initializer table `table` in text."""
    m = re.search(r"%s\[[^]]*\] = \{(.*?)\};" % re.escape(table), text, re.S)
    return re.findall(r'\] = "([^"]+)"', m.group(1)) if m else []


def main():
    t = TAP()
    confab, confabd = need_binaries(t, "CONFAB", "CONFABD")
    top = srcdir()
    for binary, page in ((confab, "doc/confab.1"), (confabd, "doc/confabd.8")):
        with open(os.path.join(top, page), encoding="utf-8") as fp:
            man = fp.read().replace("\\-", "-")
        opts = help_options(binary)
        t.ok(len(opts) > 5, "%s --help lists its options" % os.path.basename(binary), opts)
        missing = [o for o in opts if "--" + o not in man]
        t.eq(missing, [], "%s describes every option of %s --help" %
             (page, os.path.basename(binary)))
    with open(os.path.join(top, "src/proto/proto.c"), encoding="utf-8") as fp:
        codec = fp.read()
    with open(os.path.join(top, "doc/PROTOCOL.md"), encoding="utf-8") as fp:
        spec = fp.read()
    types = [n for n in c_names(codec, "proto_type_names") if n != "?"]
    t.ok(len(types) > 30, "the codec's message types are found", types)
    t.eq([n for n in types if "`%s`" % n not in spec], [],
         "doc/PROTOCOL.md specifies every message type of the codec")
    errors = [e for e in c_names(codec, "proto_err_names") if e != "none"]
    t.ok(len(errors) > 15, "the codec's error codes are found", errors)
    section = spec[spec.find("## 9."):spec.find("## 10.")]
    t.eq([e for e in errors if "`%s`" % e not in section], [],
         "doc/PROTOCOL.md section 9 lists every error code")
    groff = shutil.which("groff")
    for page in ("doc/confab.1", "doc/confabd.8"):
        if not groff:
            t.skip("%s renders without warnings" % page, "groff is not installed")
            continue
        p = subprocess.run([groff, "-man", "-Tutf8", "-ww", os.path.join(top, page)],
                           capture_output=True, timeout=60)
        t.ok(p.returncode == 0 and not p.stderr, "%s renders without warnings" % page,
             p.stderr.decode()[-500:])
    t.done()


if __name__ == "__main__":
    main()
