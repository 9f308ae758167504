# pdtrace/packet: libpdtrace's packet layer (records, the VZT1 encoder and
# decoder, the trace file).  vzsim's trace unit links this layer alone.
PACKET_SRC := $(wildcard pdtrace/packet/*.c)
$(call layer,pdtrace/packet,$(INC_PACKET))
$(eval $(call library,pdtpacket,$(PACKET_SRC)))
