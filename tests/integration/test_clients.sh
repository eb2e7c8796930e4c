# Integration tests of berth-runtime under real clients: podman (through conmon), containerd (ctr,
# through containerd-shim-runc-v2) and dockerd (its own containerd and shim). Run as root by
# tests/run.sh through lib.sh.
# shellcheck shell=bash disable=SC2016 # single-quoted $ are for the container's shell
#
# Each test runs in a private mount namespace (see tests/clients/clients.sh: /run is a tmpfs there
# and /var/lib an overlay, so the clients' fixed host paths and any mount they forget vanish with
# it), starts its own daemon on state, sockets and config under $TEST_TMP, and stops it by pid
# (defer). The runtime is called through a wrapper that logs every call with its exit status to
# $TEST_TMP/runtime-calls.log, printed at the end (the log is shown when a test fails).
#
# Needs the Debian packages podman, conmon, containerd, docker.io (plus util-linux, bsdutils,
# python3, already test deps): a missing one fails the test with its name.

CLIENTS_TEST_FILE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
# shellcheck source=../clients/clients.sh
source "$(dirname "$CLIENTS_TEST_FILE")/../clients/clients.sh"

# in_ns FUNC: runs FUNC in a private mount namespace, in a bash of its own with the harness's
# helpers, ERR/EXIT traps and defer (deferred commands run before the namespace goes away).
in_ns() {
	clients_need unshare
	unshare -m --propagation private -- bash -c 'set -eEu -o pipefail
		source "$1"; source "$2"
		trap _test_err ERR
		trap _test_exit EXIT
		clients_ns_setup "$TEST_TMP/ns"
		cd "$TEST_TMP"
		"$3"' bash "$_LIB" "$CLIENTS_TEST_FILE" "$1" || exit $?
}

# The runtime the clients get: a wrapper logging each call (see runtime-trace.sh).
traced_runtime() {
	RT=$(bash "$CLIENTS_DIR/runtime-trace.sh" "$TEST_TMP/runtime-calls.log" "$BERTH_RUNTIME")
	defer 'echo "--- runtime calls:"; cat "$TEST_TMP/runtime-calls.log" 2>/dev/null || true'
}

# hexid: a random 32-hex container id (so the harness's leftover check can find it).
hexid() {
	od -An -N16 -tx1 /dev/urandom | tr -d ' \n'
}

# ---------------------------------------------------------------------------------------------
# podman

# podman_env [ULIMITS]: podman configured for berth-runtime in $TEST_TMP/pm, the image imported.
podman_env() {
	clients_need podman conmon
	traced_runtime
	podman_setup "$TEST_TMP/pm" berth "$RT" "${1:-hard}"
	defer 'podman_cleanup "$TEST_TMP/pm"'
	podman_import
	PM_RUN=(podman run --cgroup-parent "/$PODMAN_CGROUP")
}

_podman_run_rm() {
	podman_env
	assert_exit 3 "${PM_RUN[@]}" --rm "$CLIENTS_IMAGE" sh -c 'echo to-out; echo to-err >&2; exit 3'
	assert_eq "to-out" "$OUT" "stdout"
	assert_contains "$ERR" "to-err"
	assert_exit 0 "${PM_RUN[@]}" --rm "$CLIENTS_IMAGE" sh -c 'cat /proc/1/comm; hostname'
	assert_contains "$OUT" "sh"
	assert_exit 0 podman ps -aq
	assert_eq "" "$OUT" "containers left after run --rm"
}
test_podman_run_rm() { in_ns _podman_run_rm; }

# podman's root default of 1048576 open files (and processes) is above this machine's hard limits
# and raising them needs CAP_SYS_RESOURCE: the error must say which rlimit and why.
_podman_default_ulimits_error() {
	podman_env default
	assert_exit 126 "${PM_RUN[@]}" --rm "$CLIENTS_IMAGE" true
	assert_contains "$ERR" "RLIMIT_NOFILE"
	assert_contains "$ERR" "CAP_SYS_RESOURCE"
	assert_contains "$ERR" "hard limit"
	# and an explicit --ulimit within the limits works with the same config
	assert_exit 0 "${PM_RUN[@]}" --rm --ulimit "nofile=1024:1024" --ulimit "nproc=1024:1024" \
		"$CLIENTS_IMAGE" sh -c 'ulimit -n'
	assert_eq 1024 "$OUT"
}
test_podman_default_ulimits_error() { in_ns _podman_default_ulimits_error; }

