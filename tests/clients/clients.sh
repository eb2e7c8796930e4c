# Helpers to run podman, containerd (ctr) and dockerd with berth-runtime as their OCI runtime,
# each on state of its own under a temp directory, never touching /etc or the host's daemons.
# Sourced by tests/integration/test_clients.sh and bench/clients.sh.
# shellcheck shell=bash
#
# Everything runs in a private mount namespace (clients_enter_ns): the clients write to fixed
# host paths that no flag moves (containerd's shims put their sockets in /run/containerd/s, ctr its
# fifos in /run/containerd/fifo, dockerd creates /run/docker/plugins, podman's image copy a cache
# in /var/lib/containers/cache, and podman calls the runtime without --root, so its state goes to
# /run/<runtime>). In the namespace /run is a fresh tmpfs and /var/lib an overlay whose upper
# layer is in the temp dir, so all of that goes away with the namespace, and so does every mount
# a client forgets. Cgroups are not namespaced: each client gets a cgroup parent named after the
# temp dir (CLIENTS_CGROUP), removed by clients_cgroup_cleanup.
#
# Packages: podman conmon containerd docker.io (dockerd, its containerd and docker CLI) util-linux
# (unshare, script) python3.

CLIENTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CLIENTS_REPO=$(dirname "$(dirname "$CLIENTS_DIR")")
CLIENTS_LAYER=${BERTH_DATADIR:-$CLIENTS_REPO/build/share}/busybox-layer.tar
CLIENTS_IMAGE=localhost/busybox:latest
# The Debian docker client: /usr/local/bin may hold another one earlier in PATH.
DOCKER_CLI=${DOCKER_CLI:-/usr/bin/docker}

# clients_need CMD...: fails (with the Debian package to install) if a command is missing.
clients_need() {
	local c pkg missing=""
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 && continue
		case "$c" in
		podman) pkg=podman ;;
		conmon) pkg=conmon ;;
		containerd | ctr | containerd-shim-runc-v2) pkg=containerd ;;
		dockerd | /usr/bin/docker) pkg=docker.io ;;
		unshare | script) pkg=util-linux/bsdutils ;;
		*) pkg="?" ;;
		esac
		missing+=" $c (package $pkg)"
	done
	if [ -n "$missing" ]; then
		echo "FAIL: missing:$missing; make check installs them (DEB_TEST)" >&2
		return 1
	fi
}

# clients_in_ns DIR CMD...: runs CMD in a private mount namespace set up by clients_ns_setup DIR.
clients_in_ns() {
	local dir=$1
	shift
	# shellcheck disable=SC2016 # expanded by the inner bash
	unshare -m --propagation private -- bash -c '
		source "$1"; clients_ns_setup "$2" || exit 125; shift 2; exec "$@"' \
		bash "$CLIENTS_DIR/clients.sh" "$dir" "$@"
}

# clients_ns_setup DIR: (inside a new mount namespace) a tmpfs on /run and an overlay on /var/lib
# with its upper layer in DIR.
clients_ns_setup() {
	local dir=$1
	mount --make-rprivate / &&
		mount -t tmpfs -o mode=755,size=64m clients-run /run &&
		mkdir -p /run/lock "$dir/varlib.upper" "$dir/varlib.work" &&
		mount -t overlay -o "lowerdir=/var/lib,upperdir=$dir/varlib.upper,workdir=$dir/varlib.work" \
			clients-varlib /var/lib
}

# clients_cgroup_name DIR: a cgroup parent name unique to DIR.
clients_cgroup_name() {
	echo "berth-clients-$(printf '%s' "${1%/}" | sha256sum | cut -c1-12)"
}

