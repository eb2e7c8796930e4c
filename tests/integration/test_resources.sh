# Integration tests of resource limits (run's limit flags, `berth update`, `berth stats`) and of
# the removal of containers' cgroups on every exit path, run as root by tests/run.sh through
# lib.sh: each test_* function gets its own BERTH_ROOT and TEST_TMP.
#
# Written for cgroup v1 (legacy or hybrid hosts: /sys/fs/cgroup/<controller>); on a v2-only host
# the tests that read v1 files are skipped with a note.
# shellcheck shell=bash disable=SC2016 # single-quoted $ are for the container's shell

# ---- helpers of this file

# cgroup_v1: true when the limits live in v1 hierarchies.
cgroup_v1() {
	[ -d /sys/fs/cgroup/memory ] && [ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ]
}

# skip_unless_v1: ends the test (as passed) with a note on a v2-only host.
skip_unless_v1() {
	if ! cgroup_v1; then
		echo "skipped: not a cgroup v1 host"
		exit 0
	fi
}

# cg_dir CONTROLLER ID: the container's directory in that v1 hierarchy (fails if none).
cg_dir() {
	local d
	d=$(find -H /sys/fs/cgroup/"$1" -type d -name "$2" 2>/dev/null | head -n 1)
	[ -n "$d" ] || fail "no $1 cgroup named $2"
	echo "$d"
}

# cg_read CONTROLLER ID FILE: the file's content.
cg_read() {
	local d
	d=$(cg_dir "$1" "$2")
	cat "$d/$3"
}

# rec ID KEY: a field of the container's record.json.
rec() {
	json_get "$BERTH_ROOT/containers/$1/record.json" "$2"
}

# detached ARGS...: `berth run -d ARGS...`; prints the id (noted for the leftover check).
detached() {
	local out
	out=$("$BERTH" run -d "$@") || fail "run -d $* failed"
	[[ "$out" =~ ^[0-9a-f]{64}$ ]] || fail "run -d printed no id: $out"
	note_id "$out"
	echo "$out"
}

# kill_container ID: SIGKILL to its init, then waits until its owner (the foreground berth or
# the detached monitor, the init's parent) has recorded the exit and is gone.
kill_container() {
	local pid owner
	pid=$(rec "$1" pid)
	[ "$pid" != 0 ] || return 0
	owner=$(awk '/^PPid:/ { print $2 }' /proc/"$pid"/status 2>/dev/null || true)
	kill -KILL "$pid" 2>/dev/null || true
	if [ -n "$owner" ] && [ "$owner" != 1 ]; then
		wait_for 15 owner_gone "$owner"
	fi
	wait_for 15 status_is "$1" exited
}

owner_gone() {
	! kill -0 "$1" 2>/dev/null
}

status_is() {
	[ "$(rec "$1" status)" = "$2" ]
}

# only_container_id: the one container directory's id (fails otherwise).
only_container_id() {
	local ids
	ids=$(container_ids)
	[ "$(printf '%s' "$ids" | grep -c .)" = 1 ] || fail "expected one container, found: $ids"
	note_id "$ids"
	echo "$ids"
}

# no_cgroup_of ID: no directory named ID anywhere under /sys/fs/cgroup.
no_cgroup_of() {
	local c
	c=$(find /sys/fs/cgroup -type d -name "*$1*" 2>/dev/null || true)
	[ -z "$c" ] || fail "cgroups of container $1 left on the host: $c"
}

# ---- the test's own cgroups: berth puts a container's cgroups under berth's own cgroup, so a
# berth started inside a cgroup of the test's makes them there, apart from every other test's.
# After the run that subtree must be empty again: no container directory and no `berth` level,
# even when the container's id is unknown (a run that failed half-way removes its directory).

TEST_CGS=""
IN_CG=() # a command prefix: IN_CG CMD... runs CMD (exec, same pid) inside the test's cgroups

