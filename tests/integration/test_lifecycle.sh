# Integration tests of the container lifecycle commands: ps, logs, stop, kill, start, restart,
# rm, wait, inspect, top, pause/unpause, rename, container prune, and the `container` aliases.
# Run as root by tests/run.sh through lib.sh: each test_* function gets its own BERTH_ROOT.
# shellcheck shell=bash disable=SC2016 # single-quoted $ are for the container's shell

# ---- helpers of this file

# run_d NAME ARGS...: `berth run -d --name NAME ARGS...`; sets ID, notes it for the harness
# and removes the container when the test ends (so call it directly, not in $(...)).
ID=
run_d() {
	local name=$1
	shift
	ID=$("$BERTH" run -d --name "$name" "$@") || fail "run -d --name $name $* failed"
	[[ "$ID" =~ ^[0-9a-f]{64}$ ]] || fail "run -d printed no id: $ID"
	note_id "$ID"
	defer "\"\$BERTH\" rm -f $name >/dev/null 2>&1 || true"
}

# record_field ID KEY: a field of the container's record.json.
record_field() {
	json_get "$BERTH_ROOT/containers/$1/record.json" "$2"
}

# logs_have NAME TEXT: the container's stdout log contains TEXT.
logs_have() {
	"$BERTH" logs "$1" 2>/dev/null | grep -qF -- "$2"
}

# now_ms: milliseconds since the epoch.
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# assert_ps_status NAME TEXT: `ps -a` shows NAME with a STATUS containing TEXT.
assert_ps_status() {
	local line
	line=$("$BERTH" ps -a -f "name=^$1\$" | tail -n +2)
	assert_contains "$line" "$2" "ps -a status of $1"
}

# ---- ps

test_ps_running_exited_and_filters() {
	local web sl
	run_d web busybox httpd -f -p 8080
	web=$ID
	run_d sl busybox sleep 100
	sl=$ID
	assert_exit 3 "$BERTH" run --name done busybox sh -c 'exit 3'
	defer '"$BERTH" rm -f done >/dev/null 2>&1 || true'
	sleep 0.5 # httpd would have failed by now if it could not run
	assert_exit 0 "$BERTH" ps
	local header
	header=$(printf '%s\n' "$OUT" | head -n 1)
	assert_contains "$header" "CONTAINER ID   IMAGE "
	for col in "CONTAINER ID" IMAGE COMMAND CREATED STATUS PORTS NAMES; do
		assert_contains "$header" "$col"
	done
	assert_contains "$OUT" "${web:0:12}   busybox:latest"
	assert_contains "$OUT" '"httpd -f -p 8080"'
	assert_contains "$OUT" '"sleep 100"'
	assert_contains "$OUT" "Up "
	assert_not_contains "$OUT" "done"
	assert_not_contains "$OUT" "$web" "ids are cut to 12 characters"
	assert_exit 0 "$BERTH" ps -a
	assert_contains "$OUT" "Exited (3) "
	assert_contains "$OUT" " ago"
	assert_contains "$OUT" "done"
	assert_exit 0 "$BERTH" ps -q
	assert_eq "$(printf '%s\n%s\n' "${web:0:12}" "${sl:0:12}" | sort)" "$(printf '%s\n' "$OUT" | sort)" "ps -q"
	assert_exit 0 "$BERTH" ps -q --no-trunc
	assert_contains "$OUT" "$web"
	assert_exit 0 "$BERTH" ps -a -f name=web
	assert_contains "$OUT" web
	assert_not_contains "$OUT" sleep
	assert_exit 0 "$BERTH" ps -f status=exited -q
	local done_id
	done_id=$("$BERTH" ps -a -q -f name=done)
	assert_eq "$done_id" "$OUT" "status=exited"
	assert_exit 125 "$BERTH" ps -f status=sleeping
	assert_one_error_line "sleeping"
	assert_exit 125 "$BERTH" ps -f bogus=1
	assert_one_error_line
	assert_exit 0 "$BERTH" rm -f web sl done
}

test_ps_never_errs_during_churn() {
	# A loop creating and removing containers for 3 s (and at least 3 of them) while ps -a runs
	# again and again.
	bg_start churn bash -c 'end=$((SECONDS + 3)); i=0
		while [ $SECONDS -lt $end ] || [ $i -lt 3 ]; do
			id=$("$0" run -d --name churn$i busybox sleep 100) || exit 1
			echo "$id" >>"$1/churn.ids"
			"$0" rm -f "churn$i" >/dev/null || exit 2
			i=$((i + 1))
		done' "$BERTH" "$TEST_TMP"
	local pid=$BG_PID n=0
	while kill -0 "$pid" 2>/dev/null; do
		"$BERTH" ps -a >"$TEST_TMP/ps.out" 2>"$TEST_TMP/ps.err" || fail "ps -a failed: $(cat "$TEST_TMP/ps.err")"
		[ -s "$TEST_TMP/ps.err" ] && fail "ps -a wrote to stderr: $(cat "$TEST_TMP/ps.err")"
		head -n 1 "$TEST_TMP/ps.out" | grep -q "CONTAINER ID" || fail "ps -a printed no header"
		n=$((n + 1))
	done
	bg_wait "$pid"
	local id
	for id in $(cat "$TEST_TMP/churn.ids" 2>/dev/null); do note_id "$id"; done
	assert_eq 0 "$RC" "the churn loop: $(cat "$TEST_TMP/churn.err")"
	[ "$n" -ge 3 ] || fail "ps ran only $n times"
	[ "$(wc -l <"$TEST_TMP/churn.ids")" -ge 3 ] || fail "only $(wc -l <"$TEST_TMP/churn.ids") containers churned"
	assert_eq "" "$(container_ids)" "containers left after the churn"
}

