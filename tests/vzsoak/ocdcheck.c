/*
 * The openocd step's check of harness/openocd/ against the real OpenOCD
 * (Debian's 0.12, or $VZSOAK_OPENOCD), with no board: OpenOCD runs its
 * Tcl server on the dummy adapter (tests/vzsoak/openocd-noprobe.cfg), and
 * boards/openocd/tcb.tcl runs on a Tcl model of vzsim's TCB
 * (tests/vzsoak/tcb-model.tcl) that stands in for irscan and drscan.
 *
 *   ocdcheck ROOT OUT
 *
 * ROOT is the repository, OUT a folder for OpenOCD's logs.  Prints
 * "plan N", then one "pass NAME" or "fail NAME REASON" line per case;
 * scripts/run-openocd-tests.sh reads them.  Exit status 0 if every case
 * passed.  Every OpenOCD it starts it stops (or kills) by its pid.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "harness/openocd/deadline.h"
#include "harness/openocd/ocd.h"
#include "harness/openocd/ops.h"
#include "harness/openocd/rpc.h"
#include "harness/openocd/tcb.h"

static const char *root, *out;
static char why[1024];

/* The reason of a failed case, into why; returns -1. */
static __attribute__((format(printf, 1, 2))) int no(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	return -1;
}

static char noprobe[512], tcb_tcl[512], model[512];

/* OpenOCD on the dummy adapter, with extra cfgs after it (NULL-ended). */
static struct ocd *start(const char *log, const char *const *extra, char *err, size_t errlen)
{
	const char *cfgs[8] = { noprobe };
	for (int i = 0; extra && extra[i] && i < 6; i++)
		cfgs[i + 1] = extra[i];
	char path[512];
	snprintf(path, sizeof path, "%s/%s.log", out, log);
	struct ocd_start how = { .cfgs = cfgs, .log = path, .timeout_ms = 15000 };
	return ocd_start(&how, err, errlen);
}

/* Runs script: its result must be want. */
static int eval_is(struct ocd *o, const char *script, const char *want)
{
	char err[512];
	char *r = ocd_eval(o, script, 0, err, sizeof err);
	if (!r)
		return no("`%s`: %s", script, err);
	int ok = !strcmp(r, want);
	if (!ok)
		no("`%s` gave '%s', not '%s'", script, r, want);
	free(r);
	return ok ? 0 : -1;
}

/* Runs script: it must fail with a reason containing want. */
static int eval_fails(struct ocd *o, const char *script, const char *want)
{
	char err[512] = "";
	char *r = ocd_eval(o, script, 0, err, sizeof err);
	if (r) {
		no("`%s` gave '%s', not an error", script, r);
		free(r);
		return -1;
	}
	return strstr(err, want) ? 0 : no("`%s`: '%s' lacks '%s'", script, err, want);
}

/* The process is gone (reaped: no such pid). */
static bool gone(pid_t pid)
{
	return kill(pid, 0) < 0 && errno == ESRCH;
}

static struct ocd *shared; /* the one most cases use */

static int case_start(void)
{
	char err[512];
	shared = start("shared", NULL, err, sizeof err);
	if (!shared)
		return no("%s", err);
	return ocd_pid(shared) > 0 ? 0 : no("no pid");
}

static int case_eval(void)
{
	if (!shared)
		return no("no OpenOCD (start failed)");
	if (eval_is(shared, "expr 6*7", "42") || eval_is(shared, "format %s hello", "hello") ||
	    eval_is(shared, "set vzsoak_check {two words}", "two words") ||
	    eval_is(shared, "capture {echo echoed}", "echoed\n"))
		return -1;
	return 0;
}

static int case_errors(void)
{
	if (!shared)
		return no("no OpenOCD (start failed)");
	char want[128];
	snprintf(want, sizeof want, "%s: `nosuchcmd 1`: invalid command name \"nosuchcmd\"",
		 ocd_peer(shared));
	if (eval_fails(shared, "nosuchcmd 1", want) ||
	    eval_fails(shared, "expr {1", "unbalanced braces") ||
	    eval_fails(shared, "error {vzsoak: a Tcl error}", "vzsoak: a Tcl error"))
		return -1;
	/* No target on the dummy adapter: OpenOCD's refusal comes back. */
	uint32_t w[4];
	char err[512];
	if (!ocd_mem_read(shared, 0x80000000u, 4, w, err, sizeof err))
		return no("mdw on no target gave words");
	if (!strstr(err, "`mdw 0x80000000 4`: invalid command name \"mdw\""))
		return no("mdw on no target: '%s'", err);
	/* And the connection is still in step. */
	return eval_is(shared, "expr 1+1", "2");
}