# clients_cgroup_cleanup NAME: removes the cgroup NAME (and what is below it) in every hierarchy;
# prints what it could not remove (a cgroup with processes left) and returns 1 then.
clients_cgroup_cleanup() {
	local name=$1 d left="" try
	[ -n "$name" ] || return 0
	# a cgroup whose last process is still exiting (or a zombie that this machine's pid 1 has not
	# reaped yet: it reaps slowly) is busy for a while: retry for CLIENTS_CGROUP_WAIT s (15)
	for ((try = 0; try < ${CLIENTS_CGROUP_WAIT:-15} * 10; try++)); do
		left=""
		for d in /sys/fs/cgroup/*/"$name" /sys/fs/cgroup/"$name"; do
			[ -d "$d" ] || continue
			find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true
			[ -d "$d" ] && left+=" $d"
		done
		[ -z "$left" ] && break
		sleep 0.1
	done
	if [ -n "$left" ]; then
		echo "cgroups left:$left" >&2
		for d in $left; do
			find "$d" -name cgroup.procs -exec sh -c 'echo "  $1: $(tr "\n" " " <"$1")"' sh {} \; >&2
		done
		return 1
	fi
	return 0
}

# clients_mounts_under DIR: the mount points under DIR (as this namespace sees them).
clients_mounts_under() {
	awk -v d="$1" '$5 ~ "^" d { print $5 }' /proc/self/mountinfo
}

# clients_umount_under DIR: unmounts (lazily, deepest first) every mount point under DIR.
clients_umount_under() {
	local mp
	for mp in $(clients_mounts_under "$1" | sort -r); do
		umount -l "$mp" 2>/dev/null || true
	done
}

# clients_archive DIR: makes DIR/busybox.tar, a docker-archive of the busybox layer (CMD sh).
clients_archive() {
	[ -f "$1/busybox.tar" ] && return 0
	"${PYTHON:-python3}" "$CLIENTS_DIR/mkarchive.py" "$CLIENTS_LAYER" "$1/busybox.tar" "$CLIENTS_IMAGE" sh
}

# clients_stop_pid PID [SECONDS]: SIGTERM, then SIGKILL after SECONDS (default 15); waits for it
# if it is our child. Returns 1 if it had to be killed.
clients_stop_pid() {
	local pid=$1 secs=${2:-15} i rc=0
	kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < secs * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		# a zombie that is not our child counts as gone
		[ "$(awk '{print $3}' /proc/"$pid"/stat 2>/dev/null)" = Z ] && break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null && [ "$(awk '{print $3}' /proc/"$pid"/stat 2>/dev/null)" != Z ]; then
		kill -KILL "$pid" 2>/dev/null || true
		rc=1
	fi
	wait "$pid" 2>/dev/null || true
	return $rc
}

# ---- podman

# podman_setup DIR NAME RUNTIME [ULIMITS]: containers.conf, storage.conf and registries.conf in
# DIR; exports CONTAINERS_CONF, CONTAINERS_STORAGE_CONF, CONTAINERS_REGISTRIES_CONF. RUNTIME is
# the runtime's path, NAME its name in containers.conf (letters, digits, - and _). ULIMITS: "default" leaves
# podman's defaults (nofile and nproc 1048576 for root, above this machine's hard limits);
# otherwise nofile is set to the current hard limit (podman raises its own soft limit to it) and
# nproc to 4096 (podman lowers its own nproc limit to 32768 here, below the shell's).
podman_setup() {
	local dir=$1 name=$2 rt=$3 ulimits=${4:-hard}
	mkdir -p "$dir/graph" "$dir/run" "$dir/tmp" "$dir/net"
	local ul=""
	if [ "$ulimits" != default ]; then
		ul="default_ulimits = [\"nofile=$(ulimit -Hn):$(ulimit -Hn)\", \"nproc=4096:4096\"]"
	fi
	cat >"$dir/containers.conf" <<EOF
[containers]
netns = "none"
$ul

[network]
network_config_dir = "$dir/net"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$dir/tmp/events.log"
tmp_dir = "$dir/tmp"
static_dir = "$dir/graph/libpod"
volume_path = "$dir/graph/volumes"
lock_type = "file"
runtime = "$name"
runtime_supports_json = ["crun", "runc", "$name"]

[engine.runtimes]
$name = ["$rt"]
EOF
	cat >"$dir/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$dir/graph"
runroot = "$dir/run"
EOF
	echo 'unqualified-search-registries = []' >"$dir/registries.conf"
	export CONTAINERS_CONF=$dir/containers.conf
	export CONTAINERS_STORAGE_CONF=$dir/storage.conf
	export CONTAINERS_REGISTRIES_CONF=$dir/registries.conf
	PODMAN_CGROUP=$(clients_cgroup_name "$dir")
}

# podman_import: imports the busybox layer as $CLIENTS_IMAGE (CMD sh).
podman_import() {
	podman import -q --change CMD=sh --change \
		"ENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
		"$CLIENTS_LAYER" "$CLIENTS_IMAGE" >/dev/null
}

# podman_cleanup DIR: removes every container (podman rm -af), unmounts what is left under DIR,
# and the cgroup parent.
podman_cleanup() {
	podman rm -af -t 0 >/dev/null 2>&1 || true
	clients_umount_under "$1"
	clients_cgroup_cleanup "$PODMAN_CGROUP"
}

# ---- containerd

# containerd_start DIR: a containerd with its root, state and sockets in DIR and the CRI plugin
# disabled; sets CTD_PID and CTD_SOCK, exports CONTAINERD_ADDRESS and CONTAINERD_NAMESPACE (a
# namespace named after DIR, which is also the cgroup parent of its containers: CTD_CGROUP).
containerd_start() {
	local dir=$1 i
	mkdir -p "$dir/opt"
	cat >"$dir/containerd.toml" <<EOF
version = 2
root = "$dir/root"
state = "$dir/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.aufs", "io.containerd.tracing.processor.v1.otlp",
  "io.containerd.internal.v1.tracing"]

[grpc]
  address = "$dir/containerd.sock"
[ttrpc]
  address = "$dir/containerd.sock.ttrpc"
[debug]
  address = "$dir/containerd-debug.sock"
  level = "info"
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$dir/opt"
EOF
	containerd --config "$dir/containerd.toml" >"$dir/containerd.log" 2>&1 </dev/null &
	CTD_PID=$!
	CTD_SOCK=$dir/containerd.sock
	for ((i = 0; i < 200; i++)); do
		[ -S "$CTD_SOCK" ] && ctr -a "$CTD_SOCK" version >/dev/null 2>&1 && break
		kill -0 "$CTD_PID" 2>/dev/null || break
		sleep 0.05
	done
	if ! ctr -a "$CTD_SOCK" version >/dev/null 2>&1; then
		echo "containerd did not start:" >&2
		tail -n 20 "$dir/containerd.log" >&2
		return 1
	fi
	export CONTAINERD_ADDRESS=$CTD_SOCK
	CTD_CGROUP=$(clients_cgroup_name "$dir")
	export CONTAINERD_NAMESPACE=$CTD_CGROUP
}

# containerd_cleanup DIR: deletes every task and container of our namespace, stops containerd,
# unmounts what is left under DIR and removes the cgroup parent.
containerd_cleanup() {
	local dir=$1 c
	if [ -n "${CTD_PID:-}" ] && kill -0 "$CTD_PID" 2>/dev/null; then
		for c in $(ctr task ls -q 2>/dev/null); do
			ctr task kill -s KILL "$c" >/dev/null 2>&1 || true
		done
		for c in $(ctr container ls -q 2>/dev/null); do
			ctr task delete -f "$c" >/dev/null 2>&1 || true
			ctr container delete "$c" >/dev/null 2>&1 || true
		done
		clients_stop_pid "$CTD_PID"
	fi
	clients_umount_under "$dir"
	clients_cgroup_cleanup "${CTD_CGROUP:-}"
}

# ---- dockerd

# dockerd_start DIR RUNTIME: a dockerd (which starts its own containerd) with data-root,
# exec-root, pidfile and socket in DIR, no bridge, no iptables, and RUNTIME registered as the
# runtime "berth". Sets DKD_PID, exports DOCKER_HOST and DOCKER_CONFIG.
dockerd_start() {
	local dir=$1 rt=$2 i
	DKD_CGROUP=$(clients_cgroup_name "$dir")
	mkdir -p "$dir/cli"
	cat >"$dir/daemon.json" <<EOF
{
  "data-root": "$dir/data",
  "exec-root": "$dir/exec",
  "pidfile": "$dir/docker.pid",
  "hosts": ["unix://$dir/docker.sock"],
  "iptables": false,
  "ip6tables": false,
  "ip-masq": false,
  "ip-forward": false,
  "bridge": "none",
  "userland-proxy": false,
  "storage-driver": "overlay2",
  "cgroup-parent": "/$DKD_CGROUP",
  "deprecated-key-path": "$dir/key.json",
  "features": {"buildkit": false},
  "runtimes": {"berth": {"path": "$rt"}}
}
EOF
	env -u DOCKER_HOST dockerd --config-file "$dir/daemon.json" >"$dir/dockerd.log" 2>&1 </dev/null &
	DKD_PID=$!
	export DOCKER_HOST=unix://$dir/docker.sock DOCKER_CONFIG=$dir/cli
	for ((i = 0; i < 600; i++)); do
		[ -S "$dir/docker.sock" ] && "$DOCKER_CLI" version >/dev/null 2>&1 && return 0
		kill -0 "$DKD_PID" 2>/dev/null || break
		sleep 0.05
	done
	echo "dockerd did not start:" >&2
	tail -n 20 "$dir/dockerd.log" >&2
	return 1
}

# dockerd_cleanup DIR: removes every container, stops dockerd (which stops its containerd) and
# checks that its containerd is gone too; unmounts what is left and removes the cgroup parent.
dockerd_cleanup() {
	local dir=$1 cpid=""
	if [ -n "${DKD_PID:-}" ] && kill -0 "$DKD_PID" 2>/dev/null; then
		# shellcheck disable=SC2046
		"$DOCKER_CLI" rm -f $("$DOCKER_CLI" ps -aq 2>/dev/null) >/dev/null 2>&1 || true
		cpid=$(cat "$dir/exec/containerd/containerd.pid" 2>/dev/null || true)
		clients_stop_pid "$DKD_PID" 30
	fi
	if [ -n "$cpid" ] && kill -0 "$cpid" 2>/dev/null; then
		echo "dockerd's containerd ($cpid) still running: stopping it" >&2
		clients_stop_pid "$cpid"
	fi
	clients_umount_under "$dir"
	clients_cgroup_cleanup "${DKD_CGROUP:-}"
}
