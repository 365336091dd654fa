#!/bin/sh
# check-abi.sh [--update] ABIDW ABIDIFF REFERENCE LIB HEADER...
#
# The ABI of libsluice.so.0 (LIB, built with debug information) against the
# committed dump REFERENCE (test/sdk/abi/libsluice.so.0.abi), with libabigail
# (Debian's abigail-tools), restricted to the types of the installed headers.
#   - an incompatible change (a function or variable removed, a public
#     type's size or layout changed, a parameter changed) fails, with
#     abidiff's report;
#   - a compatible change (a function added) passes, with the report and a
#     reminder to refresh the reference;
#   - --update writes REFERENCE from LIB (doc/abi.md says when).
set -eu
update=0
if [ "${1:-}" = --update ]; then update=1; shift; fi
abidw=$1 abidiff=$2 ref=$3 lib=$4
shift 4

t=$(mktemp -d /tmp/sl-abi-XXXXXX)
trap 'rm -rf "$t"' EXIT
mkdir "$t/include"
cp "$@" "$t/include/"
# No paths in the dump: it is the same from any build directory.
dw() { "$abidw" --headers-dir "$t/include" --drop-private-types --no-corpus-path \
	--no-comp-dir-path --out-file "$2" "$1"; }

if [ "$update" -eq 1 ]; then
	mkdir -p "$(dirname "$ref")"
	dw "$lib" "$ref"
	echo "wrote $ref from $lib"
	exit 0
fi
[ -f "$ref" ] || { echo "FAIL: no reference dump $ref: see doc/abi.md"; exit 1; }
if ! readelf -S "$lib" | grep -q '\.debug_info'; then
	echo "FAIL: $lib has no debug information: the type check would be empty"
	exit 1
fi
dw "$lib" "$t/current.abi"
rc=0
"$abidiff" --no-added-syms "$ref" "$t/current.abi" > "$t/report" 2>&1 || rc=$?
"$abidiff" "$ref" "$t/current.abi" > "$t/full" 2>&1 || true
if [ $((rc & 3)) -ne 0 ]; then
	echo "FAIL: abidiff could not compare (exit $rc):"; cat "$t/report"; exit 1
fi
if [ $((rc & 8)) -ne 0 ] || [ $((rc & 4)) -ne 0 ]; then
	# With added symbols left out, any change left is to what existed.
	echo "FAIL: the ABI of libsluice.so.0 changed incompatibly (abidiff exit $rc):"
	cat "$t/report"
	echo "Undo the change, or (deliberately, doc/abi.md) raise the ABI version."
	exit 1
fi
if grep -q 'Added' "$t/full"; then
	echo "note: compatible additions since the reference (refresh it: ninja -C BUILD abi-dump):"
	cat "$t/full"
fi
echo "ok: $(basename "$lib") keeps the ABI of $(basename "$ref")"
