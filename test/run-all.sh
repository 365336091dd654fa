#!/usr/bin/env bash
# The whole Sluice test suite, as CI runs it.
#
#   build         gcc, -Werror; runs every suite (unit, app, vm, ...)
#   build-clang   clang, -Werror; compiled (warnings are errors) and unit suite
#   build-asan    gcc with ASan+UBSan; unit and app suites
#
# Each build counts as one check, each meson test as one more.  The last line
# is "N passed, N failed" (", N skipped" when tests skipped).
#
# Environment: SL_SUITES_SKIP="vm" skips suites by name (for a quick run).
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

passed=0 failed=0 skipped=0
failures=()

note() { printf '\n=== %s\n' "$*"; }

check() { # name, command...
	local name=$1; shift
	if "$@"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1)); failures+=("$name")
	fi
}

setup() { # dir, meson args...
	local dir=$1; shift
	if [ -f "$dir/build.ninja" ]; then
		meson setup --reconfigure "$dir" "$@" >/dev/null
	else
		meson setup "$dir" "$@"
	fi
}

build() { # dir, meson args...
	local dir=$1; shift
	setup "$dir" "$@" && meson compile -C "$dir"
}

skipped_suite() { case " ${SL_SUITES_SKIP:-} " in *" $1 "*) return 0;; esac; return 1; }

# Runs one suite in one build dir and adds its tests to the totals.
run_suite() { # dir, suite, label
	local dir=$1 suite=$2 label=$3 log
	if skipped_suite "$suite"; then
		echo "suite $suite skipped (SL_SUITES_SKIP)"
		return
	fi
	if ! meson test -C "$dir" --list --suite "$suite" >/dev/null 2>&1 ||
	   [ -z "$(meson test -C "$dir" --list --suite "$suite" 2>/dev/null)" ]; then
		echo "suite $suite: no tests in $dir"
		return
	fi
	note "$label: meson test --suite $suite"
	meson test -C "$dir" --suite "$suite" --print-errorlogs --num-processes 2 \
		--logbase "suite-$suite"
	log="$dir/meson-logs/suite-$suite.json"
	[ -f "$log" ] || { failed=$((failed + 1)); failures+=("$label:$suite (no log)"); return; }
	local counts
	counts=$(python3 - "$log" "$label" <<'PY'
import json, sys
p = f = s = 0
bad = []
for line in open(sys.argv[1]):
    line = line.strip()
    if not line:
        continue
    t = json.loads(line)
    r = t.get("result")
    if r in ("OK", "EXPECTEDFAIL"):
        p += 1
    elif r == "SKIP":
        s += 1
    else:
        f += 1
        bad.append(sys.argv[2] + ":" + t.get("name", "?"))
print(p, f, s, " ".join(bad))
PY
)
	local np nf ns rest
	read -r np nf ns rest <<<"$counts"
	passed=$((passed + np)); failed=$((failed + nf)); skipped=$((skipped + ns))
	[ -n "$rest" ] && failures+=($rest)
}

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0

# The module is built against Debian's current kernel headers when they are
# installed (.ci/install-deps does): the host's own kernel has none.
kdir=
abi=$(apt-cache depends linux-image-amd64 2>/dev/null |
	sed -n 's/.*Depends: linux-image-\(.*\)-amd64$/\1/p' | head -n 1)
[ -n "$abi" ] && [ -d "/usr/src/linux-headers-$abi-amd64" ] &&
	kdir="-Dkernel_dir=/usr/src/linux-headers-$abi-amd64"

build_clang() { CC=clang build build-clang "$@"; }

note "gcc build (-Werror)"
check build:gcc build build $kdir
note "clang build (-Werror)"
check build:clang build_clang
note "gcc ASan+UBSan build"
check build:asan build build-asan -Db_sanitize=address,undefined -Db_lundef=false \
	-Dbuildtype=debug

suites=$(meson test -C build --list 2>/dev/null | sed -n 's/^[^:]*:\([^ ]*\) \/ .*/\1/p' | sort -u)
[ -n "$suites" ] || suites="unit"
for s in $suites; do
	run_suite build "$s" gcc
done
for s in $suites; do
	[ "$s" = vm ] && continue
	run_suite build-asan "$s" asan
done
run_suite build-clang unit clang

echo
if [ ${#failures[@]} -gt 0 ]; then
	echo "failed: ${failures[*]}"
fi
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
