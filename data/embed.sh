#!/bin/sh
# embed.sh NAME FILE: prints a C file that defines NAME[] (NUL-terminated) and NAME_len.
set -eu
name=$1
file=$2
printf '/* Generated from %s by embed.sh: do not edit. */\n#include <stddef.h>\n' "$(basename "$file")"
printf 'const char %s[] = {\n' "$name"
od -An -v -tx1 "$file" | sed -e 's/  */ /g' -e 's/^ //' -e '/^$/d' -e 's/\([0-9a-f][0-9a-f]\)/0x\1,/g'
printf '0x00 };\nconst size_t %s_len = sizeof(%s) - 1;\n' "$name" "$name"
