# Integration tests of berth-runtime as an OCI runtime: the create/start/state/kill/delete
# lifecycle, exec, ps, list, pause/resume, update, events, features, spec and hooks. Every test
# has its own --root under TEST_TMP and deletes (--force) every container it made.

# rt_setup, rt, rt_bundle, status_of, is_status, validate
source "$(dirname "${BASH_SOURCE[0]}")/rt_lib.sh"

WAIT="trap 'exit 0' TERM; while :; do sleep 0.1; done"

test_rt_lifecycle() {
	rt_setup
	rt_bundle "$TEST_TMP/b" "[\"sh\", \"-c\", \"$WAIT\"]"
	assert_exit 0 rt create --bundle "$TEST_TMP/b" --pid-file "$TEST_TMP/pid" "$ID"
	assert_eq created "$(status_of "$ID")"
	rt state "$ID" >"$TEST_TMP/state.json"
	validate state-schema.json "$TEST_TMP/state.json"
	local pid
	pid=$(json_get "$TEST_TMP/state.json" pid)
	[ "$pid" -gt 0 ] || fail "pid $pid"
	assert_eq "$pid" "$(cat "$TEST_TMP/pid")" "pid file"
	assert_exit 0 rt start "$ID"
	assert_eq running "$(status_of "$ID")"
	run rt start "$ID"
	[ "$RC" != 0 ] || fail "start of a running container succeeded"
	assert_exit 0 rt kill "$ID" TERM
	wait_for 10 is_status "$ID" stopped
	rt state "$ID" >"$TEST_TMP/state.json"
	validate state-schema.json "$TEST_TMP/state.json"
	run rt kill "$ID" KILL
	[ "$RC" != 0 ] || fail "kill of a stopped container succeeded"
	assert_contains "$ERR" "not running"
	assert_exit 0 rt delete "$ID"
	run rt state "$ID"
	[ "$RC" != 0 ] || fail "state after delete succeeded"
	assert_contains "$ERR" "does not exist"
}

# A long flag only under its full name, as runc: getopt_long took `--bun` for --bundle and ran
# the container. Nothing is made (no state, no pid file); the full names still work.
test_rt_flag_abbreviation_refused() {
	rt_setup
	rt_bundle "$TEST_TMP/b" '["true"]'
	run rt run --bun "$TEST_TMP/b" "$ID"
	assert_eq "1 berth-runtime: run: unknown flag --bun" "$RC $ERR"
	run rt create --bundle "$TEST_TMP/b" --pid-f "$TEST_TMP/pid" "$ID"
	assert_eq "1 berth-runtime: create: unknown flag --pid-f" "$RC $ERR"
	[ ! -e "$RTROOT/$ID" ] && [ ! -e "$TEST_TMP/pid" ] || fail "a refused command made something"
	assert_exit 0 rt run --bundle "$TEST_TMP/b" --pid-file "$TEST_TMP/pid" "$ID"
	[ -s "$TEST_TMP/pid" ] || fail "no pid file from the full names"
}

test_rt_create_unknown_command() {
	rt_setup
	rt_bundle "$TEST_TMP/b" '["no-such-command"]'
	run rt create --bundle "$TEST_TMP/b" "$ID"
	[ "$RC" != 0 ] || fail "create with an unknown command succeeded"
	assert_contains "$ERR" "executable file not found"
	[ ! -e "$RTROOT/$ID" ] || fail "state left after a failed create"
}