test_httpd_runs_detached() {
	run_d httpd busybox httpd -f -p 8080
	sleep 1
	assert_ps_status httpd "Up "
	assert_exit 0 "$BERTH" top httpd
	assert_contains "$OUT" "httpd -f -p 8080"
	assert_exit 0 "$BERTH" stop -t 2 httpd
	assert_eq httpd "$OUT"
}

# ---- logs

test_logs_keep_streams_apart() {
	# (sleeps: the two streams are two pipes, so only time orders lines across them)
	run_d lg busybox sh -c 'echo o1; sleep 0.1; echo e1 >&2; sleep 0.1; echo o2; sleep 0.1; echo e2 >&2; sleep 0.1; printf "no newline"'
	assert_exit 0 "$BERTH" wait lg
	assert_eq 0 "$OUT"
	local out err
	out=$("$BERTH" logs lg 2>/dev/null)
	err=$("$BERTH" logs lg 2>&1 >/dev/null)
	assert_eq "$(printf 'o1\no2\nno newline')" "$out" "stdout of logs"
	assert_eq "$(printf 'e1\ne2')" "$err" "stderr of logs"
	# --tail counts lines of both streams: the last three are o2, e2, "no newline".
	out=$("$BERTH" logs --tail 3 lg 2>/dev/null)
	err=$("$BERTH" logs --tail 3 lg 2>&1 >/dev/null)
	assert_eq "$(printf 'o2\nno newline')" "$out" "--tail 3 stdout"
	assert_eq "e2" "$err" "--tail 3 stderr"
	out=$("$BERTH" logs --tail 0 lg 2>&1)
	assert_eq "" "$out" "--tail 0"
	out=$("$BERTH" logs --tail all lg 2>/dev/null)
	assert_eq "$(printf 'o1\no2\nno newline')" "$out" "--tail all"
	# -t: RFC 3339 with nanoseconds, then a space.
	out=$("$BERTH" logs -t lg 2>/dev/null | head -n 1)
	[[ "$out" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9}Z\ o1$ ]] || fail "logs -t line: $out"
	# --since: a duration ago keeps everything; a future time keeps nothing.
	out=$("$BERTH" logs --since 1h lg 2>/dev/null)
	assert_eq "$(printf 'o1\no2\nno newline')" "$out" "--since 1h"
	out=$("$BERTH" logs --since "$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)" lg 2>&1)
	assert_eq "" "$out" "--since in the future"
	out=$("$BERTH" logs --since "$(date +%s -d '-1 hour')" lg 2>/dev/null)
	assert_eq "$(printf 'o1\no2\nno newline')" "$out" "--since a Unix time"
	assert_exit 125 "$BERTH" logs --since yesterday lg
	assert_one_error_line "--since"
	assert_exit 125 "$BERTH" logs --tail x lg
	assert_one_error_line "--tail"
	assert_exit 0 "$BERTH" rm lg
}

test_logs_follow_ends_with_the_container() {
	run_d fl busybox sh -c 'for i in 1 2 3; do echo line$i; echo err$i >&2; sleep 0.3; done'
	local t0
	t0=$(now_ms)
	assert_exit 0 timeout 20 "$BERTH" logs -f fl
	assert_eq "$(printf 'line1\nline2\nline3')" "$OUT" "logs -f stdout"
	assert_eq "$(printf 'err1\nerr2\nerr3')" "$ERR" "logs -f stderr"
	[ $(($(now_ms) - t0)) -lt 10000 ] || fail "logs -f took too long"
	assert_ps_status fl "Exited (0)"
	# -f of an exited container prints what there is and ends.
	assert_exit 0 timeout 10 "$BERTH" logs -f --tail 1 fl
	assert_eq "" "$OUT"
	assert_eq "err3" "$ERR"
}

test_logs_follow_of_running_container_then_stop() {
	run_d fs busybox sh -c 'trap "echo bye; exit 0" TERM; echo hello; while :; do sleep 0.1; done'
	wait_for 10 logs_have fs hello
	bg_start follow "$BERTH" logs -f fs
	local pid=$BG_PID
	sleep 0.5
	kill -0 "$pid" 2>/dev/null || fail "logs -f ended while the container runs"
	assert_exit 0 "$BERTH" stop fs
	wait_for 10 bash -c "! kill -0 $pid"
	bg_wait "$pid"
	assert_eq 0 "$RC" "logs -f exit status"
	assert_eq "$(printf 'hello\nbye')" "$(cat "$TEST_TMP/follow.out")"
}

test_logs_of_foreground_container_print_nothing() {
	assert_exit 0 "$BERTH" run --name fg busybox echo hi
	assert_eq hi "$OUT"
	defer '"$BERTH" rm -f fg >/dev/null 2>&1 || true'
	assert_exit 0 "$BERTH" logs fg
	assert_eq "" "$OUT"
	assert_eq "" "$ERR"
	assert_exit 0 "$BERTH" rm fg
}

# ---- stop, kill, start, restart

