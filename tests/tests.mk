# tests: what `make test` runs (scripts/run-tests.sh) and the tools it
# needs.  Tests may use every layer.
$(call layer,tests,$(INC_VZSIM) -Iboards/sim $(INC_FLOW) -Ilinux/include -I.)
# Everything a unit test may link, in link order.
TEST_LIBS_SAN := $(LIB_vzsim_SAN) $(PDTRACE_LIBS_SAN) $(LIB_bootargs_SAN)

# ---- cmocka tests, sanitizers on: tests/<folder>/test_*.c, each built to
# $(BUILD)/san/tests/test_NAME, where scripts/run-unit-tests.sh runs them
# all; so the names must be unique across the folders.
# $(call cmocka_tests,FOLDER,WHAT-THEY-LINK): the tests of tests/FOLDER.
define cmocka_tests
TESTS_$(1) := $$(patsubst tests/$(1)/%.c,$(BUILD)/san/tests/%,$$(wildcard tests/$(1)/test_*.c))
$$(TESTS_$(1)): $(BUILD)/san/tests/%: $(BUILD)/san/tests/$(1)/%.o $(2)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS_SAN) $$(filter %.o %.a,$$^) $$(LDLIBS) -lcmocka -o $$@
CMOCKA_BINS += $$(TESTS_$(1))
endef
CMOCKA_BINS :=
# vzsim, the ISA and the trace library (tests/unit's helpers are the
# files there that are not tests).
UNIT_HELPERS := $(filter-out tests/unit/test_%.c,$(wildcard tests/unit/*.c))
$(eval $(call cmocka_tests,unit,$(call obj_san,$(UNIT_HELPERS)) $(TEST_LIBS_SAN)))
# libpdtrace.
$(eval $(call cmocka_tests,pdtrace,$(PDTRACE_LIBS_SAN)))
# The hypervisor's host-testable parts.
$(eval $(call cmocka_tests,hv,$(call obj_san,$(HV_HOST_SRC)) $(LIB_bootargs_SAN)))
# The harness's parts free of the board (libvzsim for vzsim_exc_name).
$(eval $(call cmocka_tests,vzsoak,$(call obj_san,$(HARNESS_HOST_SRC)) $(LIB_bootargs_SAN) $(VZSIM_LIBS_SAN)))
# The board's parts that stand alone (the device tree writer, the UART)
# and, through libvzsim, what they make (the tree a Linux boot is given).
BOARD_TEST_HELPERS := $(filter-out tests/board/test_%.c,$(wildcard tests/board/*.c))
$(eval $(call cmocka_tests,board,$(call obj_san,$(BOARD_TEST_HELPERS) $(HV_SHARED_SRC) \
	boards/sim/board/uart.c) $(TEST_LIBS_SAN)))
# The initramfs writer (linux/cpio.c).
$(eval $(call cmocka_tests,linux,$(LIB_cpio_SAN)))
ifneq ($(words $(CMOCKA_BINS)),$(words $(sort $(CMOCKA_BINS))))
$(error tests: two cmocka tests share a name: $(sort $(CMOCKA_BINS)))
endif

# The CLI tests' and the fuzzer's trace files (tests/pdtrace/mkvectors.c).
PDT_MKVECTORS := $(BUILD)/bin/pdt-mkvectors
$(PDT_MKVECTORS): $(BUILD)/obj/tests/pdtrace/mkvectors.o $(PDTRACE_LIBS_REL)
	$(LINK_REL)

# Target flags of the test fixtures (bare metal, no VZ needed).
FIXTURE_FLAGS := -march=p5600 -ffreestanding -nostdlib -static -fno-pic -mno-abicalls \
	-G0 -Wall -Wextra -Werror -Wl,--build-id=none -Wl,-z,noexecstack

# The code-image test's fixture (tests/pdtrace/code_fixture.S): an image
# of two segments, and copies the loader must refuse (big-endian, 64-bit)
# or read without names (stripped).  -Wa,-L keeps a .L label in it, which
# the loader must skip.  Order-only: the test reads them at run time.
CODE_FIXTURE_DIR := $(BUILD)/target/pdtrace
CODE_FIXTURES := $(addprefix $(CODE_FIXTURE_DIR)/code_fixture,.elf -be.elf -64.elf -stripped.elf)
CODE_FIXTURE_FLAGS := $(FIXTURE_FLAGS) -Wa,-L -T tests/pdtrace/code_fixture.ld
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
# that test_flow.c walks with hand-written records and test_blocks.c
# decodes into blocks; the decoder fuzzer walks it too (and
# code_fixture.elf), found next to its binary.
FLOW_FIXTURE := $(CODE_FIXTURE_DIR)/flow_fixture.elf
$(FLOW_FIXTURE): tests/pdtrace/flow_fixture.S tests/pdtrace/flow_fixture.ld | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(TCC) -EL $(FIXTURE_FLAGS) -T tests/pdtrace/flow_fixture.ld $< -o $@
$(BUILD)/san/tests/test_flow $(BUILD)/san/tests/test_blocks: | $(FLOW_FIXTURE)
$(BUILD)/san/tests/pdtrace/test_flow.o $(BUILD)/san/tests/pdtrace/test_blocks.o: \
	CFLAGS_SAN += -DCODE_FIXTURE_DIR='"$(CODE_FIXTURE_DIR)"'

# ---- fuzz targets: clang's libFuzzer (scripts/deps.sh installs it);
# without clang they are not built and the fuzz steps report a skip.
FUZZ_CC  ?= clang
FUZZ_CFLAGS = -std=c11 $(WARN) $(HOSTDEF) -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
# $(call fuzz_build,WHAT,INCLUDES,SOURCES)
define fuzz_build
	@mkdir -p $(dir $@)
	@if command -v $(FUZZ_CC) > /dev/null; then \
		echo "$(FUZZ_CC) ... -fsanitize=fuzzer -o $@"; \
		$(FUZZ_CC) $(FUZZ_CFLAGS) $(2) $(3) $(LDLIBS) -o $@; \
	else \
		echo "fuzz: $(FUZZ_CC) not found: the $(1) fuzzer is not built"; \
	fi
endef
# The shared ELF reader (vzsim's loader, mipsdis, the code images).
FUZZ_ELF_BIN := $(BUILD)/fuzz/fuzz_elf
$(FUZZ_ELF_BIN): tests/fuzz/fuzz_elf.c boards/mips/elf.c boards/mips/include/mips/elf.h | $(BUILD)/.deps-ok
	$(call fuzz_build,ELF reader,$(INC_MIPS),tests/fuzz/fuzz_elf.c boards/mips/elf.c)
# The trace decoders: packet and flow layers (and the boot-argument parser
# that the flow layer's capture.c reads a capture's header with).
FUZZ_BIN := $(BUILD)/fuzz/fuzz_decoder
FUZZ_DEC_SRC := $(PACKET_SRC) $(FLOW_SRC) $(CRASHME_SRC) $(MIPS_SRC) $(UTIL_SRC) hypervisor/args.c
$(FUZZ_BIN): tests/fuzz/fuzz_decoder.c tests/pdtrace/tbuf.h tests/pdtrace/same_item.h $(FUZZ_DEC_SRC) $(wildcard pdtrace/*/*.h) \
		pdtrace/*/include/pdtrace/*.h \
		| $(BUILD)/.deps-ok $(FLOW_FIXTURE) $(CODE_FIXTURE_DIR)/code_fixture.elf
	$(call fuzz_build,decoder,$(INC_FLOW) -I.,tests/fuzz/fuzz_decoder.c $(FUZZ_DEC_SRC))

# ---- the differential test's program generator and the disassembler
# check's word generator (the ISA table only)
DIFFGEN := $(BUILD)/bin/diffgen
$(DIFFGEN): $(BUILD)/obj/tests/diff/diffgen.o
	$(LINK_REL)
DISASM_WORDS := $(BUILD)/bin/disasm-words
$(DISASM_WORDS): $(BUILD)/obj/tests/disasm/gen_words.o $(LIB_mips_REL)
	$(LINK_REL)

# ---- end-to-end programs on vzsim (tests/e2e)
E2E_SRC  := $(wildcard tests/e2e/*.S)
E2E_ELFS := $(patsubst tests/e2e/%.S,$(BUILD)/target/e2e/%.elf,$(E2E_SRC))
$(BUILD)/target/e2e/%.elf: tests/e2e/%.S $(MALTA_LD) $(wildcard tests/e2e/*.h) | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(TCC) $(TARGET_CFLAGS) $(TARGET_LDFLAGS) -Itests/e2e -T $(MALTA_LD) $< -o $@

# ---- a stand-in hypervisor for the runner's own tests (tests/vzsoak/): it
# writes the status and statistics blocks as the real one and the stress
# kernel do, and misbehaves on demand, so every detector is exercised
# whatever state the real guest kernel is in.
FAKEHV := $(BUILD)/target/vzsoak/fakehv.elf
$(FAKEHV): boards/sim/demo/demo.S tests/vzsoak/fakehv.c $(MALTA_LD) \
		$(wildcard hypervisor/include/vzsoak/*.h stress/include/vzsoak/*.h boards/mips/include/mips/*) | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(TCC) $(TARGET_CFLAGS) $(TARGET_LDFLAGS) -Iboards/mips/include $(INC_ABI) \
		-T $(MALTA_LD) boards/sim/demo/demo.S tests/vzsoak/fakehv.c -o $@

# ---- the report step's checker of PNGs (tests/vzsoak/pngcheck.c): the
# screenshot of report.html and the plots must decode (libpng) and not be
# blank.  Beside the sanitized vzsoak, where scripts/run-report-tests.sh
# finds it.
PNGCHECK := $(BUILD)/san/bin/pngcheck
$(PNGCHECK): $(BUILD)/san/tests/vzsoak/pngcheck.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_SAN) $^ -lpng -o $@

# ---- the openocd step's check of the OpenOCD client (harness/openocd/)
# against the real OpenOCD with no board (tests/vzsoak/ocdcheck.c), beside
# the sanitized vzsoak, where scripts/run-openocd-tests.sh finds it.
OCDCHECK := $(BUILD)/san/bin/ocdcheck
$(OCDCHECK): $(BUILD)/san/tests/vzsoak/ocdcheck.o $(call obj_san,$(OCD_SRC))
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_SAN) $^ -o $@

TARGET_IMAGES += $(E2E_ELFS)
TEST_DEPS += $(CMOCKA_BINS) $(DIFFGEN) $(DISASM_WORDS) $(E2E_ELFS) \
	$(PDT_MKVECTORS) $(FUZZ_BIN) $(FUZZ_ELF_BIN) $(FAKEHV) $(PNGCHECK) $(OCDCHECK)
# The identity step runs the release builds users run.
TEST_DEPS += $(VZSIM) $(VZSOAK)