# A container without a pid namespace of its own, allowed to write its cgroup, moves a process
# into a cgroup it made below its own: delete --force must kill that one too (nothing kills it
# with the init here) and remove both cgroups. On v2 cgroup.kill covers the subtree; on v1 the
# walk does.
gone_or_zombie() {
	[ ! -e "/proc/$1" ] || [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = Z ]
}
test_rt_delete_kills_processes_in_sub_cgroups() {
	rt_setup
	# moved in every hierarchy berth made the container a cgroup in (not name=systemd, whose root
	# is the host's, nor cpuset, which needs cpus and mems first)
	rt_bundle "$TEST_TMP/b" '["sh", "-c", "sleep 300 & for h in memory cpu cpuacct pids blkio freezer devices; do mkdir /sys/fs/cgroup/$h/sub && echo $! >/sys/fs/cgroup/$h/sub/cgroup.procs || exit 1; done; echo $! >/moved; exec sleep 200"]' '
config["linux"]["namespaces"] = [{"type": t} for t in ("network", "ipc", "uts", "mount", "cgroup")]
config["mounts"] += [{"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["mode=755"]},
                     {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
                      "options": ["nosuid", "noexec", "nodev", "rw"]}]
config["root"]["readonly"] = False'
	[ -d /sys/fs/cgroup/memory ] || return 0 # a v1 test: a v2 host kills the subtree at once
	assert_exit 0 rt run -d --bundle "$TEST_TMP/b" "$ID"
	wait_for 10 test -s "$TEST_TMP/b/rootfs/moved"
	local moved
	moved=$(cat "$TEST_TMP/b/rootfs/moved")
	assert_eq S "$(awk '{ print $3 }' /proc/"$moved"/stat)" "the moved sleep's state"
	assert_contains "$(grep memory /proc/"$moved"/cgroup)" "/$ID/sub" "the moved sleep's memory cgroup"
	assert_exit 0 rt delete --force "$ID"
	wait_for 5 gone_or_zombie "$moved"
	local left
	left=$(find /sys/fs/cgroup -name "*$ID*" 2>/dev/null || true)
	[ -z "$left" ] || fail "cgroups left: $left"
}

test_rt_delete_running_needs_force() {
	rt_setup
	rt_bundle "$TEST_TMP/b" '["sleep", "100"]'
	assert_exit 0 rt run -d --bundle "$TEST_TMP/b" "$ID"
	run rt delete "$ID"
	[ "$RC" != 0 ] || fail "delete of a running container succeeded"
	assert_contains "$ERR" "running"
	assert_exit 0 rt delete --force "$ID"
	local left
	left=$(find /sys/fs/cgroup -name "*$ID*" 2>/dev/null || true)
	[ -z "$left" ] || fail "cgroups left: $left"
	[ ! -e "$RTROOT/$ID" ] || fail "state left"
}

test_rt_exec() {
	rt_setup
	rt_bundle "$TEST_TMP/b" '["sleep", "100"]'
	assert_exit 0 rt run -d --bundle "$TEST_TMP/b" "$ID"
	assert_exit 0 rt exec "$ID" sh -c 'echo hi $(hostname)'
	assert_eq "hi rt" "$OUT"
	assert_exit 7 rt exec "$ID" sh -c 'exit 7'
	assert_exit 137 rt exec "$ID" sh -c 'kill -9 $$'
	assert_exit 0 rt exec --env FOO=bar --cwd /etc "$ID" sh -c 'echo $FOO $PWD'
	assert_eq "bar /etc" "$OUT"
	# --cap reaches bounding/effective/permitted, never inheritable
	assert_exit 0 rt exec --cap CAP_NET_ADMIN "$ID" grep -E '^Cap(Inh|Eff)' /proc/self/status
	assert_contains "$OUT" "CapInh:	0000000000000000"
	local eff
	eff=$(printf '%s\n' "$OUT" | awk '/CapEff/ {print $2}')
	[ $((0x$eff & (1 << 12))) != 0 ] || fail "CAP_NET_ADMIN not effective: $OUT"
	cat >"$TEST_TMP/proc.json" <<'EOF'
{"terminal": false, "user": {"uid": 0, "gid": 0}, "args": ["sh", "-c", "echo from-process $X; exit 3"],
 "env": ["PATH=/bin:/usr/bin", "X=y"], "cwd": "/"}
EOF
	assert_exit 3 rt exec --process "$TEST_TMP/proc.json" "$ID"
	assert_eq "from-process y" "$OUT"
	assert_exit 0 rt exec -d --pid-file "$TEST_TMP/epid" "$ID" sleep 100
	local epid
	epid=$(cat "$TEST_TMP/epid")
	[ -d "/proc/$epid" ] || fail "detached exec's pid $epid is not running"
	rt ps --format json "$ID" >"$TEST_TMP/ps.json"
	local init
	init=$(json_get <(rt state "$ID") pid)
	"$PYTHON" -c 'import json,sys; p=json.load(open(sys.argv[1])); assert int(sys.argv[2]) in p and int(sys.argv[3]) in p, p' \
		"$TEST_TMP/ps.json" "$init" "$epid"
	assert_exit 0 rt ps "$ID"
	assert_contains "$OUT" "sleep 100"
	assert_contains "$OUT" "PPID"
	assert_exit 0 rt kill "$ID" KILL
	wait_for 10 is_status "$ID" stopped
	run rt exec "$ID" true
	[ "$RC" != 0 ] || fail "exec into a stopped container succeeded"
	assert_contains "$ERR" "container $ID is not running"
}

test_rt_list() {
	rt_setup
	rt_bundle "$TEST_TMP/b" '["sleep", "100"]'
	assert_exit 0 rt create --bundle "$TEST_TMP/b" "$ID"
	mkdir -p "$RTROOT/.cache"
	assert_exit 0 rt list --format json
	printf '%s' "$OUT" >"$TEST_TMP/list.json"
	"$PYTHON" - "$TEST_TMP/list.json" "$ID" <<'EOF'
import json, sys
l = json.load(open(sys.argv[1]))
assert [c["id"] for c in l] == [sys.argv[2]], l
c = l[0]
for k in ("ociVersion", "id", "pid", "status", "bundle", "rootfs", "created", "owner", "annotations"):
    assert k in c, (k, c)
assert c["status"] == "created" and c["pid"] > 0, c
EOF
	assert_exit 0 rt list -q
	assert_eq "$ID" "$OUT"
	assert_exit 0 rt list
	assert_contains "$OUT" "$ID"
}

test_rt_pause_resume_update_events() {
	rt_setup
	rt_bundle "$TEST_TMP/b" '["sh", "-c", "i=0; while :; do i=$((i+1)); echo $i > /tmp/n; sleep 0.05; done"]'
	assert_exit 0 rt run -d --bundle "$TEST_TMP/b" "$ID"
	run rt resume "$ID"
	[ "$RC" != 0 ] || fail "resume of a running container succeeded"
	assert_contains "$ERR" "not paused"
	sleep 0.3
	assert_exit 0 rt pause "$ID"
	assert_eq paused "$(status_of "$ID")"
	local root a b
	root=$(json_get <(rt state "$ID") rootfs)
	a=$(cat "$root/tmp/n")
	sleep 0.5
	b=$(cat "$root/tmp/n")
	assert_eq "$a" "$b" "the counter moved while paused"
	run rt pause "$ID"
	[ "$RC" != 0 ] || fail "pause of a paused container succeeded"
	assert_exit 0 rt resume "$ID"
	assert_eq running "$(status_of "$ID")"
	sleep 0.5
	b=$(cat "$root/tmp/n")
	[ "$b" -gt "$a" ] || fail "counter did not move after resume ($a, $b)"
	# update
	assert_exit 0 rt update --memory 64m --pids-limit 50 "$ID"
	local memcg
	memcg=$(find /sys/fs/cgroup/memory -type d -name "$ID" | head -n 1)
	if [ -n "$memcg" ]; then
		assert_eq $((64 << 20)) "$(cat "$memcg/memory.limit_in_bytes")"
	else
		memcg=$(find /sys/fs/cgroup -type d -name "$ID" | head -n 1)
		assert_eq $((64 << 20)) "$(cat "$memcg/memory.max")"
	fi
	assert_contains "$(cat "$RTROOT/$ID/config.json")" '"limit": 67108864'
	echo '{"memory": {"limit": 33554432}}' | rt update --resources - "$ID"
	if [ -f "$memcg/memory.limit_in_bytes" ]; then
		assert_eq $((32 << 20)) "$(cat "$memcg/memory.limit_in_bytes")"
	fi
	# events --stats
	assert_exit 0 rt events --stats "$ID"
	printf '%s' "$OUT" >"$TEST_TMP/ev.json"
	"$PYTHON" - "$TEST_TMP/ev.json" "$ID" <<'EOF'
import json, sys
e = json.load(open(sys.argv[1]))
assert e["type"] == "stats" and e["id"] == sys.argv[2], e
d = e["data"]
assert d["pids"]["current"] >= 1 and d["memory"]["usage"]["usage"] > 0, d
assert "cpu" in d and "blkio" in d, d
EOF
	# events streams until the container stops
	bg_start events "$BERTH_RUNTIME" --root "$RTROOT" events --interval 200ms "$ID"
	local ev=$BG_PID
	wait_for 5 file_contains "$TEST_TMP/events.out" '"type":"stats"'
	assert_exit 0 rt kill "$ID" KILL
	bg_wait "$ev"
	assert_eq 0 "$RC" "events exit status"
}

test_rt_features_validate() {
	rt_setup
	rt features >"$TEST_TMP/f.json"
	validate features-schema.json "$TEST_TMP/f.json"
	assert_contains "$(cat "$TEST_TMP/f.json")" '"createRuntime"'
	assert_contains "$(cat "$TEST_TMP/f.json")" '"CAP_SYS_ADMIN"'
}

test_rt_spec_runs() {
	rt_setup
	local b="$TEST_TMP/sb"
	mkdir -p "$b/rootfs"
	tar -xf "$BERTH_DATADIR/busybox-layer.tar" -C "$b/rootfs"
	assert_exit 0 rt spec --bundle "$b"
	validate config-schema.json "$b/config.json"
	run rt spec --bundle "$b"
	[ "$RC" != 0 ] || fail "spec overwrote config.json"
	assert_contains "$ERR" "exists. Remove it first"
	"$PYTHON" - "$b/config.json" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
assert c["process"]["terminal"] is True and c["process"]["args"] == ["sh"]
assert c["process"]["noNewPrivileges"] is True
assert sorted(c["process"]["capabilities"]["bounding"]) == ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
c["process"]["terminal"] = False
c["process"]["args"] = ["sh", "-c", "echo spec-ok; cat /proc/self/status | grep CapBnd"]
json.dump(c, open(sys.argv[1], "w"))
EOF
	assert_exit 0 rt run --bundle "$b" "$ID"
	assert_contains "$OUT" "spec-ok"
	local rb="$TEST_TMP/rb"
	mkdir -p "$rb"
	assert_exit 0 rt spec --rootless --bundle "$rb"
	validate config-schema.json "$rb/config.json"
	"$PYTHON" - "$rb/config.json" "$(id -u)" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
ns = [n["type"] for n in c["linux"]["namespaces"]]
assert "user" in ns and "network" not in ns, ns
assert c["linux"]["uidMappings"][0]["hostID"] == int(sys.argv[2])
sysm = [m for m in c["mounts"] if m["destination"] == "/sys"][0]
assert "rbind" in sysm["options"], sysm
EOF
}

HOOK_PY='
def hook(name, rc=0):
    return {"path": "/bin/sh", "args": ["sh", "-c",
        "s=$(cat); echo %s $(echo \"$s\" | sed -n \"s/.*\\\"status\\\":\\\"\\([a-z]*\\)\\\".*/\\1/p\") >> %s/hooks.log; exit %d"
        % (name, "HOOKDIR", rc)]}
'

test_rt_hooks_order_and_state() {
	rt_setup
	local b="$TEST_TMP/b" py
	# startContainer runs inside the container: its sh and the log file are the container's
	py="${HOOK_PY//HOOKDIR/$TEST_TMP}"'
config["hooks"] = {k: [hook(k)] for k in ("prestart", "createRuntime", "createContainer", "poststart", "poststop")}
config["hooks"]["startContainer"] = [{"path": "/bin/sh", "args": ["sh", "-c", "cat > /startContainer.state"]}]
'
	rt_bundle "$b" '["sleep", "100"]' "$py"
	assert_exit 0 rt create --bundle "$b" "$ID"
	# "created" (runtime.md: the runtime has finished the create operation, after lifecycle
	# step 2; these hooks are steps 3 to 5), as crun says; runc says "creating".
	assert_eq "prestart created"$'\n'"createRuntime created"$'\n'"createContainer created" \
		"$(cat "$TEST_TMP/hooks.log")"
	assert_exit 0 rt start "$ID"
	assert_contains "$(cat "$b/rootfs/startContainer.state")" '"status":"created"'
	assert_contains "$(cat "$b/rootfs/startContainer.state")" "\"id\":\"$ID\""
	assert_eq "poststart running" "$(tail -n 1 "$TEST_TMP/hooks.log")"
	assert_exit 0 rt kill "$ID" KILL
	wait_for 10 is_status "$ID" stopped
	assert_exit 0 rt delete "$ID"
	assert_eq "poststop stopped" "$(tail -n 1 "$TEST_TMP/hooks.log")"
	assert_eq 5 "$(wc -l <"$TEST_TMP/hooks.log")"
}

test_rt_hook_failure_fails_create() {
	rt_setup
	local py="${HOOK_PY//HOOKDIR/$TEST_TMP}"'
config["hooks"] = {"createRuntime": [hook("createRuntime", 3)], "poststop": [hook("poststop")]}
'
	rt_bundle "$TEST_TMP/b" '["sleep", "100"]' "$py"
	run rt --log "$TEST_TMP/log.json" --log-format json create --bundle "$TEST_TMP/b" "$ID"
	[ "$RC" != 0 ] || fail "create with a failing createRuntime hook succeeded"
	assert_contains "$ERR" "createRuntime hook /bin/sh failed with exit status 3"
	[ ! -e "$RTROOT/$ID" ] || fail "state left after a failed create"
	local left
	left=$(find /sys/fs/cgroup -name "*$ID*" 2>/dev/null || true)
	[ -z "$left" ] || fail "cgroups left: $left"
	"$PYTHON" -c 'import json,sys; l=[json.loads(x) for x in open(sys.argv[1])]; assert l[-1]["level"]=="error" and "createRuntime" in l[-1]["msg"], l' \
		"$TEST_TMP/log.json"
	assert_contains "$(cat "$TEST_TMP/hooks.log")" "poststop stopped"
}

test_rt_hook_timeout() {
	rt_setup
	rt_bundle "$TEST_TMP/b" '["sleep", "100"]' '
config["hooks"] = {"prestart": [{"path": "/bin/sleep", "args": ["sleep", "30"], "timeout": 1}]}
'
	local t0=$SECONDS
	run rt create --bundle "$TEST_TMP/b" "$ID"
	[ "$RC" != 0 ] || fail "create with a hanging hook succeeded"
	assert_contains "$ERR" "timed out after 1 s"
	[ $((SECONDS - t0)) -lt 10 ] || fail "the timeout was not honoured"
	[ ! -e "$RTROOT/$ID" ] || fail "state left after a failed create"
}

test_rt_log_json_error() {
	rt_setup
	run rt --log "$TEST_TMP/log.json" --log-format json state no-such-container
	[ "$RC" != 0 ] || fail "state of a missing container succeeded"
	"$PYTHON" -c 'import json,sys; l=json.loads(open(sys.argv[1]).read().splitlines()[-1]); assert l["level"]=="error" and "no-such-container" in l["msg"] and l["time"], l' \
		"$TEST_TMP/log.json"
}

test_rt_start_container_hook_failure_stops() {
	rt_setup
	rt_bundle "$TEST_TMP/b" '["sleep", "100"]' '
config["hooks"] = {"startContainer": [{"path": "/bin/sh", "args": ["sh", "-c", "echo nope; exit 2"]}]}
'
	assert_exit 0 rt create --bundle "$TEST_TMP/b" "$ID"
	run rt start "$ID"
	[ "$RC" != 0 ] || fail "start with a failing startContainer hook succeeded"
	assert_contains "$ERR" "startContainer hook /bin/sh failed with exit status 2: nope"
	wait_for 10 is_status "$ID" stopped
	assert_exit 0 rt delete "$ID"
}

# A bundle's profile that does not allow close_range (the runtime-tools suite's default is an
# allow list from before Linux 5.9: every other call EPERM) must not stop the container from
# starting: berth seals its fds before any filter. An fd the caller left open (a Go harness's) is
# not seen in the container.
test_rt_seccomp_profile_without_close_range() {
	rt_setup
	local b="$TEST_TMP/b"
	rt_bundle "$b" '["sh", "-c", "ls /proc/self/fd | sort -n | tr \"\\n\" \" \""]' '
config["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW",
    "syscalls": [{"action": "SCMP_ACT_ERRNO", "errnoRet": 1, "names": ["close_range"]}]}
'
	run rt run --bundle "$b" "$ID" 7>/dev/null 9</dev/null
	assert_eq 0 "$RC" "run under a profile without close_range (stderr: $ERR)"
	assert_eq "0 1 2 3 " "$OUT" "fds in the container (3: ls's own directory)"
}

# A spec without a mount namespace shares the runtime's (the spec: it inherits it). berth-runtime
# must not make that tree private, pivot it, or leave the container's mounts in it: the container
# is chrooted, and its mounts below the root go with delete. Run in a private mount namespace
# (unshare -m) standing in for the host's, so a runtime that pivots moves only that one.
test_rt_no_mount_namespace_leaves_the_runtime_mount_tree() {
	rt_setup
	local b="$TEST_TMP/b"
	rt_bundle "$b" '["sh", "-c", "ls /marker-inside && ls /proc/self/ns/pid >/dev/null && echo in-root"]' '
config["linux"]["namespaces"] = [{"type": "pid"}]
'
	touch "$b/rootfs/marker-inside" "$TEST_TMP/marker-outside"
	run unshare -m --propagation private bash -c '
		rt="$1"; root="$2"; b="$3"; id="$4"; outside="$5"
		"$rt" --root "$root" run --bundle "$b" "$id" || { echo "run failed: $?"; exit 1; }
		[ -e "$outside" ] && echo "runtime root kept"
		echo "after run: $(grep -c " $b/rootfs/" /proc/self/mountinfo) mounts below the root"
		"$rt" --root "$root" create --bundle "$b" "$id-2" || { echo "create failed: $?"; exit 1; }
		echo "created: $(grep -c " $b/rootfs/" /proc/self/mountinfo) mounts below the root"
		"$rt" --root "$root" start "$id-2"
		for i in $(seq 50); do [ "$("$rt" --root "$root" state "$id-2" | grep -o "\"status\":\"[a-z]*\"")" = "\"status\":\"stopped\"" ] && break; sleep 0.1; done
		"$rt" --root "$root" delete "$id-2" || echo "delete failed"
		echo "after delete: $(grep -c " $b/rootfs/" /proc/self/mountinfo) mounts below the root"
		[ -e "$outside" ] && echo "runtime root kept after delete"
	' bash "$BERTH_RUNTIME" "$RTROOT" "$b" "$ID" "$TEST_TMP/marker-outside"
	note_id "$ID-2"
	defer "'$BERTH_RUNTIME' --root '$RTROOT' delete --force '$ID-2' >/dev/null 2>&1"
	assert_contains "$OUT" "in-root" "the container runs in its root (chroot)"
	assert_contains "$OUT" "runtime root kept"$'\n' "the runtime's own root after run"
	assert_contains "$OUT" "after run: 0 mounts below the root"
	assert_contains "$OUT" "created: 2 mounts below the root" "its /proc and /dev, in the shared namespace"
	assert_contains "$OUT" "after delete: 0 mounts below the root"
	assert_contains "$OUT" "runtime root kept after delete"
	# What would change the shared tree itself is refused, with nothing left.
	rt_bundle "$TEST_TMP/ro" '["true"]' '
config["linux"]["namespaces"] = [{"type": "pid"}]
config["root"]["readonly"] = True
'
	run unshare -m --propagation private "$BERTH_RUNTIME" --root "$RTROOT" run --bundle "$TEST_TMP/ro" "$ID-3"
	[ "$RC" != 0 ] || fail "root.readonly without a mount namespace ran"
	assert_contains "$ERR" "root.readonly needs a mount namespace"
}

