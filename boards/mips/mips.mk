# boards/mips: the MIPS32r5 architecture that every board and tool shares
# (instruction table, decoder, disassembler, exception names, the ELF
# reader).  A leaf: it includes no other layer.
MIPS_SRC := $(wildcard boards/mips/*.c)
$(call layer,boards/mips,$(INC_MIPS))
$(eval $(call library,mips,$(MIPS_SRC)))
