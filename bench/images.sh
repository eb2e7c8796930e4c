#!/bin/bash
# `berth load` of a ~100 MB image vs `podman load` and `skopeo copy docker-archive:... oci:DIR`
# of the same archive, in the same run: wall time and peak RSS (/usr/bin/time -v). Never part
# of the tests.
#
#   bash bench/images.sh
# Environment: BENCH_RUNS (default 3), BENCH_MB (default 100), BENCH_GZIP=1 (gzip the layers),
# BERTH, LAYER (the busybox layer tar).
#
# The image: the built-in busybox layer + one layer of BENCH_MB MB of random data in 1 MB files,
# as a docker-archive made with python's tarfile. podman uses its own store under the scratch dir
# (overlay driver, as by default); every store is removed after each run, so each load starts
# from empty. The whole script runs in a private mount namespace (bench_private_host), so what
# podman and skopeo write under /run and /var/lib does not reach the host.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
# shellcheck source=bench/lib.sh
source "$here/lib.sh"
BERTH=${BERTH:-$repo/bin/berth}
LAYER=${LAYER:-$repo/build/share/busybox-layer.tar}
RUNS=${BENCH_RUNS:-3}
MB=${BENCH_MB:-100}
PYTHON=$(command -v /usr/bin/python3 || command -v python3)

if [ "$(id -u)" != 0 ]; then
	echo "bench/images.sh: needs root" >&2
	exit 1
fi
bench_private_host "$@"
work=$(mktemp -d /var/tmp/berth-bench-images.XXXXXX)
cleanup() {
	# podman's overlay store may hold mounts under its root: unmount only those.
	# (grep finds none most of the time: under pipefail that must not stop the rm below)
	{ grep -o " $work[^ ]*" /proc/self/mountinfo || true; } | sort -r | while read -r m; do umount -l "$m" || true; done
	rm -rf "$work"
}
trap cleanup EXIT

echo "making a ${MB} MB image ($([ "${BENCH_GZIP:-0}" = 1 ] && echo gzip || echo uncompressed) layers)..."
BUSYBOX_LAYER=$LAYER "$PYTHON" - "$work/image.tar" "$MB" "${BENCH_GZIP:-0}" <<'EOF'
import gzip, hashlib, io, json, os, sys, tarfile
out, mb, gz = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
base = open(os.environ["BUSYBOX_LAYER"], "rb").read()
data_path = out + ".layer"
with tarfile.open(data_path, "w") as t:
    for i in range(mb):
        ti = tarfile.TarInfo("data/f%04d" % i); ti.size = 1 << 20
        t.addfile(ti, io.BytesIO(os.urandom(1 << 20)))
def sha_file(p):
    h = hashlib.sha256()
    with open(p, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""): h.update(b)
    return "sha256:" + h.hexdigest()
diff_ids = ["sha256:" + hashlib.sha256(base).hexdigest(), sha_file(data_path)]
config = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["sh"]},
                     "rootfs": {"type": "layers", "diff_ids": diff_ids}}).encode()
with tarfile.open(out, "w") as t:
    def add(name, data=None, path=None):
        if path:
            ti = t.gettarinfo(path, name)
            with open(path, "rb") as f: t.addfile(ti, f)
        else:
            ti = tarfile.TarInfo(name); ti.size = len(data); t.addfile(ti, io.BytesIO(data))
    cname = hashlib.sha256(config).hexdigest() + ".json"
    add(cname, config)
    if gz:
        base = gzip.compress(base, 1)
        with open(data_path, "rb") as f, gzip.open(data_path + ".gz", "wb", 1) as g:
            for b in iter(lambda: f.read(1 << 20), b""): g.write(b)
        os.replace(data_path + ".gz", data_path)
    add("0/layer.tar", base)
    add("1/layer.tar", path=data_path)
    add("manifest.json", json.dumps([{"Config": cname, "RepoTags": ["bench:big"],
                                      "Layers": ["0/layer.tar", "1/layer.tar"]}]).encode())
os.remove(data_path)
EOF
ls -l "$work/image.tar" | awk '{ printf "archive: %.1f MB\n", $5 / 1e6 }'

# measure NAME CMD...: runs CMD under /usr/bin/time -v; prints "NAME seconds max_rss_kb".
measure() {
	local name=$1
	shift
	sync
	echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true
	/usr/bin/time -v -o "$work/time.txt" "$@" >/dev/null 2>"$work/err.txt" ||
		{ echo "$name failed:"; cat "$work/err.txt"; return 0; }
	local secs rss
	secs=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$work/time.txt")
	rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
	echo "$name $secs $rss" >>"$work/results"
}

: >"$work/results"
for i in $(seq 1 "$RUNS"); do
	rm -rf "$work/berth"
	measure "berth-load" env BERTH_ROOT="$work/berth" "$BERTH" load -i "$work/image.tar"
	if command -v podman >/dev/null; then
		measure "podman-load" podman --root "$work/podman/root" --runroot "$work/podman/run" \
			--storage-driver overlay --events-backend none load -q -i "$work/image.tar"
		podman --root "$work/podman/root" --runroot "$work/podman/run" --storage-driver overlay \
			--events-backend none rmi -a -f >/dev/null 2>&1 || true
		cleanup_mounts=$(grep -c " $work/podman" /proc/self/mountinfo || true)
		[ "$cleanup_mounts" = 0 ] || grep -o " $work/podman[^ ]*" /proc/self/mountinfo | sort -r |
			while read -r m; do umount -l "$m" || true; done
		rm -rf "$work/podman"
	fi
	if command -v skopeo >/dev/null; then
		rm -rf "$work/oci"
		measure "skopeo-copy" skopeo copy --quiet "docker-archive:$work/image.tar" "oci:$work/oci:bench"
		rm -rf "$work/oci"
	fi
done
rm -rf "$work/berth"

echo
printf '%-14s %6s %10s %10s %12s\n' tool runs "best s" "median s" "max RSS MB"
sort -k1,1 -k2,2n "$work/results" | awk '
	{ n[$1]++; t[$1, n[$1]] = $2; if ($3 > rss[$1]) rss[$1] = $3 }
	END { for (k in n) { m = t[k, int((n[k] + 1) / 2)];
		printf "%-14s %6d %10.2f %10.2f %12.1f\n", k, n[k], t[k, 1], m, rss[k] / 1024 } }' | sort
