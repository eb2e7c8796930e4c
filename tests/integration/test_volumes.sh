# Integration tests of volumes: -v, --mount, --tmpfs, the image's VOLUMEs, `berth volume ...`.
# Run as root by tests/run.sh, each test with its own BERTH_ROOT.

# make_image NAME [--volume PATH]... [--layer DIR]...: a new image in the test's store: the
# busybox layer, then each DIR as one more layer (overlay format: whiteouts are 0:0 character
# devices, opaque directories carry trusted.overlay.opaque=y), with config.Volumes. It is written
# straight into the store's documented layout (docs/state.md), as `load` would.
make_image() {
	"$BERTH" run --rm busybox true # imports busybox
	"$PYTHON" - "$BERTH_ROOT" "$@" <<'PY'
import hashlib, json, os, shutil, sys
root, name, args = sys.argv[1], sys.argv[2], sys.argv[3:]
repos_path = f"{root}/images/repositories.json"
repos = json.load(open(repos_path))
base = repos["busybox:latest"].split(":")[1]
cfg = json.load(open(f"{root}/images/blobs/sha256/{base}"))
vols, i = {}, 0
while i < len(args):
    if args[i] == "--volume":
        vols[args[i + 1]] = {}
    elif args[i] == "--layer":
        d = args[i + 1]
        h = hashlib.sha256(d.encode() + os.urandom(8)).hexdigest()
        dst = f"{root}/images/layers/{h}"
        os.makedirs(dst)
        os.system(f"cp -a '{d}' '{dst}/diff'")
        cfg["rootfs"]["diff_ids"].append("sha256:" + h)
    i += 2
if vols:
    cfg["config"]["Volumes"] = vols
data = json.dumps(cfg, sort_keys=True, separators=(",", ":")).encode()
h = hashlib.sha256(data).hexdigest()
open(f"{root}/images/blobs/sha256/{h}", "wb").write(data)
repos[name + ":latest"] = "sha256:" + h
json.dump(repos, open(repos_path, "w"))
PY
}

test_volume_bind_rw() {
	mkdir "$TEST_TMP/host"
	echo from-host >"$TEST_TMP/host/in"
	assert_exit 0 "$BERTH" run --rm -v "$TEST_TMP/host:/data" busybox sh -c 'cat /data/in; echo from-container >/data/out'
	assert_eq from-host "$OUT"
	assert_eq from-container "$(cat "$TEST_TMP/host/out")"
}

test_volume_bind_ro() {
	mkdir "$TEST_TMP/host"
	echo x >"$TEST_TMP/host/in"
	assert_exit 1 "$BERTH" run --rm -v "$TEST_TMP/host:/data:ro" busybox sh -c 'cat /data/in; echo y >/data/out'
	assert_eq x "$OUT"
	assert_contains "$ERR" "Read-only file system"
	[ ! -e "$TEST_TMP/host/out" ] || fail "a read-only bind mount was written"
}

test_volume_bind_creates_missing_host_dir() {
	assert_exit 0 "$BERTH" run --rm -v "$TEST_TMP/new/sub:/data" busybox sh -c 'touch /data/f'
	[ -f "$TEST_TMP/new/sub/f" ] || fail "-v did not create the missing host directory"
}

test_volume_named_persists_and_is_filled_from_image() {
	assert_exit 0 "$BERTH" run --rm -v data:/etc busybox sh -c 'grep ^root: /etc/passwd; echo kept >/etc/mine'
	assert_contains "$OUT" "root:x:0:0"
	[ -f "$BERTH_ROOT/volumes/data/_data/passwd" ] || fail "the volume was not filled from the image"
	assert_exit 0 "$BERTH" run --rm -v data:/other busybox cat /other/mine
	assert_eq kept "$OUT"
	# Emptied volumes are filled again only when empty: a file removed stays removed.
	assert_exit 0 "$BERTH" run --rm -v data:/etc busybox sh -c 'rm /etc/group; ls /etc'
	assert_exit 0 "$BERTH" run --rm -v data:/etc busybox ls /etc
	assert_not_contains "$OUT" group
	assert_exit 0 "$BERTH" volume ls -q
	assert_eq data "$OUT"
}

