#!/bin/bash
# The layers the build enforces (docs/layout.md): for each line of
# tests/layers/includes, compiles `#include <HEADER>` with the include
# paths the Makefile gives FOLDER's objects (BUILD/layers.txt) and checks
# that a `may` header compiles and a `not` header is not found.
#
#   scripts/run-layer-check.sh BUILD RESULTS
. "$(dirname "$0")/results.sh"
results_args 2 "BUILD RESULTS" "$@"
BUILD=$1
RULES=tests/layers/includes
TABLE=$BUILD/layers.txt
CC=${CC:-cc}
results_begin layers "$2"

if [ ! -f "$TABLE" ]; then
	fail table "$TABLE is missing (make builds it)"
	results_end
	exit
fi
n=0
while read -r folder verdict header; do
	case $folder in '' | '#'*) continue ;; esac
	n=$((n + 1))
	name="$folder:$verdict:$header"
	name=${name//\//.}
	flags=$(awk -v f="$folder" '$1 == f { $1 = ""; print; exit }' "$TABLE")
	if ! grep -q "^$folder " "$TABLE"; then
		fail "$name" "no layer $folder in $TABLE"
		continue
	fi
	# shellcheck disable=SC2086 # the flags are words
	err=$(printf '#include <%s>\n' "$header" |
		"$CC" -std=c11 -D_GNU_SOURCE $flags -fsyntax-only -x c - 2>&1)
	rc=$?
	case $verdict in
	may)
		[ $rc -eq 0 ] && pass "$name" || fail "$name" "$folder may include $header: $err" ;;
	not)
		if [ $rc -eq 0 ]; then
			fail "$name" "$folder must not see $header, and does"
		elif grep -q "No such file" <<< "$err"; then
			pass "$name"
		else
			fail "$name" "failed for another reason: $err"
		fi ;;
	*)
		fail "$name" "$RULES: '$verdict' is not may or not" ;;
	esac
done < "$RULES"
[ $n -gt 0 ] || fail rules "no rules in $RULES"
results_end
