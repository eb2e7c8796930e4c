#!/bin/bash
# Pull of a ~100 MB, 5-layer image from a loopback docker-registry: berth pull vs
# `skopeo copy docker://... oci:DIR` vs `podman pull` (temp storage, if podman is installed),
# same image, same run. Not a test. Usage: bash bench/registry.sh [RUNS]
# Runs in a private mount namespace (bench_private_host), so what podman and skopeo write under
# /run and /var/lib does not reach the host.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
repo=$here
# shellcheck source=bench/lib.sh
source "$here/bench/lib.sh"
bench_private_host "$@"
BERTH=${BERTH:-$here/bin/berth}
RUNS=${1:-5}
tmp=$(mktemp -d /tmp/berth-bench-registry.XXXXXX)
reg_pid=
cleanup() { [ -n "$reg_pid" ] && kill "$reg_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
reg=127.0.0.1:$port
cat >"$tmp/config.yml" <<EOC
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $tmp/storage}}
http: {addr: "$reg"}
EOC
docker-registry serve "$tmp/config.yml" >"$tmp/registry.log" 2>&1 &
reg_pid=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://$reg/v2/" && break; sleep 0.05; done

# The image: busybox + 4 layers of 30 MB (24 MB random, 6 MB text).
/usr/bin/python3 - "$tmp/oci" "$here/build/share/busybox-layer.tar" <<'EOP'
import gzip, hashlib, io, json, os, sys, tarfile
d, base = sys.argv[1:]
os.makedirs(d + "/blobs/sha256", exist_ok=True)
def blob(b):
    h = hashlib.sha256(b).hexdigest(); open(f"{d}/blobs/sha256/{h}", "wb").write(b)
    return {"digest": "sha256:" + h, "size": len(b)}
tars = [open(base, "rb").read()]
for i in range(4):
    bio = io.BytesIO()
    with tarfile.open(fileobj=bio, mode="w") as t:
        data = os.urandom(24 << 20) + (("line %d of layer %d\n" % (i, i)) * 400000).encode()[:6 << 20]
        ti = tarfile.TarInfo(f"data{i}.bin"); ti.size = len(data); t.addfile(ti, io.BytesIO(data))
    tars.append(bio.getvalue())
gz = [gzip.compress(t, compresslevel=1, mtime=0) for t in tars]
cfg = {"architecture": "amd64", "os": "linux", "config": {"Cmd": ["sh"]},
       "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(t).hexdigest() for t in tars]}}
m = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
     "config": dict(mediaType="application/vnd.oci.image.config.v1+json", **blob(json.dumps(cfg).encode())),
     "layers": [dict(mediaType="application/vnd.oci.image.layer.v1.tar+gzip", **blob(g)) for g in gz]}
top = dict(mediaType="application/vnd.oci.image.manifest.v1+json", **blob(json.dumps(m).encode()),
           annotations={"org.opencontainers.image.ref.name": "big"})
json.dump({"schemaVersion": 2, "manifests": [top]}, open(d + "/index.json", "w"))
json.dump({"imageLayoutVersion": "1.0.0"}, open(d + "/oci-layout", "w"))
print("image: %d MB compressed, %d MB unpacked, %d layers" % (sum(map(len, gz)) >> 20, sum(map(len, tars)) >> 20, len(tars)))
EOP
skopeo copy -q --dest-tls-verify=false "oci:$tmp/oci:big" "docker://$reg/big:1"

cmds=(--prepare "rm -rf $tmp/b; mkdir -p $tmp/b" -n "berth pull"
      "env BERTH_ROOT=$tmp/b $BERTH pull -q $reg/big:1"
      --prepare "rm -rf $tmp/s" -n "skopeo copy (to oci:, no unpack)"
      "skopeo copy -q --src-tls-verify=false docker://$reg/big:1 oci:$tmp/s:big")
if command -v podman >/dev/null; then
	cmds+=(--prepare "rm -rf $tmp/p; mkdir -p $tmp/p/root $tmp/p/run" -n "podman pull"
	       "podman --root $tmp/p/root --runroot $tmp/p/run --storage-driver overlay pull -q --tls-verify=false $reg/big:1")
fi
if command -v hyperfine >/dev/null; then
	hyperfine -r "$RUNS" "${cmds[@]}"
else
	echo "hyperfine missing (make deps-bench)"; exit 1
fi
