/*
 * libpdtrace's trace detectors: findings proven by a capture alone, with
 * no help from the guest (a guest such as Linux reports nothing).  They
 * read the flow decoder's items (flow.h) as they stream past, so they run
 * over a capture of any length in flat memory, and over a trace window
 * from its first SYNC on.
 *
 * Each finding has a title in words that is the same in every run of the
 * same failure (no addresses, counts, indices or seeds: those are in its
 * evidence), the guest, the instruction index where the trace proves it,
 * and one line of evidence.  Findings of one detector with one title in
 * one guest are one finding with a count.  Some detectors need only
 * control flow (instructions, exceptions, contexts); others need the
 * hypervisor's trace messages too (the guest CP0 state at each exit and
 * entry): pdt_detector_needs_messages() says which (docs/pdtrace.md,
 * "pdtrace detect").
 */
#ifndef PDTRACE_DETECT_H
#define PDTRACE_DETECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <pdtrace/flow.h>

enum pdt_detector {
	/* The same TLB exception at the same guest PC, again and again, with
	 * no instruction completed outside the handler in between. */
	PDT_DET_LIVELOCK,
	/* Another guest ran while a guest was inside its TLB handler (EXL
	 * after a TLB exception, up to its eret). */
	PDT_DET_PREEMPTED_TLB,
	/* A tlbp, then a world switch, then the tlbr or tlbwi of the same
	 * handler invocation that uses the tlbp's result. */
	PDT_DET_TLBP_SPLIT,
	/* A tlbr after a tlbp loaded an EntryHi of another ASID: it read
	 * another entry than the one probed for: the probe missed (Index.P)
	 * and tlbr read whatever entry Index named, or the entry it found was
	 * replaced while another guest ran. */
	PDT_DET_TLBR_FOREIGN,
	/* A guest's PageMask changed while the guest ran, with no mtc0 to it:
	 * by a tlbr (the shrinking page when its handler was preempted), or by
	 * nothing the guest did. */
	PDT_DET_PAGEMASK_RUN,
	/* A guest's PageMask differs between its exit and its next entry: the
	 * hypervisor did not give it back. */
	PDT_DET_PAGEMASK_OUT,
	/* The same for the other guest CP0 registers the messages carry that
	 * only the guest may change: EPC, BadVAddr, EntryHi, Index (not
	 * Status and Cause, which the hypervisor writes for the guest: its
	 * mtc0 completed after a GSFC exit, interrupts injected). */
	PDT_DET_CP0_OUT,
	/* The first guest instruction after the hypervisor's entry message
	 * for guest g ran with another GuestID than g (the reference
	 * hypervisor's GuestID of guest g is g). */
	PDT_DET_GUESTID,
	/* A guest exit whose PC (root EPC) is a branch or jump, the exit in
	 * its delay slot, and the guest's next entry at that PC + 4: resumed
	 * in the slot, so the slot runs again and the branch is lost. */
	PDT_DET_DSLOT_RESUME,
	/* A virtual interrupt the hypervisor raised for a guest (its VIRQ
	 * message), or one pending at the guest's exit, missing from Cause at
	 * its next entry with no acknowledgement in between. */
	PDT_DET_VIRQ_LOST,
	/* With preserve=on (the hypervisor keeps a TLB handler's entry while
	 * it is switched out), a handler switched out before its tlbp whose
	 * own check of Index after the tlbp says it missed. */
	PDT_DET_PRESERVE_MISS,
	PDT_DET_COUNT
};

enum pdt_severity {
	PDT_SEV_NOTE,    /* context for a report; not wrong by itself */
	PDT_SEV_WARNING, /* a race window was hit; wrong only if it mattered */
	PDT_SEV_BUG,     /* the trace proves state went wrong */
};

#define PDT_FINDING_TITLE 128
#define PDT_FINDING_EVIDENCE 384

struct pdt_finding {
	enum pdt_detector det;
	enum pdt_severity sev;
	char title[PDT_FINDING_TITLE];       /* stable words */
	unsigned guest;                      /* GuestID */
	uint64_t index;                      /* the first proof's instruction index */
	uint32_t pc;                         /* the guest PC there */
	char evidence[PDT_FINDING_EVIDENCE]; /* the first proof, with its values */
	uint64_t count;                      /* proofs merged into this finding */
	uint64_t last_index;                 /* the last one's index */
};

struct pdt_detect_config {
	/* Repeats of one TLB exception that make a livelock (0: 100). */
	unsigned repeat_limit;
	/* The hypervisor promised to keep a TLB handler's entry while the
	 * guest is switched out (the reference hypervisor's preserve=on):
	 * PDT_DET_PRESERVE_MISS checks it.  false: nothing is claimed. */
	bool hv_preserves;
};

/* The configuration a capture's header asks for: dc's other fields kept,
 * hv_preserves from its boot arguments (preserve=, by the hypervisor's
 * own parser; false without boot arguments or on ones it refuses). */
void pdt_detect_config_header(struct pdt_detect_config *dc, const struct pdt_file_info *info);

struct pdt_detect;

/* 0, or PDT_E_NOMEM. */
int pdt_detect_new(struct pdt_detect **out, const struct pdt_detect_config *cfg);
void pdt_detect_free(struct pdt_detect *d);
/* Each item of one capture, in the decoder's order. */
void pdt_detect_feed(struct pdt_detect *d, const struct pdt_flow_item *it);
/* The findings so far, most severe first, then by index (at one index,
 * what went wrong before how: GuestID, PageMask, CP0, livelock, tlbr);
 * valid until the next feed or free. */
size_t pdt_detect_findings(struct pdt_detect *d, const struct pdt_finding **list);

/* The gaps in the flow the detectors were fed (damage, lost records, code
 * no image holds): nothing is claimed about what ran there. */
uint64_t pdt_detect_gaps(const struct pdt_detect *d);

/* Every item of a capture through a new detector: 0 with *out, or the
 * decoder's error (nothing in *out). */
int pdt_detect_capture(const struct pdt_flow_config *cfg, const uint8_t *words, uint64_t len,
		       const struct pdt_detect_config *dc, struct pdt_detect **out);

/* "livelock", "preempted-tlb-handler", ...: a detector's name, for JSON
 * and options. */
const char *pdt_detector_name(enum pdt_detector det);
/* Whether it needs the hypervisor's trace messages (trace=on), or only
 * control flow. */
bool pdt_detector_needs_messages(enum pdt_detector det);
/* "note", "warning", "bug". */
const char *pdt_severity_name(enum pdt_severity sev);

/* A finding as `pdtrace detect` prints it (docs/pdtrace.md): three lines
 * of text (severity, guest, index and title; the evidence; the detector
 * and the count), or one JSON object on a line. */
void pdt_finding_print(FILE *out, const struct pdt_finding *f, bool json);

#endif