static int case_join(void)
{
	if (!shared)
		return no("no OpenOCD (start failed)");
	char err[512];
	struct ocd *j = ocd_join("127.0.0.1", ocd_tcl_port(shared), 2000, err, sizeof err);
	if (!j)
		return no("join: %s", err);
	int rc = eval_is(j, "expr 2*21", "42");
	if (ocd_stop(j, err, sizeof err))
		return no("stop of a joined OpenOCD: %s", err);
	if (rc)
		return -1;
	/* Leaving a joined OpenOCD does not stop it. */
	if (eval_is(shared, "expr 3", "3"))
		return -1;
	/* Nobody at a port: refused, at once. */
	unsigned port = ocd_free_port(err, sizeof err);
	if (!port)
		return no("%s", err);
	int64_t t0 = deadline_now_ms();
	if ((j = ocd_join("127.0.0.1", port, 2000, err, sizeof err)))
		return no("joined nobody at port %u", port);
	if (!strstr(err, "cannot connect: Connection refused") || deadline_now_ms() - t0 > 1000)
		return no("join of nobody: '%s'", err);
	return 0;
}

static int case_tcb_missing(void)
{
	if (!shared)
		return no("no OpenOCD (start failed)");
	char err[512];
	uint64_t *w;
	size_t n;
	if (!ocd_tcb_read(shared, 0, &w, &n, err, sizeof err))
		return no("read a TCB without tcb.tcl");
	return strstr(err, "OpenOCD has not loaded boards/openocd/tcb.tcl")
		       ? 0 : no("'%s'", err);
}

static int case_stop(void)
{
	if (!shared)
		return no("no OpenOCD (start failed)");
	char err[512];
	pid_t pid = ocd_pid(shared);
	unsigned port = ocd_tcl_port(shared);
	int64_t t0 = deadline_now_ms();
	int rc = ocd_stop(shared, err, sizeof err);
	int64_t took = deadline_now_ms() - t0;
	shared = NULL;
	if (rc)
		return no("stop: %s", err);
	if (took > 3000)
		return no("stop took %lld ms", (long long)took);
	if (!gone(pid))
		return no("pid %ld still exists", (long)pid);
	struct rpc *c = rpc_connect("127.0.0.1", port, 1000, err, sizeof err);
	if (c) {
		rpc_close(c);
		return no("its Tcl port %u still answers", port);
	}
	return 0;
}

/* ---------------------------------------------------------------- TCB */

static struct ocd *tcbo;

/* The model's TCB words from index first, count of them, wrapping at n. */
static int words_are(const uint64_t *w, size_t count, size_t first, size_t nmem)
{
	for (size_t i = 0; i < count; i++) {
		uint64_t k = (first + i) % nmem;
		uint64_t want = (0x10000000ull + k) << 32 | (0xa0000000ull + k);
		if (w[i] != want)
			return no("word %zu is %016" PRIx64 ", not %016" PRIx64, i, w[i], want);
	}
	return 0;
}

/* B's value in the model before each read: EN, TM bit 12, REG 3. */
#define B_OTHER "[expr {1 | (1 << 12) | (3 << 21)}]"
#define B_AFTER "0x00601001"
/* The same with BF, when the model's memory has wrapped. */
#define B_AFTER_BF "0x00605001"

static int case_tcb_start(void)
{
	char err[512];
	const char *extra[] = { tcb_tcl, model, NULL };
	tcbo = start("tcb", extra, err, sizeof err);
	return tcbo ? 0 : no("%s", err);
}

static int tcb_read_check(const char *setup, size_t batch, size_t count, size_t first,
			  size_t nmem, const char *b_after)
{
	char err[512];
	uint64_t *w;
	size_t n;
	if (!tcbo)
		return no("no OpenOCD (start failed)");
	if (eval_is(tcbo, setup, ""))
		return -1;
	if (ocd_tcb_read(tcbo, batch, &w, &n, err, sizeof err))
		return no("%s", err);
	int rc = n == count ? words_are(w, n, first, nmem) : no("%zu words, not %zu", n, count);
	free(w);
	return rc ? rc : eval_is(tcbo, "tcbm_b", b_after);
}