# create + start (not only run) of a container whose process is not the host's root: in a user
# namespace (its root is host id 300000) and as process.user 1000. The init opens exec.fifo for
# writing after its setuid; a FIFO only host root could open stopped both before start.
test_rt_create_start_as_another_user() {
	rt_setup
	rt_bundle "$TEST_TMP/u" '["sleep", "60"]' "
config['linux']['namespaces'].append({'type': 'user'})
config['linux']['uidMappings'] = [{'containerID': 0, 'hostID': 300000, 'size': 65536}]
config['linux']['gidMappings'] = [{'containerID': 0, 'hostID': 300000, 'size': 65536}]"
	rt_bundle "$TEST_TMP/p" '["sleep", "60"]' "
config['process']['user'] = {'uid': 1000, 'gid': 1000}"
	note_id "$ID-p"
	defer "'$BERTH_RUNTIME' --root '$RTROOT' delete --force '$ID-p' >/dev/null 2>&1"
	local id pid want
	for id in "$ID" "$ID-p"; do
		case $id in "$ID") b=u want=300000 ;; *) b=p want=1000 ;; esac
		assert_exit 0 rt create --bundle "$TEST_TMP/$b" "$id"
		assert_exit 0 rt start "$id"
		wait_for 20 is_status "$id" running
		pid=$(json_get <(rt state "$id") pid)
		assert_eq "$want" "$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")" "host uid of $id's process"
		assert_exit 0 rt delete --force "$id"
	done
}

