# Integration tests of the container's security: docker's default capabilities and seccomp
# profile, what they deny from inside a default busybox container, the flags that change them
# (--privileged, --cap-add/--cap-drop, --security-opt, --read-only, --device), and the known
# container escapes (CVE-2019-5736, CVE-2024-21626, symlinked mount targets). Run as root by
# tests/run.sh through lib.sh: each test_* function gets its own BERTH_ROOT and TEST_TMP.
# shellcheck shell=bash disable=SC2016 # single-quoted $ are for the container's shell

# ---- helpers of this file

# make_bundle (and the rest of test_run.sh's helpers), rt_setup and rt_bundle (test_runtime.sh),
# without those files' tests.
source "$(dirname "${BASH_SOURCE[0]}")/test_run.sh"
source "$(dirname "${BASH_SOURCE[0]}")/test_runtime.sh"
# shellcheck disable=SC2046
unset -f $(declare -F | awk '$3 ~ /^test_/ { print $3 }')

# docker's default capabilities: CHOWN DAC_OVERRIDE FSETID FOWNER MKNOD NET_RAW SETGID SETUID
# SETFCAP SETPCAP NET_BIND_SERVICE SYS_CHROOT KILL AUDIT_WRITE.
DEFAULT_CAPS=00000000a80425fb

# status_field TEXT FIELD: the value of "FIELD:" in a /proc/PID/status text.
status_field() {
	printf '%s\n' "$1" | awk -v f="$2:" '$1 == f { print $2; exit }'
}

# build_helper: compiles tests/helpers/syscall.c statically into $TEST_TMP/syscall (once);
# fails the test when it cannot (gcc and libc6-dev, whose libc.a links it, are in DEB_BUILD).
build_helper() {
	local src
	src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/helpers/syscall.c"
	[ -x "$TEST_TMP/syscall" ] && return 0
	if ! cc -static -O2 -o "$TEST_TMP/syscall" "$src" 2>"$TEST_TMP/cc.err"; then
		fail "cannot build the static helper (make installs gcc and libc6-dev): $(cat "$TEST_TMP/cc.err")"
	fi
}

# start_with_helper NAME [RUN FLAGS...]: a detached busybox container NAME (removed when the
# test ends) with the syscall helper copied to /helper through `berth exec -i`.
start_with_helper() {
	local name=$1
	shift
	assert_exit 0 "$BERTH" run -d --name "$name" "$@" busybox sleep 300
	note_id "$OUT"
	defer "\"\$BERTH\" rm -f $name >/dev/null 2>&1"
	"$BERTH" exec -i "$name" sh -c 'cat >/helper && chmod 755 /helper' <"$TEST_TMP/syscall" ||
		fail "could not copy the helper into $name"
}

# syscall_in NAME CALL [ARGS...]: runs the helper in container NAME; sets OUT ("CALL: ok" or
# "CALL: errno N (...)").
syscall_in() {
	local name=$1
	shift
	run "$BERTH" exec "$name" /helper "$@"
	case "$OUT" in
	"$1: ok" | "$1: errno "*) ;;
	*) fail "helper $* in $name: exit $RC, stdout '$OUT', stderr '$ERR'" ;;
	esac
}

# expect_errno NAME ERRNO CALL [ARGS...]
expect_errno() {
	local name=$1 want=$2
	shift 2
	syscall_in "$name" "$@"
	case "$OUT" in
	"$1: errno $want "*) ;;
	*) fail "$* in $name: expected errno $want, got: $OUT" ;;
	esac
}

# expect_ok NAME CALL [ARGS...]
expect_ok() {
	local name=$1
	shift
	syscall_in "$name" "$@"
	assert_eq "$1: ok" "$OUT" "$* in $name"
}

# a_block_device: "MAJ MIN NAME" of a host block device that the host itself can open (the
# device cgroup is what the tests look at), or nothing.
a_block_device() {
	local d name majmin
	for d in /sys/dev/block/*; do
		[ -e "$d/uevent" ] || continue
		name=$(awk -F= '$1 == "DEVNAME" { print $2 }' "$d/uevent")
		majmin=${d##*/}
		[ -n "$name" ] && [ -b "/dev/$name" ] || continue
		( exec 3<"/dev/$name" ) 2>/dev/null || continue
		echo "${majmin%%:*} ${majmin##*:} $name"
		return 0
	done
}

# ---- docker's defaults, seen from inside