test_volume_copy_up_keeps_modes_owners_links() {
	assert_exit 0 "$BERTH" run --rm -v bin:/bin busybox sh -c 'ls -l /bin/sh'
	local st
	st=$(stat -c '%F %U' "$BERTH_ROOT/volumes/bin/_data/sh")
	assert_eq "symbolic link root" "$st"
	assert_eq "$(stat -c %a "$BERTH_ROOT/images/layers/"*/diff/bin/busybox)" \
		"$(stat -c %a "$BERTH_ROOT/volumes/bin/_data/busybox")" "mode of /bin/busybox"
}

test_volume_nocopy() {
	assert_exit 0 "$BERTH" run --rm -v data2:/usr:nocopy busybox ls /usr
	assert_eq "" "$OUT"
	assert_exit 0 "$BERTH" run --rm -v data3:/usr busybox ls /usr
	assert_contains "$OUT" bin
}

test_volume_anonymous_removed_with_rm_flag() {
	assert_exit 0 "$BERTH" run --rm -v /anon busybox sh -c 'touch /anon/x; ls /anon'
	assert_eq x "$OUT"
	assert_exit 0 "$BERTH" volume ls -q
	assert_eq "" "$OUT" "the anonymous volume outlived --rm"
}

test_volume_anonymous_removed_by_rm_v_only() {
	assert_exit 0 "$BERTH" run --name keep -v /anon -v named:/named busybox true
	assert_exit 0 "$BERTH" volume ls -q
	assert_eq 2 "$(printf '%s\n' "$OUT" | wc -l)"
	assert_exit 0 "$BERTH" rm keep
	assert_exit 0 "$BERTH" volume ls -q
	assert_eq 2 "$(printf '%s\n' "$OUT" | wc -l)" "plain rm keeps volumes (docker)"
	assert_exit 0 "$BERTH" run --name gone -v /anon busybox true
	assert_exit 0 "$BERTH" rm -v gone
	assert_exit 0 "$BERTH" volume ls -q
	assert_eq 2 "$(printf '%s\n' "$OUT" | wc -l)" "rm -v removes its anonymous volume only"
	assert_contains "$OUT" named
}

test_volume_tmpfs_size() {
	assert_exit 0 "$BERTH" run --rm --tmpfs /t:size=64m,mode=1777 busybox sh -c 'df -k /t | tail -1; stat -c %a /t'
	assert_contains "$OUT" " 65536 "
	assert_contains "$OUT" "1777"
	assert_exit 1 "$BERTH" run --rm --tmpfs /t:size=1m busybox dd if=/dev/zero of=/t/f bs=1k count=2048
	assert_contains "$ERR" "No space left on device"
}

test_volume_mount_forms() {
	mkdir "$TEST_TMP/host"
	echo hi >"$TEST_TMP/host/f"
	assert_exit 0 "$BERTH" run --rm --mount "type=bind,source=$TEST_TMP/host,target=/h" busybox sh -c 'cat /h/f; echo w >/h/w'
	assert_eq hi "$OUT"
	[ -f "$TEST_TMP/host/w" ] || fail "--mount bind is not writable"
	assert_exit 1 "$BERTH" run --rm --mount "type=bind,src=$TEST_TMP/host,dst=/h,readonly" busybox touch /h/x
	assert_exit 0 "$BERTH" run --rm --mount "source=vol,destination=/v" busybox sh -c 'echo 1 >/v/one'
	assert_exit 0 "$BERTH" run --rm --mount "type=volume,src=vol,target=/v,ro=true" busybox sh -c 'cat /v/one; touch /v/two 2>/dev/null || echo ro'
	assert_eq "1"$'\n'"ro" "$OUT"
	assert_exit 0 "$BERTH" run --rm --mount "type=tmpfs,target=/t,tmpfs-size=1m,tmpfs-mode=700" busybox sh -c 'df -k /t | tail -1; stat -c %a /t'
	assert_contains "$OUT" " 1024 "
	assert_contains "$OUT" "700"
	assert_exit 125 "$BERTH" run --rm --mount "type=bind,source=$TEST_TMP/missing,target=/x" busybox true
	assert_one_error_line "$TEST_TMP/missing"
	[ ! -e "$TEST_TMP/missing" ] || fail "--mount created a missing bind source (docker refuses)"
}

