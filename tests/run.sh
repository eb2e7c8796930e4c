#!/bin/bash
# The whole test suite: unit tests, then every tests/integration/test_*.sh, ending with the line
# "N passed, N failed". Exit status non-zero if anything failed.
#
#   make check                          (sets BERTH, BERTH_RUNTIME, UNIT, BERTH_DATADIR)
#   bash tests/run.sh [PATTERN...]      only integration tests whose "file:test" contains a
#                                       PATTERN (the unit tests then run only if UNIT_ALWAYS=1)
# Environment: BERTH_TEST_JOBS (parallel integration tests, default: 2, at most nproc),
#              BERTH_TEST_TIMEOUT (seconds per integration test, default 90).
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
export BERTH=${BERTH:-$repo/bin/berth}
export BERTH_RUNTIME=${BERTH_RUNTIME:-$repo/bin/berth-runtime}
export BERTH_DATADIR=${BERTH_DATADIR:-$repo/build/share}
UNIT=${UNIT:-$repo/build/release/unit-tests}
unset BERTH_ROOT # every test gets its own

if [ "$(id -u)" != 0 ]; then
	echo "tests/run.sh: the integration tests need root" >&2
fi

results=$(mktemp -d /tmp/berth-results.XXXXXX)
trap 'rm -rf "$results"' EXIT
passed=0
failed=0
failures=()

