# Integration tests of `berth run` (and `berth-runtime run --bundle`), run as root by
# tests/run.sh through lib.sh: each test_* function gets its own BERTH_ROOT and TEST_TMP.
# shellcheck shell=bash disable=SC2016 # single-quoted $ are for the container's shell

# ---- helpers of this file

# the_container_id: the only container directory's name (a 64-hex id); fails otherwise.
the_container_id() {
	local ids n
	ids=$(container_ids)
	n=$(printf '%s' "$ids" | grep -c . || true)
	[ "$n" = 1 ] || fail "expected exactly one container (a 64-hex directory) in $BERTH_ROOT/containers, found $n: $(ls -1 "$BERTH_ROOT/containers" 2>&1)"
	note_id "$ids"
	echo "$ids"
}

# running_container_id BERTH_PID: the id of the one running container: its directory under
# $BERTH_ROOT/containers, or else the 64-hex name in its init's cgroup path.
running_container_id() {
	local ids id
	ids=$(container_ids)
	if [ -z "$ids" ]; then
		local init
		init=$(container_init_pid "$1")
		ids=$(grep -oE '[0-9a-f]{64}' /proc/"$init"/cgroup | sort -u || true)
	fi
	[ "$(printf '%s' "$ids" | grep -c .)" = 1 ] || fail "cannot tell the container's id: '$ids'"
	[[ "$ids" =~ ^[0-9a-f]{64}$ ]] || fail "container id is not 64 hex digits: $ids"
	note_id "$ids"
	echo "$ids"
}

# assert_no_containers: $BERTH_ROOT/containers is missing or empty.
assert_no_containers() {
	local ids
	ids=$(container_ids)
	[ -z "$ids" ] || fail "containers left behind: $ids"
}

# assert_no_trace ID: no mount and no cgroup on the host mentions ID.
assert_no_trace() {
	local m c
	m=$(grep -F -- "$1" /proc/self/mountinfo || true)
	[ -z "$m" ] || fail "mounts of container $1 left on the host: $m"
	c=$(find /sys/fs/cgroup -name "*$1*" 2>/dev/null || true)
	[ -z "$c" ] || fail "cgroups of container $1 left on the host: $c"
}

# A bad-input run: exit 125, one line "berth: ..." on stderr, and nothing left behind.
assert_bad_input() {
	local text=$1
	shift
	assert_exit 125 "$@"
	assert_one_error_line "$text"
	assert_no_containers
	local m
	m=$(grep -F -- "$BERTH_ROOT" /proc/self/mountinfo || true)
	[ -z "$m" ] || fail "mounts left behind: $m"
}

# Container script that prints "ready", then waits; exits 0 on SIGTERM.
WAIT_SCRIPT='trap "exit 0" TERM; echo ready; while :; do sleep 0.1; done'

