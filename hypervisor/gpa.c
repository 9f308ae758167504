/*
 * gpa.c: the second translation stage, guest physical -> root physical.
 *
 * A guest's guest-physical addresses 0..win_size are its window of
 * physical memory, from win_pa (16 MiB-aligned, a multiple of 16 MiB
 * long).  The mapping is made on demand: the first
 * access of a guest misses in the root TLB (a root TLB refill taken
 * during guest execution, BadVAddr = the GPA, GuestCtl0.GExcCode = GPA)
 * and gpa_handle_fault writes one root entry tagged with the guest's
 * GuestID (GuestCtl1.RID), the way Linux's root refill path tags entries
 * for the running guest.
 *
 * One entry is a pair of 16 MiB pages covering 32 MiB of GPA; a page past
 * the window's end is written invalid.  A 16 MiB window is one entry, its
 * odd page invalid: a guest access to GPA 16M..32M raises a root TLB
 * invalid exception, one above 32M a refill for an address outside the
 * window; both stop the guest, but for a Linux guest's devices, which
 * exit.c emulates.  Nothing a guest does reaches another window or the
 * hypervisor's memory (the first 16 MiB of physical memory).
 *
 * Root entries live in the root part of the TLB (below the guest part,
 * docs/vzsim.md "The shared TLB"), written with tlbwi at a round-robin
 * victim, so that root never evicts the guests' own entries.
 */
#include <vzsoak/hypercall.h>

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
static int map_moving_page(struct vcpu *v);

#define PAIR_SPAN	(2 * HV_WINDOW_SIZE)

int gpa_handle_fault(struct vcpu *v, uint32_t gpa)
{
	if (gpa >= v->win_size && gpa - HV_MOVING_GPA < HV_MOVING_SIZE)
		return map_moving_page(v);
	if (gpa >= v->win_size)
		return -1;

	uint32_t pair = gpa & ~(PAIR_SPAN - 1);
	uint32_t saved_hi = read_c0_entryhi();
	guestctl1_tlb_ops(v);
	write_c0_entryhi(pair); /* VPN2: the pair of 16 MiB pages over gpa */
	tlbp();
	uint32_t idx = read_c0_index();
	if (!(idx & INDEX_P)) {
		/* Mapped already, yet it faulted inside the window: not
		 * a fault this code knows how to fix.  Refuse rather than
		 * send the guest back to fault forever. */
		guestctl1_run(v);
		write_c0_entryhi(saved_hi);
		return -1;
	}
	write_c0_pagemask(PM_16M);
	write_c0_entrylo0(LO_PFN(v->win_pa + pair) | LO_C_CACHED | ENTRYLO_D | ENTRYLO_V | ENTRYLO_G);
	/* The odd page, invalid past the window (GPA 16M..32M of a 16 MiB
	 * window is not the guest's). */
	if (pair + HV_WINDOW_SIZE < v->win_size)
		write_c0_entrylo1(LO_PFN(v->win_pa + pair + HV_WINDOW_SIZE) | LO_C_CACHED |
				  ENTRYLO_D | ENTRYLO_V | ENTRYLO_G);
	else
		write_c0_entrylo1(ENTRYLO_G);
	write_c0_index(next_victim);
	tlbwi();
	next_victim = (next_victim + 1) % root_slots;
	write_c0_pagemask(0);
	guestctl1_run(v); /* RID back to root's own, 0 */
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
	if (gpa >= v->win_size || len > v->win_size - gpa)
		return NULL;
	return PA_TO_KSEG0(v->win_pa + gpa);
}

/*
 * The moving page (HV_MOVING_GPA, <vzsoak/hypercall.h>): one 4 KiB guest
 * physical page outside the window, held in one of two frames of the
 * hypervisor's own, mapped by its own root entry (a 4K pair: the even
 * page, the odd one invalid).  Every MOVE_EVERY loads of the guest the
 * hypervisor moves it, as a host moves a guest's page for compaction or
 * migration: copy it to the other frame, then invalidate the root entry
 * that maps the old one, so that the guest's next access faults and
 * gpa_handle_fault maps the new one.  KVM does the same through its MMU
 * notifiers (kvm_mips_flush_gpa_pt and a root TLB invalidate).
 */
#define MOVE_EVERY	8
#define LO_PFN_4K(pa)	(((pa) >> 12) << ENTRYLO_PFN_SHIFT)

static uint32_t move_frames[HV_MAX_GUESTS][2][HV_MOVING_SIZE / 4]
	__attribute__((aligned(HV_MOVING_SIZE)));

static uint32_t moving_frame_pa(const struct vcpu *v)
{
	return KSEG0_TO_PA(move_frames[v->id - 1][v->move_frame]);
}

static int map_moving_page(struct vcpu *v)
{
	uint32_t saved_hi = read_c0_entryhi();
	guestctl1_tlb_ops(v);
	write_c0_entryhi(HV_MOVING_GPA);
	tlbp();
	int mapped = !(read_c0_index() & INDEX_P);
	if (!mapped) {
		write_c0_pagemask(0);
		write_c0_entrylo0(LO_PFN_4K(moving_frame_pa(v)) | LO_C_CACHED | ENTRYLO_D |
				  ENTRYLO_V | ENTRYLO_G);
		write_c0_entrylo1(ENTRYLO_G);
		write_c0_index(next_victim);
		tlbwi();
		next_victim = (next_victim + 1) % root_slots;
	}
	guestctl1_run(v);
	write_c0_entryhi(saved_hi);
	return mapped ? -1 : 0;
}

/* Removes the root entry that maps v's moving page, if there is one. */
static void unmap_moving_page(struct vcpu *v)
{
	uint32_t saved_hi = read_c0_entryhi();
	guestctl1_tlb_ops(v);
	write_c0_entryhi(HV_MOVING_GPA);
	tlbp();
	uint32_t idx = read_c0_index();
	if (!(idx & INDEX_P)) {
		/* Unmatchable: a kseg0 address, which no guest physical
		 * address reaches (the windows end far below). */
		write_c0_entryhi(0x80000000u + (idx << 13));
		write_c0_entrylo0(0);
		write_c0_entrylo1(0);
		tlbwi();
	}
	guestctl1_run(v);
	write_c0_entryhi(saved_hi);
}

/* At each load of v (switched out: its page is not in use).  A window
 * that reaches HV_MOVING_GPA (a Linux guest's) has RAM there, no moving
 * page. */
void gpa_move_page(struct vcpu *v)
{
	if (v->win_size > HV_MOVING_GPA)
		return;
	if (v->move_countdown++ < MOVE_EVERY)
		return;
	v->move_countdown = 0;
	const uint32_t *from = move_frames[v->id - 1][v->move_frame];
	uint32_t *to = move_frames[v->id - 1][!v->move_frame];
	for (unsigned i = 0; i < HV_MOVING_SIZE / 4; i++)
		to[i] = from[i];
	v->move_frame = !v->move_frame;
	v->stats.moves++;
	/* inject=root-flush-missed: the old mapping stays in the root TLB,
	 * so the guest goes on using the old frame, and its writes are lost
	 * when the page moves back over it. */
	if (!HV_INJECTED(&hv_args, HV_INJECT_ROOT_FLUSH_MISSED))
		unmap_moving_page(v);
}
