#!/bin/bash
# Start-to-exit latency of a container under real clients, with berth-runtime vs runc vs crun as
# the OCI runtime:
#   podman run --rm IMAGE true          (podman 4.3 + conmon; `--runtime NAME`)
#   ctr run --rm IMAGE ID true          (containerd 1.6 + containerd-shim-runc-v2; --runc-binary)
# Median (and min) of BENCH_RUNS runs each (default 15, after BENCH_WARMUP=2), the runtimes taking
# turns run by run; prints a markdown table with each runtime's ratio to berth-runtime.
# Never part of the tests.
#
#   bash bench/clients.sh          (root; needs podman, conmon, containerd, runc, crun, python3)
# Environment: BENCH_RUNS, BENCH_WARMUP, BERTH_RUNTIME, BERTH_DATADIR.
#
# Everything runs in a private mount namespace (tests/clients/clients.sh: /run a tmpfs, /var/lib
# an overlay) on daemons and state of its own under a temp dir, stopped and removed at the end.
# Debian's crun 1.8.1 refuses this machine's hybrid cgroup layout (a cgroup2 mount at
# /sys/fs/cgroup/unified next to the v1 controllers), so inside that namespace
# /sys/fs/cgroup/unified is unmounted, for all three runtimes alike (the host keeps it).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
export BERTH_RUNTIME=${BERTH_RUNTIME:-$repo/bin/berth-runtime}
export BERTH_DATADIR=${BERTH_DATADIR:-$repo/build/share}
RUNS=${BENCH_RUNS:-15}
WARMUP=${BENCH_WARMUP:-2}
PYTHON=$(command -v /usr/bin/python3 || command -v python3)
# shellcheck source=../tests/clients/clients.sh
source "$repo/tests/clients/clients.sh"

# ---- outside: make the temp dir, run the rest in the namespace, clean up
if [ -z "${BENCH_NS_DIR:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "bench/clients.sh: needs root" >&2; exit 1; }
	clients_need podman conmon containerd ctr unshare runc crun
	tmp=$(mktemp -d /tmp/berth-bench-clients.XXXXXX)
	rc=0
	BENCH_NS_DIR=$tmp clients_in_ns "$tmp/ns" bash "$0" "$@" || rc=$?
	# The namespace is gone with its mounts; cgroup parents are not namespaced. crun's cgroup2
	# leaves (in /sys/fs/cgroup/unified) can stay busy until its exited inits are reaped by an
	# ancestor subreaper, which may be after this script exits: only a warning then.
	CLIENTS_CGROUP_WAIT=3 clients_cgroup_cleanup "$(clients_cgroup_name "$tmp/pm")" ||
		echo "bench/clients.sh: warning: cgroups above still busy" >&2
	CLIENTS_CGROUP_WAIT=3 clients_cgroup_cleanup "$(clients_cgroup_name "$tmp/ctd")" ||
		echo "bench/clients.sh: warning: cgroups above still busy" >&2
	rm -rf --one-file-system "$tmp"
	exit $rc
fi

# ---- inside the namespace
tmp=$BENCH_NS_DIR
cd "$tmp"
if grep -q ' /sys/fs/cgroup/unified ' /proc/self/mountinfo; then
	umount /sys/fs/cgroup/unified
fi

cleanup() {
	set +e
	[ -n "${CONTAINERS_CONF:-}" ] && podman_cleanup "$tmp/pm"
	containerd_cleanup "$tmp/ctd"
}
trap cleanup EXIT

declare -A RT_PATH=([berth]=$BERTH_RUNTIME [runc]=$(command -v runc) [crun]=$(command -v crun))
RTS=(berth runc crun)

podman_setup "$tmp/pm" berth "$BERTH_RUNTIME"
podman_import
containerd_start "$tmp/ctd"
clients_archive "$tmp"
ctr image import "$tmp/busybox.tar" >/dev/null

n=0
# one_run CLIENT RT: runs one container, prints the microseconds it took; returns its status.
one_run() {
	local client=$1 rt=$2 t0 t1 rc=0
	n=$((n + 1))
	t0=$(date +%s%N)
	case "$client" in
	podman)
		podman --runtime "$rt" run --rm --cgroup-parent "/$PODMAN_CGROUP" "$CLIENTS_IMAGE" true \
			</dev/null >/dev/null 2>"$tmp/last.err" || rc=$?
		;;
	ctr)
		ctr run --rm --runc-binary "${RT_PATH[$rt]}" --runc-root "$tmp/ctd/runc-root-$rt" \
			"$CLIENTS_IMAGE" "bench-$rt-$$-$n" true </dev/null >/dev/null 2>"$tmp/last.err" || rc=$?
		;;
	esac
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000))
	return $rc
}

: >"$tmp/results"
for client in podman ctr; do
	ok=()
	for rt in "${RTS[@]}"; do
		if one_run "$client" "$rt" >/dev/null; then
			ok+=("$rt")
		else
			echo "bench/clients.sh: $client with $rt fails: $(head -c 300 "$tmp/last.err")" >&2
			echo "$client $rt FAILED" >>"$tmp/results"
		fi
	done
	for ((i = 0; i < WARMUP + RUNS; i++)); do
		for rt in "${ok[@]}"; do
			us=$(one_run "$client" "$rt") || {
				echo "bench/clients.sh: $client with $rt failed on run $i: $(head -c 300 "$tmp/last.err")" >&2
				exit 1
			}
			[ "$i" -ge "$WARMUP" ] && echo "$client $rt $us" >>"$tmp/results"
		done
	done
done

"$PYTHON" - "$tmp/results" "$RUNS" <<'EOF'
import statistics, sys
runs = {}
failed = set()
for line in open(sys.argv[1]):
    client, rt, v = line.split()
    if v == "FAILED":
        failed.add((client, rt))
    else:
        runs.setdefault((client, rt), []).append(int(v) / 1000.0)
print(f"Median of {sys.argv[2]} runs each (ms, wall clock of the client command; min in brackets);")
print("ratio = median / berth-runtime's median (above 1: slower than berth).\n")
print("| client command | berth-runtime | runc | crun | runc / berth | crun / berth |")
print("|---|---|---|---|---|---|")
names = {"podman": "`podman run --rm IMAGE true`", "ctr": "`ctr run --rm IMAGE ID true`"}
for client in ("podman", "ctr"):
    med = {}
    cells = []
    for rt in ("berth", "runc", "crun"):
        if (client, rt) in failed or (client, rt) not in runs:
            cells.append("failed")
            continue
        v = runs[(client, rt)]
        med[rt] = statistics.median(v)
        cells.append(f"{med[rt]:.0f} ({min(v):.0f})")
    ratios = []
    for rt in ("runc", "crun"):
        ratios.append(f"{med[rt] / med['berth']:.2f}" if rt in med and "berth" in med else "-")
    print(f"| {names[client]} | " + " | ".join(cells + ratios) + " |")
EOF