static int case_tcb_unwrapped(void)
{
	/* 256 bytes, WRP at word 8, not wrapped: words 0..7, in batches of 3. */
	return tcb_read_check("tcbm_setup 0 0x40 0 " B_OTHER, 3, 8, 0, 32, B_AFTER);
}

static int case_tcb_wrapped(void)
{
	/* Wrapped: 32 words from WRP's, 8..31 then 0..7, batches of 5 (one
	 * crossing the memory's end). */
	return tcb_read_check("tcbm_setup 0 0x40 1 " B_OTHER, 5, 32, 8, 32, B_AFTER_BF);
}

static int case_tcb_wrapped_at_zero(void)
{
	/* Wrapped with WRP at 0: the whole memory in order, one batch. */
	return tcb_read_check("tcbm_setup 1 0 1 " B_OTHER, 0, 64, 0, 64, B_AFTER_BF);
}

static int case_tcb_empty(void)
{
	return tcb_read_check("tcbm_setup 0 0 0 " B_OTHER, 0, 0, 0, 32, B_AFTER);
}

static int case_tcb_regs(void)
{
	if (!tcbo)
		return no("no OpenOCD (start failed)");
	if (eval_is(tcbo, "tcbm_setup 2 0x88 0 " B_OTHER "; set tcbm(rdp) 0x30; set tcbm(stp) 0x8",
		    "0x8"))
		return -1;
	static const struct {
		const char *name, *model;
		uint32_t want;
	} regs[] = {
		{ "config", "config", (2u << 17) | 0x37 }, { "rdp", "rdp", 0x30 },
		{ "wrp", "wrp", 0x88 }, { "stp", "stp", 0x8 },
		{ "controla", "0x10", 0x12345678 }, { "controlc", "0x13", 0x0f800000 },
		{ "controle", "0x16", 0x00000100 }, { "controlb", NULL, 0x00601001 },
	};
	char err[512], cmd[64], want[16];
	for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++) {
		uint32_t v;
		if (ocd_tcb_reg(tcbo, regs[i].name, &v, err, sizeof err))
			return no("%s: %s", regs[i].name, err);
		if (v != regs[i].want)
			return no("%s is 0x%08" PRIx32 ", not 0x%08" PRIx32, regs[i].name, v,
				  regs[i].want);
		/* Reading gave the register its value back, and B its REG. */
		snprintf(want, sizeof want, "0x%08" PRIx32, regs[i].want);
		snprintf(cmd, sizeof cmd, "tcbm_reg %s", regs[i].model ? regs[i].model : "b");
		if (eval_is(tcbo, cmd, want) || eval_is(tcbo, "tcbm_b", B_AFTER))
			return -1;
	}
	return eval_fails(tcbo, "vz_tcb_reg tw", "no TCB register 'tw'");
}

static int case_tcb_set(void)
{
	if (!tcbo)
		return no("no OpenOCD (start failed)");
	if (eval_is(tcbo, "tcbm_setup 0 0x40 0 " B_OTHER, "") ||
	    eval_is(tcbo, "vz_tcb_set_rdp 0x18", "") || eval_is(tcbo, "tcbm_reg rdp", "0x00000018") ||
	    eval_is(tcbo, "tcbm_b", B_AFTER) || eval_is(tcbo, "vz_tcb_set_en 0", "") ||
	    eval_is(tcbo, "tcbm_b", "0x00601000") || eval_is(tcbo, "vz_tcb_set_en 1", "") ||
	    eval_is(tcbo, "tcbm_b", B_AFTER))
		return -1;
	/* Bad arguments are refused before any scan. */
	return eval_fails(tcbo, "vz_tcb_words 4 1", "not a word address") ||
	       eval_fails(tcbo, "vz_tcb_words 0 33", "not a word address");
}

static int case_tcb_dump(void)
{
	if (!tcbo)
		return no("no OpenOCD (start failed)");
	char path[512], cmd[600];
	snprintf(path, sizeof path, "%s/tcb-dump.txt", out);
	snprintf(cmd, sizeof cmd, "tcbm_setup 0 0x10 1 " B_OTHER "; vz_tcb_dump {%s}", path);
	if (eval_is(tcbo, cmd, "32"))
		return -1;
	FILE *f = fopen(path, "r");
	if (!f)
		return no("%s: %s", path, strerror(errno));
	uint64_t w[33];
	size_t n = 0;
	char line[64];
	while (n < 33 && fgets(line, sizeof line, f))
		w[n++] = strtoull(line, NULL, 16);
	fclose(f);
	return n == 32 ? words_are(w, n, 2, 32) : no("%zu lines in %s, not 32", n, path);
}

