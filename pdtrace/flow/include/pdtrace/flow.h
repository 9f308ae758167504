/*
 * libpdtrace's flow layer: from trace records (pdtrace.h) to the
 * instructions that ran, per context, with events: the layering of libipt
 * (packets -> query -> instructions).  It walks the program text of the
 * running context with the shared instruction table (boards/mips),
 * taking one ICNT unit for each ordinary instruction and one BRANCH bit
 * for each conditional branch, and follows TARGET, EXCEPTION, MODE and
 * SYNC records.  The vzsoak hypervisor's user trace messages
 * (hypervisor/include/vzsoak/utm.h) become events by meaning in a layer
 * of their own (pdtrace/flow/hvmsg.c): the walker knows records and code.
 *
 * Code comes from images: the hypervisor's ELF for root, a guest kernel's
 * ELF for each GuestID (its kseg0 kernel and the user code it maps one to
 * one).  Code no image holds comes from a code provider in the
 * configuration, as libipt's image callback: crashme blocks regenerated
 * from (seed, guest, block number) are one (pdt_crashme_provider, in
 * pdtrace/flow/crashme_code.c).  Where no code is known the flow is lost: a GAP
 * event says where and why, instructions are still counted (the records
 * say how many ran), and decoding goes on at the next EXCEPTION (its
 * vector is a known PC) or SYNC.
 *
 * Streaming: memory does not grow with the trace (a segment between two
 * event records holds at most one SYNC period of counts).
 */
#ifndef PDTRACE_FLOW_H
#define PDTRACE_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pdtrace/pdtrace.h>

/* ------------------------------------------------------------ code images */

/* The PT_LOAD segments and function/object symbols of one ELF file. */
struct pdt_code;

/* Loads an ELF (32-bit little-endian MIPS); 0, or a negative PDT_E_* with
 * a one-line reason in err. */
int pdt_code_load(struct pdt_code **out, const char *path, char *err, size_t errlen);
void pdt_code_free(struct pdt_code *c);
/* The word at virtual address va (the segments' p_vaddr): 0, or -1 when
 * no segment holds it. */
int pdt_code_word(const struct pdt_code *c, uint32_t va, uint32_t *word);
/* The symbol that contains va (or the nearest one below it in the same
 * segment): its name and va's offset from it; NULL if none. */
const char *pdt_code_symbol(const struct pdt_code *c, uint32_t va, uint32_t *off);
/* The file it was loaded from. */
const char *pdt_code_path(const struct pdt_code *c);
/*
 * Lays a memory image over c: the PT_LOAD segments of the ELF at path (a
 * snapshot of memory, as vzsoak writes for a Linux guest: its kernel
 * rewrites its own code as it boots, so the file it was linked into no
 * longer holds what ran) replace c's bytes where both have them, and are
 * c's code where c has none.  c's symbols stay.  Overlays may be laid one
 * over another, the last winning.  0, or a negative PDT_E_* with a
 * one-line reason in err.
 */
int pdt_code_overlay(struct pdt_code *c, const char *path, char *err, size_t errlen);

/* ------------------------------------------------------------ configuration */

#define PDT_FLOW_GUESTS 8

struct pdt_flow_item;

/*
 * A source of code that no image holds (code written at run time: crashme
 * blocks), asked when the context's image has no word at a PC.  One
 * provider serves one decoder at a time: pdt_flow_new calls start.
 */
struct pdt_flow_code_provider {
	void *priv;
	/*
	 * The word at pc in context c: PDT_OK and *word, with *unit the
	 * number of the piece of code it belongs to (-1: none; a crashme
	 * block's number), or PDT_FLOW_CODE_NEW when a new piece starts at
	 * this instruction (the decoder says so with a PDT_EV_BLOCK event
	 * before it); PDT_FLOW_NO_CODE if it has none; PDT_E_NOMEM.
	 */
	int (*read)(void *priv, const struct pdt_ctx *c, uint32_t pc, uint32_t *word,
		    int *unit);
	/* Optional: each event the decoder returns, just before it does, and
	 * whether the flow was lost then; a provider follows what it needs
	 * (crashme's markers; a gap for dropped records, PDT_FGAP_TRACE,
	 * OVERFLOW or UNSYNCED, means any code may have run). */
	void (*event)(void *priv, const struct pdt_flow_item *ev, bool lost);
	/* Optional: a decoder starts; forget what an earlier one taught. */
	void (*start)(void *priv);
};
#define PDT_FLOW_CODE_NEW 1
#define PDT_FLOW_NO_CODE 2

