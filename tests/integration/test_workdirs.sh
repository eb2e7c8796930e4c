# Integration tests of work directories and their owners (util/workdir.h, docs/state.md "Work
# directories"): what a SIGKILLed load, commit, rm or create leaves is collected by the next
# command (or prune) once its owner is dead, never while it lives; load checks every manifest
# before it unpacks anything; a detached container's output lost to a full disk is counted and
# reported in its log. Run as root by tests/run.sh through lib.sh (own BERTH_ROOT per test).
# shellcheck shell=bash disable=SC2016 # single-quoted $ are for the container's shell

BUSYBOX_LAYER=${BERTH_DATADIR:-}/busybox-layer.tar

# store_state: every path of the image store with its type and size, tmp/ included: after a
# collected leftover it must be what it was before the killed command.
store_state() {
	(cd "$BERTH_ROOT/images" && find . -printf '%p %y %s\n' | sort)
}

# kill_when DIR PREFIX CMD...: runs CMD and SIGKILLs it as soon as a new entry (not there when
# CMD started) named PREFIX* shows up in DIR (polled every half millisecond). Exit 0 if it was
# killed so, 1 if CMD ended first. With KW_WATCH=1 it only watches: CMD runs to its end, exit 0
# if such an entry ever appeared.
kill_when() {
	KW_WATCH=${KW_WATCH:-0} "$PYTHON" - "$@" <<'EOF'
import os, signal, subprocess, sys, time
d, prefix, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
watch = os.environ["KW_WATCH"] == "1"
p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)
def ls():
    try:
        return set(os.listdir(d))
    except FileNotFoundError:
        return set()
old, seen = ls(), False
while p.poll() is None:
    if any(n.startswith(prefix) for n in ls() - old):
        seen = True
        if not watch:
            p.kill()
            p.wait()
            sys.exit(0)
    time.sleep(0.0005)
sys.exit(0 if watch and seen else 1)
EOF
}

# bigarchive OUT [TAG]: a docker-archive of the busybox layer plus a layer with one 64 MiB file
# (so unpacking takes a while), tagged TAG (default big:1).
bigarchive() {
	BUSYBOX_LAYER=$BUSYBOX_LAYER "$PYTHON" - "$1" "${2:-big:1}" <<'EOF'
import hashlib, io, json, os, sys, tarfile
out, tag = sys.argv[1], sys.argv[2]
def sha(b): return "sha256:" + hashlib.sha256(b).hexdigest()
bio = io.BytesIO()
with tarfile.open(fileobj=bio, mode="w") as t:
    data = b"\0" * (64 << 20)
    ti = tarfile.TarInfo("big.bin"); ti.size = len(data); ti.mode = 0o644
    t.addfile(ti, io.BytesIO(data))
layers = [open(os.environ["BUSYBOX_LAYER"], "rb").read(), bio.getvalue()]
config = json.dumps({"architecture": "amd64", "os": "linux",
    "config": {"Cmd": ["sh"], "Env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"]},
    "rootfs": {"type": "layers", "diff_ids": [sha(l) for l in layers]}}).encode()
cname = hashlib.sha256(config).hexdigest() + ".json"
entries = [(cname, config)] + [("%03d/layer.tar" % i, l) for i, l in enumerate(layers)]
entries.append(("manifest.json", json.dumps([{"Config": cname, "RepoTags": [tag],
    "Layers": ["%03d/layer.tar" % i for i in range(len(layers))]}]).encode()))
with tarfile.open(out, "w") as t:
    for name, data in entries:
        ti = tarfile.TarInfo(name); ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
EOF
}

# ---- images/tmp

