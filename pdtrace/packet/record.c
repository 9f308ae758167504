/*
 * Records as words: names of types, gap reasons and errors, and the two
 * printed forms of a record (a ptdump-style text line and a JSON object).
 * `pdtrace dump` prints exactly these, so tests pin them down.
 */
#include "vzt1.h"

#include <mips/exc.h>

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

const char *pdt_errstr(int err)
{
	switch (err) {
	case PDT_OK: return "success";
	case PDT_E_EOS: return "end of the trace";
	case PDT_E_IO: return "input/output error";
	case PDT_E_FORMAT: return "not a trace file, or a bad header";
	case PDT_E_VERSION: return "unsupported format version or codec";
	case PDT_E_NOMEM: return "out of memory";
	case PDT_E_INVAL: return "invalid argument or record";
	}
	return "unknown error";
}

static const char *const type_names[PDT_NTYPES] = {
	[PDT_PAD] = "PAD",
	[PDT_ICNT] = "ICNT",
	[PDT_BRANCH] = "BRANCH",
	[PDT_TARGET] = "TARGET",
	[PDT_EXCEPTION] = "EXCEPTION",
	[PDT_MODE] = "MODE",
	[PDT_UTM] = "UTM",
	[PDT_MEM] = "MEM",
	[PDT_OVERFLOW] = "OVERFLOW",
	[PDT_SYNC] = "SYNC",
	[PDT_GAP] = "GAP",
};

const char *pdt_type_name(enum pdt_type t)
{
	return (unsigned)t < PDT_NTYPES ? type_names[t] : "?";
}

const char *pdt_gap_name(enum pdt_gap_reason why)
{
	switch (why) {
	case PDT_GAP_UNSYNCED: return "unsynced";
	case PDT_GAP_CORRUPT: return "corrupt";
	case PDT_GAP_TRUNCATED: return "truncated";
	}
	return "?";
}

/* Cause.ExcCode mnemonics (boards/mips exc.def), for readable dumps. */
const char *pdt_exc_name(unsigned code)
{
	return mips_exc_name(code);
}

static const char *ksu_name(uint8_t ksu)
{
	switch (ksu) {
	case PDT_KERNEL: return "kernel";
	case PDT_SUPERVISOR: return "supervisor";
	case PDT_USER: return "user";
	}
	return "ksu3";
}

uint8_t pdt_ctx_pack(const struct pdt_ctx *c)
{
	return (uint8_t)((c->ksu & VZT1_MODE_KSU) | (c->exl ? VZT1_MODE_EXL : 0) |
			 (c->erl ? VZT1_MODE_ERL : 0) | (c->guest ? VZT1_MODE_GUEST : 0));
}

struct pdt_ctx pdt_ctx_unpack(uint8_t mode, uint8_t asid, uint8_t guestid)
{
	struct pdt_ctx c = {
		.ksu = mode & VZT1_MODE_KSU,
		.exl = (mode & VZT1_MODE_EXL) != 0,
		.erl = (mode & VZT1_MODE_ERL) != 0,
		.guest = (mode & VZT1_MODE_GUEST) != 0,
		.asid = asid,
		.guestid = guestid,
	};
	return c;
}

/*
 * An snprintf-style cursor: writes what fits (always NUL-terminated when
 * there is room for anything) and counts what the whole text needs.
 */
struct out {
	char *buf;
	size_t len, n;
};

static __attribute__((format(printf, 2, 3))) void outf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t room = o->n < o->len ? o->len - o->n : 0;
	int k = vsnprintf(room ? o->buf + o->n : NULL, room, fmt, ap);
	va_end(ap);
	if (k > 0)
		o->n += (size_t)k;
}

/* Appends n bytes as they are (the fast path for fixed text). */
static void outs(struct out *o, const char *s, size_t n)
{
	if (o->n < o->len) {
		size_t room = o->len - o->n - 1, k = n < room ? n : room;
		memcpy(o->buf + o->n, s, k);
		o->buf[o->n + k] = 0;
	}
	o->n += n;
}

