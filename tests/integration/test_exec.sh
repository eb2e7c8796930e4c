# Integration tests of `berth exec`: what a user checks from inside and from the host — the
# exit status, the namespaces and cgroup it joins, the same security as the container's process,
# its environment plus -e, -u, -w, -d, -i, -t, and clear errors.
# Run as root by tests/run.sh through lib.sh: each test_* function gets its own BERTH_ROOT.
# shellcheck shell=bash disable=SC2016 # single-quoted $ are for the container's shell

# target NAME [ARGS...]: a detached busybox `sleep 1000` named NAME; sets ID and INIT (host pid).
ID=
INIT=
target() {
	local name=$1
	shift
	ID=$("$BERTH" run -d --network none --name "$name" "$@" busybox sleep 1000) ||
		fail "run -d --name $name failed"
	note_id "$ID"
	defer "\"\$BERTH\" rm -f $name >/dev/null 2>&1 || true"
	INIT=$(json_get "$BERTH_ROOT/containers/$ID/record.json" pid)
	[ -d /proc/"$INIT" ] || fail "no init for $name"
}

test_exec_exit_codes() {
	target ec
	assert_exit 0 "$BERTH" exec ec true
	assert_exit 5 "$BERTH" exec ec sh -c 'exit 5'
	assert_exit 137 "$BERTH" exec ec sh -c 'kill -9 $$'
	assert_exit 127 "$BERTH" exec ec nosuchcommand
	assert_one_error_line "nosuchcommand"
	assert_exit 126 "$BERTH" exec ec /etc
	assert_one_error_line "/etc"
}

test_exec_joins_every_namespace_and_the_cgroup() {
	target ns
	local n inside host
	for n in mnt uts ipc net pid cgroup user; do
		host=$(readlink /proc/"$INIT"/ns/$n)
		assert_exit 0 "$BERTH" exec ns readlink /proc/self/ns/$n
		assert_eq "$host" "$OUT" "exec's $n namespace is the container's"
	done
	# The same cgroup as the init, seen from inside (its cgroup namespace) and from the host.
	assert_exit 0 "$BERTH" exec ns sh -c 'cat /proc/self/cgroup; echo ---; cat /proc/1/cgroup'
	inside=$OUT
	assert_eq "$(sed -n '/---/q;p' <<<"$inside")" "$(sed '1,/---/d' <<<"$inside")" \
		"exec's cgroups are the init's"
	# From the host: every process of the container's pid namespace, a detached exec's among
	# them, is in the init's cgroups.
	assert_exit 0 "$BERTH" exec -d ns sleep 30
	local pid pidns found=0
	pidns=$(readlink /proc/"$INIT"/ns/pid)
	sleep 0.3
	for pid in $(pgrep -x sleep); do
		[ "$pid" != "$INIT" ] && [ "$(readlink /proc/"$pid"/ns/pid 2>/dev/null)" = "$pidns" ] || continue
		found=1
		assert_eq "$(cat /proc/"$INIT"/cgroup)" "$(cat /proc/"$pid"/cgroup)" "host view of cgroups"
	done
	[ "$found" = 1 ] || fail "the detached exec's sleep is not in the container's pid namespace"
}

test_exec_has_the_containers_security() {
	target sec --cap-drop NET_RAW --cap-add SYS_TIME
	local want got
	want=$(grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' /proc/"$INIT"/status)
	assert_exit 0 "$BERTH" exec sec grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status
	got=$OUT
	assert_eq "$want" "$got" "exec's capabilities, no_new_privs and seccomp mode"
	assert_contains "$got" "Seccomp:	2"
}

# Born non-dumpable, an exec'd process is dumpable again after its execve, by the kernel's rules
# (as under runc): its /proc/PID files are its own, so ps, top and ls /proc/self/fd work for a
# user other than root too.
test_exec_process_owns_its_proc_files() {
	target own
	assert_exit 0 "$BERTH" exec -u 1000:1000 own sh -c \
		'stat -c "%u %g" /proc/$$ /proc/$$/fd; ls /proc/$$/fd >/dev/null && echo FDS; ps -o pid,user,comm'
	assert_eq "1000 1000
1000 1000
FDS" "$(sed -n 1,3p <<<"$OUT")" "owner of the exec'd process's /proc files, and its fds"
	assert_contains "$OUT" "sleep" "ps sees the init"
	assert_exit 0 "$BERTH" exec own stat -c %u /proc/self/fd
	assert_eq 0 "$OUT" "owner of a root exec's /proc/self/fd"
}

test_exec_env_user_workdir() {
	target env -e FROM_RUN=1 -e SHARED=run
	assert_exit 0 "$BERTH" exec -e FROM_EXEC=2 -e SHARED=exec env sh -c 'echo $FROM_RUN $FROM_EXEC $SHARED'
	assert_eq "1 2 exec" "$OUT" "container env plus -e, -e wins"
	assert_exit 0 "$BERTH" exec -u nobody -w /tmp env sh -c 'id -u; id -g; pwd'
	assert_eq "$(printf '65534\n65534\n/tmp')" "$OUT" "-u nobody -w /tmp"
	assert_exit 0 "$BERTH" exec -u 1234:5678 env sh -c 'echo $(id -u):$(id -g)'
	assert_eq "1234:5678" "$OUT" "-u UID:GID"
	assert_exit 125 "$BERTH" exec -u nosuchuser env true
	assert_one_error_line "nosuchuser"
	assert_exit 125 "$BERTH" exec -w relative env true
	assert_one_error_line "--workdir"
}

test_exec_stdin_detach_and_tty() {
	target io
	assert_exit 0 "$BERTH" exec -i io sh -c 'tr a-z A-Z' <<<"hello"
	assert_eq HELLO "$OUT" "exec -i reads stdin"
	assert_exit 0 "$BERTH" exec io sh -c 'cat; echo end' <<<"ignored"
	assert_eq end "$OUT" "without -i stdin is /dev/null"
	assert_exit 0 "$BERTH" exec -d io sh -c 'sleep 0.3; echo done >/tmp/detached'
	assert_eq "" "$OUT" "exec -d prints nothing"
	wait_for 10 "$BERTH" exec io test -f /tmp/detached
	# -t: a terminal of the container's own devpts, driven through script(1).
	run script -qec "'$BERTH' exec -it io sh -c 'tty; exit 4'" /dev/null </dev/null
	assert_eq 4 "$RC" "exit status through the tty"
	assert_contains "$OUT" "/dev/pts/"
}

test_exec_errors_are_one_line() {
	target st
	assert_exit 125 "$BERTH" exec nosuch true
	assert_one_error_line "nosuch"
	assert_exit 125 "$BERTH" exec st
	assert_one_error_line "requires a CONTAINER and a COMMAND"
	assert_exit 0 "$BERTH" pause st
	assert_exit 125 "$BERTH" exec st true
	assert_one_error_line "paused"
	assert_exit 0 "$BERTH" unpause st
	assert_exit 0 "$BERTH" stop -t 0 st
	assert_exit 125 "$BERTH" exec st true
	assert_one_error_line "is not running"
	# A container whose stored config is broken: the error names it (it comes from the child
	# that reads it while berth moves it into the cgroup) and nothing is left behind.
	target broken
	echo '{"ociVersion": ' >"$BERTH_ROOT/containers/$ID/config.json"
	assert_exit 125 "$BERTH" exec broken true
	assert_one_error_line "config.json"
	[ -z "$(ps -o pid= --ppid "$INIT")" ] || fail "exec left a process: $(ps -o pid,cmd --ppid "$INIT")"
}
