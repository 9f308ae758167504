# vzsoak (harness/, docs/soak.md): the soak runner and its tests.
#
# Included by the Makefile after the host-tool rules, whose variables
# (BUILD, CC, CFLAGS_*, LIB_*, obj_*) and object pattern rules it uses.
# The Makefile's prerequisite lists (host:, test: $(TEST_DEPS), the
# unit-test link rule) were expanded before this point, so appending to
# BINS or TEST_DEPS here would change nothing: extra prerequisites are
# given as rules of their own instead, which Make merges whatever the order.

HARNESS_SRC := $(wildcard harness/*.c)
# The parts free of libvzsim, which the host unit tests link.
HARNESS_HOST_SRC := harness/scenario.c harness/detect.c
VZSOAK     := $(BUILD)/bin/vzsoak
VZSOAK_SAN := $(BUILD)/san/bin/vzsoak

$(VZSOAK): $(call obj_rel,$(HARNESS_SRC)) $(LIB_REL)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_REL) $^ $(LDLIBS) -o $@

$(VZSOAK_SAN): $(call obj_san,$(HARNESS_SRC)) $(LIB_SAN)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_SAN) $^ $(LDLIBS) -o $@

# The unit tests of those parts: the generic unit-test rule links $^,
# which takes in these prerequisites too.
$(BUILD)/san/tests/test_scenario $(BUILD)/san/tests/test_detect: \
	$(call obj_san,$(HARNESS_HOST_SRC))

# A stand-in hypervisor for the runner's own tests (tests/vzsoak/): it
# writes the status and statistics blocks as the real one and the stress
# kernel do, and misbehaves on demand, so every detector is exercised
# whatever state the real guest kernel is in.
FAKEHV := $(BUILD)/target/vzsoak/fakehv.elf
$(FAKEHV): boards/sim/demo/demo.S tests/vzsoak/fakehv.c tests/e2e/link.ld \
		hypervisor/include/vzsoak/status.h hypervisor/include/vzsoak/bootargs.h \
		hypervisor/include/vzsoak/hypercall.h \
		stress/include/vzsoak/kstats.h | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(TCC) $(TARGET_CFLAGS) $(TARGET_LDFLAGS) -Ihypervisor/include -Istress/include \
		-T tests/e2e/link.ld boards/sim/demo/demo.S tests/vzsoak/fakehv.c -o $@

host: $(VZSOAK)
test: $(VZSOAK_SAN) $(FAKEHV)
