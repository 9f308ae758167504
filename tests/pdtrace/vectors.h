/*
 * Hand-made VZT1 trace words and the records they must decode to.
 *
 * Every byte below was written by hand from the tables of
 * docs/trace-format.md (not produced by the encoder), one row per 64-bit
 * trace word, byte 0 (the least significant) first; the comment on a row
 * names the records that start in it ("..." = continues from the row
 * above).  The unit tests decode them (test_pdt_vectors.c), the encoder
 * must reproduce the clean ones byte for byte, and pdt-mkvectors writes
 * them out as trace files for the CLI tests and as the fuzzer's seeds.
 */
#ifndef VZSOAK_PDT_VECTORS_H
#define VZSOAK_PDT_VECTORS_H

#include <pdtrace/pdtrace.h>

/* Shorthands for expected records. */
#define R_SYNC(off, pc_, ksu_, exl_, erl_, guest_, asid_, gid_, index_) \
	{ .type = PDT_SYNC, .offset = (off), .sync = { .pc = (pc_), \
	  .ctx = { .ksu = (ksu_), .exl = (exl_), .erl = (erl_), .guest = (guest_), \
		   .asid = (asid_), .guestid = (gid_) }, .index = (index_) } }
#define R_ICNT(off, n_) { .type = PDT_ICNT, .offset = (off), .icnt = { .n = (n_) } }
#define R_BRANCH(off, n_, bits_) \
	{ .type = PDT_BRANCH, .offset = (off), .branch = { .n = (n_), .bits = (bits_) } }
#define R_TARGET(off, pc_) { .type = PDT_TARGET, .offset = (off), .target = { .pc = (pc_) } }
#define R_EXC(off, code_, root_, vec_) \
	{ .type = PDT_EXCEPTION, .offset = (off), \
	  .exc = { .code = (code_), .root = (root_), .vector = (vec_) } }
#define R_MODE(off, ksu_, exl_, erl_, guest_, asid_, gid_) \
	{ .type = PDT_MODE, .offset = (off), .mode = { .ksu = (ksu_), .exl = (exl_), \
	  .erl = (erl_), .guest = (guest_), .asid = (asid_), .guestid = (gid_) } }
#define R_UTM(off, chan_, v_) \
	{ .type = PDT_UTM, .offset = (off), .utm = { .chan = (chan_), .value = (v_) } }
#define R_MEM(off, store_, size_, addr_, has_, data_) \
	{ .type = PDT_MEM, .offset = (off), .mem = { .store = (store_), \
	  .has_data = (has_), .size = (size_), .addr = (addr_), .data = (data_) } }
#define R_OVERFLOW(off, lost_) \
	{ .type = PDT_OVERFLOW, .offset = (off), .overflow = { .lost = (lost_) } }
#define R_GAP(off, why_, skipped_) \
	{ .type = PDT_GAP, .offset = (off), .gap = { .why = (why_), .skipped = (skipped_) } }

#define UNSYNCED  PDT_GAP_UNSYNCED
#define CORRUPT   PDT_GAP_CORRUPT
#define TRUNCATED PDT_GAP_TRUNCATED
#define KERNEL    PDT_KERNEL
#define USER      PDT_USER

/* The sync marker word 0xa55a5aa5c33c3cc3, as bytes. */
#define MARKER 0xc3, 0x3c, 0x3c, 0xc3, 0xa5, 0x5a, 0x5a, 0xa5
/* SYNC word 1 of pc 0x80001000, kernel, ASID 0, root; word 2 = index 0. */
#define SYNC_K0 MARKER, \
	0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0x00, 0xa0, \
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00
#define R_SYNC_K0(off) R_SYNC(off, 0x80001000u, KERNEL, 0, 0, 0, 0, 0, 0)

/* ------------------------------------------------------------ clean */

/* Every record type, fields at their extremes, records straddling words,
   a PAD run before a second SYNC and at the end. */