# /dev/null, /dev/urandom, ... must be usable: podman's config only says "deny all" in the device
# cgroup and relies on the runtime to allow the default devices (runc and crun do).
_podman_default_devices() {
	podman_env
	assert_exit 0 "${PM_RUN[@]}" --rm "$CLIENTS_IMAGE" sh -c \
		'echo x >/dev/null && head -c 4 /dev/urandom | wc -c && head -c 4 /dev/zero | wc -c'
	assert_eq "$(printf '4\n4')" "$OUT"
}
test_podman_default_devices() { in_ns _podman_default_devices; }

_podman_detach_exec_stop_rm() {
	podman_env
	assert_exit 0 "${PM_RUN[@]}" -d --name c1 "$CLIENTS_IMAGE" sh -c 'trap "exit 0" TERM; echo ready; while :; do sleep 0.1; done'
	local id=$OUT
	note_id "$id"
	wait_for 10 sh -c 'podman logs c1 | grep -q ready'
	assert_exit 0 podman inspect -f '{{.State.Status}}' c1
	assert_eq running "$OUT"
	assert_exit 4 podman exec c1 sh -c 'echo in-exec; exit 4'
	assert_eq "in-exec" "$OUT" "exec output"
	assert_exit 0 podman exec -d c1 sleep 1
	assert_exit 0 podman stop -t 10 c1
	assert_exit 0 podman inspect -f '{{.State.ExitCode}}' c1
	assert_eq 0 "$OUT" "exit code after stop (SIGTERM trapped)"
	assert_exit 0 podman rm c1
	assert_exit 0 podman ps -aq
	assert_eq "" "$OUT"
}
test_podman_detach_exec_stop_rm() { in_ns _podman_detach_exec_stop_rm; }

_podman_memory_limit() {
	podman_env
	assert_exit 0 "${PM_RUN[@]}" -d --memory 32m "$CLIENTS_IMAGE" sleep 600
	local id=$OUT
	note_id "$id"
	local pid
	pid=$(podman inspect -f '{{.State.Pid}}' "$id")
	local cg
	cg=$(awk -F: '$2 == "memory" { print $3 }' /proc/"$pid"/cgroup)
	assert_contains "$cg" "$id" "the init's memory cgroup"
	assert_eq 33554432 "$(cat /sys/fs/cgroup/memory"$cg"/memory.limit_in_bytes)" "memory.limit_in_bytes"
	assert_exit 0 podman rm -f -t 0 "$id"
}
test_podman_memory_limit() { in_ns _podman_memory_limit; }

_podman_pause_unpause() {
	podman_env
	assert_exit 0 "${PM_RUN[@]}" -d "$CLIENTS_IMAGE" sleep 600
	local id=$OUT
	note_id "$id"
	local pid cg
	pid=$(podman inspect -f '{{.State.Pid}}' "$id")
	cg=$(awk -F: '$2 == "freezer" { print $3 }' /proc/"$pid"/cgroup)
	assert_exit 0 podman pause "$id"
	assert_exit 0 podman inspect -f '{{.State.Status}}' "$id"
	assert_eq paused "$OUT"
	assert_eq FROZEN "$(cat /sys/fs/cgroup/freezer"$cg"/freezer.state)" "freezer.state"
	assert_exit 0 podman unpause "$id"
	assert_exit 0 podman inspect -f '{{.State.Status}}' "$id"
	assert_eq running "$OUT"
	assert_eq THAWED "$(cat /sys/fs/cgroup/freezer"$cg"/freezer.state)" "freezer.state"
	assert_exit 0 podman rm -f -t 0 "$id"
}
test_podman_pause_unpause() { in_ns _podman_pause_unpause; }

