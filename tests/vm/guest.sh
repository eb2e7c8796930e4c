# berth's cgroup v2 tests, run inside the VM by /init (tests/vm/init) with busybox sh as root on a
# cgroup-v2-only kernel: /sys/fs/cgroup is cgroup2 with memory cpu pids cpuset io delegated.
# Every check prints one "PASS: test: what" or "FAIL: test: what" line; observations that are not
# (yet) checks print "INFO:". The last line is "cgroup2: N passed, N failed".
#   env: BERTH, BERTH_RUNTIME, BERTH_ROOT, BERTH_DATADIR (set by /init);
#        VM_TESTS  comma-separated test names to run (default all), from the kernel command line.
# packages_check: runs in the VM guest (busybox sh), not on this host.

CG=/sys/fs/cgroup
T=/tmp/guest
mkdir -p $T
P=0
F=0
CUR=-

ok() { P=$((P + 1)); echo "PASS: $CUR: $*"; }
no() { F=$((F + 1)); echo "FAIL: $CUR: $*"; }
info() { echo "INFO: $CUR: $*"; }
# check DESCRIPTION COMMAND...: PASS when the command succeeds.
check() {
	d=$1
	shift
	if "$@"; then ok "$d"; else no "$d"; fi
}
# expect_eq DESCRIPTION WANT GOT
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1 = $2"; else no "$1: want \"$2\", got \"$3\""; fi
}

# runb ARGS...: berth ARGS in the foreground (killed after 120 s); sets RC, OUT, ERR.
runb() {
	timeout -s KILL 120 "$BERTH" "$@" >$T/out 2>$T/err </dev/null
	RC=$?
	OUT=$(cat $T/out)
	ERR=$(cat $T/err)
}
# expect_rc WANT DESCRIPTION: compares $RC, shows stderr on a mismatch.
expect_rc() {
	if [ "$RC" = "$1" ]; then
		ok "$2: exit $1"
	else
		no "$2: want exit $1, got $RC; stdout: $(echo "$OUT" | tail -n 3 | tr '\n' '|') stderr: $(echo "$ERR" | tail -n 5 | tr '\n' '|')"
	fi
}