# make_bundle DIR ARGS_JSON [HOSTNAME]: an OCI bundle with the busybox rootfs. ARGS_JSON "none"
# leaves process.args out.
make_bundle() {
	local dir=$1 args=$2 host=${3:-bundlehost}
	mkdir -p "$dir/rootfs"
	tar -xf "$BERTH_DATADIR/busybox-layer.tar" -C "$dir/rootfs"
	"$PYTHON" - "$dir/config.json" "$args" "$host" <<'EOF'
import json, sys
path, args, host = sys.argv[1], sys.argv[2], sys.argv[3]
process = {
    "terminal": False,
    "user": {"uid": 0, "gid": 0},
    "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
    "cwd": "/",
}
if args != "none":
    process["args"] = json.loads(args)
config = {
    "ociVersion": "1.0.2",
    "process": process,
    "root": {"path": "rootfs"},
    "hostname": host,
    "mounts": [
        {"destination": "/proc", "type": "proc", "source": "proc"},
        {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
         "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
        {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
         "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]},
        {"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
         "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
        {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
         "options": ["nosuid", "noexec", "nodev"]},
        {"destination": "/sys", "type": "sysfs", "source": "sysfs",
         "options": ["nosuid", "noexec", "nodev", "ro"]},
    ],
    "linux": {
        "namespaces": [{"type": t} for t in ("pid", "network", "ipc", "uts", "mount")],
    },
}
json.dump(config, open(path, "w"), indent=2)
EOF
}

# ---- basics: output, exit codes, records

test_stdout_and_stderr_are_separate() {
	assert_exit 0 "$BERTH" run --rm busybox sh -c 'echo to-out; echo to-err >&2'
	assert_eq "to-out" "$OUT" "stdout"
	assert_eq "to-err" "$ERR" "stderr"
}

test_exit_code_zero() {
	assert_exit 0 "$BERTH" run --rm busybox true
	assert_eq "" "$OUT"
}

test_exit_code_three() {
	assert_exit 3 "$BERTH" run --rm busybox sh -c 'exit 3'
}

test_exit_code_126_not_executable() {
	assert_exit 126 "$BERTH" run --rm busybox /etc/passwd
}

test_exit_code_127_not_found() {
	assert_exit 127 "$BERTH" run --rm busybox nosuchcommand
	assert_contains "$ERR" "executable file not found"
	assert_exit 127 "$BERTH" run --rm busybox /no/such/file
}

test_record_kept_without_rm() {
	assert_exit 5 "$BERTH" run busybox sh -c 'exit 5'
	local id
	id=$(the_container_id)
	local rec="$BERTH_ROOT/containers/$id/record.json"
	[ -f "$rec" ] || fail "no $rec"
	"$PYTHON" - "$rec" <<'EOF' || fail "record.json: $(cat "$rec")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r.get("status") == "exited", r.get("status")
assert type(r.get("exit_code")) is int and r["exit_code"] == 5, r.get("exit_code")
EOF
	assert_no_trace "$id"
}

test_ids_are_unique() {
	assert_exit 0 "$BERTH" run busybox true
	assert_exit 0 "$BERTH" run busybox true
	local ids
	ids=$(container_ids)
	assert_eq 2 "$(printf '%s\n' "$ids" | grep -cE '^[0-9a-f]{64}$')" "two 64-hex ids: $ids"
	for id in $ids; do note_id "$id"; done
}

test_rm_leaves_nothing() {
	assert_exit 0 "$BERTH" run --rm busybox true
	assert_no_containers
}

test_rm_leaves_no_mount_cgroup_or_directory() {
	bg_start c "$BERTH" run --rm busybox sh -c "$WAIT_SCRIPT"
	local pid=$BG_PID
	wait_for 20 file_contains "$TEST_TMP/c.out" ready
	local id
	id=$(running_container_id "$pid")
	kill -TERM "$pid"
	bg_wait "$pid"
	assert_eq 0 "$RC" "exit status after SIGTERM to a trapping container"
	assert_no_containers
	assert_no_trace "$id"
}

test_global_root_flag() {
	local alt="$TEST_TMP/altroot"
	mkdir -p "$alt"
	assert_exit 0 "$BERTH" --root "$alt" run busybox true
	local n
	local ids
	ids=$(BERTH_ROOT=$alt container_ids)
	assert_eq 1 "$(printf '%s' "$ids" | grep -c .)" "a container record under --root: $(ls -1 "$alt/containers" 2>&1)"
	note_id "$ids"
	assert_no_containers
}

# ---- names

test_name_already_in_use() {
	assert_exit 0 "$BERTH" run --name web busybox true
	local id
	id=$(the_container_id)
	assert_contains "$(cat "$BERTH_ROOT/containers/$id/record.json")" '"web"'
	assert_exit 125 "$BERTH" run --name web busybox true
	assert_one_error_line "already in use"
	[ "$(the_container_id)" = "$id" ] || fail "the first container changed"
}

test_name_equals_form() {
	assert_exit 0 "$BERTH" run --name=web2 busybox true
	local id
	id=$(the_container_id)
	assert_contains "$(cat "$BERTH_ROOT/containers/$id/record.json")" '"web2"'
	assert_exit 125 "$BERTH" run --name=web2 busybox true
	assert_one_error_line "already in use"
}

test_name_free_again_after_rm() {
	assert_exit 0 "$BERTH" run --rm --name once busybox true
	assert_exit 0 "$BERTH" run --rm --name once busybox true
	assert_no_containers
}

# ---- isolation seen from inside

test_pid1_is_the_command() {
	assert_exit 0 "$BERTH" run --rm busybox sh -c 'echo $$'
	assert_eq 1 "$OUT"
	# NUL-separated: translate on the host, keeping berth's exit status
	assert_exit 0 bash -o pipefail -c '"$1" run --rm busybox cat /proc/1/cmdline | tr "\0" " "' bash "$BERTH"
	assert_eq "cat /proc/1/cmdline " "$OUT"
}

test_host_processes_invisible() {
	assert_exit 0 "$BERTH" run --rm busybox sh -c 'cd /proc && echo [0-9]*'
	assert_eq "1" "$OUT" "pids in the container's /proc"
	assert_exit 0 "$BERTH" run --rm busybox ps
	local n
	n=$(printf '%s\n' "$OUT" | tail -n +2 | grep -c . || true)
	assert_eq 1 "$n" "processes listed by ps: $OUT"
}

test_hostname_differs_and_host_unchanged() {
	local host_before host_after
	host_before=$(hostname)
	assert_exit 0 "$BERTH" run --rm busybox sh -c 'hostname; cat /etc/hostname'
	local inner
	inner=$(printf '%s\n' "$OUT" | head -n 1)
	[ -n "$inner" ] || fail "empty hostname"
	[ "$inner" != "$host_before" ] || fail "container hostname equals the host's: $inner"
	assert_eq "$inner" "$(printf '%s\n' "$OUT" | sed -n 2p)" "/etc/hostname"
	# renames only if the UTS namespace really is not the host's (a regression must not rename
	# the machine running the tests)
	# (sethostname needs CAP_SYS_ADMIN, which a default container lacks, as in docker)
	assert_exit 0 "$BERTH" run --rm --cap-add SYS_ADMIN -e HOST_UTS="$(readlink /proc/self/ns/uts)" busybox sh -c \
		'[ "$(readlink /proc/self/ns/uts)" != "$HOST_UTS" ] && hostname changed-inside; hostname'
	assert_eq changed-inside "$OUT"
	host_after=$(hostname)
	assert_eq "$host_before" "$host_after" "host hostname"
}

test_hostname_flag() {
	assert_exit 0 "$BERTH" run --rm -h myhost busybox hostname
	assert_eq myhost "$OUT"
	assert_exit 0 "$BERTH" run --rm --hostname myhost2 busybox sh -c 'hostname; cat /etc/hostname'
	assert_eq "myhost2"$'\n'"myhost2" "$OUT"
	assert_exit 0 "$BERTH" run --rm --hostname=myhost3 busybox hostname
	assert_eq myhost3 "$OUT"
}

test_namespaces_differ_from_host() {
	assert_exit 0 "$BERTH" run --rm busybox sh -c \
		'for n in ipc net uts pid mnt cgroup; do echo "$n $(readlink /proc/self/ns/$n)"; done'
	local n inner host
	for n in ipc net uts pid mnt cgroup; do
		inner=$(printf '%s\n' "$OUT" | awk -v n="$n" '$1 == n { print $2 }')
		host=$(readlink /proc/self/ns/$n)
		[ -n "$inner" ] || fail "no $n namespace link inside: $OUT"
		[ "$inner" != "$host" ] || fail "$n namespace is the host's ($host)"
	done
}

test_ipc_shm_isolated() {
	local name="berth-test-shm-$$-$RANDOM"
	echo host >"/dev/shm/$name.host"
	defer "rm -f '/dev/shm/$name.host' '/dev/shm/$name'"
	assert_exit 0 "$BERTH" run --rm busybox sh -c "echo inside > /dev/shm/$name && ls /dev/shm"
	assert_contains "$OUT" "$name" "file written in the container's /dev/shm"
	assert_not_contains "$OUT" "$name.host" "the host's /dev/shm file seen inside"
	[ ! -e "/dev/shm/$name" ] || fail "/dev/shm/$name written inside appeared on the host"
}

test_only_loopback_and_up() {
	# --network none: the default bridge network adds eth0 (test_network.sh covers it)
	assert_exit 0 "$BERTH" run --rm --network none busybox sh -c 'ls /sys/class/net; cat /sys/class/net/lo/flags'
	assert_eq lo "$(printf '%s\n' "$OUT" | head -n 1)" "interfaces"
	local flags
	flags=$(printf '%s\n' "$OUT" | sed -n 2p)
	[ -n "$flags" ] && [ $((flags & 1)) = 1 ] || fail "lo is not up (flags $flags)"
	assert_eq 2 "$(printf '%s\n' "$OUT" | wc -l)" "only lo: $OUT"
}

test_mount_inside_invisible_on_host() {
	local before after
	before=$(awk '{ print $5 }' /proc/self/mountinfo | grep -E '(^|/)mnt$' | sort || true)
	# mount needs CAP_SYS_ADMIN, which a default container lacks (as in docker)
	bg_start c "$BERTH" run --rm --cap-add SYS_ADMIN busybox sh -c \
		'trap "exit 0" TERM; mkdir -p /mnt && mount -t tmpfs none /mnt && touch /mnt/inside && echo mounted; while :; do sleep 0.1; done'
	local pid=$BG_PID
	wait_for 20 file_contains "$TEST_TMP/c.out" mounted
	after=$(awk '{ print $5 }' /proc/self/mountinfo | grep -E '(^|/)mnt$' | sort || true)
	assert_eq "$before" "$after" "mount points named mnt on the host"
	[ ! -e /mnt/inside ] || fail "/mnt/inside visible on the host"
	local m
	m=$(grep -F -- "$BERTH_ROOT" /proc/self/mountinfo || true)
	[ -z "$m" ] || fail "the container's mounts are visible on the host: $m"
	kill -TERM "$pid"
	bg_wait "$pid"
	assert_eq 0 "$RC"
}

test_writes_do_not_reach_image_or_next_container() {
	assert_exit 0 "$BERTH" run busybox sh -c 'echo x > /written && echo hacked >> /etc/passwd && cat /written'
	assert_eq x "$OUT"
	local id
	id=$(the_container_id)
	assert_exit 0 "$BERTH" run --rm busybox sh -c 'ls /written 2>/dev/null; grep -c hacked /etc/passwd || true'
	assert_eq 0 "$OUT" "the next container sees the first one's writes"
	local leaked
	leaked=$(find "$BERTH_ROOT/images" -name written 2>/dev/null || true)
	[ -z "$leaked" ] || fail "a container's write reached the image store: $leaked"
	leaked=$(find "$BERTH_ROOT/images" -name passwd -exec grep -l hacked {} + 2>/dev/null || true)
	[ -z "$leaked" ] || fail "a container's write reached the image store: $leaked"
	assert_no_trace "$id"
}

test_etc_files_written() {
	assert_exit 0 "$BERTH" run --rm -h etchost busybox sh -c \
		'cat /etc/hostname; echo ---; cat /etc/hosts; echo ---; cat /etc/resolv.conf'
	assert_eq etchost "$(printf '%s\n' "$OUT" | head -n 1)" "/etc/hostname"
	local hosts
	hosts=$(printf '%s\n' "$OUT" | awk '/^---$/ { n++; next } n == 1')
	assert_contains "$hosts" "127.0.0.1" "/etc/hosts"
	assert_contains "$hosts" "localhost" "/etc/hosts"
	assert_contains "$hosts" "etchost" "/etc/hosts"
	local resolv
	resolv=$(printf '%s\n' "$OUT" | awk '/^---$/ { n++; next } n == 2')
	assert_contains "$resolv" "nameserver" "/etc/resolv.conf"
}

test_etc_writes_do_not_reach_host() {
	local sum_hosts sum_resolv f
	sum_hosts=$(md5sum </etc/hosts)
	sum_resolv=$(md5sum </etc/resolv.conf)
	# if a regression bind-mounted the host's files, put them back
	for f in hosts resolv.conf hostname; do
		[ -f "/etc/$f" ] || continue
		cp -p "/etc/$f" "$TEST_TMP/host-$f"
		defer "cmp -s '/etc/$f' '$TEST_TMP/host-$f' || cat '$TEST_TMP/host-$f' > '/etc/$f'"
	done
	assert_exit 0 "$BERTH" run --rm busybox sh -c \
		'echo 10.9.9.9 evil >> /etc/hosts; echo nameserver 10.9.9.9 >> /etc/resolv.conf; echo evil > /etc/hostname'
	assert_eq "$sum_hosts" "$(md5sum </etc/hosts)" "host /etc/hosts changed"
	assert_eq "$sum_resolv" "$(md5sum </etc/resolv.conf)" "host /etc/resolv.conf changed"
}

# ---- environment

test_env_only_image_and_flags() {
	export BERTH_TEST_SECRET=1
	assert_exit 0 env BERTH_TEST_SECRET=1 USER=hostuser "$BERTH" run --rm -e FOO=bar busybox env
	assert_contains "$OUT" "FOO=bar"
	assert_contains "$OUT" "PATH="
	assert_not_contains "$OUT" "BERTH_TEST_SECRET"
	assert_not_contains "$OUT" "BERTH_ROOT"
	assert_not_contains "$OUT" "TEST_TMP"
	assert_not_contains "$OUT" "USER=hostuser"
	local names extra
	names=$(printf '%s\n' "$OUT" | sed -n 's/=.*//p' | sort)
	extra=$(printf '%s\n' "$names" | grep -vxE 'PATH|HOSTNAME|HOME|TERM|FOO' || true)
	[ -z "$extra" ] || fail "unexpected variables in the container: $extra"
}

test_env_flags() {
	assert_exit 0 "$BERTH" run --rm -e A=1 -e B=two=2 -e EMPTY= -e PATH=/bin:/usr/bin busybox env
	grep -qx 'A=1' <<<"$OUT" || fail "A=1 missing: $OUT"
	grep -qx 'B=two=2' <<<"$OUT" || fail "B=two=2 missing: $OUT"
	grep -qx 'EMPTY=' <<<"$OUT" || fail "EMPTY= missing: $OUT"
	grep -qx 'PATH=/bin:/usr/bin' <<<"$OUT" || fail "-e PATH did not replace the image's: $OUT"
	assert_eq 1 "$(printf '%s\n' "$OUT" | grep -c '^PATH=')" "one PATH"
}

test_env_file() {
	printf '# a comment\nX=1\n\nY=hello world\n' >"$TEST_TMP/envfile"
	assert_exit 0 "$BERTH" run --rm --env-file "$TEST_TMP/envfile" -e Z=3 busybox env
	grep -qx 'X=1' <<<"$OUT" || fail "X=1 missing: $OUT"
	grep -qx 'Y=hello world' <<<"$OUT" || fail "Y missing: $OUT"
	grep -qx 'Z=3' <<<"$OUT" || fail "Z missing: $OUT"
	assert_not_contains "$OUT" "comment"
}

# ---- process options

test_workdir() {
	assert_exit 0 "$BERTH" run --rm -w /tmp busybox pwd
	assert_eq /tmp "$OUT"
}

test_user_uid_gid() {
	assert_exit 0 "$BERTH" run --rm -u 1000:1000 busybox sh -c 'id -u; id -g'
	assert_eq "1000"$'\n'"1000" "$OUT"
	assert_exit 0 "$BERTH" run --rm -u 1000 busybox id -u
	assert_eq 1000 "$OUT"
}

test_user_by_name() {
	assert_exit 0 "$BERTH" run --rm -u berth busybox id -u
	assert_eq 1000 "$OUT"
}

test_entrypoint() {
	assert_exit 0 "$BERTH" run --rm --entrypoint echo busybox hello world
	assert_eq "hello world" "$OUT"
	assert_exit 0 "$BERTH" run --rm --entrypoint /bin/hostname -h ephost busybox
	assert_eq ephost "$OUT"
}

test_stdin_closed_without_i() {
	printf 'hello\n' >"$TEST_TMP/in"
	assert_exit 0 "$BERTH" run --rm busybox cat <"$TEST_TMP/in"
	assert_eq "" "$OUT" "stdin must not reach the container without -i"
}

test_stdin_with_i() {
	printf 'hello\nworld\n' >"$TEST_TMP/in"
	assert_exit 0 "$BERTH" run --rm -i busybox sh -c 'read a; read b; echo "$b $a"' <"$TEST_TMP/in"
	assert_eq "world hello" "$OUT"
}

test_stdin_kept_open_with_i() {
	mkfifo "$TEST_TMP/c.in"
	bg_start c "$BERTH" run --rm -i busybox cat
	local pid=$BG_PID
	exec 8>"$TEST_TMP/c.in"
	echo one >&8
	wait_for 20 file_contains "$TEST_TMP/c.out" one
	echo two >&8
	wait_for 20 file_contains "$TEST_TMP/c.out" two
	exec 8>&-
	bg_wait "$pid"
	assert_eq 0 "$RC"
	assert_eq "one"$'\n'"two" "$(cat "$TEST_TMP/c.out")"
}

# ---- /dev, /sys, /proc, fds

test_dev_contents() {
	assert_exit 0 "$BERTH" run --rm busybox sh -c '
		ls /dev; echo ---
		for f in null zero full random urandom tty; do [ -c /dev/$f ] && echo chr-$f; done
		[ -e /dev/ptmx ] && echo has-ptmx
		for f in fd stdin stdout stderr; do echo "$f -> $(readlink /dev/$f)"; done
		echo x > /dev/null && echo null-ok
		head -c 4 /dev/zero | wc -c
		head -c 8 /dev/urandom | wc -c
		(echo x > /dev/full) 2>/dev/null || echo full-fails'
	local names
	names=$(printf '%s\n' "$OUT" | sed '/^---$/q' | tr -s ' \t' '\n\n')
	local f
	for f in null zero full random urandom tty ptmx pts shm mqueue fd stdin stdout stderr; do
		grep -qx "$f" <<<"$names" || fail "/dev/$f missing: $names"
	done
	for f in mem kmsg sda vda nvme0n1 port; do
		if grep -qx "$f" <<<"$names"; then fail "host device /dev/$f inside: $names"; fi
	done
	for f in null zero full random urandom tty; do
		assert_contains "$OUT" "chr-$f" "/dev/$f is a character device"
	done
	assert_contains "$OUT" has-ptmx
	assert_contains "$OUT" "fd -> /proc/self/fd"
	assert_contains "$OUT" "stdin -> /proc/self/fd/0"
	assert_contains "$OUT" "stdout -> /proc/self/fd/1"
	assert_contains "$OUT" "stderr -> /proc/self/fd/2"
	assert_contains "$OUT" null-ok
	assert_contains "$OUT" full-fails
	assert_eq "4"$'\n'"8" "$(printf '%s\n' "$OUT" | grep -xE '[0-9]+')" "bytes read from zero and urandom"
}

test_mount_types() {
	assert_exit 0 "$BERTH" run --rm busybox awk \
		'{ for (i = 7; i <= NF; i++) if ($i == "-") { print $5, $(i + 1), $6; break } }' /proc/self/mountinfo
	local m
	for m in "/proc proc" "/dev tmpfs" "/dev/pts devpts" "/dev/shm tmpfs" "/dev/mqueue mqueue" "/sys sysfs"; do
		grep -q "^$m " <<<"$OUT" || fail "no $m mount inside: $OUT"
	done
	local sysopts
	sysopts=$(printf '%s\n' "$OUT" | awk '$1 == "/sys" { print $3 }' | head -n 1)
	case ",$sysopts," in *,ro,*) ;; *) fail "/sys is not read-only: $sysopts" ;; esac
}

test_sys_and_proc_sys_read_only() {
	assert_exit 0 "$BERTH" run --rm busybox sh -c \
		'touch /sys/x 2>/dev/null && echo sys-writable || echo sys-ro
		 (hostname > /proc/sys/kernel/hostname) 2>/dev/null && echo procsys-writable || echo procsys-ro'
	assert_contains "$OUT" sys-ro
	assert_contains "$OUT" procsys-ro
}

test_proc_self_fd_only_stdio() {
	assert_exit 0 "$BERTH" run --rm busybox ls -l /proc/self/fd
	# "lrwx------ 1 root root 64 Nov 23 06:32 0 -> /dev/null"; ls's own directory fd (3) has
	# no target by the time ls reads it (or /proc/N/fd): fd 3+ may only be that one.
	local fds extra
	fds=$(printf '%s\n' "$OUT" | awk '/^l/ { print $9, $11 }')
	for f in 0 1 2; do
		grep -q "^$f " <<<"$fds" || fail "fd $f missing: $OUT"
	done
	extra=$(printf '%s\n' "$fds" | awk '$1 > 2' | grep -vE '^[0-9]+ ?(/proc/[0-9]+/fd)?$' || true)
	[ -z "$extra" ] || fail "file descriptors leaked into the container: $extra"
	local n
	n=$(printf '%s\n' "$fds" | awk '$1 > 2' | wc -l)
	[ "$n" -le 1 ] || fail "more than ls's directory fd beyond 0-2: $OUT"
}

# ---- signals

test_sigkill_of_container_gives_137() {
	bg_start c "$BERTH" run --rm busybox sh -c 'echo ready; sleep 100'
	local pid=$BG_PID
	wait_for 20 file_contains "$TEST_TMP/c.out" ready
	local init
	init=$(container_init_pid "$pid")
	kill -KILL "$init"
	bg_wait "$pid"
	assert_eq 137 "$RC"
	assert_no_containers
}

test_sigterm_forwarded() {
	bg_start c "$BERTH" run --rm busybox sh -c \
		'trap "echo got-term; exit 7" TERM; echo ready; while :; do sleep 0.1; done'
	local pid=$BG_PID
	wait_for 20 file_contains "$TEST_TMP/c.out" ready
	kill -TERM "$pid"
	bg_wait "$pid"
	assert_eq 7 "$RC"
	assert_contains "$(cat "$TEST_TMP/c.out")" got-term
}

test_signals_forwarded() {
	bg_start c "$BERTH" run --rm busybox sh -c \
		'for s in INT HUP QUIT USR1 USR2 WINCH; do trap "echo got-$s" $s; done
		 trap "echo got-TERM; exit 9" TERM; echo ready; while :; do sleep 0.1; done'
	local pid=$BG_PID s
	wait_for 20 file_contains "$TEST_TMP/c.out" ready
	for s in INT HUP QUIT USR1 USR2 WINCH; do
		kill -s "$s" "$pid"
		wait_for 10 file_contains "$TEST_TMP/c.out" "got-$s"
	done
	kill -TERM "$pid"
	bg_wait "$pid"
	assert_eq 9 "$RC"
}

# ---- terminal

# tmux_pane_has SOCKET LINE: the pane shows a line exactly LINE.
tmux_pane_has() {
	local pane
	pane=$(tmux -S "$1" capture-pane -p -t t)
	grep -qxF -- "$2" <<<"$pane"
}

test_tty_session() {
	local sock="$TEST_TMP/tmux.sock"
	defer "tmux -S '$sock' kill-server 2>/dev/null"
	# on failure, show what the terminal showed (deferred commands run first-in last-out)
	defer "[ -f '$TEST_TMP/rc' ] || { echo '--- pane:'; tmux -S '$sock' capture-pane -p -t t; } >&2"
	tmux -S "$sock" -f /dev/null new-session -d -s t -x 80 -y 24 \
		"stty -g > '$TEST_TMP/stty.before'; '$BERTH' run -it --rm busybox sh; echo \$? > '$TEST_TMP/rc.tmp'; stty -g > '$TEST_TMP/stty.after'; mv '$TEST_TMP/rc.tmp' '$TEST_TMP/rc'; sleep 60"
	# the shell's prompt ("/ # ") before typing
	wait_for 20 sh -c "tmux -S '$sock' capture-pane -p -t t | grep -E '# ?\$' >/dev/null"
	tmux -S "$sock" send-keys -t t 'tty' Enter
	wait_for 10 tmux_pane_has "$sock" /dev/pts/0

	local size
	size=$(tmux -S "$sock" display -p -t t '#{pane_height} #{pane_width}')
	tmux -S "$sock" send-keys -t t 'stty size' Enter
	wait_for 10 tmux_pane_has "$sock" "$size"

	tmux -S "$sock" resize-window -t t -x 100 -y 30
	local size2
	size2=$(tmux -S "$sock" display -p -t t '#{pane_height} #{pane_width}')
	[ "$size2" != "$size" ] || fail "tmux did not resize ($size)"
	tmux -S "$sock" send-keys -t t 'clear; stty size' Enter
	wait_for 10 tmux_pane_has "$sock" "$size2"

	tmux -S "$sock" send-keys -t t 'exit 3' Enter
	wait_for 20 test -f "$TEST_TMP/rc"
	assert_eq 3 "$(cat "$TEST_TMP/rc")" "exit status of the -t session"
	assert_eq "$(cat "$TEST_TMP/stty.before")" "$(cat "$TEST_TMP/stty.after")" "terminal mode restored"
	assert_no_containers
}

# ---- bad input: 125, one line, nothing left behind

test_bad_unknown_image() {
	assert_bad_input "" "$BERTH" run --rm nosuchimage true
	assert_bad_input "" "$BERTH" run nosuchimage true
}

test_bad_unknown_flag() {
	assert_bad_input "" "$BERTH" run --bogus busybox true
}

# A long flag only under its full name, as docker: getopt_long's prefixes ran `--priv` as
# --privileged and read `--pids 64` as --pids-limit (`--pid` is a flag of its own now). Nothing runs, not even the built-in
# image's import; the full names still work. (Every flag of every command: test_flags.sh.)
test_bad_flag_abbreviation() {
	assert_bad_input "berth: run: unknown flag: --priv" "$BERTH" run --priv busybox true
	assert_bad_input "berth: run: unknown flag: --pids" "$BERTH" run --pids 64 busybox true
	assert_bad_input "berth: run: unknown flag: --na" "$BERTH" run --na web busybox true
	assert_bad_input "berth: run: unknown flag: --privilege=1" "$BERTH" container run \
		--privilege=1 busybox true
	assert_eq "" "$("$BERTH" images -q)" "images after the refused runs"
	assert_exit 0 "$BERTH" run --rm --privileged --pids-limit 50 --name web busybox true
	assert_no_containers
}

test_bad_missing_image() {
	assert_bad_input "" "$BERTH" run
	assert_bad_input "" "$BERTH" run --rm -e A=1
}

test_bad_env_without_name() {
	assert_bad_input "" "$BERTH" run --rm -e =x busybox true
	assert_bad_input "" "$BERTH" run -e =x busybox true
}

test_bad_env_file_missing() {
	assert_bad_input "" "$BERTH" run --rm --env-file "$TEST_TMP/no-such-env-file" busybox true
}

test_bad_hostname() {
	assert_bad_input "" "$BERTH" run --rm -h 'bad host!' busybox true
	assert_bad_input "" "$BERTH" run -h 'bad host!' busybox true
}

test_bad_unknown_user() {
	assert_bad_input "" "$BERTH" run --rm -u nosuchuser busybox true
	assert_bad_input "" "$BERTH" run -u nosuchuser busybox true
}

# ---- berth-runtime run --bundle

test_runtime_run_bundle() {
	local b="$TEST_TMP/bundle" state="$TEST_TMP/rtstate" id="t$$-$RANDOM"
	make_bundle "$b" '["sh", "-c", "echo hi; hostname"]' bundlehost
	assert_exit 0 "$BERTH_RUNTIME" --root "$state" run --bundle "$b" "$id"
	assert_eq "hi"$'\n'"bundlehost" "$OUT"
	[ ! -e "$state/$id" ] || fail "state of $id left in $state after run"
}

test_runtime_exit_code() {
	local b="$TEST_TMP/bundle" state="$TEST_TMP/rtstate" id="t$$-$RANDOM"
	make_bundle "$b" '["sh", "-c", "exit 4"]'
	assert_exit 4 "$BERTH_RUNTIME" --root "$state" run --bundle "$b" "$id"
}

test_runtime_config_not_json() {
	local b="$TEST_TMP/bundle" state="$TEST_TMP/rtstate" id="t$$-$RANDOM"
	make_bundle "$b" '["true"]'
	echo '{ "ociVersion": "1.0.2", this is not json' >"$b/config.json"
	run "$BERTH_RUNTIME" --root "$state" run --bundle "$b" "$id"
	[ "$RC" != 0 ] || fail "exit status 0 for a broken config.json"
	assert_eq 1 "$(printf '%s\n' "$ERR" | grep -c .)" "one line on stderr: $ERR"
	assert_contains "$ERR" "config.json"
	[ ! -e "$state/$id" ] || fail "state of $id left after a failed run"
}

test_runtime_missing_args() {
	local b="$TEST_TMP/bundle" state="$TEST_TMP/rtstate" id="t$$-$RANDOM"
	make_bundle "$b" none
	run "$BERTH_RUNTIME" --root "$state" run --bundle "$b" "$id"
	[ "$RC" != 0 ] || fail "exit status 0 for a config.json without process.args"
	assert_eq 1 "$(printf '%s\n' "$ERR" | grep -c .)" "one line on stderr: $ERR"
	assert_contains "$ERR" "process.args"
	[ ! -e "$state/$id" ] || fail "state of $id left after a failed run"
}
