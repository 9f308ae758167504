/*
 * What Linux guests' consoles say (harness/console_watch.c): the titles of
 * the kernel's failure lines, that only Linux guests' lines count, lines
 * split between reads, one flag per guest, a guest that stops before its
 * init's last line, and the watcher reading a file as it grows.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness/console_watch.h"
#include "views.h"

/* A watcher, its detector, and a check at instruction insns of a running
 * hypervisor whose guests run the images named. */
struct fx {
	struct detector d;
	struct soak_view v;
	struct console_watch w;
};

static void begin(struct fx *f, uint64_t insns, const char *const *images, unsigned n)
{
	detect_init(&f->d, 0, 0, 0);
	view_running(&f->v, n, insns);
	for (unsigned i = 0; i < n; i++)
		snprintf(f->v.st.g[i].image, sizeof f->v.st.g[i].image, "%s", images[i]);
	console_watch_init(&f->w);
}

static const char *title(const char *line)
{
	static char buf[96];
	return console_linux_title(line, buf, sizeof buf);
}

static void test_titles(void **state)
{
	(void)state;
	assert_string_equal(title("Kernel panic - not syncing: Attempted to kill init! "
				  "exitcode=0x0000000b"),
			    "Linux: kernel panic: Attempted to kill init! exitcode=N");
	assert_string_equal(title("Kernel panic - not syncing: Caught Machine Check "
				  "exception - caused by multiple matching entries in "
				  "the TLB."),
			    "Linux: machine check: multiple matching TLB entries");
	assert_string_equal(title("Kernel panic - not syncing: Caught Machine Check "
				  "exception - not caused by multiple matching entries in "
				  "the TLB."),
			    "Linux: machine check, not a TLB multiple match");
	/* Too long: cut at a word's end. */
	assert_string_equal(title("Kernel panic - not syncing: aaaa bbbb cccc dddd eeee "
				  "ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp "
				  "qqqq rrrr"),
			    "Linux: kernel panic: aaaa bbbb cccc dddd eeee ffff gggg hhhh "
			    "iiii jjjj kkkk llll mmmm nnnn oooo");
	assert_string_equal(title("CPU 0 Unable to handle kernel paging request at "
				  "virtual address 0000001c, epc == 80123450, ra == 8012a000"),
			    "Linux: Unable to handle kernel paging request");
	assert_string_equal(title("Oops[#1]:"), "Linux: Oops");
	assert_string_equal(title("Reserved instruction in kernel code[#2]:"),
			    "Linux: Reserved instruction in kernel code");
	assert_string_equal(title("kernel BUG at mm/rmap.c:1234!"),
			    "Linux: kernel BUG at mm/rmap.c");
	assert_string_equal(title("BUG: scheduling while atomic: crashme/57/0x00000002"),
			    "Linux: BUG: scheduling while atomic");
	assert_string_equal(title("watchdog: BUG: soft lockup - CPU#0 stuck for 22s! "
				  "[crashme:61]"),
			    "Linux: BUG: soft lockup");
	assert_string_equal(title("BUG: Bad page state in process crashme  pfn:01f3a"),
			    "Linux: BUG: Bad page state");
	assert_string_equal(title("WARNING: CPU: 0 PID: 1 at kernel/fork.c:812 "
				  "__put_task_struct+0x1c/0x144"),
			    "Linux: WARNING at kernel/fork.c");
	assert_string_equal(title("rcu: INFO: rcu_sched self-detected stall on CPU"),
			    "Linux: RCU stall");
	assert_string_equal(title("Out of memory: Killed process 52 (crashme)"),
			    "Linux: out of memory");
	/* What crashme makes the kernel print all the time, and the rest. */
	assert_null(title("do_page_fault(): sending SIGSEGV to crashme for invalid "
			  "read access from 00000000"));
	assert_null(title("Run /init as init process"));
	assert_null(title("vzsoak-linux: crashme exit status 0"));
	assert_null(title("[#1]:"));
	assert_null(title("a list [#x]:"));
}

static unsigned feed(struct fx *f, const char *text)
{
	return console_watch_feed(&f->w, text, strlen(text), &f->d, &f->v);
}

