/*
 * The OpenOCD board driver (target_ocd.h).
 */
#include "target_ocd.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <pdtrace/pdtrace.h>
#include <vzsoak/bootargs.h>
#include <vzsoak/status.h>

#include "openocd/ocd.h"
#include "openocd/ops.h"
#include "openocd/tcb.h"

/* kseg1: physical memory, uncached, as the probe reads it. */
#define KSEG1(pa) (0xa0000000u | (pa))
/* kseg0: cached, where the hypervisor's stores are on a board with caches. */
#define KSEG0(pa) (0x80000000u | (pa))

/* Debug (CP0 23, 0) causes and DBD, as the core reports them. */
#define DEBUG_DBP  (1u << 1)
#define DEBUG_DINT (1u << 5)
#define DEBUG_DBD  (1u << 31)

/* Waits, in milliseconds. */
#define START_MS   20000  /* OpenOCD up, init done */
#define LOAD_MS    120000 /* load_image of a hypervisor with its guests */
#define SLICE_MS   300000 /* one check's slice on the simulated board */
#define HALT_MS    5000   /* a core told to halt */
#define WAIT_STEP_MS 500  /* between looks at a signal while waiting */
#define VZSIM_PORT_MS 10000
#define VZSIM_EXIT_MS 10000

/* The trace the driver turns on through the TCB, as vzsim_trace_start
 * does on the direct board: TCBControlA On, G, U, K, S, E (every mode,
 * every ASID), SyP 5; TCBControlC PC trace; TCBControlB WE, TR (empty
 * the memory), EN, trace-to (wrap). */
#define TCB_A_TRACE 0x0051e011u
#define TCB_C_PC    0x00800000u
#define TCB_B_START 0x80008001u
/* A started vzsim's on-chip trace memory with a trace, unless the
 * scenario sets board.tcb-size: 1 MiB (131072 words, about 20 s to read
 * over remote_bitbang). */
#define TCB_BYTES   "1048576"

struct target_ocd {
	struct target t;
	struct target_ocd_config c; /* a copy: the caller's may go (its strings stay) */
	struct ocd *ocd;
	pid_t vzsim;          /* a started vzsim, or 0 */
	bool self_halting;    /* the board halts at the check points itself */
	unsigned count_div;   /* instructions per Count tick */
	unsigned cpu_mhz;
	uint64_t insns;       /* instructions at the last halt */
	uint32_t last_count;
	unsigned sdbbp;
	bool ended;           /* the program ended (reset, deadlock) */
	volatile sig_atomic_t interrupted;
};

static struct target_ocd *of(struct target *t)
{
	return (struct target_ocd *)t;
}

static void fail(struct target_ocd *b, const char *what, const char *err)
{
	if (b->t.failed)
		return;
	b->t.failed = true;
	snprintf(b->t.why, sizeof b->t.why, "board: %s: %.440s", what, err);
}

/* ------------------------------------------------------------ --board */

int board_spec_parse(const char *text, struct board_spec *b, char *err, size_t errlen)
{
	memset(b, 0, sizeof *b);
	if (!strcmp(text, "direct"))
		return 0;
	if (!strcmp(text, "openocd")) {
		b->openocd = true;
		return 0;
	}
	const char *p = text + strlen("openocd:");
	const char *colon = strrchr(text, ':');
	char *end;
	if (strncmp(text, "openocd:", 8) || colon < p || colon == p ||
	    (size_t)(colon - p) >= sizeof b->host) {
		snprintf(err, errlen, "--board '%s': want direct, openocd or "
			 "openocd:HOST:PORT", text);
		return -1;
	}
	errno = 0;
	unsigned long port = strtoul(colon + 1, &end, 10);
	if (errno || *end || colon[1] < '0' || colon[1] > '9' || port == 0 || port > 65535) {
		snprintf(err, errlen, "--board '%s': '%s' is not a TCP port (1..65535)",
			 text, colon + 1);
		return -1;
	}
	b->openocd = true;
	memcpy(b->host, p, (size_t)(colon - p));
	b->port = (unsigned)port;
	return 0;
}

