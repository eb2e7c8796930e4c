# Integration test harness: sourced by test files, and run by tests/run.sh as
#
#     bash tests/integration/lib.sh run-one RESULTS_DIR FILE TEST
#
# which runs one test function in its own bash process (set -eEu -o pipefail) with a fresh store:
#   BERTH_ROOT=/tmp/berth-test.XXXXXX   (berth reads BERTH_ROOT)
#   TEST_TMP=$BERTH_ROOT.scratch        (scratch files; its path contains $BERTH_ROOT, so a
#                                        process or mount that mentions it is found as leftover)
# and afterwards checks that nothing is left behind: no mount mentioning BERTH_ROOT or a container
# id of the test, no process whose cmdline or environment mentions BERTH_ROOT or whose cgroup
# names a container id of the test, no cgroup directory named after such an id. Anything left is
# a failure; the harness then cleans it up (processes by pid, mounts by path).
#
# A test file defines functions named test_*; each must not depend on another's order or state.
# Helpers for tests are below: fail, assert_eq, assert_contains, assert_not_contains, assert_exit,
# run, assert_one_error_line, bg_start, wait_for, container_init_pid, note_id, defer, ...
#
# Environment: BERTH, BERTH_RUNTIME (absolute paths), BERTH_DATADIR; BERTH_TEST_TIMEOUT (seconds
# for one test, default 90).

# ---------------------------------------------------------------------------------------------
# Helpers for test bodies

# The system python (a version-manager shim can take half a second to start).
PYTHON=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}

# fail MSG...: ends the test as failed.
fail() {
	local where="${BASH_SOURCE[1]##*/}:${BASH_LINENO[0]}"
	echo "FAIL at $where: $*" >&2
	exit 1
}

# need_cmd CMD PACKAGE: fails unless CMD is on PATH. A tool a test uses is on the Makefile's lists
# (make check installs it; test_packages.sh checks the lists), so its absence is a failure, never
# a silent pass.
need_cmd() {
	command -v "$1" >/dev/null || fail "$1 is not installed: make check installs Debian's $2 (Makefile: DEB_TEST)"
}

# assert_eq EXPECTED ACTUAL [WHAT]
assert_eq() {
	if [ "$1" != "$2" ]; then
		local where="${BASH_SOURCE[1]##*/}:${BASH_LINENO[0]}"
		printf 'FAIL at %s: %s\n  expected: %s\n  actual:   %s\n' "$where" "${3:-values differ}" \
			"$(printf %q "$1")" "$(printf %q "$2")" >&2
		exit 1
	fi
}

# assert_contains HAYSTACK NEEDLE [WHAT]
assert_contains() {
	case "$1" in
	*"$2"*) ;;
	*)
		local where="${BASH_SOURCE[1]##*/}:${BASH_LINENO[0]}"
		printf 'FAIL at %s: %s\n  expected to contain: %s\n  in: %s\n' "$where" \
			"${3:-missing text}" "$(printf %q "$2")" "$(printf %q "$1")" >&2
		exit 1
		;;
	esac
}

# assert_not_contains HAYSTACK NEEDLE [WHAT]
assert_not_contains() {
	case "$1" in
	*"$2"*)
		local where="${BASH_SOURCE[1]##*/}:${BASH_LINENO[0]}"
		printf 'FAIL at %s: %s\n  must not contain: %s\n  in: %s\n' "$where" \
			"${3:-unexpected text}" "$(printf %q "$2")" "$(printf %q "$1")" >&2
		exit 1
		;;
	esac
}

# run CMD...: runs CMD with stdin from /dev/null unless redirected by the caller; sets RC, OUT,
# ERR (stdout and stderr, trailing newlines stripped). Never fails by itself.
run() {
	local rc=0
	"$@" >"$TEST_TMP/.out" 2>"$TEST_TMP/.err" || rc=$?
	RC=$rc
	OUT=$(cat "$TEST_TMP/.out")
	ERR=$(cat "$TEST_TMP/.err")
	return 0
}

# assert_exit CODE CMD...: runs CMD (as run does) and checks its exit status.
assert_exit() {
	local want=$1
	shift
	run "$@"
	if [ "$RC" != "$want" ]; then
		local where="${BASH_SOURCE[1]##*/}:${BASH_LINENO[0]}"
		printf 'FAIL at %s: exit status %s, expected %s\n  command: %s\n  stdout: %s\n  stderr: %s\n' \
			"$where" "$RC" "$want" "$*" "$OUT" "$ERR" >&2
		exit 1
	fi
}

