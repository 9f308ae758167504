# hypervisor: the reference hypervisor (MIPS VZ root mode) with its test
# guests embedded: each guest is built to an ELF at guest kseg0, flattened
# with objcopy, and pulled into the image by guests.S (.incbin).  The
# stress guest's rule is stress/stress.mk's.  include/vzsoak/ holds the
# target<->host ABI headers.  branch.c also builds for the host (its unit
# test), with the ABI headers only.
#
# args.c, the boot-argument parser built from include/vzsoak/bootargs.def,
# is a file of both sides (like crashme/block.c): built into the hypervisor
# and, with the ABI include path only, into build/lib/libbootargs.a, which
# vzsoak (scenario keys), pdtrace (a capture's boot arguments) and the unit
# tests link, so the host reads boot arguments with the hypervisor's code.
HV_ELF      := $(BUILD)/target/hypervisor.elf
GUEST_NAMES := demo loop wild exits crit flood dslot wired storm stress
GUEST_BINS  := $(patsubst %,$(BUILD)/target/guests/%.bin,$(GUEST_NAMES))
HV_TSRC     := hypervisor/start.S $(wildcard hypervisor/*.c) hypervisor/guests.S
HV_HDRS     := $(wildcard hypervisor/*.h hypervisor/include/vzsoak/*.h hypervisor/include/vzsoak/*.def boards/mips/include/mips/*)
HV_HOST_SRC := hypervisor/branch.c
$(call layer,hypervisor,-Ihypervisor/include)
$(eval $(call library,bootargs,hypervisor/args.c))

$(BUILD)/target/guests/%.elf: hypervisor/guests/%.c hypervisor/guests/start.S \
		hypervisor/guests/guest.h hypervisor/guests/guest.ld \
		hypervisor/include/vzsoak/hypercall.h boards/mips/include/mips/cp0.h | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(TCC) $(TARGET_CFLAGS) $(TARGET_LDFLAGS) -Iboards/mips/include -Ihypervisor/include -T hypervisor/guests/guest.ld \
		hypervisor/guests/start.S $< -o $@

$(BUILD)/target/guests/%.bin: $(BUILD)/target/guests/%.elf
	$(CROSS)objcopy -O binary $< $@

$(HV_ELF): $(HV_TSRC) $(HV_HDRS) hypervisor/hypervisor.ld $(GUEST_BINS) | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(TCC) $(TARGET_CFLAGS) $(TARGET_LDFLAGS) -Iboards/mips/include -Ihypervisor/include -Ihypervisor \
		-Wa,-I$(BUILD)/target/guests -T hypervisor/hypervisor.ld $(HV_TSRC) -o $@

TARGET_IMAGES += $(HV_ELF)
TEST_DEPS     += $(HV_ELF)
BENCH_DEPS    += $(HV_ELF)
