#!/usr/bin/python3
"""fill_store.py ROOT TEMPLATE_ID COUNT [PREFIX]: adds COUNT exited containers to berth's store at
ROOT, each a copy of the exited container TEMPLATE_ID (made by a real `berth run`) under a new id
and the name PREFIX%05d (PREFIX: "fill"), with everything berth itself keeps for one: the
directory with the template's files (its id replaced in them), record.json with its summary
(the xattr user.berth.ps: the record without "cgroup", docs/state.md) and names/<name>. Berth
cannot tell them from containers it ran; filling 10,000 this way takes seconds instead of
minutes. Used by tests/integration/test_store.sh and bench/scale.sh."""
import json
import os
import shutil
import sys

XATTR = "user.berth.ps"


def copy_dir(src, dst, old, new):
    """src to dst, the template's id replaced by the new one in file contents and names."""
    os.mkdir(dst, 0o700)
    for entry in os.scandir(src):
        s, d = entry.path, os.path.join(dst, entry.name.replace(old, new))
        if entry.is_symlink():
            os.symlink(os.readlink(s).replace(old, new), d)
        elif entry.is_dir():
            copy_dir(s, d, old, new)
            shutil.copystat(s, d)
        elif entry.name == "record.json":
            continue
        else:
            with open(s, "rb") as f:
                data = f.read()
            with open(d, "wb") as f:
                f.write(data.replace(old.encode(), new.encode()))
            shutil.copymode(s, d)


def main():
    root, template, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    prefix = sys.argv[4] if len(sys.argv) > 4 else "fill"
    cdir = os.path.join(root, "containers")
    with open(os.path.join(cdir, template, "record.json")) as f:
        rec = json.load(f)
    if rec.get("status") != "exited":
        sys.exit("fill_store.py: the template container must have exited")
    os.makedirs(os.path.join(cdir, "names"), exist_ok=True)
    for i in range(count):
        cid = os.urandom(32).hex()
        name = "%s%05d" % (prefix, i)
        copy_dir(os.path.join(cdir, template), os.path.join(cdir, cid), template, cid)
        r = dict(rec)
        r["id"], r["name"] = cid, name
        if "cgroup" in r:
            r["cgroup"] = r["cgroup"].replace(template, cid)
        text = json.dumps(r, separators=(",", ":"), ensure_ascii=False)
        summary = {k: v for k, v in r.items() if k != "cgroup"}
        path = os.path.join(cdir, cid, "record.json")
        with open(path, "w") as f:
            f.write(text)
            os.setxattr(f.fileno(), XATTR,
                        json.dumps(summary, separators=(",", ":"), ensure_ascii=False).encode())
        os.chmod(path, 0o600)
        os.symlink(cid, os.path.join(cdir, "names", name))


if __name__ == "__main__":
    main()
