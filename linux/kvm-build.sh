#!/bin/sh
# make linux-kvm (docs/linux-kvm.md): Linux 6.1 from Debian 12's
# linux-source-6.1, cross-built for a MIPS32r5 host with KVM, for the
# generic device-tree platform that vzsim --linux boots.
#
#   linux/kvm-build.sh DIR        (DIR: build/linux-kvm)
#
#   DIR/deb/linux-source-6.1_*.deb   the package, from apt-get download
#   DIR/src/linux-source-6.1/        its tarball, unpacked and patched with
#                                    linux/kvm-generic-r5.patch
#   DIR/obj/                         the kernel's build tree (O=), its
#                                    UAPI headers in DIR/obj/usr/include
#   DIR/vmlinux, DIR/System.map, DIR/config   what it built, and how
#   DIR/versions.txt                 the package's version and SHA-256
#
# The package is downloaded and unpacked once (again when the patch
# changes); the kernel's own make rebuilds only what changed.  The host
# tools the kernel's build needs beyond make deps (flex, bison, bc; patch
# and xz for the sources) are installed here, only those missing.  The build runs under nice -n 10 with
# KVM_JOBS (default 2) jobs.
set -e
dir=${1:?usage: kvm-build.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
jobs=${KVM_JOBS:-2}
cross=${CROSS:-mipsel-linux-gnu-}
# The banner (Linux version ... #1 SMP ...) names neither this machine nor
# the time of the build (KBUILD_BUILD_TIMESTAMP below): the same sources
# and configuration boot to the same console and instruction count.
export KBUILD_BUILD_USER=vzsoak KBUILD_BUILD_HOST=linux-kvm KBUILD_BUILD_VERSION=1
kmake() {
	nice -n 10 make -s -C "$src" O="$obj" ARCH=mips CROSS_COMPILE="$cross" "$@"
}

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
missing=""
for p in flex bison bc patch xz-utils; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
if [ -n "$missing" ]; then
	if [ -n "$SUDO" ] && ! command -v sudo > /dev/null 2>&1; then
		echo "linux-kvm: missing:$missing; install them as root (there is no sudo)" >&2
		exit 1
	fi
	echo "linux-kvm: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086 # a list of names
	$SUDO apt-get install -y -qq --no-install-recommends $missing > /dev/null
fi

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
deb=$(ls "$dir"/deb/linux-source-6.1_*_all.deb 2> /dev/null | tail -n 1 || true)
if [ -z "$deb" ]; then
	if ! apt-cache show linux-source-6.1 > /dev/null 2>&1; then
		echo "linux-kvm: apt-get update"
		$SUDO apt-get update -qq
	fi
	echo "linux-kvm: downloading linux-source-6.1"
	rm -rf "$dir/deb.tmp"
	mkdir -p "$dir/deb.tmp"
	# As root apt downloads unsandboxed: say so, not warn about it.
	(cd "$dir/deb.tmp" && apt-get download -qq -o APT::Sandbox::User=root linux-source-6.1)
	rm -rf "$dir/deb"
	mv "$dir/deb.tmp" "$dir/deb"
	deb=$(ls "$dir"/deb/linux-source-6.1_*_all.deb | tail -n 1)
fi
version=$(dpkg-deb -f "$deb" Version)
# The build's date is the package's (its changelog's last entry), as
# SOURCE_DATE_EPOCH would have it: the banner and the initramfs the kernel
# builds in (usr/, whose mtimes come from it) do not change build to build.
KBUILD_BUILD_TIMESTAMP=$(dpkg-deb --fsys-tarfile "$deb" |
	tar -xO ./usr/share/doc/linux-source-6.1/changelog.Debian.gz | gzip -dc |
	sed -n 's/^ -- .*>  //p' | head -n 1)
export KBUILD_BUILD_TIMESTAMP
stamp="$version $(sha256sum < "$here/kvm-generic-r5.patch" | cut -d' ' -f1)"
src=$dir/src/linux-source-6.1
obj=$dir/obj
if [ "$(cat "$dir/src/stamp" 2> /dev/null)" != "$stamp" ]; then
	echo "linux-kvm: unpacking linux-source-6.1 $version"
	rm -rf "$dir/src" "$dir/src.tmp" "$obj"
	mkdir -p "$dir/src.tmp"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO ./usr/src/linux-source-6.1.tar.xz | xz -dc | tar -x -C "$dir/src.tmp"
	(cd "$dir/src.tmp/linux-source-6.1" && patch -s -p1 < "$here/kvm-generic-r5.patch")
	echo "$stamp" > "$dir/src.tmp/stamp"
	mv "$dir/src.tmp" "$dir/src"
fi
printf 'linux-source-6.1 %s %s\n' "$version" "$(sha256sum < "$deb" | cut -d' ' -f1)" \
	> "$dir/versions.txt"

# The configuration: what 32r2el_defconfig merges (generic_defconfig,
# generic/32r2.config, generic/el.config) but none of the boards' fragments
# it adds by default (Boston, Ocelot, Ranchu...: their drivers are not
# wanted here), then linux/kvm.config over them, then olddefconfig for
# what the fragment implies.
mkdir -p "$obj"
echo "linux-kvm: configuring (generic 32r2el defconfig, no boards, + linux/kvm.config)"
cfgs=$src/arch/mips/configs
(cd "$obj" && ARCH=mips "$src/scripts/kconfig/merge_config.sh" -m -O "$obj" \
	"$cfgs/generic_defconfig" "$cfgs/generic/32r2.config" "$cfgs/generic/el.config" \
	"$here/kvm.config") > "$dir/config.log" 2>&1
kmake olddefconfig >> "$dir/config.log" 2>&1
# Every line of the fragment must be in the result: a symbol that Kconfig
# dropped (a dependency missing) would otherwise go unnoticed.
grep -E '^(CONFIG_|# CONFIG_[A-Za-z0-9_]+ is not set)' "$here/kvm.config" | while read -r line; do
	case "$line" in
	"# "*) sym=${line#\# }; sym=${sym%% *}
		if grep -q "^$sym=" "$obj/.config"; then echo "$line"; fi
		;;
	*) grep -qxF "$line" "$obj/.config" || echo "$line" ;;
	esac
done > "$dir/config.missing"
if [ -s "$dir/config.missing" ]; then
	echo "linux-kvm: linux/kvm.config lines not in the kernel's configuration ($dir/config.log):" >&2
	sed 's/^/  /' "$dir/config.missing" >&2
	exit 1
fi

echo "linux-kvm: building vmlinux (make -j$jobs, nice -n 10; about 15 minutes the first time)"
start=$(date +%s)
# vmlinux, and the UAPI headers (obj/usr/include) kvmprobe is built with.
kmake -j"$jobs" vmlinux headers
end=$(date +%s)
echo "linux-kvm: built in $((end - start)) s"
cp "$obj/vmlinux" "$dir/vmlinux.tmp"
cp "$obj/System.map" "$dir/System.map.tmp"
cp "$obj/.config" "$dir/config.tmp"
for f in vmlinux System.map config; do
	mv "$dir/$f.tmp" "$dir/$f"
done
echo "linux-kvm: $dir/vmlinux ($("${cross}readelf" -h "$dir/vmlinux" | sed -n 's/ *Entry point address: *//p')), $dir/config"
