/*
 * The one exit-status table and the one error exit of every host CLI
 * (vzsim, mipsdis, pdtrace, vzsoak): docs/cli.md.
 *
 * Header-only so that a CLI which links no host library (mipsdis) can use
 * it too.  The program's name in messages is the name it was invoked by
 * (program_invocation_short_name), so no CLI has to register it.
 */
#ifndef UTIL_DIE_H
#define UTIL_DIE_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

/* Tool-specific statuses (vzsim's 3 and 4) sit between EXIT_BAD_INPUT and
 * EXIT_INTERNAL; each tool names its own. */
enum cli_exit {
	EXIT_CLEAN = 0,        /* success: a clean run, a clean trace */
	EXIT_FINDING = 1,      /* a finding: a flagged run, a damaged trace */
	EXIT_BAD_INPUT = 2,    /* bad usage or input (option, file, offset) */
	EXIT_INTERNAL = 70,    /* out of memory, a write error (EX_SOFTWARE) */
	EXIT_SIGNAL_BASE = 128, /* + signal number: interrupted */
};

/* "PROG: MESSAGE" on stderr; the run goes on. */
static inline __attribute__((format(printf, 1, 2))) void complain(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", program_invocation_short_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * "PROG: MESSAGE" on stderr, then the status.  stdout is flushed first (so
 * what was printed comes before the message's status), then _exit, in
 * every CLI: exit's handlers include LeakSanitizer's in the san builds,
 * which would report what a dying program still holds (a mapping, a
 * board) and turn the status into 1.  A program that has renamed its
 * outputs into place has nothing else for exit to do; temporaries still
 * open are the caller's to discard before it dies.
 */
static inline __attribute__((noreturn, format(printf, 2, 3))) void
die(int status, const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fprintf(stderr, "%s: ", program_invocation_short_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	_exit(status);
}

#endif
