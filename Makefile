# berth — build, install what is missing, test.
#   make            build bin/berth, bin/berth-runtime and the built-in busybox image files
#   make run        build and run a container of the built-in busybox image
#   make check      unit + integration tests; ends with "N passed, N failed"
#   make check SANITIZE=1   the same under ASan+UBSan
#   make torture    the fault suite's kills, 1000 per operation (TORTURE_ITERS=N), and its figures
#   make bench      benchmarks against crun and runc (never part of check)

CC      ?= cc
SANITIZE ?=
BUILD   := build$(if $(SANITIZE),/asan,/release)
DATADIR := $(abspath build/share)

# Debian packages this project needs: installed only when missing.
DEB_BUILD := gcc libc6-dev make pkg-config libjansson-dev libarchive-dev nettle-dev zlib1g-dev liblzma-dev libzstd-dev libbz2-dev libacl1-dev libcap-dev libseccomp-dev libmnl-dev libnftables-dev busybox-static libcurl4-openssl-dev musl-tools
DEB_TEST  := util-linux bsdutils tmux procps iproute2 python3 python3-jsonschema strace nftables iptables docker-registry apache2-utils skopeo umoci curl podman conmon containerd docker.io mmdebstrap
DEB_BENCH := python3 crun runc hyperfine podman conmon containerd time docker-registry skopeo curl
DEB_FORMAT := clang-format
DEB_CONFORMANCE := golang-go git crun runc bats jq gawk xz-utils util-linux python3
# tests/helpers/packages_check.py (a test of make check) fails when a test, bench script or recipe
# uses a command or Python module that none of these lists (nor DEB_VM, DEB_FUZZ) brings.

PKGS    := jansson libarchive
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter -Wno-format-truncation -fno-strict-aliasing \
           -D_GNU_SOURCE -Isrc -MMD -MP -DBERTH_DATADIR='"$(DATADIR)"'
ifneq ($(SANITIZE),)
CFLAGS  += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

# libcurl: its headers only. pull/push/login dlopen libcurl.so.4 (src/engine/registry/registry_curl.c):
# linked, it and its ~30 libraries would load on every start of berth, `run` included.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) libcurl 2>/dev/null)
# Every library with a static archive in Debian is linked statically: from an archive only the
# objects berth uses come in (the tar reader, the disk writer, sha256, the JSON parser), so a start
# loads no libxml2, ICU, libstdc++ or crypto library, and the loader maps two libraries (libmnl,
# which Debian ships without an archive, and libc) instead of eight. Every command pays for each
# library it maps: linked dynamically, `berth exec` took 1.3 ms more (docs/bench.md).
LIBDIR     = $(shell pkg-config --variable=libdir libarchive 2>/dev/null)
STATIC_LIBS = archive nettle seccomp jansson z lzma zstd bz2 acl
PKG_LIBS   = -Wl,--as-needed $(foreach l,$(STATIC_LIBS),$(LIBDIR)/lib$(l).a) -lmnl -ldl

