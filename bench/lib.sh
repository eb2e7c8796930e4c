# Shared by the bench scripts (sourced): the busybox rootfs every bundle starts from.
# shellcheck shell=bash disable=SC2154 # repo, tmp and LAYER are the calling script's

# bench_rootfs DIR: DIR/rootfs with the built-in busybox layer ($LAYER, or made now with
# images/busybox/mklayer.sh when the build has not made it); scratch files go to $tmp.
bench_rootfs() {
	mkdir -p "$1/rootfs"
	if [ -f "$LAYER" ]; then
		tar -xf "$LAYER" -C "$1/rootfs"
	else
		echo "note: $LAYER missing; making the busybox layer with images/busybox/mklayer.sh" >&2
		sh "$repo/images/busybox/mklayer.sh" "$tmp/layer.tar" >&2
		tar -xf "$tmp/layer.tar" -C "$1/rootfs"
	fi
}

# bench_private_host ARGS...: unless already inside, re-runs the calling script ($0 ARGS...) in a
# private mount namespace with a tmpfs on /run and an overlay on /var/lib (clients_in_ns in
# tests/clients/clients.sh), then exits with its status. podman and skopeo write fixed host paths
# that no flag moves (/run/libpod, /run/containers, /var/lib/containers/cache): there they vanish
# with the namespace. Call it before making any scratch files.
bench_private_host() {
	[ -z "${BENCH_PRIVATE_HOST:-}" ] || return 0
	local d rc=0
	d=$(mktemp -d /tmp/berth-bench-host.XXXXXX)
	# shellcheck source=tests/clients/clients.sh
	source "$repo/tests/clients/clients.sh"
	BENCH_PRIVATE_HOST=1 clients_in_ns "$d" bash "$0" "$@" || rc=$?
	rm -rf "$d"
	exit "$rc"
}
