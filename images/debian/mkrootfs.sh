#!/bin/sh
# Builds the workload tests' root filesystem (tests/workloads/): Debian bookworm, variant apt,
# with nginx-light, postgresql-15 (its client too) and python3, as one tar for `berth import`.
# Made with mmdebstrap from this machine's apt sources, so it works wherever apt does (CI too).
# Documentation, man pages and locales other than C are left out, and the cluster Debian's
# postinst makes is removed (the test's entrypoint makes one on its volume), and so is LLVM
# (130 MB that only postgres's optional JIT loads; without it postgres runs with jit off): it
# stays small.
#   usage: sh images/debian/mkrootfs.sh OUT.tar
set -eu

out=${1:?usage: mkrootfs.sh OUT.tar}
command -v mmdebstrap >/dev/null || {
	echo "mkrootfs.sh: mmdebstrap not found (apt-get install mmdebstrap)" >&2
	exit 1
}
here=$(cd "$(dirname "$0")" && pwd)

# The machine's apt sources (one-line .list and deb822 .sources files), as mmdebstrap reads them.
set --
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
	[ -s "$f" ] && set -- "$@" "$f"
done
[ $# -gt 0 ] || {
	echo "mkrootfs.sh: no apt sources in /etc/apt" >&2
	exit 1
}

outdir=$(dirname -- "$out")
mkdir -p -- "$outdir"
tmp_out="$outdir/.$(basename -- "$out").tmp.$$"
trap 'rm -f -- "$tmp_out"' EXIT
trap 'exit 1' HUP INT TERM

mmdebstrap --quiet --variant=apt --format=tar \
	--include=nginx-light,postgresql-15,python3 \
	--aptopt='APT::Install-Recommends "false"' \
	--dpkgopt='path-exclude=/usr/share/man/*' \
	--dpkgopt='path-exclude=/usr/share/doc/*' \
	--dpkgopt='path-include=/usr/share/doc/*/copyright' \
	--dpkgopt='path-exclude=/usr/share/info/*' \
	--dpkgopt='path-exclude=/usr/share/locale/*' \
	--customize-hook='rm -rf "$1"/var/lib/postgresql/15/main "$1"/etc/postgresql/15/main' \
	--customize-hook='rm -rf "$1"/usr/lib/postgresql/15/lib/llvmjit* "$1"/usr/lib/postgresql/15/lib/bitcode' \
	--customize-hook='rm -f "$1"/usr/lib/*/libLLVM-* "$1"/usr/lib/*/libz3.so.*' \
	--customize-hook="copy-in $here/pg-entrypoint /usr/local/bin" \
	--customize-hook='chmod 755 "$1"/usr/local/bin/pg-entrypoint' \
	bookworm "$tmp_out" "$@"
mv -f -- "$tmp_out" "$out"
