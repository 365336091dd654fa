#!/usr/bin/env bash
# Build Sluice's Debian packages with dpkg-buildpackage.
#
#   config/build-debs.sh [-o OUTDIR] [-j JOBS]
#
# The top-level layout is fixed, so the packaging lives in config/debian/:
# this script copies the source tree (the files git tracks plus untracked
# ones it does not ignore, so no build directory comes along) to
# OUTDIR/sluice-VERSION, puts config/debian there as debian/ and runs
# dpkg-buildpackage -b.  The .deb files land in OUTDIR (default
# ./debs); the copy is removed after a good build, kept after a bad one.
# Needs dpkg-dev, debhelper, dh-dkms and the build dependencies that
# config/debian/control lists (.ci/install-deps installs them all).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$PWD/debs
jobs=$(nproc)

die() { echo "build-debs: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
	case "$1" in
		-o) [ $# -ge 2 ] || die "-o needs a directory"; out=$2; shift 2;;
		-j) [ $# -ge 2 ] || die "-j needs a number of jobs"; jobs=$2; shift 2;;
		-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0;;
		*) die "unknown argument '$1' (use -o OUTDIR, -j JOBS or -h)";;
	esac
done
case "$jobs" in ''|*[!0-9]*|0) die "-j '$jobs' is not a positive number of jobs";; esac

for tool in dpkg-buildpackage dh dh_dkms; do
	command -v "$tool" >/dev/null ||
		die "$tool not found: apt-get install dpkg-dev debhelper dh-dkms (or run .ci/install-deps)"
done

# One version, in meson.build and in the changelog: a package whose version
# disagrees with the library it ships would mislead dpkg and DKMS alike.
version=$(sed -n "s/^  version: '\([^']*\)',$/\1/p" "$top/meson.build" | head -n 1)
[ -n "$version" ] || die "no version: '...' line found in $top/meson.build"
deb_version=$(dpkg-parsechangelog -l "$top/config/debian/changelog" -S Version)
[ "$deb_version" = "$version" ] ||
	die "config/debian/changelog is at $deb_version but meson.build at $version:" \
		"add a changelog entry for $version (dch -c config/debian/changelog -v $version)"

mkdir -p "$out"
out=$(cd "$out" && pwd)
src=$out/sluice-$version
rm -rf "$src"
mkdir -p "$src"

# The tree as git sees it (a file deleted but not yet committed is left
# out); without git (an unpacked tarball) everything but build directories.
if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git -C "$top" ls-files -z --cached --others --exclude-standard |
		(cd "$top" && xargs -0 sh -c 'for f; do if [ -e "$f" ]; then printf "%s\0" "$f"; fi; done' sh) |
		(cd "$top" && cpio -0 -pdm --quiet "$src")
else
	tar -C "$top" --exclude='./build*' --exclude=./debs -cf - . | tar -C "$src" -xf -
fi
rm -rf "$src/debian"
cp -a "$top/config/debian" "$src/debian"

echo "build-debs: building sluice $version in $src"
if ! (cd "$src" && DEB_BUILD_OPTIONS="parallel=$jobs ${DEB_BUILD_OPTIONS:-}" \
	dpkg-buildpackage -b -us -uc); then
	die "dpkg-buildpackage failed in $src (kept for a look; see above)"
fi
rm -rf "$src"
echo "build-debs: packages in $out:"
ls -1 "$out"/*_"$version"_*.deb
