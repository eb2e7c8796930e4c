# Fuzz targets (libFuzzer): one binary per parser of untrusted input, tests/fuzz/fuzz_*.c.
#   make fuzz                        build build/fuzz/fuzz_<name> for every target
#   make fuzz-run [FUZZ_SECONDS=60]  run each for FUZZ_SECONDS on a copy of its seed corpus
#                                    (build/fuzz/run/<name>/corpus); fails on the first crash,
#                                    leaving the input in build/fuzz/run/<name>/crash-*
#   make fuzz-run FUZZ_TARGETS="spec passwd"   only these
# Needs clang and its fuzzer runtime (Debian: clang libclang-rt-14-dev).

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_DIR     := build/fuzz
# Linked dynamically (the main build links libarchive and nettle statically; a fuzz binary
# needs no small start-up, and the shared libarchive brings its own compression libraries).
FUZZ_PKGS    ?= $(sort $(PKGS) jansson libarchive nettle libseccomp libmnl)
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS  := -g -O1 -std=gnu11 -D_GNU_SOURCE -Isrc -MMD -MP -DBERTH_DATADIR='"$(abspath build/share)"' \
                -Wall -Wextra -Wno-unused-parameter -fno-strict-aliasing \
                $(FUZZ_SAN) $(shell pkg-config --cflags $(FUZZ_PKGS) 2>/dev/null)
FUZZ_LIBS     = $(shell pkg-config --libs $(FUZZ_PKGS) 2>/dev/null) -ldl
DEB_FUZZ     := clang libclang-rt-14-dev

# The library as the binaries use it, plus the CLI's shared parsers (src/cli/*.c; the commands and main()s are in cli/berth/ and cli/runtime/).
FUZZ_LIB_SRC := $(wildcard src/util/*.c src/core/*.c src/engine/*.c src/engine/*/*.c src/cli/*.c)
FUZZ_LIB_OBJ := $(FUZZ_LIB_SRC:%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_NAMES   := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TARGETS ?= $(FUZZ_NAMES)
FUZZ_BINS    := $(FUZZ_NAMES:%=$(FUZZ_DIR)/fuzz_%)
.SECONDARY: $(FUZZ_NAMES:%=$(FUZZ_DIR)/obj/tests/fuzz/fuzz_%.o)

.PHONY: fuzz fuzz-run deps-fuzz
deps-fuzz: deps
	$(call need_pkgs,$(DEB_FUZZ))

fuzz: deps-fuzz $(FUZZ_BINS)

# Project code is built without -Werror here: clang warns about other things than gcc, and a
# fuzz build must not break on them (make with CC=clang shows them).
$(FUZZ_DIR)/obj/src/%.o: src/%.c | deps-fuzz
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_DIR)/obj/tests/fuzz/%.o: tests/fuzz/%.c | deps-fuzz
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Werror -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_DIR)/libberth-fuzz.a: $(FUZZ_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/obj/tests/fuzz/fuzz_%.o $(FUZZ_DIR)/libberth-fuzz.a
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(FUZZ_LIBS)

# Each target runs on a fresh copy of its committed corpus, so new inputs never land in
# tests/fuzz/corpus (copy interesting ones back by hand, minimised: -merge=1).
fuzz-run: fuzz
	@set -e; failed=""; for t in $(FUZZ_TARGETS); do \
	  run=$(FUZZ_DIR)/run/$$t; rm -rf $$run; mkdir -p $$run/corpus; \
	  if [ -d tests/fuzz/corpus/$$t ]; then cp -R tests/fuzz/corpus/$$t/. $$run/corpus/; fi; \
	  echo "fuzz $$t: $(FUZZ_SECONDS)s"; \
	  if $(FUZZ_DIR)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	       -print_final_stats=1 -artifact_prefix=$$run/ $$run/corpus >$$run/log 2>&1; then \
	    echo "fuzz $$t: ok ($$(grep -a -o 'stat::number_of_executed_units: *[0-9]*' $$run/log | grep -o '[0-9]*$$') runs)"; \
	  else \
	    echo "fuzz $$t: FAILED, see $$run/log"; ls $$run/crash-* $$run/leak-* $$run/timeout-* $$run/oom-* 2>/dev/null || true; \
	    tail -n 40 $$run/log; failed="$$failed $$t"; \
	  fi; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz-run: crashes in:$$failed"; exit 1; fi; echo "fuzz-run: no crashes"