test_killed_load_and_commit_leave_nothing_after_prune() {
	assert_exit 0 "$BERTH" run --name big busybox sh -c 'head -c 67108864 /dev/urandom >/big'
	defer '"$BERTH" rm -f big >/dev/null 2>&1 || true'
	local before tmp=$BERTH_ROOT/images/tmp
	before=$(store_state)
	bigarchive "$TEST_TMP/big.tar"
	# A load killed while it unpacks (its copy of the archive is whole by then).
	kill_when "$tmp" layer- "$BERTH" load -i "$TEST_TMP/big.tar" || fail "load ended before unpacking"
	assert_contains "$(ls "$tmp")" "load-" "what the killed load left"
	assert_contains "$(ls "$tmp")" "layer-" "what the killed load left"
	assert_exit 0 "$BERTH" image prune -f
	assert_eq "" "$(ls -A "$tmp")" "images/tmp after image prune"
	assert_eq "$before" "$(store_state)" "the image store after image prune"
	# A commit killed while it tars, another while it unpacks (which collects the first).
	kill_when "$tmp" commit- "$BERTH" commit big big:2 || fail "commit ended before it began"
	assert_contains "$(ls "$tmp")" "commit-" "what the killed commit left"
	kill_when "$tmp" layer- "$BERTH" commit big big:3 || fail "commit ended before unpacking"
	assert_contains "$(ls "$tmp")" "layer-" "what the killed commit left"
	assert_exit 0 "$BERTH" image prune -f
	assert_eq "" "$(ls -A "$tmp")" "images/tmp after image prune"
	assert_eq "$before" "$(store_state)" "the image store after image prune"
	# The next writer collects too, without a prune.
	kill_when "$tmp" layer- "$BERTH" load -i "$TEST_TMP/big.tar" || fail "load ended before unpacking"
	assert_exit 0 "$BERTH" commit big big:4
	assert_eq "" "$(ls -A "$tmp")" "images/tmp after a commit"
	assert_exit 0 "$BERTH" run --rm big:4 sh -c 'test -s /big'
}

test_running_load_survives_a_concurrent_prune() {
	bigarchive "$TEST_TMP/big.tar"
	mkfifo "$TEST_TMP/in"
	bg_start load "$BERTH" load -i "$TEST_TMP/in"
	local pid=$BG_PID
	# The load copies what the fifo gives it: half the archive, then it waits for the rest.
	exec 3>"$TEST_TMP/in"
	head -c 40000000 "$TEST_TMP/big.tar" >&3
	wait_for 20 eval 'ls "$BERTH_ROOT"/images/tmp | grep -q "^load-"'
	local dir
	dir=$(ls "$BERTH_ROOT"/images/tmp)
	assert_exit 0 "$BERTH" image prune -f
	assert_exit 0 "$BERTH" run --rm busybox true # another writer (it imports busybox)
	[ -d "$BERTH_ROOT/images/tmp/$dir" ] || fail "a concurrent prune or writer removed the running load's $dir"
	tail -c +40000001 "$TEST_TMP/big.tar" >&3
	exec 3>&-
	bg_wait "$pid"
	assert_eq 0 "$RC" "the load's exit status ($(cat "$TEST_TMP/load.err"))"
	assert_contains "$(cat "$TEST_TMP/load.out")" "Loaded image: big:1"
	assert_eq "" "$(ls -A "$BERTH_ROOT/images/tmp")" "images/tmp after the load"
	assert_exit 0 "$BERTH" run --rm big:1 sh -c 'test -s /big.bin && echo ok'
	assert_eq ok "$OUT"
}

test_load_checks_tags_before_unpacking() {
	assert_exit 0 "$BERTH" run --rm busybox true
	local before
	before=$(store_state)
	bigarchive "$TEST_TMP/badtag.tar" 'Not/A:Valid:Tag'
	# Watched: no layer dir may appear while it runs.
	if KW_WATCH=1 kill_when "$BERTH_ROOT/images/tmp" layer- "$BERTH" load -i "$TEST_TMP/badtag.tar"; then
		fail "load unpacked a layer of an archive whose tag is invalid"
	fi
	assert_exit 125 "$BERTH" load -i "$TEST_TMP/badtag.tar"
	assert_one_error_line "Not/A:Valid:Tag"
	assert_eq "$before" "$(store_state)" "the image store after the refused load"
}