/* ------------------------------------------------------------ files */

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* What sits beside this executable (build/bin/vzsim beside vzsoak), or
 * the first of dir/../rel, dir/../../rel... that exists (the source
 * tree's boards/openocd/ from build/bin or build/san/bin). */
static char *beside_exe(const char *rel, int up_max)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return NULL;
	exe[n] = 0;
	for (int up = 0; up <= up_max; up++) {
		char *slash = strrchr(exe, '/');
		if (!slash)
			break;
		*slash = 0;
		char *path;
		if (asprintf(&path, "%s/%s", exe, rel) < 0)
			return NULL;
		if (access(path, F_OK) == 0)
			return path;
		free(path);
	}
	return NULL;
}

/* The board configuration files: VZSOAK_BOARDS, else the source tree's. */
static char *boards_file(const char *name)
{
	const char *dir = getenv("VZSOAK_BOARDS");
	char *path = NULL;
	if (dir) {
		if (asprintf(&path, "%s/%s", dir, name) < 0)
			return NULL;
		return path;
	}
	char rel[128];
	snprintf(rel, sizeof rel, "boards/openocd/%s", name);
	return beside_exe(rel, 4);
}

/* The ELF's entry point (32-bit little-endian MIPS, as vzsim loads). */
static int elf_entry(const char *path, uint32_t *entry, char *err, size_t errlen)
{
	unsigned char h[28];
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	size_t n = fread(h, 1, sizeof h, f);
	fclose(f);
	if (n != sizeof h || memcmp(h, "\177ELF", 4) || h[4] != 1 || h[5] != 1) {
		snprintf(err, errlen, "%s: not a 32-bit little-endian ELF image", path);
		return -1;
	}
	*entry = (uint32_t)h[24] | (uint32_t)h[25] << 8 | (uint32_t)h[26] << 16 |
		 (uint32_t)h[27] << 24;
	return 0;
}

/* A board option as the scenario sets it, or NULL. */
static const char *scenario_board_opt(const struct scenario *s, const char *name)
{
	for (unsigned i = 0; i < s->nboard; i++)
		if (!strcmp(s->board[i].name, name))
			return s->board[i].value;
	return NULL;
}

/* A numeric board option: the scenario's, else libvzsim's own default. */
static unsigned board_number(const struct scenario *s, const char *name)
{
	const char *v = scenario_board_opt(s, name);
	size_t n;
	const struct vzsim_board_opt_info *t = vzsim_board_opt_list(&n);
	for (size_t i = 0; !v && i < n; i++)
		if (!strcmp(t[i].name, name))
			v = t[i].fallback;
	return v ? (unsigned)strtoul(v, NULL, 10) : 0;
}

/* ------------------------------------------------------------ vzsim */

/* vzsim --jtag with the scenario's board, halting at each check point and
 * at the duration; its port once it listens. */
