# Helpers of the berth-runtime tests (test_runtime.sh, test_rt_cli.sh), sourced by them: a root
# and id per test, a busybox bundle, the state's status, schema validation.

# The OCI schemas: shared/ beside the checkout (where CI puts it), else this workplace's copy.
SCHEMA=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)/shared/reference/oci-runtime-spec/schema
[ -d "$SCHEMA" ] || SCHEMA=/work/shared/reference/oci-runtime-spec/schema

# rt_setup: RTROOT, a fresh container id (hex, so the harness checks its cgroups), and a deferred
# delete --force of it.
rt_setup() {
	RTROOT="$TEST_TMP/rt"
	ID=$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')
	note_id "$ID"
	defer "'$BERTH_RUNTIME' --root '$RTROOT' delete --force '$ID' >/dev/null 2>&1"
}

rt() {
	"$BERTH_RUNTIME" --root "$RTROOT" "$@"
}

# rt_bundle DIR ARGS_JSON [PYTHON]: a bundle with the busybox rootfs; PYTHON edits `config`.
rt_bundle() {
	local dir=$1 args=$2 extra=${3:-}
	mkdir -p "$dir/rootfs"
	tar -xf "$BERTH_DATADIR/busybox-layer.tar" -C "$dir/rootfs"
	"$PYTHON" - "$dir/config.json" "$args" "$extra" <<'EOF'
import json, sys
path, args, extra = sys.argv[1], sys.argv[2], sys.argv[3]
config = {
    "ociVersion": "1.0.2",
    "process": {"terminal": False, "user": {"uid": 0, "gid": 0}, "args": json.loads(args),
                "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                "cwd": "/",
                "capabilities": {k: ["CAP_KILL", "CAP_AUDIT_WRITE"]
                                 for k in ("bounding", "effective", "permitted")}},
    "root": {"path": "rootfs"},
    "hostname": "rt",
    "mounts": [
        {"destination": "/proc", "type": "proc", "source": "proc"},
        {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
         "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
    ],
    "linux": {"namespaces": [{"type": t} for t in ("pid", "network", "ipc", "uts", "mount")]},
}
exec(extra)
json.dump(config, open(path, "w"), indent=2)
EOF
}

status_of() {
	rt state "$1" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["status"])'
}

is_status() {
	[ "$(status_of "$1")" = "$2" ]
}

validate() { # validate SCHEMA_FILE JSON_FILE
	"$PYTHON" - "$SCHEMA" "$1" "$2" <<'EOF'
import json, sys, os, jsonschema
d, schema, doc = sys.argv[1:]
s = json.load(open(os.path.join(d, schema)))
jsonschema.validate(json.load(open(doc)), s,
                    resolver=jsonschema.RefResolver("file://" + d + "/", s))
EOF
}