# make_test_cgroups: a child "berth-test.<suffix>" of the test's cgroup in every v1 hierarchy
# berth uses; removed when the test ends.
make_test_cgroups() {
	local ctl path mp d
	while IFS=: read -r _ ctl path; do
		case "$ctl" in *memory* | *cpu* | *pids* | *blkio* | *freezer* | *devices*) ;; *) continue ;; esac
		mp=/sys/fs/cgroup/$ctl
		[ -d "$mp$path" ] || continue
		d="$mp${path%/}/berth-test.${BERTH_ROOT##*.}"
		mkdir "$d"
		if [ -f "$d/cpuset.cpus" ]; then # an empty v1 cpuset takes no tasks
			cat "$mp$path/cpuset.cpus" >"$d/cpuset.cpus"
			cat "$mp$path/cpuset.mems" >"$d/cpuset.mems"
		fi
		TEST_CGS+="$d "
	done </proc/self/cgroup
	[ -n "$TEST_CGS" ] || fail "no v1 hierarchy to make a test cgroup in"
	defer remove_test_cgroups
	IN_CG=(env "TEST_CGS=$TEST_CGS" sh -c 'for d in $TEST_CGS; do echo $$ >"$d/cgroup.procs"; done; exec "$@"' sh)
}

# At the test's end: what the test started is killed first (bg_start'ed processes are otherwise
# killed after the deferred commands), then the directories go, deepest first.
remove_test_cgroups() {
	local d p i
	for p in "${BG_PIDS[@]}"; do
		# shellcheck disable=SC2046
		kill -0 "$p" 2>/dev/null && kill -KILL $(descendants "$p") "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	for d in $TEST_CGS; do
		for i in $(seq 20); do
			find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
			[ -d "$d" ] || break
			sleep 0.05
		done
		[ -d "$d" ] && echo "warning: could not remove $d" >&2
	done
	return 0
}

# assert_in_test_cgroups ID: the container's cgroups are under the test's (so that the emptiness
# checks below mean something).
assert_in_test_cgroups() {
	local d found=""
	for d in $TEST_CGS; do
		found+=$(find "$d" -type d -name "$1" 2>/dev/null || true)
	done
	[ -n "$found" ] || fail "container $1 has no cgroup under the test's cgroups ($TEST_CGS)"
}

# assert_test_cgroups_empty: nothing (no `berth` level, no container) left under them.
assert_test_cgroups_empty() {
	local d left=""
	for d in $TEST_CGS; do
		left+=$(find "$d" -mindepth 1 -type d 2>/dev/null || true)
	done
	[ -z "$left" ] || fail "cgroups left behind: $left"
}

# ---- memory

test_memory_64m_allocation_is_oom_killed() {
	skip_unless_v1
	assert_exit 137 "$BERTH" run -m 32m --memory-swap 32m busybox \
		dd if=/dev/zero of=/dev/null bs=64M count=1
	local id
	id=$(only_container_id)
	assert_eq true "$(rec "$id" oom_killed)" "record's oom_killed"
	assert_eq 137 "$(rec "$id" exit_code)" "record's exit_code"
	no_cgroup_of "$id"
}

test_memory_16m_allocation_fits() {
	assert_exit 0 "$BERTH" run -m 32m --memory-swap 32m busybox \
		dd if=/dev/zero of=/dev/null bs=16M count=1
	local id
	id=$(only_container_id)
	assert_eq false "$(rec "$id" oom_killed)" "record's oom_killed"
	no_cgroup_of "$id"
}

test_memory_flags_in_cgroup_files() {
	skip_unless_v1
	local id
	id=$(detached -m 32m --memory-swap 32m --memory-reservation 16m --memory-swappiness 0 \
		--oom-kill-disable busybox sleep 60)
	defer "kill_container $id"
	assert_eq 33554432 "$(cg_read memory "$id" memory.limit_in_bytes)" "memory.limit_in_bytes"
	assert_eq 33554432 "$(cg_read memory "$id" memory.memsw.limit_in_bytes)" "memsw"
	assert_eq 16777216 "$(cg_read memory "$id" memory.soft_limit_in_bytes)" "soft limit"
	assert_eq 0 "$(cg_read memory "$id" memory.swappiness)" "swappiness"
	assert_contains "$(cg_read memory "$id" memory.oom_control)" "oom_kill_disable 1"
	kill_container "$id"
	no_cgroup_of "$id"
}

