/*
 * vzsim --jtag: the board's EJTAG TAP served to one probe over OpenOCD's
 * remote_bitbang protocol (rbb_server.h).
 *
 * The core runs in slices while the probe is quiet and stops while it is
 * halted; every request the probe sends is handled between two slices, at
 * an instruction boundary, and answered at once (OpenOCD keeps up to 255
 * reads outstanding and waits for their answers before it sends more).
 * Debug mode does not count as instructions, so where the probe halts the
 * core does not change what the program does: a run is the same run,
 * instruction for instruction, however the probe's polls fall.
 */
#include "rbb_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <util/outfile.h>

/* Instructions per slice: a probe's request waits at most about this
 * long (a few milliseconds), far below OpenOCD's timeouts. */
#define SLICE (UINT64_C(1) << 20)
/* How long to wait for the probe while nothing else can happen (ms):
 * bounds how late a signal is noticed. */
#define IDLE_POLL_MS 200

static void rbb_err(char *err, size_t errlen, const char *what, int e)
{
	snprintf(err, errlen, "%s: %s", what, strerror(e));
}

static int listen_loopback(unsigned port, unsigned *bound, char *err, size_t errlen)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		rbb_err(err, errlen, "socket", errno);
		return -1;
	}
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof a;
	if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 1) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &alen) != 0) {
		snprintf(err, errlen, "127.0.0.1:%u: %s", port, strerror(errno));
		close(fd);
		return -1;
	}
	*bound = ntohs(a.sin_port);
	return fd;
}

/* The port number in FILE, written whole (the runner waits for it). */
static int write_ready(const char *path, unsigned port, char *err, size_t errlen)
{
	struct outfile o;
	if (outfile_open(&o, path, err, errlen) != 0)
		return -1;
	fprintf(o.f, "%u\n", port);
	return outfile_commit(&o, err, errlen);
}

static int wait_client(int lfd, const volatile sig_atomic_t *stop, char *err,
		       size_t errlen)
{
	while (!*stop) {
		struct pollfd p = {.fd = lfd, .events = POLLIN};
		int n = poll(&p, 1, IDLE_POLL_MS);
		if (n < 0 && errno != EINTR) {
			rbb_err(err, errlen, "poll", errno);
			return -1;
		}
		if (n <= 0)
			continue;
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			rbb_err(err, errlen, "accept", errno);
			return -1;
		}
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		return fd;
	}
	return -2; /* stopped by a signal */
}

static bool write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

int rbb_serve(vzsim *sim, const struct rbb_opts *o, struct rbb_end *end, char *err,
	      size_t errlen)
{
	memset(end, 0, sizeof *end);
	end->why = VZSIM_STOP_BUDGET;
	unsigned port;
	int lfd = listen_loopback(o->port, &port, err, errlen);
	if (lfd < 0)
		return -1;
	fprintf(stderr, "vzsim: remote_bitbang on 127.0.0.1:%u\n", port);
	if (o->ready_file && write_ready(o->ready_file, port, err, errlen) != 0) {
		close(lfd);
		return -1;
	}
	int fd = wait_client(lfd, o->stop, err, errlen);
	close(lfd); /* one probe */
	if (fd == -1)
		return -1;
	if (fd == -2) {
		end->interrupted = true;
		return 0;
	}
	static char in[1 << 16], out[1 << 16];
	struct vzsim_stats st;
	/* The program ended (reset, deadlock) or --max-insns came: the core
	 * runs no more, and is kept halted (below) for the probe to read. */
	bool stopped = false;
	uint64_t last_halt = 0;
	for (;;) {
		if (*o->stop) {
			end->interrupted = true;
			break;
		}
		if (stopped && !vzsim_debug_mode(sim)) {
			/* At the end, and whenever the probe resumes it after:
			 * nothing is left to run, so halted, as a probe's halt
			 * would leave it. */
			vzsim_jtag_break(sim);
		}
		bool runnable = !stopped && !vzsim_debug_mode(sim);
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int n = poll(&p, 1, runnable ? 0 : IDLE_POLL_MS);
		if (n < 0 && errno != EINTR) {
			rbb_err(err, errlen, "poll", errno);
			close(fd);
			return -1;
		}
		if (n > 0) {
			ssize_t got = read(fd, in, sizeof in);
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0)
				break; /* the probe went away */
			size_t nout;
			bool quit;
			int used = vzsim_rbb_feed(sim, in, (size_t)got, out, &nout, &quit);
			if (nout && !write_all(fd, out, nout))
				break;
			if (used < 0) {
				snprintf(err, errlen, "probe sent byte 0x%02x, not a "
					 "remote_bitbang request",
					 (unsigned char)in[-used - 1]);
				close(fd);
				return -1;
			}
			end->requests += (uint64_t)used;
			if (quit)
				break;
			continue;
		}
		if (!runnable)
			continue;
		uint64_t slice = SLICE;
		vzsim_get_stats(sim, &st);
		uint64_t done = st.insns + st.idle_cycles;
		if (o->halt_every) {
			uint64_t next = (done / o->halt_every + 1) * o->halt_every;
			if (done && done % o->halt_every == 0 && done != last_halt) {
				/* A check point: halted for the probe, which
				 * resumes the core when it has looked. */
				last_halt = done;
				vzsim_jtag_break(sim);
				continue;
			}
			if (next - done < slice)
				slice = next - done;
		}
		if (o->max_set) {
			if (done >= o->max_insns) {
				stopped = true;
				continue;
			}
			if (o->max_insns - done < slice)
				slice = o->max_insns - done;
		}
		enum vzsim_stop why = vzsim_run(sim, slice);
		if (why == VZSIM_STOP_RESET || why == VZSIM_STOP_DEADLOCK) {
			end->why = why;
			stopped = true;
		}
	}
	close(fd);
	return 0;
}
