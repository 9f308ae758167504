/*
 * The TLB, shared by root and guests (VZ), and its instructions: tlbp,
 * tlbr, tlbwi, tlbwr, tlbinv, tlbinvf in root and guest mode and root's
 * tlbg* forms.  Every entry is tagged root or guest and with a GuestID.
 * A tlb_view (cpu.h) says which entries an instruction works on and with
 * which CP0 context, so each instruction is written once.
 *
 * Implementation choices (docs/vzsim.md, "CPU configuration" and "VZ"):
 * - Entries store VPN2 already masked by their PageMask, as TLBWI's
 *   pseudo-code writes them, so tlbr reads back the masked VPN2.
 * - tlbr with Index.P set or an index past the view follows the board
 *   option tlbr-bad-index; tlbwi with such an index wraps (index modulo the
 *   entry count), as QEMU does; the architecture leaves both undefined.
 * - A missed tlbp sets Index.P and leaves the index bits as they were.
 * - Random is a seeded PRNG over [Wired, entries-1] of the view, advanced
 *   by each tlbwr; writing Wired sets it to the top entry.
 * - The guest part is the top guest_entries entries; guest Random ranges
 *   over it whatever GuestID owns an entry, so one guest's tlbwr can evict
 *   another guest's entry.
 * - Writing an entry that would match an address together with another
 *   valid entry of the same tags raises Machine Check (Status.TS set, entry
 *   not written) when the board option tlb-mcheck is on, as on P5600.
 *
 * The write hook (vzsim_set_tlb_hook) costs one branch per TLB write when
 * none is set: each writing instruction tests cpu->tlb_hook once and takes
 * a separate hooked path, which does the same write and then reports it.
 */
#include "cpu.h"

#define unlikely(x) __builtin_expect(!!(x), 0)

static inline uint32_t entry_span_mask(uint32_t mask)
{
	return mask | 0x1fffu; /* address bits below VPN2 for this page size */
}

static uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* ------------------------------------------------------------ views */

void tlb_view_root(struct cpu *cpu, struct tlb_view *v)
{
	*v = (struct tlb_view){.c = &cpu->cp0, .base = 0, .n = cpu->tlb_entries,
			       .guest = false, .tag = cpu_rid(cpu),
			       .set_rid = cpu->vz_enabled};
}

void tlb_view_guest(struct cpu *cpu, struct tlb_view *v)
{
	*v = (struct tlb_view){.c = &cpu->gcp0,
			       .base = cpu->tlb_entries - cpu->guest_entries,
			       .n = cpu->guest_entries, .guest = true,
			       .tag = cpu_guestid(cpu), .hide_foreign = true};
}

void tlb_view_tlbg(struct cpu *cpu, struct tlb_view *v)
{
	*v = (struct tlb_view){.c = &cpu->gcp0,
			       .base = cpu->tlb_entries - cpu->guest_entries,
			       .n = cpu->guest_entries, .guest = true,
			       .tag = cpu_rid(cpu), .set_rid = true};
}

/* ------------------------------------------------------------ lookup */

static inline uint32_t match_key(bool guest, uint8_t guestid)
{
	return (uint32_t)guest << 8 | guestid;
}

void tlb_entry_seal(struct tlb_entry *e)
{
	e->key = e->ehinv ? TLB_KEY_NONE : match_key(e->guest, e->guestid);
	e->span = entry_span_mask(e->mask);
}

void tlb_reset(struct cpu *cpu)
{
	for (unsigned i = 0; i < TLB_MAX_ENTRIES; i++) {
		struct tlb_entry *e = &cpu->tlb[i];
		*e = (struct tlb_entry){0};
		e->ehinv = true;
		tlb_entry_seal(e);
	}
	cpu->tlb_unchecked = false; /* no entries, so no duplicates */
	mmu_flush(cpu);
}

/* key: match_key of the tags looked for.  Lookups run on every slow-path
 * translation and every tlbp, so the first test is one compare. */
