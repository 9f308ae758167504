/*
 * OpenOCD's Tcl RPC client (rpc.h).  The socket is non-blocking from the
 * start, so every wait is a poll() against the call's deadline.
 */
#include "rpc.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"

struct rpc {
	int fd;
	char peer[96];
	size_t max;
	/* Bytes read past the last reply's terminator: OpenOCD sends nothing
	 * unasked, but a reader must not lose what a read brought. */
	char *buf;
	size_t len, cap;
	/* A call failed: the stream may hold a late reply; refuse the rest. */
	bool broken;
};

void rpc_cmd_shown(const char *cmd, char *out, size_t outlen)
{
	size_t n = strcspn(cmd, "\r\n");
	bool cut = cmd[n] != '\0';
	if (n > RPC_CMD_SHOWN) {
		n = RPC_CMD_SHOWN;
		cut = true;
	}
	snprintf(out, outlen, "%.*s%s", (int)n, cmd, cut ? "..." : "");
}

static struct rpc *rpc_new(int fd, const char *peer, char *err, size_t errlen)
{
	struct rpc *c = calloc(1, sizeof *c);
	if (!c) {
		snprintf(err, errlen, "%s: out of memory", peer);
		return NULL;
	}
	c->fd = fd;
	c->max = RPC_REPLY_MAX;
	snprintf(c->peer, sizeof c->peer, "%s", peer);
	return c;
}

/* Waits until fd is ready for events or the deadline passes: 1 ready, 0
 * timed out, -1 poll failed (errno). */
static int wait_fd(int fd, short events, const struct deadline *d)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = events };
		int r = poll(&p, 1, deadline_left_ms(d));
		if (r > 0)
			return 1;
		if (r == 0 && deadline_passed(d))
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

/* One address, within the deadline: the connected fd, or -1 (errno set;
 * ETIMEDOUT when the deadline passed). */
static int connect_one(const struct addrinfo *ai, const struct deadline *d)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
			ai->ai_protocol);
	if (fd < 0)
		return -1;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		if (errno != EINPROGRESS) {
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		int r = wait_fd(fd, POLLOUT, d), e = 0;
		socklen_t el = sizeof e;
		if (r == 0)
			e = ETIMEDOUT;
		else if (r < 0)
			e = errno;
		else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0)
			e = errno;
		if (e) {
			close(fd);
			errno = e;
			return -1;
		}
	}
	/* Commands are small and each waits for its reply. */
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

struct rpc *rpc_connect(const char *host, unsigned port, int timeout_ms, char *err,
			size_t errlen)
{
	char peer[96], service[16];
	snprintf(peer, sizeof peer, "%s:%u", host, port);
	snprintf(service, sizeof service, "%u", port);
	if (port == 0 || port > 65535) {
		snprintf(err, errlen, "%s: not a TCP port", peer);
		return NULL;
	}
	struct deadline d;
	deadline_start(&d, timeout_ms);
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICSERV };
	struct addrinfo *res;
	int g = getaddrinfo(host, service, &hints, &res);
	if (g) {
		snprintf(err, errlen, "%s: cannot resolve the host: %s", peer, gai_strerror(g));
		return NULL;
	}
	int fd = -1, e = 0;
	for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = connect_one(ai, &d);
		if (fd < 0)
			e = errno;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		if (e == ETIMEDOUT)
			snprintf(err, errlen, "%s: cannot connect: no answer within %d ms", peer,
				 timeout_ms);
		else
			snprintf(err, errlen, "%s: cannot connect: %s", peer, strerror(e));
		return NULL;
	}
	struct rpc *c = rpc_new(fd, peer, err, errlen);
	if (!c)
		close(fd);
	return c;
}

struct rpc *rpc_adopt(int fd, const char *peer, char *err, size_t errlen)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
		snprintf(err, errlen, "%s: %s", peer, strerror(errno));
		close(fd);
		return NULL;
	}
	struct rpc *c = rpc_new(fd, peer, err, errlen);
	if (!c)
		close(fd);
	return c;
}

void rpc_set_reply_max(struct rpc *c, size_t max)
{
	c->max = max;
}

const char *rpc_peer(const struct rpc *c)
{
	return c->peer;
}

void rpc_close(struct rpc *c)
{
	if (!c)
		return;
	close(c->fd);
	free(c->buf);
	free(c);
}

