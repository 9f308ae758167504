#!/bin/sh
# Installs the Debian 12 packages vzsoak needs, only those missing.
# Idempotent: when everything is present it only runs dpkg-query once.
#
# A fresh machine has Debian's minbase plus git and make and nothing else
# (make test-fresh proves it, docs/testing-fresh.md): every tool a build
# step, test or script uses beyond that must be listed here.
set -e
# Build and tests: host compiler, cross compiler for the target images,
# libelf, cmocka, QEMU for the differential tests, clang and its runtime
# for the fuzzers.
PKGS="gcc make gcc-mipsel-linux-gnu binutils-mipsel-linux-gnu libelf-dev \
libcmocka-dev qemu-system-mips pkg-config clang libclang-rt-14-dev"
# The outputs step traces vzsim's file creation (every one O_EXCL); the
# soak step finds a soak's children with pgrep (procps: not in minbase).
PKGS="$PKGS strace procps"
# make test-fresh: builds the fresh Debian root it runs the two commands in.
PKGS="$PKGS debootstrap"
# The slurm step: a one-node Slurm cluster the test starts and stops itself
# (scripts/slurm-soak.sh submits the soak as a job array to it).
PKGS="$PKGS slurm-wlm munge"
# vzsoak report draws its plots (harness/report/plot.c) with gnuplot; the
# report step renders report.html with headless Chromium and checks the
# screenshot and the plots with tests/vzsoak/pngcheck.c (libpng).  gnuplot and
# Chromium draw their text in DejaVu Sans, named so that a font is there
# whichever one fontconfig's dependencies would bring.
PKGS="$PKGS gnuplot-nox chromium libpng-dev fonts-dejavu-core"
# The openocd step drives vzsim's EJTAG TAP (vzsim --jtag) with Debian's own
# OpenOCD over its remote_bitbang adapter, as it drives a real probe.
PKGS="$PKGS openocd"
missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	# A fresh Debian installed with a root password has no sudo: say what
	# to do rather than "sudo: not found".
	if ! command -v sudo > /dev/null 2>&1; then
		echo "deps: missing:$missing; run 'make deps' as root (there is no sudo)" >&2
		exit 1
	fi
	SUDO=sudo
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086 # $missing is a list of names
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps: done"