static pid_t start_vzsim(const struct target_ocd_config *c, unsigned *port, char *err,
			 size_t errlen)
{
	char *exe = beside_exe("vzsim", 0);
	char *portfile = NULL, *log = NULL;
	if (!exe) {
		snprintf(err, errlen, "no vzsim beside this vzsoak");
		return -1;
	}
	if (asprintf(&portfile, "%s/.jtag-port", c->dir) < 0 ||
	    asprintf(&log, "%s/vzsim.log", c->dir) < 0) {
		snprintf(err, errlen, "out of memory");
		free(exe);
		free(portfile);
		return -1;
	}
	unlink(portfile);
	const struct scenario *s = c->s;
	char seed[32], every[32], max[32];
	snprintf(seed, sizeof seed, "%" PRIu64, (uint64_t)s->seed);
	snprintf(every, sizeof every, "%" PRIu64, s->check_every);
	snprintf(max, sizeof max, "%" PRIu64, s->duration);
	const char *argv[16 + 2 * SCN_BOARD_MAX];
	size_t a = 0;
	argv[a++] = exe;
	argv[a++] = "--jtag";
	argv[a++] = "0";
	argv[a++] = "--jtag-ready";
	argv[a++] = portfile;
	argv[a++] = "--jtag-halt-every";
	argv[a++] = every;
	argv[a++] = "--max-insns";
	argv[a++] = max;
	argv[a++] = "--seed";
	argv[a++] = seed;
	argv[a++] = "--uart-out";
	argv[a++] = c->console;
	char opts[SCN_BOARD_MAX + 1][160];
	for (unsigned i = 0; i < s->nboard; i++) {
		snprintf(opts[i], sizeof opts[i], "%s=%s", s->board[i].name, s->board[i].value);
		argv[a++] = "--board-opt";
		argv[a++] = opts[i];
	}
	if (c->trace && !scenario_board_opt(s, "tcb-size")) {
		snprintf(opts[s->nboard], sizeof opts[s->nboard], "tcb-size=%s", TCB_BYTES);
		argv[a++] = "--board-opt";
		argv[a++] = opts[s->nboard];
	}
	argv[a] = NULL;
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		setpgid(0, 0); /* a Ctrl-C is the harness's to handle */
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* and it dies with the harness */
		execv(exe, (char *const *)argv);
		_exit(127);
	}
	free(exe);
	free(log);
	if (pid < 0) {
		snprintf(err, errlen, "cannot start vzsim: %s", strerror(errno));
		free(portfile);
		return -1;
	}
	for (double t0 = now_ms(); now_ms() - t0 < VZSIM_PORT_MS;) {
		FILE *f = fopen(portfile, "r");
		if (f) {
			int ok = fscanf(f, "%u", port) == 1;
			fclose(f);
			if (ok) {
				unlink(portfile);
				free(portfile);
				return pid;
			}
		}
		int st;
		if (waitpid(pid, &st, WNOHANG) == pid) {
			snprintf(err, errlen, "vzsim ended before it listened (status %d): "
				 "see vzsim.log", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
			free(portfile);
			return -1;
		}
		usleep(20000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	snprintf(err, errlen, "vzsim did not listen within %d s", VZSIM_PORT_MS / 1000);
	free(portfile);
	return -1;
}

static void stop_vzsim(struct target_ocd *b)
{
	if (!b->vzsim)
		return;
	/* It ends when the probe disconnects; give it its time to write the
	 * console, then make sure.  A board that stopped answering is told
	 * at once (SIGTERM completes its files; SIGCONT, should it be
	 * stopped). */
	if (b->t.failed) {
		kill(b->vzsim, SIGTERM);
		kill(b->vzsim, SIGCONT);
	}
	for (double t0 = now_ms(); now_ms() - t0 < VZSIM_EXIT_MS;) {
		if (waitpid(b->vzsim, NULL, WNOHANG) == b->vzsim) {
			b->vzsim = 0;
			return;
		}
		usleep(20000);
	}
	kill(b->vzsim, SIGTERM);
	usleep(200000);
	kill(b->vzsim, SIGKILL);
	waitpid(b->vzsim, NULL, 0);
	b->vzsim = 0;
}

/* ------------------------------------------------------------ set-up */

/* The boot-arguments block as vzsim_set_bootargs writes it, in words. */
static int write_bootargs(struct target_ocd *b, const char *text, char *err, size_t errlen)
{
	size_t len = strlen(text);
	if (len >= BOOTARGS_TEXT_MAX) {
		snprintf(err, errlen, "boot arguments: %zu bytes, at most %u", len,
			 BOOTARGS_TEXT_MAX - 1);
		return -1;
	}
	size_t words = 4 + (len + 1 + 3) / 4;
	uint32_t w[4 + BOOTARGS_TEXT_MAX / 4 + 1];
	memset(w, 0, sizeof w);
	w[0] = BOOTARGS_MAGIC;
	w[1] = BOOTARGS_VERSION;
	w[2] = (uint32_t)len;
	for (size_t i = 0; i < len; i++)
		w[4 + i / 4] |= (uint32_t)(unsigned char)text[i] << (8 * (i % 4));
	return ocd_mem_write(b->ocd, KSEG1(BOOTARGS_PA), words, w, err, errlen);
}

static int tcb_write(struct target_ocd *b, unsigned ir, uint32_t v, char *err, size_t errlen)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "capture {irscan %s 0x%x; drscan %s 32 0x%08x}",
		 OCD_TARGET, ir, OCD_TARGET, v);
	char *r = ocd_eval(b->ocd, cmd, 0, err, errlen);
	free(r);
	return r ? 0 : -1;
}

