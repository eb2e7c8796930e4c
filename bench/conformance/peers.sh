#!/bin/bash
# Two peer runtimes' own integration suites against berth-runtime, crun and runc, the same way for
# all three. Not a test (it takes half an hour and needs the peers' sources):
#
#   bash bench/conformance/peers.sh [crun|runc] [FILE...]   (root; make conformance-peers)
#
# crun   crun's tests/test_*.py at tag 1.8.1 (23 files): python3, the runtime from $OCI_RUNTIME,
#        tests/init.c built statically as the containers' program
# runc   runc's tests/integration/*.bats at tag v1.1.5 (36 files): bats with RUNC=<runtime>, its
#        helper programs (recvtty, seccompagent, sd-helper) built with Debian's Go
#
# Environment:
#   CRUN_SRC, RUNC_SRC  git repositories of containers/crun and opencontainers/runc (default: this
#                       workplace's mirrors under /work/.mirror)
#   CRUN_TAG, RUNC_TAG  default 1.8.1 and v1.1.5, the ones docs/conformance.md names
#   RUNTIMES            "berth crun runc" (berth is bin/berth-runtime of this checkout)
#   PEERS_TIMEOUT       seconds per file (default 900)
#   PEERS_OUT           where sources, builds and results go (default build/conformance/peers)
#
# The sources are exported under build/conformance/peers/ (never in the repository). runc's suite
# downloads a busybox and a Debian image; here they are made offline: busybox from Debian's
# busybox-static (build/share/busybox-layer.tar), "Debian" the same plus Debian's static ldconfig
# (the only Debian program its one user, hooks.bats, runs). Each runtime runs each suite inside
# wrapper.sh's wrapper. Results: build/conformance/peers/results/<suite>/<runtime>/<file>.{tap,rc}
# and a table per suite on stdout (also build/conformance/peers/results/<suite>.md).
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${PEERS_OUT:-$repo/build/conformance/peers}
CRUN_SRC=${CRUN_SRC:-/work/.mirror/containers+crun/repo}
RUNC_SRC=${RUNC_SRC:-/work/.mirror/opencontainers+runc/repo}
CRUN_TAG=${CRUN_TAG:-1.8.1}
RUNC_TAG=${RUNC_TAG:-v1.1.5}
RUNTIMES=${RUNTIMES:-berth crun runc}
TIMEOUT=${PEERS_TIMEOUT:-900}

die() { echo "peers: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root"
for c in go bats jq gawk gcc python3 xz; do
	command -v "$c" >/dev/null || die "$c is missing: make conformance-peers installs it"
done

# export REPO TAG PATH DIR: the tree of PATH at TAG, once per tag
export_tree() {
	local src=$1 tag=$2 path=$3 dir=$4 want
	want=$(git --git-dir="$src" rev-parse "$tag^{commit}" 2>/dev/null) || die "no tag $tag in $src"
	[ "$(cat "$dir/.commit" 2>/dev/null)" = "$want" ] && return 0
	rm -rf "$dir" && mkdir -p "$dir"
	git --git-dir="$src" archive "$want" $path | tar -x -C "$dir" || die "cannot export $tag from $src"
	echo "$want" >"$dir/.commit"
}

build_crun() {
	export_tree "$CRUN_SRC" "$CRUN_TAG" tests "$out/crun"
	[ -x "$out/crun/init" ] && return 0
	# The two features crun's configure finds on this machine, for the config.h it would write.
	mkdir -p "$out/crun/include"
	printf '#define HAVE_ERROR_H 1\n#define HAVE_SECCOMP 1\n' >"$out/crun/include/config.h"
	gcc -static -O2 -I"$out/crun/include" -o "$out/crun/init.tmp" "$out/crun/tests/init.c" ||
		die "cannot build crun's tests/init.c"
	mv "$out/crun/init.tmp" "$out/crun/init"
}

build_runc() {
	local t=$out/runc c
	export_tree "$RUNC_SRC" "$RUNC_TAG" "" "$t"
	for c in recvtty seccompagent sd-helper; do
		[ -x "$t/contrib/cmd/$c/$c" ] && continue
		(cd "$t" && GOFLAGS=-mod=vendor GOTOOLCHAIN=local GOCACHE=$out/gocache GOPATH=$out/gopath \
			go build -o "contrib/cmd/$c/$c" "./contrib/cmd/$c") >>"$out/build.log" 2>&1 ||
			die "cannot build runc's $c: $(tail -n 5 "$out/build.log")"
	done
	# The images get-images.sh would download, made from Debian's packages.
	local arch td=$t/tests/integration/testdata
	arch=$(go env GOARCH)
	if [ ! -f "$td/busybox-$arch.tar.xz" ]; then
		xz -c "$repo/build/share/busybox-layer.tar" >"$td/busybox-$arch.tar.xz.tmp" &&
			mv "$td/busybox-$arch.tar.xz.tmp" "$td/busybox-$arch.tar.xz" ||
			die "no build/share/busybox-layer.tar (run make first)"
	fi
	if [ ! -f "$td/debian-$arch.tar.xz" ]; then
		rm -rf "$out/debian-root" && mkdir -p "$out/debian-root/sbin" "$out/debian-root/lib" "$out/debian-root/etc"
		tar -x -C "$out/debian-root" -f "$repo/build/share/busybox-layer.tar" &&
			cp /sbin/ldconfig "$out/debian-root/sbin/ldconfig" &&
			tar -c -C "$out/debian-root" . | xz -c >"$td/debian-$arch.tar.xz.tmp" &&
			mv "$td/debian-$arch.tar.xz.tmp" "$td/debian-$arch.tar.xz" || die "cannot make the Debian image"
		rm -rf "$out/debian-root"
	fi
}

# ---- one runtime, the given files of one suite, inside the wrapper (wrapper.sh)
inner() {
	local suite=$1 rtpath=$2 res=$3 f name rc
	shift 3
	for f in "$@"; do
		name=${f##*/}
		rc=0
		case $suite in
		crun) # the suite makes its bundles below the working directory; one test wants ./tests/init
			mkdir -p "$out/work/crun/tests" && cp "$out/crun/init" "$out/work/crun/tests/init" &&
				cd "$out/work/crun" || exit 1
			TMPDIR=$out/tmp OCI_RUNTIME=$rtpath INIT=$out/crun/init \
				timeout -k 5 "$TIMEOUT" python3 "$f" >"$res/$name.tap" 2>&1 || rc=$? ;;
		runc)
			cd "$out/runc/tests/integration" || exit 1
			TMPDIR=$out/tmp RUNC=$rtpath timeout -k 5 "$TIMEOUT" bats --tap "$f" >"$res/$name.tap" 2>&1 || rc=$? ;;
		esac
		echo "$rc" >"$res/$name.rc"
	done
}
export out TIMEOUT
. "$here/wrapper.sh"

