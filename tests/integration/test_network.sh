# Integration tests of networking: bridge networks, veth pairs, IPAM, published ports, names,
# --network none|host|container:NAME, and nothing left behind (links, nft tables, addresses).
# Addresses used are only those of bridges berth makes under the test, and loopback.
# shellcheck shell=bash disable=SC2016

# ---- helpers of this file (in_private_netns and free_port are in lib.sh)

# The default network's bridge of this test's store: bb + 6 hex of sha256(root).
default_bridge() {
	echo "bb$(printf '%s' "$BERTH_ROOT" | sha256sum | cut -c1-6)"
}

# bridge_of NETWORK: the bridge name from `network inspect`.
bridge_of() {
	"$BERTH" network inspect "$1" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)[0]["Options"]["com.docker.network.bridge.name"])'
}

# ip_of NETWORK CONTAINER-NAME: the container's address on the network.
ip_of() {
	"$BERTH" network inspect "$1" | "$PYTHON" -c '
import json, sys
for c in json.load(sys.stdin)[0]["Containers"].values():
    if c["Name"] == sys.argv[1]:
        print(c["IPv4Address"].split("/")[0])' "$2"
}

gateway_of() {
	"$BERTH" network inspect "$1" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)[0]["IPAM"]["Config"][0]["Gateway"])'
}

owner_gone_pid() { ! kill -0 "$1" 2>/dev/null; }

# assert_no_network_trace BRIDGE: no link named BRIDGE, no veth of ours, no nft table.
assert_no_network_trace() {
	local links
	links=$(ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//')
	if printf '%s\n' "$links" | grep -qx "$1"; then fail "bridge $1 left behind"; fi
	if nft list table ip "berth_$1" >/dev/null 2>&1; then fail "nft table berth_$1 left behind"; fi
	if ip route show | grep -qw "$1"; then fail "route via $1 left behind"; fi
}

# veths_of ROOT-BRIDGE: host-side veths enslaved to the bridge.
veths_on() {
	ip -o link show master "$1" 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//'
}

cleanup_all() {
	local ids
	ids=$("$BERTH" ps -aq 2>/dev/null || true)
	# shellcheck disable=SC2086
	[ -z "$ids" ] || "$BERTH" rm -f $ids >/dev/null 2>&1 || true
	"$BERTH" network prune >/dev/null 2>&1 || true
}

WEB_CMD='mkdir -p /tmp/www && echo hello-from-$(hostname) >/tmp/www/index.html && exec httpd -f -p 80 -h /tmp/www'

# host_get URL: true if URL answers with the web container's page (from the host).
host_get() {
	"$PYTHON" -c '
import sys, urllib.request
sys.exit(0 if b"hello-from-" in urllib.request.urlopen(sys.argv[1], timeout=2).read() else 1)' "$1"
}

assert_no_containers() {
	local d
	for d in "$BERTH_ROOT"/containers/*; do
		[[ "${d##*/}" =~ ^[0-9a-f]{64}$ ]] && fail "container left behind: $d"
	done
	return 0
}

# ---- tests

test_default_bridge_gives_eth0_address_route_and_leaves_nothing() {
	defer cleanup_all
	local br
	br=$(default_bridge)
	assert_exit 0 "$BERTH" run --rm busybox sh -c 'ip -o -4 addr show eth0; ip route; cat /sys/class/net/eth0/mtu'
	assert_contains "$OUT" "eth0    inet 172.30."
	assert_contains "$OUT" "default via 172.30."
	assert_contains "$OUT" "1500"
	assert_no_network_trace "$br"
	assert_no_containers
}

test_none_has_only_loopback_and_host_shares_the_hosts_links() {
	defer cleanup_all
	assert_exit 0 "$BERTH" run --rm --network none busybox sh -c 'ls /sys/class/net'
	assert_eq "lo" "$OUT"
	assert_exit 0 "$BERTH" run --rm --network host busybox sh -c 'ls /sys/class/net'
	local l
	# Links of the host's own (other tests' berth links come and go meanwhile).
	for l in $(ls /sys/class/net | grep -vE '^(bb|bn|vb|berth)'); do
		assert_contains " $(echo $OUT) " " $l " "--network host sees the host's link $l"
	done
	assert_no_network_trace "$(default_bridge)"
}

