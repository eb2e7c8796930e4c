#!/bin/bash
# What it costs to keep the container's processes non-dumpable from birth (issue 22, point 7;
# docs/security.md), measured in one run:
#   1. the two ways apart (bench/sealed_copy.c): berth's prctl pair around the clone, against a
#      sealed memfd copy of the binary that the child would execve first (runc's and crun's way)
#   2. with BEFORE (the bin/ directory of a build without the change): `berth run --rm
#      --network none busybox true` and `berth exec C true`, before against after, in PAIRS
#      alternating pairs (on a shared machine whose load moves, a sequential measurement such
#      as hyperfine's compares two different machines)
# Prints markdown on stdout. Never part of the tests.
#
#   bash bench/dumpable.sh [BEFORE]        (root)
# Environment: BERTH (default bin/berth), BENCH_RUNS (100: of bench/sealed_copy.c),
# BENCH_PAIRS (200), BENCH_WARMUP (3).
# Every berth call uses a temporary store under /tmp, every container --network none; the
# containers are removed at the end.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
BERTH=${BERTH:-$repo/bin/berth}
BEFORE=${1:-}
RUNS=${BENCH_RUNS:-100}
PAIRS=${BENCH_PAIRS:-200}
WARMUP=${BENCH_WARMUP:-3}
PYTHON=$(command -v /usr/bin/python3 || command -v python3)

tmp=$(mktemp -d /tmp/berth-bench-dumpable.XXXXXX)
export BERTH_ROOT=$tmp/root
cleanup() {
	"$BERTH" rm -f bench-dumpable >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

bin=$repo/build/bench/sealed_copy
mkdir -p "$(dirname "$bin")"
cc -O2 -Wall -Wextra -o "$bin" "$here/sealed_copy.c"
echo "## The two ways, apart (median of $RUNS, ms)"
echo
echo "| step | ms |"
echo "|---|---:|"
"$bin" "$BERTH" $RUNS
"$bin" "$(dirname "$BERTH")/berth-runtime" $RUNS | grep -v prctl
[ -n "$BEFORE" ] || exit 0

"$BERTH" run -d --network none --name bench-dumpable busybox sleep 3600 >/dev/null

# pairs NAME BEFORE_CMD AFTER_CMD: PAIRS runs of each, alternating (before-after, then
# after-before), after WARMUP of each; prints "| NAME | before ms | after ms | ratio |" with the
# medians and the median of the pairs' ratios (a change of the machine's load hits both halves
# of a pair alike, where it would hit one command of a sequential measurement).
pairs() {
	"$PYTHON" - "$PAIRS" "$WARMUP" "$@" <<'EOF'
import shlex, statistics, subprocess, sys, time
pairs, warmup, name, before, after = int(sys.argv[1]), int(sys.argv[2]), *sys.argv[3:]
def once(cmd):
    t = time.perf_counter()
    subprocess.run(shlex.split(cmd), check=True, stdout=subprocess.DEVNULL)
    return (time.perf_counter() - t) * 1000
for _ in range(warmup):
    once(before), once(after)
b, a = [], []
for i in range(pairs):
    if i % 2:
        a.append(once(after)); b.append(once(before))
    else:
        b.append(once(before)); a.append(once(after))
ratios = sorted(x / y for x, y in zip(a, b))
q = lambda v, f: v[int(f * (len(v) - 1))]
print(f"| {name} | {statistics.median(b):.2f} | {statistics.median(a):.2f} | "
      f"{statistics.median(ratios):.3f} ({q(ratios, 0.25):.3f}-{q(ratios, 0.75):.3f}) |")
EOF
}

echo
echo "## Before and after ($PAIRS alternating pairs; medians, ms)"
echo
echo "| command | before | after | ratio after/before, median (quartiles) of pairs |"
echo "|---|---:|---:|---:|"
pairs "berth run --rm --network none busybox true" \
	"$BEFORE/berth run --rm --network none busybox true" \
	"$BERTH run --rm --network none busybox true"
pairs "berth exec C true" "$BEFORE/berth exec bench-dumpable true" "$BERTH exec bench-dumpable true"
echo
echo "$(nproc) CPUs, $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end."
