# harness (docs/soak.md): vzsoak, the soak runner, over libvzsim's API and
# the target<->host ABI headers; libpdtrace for the trace detectors over a
# run's capture (tracecheck.c); and the hypervisor's own boot-argument
# parser (libbootargs.a, which libpdtrace's libraries bring), which checks
# a scenario's boot arguments.

# The OpenOCD client (docs/boards.md): sockets, processes and the C
# library only.  Its parts free of processes (the RPC client, the reply
# parsers) are in the host unit tests; the whole of it in the openocd
# step's check program (tests/vzsoak/ocdcheck.c).
OCD_SRC      := $(wildcard harness/openocd/*.c)
OCD_HOST_SRC := harness/openocd/rpc.c harness/openocd/reply.c
HARNESS_SRC := $(wildcard harness/*.c harness/report/*.c) $(OCD_SRC)
# The parts the host unit tests link (with libvzsim for its names of the
# exception codes, and a bare board for memimage.c's snapshots).
HARNESS_HOST_SRC := harness/scenario.c harness/detect.c harness/console_watch.c harness/memimage.c \
	harness/title.c harness/crashdb.c \
	harness/report/base64.c $(OCD_HOST_SRC)
# The trace detectors (tracecheck.c) are libpdtrace's: its two headers'
# folders, not the ISA below them.
$(call layer,harness,-Iboards/sim/include -Ipdtrace/flow/include -Ipdtrace/packet/include $(INC_ABI) $(INC_UTIL))
# The report disassembles and reads instruction fields: the ISA too.
$(call layer,harness/report,-Iboards/sim/include -Ipdtrace/flow/include -Ipdtrace/packet/include $(INC_MIPS) $(INC_ABI) $(INC_UTIL))
# The OpenOCD client needs nothing of vzsoak's but util.
$(call layer,harness/openocd,$(INC_UTIL))
VZSOAK     := $(BUILD)/bin/vzsoak
VZSOAK_SAN := $(BUILD)/san/bin/vzsoak

$(VZSOAK): $(call obj_rel,$(HARNESS_SRC)) $(VZSIM_LIBS_REL) $(PDTRACE_LIBS_REL)
	$(LINK_REL)
$(VZSOAK_SAN): $(call obj_san,$(HARNESS_SRC)) $(VZSIM_LIBS_SAN) $(PDTRACE_LIBS_SAN)
	$(LINK_SAN)

HOST_BINS  += $(VZSOAK)
TEST_DEPS  += $(VZSOAK_SAN)
BENCH_DEPS += $(VZSOAK)