# Inside, /sys/fs/cgroup is the container's own cgroup, read-only, as in docker: runtimes such
# as the JVM and Go read their limits there.
test_own_cgroup_is_mounted_read_only_inside() {
	skip_unless_v1
	assert_exit 0 "$BERTH" run --rm --network none -m 48m --pids-limit 33 busybox sh -c \
		'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max
		 mkdir /sys/fs/cgroup/memory/sub 2>/dev/null && echo WRITABLE; echo end'
	assert_eq "50331648 33 end" "$(echo $OUT)" "limits read inside, and no write"
	# the same under --userns remap (a cgroup mount by a user namespace's root)
	assert_exit 0 "$BERTH" run --rm --network none --userns remap:300000 -m 48m busybox \
		cat /sys/fs/cgroup/memory/memory.limit_in_bytes
	assert_eq 50331648 "$OUT" "memory limit inside a user namespace"
}

# --privileged makes /sys/fs/cgroup writable, as docker's: cgroups the container makes below its
# own are removed with it, deepest first.
test_privileged_sub_cgroups_are_removed() {
	skip_unless_v1
	local id
	id=$(detached --network none --privileged busybox sh -c \
		'mkdir -p /sys/fs/cgroup/memory/a/b /sys/fs/cgroup/pids/c && echo 5 >/sys/fs/cgroup/pids/c/pids.max && exec sleep 60')
	defer "kill_container $id"
	wait_for 10 test -d "$(cg_dir pids "$id")/c"
	[ -d "$(cg_dir memory "$id")/a/b" ] || fail "the sub-cgroup a/b was not made on the host"
	kill_container "$id"
	no_cgroup_of "$id"
}

test_memory_swap_defaults_to_twice_memory() {
	skip_unless_v1
	local id
	id=$(detached -m 32m busybox sleep 60)
	defer "kill_container $id"
	assert_eq 33554432 "$(cg_read memory "$id" memory.limit_in_bytes)" "memory.limit_in_bytes"
	assert_eq 67108864 "$(cg_read memory "$id" memory.memsw.limit_in_bytes)" "memsw (docker: 2x)"
	kill_container "$id"
	no_cgroup_of "$id"
}

# ---- CPU

test_cpu_flags_in_cgroup_files() {
	skip_unless_v1
	local a b
	a=$(detached --cpus 0.2 busybox sleep 60)
	defer "kill_container $a"
	b=$(detached --cpu-period 100000 --cpu-quota 20000 -c 512 busybox sleep 60)
	defer "kill_container $b"
	assert_eq 20000 "$(cg_read cpu "$a" cpu.cfs_quota_us)" "--cpus 0.2: quota"
	assert_eq 100000 "$(cg_read cpu "$a" cpu.cfs_period_us)" "--cpus 0.2: period"
	assert_eq 20000 "$(cg_read cpu "$b" cpu.cfs_quota_us)" "--cpu-quota"
	assert_eq 100000 "$(cg_read cpu "$b" cpu.cfs_period_us)" "--cpu-period"
	assert_eq 512 "$(cg_read cpu "$b" cpu.shares)" "-c 512"
	kill_container "$a"
	kill_container "$b"
}

