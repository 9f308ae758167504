/*
 * What a Linux guest's console says about its kernel (console_watch.h).
 *
 * The lines are the hypervisor's: each guest's output is prefixed "gN: "
 * line by line, so a line is one guest's.  A Linux kernel's log line may
 * start with its printk time, "[    1.234567] ", which the message keeps
 * (the guest's own time of the failure) and the title drops.
 */
#include "console_watch.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vzsoak/console.h>
#include <vzsoak/linux_files.h>

void console_watch_init(struct console_watch *w)
{
	memset(w, 0, sizeof *w);
	w->fd = -1;
}

int console_watch_file(struct console_watch *w, const char *path)
{
	w->path = strdup(path);
	return w->path ? 0 : -1;
}

int console_watch_stream(struct console_watch *w, FILE *writer)
{
	int fd = fileno(writer);
	w->fd = fd < 0 ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, 0);
	w->writer = writer;
	return w->fd < 0 ? -1 : 0;
}

void console_watch_free(struct console_watch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	free(w->path);
	console_watch_init(w);
}

/* ------------------------------------------------------------ titles */

/* Whether s[i] begins a number: a run of hex digits holding a decimal
 * one, or 0x and hex digits, that is a word of its own (an address, a
 * count, a PID, a CPU number), and the length of that run. */
static size_t number_at(const char *s, size_t i)
{
	if (i > 0 && isalnum((unsigned char)s[i - 1]))
		return 0;
	size_t j = i;
	if (s[j] == '0' && (s[j + 1] == 'x' || s[j + 1] == 'X') &&
	    isxdigit((unsigned char)s[j + 2]))
		j += 2;
	bool digit = j > i;
	while (isxdigit((unsigned char)s[j])) {
		digit |= isdigit((unsigned char)s[j]) != 0;
		j++;
	}
	if (!digit || isalnum((unsigned char)s[j]))
		return 0;
	return j - i;
}

/* "Linux: " + prefix + text[0, n) with every number N and the trailing
 * punctuation and spaces dropped. */
static const char *title_of(char *buf, size_t len, const char *prefix, const char *text,
			    size_t n)
{
	size_t k = (size_t)snprintf(buf, len, "Linux: %s", prefix);
	if (k >= len)
		k = len - 1;
	size_t i = 0;
	while (i < n && text[i] && k + 1 < len) {
		size_t num = number_at(text, i);
		if (num) {
			buf[k++] = 'N';
			i += num;
		} else {
			buf[k++] = text[i++];
		}
	}
	/* Cut short: at the end of a whole word. */
	if (i < n && text[i] && text[i] != ' ') {
		while (k > 0 && buf[k - 1] != ' ')
			k--;
	}
	while (k > 0 && (buf[k - 1] == ' ' || buf[k - 1] == '.' || buf[k - 1] == ',' ||
			 buf[k - 1] == ':' || buf[k - 1] == '!'))
		k--;
	buf[k] = '\0';
	return buf;
}

/* The length of s up to the first of the stops, or all of it. */
static size_t cut(const char *s, const char *const *stops)
{
	size_t n = strlen(s);
	for (; *stops; stops++) {
		const char *p = strstr(s, *stops);
		if (p && (size_t)(p - s) < n)
			n = (size_t)(p - s);
	}
	return n;
}