# ---- unit tests
if [ $# = 0 ] || [ "${UNIT_ALWAYS:-0}" = 1 ]; then
	echo "== unit: $UNIT"
	urc=0
	if [ -x "$UNIT" ]; then
		"$UNIT" >"$results/unit.log" 2>&1 </dev/null || urc=$?
	else
		echo "unit test binary not found: $UNIT" >"$results/unit.log"
		urc=127
	fi
	cat "$results/unit.log"
	last=$(tail -n 1 "$results/unit.log")
	if [[ "$last" =~ ^unit:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
		up=${BASH_REMATCH[1]}
		uf=${BASH_REMATCH[2]}
		# A non-zero exit with no failure counted (or killed after printing) is still a failure.
		if [ "$urc" != 0 ] && [ "$uf" = 0 ]; then
			uf=1
		fi
	else
		up=0
		uf=1
		echo "FAIL unit: the binary did not finish (exit status $urc)"
	fi
	passed=$((passed + up))
	failed=$((failed + uf))
	[ "$uf" != 0 ] && failures+=("unit ($uf)")
	grep '^FAIL ' "$results/unit.log" | sed 's/^FAIL /unit:/' >"$results/unit.failed" || true
	if [ "$uf" != 0 ] && [ ! -s "$results/unit.failed" ]; then
		echo "unit: the binary exited with status $urc" >"$results/unit.failed"
	fi
fi

# ---- integration tests
# The host's state the tests must leave as they found it (checked once they all ended).
forward_before=$(cat /proc/sys/net/ipv4/ip_forward 2>/dev/null)
# Host paths that berth or a client under test (podman, containerd, dockerd, skopeo) would create
# if a test let it write outside its temp dirs: those absent now must be absent at the end.
host_paths=(/run/berth /var/lib/berth /run/berth-runtime /run/libpod /run/containers
	/var/lib/containers /etc/cni/net.d/cni.lock /run/containerd /var/lib/containerd /run/docker
	/var/lib/docker /run/crun /run/runc)
# And berth's cgroup level, <the suite's own cgroup>/berth in every hierarchy: berth makes it
# for its containers and removes it with the last one, whichever path that container ended by.
mapfile -t cgroup_levels < <(/usr/bin/python3 - <<'EOF'
mounts = []
for line in open("/proc/self/mountinfo"):
    left, right = line.split(" - ", 1)
    fstype, _, opts = right.split()[:3]
    if fstype in ("cgroup", "cgroup2"):
        mounts.append((left.split()[4], fstype, set(opts.split(","))))
for line in open("/proc/self/cgroup"):
    _, ctl, path = line.rstrip("\n").split(":", 2)
    for mp, fstype, opts in mounts:
        if (fstype == "cgroup2" and not ctl) or (fstype == "cgroup" and ctl and ctl.split(",")[0] in opts):
            print(mp.rstrip("/") + path.rstrip("/") + "/berth")
EOF
)
host_paths+=("${cgroup_levels[@]}")
absent_before=()
for p in "${host_paths[@]}"; do
	[ -e "$p" ] || absent_before+=("$p")
done
jobs=${BERTH_TEST_JOBS:-2}
ncpu=$(nproc 2>/dev/null || echo 1)
[ "$jobs" -gt "$ncpu" ] && jobs=$ncpu
[ "$jobs" -lt 1 ] && jobs=1

: >"$results/list"
for f in "$here"/integration/test_*.sh; do
	[ -e "$f" ] || continue
	for t in $(bash "$here/integration/lib.sh" list "$f"); do
		name="${f##*/}:$t"
		if [ $# -gt 0 ]; then
			keep=0
			for pat in "$@"; do
				case "$name" in *"$pat"*) keep=1 ;; esac
			done
			[ "$keep" = 1 ] || continue
		fi
		printf '%s\n%s\n' "$f" "$t" >>"$results/list"
	done
done
n=$(($(wc -l <"$results/list") / 2))
echo "== integration: $n tests, $jobs at a time"
if [ "$n" -gt 0 ]; then
	xargs -d '\n' -n 2 -P "$jobs" bash "$here/integration/lib.sh" run-one "$results" <"$results/list"
fi
while read -r f && read -r t; do
	name="${f##*/}:$t"
	if [ "$(cat "$results/$name.rc" 2>/dev/null)" = ok ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failures+=("$name")
	fi
done <"$results/list"

# After every integration test: the host's IPv4 forwarding is what it was (berth turns it on only
# while one of its bridges needs it; a client daemon must not change it either).
if [ "$n" -gt 0 ] && [ $# -eq 0 ]; then
	forward_after=$(cat /proc/sys/net/ipv4/ip_forward 2>/dev/null)
	if [ "$forward_before" = "$forward_after" ]; then
		passed=$((passed + 1))
		echo "ok host:ip_forward unchanged ($forward_after)"
	else
		failed=$((failed + 1))
		failures+=("host:ip_forward was $forward_before before the tests and is $forward_after after")
		echo "$forward_before" >/proc/sys/net/ipv4/ip_forward # leave the machine as it was
	fi
fi

# After the integration tests: no host path that was absent before them. (Not removed here: a
# berth outside the suite may have made it meanwhile, e.g. /run/berth while its bridge exists.)
if [ "$n" -gt 0 ]; then
	left=()
	for p in "${absent_before[@]}"; do
		[ -e "$p" ] && left+=("$p")
	done
	if [ ${#left[@]} = 0 ]; then
		passed=$((passed + 1))
		echo "ok host:no paths left behind (${#absent_before[@]} checked)"
	else
		failed=$((failed + 1))
		failures+=("host:left behind by the tests (absent before them): ${left[*]}")
		echo "FAIL host:left behind by the tests (absent before them): ${left[*]}"
	fi
fi

# ---- cgroup v2 in a VM (this host is hybrid): with BERTH_VM_TESTS=1, as make check sets it
if [ "${BERTH_VM_TESTS:-0}" = 1 ] && [ $# -eq 0 ]; then
	echo "== cgroup v2 VM"
	bash "$here/vm/run.sh" >"$results/vm.log" 2>&1
	vm_rc=$?
	grep -E '^(PASS|FAIL)' "$results/vm.log" | sed 's/^/  /' || true
	last=$(grep -E '^cgroup2: [0-9]+ passed, [0-9]+ failed' "$results/vm.log" | tail -n 1)
	if [[ "$last" =~ ^cgroup2:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
		passed=$((passed + BASH_REMATCH[1]))
		failed=$((failed + BASH_REMATCH[2]))
		[ "${BASH_REMATCH[2]}" = 0 ] || failures+=("cgroup2-vm (see the FAIL lines above)")
	else
		failed=$((failed + 1))
		failures+=("cgroup2-vm: no summary (exit $vm_rc); last lines: $(tail -n 3 "$results/vm.log" | tr '\n' ' ')")
	fi
fi

# ---- fuzzing: a bounded run of every fuzz target (make check sets BERTH_FUZZ_SECONDS), each a
# test: it passes when libFuzzer found no crash, leak or timeout in that time.
if [ "${BERTH_FUZZ_SECONDS:-0}" -gt 0 ] && [ $# -eq 0 ]; then
	echo "== fuzz: ${BERTH_FUZZ_SECONDS}s per target"
	make -s -C "$here/.." fuzz-run FUZZ_SECONDS="$BERTH_FUZZ_SECONDS" >"$results/fuzz.log" 2>&1
	while read -r _ name verdict _; do
		name=${name%:}
		case "$verdict" in
		ok) passed=$((passed + 1)); echo "ok fuzz:$name" ;;
		FAILED,) failed=$((failed + 1)); failures+=("fuzz:$name (build/fuzz/run/$name/log)"); echo "FAIL fuzz:$name" ;;
		esac
	done < <(grep -E '^fuzz [a-z_]+: (ok|FAILED)' "$results/fuzz.log")
	if ! grep -qE '^fuzz-run: (no crashes|crashes in)' "$results/fuzz.log"; then
		failed=$((failed + 1))
		failures+=("fuzz: the fuzz build or run failed: $(tail -n 3 "$results/fuzz.log" | tr '\n' ' ')")
	fi
fi

# ---- summary
echo "== results"
if [ -s "$results/unit.failed" ]; then
	sed 's/^/failed: /' "$results/unit.failed"
fi
for x in "${failures[@]}"; do
	case "$x" in unit*) ;; *) echo "failed: $x" ;; esac
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