# assert_one_error_line [TEXT]: the last run's stderr is exactly one line starting "berth: "
# (and containing TEXT if given).
assert_one_error_line() {
	local where="${BASH_SOURCE[1]##*/}:${BASH_LINENO[0]}"
	local n
	n=$(printf '%s\n' "$ERR" | grep -c . || true)
	if [ "$n" != 1 ]; then
		printf 'FAIL at %s: expected one line on stderr, got %s:\n%s\n' "$where" "$n" "$ERR" >&2
		exit 1
	fi
	case "$ERR" in
	"berth: "*) ;;
	*)
		printf 'FAIL at %s: stderr does not start with "berth: ": %s\n' "$where" "$ERR" >&2
		exit 1
		;;
	esac
	if [ $# -gt 0 ]; then
		case "$ERR" in
		*"$1"*) ;;
		*)
			printf 'FAIL at %s: stderr does not mention %q: %s\n' "$where" "$1" "$ERR" >&2
			exit 1
			;;
		esac
	fi
}

# defer CMD: runs the shell command CMD when the test ends (last deferred first).
DEFERRED=()
defer() {
	DEFERRED=("$1" "${DEFERRED[@]}")
}

# descendants PID: every descendant pid of PID, deepest last, one per line.
descendants() {
	local p c
	for p in "$@"; do
		for c in $(cat /proc/"$p"/task/*/children 2>/dev/null || true); do
			echo "$c"
			descendants "$c"
		done
	done
}

# bg_start NAME CMD...: starts CMD in the background with default signal dispositions (as from
# an interactive shell, so SIGINT/SIGQUIT are not ignored), stdin from /dev/null (unless NAME.in
# exists in TEST_TMP: then from that file or fifo), stdout to $TEST_TMP/NAME.out, stderr to
# $TEST_TMP/NAME.err. Sets BG_PID. The test's end kills it and its descendants if still running.
BG_PIDS=()
bg_start() {
	local name=$1 in=/dev/null
	shift
	[ -e "$TEST_TMP/$name.in" ] && in="$TEST_TMP/$name.in"
	env --default-signal "$@" <"$in" >"$TEST_TMP/$name.out" 2>"$TEST_TMP/$name.err" &
	BG_PID=$!
	BG_PIDS+=("$BG_PID")
}

# bg_wait PID: waits for a bg_start'ed process and sets RC to its exit status.
bg_wait() {
	local rc=0
	wait "$1" || rc=$?
	RC=$rc
}

# wait_for SECONDS CMD...: polls CMD (every 50 ms) until it succeeds; fails the test on timeout.
wait_for() {
	local secs=$1 i=0
	shift
	local tries=$((secs * 20))
	while ! "$@" 2>/dev/null; do
		i=$((i + 1))
		if [ "$i" -ge "$tries" ]; then
			local where="${BASH_SOURCE[1]##*/}:${BASH_LINENO[0]}"
			echo "FAIL at $where: timed out after ${secs}s waiting for: $*" >&2
			exit 1
		fi
		sleep 0.05
	done
}

# private_host CMD...: runs CMD in a mount namespace of its own where /run is an empty tmpfs and
# /var/lib an overlay whose writes go to $TEST_TMP/.private-host: for the tools that write to
# fixed host paths no flag moves (skopeo and podman 4.3 as root keep a blob-info cache in
# /var/lib/containers/cache). CMD's stdin, stdout, stderr and exit status are the caller's.
private_host() {
	# shellcheck source=../clients/clients.sh
	declare -F clients_in_ns >/dev/null || source "$(dirname "${BASH_SOURCE[0]}")/../clients/clients.sh"
	clients_in_ns "$TEST_TMP/.private-host" "$@"
}

# free_port: a free TCP port on 127.0.0.1 (the kernel's pick; racy only against other programs).
free_port() {
	"$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# in_private_netns FUNC: runs FUNC (of the calling test file) in a network and mount namespace of
# its own (only lo, up; ip_forward 0; /run an empty tmpfs), with the harness's helpers, traps and
# defer: for what is host-wide (the host lock, ip_forward, /run/berth, bridges, nft tables)
# without meeting the host's or other tests'. Mounts made in it are not seen by the harness.
in_private_netns() {
	local file
	file=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)/$(basename "${BASH_SOURCE[1]}")
	unshare -n -m --propagation private -- bash -c 'set -eEu -o pipefail
		source "$1"; source "$2"
		trap _test_err ERR
		trap _test_exit EXIT
		mount -t tmpfs -o mode=755,size=1m private-run /run
		ip link set lo up
		echo 0 >/proc/sys/net/ipv4/ip_forward
		cd "$TEST_TMP"
		"$3"' bash "$_LIB" "$file" "$1" || exit $?
}

