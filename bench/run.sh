#!/bin/bash
# Container start-to-exit latency: berth-runtime vs crun vs runc on one OCI bundle (busybox
# rootfs, `runc spec` config with args ["true"]), and `berth run --rm busybox true` vs
# `berth-runtime run`, and `berth run --rm` with vs without resource limits. Never part of the
# tests.
#
#   make bench          or    bash bench/run.sh
# Environment: BENCH_RUNS (default 30), BENCH_WARMUP (default 3), BERTH, BERTH_RUNTIME, LAYER.
#
# Debian's crun 1.8.1 refuses this machine's hybrid cgroup layout (a cgroup2 mount at
# /sys/fs/cgroup/unified next to the v1 controllers), so crun runs as
#     unshare -m sh -c 'umount /sys/fs/cgroup/unified; exec crun ...'
# i.e. in a private mount namespace (the host's mounts are never touched), and to be fair every
# runtime is measured inside the same wrapper.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
BERTH=${BERTH:-$repo/bin/berth}
BERTH_RUNTIME=${BERTH_RUNTIME:-$repo/bin/berth-runtime}
LAYER=${LAYER:-$repo/build/share/busybox-layer.tar}
RUNS=${BENCH_RUNS:-30}
LIMITS="-m 64m --cpus 1 --pids-limit 100"
WARMUP=${BENCH_WARMUP:-3}
PYTHON=$(command -v /usr/bin/python3 || command -v python3)

if [ "$(id -u)" != 0 ]; then
	echo "bench/run.sh: needs root" >&2
	exit 1
fi
command -v hyperfine >/dev/null || { echo "bench/run.sh: hyperfine not installed" >&2; exit 1; }

tmp=$(mktemp -d /tmp/berth-bench.XXXXXX)
bundle=$tmp/bundle

