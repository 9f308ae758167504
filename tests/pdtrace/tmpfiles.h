/*
 * Files for the libpdtrace tests: a private directory made by the group
 * setup, files written into it by put_file(), all removed by the group
 * teardown.  One copy per test program (static state).
 */
#ifndef VZSOAK_PDT_TMPFILES_H
#define VZSOAK_PDT_TMPFILES_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

static char tmpdir[] = "/tmp/pdt-test-XXXXXX";
static unsigned ntmp;

static int tmpfiles_setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int tmpfiles_teardown(void **state)
{
	(void)state;
	char path[64];
	for (unsigned i = 0; i < ntmp; i++) {
		snprintf(path, sizeof path, "%s/%u", tmpdir, i);
		unlink(path);
	}
	return rmdir(tmpdir);
}

/* A new file in the test's directory holding len bytes; its path. */
static const char *put_file(const void *bytes, size_t len)
{
	static char path[64];
	snprintf(path, sizeof path, "%s/%u", tmpdir, ntmp++);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

#endif
