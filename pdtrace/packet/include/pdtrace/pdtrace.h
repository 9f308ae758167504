/*
 * libpdtrace: vzsoak's trace library.  This header is its packet layer:
 * trace records, the encoder that packs them into 64-bit trace words, the
 * decoder that unpacks words into records with their offsets (resyncing
 * after damage), and the trace file.  The record layout is a codec (VZT1,
 * docs/trace-format.md); nothing above this layer depends on it.
 *
 * Errors are values: negative PDT_E_* codes, named by pdt_errstr().
 */
#ifndef PDTRACE_H
#define PDTRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum pdt_error {
	PDT_OK = 0,
	PDT_E_EOS = -1,      /* end of the trace */
	PDT_E_IO = -2,       /* reading or writing a file failed (errno set) */
	PDT_E_FORMAT = -3,   /* not a trace file, or a bad header */
	PDT_E_VERSION = -4,  /* a format version or codec this build lacks */
	PDT_E_NOMEM = -5,
	PDT_E_INVAL = -6,    /* a bad argument or record */
};
const char *pdt_errstr(int err);

/* ------------------------------------------------------------ records */

enum pdt_type {
	PDT_PAD = 0,
	PDT_ICNT,      /* n instructions completed (not conditional branches) */
	PDT_BRANCH,    /* outcomes of n conditional branches */
	PDT_TARGET,    /* target of a jump-register or eret */
	PDT_EXCEPTION, /* exception or interrupt taken */
	PDT_MODE,      /* context change */
	PDT_UTM,       /* user trace message */
	PDT_MEM,       /* load or store */
	PDT_OVERFLOW,  /* trace lost */
	PDT_SYNC,      /* full PC and context: a resync point */
	PDT_GAP,       /* decoder only: damage skipped */
	PDT_NTYPES
};

/* The traced context: the mode byte of VZT1 unpacked. */
enum pdt_ksu { PDT_KERNEL = 0, PDT_SUPERVISOR = 1, PDT_USER = 2 };
struct pdt_ctx {
	uint8_t ksu;     /* enum pdt_ksu, Status.KSU of the running context */
	bool exl, erl;
	bool guest;      /* guest mode (VZ) */
	uint8_t asid;
	uint8_t guestid; /* 0 in root mode */
};

enum pdt_gap_reason {
	PDT_GAP_UNSYNCED = 1, /* no sync marker yet: searching */
	PDT_GAP_CORRUPT,      /* a reserved header or an impossible field */
	PDT_GAP_TRUNCATED,    /* the trace ends inside a record or word */
};

struct pdt_record {
	enum pdt_type type;
	uint64_t offset; /* of its first byte in the trace-word stream */
	union {
		struct { uint64_t n; } icnt;
		struct { uint8_t n, bits; } branch; /* bit i = branch i, 1 taken */
		struct { uint32_t pc; } target;
		struct { uint8_t code; bool root; uint32_t vector; } exc;
		struct pdt_ctx mode;
		struct { uint8_t chan; uint32_t value; } utm;
		struct {
			bool store, has_data;
			uint8_t size; /* 1, 2 or 4 */
			uint32_t addr, data;
		} mem;
		struct { uint32_t lost; } overflow;
		struct {
			uint32_t pc;
			struct pdt_ctx ctx;
			uint64_t index; /* of the next instruction */
		} sync;
		struct {
			enum pdt_gap_reason why;
			uint64_t skipped; /* bytes */
		} gap;
	};
};

/* The mnemonic of a Cause.ExcCode ("Int", "TLBL", ... "GE"); NULL for a
 * code with no name. */
const char *pdt_exc_name(unsigned code);

/* "ICNT", "BRANCH"...; and the gap reason as words. */
const char *pdt_type_name(enum pdt_type t);
const char *pdt_gap_name(enum pdt_gap_reason why);

/*
 * One record as one line of text (no newline) or as one JSON object.
 * Like snprintf: the length of the whole text is returned, and what fits
 * in buf (NUL-terminated when len > 0) is written.
 */
size_t pdt_record_text(const struct pdt_record *r, char *buf, size_t len);
size_t pdt_record_json(const struct pdt_record *r, char *buf, size_t len);

/* Whether two records say the same thing (their offsets aside). */
bool pdt_record_equal(const struct pdt_record *a, const struct pdt_record *b);

/* VZT1 mode byte. */
uint8_t pdt_ctx_pack(const struct pdt_ctx *c);
struct pdt_ctx pdt_ctx_unpack(uint8_t mode, uint8_t asid, uint8_t guestid);

/* ------------------------------------------------------------ encoder */

/* Receives each finished trace word. */
typedef void (*pdt_word_sink)(void *ctx, uint64_t word);

struct pdt_encoder {
	pdt_word_sink sink;
	void *sink_ctx;
	uint64_t word;     /* the word being filled */
	unsigned fill;     /* bytes in it */
	uint64_t words;    /* words written so far */
	uint64_t pend_icnt;
	uint8_t pend_bits, pend_nbits;
};

void pdt_enc_init(struct pdt_encoder *e, pdt_word_sink sink, void *ctx);
/* One record as it is (PAD, GAP, ICNT 0 and any field a decoder would take
   for damage are refused with PDT_E_INVAL, and nothing is written). */
int pdt_enc_record(struct pdt_encoder *e, const struct pdt_record *r);
/* Execution events, batched into ICNT and BRANCH records. */
void pdt_enc_insns(struct pdt_encoder *e, uint64_t n);
void pdt_enc_branch(struct pdt_encoder *e, bool taken);
/* Writes out pending ICNT/BRANCH (done before every other record). */
void pdt_enc_flush_pending(struct pdt_encoder *e);
/* Writes out pending ICNT/BRANCH, pads the current word (if it holds
   anything) and hands it to the sink. */
