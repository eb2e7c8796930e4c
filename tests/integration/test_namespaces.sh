# --pid host|container:NAME, --ipc host|container:NAME|private|shareable|none and --network
# container:NAME: namespaces shared with the host or a running container (issue 23 point 4),
# docker's errors when the target is not running, inspect's HostConfig, and what happens to a
# joiner when its target goes (docker's behaviour: a pid joiner dies with the target's init, a
# network joiner keeps running with its loopback only).
# shellcheck shell=bash disable=SC2016

rm_all() {
	local ids
	ids=$("$BERTH" ps -aq 2>/dev/null || true)
	# shellcheck disable=SC2086
	[ -z "$ids" ] || "$BERTH" rm -f $ids >/dev/null 2>&1 || true
}

# host_config NAME FIELD: a field of the container's HostConfig in inspect.
host_config() {
	"$BERTH" inspect "$1" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)[0]["HostConfig"][sys.argv[1]])' "$2"
}

full_id() {
	"$BERTH" inspect "$1" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)[0]["Id"])'
}

test_pid_host_and_container() {
	defer rm_all
	assert_exit 0 "$BERTH" run -d --name a busybox sleep 300
	assert_exit 0 "$BERTH" run --rm --pid container:a busybox sh -c 'tr "\0" " " </proc/1/cmdline'
	assert_eq "sleep 300 " "$OUT" "pid 1 of a joiner is the target's init"
	assert_exit 0 "$BERTH" run -d --name j --pid container:a busybox sleep 300
	assert_eq "container:$(full_id a)" "$(host_config j PidMode)"
	assert_eq "" "$(host_config a PidMode)"
	# --pid host: the host's processes, this test's shell among them.
	assert_exit 0 "$BERTH" run --rm --pid host busybox sh -c "tr '\\0' ' ' </proc/$$/cmdline"
	assert_contains "$OUT" "bash"
	assert_eq "$(readlink /proc/self/ns/pid)" "$("$BERTH" run --rm --pid host busybox readlink /proc/self/ns/pid)"
}

test_ipc_modes() {
	defer rm_all
	assert_exit 0 "$BERTH" run -d --name donor --ipc shareable busybox sh -c 'echo from-donor >/dev/shm/f; exec sleep 300'
	wait_for 5 "$BERTH" exec donor test -s /dev/shm/f
	assert_exit 0 "$BERTH" run --rm --ipc container:donor busybox sh -c 'cat /dev/shm/f; readlink /proc/self/ns/ipc'
	local want
	want=$("$BERTH" exec donor readlink /proc/self/ns/ipc)
	assert_eq "from-donor
$want" "$OUT" "the joiner sees the donor's /dev/shm and IPC namespace"
	assert_eq shareable "$(host_config donor IpcMode)"
	# The default is private, and a private container is no donor (docker's words).
	assert_exit 0 "$BERTH" run -d --name priv busybox sleep 300
	assert_eq private "$(host_config priv IpcMode)"
	assert_exit 125 "$BERTH" run --rm --ipc container:priv busybox true
	assert_one_error_line "non-shareable IPC (hint: use IpcMode:shareable for the donor container)"
	assert_exit 1 "$BERTH" run --rm --ipc none busybox ls /dev/shm
	assert_eq "$(readlink /proc/self/ns/ipc)" "$("$BERTH" run --rm --ipc host busybox readlink /proc/self/ns/ipc)"
	assert_exit 125 "$BERTH" run --rm --ipc bogus busybox true
	assert_one_error_line '--ipc: invalid IPC mode "bogus"'
}

test_join_needs_a_running_target() {
	defer rm_all
	assert_exit 0 "$BERTH" run --name stopped --ipc shareable busybox true
	assert_exit 125 "$BERTH" run --rm --pid container:stopped busybox true
	assert_one_error_line "container stopped is not running"
	assert_exit 125 "$BERTH" run --rm --ipc container:stopped busybox true
	assert_one_error_line "container stopped is not running"
	assert_exit 125 "$BERTH" run --rm --network container:stopped busybox true
	assert_one_error_line "cannot join network of a non running container: stopped"
	assert_exit 125 "$BERTH" run --rm --pid container:nosuch busybox true
	assert_one_error_line "no such container: nosuch"
	[ "$("$BERTH" ps -aq | wc -l)" = 1 ] || fail "a refused run left a container: $("$BERTH" ps -a)"
}

# Recorded by id, as docker does: the target renamed, the joiner starts again; stopped, the
# joiner's start fails with docker's words.
test_target_recorded_by_id() {
	defer rm_all
	assert_exit 0 "$BERTH" run -d --name t busybox sleep 300
	assert_exit 0 "$BERTH" run -d --name j --network container:t --pid container:t busybox sleep 300
	assert_eq "container:$(full_id t)" "$(host_config j NetworkMode)"
	assert_eq bridge "$(host_config t NetworkMode)"
	assert_exit 0 "$BERTH" stop -t 0 j
	assert_exit 0 "$BERTH" rename t t2
	assert_exit 0 "$BERTH" start j
	assert_exit 0 "$BERTH" exec j sh -c 'tr "\0" " " </proc/1/cmdline'
	assert_eq "sleep 300 " "$OUT"
	assert_exit 0 "$BERTH" stop -t 0 t2
	assert_exit 125 "$BERTH" start j
	assert_one_error_line "cannot join network of a non running container: $(full_id t2)"
}

# The target removed while joiners run: the pid joiner is killed with the namespace's init
# (exit 137); the network joiner keeps running with only its loopback, and the target's veth is
# gone from the bridge (not kept alive by the joiner's hold on the namespace).
test_rm_target_while_joiners_run() {
	defer rm_all
	assert_exit 0 "$BERTH" run -d --name t busybox sleep 300
	assert_exit 0 "$BERTH" run -d --name jp --pid container:t busybox sleep 300
	assert_exit 0 "$BERTH" run -d --name jn --network container:t busybox sleep 300
	local br
	br=bb$(printf '%s' "$BERTH_ROOT" | sha256sum | cut -c1-6)
	[ -n "$(ip -o link show master "$br")" ] || fail "t has no veth on $br"
	assert_exit 0 "$BERTH" rm -f t
	wait_for 10 sh -c '"$BERTH" inspect jp | grep -q "\"Status\": \"exited\""'
	assert_eq 137 "$("$BERTH" inspect jp | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)[0]["State"]["ExitCode"])')"
	assert_exit 0 "$BERTH" exec jn ip -o link
	assert_not_contains "$OUT" "eth0"
	[ -z "$(ip -o link show master "$br" 2>/dev/null)" ] || fail "the removed target's veth is still on $br"
	assert_exit 0 "$BERTH" rm -f jn jp
	if ip -o link show "$br" >/dev/null 2>&1; then fail "bridge $br left behind"; fi
}
