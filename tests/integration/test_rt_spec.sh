# Integration tests of the OCI runtime spec's wider surface in berth-runtime: time namespace
# offsets, seccomp notify/defaultErrnoRet, personality, domainname, scheduler, ioPriority, and
# the fields berth refuses (docs/conformance.md "Spec surface").
# shellcheck shell=bash disable=SC2016

# rt_setup, rt and rt_bundle (test_runtime.sh), without its tests.
source "$(dirname "${BASH_SOURCE[0]}")/test_runtime.sh"
# shellcheck disable=SC2046
unset -f $(declare -F | awk '$3 ~ /^test_/ { print $3 }')

test_rt_spec_time_offsets_shift_uptime() {
	rt_setup
	rt_bundle "$TEST_TMP/b" '["cat", "/proc/uptime"]' '
config["linux"]["namespaces"].append({"type": "time"})
config["linux"]["timeOffsets"] = {"boottime": {"secs": 86400000}, "monotonic": {"secs": 86400000}}'
	assert_exit 0 rt run --bundle "$TEST_TMP/b" "$ID"
	local up=${OUT%%.*}
	[ "$up" -ge 86400000 ] || fail "uptime inside is $OUT, not shifted by 86400000 s"
}

test_rt_spec_time_offsets_need_a_time_namespace() {
	rt_setup
	rt_bundle "$TEST_TMP/b" '["true"]' '
config["linux"]["timeOffsets"] = {"boottime": {"secs": 5}}'
	assert_exit 1 rt run --bundle "$TEST_TMP/b" "$ID"
	assert_contains "$ERR" "linux.timeOffsets: needs a time namespace"
}

test_rt_spec_personality_domainname() {
	rt_setup
	rt_bundle "$TEST_TMP/b" '["sh", "-c", "uname -m; cat /proc/sys/kernel/domainname"]' '
config["linux"]["personality"] = {"domain": "LINUX32"}
config["domainname"] = "spec.test"'
	assert_exit 0 rt run --bundle "$TEST_TMP/b" "$ID"
	assert_contains "$OUT" "i686"
	assert_contains "$OUT" "spec.test"
}

test_rt_spec_scheduler_and_io_priority() {
	rt_setup
	rt_bundle "$TEST_TMP/b" '["sh", "-c", "cat /proc/self/stat"]' '
config["process"]["scheduler"] = {"policy": "SCHED_BATCH", "nice": 7}
config["process"]["ioPriority"] = {"class": "IOPRIO_CLASS_IDLE", "priority": 0}'
	assert_exit 0 rt run --bundle "$TEST_TMP/b" "$ID"
	# field 19 is nice, 41 the policy (3: SCHED_BATCH)
	assert_eq "7 3" "$(echo "$OUT" | awk '{print $19, $41}')"
}

test_rt_spec_refused_fields() {
	rt_setup
	rt_bundle "$TEST_TMP/b" '["true"]' '
config["linux"]["intelRdt"] = {"closID": "x"}'
	assert_exit 1 rt run --bundle "$TEST_TMP/b" "$ID"
	assert_contains "$ERR" "linux.intelRdt"
}

test_rt_spec_seccomp_default_errno_ret() {
	rt_setup
	rt_bundle "$TEST_TMP/b" '["sh", "-c", "mkdir /x 2>&1; true"]' '
config["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
    {"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]}'
	assert_exit 0 rt run --bundle "$TEST_TMP/b" "$ID"
	assert_contains "$OUT" "not implemented"
	rt_bundle "$TEST_TMP/c" '["true"]' '
config["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW", "defaultErrnoRet": 5}'
	assert_exit 1 rt run --bundle "$TEST_TMP/c" "${ID}c"
	assert_contains "$ERR" "defaultErrnoRet: SCMP_ACT_ALLOW returns no errno"
}

test_rt_spec_seccomp_notify_sends_the_fd() {
	rt_setup
	local sock="$TEST_TMP/agent.sock"
	bg_start agent "$PYTHON" -c '
import socket, sys, json, array, os
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(1); print("listening", flush=True)
c, _ = s.accept()
fds = array.array("i")
msg, anc, _, _ = c.recvmsg(65536, socket.CMSG_LEN(4))
for lvl, typ, data in anc:
    fds.frombytes(data[:4])
st = json.loads(msg)
print("fds", st["fds"], "meta", st.get("metadata"), "status", st["state"]["status"],
      "link", os.readlink("/proc/self/fd/%d" % fds[0]), flush=True)
' "$sock"
	wait_for 10 file_contains "$TEST_TMP/agent.out" listening
	rt_bundle "$TEST_TMP/b" '["true"]' "
config['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW', 'listenerPath': '$sock',
    'listenerMetadata': 'hello', 'syscalls': [{'names': ['mknodat'], 'action': 'SCMP_ACT_NOTIFY'}]}"
	assert_exit 0 rt run --bundle "$TEST_TMP/b" "$ID"
	bg_wait "$BG_PID"
	local got
	got=$(cat "$TEST_TMP/agent.out")
	assert_contains "$got" "fds ['seccompFd'] meta hello status creating"
	assert_contains "$got" "seccomp notify"
}
