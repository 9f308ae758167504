# stress (docs/stress.md): the stress guest kernel (kernel/) with its
# crashme process (kernel/crashme.c) and crashme's block generator, built
# as one of the hypervisor's guests.  include/vzsoak/kstats.h is its
# statistics block, read by the host.
# In the order the image has always been linked in (its layout, and so the
# soak's timing, depends on it).
STRESS_SRC := hypervisor/guests/start.S stress/kernel/entry.S stress/kernel/tlbex.S \
	stress/kernel/main.c stress/kernel/worker.c stress/kernel/crashme.c stress/kernel/checks.c \
	$(CRASHME_SRC)
STRESS_HDRS := $(wildcard stress/kernel/*.h stress/include/vzsoak/*.h crashme/include/crashme/*.h \
	boards/mips/include/mips/*) hypervisor/guests/guest.h hypervisor/include/vzsoak/hypercall.h
$(BUILD)/target/guests/stress.elf: $(STRESS_SRC) $(STRESS_HDRS) stress/kernel/stress.ld | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(TCC) $(TARGET_CFLAGS) $(TARGET_LDFLAGS) -Iboards/mips/include -Icrashme/include \
		-Istress/include -Ihypervisor/include -Ihypervisor/guests -Istress/kernel \
		-T stress/kernel/stress.ld $(STRESS_SRC) -o $@