test_stop_pid1_ignoring_sigterm() {
	run_d st busybox sleep 100
	local t0 t1
	t0=$(now_ms)
	assert_exit 0 "$BERTH" stop -t 2 st
	t1=$(now_ms)
	assert_eq st "$OUT" "stop prints the name as given"
	[ $((t1 - t0)) -ge 1900 ] || fail "stop returned after $((t1 - t0)) ms: it did not wait for the timeout"
	[ $((t1 - t0)) -le 3000 ] || fail "stop took $((t1 - t0)) ms with -t 2"
	assert_ps_status st "Exited (137)"
	assert_exit 0 "$BERTH" ps -q
	assert_eq "" "$OUT" "no running container after stop"
	# Stopping an exited container is no error.
	assert_exit 0 "$BERTH" stop st
	assert_eq st "$OUT"
	assert_exit 0 "$BERTH" rm st
}

test_stop_trapping_container_exits_with_its_code() {
	run_d tr busybox sh -c 'trap "exit 7" TERM; echo ready; while :; do sleep 0.1; done'
	wait_for 10 logs_have tr ready
	local t0
	t0=$(now_ms)
	assert_exit 0 "$BERTH" stop tr
	[ $(($(now_ms) - t0)) -lt 5000 ] || fail "stop of a trapping container waited for the timeout"
	assert_exit 0 "$BERTH" wait tr
	assert_eq 7 "$OUT"
	assert_ps_status tr "Exited (7)"
	assert_exit 0 "$BERTH" inspect tr
	assert_contains "$OUT" '"ExitCode": 7'
	assert_exit 0 "$BERTH" rm tr
}

test_stop_signal_flag() {
	run_d ss busybox sh -c 'trap "exit 5" USR1; trap "" TERM; echo ready; while :; do sleep 0.1; done'
	wait_for 10 logs_have ss ready
	assert_exit 0 "$BERTH" stop -s USR1 -t 5 ss
	assert_exit 0 "$BERTH" wait ss
	assert_eq 5 "$OUT"
	assert_exit 125 "$BERTH" stop -s NOPE ss
	assert_one_error_line "NOPE"
}

test_kill() {
	run_d k1 busybox sh -c 'trap "exit 9" HUP; echo ready; while :; do sleep 0.1; done'
	run_d k2 busybox sleep 100
	wait_for 10 logs_have k1 ready
	assert_exit 0 "$BERTH" kill -s HUP k1
	assert_eq k1 "$OUT"
	assert_exit 0 "$BERTH" wait k1
	assert_eq 9 "$OUT"
	assert_exit 0 "$BERTH" kill k2
	assert_exit 0 "$BERTH" wait k2
	assert_eq 137 "$OUT"
	assert_exit 125 "$BERTH" kill k2
	assert_one_error_line "is not running"
	assert_contains "$ERR" k2
	assert_exit 125 "$BERTH" kill -s BOGUS k1
	assert_one_error_line "BOGUS"
	assert_exit 0 "$BERTH" rm k1 k2
}

test_start_of_exited_container_keeps_its_files() {
	run_d keep busybox sh -c 'if [ -f /data ]; then echo found $(cat /data); else echo v1 >/data; echo created; fi; exec sleep 100'
	wait_for 10 logs_have keep created
	assert_exit 0 "$BERTH" stop -t 1 keep
	assert_ps_status keep "Exited (137)"
	assert_exit 0 "$BERTH" start keep
	assert_eq keep "$OUT"
	wait_for 10 logs_have keep "found v1"
	assert_ps_status keep "Up "
	assert_exit 0 "$BERTH" rm -f keep
}

test_restart() {
	run_d rs busybox sh -c 'echo started; exec sleep 100'
	wait_for 10 logs_have rs started
	local pid1 pid2 id
	id=$("$BERTH" ps -q --no-trunc -f name=rs)
	pid1=$(record_field "$id" pid)
	assert_exit 0 "$BERTH" restart -t 1 rs
	assert_eq rs "$OUT"
	wait_for 10 bash -c '[ "$("$0" logs rs 2>/dev/null | grep -c started)" = 2 ]' "$BERTH"
	pid2=$(record_field "$id" pid)
	[ "$pid1" != "$pid2" ] || fail "restart kept the same init pid $pid1"
	assert_ps_status rs "Up "
	assert_exit 0 "$BERTH" rm -f rs
}

# ---- crash safety

test_sigkill_of_monitor_then_ps_and_rm() {
	local id pid mon
	run_d victim busybox sleep 100
	id=$ID
	pid=$(record_field "$id" pid)
	mon=$(awk '/^PPid:/ { print $2 }' /proc/"$pid"/status)
	[ -n "$mon" ] && [ "$mon" -gt 1 ] || fail "no monitor for init $pid"
	grep -q "berth" /proc/"$mon"/cmdline || fail "the init's parent is not berth: $(tr '\0' ' ' </proc/"$mon"/cmdline)"
	kill -KILL "$mon"
	wait_for 10 bash -c "! kill -0 $pid"
	assert_exit 0 "$BERTH" ps -a
	assert_contains "$OUT" "Exited (137)"
	assert_exit 0 "$BERTH" ps -q
	assert_eq "" "$OUT" "ps lists no running container"
	assert_exit 0 "$BERTH" rm victim
	[ ! -e "$BERTH_ROOT/containers/$id" ] || fail "the container's directory is left"
	[ ! -e "$BERTH_ROOT/containers/names/victim" ] || fail "the name is left"
	local cg
	cg=$(find /sys/fs/cgroup -name "*$id*" 2>/dev/null || true)
	[ -z "$cg" ] || fail "cgroup left: $cg"
	grep -qF "$id" /proc/self/mountinfo && fail "mount left"
	return 0
}

