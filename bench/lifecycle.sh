#!/bin/bash
# Lifecycle costs of detached containers (issue 4), measured in one run:
#   1. `berth run -d busybox sleep 1000` until the CLI returns (it returns once the command runs)
#   2. `berth exec CID true` into a running container, beside `runc exec` and `crun exec` into a
#      running container of the same busybox rootfs (ratios runc/berth, crun/berth)
#   3. the memory of berth's per-container monitor (BENCH_MONITORS detached containers: VmRSS,
#      PSS, private), beside podman's conmon for one container
# Prints markdown tables on stdout (hyperfine's progress goes to stderr). Never part of the tests.
#
#   make bench          or    bash bench/lifecycle.sh          (root; needs hyperfine)
# Environment: BERTH (default bin/berth), BENCH_RUNS (30), BENCH_WARMUP (3), BENCH_MONITORS (50),
# LAYER (the busybox layer tar).
#
# Every berth call uses a temporary store (BERTH_ROOT=$tmp/root, exported once so hyperfine's
# commands get it too), and every berth container runs with --network none: no bridge, veth or
# nftables rule, and ip_forward is never touched (a bridge network would set it to 1). runc and
# crun keep their state under $tmp too; podman runs in a private mount namespace
# (tests/clients/clients.sh) so nothing it writes to /run or /var/lib reaches the host. At the end
# every container is removed and the script checks that no mount, process or cgroup of its own
# is left.
#
# Debian's crun 1.8.1 refuses this machine's hybrid cgroup layout (a cgroup2 mount at
# /sys/fs/cgroup/unified next to the v1 controllers), so crun's container is created inside
#     unshare -m sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec crun ...'
# (a private mount namespace; the host's mounts are never touched). `crun exec` is measured
# without that wrapper when an exec'd process lands in the container's cgroups anyway (checked
# below): the wrapper alone costs more than an exec (it is measured and printed too), so a
# wrapped number would say more about unshare than about crun.
# shellcheck source-path=SCRIPTDIR/..
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
BERTH=${BERTH:-$repo/bin/berth}
LAYER=${LAYER:-$repo/build/share/busybox-layer.tar}
RUNS=${BENCH_RUNS:-30}
WARMUP=${BENCH_WARMUP:-3}
MONITORS=${BENCH_MONITORS:-50}
PYTHON=$(command -v /usr/bin/python3 || command -v python3)
CLIENTS_SH=$repo/tests/clients/clients.sh

# memkb PID: "VmRSS Pss Private" of a process in kB (Private = Private_Clean + Private_Dirty).
memkb() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" | tr '\n' ' '
	awk '/^Pss:/ { pss = $2 } /^Private_(Clean|Dirty):/ { priv += $2 }
	     END { print pss, priv }' "/proc/$1/smaps_rollup"
}

# ---- podman's conmon: this script re-entered inside the private mount namespace (see "podman's
# conmon" below): starts one detached container, prints "conmon RSS PSS PRIVATE" and removes
# it again.
if [ -n "${LC_PODMAN_DIR:-}" ]; then
	tmp=$LC_PODMAN_DIR
	# shellcheck source=tests/clients/clients.sh
	source "$CLIENTS_SH"
	# podman's image copy puts temporary files in /var/tmp unless told otherwise
	export TMPDIR=$tmp/pm/tmp
	podman_setup "$tmp/pm" runc "$(command -v runc)"
	trap 'podman_cleanup "$tmp/pm"' EXIT
	podman_import
	cid=$(podman run -d --cgroup-parent "/$PODMAN_CGROUP" "$CLIENTS_IMAGE" sleep 1000 </dev/null)
	cpid=$(podman inspect -f '{{.State.ConmonPid}}' "$cid")
	[ "$(cat "/proc/$cpid/comm")" = conmon ] || { echo "pid $cpid is not conmon" >&2; exit 1; }
	echo "$cpid" >"$tmp/conmon.pid"
	sleep 0.5 # conmon's startup work done, as for berth's monitors below
	echo "conmon $(memkb "$cpid")"
	podman rm -f -t 0 "$cid" >/dev/null
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "bench/lifecycle.sh: needs root" >&2
	exit 1
fi
command -v hyperfine >/dev/null || { echo "bench/lifecycle.sh: hyperfine not installed" >&2; exit 1; }
[ -x "$BERTH" ] || { echo "bench/lifecycle.sh: $BERTH not built (make)" >&2; exit 1; }