# busy_loop_rate FLAGS...: sets RATE to the CPU-seconds per second a busy loop gets over 2 s,
# from the container's cpuacct.usage (ns).
RATE=""
busy_loop_rate() {
	local id d u0 u1 t0 t1
	id=$(detached "$@" busybox sh -c 'while :; do :; done')
	defer "kill_container $id"
	d=$(cg_dir cpuacct "$id")
	sleep 0.3 # past the start
	u0=$(cat "$d/cpuacct.usage")
	t0=$(date +%s%N)
	sleep 2
	u1=$(cat "$d/cpuacct.usage")
	t1=$(date +%s%N)
	kill_container "$id"
	RATE=$(awk -v u=$((u1 - u0)) -v t=$((t1 - t0)) 'BEGIN { printf "%.3f", u / t }')
}

assert_rate() { # assert_rate RATE: 0.2 +- 0.05
	awk -v r="$1" 'BEGIN { exit !(r >= 0.15 && r <= 0.25) }' ||
		fail "a busy loop used $1 CPU-seconds per second, expected 0.2 +- 0.05"
}

test_cpu_cpus_limits_busy_loop() {
	skip_unless_v1
	busy_loop_rate --cpus 0.2
	echo "--cpus 0.2: $RATE CPU-s/s"
	assert_rate "$RATE"
}

test_cpu_period_quota_limits_busy_loop() {
	skip_unless_v1
	busy_loop_rate --cpu-period 100000 --cpu-quota 20000
	echo "--cpu-period 100000 --cpu-quota 20000: $RATE CPU-s/s"
	assert_rate "$RATE"
}

test_cpuset_cpus_inside() {
	assert_exit 0 "$BERTH" run --rm --cpuset-cpus 0 busybox grep Cpus_allowed_list /proc/self/status
	assert_eq "0" "$(printf '%s' "$OUT" | awk '{ print $2 }')" "Cpus_allowed_list: $OUT"
}

# ---- pids

test_pids_limit_never_exceeded() {
	skip_unless_v1
	# A failed fork ends busybox sh, so the fork loop runs in a subshell; then pid 1 waits
	# without forking (exec).
	bg_start c "$BERTH" run --pids-limit 10 busybox sh -c \
		'(for i in $(seq 30); do sleep 3 & done); exec sleep 4'
	local pid=$BG_PID id="" d="" max=0 n i
	for i in $(seq 100); do
		id=$(container_ids)
		[ -n "$id" ] && d=$(find -H /sys/fs/cgroup/pids -type d -name "$id" 2>/dev/null | head -n 1)
		[ -n "$d" ] && break
		sleep 0.05
	done
	[ -n "$d" ] || fail "no pids cgroup for the container"
	note_id "$id"
	assert_eq 10 "$(cat "$d/pids.max" 2>/dev/null)" "pids.max"
	while kill -0 "$pid" 2>/dev/null; do
		n=$(cat "$d/pids.current" 2>/dev/null || echo 0)
		[ "$n" -gt "$max" ] && max=$n
		sleep 0.05
	done
	bg_wait "$pid"
	echo "most pids seen: $max"
	[ "$max" -le 10 ] || fail "pids.current reached $max, above --pids-limit 10"
	[ "$max" -ge 5 ] || fail "the fork loop never got going (at most $max pids)"
	assert_contains "$(cat "$TEST_TMP/c.err")" "fork" "fork failures on stderr"
	no_cgroup_of "$id"
}

# ---- ulimit

test_ulimit_nofile() {
	assert_exit 0 "$BERTH" run --rm --ulimit nofile=64:128 busybox sh -c 'ulimit -n; ulimit -Hn'
	assert_eq $'64\n128' "$OUT"
}

# ---- removal of the cgroups on every exit path

LIMITS=(-m 64m --cpus 1 --pids-limit 100 --memory-reservation 32m)

test_cleanup_after_normal_exit() {
	skip_unless_v1
	make_test_cgroups
	assert_exit 0 "${IN_CG[@]}" "$BERTH" run "${LIMITS[@]}" busybox true
	no_cgroup_of "$(only_container_id)"
	assert_exit 0 "${IN_CG[@]}" "$BERTH" run --rm "${LIMITS[@]}" busybox true
	assert_test_cgroups_empty
}