static const uint8_t v_all[] = {
/* 0x00 */ MARKER,                                    /* SYNC */
/* 0x08 */ 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0x00, 0xa0, /* pc 0x80001000 kernel asid 0 root */
/* 0x10 */ 0x2a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* index 42 */
/* 0x18 */ 0x11, 0x0c, 0x23, 0x05, 0x30, 0x00, 0x20, 0x00, /* ICNT 12; BRANCH 3 TNT; TARGET */
/* 0x20 */ 0x80, 0x50, 0x12, 0x05, 0x03, 0x61, 0x78, 0x56, /* ...0x80002000; MODE user asid 5 guest 3; UTM 1 */
/* 0x28 */ 0x34, 0x12, 0x41, 0x08, 0x80, 0x01, 0x00, 0x80, /* ...0x12345678; EXCEPTION Sys root 0x80000180 */
/* 0x30 */ 0x7e, 0x00, 0x00, 0x10, 0x80, 0xef, 0xbe, 0xad, /* STORE 4 +data 0x80100000 */
/* 0x38 */ 0xde, 0x70, 0x03, 0x00, 0x10, 0x80, 0x90, 0x07, /* ...0xdeadbeef; LOAD 1 0x80100003; OVERFLOW */
/* 0x40 */ 0x00, 0x00, 0x00, 0x14, 0x67, 0x45, 0x23, 0x01, /* ...7; ICNT 0x01234567 */
/* 0x48 */ 0x12, 0x2c, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, /* ICNT 300; PAD x5 */
/* 0x50 */ MARKER,                                    /* SYNC */
/* 0x58 */ 0x00, 0x00, 0x00, 0xc0, 0x14, 0x7f, 0x01, 0xa0, /* pc 0xc0000000 kernel,exl asid 0x7f guest 1 */
/* 0x60 */ 0xe8, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* index 1000 */
/* 0x68 */ 0x28, 0xff, 0x40, 0x1b, 0x00, 0x00, 0x00, 0x80, /* BRANCH 8 all taken; EXCEPTION GE guest 0x80000000 */
/* 0x70 */ 0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* ICNT 2^64-1 (8 count bytes) */
/* 0x78 */ 0xff, 0x75, 0x02, 0x00, 0x40, 0x00, 0xef, 0xbe, /* ...; LOAD 2 +data 0x00400002 */
/* 0x80 */ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* ...0x0000beef; PAD x6 */
};
static const struct pdt_record r_all[] = {
	R_SYNC(0x00, 0x80001000u, KERNEL, 0, 0, 0, 0, 0, 42),
	R_ICNT(0x18, 12),
	R_BRANCH(0x1a, 3, 0x05),
	R_TARGET(0x1c, 0x80002000u),
	R_MODE(0x21, USER, 0, 0, 1, 5, 3),
	R_UTM(0x25, 1, 0x12345678u),
	R_EXC(0x2a, 8, 1, 0x80000180u),
	R_MEM(0x30, 1, 4, 0x80100000u, 1, 0xdeadbeefu),
	R_MEM(0x39, 0, 1, 0x80100003u, 0, 0),
	R_OVERFLOW(0x3e, 7),
	R_ICNT(0x43, 0x01234567u),
	R_ICNT(0x48, 300),
	R_SYNC(0x50, 0xc0000000u, KERNEL, 1, 0, 1, 0x7f, 1, 1000),
	R_BRANCH(0x68, 8, 0xff),
	R_EXC(0x6a, 27, 0, 0x80000000u),
	R_ICNT(0x70, UINT64_MAX),
	R_MEM(0x79, 0, 2, 0x00400002u, 1, 0x0000beefu),
};

/* The other extremes: supervisor, ERL, guest 0 and 255, UTM 2, OVERFLOW
   of 2^32-1, a record ending exactly at a word boundary before a SYNC (no
   PAD), a store without data. */
