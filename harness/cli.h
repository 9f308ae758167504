/*
 * What vzsoak's commands share.  The exit statuses and the one-line error
 * (die) are every CLI's: <util/die.h>, docs/cli.md.
 */
#ifndef HARNESS_CLI_H
#define HARNESS_CLI_H

#include <stdio.h>

#include <util/die.h>

/* The commands: prog is how vzsoak was invoked (for the reproduce
 * command), argv[0] the command's name. */
int cmd_run(const char *prog, int argc, char **argv);
int cmd_soak(const char *prog, int argc, char **argv);
int cmd_merge(const char *prog, int argc, char **argv);
int cmd_report(const char *prog, int argc, char **argv);

/* Appends " s" to the command line f is building, quoted for the shell
 * if it needs to be (run.c): the reproduce lines and repro.sh. */
void shell_word(FILE *f, const char *s);

/* SIGINT, SIGTERM and SIGHUP to on (a run or soak ends cleanly on any of
 * them: a closed terminal must not lose a night's results), SIGPIPE
 * ignored (a closed stdout is an EPIPE the caller reports) (run.c). */
void catch_stop_signals(void (*on)(int));

/* A whole small file as one string (farm.c); NULL if it cannot be read. */
char *slurp(const char *path);

#endif
