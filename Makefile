# vzsoak: one Makefile for host tools (build/bin), target images
# (build/target) and tests.  `make help` lists the targets.

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
INCS    := -Iboards/sim/include -Iboards/sim -Ipdtrace/include -Ihypervisor/include -Istress/include -I.
CFLAGS_REL := -std=c11 $(WARN) $(HOSTDEF) $(INCS) -O2 -g -MMD -MP
CFLAGS_SAN := -std=c11 $(WARN) $(HOSTDEF) $(INCS) -O1 -g -MMD -MP \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDLIBS  := -lelf

# Target (MIPS32r5 bare metal) flags.
TARGET_CFLAGS := -march=p5600 -mvirt -EL -ffreestanding -nostdlib -fno-pic \
	-mno-abicalls -G0 -O2 -Wall -Wextra -Werror
TARGET_LDFLAGS := -nostdlib -static -Wl,--build-id=none -Wl,-z,noexecstack

# ---------------------------------------------------------------- sources
ISA_SRC    := $(wildcard boards/sim/isa/*.c)
VZSIM_SRC  := $(wildcard boards/sim/cpu/*.c boards/sim/board/*.c)
# libpdtrace, the trace library: in libvzsim too, for vzsim's trace unit.
# Its flow layer walks code with the shared instruction table (ISA_SRC),
# regenerates crashme blocks and reads the hypervisor's trace messages.
PDT_SRC    := $(wildcard pdtrace/lib/*.c) $(ISA_SRC) crashme/block.c hypervisor/utm.c
LIB_SRC    := $(sort $(ISA_SRC) $(VZSIM_SRC) $(PDT_SRC))
CLI_NAMES  := vzsim mipsdis
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
UNIT_NAMES := $(patsubst tests/unit/%.c,%,$(UNIT_SRC))
UNIT_HELPERS := $(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c))
# crashme's block generator, shared by target and host (its unit tests).
CRASHME_HOST_SRC := crashme/block.c
# The hypervisor files that also build for the host (their unit tests).
HV_HOST_SRC := hypervisor/args.c hypervisor/utm.c hypervisor/branch.c
PDT_TEST_SRC := $(wildcard tests/pdtrace/test_*.c)
PDT_TEST_NAMES := $(patsubst tests/pdtrace/%.c,%,$(PDT_TEST_SRC))

obj_rel = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
obj_san = $(patsubst %.c,$(BUILD)/san/%.o,$(1))

LIB_REL := $(BUILD)/lib/libvzsim.a
LIB_SAN := $(BUILD)/lib/libvzsim-san.a
BINS    := $(addprefix $(BUILD)/bin/,$(CLI_NAMES))
SAN_BINS:= $(addprefix $(BUILD)/san/bin/,$(CLI_NAMES))
UNIT_BINS := $(addprefix $(BUILD)/san/tests/,$(UNIT_NAMES))
PDT_LIB_REL := $(BUILD)/lib/libpdtrace.a
PDT_LIB_SAN := $(BUILD)/lib/libpdtrace-san.a
PDT_TEST_BINS := $(addprefix $(BUILD)/san/tests/,$(PDT_TEST_NAMES))
# pdtrace test and bench tools (tests/pdtrace/*.c that are not tests).
PDT_TOOLS := $(addprefix $(BUILD)/bin/,pdt-mkvectors pdt-bench-gen pdt-bench-dec pdt-bench-flow)

# Host tools the tests use.
DIFFGEN := $(BUILD)/bin/diffgen

.PHONY: all deps run test fuzz-diff fuzz bench ttf clean help host target

all: host target

help:
	@echo "make deps       install missing Debian packages (idempotent)"
	@echo "make            build host tools (build/bin) and target images (build/target)"
	@echo "make run        the shrinking-page bug on vzsim: flagged with the fixes off, clean with either fix on"
	@echo "make test       unit, end-to-end and differential tests (sanitizers on)"
	@echo "make fuzz-diff  many more differential seeds against QEMU (N=500 by default)"
	@echo "make fuzz       libFuzzer on the trace decoder and the ELF loader (FUZZ_SECONDS=300 each)"
	@echo "make bench      vzsim vs QEMU speed on a 10^9-instruction loop; libpdtrace speed"
	@echo "make ttf        time to failure of the shrinking page over SEEDS=20 seeds (TTF_ARGS='--set k=v ...')"

deps:
	@sh scripts/deps.sh

$(BUILD)/.deps-ok: scripts/deps.sh
	@sh scripts/deps.sh
	@mkdir -p $(BUILD) && touch $@

host: $(BINS) $(DIFFGEN) $(BUILD)/bin/pdtrace $(PDT_LIB_REL)

# ---------------------------------------------------------------- host build
$(BUILD)/obj/%.o: %.c | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_REL) -c $< -o $@

$(BUILD)/san/%.o: %.c | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_SAN) -c $< -o $@

$(LIB_REL): $(call obj_rel,$(LIB_SRC))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(LIB_SAN): $(call obj_san,$(LIB_SRC))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/bin/%: $(BUILD)/obj/boards/sim/cli/%.o $(LIB_REL)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_REL) $^ $(LDLIBS) -o $@

$(BUILD)/san/bin/%: $(BUILD)/san/boards/sim/cli/%.o $(LIB_SAN)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_SAN) $^ $(LDLIBS) -o $@

# libpdtrace alone, and the pdtrace CLI over it.
$(PDT_LIB_REL): $(call obj_rel,$(PDT_SRC))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(PDT_LIB_SAN): $(call obj_san,$(PDT_SRC))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

PDT_CLI_SRC := $(wildcard pdtrace/cli/*.c)
$(BUILD)/bin/pdtrace: $(call obj_rel,$(PDT_CLI_SRC)) $(PDT_LIB_REL)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_REL) $^ $(LDLIBS) -o $@

$(BUILD)/san/bin/pdtrace: $(call obj_san,$(PDT_CLI_SRC)) $(PDT_LIB_SAN)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_SAN) $^ $(LDLIBS) -o $@

$(PDT_TOOLS): $(BUILD)/bin/pdt-%: $(BUILD)/obj/tests/pdtrace/%.o $(PDT_LIB_REL)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_REL) $^ $(LDLIBS) -o $@

$(PDT_TEST_BINS): $(BUILD)/san/tests/%: $(BUILD)/san/tests/pdtrace/%.o $(PDT_LIB_SAN)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_SAN) $^ -lcmocka $(LDLIBS) -o $@

# The code-image test's fixture (tests/pdtrace/code_fixture.S): an image
# of two segments, and copies the loader must refuse (big-endian, 64-bit)
# or read without names (stripped).  -Wa,-L keeps a .L label in it, which
# the loader must skip.  Order-only: the test reads them at run time.
CODE_FIXTURE_DIR := $(BUILD)/target/pdtrace
CODE_FIXTURES := $(addprefix $(CODE_FIXTURE_DIR)/code_fixture,.elf -be.elf -64.elf -stripped.elf)
CODE_FIXTURE_FLAGS := -march=p5600 -ffreestanding -nostdlib -static -fno-pic -mno-abicalls \
	-G0 -Wall -Wextra -Werror -Wl,--build-id=none -Wl,-z,noexecstack -Wa,-L \
	-T tests/pdtrace/code_fixture.ld
$(CODE_FIXTURE_DIR)/code_fixture.elf: tests/pdtrace/code_fixture.S tests/pdtrace/code_fixture.ld | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(TCC) -EL $(CODE_FIXTURE_FLAGS) $< -o $@
$(CODE_FIXTURE_DIR)/code_fixture-be.elf: tests/pdtrace/code_fixture.S tests/pdtrace/code_fixture.ld | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(TCC) -EB $(CODE_FIXTURE_FLAGS) $< -o $@
$(CODE_FIXTURE_DIR)/code_fixture-64.elf: $(CODE_FIXTURE_DIR)/code_fixture.elf
	$(CROSS)objcopy -O elf64-tradlittlemips $< $@
$(CODE_FIXTURE_DIR)/code_fixture-stripped.elf: $(CODE_FIXTURE_DIR)/code_fixture.elf
	$(CROSS)objcopy --strip-all $< $@
$(BUILD)/san/tests/test_code: | $(CODE_FIXTURES)
$(BUILD)/san/tests/pdtrace/test_code.o: CFLAGS_SAN += -DCODE_FIXTURE_DIR='"$(CODE_FIXTURE_DIR)"'

# The flow decoder's test program (tests/pdtrace/flow_fixture.S): code
# that test_flow.c walks with hand-written records; the decoder fuzzer
# walks it too (and code_fixture.elf), found next to its binary.
FLOW_FIXTURE := $(CODE_FIXTURE_DIR)/flow_fixture.elf
$(FLOW_FIXTURE): tests/pdtrace/flow_fixture.S tests/pdtrace/flow_fixture.ld | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(TCC) -EL -march=p5600 -ffreestanding -nostdlib -static -fno-pic -mno-abicalls -G0 \
		-Wall -Wextra -Werror -Wl,--build-id=none -Wl,-z,noexecstack \
		-T tests/pdtrace/flow_fixture.ld $< -o $@
$(BUILD)/san/tests/test_flow: | $(FLOW_FIXTURE)
$(BUILD)/san/tests/pdtrace/test_flow.o: CFLAGS_SAN += -DCODE_FIXTURE_DIR='"$(CODE_FIXTURE_DIR)"'

# The decoder fuzzer needs clang's libFuzzer (scripts/deps.sh installs it);
# without clang it is not built and the fuzz step reports a skip.
# vzsim's ELF loader, the other decoder of untrusted input.
FUZZ_ELF_BIN := $(BUILD)/fuzz/fuzz_elf
FUZZ_BIN := $(BUILD)/fuzz/fuzz_decoder
FUZZ_CC  ?= clang
$(FUZZ_ELF_BIN): tests/fuzz/fuzz_elf.c boards/sim/board/elf.c boards/sim/board/elf.h | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	@if command -v $(FUZZ_CC) > /dev/null; then \
		echo "$(FUZZ_CC) ... -fsanitize=fuzzer -o $@"; \
		$(FUZZ_CC) -std=c11 $(WARN) $(HOSTDEF) -Iboards/sim -O1 -g \
			-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
			tests/fuzz/fuzz_elf.c boards/sim/board/elf.c -lelf -o $@; \
	else \
		echo "fuzz: $(FUZZ_CC) not found: the ELF loader fuzzer is not built"; \
	fi

$(FUZZ_BIN): tests/pdtrace/fuzz_decoder.c $(PDT_SRC) $(wildcard pdtrace/lib/*.h) \
		pdtrace/include/pdtrace/pdtrace.h pdtrace/include/pdtrace/flow.h \
		| $(BUILD)/.deps-ok $(FLOW_FIXTURE) $(CODE_FIXTURE_DIR)/code_fixture.elf
	@mkdir -p $(dir $@)
	@if command -v $(FUZZ_CC) > /dev/null; then \
		echo "$(FUZZ_CC) ... -fsanitize=fuzzer -o $@"; \
		$(FUZZ_CC) -std=c11 $(WARN) $(HOSTDEF) $(INCS) -O1 -g \
			-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
			tests/pdtrace/fuzz_decoder.c $(PDT_SRC) $(LDLIBS) -o $@; \
	else \
		echo "fuzz: $(FUZZ_CC) not found: the decoder fuzzer is not built"; \
	fi

$(DIFFGEN): $(BUILD)/obj/tests/diff/diffgen.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_REL) $^ -o $@

# The word generator of the disassembler check (uses the ISA table only).
DISASM_WORDS := $(BUILD)/bin/disasm-words
$(DISASM_WORDS): $(BUILD)/obj/tests/disasm/gen_words.o $(LIB_REL)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_REL) $^ $(LDLIBS) -o $@

$(BUILD)/san/tests/%: $(BUILD)/san/tests/unit/%.o $(call obj_san,$(UNIT_HELPERS)) $(call obj_san,$(HV_HOST_SRC)) $(call obj_san,$(CRASHME_HOST_SRC)) $(LIB_SAN)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_SAN) $^ $(LDLIBS) -lcmocka -o $@

include harness/harness.mk

# ---------------------------------------------------------------- target build
TARGET_LD := tests/e2e/link.ld
E2E_SRC   := $(wildcard tests/e2e/*.S)
E2E_ELFS  := $(patsubst tests/e2e/%.S,$(BUILD)/target/e2e/%.elf,$(E2E_SRC))
DEMO_ELF  := $(BUILD)/target/demo.elf

# The reference hypervisor (hypervisor/) with its test guests embedded:
# each guest is built to an ELF at guest kseg0, flattened with objcopy,
# and pulled into the image by guests.S (.incbin).
HV_ELF      := $(BUILD)/target/hypervisor.elf
GUEST_NAMES := demo loop wild exits crit flood dslot wired storm stress
GUEST_BINS  := $(patsubst %,$(BUILD)/target/guests/%.bin,$(GUEST_NAMES))
HV_TSRC     := hypervisor/start.S $(wildcard hypervisor/*.c) hypervisor/guests.S
HV_HDRS     := $(wildcard hypervisor/*.h hypervisor/include/vzsoak/*.h)

target: $(E2E_ELFS) $(DEMO_ELF) $(HV_ELF)

$(BUILD)/target/e2e/%.elf: tests/e2e/%.S $(TARGET_LD) $(wildcard tests/e2e/*.h) | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(TCC) $(TARGET_CFLAGS) $(TARGET_LDFLAGS) -Itests/e2e -T $(TARGET_LD) $< -o $@

$(DEMO_ELF): boards/sim/demo/demo.S boards/sim/demo/demo.c $(TARGET_LD) | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(TCC) $(TARGET_CFLAGS) $(TARGET_LDFLAGS) -T $(TARGET_LD) boards/sim/demo/demo.S boards/sim/demo/demo.c -o $@

$(BUILD)/target/guests/%.elf: hypervisor/guests/%.c hypervisor/guests/start.S \
		hypervisor/guests/guest.h hypervisor/guests/guest.ld \
		hypervisor/include/vzsoak/hypercall.h | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(TCC) $(TARGET_CFLAGS) $(TARGET_LDFLAGS) -Ihypervisor/include -T hypervisor/guests/guest.ld \
		hypervisor/guests/start.S $< -o $@

# stress (docs/stress.md): the guest kernel of stress/kernel/ with
# crashme's user process (crashme/process.c) and block generator.
STRESS_SRC := hypervisor/guests/start.S $(wildcard stress/kernel/*.S stress/kernel/*.c) \
	crashme/process.c crashme/block.c
STRESS_HDRS := $(wildcard stress/kernel/*.h stress/include/vzsoak/*.h crashme/*.h) \
	hypervisor/guests/guest.h hypervisor/include/vzsoak/hypercall.h
$(BUILD)/target/guests/stress.elf: $(STRESS_SRC) $(STRESS_HDRS) stress/kernel/stress.ld \
		boards/sim/isa/mips32.def | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(TCC) $(TARGET_CFLAGS) $(TARGET_LDFLAGS) -I. -Iboards/sim -Istress/include \
		-Ihypervisor/include -Ihypervisor/guests -Istress/kernel \
		-T stress/kernel/stress.ld $(STRESS_SRC) -o $@

$(BUILD)/target/guests/%.bin: $(BUILD)/target/guests/%.elf
	$(CROSS)objcopy -O binary $< $@

$(HV_ELF): $(HV_TSRC) $(HV_HDRS) hypervisor/hypervisor.ld $(GUEST_BINS) | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(TCC) $(TARGET_CFLAGS) $(TARGET_LDFLAGS) -Ihypervisor/include -Ihypervisor \
		-Wa,-I$(BUILD)/target/guests -T hypervisor/hypervisor.ld $(HV_TSRC) -o $@

# ---------------------------------------------------------------- main job
# The shrinking page (docs/soak.md): four guests soaking with crashme and
# the memory worker, both fixes off -- the runner must flag it (status 1)
# -- then the same seed with the hypervisor's fix, then with the guest
# kernel's: both must run clean.
SHRINK := stress/scenarios/shrinking-page.scn
run: $(BUILD)/bin/vzsoak $(HV_ELF)
	@echo "==== $(SHRINK): both fixes off"
	@$(BUILD)/bin/vzsoak run $(SHRINK); rc=$$?; \
		if [ $$rc -ne 1 ]; then echo "make run: expected the bug to be flagged (status 1), got $$rc" >&2; exit 1; fi
	@echo
	@echo "==== the same seed, preserve = on (the hypervisor's TLB critical-section fix)"
	@$(BUILD)/bin/vzsoak run $(SHRINK) --set preserve=on
	@echo
	@echo "==== the same seed, tlbp-check = on (the guest kernel's fix)"
	@$(BUILD)/bin/vzsoak run $(SHRINK) --set tlbp-check=on

# ---------------------------------------------------------------- tests
# Everything the tests need is built first; scripts/run-tests.sh then runs
# every step (unit, disassembler, e2e, differential), keeps going past a
# failure, and ends with one summary line.
TEST_DEPS := $(UNIT_BINS) $(BUILD)/san/bin/vzsim $(BUILD)/san/bin/mipsdis \
	$(DIFFGEN) $(DISASM_WORDS) $(E2E_ELFS) $(DEMO_ELF) \
	$(PDT_TEST_BINS) $(BUILD)/san/bin/pdtrace $(BUILD)/bin/pdt-mkvectors $(FUZZ_BIN) $(HV_ELF) \
	$(FUZZ_ELF_BIN)
# Seconds of decoder fuzzing in `make test` (make fuzz: FUZZ_SECONDS).
TEST_FUZZ_SECONDS ?= 20
FUZZ_SECONDS ?= 300
DIFF_SEEDS ?= 1 2 3 4 5 6 7 8

test: $(TEST_DEPS)
	@BUILD=$(BUILD) DIFF_SEEDS="$(DIFF_SEEDS)" FUZZ_SECONDS=$(TEST_FUZZ_SECONDS) scripts/run-tests.sh

N ?= 500
# Time to failure of a scenario over many seeds (scripts/ttf.sh): with the
# fixes off every seed should fail; TTF_ARGS="--set preserve=on" etc.
SEEDS ?= 20
TTF_SCENARIO ?= $(SHRINK)
ttf: $(BUILD)/bin/vzsoak $(HV_ELF)
	scripts/ttf.sh $(BUILD)/bin/vzsoak $(TTF_SCENARIO) $(SEEDS) 1 -- $(TTF_ARGS)

fuzz-diff: $(BUILD)/bin/vzsim $(DIFFGEN)
	@scripts/run-diff.sh $(BUILD)/bin/vzsim $(DIFFGEN) $(BUILD)/fuzz-diff $(BUILD)/fuzz-results $$(seq 1000 $$((1000 + $(N) - 1)))

fuzz: $(FUZZ_BIN) $(FUZZ_ELF_BIN) $(BUILD)/bin/pdt-mkvectors target
	@FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/run-pdtrace-tests.sh fuzz $(BUILD) $(BUILD)/fuzz/results
	@FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/run-fuzz-elf.sh $(BUILD) $(BUILD)/fuzz/results

# ---------------------------------------------------------------- bench
bench: $(BUILD)/bin/vzsim $(BUILD)/bin/pdtrace $(BUILD)/bin/pdt-bench-gen \
		$(BUILD)/bin/pdt-bench-dec $(BUILD)/bin/pdt-bench-flow $(BUILD)/bin/vzsoak $(HV_ELF) | $(BUILD)/.deps-ok
	@scripts/bench.sh $(BUILD)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