# ---- the monitor (src/monitor/main.c)

test_monitor_is_small_and_holds_no_fd_of_the_caller() {
	local pid mon exe rss held="$BERTH_ROOT/held-by-the-caller"
	# An fd the caller holds open (not close-on-exec), as a shell's redirection leaves one.
	run_d small busybox sleep 100 9>"$held"
	pid=$(record_field "$ID" pid)
	mon=$(awk '/^PPid:/ { print $2 }' /proc/"$pid"/status)
	exe=$(readlink /proc/"$mon"/exe)
	assert_eq "berth-monitor" "${exe##*/}" "the init's parent is berth-monitor"
	rss=$(awk '/^VmRSS:/ { print $2 }' /proc/"$mon"/status)
	# (Under SANITIZE=1 the monitor carries ASan's runtime and shadow memory: no size to check.)
	if ! grep -q libasan /proc/"$mon"/maps; then
		[ "$rss" -le 1024 ] || fail "monitor RSS ${rss} kB > 1 MiB"
	fi
	if find /proc/"$mon"/fd -lname "$held" | grep -q .; then
		fail "the monitor holds the caller's fd: $(ls -l /proc/"$mon"/fd)"
	fi
	# It still holds the owner lock: no other berth can take the container over.
	find /proc/"$mon"/fd -lname "$BERTH_ROOT/containers/$ID/lock" | grep -q . ||
		fail "the monitor does not hold the owner lock"
}

test_monitor_records_exit_code_and_cleans_up() {
	local id
	run_d quick busybox sh -c 'sleep 0.3; exit 42'
	id=$ID
	assert_exit 0 "$BERTH" wait quick
	assert_eq 42 "$OUT" "wait prints the exit code"
	assert_ps_status quick "Exited (42)"
	assert_eq 42 "$(record_field "$id" exit_code)" "record.json exit_code"
	local cg
	cg=$(find /sys/fs/cgroup -name "*$id*" 2>/dev/null || true)
	[ -z "$cg" ] || fail "cgroup left: $cg"
	grep -qF "$id" /proc/self/mountinfo && fail "mount left"
	# --rm: everything goes once it exits.
	id=$("$BERTH" run -d --rm busybox sh -c 'exit 0') || fail "run -d --rm"
	wait_for 10 test ! -e "$BERTH_ROOT/containers/$id"
}

test_logs_keep_a_character_split_between_writes() {
	# "é" is 0xc3 0xa9: written in two writes with a pause between, read in two reads.
	run_d split busybox sh -c 'printf "caf\xc3"; sleep 0.3; printf "\xa9\n"'
	assert_exit 0 "$BERTH" wait split
	assert_exit 0 "$BERTH" logs split
	assert_eq "café" "$OUT" "the log keeps the character whole"
}

test_rm_force_and_stop_of_a_running_rm_container() {
	local id
	# docker: both succeed and print the name; the container removes itself as it ends.
	id=$("$BERTH" run -d --rm --name gone1 busybox sleep 100) || fail "run -d --rm"
	note_id "$id"
	assert_exit 0 "$BERTH" rm -f gone1
	assert_eq gone1 "$OUT"
	[ ! -e "$BERTH_ROOT/containers/$id" ] || fail "the container is still there"
	id=$("$BERTH" run -d --rm --name gone2 busybox sleep 100) || fail "run -d --rm"
	note_id "$id"
	assert_exit 0 "$BERTH" stop -t 0 gone2
	assert_eq gone2 "$OUT"
	[ ! -e "$BERTH_ROOT/containers/$id" ] || fail "the container is still there"
	assert_exit 125 "$BERTH" rm -f gone1
	assert_one_error_line "no such container"
}

test_monitor_exit_refuses_a_foreign_fd() {
	run_d owned busybox sleep 100
	# Only berth-monitor, holding the owner lock, may record the end: fd 0 is not that lock.
	assert_exit 125 "$BERTH" _monitor-exit "$ID" 0 0 </dev/null
	assert_one_error_line "not the owner lock"
	assert_ps_status owned "Up "
	assert_exit 125 "$BERTH" _monitor-exit "$ID" x 0
	assert_one_error_line "_monitor-exit"
	assert_exit 0 "$BERTH" --help
	assert_not_contains "$OUT" "_monitor-exit" "--help lists only commands for people"
}

