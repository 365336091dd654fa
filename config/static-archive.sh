#!/bin/sh
# static-archive.sh LD AR IN.a OUT.a: turn the archive of libsluice's objects
# into an archive of ONE relocatable object (ld -r of all of them).
#
# Why: buses and PMDs register themselves from constructors, and nothing
# in an application refers to a driver's object, so a plain `-lsluice`
# against an archive of separate objects drops every bus and driver without
# a word (0 ports).  With one member, the first sl_* reference pulls the
# whole library in, constructors included: no --whole-archive needed.
set -eu
ld=$1 ar=$2 in=$3 out=$4
tmp="$out.o"
"$ld" -r --whole-archive "$in" -o "$tmp"
rm -f "$out"
"$ar" rcD "$out" "$tmp"
rm -f "$tmp"