# file_contains FILE TEXT: true if FILE exists and contains TEXT (a fixed string).
file_contains() {
	[ -f "$1" ] && grep -qF -- "$2" "$1"
}

# container_init_pid PID: the host pid of the container's init among PID's descendants (the
# first process that is pid 1 of a pid namespace other than ours); fails if none.
container_init_pid() {
	local p nspid
	for p in $(descendants "$1"); do
		nspid=$(awk '/^NSpid:/ { $1 = ""; print }' /proc/"$p"/status 2>/dev/null || true)
		set -- $nspid
		if [ $# -ge 2 ] && [ "${!#}" = 1 ]; then
			echo "$p"
			return 0
		fi
	done
	echo "FAIL: no container init among the descendants of $1" >&2
	return 1
}

# container_ids: the container ids (64-hex directory names) under $BERTH_ROOT/containers, one
# per line. Other entries (the store's own index, e.g. names/) are not containers.
container_ids() {
	local d
	for d in "$BERTH_ROOT"/containers/*; do
		[ -d "$d" ] || continue
		d=${d##*/}
		[[ "$d" =~ ^[0-9a-f]{64}$ ]] && echo "$d"
	done
	return 0
}

# berth_cgroup_levels: berth's cgroup level in every hierarchy, <the caller's cgroup>/berth, one
# per line (it need not exist): where the containers' cgroups are made (docs/state.md).
berth_cgroup_levels() {
	"$PYTHON" - <<'EOF'
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
}

# note_id ID: tells the harness about a container id, so it checks for leftovers under that id
# too (mounts, cgroups, processes) even if the container directory is gone.
note_id() {
	echo "$1" >>"$TEST_TMP/.ids"
}

# json_get FILE KEY: prints the JSON value of top-level KEY of FILE (strings bare, others as JSON).
json_get() {
	"$PYTHON" - "$1" "$2" <<'EOF'
import json, sys
v = json.load(open(sys.argv[1]))
for part in sys.argv[2].split("."):
    v = v[part]
print(v if isinstance(v, str) else json.dumps(v))
EOF
}

# The end of every test: deferred commands, then kill what bg_start started (descendants first).
_test_exit() {
	local rc=$? cmd p
	trap - ERR
	set +e
	for cmd in "${DEFERRED[@]}"; do
		eval "$cmd"
	done
	for p in "${BG_PIDS[@]}"; do
		if kill -0 "$p" 2>/dev/null; then
			local kids
			kids=$(descendants "$p")
			# shellcheck disable=SC2086
			kill -KILL $kids "$p" 2>/dev/null
			wait "$p" 2>/dev/null
		fi
	done
	exit "$rc"
}

_test_err() {
	local rc=$?
	echo "error: ${BASH_SOURCE[1]##*/}:${BASH_LINENO[0]}: command exited $rc: $BASH_COMMAND" >&2
}

# ---------------------------------------------------------------------------------------------
# The runner side

# _leftover_processes ROOT IDS...: prints "pid cmdline" of every process (other than the scanner)
# whose cmdline or environment mentions ROOT, or whose cgroup path names one of IDS.
_leftover_processes() {
	"$PYTHON" - "$@" <<'EOF'
import os, sys
root = sys.argv[1].encode()
ids = [i.encode() for i in sys.argv[2:] if i]
me = os.getpid()
for d in os.listdir("/proc"):
    if not d.isdigit() or int(d) in (me, os.getppid()):
        continue
    try:
        cmd = open(f"/proc/{d}/cmdline", "rb").read()
        env = open(f"/proc/{d}/environ", "rb").read()
        cg = open(f"/proc/{d}/cgroup", "rb").read()
    except OSError:
        continue
    hit = root in cmd or (b"BERTH_ROOT=" + root) in env.split(b"\0")
    hit = hit or any(i in cg for i in ids)
    if hit:
        print(d, cmd.replace(b"\0", b" ").decode(errors="replace").strip())
EOF
}

