/*
 * What a Linux guest's console says about its kernel (docs/soak.md,
 * "Linux guests' consoles").  Linux reports nothing to the harness, but
 * its kernel prints a failure before it dies: a machine check, an Oops,
 * a panic, a BUG or WARNING, an RCU stall.  With `panic = -1` it then
 * resets its board at once, which the hypervisor's status alone cannot
 * tell from vzsoak's init finishing.  The watcher reads the run's
 * console.log as it grows, at each status check, and flags such a line
 * (FLAG_CONSOLE) with a title made of its fixed words, and a Linux guest
 * that stopped before its init printed that it was done.
 *
 * Which guests run Linux, the status block says (their image's name).
 * The line parser (console_watch_feed) needs no file and no board: the
 * unit tests feed it text (tests/vzsoak/test_console_watch.c).
 */
#ifndef HARNESS_CONSOLE_WATCH_H
#define HARNESS_CONSOLE_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "detect.h"
#include "view.h"

/* What vzsoak's init (linux/init.sh) prints once its work is done, just
 * before it resets the board. */
#define CONSOLE_LINUX_DONE "vzsoak-linux: done,"

/* The title of a Linux guest that stopped without that line. */
#define TITLE_LINUX_EARLY_STOP "Linux: the guest stopped before its init finished"
/* ... and of one still running when the run's duration was used up. */
#define TITLE_LINUX_UNFINISHED "Linux: the guest did not finish within the run's duration"

/* The longest line the watcher reads whole; the rest of a longer one is
 * skipped. */
#define CONSOLE_LINE_MAX 512

struct console_watch {
	bool done[STATUS_GUESTS];      /* its init printed CONSOLE_LINUX_DONE */
	char line[CONSOLE_LINE_MAX];   /* the line being read */
	size_t len;
	bool overlong;                 /* the line ran past the buffer */
	/* The console being watched, a file that grows: */
	FILE *writer;   /* this process's stream into it, flushed before a read */
	char *path;     /* or the path another process writes */
	int fd;         /* -1 until the file is open */
	off_t off;      /* read up to here */
};

/* A watcher with no file: console_watch_feed only. */
void console_watch_init(struct console_watch *w);

/* Watches the file at path, which another process appends to (a started
 * vzsim's console); it need not exist yet.  -1 when out of memory. */
int console_watch_file(struct console_watch *w, const char *path);

/* Watches the regular file this process writes through the stream writer
 * (flushed before each read).  -1 if its descriptor cannot be shared. */
int console_watch_stream(struct console_watch *w, FILE *writer);

/*
 * Reads text the console printed (any piece of it: lines may be split
 * between calls) and flags what its complete lines say, with the check v
 * as the time.  Returns how many flags it raised.
 */
unsigned console_watch_feed(struct console_watch *w, const char *text, size_t n,
			    struct detector *d, const struct soak_view *v);

/*
 * At a status check: reads what the file gained since the last poll,
 * feeds it, then flags each Linux guest (by v's image names) that has
 * stopped without its init's last line.  Returns the flags raised.
 */
unsigned console_watch_poll(struct console_watch *w, struct detector *d,
			    const struct soak_view *v);

/*
 * At the end of a run that used up its duration (insns >= duration): a
 * Linux guest still running has not finished its init's work in all that
 * time (a hang, a livelock, its clock stopped), which nothing else tells.
 * Returns the flags raised.
 */
unsigned console_watch_end(struct console_watch *w, struct detector *d,
			   const struct soak_view *v, uint64_t duration);

void console_watch_free(struct console_watch *w);

/*
 * What guest g printed before it failed, for a report: its last max_lines
 * lines in the console file at path, up to and including the first that
 * holds `upto` (NULL, or not found: up to its last), without their "gN: "
 * prefix, as one text (malloc'd).  NULL when the file cannot be read or
 * the guest printed nothing.
 */
char *console_excerpt(const char *path, unsigned g, const char *upto, unsigned max_lines);

/* The console line a console flag quotes, into buf (cut to len, which
 * still finds it: console_excerpt's upto); NULL for a flag that quotes
 * none (a guest that stopped early, or did not finish). */
const char *console_flag_line(const struct flag *fl, char *buf, size_t len);

/*
 * The title of a line of a Linux kernel's log (without its guest prefix
 * and printk time), into buf; NULL when the line tells of no failure.
 * "Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b"
 * -> "Linux: kernel panic: Attempted to kill init! exitcode=N".
 */
const char *console_linux_title(const char *line, char *buf, size_t len);

#endif
