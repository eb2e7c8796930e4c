#!/usr/bin/env python3
"""Makes a docker-archive (the format of `docker save`) from a rootfs tar, no network or tools
needed: manifest.json, the image config and the layer, in one tar. `docker load`, `ctr image
import` and `podman load` all read it.

    mkarchive.py ROOTFS.tar OUT.tar NAME:TAG [CMD...]      (CMD defaults to: sh)
"""
import hashlib
import io
import json
import os
import sys
import tarfile
import time


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    layer_path, out, ref = sys.argv[1:4]
    cmd = sys.argv[4:] or ["sh"]
    h = hashlib.sha256()
    with open(layer_path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    layer_hex = h.hexdigest()
    created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(0))
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": created,
        "config": {
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            "Cmd": cmd,
        },
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + layer_hex]},
        "history": [{"created": created, "created_by": "tests/clients/mkarchive.py"}],
    }
    config_bytes = json.dumps(config, sort_keys=True).encode()
    config_hex = hashlib.sha256(config_bytes).hexdigest()
    manifest = [{
        "Config": config_hex + ".json",
        "RepoTags": [ref],
        "Layers": [layer_hex + "/layer.tar"],
    }]
    repositories = {ref.rsplit(":", 1)[0]: {ref.rsplit(":", 1)[1]: layer_hex}}

    def add_bytes(tar, name, data):
        ti = tarfile.TarInfo(name)
        ti.size = len(data)
        ti.mode = 0o644
        tar.addfile(ti, io.BytesIO(data))

    with tarfile.open(out + ".part", "w", format=tarfile.PAX_FORMAT) as tar:
        ti = tarfile.TarInfo(layer_hex)
        ti.type = tarfile.DIRTYPE
        ti.mode = 0o755
        tar.addfile(ti)
        add_bytes(tar, layer_hex + "/VERSION", b"1.0")
        tar.add(layer_path, arcname=layer_hex + "/layer.tar")
        add_bytes(tar, config_hex + ".json", config_bytes)
        add_bytes(tar, "manifest.json", json.dumps(manifest).encode())
        add_bytes(tar, "repositories", json.dumps(repositories).encode())
    os.rename(out + ".part", out)


if __name__ == "__main__":
    main()
