#!/bin/sh
# The init of the KVM initramfs (make linux-kvm, docs/linux-kvm.md): shows
# what the kernel's CPU probe found (/proc/cpuinfo), runs kvmprobe (a VZ
# virtual machine, its vCPU and a small guest under KVM, and KVM's exit
# counters from debugfs), then resets the board (vzsim exits with status
# 0).  Its lines start with vzsoak-kvm:.
export PATH=/bin
bb=/bin/busybox
$bb mount -t proc proc /proc
$bb mount -t sysfs sys /sys
$bb mount -t devtmpfs dev /dev
$bb mount -t debugfs debug /sys/kernel/debug
echo "vzsoak-kvm: up: $($bb uname -sr), $($bb cut -d' ' -f1 /proc/uptime) s after boot"
$bb grep -E '^(cpu model|isa|ASEs implemented|Options implemented|tlb_entries)' /proc/cpuinfo |
	$bb sed 's/^/vzsoak-kvm: cpuinfo: /'
/bin/kvmprobe
echo "vzsoak-kvm: kvmprobe exit status $?"
echo "vzsoak-kvm: done, $($bb cut -d' ' -f1 /proc/uptime) s after boot; resetting"
$bb sync
$bb reboot -f
