# Integration tests of flag names: berth and berth-runtime take a long flag only under its full
# name, as docker and runc do (glibc's getopt_long took any unambiguous prefix: `berth run --priv`
# ran a privileged container, `--pid host` was read as `--pids-limit host`).

FLAG_TABLES="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/tests/helpers/flag_tables.py"
SRC_CLI="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/src/cli"
BOGUS=--zz-no-such-flag

# try CMD...: as run, with no process but CMD (a thousand of them here, on a loaded machine).
try() {
	RC=0
	"$@" </dev/null >"$TEST_TMP/.out" 2>"$TEST_TMP/.err" || RC=$?
	OUT= ERR=
	IFS= read -r -d '' OUT <"$TEST_TMP/.out" || true
	IFS= read -r -d '' ERR <"$TEST_TMP/.err" || true
}

# Every proper prefix of every long flag of every command and subcommand of both binaries (and
# of their global flags), as tests/helpers/flag_tables.py reads them from the option tables of
# src/cli, is refused with the line and exit status the command gives a flag it does not know
# (the reference: the same command with $BOGUS), and nothing is created. The arguments after
# the flag name nothing that exists, so a command that took the flag fails before doing work.
# A thousand commands: in eight tests (K/N) that each stay well inside the harness's time on a
# loaded machine and under ASan, and that it runs in parallel.
check_abbreviations() {
	local cases rt_root="$TEST_TMP/rt" n=0
	cases=$("$PYTHON" "$FLAG_TABLES" "$SRC_CLI" --cases "$1") || fail "flag_tables.py failed"
	local networks_before
	networks_before=$("$BERTH" network ls -q)
	declare -A ref_err ref_rc
	local binary words arg key cmd tail expect
	while IFS=$'\t' read -r binary words arg; do
		if [ "$binary" = berth ]; then
			cmd=("$BERTH")
		else
			cmd=("$BERTH_RUNTIME" --root "$rt_root")
		fi
		# shellcheck disable=SC2206  # the command words, split
		cmd+=($words)
		if [ -z "$words" ]; then # global flags: then a command that only lists
			tail=(ps)
			[ "$binary" = berth ] || tail=(list)
		else
			tail=(zz-flags-test true)
			[ "$binary" = berth ] || tail=(zz-flags-test)
		fi
		local bogus=$BOGUS
		case "$arg" in *=*) bogus+="=${arg#*=}" ;; esac
		key="$binary $words $bogus"
		if [ -z "${ref_rc[$key]+set}" ]; then
			try "${cmd[@]}" "$bogus" "${tail[@]}"
			[ "$RC" != 0 ] || fail "$key: an unknown flag was accepted"
			assert_contains "$ERR" "unknown" "$key: the reference error"
			ref_err[$key]=$ERR
			ref_rc[$key]=$RC
		fi
		try "${cmd[@]}" "$arg" "${tail[@]}"
		expect=${ref_err[$key]//"$bogus"/"$arg"}
		if [ "$RC" != "${ref_rc[$key]}" ] || [ "$ERR" != "$expect" ] || [ -n "$OUT" ]; then
			fail "$(printf '%s %s: exit %s (want %s), stdout %q, stderr %q (want %q)' \
				"${cmd[*]}" "$arg ${tail[*]}" "$RC" "${ref_rc[$key]}" "$OUT" "$ERR" "$expect")"
		fi
		n=$((n + 1))
	done <<<"$cases"
	[ "$n" -gt 50 ] || fail "only $n abbreviations found to try"
	echo "$n abbreviations refused"
	# nothing was made: no container, image, volume, network or runtime state
	assert_eq "" "$("$BERTH" ps -a -q)" "containers"
	assert_eq "" "$("$BERTH" images -q)" "images"
	assert_eq "" "$("$BERTH" volume ls -q)" "volumes"
	assert_eq "$networks_before" "$("$BERTH" network ls -q)" "networks"
	assert_eq "" "$(ls -A "$rt_root" 2>/dev/null)" "runtime state"
}

test_flags_no_abbreviation_1() { check_abbreviations 1/8; }
test_flags_no_abbreviation_2() { check_abbreviations 2/8; }
test_flags_no_abbreviation_3() { check_abbreviations 3/8; }
test_flags_no_abbreviation_4() { check_abbreviations 4/8; }
test_flags_no_abbreviation_5() { check_abbreviations 5/8; }
test_flags_no_abbreviation_6() { check_abbreviations 6/8; }
test_flags_no_abbreviation_7() { check_abbreviations 7/8; }
test_flags_no_abbreviation_8() { check_abbreviations 8/8; }

# The extractor itself: it finds the tables it is meant to (a regression in it would make the
# test above try nothing new), e.g. run's --privileged, update's resource flags spliced from
# RESOURCE_LONG_OPTS, a subcommand's table and the runtime's global flags.
test_flags_tables_found() {
	local tables
	tables=$("$PYTHON" "$FLAG_TABLES" "$SRC_CLI") || fail "flag_tables.py failed"
	assert_contains "$tables" $'berth\trun\trun_opts.c:long_opts\trm detach'
	assert_contains "$tables" $'berth\tcontainer run\trun_opts.c:long_opts\t'
	assert_contains "$tables" $'berth\tupdate\tcmd_update.c:parse:opts\tmemory memory-reservation'
	assert_contains "$tables" $'berth\tvolume create\tcmd_volume.c:vol_create:opts\tdriver label'
	assert_contains "$tables" $'berth-runtime\texec\trt_exec.c:parse:opts\tprocess tty'
	assert_contains "$tables" $'berth-runtime\t\trt_main.c:main:globals\t'
	assert_contains "$tables" $'berth\t\tberth.c:main:globals\thelp root version'
	local n
	n=$("$PYTHON" "$FLAG_TABLES" "$SRC_CLI" --cases | wc -l)
	[ "$n" -gt 900 ] || fail "only $n abbreviations to try"
	# and it refuses a parser that calls getopt_long itself
	cp -r "$SRC_CLI" "$TEST_TMP/cli"
	sed -i 's/cli_getopt(argc, argv, "+fv", opts)/getopt_long(argc, argv, "+fv", opts, NULL)/' \
		"$TEST_TMP/cli/berth/cmd_control.c"
	run "$PYTHON" "$FLAG_TABLES" "$TEST_TMP/cli"
	[ "$RC" != 0 ] || fail "a direct getopt_long call was not noticed"
	assert_contains "$ERR" "cmd_control.c calls getopt_long itself"
}