test_volume_bad_flags() {
	local bad
	for bad in "-v a:b:c:d" "-v rel" "-v x:/" "-v /a:/b:bogus" "-v b@d:/x" "--mount type=npipe,target=/x" \
		"--mount type=bind,target=/x" "--mount source=v" "--mount type=tmpfs,src=x,target=/t" \
		"--mount target=/x,foo=bar" "--tmpfs rel" "--tmpfs /t:size=lots" "--mount type=tmpfs,target=/t,tmpfs-mode=9"; do
		# shellcheck disable=SC2086
		assert_exit 125 "$BERTH" run --rm $bad busybox true
		assert_one_error_line
		assert_contains "$ERR" "${bad#* }" "the error names the value"
	done
	assert_exit 125 "$BERTH" run --rm -v a:b:c:d busybox true
	assert_one_error_line '-v: "a:b:c:d" is not'
	assert_exit 125 "$BERTH" run --rm -v /x -v v1:/x busybox true
	assert_one_error_line "duplicate mount point: /x"
	[ ! -e "$BERTH_ROOT/volumes/v1" ] || fail "a failed run left volume v1 behind"
	assert_eq "" "$(container_ids)" "a failed run left a container behind"
	assert_exit 0 "$BERTH" volume ls -q
	assert_eq "" "$OUT"
}

test_volume_cli() {
	assert_exit 0 "$BERTH" volume create myvol
	assert_eq myvol "$OUT"
	assert_exit 0 "$BERTH" volume create
	[[ "$OUT" =~ ^[0-9a-f]{64}$ ]] || fail "generated volume name: $OUT"
	local gen=$OUT
	assert_exit 0 "$BERTH" volume ls
	assert_contains "$OUT" "DRIVER    VOLUME NAME"
	assert_contains "$OUT" "local     myvol"
	assert_exit 0 "$BERTH" volume inspect myvol
	printf '%s\n' "$OUT" >"$TEST_TMP/inspect.json"
	"$PYTHON" - "$TEST_TMP/inspect.json" "$BERTH_ROOT" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
assert len(v) == 1, v
v = v[0]
assert v["Name"] == "myvol" and v["Driver"] == "local" and v["Scope"] == "local", v
assert v["Mountpoint"] == sys.argv[2] + "/volumes/myvol/_data", v
assert v["Labels"] == {} and v["CreatedAt"], v
PY
	assert_exit 125 "$BERTH" volume inspect nosuch
	assert_one_error_line "no such volume: nosuch"
	assert_exit 125 "$BERTH" volume create 'bad name'
	assert_one_error_line "bad name"
	assert_exit 0 "$BERTH" volume rm myvol "$gen"
	assert_exit 0 "$BERTH" volume ls -q
	assert_eq "" "$OUT"
	assert_exit 125 "$BERTH" volume rm myvol
	assert_one_error_line "no such volume: myvol"
	assert_exit 0 "$BERTH" volume rm -f myvol
}

test_volume_rm_in_use_refused() {
	assert_exit 0 "$BERTH" run --name user -v busy:/b busybox true
	assert_exit 125 "$BERTH" volume rm busy
	assert_one_error_line "in use"
	[ -d "$BERTH_ROOT/volumes/busy/_data" ] || fail "an in-use volume was removed"
	assert_exit 0 "$BERTH" volume prune -f -a
	assert_not_contains "$OUT" busy
	assert_exit 0 "$BERTH" volume rm -f busy
	assert_exit 0 "$BERTH" rm user
}

test_volume_prune() {
	assert_exit 0 "$BERTH" volume create named1
	assert_exit 0 "$BERTH" run --name c -v /anon busybox true
	assert_exit 0 "$BERTH" rm c
	assert_exit 0 "$BERTH" volume prune -f
	assert_contains "$OUT" "Deleted Volumes:"
	assert_contains "$OUT" "Total reclaimed space:"
	assert_exit 0 "$BERTH" volume ls -q
	assert_eq named1 "$OUT" "prune without -a removes anonymous volumes only (docker)"
	assert_exit 0 "$BERTH" volume prune -f -a
	assert_contains "$OUT" named1
	assert_exit 0 "$BERTH" volume ls -q
	assert_eq "" "$OUT"
	# Without -f it asks, and "n" keeps everything.
	assert_exit 0 "$BERTH" volume create named2
	run "$BERTH" volume prune -a <<<"n"
	assert_eq 0 "$RC"
	assert_exit 0 "$BERTH" volume ls -q
	assert_eq named2 "$OUT"
}

