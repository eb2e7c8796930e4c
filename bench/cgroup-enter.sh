#!/bin/bash
# How long a new process takes to be in its cgroup on cgroup v2: fork() + a cgroup.procs write
# against clone3(CLONE_INTO_CGROUP), which berth uses on v2 for a container's init and for exec
# (src/core/clone.c). Median of BENCH_RUNS (default 50) per idle gap. Never part of the tests.
#
#   bash bench/cgroup-enter.sh
# Needs root and a cgroup2 mount (/sys/fs/cgroup on a v2 host, /sys/fs/cgroup/unified on a hybrid
# one). The scratch cgroup is made under the caller's own v2 cgroup and removed at the end.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
RUNS=${BENCH_RUNS:-50}

v2=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
[ -n "$v2" ] || { echo "bench/cgroup-enter.sh: no cgroup2 mount" >&2; exit 1; }
own=$(sed -n 's/^0:://p' /proc/self/cgroup)
dir=$v2${own%/}/berth-bench-enter.$$
bin=$repo/build/bench/cgroup_enter
mkdir -p "$(dirname "$bin")"
cc -O2 -Wall -o "$bin" "$here/cgroup_enter.c"
mkdir "$dir"
trap 'rmdir "$dir"' EXIT

echo "fork + write vs clone3 into the cgroup ($dir), median of $RUNS, ms:"
echo
echo "| idle before each | fork + write | clone3 | ratio |"
echo "|---:|---:|---:|---:|"
for gap in 50 0; do
	"$bin" "$dir" "$RUNS" "$gap"
done