void pdt_enc_flush(struct pdt_encoder *e);

/* ------------------------------------------------------------ decoder */

struct pdt_decoder {
	const uint8_t *buf; /* the trace words, as bytes */
	uint64_t len;
	uint64_t pos;
	bool synced;
};

void pdt_dec_init(struct pdt_decoder *d, const uint8_t *words, uint64_t len);
/*
 * The next record: 0 and *r filled, or PDT_E_EOS at the end.  Damage and
 * the search for the first sync come out as PDT_GAP records; decoding
 * goes on at the next sync marker.  PAD bytes carry nothing and are
 * skipped, never returned.
 */
int pdt_dec_next(struct pdt_decoder *d, struct pdt_record *r);

/* ------------------------------------------------------------ files */

#define PDT_FILE_MAGIC "VZTRACE"
#define PDT_FILE_VERSION 1
#define PDT_CODEC_VZT1 1
#define PDT_FLAG_ONCHIP 1u
#define PDT_FLAG_OFFCHIP 2u
#define PDT_MAX_IMAGES 16
/* Room for any boot-arguments text (hypervisor/include/vzsoak/bootargs.h:
 * at most 4079 bytes) and its NUL. */
#define PDT_BOOTARGS_MAX 4096

struct pdt_image {
	uint64_t hash; /* FNV-1a 64 of the file */
	char path[256];
};

struct pdt_file_info {
	uint16_t version, codec, flags;
	uint32_t tracecontrol, tracecontrol2, prid, config3;
	char board[64];
	char command[512];
	/* The boot arguments the board was given ("key=value ..."): from
	 * them a reader of the capture alone knows which guest image each
	 * guest ran, crashme's seed and block size...  "" if none. */
	char bootargs[PDT_BOOTARGS_MAX];
	uint64_t seed;
	bool has_seed;
	unsigned nimages;
	struct pdt_image images[PDT_MAX_IMAGES];
	/*
	 * A window (vzsim --trace-window): the file holds only the last
	 * words of the run's trace, from a SYNC on, so that a reader can say
	 * what is missing instead of calling it damage.  window_size: the
	 * window asked for, in bytes; window_dropped: bytes of the run's
	 * trace before the file's first word; window_index: the instruction
	 * index in the window's first SYNC (PDT_WINDOW_NO_SYNC: none).
	 */
	bool has_window;
	uint64_t window_size, window_dropped, window_index;
	uint32_t header_size; /* where the words start */
};
#define PDT_WINDOW_NO_SYNC UINT64_MAX

/* FNV-1a 64 of a file's contents; 0 on error. */
uint64_t pdt_hash_file(const char *path);

/* Writes the header (fills header_size; version and codec 0 mean this
   build's). */
int pdt_file_write_header(FILE *f, struct pdt_file_info *info);

/*
 * Writing a trace file: the header, then the words, under a temporary name
 * renamed into place by pdt_file_finish only if every write succeeded (a
 * failed or abandoned capture leaves no file; "-" is stdout).  The writer
 * of the format sits here beside its reader.  Messages name the file:
 * "PATH: cannot create: REASON", "PATH: write error: REASON".
 */
struct pdt_file_writer;

/* Creates path and writes info's header (fills header_size); NULL with
 * a one-line reason in err. */
struct pdt_file_writer *pdt_file_create(const char *path, struct pdt_file_info *info,
					char *err, size_t errlen);
/* pdt_file_create in two steps, for a file whose header is known only
 * when it is written (a TCB dump at the end of a run) but which must
 * exist from the start, so that one that cannot be created is found
 * before the run: reserve creates it (NULL with a reason), begin writes
 * the header (-1 with a reason; then finish or discard it). */
struct pdt_file_writer *pdt_file_reserve(const char *path, char *err, size_t errlen);
int pdt_file_begin(struct pdt_file_writer *w, struct pdt_file_info *info, char *err,
		   size_t errlen);
/* Appends n trace words (little-endian on disk).  After a failure it
 * writes nothing more and returns -1; pdt_file_finish reports it. */
int pdt_file_write_words(struct pdt_file_writer *w, const uint64_t *words, size_t n);
/* Completes the file and frees w; -1 with a reason if any write failed
 * (the file is then not created). */
int pdt_file_finish(struct pdt_file_writer *w, char *err, size_t errlen);
/* Abandons the file (nothing is left) and frees w; NULL is fine. */
void pdt_file_discard(struct pdt_file_writer *w);
/* A reserved file's whole contents at once (a TCB dump): begin, the n
 * words, finish; discarded if the header fails.  Frees w either way. */
int pdt_file_complete(struct pdt_file_writer *w, struct pdt_file_info *info,
		      const uint64_t *words, size_t n, char *err, size_t errlen);

/*
 * Checks a header already in memory (buf holds the first len bytes of a
 * file), as pdt_file_open does: for readers of other sources than a
 * file, and for fuzzing.
 */
int pdt_file_parse_header(struct pdt_file_info *info, const uint8_t *buf, uint64_t len,
			  uint64_t *err_offset);

/*
 * An open trace file, mapped read-only: the words are read straight from
 * the mapping, so decoding a trace of any length takes the same memory.
 */
struct pdt_file {
	struct pdt_file_info info;
	const uint8_t *words; /* the trace words as bytes */
	uint64_t len;         /* their byte count (may end in a partial word) */
	void *map;
	size_t maplen;
};

/*
 * Opens and checks a trace file.  On a bad header the error is
 * PDT_E_FORMAT or PDT_E_VERSION and *err_offset says where in the file.
 */
int pdt_file_open(struct pdt_file *f, const char *path, uint64_t *err_offset);
void pdt_file_close(struct pdt_file *f);

#endif