static const uint8_t v_edges[] = {
/* 0x00 */ MARKER,                                    /* SYNC */
/* 0x08 */ 0xff, 0xff, 0xff, 0xff, 0x09, 0xff, 0x00, 0xa0, /* pc 0xffffffff supervisor,erl asid 0xff root */
/* 0x10 */ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* index 2^64-1 */
/* 0x18 */ 0x62, 0x00, 0x00, 0x00, 0x00, 0x90, 0xff, 0xff, /* UTM 2 0; OVERFLOW */
/* 0x20 */ 0xff, 0xff, 0x50, 0x1e, 0x00, 0xff, 0x21, 0x00, /* ...2^32-1; MODE user,exl,erl asid 0 guest 255; BRANCH 1 N */
/* 0x28 */ MARKER,                                    /* SYNC */
/* 0x30 */ 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0xa0, /* pc 0 kernel asid 0 guest 0 */
/* 0x38 */ 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* index 1 */
/* 0x40 */ 0x7a, 0xfc, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, /* STORE 4 0xfffffffc; PAD x3 */
};
static const struct pdt_record r_edges[] = {
	R_SYNC(0x00, 0xffffffffu, PDT_SUPERVISOR, 0, 1, 0, 0xff, 0, UINT64_MAX),
	R_UTM(0x18, 2, 0),
	R_OVERFLOW(0x1d, 0xffffffffu),
	R_MODE(0x22, USER, 1, 1, 1, 0, 0xff),
	R_BRANCH(0x26, 1, 0),
	R_SYNC(0x28, 0, KERNEL, 0, 0, 1, 0, 0, 1),
	R_MEM(0x40, 1, 4, 0xfffffffcu, 0, 0),
};

/* ------------------------------------------------------------ damage */

/* Garbage before the first sync, including a marker that is not at a
   word boundary (offset 0x0b): skipped, as words, up to 0x18. */
static const uint8_t v_unsynced[] = {
/* 0x00 */ 0x11, 0x0c, 0xff, 0x00, 0xb0, 0x30, 0x00, 0x00, /* not synced yet: no records */
/* 0x08 */ 0x12, 0x34, 0x56, 0xc3, 0x3c, 0x3c, 0xc3, 0xa5, /* a marker at 0x0b... */
/* 0x10 */ 0x5a, 0x5a, 0xa5, 0x00, 0x10, 0x00, 0x80, 0x00, /* ...not at a boundary */
/* 0x18 */ SYNC_K0,                                   /* SYNC */
/* 0x30 */ 0x11, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* ICNT 5; PAD */
};
static const struct pdt_record r_unsynced[] = {
	R_GAP(0x00, UNSYNCED, 0x18),
	R_SYNC_K0(0x18),
	R_ICNT(0x30, 5),
};

/* A reserved header (0xb7) in a synced stretch: a gap from it to the
   next marker, then decoding goes on. */
static const uint8_t v_reserved[] = {
/* 0x00 */ SYNC_K0,
/* 0x18 */ 0x11, 0x03, 0xb7, 0x11, 0x04, 0x00, 0x00, 0x00, /* ICNT 3; reserved */
/* 0x20 */ 0x11, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* (skipped) */
/* 0x28 */ SYNC_K0,
/* 0x40 */ 0x11, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* ICNT 1 */
};
static const struct pdt_record r_reserved[] = {
	R_SYNC_K0(0x00),
	R_ICNT(0x18, 3),
	R_GAP(0x1a, CORRUPT, 0x0e),
	R_SYNC_K0(0x28),
	R_ICNT(0x40, 1),
};

/* ICNT with n = 0 (header 0x10) at a word boundary: the rescan starts at
   the next boundary, where the marker is. */
static const uint8_t v_icnt0[] = {
/* 0x00 */ SYNC_K0,
/* 0x18 */ 0x10, 0x11, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, /* ICNT n=0 */
/* 0x20 */ SYNC_K0,
/* 0x38 */ 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* ICNT of count 0 */
/* 0x40 */ SYNC_K0,
/* 0x58 */ 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* BRANCH n=0 */
/* 0x60 */ SYNC_K0,
/* 0x78 */ 0x22, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* BRANCH 2 with bit 2 set */
/* 0x80 */ SYNC_K0,
/* 0x98 */ 0x29, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* BRANCH n=9 */
/* 0xa0 */ SYNC_K0,
};
static const struct pdt_record r_icnt0[] = {
	R_SYNC_K0(0x00), R_GAP(0x18, CORRUPT, 8),
	R_SYNC_K0(0x20), R_GAP(0x38, CORRUPT, 8),
	R_SYNC_K0(0x40), R_GAP(0x58, CORRUPT, 8),
	R_SYNC_K0(0x60), R_GAP(0x78, CORRUPT, 8),
	R_SYNC_K0(0x80), R_GAP(0x98, CORRUPT, 8),
	R_SYNC_K0(0xa0),
};

