/*
 * Running OpenOCD (ocd.h): the child process, its Tcl port, its death and
 * its stop.  Every wait is bounded: the start by how->timeout_ms, each
 * command by its deadline (rpc.c), the stop by STOP_*_MS per step.
 */
#include "ocd.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"
#include "rpc.h"

/* How long each step of a stop may take: `shutdown`'s reply, the exit
 * after it, the exit after SIGTERM.  SIGKILL's needs no bound. */
#define STOP_REPLY_MS 2000
#define STOP_EXIT_MS 3000
#define STOP_TERM_MS 2000
/* A closed connection means OpenOCD is dying: how long its exit may take
 * to be seen. */
#define DEATH_GRACE_MS 1000
/* Between two tries of the Tcl port while OpenOCD starts. */
#define RETRY_MS 50
/* The first command's deadline, once the port answers. */
#define HANDSHAKE_MS 2000
/* One try of the Tcl port (a local connect answers at once or never). */
#define TRY_MS 200

struct ocd {
	struct rpc *rpc;
	pid_t pid;          /* 0: joined */
	bool reaped;        /* the child has been waited for */
	int status;         /* its wait status, once reaped */
	unsigned port;
	char *log;          /* the child's log, for its last line */
};

pid_t ocd_pid(const struct ocd *o)
{
	return o->pid;
}

unsigned ocd_tcl_port(const struct ocd *o)
{
	return o->port;
}

const char *ocd_peer(const struct ocd *o)
{
	return rpc_peer(o->rpc);
}

unsigned ocd_free_port(char *err, size_t errlen)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof a;
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &al) < 0) {
		snprintf(err, errlen, "cannot find a free TCP port on 127.0.0.1: %s",
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return 0;
	}
	close(fd);
	return ntohs(a.sin_port);
}

/*
 * OpenOCD's last error in its log (the last line with "Error:" in its last
 * 4 KiB), or "": what it said when it gave up.  Not simply the last line:
 * after a Tcl error come "in procedure"/"at file" lines, and the results
 * of RPC commands are logged too.
 */