struct pdt_flow_config {
	const struct pdt_code *root;                     /* NULL: root not decoded */
	const struct pdt_code *guest[PDT_FLOW_GUESTS + 1]; /* by GuestID, [0] unused */
	struct pdt_flow_code_provider code;              /* read NULL: none */
	/* Walk one instruction at a time, without the cache of decoded
	 * blocks: the same items, several times slower.  A debugging aid:
	 * the reference the block walk is checked against (the decoder
	 * fuzzer, the flow tests, pdtrace flow --per-insn). */
	bool per_insn;
	/* The cache of decoded blocks holds 2^block_cache_log2 of them, 32
	 * bytes each (0: 2^13; at most 2^20): memory for speed, never for
	 * what the items say. */
	unsigned block_cache_log2;
};

/* ------------------------------------------------------------ crashme code */

/*
 * crashme's blocks as a code provider: a guest's user code at the block
 * page (crashme/block.h) is block N, regenerated from (seed, guest, N),
 * where N counts on from the guest's last "blocks from N follow" marker,
 * one more each time user code starts at the page under a new ASID (the
 * stress kernel gives every block a fresh one).
 */
struct pdt_crashme;
/* words: per block (the hypervisor's crashme=; at most one page). */
int pdt_crashme_new(struct pdt_crashme **out, uint32_t seed, uint32_t words);
void pdt_crashme_free(struct pdt_crashme *cm);
/* The provider for pdt_flow_config.code; cm must outlive the decoders. */
struct pdt_flow_code_provider pdt_crashme_provider(struct pdt_crashme *cm);

/* ------------------------------------------------------------ a capture's code */

/*
 * The code a capture is decoded with (pdtrace/flow/capture.c): its images
 * and crashme's parameters, from options over the capture's header (the
 * hypervisor image it names, guests/NAME.elf beside it for each guest's
 * image=, seed= and crashme= of its boot arguments, read by the
 * hypervisor's own parser: link libbootargs).
 */
struct pdt_code_opts {
	const char *image[PDT_FLOW_GUESTS + 1]; /* [0] root; NULL: the header's */
	/* A memory image laid over each guest's (pdt_code_overlay), or its
	 * only code when it has no image; NULL: the one vzsoak left beside
	 * the capture (<vzsoak/linux_files.h>, LINUX_MEMORY_IMAGE:
	 * TRACE.gN-kernel.elf), if any. */
	const char *memory[PDT_FLOW_GUESTS + 1];
	const char *capture; /* the trace file's path (pdt_capture_open sets it) */
	bool crashme_given;
	uint32_t crashme_seed, crashme_words;
};
struct pdt_capture_code {
	struct pdt_flow_config cfg;
	struct pdt_code *codes[PDT_FLOW_GUESTS + 1];
	struct pdt_crashme *crashme;
};
/* A note for the reader: a missing image (its code shows as gaps), boot
 * arguments the hypervisor would refuse (decoded with its defaults). */
typedef void pdt_note_fn(void *priv, const char *msg);
/* 0, or PDT_E_* with a one-line reason in err (an image that cannot be
 * loaded; out of memory).  o may be NULL; note may be NULL. */
int pdt_capture_code_load(struct pdt_capture_code *cc, const struct pdt_file_info *info,
			  const struct pdt_code_opts *o, pdt_note_fn *note, void *priv,
			  char *err, size_t errlen);
void pdt_capture_code_free(struct pdt_capture_code *cc);

/* A trace file and its code, opened together: 0, or PDT_E_* with one line
 * in err naming the file (and the offset of a bad header). */
struct pdt_capture {
	struct pdt_file f;
	struct pdt_capture_code code;
};
int pdt_capture_open(struct pdt_capture *c, const char *path, const struct pdt_code_opts *o,
		     pdt_note_fn *note, void *priv, char *err, size_t errlen);
void pdt_capture_close(struct pdt_capture *c);

/* ------------------------------------------------------------ items */

