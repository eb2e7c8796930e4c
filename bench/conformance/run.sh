#!/bin/bash
# The OCI runtime-tools validation suite against berth-runtime, crun and runc, in one run, the
# same way for all three. Not a test (it takes minutes and needs a checkout of runtime-tools):
#
#   bash bench/conformance/run.sh [PROGRAM...]     (root; make conformance builds berth first)
#
# Environment:
#   RUNTIME_TOOLS_SRC  a git repository of opencontainers/runtime-tools (default: this
#                      workplace's mirror, /work/.mirror/opencontainers+runtime-tools/repo)
#   RUNTIME_TOOLS_COMMIT  the commit to build (default e5b4542, the one docs/conformance.md names)
#   RUNTIMES           "berth crun runc" (names; berth is bin/berth-runtime of this checkout)
#   CONFORMANCE_TIMEOUT  seconds per program (default 120)
#
# The source is checked out and built under build/conformance/ (never in the repository). Debian
# 12 has Go 1.19; runtime-tools wants 1.21 for a few library calls, so the build uses a copy of
# Go's root with the small shims in go-shims/. The validation programs get a busybox rootfs made
# from Debian's busybox-static (build/share/busybox-layer.tar), not the suite's own tarball.
#
# Every runtime runs in the same wrapper: a cgroup made for the run below this process's own in
# every v1 hierarchy, a new cgroup and mount namespace rooted there (so the suite's absolute
# cgroupsPath values land inside it, never in the host's hierarchy), /sys/fs/cgroup/unified
# unmounted (crun 1.8.1 refuses this hybrid host otherwise) and a tmpfs on /run (the runtimes'
# state). The cgroup is removed at the end. Results: build/conformance/results/<runtime>/*.tap and
# a table on stdout (also build/conformance/results/table.md).
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=$repo/build/conformance
SRC=${RUNTIME_TOOLS_SRC:-/work/.mirror/opencontainers+runtime-tools/repo}
COMMIT=${RUNTIME_TOOLS_COMMIT:-e5b4542}
RUNTIMES=${RUNTIMES:-berth crun runc}
TIMEOUT=${CONFORMANCE_TIMEOUT:-120}

die() { echo "conformance: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root"
[ -d "$SRC" ] || die "no runtime-tools repository at $SRC (set RUNTIME_TOOLS_SRC)"
command -v go >/dev/null || die "go is missing: make conformance installs golang-go"

# ---- build (once per commit)
build() {
	local src=$out/src goroot=$out/goroot
	if [ "$(git -C "$src" rev-parse HEAD 2>/dev/null)" != "$(git -C "$SRC" rev-parse "$COMMIT^{commit}")" ]; then
		rm -rf "$src" "$out/bin"
		git -c advice.detachedHead=false clone -q "$SRC" "$src" || die "cannot clone $SRC"
		git -C "$src" checkout -q "$COMMIT" || die "no commit $COMMIT in $SRC"
	fi
	if [ ! -d "$goroot" ]; then
		# A tree of real directories and links to Go's files (-L: Debian's GOROOT/src is itself
		# a link, and the shims must land in the copy, never in the installed Go).
		rm -rf "$goroot.tmp"
		cp -a -s -L "$(readlink -f "$(go env GOROOT)")" "$goroot.tmp" || die "cannot copy GOROOT"
		for d in src src/sync src/strings; do
			[ -d "$goroot.tmp/$d" ] && [ ! -L "$goroot.tmp/$d" ] || die "GOROOT copy: $d is not a directory of its own"
		done
		mkdir -p "$goroot.tmp/src/slices"
		cp "$here/go-shims/slices.go" "$goroot.tmp/src/slices/"
		cp "$here/go-shims/sync_once.go" "$goroot.tmp/src/sync/shim_once.go"
		cp "$here/go-shims/strings_cut.go" "$goroot.tmp/src/strings/shim_cut.go"
		mv "$goroot.tmp" "$goroot"
	fi
	[ -x "$out/bin/runtimetest" ] && return 0
	mkdir -p "$out/bin.tmp"
	(
		cd "$src" || exit 1
		sed -i 's/^go 1\.2[0-9]*$/go 1.19/' go.mod
		export GOROOT=$goroot GOFLAGS=-mod=vendor GOTOOLCHAIN=local GOCACHE=$out/gocache GOPATH=$out/gopath
		"$goroot/bin/go" build -tags "netgo osusergo" -ldflags "-extldflags -static" \
			-o "$out/bin.tmp/runtimetest" ./cmd/runtimetest || exit 1
		for d in validation/*/; do
			d=${d%/}
			[ "${d##*/}" = util ] && continue
			"$goroot/bin/go" build -o "$out/bin.tmp/${d##*/}.t" "./$d" || exit 1
		done
	) >"$out/build.log" 2>&1 || die "build failed: $(tail -n 5 "$out/build.log")"
	rm -rf "$out/bin"
	mv "$out/bin.tmp" "$out/bin"
}

runtime_path() {
	case "$1" in
	berth) # a copy: a rebuild of bin/ during the run must not change what is measured
		install -m 755 "$repo/bin/berth-runtime" "$out/work/berth-runtime" && echo "$out/work/berth-runtime" ;;
	crun) command -v crun ;;
	runc) command -v runc ;;
	*) command -v "$1" ;;
	esac
}

