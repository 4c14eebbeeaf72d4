#!/bin/sh
# autogen.sh: regenerates the build system (autopoint, aclocal, autoconf, automake).
# Needs only Debian's autoconf, automake, autopoint and gettext; downloads nothing.
set -eu
cd "$(dirname "$0")"
autoreconf --install --force