test_volume_image_volume_is_anonymous() {
	mkdir -p "$TEST_TMP/l1/srv/data"
	echo seeded >"$TEST_TMP/l1/srv/data/file"
	make_image volimg --volume /srv/data --layer "$TEST_TMP/l1"
	assert_exit 0 "$BERTH" run --rm volimg sh -c 'cat /srv/data/file; grep " /srv/data " /proc/mounts | wc -l'
	assert_eq "seeded"$'\n'"1" "$OUT"
	assert_exit 0 "$BERTH" volume ls -q
	assert_eq "" "$OUT" "the image's anonymous volume outlived --rm"
	# A user mount at the same path replaces the image's volume.
	assert_exit 0 "$BERTH" run --rm -v mine:/srv/data volimg cat /srv/data/file
	assert_eq seeded "$OUT"
	assert_exit 0 "$BERTH" volume ls -q
	assert_eq mine "$OUT"
}

test_volume_copy_up_from_stacked_layers() {
	# Layer 2: a new file, a whiteout of /etc/group, an opaque /etc/sub over layer 1's.
	mkdir -p "$TEST_TMP/l1/etc/sub" "$TEST_TMP/l2/etc/sub"
	echo old >"$TEST_TMP/l1/etc/sub/old"
	echo new >"$TEST_TMP/l2/etc/added"
	echo newsub >"$TEST_TMP/l2/etc/sub/new"
	mknod "$TEST_TMP/l2/etc/group" c 0 0
	"$PYTHON" -c 'import os, sys; os.setxattr(sys.argv[1], "trusted.overlay.opaque", b"y")' "$TEST_TMP/l2/etc/sub"
	make_image layered --layer "$TEST_TMP/l1" --layer "$TEST_TMP/l2"
	assert_exit 0 "$BERTH" run --rm -v etc:/etc layered sh -c 'ls /etc /etc/sub'
	local d="$BERTH_ROOT/volumes/etc/_data"
	[ -f "$d/passwd" ] || fail "the bottom layer's /etc/passwd is missing from the volume"
	assert_eq new "$(cat "$d/added")"
	[ ! -e "$d/group" ] || fail "a whited-out file was copied"
	[ -f "$d/sub/new" ] && [ ! -e "$d/sub/old" ] || fail "the opaque directory was not honoured"
	assert_eq "" "$(grep -F -- "$BERTH_ROOT" /proc/self/mountinfo || true)" "copy-up left a mount on the host"
}

# An image whose /evil is a symlink to / (and /evil2 to /etc): a mount on /evil/X lands at /X
# inside the rootfs, never at the host's /X.
test_volume_symlink_target_stays_in_rootfs() {
	mkdir -p "$TEST_TMP/l1" "$TEST_TMP/src"
	ln -s / "$TEST_TMP/l1/evil"
	ln -s /etc "$TEST_TMP/l1/evil2"
	echo inside >"$TEST_TMP/src/f"
	make_image evilimg --layer "$TEST_TMP/l1"
	local name="berth-vol-escape-$$-$RANDOM"
	defer "rmdir /$name /etc/$name 2>/dev/null; true"
	assert_exit 0 "$BERTH" run --rm -v "$TEST_TMP/src:/evil/$name" -v "$TEST_TMP/src:/evil2/$name" evilimg sh -c "cat /$name/f /etc/$name/f"
	assert_eq "inside"$'\n'"inside" "$OUT"
	[ ! -e "/$name" ] || fail "a mount through the image's /evil -> / symlink reached the host's /"
	[ ! -e "/etc/$name" ] || fail "a mount through the image's /evil2 -> /etc symlink reached the host's /etc"
	# A named volume through the symlink is filled from the image's /etc, not the host's.
	assert_exit 0 "$BERTH" run --rm -v ev:/evil2 evilimg true
	[ -f "$BERTH_ROOT/volumes/ev/_data/passwd" ] || fail "copy-up through /evil2 did not find the image's /etc"
	assert_eq "$(cat "$BERTH_ROOT"/images/layers/*/diff/etc/passwd 2>/dev/null | head -1)" \
		"$(head -1 "$BERTH_ROOT/volumes/ev/_data/passwd")" "copy-up read the host's /etc"
}

