#!/bin/bash
# What a network costs on the start path: `berth run --rm busybox true` with --network none vs
# the default bridge network, in two cases:
#   cold  the run is the network's only container: its bridge, address and nftables table are
#         made before the command and removed after it (the kernel's netdev unregister, an RCU
#         grace period, is most of that)
#   warm  another container keeps the bridge up: the run only adds a veth pair, an address, a
#         route and /etc/hosts lines
# and warm with a published port (-p 80: a bound socket and two nft map elements).
# Never part of the tests.   bash bench/network.sh    (BENCH_RUNS, default 30)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
BERTH=${BERTH:-$repo/bin/berth}
export BERTH_DATADIR=${BERTH_DATADIR:-$repo/build/share}
RUNS=${BENCH_RUNS:-30}
[ "$(id -u)" = 0 ] || { echo "bench/network.sh: needs root" >&2; exit 1; }

export BERTH_ROOT
BERTH_ROOT=$(mktemp -d /tmp/berth-bench-net.XXXXXX)
keeper=""
cleanup() {
	set +e
	[ -n "$keeper" ] && "$BERTH" rm -f "$keeper" >/dev/null 2>&1
	rm -rf --one-file-system "$BERTH_ROOT"
}
trap cleanup EXIT

# mean_ms CMD...: the mean wall time of RUNS runs of CMD, in milliseconds (after 3 warm-ups).
mean_ms() {
	local i
	for i in 1 2 3; do "$@" >/dev/null; done
	local start end
	start=$(date +%s%N)
	for ((i = 0; i < RUNS; i++)); do "$@" >/dev/null; done
	end=$(date +%s%N)
	awk -v n=$(((end - start) / 1000)) -v r="$RUNS" 'BEGIN { printf "%.1f", n / r / 1000 }'
}

if command -v hyperfine >/dev/null && [ "${BENCH_HYPERFINE:-1}" = 1 ]; then
	hyperfine -N --warmup 3 --runs "$RUNS" \
		"$BERTH run --rm --network none busybox true" \
		"$BERTH run --rm busybox true"
fi
none=$(mean_ms "$BERTH" run --rm --network none busybox true)
cold=$(mean_ms "$BERTH" run --rm busybox true)
keeper=$("$BERTH" run -d busybox sleep 100000)
none2=$(mean_ms "$BERTH" run --rm --network none busybox true)
warm=$(mean_ms "$BERTH" run --rm busybox true)
port=$(mean_ms "$BERTH" run --rm -p 80 busybox true)
printf '%-44s %8s ms\n' "run --rm --network none busybox true" "$none" \
	"run --rm busybox true (bridge, cold)" "$cold" \
	"run --rm --network none (bridge kept up)" "$none2" \
	"run --rm busybox true (bridge, warm)" "$warm" \
	"run --rm -p 80 busybox true (bridge, warm)" "$port"
awk -v a="$none" -v b="$cold" -v c="$none2" -v d="$warm" -v p="$port" 'BEGIN {
	printf "added by the bridge network: cold %+.1f ms, warm %+.1f ms, warm with -p %+.1f ms (target < 15)\n", b - a, d - c, p - c }'