test_default_capabilities() {
	assert_exit 0 "$BERTH" run --rm busybox cat /proc/self/status
	assert_eq "$DEFAULT_CAPS" "$(status_field "$OUT" CapEff)" "CapEff"
	assert_eq "$DEFAULT_CAPS" "$(status_field "$OUT" CapPrm)" "CapPrm"
	assert_eq "$DEFAULT_CAPS" "$(status_field "$OUT" CapBnd)" "CapBnd"
	assert_eq 0000000000000000 "$(status_field "$OUT" CapInh)" "CapInh"
	assert_eq 0000000000000000 "$(status_field "$OUT" CapAmb)" "CapAmb"
}

test_default_seccomp_filter_on() {
	assert_exit 0 "$BERTH" run --rm busybox cat /proc/self/status
	assert_eq 2 "$(status_field "$OUT" Seccomp)" "Seccomp mode (2 = filter)"
	assert_eq 0 "$(status_field "$OUT" NoNewPrivs)" "NoNewPrivs without the flag (docker's default)"
}

test_default_mount_fails() {
	assert_exit 0 "$BERTH" run --rm busybox sh -c \
		'mount -t tmpfs none /mnt && echo MOUNTED; grep -c " /mnt " /proc/self/mountinfo || true'
	assert_not_contains "$OUT" MOUNTED "mount of a tmpfs in a default container"
	assert_eq 0 "$(printf '%s\n' "$OUT" | tail -n 1)" "mounts on /mnt"
}

test_default_unshare_fails() {
	assert_exit 0 "$BERTH" run --rm busybox sh -c \
		'unshare -m sh -c "mount -t tmpfs none /mnt && echo MOUNTED-M"; echo "m=$?"
		 unshare -U sh -c "echo IN-USERNS; mount -t tmpfs none /mnt && echo MOUNTED-U"; echo "u=$?"
		 unshare -U -r -m sh -c "mount -t tmpfs none /mnt && echo MOUNTED-UM"; echo "um=$?"'
	assert_not_contains "$OUT" MOUNTED "a mount after unshare"
	assert_not_contains "$OUT" IN-USERNS "unshare -U"
	assert_not_contains "$OUT" "m=0" "unshare -m"
}

test_default_sysrq_trigger_fails() {
	# "h" only prints help to the kernel log: harmless if the write ever got through.
	assert_exit 0 "$BERTH" run --rm busybox sh -c \
		'(echo h > /proc/sysrq-trigger) 2>/dev/null && echo WRITTEN || echo refused'
	assert_eq refused "$OUT" "write to /proc/sysrq-trigger"
}

test_default_kcore_masked() {
	assert_exit 0 "$BERTH" run --rm busybox sh -c \
		'n=$(head -c 16 /proc/kcore 2>/dev/null | wc -c); echo "bytes=$n"'
	assert_eq "bytes=0" "$OUT" "bytes read from /proc/kcore"
}

test_default_block_device_unreadable() {
	local dev
	dev=$(a_block_device)
	[ -n "$dev" ] || { echo "SKIP: no block device with data on this host"; return 0; }
	set -- $dev
	assert_exit 0 "$BERTH" run --rm busybox sh -c \
		"mknod /tmp/blk b $1 $2 && echo made; (exec 3</tmp/blk) && echo OPENED; true"
	assert_contains "$OUT" made "mknod (CAP_MKNOD is a default capability)"
	assert_not_contains "$OUT" OPENED "open of block device $3 ($1:$2) through a node made inside"
	assert_contains "$ERR" "Operation not permitted" "the device cgroup's refusal"
}

test_default_reboot_fails() {
	# reboot -f calls reboot(2) itself (without -f busybox only signals pid 1).
	assert_exit 0 "$BERTH" run --rm busybox sh -c 'reboot -f; echo "still here $?"'
	assert_contains "$OUT" "still here" "the container after reboot -f"
	assert_not_contains "$OUT" "still here 0" "reboot -f's status"
}

test_default_hostname_fails() {
	local before
	before=$(hostname)
	assert_exit 0 "$BERTH" run --rm --hostname box busybox sh -c \
		'hostname berth-evil && echo CHANGED; hostname'
	assert_not_contains "$OUT" CHANGED "sethostname"
	assert_eq box "$OUT" "the container's hostname"
	assert_eq "$before" "$(hostname)" "the host's hostname"
}