# ---- containers/

test_killed_rm_leaves_nothing() {
	# Enough files that deleting them takes a while after the rename to .removing-<id>.
	assert_exit 0 "$BERTH" run --name many busybox sh -c \
		'mkdir /m && cd /m && for i in $(seq 1 40); do mkdir d$i; cd d$i; touch $(seq 1 100); cd ..; done'
	local id
	id=$(container_ids)
	note_id "$id"
	kill_when "$BERTH_ROOT/containers" .removing- "$BERTH" rm -f many ||
		fail "rm ended before it renamed the container"
	[ -d "$BERTH_ROOT/containers/.removing-$id" ] || fail "the killed rm left no .removing-$id"
	assert_exit 0 "$BERTH" ps -a
	assert_not_contains "$OUT" many
	assert_eq "" "$(ls -A "$BERTH_ROOT/containers" | grep -vE '^(names|live)$' || true)" "containers/ after ps"
	assert_eq "" "$(ls -A "$BERTH_ROOT/containers/live" 2>/dev/null)" "the live index after ps"
	assert_eq "" "$(ls -A "$BERTH_ROOT/containers/names")" "names after ps"
	# The name is free again.
	assert_exit 0 "$BERTH" run --rm --name many busybox true
}

test_container_dir_without_record_is_collected_once_its_owner_is_dead() {
	assert_exit 0 "$BERTH" run --rm busybox true
	# What a create killed before its record leaves: the directory, its name, no record.
	local id=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
	local dir=$BERTH_ROOT/containers/$id
	mkdir -p "$dir/upper/etc" "$dir/work" "$dir/merged" "$BERTH_ROOT/containers/names"
	echo x >"$dir/upper/etc/hostname"
	ln -s "$id" "$BERTH_ROOT/containers/names/halfmade"
	# While a process holds the directory's lock, it is a create in progress: left alone.
	bg_start holder "$PYTHON" -c 'import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(60)' "$dir"
	local holder=$BG_PID
	wait_for 10 file_contains "$TEST_TMP/holder.out" held
	assert_exit 0 "$BERTH" ps -a
	assert_not_contains "$OUT" halfmade
	[ -d "$dir" ] || fail "ps removed a directory whose owner is alive"
	kill -KILL "$holder"
	bg_wait "$holder"
	assert_exit 0 "$BERTH" ps -a
	[ ! -e "$dir" ] || fail "ps left the ownerless directory without a record"
	[ ! -L "$BERTH_ROOT/containers/names/halfmade" ] || fail "its name was left"
	assert_exit 0 "$BERTH" run --rm --name halfmade busybox true
}

# ---- logs

