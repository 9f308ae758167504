/*
 * The soft TLB and the fetch TLB: what the interpreter remembers of
 * translations that succeeded, so that it reaches RAM and predecoded code
 * without translating again; and what forgets them when a translation
 * could change.
 *
 * Both are per translation class (cpu.h, enum mmu_class) and indexed by
 * the 4K virtual page.  A soft-TLB entry gives a page's host address for
 * loads (rtag) and stores (wtag); a fetch-TLB entry gives its predecoded
 * page.  They only ever hold translations that succeeded with nothing
 * recorded (no exception, no counter), so skipping the translation
 * changes nothing but the time it takes.
 *
 * Forgetting is scoped, because a soak's guests change their translations
 * every few hundred instructions and a whole flush each time made every
 * guest load, store and page crossing translate again, through both
 * stages.  And a guest's translations depend on its GuestID and ASID,
 * which change at every world switch and guest process switch: rather
 * than forgotten then, they are tagged with a key of the context (bits
 * 4..11 of a tag, which an access's compare never has set), and an entry
 * matches only under its key.  A key stands for one context until a
 * context that hashes to it needs it, which forgets the guest classes.
 * So:
 * - a guest TLB entry written (tlbwr, tlbwi, guest or tlbg* form) forgets
 *   only the pages the old entry spans, in the guest classes, and the new
 *   entry's when the duplicate check is off (with it on, no translation
 *   that worked can change); a guest tlbinv or tlbinvf forgets the guest
 *   classes;
 * - a guest ASID or GuestID change (mtc0, mtgc0, tlbr, GuestCtl1) only
 *   changes the key; a guest PageGrain change forgets the guest classes;
 * - root's ASID forgets the root classes (a second-stage lookup matches
 *   any ASID);
 * - anything else of root's (its TLB, whose entries are the second stage
 *   of every guest translation, its PageGrain) and debug mode forget
 *   everything.
 * Filled entries are logged per half (root classes, guest classes) so
 * that forgetting a half clears those instead of scanning it.
 */
#include "cpu.h"

#include <string.h>

/* A log word: which array, class and slot. */
#define LOG_FETCH 0x8000u

static inline unsigned half_of(unsigned cls)
{
	return cls >= MMU_GUEST;
}

/* The classes of half h, a bit each (stlb_used). */
static inline unsigned half_classes(unsigned h)
{
	return ((1u << MMU_GUEST) - 1) << (h * MMU_GUEST);
}

void softtlb_log(struct cpu *cpu, unsigned cls, unsigned slot, bool fetch)
{
	unsigned h = half_of(cls);
	cpu->stlb_used |= 1u << cls;
	unsigned n = cpu->stlb_log_n[h];
	if (n < STLB_LOG_MAX)
		cpu->stlb_log[h][n] = (uint16_t)((fetch ? LOG_FETCH : 0) | cls * STLB_SIZE | slot);
	if (n <= STLB_LOG_MAX)
		cpu->stlb_log_n[h] = n + 1;
}

static void clear_half(struct cpu *cpu, unsigned h)
{
	unsigned n = cpu->stlb_log_n[h];
	if (n <= STLB_LOG_MAX) {
		for (unsigned k = 0; k < n; k++) {
			unsigned w = cpu->stlb_log[h][k];
			unsigned cls = (w & ~LOG_FETCH) / STLB_SIZE, slot = w % STLB_SIZE;
			if (w & LOG_FETCH) {
				cpu->ftlb[cls][slot].vpage = STLB_TAG_NONE;
			} else {
				cpu->stlb[cls][slot].rtag = STLB_TAG_NONE;
				cpu->stlb[cls][slot].wtag = STLB_TAG_NONE;
			}
		}
	} else {
		for (unsigned cls = h * MMU_GUEST; cls < (h + 1) * MMU_GUEST; cls++)
			for (unsigned i = 0; i < STLB_SIZE; i++) {
				cpu->stlb[cls][i].rtag = STLB_TAG_NONE;
				cpu->stlb[cls][i].wtag = STLB_TAG_NONE;
				cpu->ftlb[cls][i].vpage = STLB_TAG_NONE;
			}
	}
	cpu->stlb_log_n[h] = 0;
	cpu->stlb_used &= ~half_classes(h);
}