cleanup() {
	set +e
	local rt ids
	for rt in crun runc; do
		if command -v "$rt" >/dev/null && [ -d "$tmp/state-$rt" ]; then
			ids=$("$rt" --root "$tmp/state-$rt" list -q 2>/dev/null)
			for id in $ids; do "$rt" --root "$tmp/state-$rt" delete -f "$id" >/dev/null 2>&1; done
		fi
	done
	# cgroups named after our ids (runc/crun make /<id> in every v1 hierarchy when the spec has
	# no cgroupsPath); they are removed on delete, so this only catches a crash.
	find /sys/fs/cgroup -depth -type d -name 'bench-*' -exec rmdir {} + 2>/dev/null
	# the container that held the default bridge up (its removal takes the bridge down)
	[ -d "$tmp/berth-root" ] && BERTH_ROOT=$tmp/berth-root "$BERTH" rm -f bench-holder >/dev/null 2>&1
	if grep -qF "$tmp" /proc/self/mountinfo; then
		echo "bench/run.sh: warning: mounts left under $tmp" >&2
	fi
	rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the bundle
bench_rootfs "$bundle"
runc spec --bundle "$bundle"
"$PYTHON" - "$bundle/config.json" <<'EOF'
import json, sys
p = sys.argv[1]
c = json.load(open(p))
c["process"]["args"] = ["true"]
c["process"]["terminal"] = False
json.dump(c, open(p, "w"), indent=2)
EOF

# The wrapper: private mount namespace, cgroup2 unmounted in it (for crun), then exec the runtime.
# "$$" of the inner sh is the container id: unique per run.
wrap() {
	printf "unshare -m sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec %s'" "$1"
}

declare -A cmd median
names=()
add() {
	names+=("$1")
	cmd[$1]=$2
}
if [ -x "$BERTH_RUNTIME" ]; then
	mkdir -p "$tmp/state-berth-runtime"
	add berth-runtime "$(wrap "$BERTH_RUNTIME --root $tmp/state-berth-runtime run --bundle $bundle bench-\$\$")"
fi
if command -v crun >/dev/null; then
	mkdir -p "$tmp/state-crun"
	add crun "$(wrap "crun --root $tmp/state-crun run --bundle $bundle bench-\$\$")"
fi
if command -v runc >/dev/null; then
	mkdir -p "$tmp/state-runc"
	add runc "$(wrap "runc --root $tmp/state-runc run --bundle $bundle bench-\$\$")"
fi
if [ -x "$BERTH" ]; then
	# The default store keeps its default bridge up between runs (docs/network.md); a temporary
	# store tears it down with its last container. A detached container holds this store's
	# bridge up, so `berth run --rm` is measured as it runs in the default store. The cold case
	# (bridge created and deleted by every run) and --network none are measured beside it.
	mkdir -p "$tmp/berth-root" "$tmp/berth-cold" "$tmp/berth-none"
	BERTH_ROOT=$tmp/berth-root "$BERTH" run -d --name bench-holder busybox sleep 3600 >/dev/null
	add "berth run --rm" "$(wrap "env BERTH_ROOT=$tmp/berth-root $BERTH run --rm busybox true")"
	add "berth run --rm --network none" "$(wrap "env BERTH_ROOT=$tmp/berth-none $BERTH run --rm --network none busybox true")"
	add "berth run --rm, bridge cold" "$(wrap "env BERTH_ROOT=$tmp/berth-cold $BERTH run --rm busybox true")"
fi

# ---- measure: a trial run first (a failing runtime gets n/a, not a broken table)
for n in "${names[@]}"; do
	echo "== $n: ${cmd[$n]}" >&2
	if ! out=$(sh -c "${cmd[$n]}" 2>&1); then
		echo "   trial run failed, skipped: $out" >&2
		continue
	fi
	json="$tmp/$(echo "$n" | tr -c 'a-z0-9\n' '_').json"
	if hyperfine -N --runs "$RUNS" --warmup "$WARMUP" --export-json "$json" -n "$n" "${cmd[$n]}" >&2; then
		median[$n]=$("$PYTHON" -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$json")
	else
		echo "   hyperfine failed, skipped" >&2
	fi
done

ms() { echo "${median[$1]:-n/a}"; }
ratio() { # ratio A B: A/B, or n/a
	if [ -n "${median[$1]:-}" ] && [ -n "${median[$2]:-}" ]; then
		awk -v a="${median[$1]}" -v b="${median[$2]}" 'BEGIN { printf "%.2f", a / b }'
	else
		echo n/a
	fi
}

echo
echo "Start-to-exit of \`true\` in a busybox bundle; median of $RUNS runs (hyperfine, $WARMUP warm-up),"
echo "every runtime inside \`unshare -m\` with /sys/fs/cgroup/unified unmounted in that namespace"
echo "(Debian's crun 1.8.1 needs it on this hybrid-cgroup host). $(nproc) CPUs, $(uname -r)."
echo
echo "| runtime | median ms | ratio vs crun |"
echo "|---|---:|---:|"
for n in berth-runtime crun runc; do
	echo "| $n | $(ms "$n") | $(ratio "$n" crun) |"
done
echo
echo "| engine vs runtime | median ms | ratio vs berth-runtime run |"
echo "|---|---:|---:|"
echo "| berth-runtime run --bundle | $(ms berth-runtime) | $(ratio berth-runtime berth-runtime) |"
echo "| berth run --rm busybox true (default bridge up, as in the default store) | $(ms "berth run --rm") | $(ratio "berth run --rm" berth-runtime) |"
echo "| berth run --rm --network none busybox true | $(ms "berth run --rm --network none") | $(ratio "berth run --rm --network none" berth-runtime) |"
echo "| berth run --rm busybox true, bridge created and deleted by the run | $(ms "berth run --rm, bridge cold") | $(ratio "berth run --rm, bridge cold" berth-runtime) |"
# ---- what resource limits add to `berth run --rm`: the container's cgroups are created and
# removed either way; limits add the writes of their files. The two commands alternate, run by
# run, so a change in the machine's load hits both alike; no wrapper (berth needs none).
# --network none: a temporary store creates and deletes its bridge on every run (+55-115 ms of
# the kernel's, varying by tens of ms), which would drown the few writes measured here.
if [ -x "$BERTH" ]; then
	mkdir -p "$tmp/limits-root"
	echo "== berth run --rm with vs without $LIMITS: $RUNS runs each, alternating" >&2
	"$PYTHON" - "$BERTH" "$tmp/limits-root" "$RUNS" "$WARMUP" "$LIMITS" <<'EOF' || echo "   failed, skipped" >&2
import os, statistics, subprocess, sys, time
berth, root, runs, warmup = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
limits = sys.argv[5].split()
env = dict(os.environ, BERTH_ROOT=root)
cmds = {"no": [berth, "run", "--rm", "--network", "none", "busybox", "true"],
        "yes": [berth, "run", "--rm", "--network", "none", *limits, "busybox", "true"]}
times = {"no": [], "yes": []}
for i in range(warmup + runs):
    for k in (("no", "yes") if i % 2 == 0 else ("yes", "no")):
        t = time.perf_counter()
        subprocess.run(cmds[k], env=env, check=True, stdin=subprocess.DEVNULL)
        if i >= warmup:
            times[k].append((time.perf_counter() - t) * 1000)
no, yes = statistics.median(times["no"]), statistics.median(times["yes"])
print()
print(f"| berth run --rm: {runs} runs each, alternating (target: limits add < 2 ms) | median ms |")
print("|---|---:|")
print(f"| berth run --rm --network none busybox true | {no:.2f} |")
print(f"| berth run --rm --network none {' '.join(limits)} busybox true | {yes:.2f} |")
print(f"| added by the limits | {yes - no:+.2f} |")
EOF
fi
