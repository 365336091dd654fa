#!/bin/sh
# out-of-tree.sh BUILDDIR EXAMPLEDIR [SANITIZE]: the out-of-tree PMD example, built
# against the *installed* Sluice and run with it.
#
#  1. meson install --destdir into a temporary root;
#  2. make (doc/examples/out-of-tree-pmd/Makefile) with pkg-config pointed
#     at that root only through PKG_CONFIG_PATH and PKG_CONFIG_SYSROOT_DIR:
#     the net_echo plugin and echo-app in C, the same in C++, and a static
#     echo-app (libsluice-static.pc);
#  3. echo-app loads the plugin with -d and gets 64 frames back byte for
#     byte (C and C++ builds);
#  4. the installed sluice-testpmd loads the plugin with -d and forwards on
#     it, without an ERR line (the plugin has no promiscuous op);
#  5. the static echo-app finds the in-tree net_skeleton with no libsluice.so,
#     and refuses a plugin by name;
#  6. `make install` puts the plugin in pkg-config's pmddir.
set -eu
build=$(cd "$1" && pwd)
ex=$(cd "$2" && pwd)
# An ASan/UBSan build's library needs its runtime in the programs too.
cflags=-O2
case "${3:-none}" in
none|'') ;;
*) cflags="-O1 -g -fsanitize=$3";;
esac
t=$(mktemp -d /tmp/sl-oot-XXXXXX)
trap 'rm -rf "$t"' EXIT

fail() { echo "FAIL: $*"; exit 1; }

. "$(dirname "$0")/installed-root.sh"

mkdir "$t/b"
make -s -C "$t/b" -f "$ex/Makefile" SRCDIR="$ex" CFLAGS="$cflags" > "$t/make.log" 2>&1 ||
	{ cat "$t/make.log"; fail "make against the installed Sluice"; }
cd "$t/b"
for f in libsluice_net_echo.so echo-app libsluice_net_echo_cxx.so echo-app-cxx echo-app-static; do
	[ -f "$f" ] || fail "make did not build $f"
done
readelf -d echo-app | grep -q 'NEEDED.*libsluice.so.0' || fail "echo-app does not need libsluice.so.0"
readelf -d echo-app-static | grep -q 'NEEDED.*libsluice' && fail "echo-app-static needs a shared libsluice"

eal="-l 0 --no-huge -m 64 --file-prefix oot"
# shellcheck disable=SC2086
./echo-app $eal -d ./libsluice_net_echo.so --vdev net_echo0,queues=2 -- net_echo0 ||
	fail "echo-app with the C plugin"
# shellcheck disable=SC2086
./echo-app-cxx $eal -d ./libsluice_net_echo_cxx.so --vdev net_echo0 -- net_echo0 ||
	fail "echo-app-cxx with the C++ plugin"
# Without -d the driver is unknown, and the EAL says so.
# shellcheck disable=SC2086
if ./echo-app $eal --vdev net_echo0 -- net_echo0 > "$t/nod.log" 2>&1; then
	fail "net_echo0 probed without its plugin"
fi
grep -q "no driver for virtual device 'net_echo0'" "$t/nod.log" ||
	{ cat "$t/nod.log"; fail "no message naming the unknown device"; }

testpmd=$(find "$t/root" -name sluice-testpmd -type f | head -n 1)
[ -n "$testpmd" ] || fail "sluice-testpmd not installed"
"$testpmd" -l 0,1 --no-huge -m 128 --file-prefix oot_tp -d ./libsluice_net_echo.so \
	--vdev net_echo0 -- --forward-mode=io --tx-first --duration=1 > "$t/tp.log" 2>&1 ||
	{ cat "$t/tp.log"; fail "installed sluice-testpmd -d libsluice_net_echo.so"; }
if grep ' ERR ' "$t/tp.log"; then fail "testpmd logged an error"; fi
rx=$(sed -n 's/.*RX-packets: *\([0-9]*\).*/\1/p' "$t/tp.log" | head -n 1)
[ "${rx:-0}" -gt 1000 ] || { cat "$t/tp.log"; fail "testpmd forwarded ${rx:-no} packets on net_echo"; }

# shellcheck disable=SC2086
./echo-app-static $eal --vdev net_skeleton0 -- net_skeleton0 || fail "static echo-app on net_skeleton0"
# shellcheck disable=SC2086
if ./echo-app-static $eal -d ./libsluice_net_echo.so -- net_echo0 > "$t/st.log" 2>&1; then
	fail "a static application took a plugin"
fi
grep -q "second copy of libsluice" "$t/st.log" || { cat "$t/st.log"; fail "no reason given for refusing the plugin"; }

# Without the sysroot, which pkg-config would also put in front of pmddir.
PKG_CONFIG_SYSROOT_DIR= make -s -f "$ex/Makefile" SRCDIR="$ex" CFLAGS="$cflags" install \
	DESTDIR="$t/root" > "$t/inst.log" 2>&1 || { cat "$t/inst.log"; fail "make install"; }
pmddir=$(PKG_CONFIG_SYSROOT_DIR= pkg-config --variable=pmddir libsluice)
[ -f "$t/root$pmddir/libsluice_net_echo.so" ] || fail "plugin not installed in pmddir $pmddir"
echo "ok: net_echo built from the installed SDK ($libdir), loaded with -d by echo-app (C, C++) and the installed testpmd ($rx packets forwarded); static app has its drivers"