suite_files() { # suite_files SUITE [NAME...]: the suite's test files, all or those named
	local dir glob n
	case $1 in
	crun) dir=$out/crun/tests glob='test_*.py' ;;
	runc) dir=$out/runc/tests/integration glob='*.bats' ;;
	esac
	shift
	if [ $# -gt 0 ]; then
		for n in "$@"; do
			[ -f "$dir/$n" ] || die "no $n in $dir"
			echo "$dir/$n"
		done
	else
		# shellcheck disable=SC2086
		ls "$dir"/$glob
	fi
}

# ---- the table of one suite: every runtime with results, every file of the suite
cell() { # cell FILE-PREFIX: "pass (ok, skipped)", "FAIL ok/not-ok (rc R)" or "-" (not run)
	local f=$1 ok nok skip rc
	[ -f "$f.rc" ] || { printf -- '-'; return; }
	ok=$(grep -c '^ok ' "$f.tap")
	skip=$(grep -ci '^ok .*# *skip' "$f.tap")
	nok=$(grep -c '^not ok ' "$f.tap")
	rc=$(cat "$f.rc")
	if [ "$rc" = 0 ] && [ "$nok" = 0 ]; then
		if [ "$skip" -gt 0 ]; then printf 'pass (%s, %s skipped)' "$((ok - skip))" "$skip"; else printf 'pass (%s)' "$ok"; fi
	else
		printf 'FAIL %s/%s (rc %s)' "$((ok - skip))" "$nok" "$rc"
	fi
}
table() {
	local suite=$1 res=$out/results/$1 rts="" rt f name n total
	for rt in berth crun runc; do [ -d "$res/$rt" ] && rts="$rts $rt"; done
	mapfile -t files < <(suite_files "$suite")
	printf '| file |'
	for rt in $rts; do printf ' %s |' "$rt"; done
	printf '\n|---|'
	for rt in $rts; do printf -- '---|'; done
	printf '\n'
	for f in "${files[@]}"; do
		name=${f##*/}
		printf '| %s |' "$name"
		for rt in $rts; do printf ' %s |' "$(cell "$res/$rt/$name")"; done
		printf '\n'
	done
	printf '| **files passed** |'
	for rt in $rts; do
		n=0
		for f in "${files[@]}"; do
			name=${f##*/}
			case $(cell "$res/$rt/$name") in pass*) n=$((n + 1)) ;; esac
		done
		printf ' **%s/%s** |' "$n" "${#files[@]}"
	done
	printf '\n'
}

suites="crun runc"
case ${1:-} in crun | runc) suites=$1; shift ;; esac
[ $# -gt 0 ] && [ "$suites" = "crun runc" ] && die "name the suite (crun or runc) before its files"
mkdir -p "$out/work" "$out/results"
build_crun
build_runc

trap 'remove_cgroups "${WRAP_CGROUPS[@]}"' EXIT
trap 'exit 130' INT TERM
for suite in $suites; do
	mapfile -t files < <(suite_files "$suite" "$@")
	for rt in $RUNTIMES; do
		rtpath=$(runtime_path "$rt" "$out/work") && [ -x "$rtpath" ] || die "runtime $rt not found"
		res=$out/results/$suite/$rt
		mkdir -p "$res"
		for f in "${files[@]}"; do rm -f "$res/${f##*/}".{tap,rc}; done
		echo "peers: $suite's suite, $rt ($rtpath): ${#files[@]} files" >&2
		rm -rf "$out/tmp" && mkdir -p "$out/tmp"
		wrap_run inner "$suite" "$rtpath" "$res" "${files[@]}"
		# What a failed test left (its mounts went with the namespace).
		rm -rf "$out/tmp" "$out/work/crun"
	done
done
for suite in crun runc; do
	[ -d "$out/results/$suite" ] || continue
	echo "## $suite's suite"
	table "$suite" | tee "$out/results/$suite.md"
done