/* PDtrace on, into the TCB's on-chip memory, as a probe starts it. */
static int start_trace(struct target_ocd *b, char *err, size_t errlen)
{
	return tcb_write(b, 0x11, TCB_B_START, err, errlen) ||
	       tcb_write(b, 0x13, TCB_C_PC, err, errlen) ||
	       tcb_write(b, 0x10, TCB_A_TRACE, err, errlen) ? -1 : 0;
}

static enum vzsim_stop ocd_slice(struct target *t, uint64_t n);
static void ocd_view(struct target *t, double wall, struct soak_view *v);

struct target_ocd *target_ocd_open(const struct target_ocd_config *c, char *err,
				   size_t errlen)
{
	struct target_ocd *b = calloc(1, sizeof *b);
	if (!b) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	b->t.run = ocd_slice;
	b->t.read_view = ocd_view;
	b->c = *c;
	b->count_div = board_number(c->s, "count-div");
	b->cpu_mhz = board_number(c->s, "cpu-mhz");
	char why[512];
	uint32_t entry;
	if (elf_entry(c->hv, &entry, err, errlen) != 0)
		goto fail;
	if (c->board->host[0]) {
		b->ocd = ocd_join(c->board->host, c->board->port, START_MS, why, sizeof why);
		if (!b->ocd) {
			snprintf(err, errlen, "openocd: %s", why);
			goto fail;
		}
	} else {
		unsigned port;
		b->self_halting = true;
		b->vzsim = start_vzsim(c, &port, why, sizeof why);
		if (b->vzsim < 0) {
			b->vzsim = 0;
			snprintf(err, errlen, "vzsim --jtag: %s", why);
			goto fail;
		}
		char setting[64], *log = NULL;
		snprintf(setting, sizeof setting, "set VZSIM_PORT %u", port);
		const char *settings[] = {setting, NULL};
		char *cfg = boards_file("vzsim.cfg"), *tcl = boards_file("tcb.tcl");
		const char *cfgs[] = {cfg, tcl, NULL};
		if (!cfg || !tcl || asprintf(&log, "%s/openocd.log", c->dir) < 0) {
			snprintf(err, errlen, "no boards/openocd/vzsim.cfg and tcb.tcl "
				 "(VZSOAK_BOARDS names their folder)");
			free(cfg);
			free(tcl);
			goto fail;
		}
		struct ocd_start how = {.settings = settings, .cfgs = cfgs, .log = log,
					.timeout_ms = START_MS};
		b->ocd = ocd_start(&how, why, sizeof why);
		free(cfg);
		free(tcl);
		free(log);
		if (!b->ocd) {
			snprintf(err, errlen, "openocd: %s", why);
			goto fail;
		}
	}
	/* As on any board: reset into debug mode, the image, its boot
	 * arguments, the entry point. */
	char *r = ocd_eval(b->ocd, "reset halt", HALT_MS, why, sizeof why);
	free(r);
	if (!r || ocd_wait_halted(b->ocd, HALT_MS, why, sizeof why) != 0 ||
	    ocd_load_image(b->ocd, c->hv, 0, LOAD_MS, why, sizeof why) != 0 ||
	    write_bootargs(b, c->bootargs, why, sizeof why) != 0 ||
	    ocd_reg_set(b->ocd, "pc", entry, why, sizeof why) != 0 ||
	    (c->trace && start_trace(b, why, sizeof why) != 0)) {
		snprintf(err, errlen, "openocd: %s", why);
		goto fail;
	}
	return b;
fail:
	if (b->ocd)
		ocd_stop(b->ocd, why, sizeof why);
	stop_vzsim(b);
	free(b);
	return NULL;
}