static inline bool entry_matches(const struct tlb_entry *e, uint32_t vaddr,
				 uint8_t asid, uint32_t key, bool any_asid)
{
	if (e->key != key || (vaddr & ~e->span) != e->vpn2)
		return false;
	return any_asid || e->g || e->asid == asid;
}

int tlb_lookup(struct cpu *cpu, uint32_t vaddr, uint8_t asid,
	       bool guest, uint8_t guestid, bool any_asid)
{
	/* With the duplicate check on, at most one entry matches: the one
	 * this kind of lookup (root, guest, second stage) found last often
	 * does again, and then it is the one a scan would find. */
	unsigned *hint = &cpu->tlb_hint[guest ? 1 : any_asid ? 2 : 0];
	uint32_t key = match_key(guest, guestid);
	bool unique = cpu->tlb_mcheck && !cpu->tlb_unchecked;
	if (unique && *hint < cpu->tlb_entries &&
	    entry_matches(&cpu->tlb[*hint], vaddr, asid, key, any_asid))
		return (int)*hint;
	/* Guest entries are written only through a guest view, whose entries
	 * are the top guest_entries (tlb_view_guest, tlb_view_tlbg): a guest
	 * lookup need not look below them, and finds what a whole scan would. */
	unsigned first = guest ? cpu->tlb_entries - cpu->guest_entries : 0;
	for (unsigned i = first; i < cpu->tlb_entries; i++)
		if (entry_matches(&cpu->tlb[i], vaddr, asid, key, any_asid)) {
			*hint = i;
			return (int)i;
		}
	return -1;
}

/* ------------------------------------------------------------ Random */

static void random_advance(struct cpu *cpu, struct cp0 *c, unsigned n)
{
	unsigned w = c->wired;
	if (w >= n) {
		c->random_next = n - 1;
		return;
	}
	c->random_next = w + (unsigned)(xorshift64(&cpu->random_state) % (n - w));
}

void tlb_wired_written(struct cpu *cpu, struct cp0 *c, unsigned n)
{
	(void)cpu;
	c->random_next = n - 1;
}

/* ------------------------------------------------------------ instructions */

void tlb_tlbp(struct cpu *cpu, const struct tlb_view *v)
{
	uint32_t hi = v->c->entryhi;
	uint32_t key = match_key(v->guest, v->tag);
	for (unsigned i = 0; i < v->n; i++) {
		if (entry_matches(&cpu->tlb[v->base + i], hi & 0xffffe000u,
				  (uint8_t)hi, key, false)) {
			v->c->index = i;
			return;
		}
	}
	v->c->index |= INDEX_P;
}

void tlb_entry_regs(const struct tlb_entry *e, uint32_t *hi, uint32_t *pm,
		    uint32_t *lo0, uint32_t *lo1)
{
	if (e->ehinv) {
		*hi = ENTRYHI_EHINV;
		*pm = *lo0 = *lo1 = 0;
		return;
	}
	uint32_t g = e->g ? 1u : 0u;
	*hi = e->vpn2 | e->asid;
	*pm = e->mask;
	*lo0 = (e->lo[0] & ~1u) | g;
	*lo1 = (e->lo[1] & ~1u) | g;
}

struct tlb_entry tlb_entry_make(uint32_t hi, uint32_t pm, uint32_t lo0,
				uint32_t lo1)
{
	uint32_t mask = pm & 0x1fffe000u;
	return (struct tlb_entry){
		.vpn2 = hi & ~entry_span_mask(mask),
		.mask = mask,
		.asid = (uint8_t)hi,
		.g = (lo0 & 1) && (lo1 & 1),
		.ehinv = (hi & ENTRYHI_EHINV) != 0,
		.lo = {lo0, lo1},
	};
}

static void read_invalid_values(struct cp0 *c)
{
	static const struct tlb_entry invalid = {.ehinv = true};
	tlb_entry_regs(&invalid, &c->entryhi, &c->pagemask, &c->entrylo0,
		       &c->entrylo1);
}

