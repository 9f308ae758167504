#!/bin/sh
# make linux-boot: Debian's Linux on vzsim, booted to vzsoak's init, crashme
# run for a time budget, the board reset; the console in DIR/boot.log, the
# figures (instructions, simulated and wall time) printed.
#
#   scripts/linux-boot.sh VZSIM DIR SEED TIME
set -eu
VZSIM=$1 DIR=$2 SEED=$3 TIME=$4
cmdline="console=ttyS0 panic=-1 crashme_seed=$SEED crashme_time=$TIME"
echo "linux-boot: $VZSIM --linux $DIR/vmlinuz --initrd $DIR/initramfs.cpio --cmdline '$cmdline'"
rc=0
"$VZSIM" --stats --linux "$DIR/vmlinuz" --initrd "$DIR/initramfs.cpio" --cmdline "$cmdline" \
	--uart-out "$DIR/boot.log" 2> "$DIR/boot.stats" || rc=$?
grep -E 'Linux version|Run /init|vzsoak-linux|Test complete|reboot:' "$DIR/boot.log" | sed 's/^/  /'
grep -E '^  (instructions|simulated time|wall time|MIPS)' "$DIR/boot.stats"
if [ $rc -ne 0 ]; then
	echo "linux-boot: vzsim exit status $rc (0: the board reset); $DIR/boot.log, $DIR/boot.stats" >&2
	exit 1
fi
