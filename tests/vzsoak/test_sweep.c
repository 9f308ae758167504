/*
 * outfile_sweep (<util/outfile.h>), which a new run uses to clear the
 * temporaries a killed run left in its folder: it removes exactly what
 * the writer's own pattern makes (NAME.tmp. and six of mkstemp's letters
 * and digits, a regular file) and nothing else.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <util/outfile.h>

static char dir[] = "/tmp/test_sweep.XXXXXX";

static void touch(const char *name)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("x\n", f);
	assert_int_equal(fclose(f), 0);
}

static bool exists(const char *name)
{
	char path[256];
	struct stat st;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return lstat(path, &st) == 0;
}

static void test_sweep(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(dir));
	/* What the writer leaves: its own temporaries, made the way it
	 * makes them. */
	char made[2][256];
	for (int i = 0; i < 2; i++) {
		snprintf(made[i], sizeof made[i], "%s/console.log.tmp.XXXXXX", dir);
		int fd = mkstemp(made[i]);
		assert_true(fd >= 0);
		close(fd);
	}
	touch("console.log.tmp.aZ09xy");
	touch("summary.txt.tmp.Q1w2E3");
	/* What it must leave alone. */
	static const char *const keep[] = {
		"console.log",              /* the committed file */
		"console.log.tmp.keep-me",  /* not mkstemp's alphabet */
		"console.log.tmp.abcde",    /* five characters */
		"console.log.tmp.abcdefg",  /* seven */
		"console.log.tmp.",         /* none */
		"xconsole.log.tmp.abcdef",  /* another name */
		"console.logx.tmp.abcdef",
		"console.log.tmpXabcdef",
		"notes.txt",
		"summary.txt.tmp.Q1w2E3",   /* another name than the one swept */
	};
	for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
		if (!exists(keep[i]))
			touch(keep[i]);
	/* A folder and a link of the pattern: not the writer's. */
	char path[256];
	snprintf(path, sizeof path, "%s/console.log.tmp.dirdir", dir);
	assert_int_equal(mkdir(path, 0777), 0);
	snprintf(path, sizeof path, "%s/console.log.tmp.link00", dir);
	assert_int_equal(symlink("notes.txt", path), 0);

	char err[256];
	assert_int_equal(outfile_sweep(dir, "console.log", err, sizeof err), 3);
	assert_false(exists(strrchr(made[0], '/') + 1));
	assert_false(exists(strrchr(made[1], '/') + 1));
	assert_false(exists("console.log.tmp.aZ09xy"));
	for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
		if (!exists(keep[i]))
			fail_msg("%s was removed", keep[i]);
	assert_true(exists("console.log.tmp.dirdir"));
	assert_true(exists("console.log.tmp.link00"));
	assert_true(exists("notes.txt")); /* the link's target too */

	/* Nothing left to sweep; then the other name. */
	assert_int_equal(outfile_sweep(dir, "console.log", err, sizeof err), 0);
	assert_int_equal(outfile_sweep(dir, "summary.txt", err, sizeof err), 1);
	assert_false(exists("summary.txt.tmp.Q1w2E3"));

	/* A folder that cannot be read: -1 and the reason. */
	assert_int_equal(outfile_sweep("/nonexistent/run", "console.log", err, sizeof err), -1);
	assert_string_equal(err, "/nonexistent/run: cannot read: No such file or directory");

	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sweep),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
