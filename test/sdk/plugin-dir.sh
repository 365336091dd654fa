#!/bin/sh
# plugin-dir.sh BUILDDIR EXAMPLEDIR [SANITIZE]: a PMD installed in the default
# plugin directory (pkg-config's pmddir, compiled into the library as
# SL_EAL_PMD_PATH) is loaded with no -d option.
#
# The directory is a system path (<prefix>/<libdir>/sluice/pmds-0): the test
# never writes there.  In a private mount namespace it lays an overlay
# (upper layer in /tmp) on the deepest existing parent of that directory,
# installs the example's plugin into it with `make install`, and runs the
# *installed* sluice-testpmd (meson install --destdir) with --vdev net_echo0
# and no -d.  Then a plugin without SL_PMD_PLUGIN() in the same directory
# must fail start-up, naming the default directory, while a static
# application ignores the directory.  Needs root (mount
# namespace): exits 77 (skipped) otherwise.
set -eu
build=$(cd "$1" && pwd)
ex=$(cd "$2" && pwd)
cflags=-O2
case "${3:-none}" in none|'') ;; *) cflags="-O1 -g -fsanitize=$3";; esac

if [ "$(id -u)" -ne 0 ] || ! command -v unshare > /dev/null; then
	echo "SKIP: needs root and unshare (a private mount namespace)"
	exit 77
fi
t=$(mktemp -d /tmp/sl-pmddir-XXXXXX)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

. "$(dirname "$0")/installed-root.sh"
# The sysroot would prefix the variable too: the path the library knows.
pmddir=$(PKG_CONFIG_SYSROOT_DIR= pkg-config --variable=pmddir libsluice)
[ -n "$pmddir" ] || fail "libsluice.pc has no pmddir"
testpmd=$(find "$t/root" -name sluice-testpmd -type f | head -n 1)
mkdir "$t/b"
make -s -C "$t/b" -f "$ex/Makefile" SRCDIR="$ex" CFLAGS="$cflags" libsluice_net_echo.so \
	echo-app-static > "$t/make.log" 2>&1 || { cat "$t/make.log"; fail "make"; }
# A shared object that is not a plugin (no marker): the default directory's
# loader must refuse it by name.
echo 'int not_a_plugin(void); int not_a_plugin(void) { return 0; }' > "$t/b/bad.c"
cc -shared -fPIC -o "$t/b/zz_bad.so" "$t/b/bad.c"

parent=$pmddir
while [ ! -d "$parent" ]; do parent=$(dirname "$parent"); done
mkdir -p "$t/upper" "$t/work"
cat > "$t/inner.sh" <<INNER
set -eu
mount -t overlay overlay -o "lowerdir=$parent,upperdir=$t/upper,workdir=$t/work" "$parent"
PKG_CONFIG_SYSROOT_DIR= make -s -C "$t/b" -f "$ex/Makefile" SRCDIR="$ex" CFLAGS="$cflags" install
ls "$pmddir"
"$testpmd" -l 0,1 --no-huge -m 128 --file-prefix pmddir --vdev net_echo0 -- \
	--forward-mode=io --tx-first --duration=1 > "$t/tp.log" 2>&1 || echo "testpmd-status \$?" >> "$t/tp.log"
# A static application ignores the directory (no plugin could load in it).
"$t/b/echo-app-static" -l 0 --no-huge -m 64 --file-prefix pmddir3 --vdev net_skeleton0 -- \
	net_skeleton0 > "$t/static.log" 2>&1 || echo "static-status \$?" >> "$t/static.log"
cp "$t/b/zz_bad.so" "$pmddir/"
if "$testpmd" -l 0 --no-huge -m 64 --file-prefix pmddir2 --vdev net_echo0 -- --forward-mode=io \
	--duration=1 > "$t/bad.log" 2>&1; then
	echo "bad-plugin-accepted" >> "$t/bad.log"
fi
INNER
unshare -m sh "$t/inner.sh" > "$t/inner.log" 2>&1 || { cat "$t/inner.log"; fail "the overlay step"; }
grep -q 'libsluice_net_echo.so' "$t/inner.log" || { cat "$t/inner.log"; fail "plugin not installed in $pmddir"; }
if grep -q 'testpmd-status' "$t/tp.log"; then cat "$t/tp.log"; fail "testpmd with the plugin in $pmddir"; fi
if grep ' ERR ' "$t/tp.log"; then fail "testpmd logged an error"; fi
rx=$(sed -n 's/.*RX-packets: *\([0-9]*\).*/\1/p' "$t/tp.log" | head -n 1)
[ "${rx:-0}" -gt 1000 ] || { cat "$t/tp.log"; fail "net_echo0 from $pmddir forwarded ${rx:-no} packets"; }
if grep -q 'static-status' "$t/static.log"; then
	cat "$t/static.log"; fail "a static application did not start with plugins in $pmddir"
fi
if grep -q 'bad-plugin-accepted' "$t/bad.log"; then cat "$t/bad.log"; fail "a non-plugin in $pmddir was accepted"; fi
grep -q "(default plugin directory): not a Sluice PMD plugin" "$t/bad.log" ||
	{ cat "$t/bad.log"; fail "no message naming the default directory and the bad plugin"; }
# The overlay went with the namespace: the real directory never saw the files.
[ ! -e "$pmddir/zz_bad.so" ] || fail "wrote to the real $pmddir"
echo "ok: net_echo installed in $pmddir (overlay) was loaded with no -d ($rx packets forwarded); a non-plugin there stops start-up by name"