# run -it under script(1): the runtime gets --console-socket from conmon. conmon writes what it
# reads from the console to the container's log, so `podman logs` shows the runtime's console
# reached conmon. What podman's attach shows has a race of podman's own: a command that writes
# and exits at once loses its output now and then with runc too (2 in 40 runs, measured), so
# the command waits before writing.
_podman_run_tty() {
	podman_env
	clients_need script
	run script -qec "${PM_RUN[*]} --name tty1 -it $CLIENTS_IMAGE sh -c 'sleep 0.5; tty; exit 5'" /dev/null
	assert_eq 5 "$RC" "exit status of run -it (output: $OUT)"
	assert_contains "$OUT" "/dev/pts/0"
	assert_exit 0 podman logs tty1
	assert_contains "$OUT" "/dev/pts/0"
	assert_exit 0 podman rm tty1
}
test_podman_run_tty() { in_ns _podman_run_tty; }

# ---------------------------------------------------------------------------------------------
# containerd (ctr)

ctd_env() {
	clients_need containerd ctr containerd-shim-runc-v2
	traced_runtime
	containerd_start "$TEST_TMP/ctd"
	defer 'containerd_cleanup "$TEST_TMP/ctd"'
	clients_archive "$TEST_TMP"
	ctr image import "$TEST_TMP/busybox.tar" >/dev/null
	CTR_RUN=(ctr run --runc-binary "$RT" --runc-root "$TEST_TMP/ctd/runc-root")
}

_ctr_run_rm() {
	ctd_env
	local id
	id=$(hexid)
	note_id "$id"
	assert_exit 3 "${CTR_RUN[@]}" --rm "$CLIENTS_IMAGE" "$id" sh -c 'echo to-out; exit 3'
	assert_eq "to-out" "$OUT"
	# the shim calls the runtime with --root, --log and --log-format json
	assert_contains "$(cat "$TEST_TMP/runtime-calls.log")" "--log-format json create"
	assert_exit 0 ctr container ls -q
	assert_eq "" "$OUT" "containers left after run --rm"
}
test_ctr_run_rm() { in_ns _ctr_run_rm; }

# An error of the runtime reaches the user through the shim's JSON log.
_ctr_runtime_error_reaches_user() {
	ctd_env
	local id
	id=$(hexid)
	note_id "$id"
	run "${CTR_RUN[@]}" --rm "$CLIENTS_IMAGE" "$id" /no/such/binary
	[ "$RC" != 0 ] || fail "ctr run of a missing binary succeeded"
	assert_contains "$ERR" "/no/such/binary"
	ctr container delete "$id" >/dev/null 2>&1 || true
}
test_ctr_runtime_error_reaches_user() { in_ns _ctr_runtime_error_reaches_user; }

_ctr_detach_exec_ps_pause_kill_rm() {
	ctd_env
	local id
	id=$(hexid)
	note_id "$id"
	assert_exit 0 "${CTR_RUN[@]}" -d "$CLIENTS_IMAGE" "$id" sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done'
	assert_exit 0 ctr task ls
	assert_contains "$OUT" "RUNNING"
	local errs=""
	run ctr task exec --exec-id e1 "$id" sh -c 'echo in-exec; exit 4'
	[ "$RC" = 4 ] && [ "$OUT" = in-exec ] || errs+="exec: exit $RC, out '$OUT', err '$ERR'"$'\n'
	run ctr task ps "$id"
	[ "$RC" = 0 ] || errs+="task ps: exit $RC: $ERR"$'\n'
	run ctr task pause "$id"
	if [ "$RC" = 0 ]; then
		run ctr task ls
		assert_contains "$OUT" "PAUSED"
		run ctr task resume "$id"
		[ "$RC" = 0 ] || errs+="task resume: exit $RC: $ERR"$'\n'
	else
		errs+="task pause: exit $RC: $ERR"$'\n'
	fi
	assert_exit 0 ctr task kill "$id"
	wait_for 10 sh -c "ctr task ls | grep -q STOPPED"
	assert_exit 0 ctr task delete "$id"
	assert_exit 0 ctr container delete "$id"
	assert_exit 0 ctr task ls -q
	assert_eq "" "$OUT"
	[ -z "$errs" ] || fail "$errs"
}
test_ctr_detach_exec_ps_pause_kill_rm() { in_ns _ctr_detach_exec_ps_pause_kill_rm; }

# ---------------------------------------------------------------------------------------------
# dockerd