const char *console_linux_title(const char *line, char *buf, size_t len)
{
	const char *p;
	/* do_mcheck()'s panic: on these cores, two TLB entries that match one
	 * address, which is what a TLB race between guests can leave. */
	if (strstr(line, "Caught Machine Check exception"))
		return title_of(buf, len, strstr(line, "not caused by multiple matching")
						? "machine check, not a TLB multiple match"
						: "machine check: multiple matching TLB entries",
				"", 0);
	/* panic(): what it says is the failure. */
	if ((p = strstr(line, "Kernel panic - not syncing: ")))
		return title_of(buf, len, "kernel panic: ", p + 28, strlen(p + 28));
	/* The page-fault handler's last word before die("Oops"). */
	if ((p = strstr(line, "Unable to handle kernel "))) {
		static const char *const stops[] = {" at ", ",", NULL};
		return title_of(buf, len, "", p, cut(p, stops));
	}
	/* BUG(): "kernel BUG at mm/file.c:123!". */
	if ((p = strstr(line, "kernel BUG at "))) {
		static const char *const stops[] = {":", "!", NULL};
		return title_of(buf, len, "", p, cut(p, stops));
	}
	/* "BUG: scheduling while atomic: ...", "watchdog: BUG: soft lockup -
	 * CPU#0 stuck for 22s!", "BUG: Bad page state in process ...". */
	if ((p = strstr(line, "BUG: "))) {
		static const char *const stops[] = {":", " - ", " in process", " at ", NULL};
		return title_of(buf, len, "BUG: ", p + 5, cut(p + 5, stops));
	}
	/* WARN(): "WARNING: CPU: 0 PID: 1 at kernel/fork.c:123 func+0x0/0x4". */
	if ((p = strstr(line, "WARNING: ")) && (p = strstr(p, " at "))) {
		static const char *const stops[] = {":", " ", NULL};
		return title_of(buf, len, "WARNING at ", p + 4, cut(p + 4, stops));
	}
	if (strstr(line, "rcu: INFO: ") && strstr(line, "stall"))
		return title_of(buf, len, "RCU stall", "", 0);
	if (strstr(line, "Out of memory"))
		return title_of(buf, len, "out of memory", "", 0);
	/* die(): "Oops[#1]:", "Reserved instruction in kernel code[#1]:",
	 * "Unhandled kernel unaligned access[#1]:", "Kernel bug detected[#1]:". */
	size_t n = strlen(line);
	if (n > 5 && strcmp(line + n - 2, "]:") == 0 && (p = strstr(line, "[#")) &&
	    p > line) {
		const char *q = p + 2;
		while (isdigit((unsigned char)*q))
			q++;
		if (q > p + 2 && strcmp(q, "]:") == 0)
			return title_of(buf, len, "", line, (size_t)(p - line));
	}
	return NULL;
}

/* ------------------------------------------------------------ lines */

/* The guest whose line s is (CONSOLE_GUEST_PREFIX), and the prefix's
 * length; 0 for a line of no guest's. */
static unsigned guest_of(const char *s, size_t *plen)
{
	for (unsigned g = 1; g <= STATUS_GUESTS; g++) {
		char prefix[16];
		int n = snprintf(prefix, sizeof prefix, CONSOLE_GUEST_PREFIX, g);
		if (n > 0 && strncmp(s, prefix, (size_t)n) == 0) {
			*plen = (size_t)n;
			return g;
		}
	}
	return 0;
}

/* How a console flag's message quotes its line (line_done writes it,
 * console_flag_line reads it back). */
#define QUOTE_OPEN "console: \""

const char *console_flag_line(const struct flag *fl, char *buf, size_t len)
{
	size_t n = strlen(QUOTE_OPEN);
	if (fl->kind != FLAG_CONSOLE || strncmp(fl->msg, QUOTE_OPEN, n) != 0)
		return NULL;
	snprintf(buf, len, "%s", fl->msg + n);
	/* The closing quote, when the whole line fit. */
	size_t k = strlen(buf);
	if (k && buf[k - 1] == '"')
		buf[k - 1] = '\0';
	return buf;
}

/* One complete line: a failure in a Linux guest's kernel log, or its
 * init's last line. */
static unsigned line_done(struct console_watch *w, struct detector *d,
			  const struct soak_view *v)
{
	const char *s = w->line;
	size_t plen;
	unsigned g = guest_of(s, &plen);
	if (g < 1 || g > view_guests(v) || strcmp(v->st.g[g - 1].image, LINUX_IMAGE_NAME) != 0)
		return 0;
	s += plen;
	if (strncmp(s, CONSOLE_LINUX_DONE, strlen(CONSOLE_LINUX_DONE)) == 0) {
		w->done[g - 1] = true;
		return 0;
	}
	/* The printk time: the message keeps it, the title does not. */
	const char *text = s;
	if (text[0] == '[') {
		const char *e = strchr(text, ']');
		if (e && e[1] == ' ')
			text = e + 2;
	}
	char title[sizeof d->flags[0].title];
	if (!console_linux_title(text, title, sizeof title))
		return 0;
	char msg[sizeof d->flags[0].msg];
	snprintf(msg, sizeof msg, QUOTE_OPEN "%.200s\"", s);
	return detect_add(d, g, FLAG_CONSOLE, v->insns, v->sim_ns, v->wall, title, msg);
}

unsigned console_watch_feed(struct console_watch *w, const char *text, size_t n,
			    struct detector *d, const struct soak_view *v)
{
	unsigned raised = 0;
	for (size_t i = 0; i < n; i++) {
		char c = text[i];
		if (c == '\n') {
			w->line[w->len] = '\0';
			if (w->len && w->line[w->len - 1] == '\r')
				w->line[--w->len] = '\0';
			if (!w->overlong)
				raised += line_done(w, d, v);
			w->len = 0;
			w->overlong = false;
		} else if (w->len + 1 < sizeof w->line) {
			w->line[w->len++] = c;
		} else {
			w->overlong = true;
		}
	}
	return raised;
}