static int case_tcb_stop(void)
{
	if (!tcbo)
		return no("no OpenOCD (start failed)");
	char err[512];
	int rc = ocd_stop(tcbo, err, sizeof err);
	tcbo = NULL;
	return rc ? no("%s", err) : 0;
}

/* ---------------------------------------------------------------- deaths */

static int case_exec_fails(void)
{
	char err[512];
	setenv(OCD_PROGRAM_ENV, "/nonexistent/openocd", 1);
	struct ocd *o = start("exec-fails", NULL, err, sizeof err);
	unsetenv(OCD_PROGRAM_ENV);
	if (o) {
		ocd_stop(o, err, sizeof err);
		return no("started a program that does not exist");
	}
	return strstr(err, "cannot run /nonexistent/openocd: No such file or directory")
		       ? 0 : no("'%s'", err);
}

static int case_exits_early(void)
{
	char err[512], cfg[512];
	snprintf(cfg, sizeof cfg, "%s/bad.cfg", out);
	FILE *f = fopen(cfg, "w");
	if (!f)
		return no("%s: %s", cfg, strerror(errno));
	fputs("error {vzsoak check: this board does not exist}\n", f);
	fclose(f);
	const char *extra[] = { cfg, NULL };
	int64_t t0 = deadline_now_ms();
	struct ocd *o = start("exits-early", extra, err, sizeof err);
	int64_t took = deadline_now_ms() - t0;
	if (o) {
		ocd_stop(o, err, sizeof err);
		return no("started with a configuration that fails");
	}
	if (!strstr(err, "exited with status 1 before its Tcl port") ||
	    !strstr(err, "this board does not exist"))
		return no("'%s'", err);
	return took < 5000 ? 0 : no("reported after %lld ms", (long long)took);
}

static int case_port_taken(void)
{
	/* Someone else listens on the port: OpenOCD cannot bind it and
	 * exits; the start must say so, not talk to the stranger. */
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof a;
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 4) ||
	    getsockname(fd, (struct sockaddr *)&a, &al))
		return no("listener: %s", strerror(errno));
	const char *cfgs[] = { noprobe, NULL };
	char path[512], err[512];
	snprintf(path, sizeof path, "%s/port-taken.log", out);
	struct ocd_start how = { .cfgs = cfgs, .log = path, .tcl_port = ntohs(a.sin_port),
				 .timeout_ms = 15000 };
	int64_t t0 = deadline_now_ms();
	struct ocd *o = ocd_start(&how, err, sizeof err);
	int64_t took = deadline_now_ms() - t0;
	close(fd);
	if (o) {
		ocd_stop(o, err, sizeof err);
		return no("started on a port another program holds");
	}
	if (!strstr(err, "Address already in use"))
		return no("'%s'", err);
	return took < 6000 ? 0 : no("reported after %lld ms", (long long)took);
}

/* Kills pid with SIGKILL after ms, from a child of ours: its pid. */
static pid_t kill_later(pid_t pid, int ms)
{
	pid_t k = fork();
	if (k == 0) {
		struct timespec t = { ms / 1000, (long)(ms % 1000) * 1000000L };
		nanosleep(&t, NULL);
		kill(pid, SIGKILL);
		_exit(0);
	}
	return k;
}

static int case_killed_between(void)
{
	char err[512];
	struct ocd *o = start("killed-between", NULL, err, sizeof err);
	if (!o)
		return no("%s", err);
	pid_t pid = ocd_pid(o);
	int rc = eval_is(o, "expr 1", "1");
	kill(pid, SIGKILL);
	char want[96];
	snprintf(want, sizeof want, "openocd (pid %ld) was killed by signal 9", (long)pid);
	int64_t t0 = deadline_now_ms();
	if (!rc)
		rc = eval_fails(o, "expr 2", want);
	int64_t took = deadline_now_ms() - t0;
	if (!rc && took > 2000)
		rc = no("reported after %lld ms", (long long)took);
	/* Stopping a dead OpenOCD says how it died, and does not hang. */
	if (!ocd_stop(o, err, sizeof err) && !rc)
		rc = no("stop of a killed OpenOCD returned 0");
	else if (!rc && !strstr(err, want))
		rc = no("stop: '%s'", err);
	return rc;
}

