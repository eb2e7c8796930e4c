#!/bin/bash
# The wrapper every conformance run puts a runtime in, the same for berth-runtime, crun and runc
# (sourced by run.sh and peers.sh): a cgroup made for the run below this process's own in every
# v1 hierarchy, a new cgroup and mount namespace rooted there (so absolute cgroupsPath values land
# inside it, never in the host's hierarchy), /sys/fs/cgroup/unified unmounted (crun 1.8.1 refuses
# this hybrid host otherwise) and a tmpfs on /run (the runtimes' default state).
#
#   runtime_path NAME DIR  the runtime's binary: berth is a copy of this checkout's
#                          bin/berth-runtime in DIR (a rebuild of bin/ during the run must not
#                          change what is measured), crun and runc the installed ones
#   wrap_run FUNC ARG...   runs the declared shell function FUNC ARG... in the wrapper and removes
#                          the run's cgroups after it; variables FUNC needs must be exported.

# Inside the new namespaces: make the mounts the wrapper promises.
wrap_enter() {
	mount --make-rprivate /
	umount /sys/fs/cgroup/unified 2>/dev/null || true
	# Remount each v1 hierarchy: in the new cgroup namespace its root is the run's cgroup.
	local mp opts
	while read -r mp opts; do
		umount "$mp" && mount -t cgroup -o "$opts" cgroup "$mp" || exit 1
	done < <(awk '$9 == "cgroup" { n = split($NF, o, ","); s = ""; for (i = 1; i <= n; i++) if (o[i] != "rw" && o[i] != "ro") s = s (s ? "," : "") o[i]; print $5, s }' /proc/self/mountinfo)
	mount -t tmpfs -o mode=755 tmpfs /run
}

# The run's cgroup, <own cgroup>/berth-conformance-<pid>, in every v1 hierarchy.
cgroup_dirs() {
	local mp ctl path
	while read -r mp ctl; do
		path=$(awk -F: -v c="$ctl" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' /proc/self/cgroup | head -n 1)
		echo "$mp${path%/}/berth-conformance-$$"
	done < <(awk '$9 == "cgroup" { n = split($NF, o, ","); for (i = 1; i <= n; i++) if (o[i] != "rw" && o[i] != "ro" && o[i] !~ /^(nsdelegate|noprefix|clone_children|xattr)/) { print $5, o[i]; break } }' /proc/self/mountinfo)
}

remove_cgroups() { # deepest first: what a failed program left below the run's cgroup goes too
	local d p try
	# A container a failed test left running: killed (thawed first, a frozen task keeps its
	# SIGKILL pending), every process of the run's cgroups being one this run started.
	for d in "$@"; do
		[ -d "$d" ] || continue
		find "$d" -name freezer.state -exec sh -c 'for f; do echo THAWED >"$f"; done' sh {} + 2>/dev/null
		for p in $(find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
	done
	for try in 1 2 3 4 5; do
		p=$(for d in "$@"; do [ -d "$d" ] && find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null; done)
		[ -z "$p" ] && break
		sleep 0.2
	done
	for d in "$@"; do
		[ -d "$d" ] || continue
		find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
		rmdir "$d" 2>/dev/null || true
	done
}

WRAP_CGROUPS=()
wrap_run() {
	local fn=$1 d f left
	shift
	mapfile -t WRAP_CGROUPS < <(cgroup_dirs)
	for d in "${WRAP_CGROUPS[@]}"; do
		mkdir -p "$d" || { echo "conformance: cannot make $d" >&2; return 1; }
		# A new cpuset cgroup has no cpus or mems: it takes its parent's.
		for f in cpuset.cpus cpuset.mems; do
			[ -f "$d/$f" ] && cat "$(dirname "$d")/$f" >"$d/$f"
		done
	done
	(
		for d in "${WRAP_CGROUPS[@]}"; do echo "$BASHPID" >"$d/cgroup.procs" || exit 1; done
		exec unshare -m -C --propagation private bash -c "$(declare -f wrap_enter "$fn"); wrap_enter; $fn \"\$@\"" \
			"$fn" "$@"
	)
	remove_cgroups "${WRAP_CGROUPS[@]}"
	left=$(for d in "${WRAP_CGROUPS[@]}"; do [ -d "$d" ] && echo "$d"; done)
	[ -z "$left" ] || echo "conformance: cgroups left: $left" >&2
	WRAP_CGROUPS=()
}

runtime_path() {
	case "$1" in
	berth) install -m 755 "$(dirname "${BASH_SOURCE[0]}")/../../bin/berth-runtime" "$2/berth-runtime" &&
		echo "$2/berth-runtime" ;;
	*) command -v "$1" ;;
	esac
}