static void tlbr_entry(struct cpu *cpu, const struct tlb_view *v)
{
	struct cp0 *c = v->c;
	uint32_t idx = c->index & ~INDEX_P;
	if ((c->index & INDEX_P) || idx >= v->n) {
		switch (cpu->tlbr_bad_index) {
		case TLBR_BAD_UNCHANGED:
			return;
		case TLBR_BAD_INVALID:
			read_invalid_values(c);
			if (v->set_rid)
				cpu->guestctl1 &= ~(0xffu << 16);
			return;
		case TLBR_BAD_WRAP:
			idx %= v->n;
			break;
		}
	}
	const struct tlb_entry *e = &cpu->tlb[v->base + idx];
	if (v->set_rid)
		cpu->guestctl1 = (cpu->guestctl1 & ~(0xffu << 16)) |
				 ((uint32_t)(e->ehinv ? 0 : e->guestid) << 16);
	/* A guest sees only its own entries: others read as invalid. */
	if (v->hide_foreign && (!e->guest || e->guestid != v->tag)) {
		read_invalid_values(c);
		return;
	}
	tlb_entry_regs(e, &c->entryhi, &c->pagemask, &c->entrylo0, &c->entrylo1);
}

/* What a change to the view's entries, or to its context's ASID, can
 * affect: guest entries are only ever the first stage of guest
 * translations; root's entries are root's and every guest's second stage. */
static inline unsigned view_scope(const struct tlb_view *v)
{
	return v->guest ? MMU_SCOPE_GUEST : MMU_SCOPE_ALL;
}

/* tlbr loads EntryHi.ASID too: the soft TLB holds one ASID's view. */
void tlb_tlbr(struct cpu *cpu, const struct tlb_view *v)
{
	uint32_t old_asid = v->c->entryhi & 0xffu;
	tlbr_entry(cpu, v);
	if ((v->c->entryhi & 0xffu) != old_asid) {
		if (v->guest)
			softtlb_guest_context(cpu);
		else
			mmu_flush_scope(cpu, MMU_SCOPE_ROOT);
		if (trace_on(&cpu->trace))
			trace_refilter(cpu);
	}
}

/* Another valid entry with the same tags that would match some address the
 * new one maps. */
static bool overlaps(const struct cpu *cpu, unsigned skip,
		     const struct tlb_entry *n)
{
	/* Guest entries live in the guest part only (tlb_lookup). */
	unsigned first = n->guest ? cpu->tlb_entries - cpu->guest_entries : 0;
	for (unsigned i = first; i < cpu->tlb_entries; i++) {
		const struct tlb_entry *e = &cpu->tlb[i];
		if (e->key != n->key || i == skip)
			continue;
		uint32_t span = e->span | n->span;
		if ((e->vpn2 & ~span) != (n->vpn2 & ~span))
			continue;
		if (e->g || n->g || e->asid == n->asid)
			return true;
	}
	return false;
}

/* A guest entry being replaced: the pages of its valid halves (an
 * invalid half translated nothing), in the guest classes. */
static void flush_old_guest_entry(struct cpu *cpu, const struct tlb_entry *old)
{
	bool even = old->lo[0] & ENTRYLO_V, odd = old->lo[1] & ENTRYLO_V;
	uint32_t half = old->span >> 1; /* a half's span */
	uint32_t base = old->vpn2 & ~old->span;
	if (even && odd)
		mmu_flush_range(cpu, MMU_SCOPE_GUEST, base, old->span);
	else if (even)
		mmu_flush_range(cpu, MMU_SCOPE_GUEST, base, half);
	else if (odd)
		mmu_flush_range(cpu, MMU_SCOPE_GUEST, base + half + 1, half);
}