enum pdt_flow_event {
	PDT_EV_EXCEPTION,  /* taken: code, by root or the guest, vector */
	PDT_EV_ERET,       /* to target */
	PDT_EV_MODE,       /* the context changed (ctx: the new one) */
	PDT_EV_SYNC,       /* a full-PC sync (only when it changes what the
			      decoder knew: the start, after a gap) */
	PDT_EV_GUEST_EXIT, /* hypervisor message: a guest left guest mode */
	PDT_EV_GUEST_ENTRY,/* hypervisor message: a guest is about to run */
	PDT_EV_SWITCH,     /* the hypervisor switched from guest `from` to `to` */
	PDT_EV_PAGEMASK,   /* a guest's PageMask changed between messages */
	PDT_EV_MARKER,     /* hypercall 3 */
	PDT_EV_ANOMALY,    /* hypercall 4 */
	PDT_EV_HEARTBEAT,  /* hypercall 2 */
	PDT_EV_VIRQ,       /* hypervisor message: a virtual interrupt raised for
			      a guest (msg.value: its pending lines, Cause IP bits) */
	PDT_EV_BLOCK,      /* a crashme block (a provider's piece of code) starts */
	PDT_EV_UTM,        /* a user trace message that is not the hypervisor's */
	PDT_EV_GAP,        /* the flow could not be followed: why, how much */
	PDT_EV_NKINDS
};

enum pdt_flow_gap {
	PDT_FGAP_TRACE = 1, /* the packet layer skipped damage (see bytes) */
	PDT_FGAP_OVERFLOW,  /* the trace unit dropped records */
	PDT_FGAP_NO_CODE,   /* no image holds the next PC */
	PDT_FGAP_MISMATCH,  /* the records do not fit the code (wrong image?) */
	PDT_FGAP_UNSYNCED,  /* records before the first SYNC */
};

/* A guest's CP0 state as a hypervisor message (exit, entry) reports it. */
struct pdt_flow_vmexit {
	uint32_t code, pc, epc, status, cause, badvaddr, entryhi, pagemask, index;
};

struct pdt_flow_item {
	bool is_insn;
	uint64_t index;      /* insn: its index; event: the next instruction's */
	uint64_t offset;     /* trace offset of the record behind it */
	struct pdt_ctx ctx;  /* the context it ran in / the event happened in */
	union {
		struct {
			uint32_t pc;
			uint32_t word;
			bool have_word;  /* the code is known */
			int exc;         /* -1, or the ExcCode it raised (did not complete) */
			bool exc_root;   /* that exception went to root */
			int block;       /* crashme block number, or -1 */
		} insn;
		struct {
			enum pdt_flow_event kind;
			union {
				struct { uint8_t code; bool root; uint32_t pc, vector; } exc;
				struct { uint32_t from, to; } eret;
				struct { uint32_t pc; } sync;
				struct { unsigned gid; struct pdt_flow_vmexit st; } guest;
				struct { unsigned from, to; uint32_t code; } sw;
				struct { unsigned gid; uint32_t from, to; } pagemask;
				struct { unsigned gid; uint32_t value, detail; } msg;
				struct { unsigned gid; uint32_t block; } block;
				struct { uint8_t chan; uint32_t value; } utm;
				struct {
					enum pdt_flow_gap why;
					uint32_t pc;      /* where the flow was lost (NO_CODE, MISMATCH) */
					uint64_t bytes;   /* trace bytes skipped (TRACE) */
					uint64_t insns;   /* instructions counted but not shown */
				} gap;
			};
		} ev;
	};
};

const char *pdt_flow_event_name(enum pdt_flow_event k);
const char *pdt_flow_gap_name(enum pdt_flow_gap g);

/* ------------------------------------------------------------ decoder */

/*
 * The longest segment (the counts and bits between two other records) the
 * decoder walks; a longer one is damage.  A core writes a SYNC at least
 * every 2^(SyP+5) <= 4096 instructions (one more for a delay slot), so
 * real segments stay under these; a corrupt ICNT of 2^60 over a loop must
 * not make the decoder emit 2^60 instructions.
 */
#define PDT_FLOW_MAX_SEG_INSNS 8192u
#define PDT_FLOW_MAX_SEG_BITS 8192u

struct pdt_flow; /* opaque; pdt_flow_new allocates it */

int pdt_flow_new(struct pdt_flow **out, const struct pdt_flow_config *cfg,
		 const uint8_t *words, uint64_t len);
