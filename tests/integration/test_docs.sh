# Every command README.md and docs/*.md show in a code block runs as written (issue 23 point 8),
# in the order shown, in a fresh store, in a network namespace of the test's own (so -p 8080 and
# `network create` meet nothing of the host's), from a scratch directory; the exceptions, each
# with its reason, are in doc_commands.exempt. tests/helpers/doc_commands.py finds them.
# shellcheck shell=bash

DOCS_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DOCS_EXEMPT=$(dirname "${BASH_SOURCE[0]}")/doc_commands.exempt

docs_cleanup() {
	local ids
	ids=$("$BERTH" ps -aq 2>/dev/null || true)
	# shellcheck disable=SC2086
	[ -z "$ids" ] || "$BERTH" rm -f $ids >/dev/null 2>&1 || true
	"$BERTH" network prune >/dev/null 2>&1 || true
}

docs_run_all() {
	defer docs_cleanup
	need_cmd curl curl
	# `berth` in the docs is the berth under test.
	mkdir -p "$TEST_TMP/bin" "$TEST_TMP/cwd"
	ln -s "$BERTH" "$TEST_TMP/bin/berth"
	cd "$TEST_TMP/cwd"
	local where cmd reason n=0
	while IFS=$'\t' read -r where cmd; do
		reason=$(awk -F'\t' -v c="$cmd" '$1 == c { print $2 }' "$DOCS_EXEMPT")
		if [ -n "$reason" ]; then
			echo "exempt $where: $cmd ($reason)"
			continue
		fi
		echo "run $where: $cmd"
		n=$((n + 1))
		case "$cmd" in
		curl*) # a server the previous command started may not listen yet
			wait_for 10 env PATH="$TEST_TMP/bin:$PATH" bash -c "$cmd" >/dev/null ;;
		esac
		run env PATH="$TEST_TMP/bin:$PATH" bash -c "$cmd"
		[ "$RC" = 0 ] || fail "$where: \`$cmd\` exited $RC: $ERR"
	done < <("$PYTHON" "$DOCS_REPO/tests/helpers/doc_commands.py" "$DOCS_REPO")
	[ "$n" -gt 10 ] || fail "only $n commands found in the docs: is doc_commands.py broken?"
	# Every exemption still names a command the docs show.
	local listed
	listed=$("$PYTHON" "$DOCS_REPO/tests/helpers/doc_commands.py" "$DOCS_REPO" | cut -f2)
	while IFS=$'\t' read -r cmd reason; do
		case "$cmd" in '#'* | '') continue ;; esac
		printf '%s\n' "$listed" | grep -qxF -- "$cmd" || fail "doc_commands.exempt lists a command no doc shows: $cmd"
	done <"$DOCS_EXEMPT"
}

test_every_documented_command_runs() {
	in_private_netns docs_run_all
}