test_container_mode_shares_the_network_namespace() {
	defer cleanup_all
	assert_exit 0 "$BERTH" run -d --name a busybox sleep 100
	local ip
	ip=$(ip_of bridge a)
	[ -n "$ip" ] || fail "container a has no address"
	assert_exit 0 "$BERTH" run --rm --network container:a busybox ip -o -4 addr show eth0
	assert_contains "$OUT" "inet $ip/"
	assert_exit 0 "$BERTH" rm -f a
	assert_no_network_trace "$(default_bridge)"
}

test_containers_reach_each_other_by_ip_name_and_alias() {
	defer cleanup_all
	assert_exit 0 "$BERTH" network create n1
	assert_exit 0 "$BERTH" run -d --name web --network n1 --network-alias www busybox sh -c "$WEB_CMD"
	local ip
	ip=$(ip_of n1 web)
	[ -n "$ip" ] || fail "web has no address on n1"
	local try
	for try in $(seq 50); do
		run "$BERTH" run --rm --network n1 busybox timeout 2 wget -q -O - "http://$ip/"
		[ "$RC" = 0 ] && break
		sleep 0.1
	done
	assert_eq 0 "$RC" "wget by IP: $ERR"
	assert_contains "$OUT" "hello-from-"
	assert_exit 0 "$BERTH" run --rm --network n1 busybox timeout 2 wget -q -O - http://web/
	assert_contains "$OUT" "hello-from-"
	assert_exit 0 "$BERTH" run --rm --network n1 busybox timeout 2 wget -q -O - http://www/
	assert_contains "$OUT" "hello-from-"
	assert_exit 0 "$BERTH" run --rm --network n1 busybox ping -c1 -W2 web
	# A container that joins later is written into the running web's /etc/hosts.
	assert_exit 0 "$BERTH" run -d --name late --network n1 busybox sleep 100
	assert_exit 0 "$BERTH" exec web cat /etc/hosts
	assert_contains "$OUT" "$(ip_of n1 late)	late"
	assert_exit 0 "$BERTH" rm -f late
	assert_exit 0 "$BERTH" exec web cat /etc/hosts
	assert_not_contains "$OUT" "	late"
	local br
	br=$(bridge_of n1)
	assert_exit 0 "$BERTH" rm -f web
	assert_no_network_trace "$br"
	assert_exit 0 "$BERTH" network rm n1
}

test_networks_are_isolated() {
	defer cleanup_all
	assert_exit 0 "$BERTH" network create n1
	assert_exit 0 "$BERTH" network create n2
	assert_exit 0 "$BERTH" run -d --name web --network n1 busybox sh -c "$WEB_CMD"
	local ip
	ip=$(ip_of n1 web)
	wait_for 5 "$BERTH" run --rm --network n1 busybox timeout 1 wget -q -O - "http://$ip/"
	# Not as pid 1 (which ignores timeout's SIGTERM): sh stays pid 1.
	run "$BERTH" run --rm --network n2 busybox sh -c "timeout 2 wget -q -O - http://$ip/; exit \$?"
	[ "$RC" != 0 ] || fail "a container on n2 reached web on n1: $OUT"
	assert_exit 1 "$BERTH" run --rm --network n2 busybox ping -c1 -W1 "$ip"
	assert_exit 0 "$BERTH" rm -f web
}

