#!/bin/sh
# Fetches the kernel's symbols and code for the flow decoder (docs/linux.md,
# "Kernel symbols in the trace"): Debian ships them only in the kernel's
# -dbg package (about 600 MB), whose vmlinux is the very image the
# package's vmlinuz decompresses to, with every symbol and its debug
# information.  Run after linux/fetch.sh, into the same DIR:
#   DIR/vmlinux       that vmlinux without its debug information (code,
#                     data and the symbol table): pdtrace flow --image
#   DIR/System.map    its symbols, by address (nm -n)
#   DIR/symbols.txt   the -dbg package, version and SHA-256
# The -dbg package is pinned to the version of the kernel fetch.sh took
# (DIR/versions.txt), downloaded, read once and deleted: only the vmlinux
# is kept.  CROSS is the cross binutils' prefix (mipsel-linux-gnu-).
set -e
dir=${1:?usage: fetch-symbols.sh DIR}
CROSS=${CROSS:-mipsel-linux-gnu-}
set -- $(grep '^linux-image-' "$dir/versions.txt" 2>/dev/null || true)
if [ $# -lt 2 ]; then
	echo "linux/fetch-symbols.sh: $dir/versions.txt names no kernel package (make linux first)" >&2
	exit 1
fi
pkg=$1-dbg
version=$2
rm -rf "$dir/dbg.tmp"
mkdir -p "$dir/dbg.tmp"
echo "linux: downloading $pkg $version (mipsel, about 600 MB; only its vmlinux is kept)"
(cd "$dir/dbg.tmp" && apt-get download -qq -o APT::Sandbox::User=root "$pkg:mipsel=$version")
deb=$(ls "$dir"/dbg.tmp/*.deb)
sum=$(sha256sum < "$deb" | cut -d' ' -f1)
# Only the vmlinux, streamed out of the package's data in one pass.
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dir/dbg.tmp" --wildcards './usr/lib/debug/boot/vmlinux-*'
member=$(ls "$dir"/dbg.tmp/usr/lib/debug/boot/vmlinux-* 2>/dev/null | head -n 1)
if [ -z "$member" ]; then
	echo "linux/fetch-symbols.sh: $deb has no usr/lib/debug/boot/vmlinux-*" >&2
	exit 1
fi
rm -f "$deb"
"${CROSS}objcopy" --strip-debug "$member" "$dir/vmlinux.tmp"
rm -rf "$dir/dbg.tmp"
"${CROSS}nm" -n "$dir/vmlinux.tmp" > "$dir/System.map.tmp"
printf '%s %s %s\n' "$pkg" "$version" "$sum" > "$dir/symbols.tmp"
mv "$dir/vmlinux.tmp" "$dir/vmlinux"
mv "$dir/System.map.tmp" "$dir/System.map"
mv "$dir/symbols.tmp" "$dir/symbols.txt"
echo "linux: $dir/vmlinux ($(wc -l < "$dir/System.map") symbols in $dir/System.map)"