void mmu_flush_fetch(struct cpu *cpu)
{
	cpu->fetch_vbase = 1;
	cpu->fetch_page = cpu->fetch_none;
	cpu->fetch_host = NULL;
}

void mmu_flush_scope(struct cpu *cpu, unsigned scope)
{
	if (scope & MMU_SCOPE_ROOT)
		clear_half(cpu, 0);
	if (scope & MMU_SCOPE_GUEST)
		clear_half(cpu, 1);
	if (scope & (1u << half_of(cpu->mclass)))
		mmu_flush_fetch(cpu);
}

void mmu_flush(struct cpu *cpu)
{
	mmu_flush_scope(cpu, MMU_SCOPE_ALL);
}

void mmu_flush_range(struct cpu *cpu, unsigned scope, uint32_t va, uint32_t span)
{
	uint32_t first = (va & ~span) >> 12, last = (va | span) >> 12;
	if (last - first >= STLB_SIZE) {
		/* Every slot is in range: the same as the whole scope. */
		mmu_flush_scope(cpu, scope);
		return;
	}
	unsigned cls_first = (scope & MMU_SCOPE_ROOT) ? 0 : MMU_GUEST;
	unsigned cls_end = (scope & MMU_SCOPE_GUEST) ? MMU_NCLASSES : MMU_GUEST;
	for (unsigned cls = cls_first; cls < cls_end; cls++) {
		if (!(cpu->stlb_used & (1u << cls)))
			continue; /* nothing filled since the class was cleared */
		for (uint32_t p = first; p <= last; p++) {
			uint32_t page = p << 12;
			/* Under any key: the entry spans every context's. */
			struct stlb_entry *e = &cpu->stlb[cls][p % STLB_SIZE];
			if ((e->rtag & ~STLB_TAG_FLAGS) == page)
				e->rtag = STLB_TAG_NONE;
			if ((e->wtag & ~STLB_TAG_FLAGS) == page)
				e->wtag = STLB_TAG_NONE;
			struct ftlb_entry *f = &cpu->ftlb[cls][p % STLB_SIZE];
			if ((f->vpage & ~STLB_TAG_FLAGS) == page)
				f->vpage = STLB_TAG_NONE;
		}
	}
	if ((scope & (1u << half_of(cpu->mclass))) &&
	    (cpu->fetch_vbase >> 12) - first <= last - first)
		mmu_flush_fetch(cpu);
}

void softtlb_guest_context(struct cpu *cpu)
{
	uint32_t ctx = (uint32_t)cpu_guestid(cpu) << 8 | (cpu->gcp0.entryhi & 0xffu);
	/* A guest's ASIDs, handed out in order, get keys in order, and each
	 * GuestID starts 97 keys further on: four guests with up to 36
	 * processes each never share a key. */
	unsigned k = ((ctx & 0xffu) + (ctx >> 8) * 97u) % (STLB_KEYS - 1) + 1;
	if (cpu->key_ctx[k] != ctx + 1) {
		if (cpu->key_ctx[k] != 0) {
			/* Another context's entries are under this key. */
			clear_half(cpu, 1);
			memset(cpu->key_ctx, 0, sizeof cpu->key_ctx);
		}
		cpu->key_ctx[k] = ctx + 1;
	}
	cpu->guest_key = k << 4;
	if (cpu->guest) {
		cpu->stlb_key = cpu->guest_key;
		mmu_flush_fetch(cpu); /* the fetch page is the old context's */
	}
}

void softtlb_reset(struct cpu *cpu)
{
	/* Every entry, whatever the logs say (the zeroed tags of a new cpu). */
	cpu->stlb_log_n[0] = cpu->stlb_log_n[1] = STLB_LOG_MAX + 1;
	mmu_flush(cpu);
	memset(cpu->key_ctx, 0, sizeof cpu->key_ctx);
	softtlb_guest_context(cpu);
	cpu->stlb_key = cpu->guest ? cpu->guest_key : 0;
}