test_cleanup_after_container_killed() {
	skip_unless_v1
	make_test_cgroups
	bg_start c "${IN_CG[@]}" "$BERTH" run "${LIMITS[@]}" busybox sh -c 'echo ready; sleep 100'
	local pid=$BG_PID id init
	wait_for 20 file_contains "$TEST_TMP/c.out" ready
	id=$(only_container_id)
	init=$(rec "$id" pid)
	assert_in_test_cgroups "$id"
	kill -KILL "$init"
	bg_wait "$pid"
	assert_eq 137 "$RC" "exit status"
	no_cgroup_of "$id"
	assert_test_cgroups_empty
}

test_cleanup_after_setup_failure() {
	skip_unless_v1
	make_test_cgroups
	assert_exit 127 "${IN_CG[@]}" "$BERTH" run --rm "${LIMITS[@]}" busybox nosuchcommand
	assert_test_cgroups_empty
	assert_exit 125 "${IN_CG[@]}" "$BERTH" run --rm "${LIMITS[@]}" -u nosuchuser busybox true
	assert_test_cgroups_empty
	assert_exit 125 "${IN_CG[@]}" "$BERTH" run "${LIMITS[@]}" -u nosuchuser busybox true
	assert_test_cgroups_empty
	[ -z "$(container_ids)" ] || fail "containers left: $(container_ids)"
}

test_cleanup_after_berth_killed() {
	skip_unless_v1
	make_test_cgroups
	bg_start c "${IN_CG[@]}" "$BERTH" run --rm "${LIMITS[@]}" busybox sh -c 'echo ready; sleep 100'
	local pid=$BG_PID id
	wait_for 20 file_contains "$TEST_TMP/c.out" ready
	id=$(only_container_id)
	assert_in_test_cgroups "$id"
	local init
	init=$(container_init_pid "$pid") || fail "no init"
	kill -KILL "$pid"
	bg_wait "$pid"
	# The init dies with its berth (PR_SET_PDEATHSIG), a moment later; its cgroup waits for the
	# next command that looks at it: ps reconciles the containers it lists (a run no longer
	# sweeps the store).
	wait_for 5 owner_gone "$init"
	assert_exit 0 "${IN_CG[@]}" "$BERTH" ps -a
	assert_exit 0 "${IN_CG[@]}" "$BERTH" run --rm busybox true
	no_cgroup_of "$id"
	assert_test_cgroups_empty
	[ -z "$(container_ids)" ] || fail "the --rm container is still there: $(container_ids)"
}

# The detached paths: berth-monitor records the end through `berth _monitor-exit`; stop, rm -f
# and a killed monitor (reconciled by the next command) each leave the test's cgroups empty, the
# `berth` level included, once the last container is gone, and not before.
test_cleanup_of_detached_containers() {
	skip_unless_v1
	make_test_cgroups
	local id a b pid mon
	assert_exit 0 "${IN_CG[@]}" "$BERTH" run -d --network none "${LIMITS[@]}" busybox true
	id=$OUT
	note_id "$id"
	wait_for 10 sh -c "grep -q '\"status\":\"exited\"' '$BERTH_ROOT/containers/$id/record.json'"
	no_cgroup_of "$id"
	assert_test_cgroups_empty
	assert_exit 0 "${IN_CG[@]}" "$BERTH" run -d --rm --network none "${LIMITS[@]}" busybox true
	id=$OUT
	note_id "$id"
	wait_for 10 test ! -e "$BERTH_ROOT/containers/$id"
	assert_test_cgroups_empty
	# Two at once: the level stays while one of them is inside it.
	assert_exit 0 "${IN_CG[@]}" "$BERTH" run -d --network none "${LIMITS[@]}" busybox sleep 100
	a=$OUT
	note_id "$a"
	assert_exit 0 "${IN_CG[@]}" "$BERTH" run -d --network none "${LIMITS[@]}" busybox sleep 100
	b=$OUT
	note_id "$b"
	assert_in_test_cgroups "$a"
	assert_in_test_cgroups "$b"
	assert_exit 0 "$BERTH" stop -t 1 "$a"
	no_cgroup_of "$a"
	assert_in_test_cgroups "$b"
	assert_exit 0 "$BERTH" rm -f "$b"
	no_cgroup_of "$b"
	assert_test_cgroups_empty
	# A monitor killed with SIGKILL: the next command (here ps) finds the owner gone.
	assert_exit 0 "${IN_CG[@]}" "$BERTH" run -d --network none "${LIMITS[@]}" busybox sleep 100
	id=$OUT
	note_id "$id"
	pid=$(rec "$id" pid)
	mon=$(awk '/^PPid:/ { print $2 }' /proc/"$pid"/status)
	kill -KILL "$mon"
	wait_for 10 bash -c "! kill -0 $pid 2>/dev/null"
	assert_exit 0 "$BERTH" ps -a
	no_cgroup_of "$id"
	assert_test_cgroups_empty
	assert_exit 0 "$BERTH" rm "$a" "$id"
}

