# vzsoak: host tools (build/bin), target images (build/target) and tests.
# `make help` lists the targets.
#
# Each component has its own .mk beside its sources (boards/mips/mips.mk,
# boards/sim/sim.mk, ...), which names its sources, its products and the
# layers it may use.  This file holds the toolchain, the shared rules and
# the aggregate targets; it includes every component before it uses the
# lists they append to (HOST_BINS, TARGET_IMAGES, TEST_DEPS, BENCH_DEPS).
#
# Layers (docs/layout.md): an object is compiled with the include paths of
# its own folder's layer and of the layers below it, and no others, so an
# upward #include is a build error:
#
#   util               what every host tool shares: exit statuses and
#                      die(), the half-written-file-proof writer (a leaf)
#   boards/mips        the architecture: instruction table, exception and
#                      CP0 definitions, disassembler, ELF reader (a leaf)
#   hypervisor/include the target<->host ABI headers (<vzsoak/*.h>, a leaf)
#   pdtrace/packet     PDtrace records and the VZT1 trace file   (mips, util)
#   crashme            the block generator, target and host      (mips)
#   pdtrace/flow       the flow decoder  (packet, crashme, hypervisor ABI)
#   boards/sim         vzsim              (packet, mips, hypervisor ABI)
#   pdtrace/cli        pdtrace            (flow and below)
#   harness            vzsoak             (vzsim's API, the ABI headers, util)
#   tests, bench       anything

.DEFAULT_GOAL := all
# Keep intermediate objects (no "rm" after the test summary, faster rebuilds).
.SECONDARY:
SHELL := /bin/bash

BUILD   := build
CC      ?= cc
CROSS   ?= mipsel-linux-gnu-
TCC     := $(CROSS)gcc
TOBJDUMP:= $(CROSS)objdump

WARN    := -Wall -Wextra -Werror
HOSTDEF := -D_GNU_SOURCE
# INCS is set per folder by $(call layer,...); empty elsewhere.
INCS    :=
CFLAGS_REL = -std=c11 $(WARN) $(HOSTDEF) $(INCS) -O2 -g -MMD -MP
CFLAGS_SAN = -std=c11 $(WARN) $(HOSTDEF) $(INCS) -O1 -g -MMD -MP \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDLIBS  := -lelf

# Target (MIPS32r5 bare metal) flags.
TARGET_CFLAGS := -march=p5600 -mvirt -EL -ffreestanding -nostdlib -fno-pic \
	-mno-abicalls -G0 -O2 -Wall -Wextra -Werror
TARGET_LDFLAGS := -nostdlib -static -Wl,--build-id=none -Wl,-z,noexecstack
# The board's linker script for bare-metal images on the Malta memory map.
MALTA_LD := boards/sim/malta.ld

# ---------------------------------------------------------------- helpers
obj_rel = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
obj_san = $(patsubst %.c,$(BUILD)/san/%.o,$(1))

# $(call layer,FOLDER,INCLUDE-FLAGS): host objects of FOLDER are compiled
# with these include paths only.
layer = $(eval $(BUILD)/obj/$(1)/%.o $(BUILD)/san/$(1)/%.o: INCS := $(2))$(eval LAYERS += $(1))$(eval LAYER_INCS.$(1) := $(2))
LAYERS :=

# The include paths of each layer, the ones below it included.
INC_UTIL    := -Iutil/include
INC_MIPS    := -Iboards/mips/include
INC_ABI     := -Ihypervisor/include -Istress/include
INC_PACKET  := -Ipdtrace/packet/include $(INC_MIPS) $(INC_UTIL)
INC_CRASHME := -Icrashme/include $(INC_MIPS)
INC_FLOW    := -Ipdtrace/flow/include $(INC_PACKET) -Icrashme/include $(INC_ABI)
INC_VZSIM   := -Iboards/sim/include $(INC_PACKET) $(INC_ABI)

# $(call library,NAME,SOURCES): build/lib/libNAME.a and libNAME-san.a.
define library
LIB_$(1)_REL := $(BUILD)/lib/lib$(1).a
LIB_$(1)_SAN := $(BUILD)/lib/lib$(1)-san.a
$(BUILD)/lib/lib$(1).a: $(call obj_rel,$(2))
	@mkdir -p $$(dir $$@)
	rm -f $$@ && ar rcs $$@ $$^
$(BUILD)/lib/lib$(1)-san.a: $(call obj_san,$(2))
	@mkdir -p $$(dir $$@)
	rm -f $$@ && ar rcs $$@ $$^
endef

# Link recipes: every object and archive prerequisite, in order.
define LINK_REL
@mkdir -p $(dir $@)
$(CC) $(CFLAGS_REL) $(filter %.o %.a,$^) $(LDLIBS) -o $@
endef
define LINK_SAN
@mkdir -p $(dir $@)
$(CC) $(CFLAGS_SAN) $(filter %.o %.a,$^) $(LDLIBS) -o $@
endef

.PHONY: all deps run test test-fresh fuzz-diff fuzz bench ttf detect-power identity-update clean help host target

