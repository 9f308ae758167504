/*
 * The VZT1 decoder: trace words (as little-endian bytes) to records.
 *
 * It starts unsynchronised and scans whole words for the sync marker.
 * Once synchronised it reads records one after another until damage: a
 * reserved header or an impossible field (CORRUPT), or the end of the
 * data inside a record or a word (TRUNCATED).  Damage ends the stretch;
 * the decoder reports one GAP from the bad record's first byte up to the
 * next sync marker and goes on from there.
 *
 * Two rules keep it honest and finite:
 * - a sync marker at a word boundary is always a SYNC: a record that runs
 *   into one was cut (the encoder pads before every SYNC), so it is
 *   damage, and the rescan starts at the first word boundary after the
 *   bad record's header so that this marker is the one found;
 * - every call consumes at least one byte or returns PDT_E_EOS, and no
 *   byte at or past len is ever read.
 *
 * Only whole words are decoded; the bytes of a partial last word (a file
 * cut mid-word) come out as a TRUNCATED gap.
 */
#include "vzt1.h"

/*
 * Size in bytes, header included, of the record each header byte starts;
 * 0 = reserved (damage).  One row per type nibble, as in the table of
 * docs/trace-format.md.  PAD is handled before this table is consulted;
 * SYNC (0xa0) is recognised by its marker word, never by a header byte.
 */
static const uint8_t rec_size[256] = {
	/* 0x00 PAD */      1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x10 ICNT */     0, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0, 0, 0, 0, 0,
	/* 0x20 BRANCH */   0, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0,
	/* 0x30 TARGET */   5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x40 EXC */      6, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x50 MODE */     4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x60 UTM */      0, 5, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x70 MEM */      5, 5, 5, 0, 9, 9, 9, 0, 5, 5, 5, 0, 9, 9, 9, 0,
	/* 0x80 reserved */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x90 OVERFLOW */ 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0xa0 SYNC */     0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0xb0..0xff reserved */
};

void pdt_dec_init(struct pdt_decoder *d, const uint8_t *words, uint64_t len)
{
	*d = (struct pdt_decoder){ .buf = words, .len = len };
}

static inline uint64_t whole_end(const struct pdt_decoder *d)
{
	return d->len & ~UINT64_C(7);
}

static int gap(struct pdt_record *r, uint64_t at, enum pdt_gap_reason why, uint64_t skipped)
{
	r->type = PDT_GAP;
	r->offset = at;
	r->gap.why = why;
	r->gap.skipped = skipped;
	return PDT_OK;
}

/* The offset of the first sync marker at a word boundary >= from, or the
   end of the whole words if there is none. */
static uint64_t find_marker(const struct pdt_decoder *d, uint64_t from)
{
	uint64_t end = whole_end(d);
	for (uint64_t p = (from + 7) & ~UINT64_C(7); p < end; p += 8)
		if (vzt1_le64(d->buf + p) == VZT1_MARKER)
			return p;
	return end;
}

/* The rest of the data from at is unusable: one TRUNCATED gap to the end. */
static int truncated(struct pdt_decoder *d, struct pdt_record *r, uint64_t at)
{
	d->pos = d->len;
	d->synced = false;
	return gap(r, at, PDT_GAP_TRUNCATED, d->len - at);
}

/* The record at `at` is damage: skip to the next marker after its header. */
static int corrupt(struct pdt_decoder *d, struct pdt_record *r, uint64_t at)
{
	uint64_t m = find_marker(d, at + 1);
	d->pos = m;
	d->synced = false;
	return gap(r, at, PDT_GAP_CORRUPT, m - at);
}

/* A SYNC whose marker word is at p (verified by the caller). */
static int decode_sync(struct pdt_decoder *d, struct pdt_record *r, uint64_t p)
{
	if (p + VZT1_SYNC_BYTES > whole_end(d))
		return truncated(d, r, p);
	uint64_t w1 = vzt1_le64(d->buf + p + 8);
	uint8_t mode = (uint8_t)(w1 >> 32), asid = (uint8_t)(w1 >> 40);
	uint8_t guestid = (uint8_t)(w1 >> 48);
	if ((w1 >> 56) != VZT1_SYNC || !vzt1_ctx_ok(mode, guestid))
		return corrupt(d, r, p);
	r->type = PDT_SYNC;
	r->offset = p;
	r->sync.pc = (uint32_t)w1;
	r->sync.ctx = pdt_ctx_unpack(mode, asid, guestid);
	r->sync.index = vzt1_le64(d->buf + p + 16);
	d->pos = p + VZT1_SYNC_BYTES;
	d->synced = true;
	return PDT_OK;
}

