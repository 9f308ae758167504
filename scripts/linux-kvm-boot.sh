#!/bin/sh
# make linux-kvm-boot (docs/linux-kvm.md): the KVM kernel of make linux-kvm
# on vzsim as a P5600, booted to its initramfs's init, which runs kvmprobe
# (a VZ virtual machine and a small guest under KVM) and resets the board;
# the console in DIR/boot.log, KVM's lines and the figures printed.
#
#   scripts/linux-kvm-boot.sh VZSIM DIR
set -eu
VZSIM=$1 DIR=$2
echo "linux-kvm-boot: $VZSIM --board-opt prid=p5600 --linux $DIR/vmlinux --initrd $DIR/initramfs.cpio"
rc=0
"$VZSIM" --stats --board-opt prid=p5600 --linux "$DIR/vmlinux" --initrd "$DIR/initramfs.cpio" \
	--uart-out "$DIR/boot.log" 2> "$DIR/boot.stats" || rc=$?
grep -E 'Linux version|CPU0 revision|KVM|kvm|Run /init|vzsoak-kvm|kvmprobe|reboot:' "$DIR/boot.log" |
	sed 's/^/  /'
grep -E '^  (instructions|simulated time|wall time|MIPS)' "$DIR/boot.stats"
if [ $rc -ne 0 ]; then
	echo "linux-kvm-boot: vzsim exit status $rc (0: the board reset); $DIR/boot.log, $DIR/boot.stats" >&2
	exit 1
fi
if ! grep -q '^kvmprobe: ok' "$DIR/boot.log"; then
	echo "linux-kvm-boot: kvmprobe did not end with ok; $DIR/boot.log" >&2
	exit 1
fi