UTIL_SRC   := $(wildcard src/util/*.c)
CORE_SRC   := $(wildcard src/core/*.c)
ENGINE_SRC := $(wildcard src/engine/*.c src/engine/*/*.c)
LIB_SRC    := $(UTIL_SRC) $(CORE_SRC) $(ENGINE_SRC)
LIB_OBJ    := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_COMMON := $(wildcard src/cli/*.c)
RT_SRC     := $(wildcard src/cli/runtime/*.c)
RT_OBJ     := $(RT_SRC:%.c=$(BUILD)/%.o)
CMD_SRC    := $(filter-out src/cli/berth/berth.c,$(wildcard src/cli/berth/*.c))
CMD_OBJ    := $(CMD_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ    := $(CLI_COMMON:%.c=$(BUILD)/%.o)
UNIT_SRC   := $(wildcard tests/unit/*.c)
UNIT_OBJ   := $(UNIT_SRC:%.c=$(BUILD)/%.o)

BINDIR := $(if $(SANITIZE),build/asan/bin,bin)
BERTH   := $(BINDIR)/berth
RUNTIME := $(BINDIR)/berth-runtime
MONITOR := $(BINDIR)/berth-monitor
UNIT    := $(BUILD)/unit-tests
IMAGE   := build/share/busybox-layer.tar

.PHONY: all deps deps-test deps-bench deps-format conformance conformance-peers run check unit integration torture bench clean fuzz format
all: deps $(BERTH) $(RUNTIME) $(MONITOR) $(IMAGE)

# Install each Debian package only if dpkg does not already have it. `deps` installs, in one apt
# run, the lists of every goal named on the command line; the other deps-* targets come after it
# (so two apt-get never race for dpkg's lock under make -j) and find their lists installed.
# Everything that compiles waits for `deps` (order-only): under -j, no compiler runs before the
# headers are there.
DEPS_FOR = $(DEB_BUILD) \
	$(if $(filter check torture,$(MAKECMDGOALS)),$(DEB_TEST) $(DEB_FUZZ) $(if $(filter 1,$(BERTH_VM_TESTS)),$(DEB_VM))) \
	$(if $(filter check-cgroup2,$(MAKECMDGOALS)),$(DEB_VM)) \
	$(if $(filter fuzz fuzz-run,$(MAKECMDGOALS)),$(DEB_FUZZ)) \
	$(if $(filter bench,$(MAKECMDGOALS)),$(DEB_BENCH)) \
	$(if $(filter format,$(MAKECMDGOALS)),$(DEB_FORMAT)) \
	$(if $(filter conformance conformance-peers,$(MAKECMDGOALS)),$(DEB_CONFORMANCE))
define need_pkgs
	@missing=""; for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; fi
endef
deps:
	$(call need_pkgs,$(sort $(DEPS_FOR)))
deps-test: deps
	$(call need_pkgs,$(DEB_TEST))
deps-bench: deps
	$(call need_pkgs,$(DEB_BENCH))
deps-format: deps
	$(call need_pkgs,$(DEB_FORMAT))

$(BUILD)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(BUILD)/libberth.a: $(LIB_OBJ)
	ar rcs $@ $^

$(BERTH): $(BUILD)/src/cli/berth/berth.o $(CMD_OBJ) $(CLI_OBJ) $(BUILD)/libberth.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(RUNTIME): $(RT_OBJ) $(CLI_OBJ) $(BUILD)/libberth.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# What a detached container's monitor becomes once the container runs (src/monitor/main.c):
# static against musl and cut to the functions it calls, it stays near 50 kB of RSS for the
# container's life (a fork of berth: 2.6-5.9 MB). Under SANITIZE it is built like the rest.
MONITOR_SRC := src/monitor/main.c src/util/jsonlog.c src/util/timefmt.c
ifeq ($(SANITIZE),)
MONITOR_CC    := musl-gcc
MONITOR_FLAGS := -Os -static -ffunction-sections -fdata-sections -Wl,--gc-sections
else
MONITOR_CC    := $(CC)
MONITOR_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer
endif
$(MONITOR): $(MONITOR_SRC) src/util/jsonlog.h src/util/timefmt.h | deps
	@mkdir -p $(dir $@)
	$(MONITOR_CC) $(MONITOR_FLAGS) -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter -Wno-format-truncation \
		-D_GNU_SOURCE -Isrc -o $@ $(MONITOR_SRC)

$(UNIT): $(UNIT_OBJ) $(CLI_OBJ) $(BUILD)/libberth.a
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# The built-in image's layer: busybox-static with its applets as symlinks, a minimal /etc.
$(IMAGE): images/busybox/mklayer.sh $(wildcard /bin/busybox) | deps
	@mkdir -p $(dir $@)
	sh images/busybox/mklayer.sh $@

run: all
	@if [ -t 0 ] && [ -t 1 ]; then exec $(BERTH) run -it --rm busybox sh; \
	 else $(BERTH) run --rm busybox sh -c 'echo "hello from $$(hostname), pid $$$$ in $$(cat /proc/1/comm)"; ls /'; fi

unit: $(UNIT)
	$(UNIT)

# The suite includes the cgroup v2 proof in a VM (about a minute; BERTH_VM_TESTS=0 skips it) and
# a bounded run of every fuzz target (BERTH_FUZZ_SECONDS each; 0 skips it).
BERTH_VM_TESTS ?= 1
BERTH_FUZZ_SECONDS ?= 30
check: all deps-test $(UNIT) $(if $(filter 1,$(BERTH_VM_TESTS)),deps-vm)
	@BERTH=$(abspath $(BERTH)) BERTH_RUNTIME=$(abspath $(RUNTIME)) UNIT=$(abspath $(UNIT)) \
	  BERTH_DATADIR=$(DATADIR) BERTH_VM_TESTS=$(BERTH_VM_TESTS) VM_TIMEOUT=300 \
	  BERTH_FUZZ_SECONDS=$(BERTH_FUZZ_SECONDS) bash tests/run.sh

# The fault suite's kills (tests/integration/test_faults.sh) with TORTURE_ITERS kills per operation;
# ends with one line per operation: "faults: OP tried=N killed=K held=H bytes_left=B".
TORTURE_ITERS ?= 1000
torture: all deps-test
	@mkdir -p build; rm -f build/torture.txt
	@BERTH=$(abspath $(BERTH)) BERTH_RUNTIME=$(abspath $(RUNTIME)) BERTH_DATADIR=$(DATADIR) \
	  BERTH_FAULT_ITERS=$(TORTURE_ITERS) BERTH_FAULT_REPORT=$(abspath build/torture.txt) \
	  BERTH_TEST_TIMEOUT=$$(( $(TORTURE_ITERS) * 10 + 120 )) bash tests/run.sh test_faults.sh:test_kill_; \
	  rc=$$?; echo "== torture: $(TORTURE_ITERS) kills per operation"; cat build/torture.txt 2>/dev/null; exit $$rc

bench: all deps-bench
	bash bench/run.sh
	bash bench/lifecycle.sh

# The OCI runtime-tools validation suite against berth-runtime, crun and runc (docs/conformance.md;
# needs a runtime-tools repository: RUNTIME_TOOLS_SRC). Never part of the tests.
conformance: all
	bash bench/conformance/run.sh

# crun 1.8.1's and runc 1.1.5's own integration suites against the same three (docs/conformance.md;
# needs their repositories: CRUN_SRC, RUNC_SRC). Never part of the tests.
conformance-peers: all
	bash bench/conformance/peers.sh

clean:
	rm -rf build bin

format: deps-format
	clang-format -i $(shell find src tests -name '*.[ch]')

include mk/fuzz.mk
include mk/vm.mk

-include $(shell find build -name '*.d' 2>/dev/null)