test_twenty_parallel_run_d() {
	local i pids=()
	for i in $(seq 1 20); do
		"$BERTH" run -d busybox sleep 100 >"$TEST_TMP/run$i.out" 2>"$TEST_TMP/run$i.err" &
		pids+=($!)
	done
	local failed=0
	for i in "${!pids[@]}"; do
		wait "${pids[$i]}" || failed=$((failed + 1))
	done
	local ids
	ids=$(cat "$TEST_TMP"/run*.out)
	for i in $ids; do note_id "$i"; done
	defer '"$BERTH" rm -f $("$BERTH" ps -a -q) >/dev/null 2>&1 || true'
	assert_eq 0 "$failed" "failed runs: $(cat "$TEST_TMP"/run*.err)"
	assert_eq 20 "$(printf '%s\n' "$ids" | grep -cE '^[0-9a-f]{64}$')" "ids printed"
	assert_eq 20 "$(printf '%s\n' "$ids" | sort -u | wc -l)" "distinct ids"
	assert_exit 0 "$BERTH" ps
	assert_eq 21 "$(printf '%s\n' "$OUT" | wc -l)" "ps lines"
	assert_eq 20 "$(printf '%s\n' "$OUT" | tail -n +2 | awk '{ print $NF }' | sort -u | wc -l)" "distinct names"
	# And remove them all in parallel.
	pids=()
	for i in $ids; do
		"$BERTH" rm -f "$i" >/dev/null 2>"$TEST_TMP/rm.$i.err" &
		pids+=($!)
	done
	for i in "${pids[@]}"; do
		wait "$i" || failed=$((failed + 1))
	done
	assert_eq 0 "$failed" "failed rm -f: $(cat "$TEST_TMP"/rm.*.err)"
	assert_eq "" "$(container_ids)"
}

test_two_parallel_rm_of_one_container() {
	local id
	run_d twice busybox sleep 100
	id=$ID
	"$BERTH" rm -f twice >"$TEST_TMP/a.out" 2>"$TEST_TMP/a.err" &
	local a=$!
	"$BERTH" rm -f twice >"$TEST_TMP/b.out" 2>"$TEST_TMP/b.err" &
	local b=$!
	local ra=0 rb=0
	wait "$a" || ra=$?
	wait "$b" || rb=$?
	local ok=0 bad=0 err=""
	for r in "$ra:a" "$rb:b"; do
		case "${r%%:*}" in
		0) ok=$((ok + 1)) ;;
		125)
			bad=$((bad + 1))
			err=$(cat "$TEST_TMP/${r##*:}.err")
			;;
		esac
	done
	assert_eq "1 1" "$ok $bad" "one rm succeeds, one fails (exit $ra, $rb; $(cat "$TEST_TMP"/a.err "$TEST_TMP"/b.err))"
	assert_contains "$err" "no such container"
	assert_eq 1 "$(printf '%s\n' "$err" | grep -c .)" "one error line"
	[ ! -e "$BERTH_ROOT/containers/$id" ] || fail "directory left"
	assert_eq "" "$(container_ids)"
}

# ---- rm

test_rm_running_needs_force() {
	local id
	run_d busy busybox sleep 100
	id=$ID
	assert_exit 125 "$BERTH" rm busy
	assert_one_error_line "cannot remove running container busy"
	assert_ps_status busy "Up "
	assert_exit 0 "$BERTH" rm -f -v busy
	assert_eq busy "$OUT"
	[ ! -e "$BERTH_ROOT/containers/$id" ] || fail "directory left"
	assert_exit 125 "$BERTH" rm busy
	assert_one_error_line "no such container: busy"
}

test_rm_by_id_prefix_and_ambiguity() {
	local id
	run_d pre busybox true
	id=$ID
	assert_exit 0 "$BERTH" wait "${id:0:6}"
	# Make a second id share the first digit, so the one-digit prefix is ambiguous... or not:
	# a one-digit prefix matches every container starting with it, so check against the list.
	assert_exit 0 "$BERTH" rm "${id:0:6}"
	assert_eq "${id:0:6}" "$OUT"
	assert_eq "" "$(container_ids)"
	# An ambiguous prefix: two fake records whose ids share "abc" (a directory without a
	# record would be a killed create's leftover, which the lookup collects).
	local d
	for d in "abc$(printf '0%.0s' $(seq 1 61))" "abc$(printf '1%.0s' $(seq 1 61))"; do
		mkdir -p "$BERTH_ROOT/containers/$d"
		echo '{}' >"$BERTH_ROOT/containers/$d/record.json"
	done
	assert_exit 125 "$BERTH" inspect abc
	assert_one_error_line "matches 2 containers"
	rm -rf "$BERTH_ROOT"/containers/abc*
}

# ---- wait, inspect, top

test_wait_prints_exit_codes() {
	run_d w1 busybox sh -c 'sleep 0.5; exit 4'
	run_d w2 busybox sh -c 'exit 0'
	assert_exit 0 "$BERTH" wait w1 w2
	assert_eq "$(printf '4\n0')" "$OUT"
	assert_exit 125 "$BERTH" wait nosuch
	assert_one_error_line "no such container: nosuch"
	assert_exit 0 "$BERTH" rm w1 w2
}