static int case_killed_during(void)
{
	char err[512];
	struct ocd *o = start("killed-during", NULL, err, sizeof err);
	if (!o)
		return no("%s", err);
	pid_t pid = ocd_pid(o);
	pid_t k = kill_later(pid, 300);
	char want[96];
	snprintf(want, sizeof want, "openocd (pid %ld) was killed by signal 9 (Killed) during `sleep 8000`",
		 (long)pid);
	int64_t t0 = deadline_now_ms();
	char *r = ocd_eval(o, "sleep 8000", 20000, err, sizeof err);
	int64_t took = deadline_now_ms() - t0;
	waitpid(k, NULL, 0);
	int rc = 0;
	if (r) {
		free(r);
		rc = no("`sleep 8000` answered");
	} else if (!strstr(err, want)) {
		rc = no("'%s' lacks '%s'", err, want);
	} else if (took > 3000) {
		rc = no("reported after %lld ms", (long long)took);
	}
	ocd_stop(o, err, sizeof err);
	return rc;
}

static int case_stop_busy(void)
{
	/* OpenOCD busy in a long command answers no shutdown: the stop must
	 * still end it, by signals, in bounded time. */
	char err[512];
	struct ocd *o = start("stop-busy", NULL, err, sizeof err);
	if (!o)
		return no("%s", err);
	pid_t pid = ocd_pid(o);
	struct rpc *c = rpc_connect("127.0.0.1", ocd_tcl_port(o), 1000, err, sizeof err);
	if (!c) {
		ocd_stop(o, err, sizeof err);
		return no("second connection: %s", err);
	}
	/* Not answered in 200 ms: OpenOCD is now inside the sleep. */
	free(rpc_call(c, "sleep 30000", 200, err, sizeof err));
	int64_t t0 = deadline_now_ms();
	int rc = ocd_stop(o, err, sizeof err);
	int64_t took = deadline_now_ms() - t0;
	rpc_close(c);
	if (!rc)
		return no("stop of a busy OpenOCD returned 0");
	if (!strstr(err, "was still running 3000 ms after shutdown and was killed by signal"))
		return no("'%s'", err);
	if (took > 10000)
		return no("stop took %lld ms", (long long)took);
	return gone(pid) ? 0 : no("pid %ld still exists", (long)pid);
}

static const struct {
	const char *name;
	int (*run)(void);
} cases[] = {
	{ "start", case_start },
	{ "eval", case_eval },
	{ "errors", case_errors },
	{ "join", case_join },
	{ "tcb-missing", case_tcb_missing },
	{ "stop", case_stop },
	{ "tcb.start", case_tcb_start },
	{ "tcb.unwrapped", case_tcb_unwrapped },
	{ "tcb.wrapped", case_tcb_wrapped },
	{ "tcb.wrapped-at-zero", case_tcb_wrapped_at_zero },
	{ "tcb.empty", case_tcb_empty },
	{ "tcb.regs", case_tcb_regs },
	{ "tcb.set", case_tcb_set },
	{ "tcb.dump", case_tcb_dump },
	{ "tcb.stop", case_tcb_stop },
	{ "exec-fails", case_exec_fails },
	{ "exits-early", case_exits_early },
	{ "port-taken", case_port_taken },
	{ "killed-between", case_killed_between },
	{ "killed-during", case_killed_during },
	{ "stop-busy", case_stop_busy },
};

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: ocdcheck ROOT OUT\n");
		return 2;
	}
	root = argv[1];
	out = argv[2];
	snprintf(noprobe, sizeof noprobe, "%s/tests/vzsoak/openocd-noprobe.cfg", root);
	snprintf(tcb_tcl, sizeof tcb_tcl, "%s/boards/openocd/tcb.tcl", root);
	snprintf(model, sizeof model, "%s/tests/vzsoak/tcb-model.tcl", root);
	size_t n = sizeof cases / sizeof cases[0];
	int failed = 0;
	printf("plan %zu\n", n);
	fflush(stdout);
	for (size_t i = 0; i < n; i++) {
		why[0] = '\0';
		if (cases[i].run() == 0) {
			printf("pass %s\n", cases[i].name);
		} else {
			for (char *p = why; *p; p++)
				if (*p == '\n' || *p == '\r')
					*p = ' ';
			printf("fail %s %s\n", cases[i].name, why[0] ? why : "failed");
			failed++;
		}
		fflush(stdout);
	}
	/* Whatever a failed case left running. */
	char err[512];
	if (shared)
		ocd_stop(shared, err, sizeof err);
	if (tcbo)
		ocd_stop(tcbo, err, sizeof err);
	return failed ? 1 : 0;
}
