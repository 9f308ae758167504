# boards/sim: vzsim, the simulated VZ board.  libvzsim (cpu/, board/) links
# libpdtrace's packet layer for its trace unit; the CLIs (cli/) are vzsim
# and mipsdis; demo/ is a first bare-metal program; malta.ld is the
# board's linker script for bare-metal images.
# Files of both sides, the hypervisor's too: the device tree of Linux's
# board (<vzsoak/linux_dt.h>) and the 16550's registers (<vzsoak/uart16550.h>).
HV_SHARED_SRC := hypervisor/fdt.c hypervisor/linux_dt.c hypervisor/uart16550.c
VZSIM_SRC := $(wildcard boards/sim/cpu/*.c boards/sim/board/*.c) $(HV_SHARED_SRC)
$(call layer,boards/sim,$(INC_VZSIM) -Iboards/sim)
# libvzsim exports its API (vzsim_*, <vzsim/vzsim.h>) and nothing else: its
# objects are linked into one (ld -r) whose other symbols are made local,
# so cpu_, tlb_, trace_, bus_... can neither clash with a user's names nor be
# called around the API.  References to the packet layer and libmips stay
# undefined until the final link.
VZSIM_EXPORTS := --wildcard --keep-global-symbol='vzsim_*'
# ...and the build checks it: a global that is not vzsim_* fails here.
define VZSIM_LOCALIZE
$(CC) -nostdlib -r $^ -o $@.tmp
objcopy $(VZSIM_EXPORTS) $@.tmp $@ && rm -f $@.tmp
@bad=$$(nm -g --defined-only $@ | awk 'NF == 3 && $$3 !~ /^vzsim_/ { print $$3 }'); \
	if [ -n "$$bad" ]; then echo "libvzsim exports more than vzsim_*: $$bad" >&2; rm -f $@; exit 1; fi
endef
$(BUILD)/obj/boards/sim/libvzsim.o: $(call obj_rel,$(VZSIM_SRC))
	$(VZSIM_LOCALIZE)
$(BUILD)/san/boards/sim/libvzsim.o: $(call obj_san,$(VZSIM_SRC))
	$(VZSIM_LOCALIZE)
LIB_vzsim_REL := $(BUILD)/lib/libvzsim.a
LIB_vzsim_SAN := $(BUILD)/lib/libvzsim-san.a
# build/lib may not exist yet: on an empty build folder `make run` builds
# this library before any other.
$(LIB_vzsim_REL): $(BUILD)/obj/boards/sim/libvzsim.o
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
$(LIB_vzsim_SAN): $(BUILD)/san/boards/sim/libvzsim.o
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
VZSIM_LIBS_REL := $(LIB_vzsim_REL) $(LIB_pdtpacket_REL) $(LIB_mips_REL) $(LIB_util_REL)
VZSIM_LIBS_SAN := $(LIB_vzsim_SAN) $(LIB_pdtpacket_SAN) $(LIB_mips_SAN) $(LIB_util_SAN)

VZSIM       := $(BUILD)/bin/vzsim
VZSIM_SAN   := $(BUILD)/san/bin/vzsim
MIPSDIS     := $(BUILD)/bin/mipsdis
MIPSDIS_SAN := $(BUILD)/san/bin/mipsdis

VZSIM_CLI_SRC := boards/sim/cli/vzsim.c boards/sim/cli/rbb_server.c
$(VZSIM): $(call obj_rel,$(VZSIM_CLI_SRC)) $(VZSIM_LIBS_REL)
	$(LINK_REL)
$(VZSIM_SAN): $(call obj_san,$(VZSIM_CLI_SRC)) $(VZSIM_LIBS_SAN)
	$(LINK_SAN)
$(MIPSDIS): $(BUILD)/obj/boards/sim/cli/mipsdis.o $(LIB_mips_REL)
	$(LINK_REL)
$(MIPSDIS_SAN): $(BUILD)/san/boards/sim/cli/mipsdis.o $(LIB_mips_SAN)
	$(LINK_SAN)

DEMO_ELF := $(BUILD)/target/demo.elf
$(DEMO_ELF): boards/sim/demo/demo.S boards/sim/demo/demo.c $(MALTA_LD) \
		$(wildcard boards/mips/include/mips/*) | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(TCC) $(TARGET_CFLAGS) $(TARGET_LDFLAGS) -Iboards/mips/include -T $(MALTA_LD) \
		boards/sim/demo/demo.S boards/sim/demo/demo.c -o $@

HOST_BINS     += $(VZSIM) $(MIPSDIS)
TARGET_IMAGES += $(DEMO_ELF)
TEST_DEPS     += $(VZSIM_SAN) $(MIPSDIS_SAN) $(DEMO_ELF)
BENCH_DEPS    += $(VZSIM)
