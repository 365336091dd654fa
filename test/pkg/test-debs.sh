#!/bin/bash
# test-debs.sh WORKDIR: the Debian packages, end to end (meson test 'debs',
# suite 'pkg').
#
#  1. config/build-debs.sh builds libsluice0, libsluice-dev, sluice-tools and
#     sluice-dkms from this tree with dpkg-buildpackage (into WORKDIR/debs);
#  2. they are installed with apt-get in a throwaway copy of a clean Debian
#     12 chroot (test/debian-chroot --fresh bookworm; the minbase chroot
#     itself is made once and cached under /var/cache/sluice/chroots), where
#     in-chroot.sh checks that the files land, that DKMS builds sluice.ko
#     against the installed linux-headers (when the headers come after the
#     package, as in a kernel upgrade, and when the package comes after the
#     headers), that pkg-config works, that an app with a PMD of its own,
#     built from the installed headers only, moves packets (linked with
#     libsluice.so.0 and with libsluice.a), and that the installed
#     sluice-testpmd loads doc/examples/out-of-tree-pmd's plugin, built and
#     installed there, from the default plugin directory and forwards.
# SL_PKG_UPGRADE_KERNEL=1 adds a kernel upgrade to bookworm-backports' kernel
# (linux-image-amd64 and its headers, about 3 more minutes and 100 MB; not
# in CI): DKMS builds for the new kernel, and a reinstall builds for both.
# The host kernel cannot load modules: building the module is what is
# checked.  Needs root (debootstrap, chroot, mounts) and the Debian archive;
# exits 77 (skipped) without root or without the packaging tools.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:?usage: test-debs.sh WORKDIR}
suite=bookworm

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: needs root (a debootstrap chroot, mounts, apt-get in it)"
	exit 77
fi
for tool in dpkg-buildpackage dh dh_dkms debootstrap; do
	if ! command -v "$tool" >/dev/null; then
		echo "SKIP: $tool not found: apt-get install dpkg-dev debhelper dh-dkms debootstrap (.ci/install-deps)"
		exit 77
	fi
done

version=$(sed -n "s/^  version: '\([^']*\)',$/\1/p" "$top/meson.build" | head -n 1)
rm -rf "$work"
mkdir -p "$work"

echo "=== building the packages (log: $work/build.log)"
start=$SECONDS
if ! "$top/config/build-debs.sh" -o "$work/debs" >"$work/build.log" 2>&1; then
	tail -n 40 "$work/build.log"
	echo "FAIL: config/build-debs.sh failed (whole log: $work/build.log)"
	exit 1
fi
echo "built in $((SECONDS - start)) s:"
ls -1 "$work/debs"/*.deb

echo "=== the clean $suite chroot (made once, then cached)"
"$top/test/debian-chroot" "$suite" >/dev/null
# The cached root's lists date from when it was made: a day later the
# archive may have moved to a new kernel ABI and dropped the old headers.
root=$("$top/test/debian-chroot" --root "$suite")
if [ -z "$(find "$root/.sluice-apt-updated" -mmin -1440 2>/dev/null)" ]; then
	"$top/test/debian-chroot" --update "$suite"
fi

# The chroot sees the host's /var/tmp (not necessarily the build directory):
# the payload goes there.
payload=$(mktemp -d /var/tmp/sluice-pkg.XXXXXX)
trap 'rm -rf "$payload"' EXIT
cp "$work/debs"/*.deb "$top/test/pkg/pkg_app.c" "$top/test/pkg/in-chroot.sh" "$payload/"
cp -r "$top/doc/examples/out-of-tree-pmd" "$payload/"
rm -f "$payload"/*-dbgsym_*.deb

echo "=== installing them in a fresh copy of it"
start=$SECONDS
rc=0
"$top/test/debian-chroot" --fresh "$suite" env SL_PKG_UPGRADE_KERNEL="${SL_PKG_UPGRADE_KERNEL:-0}" bash "$payload/in-chroot.sh" "$payload" "$version" || rc=$?
echo "chroot checks took $((SECONDS - start)) s"
[ "$rc" -eq 0 ] || { echo "FAIL: in-chroot.sh exited $rc"; exit 1; }
echo "OK: the packages build, install, and work in a clean $suite"
