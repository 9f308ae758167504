#!/bin/bash
# Linux on vzsim (docs/linux.md): Debian's generic mipsel kernel boots on
# vzsim to vzsoak's init, runs crashme for a simulated second and resets
# the board; and the bad inputs of vzsim --linux and of mkcpio.
#
#   scripts/run-linux-tests.sh VZSIM MKCPIO LINUXDIR RESULTS
#
# LINUXDIR is what `make linux` made (vmlinuz, initramfs.cpio).  Writes
# RESULTS/linux.results; each run's console and stderr stay in
# RESULTS/linux/.  Exit status: 0 if all passed.
set -u

# shellcheck source=scripts/results.sh
. "$(dirname "$0")/results.sh"
results_args 4 "VZSIM MKCPIO LINUXDIR RESULTS" "$@"
VZSIM=$1 MKCPIO=$2 LINUX=$3 RESULTS=$4
# The boot takes about 4x10^9 instructions; far above that, and far above
# the wall time it needs even under the sanitizers.
MAX_INSNS=${LINUX_MAX_INSNS:-12000000000}
TIMEOUT=${LINUX_TIMEOUT:-600}
results_begin linux "$RESULTS"
out="$results_dir/linux"
rm -rf "$out"
mkdir -p "$out"

# expect_bad NAME WANT CMD...: exit status 2 and one stderr line saying WANT.
expect_bad() {
	local name=$1 want=$2 rc
	shift 2
	"$@" > "$out/$name.out" 2> "$out/$name.err"
	rc=$?
	if [ $rc -ne 2 ]; then
		fail "$name" "exit status $rc, want 2: $(head -c 300 "$out/$name.err")"
	elif [ "$(wc -l < "$out/$name.err")" -ne 1 ] || ! grep -qF -- "$want" "$out/$name.err"; then
		fail "$name" "want one line saying '$want', got: $(head -c 300 "$out/$name.err")"
	else
		pass "$name"
	fi
}

CMDLINE="console=ttyS0 panic=-1 crashme_seed=1 crashme_tries=10 crashme_time=00:00:01"

# run_boot NAME VZSIM-OPTIONS...: the boot, its console in NAME.console.
run_boot() {
	local name=$1
	shift
	timeout "$TIMEOUT" "$VZSIM" --stats --max-insns "$MAX_INSNS" "$@" --linux "$LINUX/vmlinuz" \
		--initrd "$LINUX/initramfs.cpio" --cmdline "$CMDLINE" > "$out/$name.console" \
		2> "$out/$name.stderr"
}

# The boot: the kernel's console, vzsoak's init, crashme, the reset.
boot() {
	local name=boot log=$out/boot.console err=$out/boot.stderr rc cmdline=$CMDLINE
	run_boot boot
	rc=$?
	if [ $rc -ne 0 ]; then
		fail $name "vzsim exit status $rc (0: the board reset), console ends: $(tail -c 300 "$log")"
		return
	fi
	local want missing=""
	for want in "Linux version 6.1" "CPU0 revision is: 0001a220 (MIPS proAptiv)" \
		"MIPS: machine is vzsim" "Kernel command line: $cmdline" \
		"ttyS0 at MMIO 0x180003f8 (irq = " "Run /init as init process" \
		"vzsoak-linux: up: Linux 6.1" "vzsoak-linux: crashme +2000 1 10 00:00:01 1" \
		"Test complete" "vzsoak-linux: crashme exit status 0" \
		"vzsoak-linux: done" "reboot: Restarting system"; do
		grep -qF -- "$want" "$log" || missing="$missing '$want'"
	done
	# The console UART's interrupt reached the kernel (its irq is not 0).
	grep -q 'ttyS0 at MMIO 0x180003f8 (irq = 0,' "$log" && missing="$missing 'an interrupt for ttyS0'"
	for want in "Kernel panic" "Oops" "BUG:" "Unable to handle" "WARNING:"; do
		grep -qF -- "$want" "$log" && missing="$missing (has '$want')"
	done
	if [ -n "$missing" ]; then
		fail $name "console lacks:$missing"
	else
		pass $name
		echo "linux: booted to init, ran crashme, reset: $(grep -m1 'instructions' "$err" | tr -s ' ')," \
			"$(grep -m1 'wall time' "$err" | tr -s ' ')"
	fi
}
boot

# The same boot with the interpreter alone: the same console byte for byte
# (the kernel's timestamps read Count) and the same instruction count.
jit_off() {
	local name=same-without-compiler rc
	run_boot nojit --jit 0
	rc=$?
	if [ $rc -ne 0 ]; then
		fail $name "vzsim --jit 0 exit status $rc"
	elif ! cmp -s "$out/boot.console" "$out/nojit.console"; then
		fail $name "the console differs from the compiled run's: $(cmp "$out/boot.console" "$out/nojit.console" 2>&1)"
	elif [ "$(grep -m1 ' instructions ' "$out/boot.stderr")" != "$(grep -m1 ' instructions ' "$out/nojit.stderr")" ]; then
		fail $name "instructions: $(grep -m1 ' instructions ' "$out/boot.stderr" | tr -s ' '), --jit 0:$(grep -m1 ' instructions ' "$out/nojit.stderr" | tr -s ' ')"
	else
		pass $name
	fi
}
jit_off

# vzsim --linux: what cannot boot is refused before the run.
expect_bad vzsim-initrd-alone "--initrd: only with --linux" \
	"$VZSIM" --initrd "$LINUX/initramfs.cpio" "$LINUX/vmlinuz"
expect_bad vzsim-two-images "--linux: the kernel is the only image" \
	"$VZSIM" --linux "$LINUX/vmlinuz" "$LINUX/vmlinuz"
expect_bad vzsim-small-ram "--linux: Linux needs more than 64 MiB of RAM" \
	"$VZSIM" --ram 32M --linux "$LINUX/vmlinuz"
expect_bad vzsim-no-initrd "--linux: $out/none.cpio: cannot open" \
	"$VZSIM" --linux "$LINUX/vmlinuz" --initrd "$out/none.cpio"

# mkcpio: a bad list names its line, and leaves no archive behind.
printf 'dir bin 0755\nfile bin/x 0755 src:missing\n' > "$out/missing.list"
expect_bad mkcpio-missing-source "$out/missing.list:2: $out/missing: cannot open" \
	"$MKCPIO" -o "$out/missing.cpio" -s "src=$out" "$out/missing.list"
printf 'dir bin 0755\n\n# fine\nfifo bin/p 0644\n' > "$out/kind.list"
expect_bad mkcpio-bad-kind "$out/kind.list:4: 'fifo' is not dir, file, link or node" \
	"$MKCPIO" -o "$out/kind.cpio" "$out/kind.list"
printf 'dir bin 0855\n' > "$out/mode.list"
expect_bad mkcpio-bad-mode "$out/mode.list:1: mode '0855' is not an octal mode" \
	"$MKCPIO" -o "$out/mode.cpio" "$out/mode.list"
printf 'file init 0755 init.sh\n' > "$out/root.list"
expect_bad mkcpio-no-root "$out/root.list:1: source 'init.sh' does not start with a root" \
	"$MKCPIO" -o "$out/root.cpio" "$out/root.list"
left=$(ls "$out" | grep -c '\.cpio')
if [ "$left" -eq 0 ]; then pass mkcpio-nothing-left; else
	fail mkcpio-nothing-left "a refused list left $(ls "$out" | grep '\.cpio' | tr '\n' ' ')"; fi

results_end