test_published_port_answers_on_localhost_and_via_the_gateway() {
	defer cleanup_all
	local hp
	hp=$(free_port)
	assert_exit 0 "$BERTH" run -d --name web -p "$hp:80" -p 80 busybox sh -c "$WEB_CMD"
	wait_for 5 host_get "http://127.0.0.1:$hp/"
	assert_exit 0 "$BERTH" port web
	assert_contains "$OUT" "80/tcp -> 0.0.0.0:$hp"
	local other
	other=$(printf '%s\n' "$OUT" | grep -v ":$hp\$" | sed 's/.*://')
	[ -n "$other" ] || fail "-p 80 got no host port: $OUT"
	wait_for 5 host_get "http://127.0.0.1:$other/"
	local gw
	gw=$(gateway_of bridge)
	assert_exit 0 "$BERTH" run --rm busybox timeout 2 wget -q -O - "http://$gw:$hp/"
	assert_contains "$OUT" "hello-from-"
	# The port is held while the container runs: a second publisher is refused cleanly.
	assert_exit 125 "$BERTH" run --rm -p "$hp:80" busybox true
	assert_one_error_line "already in use"
	assert_exit 0 "$BERTH" rm -f web
	assert_no_network_trace "$(default_bridge)"
	# Free again.
	"$PYTHON" -c 'import socket,sys; s=socket.socket(); s.bind(("0.0.0.0",int(sys.argv[1])))' "$hp"
}

test_host_port_in_use_starts_nothing_and_leaves_nothing() {
	defer cleanup_all
	local hp
	hp=$(free_port)
	bg_start listener "$PYTHON" -c 'import socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(); time.sleep(60)' "$hp"
	wait_for 5 sh -c "ss -ltn | grep -q ':$hp '"
	assert_exit 125 "$BERTH" run --rm -p "$hp:80" busybox true
	assert_one_error_line "already in use"
	assert_no_containers
	assert_no_network_trace "$(default_bridge)"
	[ -z "$(veths_on "$(default_bridge)")" ] || fail "veth left"
}

