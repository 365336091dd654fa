#!/bin/bash
# in-chroot.sh PAYLOAD VERSION: run by test-debs.sh as root inside a
# throwaway copy of a clean Debian 12 chroot (test/debian-chroot --fresh).
# PAYLOAD holds the .debs, pkg_app.c and out-of-tree-pmd/ (a copy of
# doc/examples/out-of-tree-pmd).  Installs the packages as a user
# would, with apt-get resolving their dependencies, and checks each claim
# the packaging makes.  Prints "PASS: ..." per check, exits 1 at the first
# failure with what was expected and what was found.
set -euo pipefail
payload=$1
version=$2
export DEBIAN_FRONTEND=noninteractive
# The chroot is thrown away after: dpkg need not fsync every file it unpacks.
echo force-unsafe-io >/etc/dpkg/dpkg.cfg.d/02-sluice-unsafe-io

fail() { echo "FAIL: $*" >&2; exit 1; }
# A DKMS build that fails says only "consult make.log": show it.
dkms_log() {
	local f
	for f in /var/lib/dkms/sluice/*/build/make.log; do
		[ -f "$f" ] && { echo "=== $f"; tail -n 40 "$f"; }
	done
	return 0
}
trap 'rc=$?; [ "$rc" -eq 0 ] || dkms_log' EXIT
pass() { echo "PASS: $*"; }
step() { printf '\n--- [%s] %s\n' "$(date +%T)" "$*"; }
install() { apt-get install -y -q --no-install-recommends "$@"; }

deb() { # package name -> its .deb in the payload
	local f=("$payload/$1_${version}_"*.deb)
	[ -f "${f[0]}" ] || fail "no $1 .deb in $payload"
	echo "${f[0]}"
}

# Debian 12's current kernel, as the chroot's own lists name it.
abi=$(apt-cache depends linux-headers-amd64 |
	sed -n 's/.*Depends: linux-headers-\(.*\)-amd64$/\1/p' | head -n 1)
[ -n "$abi" ] || fail "apt-cache names no current linux-headers-*-amd64 in the chroot's lists"
kver=$abi-amd64
ko=/lib/modules/$kver/updates/dkms/sluice.ko

step "sluice-dkms before any kernel headers: the sources land, nothing is built"
install "$(deb sluice-dkms)"
for f in dkms.conf Kbuild sluice_main.c sluice_internal.h uapi/sluice.h; do
	[ -f "/usr/src/sluice-$version/$f" ] || fail "/usr/src/sluice-$version/$f missing"
done
grep -qx "PACKAGE_VERSION=\"$version\"" "/usr/src/sluice-$version/dkms.conf" ||
	fail "dkms.conf's PACKAGE_VERSION is not \"$version\": $(grep PACKAGE_VERSION "/usr/src/sluice-$version/dkms.conf")"
dkms status sluice | grep -q "^sluice/$version: added" ||
	fail "dkms status does not show sluice/$version added: '$(dkms status sluice)'"
pass "sluice-dkms installs /usr/src/sluice-$version and registers it with DKMS"

step "a kernel's headers arrive (a kernel upgrade): DKMS builds sluice.ko for it"
install "linux-headers-$kver"
[ -f "$ko" ] || fail "no $ko after installing linux-headers-$kver; dkms status: '$(dkms status sluice)'"
vermagic=$(modinfo -F vermagic "$ko")
[ "${vermagic%% *}" = "$kver" ] || fail "$ko has vermagic '$vermagic', not for $kver"
[ "$(modinfo -F name "$ko")" = sluice ] || fail "$ko is not named sluice"
dkms status sluice -k "$kver" | grep -q "installed" ||
	fail "dkms status does not show sluice installed for $kver: '$(dkms status sluice)'"
pass "sluice.ko built by DKMS for $kver (vermagic $vermagic)"

step "sluice-dkms removed, then installed again: the module goes, then comes back for every kernel with headers"
apt-get remove -y -q sluice-dkms
[ ! -e "$ko" ] || fail "$ko still there after removing sluice-dkms"
[ -z "$(dkms status sluice)" ] || fail "DKMS still knows sluice after its removal: '$(dkms status sluice)'"
install "$(deb sluice-dkms)"
[ -f "$ko" ] || fail "no $ko after reinstalling sluice-dkms with linux-headers-$kver present"
pass "removal unregisters the module; installation builds it for the installed kernel"

step "libsluice0, libsluice-dev and sluice-tools, with compilers, make and pkg-config"
install "$(deb libsluice0)" "$(deb libsluice-dev)" "$(deb sluice-tools)" gcc g++ make libc6-dev pkgconf
libdir=/usr/lib/x86_64-linux-gnu
for f in "$libdir/libsluice.so.0" "$libdir/libsluice.so" "$libdir/pkgconfig/libsluice.pc" \
	"$libdir/libsluice.a" "$libdir/pkgconfig/libsluice-static.pc" \
	/usr/include/sluice/sl_eal.h /usr/include/sluice/sl_ethdev.h \
	/usr/include/sluice/sl_ethdev_driver.h /usr/include/sluice/sl_bus_vdev.h \
	/usr/include/sluice/sl_bus_pci.h /usr/include/sluice/sl_kvargs.h \
	/usr/include/sluice/sl_build_config.h \
	/usr/bin/sluice-testpmd /usr/bin/sluice-pktgen /usr/bin/sluice-devbind \
	/usr/bin/sluice-hugepages /usr/bin/sluice-launch /usr/bin/sluice-bench; do
	[ -e "$f" ] || fail "$f missing after installing the packages"
done
soname=$(objdump -p "$libdir/libsluice.so.0" 2>/dev/null | awk '$1 == "SONAME" {print $2}') ||
	soname=
if [ -z "$soname" ] && command -v readelf >/dev/null; then
	soname=$(readelf -d "$libdir/libsluice.so.0" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
fi
[ "$soname" = libsluice.so.0 ] || fail "libsluice.so.0 has SONAME '$soname', not libsluice.so.0"
for b in sluice-testpmd sluice-pktgen sluice-launch sluice-bench; do
	if ldd "/usr/bin/$b" | grep -q 'not found'; then
		fail "$b misses libraries: $(ldd "/usr/bin/$b" | grep 'not found')"
	fi
done
sluice-testpmd --help >"$payload/testpmd-help.txt" 2>&1 || true
grep -q -- '--vdev' "$payload/testpmd-help.txt" ||
	fail "sluice-testpmd --help does not list --vdev: $(head -n 5 "$payload/testpmd-help.txt")"
sluice-devbind --help >/dev/null 2>&1 || fail "sluice-devbind --help failed"
pass "files in place, SONAME libsluice.so.0, the tools find their libraries and run"

step "pkg-config --cflags --libs libsluice, and an app with its own PMD built with it"
flags=$(pkg-config --cflags --libs libsluice) || fail "pkg-config --cflags --libs libsluice failed"
echo "pkg-config: $flags"
case " $flags " in
	*" -lsluice "*) ;;
	*) fail "pkg-config's flags lack -lsluice: '$flags'";;
esac
[ "$(pkg-config --modversion libsluice)" = "$version" ] ||
	fail "pkg-config --modversion libsluice says '$(pkg-config --modversion libsluice)', not $version"
cd "$payload"
# shellcheck disable=SC2086 # the flags are words
gcc -Wall -Wextra -Werror -o pkg_app pkg_app.c $flags ||
	fail "pkg_app.c does not build against the installed headers with '$flags'"
./pkg_app || fail "pkg_app failed (see its output above)"
pass "an app and a PMD built from the installed libsluice-dev move packets"

step "the same app linked statically (pkg-config --libs libsluice-static)"
sflags=$(pkg-config --cflags --libs libsluice-static) ||
	fail "pkg-config --cflags --libs libsluice-static failed"
# shellcheck disable=SC2086
gcc -Wall -Wextra -Werror -o pkg_app_static pkg_app.c $sflags ||
	fail "pkg_app.c does not link statically with '$sflags'"
if objdump -p pkg_app_static | grep -q 'NEEDED.*libsluice'; then
	fail "pkg_app_static still needs a shared libsluice"
fi
./pkg_app_static || fail "pkg_app_static failed (see its output above)"
pass "a static app from libsluice.a has its drivers and moves packets"

step "an out-of-tree PMD plugin (doc/examples/out-of-tree-pmd) in the default plugin directory"
pmddir=$(pkg-config --variable=pmddir libsluice)
[ -d "$pmddir" ] || fail "pkg-config's pmddir '$pmddir' is not a directory"
dpkg -S "$pmddir" | grep -q '^libsluice0:' || fail "$pmddir is not libsluice0's: $(dpkg -S "$pmddir" 2>&1)"
mkdir -p "$payload/oot" && cd "$payload/oot"
make -s -f "$payload/out-of-tree-pmd/Makefile" SRCDIR="$payload/out-of-tree-pmd" ||
	fail "the out-of-tree example does not build against the installed packages (C, C++, static)"
make -s -f "$payload/out-of-tree-pmd/Makefile" SRCDIR="$payload/out-of-tree-pmd" install ||
	fail "make install of the plugin failed"
[ -f "$pmddir/libsluice_net_echo.so" ] || fail "make install put no plugin in $pmddir"
# No -d: the installed testpmd finds the plugin where the package says.
sluice-testpmd -l 0,1 --no-huge -m 128 --file-prefix pkg_tp --vdev net_echo0 \
	-- --forward-mode=io --tx-first --duration=1 >"$payload/tp.log" 2>&1 ||
	{ cat "$payload/tp.log"; fail "sluice-testpmd --vdev net_echo0 (plugin from $pmddir) failed"; }
rx=$(sed -n 's/.*RX-packets: *\([0-9]*\).*/\1/p' "$payload/tp.log" | head -n 1)
[ "${rx:-0}" -gt 1000 ] || { cat "$payload/tp.log"; fail "sluice-testpmd forwarded ${rx:-no} packets on net_echo0"; }
pass "the installed sluice-testpmd loads net_echo from $pmddir with no -d and forwards $rx packets"

# Last: the backports kernel brings backports' libbpf1, which Debian 12's
# libbpf-dev (a libsluice-dev dependency) does not install beside.
if [ "${SL_PKG_UPGRADE_KERNEL:-0}" = 1 ]; then
	step "a kernel upgrade to bookworm-backports' kernel: DKMS builds for it; a reinstall builds for both kernels"
	mirror=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list)
	echo "deb $mirror bookworm-backports main" >>/etc/apt/sources.list
	apt-get update -q
	install -t bookworm-backports linux-image-amd64 linux-headers-amd64
	kver2=$(apt-cache depends -t bookworm-backports linux-headers-amd64 |
		sed -n 's/.*Depends: linux-headers-\(.*-amd64\)$/\1/p' | head -n 1)
	[ -n "$kver2" ] && [ "$kver2" != "$kver" ] || fail "no second kernel from bookworm-backports ('$kver2')"
	ko2=$(find "/lib/modules/$kver2/updates/dkms" -name 'sluice.ko*' 2>/dev/null | head -n 1)
	[ -n "$ko2" ] || fail "no sluice.ko for $kver2 after the kernel upgrade: '$(dkms status sluice)'"
	apt-get remove -y -q sluice-dkms
	install "$(deb sluice-dkms)"
	for k in "$kver" "$kver2"; do
		dkms status sluice -k "$k" | grep -q installed ||
			fail "after reinstalling sluice-dkms, not installed for $k: '$(dkms status sluice)'"
	done
	pass "kernel upgrade to $kver2 builds sluice.ko for it; reinstalling builds for $kver and $kver2"
fi
