#!/bin/sh
# vzsoak's init for Linux on vzsim (docs/linux.md).  Runs what the kernel
# command line asks for, then resets the board (vzsim exits with status 0):
#   run=crashme (default)  crashme_bytes crashme_seed crashme_tries
#                          crashme_time: crashme's NBYTES SRAND NTRYS and its
#                          time budget (NSUB as hh:mm:ss)
#   run=none               the banner only
# The kernel hands unknown name=value parameters to init as environment.
export PATH=/bin:/usr/bin
bb=/bin/busybox
$bb mount -t proc proc /proc
$bb mount -t sysfs sys /sys
echo "vzsoak-linux: up: $($bb uname -sr), $($bb cut -d' ' -f1 /proc/uptime) s after boot"
case "${run:-crashme}" in
crashme)
	set -- "${crashme_bytes:-+2000}" "${crashme_seed:-1}" "${crashme_tries:-50}" \
		"${crashme_time:-00:00:05}" 1
	echo "vzsoak-linux: crashme $*"
	/usr/bin/crashme "$@"
	echo "vzsoak-linux: crashme exit status $?"
	;;
none)
	;;
*)
	echo "vzsoak-linux: run=$run is not crashme or none"
	;;
esac
echo "vzsoak-linux: done, $($bb cut -d' ' -f1 /proc/uptime) s after boot; resetting"
$bb sync
$bb reboot -f
