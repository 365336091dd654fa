# Sourced by out-of-tree.sh and plugin-dir.sh (sh): install BUILD into the
# temporary root "$t/root" and point pkg-config and the dynamic loader at
# that copy only.  Needs $build, $t and fail() from the caller; sets $libdir.
meson install -C "$build" --no-rebuild --destdir "$t/root" > "$t/install.log" 2>&1 ||
	{ cat "$t/install.log"; fail "meson install --destdir"; }
pc=$(find "$t/root" -name libsluice.pc -path '*/pkgconfig/*' | head -n 1)
[ -n "$pc" ] || fail "no libsluice.pc installed"
libdir=$(dirname "$(dirname "$pc")")
export PKG_CONFIG_PATH="$(dirname "$pc")" PKG_CONFIG_SYSROOT_DIR="$t/root"
# Only the installed copy: nothing from the build tree.
export LD_LIBRARY_PATH="$libdir"
unset LD_PRELOAD || true
