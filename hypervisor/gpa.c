/*
 * gpa.c: the second translation stage, guest physical -> root physical.
 *
 * Guest g's guest-physical addresses 0..16M are its window of physical
 * memory, HV_WINDOW_PA(g).  The mapping is made on demand: the first
 * access of a guest misses in the root TLB (a root TLB refill taken
 * during guest execution, BadVAddr = the GPA, GuestCtl0.GExcCode = GPA)
 * and gpa_handle_fault writes one root entry tagged with the guest's
 * GuestID (GuestCtl1.RID), the way Linux's root refill path tags entries
 * for the running guest.
 *
 * One entry is a pair of 16 MiB pages covering GPA 0..32M: the even page
 * is the window, the odd page is written invalid.  A guest access to GPA
 * 16M..32M therefore raises a root TLB invalid exception, one above 32M a
 * refill for an address outside the window; both stop the guest.  Nothing
 * a guest does reaches another window or the hypervisor's memory (the
 * first 16 MiB of physical memory).
 *
 * Root entries live in the root part of the TLB (below the guest part,
 * docs/vzsim.md "The shared TLB"), written with tlbwi at a round-robin
 * victim, so that root never evicts the guests' own entries.
 */
#include "hv.h"

#define LO_PFN(pa)	(((pa) >> 12) << ENTRYLO_PFN_SHIFT)
#define LO_C_CACHED	(3u << ENTRYLO_C_SHIFT)

static unsigned root_slots; /* entries 0..root_slots-1 are root's */
static unsigned next_victim;

void gpa_init(void)
{
	uint32_t c1 = read_c0_config1();
	unsigned entries = ((c1 >> 25) & 0x3f) + 1;
	unsigned guest = ((read_gc0(CP0_CONFIG1) >> 25) & 0x3f) + 1;

	/* Config4.MMUSizeExt extends both sizes past 64; the hypervisor
	 * only needs a handful of root entries, so the low field will do. */
	root_slots = entries > guest ? entries - guest : 1;
	next_victim = 0;
}

/* A root TLB fault on guest physical address gpa: map the window, or
 * return -1 if the guest went outside it. */
int gpa_handle_fault(struct vcpu *v, uint32_t gpa)
{
	if (gpa >= HV_WINDOW_SIZE)
		return -1;

	uint32_t saved_hi = read_c0_entryhi();
	write_c0_guestctl1(GC1_RID(v->id) | v->id);
	write_c0_entryhi(0); /* VPN2 0: the pair covering GPA 0..32M */
	tlbp();
	uint32_t idx = read_c0_index();
	if (!(idx & INDEX_P)) {
		/* Mapped already, yet it faulted inside the window: not
		 * a fault this code knows how to fix.  Refuse rather than
		 * send the guest back to fault forever. */
		write_c0_guestctl1(v->id);
		write_c0_entryhi(saved_hi);
		return -1;
	}
	write_c0_pagemask(PM_16M);
	write_c0_entrylo0(LO_PFN(HV_WINDOW_PA(v->id)) | LO_C_CACHED | ENTRYLO_D | ENTRYLO_V | ENTRYLO_G);
	write_c0_entrylo1(ENTRYLO_G); /* invalid: GPA 16M..32M is not the guest's */
	write_c0_index(next_victim);
	tlbwi();
	next_victim = (next_victim + 1) % root_slots;
	write_c0_pagemask(0);
	write_c0_guestctl1(v->id); /* RID back to root's own, 0 */
	write_c0_entryhi(saved_hi);
	return 0;
}

/* Root's view of len bytes at guest virtual gva, if they lie in guest
 * kseg0/kseg1 (unmapped: GPA = VA & 0x1fffffff) inside the window; NULL
 * otherwise (hypercall buffers must be there). */
void *gpa_to_root(const struct vcpu *v, uint32_t gva, uint32_t len)
{
	if (gva < 0x80000000u || gva >= 0xc0000000u)
		return NULL;
	uint32_t gpa = gva & 0x1fffffffu;
	if (gpa >= HV_WINDOW_SIZE || len > HV_WINDOW_SIZE - gpa)
		return NULL;
	return PA_TO_KSEG0(HV_WINDOW_PA(v->id) + gpa);
}