/* Unsynchronised: the words up to the next marker are a gap, then the SYNC. */
static int sync_forward(struct pdt_decoder *d, struct pdt_record *r)
{
	uint64_t pos = d->pos, end = whole_end(d);
	if (pos >= end) {
		if (pos < d->len)
			return truncated(d, r, pos);
		return PDT_E_EOS;
	}
	uint64_t m = find_marker(d, pos);
	if (m > pos) {
		d->pos = m;
		return gap(r, pos, PDT_GAP_UNSYNCED, m - pos);
	}
	return decode_sync(d, r, m);
}

int pdt_dec_next(struct pdt_decoder *d, struct pdt_record *r)
{
	if (!d->synced)
		return sync_forward(d, r);

	const uint8_t *b = d->buf;
	const uint64_t end = whole_end(d);
	uint64_t pos = d->pos;
	for (;;) {
		if (pos >= end) {
			d->pos = pos;
			if (pos < d->len)
				return truncated(d, r, pos);
			return PDT_E_EOS;
		}
		const uint8_t h = b[pos];
		if ((pos & 7) == 0 && vzt1_le64(b + pos) == VZT1_MARKER)
			return decode_sync(d, r, pos);
		if (h == VZT1_PAD) {
			pos++;
			continue;
		}
		const unsigned n = rec_size[h];
		if (n == 0)
			return corrupt(d, r, pos);
		if (pos + n > end)
			return truncated(d, r, pos);
		/* A record crossing into a marker word was cut by a SYNC. */
		const uint64_t next_word = (pos | 7) + 1;
		if (next_word < pos + n && vzt1_le64(b + next_word) == VZT1_MARKER)
			return corrupt(d, r, pos);

		const uint8_t *p = b + pos + 1;
		switch (h >> 4) {
		case VZT1_ICNT >> 4: {
			uint64_t count = 0;
			for (unsigned i = n - 1; i-- > 0;)
				count = count << 8 | p[i];
			if (count == 0)
				return corrupt(d, r, pos);
			r->type = PDT_ICNT;
			r->icnt.n = count;
			break;
		}
		case VZT1_BRANCH >> 4: {
			unsigned nb = h & 15;
			if (nb < 8 && p[0] >> nb)
				return corrupt(d, r, pos);
			r->type = PDT_BRANCH;
			r->branch.n = (uint8_t)nb;
			r->branch.bits = p[0];
			break;
		}
		case VZT1_TARGET >> 4:
			r->type = PDT_TARGET;
			r->target.pc = vzt1_le32(p);
			break;
		case VZT1_EXC >> 4:
			r->type = PDT_EXCEPTION;
			r->exc.root = (h & VZT1_EXC_ROOT) != 0;
			r->exc.code = p[0];
			r->exc.vector = vzt1_le32(p + 1);
			break;
		case VZT1_MODE >> 4:
			if (!vzt1_ctx_ok(p[0], p[2]))
				return corrupt(d, r, pos);
			r->type = PDT_MODE;
			r->mode = pdt_ctx_unpack(p[0], p[1], p[2]);
			break;
		case VZT1_UTM >> 4:
			r->type = PDT_UTM;
			r->utm.chan = h & 15;
			r->utm.value = vzt1_le32(p);
			break;
		case VZT1_MEM >> 4:
			r->type = PDT_MEM;
			r->mem.store = (h & VZT1_MEM_STORE) != 0;
			r->mem.has_data = (h & VZT1_MEM_DATA) != 0;
			r->mem.size = (uint8_t)(1u << (h & VZT1_MEM_LGSIZE));
			r->mem.addr = vzt1_le32(p);
			r->mem.data = r->mem.has_data ? vzt1_le32(p + 4) : 0;
			break;
		case VZT1_OVERFLOW >> 4:
			r->type = PDT_OVERFLOW;
			r->overflow.lost = vzt1_le32(p);
			break;
		default: /* not reached: rec_size is 0 for every other header */
			return corrupt(d, r, pos);
		}
		r->offset = pos;
		d->pos = pos + n;
		return PDT_OK;
	}
}