static void test_linux_guests_only(void **state)
{
	(void)state;
	static const char *const images[] = {"linux", "stress", "linux"};
	struct fx f;
	begin(&f, 7000, images, 3);
	/* A stress guest printing such words is not a Linux kernel; a
	 * guest the run does not have is nobody's; hv's lines are not a
	 * guest's. */
	assert_int_equal(feed(&f, "g2: Oops[#1]:\ng4: Oops[#1]:\nhv: Oops[#1]:\n"),
			 0);
	/* A line split between reads, with its printk time. */
	assert_int_equal(feed(&f, "g3: [   12.345678] Kernel pa"), 0);
	assert_int_equal(feed(&f, "nic - not syncing: Fatal exception\r\n"), 1);
	assert_int_equal(f.d.nflags, 1);
	const struct flag *fl = &f.d.flags[0];
	assert_int_equal(fl->guest, 3);
	assert_int_equal(fl->kind, FLAG_CONSOLE);
	assert_int_equal(fl->insns, 7000);
	assert_string_equal(fl->title, "Linux: kernel panic: Fatal exception");
	assert_string_equal(fl->msg, "console: \"[   12.345678] Kernel panic - not syncing: "
				    "Fatal exception\"");
	assert_string_equal(flag_kind_name(fl->kind), "console");
	/* The line it quotes, read back: whole, or its start. */
	char line[80], start[16];
	assert_string_equal(console_flag_line(fl, line, sizeof line),
			    "[   12.345678] Kernel panic - not syncing: Fatal exception");
	assert_string_equal(console_flag_line(fl, start, sizeof start), "[   12.345678] ");
	/* One flag per guest: the first line that tells of a failure. */
	assert_int_equal(feed(&f, "g3: Oops[#1]:\n"), 0);
	assert_int_equal(feed(&f, "g1: BUG: Bad page state in process x  pfn:1\n"), 1);
	assert_string_equal(f.d.flags[1].title, "Linux: BUG: Bad page state");
	assert_int_equal(f.d.flags[1].guest, 1);
	console_watch_free(&f.w);
}

static void test_overlong_line_skipped(void **state)
{
	(void)state;
	static const char *const images[] = {"linux"};
	struct fx f;
	begin(&f, 1, images, 1);
	char *s = malloc(CONSOLE_LINE_MAX * 2 + 32);
	assert_non_null(s);
	strcpy(s, "g1: ");
	memset(s + 4, 'x', CONSOLE_LINE_MAX * 2);
	strcpy(s + 4 + CONSOLE_LINE_MAX * 2, " Oops[#1]:\n");
	assert_int_equal(feed(&f, s), 0);
	free(s);
	/* The next line is read whole again. */
	assert_int_equal(feed(&f, "g1: Oops[#1]:\n"), 1);
	console_watch_free(&f.w);
}

static void test_stopped_before_done(void **state)
{
	(void)state;
	static const char *const images[] = {"linux", "linux", "stress"};
	struct fx f;
	begin(&f, 100, images, 3);
	assert_int_equal(feed(&f, "g1: vzsoak-linux: done, 2.50 s after boot; resetting\n"), 0);
	assert_int_equal(console_watch_poll(&f.w, &f.d, &f.v), 0);
	/* Guest 1 finished; guest 2 stopped without the line; guest 3 is no
	 * Linux. */
	f.v.st.g[0].state = GSTATE_STOPPED;
	f.v.st.g[1].state = GSTATE_STOPPED;
	f.v.st.g[2].state = GSTATE_KILLED;
	f.v.insns = 200;
	assert_int_equal(console_watch_poll(&f.w, &f.d, &f.v), 1);
	assert_int_equal(f.d.nflags, 1);
	assert_int_equal(f.d.flags[0].guest, 2);
	assert_int_equal(f.d.flags[0].insns, 200);
	assert_string_equal(f.d.flags[0].title, TITLE_LINUX_EARLY_STOP);
	assert_non_null(strstr(f.d.flags[0].msg, "stopped"));
	char line[80];
	assert_null(console_flag_line(&f.d.flags[0], line, sizeof line));
	assert_int_equal(console_watch_poll(&f.w, &f.d, &f.v), 0);
	console_watch_free(&f.w);
}