/* Feeds what the file gained since the last read. */
static unsigned read_more(struct console_watch *w, struct detector *d,
			  const struct soak_view *v)
{
	if (w->writer)
		fflush(w->writer);
	if (w->fd < 0 && w->path)
		w->fd = open(w->path, O_RDONLY | O_CLOEXEC);
	if (w->fd < 0)
		return 0; /* no file, or not there yet: nothing printed */
	unsigned raised = 0;
	char buf[8192];
	for (;;) {
		ssize_t got = pread(w->fd, buf, sizeof buf, w->off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		w->off += got;
		raised += console_watch_feed(w, buf, (size_t)got, d, v);
	}
	return raised;
}

unsigned console_watch_poll(struct console_watch *w, struct detector *d,
			    const struct soak_view *v)
{
	unsigned raised = read_more(w, d, v);
	for (unsigned i = 0; i < view_guests(v); i++) {
		const struct status_guest *g = &v->st.g[i];
		if (strcmp(g->image, LINUX_IMAGE_NAME) != 0 || g->state == GSTATE_RUNNING ||
		    g->state == GSTATE_ABSENT || w->done[i])
			continue;
		char msg[sizeof d->flags[0].msg];
		snprintf(msg, sizeof msg, "the guest was %s and its console has no \"%s\" "
			 "line: its kernel rebooted or stopped early, or its last lines never reached "
			 "the console (see console.log)",
			 g->state == GSTATE_KILLED ? "killed by the hypervisor" : "stopped",
			 CONSOLE_LINUX_DONE);
		raised += detect_add(d, i + 1, FLAG_CONSOLE, v->insns, v->sim_ns, v->wall,
				     TITLE_LINUX_EARLY_STOP, msg);
	}
	return raised;
}

/* ------------------------------------------------------------ excerpts */

char *console_excerpt(const char *path, unsigned g, const char *upto, unsigned max_lines)
{
	FILE *f = fopen(path, "r");
	if (!f || !max_lines) {
		if (f)
			fclose(f);
		return NULL;
	}
	char prefix[8];
	snprintf(prefix, sizeof prefix, CONSOLE_GUEST_PREFIX, g);
	size_t plen = strlen(prefix);
	char **ring = calloc(max_lines, sizeof *ring);
	size_t n = 0; /* lines kept so far, the newest at (n - 1) % max_lines */
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	while (ring && (got = getline(&line, &cap, f)) >= 0) {
		if (strncmp(line, prefix, plen) != 0)
			continue;
		char **slot = &ring[n % max_lines];
		free(*slot);
		*slot = strdup(line + plen);
		n++;
		if (!*slot || (upto && strstr(line + plen, upto)))
			break;
	}
	free(line);
	fclose(f);
	if (!ring)
		return NULL;
	size_t first = n > max_lines ? n - max_lines : 0, len = 0;
	for (size_t i = first; i < n; i++)
		len += ring[i % max_lines] ? strlen(ring[i % max_lines]) + 1 : 0;
	char *text = n ? malloc(len + 1) : NULL;
	if (text) {
		size_t at = 0;
		for (size_t i = first; i < n; i++) {
			const char *s = ring[i % max_lines];
			if (!s)
				continue;
			size_t k = strlen(s);
			memcpy(text + at, s, k);
			at += k;
			if (!k || s[k - 1] != '\n')
				text[at++] = '\n';
		}
		text[at] = '\0';
	}
	for (size_t i = 0; i < max_lines; i++)
		free(ring[i]);
	free(ring);
	return text;
}

unsigned console_watch_end(struct console_watch *w, struct detector *d,
			   const struct soak_view *v, uint64_t duration)
{
	unsigned raised = console_watch_poll(w, d, v);
	if (v->insns < duration)
		return raised;
	for (unsigned i = 0; i < view_guests(v); i++) {
		const struct status_guest *g = &v->st.g[i];
		if (strcmp(g->image, LINUX_IMAGE_NAME) != 0 || g->state != GSTATE_RUNNING)
			continue;
		char msg[sizeof d->flags[0].msg];
		snprintf(msg, sizeof msg, "still running after %" PRIu64 " instructions, the "
			 "run's duration: its init never printed \"%s\" (a hang, a livelock, its "
			 "clock stopped; or the duration is too short for it)", v->insns,
			 CONSOLE_LINUX_DONE);
		raised += detect_add(d, i + 1, FLAG_CONSOLE, v->insns, v->sim_ns, v->wall,
				     TITLE_LINUX_UNFINISHED, msg);
	}
	return raised;
}
