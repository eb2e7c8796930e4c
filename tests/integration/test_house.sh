# The house's rules (docs/architecture.md) hold on the tree as built: the walls between rooms, no
# circle of files calling each other (read from the objects' symbols), no source file over 700
# lines. tests/helpers/house_check.py does the checking; here it is run, and shown to fail.
# shellcheck shell=bash

HOUSE_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HOUSE_CHECK=$HOUSE_REPO/tests/helpers/house_check.py

_house_objs() { # the objects of the build the suite runs: build/asan/ under SANITIZE, else release
	case $BERTH in
	*/build/asan/bin/*) echo "$HOUSE_REPO/build/asan/src" ;;
	*) echo "$HOUSE_REPO/build/release/src" ;;
	esac
}

test_house_keeps_its_rules() {
	[ -d "$(_house_objs)" ] || fail "no objects at $(_house_objs): build first"
	run "$PYTHON" "$HOUSE_CHECK" "$HOUSE_REPO/src" "$(_house_objs)"
	[ "$RC" = 0 ] || fail "the house's rules are broken:"$'\n'"$OUT$ERR"
	assert_contains "$OUT" "0 problems"
}

# Each rule can fail: an include through a wall, a circle of two objects, a long file.
test_house_check_names_what_breaks_a_rule() {
	local src=$TEST_TMP/src objs=$TEST_TMP/objs
	mkdir -p "$src/core" "$src/engine" "$objs"
	printf '#include "engine/store/record.h"\nint a(void);\n' >"$src/core/a.c"
	for i in $(seq 1 710); do echo "/* $i */"; done >"$src/engine/long.c"
	printf 'int b(void);\nint a(void) { return b(); }\n' >"$TEST_TMP/a.c"
	printf 'int a(void);\nint b(void) { return a(); }\n' >"$TEST_TMP/b.c"
	gcc -c -o "$objs/a.o" "$TEST_TMP/a.c" || fail "gcc a.c"
	gcc -c -o "$objs/b.o" "$TEST_TMP/b.c" || fail "gcc b.c"
	run "$PYTHON" "$HOUSE_CHECK" "$src" "$objs"
	assert_eq 1 "$RC" "exit status"
	assert_contains "$OUT" "core/a.c:1: core/ includes engine/store/record.h"
	assert_contains "$OUT" "circle: a.o b.o"
	assert_contains "$OUT" "engine/long.c: 710 lines (at most 700)"
	assert_contains "$OUT" "3 problems"
}