test_default_date_fails() {
	local year
	year=$(date +%Y)
	assert_exit 0 "$BERTH" run --rm busybox sh -c 'date -s "2001-02-03 04:05:06"; date +%Y'
	assert_contains "$ERR" "can't set date" "date -s"
	assert_eq "$year" "$(printf '%s\n' "$OUT" | tail -n 1)" "the year inside after date -s"
	assert_eq "$year" "$(date +%Y)" "the host's year"
}

test_default_ps_only_container() {
	assert_exit 0 "$BERTH" run --rm busybox sh -c 'ps -o pid,comm; true'
	# Header, the shell (pid 1) and ps itself.
	assert_eq 3 "$(printf '%s\n' "$OUT" | grep -c .)" "ps lines: $OUT"
	assert_contains "$(printf '%s\n' "$OUT" | awk '$1 == 1')" "sh" "pid 1"
}

test_default_only_stdio_fds() {
	assert_exit 0 "$BERTH" run --rm busybox ls /proc/self/fd
	# 0 1 2, and ls's own directory fd (3).
	local fds
	fds=$(printf '%s\n' "$OUT" | tr '\n' ' ')
	case "$fds" in
	"0 1 2 " | "0 1 2 3 ") ;;
	*) fail "fds in the container: $fds" ;;
	esac
}

# ---- the seccomp profile, one syscall at a time

test_seccomp_blocks_dangerous_syscalls() {
	build_helper
	start_with_helper c
	local call
	for call in "keyctl 0 0xfffffffd" add_key request_key userfaultfd "io_uring_setup 1" \
		kexec_load init_module reboot swapon "unshare 0x10000000" mount bpf \
		open_by_handle_at "setns 0 0"; do
		# shellcheck disable=SC2086
		expect_errno c 1 $call
	done
}

# The same calls without the filter fail differently (or succeed): so it is seccomp that says
# EPERM above, not the missing capabilities.
test_seccomp_unconfined_lets_them_reach_the_kernel() {
	build_helper
	start_with_helper c --security-opt seccomp=unconfined
	run "$BERTH" exec c grep Seccomp: /proc/self/status
	assert_eq 0 "$(status_field "$OUT" Seccomp)" "Seccomp mode with seccomp=unconfined"
	local call
	for call in add_key request_key "io_uring_setup 1" "personality 6" "clone3"; do
		# shellcheck disable=SC2086
		syscall_in c $call
		case "$OUT" in
		*"errno 1 "*) fail "$call: EPERM without seccomp too: $OUT" ;;
		esac
	done
}

test_seccomp_conditional_rules() {
	build_helper
	start_with_helper c
	expect_ok c clone 0x11                   # fork-like clone: SIGCHLD only
	expect_errno c 1 clone 0x10000011        # CLONE_NEWUSER
	expect_errno c 1 clone 0x20000011        # CLONE_NEWPID
	expect_errno c 1 clone 0x00020011        # CLONE_NEWNS
	expect_errno c 1 clone 0x40000011        # CLONE_NEWNET
	expect_errno c 38 clone3                 # ENOSYS, so that libc falls back to clone
	expect_ok c personality 0xffffffff       # the query
	expect_ok c personality 0x0
	expect_errno c 1 personality 0x6         # PER_BSD
	expect_errno c 1 socket 40 1             # AF_VSOCK
	expect_ok c socket 1 1                   # AF_UNIX, SOCK_STREAM
}

# ---- the whole table: tests/integration/seccomp_table.tsv, docker's default profile call by
# call, in a default container and with each capability that opens a group

SECCOMP_TABLE="$(dirname "${BASH_SOURCE[0]}")/seccomp_table.tsv"

