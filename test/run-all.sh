#!/usr/bin/env bash
# The whole Sluice test suite, as CI runs it.  Every build is -Werror and -O3.
#
#   build          gcc, -march=native; the module (W=1 -Werror); every suite
#   build-v2       gcc, -march=x86-64-v2 (the portable target); unit suite
#   build-clang    clang, native; unit suite
#   build-asan     gcc with ASan+UBSan, native; every suite but vm
#   build-gcc14    Debian 13's gcc 14 (trixie chroot), native; unit suite
#   build-gcc14-v2 the same for x86-64-v2; compiled only
#   build-clang19  Debian 13's clang 19, native; unit suite
#
# Each build counts as one check, each meson test as one more.  A test that
# exits 77 is a skip, never a pass; under CI=true an unexpected skip (one not
# in test/expected-skips) is a failure.  Suites named in SL_SUITES_SKIP are
# counted as skipped, once per build that would have run them.  The last
# line is "N passed, N failed, N skipped".
#
# Environment:
#   SL_SUITES_SKIP="vm"   suites not to run (a quick run)
#   SL_NO_CHROOT=1        skip the trixie compilers and the guests of newer
#                         kernels, vm/module-7.x (counted as skipped)
#   CI=true               unexpected skips fail
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

passed=0 failed=0 skipped=0
failures=() skips=()
ci=${CI:-false}

note() { printf '\n=== %s\n' "$*"; }
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); failures+=("$1"); }

# A skip named NAME (build:suite/test or build:what), with its reason.  Under
# CI it must be listed in test/expected-skips as suite/test or what.
skip() { # name, key for expected-skips, reason
	local name=$1 key=$2 reason=$3
	if [ "$ci" = true ] && ! expected_skip "$key"; then
		echo "UNEXPECTED SKIP under CI: $name ($reason); list '$key' in test/expected-skips if this machine cannot run it"
		fail "$name (unexpected skip)"
		return
	fi
	skipped=$((skipped + 1)); skips+=("$name")
}

expected_skip() {
	[ -f test/expected-skips ] &&
		grep -v '^[[:space:]]*#' test/expected-skips | awk '{print $1}' | grep -qxF "$1"
}

# The CI shows only the tail of its output: a failed test's own lines are
# repeated there, so that the reason survives.  For each failure, its "not
# ok" lines and the last lines of what it printed, from meson's JSON log.
digests=()
digest() { # json log, test name
	digests+=("$1|$2")
}

print_digests() {
	local d
	for d in "${digests[@]}"; do
		python3 - "${d%%|*}" "${d#*|}" <<'PY'
import json, sys
log, name = sys.argv[1], sys.argv[2]
for line in open(log):
    line = line.strip()
    if not line:
        continue
    t = json.loads(line)
    if t.get("name") != name:
        continue
    out = (t.get("stdout") or "") + (t.get("stderr") or "")
    lines = out.splitlines()
    bad = [l for l in lines if l.lstrip().startswith("not ok") or "FAIL" in l
           or "WARNING:" in l or "BUG:" in l][:40]
    print(f"--- {name} ({t.get('result')}, exit {t.get('returncode')}, "
          f"{t.get('duration', 0):.0f} s): {len(bad)} failing line(s)")
    for l in bad:
        print("  " + l[:300])
    print(f"--- its last 30 lines:")
    for l in lines[-30:]:
        print("  " + l[:300])
PY
	done
}