test_inspect_fields() {
	local id
	run_d insp -e FOO=bar -w /tmp busybox sleep 100
	id=$ID
	assert_exit 0 "$BERTH" inspect insp
	printf '%s' "$OUT" >"$TEST_TMP/inspect.json"
	"$PYTHON" - "$TEST_TMP/inspect.json" "$id" "$(record_field "$id" pid)" <<'PYEOF' || fail "inspect: $OUT"
import json, sys
a = json.load(open(sys.argv[1]))
assert isinstance(a, list) and len(a) == 1, a
c = a[0]
assert c["Id"] == sys.argv[2], c["Id"]
assert c["Name"] == "/insp", c["Name"]
assert c["Path"] == "sleep" and c["Args"] == ["100"], (c["Path"], c["Args"])
assert c["Image"].startswith("sha256:"), c["Image"]
s = c["State"]
assert s["Status"] == "running" and s["Running"] is True and s["Paused"] is False, s
assert s["OOMKilled"] is False and s["Dead"] is False, s
assert s["Pid"] == int(sys.argv[3]) and s["ExitCode"] == 0, s
assert s["StartedAt"].endswith("Z") and s["FinishedAt"] == "0001-01-01T00:00:00Z", s
cfg = c["Config"]
assert cfg["Image"] == "busybox:latest", cfg
assert cfg["Cmd"] == ["sleep", "100"], cfg
assert "FOO=bar" in cfg["Env"], cfg
assert cfg["WorkingDir"] == "/tmp", cfg
assert cfg["Hostname"] == sys.argv[2][:12], cfg
assert c["HostConfig"]["AutoRemove"] is False
assert c["Mounts"] == []
assert c["Created"].endswith("Z")
PYEOF
	assert_exit 0 "$BERTH" stop -t 0 insp
	assert_exit 0 "$BERTH" inspect insp
	assert_contains "$OUT" '"Status": "exited"'
	assert_contains "$OUT" '"ExitCode": 137'
	assert_contains "$OUT" '"Pid": 0'
	assert_exit 125 "$BERTH" inspect insp nosuch
	assert_contains "$OUT" '"Name": "/insp"'
	assert_one_error_line "no such container: nosuch"
	assert_exit 0 "$BERTH" rm insp
}

test_top_lists_the_processes() {
	local id pid
	run_d tp busybox sh -c 'sleep 100 & exec sleep 101'
	id=$ID
	wait_for 10 bash -c '"$0" top tp | grep -q "sleep 100"' "$BERTH"
	assert_exit 0 "$BERTH" top tp
	pid=$(record_field "$id" pid)
	local header
	header=$(printf '%s\n' "$OUT" | head -n 1)
	for col in UID PID PPID C STIME TTY TIME CMD; do
		assert_contains "$header" "$col"
	done
	assert_contains "$OUT" "sleep 101"
	assert_contains "$OUT" "sleep 100"
	printf '%s\n' "$OUT" | awk -v p="$pid" '$2 == p && $1 == "root"' | grep -q . || fail "top does not list the init $pid as root: $OUT"
	assert_exit 0 "$BERTH" stop -t 1 tp
	assert_exit 125 "$BERTH" top tp
	assert_one_error_line "is not running"
	assert_exit 0 "$BERTH" rm tp
}

# ---- pause, rename, prune, aliases

# log_lines NAME: how many stdout lines the container logged.
log_lines() {
	"$BERTH" logs "$1" 2>/dev/null | wc -l
}

test_pause_unpause() {
	run_d pz busybox sh -c 'i=0; while :; do i=$((i + 1)); echo $i; sleep 0.1; done'
	wait_for 10 bash -c '[ "$("$0" logs pz | wc -l)" -ge 3 ]' "$BERTH"
	assert_exit 0 "$BERTH" pause pz
	assert_eq pz "$OUT"
	sleep 0.3
	local n1 n2 n3
	n1=$(log_lines pz)
	sleep 1
	n2=$(log_lines pz)
	assert_eq "$n1" "$n2" "the counter advanced while paused"
	assert_ps_status pz "(Paused)"
	assert_exit 0 "$BERTH" ps -q -f status=paused
	[ -n "$OUT" ] || fail "status=paused lists nothing"
	assert_exit 0 "$BERTH" inspect pz
	assert_contains "$OUT" '"Paused": true'
	assert_exit 125 "$BERTH" pause pz
	assert_one_error_line "already paused"
	assert_exit 0 "$BERTH" unpause pz
	wait_for 10 bash -c '[ "$("$0" logs pz | wc -l)" -gt '"$n2"' ]' "$BERTH"
	assert_exit 125 "$BERTH" unpause pz
	assert_one_error_line "not paused"
	# A paused container can still be stopped.
	assert_exit 0 "$BERTH" pause pz
	local t0
	t0=$(now_ms)
	assert_exit 0 "$BERTH" stop -t 1 pz
	[ $(($(now_ms) - t0)) -lt 4000 ] || fail "stop of a paused container took too long"
	assert_ps_status pz "Exited"
	assert_exit 125 "$BERTH" pause pz
	assert_one_error_line "is not running"
	assert_exit 0 "$BERTH" rm pz
}

test_rename() {
	local id
	run_d old busybox sleep 100
	id=$ID
	run_d other busybox true
	assert_exit 0 "$BERTH" rename old new
	defer '"$BERTH" rm -f new >/dev/null 2>&1 || true'
	assert_exit 0 "$BERTH" ps
	assert_contains "$OUT" " new"
	assert_not_contains "$OUT" " old"
	assert_eq new "$(record_field "$id" name)"
	assert_exit 125 "$BERTH" rename new other
	assert_one_error_line "already in use"
	assert_exit 125 "$BERTH" rename new 'bad name!'
	assert_one_error_line "invalid container name"
	assert_exit 125 "$BERTH" rename old again
	assert_one_error_line "no such container: old"
	# The running container keeps its new name after it exits.
	assert_exit 0 "$BERTH" stop -t 0 new
	assert_eq new "$(record_field "$id" name)"
	# The old name is free.
	assert_exit 0 "$BERTH" run --name old busybox true
	assert_exit 0 "$BERTH" rm new old other
	assert_eq "" "$(ls "$BERTH_ROOT/containers/names")" "names left"
}