# probe_table LABEL CAPS [RUN FLAGS...]: runs every call of the table in one container (the
# helper bind-mounted, the calls on its stdin) and checks each result against the table for a
# container holding CAPS (" CAP_X CAP_Y ", or " ALL "). Collects mismatches in $MISMATCH.
probe_table() {
	local label=$1 caps=$2 calls results
	shift 2
	calls=$(awk -F'\t' '!/^#/ && NF { print $1 " " $2 }' "$SECCOMP_TABLE")
	run "$BERTH" run --rm -i --network none -v "$TEST_TMP/probe:/probe:ro" "$@" busybox /probe/syscall - \
		<<<"$calls"
	[ "$RC" = 0 ] || fail "$label: the probe failed: exit $RC, stderr '$ERR'"
	results=$OUT
	MISMATCH+=$(paste <(awk -F'\t' '!/^#/ && NF' "$SECCOMP_TABLE") <(printf '%s\n' "$results") |
		awk -F'\t' -v caps="$caps" -v label="$label" '
		function holds(list,   n, c, i) {
			if (list == "-") return 0
			if (caps == " ALL ") return 1
			n = split(list, c, ",")
			for (i = 1; i <= n; i++) if (index(caps, " " c[i] " ")) return 1
			return 0
		}
		{
			want = holds($4) ? $5 : $3
			# allowed/CAP_X: the filter lets it through, but the kernel itself says EPERM
			# unless CAP_X is held too; without CAP_X the two EPERMs look alike: unchecked
			if (want ~ /^allowed\//) want = holds(substr(want, 9)) ? "allowed" : "unchecked"
			got = $6
			ok = (want == "EPERM" && got == "errno 1") ||
			     (want == "ENOSYS" && got == "errno 38") ||
			     (want == "allowed" && got != "errno 1" && got !~ /^(unknown|helper-error)/) ||
			     (want == "unchecked" && got !~ /^(unknown|helper-error)/)
			if (!ok) printf "%s: %s %s: expected %s, got %s\n", label, $1, $2, want, got
		}')$'\n'
}

test_seccomp_table() {
	build_helper
	mkdir -p "$TEST_TMP/probe" && cp "$TEST_TMP/syscall" "$TEST_TMP/probe/syscall"
	# docker's default capabilities: only CAP_SYS_CHROOT among them opens a call
	local defaults=" CAP_CHOWN CAP_DAC_OVERRIDE CAP_FSETID CAP_FOWNER CAP_MKNOD CAP_NET_RAW"
	defaults+=" CAP_SETGID CAP_SETUID CAP_SETFCAP CAP_SETPCAP CAP_NET_BIND_SERVICE"
	defaults+=" CAP_SYS_CHROOT CAP_KILL CAP_AUDIT_WRITE "
	MISMATCH=""
	probe_table default "$defaults"
	local cap
	for cap in $(awk -F'\t' '!/^#/ && $4 != "-" { gsub(",", " ", $4); print $4 }' \
		"$SECCOMP_TABLE" | tr ' ' '\n' | sort -u); do
		if [[ $defaults == *" $cap "* ]]; then
			probe_table "--cap-drop $cap" "${defaults/ $cap / }" --cap-drop "$cap"
		else
			probe_table "--cap-add $cap" "$defaults$cap " --cap-add "$cap"
		fi
	done
	probe_table "--cap-add ALL" " ALL " --cap-add ALL
	MISMATCH=$(printf '%s' "$MISMATCH" | sed '/^$/d')
	[ -z "$MISMATCH" ] || fail "calls that do not match seccomp_table.tsv:"$'\n'"$MISMATCH"
}

test_seccomp_profile_file() {
	build_helper
	# A profile that allows everything but getpid, which fails with ENOTTY (25), and makes
	# unshare fail with EINVAL only with CAP_SYS_ADMIN (which the container lacks: the rule must
	# be dropped, and unshare(CLONE_NEWNS) gets the kernel's EPERM).
	cat >"$TEST_TMP/profile.json" <<'EOF'
{
  "defaultAction": "SCMP_ACT_ALLOW",
  "syscalls": [
    {"names": ["getpid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 25},
    {"names": ["unshare"], "action": "SCMP_ACT_ERRNO", "errnoRet": 22,
     "includes": {"caps": ["CAP_SYS_ADMIN"]}}
  ]
}
EOF
	start_with_helper c --security-opt "seccomp=$TEST_TMP/profile.json"
	expect_errno c 25 getpid
	expect_errno c 1 unshare 0x20000         # the kernel's EPERM (no CAP_SYS_ADMIN), not 22
	expect_ok c personality 0x6
}

test_seccomp_profile_bad_file() {
	echo '{"defaultAction": "SCMP_ACT_NOPE"}' >"$TEST_TMP/bad.json"
	assert_exit 125 "$BERTH" run --rm --security-opt "seccomp=$TEST_TMP/bad.json" busybox true
	assert_one_error_line "SCMP_ACT_NOPE"
	assert_exit 125 "$BERTH" run --rm --security-opt "seccomp=$TEST_TMP/missing.json" busybox true
	assert_one_error_line "missing.json"
}

# ---- flags

test_privileged() {
	local bnd
	bnd=$(awk '$1 == "CapBnd:" { print $2 }' /proc/self/status)
	assert_exit 0 "$BERTH" run --rm --privileged busybox sh -c \
		'cat /proc/self/status; mount -t tmpfs none /mnt && echo MOUNTED'
	assert_eq "$bnd" "$(status_field "$OUT" CapEff)" "CapEff under --privileged (the host's bounding set)"
	assert_eq 0 "$(status_field "$OUT" Seccomp)" "Seccomp under --privileged"
	assert_contains "$OUT" MOUNTED "mount under --privileged"
	local dev
	dev=$(a_block_device)
	[ -n "$dev" ] || return 0
	set -- $dev
	assert_exit 0 "$BERTH" run --rm --privileged busybox sh -c \
		"mknod /tmp/blk b $1 $2 && (exec 3</tmp/blk) && echo OPENED"
	assert_eq OPENED "$OUT" "open of block device $3 ($1:$2) under --privileged"
}

test_cap_drop_all() {
	assert_exit 0 "$BERTH" run --rm --cap-drop ALL busybox sh -c \
		'cat /proc/self/status; mknod /tmp/n c 1 3 && echo MADE; true'
	assert_eq 0000000000000000 "$(status_field "$OUT" CapEff)" "CapEff"
	assert_eq 0000000000000000 "$(status_field "$OUT" CapBnd)" "CapBnd"
	assert_not_contains "$OUT" MADE "mknod without CAP_MKNOD"
}

test_cap_drop_one() {
	assert_exit 0 "$BERTH" run --rm --cap-drop NET_RAW --cap-drop CAP_MKNOD busybox cat /proc/self/status
	# a80425fb without NET_RAW (1 << 13) and MKNOD (1 << 27)
	assert_eq 00000000a00405fb "$(status_field "$OUT" CapEff)" "CapEff"
	assert_eq 00000000a00405fb "$(status_field "$OUT" CapBnd)" "CapBnd"
}

test_cap_add_sys_admin_allows_mount() {
	assert_exit 0 "$BERTH" run --rm --cap-add SYS_ADMIN busybox sh -c \
		'grep CapEff /proc/self/status; mount -t tmpfs none /mnt && echo MOUNTED; grep -c " /mnt " /proc/self/mountinfo'
	assert_contains "$OUT" "00000000a82425fb" "CapEff with SYS_ADMIN"
	assert_contains "$OUT" MOUNTED "mount with CAP_SYS_ADMIN"
}

test_no_new_privileges() {
	assert_exit 0 "$BERTH" run --rm --security-opt no-new-privileges busybox cat /proc/self/status
	assert_eq 1 "$(status_field "$OUT" NoNewPrivs)" "NoNewPrivs"
	assert_eq 2 "$(status_field "$OUT" Seccomp)" "Seccomp with no-new-privileges"
}

test_read_only_root() {
	assert_exit 0 "$BERTH" run --rm --read-only busybox sh -c \
		'touch /x && echo ROOT-WRITABLE; touch /tmp/x && echo tmp-ok; touch /etc/x && echo ETC-WRITABLE; true'
	assert_not_contains "$OUT" ROOT-WRITABLE "touch /x with --read-only"
	assert_not_contains "$OUT" ETC-WRITABLE "touch /etc/x with --read-only"
	assert_contains "$OUT" tmp-ok "touch /tmp/x with --read-only"
	assert_contains "$ERR" "Read-only file system"
}

test_device_flag() {
	local dev
	dev=$(a_block_device)
	[ -n "$dev" ] || { echo "SKIP: no block device with data on this host"; return 0; }
	set -- $dev
	assert_exit 0 "$BERTH" run --rm busybox sh -c "test -e /dev/$3 && echo PRESENT; true"
	assert_not_contains "$OUT" PRESENT "/dev/$3 without --device"
	assert_exit 0 "$BERTH" run --rm --device "/dev/$3" busybox sh -c "(exec 3</dev/$3) && echo OPENED"
	assert_eq OPENED "$OUT" "open of /dev/$3 with --device"
}

# ---- escapes

# The scanner of the CVE-2019-5736 tests (a container's main process): each pid but 1 and its
# own, with fd 3 open on /proc/PID/exe, is logged to /tmp/log ("opened PID PATH"); unless it is
# the container's own busybox, it tries to reopen that for writing (appending nothing) until the
# process is gone ("WROTE PID PATH"). An exe it may not open is logged as "denied PID COMM".
EXE_SCANNER='
	try() {
		t=$(readlink /proc/self/fd/3)
		echo "opened $1 $t" >>/tmp/log
		[ "$t" = /bin/busybox ] && return 0
		i=0
		while [ $i -lt 100 ]; do
			if (: >>/proc/self/fd/3) 2>/dev/null; then echo "WROTE $1 $t" >>/tmp/log; fi
			i=$((i + 1))
		done
	}
	: >/tmp/log
	while :; do
		for p in /proc/[0-9]*; do
			n=${p#/proc/}
			[ "$n" = 1 ] || [ "$n" = $$ ] && continue
			try "$n" 2>/dev/null 3<"$p/exe" ||
				echo "denied $n $(cat "$p/comm" 2>/dev/null)" >>/tmp/log
		done
	done'

# opened_host_exe LOG: the scanner's "opened" lines other than the container's busybox.
opened_host_exe() {
	printf '%s\n' "$1" | grep '^opened' | grep -v ' /bin/busybox$' | sort -u || true
}

# CVE-2019-5736: a process in the container opens /proc/PID/exe of a process `berth exec` put in
# it (before its execve, that is the host's berth binary) and writes through it. berth makes that
# process non-dumpable, so /proc/PID/exe is closed to the container (no CAP_SYS_PTRACE). The
# execs run a copy of berth, so a regression damages only the copy.
test_cve_2019_5736_exe_not_writable() {
	local copy="$TEST_TMP/berth-copy" sum
	cp "$BERTH" "$copy"
	sum=$(sha256sum <"$copy")
	assert_exit 0 "$copy" run -d --name c busybox sh -c "$EXE_SCANNER"
	note_id "$OUT"
	defer "\"\$BERTH\" rm -f c >/dev/null 2>&1"
	local i
	for i in $(seq 30); do
		"$copy" exec c true || fail "exec $i failed"
	done
	run "$BERTH" exec c cat /tmp/log
	local opened denied
	[ -n "$OUT" ] || fail "the scanner in the container logged nothing"
	opened=$(opened_host_exe "$OUT")
	denied=$(printf '%s\n' "$OUT" | awk '$1 == "denied" && $3 != "" { print $3 }' | sort | uniq -c | tr -s ' \n' ' ')
	echo "scanner: $(printf '%s\n' "$OUT" | grep -c '^opened') opens of /proc/PID/exe (busybox" \
		"processes of its own), denied for: ${denied:-none}"
	echo "opened in the container (other than busybox): ${opened:-nothing}"
	assert_not_contains "$OUT" WROTE "a write through /proc/PID/exe"
	[ -z "$opened" ] || fail "the container opened the exe of a host process: $opened"
	assert_eq "$sum" "$(sha256sum <"$copy")" "sha256 of the berth binary"
}

# The next three tests watch the moment a process is born in a running container's pid
# namespace: between its clone and its execve it is berth's binary, the host's. They run berth
# without CAP_SYS_PTRACE (as a runtime nested in a container without it would be): a
# --privileged container then holds every capability berth's own processes hold, and the kernel
# lets it open their /proc/PID/exe unless they are non-dumpable. strace holds each new process
# for two seconds at its first prctl (where the child used to make itself non-dumpable), so a
# process that is born dumpable is seen so every time, not once in thousands of tries.

# no_ptrace CMD...: CMD without CAP_SYS_PTRACE in its bounding set (so in none of its sets).
NO_PTRACE=(setpriv --bounding-set -sys_ptrace --)
no_ptrace() {
	"${NO_PTRACE[@]}" "$@"
}

# scanner_bundle DIR: a bundle running the scanner with every capability of our bounding set but
# CAP_SYS_PTRACE.
scanner_bundle() {
	local args
	args=$("$PYTHON" -c 'import json, sys; print(json.dumps(["sh", "-c", sys.argv[1]]))' "$EXE_SCANNER")
	rt_bundle "$1" "$args" "
bnd = int([l.split()[1] for l in open('/proc/self/status') if l.startswith('CapBnd:')][0], 16)
names = '''CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP
    LINUX_IMMUTABLE NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER SYS_MODULE
    SYS_RAWIO SYS_CHROOT SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE SYS_RESOURCE SYS_TIME
    SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE AUDIT_CONTROL SETFCAP MAC_OVERRIDE MAC_ADMIN SYSLOG
    WAKE_ALARM BLOCK_SUSPEND AUDIT_READ PERFMON BPF CHECKPOINT_RESTORE'''.split()
caps = ['CAP_' + n for i, n in enumerate(names) if bnd >> i & 1 and n != 'SYS_PTRACE']
config['process']['capabilities'] = {k: caps for k in ('bounding', 'effective', 'permitted')}"
}

# held_no_ptrace CMD...: no_ptrace CMD under strace, each process it starts held for 2 s at its
# first prctl (the trace, for a failure's message, in $TEST_TMP/strace). LeakSanitizer cannot
# work under ptrace: a SANITIZE=1 build's leak check is off for CMD.
held_no_ptrace() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		strace -f -qq -o "$TEST_TMP/strace" -e trace=prctl,clone,clone3,execve \
		-e inject=prctl:delay_enter=2000000:when=1 "${NO_PTRACE[@]}" "$@"
}

# assert_exe_closed LOG COMM: the scanner's LOG shows a process named COMM (berth's, before its
# execve) that it was denied, and no host exe that it opened.
assert_exe_closed() {
	local opened
	opened=$(opened_host_exe "$1")
	[ -z "$opened" ] || fail "the container opened the exe of a host process: $opened
strace of the held command:
$(cat "$TEST_TMP/strace")"
	printf '%s\n' "$1" | grep -q "^denied [0-9]* $2\$" ||
		fail "the scanner never saw a $2 process: $(printf '%s\n' "$1" | sort -u)"
}

# host_copy BINARY: a copy of BINARY under the same name in $TEST_TMP/bin, printed: the held
# commands run it, so a regression could damage only the copy.
host_copy() {
	mkdir -p "$TEST_TMP/bin"
	cp "$1" "$TEST_TMP/bin/"
	echo "$TEST_TMP/bin/${1##*/}"
}

test_cve_2019_5736_exec_nondumpable_from_birth() {
	command -v strace >/dev/null || fail "strace is missing (make deps-test installs it)"
	assert_exit 0 no_ptrace "$BERTH" run -d --privileged --network none --name c busybox \
		sh -c "$EXE_SCANNER"
	note_id "$OUT"
	defer "\"\$BERTH\" rm -f c >/dev/null 2>&1"
	assert_exit 0 held_no_ptrace "$(host_copy "$BERTH")" exec c echo released
	assert_eq released "$OUT" "the held exec's output"
	assert_exit 0 "$BERTH" exec c cat /tmp/log
	assert_exe_closed "$OUT" berth
}

test_cve_2019_5736_runtime_exec_nondumpable_from_birth() {
	command -v strace >/dev/null || fail "strace is missing (make deps-test installs it)"
	rt_setup
	scanner_bundle "$TEST_TMP/b"
	assert_exit 0 no_ptrace "$BERTH_RUNTIME" --root "$RTROOT" run -d --bundle "$TEST_TMP/b" "$ID"
	assert_exit 0 held_no_ptrace "$(host_copy "$BERTH_RUNTIME")" --root "$RTROOT" exec "$ID" \
		echo released
	assert_eq released "$OUT" "the held exec's output"
	assert_exit 0 rt exec "$ID" cat /tmp/log
	assert_exe_closed "$OUT" berth-runtime
}

# The init of a container that joins another's pid namespace (as in a pod) is born in its sight.
test_cve_2019_5736_init_nondumpable_from_birth() {
	command -v strace >/dev/null || fail "strace is missing (make deps-test installs it)"
	local pid id2
	rt_setup
	scanner_bundle "$TEST_TMP/b"
	assert_exit 0 no_ptrace "$BERTH_RUNTIME" --root "$RTROOT" run -d --bundle "$TEST_TMP/b" "$ID"
	pid=$(json_get <(rt state "$ID") pid)
	id2=${ID}00
	note_id "$id2"
	defer "'$BERTH_RUNTIME' --root '$RTROOT' delete --force '$id2' >/dev/null 2>&1"
	rt_bundle "$TEST_TMP/b2" '["echo", "released"]' \
		"config['linux']['namespaces'] = [{'type': 'pid', 'path': '/proc/$pid/ns/pid'}, {'type': 'mount'}]"
	assert_exit 0 held_no_ptrace "$(host_copy "$BERTH_RUNTIME")" --root "$RTROOT" run \
		--bundle "$TEST_TMP/b2" "$id2"
	assert_eq released "$OUT" "the held container's output"
	assert_exit 0 rt exec "$ID" cat /tmp/log
	assert_exe_closed "$OUT" berth-runtime
}

# CVE-2024-21626: a working directory under /proc/self/fd would be a leaked host fd.
test_cve_2024_21626_workdir_proc_fd() {
	local w
	for w in /proc/self/fd/7 /proc/self/fd/3/.. /proc/thread-self/fd/7; do
		assert_exit 125 "$BERTH" run --rm -w "$w" busybox true
		assert_one_error_line "$w"
	done
	local ids
	ids=$(container_ids)
	[ -z "$ids" ] || fail "containers left behind: $ids"
}

# A mount whose target crosses a symlink in the rootfs lands inside the rootfs.
test_bundle_symlink_mount_target_stays_inside() {
	local b="$TEST_TMP/bundle" state="$TEST_TMP/rtstate" id="t$$-$RANDOM" x="berth-x-$$-$RANDOM"
	make_bundle "$b" '["sh", "-c", "grep -c '"$x"' /proc/self/mountinfo"]'
	rm -rf "$b/rootfs/mnt"
	ln -s / "$b/rootfs/mnt"
	ln -s /etc "$b/rootfs/etclink"
	"$PYTHON" - "$b/config.json" "$x" <<'EOF'
import json, sys
path, x = sys.argv[1], sys.argv[2]
c = json.load(open(path))
c["mounts"].append({"destination": "/mnt/" + x, "type": "tmpfs", "source": "tmpfs"})
c["mounts"].append({"destination": "/etclink/" + x, "type": "tmpfs", "source": "tmpfs"})
json.dump(c, open(path, "w"))
EOF
	assert_exit 0 "$BERTH_RUNTIME" --root "$state" run --bundle "$b" "$id"
	assert_eq 2 "$OUT" "tmpfs mounts inside the container"
	[ ! -e "/$x" ] || { rmdir "/$x"; fail "the mount created /$x on the host"; }
	[ ! -e "/etc/$x" ] || { rmdir "/etc/$x"; fail "the mount created /etc/$x on the host"; }
	[ -d "$b/rootfs/$x" ] || fail "no $x in the rootfs"
	[ -d "$b/rootfs/etc/$x" ] || fail "no etc/$x in the rootfs"
	local m
	m=$(grep -F -- "$x" /proc/self/mountinfo || true)
	[ -z "$m" ] || fail "mounts on the host: $m"
}

# A rootfs whose /proc is a symlink would put the container's procfs on the host.
test_bundle_proc_symlink_refused() {
	local b="$TEST_TMP/bundle" state="$TEST_TMP/rtstate" id="t$$-$RANDOM" target="$TEST_TMP/procdir"
	mkdir -p "$target"
	make_bundle "$b" '["true"]'
	rm -rf "$b/rootfs/proc"
	ln -s "$target" "$b/rootfs/proc"
	run "$BERTH_RUNTIME" --root "$state" run --bundle "$b" "$id"
	[ "$RC" != 0 ] || fail "a rootfs with /proc a symlink ran"
	assert_eq 1 "$(printf '%s\n' "$ERR" | grep -c .)" "one line on stderr: $ERR"
	assert_contains "$ERR" "/proc"
	[ -z "$(ls -A "$target")" ] || fail "something appeared in the symlink's target: $(ls -A "$target")"
	local m
	m=$(grep -F -- "$target" /proc/self/mountinfo || true)
	[ -z "$m" ] || fail "a mount on the symlink's target: $m"
	[ ! -e "$state/$id" ] || fail "state of $id left after a failed run"
}


# berth-runtime takes the bundle's profile as given (none of berth's defaults), and a call newer
# than libseccomp (statmount) gets its rule's action instead of being skipped.
test_bundle_seccomp_profile_as_given() {
	build_helper
	local b="$TEST_TMP/bundle" state="$TEST_TMP/rtstate" id="t$$-$RANDOM"
	make_bundle "$b" '["sh", "-c", "for c in \"statmount 0 0 0 1\" getpid \"listmount 0 0 0 1\" \"keyctl 0 0xfffffffd\"; do /helper $c; done; true"]'
	cp "$TEST_TMP/syscall" "$b/rootfs/helper"
	"$PYTHON" - "$b/config.json" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
c["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
    {"names": ["statmount", "getpid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 25}]}
json.dump(c, open(sys.argv[1], "w"))
EOF
	assert_exit 0 "$BERTH_RUNTIME" --root "$state" run --bundle "$b" "$id"
	assert_contains "$OUT" "statmount: errno 25 "
	assert_contains "$OUT" "getpid: errno 25 "
	assert_contains "$OUT" "listmount: errno 14 " # the kernel's EFAULT: not in the profile
	assert_not_contains "$OUT" "keyctl: errno 1 "  # berth's default profile is not applied
}
