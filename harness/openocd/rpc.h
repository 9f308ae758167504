/*
 * OpenOCD's Tcl RPC (docs/boards.md): a TCP connection to its tcl_port,
 * each command sent as its text and the byte 0x1A, each reply read up to
 * the next 0x1A.  One command at a time, as OpenOCD answers them in order.
 *
 * Nothing here waits without a deadline: the connect, every send and every
 * read are bounded by the caller's milliseconds (poll), so a board that
 * stops answering is an error, never a hang.  A call that failed leaves
 * the connection out of step with OpenOCD (a late reply would be taken for
 * the next command's), so every later call on it fails at once.
 *
 * Errors are one line in err, naming the peer (HOST:PORT) and, for a call,
 * the command (its first line, cut to RPC_CMD_SHOWN bytes).
 */
#ifndef HARNESS_OPENOCD_RPC_H
#define HARNESS_OPENOCD_RPC_H

#include <stddef.h>

/* OpenOCD's own limit on a line (TCL_LINE_MAX in its tcl_server.c). */
#define RPC_REPLY_MAX (4u << 20)
/* How much of a command an error message shows. */
#define RPC_CMD_SHOWN 60
/* The frame terminator, both ways. */
#define RPC_END 0x1a

struct rpc;

/* A connection to HOST:PORT within timeout_ms; NULL with a reason in err
 * (the host not found, refused, no answer in time). */
struct rpc *rpc_connect(const char *host, unsigned port, int timeout_ms, char *err,
			size_t errlen);

/* A connection over an open socket fd (it is the rpc's to close), named
 * `peer` in messages: what the tests give a fake server's socketpair. */
struct rpc *rpc_adopt(int fd, const char *peer, char *err, size_t errlen);

/* Replies longer than max bytes are errors (default RPC_REPLY_MAX). */
void rpc_set_reply_max(struct rpc *c, size_t max);

/*
 * Sends cmd (no 0x1A in it) and reads its reply within timeout_ms in all:
 * the reply without its terminator, malloc'd (the caller frees it), or
 * NULL with a reason in err (the peer closed the connection, no reply in
 * time, a reply over the limit, out of memory, a send that failed).
 */
char *rpc_call(struct rpc *c, const char *cmd, int timeout_ms, char *err, size_t errlen);

/* "HOST:PORT", as the messages name it. */
const char *rpc_peer(const struct rpc *c);

/* Closes the connection (NULL: nothing). */
void rpc_close(struct rpc *c);

/* A command as messages show it: its first line, cut to RPC_CMD_SHOWN
 * bytes with "..." after, into out (at least RPC_CMD_SHOWN + 4 bytes). */
void rpc_cmd_shown(const char *cmd, char *out, size_t outlen);

#endif