all: host target

help:
	@echo "make deps       install missing Debian packages (idempotent)"
	@echo "make            build host tools (build/bin) and target images (build/target)"
	@echo "make run        the shrinking-page bug on vzsim: flagged with the fixes off, clean with either fix on"
	@echo "make test       unit, end-to-end and differential tests (sanitizers on)"
	@echo "make test-fresh make run and make test in a new Debian 12 minbase root with only git and make (as root; ~7 min)"
	@echo "make fuzz-diff  many more differential seeds against QEMU (N=500 by default)"
	@echo "make fuzz       libFuzzer on the trace decoder and the ELF reader (FUZZ_SECONDS=300 each)"
	@echo "make bench      vzsim vs QEMU speed on a 10^9-instruction loop; soak speed and -j scaling; libpdtrace speed"
	@echo "make ttf        time to failure of the shrinking page over SEEDS=20 seeds (TTF_ARGS='--set k=v ...')"
	@echo "make identity-update  tests/identity/expected from this tree (only for a change meant to alter runs)"
	@echo "make detect-power  every injectable hypervisor bug over DETECT_SEEDS=5 seeds, then a clean soak of CLEAN_HOURS=0.05"
	@echo "make linux-detect-power  the same over LINUX_DETECT_SEEDS=2 seeds of the Linux scenario (Linux guests; long)"
	@echo "make linux      fetch Debian's mipsel Linux, busybox, crashme into build/linux and build the initramfs"
	@echo "make linux-boot boot it on vzsim: init runs crashme for LINUX_CRASHME_TIME=00:00:05 (LINUX_SEED=1), then resets"
	@echo "make linux-symbols  fetch the kernel's vmlinux and System.map from its -dbg package (600 MB download), for pdtrace flow"
	@echo "make linux-kvm  build Linux 6.1 from Debian's linux-source-6.1 with KVM for a MIPS32r5 host, and its initramfs (build/linux-kvm, ~15 min; not in make test)"
	@echo "make linux-kvm-boot  boot it on vzsim as a P5600: KVM creates a VZ virtual machine and runs a small guest"

deps:
	@sh scripts/deps.sh

$(BUILD)/.deps-ok: scripts/deps.sh
	@sh scripts/deps.sh
	@mkdir -p $(BUILD) && touch $@

# ---------------------------------------------------------------- host objects
$(BUILD)/obj/%.o: %.c | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_REL) -c $< -o $@

$(BUILD)/san/%.o: %.c | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_SAN) -c $< -o $@

# ---------------------------------------------------------------- components
HOST_BINS     :=
TARGET_IMAGES :=
TEST_DEPS     :=
BENCH_DEPS    :=
include util/util.mk
include boards/mips/mips.mk
include pdtrace/packet/packet.mk
include crashme/crashme.mk
include pdtrace/flow/flow.mk
include boards/sim/sim.mk
# hypervisor.mk before the tools that link its libbootargs.a (pdtrace, vzsoak).
include hypervisor/hypervisor.mk
include pdtrace/cli/cli.mk
include stress/stress.mk
include harness/harness.mk
include linux/linux.mk
include tests/tests.mk
include bench/bench.mk

host: $(HOST_BINS)
target: $(TARGET_IMAGES)

# Every layer's include paths, one line each ("FOLDER FLAGS..."), for the
# test that proves an upward include fails (scripts/run-layer-check.sh).
LAYER_TABLE := $(BUILD)/layers.txt
$(LAYER_TABLE): $(MAKEFILE_LIST)
	@mkdir -p $(dir $@)
	@printf '%s\n' $(foreach l,$(LAYERS),'$(l) $(LAYER_INCS.$(l))') > $@.tmp && mv $@.tmp $@
TEST_DEPS += $(LAYER_TABLE)

# ---------------------------------------------------------------- main job
# The shrinking page (docs/soak.md): four guests soaking with crashme and
# the memory worker, both fixes off -- the runner must flag it (status 1)
# -- then the same seed with the hypervisor's fix, then with the guest
# kernel's: both must run clean.
SHRINK := stress/scenarios/shrinking-page.scn
run: $(VZSOAK) $(HV_ELF)
	@echo "==== $(SHRINK): both fixes off"
	@$(VZSOAK) run $(SHRINK); rc=$$?; \
		if [ $$rc -ne 1 ]; then echo "make run: expected the bug to be flagged (status 1), got $$rc" >&2; exit 1; fi
	@echo
	@echo "==== the same seed, preserve = on (the hypervisor's TLB critical-section fix)"
	@$(VZSOAK) run $(SHRINK) --set preserve=on
	@echo
	@echo "==== the same seed, tlbp-check = on (the guest kernel's fix)"
	@$(VZSOAK) run $(SHRINK) --set tlbp-check=on
	@echo
	@echo "==== the bug report of the flagged run (vzsoak report: docs/report.md)"
	@$(VZSOAK) report vzsoak-runs/shrinking-page-s5