test_thirty_concurrent_runs_get_distinct_addresses() {
	defer cleanup_all
	local i pids=()
	for i in $(seq 30); do
		"$BERTH" run -d --name "c$i" busybox sleep 100 >/dev/null 2>"$TEST_TMP/c$i.err" &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i" || fail "a run -d failed: $(cat "$TEST_TMP"/c*.err)"; done
	local ips
	ips=$("$BERTH" network inspect bridge | "$PYTHON" -c '
import json, sys
for c in json.load(sys.stdin)[0]["Containers"].values(): print(c["IPv4Address"])')
	assert_eq 30 "$(printf '%s\n' "$ips" | sort -u | wc -l)" "30 distinct addresses"
	assert_not_contains "$ips" ".1/" "the gateway is never handed out"
	local br
	br=$(default_bridge)
	assert_eq 30 "$(veths_on "$br" | wc -l)" "30 veths on $br"
	# shellcheck disable=SC2046
	assert_exit 0 "$BERTH" rm -f $(seq -f 'c%g' 30)
	assert_no_network_trace "$br"
	assert_eq "{}" "$(json_get "$BERTH_ROOT/networks/bridge.json" endpoints)"
}

test_kill9_of_berth_releases_the_address_veth_and_rules() {
	defer cleanup_all
	assert_exit 0 "$BERTH" network create n1
	local br
	br=$(bridge_of n1)
	bg_start fg "$BERTH" run --name victim --network n1 -p 80 busybox sleep 100
	local pid=$BG_PID
	wait_for 10 sh -c "[ -n \"\$(ip -o link show master $br 2>/dev/null)\" ]"
	local ip
	ip=$(ip_of n1 victim)
	local init
	init=$(container_init_pid "$pid") || fail "no init"
	kill -KILL "$pid"
	bg_wait "$pid"
	# The init dies with its berth (PR_SET_PDEATHSIG), a moment later: a ps before that still
	# sees it running, as it is. The first ps after it reconciles the container.
	wait_for 5 owner_gone_pid "$init"
	assert_exit 0 "$BERTH" ps -a
	wait_for 5 sh -c "! ip -o link show master $br 2>/dev/null | grep -q ."
	assert_no_network_trace "$br"
	assert_eq "{}" "$(json_get "$BERTH_ROOT/networks/n1.json" endpoints)"
	# The address is handed out again.
	assert_exit 0 "$BERTH" run --rm --network n1 busybox ip -o -4 addr show eth0
	assert_contains "$OUT" "inet $ip/"
	assert_exit 0 "$BERTH" network rm n1
}

# nft list ruleset without other stores' berth tables (tests run in parallel); comment lines of
# iptables-save (timestamps) dropped.
firewall_snapshot() {
	local keep=$1
	nft list ruleset | "$PYTHON" -c '
import sys, re
keep = sys.argv[1]
out, skip, depth = [], False, 0
for line in sys.stdin:
    m = re.match(r"^table \S+ (\S+) \{", line)
    if m and depth == 0:
        skip = m.group(1).startswith("berth_") and m.group(1) != keep
    depth += line.count("{") - line.count("}")
    if not skip:
        out.append(line)
sys.stdout.write("".join(out))' "$keep"
	iptables-save 2>/dev/null | grep -v '^#' || true
}

test_network_rm_leaves_the_firewall_byte_identical() {
	defer cleanup_all
	assert_exit 0 "$BERTH" network create --subnet 10.231.7.0/24 fw
	local br
	br=$(bridge_of fw)
	firewall_snapshot "berth_$br" >"$TEST_TMP/before"
	assert_exit 0 "$BERTH" run -d --name web --network fw -p 80 -p 53/udp busybox sleep 100
	nft list table ip "berth_$br" >/dev/null || fail "no nft table while the network is in use"
	assert_exit 125 "$BERTH" network rm fw
	assert_one_error_line "in use"
	assert_exit 0 "$BERTH" rm -f web
	assert_exit 0 "$BERTH" network rm fw
	firewall_snapshot "berth_$br" >"$TEST_TMP/after"
	diff -u "$TEST_TMP/before" "$TEST_TMP/after" || fail "the firewall differs after network rm"
	assert_no_network_trace "$br"
}

# The host lock is an abstract unix socket name (@berth/net.lock), no file: /run/berth holds only
# ip_forward's saved value, while a bridge needs forwarding, and goes with the last bridge. A
# holder of that name of another uid is an error naming it, not an endless wait.
_host_lock_leaves_no_file_and_names_a_foreign_holder() {
	defer cleanup_all
	assert_exit 0 "$BERTH" run -d --name a busybox sleep 60
	note_id "$OUT"
	assert_eq 0 "$(cat /run/berth/ip_forward)" "ip_forward's saved value"
	assert_eq ip_forward "$(ls -A /run/berth | tr '\n' ' ' | sed 's/ $//')" "what /run/berth holds"
	assert_eq 1 "$(cat /proc/sys/net/ipv4/ip_forward)" "ip_forward while the bridge exists"
	assert_exit 0 "$BERTH" rm -f a
	[ ! -e /run/berth ] || fail "/run/berth left after the last bridge: $(ls -A /run/berth)"
	assert_eq 0 "$(cat /proc/sys/net/ipv4/ip_forward)" "ip_forward after the last bridge"
	bg_start holder setpriv --reuid 65534 --regid 65534 --clear-groups "$PYTHON" -c '
import socket, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind("\0berth/net.lock")
s.listen(1)
print("ready", flush=True)
time.sleep(60)'
	wait_for 10 file_contains "$TEST_TMP/holder.out" ready
	assert_exit 125 "$BERTH" run --rm busybox true
	assert_one_error_line "berth/net.lock"
	assert_contains "$ERR" "uid 65534"
	assert_eq "" "$(ip -o link show type bridge)" "bridges left after the failed run"
}
test_host_lock_leaves_no_file_and_names_a_foreign_holder() {
	in_private_netns _host_lock_leaves_no_file_and_names_a_foreign_holder
}

test_bad_network_input_is_one_line_and_exit_125() {
	defer cleanup_all
	assert_exit 125 "$BERTH" network create --subnet 10.232.0.0/33 bad
	assert_one_error_line "invalid subnet"
	assert_exit 125 "$BERTH" network create --subnet 10.232.0.1/24 bad
	assert_one_error_line "invalid subnet"
	assert_exit 125 "$BERTH" network create --subnet 10.232.0.0/24 --gateway 10.233.0.1 bad
	assert_one_error_line "not a host address"
	assert_exit 0 "$BERTH" network create --subnet 10.232.0.0/24 good
	assert_exit 125 "$BERTH" network create --subnet 10.232.0.0/16 bad
	assert_one_error_line "overlaps network good"
	assert_exit 125 "$BERTH" network create --subnet 10.232.8.0/24 good
	assert_one_error_line "already exists"
	assert_exit 125 "$BERTH" run --rm --network nosuch busybox true
	assert_one_error_line "no such network: nosuch"
	assert_no_containers
	assert_exit 125 "$BERTH" run --rm -p 70000:80 busybox true
	assert_one_error_line "invalid host port"
	assert_exit 125 "$BERTH" network rm nosuch
	assert_one_error_line "no such network"
	assert_exit 125 "$BERTH" network rm bridge
	assert_one_error_line "pre-defined"
	assert_exit 0 "$BERTH" network rm good
}

test_slash30_and_slash16_subnets() {
	defer cleanup_all
	assert_exit 0 "$BERTH" network create --subnet 10.234.0.0/30 tiny
	assert_exit 0 "$BERTH" run -d --name only --network tiny busybox sleep 100
	assert_eq "10.234.0.2" "$(ip_of tiny only)"
	assert_exit 125 "$BERTH" run --rm --network tiny busybox true
	assert_one_error_line "no free address"
	assert_exit 0 "$BERTH" rm -f only
	assert_exit 0 "$BERTH" network create --subnet 10.235.0.0/16 --gateway 10.235.255.254 big
	assert_exit 0 "$BERTH" run --rm --network big busybox sh -c 'ip -o -4 addr show eth0; ip route'
	assert_contains "$OUT" "inet 10.235.0.1/16"
	assert_contains "$OUT" "default via 10.235.255.254"
	assert_exit 0 "$BERTH" network rm tiny big
}

test_connect_and_disconnect_a_running_container() {
	defer cleanup_all
	assert_exit 0 "$BERTH" network create n2
	assert_exit 0 "$BERTH" run -d --name c busybox sleep 100
	assert_exit 0 "$BERTH" network connect --alias cee n2 c
	assert_exit 0 "$BERTH" exec c ls /sys/class/net
	assert_contains "$OUT" "eth1"
	assert_exit 0 "$BERTH" run --rm --network n2 busybox ping -c1 -W2 cee
	assert_exit 0 "$BERTH" network disconnect n2 c
	assert_exit 0 "$BERTH" exec c ls /sys/class/net
	assert_not_contains "$OUT" "eth1"
	assert_exit 0 "$BERTH" rm -f c
	assert_exit 0 "$BERTH" network ls
	assert_contains "$OUT" "n2"
	assert_exit 0 "$BERTH" network prune
	assert_contains "$OUT" "n2"
}

# network create/connect: a bad flag gets one line naming it (it named none), and nothing is made.
test_network_flag_errors_name_the_flag() {
	run "$BERTH" network create --zz n1
	assert_eq 125 "$RC" "network create --zz"
	assert_eq "berth: network create: unknown flag: --zz" "$ERR"
	run "$BERTH" network create --subnet
	assert_eq "berth: network create: flag needs an argument: --subnet" "$ERR"
	run "$BERTH" network connect --zz n1 c1
	assert_eq "berth: network connect: unknown flag: --zz" "$ERR"
	assert_exit 0 "$BERTH" network ls -q
	assert_not_contains "$OUT" "n1" "a network made by a refused create"
}
