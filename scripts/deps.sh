#!/bin/sh
# Installs the Debian 12 packages vzsoak needs, only those missing.
# Idempotent: when everything is present it only runs dpkg-query once.
set -e
PKGS="gcc make gcc-mipsel-linux-gnu binutils-mipsel-linux-gnu libelf-dev \
libcmocka-dev qemu-system-mips pkg-config clang libclang-rt-14-dev"
missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps: done"
