# Integration tests of berth-runtime's command line where other harnesses drive it the way they
# drive runc or crun (crun's and runc's own suites, docs/conformance.md): flags and output that
# tools parse. Every test has its own --root under TEST_TMP.

# rt_setup, rt, rt_bundle, status_of, is_status, validate
source "$(dirname "${BASH_SOURCE[0]}")/rt_lib.sh"

# crun's --cgroup-manager (cgroupfs is berth's, systemd is refused as --systemd-cgroup is) and
# create/run --config, a config file of another name (relative to the bundle).
test_rt_crun_cgroup_manager_and_config() {
	rt_setup
	rt_bundle "$TEST_TMP/b" '["echo", "from-other-config"]'
	mkdir "$TEST_TMP/b/conf"
	mv "$TEST_TMP/b/config.json" "$TEST_TMP/b/conf/other.json"
	assert_exit 0 rt --cgroup-manager cgroupfs run --bundle "$TEST_TMP/b" --config conf/other.json "$ID"
	assert_contains "$OUT" from-other-config
	assert_exit 0 rt --cgroup-manager=cgroupfs list
	assert_exit 1 rt --cgroup-manager systemd list
	assert_contains "$ERR" "--cgroup-manager systemd"
	assert_exit 1 rt --cgroup-manager bogus list
	assert_contains "$ERR" '"bogus"'
	# without --config, config.json is what is missing
	assert_exit 1 rt run --bundle "$TEST_TMP/b" "$ID"
	assert_contains "$ERR" config.json
}
