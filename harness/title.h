/*
 * A failure's title: what went wrong, in words that stay the same from
 * one run of that failure to the next (no address, count, seed, guest or
 * instruction count), so that a soak can file every run of one failure
 * under one name, as syzkaller does its crashes.  The detectors give each
 * flag its title (detect.h, flag_title); docs/soak.md "Titles" lists them.
 *
 * title_id turns a title into the short ID that names a folder.
 */
#ifndef HARNESS_TITLE_H
#define HARNESS_TITLE_H

#include <stddef.h>

/* Failures of a run as a whole, which only whoever started it sees (the
 * run itself cannot report that it hung or crashed). */
#define TITLE_RUN_HUNG    "harness: run hung"
#define TITLE_RUN_CRASHED "harness: run crashed"

/* The longest ID, and the room it needs with its NUL. */
#define TITLE_ID_MAX  69
#define TITLE_ID_SIZE (TITLE_ID_MAX + 1)

/*
 * title's ID: its letters and digits, lowercase, each run of anything
 * else one '-', none at either end ("shrinking page: PageMask 16K -> 4K"
 * -> "shrinking-page-pagemask-16k-4k").  Longer than 60 characters, it is
 * cut at a word's end and given '-' and 8 hex digits of a hash of the
 * whole title, so two long titles that begin alike stay apart.  Only
 * [a-z0-9-], never empty ("untitled"), never more than TITLE_ID_MAX:
 * a safe file name.  buf must hold TITLE_ID_SIZE bytes.
 */
const char *title_id(const char *title, char buf[TITLE_ID_SIZE]);

#endif
