#!/bin/sh
# check-exports.sh LIB HEADER...: libsluice.so exports exactly its API.
#
# Fails when the shared library
#  - has no soname libsluice.so.<N> (applications would record an
#    unversioned name and break silently on an incompatible upgrade), or
#  - exports a name that no installed header declares (an internal leaked
#    past lib/libsluice.map, e.g. a driver function named sl_*), or
#  - exports one of the internals the map hides (eal_*, e1000_*, ...).
set -eu
lib=$1
shift

fail=0
soname=$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
case "$soname" in
libsluice.so.[0-9]*) ;;
*) echo "FAIL: $lib has soname '$soname', expected libsluice.so.<ABI major>"; fail=1;;
esac

syms=$(nm -D --defined-only "$lib" | awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' | sort -u)
n=0
for s in $syms; do
	n=$((n + 1))
	case "$s" in
	sl_*) ;;
	*) echo "FAIL: $lib exports '$s', which is not sl_*: hide it (static, or lib/libsluice.map)"; fail=1; continue;;
	esac
	if ! grep -qw -- "$s" "$@"; then
		echo "FAIL: $lib exports '$s', which no installed header declares: make it static, or hide it (see drivers/net/common/sl_netif.h)"
		fail=1
	fi
done
[ "$n" -gt 100 ] || { echo "FAIL: only $n exported symbols in $lib: is the version script too strict?"; fail=1; }
[ "$fail" -eq 0 ] && echo "ok: $lib ($soname) exports $n symbols, all declared in the $# installed headers"
exit "$fail"