static void text_ctx(struct out *o, const struct pdt_ctx *c)
{
	outf(o, "%s%s%s asid=0x%02x", ksu_name(c->ksu), c->exl ? ",exl" : "",
	     c->erl ? ",erl" : "", c->asid);
	if (c->guest)
		outf(o, " guest=%u", c->guestid);
	else
		outs(o, " root", 5);
}

size_t pdt_record_text(const struct pdt_record *r, char *buf, size_t len)
{
	struct out o = { buf, len, 0 };
	if (len)
		buf[0] = 0;
	/* "OFFSET  NAME     " by hand: a dump prints millions of these. */
	static const char hex[] = "0123456789abcdef";
	char head[16 + 2 + 9];
	for (int i = 0; i < 16; i++)
		head[i] = hex[(r->offset >> (60 - 4 * i)) & 15];
	head[16] = head[17] = ' ';
	const char *name = pdt_type_name(r->type);
	size_t nl = strlen(name);
	memcpy(head + 18, name, nl);
	/* Fields start in one column; PAD (and an unknown type) has none. */
	if (r->type > PDT_PAD && r->type < PDT_NTYPES)
		for (; nl < 9; nl++)
			head[18 + nl] = ' ';
	outs(&o, head, 18 + nl);
	switch (r->type) {
	case PDT_ICNT:
		outf(&o, " n=%" PRIu64, r->icnt.n);
		break;
	case PDT_BRANCH: {
		/* Oldest first, as a flow decoder consumes them. */
		char tn[9];
		unsigned n = r->branch.n <= 8 ? r->branch.n : 8;
		for (unsigned i = 0; i < n; i++)
			tn[i] = (r->branch.bits >> i) & 1 ? 'T' : 'N';
		tn[n] = 0;
		outf(&o, " n=%u bits=0x%02x %s", r->branch.n, r->branch.bits, tn);
		break;
	}
	case PDT_TARGET:
		outf(&o, " pc=0x%08" PRIx32, r->target.pc);
		break;
	case PDT_EXCEPTION: {
		const char *ename = pdt_exc_name(r->exc.code);
		outf(&o, " code=%u%s%s by=%s vector=0x%08" PRIx32, r->exc.code, ename ? " " : "",
		     ename ? ename : "", r->exc.root ? "root" : "guest", r->exc.vector);
		break;
	}
	case PDT_MODE:
		outs(&o, " ", 1);
		text_ctx(&o, &r->mode);
		break;
	case PDT_UTM:
		outf(&o, " chan=%u value=0x%08" PRIx32, r->utm.chan, r->utm.value);
		break;
	case PDT_MEM:
		outf(&o, " %s size=%u addr=0x%08" PRIx32, r->mem.store ? "store" : "load",
		     r->mem.size, r->mem.addr);
		if (r->mem.has_data)
			outf(&o, " data=0x%08" PRIx32, r->mem.data);
		break;
	case PDT_OVERFLOW:
		outf(&o, " lost=%" PRIu32, r->overflow.lost);
		break;
	case PDT_SYNC:
		outf(&o, " pc=0x%08" PRIx32 " ", r->sync.pc);
		text_ctx(&o, &r->sync.ctx);
		outf(&o, " index=%" PRIu64, r->sync.index);
		break;
	case PDT_GAP:
		outf(&o, " %s skipped=%" PRIu64, pdt_gap_name(r->gap.why), r->gap.skipped);
		break;
	default:
		break;
	}
	return o.n;
}

static void json_ctx(struct out *o, const struct pdt_ctx *c)
{
	outf(o, ",\"ksu\":\"%s\",\"exl\":%s,\"erl\":%s,\"guest\":%s,\"asid\":%u,\"guestid\":%u",
	     ksu_name(c->ksu), c->exl ? "true" : "false", c->erl ? "true" : "false",
	     c->guest ? "true" : "false", c->asid, c->guestid);
}