dkd_env() {
	clients_need dockerd "$DOCKER_CLI"
	traced_runtime
	dockerd_start "$TEST_TMP/dkd" "$RT"
	defer 'dockerd_cleanup "$TEST_TMP/dkd"'
	clients_archive "$TEST_TMP"
	"$DOCKER_CLI" load -i "$TEST_TMP/busybox.tar" >/dev/null
	# --network none: the daemon runs with ip-forward false (it must not change the host), and
	# docker warns about forwarding on every bridge-network run
	DK_RUN=("$DOCKER_CLI" run --runtime berth --network none)
}

_docker_run_rm() {
	dkd_env
	assert_exit 0 "${DK_RUN[@]}" --rm "$CLIENTS_IMAGE" echo hi
	assert_eq hi "$OUT"
	assert_exit 3 "${DK_RUN[@]}" --rm "$CLIENTS_IMAGE" sh -c 'echo to-err >&2; exit 3'
	assert_eq to-err "$ERR"
	assert_exit 0 "$DOCKER_CLI" ps -aq
	assert_eq "" "$OUT"
}
test_docker_run_rm() { in_ns _docker_run_rm; }

_docker_detach_exec_top_stop_rm() {
	dkd_env
	assert_exit 0 "${DK_RUN[@]}" -d --name d1 "$CLIENTS_IMAGE" sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done'
	note_id "$OUT"
	local errs=""
	run "$DOCKER_CLI" exec d1 sh -c 'echo in-exec; exit 4'
	[ "$RC" = 4 ] && [ "$OUT" = in-exec ] || errs+="exec: exit $RC, out '$OUT', err '$ERR'"$'\n'
	run "$DOCKER_CLI" top d1
	[ "$RC" = 0 ] || errs+="top (runtime ps): exit $RC: $ERR"$'\n'
	run "$DOCKER_CLI" pause d1
	if [ "$RC" = 0 ]; then
		run "$DOCKER_CLI" unpause d1
		[ "$RC" = 0 ] || errs+="unpause: exit $RC: $ERR"$'\n'
	else
		errs+="pause: exit $RC: $ERR"$'\n'
	fi
	assert_exit 0 "$DOCKER_CLI" stop -t 10 d1
	assert_exit 0 "$DOCKER_CLI" inspect -f '{{.State.ExitCode}}' d1
	assert_eq 0 "$OUT" "exit code after stop (SIGTERM trapped)"
	assert_exit 0 "$DOCKER_CLI" rm d1
	[ -z "$errs" ] || fail "$errs"
}
test_docker_detach_exec_top_stop_rm() { in_ns _docker_detach_exec_top_stop_rm; }

_docker_run_tty() {
	dkd_env
	assert_exit 0 "${DK_RUN[@]}" --rm -t "$CLIENTS_IMAGE" tty
	assert_contains "$OUT" "/dev/pts/0"
}
test_docker_run_tty() { in_ns _docker_run_tty; }

_docker_memory_limit() {
	dkd_env
	assert_exit 0 "${DK_RUN[@]}" -d -m 32m "$CLIENTS_IMAGE" sleep 600
	local id=$OUT
	note_id "$id"
	local pid cg
	pid=$("$DOCKER_CLI" inspect -f '{{.State.Pid}}' "$id")
	cg=$(awk -F: '$2 == "memory" { print $3 }' /proc/"$pid"/cgroup)
	assert_contains "$cg" "$id" "the init's memory cgroup"
	assert_eq 33554432 "$(cat /sys/fs/cgroup/memory"$cg"/memory.limit_in_bytes)" "host: memory.limit_in_bytes"
	assert_exit 0 "$DOCKER_CLI" rm -f "$id"
	# inside, /sys/fs/cgroup/memory is the container's own cgroup (as runc and crun mount it)
	assert_exit 0 "${DK_RUN[@]}" --rm -m 32m "$CLIENTS_IMAGE" cat /sys/fs/cgroup/memory/memory.limit_in_bytes
	assert_eq 33554432 "$OUT" "container: /sys/fs/cgroup/memory/memory.limit_in_bytes"
}
test_docker_memory_limit() { in_ns _docker_memory_limit; }
