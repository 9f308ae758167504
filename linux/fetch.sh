#!/bin/sh
# Fetches what Linux on vzsim is built from (docs/linux.md): Debian 12's
# mipsel generic kernel, busybox-static, crashme and libc6, with apt-get
# download, into DIR (build/linux):
#   DIR/deb/*.deb         the packages as downloaded
#   DIR/pkg/NAME/...      each unpacked (dpkg-deb -x)
#   DIR/vmlinuz, DIR/config   the kernel and its configuration (Debian
#                         ships the real System.map in the -dbg package only)
#   DIR/versions.txt      package, version and SHA-256 of each .deb
# The kernel's package name carries its ABI number: it is resolved from the
# linux-image-mips32r2el meta-package now.  mipsel is added to dpkg's
# architectures (apt-get's lists then hold it) if it is not there yet.
set -e
dir=${1:?usage: fetch.sh DIR}
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo > /dev/null 2>&1 || {
		echo "linux/fetch.sh: needs root (or sudo) to add mipsel to dpkg's architectures" >&2
		exit 1
	}
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
if ! dpkg --print-foreign-architectures | grep -qx mipsel; then
	echo "linux: adding mipsel to dpkg's architectures"
	$SUDO dpkg --add-architecture mipsel
fi
if ! apt-cache show busybox-static:mipsel > /dev/null 2>&1; then
	echo "linux: apt-get update (mipsel lists)"
	$SUDO apt-get update -qq
fi
kernel=$(apt-cache depends linux-image-mips32r2el:mipsel |
	sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*-mips32r2el\).*/\1/p' | head -n 1)
if [ -z "$kernel" ]; then
	echo "linux/fetch.sh: no kernel package behind linux-image-mips32r2el:mipsel" >&2
	exit 1
fi
pkgs="$kernel busybox-static crashme libc6"
rm -rf "$dir/deb.tmp" "$dir/pkg.tmp"
mkdir -p "$dir/deb.tmp" "$dir/pkg.tmp"
echo "linux: downloading $pkgs (mipsel)"
for p in $pkgs; do
	# As root apt downloads unsandboxed: say so, not warn about it.
	(cd "$dir/deb.tmp" && apt-get download -qq -o APT::Sandbox::User=root "$p:mipsel")
done
: > "$dir/versions.tmp"
for deb in "$dir"/deb.tmp/*.deb; do
	name=$(dpkg-deb -f "$deb" Package)
	case "$name" in linux-image-*) short=linux-image ;; *) short=$name ;; esac
	dpkg-deb -x "$deb" "$dir/pkg.tmp/$short"
	# The kernel's modules (most of the package) are never loaded.
	rm -rf "$dir/pkg.tmp/$short/lib/modules"
	printf '%s %s %s\n' "$name" "$(dpkg-deb -f "$deb" Version)" \
		"$(sha256sum < "$deb" | cut -d' ' -f1)" >> "$dir/versions.tmp"
done
boot="$dir/pkg.tmp/linux-image/boot"
for f in vmlinuz config; do
	cp "$boot/$f-"* "$dir/$f.tmp"
done
rm -rf "$dir/deb" "$dir/pkg"
mv "$dir/deb.tmp" "$dir/deb"
mv "$dir/pkg.tmp" "$dir/pkg"
for f in config versions vmlinuz; do
	ext=; [ "$f" = versions ] && ext=.txt
	mv "$dir/$f.tmp" "$dir/$f$ext"
done
echo "linux: fetched into $dir:"
sed 's/^/  /' "$dir/versions.txt"
