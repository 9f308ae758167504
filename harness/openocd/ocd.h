/*
 * OpenOCD as the harness runs it (docs/boards.md): started as a child in
 * a process group of its own with the board's configuration, or joined
 * where it already runs; Tcl commands sent to it over its RPC port
 * (rpc.h); stopped, whatever state it is in, within a bounded time.
 *
 * A started OpenOCD is watched: before each command and after any failed
 * one the child is checked (waitpid, WNOHANG), so its death is reported as
 * such ("openocd (pid N) was killed by signal 9 ...", with its log's last
 * line), not as a mere closed socket.  Errors are one line in err.
 */
#ifndef HARNESS_OPENOCD_OCD_H
#define HARNESS_OPENOCD_OCD_H

#include <stddef.h>
#include <sys/types.h>

/* The target's name in every vzsoak OpenOCD configuration
 * (boards/openocd/): the commands built here name it. */
#define OCD_TARGET "vz.cpu"
/* The program, unless the environment's VZSOAK_OPENOCD names another. */
#define OCD_PROGRAM "/usr/bin/openocd"
#define OCD_PROGRAM_ENV "VZSOAK_OPENOCD"
/* A command's deadline when the caller gives none. */
#define OCD_TIMEOUT_MS 10000

struct ocd;

struct ocd_start {
	/* "-c" commands before the configuration files (NULL-terminated,
	 * NULL: none), e.g. "set VZSIM_PORT 9824". */
	const char *const *settings;
	/* "-f" files (NULL-terminated, at least one). */
	const char *const *cfgs;
	/* OpenOCD's stdout and stderr, created or truncated. */
	const char *log;
	/* Its Tcl port; 0: a free one.  Given to OpenOCD as "tcl_port N"
	 * and as the Tcl variable VZSOAK_TCL_PORT, which the configurations
	 * of boards/openocd/ read. */
	unsigned tcl_port;
	/* From the start to the Tcl port's first answer (init included). */
	int timeout_ms;
};

/*
 * Runs `openocd -c "set VZSOAK_TCL_PORT N" -c "tcl_port N" -c "gdb_port
 * disabled" -c "telnet_port disabled" [-c SETTING]... -f CFG... -c init`
 * and waits for its Tcl port; NULL with a reason (the program that cannot
 * run, OpenOCD that exited, with its log's last line, or no Tcl port in
 * time, after which it is stopped).
 */
struct ocd *ocd_start(const struct ocd_start *how, char *err, size_t errlen);

/* An OpenOCD already running with its Tcl port at host:port. */
struct ocd *ocd_join(const char *host, unsigned port, int timeout_ms, char *err,
		     size_t errlen);

/*
 * Runs a Tcl script (balanced braces: it is evaluated inside `catch
 * {...}`) within timeout_ms (0: OCD_TIMEOUT_MS) and returns its result,
 * malloc'd; NULL with a reason in err: the script's Tcl error (OpenOCD's
 * message, or the last line of its log when the message is empty), the
 * RPC failure, or OpenOCD's death.
 */
char *ocd_eval(struct ocd *o, const char *script, int timeout_ms, char *err, size_t errlen);

/* A started OpenOCD that is still running: 1; 0 with how it ended in
 * err.  A joined one: 1 (only its connection can tell). */
int ocd_alive(struct ocd *o, char *err, size_t errlen);

/*
 * Ends the session and frees o.  A started OpenOCD is sent `shutdown`,
 * given a few seconds, then SIGTERM, then SIGKILL (its process group),
 * and reaped; 0 if it exited by itself with status 0, -1 with how it
 * ended otherwise.  A joined one is only disconnected: it is not ours.
 */
int ocd_stop(struct ocd *o, char *err, size_t errlen);

/* The child's pid (0 when joined), the Tcl port, "HOST:PORT". */
pid_t ocd_pid(const struct ocd *o);
unsigned ocd_tcl_port(const struct ocd *o);
const char *ocd_peer(const struct ocd *o);

/* A TCP port on 127.0.0.1 that nothing listens on now (the kernel's
 * choice), for a Tcl or remote_bitbang port; 0 with a reason in err. */
unsigned ocd_free_port(char *err, size_t errlen);

#endif
