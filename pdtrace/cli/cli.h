/*
 * The pdtrace CLI's shared pieces: the subcommands that live in files of
 * their own and the output helpers they share (cli.c).  The exit statuses
 * and the one-line error (die) are every CLI's: <util/die.h>,
 * docs/cli.md.
 */
#ifndef PDTRACE_CLI_H
#define PDTRACE_CLI_H

#include <stdio.h>

#include <pdtrace/pdtrace.h>
#include <util/die.h>

/* The usage text on stdout (pdtrace --help). */
void cli_usage(void);

/* s as a JSON string, quoted and escaped, on out. */
void json_string(FILE *out, const char *s);

/* A window's note on stderr (nothing for a whole capture): what a reader
 * would otherwise take for damage or a late start is the window's cut. */
void window_note(const char *path, const struct pdt_file_info *h);

/* pdtrace flow (flow.c); argv[0] is "flow". */
int cmd_flow(int argc, char **argv);

#endif