void pdt_flow_free(struct pdt_flow *f);
/* The next instruction or event: 0, PDT_E_EOS at the end, or PDT_E_NOMEM
 * (the code provider found no memory: nothing was consumed, a later call
 * tries again). */
int pdt_flow_next(struct pdt_flow *f, struct pdt_flow_item *it);

/*
 * As pdt_flow_next, but the instructions of one straight piece of image
 * code come as one item, a run (as libipt's block decoder beside its
 * instruction decoder): the item is the run's first instruction, and *n
 * says how many it stands for (0: an event, or an error).  The k-th
 * (k < *n) is at pc + 4k with index + k, with the same context, offset
 * and block, its word known and no exception; pdt_flow_run_word(f, k) is
 * its word.  The same instructions as pdt_flow_next, in the same order,
 * and the same return values; several times faster where items need not
 * be looked at one by one (counting, skipping to an index).  The two may
 * be mixed on one decoder.
 */
int pdt_flow_next_run(struct pdt_flow *f, struct pdt_flow_item *it, uint32_t *n);
/* The word of the k-th instruction of the run pdt_flow_next_run returned
 * last (k < its *n); 0 is the item's own insn.word. */
uint32_t pdt_flow_run_word(const struct pdt_flow *f, uint32_t k);

/* Instructions decoded (shown) and counted so far. */
uint64_t pdt_flow_insns(const struct pdt_flow *f);

/* ------------------------------------------------------------ text */

/* What every listing of a capture prints (pdtrace/flow/text.c). */

/* The mode a context runs in: EXL or ERL make it kernel mode whatever KSU
 * says (a handler entered from user mode is kernel code). */
int pdt_flow_effective_ksu(const struct pdt_ctx *c);
/* "root", or "g1 k" / "g1 u" / "g1 s": a guest and its mode. */
void pdt_flow_context_name(const struct pdt_ctx *c, char *buf, size_t len);
/* An ExcCode's name ("TLBL"), or "excN" in buf. */
const char *pdt_exc_text(unsigned code, char *buf, size_t len);
/* A PageMask as the page size each half maps ("16K", "1M"), or hex. */
void pdt_page_size_text(uint32_t pagemask, char *buf, size_t len);
/* A hypervisor exit code word (utm.h): "HC 1", "GPSI", "timer", "TLBL". */
void pdt_exit_text(uint32_t code, char *buf, size_t len);
/* An event's words: "exception TLBL (to the guest) at 00400010 -> 80000000",
 * "preempt g1 -> g2 (timer)", "g1 PageMask 16K -> 4K (0x6000 -> 0x0)". */
void pdt_flow_event_text(const struct pdt_flow_item *it, char *buf, size_t len);
/* An instruction's place: "name+0x10", "crashme#12+0x8", or "". */
void pdt_flow_symbol(const struct pdt_flow_config *cfg, const struct pdt_flow_item *it,
		     char *buf, size_t len);

/* ------------------------------------------------------------ around a failure */

/*
 * The excerpt a bug report wants (pdtrace/flow/around.c): the failure
 * first, then the failing guest's last instructions before it.
 */
enum pdt_around {
	PDT_AROUND_PAGEMASK = 1, /* a guest's first PageMask shrink (hypervisor messages) */
	PDT_AROUND_ANOMALY,      /* a guest's first anomaly report */
	PDT_AROUND_INDEX,        /* the instruction at (or first after) an index */
};

/* Where the failure is: 0 with its item's index and guest (0: root), or
 * PDT_E_EOS if the trace has none; PDT_E_NOMEM. */
int pdt_flow_find_failure(const struct pdt_flow_config *cfg, const uint8_t *words,
			  uint64_t len, enum pdt_around what, uint64_t index, uint64_t *at,
			  int *guest);

/*
 * The window around index `at`: of the items keep() takes (NULL: all),
 * the last `before` instructions before it with the events among them,
 * then everything from it on up to `after` instructions past the first
 * one at or after it; each passed to show() in trace order.  0, or
 * PDT_E_NOMEM.
 */
int pdt_flow_window(const struct pdt_flow_config *cfg, const uint8_t *words, uint64_t len,
		    uint64_t at, uint64_t before, uint64_t after,
		    bool (*keep)(void *priv, const struct pdt_flow_item *it),
		    void (*show)(void *priv, const struct pdt_flow_item *it), void *priv);

#endif
