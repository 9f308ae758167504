/*
 * gnuplot, run for one plot (plot.h): spawned without a shell (its
 * arguments are our own names, never text from the run), in the report's
 * folder, stdin from /dev/null; its stdout is the PNG, copied into place
 * through util's outfile so a failed or killed plot leaves no half-written
 * image; its stderr is kept to say why it failed in one line.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <util/outfile.h>

#include "plot.h"

extern char **environ;

/* A plot takes well under a second; a gnuplot that hangs must not hang
 * the report. */
#define GNUPLOT_TIMEOUT_MS 60000

static const unsigned char png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

/* The last non-empty line of what gnuplot said on stderr. */
struct last_line {
	char done[256];  /* the last complete line */
	char cur[256];   /* the line being read */
	size_t n;
};

static void last_line_add(struct last_line *l, const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '\n' || p[i] == '\r') {
			if (l->n) {
				l->cur[l->n] = 0;
				memcpy(l->done, l->cur, l->n + 1);
			}
			l->n = 0;
		} else if (l->n + 1 < sizeof l->cur) {
			/* No control characters in a one-line reason. */
			l->cur[l->n++] = (unsigned char)p[i] < ' ' ? ' ' : p[i];
		}
	}
}

static const char *last_line_get(struct last_line *l)
{
	last_line_add(l, "\n", 1);
	return l->done;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Copies the child's stdout into o and its stderr into l until both
 * close (it closes both); -1 on a timeout or a poll error. */
static int pump(int out_fd, int err_fd, struct outfile *o, struct last_line *l, bool *png_ok)
{
	struct pollfd pfd[2] = {{.fd = out_fd, .events = POLLIN}, {.fd = err_fd, .events = POLLIN}};
	long long deadline = now_ms() + GNUPLOT_TIMEOUT_MS;
	size_t got = 0;
	unsigned char head[sizeof png_signature];
	while (pfd[0].fd >= 0 || pfd[1].fd >= 0) {
		long long left = deadline - now_ms();
		if (left <= 0)
			break;
		int n = poll(pfd, 2, (int)left);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			if (pfd[i].fd < 0 || !pfd[i].revents)
				continue;
			char buf[65536];
			ssize_t r = read(pfd[i].fd, buf, sizeof buf);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
				continue;
			}
			if (i == 1) {
				last_line_add(l, buf, (size_t)r);
				continue;
			}
			for (ssize_t k = 0; k < r && got < sizeof head; k++)
				head[got++] = (unsigned char)buf[k];
			outfile_write(o, buf, 1, (size_t)r);
		}
	}
	bool still_open = pfd[0].fd >= 0 || pfd[1].fd >= 0;
	for (int i = 0; i < 2; i++)
		if (pfd[i].fd >= 0)
			close(pfd[i].fd);
	if (still_open)
		return -1;
	*png_ok = got == sizeof head && !memcmp(head, png_signature, sizeof head);
	return 0;
}

int plot_run_gnuplot(const char *dir, const char *script, const char *png, char *why,
		     size_t whylen)
{
	struct outfile o;
	char err[512];
	if (outfile_open(&o, png, err, sizeof err) != 0) {
		snprintf(why, whylen, "%s", err);
		return -1;
	}
	int out[2], errp[2];
	if (pipe2(out, O_CLOEXEC) != 0) {
		snprintf(why, whylen, "pipe: %s", strerror(errno));
		outfile_discard(&o);
		return -1;
	}
	if (pipe2(errp, O_CLOEXEC) != 0) {
		snprintf(why, whylen, "pipe: %s", strerror(errno));
		close(out[0]);
		close(out[1]);
		outfile_discard(&o);
		return -1;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, errp[1], 2);
	posix_spawn_file_actions_addchdir_np(&fa, dir);
	char *argv[] = {"gnuplot", (char *)script, NULL};
	pid_t pid;
	int rc = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(out[1]);
	close(errp[1]);
	if (rc != 0) {
		close(out[0]);
		close(errp[0]);
		outfile_discard(&o);
		if (rc == ENOENT)
			snprintf(why, whylen, "gnuplot is not installed (Debian's gnuplot-nox: "
				 "make deps)");
		else
			snprintf(why, whylen, "cannot run gnuplot: %s", strerror(rc));
		return -1;
	}
	struct last_line said = {0};
	bool png_ok = false;
	bool timed_out = pump(out[0], errp[0], &o, &said, &png_ok) != 0;
	if (timed_out)
		kill(pid, SIGKILL);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	const char *line = last_line_get(&said);
	if (timed_out) {
		snprintf(why, whylen, "gnuplot ran over %d s and was killed", GNUPLOT_TIMEOUT_MS / 1000);
	} else if (WIFSIGNALED(st)) {
		snprintf(why, whylen, "gnuplot died of signal %d%s%s", WTERMSIG(st),
			 *line ? ": " : "", line);
	} else if (WEXITSTATUS(st) != 0) {
		snprintf(why, whylen, "gnuplot failed (exit status %d)%s%s", WEXITSTATUS(st),
			 *line ? ": " : "", line);
	} else if (!png_ok) {
		snprintf(why, whylen, "gnuplot wrote no PNG%s%s", *line ? ": " : "", line);
	} else if (outfile_commit(&o, err, sizeof err) != 0) {
		snprintf(why, whylen, "%s", err);
		return -1;
	} else {
		return 0;
	}
	outfile_discard(&o);
	return -1;
}
