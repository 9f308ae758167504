# crashme: the block generator, built for the target (the stress kernel,
# stress/stress.mk) and, here, for the host (the flow decoder and tests).
CRASHME_SRC := $(wildcard crashme/*.c)
$(call layer,crashme,$(INC_CRASHME))
$(eval $(call library,crashme,$(CRASHME_SRC)))