# descendants PID: the pids of all descendants of PID (via /proc/PID/task/*/children).
descendants() {
	local c
	for c in $(cat /proc/$1/task/*/children 2>/dev/null); do
		echo "$c"
		descendants "$c"
	done
}
# alive PID: PID exists and is not a zombie (kill -0 succeeds on an unreaped zombie).
alive() {
	local st
	read -r st 2>/dev/null </proc/$1/stat || return 1
	st=${st##*) }
	[ "${st%% *}" != Z ]
}
# ctr_pid BERTH_PID NAME: the pid of a descendant of BERTH_PID whose comm is NAME (waits up to
# 60 s for it to appear, less if berth exits); prints nothing when it did not.
ctr_pid() {
	local i=0 q c
	while [ $i -lt 600 ] && alive "$1"; do
		for q in $(descendants "$1"); do
			read -r c 2>/dev/null </proc/$q/comm || continue
			if [ "$c" = "$2" ]; then
				echo "$q"
				return 0
			fi
		done
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
# cgdir_of PID: the host-side cgroup directory of PID.
cgdir_of() { echo "$CG$(sed -n 's/^0:://p' "/proc/$1/cgroup")"; }
leftovers() { find $CG -mindepth 1 -type d -name 'berth*' 2>/dev/null; }

# bg_start NAME ARGS...: berth ARGS in the background; sets BPID, CPID (the container process whose
# argv[0] is NAME) and DIR (its cgroup directory). Returns 1 when no such process appeared.
bg_start() {
	name=$1
	shift
	"$BERTH" "$@" >$T/bgout 2>$T/bgerr </dev/null &
	BPID=$!
	CPID=$(ctr_pid $BPID "$name")
	if [ -z "$CPID" ]; then
		tree=$(for q in $(descendants $BPID); do read -r c 2>/dev/null </proc/$q/comm; echo "$q:$c"; done | tr '\n' ' ')
		bg_stop
		no "berth $* did not start a process $name (berth's descendants: ${tree:-none}; berth exit $BRC); stdout: $(tr '\n' '|' <$T/bgout | cut -c1-200) stderr: $(tr '\n' '|' <$T/bgerr | cut -c1-300)"
		return 1
	fi
	DIR=$(cgdir_of "$CPID")
	return 0
}
# bg_stop: kill every process of the container (berth then exits 137) and reap berth; sets BRC.
bg_stop() {
	[ -n "$CPID" ] && kill -9 "$CPID" 2>/dev/null
	[ -n "$CPID" ] && [ -f "$DIR/cgroup.procs" ] && kill -9 $(cat "$DIR/cgroup.procs" 2>/dev/null) 2>/dev/null
	i=0
	while alive $BPID && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	alive $BPID && kill -9 $BPID
	wait $BPID
	BRC=$?
	CPID=
}
# cg_file_eq DESCRIPTION FILE WANT: the file in $DIR
cg_file_eq() { expect_eq "$1" "$3" "$(cat "$DIR/$2" 2>&1)"; }

# ---- 1. the plain run and its cleanup

t_true() {
	runb run --rm busybox true
	expect_rc 0 "run --rm busybox true"
	ctr_cg_parent=$(find $CG -mindepth 1 -maxdepth 1 -type d | tr '\n' ' ')
	info "cgroups at the top level afterwards: ${ctr_cg_parent:-none}"
	runb run --rm busybox cat /proc/self/cgroup
	expect_rc 0 "run cat /proc/self/cgroup"
	info "inside, /proc/self/cgroup reads: $OUT"
}

# ---- the OCI runtime: a bundle with a memory limit, an absolute cgroupsPath, a cgroup mount

t_bundle() {
	b=$T/bundle
	rm -rf $b /tmp/rt
	mkdir -p $b/rootfs
	tar -xf "$BERTH_DATADIR/busybox-layer.tar" -C $b/rootfs
	cat >$b/config.json <<'EOF'
{
  "ociVersion": "1.0.2",
  "process": {
    "terminal": false,
    "user": {"uid": 0, "gid": 0},
    "args": ["sh", "-c", "cat /sys/fs/cgroup/memory.max; cat /proc/self/cgroup"],
    "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
    "cwd": "/"
  },
  "root": {"path": "rootfs"},
  "hostname": "bundletest",
  "mounts": [
    {"destination": "/proc", "type": "proc", "source": "proc"},
    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
     "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
    {"destination": "/sys", "type": "sysfs", "source": "sysfs",
     "options": ["nosuid", "noexec", "nodev", "ro"]},
    {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
     "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]}
  ],
  "linux": {
    "cgroupsPath": "/bundletest",
    "resources": {"memory": {"limit": 33554432}},
    "namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"},
                   {"type": "mount"}, {"type": "cgroup"}]
  }
}
EOF
	timeout -s KILL 120 "$BERTH_RUNTIME" --root /tmp/rt run --bundle $b id1 >$T/out 2>$T/err </dev/null
	RC=$?
	OUT=$(cat $T/out)
	ERR=$(cat $T/err)
	expect_rc 0 "berth-runtime run --bundle"
	expect_eq "memory.max seen inside" 33554432 "$(echo "$OUT" | head -n 1)"
	expect_eq "/proc/self/cgroup inside (cgroup namespace)" "0::/" "$(echo "$OUT" | sed -n 2p)"
	check "cgroup /bundletest removed after the run" [ ! -e $CG/bundletest ]
	check "no state left in /tmp/rt" [ -z "$(ls -A /tmp/rt 2>/dev/null)" ]
}

# ---- 2. memory

t_memory() {
	runb run --rm -m 32m --memory-swap 32m busybox sh -c 'x=$(head -c 67108864 /dev/zero | tr "\0" a); echo done'
	expect_rc 137 "-m 32m: a shell holding 64 MiB is OOM-killed"
	# Not 16 MiB: ash grows its command-substitution buffer by copying, so holding 16 MiB in a
	# variable peaks above 32 MiB (seen: OOM-killed). 16 MiB is shown with tmpfs below.
	runb run --rm -m 32m --memory-swap 32m busybox sh -c 'x=$(head -c 8388608 /dev/zero | tr "\0" a); echo done'
	expect_rc 0 "-m 32m: a shell holding 8 MiB"
	expect_eq "its output" done "$OUT"
	# tmpfs pages stay charged to the cgroup: the writer is killed, the shell that waits survives.
	runb run --rm -m 32m --memory-swap 32m busybox sh -c 'dd if=/dev/zero of=/dev/shm/f bs=1M count=64 2>/dev/null; echo "dd=$?"'
	expect_eq "-m 32m: dd writing 64 MiB to tmpfs /dev/shm is OOM-killed (berth exit $RC)" "dd=137" "$OUT"
	runb run --rm -m 32m --memory-swap 32m busybox sh -c 'dd if=/dev/zero of=/dev/shm/f bs=1M count=16 2>/dev/null && echo done'
	expect_rc 0 "-m 32m: 16 MiB written to tmpfs /dev/shm"
	expect_eq "its output" done "$OUT"

	if bg_start sleep run --rm -m 32m busybox sleep 60; then
		info "container cgroup: $DIR"
		cg_file_eq "-m 32m: memory.max" memory.max 33554432
		info "-m 32m alone: memory.swap.max = $(cat $DIR/memory.swap.max)"
		bg_stop
		expect_eq "exit of berth after kill -9 of the container" 137 "$BRC"
	fi
	if bg_start sleep run --rm -m 32m --memory-swap 32m busybox sleep 60; then
		cg_file_eq "-m 32m --memory-swap 32m: memory.max" memory.max 33554432
		cg_file_eq "-m 32m --memory-swap 32m: memory.swap.max" memory.swap.max 0
		bg_stop
	fi
	if bg_start sleep run --rm -m 32m --memory-swap 64m busybox sleep 60; then
		cg_file_eq "-m 32m --memory-swap 64m: memory.swap.max" memory.swap.max 33554432
		bg_stop
	fi
	if bg_start sleep run --rm --memory-reservation 16m busybox sleep 60; then
		cg_file_eq "--memory-reservation 16m: memory.low" memory.low 16777216
		bg_stop
	fi
}

# ---- 3. cpu

t_cpu() {
	if bg_start sleep run --rm --cpus 0.5 busybox sleep 60; then
		cg_file_eq "--cpus 0.5: cpu.max" cpu.max "50000 100000"
		bg_stop
	fi
	if bg_start sleep run --rm --cpu-period 100000 --cpu-quota 20000 busybox sleep 60; then
		cg_file_eq "--cpu-period 100000 --cpu-quota 20000: cpu.max" cpu.max "20000 100000"
		bg_stop
	fi
	if bg_start sleep run --rm -c 512 busybox sleep 60; then
		cg_file_eq "-c 512: cpu.weight" cpu.weight 20
		bg_stop
	fi
	if bg_start sh run --rm --cpus 0.2 busybox sh -c 'while :; do :; done'; then
		sleep 1
		u0=$(sed -n 's/^usage_usec //p' $DIR/cpu.stat)
		t0=$(cut -d' ' -f1 /proc/uptime)
		sleep 2
		u1=$(sed -n 's/^usage_usec //p' $DIR/cpu.stat)
		t1=$(cut -d' ' -f1 /proc/uptime)
		bg_stop
		d=$((u1 - u0))
		info "--cpus 0.2 busy loop: usage_usec grew by $d in $(awk "BEGIN { print $t1 - $t0 }") s"
		check "--cpus 0.2: a busy loop uses 400000 +- 100000 us of CPU in 2 s (got $d)" \
			[ "$d" -ge 300000 -a "$d" -le 500000 ]
	fi
}

# ---- 4. pids

t_pids() {
	# The inner subshell forks until refused (ash then gives up); the outer shell stays to be
	# observed until killed. 10 = the outer shell, the subshell and at most 8 sleeps.

	# (sleep: ash execs the last command, so the container's sh may be gone by the first look.)
	if bg_start sleep run --rm --pids-limit 10 busybox sh -c \
		'(i=0; while [ $i -lt 20 ]; do sleep 10 & i=$((i+1)); echo started $i; done) 2>&1; echo loop-ended; sleep 20'; then
		cg_file_eq "--pids-limit 10: pids.max" pids.max 10
		max=0
		i=0
		while [ $i -lt 20 ] && alive $BPID; do
			c=$(cat $DIR/pids.current 2>/dev/null) || break
			[ "$c" -gt "$max" ] && max=$c
			sleep 0.1
			i=$((i + 1))
		done
		ev=$(sed -n 's/^max //p' $DIR/pids.events 2>/dev/null)
		bg_stop
		check "--pids-limit 10: pids.current never above 10 (max seen $max)" [ "$max" -le 10 ]
		check "--pids-limit 10: the limit was hit (pids.events max $ev)" [ "${ev:-0}" -ge 1 ]
		n=$(grep -c '^started' $T/bgout)
		check "--pids-limit 10: 1 to 8 of 20 background sleeps started (started $n)" [ "$n" -ge 1 -a "$n" -le 8 ]
		info "container output: $(tr '\n' ' ' <$T/bgout | cut -c1-300)"
	fi
}

# ---- 5. cpuset

t_cpuset() {
	runb run --rm busybox grep Cpus_allowed_list /proc/self/status
	info "without --cpuset-cpus: $(echo "$OUT" | tr '\t' ' ')"
	runb run --rm --cpuset-cpus 0 busybox grep Cpus_allowed_list /proc/self/status
	expect_rc 0 "--cpuset-cpus 0"
	expect_eq "--cpuset-cpus 0: Cpus_allowed_list inside" "Cpus_allowed_list: 0" "$(echo "$OUT" | tr -s '\t ' ' ')"
	if bg_start sleep run --rm --cpuset-cpus 1 busybox sleep 60; then
		cg_file_eq "--cpuset-cpus 1: cpuset.cpus" cpuset.cpus 1
		bg_stop
	fi
}

# ---- 6. v1-only knobs on v2: accepted with a warning

t_warnings() {
	runb run --rm --memory-swappiness 0 busybox true
	expect_rc 0 "--memory-swappiness 0"
	check "--memory-swappiness 0: a \"berth: warning:\" on stderr (stderr: $(echo "$ERR" | head -n 2 | tr '\n' '|'))" \
		grep -q '^berth: warning:' $T/err
	runb run --rm --oom-kill-disable -m 32m busybox true
	expect_rc 0 "--oom-kill-disable -m 32m"
	check "--oom-kill-disable: a \"berth: warning:\" on stderr (stderr: $(echo "$ERR" | head -n 2 | tr '\n' '|'))" \
		grep -q '^berth: warning:' $T/err
}

# ---- 7. kill -9 of a foreground berth: the container follows it (PDEATHSIG)

# The device allow list has no controller on v2: berth attaches an eBPF program. The standard
# nodes work; a disk's node can be made (mknod is allowed, as in docker) but not opened; with
# --device it can.
t_devices() {
	runb run --rm busybox sh -c 'echo x > /dev/null && head -c 4 /dev/zero | wc -c'
	expect_rc 0 "devices: /dev/null and /dev/zero usable"
	expect_eq "devices: read from /dev/zero" 4 "$(echo "$OUT" | tr -d ' ')"
	runb run --rm busybox sh -c 'mknod /tmp/mem c 1 1 && head -c 1 /tmp/mem >/dev/null'
	check "devices: a mknod'd /dev/mem (c 1:1) cannot be opened (rc $RC, $(echo "$ERR" | tail -n 1))" \
		[ "$RC" != 0 ]
	check "devices: the refusal is EPERM from the device program" \
		grep -qi "not permitted" $T/err
	runb run --rm --privileged busybox sh -c 'mknod /tmp/mem c 1 1 && head -c 1 /tmp/mem >/dev/null'
	expect_rc 0 "devices: --privileged may open c 1:1"
}

t_kill9() {
	if bg_start sleep run --rm busybox sleep 100; then
		ctr=$CPID
		dir=$DIR
		kill -9 $BPID
		wait $BPID 2>/dev/null
		i=0
		while alive $ctr && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		if alive $ctr; then
			no "the container's sleep (pid $ctr) still runs 5 s after kill -9 of berth"
			kill -9 $ctr
		else
			ok "the container's sleep died with berth (after ~$((i * 100)) ms)"
		fi
		CPID=
		sleep 0.5
		if [ -d "$dir" ]; then
			info "after kill -9 of berth its cgroup $dir remains (procs: $(cat $dir/cgroup.procs | tr '\n' ' '))"
		else
			info "after kill -9 of berth its cgroup $dir is gone"
		fi
		runb run --rm busybox true
		expect_rc 0 "the next berth run --rm busybox true"
		if [ -d "$dir" ]; then
			info "after the next berth command the cgroup $dir still remains"
		else
			info "after the next berth command the cgroup $dir is gone"
		fi
		l=$(leftovers | tr '\n' ' ')
		info "berth* cgroups left after the kill -9 test: ${l:-none}"
	fi
}

# ---- exec: the new process is born in the container's cgroup (clone3 CLONE_INTO_CGROUP) and
# joins its cgroup namespace; a cgroup that refuses processes is an error, not a silent host cgroup

t_exec() {
	if bg_start sleep run --rm --name ex busybox sleep 100; then
		runb exec ex cat /proc/self/cgroup
		expect_rc 0 "exec cat /proc/self/cgroup"
		expect_eq "inside, exec's /proc/self/cgroup" "0::/" "$OUT"
		runb exec -d ex sleep 77
		expect_rc 0 "exec -d sleep 77"
		found=
		for q in $(cat "$DIR/cgroup.procs"); do
			[ "$(tr '\0' ' ' </proc/$q/cmdline 2>/dev/null)" = "sleep 77 " ] && found=$q
		done
		check "the host sees exec's sleep 77 in the container's cgroup $DIR" [ -n "$found" ]
		[ -n "$found" ] && kill -9 "$found"
		# (busybox date has no %N: /proc/uptime counts hundredths of a second)
		n=0
		read -r t0 _ </proc/uptime
		while [ $n -lt 50 ]; do
			"$BERTH" exec ex true || break
			n=$((n + 1))
		done
		read -r t1 _ </proc/uptime
		expect_eq "execs of true that succeeded" 50 "$n"
		info "exec true: $(((${t1%.*}${t1#*.} - ${t0%.*}${t0#*.}) / 5)) ms each, 50 in a row (emulated CPU: compare builds, not hosts)"
		# born in the cgroup, exec is held to pids.max (a migration is not): a full container
		# refuses it with an error naming the cgroup
		echo 1 >"$DIR/pids.max"
		runb exec ex true
		expect_rc 125 "exec into a container at its pids.max"
		case "$ERR" in *"$DIR"*) ok "the error names $DIR: $ERR" ;; *) no "the error does not name $DIR: $ERR" ;; esac
		expect_eq "processes in the cgroup" 1 "$(grep -c . "$DIR/cgroup.procs")"
		echo max >"$DIR/pids.max"
		bg_stop
	fi
}

# ---- a user namespace: the init is created in the new user namespace and in its cgroup at once
# (CLONE_INTO_CGROUP is checked with the caller's credentials)

t_userns() {
	runb run --rm --network none --pids-limit 50 --userns remap:300000 busybox sh -c \
		'id -u; cat /proc/self/cgroup; cat /sys/fs/cgroup/pids.max'
	expect_rc 0 "run --userns remap:300000"
	expect_eq "uid, cgroup and pids.max inside" "0 0::/ 50" "$(echo $OUT)"
}

# ---- /sys/fs/cgroup inside: read-only by default; writable with --privileged, and the cgroups a
# container makes below its own go with it (the "no berth* cgroup left" check after each test)

t_subcg() {
	runb run --rm --network none busybox sh -c 'mkdir /sys/fs/cgroup/a 2>/dev/null && echo WRITABLE; echo end'
	expect_eq "mkdir in /sys/fs/cgroup without --privileged" end "$OUT"
	runb run --rm --network none --privileged busybox sh -c \
		'mkdir -p /sys/fs/cgroup/a/b /sys/fs/cgroup/c && echo made'
	expect_rc 0 "run --privileged making sub-cgroups"
	expect_eq "sub-cgroups made" made "$OUT"
}

# ---- the kernel's word on freezing (cgroup.freeze, cgroup.events "frozen"): a container frozen
# behind berth's back shows as paused, unpause thaws it, and rm -f of a frozen one returns

# frozen DIR: cgroup.events says frozen (the freeze is asynchronous: up to 5 s).
frozen() {
	i=0
	while ! grep -q '^frozen 1' "$1/cgroup.events" && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	grep -q '^frozen 1' "$1/cgroup.events"
}

t_freeze() {
	runb run -d --network none --name fz busybox sleep 100
	expect_rc 0 "run -d"
	id=$OUT
	pid=$(sed -n 's/.*"pid":\([0-9]*\).*/\1/p' "$BERTH_ROOT/containers/$id/record.json")
	dir=$(cgdir_of "$pid")
	echo 1 >"$dir/cgroup.freeze"
	check "frozen behind berth's back" frozen "$dir"
	runb ps -a -f name=fz
	check "ps shows the frozen container as paused ($(echo "$OUT" | tail -n 1))" \
		grep -q "(Paused)" $T/out
	runb unpause fz
	expect_rc 0 "unpause of a container the record says is running"
	expect_eq "cgroup.freeze after unpause" 0 "$(cat "$dir/cgroup.freeze")"
	runb pause fz
	expect_rc 0 "pause"
	check "pause froze it" frozen "$dir"
	runb inspect fz
	check "inspect says paused" grep -q '"Paused": true' $T/out
	runb stop -t 1 fz
	expect_rc 0 "stop of a paused container"
	runb run -d --network none --name fz2 busybox sleep 100
	pid=$(sed -n 's/.*"pid":\([0-9]*\).*/\1/p' "$BERTH_ROOT/containers/$OUT/record.json")
	dir=$(cgdir_of "$pid")
	echo 1 >"$dir/cgroup.freeze"
	frozen "$dir"
	runb rm -f fz2
	expect_rc 0 "rm -f of a container frozen behind berth's back"
	runb rm fz
	expect_rc 0 "rm of the stopped one"
}

ALL="true bundle memory cpu pids cpuset warnings devices exec userns subcg freeze kill9"
tests=$(echo "${VM_TESTS:-$ALL}" | tr ',' ' ')
for t in $tests; do
	CUR=$t
	echo "guest: --- $t (uptime $(cut -d' ' -f1 /proc/uptime))"
	CPID=
	"t_$t"
	[ -n "$CPID" ] && bg_stop
	if [ "$t" != kill9 ]; then
		l=$(leftovers | tr '\n' ' ')
		if [ -z "$l" ]; then ok "no berth* cgroup left"; else no "berth* cgroups left: $l"; fi
	fi
done
echo "cgroup2: $P passed, $F failed"