/* The reason of a failed call, after "PEER: `CMD`: "; marks c broken. */
static __attribute__((format(printf, 5, 6))) char *
call_failed(struct rpc *c, const char *cmd, char *err, size_t errlen, const char *fmt, ...)
{
	char shown[RPC_CMD_SHOWN + 8], why[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	rpc_cmd_shown(cmd, shown, sizeof shown);
	snprintf(err, errlen, "%s: `%s`: %s", c->peer, shown, why);
	c->broken = true;
	return NULL;
}

/* Sends n bytes within the deadline: 0, or -1 with errno (ETIMEDOUT). */
static int send_all(struct rpc *c, const char *p, size_t n, const struct deadline *d)
{
	while (n) {
		ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		int r = wait_fd(c->fd, POLLOUT, d);
		if (r <= 0) {
			if (r == 0)
				errno = ETIMEDOUT;
			return -1;
		}
	}
	return 0;
}

/* Room for at least `more` bytes after c->len: 0, or -1 out of memory. */
static int reserve(struct rpc *c, size_t more)
{
	if (c->cap - c->len >= more)
		return 0;
	size_t cap = c->cap ? c->cap : 4096;
	while (cap - c->len < more)
		cap *= 2;
	char *b = realloc(c->buf, cap);
	if (!b)
		return -1;
	c->buf = b;
	c->cap = cap;
	return 0;
}

/* The reply at the start of c->buf, up to its terminator at `end`; the
 * bytes after it stay for the next call. */
static char *take_reply(struct rpc *c, size_t end)
{
	char *r = malloc(end + 1);
	if (!r)
		return NULL;
	memcpy(r, c->buf, end);
	r[end] = '\0';
	c->len -= end + 1;
	memmove(c->buf, c->buf + end + 1, c->len);
	return r;
}

char *rpc_call(struct rpc *c, const char *cmd, int timeout_ms, char *err, size_t errlen)
{
	if (c->broken)
		return call_failed(c, cmd, err, errlen, "not sent: the connection failed before");
	if (strchr(cmd, RPC_END))
		return call_failed(c, cmd, err, errlen, "the command holds the byte 0x1A");
	struct deadline d;
	deadline_start(&d, timeout_ms);
	char end = RPC_END;
	if (send_all(c, cmd, strlen(cmd), &d) < 0 || send_all(c, &end, 1, &d) < 0) {
		if (errno == ETIMEDOUT)
			return call_failed(c, cmd, err, errlen, "not taken within %d ms", timeout_ms);
		if (errno == EPIPE || errno == ECONNRESET)
			return call_failed(c, cmd, err, errlen, "OpenOCD closed the connection");
		return call_failed(c, cmd, err, errlen, "cannot send: %s", strerror(errno));
	}
	for (size_t seen = 0;;) {
		char *t = c->len > seen ? memchr(c->buf + seen, RPC_END, c->len - seen) : NULL;
		if (t && (size_t)(t - c->buf) <= c->max) {
			char *r = take_reply(c, (size_t)(t - c->buf));
			return r ? r : call_failed(c, cmd, err, errlen, "out of memory");
		}
		if (t || c->len > c->max)
			return call_failed(c, cmd, err, errlen, "a reply over %zu bytes", c->max);
		seen = c->len;
		int r = wait_fd(c->fd, POLLIN, &d);
		if (r == 0)
			return call_failed(c, cmd, err, errlen, "no reply within %d ms%s", timeout_ms,
					   c->len ? " (a part came)" : "");
		if (r < 0)
			return call_failed(c, cmd, err, errlen, "poll: %s", strerror(errno));
		if (reserve(c, 65536) < 0)
			return call_failed(c, cmd, err, errlen, "out of memory");
		ssize_t n = recv(c->fd, c->buf + c->len, c->cap - c->len, MSG_DONTWAIT);
		if (n == 0)
			return call_failed(c, cmd, err, errlen,
					   "OpenOCD closed the connection %s",
					   c->len ? "in the middle of the reply" : "before replying");
		if (n < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)
			return call_failed(c, cmd, err, errlen, "%s",
					   errno == ECONNRESET ? "OpenOCD closed the connection"
							       : strerror(errno));
		if (n > 0)
			c->len += (size_t)n;
	}
}