struct target *target_ocd_target(struct target_ocd *b)
{
	return &b->t;
}

unsigned target_ocd_sdbbp_skipped(const struct target_ocd *b)
{
	return b->sdbbp;
}

void target_ocd_interrupt(struct target_ocd *b)
{
	b->interrupted = 1;
}

/* ------------------------------------------------------------ the slices */

/* Instructions so far from Count, which runs at 1/count_div of them and
 * wraps: the checks come far more often than a wrap. */
static int read_insns(struct target_ocd *b, char *err, size_t errlen)
{
	uint32_t count;
	if (ocd_cp0_read(b->ocd, 9, 0, &count, err, errlen) != 0)
		return -1;
	b->insns += (uint64_t)(uint32_t)(count - b->last_count) * b->count_div;
	b->last_count = count;
	return 0;
}

/* Waits for the core to halt: on its own (a self-halting board), or told
 * to after the slice's simulated time (a real board); false on a signal. */
static int wait_halt(struct target_ocd *b, uint64_t n, char *err, size_t errlen)
{
	double limit = b->self_halting ? SLICE_MS : (double)n / b->cpu_mhz / 1e3;
	if (!b->self_halting && limit < 100)
		limit = 100; /* a real board: a check costs a halt */
	double t0 = now_ms();
	for (;;) {
		if (b->interrupted)
			return 1;
		double left = limit - (now_ms() - t0);
		if (left <= 0)
			break;
		int step = left < WAIT_STEP_MS ? (int)left + 1 : WAIT_STEP_MS;
		char why[512], state[32];
		if (ocd_wait_halted(b->ocd, step, why, sizeof why) == 0)
			return 0;
		/* Not halted yet, or OpenOCD or its board gone: asking again
		 * tells (a failed connection refuses every call after). */
		if (!ocd_alive(b->ocd, err, errlen) ||
		    ocd_state(b->ocd, state, sizeof state, err, errlen) != 0)
			return -1;
	}
	if (b->self_halting) {
		snprintf(err, errlen, "the core did not halt at its check point within %d s",
			 SLICE_MS / 1000);
		return -1;
	}
	return ocd_halt(b->ocd, err, errlen);
}

static enum vzsim_stop ocd_slice(struct target *t, uint64_t n)
{
	struct target_ocd *b = of(t);
	char err[512];
	if (b->ended)
		return VZSIM_STOP_RESET;
	uint64_t want = b->insns + n;
	for (;;) {
		if (ocd_resume(b->ocd, NULL, err, sizeof err) != 0) {
			fail(b, "resume", err);
			return VZSIM_STOP_DEBUG;
		}
		int w = wait_halt(b, n, err, sizeof err);
		if (w > 0)
			return VZSIM_STOP_REQUESTED;
		uint32_t debug, depc;
		if (w < 0 || ocd_cp0_read(b->ocd, 23, 0, &debug, err, sizeof err) != 0 ||
		    ocd_cp0_read(b->ocd, 24, 0, &depc, err, sizeof err) != 0 ||
		    read_insns(b, err, sizeof err) != 0) {
			fail(b, "a check", err);
			return VZSIM_STOP_DEBUG;
		}
		if (debug & DEBUG_DBP) {
			/* A guest's sdbbp (crashme): on a core with EJTAG it is a
			 * debug breakpoint, not the reserved instruction the
			 * direct board's core without EJTAG takes.  Stepped
			 * over, and counted. */
			if (debug & DEBUG_DBD)
				return VZSIM_STOP_DEBUG; /* in a delay slot: cannot step over */
			uint32_t next = depc + 4;
			if (ocd_reg_set(b->ocd, "pc", next, err, sizeof err) != 0) {
				fail(b, "stepping over sdbbp", err);
				return VZSIM_STOP_DEBUG;
			}
			b->sdbbp++;
			continue;
		}
		if (!(debug & DEBUG_DINT) && b->self_halting) {
			snprintf(err, sizeof err, "the core halted at 0x%08" PRIx32 " (Debug 0x%08"
				 PRIx32 "), not at a check point", depc, debug);
			fail(b, "a check", err);
			return VZSIM_STOP_DEBUG;
		}
		if (b->self_halting && b->insns < want) {
			/* The program ended before its slice did: vzsim halts
			 * the core where it stopped. */
			b->ended = true;
			return VZSIM_STOP_RESET;
		}
		return VZSIM_STOP_BUDGET;
	}
}

