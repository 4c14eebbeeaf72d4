"""i18ntest: helpers for the tests of translated output (stdlib only).

* width(s)                    -- display columns (East Asian wide and full-width take two).
* installed_locales()         -- the locales `locale -a` lists, normalised ("ru_ru.utf8").
* compile_catalogs(t, top, localedir, langs) -- msgfmt po/LANG.po into
                                 localedir/LANG/LC_MESSAGES/confab.mo (a TAP point each);
                                 returns {lang: gettext catalog}.
* skip(t, name, why)          -- a skipped TAP point.
"""

import gettext
import os
import subprocess
import unicodedata


def width(s):
    """Display columns of s (East Asian wide and full-width characters take two)."""
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def installed_locales():
    """The locales `locale -a` lists, normalised like "ru_ru.utf8"."""
    try:
        out = subprocess.run(["locale", "-a"], capture_output=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {l.strip().lower().replace("utf-8", "utf8")
            for l in out.decode("utf-8", "replace").splitlines()}


def compile_catalogs(t, top, localedir, langs):
    """msgfmt po/LANG.po -> localedir/LANG/LC_MESSAGES/confab.mo; returns {lang: catalog}."""
    cats = {}
    for lang in langs:
        d = os.path.join(localedir, lang, "LC_MESSAGES")
        os.makedirs(d, exist_ok=True)
        mo = os.path.join(d, "confab.mo")
        p = subprocess.run(["msgfmt", "-c", "-o", mo, os.path.join(top, "po", lang + ".po")],
                           capture_output=True, timeout=60)
        if t.ok(p.returncode == 0, "msgfmt compiles po/%s.po" % lang,
                p.stderr.decode("utf-8", "replace")):
            with open(mo, "rb") as fp:
                cats[lang] = gettext.GNUTranslations(fp)
    return cats


def skip(t, name, why):
    """A skipped test point."""
    t.n += 1
    print("ok %d - %s # SKIP %s" % (t.n, name, why), flush=True)
