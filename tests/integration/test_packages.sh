# The suite must pass on a new machine: every Debian package a test, a bench script or a build step
# uses is on one of the Makefile's package lists (tests/helpers/packages_check.py says which is
# missing), and the checker itself can fail.
# shellcheck shell=bash

PACKAGES_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CHECK=$PACKAGES_REPO/tests/helpers/packages_check.py

test_packages_every_one_used_is_listed() {
	run /usr/bin/python3 "$CHECK"
	[ "$RC" = 0 ] || fail "packages the Makefile does not list:"$'\n'"$OUT"$'\n'"$ERR"
	assert_contains "$OUT" "0 problems"
}

# The tests run Debian's python (Debian's python3-* packages install for it alone), whatever
# python3 comes first in PATH on this machine.
test_packages_tests_use_debians_python() {
	assert_eq /usr/bin/python3 "$PYTHON" "lib.sh's PYTHON"
	run grep -rnE '(^|[;&|(]|\$\()\s*python3?\b' "$PACKAGES_REPO/tests" "$PACKAGES_REPO/bench" \
		--include='*.sh'
	[ -z "$OUT" ] || fail "a script calls python3 from PATH (use /usr/bin/python3 or \$PYTHON): $OUT"
}

# A copy of the Makefile without one list entry makes the checker fail, naming that package and
# the file that needs it.
_packages_without() { # _packages_without PKG: writes $TEST_TMP/Makefile without PKG in any list
	sed -E "/^DEB_[A-Z_]+ *[:?+]?=/ s/(^|[ =])$1( |\$)/\1\2/" "$PACKAGES_REPO/Makefile" >"$TEST_TMP/Makefile"
	! grep -E "^DEB_" "$TEST_TMP/Makefile" | grep -qw -- "$1" || fail "sed did not remove $1"
}

test_packages_check_names_a_missing_python_module() {
	_packages_without python3-jsonschema
	run /usr/bin/python3 "$CHECK" --makefile "$TEST_TMP/Makefile"
	assert_eq 1 "$RC" "exit status without python3-jsonschema"
	assert_contains "$OUT" ".sh: module jsonschema"
	assert_contains "$OUT" "python3-jsonschema"
}

test_packages_check_names_a_missing_command() {
	_packages_without tmux
	run /usr/bin/python3 "$CHECK" --makefile "$TEST_TMP/Makefile"
	assert_eq 1 "$RC" "exit status without tmux"
	assert_contains "$OUT" "command tmux"
	assert_contains "$OUT" "tmux, which none of"
}

# A command found only outside Debian's packages (/usr/local/bin, a version manager's shim) is a
# command a new machine lacks.
test_packages_check_refuses_a_command_no_package_owns() {
	local repo=$TEST_TMP/repo
	mkdir -p "$repo/tests" "$repo/mk" "$TEST_TMP/bin"
	cp "$PACKAGES_REPO/Makefile" "$repo/Makefile"
	printf '#!/bin/sh\nexit 0\n' >"$TEST_TMP/bin/berth-test-tool"
	chmod +x "$TEST_TMP/bin/berth-test-tool"
	printf 'test_x() {\n\tberth-test-tool --version\n\tnot-a-command-anywhere x\n}\n' >"$repo/tests/test_x.sh"
	run env PATH="$TEST_TMP/bin:$PATH" /usr/bin/python3 "$CHECK" --repo "$repo"
	assert_eq 1 "$RC" "exit status"
	assert_contains "$OUT" "command berth-test-tool resolves to $TEST_TMP/bin/berth-test-tool, which no Debian package owns"
	assert_contains "$OUT" "command not-a-command-anywhere: not found on this machine"
}
