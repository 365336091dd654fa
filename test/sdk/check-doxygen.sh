#!/bin/sh
# check-doxygen.sh DOXYGEN DOXYFILE.in VERSION OUTDIR HEADER...: build the API
# reference from the installed headers (a flat copy, as installed) with
# doc/Doxyfile.in; any warning (an undocumented public macro, type, member
# or function, a bad @param) fails, and is printed.
set -eu
doxygen=$1 doxyfile=$2 version=$3 out=$4
shift 4
rm -rf "$out"
mkdir -p "$out/include"
cp "$@" "$out/include/"
sed -e "s|@VERSION@|$version|" -e "s|@OUTPUT@|$out|g" -e "s|@INPUT@|$out/include|" \
	"$doxyfile" > "$out/Doxyfile"
status=0
"$doxygen" "$out/Doxyfile" > "$out/doxygen.log" 2>&1 || status=$?
if [ "$status" -ne 0 ] || [ -s "$out/warnings.txt" ]; then
	echo "FAIL: doxygen exit status $status, $(wc -l < "$out/warnings.txt" 2>/dev/null || echo ?) warning line(s):"
	sed "s|$out/include/||" "$out/warnings.txt" 2>/dev/null || cat "$out/doxygen.log"
	exit 1
fi
[ -f "$out/html/index.html" ] || { echo "FAIL: no html/index.html"; exit 1; }
echo "ok: API reference of $# headers in $out/html, no warning"
