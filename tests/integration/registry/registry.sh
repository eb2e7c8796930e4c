# A docker-registry on loopback for a test (sourced by test files, with lib.sh): one registry per
# test, 127.0.0.1:<free port>, its storage and config.yml in TEST_TMP, stopped by its pid (defer).
# shellcheck shell=bash

# need_tools: the registry tools the tests use are there (Makefile: DEB_TEST).
need_tools() {
	need_cmd docker-registry docker-registry
	need_cmd htpasswd apache2-utils
	need_cmd skopeo skopeo
}

# start_registry [htpasswd-file]: sets PORT, REG (127.0.0.1:PORT), REG_STORAGE, REG_PID.
start_registry() {
	need_tools
	PORT=${PORT:-$(free_port)}
	REG=127.0.0.1:$PORT
	REG_STORAGE=$TEST_TMP/registry-storage
	mkdir -p "$REG_STORAGE"
	{
		echo "version: 0.1"
		echo "log: {level: error}"
		echo "storage: {filesystem: {rootdirectory: $REG_STORAGE}, delete: {enabled: true}}"
		echo "http: {addr: \"$REG\"}"
		if [ -n "${1:-}" ]; then
			echo "auth: {htpasswd: {realm: berth-test, path: $1}}"
		fi
	} >"$TEST_TMP/config.yml"
	docker-registry serve "$TEST_TMP/config.yml" >"$TEST_TMP/registry.log" 2>&1 &
	REG_PID=$!
	defer "stop_registry"
	wait_for 10 curl -s -o /dev/null "http://$REG/v2/" || fail "registry did not start: $(cat "$TEST_TMP/registry.log")"
}

stop_registry() {
	if [ -n "${REG_PID:-}" ]; then
		kill "$REG_PID" 2>/dev/null || true
		wait "$REG_PID" 2>/dev/null || true
		REG_PID=
	fi
}
