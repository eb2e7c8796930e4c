#!/bin/sh
# Builds the built-in busybox image's layer: the host's static busybox with a symlink per applet
# and a minimal /etc, as a reproducible tar (same input busybox -> byte-identical tar, so the
# layer's diff_id and the image id are stable across builds).
#   usage: sh images/busybox/mklayer.sh OUT.tar
set -eu

out=${1:?usage: mklayer.sh OUT.tar}
busybox=${BUSYBOX:-/bin/busybox}

if [ ! -x "$busybox" ]; then
        echo "mklayer.sh: $busybox not found (apt-get install busybox-static)" >&2
        exit 1
fi
# A dynamically linked busybox would not run in a rootfs without its libraries.
if ! "$busybox" --list-full >/dev/null 2>&1; then
        echo "mklayer.sh: $busybox does not support --list-full" >&2
        exit 1
fi

outdir=$(dirname -- "$out")
mkdir -p -- "$outdir"
work=$(mktemp -d "${TMPDIR:-/tmp}/berth-mklayer.XXXXXX")
tmp_out="$outdir/.$(basename -- "$out").tmp.$$"
trap 'rm -rf -- "$work"; rm -f -- "$tmp_out"' EXIT
trap 'exit 1' HUP INT TERM
root=$work/rootfs

umask 022
mkdir -p "$root"
for d in bin sbin usr/bin usr/sbin etc proc sys dev root home var run tmp mnt; do
        mkdir -p "$root/$d"
done
chmod 1777 "$root/tmp"
chmod 0700 "$root/root"

cp -- "$busybox" "$root/bin/busybox"
chmod 0755 "$root/bin/busybox"

# One relative symlink per applet, as `busybox --install -s` would make (relative, so they
# resolve inside any root). linuxrc is for initramfs boots and has no place in a container.
"$busybox" --list-full | while IFS= read -r applet; do
        case $applet in
        bin/busybox | linuxrc | "") continue ;;
        esac
        dir=${applet%/*}
        case $dir in
        bin) target=busybox ;;
        */*) target=../../bin/busybox ;;
        *) target=../bin/busybox ;;
        esac
        mkdir -p "$root/$dir"
        ln -sf "$target" "$root/$applet"
done

cat >"$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/home:/bin/false
berth:x:1000:1000:berth:/home/berth:/bin/sh
PASSWD
cat >"$root/etc/group" <<'GROUP'
root:x:0:
nobody:x:65534:
berth:x:1000:
GROUP
: >"$root/etc/hostname"
mkdir -p "$root/home/berth"
chmod 0644 "$root/etc/passwd" "$root/etc/group" "$root/etc/hostname"

# Reproducible: fixed order, owner and mtime; pax without atime/ctime records.
LC_ALL=C tar -C "$root" --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 \
        --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
        -cf "$tmp_out" .
mv -f -- "$tmp_out" "$out"