static void log_last_error(const struct ocd *o, char *out, size_t outlen)
{
	out[0] = '\0';
	if (!o->log)
		return;
	int fd = open(o->log, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	char buf[4096];
	off_t end = lseek(fd, 0, SEEK_END);
	off_t from = end > (off_t)sizeof buf - 1 ? end - (off_t)sizeof buf + 1 : 0;
	ssize_t n = pread(fd, buf, sizeof buf - 1, from);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	const char *found = NULL;
	size_t flen = 0;
	for (const char *line = buf; *line;) {
		size_t l = strcspn(line, "\r\n");
		const char *e = strstr(line, "Error:");
		if (e && e < line + l) {
			found = line;
			flen = l;
		}
		line += l;
		line += strspn(line, "\r\n");
	}
	/* Cut to fit: the message stays one line of reasonable length. */
	if (flen >= outlen)
		flen = outlen - 1;
	if (found)
		memcpy(out, found, flen);
	out[flen] = '\0';
}

/* ": OPENOCD'S LAST ERROR" or "", for the end of a message. */
static void log_tail(const struct ocd *o, char *out, size_t outlen)
{
	char line[256];
	log_last_error(o, line, sizeof line);
	snprintf(out, outlen, "%s%s", line[0] ? ": " : "", line);
}

/* How the reaped child ended, "exited with status 1" or "was killed by
 * signal 9 (Killed)". */
static void how_ended(const struct ocd *o, char *out, size_t outlen)
{
	if (o->status < 0)
		snprintf(out, outlen, "is gone (reaped by someone else)");
	else if (WIFEXITED(o->status))
		snprintf(out, outlen, "exited with status %d", WEXITSTATUS(o->status));
	else if (WIFSIGNALED(o->status))
		snprintf(out, outlen, "was killed by signal %d (%s)", WTERMSIG(o->status),
			 strsignal(WTERMSIG(o->status)));
	else
		snprintf(out, outlen, "ended with wait status 0x%x", (unsigned)o->status);
}

/* Reaps the child if it has ended: true if it has (now or before). */
static bool reap(struct ocd *o)
{
	if (!o->pid || o->reaped)
		return o->reaped;
	int st;
	pid_t r;
	do
		r = waitpid(o->pid, &st, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return false;
	o->reaped = true;
	/* ECHILD: a SIGCHLD handler of the caller's took it first. */
	o->status = r == o->pid ? st : -1;
	return true;
}

/* Waits up to ms for the child to end: true if it has. */
static bool reap_within(struct ocd *o, int ms)
{
	struct deadline d;
	deadline_start(&d, ms);
	for (;;) {
		if (reap(o))
			return true;
		if (deadline_passed(&d))
			return false;
		struct timespec t = { 0, 10 * 1000000L };
		nanosleep(&t, NULL);
	}
}

/* "openocd (pid N) was killed by signal 9 (Killed)[ WHAT]: LOG LINE". */
static void death_message(const struct ocd *o, const char *what, char *err, size_t errlen)
{
	char how[96], tail[280];
	how_ended(o, how, sizeof how);
	log_tail(o, tail, sizeof tail);
	snprintf(err, errlen, "openocd (pid %ld) %s%s%s", (long)o->pid, how, what, tail);
}

int ocd_alive(struct ocd *o, char *err, size_t errlen)
{
	if (!o->pid || !reap(o))
		return 1;
	death_message(o, "", err, errlen);
	return 0;
}

/* The child's argument list (malloc'd strings, NULL-terminated). */
static char **child_argv(const char *prog, const struct ocd_start *how, unsigned port)
{
	size_t n = 0, ns = 0, nc = 0;
	while (how->settings && how->settings[ns])
		ns++;
	while (how->cfgs[nc])
		nc++;
	char **av = calloc(1 + 2 * (4 + ns + nc + 1) + 1, sizeof *av);
	if (!av)
		return NULL;
	char port_var[64], port_set[32];
	snprintf(port_var, sizeof port_var, "set VZSOAK_TCL_PORT %u", port);
	snprintf(port_set, sizeof port_set, "tcl_port %u", port);
	/* Ports of the caller's choice only: the defaults (3333, 4444)
	 * would collide with a second OpenOCD on the machine. */
	const char *first[] = { port_var, port_set, "gdb_port disabled", "telnet_port disabled" };
	bool ok = (av[n++] = strdup(prog)) != NULL;
	for (size_t i = 0; i < 4; i++)
		ok = ok && (av[n++] = strdup("-c")) && (av[n++] = strdup(first[i]));
	for (size_t i = 0; i < ns; i++)
		ok = ok && (av[n++] = strdup("-c")) && (av[n++] = strdup(how->settings[i]));
	for (size_t i = 0; i < nc; i++)
		ok = ok && (av[n++] = strdup("-f")) && (av[n++] = strdup(how->cfgs[i]));
	ok = ok && (av[n++] = strdup("-c")) && (av[n++] = strdup("init"));
	if (!ok) {
		for (size_t i = 0; i < n; i++)
			free(av[i]);
		free(av);
		return NULL;
	}
	return av;
}

static void free_argv(char **av)
{
	for (size_t i = 0; av && av[i]; i++)
		free(av[i]);
	free(av);
}

/*
 * Forks and execs av with its output to log_fd, in a process group of its
 * own (so that a stop reaches anything it starts, and the terminal's ^C
 * does not reach it before the harness has stopped it cleanly).  The exec's
 * failure comes back through a close-on-exec pipe: the child's pid, or -1
 * with the reason in err.
 */
static pid_t spawn(char **av, int log_fd, char *err, size_t errlen)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "cannot run %s: pipe: %s", av[0], strerror(errno));
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "cannot run %s: fork: %s", av[0], strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		/* Only async-signal-safe calls from here on.  The caller's
		 * blocked or ignored signals would survive the exec and make
		 * the stop's SIGTERM (or a ^C's) do nothing. */
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		struct sigaction dfl = { .sa_handler = SIG_DFL };
		sigaction(SIGTERM, &dfl, NULL);
		sigaction(SIGINT, &dfl, NULL);
		sigaction(SIGPIPE, &dfl, NULL);
		setpgid(0, 0);
		/* A harness that dies (a crash, SIGKILL) takes its OpenOCD
		 * with it: nothing is left polling a board nobody reads. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		int null = open("/dev/null", O_RDONLY);
		if (null >= 0)
			dup2(null, 0);
		dup2(log_fd, 1);
		dup2(log_fd, 2);
		if (strchr(av[0], '/'))
			execv(av[0], av);
		else
			execvp(av[0], av);
		int e = errno;
		ssize_t w = write(p[1], &e, sizeof e);
		(void)w;
		_exit(127);
	}
	setpgid(pid, pid);
	close(p[1]);
	int e;
	ssize_t r;
	do
		r = read(p[0], &e, sizeof e);
	while (r < 0 && errno == EINTR);
	close(p[0]);
	if (r == (ssize_t)sizeof e) {
		waitpid(pid, NULL, 0);
		snprintf(err, errlen, "cannot run %s: %s", av[0], strerror(e));
		return -1;
	}
	return pid;
}

/* Ends the child whatever it is doing: SIGTERM to its group, then SIGKILL,
 * and reaps it. */
static void kill_child(struct ocd *o)
{
	if (!o->pid || reap(o))
		return;
	kill(-o->pid, SIGTERM);
	if (reap_within(o, STOP_TERM_MS))
		return;
	kill(-o->pid, SIGKILL);
	while (!reap_within(o, 1000))
		;
}

static void ocd_free(struct ocd *o)
{
	rpc_close(o->rpc);
	free(o->log);
	free(o);
}

/* Connects to the child's Tcl port, retrying until the deadline: 0, or -1
 * with a reason (the child that died, the deadline). */
static int await_port(struct ocd *o, int timeout_ms, char *err, size_t errlen)
{
	struct deadline d;
	deadline_start(&d, timeout_ms);
	char why[256] = "";
	for (;;) {
		if (reap(o)) {
			char what[96];
			snprintf(what, sizeof what, " before its Tcl port 127.0.0.1:%u answered",
				 o->port);
			death_message(o, what, err, errlen);
			return -1;
		}
		int left = deadline_left_ms(&d);
		o->rpc = rpc_connect("127.0.0.1", o->port, left < TRY_MS ? left : TRY_MS, why,
				     sizeof why);
		if (o->rpc)
			return 0;
		if (deadline_passed(&d))
			break;
		struct timespec t = { 0, RETRY_MS * 1000000L };
		nanosleep(&t, NULL);
	}
	char tail[280];
	log_tail(o, tail, sizeof tail);
	snprintf(err, errlen, "openocd (pid %ld): no Tcl port at 127.0.0.1:%u within %d ms%s",
		 (long)o->pid, o->port, timeout_ms, tail);
	return -1;
}

/*
 * What answered on the port must be our OpenOCD: another program may have
 * taken the port between ocd_free_port and OpenOCD's bind (OpenOCD then
 * exits, and its death is what the handshake reports).
 */
static int handshake(struct ocd *o, char *err, size_t errlen)
{
	char *r = ocd_eval(o, "set VZSOAK_TCL_PORT", HANDSHAKE_MS, err, errlen);
	if (!r)
		return -1;
	int ok = (unsigned)strtoul(r, NULL, 10) == o->port;
	if (!ok)
		snprintf(err, errlen, "%s: not the OpenOCD started (its VZSOAK_TCL_PORT is '%.20s')",
			 ocd_peer(o), r);
	free(r);
	return ok ? 0 : -1;
}

struct ocd *ocd_start(const struct ocd_start *how, char *err, size_t errlen)
{
	const char *prog = getenv(OCD_PROGRAM_ENV);
	if (!prog || !*prog)
		prog = OCD_PROGRAM;
	if (!how->cfgs || !how->cfgs[0]) {
		snprintf(err, errlen, "openocd: no configuration file");
		return NULL;
	}
	struct ocd *o = calloc(1, sizeof *o);
	if (!o || !(o->log = strdup(how->log))) {
		snprintf(err, errlen, "out of memory");
		free(o);
		return NULL;
	}
	o->port = how->tcl_port ? how->tcl_port : ocd_free_port(err, errlen);
	if (!o->port) {
		ocd_free(o);
		return NULL;
	}
	int log_fd = open(how->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (log_fd < 0) {
		snprintf(err, errlen, "%s: cannot create: %s", how->log, strerror(errno));
		ocd_free(o);
		return NULL;
	}
	char **av = child_argv(prog, how, o->port);
	if (!av) {
		snprintf(err, errlen, "out of memory");
		close(log_fd);
		ocd_free(o);
		return NULL;
	}
	o->pid = spawn(av, log_fd, err, errlen);
	free_argv(av);
	close(log_fd);
	if (o->pid < 0) {
		o->pid = 0;
		ocd_free(o);
		return NULL;
	}
	if (await_port(o, how->timeout_ms, err, errlen) < 0 || handshake(o, err, errlen) < 0) {
		kill_child(o);
		ocd_free(o);
		return NULL;
	}
	return o;
}

struct ocd *ocd_join(const char *host, unsigned port, int timeout_ms, char *err,
		     size_t errlen)
{
	struct ocd *o = calloc(1, sizeof *o);
	if (!o) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	o->port = port;
	o->rpc = rpc_connect(host, port, timeout_ms, err, errlen);
	if (!o->rpc) {
		free(o);
		return NULL;
	}
	return o;
}

/* Balanced braces (outside backslash escapes): the script stays one
 * argument of the catch it is wrapped in. */
static bool braces_balanced(const char *s)
{
	long depth = 0;
	for (; *s; s++) {
		if (*s == '\\' && s[1])
			s++;
		else if (*s == '{')
			depth++;
		else if (*s == '}' && --depth < 0)
			return false;
	}
	return depth == 0;
}

char *ocd_eval(struct ocd *o, const char *script, int timeout_ms, char *err, size_t errlen)
{
	char shown[RPC_CMD_SHOWN + 8];
	rpc_cmd_shown(script, shown, sizeof shown);
	if (!braces_balanced(script)) {
		snprintf(err, errlen, "%s: `%s`: unbalanced braces", ocd_peer(o), shown);
		return NULL;
	}
	if (!ocd_alive(o, err, errlen))
		return NULL;
	/* The script's status and result in one reply: OpenOCD's RPC sends
	 * an error's message as it sends a result. */
	size_t n = strlen(script) + 64;
	char *wrapped = malloc(n);
	if (!wrapped) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(wrapped, n, "format \"%%d %%s\" [catch {%s} vzsoak_r] $vzsoak_r", script);
	char *r = rpc_call(o->rpc, wrapped, timeout_ms > 0 ? timeout_ms : OCD_TIMEOUT_MS, err,
			   errlen);
	free(wrapped);
	if (!r) {
		/* A closed connection or a silence may be OpenOCD's death. */
		if (o->pid && reap_within(o, DEATH_GRACE_MS)) {
			char what[RPC_CMD_SHOWN + 32];
			snprintf(what, sizeof what, " during `%s`", shown);
			death_message(o, what, err, errlen);
		}
		return NULL;
	}
	if ((r[0] != '0' && r[0] != '1') || r[1] != ' ') {
		snprintf(err, errlen, "%s: `%s`: a reply not from vzsoak's wrapper: '%.40s'",
			 ocd_peer(o), shown, r);
		free(r);
		return NULL;
	}
	if (r[0] == '1') {
		char *msg = r + 2, tail[280] = "";
		msg[strcspn(msg, "\r\n")] = '\0';
		if (!*msg)
			log_tail(o, tail, sizeof tail);
		snprintf(err, errlen, "%s: `%s`: %s%s", ocd_peer(o), shown,
			 *msg ? msg : tail[0] ? "failed; its log's last error" : "failed (no reason given)",
			 tail);
		free(r);
		return NULL;
	}
	memmove(r, r + 2, strlen(r + 2) + 1);
	return r;
}

int ocd_stop(struct ocd *o, char *err, size_t errlen)
{
	if (!o->pid) {
		ocd_free(o);
		return 0;
	}
	int rc = 0;
	if (!reap(o)) {
		char ignored[256];
		/* OpenOCD may close the connection before it replies. */
		free(rpc_call(o->rpc, "shutdown", STOP_REPLY_MS, ignored, sizeof ignored));
		rpc_close(o->rpc);
		o->rpc = NULL;
		if (!reap_within(o, STOP_EXIT_MS)) {
			kill_child(o);
			char how[96];
			how_ended(o, how, sizeof how);
			snprintf(err, errlen,
				 "openocd (pid %ld) was still running %d ms after shutdown and %s",
				 (long)o->pid, STOP_EXIT_MS, how);
			rc = -1;
		}
	}
	if (!rc && (o->status < 0 || !WIFEXITED(o->status) || WEXITSTATUS(o->status))) {
		death_message(o, "", err, errlen);
		rc = -1;
	}
	ocd_free(o);
	return rc;
}
