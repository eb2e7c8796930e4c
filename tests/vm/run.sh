#!/bin/bash
# Runs berth's cgroup v2 tests in a small VM: Debian's kernel under qemu (software emulation) with
# cgroup_no_v1=all, so the cgroup v2 driver meets a real v2-only host even though this host is
# hybrid. Nothing is installed into the host's /boot and the host's cgroups are never touched.
#
#   usage: tests/vm/run.sh            (from the repository root, after `make`; as root for apt)
#   env:   BERTH, BERTH_RUNTIME       the binaries to carry in (default bin/berth, bin/berth-runtime)
#          BERTH_DATADIR              where busybox-layer.tar is (default build/share)
#          VM_DIR                     cache and scratch directory (default build/vm)
#          VM_TESTS                   space-separated guest test names to run (default: all)
#          VM_TIMEOUT                 seconds before qemu is killed (default 300)
#          VM_VERBOSE=1               print the whole serial console, not only the result lines
#
# Exit status: 0 when the guest printed its summary with 0 failures, 1 otherwise.
set -euo pipefail

repo=$(cd "$(dirname -- "$0")/../.." && pwd)
cd "$repo"
BERTH=${BERTH:-$repo/bin/berth}
BERTH_RUNTIME=${BERTH_RUNTIME:-$repo/bin/berth-runtime}
BERTH_DATADIR=${BERTH_DATADIR:-$repo/build/share}
VM_DIR=${VM_DIR:-$repo/build/vm}
VM_TIMEOUT=${VM_TIMEOUT:-300}
VM_TESTS=${VM_TESTS:-}
LDSO=/lib64/ld-linux-x86-64.so.2

say() { printf 'vm: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

for f in "$BERTH" "$BERTH_RUNTIME" "$BERTH_DATADIR/busybox-layer.tar"; do
	[ -e "$f" ] || die "$f is missing (run make first)"
done

apt_install() {
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null ||
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }
}
command -v qemu-system-x86_64 >/dev/null || { say "installing qemu-system-x86"; apt_install qemu-system-x86; }
[ -x /bin/busybox ] && /bin/busybox --list | grep -qx cpio || { say "installing busybox-static"; apt_install busybox-static; }
BUSYBOX=/bin/busybox

mkdir -p "$VM_DIR"

# ---- the kernel: the package linux-image-amd64 depends on, unpacked (never installed) and cached.
kernel_dir=$VM_DIR/kernel
if ! ls "$kernel_dir"/boot/vmlinuz-* >/dev/null 2>&1; then
	pkg_of_meta() { apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }'; }
	pkg=$(pkg_of_meta || true)
	if [ -z "$pkg" ]; then
		say "apt-get update (no package list for linux-image-amd64)"
		apt-get update -qq
		pkg=$(pkg_of_meta)
	fi
	[ -n "$pkg" ] || die "cannot find the kernel package linux-image-amd64 depends on"
	say "downloading $pkg"
	rm -f "$VM_DIR"/"$pkg"_*.deb
	# apt's sandbox user cannot write into the build tree: download in a world-writable scratch dir.
	dl=$(mktemp -d "${TMPDIR:-/tmp}/berth-vm-dl.XXXXXX")
	chmod 0777 "$dl"
	if ! (cd "$dl" && apt-get download -qq "$pkg"); then
		say "apt-get download failed: apt-get update and retry"
		apt-get update -qq
		(cd "$dl" && apt-get download -qq "$pkg")
	fi
	mv "$dl"/"$pkg"_*.deb "$VM_DIR"/
	rmdir "$dl" 2>/dev/null || rm -rf "$dl"
	rm -rf "$kernel_dir.tmp"
	dpkg -x "$VM_DIR"/"$pkg"_*.deb "$kernel_dir.tmp"
	kver=$(basename "$(ls -d "$kernel_dir.tmp"/lib/modules/*)")
	# The .deb ships no modules.dep: make one for the whole tree, once.
	"$BUSYBOX" depmod -b "$kernel_dir.tmp" "$kver"
	rm -rf "$kernel_dir"
	mv "$kernel_dir.tmp" "$kernel_dir"
fi
vmlinuz=$(ls "$kernel_dir"/boot/vmlinuz-* | head -n 1)
kver=${vmlinuz##*/vmlinuz-}
moddir=$kernel_dir/lib/modules/$kver
[ -f "$moddir/modules.dep" ] || "$BUSYBOX" depmod -b "$kernel_dir" "$kver"

# ---- the initramfs, rebuilt every run (a second or two): it carries the current binaries.
root=$VM_DIR/initramfs
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,run,newroot,berth/bin,berth/share,tests,etc}
cp "$BUSYBOX" "$root/bin/busybox"
install -m 0755 tests/vm/init "$root/init"
install -m 0755 tests/vm/guest.sh "$root/tests/guest.sh"
install -m 0755 "$BERTH" "$root/berth/bin/berth"
install -m 0755 "$BERTH_RUNTIME" "$root/berth/bin/berth-runtime"
cp "$BERTH_DATADIR/busybox-layer.tar" "$root/berth/share/"
# The shared libraries of the carried binaries, at their host paths (ld.so finds them there).
for b in "$BERTH" "$BERTH_RUNTIME"; do
	"$LDSO" --list "$b" | awk '/=> \// { print $3 } /^\t\/.*ld-linux/ { print $1 }'
