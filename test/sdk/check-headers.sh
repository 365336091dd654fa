#!/bin/sh
# check-headers.sh CC CXX MARCH HEADER...: every public header compiles on
# its own, as C (CC) and as C++ (CXX), with -Wall -Wextra -Werror.
#
# The headers are copied into one flat directory first, as `meson install`
# lays them out in <includedir>/sluice, so a header that includes one that
# is not installed (eal_private.h, a driver's own header) fails here too.
set -eu
cc=$1 cxx=$2 march=$3
shift 3

dir=$(mktemp -d /tmp/sl-headers-XXXXXX)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/sluice"
cp "$@" "$dir/sluice/"

fail=0
n=0
for h in "$@"; do
	b=$(basename "$h")
	n=$((n + 1))
	printf '#include <%s>\n' "$b" > "$dir/t.c"
	if ! $cc -x c -std=gnu11 "$march" -Wall -Wextra -Werror -fsyntax-only \
	    -I"$dir/sluice" "$dir/t.c" > "$dir/err" 2>&1; then
		echo "FAIL: $b does not compile alone as C ($cc):"; cat "$dir/err"; fail=1
	fi
	# C++11 is the oldest standard an application may use with us.
	for std in c++11 c++17; do
		if ! $cxx -x c++ -std=$std "$march" -Wall -Wextra -Werror -fsyntax-only \
		    -I"$dir/sluice" "$dir/t.c" > "$dir/err" 2>&1; then
			echo "FAIL: $b does not compile as C++ ($cxx -std=$std):"; cat "$dir/err"; fail=1
		fi
	done
done
[ "$fail" -eq 0 ] && echo "ok: $n headers compile alone as C ($cc) and as C++11/17 ($cxx)"
exit "$fail"
