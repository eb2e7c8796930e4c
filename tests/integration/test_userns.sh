# Integration tests of --userns remap: the container's root is an unprivileged host id (as
# docker's userns-remap). The explicit form remap:HOSTID[:SIZE] is used so no test needs
# /etc/subuid (the host's /etc is never touched).
# shellcheck shell=bash disable=SC2016 # single-quoted $ are for the container's shell

# rt_setup, rt and rt_bundle (test_runtime.sh), without its tests.
source "$(dirname "${BASH_SOURCE[0]}")/test_runtime.sh"
# shellcheck disable=SC2046
unset -f $(declare -F | awk '$3 ~ /^test_/ { print $3 }')

test_userns_remap_root_is_unprivileged_on_the_host() {
	assert_exit 0 "$BERTH" run --rm --network none --userns remap:300000 busybox sh -c \
		'id -u; cat /proc/self/uid_map'
	assert_eq 0 "$(printf '%s\n' "$OUT" | head -n 1)" "uid inside"
	assert_contains "$OUT" "300000" "uid_map names the host range"
	bg_start c "$BERTH" run --rm --network none --userns remap:300000 busybox sh -c \
		'echo ready; exec sleep 30'
	wait_for 20 file_contains "$TEST_TMP/c.out" ready
	local pid
	pid=$(container_init_pid "$BG_PID")
	[ -n "$pid" ] || fail "no container init found"
	assert_eq 300000 "$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")" "host uid of the container's root"
	kill -KILL "$pid" # sleep as PID 1 ignores TERM
	bg_wait "$BG_PID" || true
}

test_userns_remap_writes_the_image_files() {
	# copy-up of files the image owns, deletion (a whiteout), a new file: all as the mapped root
	assert_exit 0 "$BERTH" run --name u --network none --userns remap:300000 busybox sh -c \
		'echo x >> /etc/passwd && rm /bin/ls && touch /newfile && echo done'
	assert_eq done "$OUT"
	local upper
	upper=$(ls -d "$BERTH_ROOT"/containers/*/upper)
	assert_eq "300000 300000" "$(stat -c '%u %g' "$upper/newfile")" "owner of a new file on the host"
	assert_exit 0 "$BERTH" rm u
}

test_userns_bad_value() {
	assert_exit 125 "$BERTH" run --rm --userns remap:0 busybox true
	assert_contains "$ERR" "--userns" "the error names the flag"
	assert_exit 125 "$BERTH" run --rm --userns bogus busybox true
	[ -z "$(ls "$BERTH_ROOT/containers" 2>/dev/null | grep -v names)" ] || fail "a container was left behind"
}

# The user's processes are born non-dumpable, so until their execve their /proc/PID files belong
# to the host's root: the maps berth writes into the init's /proc/PID/uid_map and gid_map as it
# starts, and an exec'd process, dumpable again after execve, owns its files as the namespace's
# root or user.
test_userns_remap_exec_owns_its_proc_files() {
	assert_exit 0 "$BERTH" run -d --name u --network none --userns remap:300000 busybox sleep 300
	note_id "$OUT"
	defer "\"\$BERTH\" rm -f u >/dev/null 2>&1"
	assert_exit 0 "$BERTH" exec u sh -c 'stat -c %u /proc/$$/fd; cat /proc/$$/uid_map'
	assert_eq 0 "$(head -n 1 <<<"$OUT")" "owner of a root exec's /proc/PID/fd"
	assert_contains "$OUT" 300000 "the exec's uid_map"
	assert_exit 0 "$BERTH" exec -u 1000 u sh -c 'stat -c %u /proc/$$/fd; ls /proc/$$/fd >/dev/null && echo FDS'
	assert_eq "1000
FDS" "$OUT" "owner of a user's exec's /proc/PID/fd, and its fds"
}

# berth-runtime with a user namespace in the bundle: the maps, and an exec. (In the foreground:
# `create` leaves the start FIFO to the host's root, which the namespace's root cannot open.)
test_userns_runtime_bundle_maps() {
	rt_setup
	rt_bundle "$TEST_TMP/b" '["sleep", "300"]' "
config['linux']['namespaces'].append({'type': 'user'})
config['linux']['uidMappings'] = [{'containerID': 0, 'hostID': 300000, 'size': 65536}]
config['linux']['gidMappings'] = [{'containerID': 0, 'hostID': 300000, 'size': 65536}]"
	bg_start r "$BERTH_RUNTIME" --root "$RTROOT" run --bundle "$TEST_TMP/b" "$ID"
	wait_for 20 is_status "$ID" running
	local pid
	pid=$(json_get <(rt state "$ID") pid)
	assert_eq 300000 "$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")" "host uid of the init"
	assert_exit 0 rt exec "$ID" sh -c 'id -u; cat /proc/1/uid_map /proc/1/gid_map; stat -c %u /proc/$$/fd'
	assert_eq "0" "$(head -n 1 <<<"$OUT")" "uid inside"
	assert_eq "0 300000 65536 0 300000 65536" "$(sed -n 2,3p <<<"$OUT" | tr -s ' \n' ' ' | sed 's/^ //; s/ $//')" \
		"the init's uid_map and gid_map"
	assert_eq 0 "$(sed -n 4p <<<"$OUT")" "owner of the exec's /proc/PID/fd"
	assert_exit 0 rt kill "$ID" KILL
	bg_wait "$BG_PID"
}
