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
# Every runtime runs in the same wrapper (wrapper.sh: its own cgroup, cgroup and mount namespace,
# /sys/fs/cgroup/unified unmounted, a tmpfs on /run); the cgroup is removed at the end. Results: build/conformance/results/<runtime>/*.tap and
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

# ---- one runtime, every program, inside the wrapper (wrapper.sh)
inner() {
	local rt=$1 rtpath=$2 dir=$3
	shift 3
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
export out TIMEOUT
. "$here/wrapper.sh"

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

trap 'remove_cgroups "${WRAP_CGROUPS[@]}"' EXIT
trap 'exit 130' INT TERM
for rt in $RUNTIMES; do
	rtpath=$(runtime_path "$rt" "$out/work") && [ -x "$rtpath" ] || die "runtime $rt not found"
	# Only this runtime's results, and only the programs run now, are replaced.
	mkdir -p "$out/results/$rt"
	for t in "${programs[@]}"; do n=${t##*/}; rm -f "$out/results/$rt/${n%.t}".{tap,rc}; done
	echo "conformance: $rt ($rtpath): ${#programs[@]} programs" >&2
	mkdir -p "$out/tmp"
	wrap_run inner "$rt" "$rtpath" "$out/work" "${programs[@]}"
	# The programs' bundles (a failed one is not removed; its mounts went with the namespace).
	rm -rf "$out/tmp"
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