done | sort -u | while read -r lib; do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
mkdir -p "$root/lib64"
[ -e "$root$LDSO" ] || cp -L "$LDSO" "$root$LDSO"
# Libraries berth may dlopen (nftables for published ports and masquerade).
for lib in /usr/lib/x86_64-linux-gnu/libnftables.so.1; do
	[ -e "$lib" ] || continue
	for dep in "$lib" $("$LDSO" --list "$lib" 2>/dev/null | awk '/=>/ { print $3 }'); do
		[ -e "$root$dep" ] && continue
		mkdir -p "$root$(dirname "$dep")"
		cp -L "$dep" "$root$dep"
	done
done
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
# Kernel modules: overlay, what bridge networks need (veth, bridge, nftables with NAT), and
# whatever modules.dep says they need. Missing network ones are skipped: berth then says why.
mods="overlay"
netmods="crc32c_generic veth bridge br_netfilter nf_tables nft_chain_nat nft_nat nft_masq nft_ct nft_fib nft_fib_inet nft_fib_ipv4 nft_reject_inet nft_compat"
for m in $netmods; do
	grep -qE "(^|/)$m\.ko(\.[a-z]+)?:" "$moddir/modules.dep" && mods="$mods $m"
done
for m in $mods; do
	line=$(grep -E "(^|/)$m\.ko(\.[a-z]+)?:" "$moddir/modules.dep") || die "module $m not in $moddir/modules.dep"
	for f in ${line/:/ }; do
		mkdir -p "$root/lib/modules/$kver/$(dirname "$f")"
		cp "$moddir/$f" "$root/lib/modules/$kver/$f"
	done
done
cp "$moddir"/modules.order "$moddir"/modules.builtin "$root/lib/modules/$kver/" 2>/dev/null || true
"$BUSYBOX" depmod -b "$root" "$kver"
# The kernel opens /dev/console for init's stdio before /init runs.
mknod -m 0600 "$root/dev/console" c 5 1
mknod -m 0666 "$root/dev/null" c 1 3
initrd=$VM_DIR/initramfs.cpio.gz
(cd "$root" && find . -print | "$BUSYBOX" cpio -o -H newc 2>/dev/null | gzip -1) >"$initrd.tmp"
mv "$initrd.tmp" "$initrd"

# ---- boot. Unknown name=value kernel parameters become /init's environment.
log=$VM_DIR/console.log
append="console=ttyS0 panic=-1 cgroup_no_v1=all quiet"
[ -z "$VM_TESTS" ] || append="$append VM_TESTS=$(printf '%s' "$VM_TESTS" | tr ' ' ',')"
say "booting $kver under qemu (software emulation; timeout ${VM_TIMEOUT}s)"
start=$(date +%s)
rc=0
timeout --foreground -k 10 "$VM_TIMEOUT" qemu-system-x86_64 -nographic -no-reboot -accel tcg,thread=multi \
	-cpu max -m 1024 -smp 2 -nic none -kernel "$vmlinuz" -initrd "$initrd" -append "$append" \
	</dev/null >"$log.raw" 2>&1 || rc=$?
# Terminal escape codes (the first serial line carries some) and carriage returns out.
sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1b[()][A-Za-z0-9]//g' -e 's/\x1b[=>c]//g' -e 's/\r//g' \
	"$log.raw" >"$log"
say "qemu exited with $rc after $(($(date +%s) - start))s; console: $log"
[ "$rc" != 124 ] || say "qemu was killed by the ${VM_TIMEOUT}s timeout"

if [ "${VM_VERBOSE:-}" = 1 ]; then
	cat "$log"
else
	grep -aE '(PASS|FAIL|INFO|SKIP):|cgroup2: [0-9]+ passed' "$log" | sed -e 's/^.*\(\(PASS\|FAIL\|INFO\|SKIP\):\)/\1/' -e 's/^.*\(cgroup2: [0-9]\)/\1/' || true
fi
summary=$(grep -aoE 'cgroup2: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 || true)
if [ -z "$summary" ]; then
	say "no summary line from the guest: the last console lines were:"
	tail -n 30 "$log" >&2
	exit 1
fi
failed=$(printf '%s\n' "$summary" | sed -E 's/.* ([0-9]+) failed/\1/')
[ "$failed" = 0 ] || exit 1
exit 0
