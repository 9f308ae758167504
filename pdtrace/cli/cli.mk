# pdtrace/cli: the pdtrace command (dump, flow, detect) over libpdtrace.
PDT_CLI_SRC := $(wildcard pdtrace/cli/*.c)
$(call layer,pdtrace/cli,$(INC_FLOW))
PDTRACE     := $(BUILD)/bin/pdtrace
PDTRACE_SAN := $(BUILD)/san/bin/pdtrace

$(PDTRACE): $(call obj_rel,$(PDT_CLI_SRC)) $(PDTRACE_LIBS_REL)
	$(LINK_REL)
$(PDTRACE_SAN): $(call obj_san,$(PDT_CLI_SRC)) $(PDTRACE_LIBS_SAN)
	$(LINK_SAN)

HOST_BINS  += $(PDTRACE)
TEST_DEPS  += $(PDTRACE_SAN)
BENCH_DEPS += $(PDTRACE)