/* Impossible fields: KSU 3, GuestID in root mode, mode bits 7..5, UTM
   channel 3, an 8-byte LOAD, a header nibble on TARGET, 0x8x, 0xa0 as a
   header, a SYNC whose word 1 lacks 0xa0, a SYNC with a bad mode. */
static const uint8_t v_fields[] = {
/* 0x00 */ SYNC_K0,
/* 0x18 */ 0x50, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* MODE ksu 3 */
/* 0x20 */ SYNC_K0,
/* 0x38 */ 0x00, 0x50, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, /* MODE root with GuestID 5 */
/* 0x40 */ SYNC_K0,
/* 0x58 */ 0x00, 0x00, 0x50, 0x20, 0x00, 0x00, 0x00, 0x00, /* MODE with bit 5 */
/* 0x60 */ SYNC_K0,
/* 0x78 */ 0x63, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* UTM 3 */
/* 0x80 */ SYNC_K0,
/* 0x98 */ 0x73, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* LOAD of size 8 */
/* 0xa0 */ SYNC_K0,
/* 0xb8 */ 0x31, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* TARGET with an argument */
/* 0xc0 */ SYNC_K0,
/* 0xd8 */ 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 0x80: reserved */
/* 0xe0 */ SYNC_K0,
/* 0xf8 */ 0xa0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 0xa0 as a header */
/* 0x100 */ MARKER,                                   /* SYNC whose... */
/* 0x108 */ 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0x00, 0xa1, /* ...word 1 ends in 0xa1 */
/* 0x110 */ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* (skipped) */
/* 0x118 */ MARKER,                                   /* SYNC whose... */
/* 0x120 */ 0x00, 0x10, 0x00, 0x80, 0x03, 0x00, 0x00, 0xa0, /* ...mode is ksu 3 */
/* 0x128 */ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
/* 0x130 */ SYNC_K0,
};
static const struct pdt_record r_fields[] = {
	R_SYNC_K0(0x00), R_GAP(0x18, CORRUPT, 8),
	R_SYNC_K0(0x20), R_GAP(0x39, CORRUPT, 7),
	R_SYNC_K0(0x40), R_GAP(0x5a, CORRUPT, 6),
	R_SYNC_K0(0x60), R_GAP(0x78, CORRUPT, 8),
	R_SYNC_K0(0x80), R_GAP(0x98, CORRUPT, 8),
	R_SYNC_K0(0xa0), R_GAP(0xb8, CORRUPT, 8),
	R_SYNC_K0(0xc0), R_GAP(0xd8, CORRUPT, 8),
	R_SYNC_K0(0xe0), R_GAP(0xf8, CORRUPT, 8),
	/* The bad SYNCs: a gap from each marker to the next. */
	R_GAP(0x100, CORRUPT, 0x18),
	R_GAP(0x118, CORRUPT, 0x18),
	R_SYNC_K0(0x130),
};

/* A marker in the middle of a record: the ICNT at 0x1e needs bytes up
   to 0x22, but the word at 0x20 is a marker.  The record was cut; the
   SYNC wins.  Then a record that ends at a boundary right before a
   marker, which is fine, and a marker in the middle of a word, which is
   only garbage (0xc3 is a reserved header). */
