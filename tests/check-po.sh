#!/bin/sh
# check-po.sh: the translations in po/ are complete for the current sources (TAP).
# The template is made afresh from the files in po/POTFILES.in with the keywords of
# po/Makevars, each language of po/LINGUAS is merged with it (as "make update-po" would),
# and for each language: no message is untranslated, none is fuzzy, msgfmt -c accepts it,
# and what is typed literally (/commands, --options, ws://, PLACEHOLDERS, numbers such as
# 5m or 3:30) is kept in every translation. Nothing is written outside a temporary
# directory, so that it runs from a read-only source tree (make distcheck).
top=${CONFAB_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
n=0

for tool in xgettext msgmerge msgfmt; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "1..0 # SKIP $tool not found (Debian: apt-get install gettext)"
		exit 0
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-po.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# One test point: result (0 = ok), name, then an optional file of diagnostics.
point() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		if [ -n "${3:-}" ] && [ -s "$3" ]; then
			sed 's/^/#   /' "$3"
		fi
	fi
}

# Lists the problems of a merged catalog, one per line: "untranslated<TAB>msgid",
# "fuzzy<TAB>msgid", "literal<TAB>msgid<TAB>token" (msgid shown as in the file, with
# "context|" in front when it has one). Obsolete (#~) entries are ignored.
problems() {
	awk '
	function unq(s) {
		sub(/^[ \t]*"/, "", s)
		sub(/"[ \t]*$/, "", s)
		return s
	}
	function reset() {
		fuzzy = 0; field = ""; ctx = ""; id = ""; hasid = 0; nstr = 0
		for (k in str) delete str[k]
	}
	# The literal tokens of an English msgid, as keys of toks[].
	function tokens(s,    t, w, pre) {
		for (k in toks) delete toks[k]
		gsub(/\\n/, " ", s)
		gsub(/\\"/, "\"", s)
		gsub(/%[0-9$.*#+ -]*[hlLqjzt]*[a-zA-Z%]/, " ", s)
		t = s
		while (match(t, /[a-z]+:\/\//)) {
			toks[substr(t, RSTART, RLENGTH)] = 1
			t = substr(t, RSTART + RLENGTH)
		}
		t = " " s
		while (match(t, /[ "(\[]\/[a-z]+/)) {
			toks[substr(t, RSTART + 1, RLENGTH - 1)] = 1
			t = substr(t, RSTART + RLENGTH)
		}
		t = " " s
		while (match(t, /[ "(\[|]--[a-z][a-z-]*/)) {
			toks[substr(t, RSTART + 1, RLENGTH - 1)] = 1
			t = substr(t, RSTART + RLENGTH)
		}
		t = s
		while (match(t, /[A-Za-z0-9_]+/)) {
			w = substr(t, RSTART, RLENGTH)
			pre = RSTART > 1 ? substr(t, RSTART - 1, 1) : ""
			t = substr(t, RSTART + RLENGTH)
			if (w ~ /^[A-Z][A-Z0-9_]+$/)
				toks[w] = 1
			else if (w ~ /^[0-9]/ && pre !~ /[A-Za-z]/)
				toks[w] = 1
		}
	}
	function flush(    i, name, tok, s) {
		if (!hasid)
			return
		name = (ctx != "" ? ctx "|" : "") id
		if (id == "") {
			if (fuzzy)
				print "fuzzy\t(the header entry)"
			return
		}
		if (fuzzy)
			print "fuzzy\t" name
		for (i = 0; i < nstr; i++) {
			if (str[i] == "") {
				print "untranslated\t" name
				return
			}
		}
		if (nstr == 0) {
			print "untranslated\t" name
			return
		}
		tokens(id)
		for (tok in toks) {
			for (i = 0; i < nstr; i++) {
				s = str[i]
				gsub(/\\n/, " ", s)
				gsub(/\\"/, "\"", s)
				if (index(s, tok) == 0) {
					print "literal\t" name "\t" tok
					break
				}
			}
		}
	}
	BEGIN { reset() }
	/^[ \t]*$/ { flush(); reset(); next }
	/^#~/ { next }
	/^#,/ { if ($0 ~ /[ ,]fuzzy([ ,]|$)/) fuzzy = 1; next }
	/^#/ { next }
	/^msgctxt / { field = "ctx"; ctx = unq(substr($0, 9)); next }
	/^msgid_plural / { field = "plural"; next }
	/^msgid / { field = "id"; hasid = 1; id = unq(substr($0, 7)); next }
	/^msgstr\[[0-9]+\] / {
		i = substr($0, 8) + 0
		field = "str"; cur = i; str[i] = unq(substr($0, index($0, "]") + 2))
		if (i + 1 > nstr) nstr = i + 1
		next
	}
	/^msgstr / { field = "str"; cur = 0; str[0] = unq(substr($0, 8)); nstr = 1; next }
	/^[ \t]*"/ {
		if (field == "ctx") ctx = ctx unq($0)
		else if (field == "id") id = id unq($0)
		else if (field == "str") str[cur] = str[cur] unq($0)
		next
	}
	END { flush() }
	' "$1"
}

# The template, as po/Makefile would make it.
opts=$(sed -n 's/^XGETTEXT_OPTIONS *= *//p' "$top/po/Makevars")
files=$(grep -v '^#' "$top/po/POTFILES.in" | grep -v '^[[:space:]]*$')
# shellcheck disable=SC2086
if (cd "$top" && xgettext --language=C --default-domain=confab --package-name=confab \
    $opts -o "$tmp/confab.pot" $files) 2>"$tmp/xgettext.err" && [ -s "$tmp/confab.pot" ]; then
	total=$(grep -c '^msgid ' "$tmp/confab.pot")
	point 0 "the template is made from po/POTFILES.in ($((total - 1)) messages)"
else
	point 1 "xgettext cannot make the template" "$tmp/xgettext.err"
	echo "1..$n"
	exit 0
fi

# Every po/*.po is in po/LINGUAS and every language there has its file.
langs=$(sed 's/#.*//' "$top/po/LINGUAS" | tr -s '[:space:]' '\n' | grep -v '^$')
: >"$tmp/linguas.err"
for f in "$top"/po/*.po; do
	[ -f "$f" ] || continue
	l=$(basename "$f" .po)
	printf '%s\n' "$langs" | grep -qx "$l" || echo "po/$l.po is not listed in po/LINGUAS" >>"$tmp/linguas.err"
done
for l in $langs; do
	[ -f "$top/po/$l.po" ] || echo "po/LINGUAS lists $l but po/$l.po is missing" >>"$tmp/linguas.err"
done
list=$(printf '%s\n' "$langs" | tr '\n' ' ' | sed 's/ *$//')
[ -s "$tmp/linguas.err" ]
point $((1 - $?)) "po/LINGUAS ($list) matches the po/*.po files" "$tmp/linguas.err"

for l in $langs; do
	[ -f "$top/po/$l.po" ] || continue
	if ! msgmerge --quiet -o "$tmp/$l.po" "$top/po/$l.po" "$tmp/confab.pot" 2>"$tmp/$l.merge"; then
		point 1 "$l: msgmerge fails" "$tmp/$l.merge"
		continue
	fi
	problems "$tmp/$l.po" >"$tmp/$l.problems"

	grep '^untranslated	' "$tmp/$l.problems" | cut -f2 | sed 's/^/msgid "/; s/$/"/' >"$tmp/$l.u"
	count=$(wc -l <"$tmp/$l.u" | tr -d ' ')
	if [ "$count" -eq 0 ]; then
		point 0 "$l: every message is translated"
	else
		point 1 "$l: $count message(s) not translated (update po/$l.po)" "$tmp/$l.u"
	fi

	grep '^fuzzy	' "$tmp/$l.problems" | cut -f2 | sed 's/^/msgid "/; s/$/"/' >"$tmp/$l.f"
	count=$(wc -l <"$tmp/$l.f" | tr -d ' ')
	if [ "$count" -eq 0 ]; then
		point 0 "$l: no message is fuzzy"
	else
		point 1 "$l: $count message(s) fuzzy (check and confirm them)" "$tmp/$l.f"
	fi

	# the file itself first (its line numbers are the ones to fix), then merged
	if msgfmt -c --check-format -o /dev/null "$top/po/$l.po" >"$tmp/$l.fmt" 2>&1; then
		msgfmt -c --check-format -o /dev/null "$tmp/$l.po" 2>&1 |
		    sed "s|$tmp/$l.po|po/$l.po merged with the new template|" >"$tmp/$l.fmt"
	fi
	[ -s "$tmp/$l.fmt" ]
	point $((1 - $?)) "$l: msgfmt -c --check-format accepts it" "$tmp/$l.fmt"

	grep '^literal	' "$tmp/$l.problems" | awk -F '\t' '{ printf "msgid \"%s\": the translation lacks %s\n", $2, $3 }' >"$tmp/$l.l"
	[ -s "$tmp/$l.l" ]
	point $((1 - $?)) "$l: /commands, --options, PLACEHOLDERS and numbers are kept as typed" \
	    "$tmp/$l.l"
done
echo "1..$n"
