/*
 * The VZT1 record layout (docs/trace-format.md), in one place for the
 * encoder and the decoder, so that what one writes is exactly what the
 * other accepts.  Internal to libpdtrace.
 */
#ifndef PDTRACE_VZT1_H
#define PDTRACE_VZT1_H

#include <pdtrace/pdtrace.h>

/* Record headers: type in the high nibble, argument in the low one. */
#define VZT1_PAD        0x00u
#define VZT1_ICNT       0x10u /* | count bytes, 1..8 */
#define VZT1_BRANCH     0x20u /* | branch count, 1..8 */
#define VZT1_TARGET     0x30u
#define VZT1_EXC        0x40u /* | VZT1_EXC_ROOT */
#define VZT1_EXC_ROOT   0x01u
#define VZT1_MODE       0x50u
#define VZT1_UTM        0x60u /* | channel, 1 or 2 */
#define VZT1_MEM        0x70u /* | STORE | DATA | log2 size */
#define VZT1_MEM_STORE  0x08u
#define VZT1_MEM_DATA   0x04u
#define VZT1_MEM_LGSIZE 0x03u
#define VZT1_OVERFLOW   0x90u
#define VZT1_SYNC       0xa0u /* only as the top byte of a SYNC's word 1 */

/* A SYNC is three words: the marker, PC/context, instruction index. */
#define VZT1_MARKER     UINT64_C(0xa55a5aa5c33c3cc3)
#define VZT1_SYNC_BYTES 24u

/* The mode byte. */
#define VZT1_MODE_KSU   0x03u
#define VZT1_MODE_EXL   0x04u
#define VZT1_MODE_ERL   0x08u
#define VZT1_MODE_GUEST 0x10u
#define VZT1_MODE_RSVD  0xe0u

/*
 * A mode byte and GuestID a writer can produce: bits 7..5 zero, KSU not
 * 3, and GuestID 0 in root mode.  Anything else is damage.
 */
static inline bool vzt1_ctx_ok(uint8_t mode, uint8_t guestid)
{
	return !(mode & VZT1_MODE_RSVD) && (mode & VZT1_MODE_KSU) != 3 &&
	       ((mode & VZT1_MODE_GUEST) || guestid == 0);
}

static inline uint32_t vzt1_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t vzt1_le64(const uint8_t *p)
{
	return (uint64_t)vzt1_le32(p) | (uint64_t)vzt1_le32(p + 4) << 32;
}

#endif