finish() {
	echo
	[ ${#digests[@]} -gt 0 ] && print_digests
	[ ${#skips[@]} -gt 0 ] && echo "skipped: ${skips[*]}"
	[ ${#failures[@]} -gt 0 ] && echo "failed: ${failures[*]}"
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
	exit
}

# ---- the machine: root and hugepages, or say how to get them ------------

if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then
	echo "run-all.sh: needs root (hugepages, network namespaces, a QEMU guest): asking sudo"
	exec sudo --preserve-env=CI,SL_SUITES_SKIP,SL_NO_CHROOT bash "$0" "$@"
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "run-all.sh: needs root: tests reserve and release their own 2 MiB hugepages," \
		"create network namespaces and boot a QEMU guest; run it as root" >&2
	echo "(for an unprivileged quick check: meson setup build && meson test -C build --suite unit)" >&2
	fail "root"
	finish
fi

hp=/proc/sys/vm/nr_hugepages
hugepages_ok() {
	local before after
	[ -w "$hp" ] || return 1
	before=$(cat "$hp")
	echo $((before + 2)) >"$hp" 2>/dev/null
	after=$(cat "$hp")
	echo "$before" >"$hp" 2>/dev/null
	[ "$after" -ge $((before + 2)) ]
}
if ! hugepages_ok; then
	echo "run-all.sh: cannot reserve 2 MiB hugepages ($hp stays at $(cat $hp 2>/dev/null))." \
		"Free some memory, or check that the kernel has CONFIG_HUGETLBFS, then try:" \
		"echo 64 > $hp" >&2
	fail "hugepages"
	finish
fi

# ---- builds --------------------------------------------------------------

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0

# The module is built against Debian's current kernel headers when they are
# installed (.ci/install-deps does): the host's own kernel has none.
kdir=-Dkernel_dir=none
abi=$(apt-cache depends linux-image-amd64 2>/dev/null |
	sed -n 's/.*Depends: linux-image-\(.*\)-amd64$/\1/p' | head -n 1)
[ -n "$abi" ] && [ -d "/usr/src/linux-headers-$abi-amd64" ] &&
	kdir="-Dkernel_dir=/usr/src/linux-headers-$abi-amd64"

# Runs "$@" on the host, or in the trixie chroot when $in_chroot is set.
in_chroot=
run() {
	if [ -n "$in_chroot" ]; then
		# The chroot starts from an empty environment: pass what matters.
		test/debian-chroot --run trixie env ${CC:+CC="$CC"} CI="$ci" \
			UBSAN_OPTIONS="$UBSAN_OPTIONS" ASAN_OPTIONS="$ASAN_OPTIONS" "$@"
	else
		"$@"
	fi
}

build() { # dir, meson args...
	local dir=$1; shift
	if [ -f "$dir/build.ninja" ]; then
		run meson setup --reconfigure "$dir" "$@" >/dev/null
	else
		run meson setup "$dir" "$@"
	fi && run meson compile -C "$dir"
}

# One check per build; a build that fails leaves no suite to count.
built=()
check_build() { # label, dir, meson args...
	local label=$1 dir=$2; shift 2
	note "$label build"
	if build "$dir" -Dwerror=true -Dbuildtype=release "$@"; then
		pass; built+=("$label")
		return 0
	fi
	fail "build:$label"
	return 1
}

suite_skipped() { case " ${SL_SUITES_SKIP:-} " in *" $1 "*) return 0;; esac; return 1; }

# Runs one suite in one build dir and adds its tests to the totals.  The
# verdict comes from this run's own log (removed first, so a stale one is
# never read) and from meson's exit status: either failing fails the suite.
run_suite() { # dir, suite, label
	local dir=$1 suite=$2 label=$3 log rc counts line
	if suite_skipped "$suite"; then
		echo "suite $suite in $label: skipped (SL_SUITES_SKIP)"
		skip "$label:$suite" "$suite" "SL_SUITES_SKIP"
		return
	fi
	note "$label: meson test --suite $suite"
	log="$dir/meson-logs/suite-$suite.json"
	rm -f "$log"
	run meson test -C "$dir" --suite "$suite" --print-errorlogs --num-processes 2 \
		--logbase "suite-$suite"
	rc=$?
	if [ ! -f "$log" ]; then
		fail "$label:$suite (meson test exited $rc and wrote no log)"
		return
	fi
	counts=$(python3 - "$log" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    line = line.strip()
    if line:
        t = json.loads(line)
        print(t.get("result", "?"), t.get("name", "?"))
PY
)
	local nres=0 bad=0
	while read -r res name; do
		[ -n "$res" ] || continue
		nres=$((nres + 1))
		case "$res" in
			OK|EXPECTEDFAIL) pass;;
			SKIP) skip "$label:$suite/$name" "$suite/$name" "the test exited 77; its log says why";;
			*) fail "$label:$suite/$name ($res)"; bad=1
			   digest "$log" "$name";;
		esac
	done <<<"$counts"
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
		fail "$label:$suite (meson test exited $rc with no failed test in its log)"
	fi
	[ "$nres" -gt 0 ] || fail "$label:$suite (no test ran)"
}

# The suites a build defines; a build whose list cannot be read fails.
suites_of() { # dir
	run meson test -C "$1" --list 2>/dev/null |
		sed -n 's/^[^:]*:\([^ ]*\) \/ .*/\1/p' | sort -u
}

run_suites() { # dir, label, suites...
	local dir=$1 label=$2 s; shift 2
	for s in "$@"; do run_suite "$dir" "$s" "$label"; done
}

all_suites() { # dir, label, [suite to leave out]
	local dir=$1 label=$2 leave=${3:-} list s
	list=$(suites_of "$dir")
	if [ -z "$list" ]; then
		fail "$label (its suite list could not be read)"
		return
	fi
	for s in $list; do
		[ "$s" = "$leave" ] && continue
		run_suite "$dir" "$s" "$label"
	done
}

# Suites of a build that failed or was not made: counted, not lost.
not_built() { # label, suites...
	local label=$1 s; shift
	for s in "$@"; do fail "$label:$s (not built)"; done
}

if check_build gcc build $kdir; then all_suites build gcc; else not_built gcc unit app vm; fi
if check_build gcc-v2 build-v2 -Dcpu_instruction_set=x86-64-v2 -Dkernel_dir=none; then
	run_suites build-v2 gcc-v2 unit
else
	not_built gcc-v2 unit
fi
if CC=clang check_build clang build-clang -Dkernel_dir=none; then
	run_suites build-clang clang unit
else
	not_built clang unit
fi
if check_build asan build-asan -Db_sanitize=address,undefined -Db_lundef=false \
	-Dkernel_dir=none; then
	all_suites build-asan asan vm
else
	not_built asan unit app
fi

# The next Debian release's compilers, in a cached debootstrap chroot: the
# build dependencies the host has, plus gcc 14 and clang 19.
chroot_pkgs=(gcc-14 clang-19 meson ninja-build pkg-config python3 iproute2 $(bash .ci/install-deps --libs))
if [ "${SL_NO_CHROOT:-0}" = 1 ]; then
	skip "trixie compilers" "trixie" "SL_NO_CHROOT=1"
elif ! test/debian-chroot trixie "${chroot_pkgs[@]}"; then
	fail "trixie chroot (test/debian-chroot trixie failed)"
else
	in_chroot=1
	if CC=gcc-14 check_build gcc14 build-gcc14 -Dkernel_dir=none; then
		run_suites build-gcc14 gcc14 unit
	else
		not_built gcc14 unit
	fi
	CC=gcc-14 check_build gcc14-v2 build-gcc14-v2 -Dcpu_instruction_set=x86-64-v2 \
		-Dkernel_dir=none
	if CC=clang-19 check_build clang19 build-clang19 -Dkernel_dir=none; then
		run_suites build-clang19 clang19 unit
	else
		not_built clang19 unit
	fi
	in_chroot=
fi

finish