# linux.rootfsPropagation shared and unbindable: the container starts (pivot_root refuses a
# shared new root; an unbindable root cannot be bound onto itself) and its root has that
# propagation.
test_rt_rootfs_propagation_shared_and_unbindable() {
	rt_setup
	local p want
	for p in shared unbindable private slave; do
		rt_bundle "$TEST_TMP/$p" '["sh", "-c", "awk \"\\$5 == \\\"/\\\"\" /proc/self/mountinfo"]' "
config['linux']['rootfsPropagation'] = '$p'"
		assert_exit 0 rt run --bundle "$TEST_TMP/$p" "$ID"
		case $p in shared) want=shared: ;; unbindable) want=unbindable ;; slave | private) want="" ;; esac # slave of a private host root is private
		[ -z "$want" ] || assert_contains "$OUT" "$want" "the root's propagation with $p"
		[ "$p" != private ] || assert_not_contains "$OUT" "shared:" "a private root"
	done
}

# A relative cgroupsPath several levels deep, made by nobody before, with a cpuset: every new v1
# cpuset level takes its parent's cpus and mems (an empty one takes no tasks, so the container's
# own level could not be given its cpus).
test_rt_cgroups_path_levels_with_cpuset() {
	rt_setup
	local cpus
	cpus=$(cut -d, -f1 /sys/fs/cgroup/cpuset/cpuset.effective_cpus 2>/dev/null || echo 0)
	cpus=${cpus%%-*}
	rt_bundle "$TEST_TMP/b" '["sh", "-c", "cat /sys/fs/cgroup/cpuset/cpuset.cpus 2>/dev/null; grep cpuset /proc/self/cgroup"]' "
config['linux']['cgroupsPath'] = '$ID-a/$ID-b/$ID'
config['linux']['resources'] = {'cpu': {'cpus': '$cpus'}}
config['linux']['namespaces'] = [n for n in config['linux']['namespaces'] if n['type'] != 'cgroup']"
	defer "find /sys/fs/cgroup -depth -type d -name '$ID-*' -exec rmdir {} + 2>/dev/null || true"
	assert_exit 0 rt run --bundle "$TEST_TMP/b" "$ID"
	assert_contains "$OUT" "$ID-a/$ID-b/$ID" "the container's cpuset cgroup"
}