test_container_prune() {
	run_d p1 busybox true
	run_d p2 busybox sh -c 'exit 2'
	local keep
	run_d pkeep busybox sleep 100
	keep=$ID
	"$BERTH" wait p1 p2 >/dev/null
	local id1 id2
	id1=$("$BERTH" ps -a -q --no-trunc -f name=p1)
	id2=$("$BERTH" ps -a -q --no-trunc -f name=p2)
	assert_exit 0 "$BERTH" container prune -f
	assert_contains "$OUT" "Deleted Containers:"
	assert_contains "$OUT" "$id1"
	assert_contains "$OUT" "$id2"
	assert_contains "$OUT" "Total reclaimed space: "
	assert_exit 0 "$BERTH" ps -a -q --no-trunc
	assert_eq "$keep" "$OUT"
	# Without -f it asks; anything but y keeps everything.
	assert_exit 0 "$BERTH" stop -t 0 pkeep
	run "$BERTH" container prune <<<"n"
	assert_eq 0 "$RC"
	assert_contains "$OUT" "Are you sure"
	assert_eq "$keep" "$(container_ids)"
	assert_exit 0 "$BERTH" container prune -f
	assert_eq "" "$(container_ids)"
}

test_container_management_aliases() {
	local id
	run_d al busybox sleep 100
	id=$ID
	assert_exit 0 "$BERTH" container ls
	assert_contains "$OUT" "${id:0:12}"
	assert_exit 0 "$BERTH" container ps -q
	assert_eq "${id:0:12}" "$OUT"
	assert_exit 0 "$BERTH" container inspect al
	assert_contains "$OUT" "\"Id\": \"$id\""
	assert_exit 0 "$BERTH" container stop -t 0 al
	assert_exit 0 "$BERTH" container rm al
	assert_eq "" "$(container_ids)"
	assert_exit 125 "$BERTH" container frobnicate
	assert_one_error_line "frobnicate"
}

test_unknown_container_is_one_error_line() {
	local cmd
	for cmd in stop kill rm wait pause unpause logs top inspect restart start; do
		assert_exit 125 "$BERTH" $cmd nosuch
		assert_one_error_line "no such container: nosuch"
	done
	assert_exit 125 "$BERTH" rename nosuch x
	assert_one_error_line "no such container: nosuch"
}

# ---- the kernel's state is the truth; reading never needs to write (issue 22)

# small_store: the rest of the test uses a store on a 40 MB tmpfs of its own (BERTH_ROOT), so it
# can be filled; unmounted when the test ends (after the containers deferred later are removed).
small_store() {
	local d=$TEST_TMP/store
	mkdir -p "$d"
	mount -t tmpfs -o size=40m,mode=0700 tmpfs "$d"
	defer "umount '$d' 2>/dev/null || umount -l '$d'"
	export BERTH_ROOT=$d
}

# fill_store: no free byte left in the small store until the test ends (or unfill_store).
fill_store() {
	dd if=/dev/zero of="$BERTH_ROOT/fill" bs=1M status=none 2>/dev/null || true
	dd if=/dev/zero of="$BERTH_ROOT/fill.tail" bs=4k status=none 2>/dev/null || true
	defer "rm -f '$BERTH_ROOT/fill' '$BERTH_ROOT/fill.tail'"
	if echo x >"$BERTH_ROOT/probe" 2>/dev/null; then fail "the store is not full"; fi
	rm -f "$BERTH_ROOT/probe"
}

unfill_store() {
	rm -f "$BERTH_ROOT/fill" "$BERTH_ROOT/fill.tail"
}

# freeze_file ID: the file of the container's cgroup that freezes it (v1 freezer.state, v2
# cgroup.freeze), from the record's "cgroup" ("MODE|CONTROLLERS=DIR|...", mode 2 is v2).
freeze_file() {
	"$PYTHON" - "$(record_field "$1" cgroup)" <<'PY'
import sys
mode, *dirs = sys.argv[1].split("|")
for d in dirs:
    ctl, path = d.split("=", 1)
    if mode == "2":
        print(path + "/cgroup.freeze"); break
    if "freezer" in ctl.split(","):
        print(path + "/freezer.state"); break
PY
}

# cg_freeze ID / cg_thaw ID: behind berth's back, as a user or another tool could.
cg_freeze() {
	local f
	f=$(freeze_file "$1")
	case "$f" in *freezer.state) echo FROZEN >"$f" ;; *) echo 1 >"$f" ;; esac
	wait_for 10 cg_frozen "$1"
}
cg_thaw() {
	local f
	f=$(freeze_file "$1")
	[ -e "$f" ] || return 0
	case "$f" in *freezer.state) echo THAWED >"$f" ;; *) echo 0 >"$f" ;; esac
}
# cg_frozen ID: the kernel says the container's cgroup is frozen (or freezing).
cg_frozen() {
	local s
	s=$(cat "$(freeze_file "$1")")
	[ "$s" = FROZEN ] || [ "$s" = FREEZING ] || [ "$s" = 1 ]
}

# ps_status_has NAME TEXT: true if `ps -a` shows NAME with a STATUS containing TEXT.
ps_status_has() {
	"$BERTH" ps -a -f "name=^$1\$" | tail -n +2 | grep -qF -- "$2"
}

# monitor_pid ID: the pid of the container's monitor (its init's parent).
monitor_pid() {
	awk '/^PPid:/ { print $2 }' /proc/"$(record_field "$1" pid)"/status
}

