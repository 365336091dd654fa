#!/bin/sh
# build-module.sh KERNEL_DIR SRC_DIR OUT_DIR
# Build sluice.ko with Kbuild out of the source tree: the sources are copied
# to OUT_DIR/kbuild and Kbuild runs there (M=), so no object, .cmd or
# Module.symvers file ever lands in kernel/.  The result is OUT_DIR/sluice.ko.
set -eu
kdir=$1
src=$2
out=$3
work=$out/kbuild

mkdir -p "$work/uapi"
cp "$src/Kbuild" "$src"/*.c "$src"/*.h "$work/"
cp "$src/uapi/sluice.h" "$work/uapi/"
# W=1: the module must stay warning-free with the kernel's extra warnings;
# KCFLAGS=-Werror makes a new warning fail the build instead of scrolling by.
make -s -C "$kdir" M="$work" W=1 KCFLAGS=-Werror modules
cp "$work/sluice.ko" "$out/sluice.ko"
