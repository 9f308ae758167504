/*
 * The pdtrace CLI's shared pieces: the error exit every subcommand uses,
 * and the subcommands that live in files of their own.
 */
#ifndef PDTRACE_CLI_H
#define PDTRACE_CLI_H

#include <pdtrace/pdtrace.h>

/* Exit status for bad usage or input. */
#define EXIT_BAD 2

/* "pdtrace: MESSAGE" on stderr and exit status 2. */
__attribute__((noreturn, format(printf, 1, 2))) void cli_die(const char *fmt, ...);

/* The usage text on stdout (pdtrace --help). */
void cli_usage(void);

/* pdtrace flow (flow.c); argv[0] is "flow". */
int cmd_flow(int argc, char **argv);

#endif