# linux.resources.memory.kernelTCP reaches cgroup v1's memory.kmem.tcp.limit_in_bytes; kernel
# (refused by Linux 5.16 and later) is a warning, not a failure.
test_rt_memory_kernel_tcp() {
	[ -d /sys/fs/cgroup/memory ] || return 0 # v2: no kmem files (the VM suite covers v2)
	rt_setup
	rt_bundle "$TEST_TMP/b" '["sleep", "30"]' "
config['linux']['resources'] = {'memory': {'limit': 67108864, 'kernel': 33554432, 'kernelTCP': 16777216}}"
	assert_exit 0 rt create --bundle "$TEST_TMP/b" "$ID"
	local memcg
	memcg=$(find /sys/fs/cgroup/memory -type d -name "$ID" | head -n 1)
	[ -n "$memcg" ] || fail "no memory cgroup for $ID"
	assert_eq 16777216 "$(cat "$memcg/memory.kmem.tcp.limit_in_bytes")" "kernelTCP"
	assert_exit 0 rt delete --force "$ID"
}

# Resources berth-runtime does not apply (hugepageLimits, network) are an error at create, with
# nothing left, never silently dropped.
test_rt_unapplied_resources_are_an_error() {
	rt_setup
	local what
	for what in "'hugepageLimits': [{'pageSize': '2MB', 'limit': 2097152}]" "'network': {'classID': 1048577}"; do
		rt_bundle "$TEST_TMP/b" '["true"]' "
config['linux']['resources'] = {$what}"
		run rt create --bundle "$TEST_TMP/b" "$ID"
		[ "$RC" != 0 ] || fail "create with $what succeeded"
		assert_contains "$ERR" "linux.resources."
		assert_contains "$ERR" "berth-runtime does not set"
		[ ! -e "$RTROOT/$ID" ] || fail "state left after a refused create"
	done
}

# update's errors name the flag as typed, whether its value is in the same argument or the next
# (the name was taken from the argument before the value: "-- "zz" is not a size").
test_rt_update_errors_name_the_flag() {
	rt_setup
	local form
	for form in "--memory zz" "--memory=zz"; do
		# shellcheck disable=SC2086 # the form is two words or one on purpose
		run rt update $form "$ID"
		assert_eq 1 "$RC" "update $form"
		assert_eq 'berth-runtime: update: --memory "zz" is not a size' "$ERR" "update $form"
	done
	run rt update --pids-limit abc "$ID"
	assert_contains "$ERR" '--pids-limit "abc" is not a number'
}
