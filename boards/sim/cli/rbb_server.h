/*
 * vzsim --jtag (rbb_server.c): serves the board's EJTAG TAP to one probe
 * (OpenOCD's remote_bitbang adapter) on 127.0.0.1, running the core while
 * the probe lets it, until the probe disconnects or a signal.
 */
#ifndef VZSIM_RBB_SERVER_H
#define VZSIM_RBB_SERVER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vzsim/vzsim.h>

struct rbb_opts {
	unsigned port;          /* 0: any free port */
	const char *ready_file; /* gets the port number once listening, or NULL */
	uint64_t max_insns;     /* with max_set: the core halts there */
	bool max_set;
	uint64_t halt_every;    /* the core halts at every multiple (0: never) */
	const volatile sig_atomic_t *stop; /* set by a signal handler */
};

struct rbb_end {
	enum vzsim_stop why;    /* VZSIM_STOP_RESET or _DEADLOCK if the program ended */
	bool interrupted;       /* a signal */
	uint64_t requests;      /* bytes of requests served */
};

/* 0 when the probe went away or a signal came; -1 with a one-line reason
 * (the port taken, a socket error, a byte that is no request). */
int rbb_serve(vzsim *sim, const struct rbb_opts *o, struct rbb_end *end, char *err,
	      size_t errlen);

#endif
