/*
 * What vzsoak's commands share: the exit statuses and the one-line error.
 */
#ifndef HARNESS_CLI_H
#define HARNESS_CLI_H

enum vzsoak_exit {
	EXIT_CLEAN = 0,       /* nothing flagged */
	EXIT_FLAGGED = 1,     /* something was flagged (or could not be judged) */
	EXIT_BAD_INPUT = 2,   /* bad option, scenario, image or output folder */
	EXIT_SIGNAL_BASE = 128, /* + signal number: interrupted */
};

/* "vzsoak: MESSAGE" on stderr, then exit(status). */
void cli_die(int status, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));

/* The commands: prog is how vzsoak was invoked (for the reproduce
 * command), argv[0] the command's name. */
int cmd_run(const char *prog, int argc, char **argv);

#endif
