#!/usr/bin/env python3
"""mkoci.py DIR TAG LAYER.tar ARCH...: an OCI image layout with one image per ARCH (the busybox
layer plus a small layer with /arch holding the arch's name); more than one ARCH: an image index
(as `skopeo copy --all` takes it) tagged TAG."""
import gzip, hashlib, io, json, os, sys, tarfile

d, tag, layer, archs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
os.makedirs(f"{d}/blobs/sha256", exist_ok=True)

def blob(data):
    h = hashlib.sha256(data).hexdigest()
    with open(f"{d}/blobs/sha256/{h}", "wb") as f:
        f.write(data)
    return "sha256:" + h, len(data)

def desc(mt, data, **kw):
    dg, n = blob(data)
    return dict(mediaType=mt, digest=dg, size=n, **kw)

base = open(layer, "rb").read()
base_gz = gzip.compress(base, mtime=0)
out = []
for arch in archs:
    bio = io.BytesIO()
    with tarfile.open(fileobj=bio, mode="w", format=tarfile.PAX_FORMAT) as t:
        data = (arch + "\n").encode()
        ti = tarfile.TarInfo("arch"); ti.size = len(data); ti.mode = 0o644
        t.addfile(ti, io.BytesIO(data))
    extra = bio.getvalue()
    cfg = {"architecture": arch, "os": "linux",
           "config": {"Cmd": ["sh"], "Env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"]},
           "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(base).hexdigest(),
                                                     "sha256:" + hashlib.sha256(extra).hexdigest()]}}
    m = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
         "config": desc("application/vnd.oci.image.config.v1+json", json.dumps(cfg).encode()),
         "layers": [desc("application/vnd.oci.image.layer.v1.tar+gzip", base_gz),
                    desc("application/vnd.oci.image.layer.v1.tar+gzip", gzip.compress(extra, mtime=0))]}
    out.append(desc("application/vnd.oci.image.manifest.v1+json", json.dumps(m).encode(),
                    platform={"architecture": arch, "os": "linux"}))
if len(out) == 1:
    top = out[0]
    del top["platform"]
else:
    top = desc("application/vnd.oci.image.index.v1+json",
               json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                           "manifests": out}).encode())
top["annotations"] = {"org.opencontainers.image.ref.name": tag}
json.dump({"schemaVersion": 2, "manifests": [top]}, open(f"{d}/index.json", "w"))
json.dump({"imageLayoutVersion": "1.0.0"}, open(f"{d}/oci-layout", "w"))
