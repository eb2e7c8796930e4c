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