static int ocd_read_mem(void *ctx, uint32_t pa, void *buf, size_t len)
{
	struct target_ocd *b = ctx;
	char err[512];
	if (len % 4 || pa % 4 || pa >= 0x20000000u) {
		return -1;
	}
	uint32_t *w = buf;
	if (ocd_mem_read(b->ocd, KSEG0(pa), len / 4, w, err, sizeof err) != 0) {
		fail(b, "reading memory", err);
		return -1;
	}
	/* As the board's memory holds them: little-endian words. */
	for (size_t i = 0; i < len / 4; i++)
		w[i] = htole32(w[i]);
	return 0;
}

static void ocd_view(struct target *t, double wall, struct soak_view *v)
{
	struct target_ocd *b = of(t);
	memset(v, 0, sizeof *v);
	v->insns = b->insns;
	v->sim_ns = b->insns * 1000 / b->cpu_mhz;
	v->wall = wall;
	if (!t->failed)
		target_view_read(ocd_read_mem, b, v);
}

/* ------------------------------------------------------------ the end */

static int write_trace(struct target_ocd *b, char *err, size_t errlen)
{
	const struct target_ocd_config *c = &b->c;
	struct pdt_file_writer *w = pdt_file_reserve(c->trace, err, errlen);
	if (!w)
		return -1;
	uint64_t *words = NULL;
	size_t n = 0;
	struct pdt_file_info info;
	memset(&info, 0, sizeof info);
	info.version = PDT_FILE_VERSION;
	info.codec = PDT_CODEC_VZT1;
	info.flags = PDT_FLAG_ONCHIP;
	char why[512];
	if (ocd_tcb_read(b->ocd, 0, &words, &n, why, sizeof why) != 0 ||
	    ocd_cp0_read(b->ocd, 23, 1, &info.tracecontrol, why, sizeof why) != 0 ||
	    ocd_cp0_read(b->ocd, 23, 2, &info.tracecontrol2, why, sizeof why) != 0 ||
	    ocd_cp0_read(b->ocd, 15, 0, &info.prid, why, sizeof why) != 0 ||
	    ocd_cp0_read(b->ocd, 16, 3, &info.config3, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s: the TCB over JTAG: %s", c->trace, why);
		pdt_file_discard(w);
		free(words);
		return -1;
	}
	snprintf(info.board, sizeof info.board, "%s",
		 b->self_halting ? "vzsim through OpenOCD" : "a board through OpenOCD");
	snprintf(info.command, sizeof info.command, "%s", c->command ? c->command : "");
	snprintf(info.bootargs, sizeof info.bootargs, "%s", c->bootargs);
	info.seed = c->s->seed;
	info.has_seed = true;
	info.images[0].hash = pdt_hash_file(c->hv);
	snprintf(info.images[0].path, sizeof info.images[0].path, "%s", c->hv);
	info.nimages = 1;
	int rc = pdt_file_complete(w, &info, words, n, err, errlen);
	free(words);
	return rc;
}

int target_ocd_close(struct target_ocd *b, char *err, size_t errlen)
{
	int rc = 0;
	char why[512];
	if (!b->t.failed && b->c.trace) {
		char state[32];
		if (ocd_state(b->ocd, state, sizeof state, why, sizeof why) != 0 ||
		    (strcmp(state, "halted") && ocd_halt(b->ocd, why, sizeof why) != 0)) {
			snprintf(err, errlen, "%s: %s", b->c.trace, why);
			rc = -1;
		} else if (write_trace(b, err, errlen) != 0) {
			rc = -1;
		}
	}
	ocd_stop(b->ocd, why, sizeof why);
	stop_vzsim(b);
	free(b);
	return rc;
}
