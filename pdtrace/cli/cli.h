/*
 * The pdtrace CLI's shared pieces: the subcommands that live in files of
 * their own and the output helpers they share (cli.c).  The exit statuses
 * and the one-line error (die) are every CLI's: <util/die.h>,
 * docs/cli.md.
 */
#ifndef PDTRACE_CLI_H
#define PDTRACE_CLI_H

#include <stdio.h>

#include <stdbool.h>
#include <stdint.h>

#include <pdtrace/flow.h>
#include <pdtrace/pdtrace.h>
#include <util/die.h>
#include <util/json.h>

/* The usage text on stdout (pdtrace --help). */
void cli_usage(void);

/* A window's note on stderr (nothing for a whole capture): what a reader
 * would otherwise take for damage or a late start is the window's cut. */
void window_note(const char *path, const struct pdt_file_info *h);

/* ------------------------------------------------------------ captures */

/* How a capture's code is found (capture.c): options over its header. */
struct capture_opts {
	struct pdt_code_opts code;
	bool per_insn; /* --per-insn: pdt_flow_config.per_insn */
};
/* --image CTX=ELF and --crashme SEED,WORDS; a bad value exits 2. */
void capture_image_opt(struct capture_opts *o, const char *value);
/* --memory gN=ELF: a snapshot of a guest's memory over its image. */
void capture_memory_opt(struct capture_opts *o, const char *value);
void capture_crashme_opt(struct capture_opts *o, const char *value);

/* A trace file and the code it is decoded with. */
struct capture {
	const char *path;
	struct pdt_file f;
	struct pdt_capture_code code;
	struct pdt_flow_config cfg; /* code.cfg */
};
/* The trace file alone: a bad one exits 2 naming it (and the offset of a
 * bad header field). */
void capture_file_open(struct pdt_file *f, const char *path);
/* Opens path (a bad file: exit 2 naming it and the offset), notes a
 * window's cut on stderr, loads its code. */
void capture_open(struct capture *c, const char *path, const struct capture_opts *o);
void capture_close(struct capture *c);
/* A walk of path stopped with rc: out of memory is ours (70), anything
 * else the trace's (2). */
__attribute__((noreturn)) void capture_failed(const char *path, int rc);

/* The options of every subcommand that walks a capture (flow, detect,
 * diff): their getopt_long codes (a command's own start at CLI_O_OWN) and
 * long options, and their handling. */
enum { CLI_O_JSON = 1, CLI_O_IMAGE, CLI_O_MEMORY, CLI_O_CRASHME, CLI_O_PER_INSN, CLI_O_OWN };
#define CLI_COMMON_LONGOPTS                                                     \
	{ "help", no_argument, NULL, 'h' }, { "json", no_argument, NULL, CLI_O_JSON }, \
	{ "image", required_argument, NULL, CLI_O_IMAGE },                           \
	{ "memory", required_argument, NULL, CLI_O_MEMORY },                         \
	{ "crashme", required_argument, NULL, CLI_O_CRASHME },                       \
	{ "per-insn", no_argument, NULL, CLI_O_PER_INSN }
/* Handles c if it is one of those (--help prints the usage and exits 0):
 * true if it was. */
bool cli_common_opt(int c, const char *value, struct capture_opts *cap, bool *json);

/* A subcommand's getopt error (c is getopt_long's ':' or '?', arg the
 * word it stopped at): one line naming the option, exit 2. */
__attribute__((noreturn)) void cli_option_error(const char *cmd, int c, const char *arg);
/* The trace operands of cmd: argv[first..argc-1] must be exactly n files
 * (exit 2 otherwise); they go to out[0..n-1]. */
void cli_traces(const char *cmd, int argc, char **argv, int first, const char **out, int n);

/* pdtrace flow (flow.c); argv[0] is "flow". */
int cmd_flow(int argc, char **argv);
/* pdtrace detect (detect.c); argv[0] is "detect". */
int cmd_detect(int argc, char **argv);
/* pdtrace diff (diff.c); argv[0] is "diff". */
int cmd_diff(int argc, char **argv);

#endif
