# SPDX-License-Identifier: BSD-3-Clause
# Sourced by the guest runners (e1000/, virtio/, igb/).
#
# sluice_lib BUILD: the shared library's file, relative to BUILD.  Its name
# carries the version (libsluice.so.0.1.0, soname libsluice.so.0), so ask
# meson for it; guest programs need it as /opt/libsluice.so.0.
sluice_lib() {
	meson introspect "$1" --targets | python3 -c '
import json, os, sys
print([os.path.relpath(f, sys.argv[1]) for t in json.load(sys.stdin)
       if t["name"] == "sluice" and t["type"] == "shared library" for f in t["filename"]][0])' "$1"
}