# ---- bad values: exit 125, one line naming the flag and the value, nothing left behind

assert_bad_limit() { # assert_bad_limit FLAG VALUE
	assert_exit 125 "${IN_CG[@]}" "$BERTH" run --rm "$1" "$2" busybox true
	assert_one_error_line "$2"
	assert_contains "$ERR" "$1"
	[ -z "$(container_ids)" ] || fail "container left after $1 $2: $(container_ids)"
	assert_test_cgroups_empty
}

test_bad_limit_values() {
	skip_unless_v1
	make_test_cgroups
	assert_bad_limit -m 12XB
	assert_bad_limit --cpus -1
	assert_bad_limit --cpuset-cpus 99
	assert_bad_limit -m 1k
	assert_bad_limit --pids-limit many
	assert_bad_limit --ulimit nofile=10:5
}

# ---- update

test_update_running_container() {
	skip_unless_v1
	local id
	id=$(detached --name upd -m 32m busybox sleep 60)
	defer "kill_container $id"
	assert_exit 0 "$BERTH" update -m 64m --cpus 0.5 --pids-limit 20 upd
	assert_eq upd "$OUT" "update prints the container as given"
	assert_eq 67108864 "$(cg_read memory "$id" memory.limit_in_bytes)" "memory.limit_in_bytes"
	assert_eq 50000 "$(cg_read cpu "$id" cpu.cfs_quota_us)" "cpu.cfs_quota_us"
	assert_eq 100000 "$(cg_read cpu "$id" cpu.cfs_period_us)" "cpu.cfs_period_us"
	assert_eq 20 "$(cg_read pids "$id" pids.max)" "pids.max"
	# Saved for the next start; what was not given is kept.
	local cfg="$BERTH_ROOT/containers/$id/config.json"
	assert_eq 67108864 "$(json_get "$cfg" linux.resources.memory.limit)" "config.json memory"
	assert_eq 67108864 "$(json_get "$cfg" linux.resources.memory.swap)" "config.json swap (kept)"
	assert_eq 50000 "$(json_get "$cfg" linux.resources.cpu.quota)" "config.json quota"
	assert_eq 20 "$(json_get "$cfg" linux.resources.pids.limit)" "config.json pids"

	assert_exit 0 "$BERTH" stats --no-stream
	assert_contains "$OUT" "CONTAINER ID"
	assert_contains "$OUT" "MEM USAGE / LIMIT"
	local line
	line=$(printf '%s\n' "$OUT" | grep -F "${id:0:12}" || true)
	assert_contains "$line" "upd" "stats row: $OUT"
	assert_contains "$line" "/ 64MiB" "stats shows the new limit"
	assert_contains "$line" "0B / 0B"
	kill_container "$id"
}

