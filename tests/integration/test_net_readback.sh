# Integration tests of what a person reads back about a container's network (issue 23.3): ps's
# PORTS column, stats' NET I/O, and inspect's NetworkSettings and HostConfig in docker's shapes.
# Only bridges the test makes, and loopback.
# shellcheck shell=bash disable=SC2016

cleanup_all() {
	local ids
	ids=$("$BERTH" ps -aq 2>/dev/null || true)
	# shellcheck disable=SC2086
	[ -z "$ids" ] || "$BERTH" rm -f $ids >/dev/null 2>&1 || true
	"$BERTH" network prune >/dev/null 2>&1 || true
}

WEB_CMD='mkdir -p /tmp/www && head -c 200000 /dev/zero | tr "\0" x >/tmp/www/index.html && exec httpd -f -p 80 -h /tmp/www'

test_ps_ports_stats_net_io_and_inspect_network_fields() {
	defer cleanup_all
	local hp
	hp=$(free_port)
	assert_exit 0 "$BERTH" network create rb
	assert_exit 0 "$BERTH" run -d --name web --network rb --network-alias www -p "$hp:80" \
		-p 127.0.0.1::53/udp -m 64m --cpus 1.5 --pids-limit 50 --cap-add NET_ADMIN \
		-v "$TEST_TMP:/h:ro" busybox sh -c "$WEB_CMD"
	assert_exit 0 "$BERTH" ps
	assert_contains "$OUT" "0.0.0.0:$hp->80/tcp, 127.0.0.1:" "ps PORTS"
	assert_contains "$OUT" "->53/udp" "ps PORTS, second port"
	# traffic through the published port, then stats counts it (200 kB out of web)
	wait_for 5 "$PYTHON" -c 'import sys,urllib.request; urllib.request.urlopen("http://127.0.0.1:%s/" % sys.argv[1], timeout=1).read()' "$hp"
	assert_exit 0 "$BERTH" stats --no-stream web
	local netio
	netio=$(printf '%s\n' "$OUT" | awk -F'   +' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "NET I/O") c = i } NR == 2 { print $c }')
	assert_contains "$netio" "kB" "stats NET I/O after serving 200 kB: $OUT"
	[ "$netio" != "0B / 0B" ] || fail "stats NET I/O is 0B / 0B"
	"$BERTH" inspect web >"$TEST_TMP/i.json"
	"$PYTHON" - "$TEST_TMP/i.json" "$hp" "$TEST_TMP" <<'PY' || fail "inspect fields"
import json, sys
d = json.load(open(sys.argv[1]))[0]
hp, tmp = sys.argv[2], sys.argv[3]
ns, hc = d["NetworkSettings"], d["HostConfig"]
net = ns["Networks"]["rb"]
ip = net["IPAddress"]
a, b, c, e = (int(x) for x in ip.split("."))
assert net["MacAddress"] == "02:42:%02x:%02x:%02x:%02x" % (a, b, c, e), net
assert net["Aliases"] == ["www"], net
assert net["DNSNames"] == ["web", "www"], net
assert net["IPPrefixLen"] == 24 and net["Gateway"].endswith(".1"), net
assert len(net["NetworkID"]) == 64 and len(net["EndpointID"]) == 64, net
assert ns["Ports"]["80/tcp"] == [{"HostIp": "0.0.0.0", "HostPort": hp}], ns["Ports"]
assert ns["Ports"]["53/udp"][0]["HostIp"] == "127.0.0.1", ns["Ports"]
assert hc["PortBindings"]["80/tcp"] == [{"HostIp": "", "HostPort": hp}], hc["PortBindings"]
assert hc["PortBindings"]["53/udp"] == [{"HostIp": "127.0.0.1", "HostPort": ""}], hc
assert hc["NetworkMode"] == "rb", hc
assert hc["RestartPolicy"] == {"Name": "no", "MaximumRetryCount": 0}, hc
assert hc["Memory"] == 64 << 20 and hc["NanoCpus"] == 1500000000 and hc["PidsLimit"] == 50, hc
assert hc["Binds"] == [tmp + ":/h:ro"], hc["Binds"]
assert hc["CapAdd"] == ["NET_ADMIN"] and hc["CapDrop"] is None, hc
assert hc["Privileged"] is False and hc["ReadonlyRootfs"] is False, hc
assert ns["IPAddress"] == "", "top-level fields are the default network's only (docker)"
PY
	assert_exit 0 "$BERTH" stop -t 0 web
	assert_exit 0 "$BERTH" ps -a
	assert_not_contains "$OUT" "->80/tcp" "a stopped container publishes nothing"
	"$BERTH" inspect web >"$TEST_TMP/s.json"
	"$PYTHON" - "$TEST_TMP/s.json" <<'PY' || fail "inspect of the stopped container"
import json, sys
d = json.load(open(sys.argv[1]))[0]
ns = d["NetworkSettings"]
assert ns["Ports"] == {} and ns["Networks"]["rb"]["IPAddress"] == "", ns
assert ns["Networks"]["rb"]["Aliases"] == ["www"], ns
assert d["HostConfig"]["PortBindings"]["80/tcp"][0]["HostPort"], d["HostConfig"]
PY
	# the default network fills the top-level fields
	assert_exit 0 "$BERTH" run -d --name dflt busybox sleep 100
	"$BERTH" inspect dflt >"$TEST_TMP/d.json"
	"$PYTHON" - "$TEST_TMP/d.json" <<'PY' || fail "inspect on the default network"
import json, sys
ns = json.load(open(sys.argv[1]))[0]["NetworkSettings"]
assert ns["IPAddress"] and ns["IPAddress"] == ns["Networks"]["bridge"]["IPAddress"], ns
assert ns["MacAddress"] == ns["Networks"]["bridge"]["MacAddress"] != "", ns
PY
}
