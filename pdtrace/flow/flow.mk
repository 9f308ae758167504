# pdtrace/flow: libpdtrace's flow layer (code images, the flow decoder)
# over the packet layer.  PDTRACE_LIBS_* are what a user of the flow
# decoder links, in link order.
FLOW_SRC := $(wildcard pdtrace/flow/*.c)
$(call layer,pdtrace/flow,$(INC_FLOW))
$(eval $(call library,pdtrace,$(FLOW_SRC)))
# libbootargs (hypervisor/hypervisor.mk, included later: named by its path)
# reads a capture's boot arguments (capture.c).
PDTRACE_LIBS_REL := $(LIB_pdtrace_REL) $(LIB_crashme_REL) $(LIB_pdtpacket_REL) $(LIB_mips_REL) $(LIB_util_REL) $(BUILD)/lib/libbootargs.a
PDTRACE_LIBS_SAN := $(LIB_pdtrace_SAN) $(LIB_crashme_SAN) $(LIB_pdtpacket_SAN) $(LIB_mips_SAN) $(LIB_util_SAN) $(BUILD)/lib/libbootargs-san.a