# ---------------------------------------------------------------- tests
# Everything the tests need is built first; scripts/run-tests.sh then runs
# every step (unit, disassembler, e2e, differential), keeps going past a
# failure, and ends with one summary line.
# Inputs of the decoder's and the ELF reader's fuzzing in `make test`, the
# same ones everywhere (scripts/run-fuzz.sh): about 20 and 10 s; make fuzz
# explores for FUZZ_SECONDS each.
TEST_FUZZ_RUNS ?= 4000
TEST_FUZZ_ELF_RUNS ?= 15000
FUZZ_SECONDS ?= 300
DIFF_SEEDS ?= 1 2 3 4 5 6 7 8

test: $(TEST_DEPS)
	@BUILD=$(BUILD) DIFF_SEEDS="$(DIFF_SEEDS)" FUZZ_RUNS=$(TEST_FUZZ_RUNS) FUZZ_ELF_RUNS=$(TEST_FUZZ_ELF_RUNS) scripts/run-tests.sh

# The README's two commands on a fresh Debian 12 (docs/testing-fresh.md):
# a debootstrap root with only git and make, in which they must install
# everything themselves.  .deps-ok installs debootstrap.
test-fresh: | $(BUILD)/.deps-ok
	@BUILD=$(BUILD) scripts/test-fresh.sh

N ?= 500
# Time to failure of a scenario over many seeds (scripts/ttf.sh): with the
# fixes off every seed should fail; TTF_ARGS="--set preserve=on" etc.
SEEDS ?= 20
TTF_SCENARIO ?= $(SHRINK)
ttf: $(VZSOAK) $(HV_ELF)
	scripts/ttf.sh $(VZSOAK) $(TTF_SCENARIO) $(SEEDS) 1 -- $(TTF_ARGS)

# Detection power (docs/soak.md, "Detection power"): every bug the
# hypervisor can inject (inject=), soaked over DETECT_SEEDS seeds of the soak
# scenario with both fixes on, then with selfcheck=off; then a clean soak of
# CLEAN_HOURS hours must flag nothing.  The table: build/detect-power/table.md.
DETECT_SEEDS ?= 5
CLEAN_HOURS ?= 0.05
detect-power: $(VZSOAK) $(HV_ELF)
	@SEEDS=$(DETECT_SEEDS) CLEAN_HOURS=$(CLEAN_HOURS) scripts/detect-power.sh $(VZSOAK) $(HV_ELF) \
		stress/scenarios/soak.scn $(BUILD)/detect-power

# The same for Linux guests (docs/linux.md, "Hunting"): each injectable
# bug over LINUX_DETECT_SEEDS seeds of the Linux scenario, flagged by the
# hypervisor's status and the guests' consoles; then LINUX_CLEAN_SEEDS
# clean.  The table: build/linux-detect-power/table.md.  Long (minutes a
# run), not in make test.
LINUX_DETECT_SEEDS ?= 2
LINUX_CLEAN_SEEDS ?= 1-2
LINUX_DETECT_JOBS ?= 2
.PHONY: linux-detect-power
linux-detect-power: $(VZSOAK) $(HV_ELF) $(LINUX_INITRD)
	@SEEDS=$(LINUX_DETECT_SEEDS) CLEAN_SEEDS=$(LINUX_CLEAN_SEEDS) JOBS=$(LINUX_DETECT_JOBS) \
		scripts/detect-power.sh $(VZSOAK) $(HV_ELF) \
		stress/scenarios/linux-crashme.scn $(BUILD)/linux-detect-power

# tests/identity/expected from this tree (tests/README.md, identity/):
# only for a change meant to alter how a seed runs; its commit says why.
identity-update: $(VZSIM) $(VZSOAK) $(HV_ELF)
	@scripts/run-identity-tests.sh $(BUILD) $(BUILD)/identity-results --update

fuzz-diff: $(VZSIM) $(DIFFGEN)
	@scripts/run-diff.sh $(VZSIM) $(DIFFGEN) $(BUILD)/fuzz-diff $(BUILD)/fuzz-results $$(seq 1000 $$((1000 + $(N) - 1)))

# Both fuzzers run, whatever the first finds; the summary says how each did.
fuzz: $(FUZZ_BIN) $(FUZZ_ELF_BIN) $(BUILD)/bin/pdt-mkvectors target
	@rm -rf $(BUILD)/fuzz/results
	@FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/run-fuzz.sh decoder $(BUILD) $(BUILD)/fuzz/results; \
		FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/run-fuzz.sh elf $(BUILD) $(BUILD)/fuzz/results; \
		scripts/test-summary.sh $(BUILD)/fuzz/results

# ---------------------------------------------------------------- bench
bench: $(BENCH_DEPS) | $(BUILD)/.deps-ok
	@scripts/bench.sh $(BUILD)

clean:
	rm -rf $(BUILD)

# Dependency files of every object; not the fresh roots (make test-fresh)
# whose /etc has rc2.d folders.
-include $(shell find $(BUILD) \( -path $(BUILD)/fresh -o -path $(BUILD)/fresh-cache \) -prune -o -name '*.d' -type f -print 2>/dev/null)
