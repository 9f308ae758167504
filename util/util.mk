# util: what every host tool shares, below every other host layer (a
# leaf): the exit-status table and die() (header-only, docs/cli.md), the
# writer of files that must never be left half-written (outfile.c), JSON
# strings (json.c), SHA-256 (sha256.c: which images a report used), and the
# help-text wrapper (header-only).  libpdtrace's packet layer, libvzsim and
# vzsoak link it.
UTIL_SRC := $(wildcard util/*.c)
$(call layer,util,$(INC_UTIL))
$(eval $(call library,util,$(UTIL_SRC)))