static bool write_entry(struct cpu *cpu, const struct tlb_view *v, unsigned idx)
{
	const struct cp0 *c = v->c;
	unsigned phys = v->base + idx;
	struct tlb_entry n = tlb_entry_make(c->entryhi, c->pagemask, c->entrylo0,
					    c->entrylo1);
	n.guest = v->guest;
	n.guestid = v->tag;
	if (!v->guest && v->tag != 0) {
		/* Root entries for a guest map guest physical addresses: no ASID. */
		n.g = true;
		n.lo[0] |= 1;
		n.lo[1] |= 1;
	}
	tlb_entry_seal(&n);
	if (cpu->tlb_mcheck && !n.ehinv && overlaps(cpu, phys, &n)) {
		/* TS says why, in the Status of the context that takes the
		 * exception (cpu_exception): the guest's for its own tlbwi. */
		cpu_ctx(cpu)->status |= ST_TS;
		cpu_exception(cpu, EXC_MCHECK, false);
		return false;
	}
	/* Only the pages the old and the new entry span can translate
	 * differently now; for a guest entry, only in guest mode.  The new
	 * entry's pages had no translation that worked, unless through
	 * another entry that matches them too, which the duplicate check
	 * refuses when it is on. */
	const struct tlb_entry *old = &cpu->tlb[phys];
	if (!v->guest)
		mmu_flush(cpu);
	else if (!old->ehinv)
		flush_old_guest_entry(cpu, old);
	cpu->tlb[phys] = n;
	if (v->guest && !n.ehinv && !cpu->tlb_mcheck)
		mmu_flush_range(cpu, MMU_SCOPE_GUEST, n.vpn2, n.span);
	return true;
}

/* The entries tlbinv (all false: the non-global ones of EntryHi's ASID)
 * and tlbinvf (all) invalidate, among those of the view's tags. */
static inline bool inv_target(const struct tlb_entry *e, const struct tlb_view *v,
			      bool all, uint8_t asid)
{
	return e->guest == v->guest && e->guestid == v->tag &&
	       (all || (!e->g && e->asid == asid));
}

/* changed (NULL if not wanted) gets which of the view's entries went
 * from valid to invalidated. */
static void invalidate(struct cpu *cpu, const struct tlb_view *v, bool all,
		       bool *changed)
{
	uint8_t asid = (uint8_t)v->c->entryhi;
	for (unsigned i = 0; i < v->n; i++) {
		struct tlb_entry *e = &cpu->tlb[v->base + i];
		bool target = inv_target(e, v, all, asid);
		if (changed)
			changed[i] = target && !e->ehinv;
		if (target) {
			e->ehinv = true;
			tlb_entry_seal(e);
		}
	}
	mmu_flush_scope(cpu, view_scope(v));
}

/* ------------------------------------------------------------ the write hook */

void tlb_entry_public(const struct tlb_entry *t, struct vzsim_tlb_entry *e)
{
	*e = (struct vzsim_tlb_entry){
		.invalid = t->ehinv, .guest = t->guest, .guestid = t->guestid};
	tlb_entry_regs(t, &e->entryhi, &e->pagemask, &e->entrylo0, &e->entrylo1);
}

/*
 * The word of the instruction being executed.  The loop dispatched it
 * from fetch_page at pc - fetch_vbase; a TLB write's flush drops the fetch
 * page, so read it before writing.
 */
static uint32_t current_word(const struct cpu *cpu)
{
	return cpu->fetch_page[((cpu->pc - cpu->fetch_vbase) >> 2) & 1023u].word;
}

/* The form of a TLB instruction: root's tlbg* work on the guest part
 * from root mode. */
static enum vzsim_tlb_how how_of(const struct cpu *cpu, const struct tlb_view *v,
				 enum vzsim_tlb_how how)
{
	if (!v->guest || cpu->guest)
		return how;
	switch (how) {
	case VZSIM_TLB_TLBWI: return VZSIM_TLB_TLBGWI;
	case VZSIM_TLB_TLBWR: return VZSIM_TLB_TLBGWR;
	case VZSIM_TLB_TLBINV: return VZSIM_TLB_TLBGINV;
	case VZSIM_TLB_TLBINVF: return VZSIM_TLB_TLBGINVF;
	default: return how;
	}
}