# ---- one runtime, every program, inside the wrapper (runs as the inner command of unshare)
inner() {
	local rt=$1 rtpath=$2 dir=$3
	shift 3
	mount --make-rprivate /
	umount /sys/fs/cgroup/unified 2>/dev/null || true
	# Remount each v1 hierarchy: in the new cgroup namespace its root is the run's cgroup.
	local mp opts
	while read -r mp opts; do
		umount "$mp" && mount -t cgroup -o "$opts" cgroup "$mp" || exit 1
	done < <(awk '$9 == "cgroup" { n = split($NF, o, ","); s = ""; for (i = 1; i <= n; i++) if (o[i] != "rw" && o[i] != "ro") s = s (s ? "," : "") o[i]; print $5, s }' /proc/self/mountinfo)
	mount -t tmpfs -o mode=755 tmpfs /run
	cd "$dir" || exit 1
	local t name rc
	for t in "$@"; do
		name=${t##*/}
		name=${name%.t}
		rc=0
		TMPDIR=$out/tmp RUNTIME=$rtpath timeout -k 5 "$TIMEOUT" "$t" >"$out/results/$rt/$name.tap" 2>&1 || rc=$?
		echo "$rc" >"$out/results/$rt/$name.rc"
	done
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
	local d
	for d in "$@"; do
		[ -d "$d" ] || continue
		find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
		rmdir "$d" 2>/dev/null || true
	done
}

build
mkdir -p "$out/work"
cp "$out/bin/runtimetest" "$out/work/runtimetest"
gzip -c "$repo/build/share/busybox-layer.tar" >"$out/work/rootfs-$(go env GOARCH).tar.gz" ||
	die "no build/share/busybox-layer.tar (run make first)"

programs=()
if [ $# -gt 0 ]; then
	for p in "$@"; do programs+=("$out/bin/$p.t"); done
else
	programs=("$out/bin"/*.t)
fi

cgs=()
trap 'remove_cgroups "${cgs[@]}"' EXIT
trap 'exit 130' INT TERM
for rt in $RUNTIMES; do
	rtpath=$(runtime_path "$rt") && [ -x "$rtpath" ] || die "runtime $rt not found"
	# Only this runtime's results, and only the programs run now, are replaced.
	mkdir -p "$out/results/$rt"
	for t in "${programs[@]}"; do n=${t##*/}; rm -f "$out/results/$rt/${n%.t}".{tap,rc}; done
	mapfile -t cgs < <(cgroup_dirs)
	for d in "${cgs[@]}"; do
		mkdir -p "$d" || die "cannot make $d"
		# A new cpuset cgroup has no cpus or mems: it takes its parent's.
		for f in cpuset.cpus cpuset.mems; do
			[ -f "$d/$f" ] && cat "$(dirname "$d")/$f" >"$d/$f"
		done
	done
	echo "conformance: $rt ($rtpath): ${#programs[@]} programs" >&2
	mkdir -p "$out/tmp"
	(
		for d in "${cgs[@]}"; do echo "$BASHPID" >"$d/cgroup.procs" || exit 1; done
		exec unshare -m -C --propagation private bash -c "$(declare -f inner); out='$out' TIMEOUT='$TIMEOUT' inner \"\$@\"" \
			inner "$rt" "$rtpath" "$out/work" "${programs[@]}"
	)
	remove_cgroups "${cgs[@]}"
	# The programs' bundles (a failed one is not removed; its mounts went with the namespace).
	rm -rf "$out/tmp"
	left=$(for d in "${cgs[@]}"; do [ -d "$d" ] && echo "$d"; done)
	[ -z "$left" ] || echo "conformance: cgroups left after $rt: $left" >&2
done

# ---- the table: every runtime with results (a run of one runtime keeps the others' last ones),
# every program of the suite
RUNTIMES=$(for rt in berth crun runc; do [ -d "$out/results/$rt" ] && printf '%s ' "$rt"; done)
programs=("$out/bin"/*.t)
cell() { # cell RUNTIME PROGRAM: "pass (N)", "FAIL ok/not-ok (rc R)" or "-" (not run)
	local f=$out/results/$1/$2 ok nok rc
	[ -f "$f.rc" ] || { printf -- '-'; return; }
	ok=$(grep -c '^ok ' "$f.tap")
	nok=$(grep -c '^not ok ' "$f.tap")
	rc=$(cat "$f.rc")
	if [ "$rc" = 0 ] && [ "$nok" = 0 ]; then printf 'pass (%s)' "$ok"; else printf 'FAIL %s/%s (rc %s)' "$ok" "$nok" "$rc"; fi
}
{
	printf '| program |'
	for rt in $RUNTIMES; do printf ' %s |' "$rt"; done
	printf '\n|---|'
	for rt in $RUNTIMES; do printf -- '---|'; done
	printf '\n'
	for t in "${programs[@]}"; do
		name=${t##*/}
		name=${name%.t}
		printf '| %s |' "$name"
		for rt in $RUNTIMES; do printf ' %s |' "$(cell "$rt" "$name")"; done
		printf '\n'
	done
	printf '| **programs passed** |'
	for rt in $RUNTIMES; do
		n=0; oks=0; noks=0
		for t in "${programs[@]}"; do
			name=${t##*/}
			name=${name%.t}
			f=$out/results/$rt/$name
			[ -f "$f.rc" ] || continue
			o=$(grep -c '^ok ' "$f.tap"); k=$(grep -c '^not ok ' "$f.tap")
			oks=$((oks + o)); noks=$((noks + k))
			[ "$(cat "$f.rc")" = 0 ] && [ "$k" = 0 ] && n=$((n + 1))
		done
		printf ' **%s/%s**, %s ok / %s not ok |' "$n" "${#programs[@]}" "$oks" "$noks"
	done
	printf '\n'
} | tee "$out/results/table.md"