size_t pdt_record_json(const struct pdt_record *r, char *buf, size_t len)
{
	struct out o = { buf, len, 0 };
	if (len)
		buf[0] = 0;
	outf(&o, "{\"offset\":%" PRIu64 ",\"type\":\"%s\"", r->offset, pdt_type_name(r->type));
	switch (r->type) {
	case PDT_ICNT:
		outf(&o, ",\"n\":%" PRIu64, r->icnt.n);
		break;
	case PDT_BRANCH:
		outf(&o, ",\"n\":%u,\"bits\":%u", r->branch.n, r->branch.bits);
		break;
	case PDT_TARGET:
		outf(&o, ",\"pc\":\"0x%08" PRIx32 "\"", r->target.pc);
		break;
	case PDT_EXCEPTION: {
		const char *name = pdt_exc_name(r->exc.code);
		outf(&o, ",\"code\":%u", r->exc.code);
		if (name)
			outf(&o, ",\"name\":\"%s\"", name);
		outf(&o, ",\"root\":%s,\"vector\":\"0x%08" PRIx32 "\"",
		     r->exc.root ? "true" : "false", r->exc.vector);
		break;
	}
	case PDT_MODE:
		json_ctx(&o, &r->mode);
		break;
	case PDT_UTM:
		outf(&o, ",\"chan\":%u,\"value\":%" PRIu32, r->utm.chan, r->utm.value);
		break;
	case PDT_MEM:
		outf(&o, ",\"store\":%s,\"size\":%u,\"addr\":\"0x%08" PRIx32 "\"",
		     r->mem.store ? "true" : "false", r->mem.size, r->mem.addr);
		if (r->mem.has_data)
			outf(&o, ",\"data\":%" PRIu32, r->mem.data);
		break;
	case PDT_OVERFLOW:
		outf(&o, ",\"lost\":%" PRIu32, r->overflow.lost);
		break;
	case PDT_SYNC:
		outf(&o, ",\"pc\":\"0x%08" PRIx32 "\"", r->sync.pc);
		json_ctx(&o, &r->sync.ctx);
		outf(&o, ",\"index\":%" PRIu64, r->sync.index);
		break;
	case PDT_GAP:
		outf(&o, ",\"reason\":\"%s\",\"skipped\":%" PRIu64, pdt_gap_name(r->gap.why),
		     r->gap.skipped);
		break;
	default:
		break;
	}
	outf(&o, "}");
	return o.n;
}

static bool ctx_equal(const struct pdt_ctx *a, const struct pdt_ctx *b)
{
	return a->ksu == b->ksu && a->exl == b->exl && a->erl == b->erl &&
	       a->guest == b->guest && a->asid == b->asid && a->guestid == b->guestid;
}

bool pdt_record_equal(const struct pdt_record *a, const struct pdt_record *b)
{
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case PDT_ICNT: return a->icnt.n == b->icnt.n;
	case PDT_BRANCH: return a->branch.n == b->branch.n && a->branch.bits == b->branch.bits;
	case PDT_TARGET: return a->target.pc == b->target.pc;
	case PDT_EXCEPTION:
		return a->exc.code == b->exc.code && a->exc.root == b->exc.root &&
		       a->exc.vector == b->exc.vector;
	case PDT_MODE: return ctx_equal(&a->mode, &b->mode);
	case PDT_UTM: return a->utm.chan == b->utm.chan && a->utm.value == b->utm.value;
	case PDT_MEM:
		/* Data only counts when the record carries it. */
		return a->mem.store == b->mem.store && a->mem.has_data == b->mem.has_data &&
		       a->mem.size == b->mem.size && a->mem.addr == b->mem.addr &&
		       (!a->mem.has_data || a->mem.data == b->mem.data);
	case PDT_OVERFLOW: return a->overflow.lost == b->overflow.lost;
	case PDT_SYNC:
		return a->sync.pc == b->sync.pc && ctx_equal(&a->sync.ctx, &b->sync.ctx) &&
		       a->sync.index == b->sync.index;
	case PDT_GAP: return a->gap.why == b->gap.why && a->gap.skipped == b->gap.skipped;
	case PDT_PAD: return true;
	default: return false;
	}
}
