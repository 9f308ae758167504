/*
 * vzsoak: soak tests of MIPS VZ hypervisors (docs/soak.md).
 *
 *   vzsoak COMMAND [options]
 *
 * One table of commands; each lives in a file of its own (run.c for
 * `vzsoak run`), and `soak`, `merge` and `report` in theirs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct command {
	const char *name;
	int (*run)(const char *prog, int argc, char **argv);
	const char *help;
} commands[] = {
	{"run", cmd_run, "run one soak scenario on the simulated board"},
	{"soak", cmd_soak, "run scenarios over many seeds, a process each; "
			   "journal, crash folders, index"},
	{"merge", cmd_merge, "merge the folders of a soak's shards into one"},
	{"report", cmd_report, "the bug report of a run or crash folder: the story, "
			       "findings, registers, TLB"},
};

static void usage(FILE *f)
{
	fputs("usage: vzsoak COMMAND [options]\n"
	      "Soak tests of MIPS VZ hypervisors: several guests sharing one "
	      "GuestID-tagged\nTLB, crashme in every guest, detectors for TLB-state "
	      "anomalies and lockups.\n\ncommands:\n", f);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
	fputs("\n`vzsoak COMMAND --help` describes a command.  Details: "
	      "docs/soak.md\n", f);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		die(EXIT_BAD_INPUT, "no command (try vzsoak --help)");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_CLEAN;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argv[0], argc - 1, argv + 1);
	die(EXIT_BAD_INPUT, "unknown command '%s' (try vzsoak --help)", argv[1]);
}
