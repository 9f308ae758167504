/*
 * The hypercalls of the reference hypervisor: `hypcall CODE` from guest
 * kernel mode, arguments in a0/a1, result in v0.  One definition for the
 * guests (hypervisor/guests/guest.h, the stress kernel) and the
 * hypervisor (hypervisor/hypercall.c, which documents each).
 */
#ifndef VZSOAK_HYPERCALL_H
#define VZSOAK_HYPERCALL_H

#define HC_CONSOLE   1 /* a0 = buffer, a1 = length (<= 4096)          */
#define HC_HEARTBEAT 2 /* a0 = the guest's counter                    */
#define HC_MARKER    3 /* a0 = any value, into the trace              */
#define HC_ANOMALY   4 /* a0 = code, a1 = detail                      */
#define HC_STOP      5 /* a0 = exit status                            */
#define HC_YIELD     6 /* give up the rest of the slice               */
#define HC_KSTATS    7 /* a0 = the guest's statistics block, a1 = words */
#define HC_CONFIG    8 /* a0 = a GCONF_ key -> v0 = its value         */
#define HC_DOORBELL  9 /* a0 = root Count ticks: raise guest IP2 then  */
#define HC_DOORBELL_ACK 10 /* lower guest IP2                         */

/* The virtual interrupt line a doorbell raises: guest Cause.IP2, from
 * GuestCtl2.VIP bit 0 (GuestCtl2 bit 10). */
#define HC_DOORBELL_IP  2

/* The moving page: one 4 KiB page of guest physical memory outside the
 * guest's 16 MiB window, which the hypervisor moves between two frames
 * of its own every few switches, as a host moves a guest's page
 * (compaction, migration); the guest sees the same contents throughout. */
#define HV_MOVING_GPA   0x02000000u
#define HV_MOVING_SIZE  0x1000u

/* What a guest may ask with HC_CONFIG: the run's parameters that concern it. */
#define GCONF_GUESTID      0 /* its GuestID, 1..8                        */
#define GCONF_SEED         1 /* the run's seed (boot argument seed=)     */
#define GCONF_TLBP_CHECK   2 /* GCONF_TLBP_* (boot argument tlbp-check=) */
#define GCONF_CRASHME      3 /* words per crashme block, 0: no crashme   */
#define GCONF_WORKER_PAGES 4 /* 16K pages per memory-worker pass, 0: none */
#define GCONF_GUESTS       5 /* guests in the run                        */
#define GCONF_ROUNDS       6 /* stress rounds before stopping, 0: for ever */
#define GCONF_SELFCHECK    7 /* 1: the guest checks itself and reports (anomalies,
			    * repeats, heartbeats); 0: it only runs its workload */
#define GCONF_PRESERVE     8 /* 1: the hypervisor keeps a guest's TLB entry across a
			    * switch inside its TLB handler (boot argument preserve=) */
#define GCONF_SLICE        9 /* root Count ticks of the longest time slice (quantum + jitter) */

/* The guest-side fix of the stress kernel (docs/stress.md). */
#define GCONF_TLBP_OFF   0 /* no check after tlbp (Linux's RIXI path)   */
#define GCONF_TLBP_INDEX 1 /* Index.P checked after tlbp (Linux 3.18+)  */
#define GCONF_TLBP_ON    2 /* ... and PageMask/EntryHi put back after tlbr */

/*
 * The anomalies the hypervisor's test guests report (HC_ANOMALY: code,
 * detail); the stress kernel's are in vzsoak/kstats.h, with the same
 * columns and meaning (X(code, SYM, DETAIL, "name"), one definition, its
 * name beside it), in one space of codes: no code is in both lists.
 */
#define HC_ANOMALIES(X) \
	X(0xe0, GUEST_EXC, CAUSE, "test guest: unexpected exception") \
	X(0x77, GUEST_TEST, VALUE, "test guest: the exits test's own report")
/* 0xe0: an exception no handler of the guest's own took (start.S; stops
 *       the guest, status 1)
 * 0x77: the exits guest reports one to exercise the hypercall */

#ifdef __ASSEMBLER__
#define HC_ANOM_EQU(code, sym, detail, name) .equ ANOM_##sym, code;
HC_ANOMALIES(HC_ANOM_EQU)
#undef HC_ANOM_EQU
#else
enum hc_anomaly {
#define HC_ANOM_ENUM(code, sym, detail, name) ANOM_##sym = code,
	HC_ANOMALIES(HC_ANOM_ENUM)
#undef HC_ANOM_ENUM
};
#endif

#endif