# _run_one RESULTS FILE TEST: runs one test and prints its result; writes RESULTS/FILE:TEST.rc.
_run_one() {
	local results=$1 file=$2 test=$3
	local name="${file##*/}:$test"
	local log="$results/$name.log"
	local root tmp rc=0 start end problems=""
	root=$(mktemp -d /tmp/berth-test.XXXXXX)
	tmp="$root.scratch"
	mkdir -p "$tmp"
	start=$(date +%s%N)

	# The test body in its own bash process, in its own process group (timeout's), so a test that
	# hangs is ended with everything it started.
	BERTH_ROOT="$root" TEST_TMP="$tmp" timeout -k 5 "${BERTH_TEST_TIMEOUT:-90}" \
		bash -c 'set -eEu -o pipefail
			source "$1"; source "$2"
			trap _test_err ERR
			trap _test_exit EXIT
			cd "$TEST_TMP"
			"$3"' bash "$_LIB" "$file" "$test" </dev/null >"$log" 2>&1 || rc=$?
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		echo "FAIL: test timed out after ${BERTH_TEST_TIMEOUT:-90}s (exit $rc)" >>"$log"
	fi

	# Leftovers. Container ids: those on disk and those the test noted.
	local ids
	ids=$( { ls -1 "$root/containers" 2>/dev/null; cat "$tmp/.ids" 2>/dev/null; } | sort -u | grep -E '^[0-9a-f]{12,}$' || true)
	local procs
	# shellcheck disable=SC2086
	procs=$(_leftover_processes "$root" $ids)
	if [ -n "$procs" ]; then
		problems+="leftover processes:"$'\n'"$procs"$'\n'
		local pid
		for pid in $(printf '%s\n' "$procs" | awk '{print $1}'); do
			kill -KILL "$pid" 2>/dev/null || true
		done
		sleep 0.2
	fi
	local pat="$root" id
	for id in $ids; do pat+=$'\n'"$id"; done
	local mounts
	mounts=$(grep -F -- "$pat" /proc/self/mountinfo || true)
	if [ -n "$mounts" ]; then
		problems+="leftover mounts:"$'\n'"$mounts"$'\n'
		# Unmount deepest first, only mount points under the test's own directories.
		local mp
		for mp in $(printf '%s\n' "$mounts" | awk '{print $5}' | sort -r); do
			case "$mp" in
			"$root"*) umount -l "$mp" 2>/dev/null || true ;;
			esac
		done
	fi
	local cgs=""
	for id in $ids; do
		# (one per line: $(...) drops the last newline, and two ids' lists must not run together)
		cgs+=$(find /sys/fs/cgroup -depth -type d -name "*$id*" 2>/dev/null || true)$'\n'
	done
	cgs=$(printf '%s' "$cgs" | grep . || true)
	if [ -n "$cgs" ]; then
		problems+="leftover cgroups:"$'\n'"$cgs"$'\n'
		local cg
		for cg in $cgs; do
			# (cgroups the container made below its own first, deepest first)
			find "$cg" -mindepth 1 -depth -type d -exec rmdir {} \; 2>/dev/null || true
			rmdir "$cg" 2>/dev/null || true
			# and berth's level above it once empty (rmdir refuses while another test's
			# container is inside), as berth itself does: the failure is reported above, the
			# host is left as it was
			[ "${cg%/*/*}/berth" = "${cg%/*}" ] && { rmdir "${cg%/*}" 2>/dev/null || true; }
		done
	fi
	rm -rf --one-file-system -- "$root" "$tmp" 2>/dev/null || true
	if [ -e "$root" ] || [ -e "$tmp" ]; then
		problems+="could not remove $root"$'\n'
	fi
	[ -n "$problems" ] && printf 'FAIL: left behind after the test:\n%s' "$problems" >>"$log"

	end=$(date +%s%N)
	local secs
	secs=$(awk -v n=$(((end - start) / 1000000)) 'BEGIN { printf "%.1f", n / 1000 }')
	local status=ok
	if [ "$rc" != 0 ] || [ -n "$problems" ]; then
		status=FAIL
	fi
	echo "$status" >"$results/$name.rc"
	# One write per result (under a lock) so parallel runs do not interleave.
	{
		flock 9
		if [ "$status" = ok ]; then
			echo "ok $name (${secs}s)"
		else
			echo "FAIL $name (${secs}s)"
			sed 's/^/    /' "$log"
		fi
	} 9>>"$results/.print.lock"
}

_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	case "${1:-}" in
	run-one)
		shift
		[ $# = 3 ] || { echo "usage: lib.sh run-one RESULTS FILE TEST" >&2; exit 2; }
		_run_one "$@"
		;;
	cgroup-levels)
		berth_cgroup_levels
		;;
	list)
		# list FILE: the test functions of FILE, one per line.
		shift
		bash -c 'source "$1"; source "$2"; declare -F | awk "\$3 ~ /^test_/ { print \$3 }"' \
			bash "$_LIB" "$1"
		;;
	*)
		echo "usage: lib.sh run-one RESULTS FILE TEST | lib.sh list FILE | lib.sh cgroup-levels" >&2
		exit 2
		;;
	esac
fi