test_volume_symlink_target_stays_in_rootfs_runtime() {
	local b="$TEST_TMP/bundle" name="berth-vol-escape-$$-$RANDOM" state="$TEST_TMP/rtstate"
	mkdir -p "$b/rootfs" "$TEST_TMP/src"
	echo inside >"$TEST_TMP/src/f"
	tar -xf "$BERTH_DATADIR/busybox-layer.tar" -C "$b/rootfs"
	ln -s / "$b/rootfs/evil"
	defer "rmdir /$name 2>/dev/null; true"
	"$PYTHON" - "$b/config.json" "$name" "$TEST_TMP/src" <<'PY'
import json, sys
path, name, src = sys.argv[1:]
config = {
    "ociVersion": "1.0.2",
    "process": {"terminal": False, "user": {"uid": 0, "gid": 0}, "cwd": "/",
                "env": ["PATH=/bin:/sbin:/usr/bin"], "args": ["cat", f"/{name}/f"]},
    "root": {"path": "rootfs"},
    "mounts": [
        {"destination": "/proc", "type": "proc", "source": "proc"},
        {"destination": f"/evil/{name}", "type": "bind", "source": src, "options": ["rbind", "ro"]},
    ],
    "linux": {"namespaces": [{"type": t} for t in ("pid", "mount", "ipc", "uts")]},
}
json.dump(config, open(path, "w"))
PY
	assert_exit 0 "$BERTH_RUNTIME" --root "$state" run --bundle "$b" "t$$-$RANDOM"
	assert_eq inside "$OUT"
	[ ! -e "/$name" ] || fail "a bundle mount through /evil -> / reached the host's /"
}

test_volume_parallel_first_use_one_copy_up() {
	"$BERTH" run --rm busybox true # import once, outside the race
	local i pids=()
	for i in $(seq 1 50); do
		"$BERTH" run --rm -v shared:/etc busybox sh -c 'cat /etc/passwd | wc -l' >"$TEST_TMP/p$i.out" 2>"$TEST_TMP/p$i.err" &
		pids+=($!)
	done
	local failed=0
	for i in "${!pids[@]}"; do
		wait "${pids[$i]}" || failed=$((failed + 1))
	done
	assert_eq 0 "$failed" "parallel runs failed: $(cat "$TEST_TMP"/p*.err | sort | uniq -c | head -5)"
	local want
	want=$(wc -l <"$BERTH_ROOT/volumes/shared/_data/passwd")
	for i in $(seq 1 50); do
		assert_eq "$want" "$(cat "$TEST_TMP/p$i.out")" "run $i saw a partly filled volume"
	done
	assert_exit 0 "$BERTH" volume ls -q
	assert_eq shared "$OUT"
	assert_eq "" "$(ls -A "$BERTH_ROOT/volumes" | grep -v '^shared$' || true)" "temporary copies left behind"
}

test_volume_start_again_keeps_mounts() {
	assert_exit 0 "$BERTH" run --name again -v st:/st busybox sh -c 'echo $$ >>/st/runs'
	assert_exit 0 "$BERTH" start -a again
	assert_eq 2 "$(wc -l <"$BERTH_ROOT/volumes/st/_data/runs")"
	assert_exit 0 "$BERTH" rm -v again
	assert_exit 0 "$BERTH" volume ls -q
	assert_eq st "$OUT" "rm -v keeps named volumes"
}

test_volume_on_etc_keeps_hostname_and_hosts() {
	assert_exit 0 "$BERTH" run --rm -h volhost -v data:/etc busybox sh -c 'cat /etc/hostname; grep -q volhost /etc/hosts && echo hosts; grep -q root /etc/passwd && echo passwd'
	assert_eq "volhost"$'\n'"hosts"$'\n'"passwd" "$OUT"
}
