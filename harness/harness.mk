# harness (docs/soak.md): vzsoak, the soak runner, over libvzsim's API and
# the target<->host ABI headers; libpdtrace for the trace detectors over a
# run's capture (tracecheck.c); and the hypervisor's own boot-argument
# parser (libbootargs.a, which libpdtrace's libraries bring), which checks
# a scenario's boot arguments.
HARNESS_SRC := $(wildcard harness/*.c harness/report/*.c)
# The parts free of the board, which the host unit tests link (with
# libvzsim for its names of the exception codes only).
HARNESS_HOST_SRC := harness/scenario.c harness/detect.c harness/title.c harness/crashdb.c \
	harness/report/base64.c
# The trace detectors (tracecheck.c) are libpdtrace's: its two headers'
# folders, not the ISA below them.
$(call layer,harness,-Iboards/sim/include -Ipdtrace/flow/include -Ipdtrace/packet/include $(INC_ABI) $(INC_UTIL))
# The report disassembles and reads instruction fields: the ISA too.
$(call layer,harness/report,-Iboards/sim/include -Ipdtrace/flow/include -Ipdtrace/packet/include $(INC_MIPS) $(INC_ABI) $(INC_UTIL))
VZSOAK     := $(BUILD)/bin/vzsoak
VZSOAK_SAN := $(BUILD)/san/bin/vzsoak

$(VZSOAK): $(call obj_rel,$(HARNESS_SRC)) $(VZSIM_LIBS_REL) $(PDTRACE_LIBS_REL)
	$(LINK_REL)
$(VZSOAK_SAN): $(call obj_san,$(HARNESS_SRC)) $(VZSIM_LIBS_SAN) $(PDTRACE_LIBS_SAN)
	$(LINK_SAN)

HOST_BINS  += $(VZSOAK)
TEST_DEPS  += $(VZSOAK_SAN)
BENCH_DEPS += $(VZSOAK)