test_pause_on_a_full_store_fails_and_leaves_the_container_running() {
	small_store
	run_d pf busybox sleep 100
	local id=$ID
	defer "cg_thaw $id"
	fill_store
	assert_exit 125 "$BERTH" pause pf
	cg_frozen "$id" && fail "a pause that could not be recorded left the container frozen"
	assert_one_error_line "pausing container pf"
	assert_ps_status pf "Up "
	assert_exit 0 "$BERTH" inspect pf
	assert_contains "$OUT" '"Paused": false'
}

test_unpause_thaws_a_container_frozen_behind_berths_back() {
	small_store
	run_d fz busybox sleep 100
	local id=$ID
	defer "cg_thaw $id"
	cg_freeze "$id"
	assert_ps_status fz "(Paused)"
	assert_exit 0 "$BERTH" unpause fz
	assert_eq fz "$OUT"
	cg_frozen "$id" && fail "unpause left the cgroup frozen"
	assert_ps_status fz "Up "
	# and on a full store too: thawing needs no write
	assert_exit 0 "$BERTH" pause fz
	fill_store
	assert_exit 0 "$BERTH" unpause fz
	cg_frozen "$id" && fail "unpause on a full store left the cgroup frozen"
	assert_ps_status fz "Up "
}

test_stop_kill_rm_f_of_a_container_frozen_behind_berths_back() {
	small_store
	local name id
	for name in fstop fkill frm; do
		run_d "$name" busybox sleep 100
		id=$ID
		defer "cg_thaw $id"
		cg_freeze "$id"
	done
	assert_exit 0 timeout 30 "$BERTH" stop -t 1 fstop
	assert_eq fstop "$OUT"
	assert_ps_status fstop "Exited (137)"
	assert_exit 0 timeout 30 "$BERTH" kill fkill
	wait_for 20 ps_status_has fkill "Exited (137)"
	assert_exit 0 timeout 30 "$BERTH" rm -f frm
	assert_exit 0 "$BERTH" ps -a -q -f name=frm
	assert_eq "" "$OUT" "rm -f removed the frozen container"
}

test_ps_and_inspect_on_a_full_store_show_a_container_whose_monitor_died() {
	small_store
	run_d md busybox sleep 100
	local id=$ID pid mon
	pid=$(record_field "$id" pid)
	mon=$(monitor_pid "$id")
	fill_store
	kill -KILL "$mon"
	wait_for 10 bash -c "! kill -0 $pid"
	assert_exit 0 "$BERTH" ps -a
	assert_contains "$OUT" "Exited (137)"
	assert_contains "$OUT" md
	assert_exit 0 "$BERTH" ps -q
	assert_eq "" "$OUT" "ps lists no running container"
	assert_exit 0 "$BERTH" inspect md
	assert_contains "$OUT" '"Status": "exited"'
	assert_contains "$OUT" '"ExitCode": 137'
	assert_exit 0 "$BERTH" wait md
	assert_eq 137 "$OUT" "wait on a full store"
	assert_exit 0 "$BERTH" logs md
	assert_eq running "$(record_field "$id" status)" "nothing could be written on the full store"
	# Once there is room, the next command that reads it keeps the correction.
	unfill_store
	assert_exit 0 "$BERTH" ps -a
	assert_eq exited "$(record_field "$id" status)" "reconciled once the store had room"
}

test_stop_on_a_full_store_reports_the_kill() {
	small_store
	run_d fs busybox sleep 100
	local id=$ID pid
	pid=$(record_field "$id" pid)
	fill_store
	assert_exit 0 timeout 30 "$BERTH" stop -t 1 fs
	assert_eq fs "$OUT"
	kill -0 "$pid" 2>/dev/null && fail "the init lives on"
	assert_ps_status fs "Exited"
}

test_no_wait_forever_on_a_stopped_lock_holder() {
	run_d sh busybox sleep 100
	local id=$ID mon holder
	mon=$(monitor_pid "$id")
	assert_exit 0 "$BERTH" pause sh
	# A process that took the record lock and was stopped (SIGSTOP) holding it.
	( exec 9>>"$BERTH_ROOT/containers/$id/record.lock"; flock 9; kill -STOP "$BASHPID" ) &
	holder=$!
	defer "kill -KILL $holder 2>/dev/null; kill -CONT $holder 2>/dev/null || true"
	wait_for 10 bash -c "grep -q '^State:.*T' /proc/$holder/status"
	assert_exit 125 timeout 30 "$BERTH" unpause sh
	assert_one_error_line "held by pid $holder"
	assert_contains "$ERR" "stopped"
	# stop neither waits for that lock (nor does the owner's exit record, for long).
	assert_exit 0 timeout 30 "$BERTH" stop -t 1 sh
	assert_ps_status sh "Exited (137)"
	kill -KILL "$holder"
	# A stopped owner (the monitor): stop kills the init, then says who holds the container.
	run_d so busybox sleep 100
	id=$ID
	mon=$(monitor_pid "$id")
	kill -STOP "$mon"
	defer "kill -CONT $mon 2>/dev/null || true"
	assert_exit 125 timeout 30 "$BERTH" stop -t 1 so
	assert_one_error_line "held by pid $mon (berth-monitor), which is stopped"
	kill -CONT "$mon"
	wait_for 20 ps_status_has so "Exited"
}
