# Integration tests of --userns remap: the container's root is an unprivileged host id (as
# docker's userns-remap). The explicit form remap:HOSTID[:SIZE] is used so no test needs
# /etc/subuid (the host's /etc is never touched).
# shellcheck shell=bash disable=SC2016 # single-quoted $ are for the container's shell

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