tmp=$(mktemp -d /tmp/berth-bench-lc.XXXXXX)
sfx=${tmp##*.}              # unique per run: names the runc/crun containers (and so their cgroups)
RUNC_ID=lc-runc-$sfx
CRUN_ID=lc-crun-$sfx
export BERTH_ROOT=$tmp/root # every berth call below, hyperfine's included, uses this store
forward_before=$(cat /proc/sys/net/ipv4/ip_forward)

# crun, as this host needs it (see the top)
wrap_crun() {
	unshare -m sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec crun "$@"' crun "$@"
}

# Every container this script made, by full id, is recorded in $tmp/ids (rm_all does it), so the
# final check can look for cgroups named after them.
rm_all() {
	local ids
	ids=$("$BERTH" ps -aq --no-trunc) || return 1
	[ -n "$ids" ] || return 0
	echo "$ids" >>"$tmp/ids"
	# shellcheck disable=SC2086 # one word per id
	"$BERTH" rm -f $ids >/dev/null
}

cleanup() {
	set +e
	trap - EXIT
	[ -d "$BERTH_ROOT" ] && rm_all
	command -v runc >/dev/null && [ -d "$tmp/state-runc" ] &&
		runc --root "$tmp/state-runc" delete -f "$RUNC_ID" >/dev/null 2>&1
	command -v crun >/dev/null && [ -d "$tmp/state-crun" ] &&
		wrap_crun --root "$tmp/state-crun" delete -f "$CRUN_ID" >/dev/null 2>&1
	if [ -f "$tmp/pm/containers.conf" ] && [ -f "$CLIENTS_SH" ]; then
		# podman's cgroup parent (not namespaced); removed in the namespace's cleanup normally
		# shellcheck source=tests/clients/clients.sh
		(source "$CLIENTS_SH"; CLIENTS_CGROUP_WAIT=3 clients_cgroup_cleanup "$(clients_cgroup_name "$tmp/pm")")
	fi
	# ---- check that nothing of this run is left
	local left=""
	grep -qF "$tmp" /proc/self/mountinfo && left+=" mounts under $tmp;"
	# processes: berth's monitors inherit BERTH_ROOT=$tmp/root; conmon and runtimes name $tmp
	# on their command line; container inits are found through their cgroups below
	local procs
	procs=$("$PYTHON" - "$tmp" <<'EOF'
import os, sys
tmp, me = sys.argv[1].encode(), os.getpid()
for p in os.listdir("/proc"):
    if not p.isdigit() or int(p) == me:
        continue
    try:
        env = open(f"/proc/{p}/environ", "rb").read().split(b"\0")
        cmd = open(f"/proc/{p}/cmdline", "rb").read()
    except OSError:
        continue
    if b"BERTH_ROOT=" + tmp + b"/root" in env or tmp in cmd:
        print(p, cmd.replace(b"\0", b" ").decode(errors="replace").strip())
EOF
	)
	[ -n "$procs" ] && left+=" processes: $procs;"
	# cgroups: berth names a container's cgroup after its full id, runc/crun after its id
	local cg
	cg=$(find /sys/fs/cgroup -maxdepth 6 -type d \( -name "lc-*-$sfx" -o -name "[0-9a-f]*" \) 2>/dev/null |
		grep -F -f <(grep -v '^$' "$tmp/ids" 2>/dev/null; echo "lc-runc-$sfx"; echo "lc-crun-$sfx"))
	[ -n "$cg" ] && left+=" cgroups: $cg;"
	if [ -n "$left" ]; then
		echo "bench/lifecycle.sh: warning: left behind:$left" >&2
	else
		echo "bench/lifecycle.sh: cleanup checked: no container, mount, process or cgroup of this run left" >&2
	fi
	if [ "$(cat /proc/sys/net/ipv4/ip_forward)" != "$forward_before" ]; then
		echo "bench/lifecycle.sh: note: ip_forward changed during the run ($forward_before ->" \
			"$(cat /proc/sys/net/ipv4/ip_forward)); not by this script: its containers have no network" >&2
	fi
	grep -qF "$tmp" /proc/self/mountinfo || rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

declare -A median mean
# hf NAME CMD...: hyperfine -N of CMD (after one trial run, so a failing command gets n/a, not a
# broken table), with any further hyperfine flags in HF_EXTRA; sets median[NAME] and mean[NAME]
# in ms.
HF_EXTRA=()
hf() {
	local n=$1 json
	shift
	echo "== $n: $*" >&2
	if ! out=$(sh -c "$*" 2>&1 </dev/null); then
		echo "   trial run failed, n/a: $out" >&2
		return 0
	fi
	json=$tmp/$(echo "$n" | tr -c 'a-z0-9\n' '_').json
	if hyperfine -N --runs "$RUNS" --warmup "$WARMUP" "${HF_EXTRA[@]}" --export-json "$json" \
		-n "$n" "$*" >&2; then
		read -r "median[$n]" "mean[$n]" < <("$PYTHON" -c 'import json,sys
r = json.load(open(sys.argv[1]))["results"][0]
print("%.2f %.2f" % (r["median"] * 1000, r["mean"] * 1000))' "$json")
	else
		echo "   hyperfine failed, n/a" >&2
	fi
}
ms() { echo "${median[$1]:-n/a}"; }
mn() { echo "${mean[$1]:-n/a}"; }
ratio() { # ratio A B: median A / median B, or n/a
	if [ -n "${median[$1]:-}" ] && [ -n "${median[$2]:-}" ]; then
		awk -v a="${median[$1]}" -v b="${median[$2]}" 'BEGIN { printf "%.2f", a / b }'
	else
		echo n/a
	fi
}

# ---- the store: the first run imports the image and compiles the seccomp filter into the
# store's cache; done once here so that no measured run (nor the first monitor) pays for it.
mkdir -p "$BERTH_ROOT"
"$BERTH" run --rm --network none busybox true

# ---- 1. run -d until the CLI returns. Before every timed run (and after the last) the
# container(s) of the previous run are removed, outside the timing, so every run starts from
# the same store: an image and no container.
cat >"$tmp/rm-all.sh" <<EOF
set -e
export BERTH_ROOT=$BERTH_ROOT
ids=\$("$BERTH" ps -aq --no-trunc)
[ -z "\$ids" ] && exit 0
echo "\$ids" >>"$tmp/ids"
"$BERTH" rm -f \$ids >/dev/null
EOF
RUN_D="$BERTH run -d --network none busybox sleep 1000"
# Once by hand: when run -d has returned, the container's init must already be the command
# (exec'd sleep), not a berth process still on its way to it.
cid=$($RUN_D)
pid=$("$BERTH" inspect "$cid" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)[0]["State"]["Pid"])')
comm=$(cat "/proc/$pid/comm" 2>/dev/null || echo gone)
started="no (init $pid is $comm)"
[ "$comm" = sleep ] && started=yes
rm_all
HF_EXTRA=(--prepare "bash $tmp/rm-all.sh" --cleanup "bash $tmp/rm-all.sh")
hf run-d "$RUN_D"
HF_EXTRA=()

# ---- 2. exec into a running container: berth's, and runc's and crun's on one bundle of the same
# busybox rootfs (the bundle as bench/run.sh makes it, args sleep 1000)
"$BERTH" run -d --network none --name lc-exec busybox sleep 1000 >/dev/null
hf "berth exec" "$BERTH exec lc-exec true"

bundle=$tmp/bundle
bench_rootfs "$bundle"
declare -A why # a peer's n/a reason
if command -v runc >/dev/null; then
	runc spec --bundle "$bundle"
	"$PYTHON" - "$bundle/config.json" <<'EOF'
import json, sys
p = sys.argv[1]
c = json.load(open(p))
c["process"]["args"] = ["sleep", "1000"]
c["process"]["terminal"] = False
json.dump(c, open(p, "w"), indent=2)
EOF
	# -d with terminal false: the container inherits runc's stdio, so give it files, not ours
	if runc --root "$tmp/state-runc" run -d --bundle "$bundle" "$RUNC_ID" \
		</dev/null >/dev/null 2>"$tmp/runc.err"; then
		hf "runc exec" "runc --root $tmp/state-runc exec $RUNC_ID true"
	else
		why[runc]="runc run -d failed: $(head -c 200 "$tmp/runc.err")"
	fi
	if ! command -v crun >/dev/null; then
		why[crun]="crun not installed"
	# crun's state dir is the same --root for run, exec and delete
	elif wrap_crun --root "$tmp/state-crun" run -d --bundle "$bundle" "$CRUN_ID" \
		</dev/null >/dev/null 2>"$tmp/crun.err"; then
		# Does an exec without the wrapper land in the container's cgroups? (both read inside
		# the container, so the same cgroup view)
		if [ "$(crun --root "$tmp/state-crun" exec "$CRUN_ID" cat /proc/self/cgroup 2>&1)" = \
			"$(crun --root "$tmp/state-crun" exec "$CRUN_ID" cat /proc/1/cgroup 2>&1)" ]; then
			crun_how="without the wrapper (an exec'd process lands in the container's cgroups)"
			hf "crun exec" "crun --root $tmp/state-crun exec $CRUN_ID true"
		else
			crun_how="in the unshare -m wrapper (without it an exec'd process misses the container's cgroups)"
			hf "crun exec" "unshare -m sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec crun --root $tmp/state-crun exec $CRUN_ID true'"
		fi
		hf "crun exec, wrapped" "unshare -m sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec crun --root $tmp/state-crun exec $CRUN_ID true'"
		hf "wrapper alone" "unshare -m sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec true'"
	else
		why[crun]="crun run -d failed: $(head -c 200 "$tmp/crun.err")"
	fi
else
	why[runc]="runc not installed (its \`runc spec\` also makes the bundle)"
	why[crun]="no bundle (runc not installed)"
fi
# the exec targets are done: remove them before the monitors are measured
rm_all
if [ -d "$tmp/state-runc" ]; then runc --root "$tmp/state-runc" delete -f "$RUNC_ID" >/dev/null 2>&1 || true; fi
if [ -d "$tmp/state-crun" ]; then wrap_crun --root "$tmp/state-crun" delete -f "$CRUN_ID" >/dev/null 2>&1 || true; fi

# ---- 3. monitor memory: MONITORS detached containers; each one's monitor is the parent of the
# container's init (the init's pid from inspect: -f '{{.State.Pid}}' if this berth has it, else
# the JSON)
echo "== $MONITORS detached containers" >&2
cids=()
for ((i = 0; i < MONITORS; i++)); do
	cids+=("$("$BERTH" run -d --network none busybox sleep 1000)")
done
if pids=$("$BERTH" inspect -f '{{.State.Pid}}' "${cids[@]}" 2>/dev/null); then
	:
else
	pids=$("$BERTH" inspect "${cids[@]}" | "$PYTHON" -c 'import json,sys
for c in json.load(sys.stdin): print(c["State"]["Pid"])')
fi
sleep 0.5 # let the last monitor finish its startup work: measure the steady state
# shellcheck disable=SC2086 # one word per pid
mon=$("$PYTHON" - $pids <<'EOF'
import statistics, sys
rss, pss, priv, bad = [], [], [], []
for pid in sys.argv[1:]:
    ppid = int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[1])
    comm = open(f"/proc/{ppid}/comm").read().strip()
    if comm != "berth":   # the monitor is a fork of the CLI: comm "berth"
        bad.append(f"{pid}:{ppid}:{comm}")
    st = dict(l.split(":", 1) for l in open(f"/proc/{ppid}/status"))
    rss.append(int(st["VmRSS"].split()[0]))
    sm = {}
    for l in open(f"/proc/{ppid}/smaps_rollup").readlines()[1:]:
        k, v = l.split(":", 1)
        sm[k] = int(v.split()[0])
    pss.append(sm["Pss"])
    priv.append(sm["Private_Clean"] + sm["Private_Dirty"])
if bad:
    print("init:parent:comm not a berth monitor: " + " ".join(bad), file=sys.stderr)
print(len(rss), round(statistics.mean(rss)), max(rss), round(statistics.mean(pss)),
      round(statistics.mean(priv)), max(priv))
EOF
) || mon=""
read -r mon_n rss_mean rss_max pss_mean priv_mean priv_max <<<"${mon:-0 n/a n/a n/a n/a n/a}"
rm_all

# ---- podman's conmon for one container (podman 4.3, runc), in a private mount namespace with a
# tmpfs on /run and an overlay on /var/lib (tests/clients/clients.sh), so podman's fixed host
# paths (/run/libpod, /var/lib/containers/cache, /run/runc) are never written; its cgroup parent
# is named after $tmp and removed here.
conmon=""
if ! command -v podman >/dev/null || ! command -v conmon >/dev/null; then
	why[conmon]="podman or conmon not installed"
elif ! command -v runc >/dev/null || [ ! -f "$CLIENTS_SH" ] || [ ! -f "$LAYER" ]; then
	why[conmon]="needs runc, $CLIENTS_SH and $LAYER"
else
	echo "== podman run -d (runc), conmon's memory" >&2
	# shellcheck source=tests/clients/clients.sh
	if conmon=$(source "$CLIENTS_SH"
		BERTH_DATADIR=$(dirname "$LAYER") LC_PODMAN_DIR=$tmp clients_in_ns "$tmp/pm-ns" bash "$0" 2>"$tmp/pm.err"); then
		conmon=$(grep '^conmon ' <<<"$conmon" || true)
	fi
	[ -n "$conmon" ] || why[conmon]="podman failed: $(tail -n 3 "$tmp/pm.err" | tr '\n' ' ' | head -c 300)"
	# shellcheck source=tests/clients/clients.sh
	(source "$CLIENTS_SH"; CLIENTS_CGROUP_WAIT=5 clients_cgroup_cleanup "$(clients_cgroup_name "$tmp/pm")") >&2 || true
	# conmon must be gone with its container (else the namespace, and its mounts, live on). It
	# exits just after `podman rm` returns: give it 5 s; a zombie (not yet reaped by pid 1, which
	# is slow here) counts as gone.
	if [ -f "$tmp/conmon.pid" ]; then
		cpid=$(cat "$tmp/conmon.pid")
		for ((i = 0; i < 50; i++)); do
			[ "$(cat "/proc/$cpid/comm" 2>/dev/null)" = conmon ] || break
			[ "$(awk '{ print $3 }' "/proc/$cpid/stat" 2>/dev/null)" = Z ] && break
			sleep 0.1
		done
		[ "$i" -lt 50 ] || echo "bench/lifecycle.sh: warning: conmon $cpid still running" >&2
	fi
fi
read -r _ c_rss c_pss c_priv <<<"${conmon:-conmon n/a n/a n/a}"

# ---- the tables
na() { [ -n "${why[$1]:-}" ] && echo "- $1: n/a: ${why[$1]}"; return 0; }
target_exec="< 10 ms"
if [ -n "${median["berth exec"]:-}" ]; then
	target_exec+=$(awk -v m="${median["berth exec"]}" 'BEGIN { print (m < 10) ? " (met)" : " (not met)" }')
fi
target_rss="<= 1024 kB"
if [ "$rss_mean" != n/a ]; then
	target_rss+=$(awk -v m="$rss_max" 'BEGIN { print (m <= 1024) ? " (met)" : " (not met)" }')
fi

echo
echo "Lifecycle of detached busybox containers; hyperfine -N, median of $RUNS runs ($WARMUP warm-up);"
echo "berth containers with --network none (no bridge: loopback only); $(nproc) CPUs, $(uname -r)."
echo
echo "| measure | median ms | mean ms | target |"
echo "|---|---:|---:|---|"
echo "| \`berth run -d --network none busybox sleep 1000\` until the CLI returns | $(ms run-d) | $(mn run-d) | |"
echo "| \`berth exec CID true\` into a running container | $(ms "berth exec") | $(mn "berth exec") | $target_exec |"
echo
echo "- run -d returned with the command already running (init exec'd \`sleep 1000\`): $started."
echo "- every timed run -d starts from the same store (image, no container): the previous"
echo "  container is removed by hyperfine's --prepare, outside the timing."
echo
echo "| exec \`true\` into a running busybox \`sleep 1000\` | median ms | mean ms | ratio vs berth (median) |"
echo "|---|---:|---:|---:|"
echo "| berth exec | $(ms "berth exec") | $(mn "berth exec") | $(ratio "berth exec" "berth exec") |"
echo "| runc exec | $(ms "runc exec") | $(mn "runc exec") | $(ratio "runc exec" "berth exec") |"
echo "| crun exec | $(ms "crun exec") | $(mn "crun exec") | $(ratio "crun exec" "berth exec") |"
echo "| crun exec in the unshare -m wrapper | $(ms "crun exec, wrapped") | $(mn "crun exec, wrapped") | $(ratio "crun exec, wrapped" "berth exec") |"
echo "| the wrapper alone (\`unshare -m sh -c 'umount ...; exec true'\`) | $(ms "wrapper alone") | $(mn "wrapper alone") | |"
echo
echo "- runc/berth $(ratio "runc exec" "berth exec"), crun/berth $(ratio "crun exec" "berth exec") (exec medians, same run)."
[ -n "${crun_how:-}" ] && echo "- crun's container is created in the unshare -m wrapper; its exec is measured $crun_how."
na runc
na crun
echo
echo "| per-container process, memory in kB | containers | RSS mean | RSS max | PSS mean | private mean |"
echo "|---|---:|---:|---:|---:|---:|"
echo "| berth monitor | $mon_n | $rss_mean | $rss_max | $pss_mean | $priv_mean |"
echo "| conmon (podman 4.3, runc) | $([ -n "$conmon" ] && echo 1 || echo 0) | $c_rss | $c_rss | $c_pss | $c_priv |"
echo
echo "- target: monitor RSS $target_rss. RSS counts the shared libc and binary pages every"
echo "  process maps; PSS splits them among their users; private (Private_Clean + Private_Dirty,"
echo "  max $priv_max kB) is what one more container costs."
na conmon