test_logs_say_how_much_output_a_full_disk_lost() {
	# The store on a small tmpfs, filled up while a detached container writes lines of 2 kB.
	mount -t tmpfs -o size=24m tmpfs "$BERTH_ROOT"
	defer 'umount "$BERTH_ROOT"'
	assert_exit 0 "$BERTH" run -d --network none --name talk busybox sh -c \
		'pad=$(printf "%2000s" "" | tr " " x); i=0; while :; do i=$((i+1)); echo "line $i $pad"; sleep 0.05; done'
	defer '"$BERTH" rm -f talk >/dev/null 2>&1 || true'
	local id log
	id=$(container_ids)
	note_id "$id"
	log=$BERTH_ROOT/containers/$id/container.log
	wait_for 20 file_contains "$log" '"log":"line 3 '
	dd if=/dev/zero of="$BERTH_ROOT/fill" bs=64k 2>/dev/null || true
	sleep 1 # some twenty lines meet the full disk
	rm -f "$BERTH_ROOT/fill"
	wait_for 10 file_contains "$log" "bytes of output lost"
	wait_for 10 eval 'tail -n 1 "$log" | grep -q "\"log\":\"line"'
	"$BERTH" logs talk >"$TEST_TMP/out" 2>"$TEST_TMP/err"
	assert_eq 1 "$(grep -c . "$TEST_TMP/err")" "marker lines on stderr"
	local marker
	marker=$(cat "$TEST_TMP/err")
	assert_contains "$marker" "berth: "
	assert_contains "$marker" " bytes of output lost: no space left on device"
	# The count is exactly the bytes of the lines missing from the log.
	local missing
	missing=$(awk '{ n = $2 + 0; if (prev && n != prev + 1) for (k = prev + 1; k < n; k++) s += length("line " k " ") + 2001; prev = n } END { print s + 0 }' "$TEST_TMP/out")
	[ "$missing" -gt 0 ] || fail "no line is missing from the log"
	assert_eq "berth: $missing bytes of output lost: no space left on device" "$marker"
	# Every line is whole (the log stayed valid JSON for `logs`), the marker where the gap is.
	"$PYTHON" - "$log" <<'EOF' || fail "the log has a broken line"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
i = next(k for k, l in enumerate(lines) if l["stream"] == "stderr")
before, after = lines[i - 1]["log"].split()[1], lines[i + 1]["log"].split()[1]
assert int(after) > int(before) + 1, (before, after)
EOF
	assert_exit 0 "$BERTH" rm -f talk
}

# kill_monitor_when_cgroup CMD...: runs CMD (a `run -d`) as a child subreaper, so that the
# detached monitor it forks becomes this script's child, and SIGKILLs that monitor as soon as a
# new container cgroup appears under berth's level of the pids hierarchy: after core_create
# made the cgroup, most likely before the record says running. Prints the container id.
kill_monitor_when_cgroup() {
	"$PYTHON" - "$@" <<'EOF2'
import ctypes, os, signal, subprocess, sys, time
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
path = next(l.split(":", 2)[2].strip() for l in open("/proc/self/cgroup")
            if "pids" in l.split(":")[1].split(","))
level = "/sys/fs/cgroup/pids" + path.rstrip("/") + "/berth"
def ls():
    try:
        return set(os.listdir(level))
    except FileNotFoundError:
        return set()
old = ls()
cli = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
me = os.getpid()
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    new = [n for n in ls() - old
           if os.path.isdir(os.environ["BERTH_ROOT"] + "/containers/" + n)]  # not another store's
    if new:
        kids = set()
        for t in os.listdir("/proc/%d/task" % me):
            kids |= {int(p) for p in open("/proc/%d/task/%s/children" % (me, t)).read().split()}
        for p in kids - {cli.pid}:
            os.kill(p, signal.SIGKILL)
        break
    time.sleep(0.0002)
print(new[0] if new else "", cli.wait(), flush=True)
try:
    while os.waitpid(-1, 0):
        pass
except ChildProcessError:
    pass
EOF2
}

test_killed_run_d_leaves_no_cgroup() {
	assert_exit 0 "$BERTH" run --rm busybox true
	local id="" rc tries
	for tries in 1 2 3 4 5 6 7 8; do
		read -r id rc < <(kill_monitor_when_cgroup "$BERTH" run -d --network none busybox sleep 60)
		[ -n "$id" ] || fail "no container cgroup appeared"
		note_id "$id"
		# The monitor killed before the container ran: run -d fails and undoes it.
		[ "$rc" != 0 ] && break
		assert_exit 0 "$BERTH" rm -f "$id" # killed too late: it ran; again
		id=""
	done
	[ -n "$id" ] || fail "no kill landed before the container ran"
	assert_exit 0 "$BERTH" ps -a
	local cg
	cg=$(find /sys/fs/cgroup -depth -type d -name "$id" 2>/dev/null || true)
	assert_eq "" "$cg" "the killed container's cgroups"
	[ ! -e "$BERTH_ROOT/containers/$id" ] || fail "the container that never ran is left"
}