test_update_exited_container_applies_at_start() {
	skip_unless_v1
	local id
	id=$(detached --name later -m 32m busybox sleep 60)
	defer "kill_container $id"
	kill_container "$id"
	assert_exit 0 "$BERTH" update -m 48m --memory-swap 96m later
	assert_eq later "$OUT"
	assert_exit 0 "$BERTH" start later
	wait_for 10 status_is "$id" running
	assert_eq 50331648 "$(cg_read memory "$id" memory.limit_in_bytes)" "limit after start"
	assert_eq 100663296 "$(cg_read memory "$id" memory.memsw.limit_in_bytes)" "memsw after start"
	kill_container "$id"
	no_cgroup_of "$id"
}

test_update_bad_input() {
	local id
	id=$(detached --name bad -m 32m busybox sleep 60)
	defer "kill_container $id"
	assert_exit 125 "$BERTH" update bad
	assert_one_error_line "flag"
	assert_exit 125 "$BERTH" update --ulimit nofile=1:2 bad
	assert_one_error_line "--ulimit"
	assert_exit 125 "$BERTH" update --cgroup-parent x bad
	assert_one_error_line "--cgroup-parent"
	assert_exit 125 "$BERTH" update -m 12XB bad
	assert_one_error_line "12XB"
	assert_exit 125 "$BERTH" update -m 64m nosuchcontainer
	assert_one_error_line "nosuchcontainer"
	kill_container "$id"
}

# ---- stats

test_stats_no_stream_columns_and_cpu() {
	skip_unless_v1
	local id
	id=$(detached --name spin --cpus 0.5 -m 32m --pids-limit 50 busybox sh -c 'while :; do :; done')
	defer "kill_container $id"
	assert_exit 0 "$BERTH" stats --no-stream spin
	local header row
	header=$(printf '%s\n' "$OUT" | head -n 1)
	row=$(printf '%s\n' "$OUT" | sed -n 2p)
	assert_eq 2 "$(printf '%s\n' "$OUT" | grep -c .)" "header and one row: $OUT"
	for col in "CONTAINER ID" NAME "CPU %" "MEM USAGE / LIMIT" "MEM %" "NET I/O" "BLOCK I/O" PIDS; do
		assert_contains "$header" "$col"
	done
	assert_eq "${id:0:12}" "$(awk '{ print $1 }' <<<"$row")" "truncated id"
	assert_eq spin "$(awk '{ print $2 }' <<<"$row")" "name"
	local cpu
	cpu=$(awk '{ print $3 }' <<<"$row")
	cpu=${cpu%\%}
	awk -v c="$cpu" 'BEGIN { exit !(c >= 35 && c <= 65) }' || fail "CPU % $cpu, expected about 50: $OUT"
	assert_contains "$row" "/ 32MiB"
	assert_eq 1 "$(awk '{ print $NF }' <<<"$row")" "PIDS"
	assert_exit 0 "$BERTH" stats --no-stream --no-trunc spin
	assert_contains "$OUT" "$id"
	kill_container "$id"
	# Without a name: only running containers (header only now).
	assert_exit 0 "$BERTH" stats --no-stream
	assert_eq 1 "$(printf '%s\n' "$OUT" | grep -c .)" "only the header: $OUT"
	assert_exit 125 "$BERTH" stats --no-stream nosuchcontainer
	assert_one_error_line "nosuchcontainer"
}

test_stats_stream_prints_blocks_until_sigint() {
	local id
	id=$(detached --name streamer busybox sleep 60)
	defer "kill_container $id"
	bg_start s "$BERTH" stats
	local pid=$BG_PID
	sleep 2.8
	kill -INT "$pid"
	bg_wait "$pid"
	local n
	n=$(grep -c '^CONTAINER ID' "$TEST_TMP/s.out" || true)
	[ "$n" -ge 2 ] || fail "expected at least two blocks in 2.8 s, got $n: $(cat "$TEST_TMP/s.out")"
	assert_not_contains "$(cat "$TEST_TMP/s.out")" $'\033[2J' "no screen clearing when not a tty"
	assert_contains "$(cat "$TEST_TMP/s.out")" streamer
	kill_container "$id"
}
