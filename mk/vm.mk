# cgroup v2 tests in a VM: this host is hybrid (v1 controllers), so berth's cgroup v2 driver is
# proven on Debian's kernel booted under qemu (software emulation) with cgroup_no_v1=all.
#   make check-cgroup2                         build, then boot the VM and run tests/vm/guest.sh
#   make check-cgroup2 VM_TESTS="memory cpu"   only these guest tests (true bundle memory cpu
#                                              pids cpuset warnings freeze kill9)
#   make check-cgroup2 VM_VERBOSE=1            print the whole serial console
# The kernel .deb is downloaded once into build/vm/ (never installed); the initramfs is rebuilt
# from bin/ on every run. Needs root (apt, mknod) but touches neither /boot nor the host's cgroups.

DEB_VM     := qemu-system-x86 busybox-static
VM_TIMEOUT ?= 300

.PHONY: check-cgroup2 deps-vm
deps-vm: deps
	$(call need_pkgs,$(DEB_VM))

check-cgroup2: all deps-vm
	@BERTH=$(abspath $(BERTH)) BERTH_RUNTIME=$(abspath $(RUNTIME)) BERTH_DATADIR=$(DATADIR) \
	  VM_TIMEOUT=$(VM_TIMEOUT) VM_TESTS="$(VM_TESTS)" VM_VERBOSE=$(VM_VERBOSE) bash tests/vm/run.sh
