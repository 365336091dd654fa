#!/bin/sh
# build-module.sh KERNEL_DIR SRC_DIR OUT_DIR [werror|plain]
# Build sluice.ko with Kbuild out of the source tree: the sources are copied
# to OUT_DIR/kbuild and Kbuild runs there (M=), so no object, .cmd or
# Module.symvers file ever lands in kernel/.  The result is OUT_DIR/sluice.ko.
set -eu
kdir=$1
src=$2
out=$3
strict=${4:-plain}
work=$out/kbuild

mkdir -p "$work/uapi"
cp "$src/Kbuild" "$src"/*.c "$src"/*.h "$work/"
cp "$src/uapi/sluice.h" "$work/uapi/"
# werror (meson's -Dwerror=true, as CI builds): the module must stay
# warning-free with the kernel's extra warnings (W=1), and a new warning
# fails the build instead of scrolling by.  A user's build (plain) uses the
# kernel's own warning set and never fails on a warning.
if [ "$strict" = werror ]; then
	make -s -C "$kdir" M="$work" W=1 KCFLAGS=-Werror modules
else
	make -s -C "$kdir" M="$work" modules
fi
cp "$work/sluice.ko" "$out/sluice.ko"
