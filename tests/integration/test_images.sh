# Integration tests of the image commands: load, save, import, export, commit, images, tag, rmi,
# history, image inspect/prune and the `image` management forms; interop with umoci, skopeo and
# podman (when installed); malicious and corrupt archives; many layers; disk sharing.
# Run as root by tests/run.sh through lib.sh: each test_* function gets its own BERTH_ROOT.
# shellcheck shell=bash disable=SC2016 # single-quoted $ are for the container's shell

BUSYBOX_LAYER=${BERTH_DATADIR:-}/busybox-layer.tar

# store_listing: every path under the image store with its type and size, except the work area
# (tmp/ must be empty, which the listing of tmp itself shows).
store_listing() {
	(cd "$BERTH_ROOT/images" && find . -path ./tmp -prune -o -printf '%p %y %s\n' | sort)
	ls -A "$BERTH_ROOT/images/tmp"
}

# mkarchive OUT KIND [ARGS]: builds an image archive with python's tarfile (see the script).
#   docker LAYER_TAR...   docker-archive, config with those layers (bottom first), tag img:test
#   oci LAYER_TAR...      OCI layout tar, gzip layers, ref.name img:test
#   many N                docker-archive: the busybox layer + N layers of one file each
# Corruptions through MKA_CORRUPT: config-digest, layer-digest, missing-blob, media-type,
# diff-id (the config lists another diff_id).
mkarchive() {
	MKA_CORRUPT=${MKA_CORRUPT:-} BUSYBOX_LAYER=$BUSYBOX_LAYER "$PYTHON" - "$@" <<'EOF'
import gzip, hashlib, io, json, os, sys, tarfile
out, kind, args = sys.argv[1], sys.argv[2], sys.argv[3:]
corrupt = os.environ.get("MKA_CORRUPT", "")
busybox = os.environ["BUSYBOX_LAYER"]
def sha(b): return "sha256:" + hashlib.sha256(b).hexdigest()
def layer_of(files):
    bio = io.BytesIO()
    with tarfile.open(fileobj=bio, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, data in files:
            ti = tarfile.TarInfo(name); ti.size = len(data); ti.mode = 0o644
            t.addfile(ti, io.BytesIO(data))
    return bio.getvalue()
if kind == "many":
    layers = [open(busybox, "rb").read()]
    for i in range(int(args[0])):
        layers.append(layer_of([("layers/l%02d" % i, b"layer %d\n" % i)]))
else:
    layers = [open(p, "rb").read() for p in args]
diff_ids = [sha(l) for l in layers]
if corrupt == "diff-id":
    diff_ids[-1] = sha(b"something else")
config = json.dumps({"architecture": "amd64", "os": "linux",
    "config": {"Cmd": ["sh"], "Env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"]},
    "rootfs": {"type": "layers", "diff_ids": diff_ids},
    "history": [{"created_by": "test layer %d" % i} for i in range(len(layers))]}).encode()
entries = []
if kind in ("docker", "many"):
    cname = hashlib.sha256(config).hexdigest() + ".json"
    if corrupt == "config-digest":
        cname = hashlib.sha256(b"x").hexdigest() + ".json"
    entries.append((cname, config))
    names = []
    for i, l in enumerate(layers):
        n = "%03d/layer.tar" % i
        names.append(n)
        entries.append((n, l))
    if corrupt == "missing-blob":
        entries.pop()
    entries.append(("manifest.json", json.dumps([{"Config": cname, "RepoTags": ["img:test"],
                                                  "Layers": names}]).encode()))
else:
    blobs = {}
    descs = []
    for l in layers:
        g = gzip.compress(l, mtime=0)
        mt = "application/vnd.oci.image.layer.v1.tar+gzip"
        if corrupt == "media-type":
            mt = "application/vnd.example.unknown"
        d = sha(g)
        if corrupt == "layer-digest":
            g = g[:-1] + bytes([g[-1] ^ 1])
        blobs[d] = g
        descs.append({"mediaType": mt, "digest": d, "size": len(g)})
    blobs[sha(config)] = config
    manifest = json.dumps({"schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": sha(config), "size": len(config)},
        "layers": descs}).encode()
    blobs[sha(manifest)] = manifest
    if corrupt == "missing-blob":
        del blobs[descs[0]["digest"]]
    for d, b in blobs.items():
        entries.append(("blobs/sha256/" + d[7:], b))
    entries.append(("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'))
    entries.append(("index.json", json.dumps({"schemaVersion": 2, "manifests": [
        {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": sha(manifest),
         "size": len(manifest),
         "annotations": {"org.opencontainers.image.ref.name": "img:test"}}]}).encode()))
with tarfile.open(out, "w") as t:
    for name, data in entries:
        ti = tarfile.TarInfo(name); ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
EOF
}

# evil_layer OUT CASE: a layer tar that tries to write outside its directory (or is merely
# unusual: device, setuid), built with python's tarfile.
evil_layer() {
	"$PYTHON" - "$@" <<'EOF'
import io, sys, tarfile
out, case = sys.argv[1], sys.argv[2]
t = tarfile.open(out, "w", format=tarfile.PAX_FORMAT)
def f(name, data=b"pwned\n", mode=0o644):
    ti = tarfile.TarInfo(name); ti.size = len(data); ti.mode = mode
    t.addfile(ti, io.BytesIO(data))
def link(name, target, kind):
    ti = tarfile.TarInfo(name); ti.type = kind; ti.linkname = target
    t.addfile(ti)
f("ok")
if case == "dotdot":
    f("../../../../../../tmp/EVIL")
elif case == "absolute":
    f("/tmp/EVIL")
elif case == "symlink":
    link("esc", "/tmp", tarfile.SYMTYPE)
    f("esc/EVIL")
elif case == "symlink-rel":
    link("esc", "../../../../../../../../tmp", tarfile.SYMTYPE)
    f("esc/EVIL")
elif case == "hardlink":
    link("hl", "/etc/passwd", tarfile.LNKTYPE)
elif case == "hardlink-dotdot":
    link("hl", "../../../../../../../../etc/passwd", tarfile.LNKTYPE)
elif case == "device":
    ti = tarfile.TarInfo("devs/mynull"); ti.type = tarfile.CHRTYPE; ti.devmajor = 1; ti.devminor = 3
    ti.mode = 0o666
    t.addfile(ti)
elif case == "setuid":
    f("bin/suid", b"#!/bin/sh\n", 0o4755)
t.close()
EOF
}

# ---- save / load

test_save_load_run() {
	assert_exit 0 "$BERTH" run --rm busybox true
	assert_exit 0 "$BERTH" save -o "$TEST_TMP/bb.tar" busybox
	assert_exit 0 "$BERTH" save --format oci -o "$TEST_TMP/bb-oci.tar" busybox:latest
	local main=$BERTH_ROOT
	# A fresh store for each: no built-in busybox used, only what was loaded.
	BERTH_ROOT=$main/r2
	assert_exit 0 "$BERTH" load -i "$TEST_TMP/bb.tar"
	assert_eq "Loaded image: busybox:latest" "$OUT"
	assert_exit 0 "$BERTH" run --rm busybox sh -c 'echo from-loaded'
	assert_eq from-loaded "$OUT"
	BERTH_ROOT=$main/r3
	assert_exit 0 "$BERTH" load <"$TEST_TMP/bb-oci.tar"
	assert_eq "Loaded image: busybox:latest" "$OUT"
	assert_exit 0 "$BERTH" run --rm busybox true
	# Loading the same archive twice is fine and changes nothing.
	local before
	before=$(store_listing)
	assert_exit 0 "$BERTH" image load -i "$TEST_TMP/bb-oci.tar"
	assert_eq "$before" "$(store_listing)" "store after a second load"
	# A saved image loads back with the same id (berth's own layers re-tar identically).
	BERTH_ROOT=$main/r4
	assert_exit 0 "$BERTH" load -i "$TEST_TMP/bb.tar"
	assert_exit 0 "$BERTH" save -o "$TEST_TMP/bb2.tar" busybox
	local id1 id2
	id1=$(BERTH_ROOT=$main/r2 "$BERTH" images -q --no-trunc busybox)
	id2=$(BERTH_ROOT=$main/r4 "$BERTH" images -q --no-trunc busybox)
	assert_eq "$id1" "$id2" "id after save/load/save/load"
	cmp -s "$TEST_TMP/bb.tar" "$TEST_TMP/bb2.tar" || fail "save is not deterministic"
	BERTH_ROOT=$main
}

test_load_formats_gzip_and_untagged() {
	mkarchive "$TEST_TMP/oci.tar" oci "$BUSYBOX_LAYER"
	assert_exit 0 "$BERTH" load -i "$TEST_TMP/oci.tar"
	assert_eq "Loaded image: img:test" "$OUT"
	assert_exit 0 "$BERTH" run --rm img:test sh -c 'echo gz-ok'
	assert_eq gz-ok "$OUT"
	# Saved again, a loaded image keeps its id: its layers are rebuilt byte for byte from their
	# tar-split records, not re-tarred.
	local id
	id=$("$BERTH" images -q --no-trunc img:test)
	assert_exit 0 "$BERTH" save -o "$TEST_TMP/again.tar" img:test
	BERTH_ROOT=$BERTH_ROOT/r1 assert_exit 0 "$BERTH" load -i "$TEST_TMP/again.tar"
	assert_eq "$id" "$(BERTH_ROOT=$BERTH_ROOT/r1 "$BERTH" images -q --no-trunc img:test)" "id after load/save/load"
	# The whole archive gzipped, as `docker save | gzip` makes.
	mkarchive "$TEST_TMP/d.tar" docker "$BUSYBOX_LAYER"
	gzip -c "$TEST_TMP/d.tar" >"$TEST_TMP/d.tar.gz"
	BERTH_ROOT=$BERTH_ROOT/r2 assert_exit 0 "$BERTH" load -i "$TEST_TMP/d.tar.gz"
	assert_eq "Loaded image: img:test" "$OUT"
	# No RepoTags: docker's "Loaded image ID:".
	"$PYTHON" - "$TEST_TMP/d.tar" "$TEST_TMP/untagged.tar" <<'EOF'
import io, json, sys, tarfile
src, dst = tarfile.open(sys.argv[1]), tarfile.open(sys.argv[2], "w")
for m in src.getmembers():
    data = src.extractfile(m).read()
    if m.name == "manifest.json":
        j = json.loads(data); j[0]["RepoTags"] = None; data = json.dumps(j).encode()
    m.size = len(data); dst.addfile(m, io.BytesIO(data))
dst.close()
EOF
	BERTH_ROOT=$BERTH_ROOT/r3 assert_exit 0 "$BERTH" load -i "$TEST_TMP/untagged.tar"
	assert_contains "$OUT" "Loaded image ID: sha256:"
}

test_load_corrupt_archives_leave_store_unchanged() {
	assert_exit 0 "$BERTH" run --rm busybox true
	local before c
	before=$(store_listing)
	for c in config-digest missing-blob diff-id; do
		MKA_CORRUPT=$c mkarchive "$TEST_TMP/bad-$c.tar" docker "$BUSYBOX_LAYER" "$BUSYBOX_LAYER"
		assert_exit 125 "$BERTH" load -i "$TEST_TMP/bad-$c.tar"
		assert_one_error_line
		assert_eq "$before" "$(store_listing)" "store after docker $c"
	done
	for c in layer-digest missing-blob media-type; do
		MKA_CORRUPT=$c mkarchive "$TEST_TMP/bad-oci-$c.tar" oci "$BUSYBOX_LAYER"
		assert_exit 125 "$BERTH" load -i "$TEST_TMP/bad-oci-$c.tar"
		assert_one_error_line
		assert_eq "$before" "$(store_listing)" "store after oci $c"
	done
	assert_contains "$ERR" "unknown media type"
	# A new layer that unpacks fine followed by a bad one: the good one is not kept either.
	mkarchive "$TEST_TMP/good.tar" docker "$BUSYBOX_LAYER"
	evil_layer "$TEST_TMP/l1.tar" setuid
	MKA_CORRUPT=diff-id mkarchive "$TEST_TMP/half.tar" docker "$BUSYBOX_LAYER" "$TEST_TMP/l1.tar" "$TEST_TMP/l1.tar"
	assert_exit 125 "$BERTH" load -i "$TEST_TMP/half.tar"
	assert_eq "$before" "$(store_listing)" "store after a half-good archive"
	# Truncated, and not an archive at all.
	local size
	size=$(stat -c %s "$TEST_TMP/good.tar")
	head -c $((size / 2)) "$TEST_TMP/good.tar" >"$TEST_TMP/trunc.tar"
	assert_exit 125 "$BERTH" load -i "$TEST_TMP/trunc.tar"
	assert_one_error_line
	assert_eq "$before" "$(store_listing)" "store after a truncated archive"
	echo "not a tar" >"$TEST_TMP/junk"
	assert_exit 125 "$BERTH" load -i "$TEST_TMP/junk"
	assert_one_error_line
	assert_exit 125 "$BERTH" load -i "$TEST_TMP/does-not-exist"
	assert_one_error_line "does-not-exist"
	assert_eq "$before" "$(store_listing)" "store after junk"
}

test_load_malicious_layers() {
	assert_exit 0 "$BERTH" run --rm busybox true
	local before c marker=/tmp/EVIL
	rm -f "$marker"
	before=$(store_listing)
	for c in dotdot absolute symlink symlink-rel hardlink hardlink-dotdot; do
		evil_layer "$TEST_TMP/evil-$c.tar" "$c"
		mkarchive "$TEST_TMP/a-$c.tar" docker "$BUSYBOX_LAYER" "$TEST_TMP/evil-$c.tar"
		run "$BERTH" load -i "$TEST_TMP/a-$c.tar"
		[ ! -e "$marker" ] || { rm -f "$marker"; fail "$c: a file was written outside the layer"; }
		grep -q pwned /etc/passwd && fail "$c: /etc/passwd was changed"
		if [ "$RC" = 0 ]; then
			# Accepted only if nothing escaped: the link stays inside the layer.
			local d
			d=$(find "$BERTH_ROOT/images/layers" -name hl -o -name esc | head -n 1)
			[ -z "$d" ] || [ -L "$d" ] || [ "$(stat -c %i "$d")" != "$(stat -c %i /etc/passwd)" ] ||
				fail "$c: a hard link to a host file"
			"$BERTH" rmi -f img:test >/dev/null
		else
			assert_one_error_line
			assert_eq "$before" "$(store_listing)" "store after $c"
		fi
	done
	# Allowed, as docker allows them: device nodes (as root) and setuid bits, kept.
	evil_layer "$TEST_TMP/dev.tar" device
	evil_layer "$TEST_TMP/suid.tar" setuid
	mkarchive "$TEST_TMP/ds.tar" docker "$BUSYBOX_LAYER" "$TEST_TMP/dev.tar" "$TEST_TMP/suid.tar"
	assert_exit 0 "$BERTH" load -i "$TEST_TMP/ds.tar"
	assert_exit 0 "$BERTH" run --rm img:test sh -c 'stat -c "%a %t:%T" /bin/suid /devs/mynull'
	assert_eq "$(printf '4755 0:0\n666 1:3')" "$OUT"
}

# ---- commit, export, import

test_commit_sees_change_and_deletion() {
	assert_exit 0 "$BERTH" run --name c1 busybox sh -c \
		'echo hello >/new; rm /bin/vi; mkdir -p /etc/opq; echo a >/etc/opq/a'
	defer '"$BERTH" rm -f c1 c2 >/dev/null 2>&1 || true'
	assert_exit 0 "$BERTH" commit -m "first" -c 'CMD ["cat", "/new"]' -c 'ENV FOO=bar' \
		-c 'EXPOSE 8080' -c 'LABEL team=ops' c1 mine:v1
	assert_contains "$OUT" "sha256:"
	assert_exit 0 "$BERTH" run --rm mine:v1
	assert_eq hello "$OUT"
	assert_exit 0 "$BERTH" run --rm mine:v1 sh -c 'test ! -e /bin/vi && echo $FOO && cat /etc/opq/a'
	assert_eq "$(printf 'bar\na')" "$OUT"
	# The files berth writes at create are not part of the image.
	assert_exit 0 "$BERTH" image inspect mine:v1
	assert_contains "$OUT" '"8080/tcp"'
	assert_contains "$OUT" '"team": "ops"'
	local n
	n=$(printf '%s' "$OUT" | "$PYTHON" -c 'import json,sys; print(len(json.load(sys.stdin)[0]["RootFS"]["Layers"]))')
	assert_eq 2 "$n" "layers of the committed image"
	# An opaque dir: remove a directory of the image and recreate it.
	assert_exit 0 "$BERTH" run --name c2 mine:v1 sh -c 'rm -rf /etc/opq; mkdir /etc/opq; echo b >/etc/opq/b'
	assert_exit 0 "$BERTH" commit c2 mine:v2
	assert_exit 0 "$BERTH" run --rm mine:v2 sh -c 'ls /etc/opq'
	assert_eq b "$OUT"
	assert_exit 0 "$BERTH" history mine:v2
	assert_contains "$OUT" "first"
	assert_eq 4 "$(printf '%s\n' "$OUT" | wc -l)" "history rows"
	# Saved and loaded elsewhere, the committed image keeps its id and its whiteouts.
	assert_exit 0 "$BERTH" save -o "$TEST_TMP/v2.tar" mine:v2
	local id
	id=$("$BERTH" images -q --no-trunc mine:v2)
	BERTH_ROOT=$BERTH_ROOT/r2 assert_exit 0 "$BERTH" load -i "$TEST_TMP/v2.tar"
	assert_eq "$id" "$(BERTH_ROOT=$BERTH_ROOT/r2 "$BERTH" images -q --no-trunc mine:v2)"
	BERTH_ROOT=$BERTH_ROOT/r2 assert_exit 0 "$BERTH" run --rm mine:v2 sh -c 'ls /etc/opq; test ! -e /bin/vi'
	assert_eq b "$OUT"
}

test_export_import_run() {
	assert_exit 0 "$BERTH" run --name ex busybox sh -c 'echo exported >/marker; rm /bin/vi'
	defer '"$BERTH" rm -f ex >/dev/null 2>&1 || true'
	assert_exit 0 "$BERTH" export -o "$TEST_TMP/ex.tar" ex
	tar -tf "$TEST_TMP/ex.tar" >"$TEST_TMP/list"
	grep -qx marker "$TEST_TMP/list" || fail "export lacks /marker"
	grep -qx bin/vi "$TEST_TMP/list" && fail "export has the deleted /bin/vi"
	grep -q '\.wh\.' "$TEST_TMP/list" && fail "export has whiteouts"
	"$BERTH" export ex >"$TEST_TMP/ex2.tar" || fail "export to stdout"
	cmp -s "$TEST_TMP/ex.tar" "$TEST_TMP/ex2.tar" || fail "export differs between runs"
	assert_exit 0 "$BERTH" import -c 'CMD ["cat", "/marker"]' -c 'WORKDIR /bin' "$TEST_TMP/ex.tar" imp:1
	assert_exit 0 "$BERTH" run --rm imp:1
	assert_eq exported "$OUT"
	assert_exit 0 "$BERTH" run --rm imp:1 pwd
	assert_eq /bin "$OUT"
	gzip -c "$TEST_TMP/ex.tar" | "$BERTH" image import - imp:2 >/dev/null || fail "import from stdin"
	assert_exit 0 "$BERTH" run --rm imp:2 cat /marker
	assert_eq exported "$OUT"
	assert_exit 125 "$BERTH" import -c 'FROBNICATE x' "$TEST_TMP/ex.tar"
	assert_one_error_line "unsupported instruction"
}

# ---- images, tag, rmi, prune, inspect

test_images_tag_rmi_prune() {
	assert_exit 0 "$BERTH" run --rm busybox true
	assert_exit 0 "$BERTH" tag busybox mybox:1
	assert_exit 0 "$BERTH" images
	assert_contains "$(printf '%s\n' "$OUT" | head -n 1)" "REPOSITORY   TAG       IMAGE ID       CREATED   "
	assert_contains "$OUT" "mybox "
	local id
	id=$("$BERTH" images -q busybox)
	[[ "$id" =~ ^[0-9a-f]{12}$ ]] || fail "images -q: $id"
	assert_eq "$id" "$("$BERTH" image ls -q mybox:1)"
	# A container uses it: refused.
	assert_exit 0 "$BERTH" run --name user1 busybox true
	defer '"$BERTH" rm -f user1 >/dev/null 2>&1 || true'
	assert_exit 0 "$BERTH" rmi mybox:1 # one of two names: only the name goes
	assert_eq "Untagged: mybox:1" "$OUT"
	assert_exit 1 "$BERTH" rmi busybox
	assert_one_error_line "container"
	assert_exit 0 "$BERTH" rm user1
	# A committed image shares the busybox layer: removing busybox keeps it.
	assert_exit 0 "$BERTH" run --name c busybox sh -c 'echo x >/x'
	assert_exit 0 "$BERTH" commit c derived
	assert_exit 0 "$BERTH" rm c
	assert_exit 0 "$BERTH" rmi busybox
	assert_contains "$OUT" "Deleted: sha256:$id"
	assert_exit 0 "$BERTH" run --rm derived cat /x
	assert_eq x "$OUT"
	assert_exit 0 "$BERTH" rmi derived
	[ -z "$(ls -A "$BERTH_ROOT/images/layers")" ] || fail "layers left: $(ls "$BERTH_ROOT/images/layers")"
	[ -z "$(ls -A "$BERTH_ROOT/images/l")" ] || fail "links left"
	# The built-in busybox comes back on next use.
	assert_exit 0 "$BERTH" run --rm busybox echo back
	assert_eq back "$OUT"
	# prune: dangling only, then all unused.
	assert_exit 0 "$BERTH" run --name c3 busybox sh -c 'echo y >/y'
	assert_exit 0 "$BERTH" commit c3
	assert_exit 0 "$BERTH" rm c3
	assert_contains "$("$BERTH" images)" "<none>"
	assert_exit 0 "$BERTH" image prune -f
	assert_contains "$OUT" "Deleted: sha256:"
	assert_not_contains "$("$BERTH" images)" "<none>"
	assert_contains "$("$BERTH" images)" "busybox"
	assert_exit 0 "$BERTH" image prune -a -f
	assert_eq 1 "$("$BERTH" images | wc -l)" "images after prune -a"
	assert_exit 1 "$BERTH" image rm nosuch
	assert_one_error_line "No such image: nosuch"
}

test_inspect_and_history() {
	assert_exit 0 "$BERTH" run --name c busybox true
	defer '"$BERTH" rm -f c >/dev/null 2>&1 || true'
	assert_exit 0 "$BERTH" commit -c 'VOLUME /data' -c 'STOPSIGNAL SIGINT' -c 'USER 1000' c insp
	assert_exit 0 "$BERTH" image inspect insp
	printf '%s' "$OUT" >"$TEST_TMP/i.json"
	"$PYTHON" - "$TEST_TMP/i.json" <<'EOF' || fail "inspect JSON: $(cat "$TEST_TMP/i.json")"
import json, sys
j = json.load(open(sys.argv[1]))[0]
for k in ("Id", "RepoTags", "Created", "Config", "RootFS", "Size", "Architecture", "Os"):
    assert k in j, k
assert j["RepoTags"] == ["insp:latest"], j["RepoTags"]
assert j["Config"]["Volumes"] == {"/data": {}}
assert j["Config"]["StopSignal"] == "SIGINT"
assert j["Config"]["User"] == "1000"
assert j["Size"] > 1000000
EOF
	assert_exit 0 "$BERTH" history insp
	assert_eq "IMAGE          CREATED" "$(printf '%s\n' "$OUT" | head -n 1 | cut -c1-22)"
	assert_contains "$OUT" "<missing>"
}

# ---- many layers

test_sixty_layers() {
	mkarchive "$TEST_TMP/many.tar" many 59
	assert_exit 0 "$BERTH" load -i "$TEST_TMP/many.tar"
	assert_exit 0 "$BERTH" run --rm img:test sh -c 'ls /layers | wc -l; cat /layers/l58'
	assert_eq "$(printf '59\nlayer 58')" "$OUT"
	# Committing on top of it gives a 61st layer that still mounts.
	assert_exit 0 "$BERTH" run --name c img:test sh -c 'rm /layers/l00'
	defer '"$BERTH" rm -f c >/dev/null 2>&1 || true'
	assert_exit 0 "$BERTH" commit c many:61
	assert_exit 0 "$BERTH" run --rm many:61 sh -c 'ls /layers | wc -l'
	assert_eq 58 "$OUT"
	assert_exit 0 "$BERTH" export -o "$TEST_TMP/m.tar" c
	# Past what one page of mount options holds: a clear error naming the layer count.
	mkarchive "$TEST_TMP/toomany.tar" many 149
	assert_exit 0 "$BERTH" load -i "$TEST_TMP/toomany.tar"
	assert_exit 125 "$BERTH" run --rm img:test true
	assert_one_error_line "150 layers"
}

# ---- disk sharing

test_fifty_containers_share_the_image() {
	assert_exit 0 "$BERTH" run --rm busybox true
	local img_kb store_kb i
	img_kb=$(du -sk "$BERTH_ROOT/images" | cut -f1)
	for i in $(seq 1 50); do
		"$BERTH" run --name "c$i" busybox true || fail "run c$i"
	done
	defer 'for i in $(seq 1 50); do "$BERTH" rm -f c$i >/dev/null 2>&1; done'
	store_kb=$(du -sk "$BERTH_ROOT" | cut -f1)
	# Each container: its record, spec and small upper/work dirs (well under 64 KiB).
	[ "$store_kb" -lt $((2 * img_kb + 50 * 64)) ] ||
		fail "store is ${store_kb} KiB with 50 containers; the image alone is ${img_kb} KiB"
}

# ---- interop

test_umoci_and_skopeo_images_load_and_run() {
	need_cmd umoci umoci
	need_cmd skopeo skopeo
	local lay=$TEST_TMP/umoci
	umoci init --layout "$lay" || fail "umoci init"
	umoci new --image "$lay:latest" || fail "umoci new"
	umoci unpack --image "$lay:latest" "$TEST_TMP/bundle" >/dev/null || fail "umoci unpack"
	tar -xf "$BUSYBOX_LAYER" -C "$TEST_TMP/bundle/rootfs"
	echo umoci-made >"$TEST_TMP/bundle/rootfs/origin"
	umoci repack --image "$lay:latest" "$TEST_TMP/bundle" || fail "umoci repack"
	umoci config --image "$lay:latest" --config.cmd cat --config.cmd /origin || fail "umoci config"
	tar -C "$lay" -cf "$TEST_TMP/umoci.tar" .
	assert_exit 0 "$BERTH" load -i "$TEST_TMP/umoci.tar"
	assert_contains "$OUT" "Loaded image ID: sha256:" # ref.name "latest" names no repository
	local id=${OUT##*sha256:}
	assert_exit 0 "$BERTH" run --rm "$id"
	assert_eq umoci-made "$OUT"
	# Saved by berth, umoci's image keeps its id (tar-split) and skopeo takes it.
	assert_exit 0 "$BERTH" save --format oci -o "$TEST_TMP/re.tar" "$id"
	BERTH_ROOT=$BERTH_ROOT/r1 assert_exit 0 "$BERTH" load -i "$TEST_TMP/re.tar"
	assert_eq "Loaded image ID: sha256:$id" "$OUT"
	assert_exit 0 private_host skopeo inspect "oci-archive:$TEST_TMP/re.tar"
	# skopeo copies it to another OCI layout (gzip) under a full name.
	private_host skopeo copy --quiet "oci:$lay:latest" "oci:$TEST_TMP/sk:sk/img:1" || fail "skopeo copy"
	tar -C "$TEST_TMP/sk" -cf "$TEST_TMP/sk.tar" .
	assert_exit 0 "$BERTH" load -i "$TEST_TMP/sk.tar"
	assert_eq "Loaded image: sk/img:1" "$OUT"
	assert_exit 0 "$BERTH" run --rm sk/img:1
	assert_eq umoci-made "$OUT"
	private_host skopeo copy --quiet "oci:$lay:latest" "docker-archive:$TEST_TMP/skd.tar:skd:2" ||
		fail "skopeo copy to docker-archive"
	assert_exit 0 "$BERTH" load -i "$TEST_TMP/skd.tar"
	assert_eq "Loaded image: skd:2" "$OUT"
	assert_exit 0 "$BERTH" run --rm skd:2
	assert_eq umoci-made "$OUT"
}

test_saved_archives_load_in_skopeo_and_podman() {
	need_cmd skopeo skopeo
	assert_exit 0 "$BERTH" run --name c busybox sh -c 'echo committed >/c; rm /bin/vi'
	defer '"$BERTH" rm -f c >/dev/null 2>&1 || true'
	assert_exit 0 "$BERTH" commit -c 'CMD ["cat", "/c"]' c mine:1
	assert_exit 0 "$BERTH" save -o "$TEST_TMP/d.tar" mine:1
	assert_exit 0 "$BERTH" save --format oci -o "$TEST_TMP/o.tar" mine:1
	assert_exit 0 private_host skopeo inspect "docker-archive:$TEST_TMP/d.tar"
	assert_contains "$OUT" '"Layers"'
	# skopeo finds the image by the tag berth wrote (RepoTags).
	assert_exit 0 private_host skopeo inspect "docker-archive:$TEST_TMP/d.tar:mine:1"
	assert_exit 0 private_host skopeo inspect "oci-archive:$TEST_TMP/o.tar"
	assert_contains "$OUT" '"Layers"'
	# skopeo copies both into an OCI layout, checking every digest.
	assert_exit 0 private_host skopeo copy --quiet "docker-archive:$TEST_TMP/d.tar" "oci:$TEST_TMP/back:x"
	assert_exit 0 private_host skopeo copy --quiet "oci-archive:$TEST_TMP/o.tar" "oci:$TEST_TMP/back2:x"
	need_cmd podman podman
	# podman with its own store, state (alive.lck, exits: --tmpdir, else /run/libpod) and network
	# config (else /etc/cni/net.d/cni.lock) under TEST_TMP; vfs makes no mounts; private_host for
	# the blob-info cache no flag moves.
	local pm=(private_host podman --root "$TEST_TMP/pm/root" --runroot "$TEST_TMP/pm/run"
		--tmpdir "$TEST_TMP/pm/tmp" --network-config-dir "$TEST_TMP/pm/net" --storage-driver vfs
		--cgroup-manager cgroupfs --events-backend none)
	defer "rm -rf '$TEST_TMP/pm' 2>/dev/null || true"
	assert_exit 0 "${pm[@]}" load -i "$TEST_TMP/d.tar"
	assert_contains "$OUT" "mine:1"
	assert_exit 0 "${pm[@]}" load -i "$TEST_TMP/o.tar"
	assert_exit 0 "${pm[@]}" images
	assert_contains "$OUT" "mine"
	# And what podman saves (its docker-archive and oci-archive) loads and runs in berth.
	assert_exit 0 "${pm[@]}" save -o "$TEST_TMP/pd.tar" localhost/mine:1
	assert_exit 0 "${pm[@]}" save --format oci-archive -o "$TEST_TMP/po.tar" localhost/mine:1
	local main=$BERTH_ROOT
	BERTH_ROOT=$main/p1 assert_exit 0 "$BERTH" load -i "$TEST_TMP/pd.tar"
	assert_contains "$OUT" "Loaded image: "
	BERTH_ROOT=$main/p1 assert_exit 0 "$BERTH" run --rm "${OUT#Loaded image: }"
	assert_eq committed "$OUT"
	BERTH_ROOT=$main/p2 assert_exit 0 "$BERTH" load -i "$TEST_TMP/po.tar"
	local id
	id=$(BERTH_ROOT=$main/p2 "$BERTH" images -q | head -n 1)
	BERTH_ROOT=$main/p2 assert_exit 0 "$BERTH" run --rm "$id" sh -c 'cat /c; test ! -e /bin/vi'
	assert_eq committed "$OUT"
}

# A layer no image names (a commit, load or pull killed between publishing the layer and
# writing its image) goes with image prune; the layers images use stay.
test_image_prune_takes_a_layer_no_image_names() {
	assert_exit 0 "$BERTH" run --rm --network none busybox true
	local layers=$BERTH_ROOT/images/layers orphan
	orphan=$(printf 'ab%.0s' $(seq 32))
	local used
	used=$(ls "$layers" | head -n 1)
	cp -a "$layers/$used" "$layers/$orphan"
	assert_exit 0 "$BERTH" image prune -f
	[ ! -e "$layers/$orphan" ] || fail "the orphan layer is still there"
	[ -d "$layers/$used" ] || fail "image prune took busybox's layer"
	assert_exit 0 "$BERTH" run --rm --network none busybox echo still-runs
	assert_eq still-runs "$OUT"
}