static void test_reads_the_file_as_it_grows(void **state)
{
	(void)state;
	static const char *const images[] = {"linux"};
	struct fx f;
	begin(&f, 1, images, 1);
	FILE *out = tmpfile();
	assert_non_null(out);
	assert_int_equal(console_watch_stream(&f.w, out), 0);
	assert_int_equal(console_watch_poll(&f.w, &f.d, &f.v), 0);
	fputs("g1: [    1.0] Run /init as init process\ng1: [    2.0] Oo", out);
	assert_int_equal(console_watch_poll(&f.w, &f.d, &f.v), 0);
	fputs("ps[#1]:\n", out);
	f.v.insns = 2;
	assert_int_equal(console_watch_poll(&f.w, &f.d, &f.v), 1);
	assert_int_equal(f.d.flags[0].insns, 2);
	assert_string_equal(f.d.flags[0].title, "Linux: Oops");
	console_watch_free(&f.w);
	fclose(out);

	/* By path: a file another process writes, not there at first. */
	char path[] = "/tmp/vzsoak-console-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	remove(path);
	detect_init(&f.d, 0, 0, 0);
	console_watch_init(&f.w);
	assert_int_equal(console_watch_file(&f.w, path), 0);
	assert_int_equal(console_watch_poll(&f.w, &f.d, &f.v), 0);
	out = fopen(path, "w");
	assert_non_null(out);
	fputs("g1: rcu: INFO: rcu_sched self-detected stall on CPU\n", out);
	fclose(out);
	assert_int_equal(console_watch_poll(&f.w, &f.d, &f.v), 1);
	assert_string_equal(f.d.flags[0].title, "Linux: RCU stall");
	console_watch_free(&f.w);
	remove(path);
}

/* The end of a run that used up its duration: a Linux guest still running
 * never finished; before the duration (a replay stopping at a flag), or a
 * guest that is no Linux, nothing. */
static void test_unfinished_at_the_end(void **state)
{
	(void)state;
	static const char *const images[] = {"linux", "linux", "stress"};
	struct fx f;
	begin(&f, 1000, images, 3);
	f.v.st.g[1].state = GSTATE_STOPPED;
	assert_int_equal(feed(&f, "g2: vzsoak-linux: done, 1.00 s after boot; resetting\n"), 0);
	assert_int_equal(console_watch_end(&f.w, &f.d, &f.v, 2000), 0);
	f.v.insns = 2000;
	assert_int_equal(console_watch_end(&f.w, &f.d, &f.v, 2000), 1);
	assert_int_equal(f.d.nflags, 1);
	assert_int_equal(f.d.flags[0].guest, 1);
	assert_string_equal(f.d.flags[0].title, TITLE_LINUX_UNFINISHED);
	assert_non_null(strstr(f.d.flags[0].msg, "still running after 2000 instructions"));
	console_watch_free(&f.w);
}

/* A report's excerpt: one guest's lines, prefix gone, up to the flagged
 * one, at most the last N; all of them when the line is not there. */
static void test_excerpt(void **state)
{
	(void)state;
	char path[] = "/tmp/vzsoak-excerpt-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *out = fdopen(fd, "w");
	assert_non_null(out);
	fputs("hv: g1: Linux, entry 81130000\ng1: one\ng2: other\ng1: two\ng10: not g1\n"
	      "g1: three\ng1: Kernel panic - not syncing: x\ng1: after\n", out);
	fclose(out);
	char *s = console_excerpt(path, 1, "Kernel panic", 3);
	assert_string_equal(s, "two\nthree\nKernel panic - not syncing: x\n");
	free(s);
	s = console_excerpt(path, 1, "Kernel panic", 10);
	assert_string_equal(s, "one\ntwo\nthree\nKernel panic - not syncing: x\n");
	free(s);
	s = console_excerpt(path, 1, NULL, 2);
	assert_string_equal(s, "Kernel panic - not syncing: x\nafter\n");
	free(s);
	s = console_excerpt(path, 1, "not printed", 2);
	assert_string_equal(s, "Kernel panic - not syncing: x\nafter\n");
	free(s);
	assert_null(console_excerpt(path, 3, NULL, 5)); /* printed nothing */
	assert_null(console_excerpt("/nonexistent/console.log", 1, NULL, 5));
	remove(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_titles),
		cmocka_unit_test(test_linux_guests_only),
		cmocka_unit_test(test_overlong_line_skipped),
		cmocka_unit_test(test_stopped_before_done),
		cmocka_unit_test(test_reads_the_file_as_it_grows),
		cmocka_unit_test(test_excerpt),
		cmocka_unit_test(test_unfinished_at_the_end),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