/* Calls the hook for entry phys, which held *before.  index and pc are the
 * current instruction's (counted already: icount is one past it), or for
 * the API (word 0) the next one's. */
static void report(struct cpu *cpu, enum vzsim_tlb_how how, uint32_t word,
		   unsigned phys, const struct tlb_entry *before, unsigned random)
{
	bool api = how == VZSIM_TLB_API;
	struct vzsim_tlb_write_event ev = {
		.index = cpu->icount - cpu->wait_cycles - (api ? 0 : 1),
		.pc = cpu->pc,
		.word = word,
		.guest = !api && cpu->guest,
		.guestid = !api && cpu->guest ? cpu_guestid(cpu) : 0,
		.entry = phys,
		.random = random,
		.how = how,
	};
	tlb_entry_public(before, &ev.before);
	tlb_entry_public(&cpu->tlb[phys], &ev.after);
	cpu->tlb_hook(cpu->tlb_hook_ctx, &ev);
}

void tlb_report_api(struct cpu *cpu, unsigned idx, const struct tlb_entry *before)
{
	report(cpu, VZSIM_TLB_API, 0, idx, before, 0);
}

/* tlbwi/tlbwr (and the tlbg forms) with a hook: the same write, reported
 * after it and after tlbwr's Random step. */
static bool write_hooked(struct cpu *cpu, const struct tlb_view *v, unsigned idx,
			 bool random)
{
	unsigned phys = v->base + idx;
	struct tlb_entry before = cpu->tlb[phys];
	uint32_t word = current_word(cpu);
	if (!write_entry(cpu, v, idx))
		return false;
	if (random)
		random_advance(cpu, v->c, v->n);
	report(cpu, how_of(cpu, v, random ? VZSIM_TLB_TLBWR : VZSIM_TLB_TLBWI), word,
	       phys, &before, random ? idx : 0);
	return true;
}

/* tlbinv/tlbinvf with a hook: the same invalidation, then one report per
 * entry it changed (valid before; only EHINV changed), lowest first. */
static void invalidate_hooked(struct cpu *cpu, const struct tlb_view *v, bool all)
{
	uint32_t word = current_word(cpu);
	bool changed[TLB_MAX_ENTRIES];
	invalidate(cpu, v, all, changed);
	enum vzsim_tlb_how how = how_of(cpu, v, all ? VZSIM_TLB_TLBINVF : VZSIM_TLB_TLBINV);
	for (unsigned i = 0; i < v->n && cpu->tlb_hook; i++) {
		if (!changed[i])
			continue;
		struct tlb_entry before = cpu->tlb[v->base + i];
		before.ehinv = false;
		report(cpu, how, word, v->base + i, &before, 0);
	}
}

/* ------------------------------------------------------------ writes */

bool tlb_tlbwi(struct cpu *cpu, const struct tlb_view *v)
{
	unsigned idx = (v->c->index & ~INDEX_P) % v->n;
	if (unlikely(cpu->tlb_hook))
		return write_hooked(cpu, v, idx, false);
	return write_entry(cpu, v, idx);
}

bool tlb_tlbwr(struct cpu *cpu, const struct tlb_view *v)
{
	unsigned idx = v->c->random_next;
	if (idx >= v->n)
		idx = v->n - 1;
	if (unlikely(cpu->tlb_hook))
		return write_hooked(cpu, v, idx, true);
	if (!write_entry(cpu, v, idx))
		return false;
	random_advance(cpu, v->c, v->n);
	return true;
}

void tlb_tlbinv(struct cpu *cpu, const struct tlb_view *v)
{
	if (unlikely(cpu->tlb_hook))
		invalidate_hooked(cpu, v, false);
	else
		invalidate(cpu, v, false, NULL);
}

void tlb_tlbinvf(struct cpu *cpu, const struct tlb_view *v)
{
	if (unlikely(cpu->tlb_hook))
		invalidate_hooked(cpu, v, true);
	else
		invalidate(cpu, v, true, NULL);
}
