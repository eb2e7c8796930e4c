# Integration tests of pull, push, login, logout against Debian's docker-registry on loopback
# (one registry per test, 127.0.0.1:<free port>, storage and config.yml in TEST_TMP, stopped by
# its pid). Images made at test time: busybox pushed by berth, OCI layouts made by
# registry/mkoci.py pushed by skopeo (in private_host: it keeps a cache in /var/lib/containers).
# shellcheck shell=bash disable=SC2016

REGDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/registry

# shellcheck source=registry/registry.sh
source "$REGDIR/registry.sh"

# A second, empty store.
other_root() {
	mkdir -p "$TEST_TMP/root2"
	echo "$TEST_TMP/root2"
}

assert_no_tmp_left() {
	local left
	left=$(ls -A "$1/images/tmp" 2>/dev/null || true)
	[ -z "$left" ] || fail "temp files left in $1/images/tmp: $left"
}

test_push_pull_run() {
	start_registry
	export BERTH_CONFIG=$TEST_TMP/config
	assert_exit 0 "$BERTH" tag busybox "$REG/bb:1"
	assert_exit 0 "$BERTH" push "$REG/bb:1"
	assert_contains "$OUT" "1: digest: sha256:"
	# A second push finds every blob there.
	assert_exit 0 "$BERTH" push "$REG/bb:1"
	assert_contains "$OUT" "Layer already exists"
	local r2
	r2=$(other_root)
	BERTH_ROOT=$r2 assert_exit 0 "$BERTH" pull "$REG/bb:1"
	assert_contains "$OUT" "Pull complete"
	assert_contains "$OUT" "Digest: sha256:"
	BERTH_ROOT=$r2 assert_exit 0 "$BERTH" run --rm "$REG/bb:1" echo pulled-ok
	assert_eq "pulled-ok" "$OUT"
	# Pulled again: nothing downloaded.
	BERTH_ROOT=$r2 assert_exit 0 "$BERTH" pull "$REG/bb:1"
	assert_contains "$OUT" "Already exists"
	assert_not_contains "$OUT" "Pull complete"
	assert_no_tmp_left "$r2"
	# run of an image not present pulls it first; busybox itself stays offline.
	mkdir -p "$TEST_TMP/root3"
	BERTH_ROOT=$TEST_TMP/root3 assert_exit 0 "$BERTH" run --rm "$REG/bb:1" echo run-pulled
	assert_eq "run-pulled" "$OUT"
	assert_contains "$ERR" "Unable to find image"
	# Pull by digest.
	local dg
	dg=$(curl -sI -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$REG/v2/bb/manifests/1" | tr -d '\r' | awk -F': ' 'tolower($1)=="docker-content-digest"{print $2}')
	mkdir -p "$TEST_TMP/root4"
	BERTH_ROOT=$TEST_TMP/root4 assert_exit 0 "$BERTH" pull "$REG/bb@$dg"
	BERTH_ROOT=$TEST_TMP/root4 assert_exit 0 "$BERTH" run --rm "$REG/bb@$dg" true
}

test_pull_unknown() {
	start_registry
	assert_exit 125 "$BERTH" pull "$REG/nothere:1"
	assert_contains "$ERR" "manifest unknown: $REG/nothere:1"
	assert_exit 0 "$BERTH" tag busybox "$REG/bb:1"
	assert_exit 0 "$BERTH" push "$REG/bb:1"
	assert_exit 125 "$BERTH" pull "$REG/bb:nope"
	assert_contains "$ERR" "manifest unknown: $REG/bb:nope"
	assert_exit 125 "$BERTH" run --rm "$REG/bb:nope" true
	assert_exit 125 "$BERTH" pull "Bad/Name"
}

test_pull_skopeo_oci() {
	start_registry
	"$PYTHON" "$REGDIR/mkoci.py" "$TEST_TMP/oci" one "$BERTH_DATADIR/busybox-layer.tar" amd64
	private_host skopeo copy -q --dest-tls-verify=false "oci:$TEST_TMP/oci:one" "docker://$REG/sk:one" \
		|| fail "skopeo copy failed"
	assert_exit 0 "$BERTH" pull "$REG/sk:one"
	assert_exit 0 "$BERTH" run --rm "$REG/sk:one" cat /arch
	assert_eq "amd64" "$OUT"
	# schema2 as docker pushes it: skopeo converts on the way.
	private_host skopeo copy -q --dest-tls-verify=false --format v2s2 "oci:$TEST_TMP/oci:one" \
		"docker://$REG/sk:v2s2" || fail "skopeo copy --format v2s2 failed"
	assert_exit 0 "$BERTH" pull "$REG/sk:v2s2"
	assert_exit 0 "$BERTH" run --rm "$REG/sk:v2s2" cat /arch
	assert_eq "amd64" "$OUT"
}

test_pull_index_platform() {
	start_registry
	"$PYTHON" "$REGDIR/mkoci.py" "$TEST_TMP/oci" multi "$BERTH_DATADIR/busybox-layer.tar" arm64 amd64
	private_host skopeo copy -q --all --dest-tls-verify=false "oci:$TEST_TMP/oci:multi" \
		"docker://$REG/multi:1" || fail "skopeo copy --all failed"
	assert_exit 0 "$BERTH" pull "$REG/multi:1"
	assert_exit 0 "$BERTH" run --rm "$REG/multi:1" cat /arch
	assert_eq "amd64" "$OUT"
	local r2
	r2=$(other_root)
	BERTH_ROOT=$r2 assert_exit 0 "$BERTH" pull --platform linux/arm64 "$REG/multi:1"
	assert_exit 125 "$BERTH" pull --platform linux/s390x "$REG/multi:1"
	assert_contains "$ERR" "no image for platform linux/s390x"
}

test_login_basic_auth() {
	need_tools
	htpasswd -Bbn alice s3cret >"$TEST_TMP/htpasswd"
	start_registry "$TEST_TMP/htpasswd"
	export BERTH_CONFIG=$TEST_TMP/config
	assert_exit 0 "$BERTH" tag busybox "$REG/bb:1"
	assert_exit 125 "$BERTH" push "$REG/bb:1"
	assert_contains "$ERR" "unauthorized"
	assert_exit 125 "$BERTH" login -u alice -p wrong "$REG"
	assert_contains "$ERR" "unauthorized"
	[ ! -e "$BERTH_CONFIG/auth.json" ] || fail "auth.json written after a failed login"
	assert_exit 0 "$BERTH" login -u alice --password-stdin "$REG" <<<"s3cret"
	assert_contains "$OUT" "Login Succeeded"
	assert_eq "600" "$(stat -c %a "$BERTH_CONFIG/auth.json")" "auth.json mode"
	assert_exit 0 "$BERTH" push "$REG/bb:1"
	local r2
	r2=$(other_root)
	BERTH_ROOT=$r2 assert_exit 0 "$BERTH" pull "$REG/bb:1"
	assert_exit 0 "$BERTH" logout "$REG"
	BERTH_ROOT=$TEST_TMP/root5 assert_exit 125 "$BERTH" pull "$REG/bb:1"
	assert_contains "$ERR" "unauthorized"
	assert_exit 125 "$BERTH" logout "$REG"
}

# A big random layer, pushed; a proxy cuts each blob download after 64 KiB: a clear error, no
# image and no temp file in the store; the next pull through the healed proxy works.
test_pull_connection_cut() {
	start_registry
	mkdir -p "$TEST_TMP/big/rootfs"
	head -c 20000000 /dev/urandom >"$TEST_TMP/big/rootfs/big.bin"
	tar -C "$TEST_TMP/big/rootfs" -cf "$TEST_TMP/big/extra.tar" big.bin
	"$PYTHON" - "$TEST_TMP/oci" "$BERTH_DATADIR/busybox-layer.tar" "$TEST_TMP/big/extra.tar" <<-'EOF'
		import gzip, hashlib, json, os, sys
		d, base, extra = sys.argv[1:]
		os.makedirs(d + "/blobs/sha256", exist_ok=True)
		def blob(b):
		    h = hashlib.sha256(b).hexdigest(); open(f"{d}/blobs/sha256/{h}", "wb").write(b)
		    return {"digest": "sha256:" + h, "size": len(b)}
		ls = [open(base, "rb").read(), open(extra, "rb").read()]
		cfg = {"architecture": "amd64", "os": "linux", "config": {"Cmd": ["sh"]},
		       "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(l).hexdigest() for l in ls]}}
		m = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
		     "config": dict(mediaType="application/vnd.oci.image.config.v1+json", **blob(json.dumps(cfg).encode())),
		     "layers": [dict(mediaType="application/vnd.oci.image.layer.v1.tar", **blob(l)) for l in ls]}
		top = dict(mediaType="application/vnd.oci.image.manifest.v1+json", **blob(json.dumps(m).encode()),
		           annotations={"org.opencontainers.image.ref.name": "big"})
		json.dump({"schemaVersion": 2, "manifests": [top]}, open(d + "/index.json", "w"))
		json.dump({"imageLayoutVersion": "1.0.0"}, open(d + "/oci-layout", "w"))
	EOF
	private_host skopeo copy -q --dest-tls-verify=false "oci:$TEST_TMP/oci:big" "docker://$REG/big:1" \
		|| fail "skopeo copy failed"
	local pport
	pport=$(free_port)
	touch "$TEST_TMP/cut"
	"$PYTHON" "$REGDIR/cutproxy.py" "$pport" "$PORT" "$TEST_TMP/cut" 2>"$TEST_TMP/proxy.log" &
	local proxy=$!
	defer "kill $proxy 2>/dev/null; wait $proxy 2>/dev/null || true"
	wait_for 10 curl -s -o /dev/null "http://127.0.0.1:$pport/v2/" || fail "proxy did not start"
	assert_exit 125 "$BERTH" pull "127.0.0.1:$pport/big:1"
	assert_contains "$ERR" "downloading layer"
	run "$BERTH" images
	assert_not_contains "$OUT" "big"
	assert_no_tmp_left "$BERTH_ROOT"
	rm "$TEST_TMP/cut"
	assert_exit 0 "$BERTH" pull "127.0.0.1:$pport/big:1"
	assert_exit 0 "$BERTH" run --rm "127.0.0.1:$pport/big:1" sh -c 'wc -c </big.bin'
	assert_eq "20000000" "$OUT"
}

# The registry's copy of a blob corrupted in its storage: a digest error, nothing stored.
test_pull_wrong_digest() {
	start_registry
	assert_exit 0 "$BERTH" tag busybox "$REG/bb:1"
	assert_exit 0 "$BERTH" push "$REG/bb:1"
	local f
	for f in "$REG_STORAGE"/docker/registry/v2/blobs/sha256/*/*/data; do
		# the layer: the biggest blob
		[ "$(stat -c %s "$f")" -gt 100000 ] && printf 'garbage' | dd of="$f" bs=1 seek=1000 conv=notrunc 2>/dev/null
	done
	local r2
	r2=$(other_root)
	BERTH_ROOT=$r2 assert_exit 125 "$BERTH" pull "$REG/bb:1"
	assert_contains "$ERR" "digest mismatch"
	BERTH_ROOT=$r2 run "$BERTH" images
	assert_not_contains "$OUT" "$REG"
	assert_no_tmp_left "$r2"
}

# run --pull missing (the default) | always | never, with docker's progress lines (issue 23
# point 6): missing pulls only what the store lacks, always pulls first and says whether the
# image changed, never only looks in the store; a name with no registry keeps the clear error.
test_run_pull_policies() {
	start_registry
	export BERTH_CONFIG=$TEST_TMP/config
	assert_exit 0 "$BERTH" tag busybox "$REG/bb:1"
	assert_exit 0 "$BERTH" push "$REG/bb:1"
	local r2
	r2=$(other_root)
	BERTH_ROOT=$r2 assert_exit 125 "$BERTH" run --rm --pull never "$REG/bb:1" true
	assert_one_error_line "image not found: $REG/bb:1"
	BERTH_ROOT=$r2 assert_exit 0 "$BERTH" run --rm "$REG/bb:1" echo one
	assert_eq one "$OUT"
	assert_contains "$ERR" "Unable to find image '$REG/bb:1' locally"
	assert_contains "$ERR" "1: Pulling from bb"
	assert_contains "$ERR" "Pull complete"
	assert_contains "$ERR" "Digest: sha256:"
	assert_contains "$ERR" "Status: Downloaded newer image for $REG/bb:1"
	BERTH_ROOT=$r2 assert_exit 0 "$BERTH" run --rm --pull always "$REG/bb:1" echo two
	assert_eq two "$OUT"
	assert_contains "$ERR" "Status: Image is up to date for $REG/bb:1"
	assert_not_contains "$ERR" "Unable to find image"
	# A new image under the same name: missing keeps the store's, always fetches it.
	assert_exit 0 "$BERTH" run --name mk busybox sh -c 'echo v2 >/v2'
	assert_exit 0 "$BERTH" commit mk "$REG/bb:1"
	assert_exit 0 "$BERTH" rm mk
	assert_exit 0 "$BERTH" push "$REG/bb:1"
	BERTH_ROOT=$r2 assert_exit 1 "$BERTH" run --rm --pull missing "$REG/bb:1" cat /v2
	assert_eq "" "$(printf '%s' "$ERR" | grep Pulling || true)" "--pull missing pulled an image it has"
	BERTH_ROOT=$r2 assert_exit 0 "$BERTH" run --rm --pull always "$REG/bb:1" cat /v2
	assert_eq v2 "$OUT"
	assert_contains "$ERR" "Status: Downloaded newer image for $REG/bb:1"
	BERTH_ROOT=$r2 assert_exit 0 "$BERTH" run --rm --pull never "$REG/bb:1" cat /v2
	# No registry in the name: the clear error, and --pull always says why it cannot.
	assert_exit 125 "$BERTH" run --rm nosuch:1 true
	assert_one_error_line "image not found: nosuch:1"
	assert_exit 125 "$BERTH" run --rm --pull always busybox true
	assert_one_error_line '--pull always: "busybox" names no registry to pull from'
	assert_exit 125 "$BERTH" run --rm --pull sometimes busybox true
	assert_one_error_line 'invalid pull option "sometimes": must be one of "always", "missing" or "never"'
	assert_no_tmp_left "$r2"
}