static const uint8_t v_marker_mid[] = {
/* 0x00 */ SYNC_K0,
/* 0x18 */ 0x11, 0x01, 0x00, 0x00, 0x00, 0x00, 0x14, 0x99, /* ICNT 1; PAD; ICNT (4 bytes)... */
/* 0x20 */ SYNC_K0,                                   /* ...cut by this SYNC */
/* 0x38 */ 0x11, 0x02, 0x11, 0x03, 0x00, 0x12, 0x04, 0x01, /* ICNT 2; ICNT 3; PAD; ICNT 260 */
/* 0x40 */ SYNC_K0,
/* 0x58 */ 0x11, 0x07, 0x00, 0x00, 0xc3, 0x3c, 0x3c, 0xc3, /* ICNT 7; PAD; a marker at 0x5c... */
/* 0x60 */ 0xa5, 0x5a, 0x5a, 0xa5, 0x00, 0x00, 0x00, 0x00, /* ... */
/* 0x68 */ SYNC_K0,
};
static const struct pdt_record r_marker_mid[] = {
	R_SYNC_K0(0x00),
	R_ICNT(0x18, 1),
	R_GAP(0x1e, CORRUPT, 2),
	R_SYNC_K0(0x20),
	R_ICNT(0x38, 2),
	R_ICNT(0x3a, 3),
	R_ICNT(0x3d, 260),
	R_SYNC_K0(0x40),
	R_ICNT(0x58, 7),
	R_GAP(0x5c, CORRUPT, 0x0c),
	R_SYNC_K0(0x68),
};

/* Truncation: a TARGET cut by the end of the last whole word, then (a
   second vector) a partial last word. */
static const uint8_t v_cut_record[] = {
/* 0x00 */ SYNC_K0,
/* 0x18 */ 0x11, 0x05, 0x00, 0x00, 0x00, 0x00, 0x30, 0x00, /* ICNT 5; TARGET cut */
};
static const struct pdt_record r_cut_record[] = {
	R_SYNC_K0(0x00),
	R_ICNT(0x18, 5),
	R_GAP(0x1e, TRUNCATED, 2),
};

static const uint8_t v_cut_word[] = {
/* 0x00 */ SYNC_K0,
/* 0x18 */ 0x11, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* ICNT 5; PAD */
/* 0x20 */ 0x11, 0x06, 0x00,                               /* a partial word */
};
static const struct pdt_record r_cut_word[] = {
	R_SYNC_K0(0x00),
	R_ICNT(0x18, 5),
	R_GAP(0x20, TRUNCATED, 3),
};

/* A SYNC cut after its marker; before it, no sync at all. */
static const uint8_t v_cut_sync[] = {
/* 0x00 */ 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, /* garbage */
/* 0x08 */ MARKER,                                   /* SYNC... */
/* 0x10 */ 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0x00, 0xa0, /* ...without word 2 */
};
static const struct pdt_record r_cut_sync[] = {
	R_GAP(0x00, UNSYNCED, 8),
	R_GAP(0x08, TRUNCATED, 16),
};

/* OVERFLOW with an argument nibble is reserved. */
static const uint8_t v_bad_overflow[] = {
/* 0x00 */ SYNC_K0,
/* 0x18 */ 0x62, 0x00, 0x00, 0x00, 0x00, 0x91, 0xff, 0xff, /* UTM 2 0; 0x91 reserved */
/* 0x20 */ 0xff, 0xff, 0x50, 0x1e, 0x00, 0xff, 0x21, 0x00, /* (skipped) */
};
static const struct pdt_record r_bad_overflow[] = {
	R_SYNC_K0(0x00),
	R_UTM(0x18, 2, 0),
	R_GAP(0x1d, CORRUPT, 0x0b),
};

/* ------------------------------------------------------------ table */

struct vector {
	const char *name;
	const uint8_t *bytes;
	size_t len;
	const struct pdt_record *want;
	size_t nwant;
	bool clean; /* no gaps: the encoder must write exactly these bytes */
};

#define VEC(n, clean_) { #n, v_##n, sizeof v_##n, r_##n, sizeof r_##n / sizeof r_##n[0], clean_ }

static const struct vector vectors[] = {
	VEC(all, true),
	VEC(edges, true),
	VEC(unsynced, false),
	VEC(reserved, false),
	VEC(icnt0, false),
	VEC(fields, false),
	VEC(marker_mid, false),
	VEC(cut_record, false),
	VEC(cut_word, false),
	VEC(cut_sync, false),
	VEC(bad_overflow, false),
};
#define NVECTORS (sizeof vectors / sizeof vectors[0])

#endif
