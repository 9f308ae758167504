/*
 * The OpenOCD client's parts free of processes (harness/openocd/): the
 * parsers of OpenOCD 0.12's replies on good and malformed replies, and
 * the Tcl RPC client against a fake Tcl server, a forked child that plays
 * a script on a socketpair or on a loopback listener: replies split
 * across reads, two replies in one read, a server that closes in the
 * middle of a reply, one that never answers (the deadline fires, and
 * soon), a reply without terminator over the size limit, a refused
 * connection.  The real OpenOCD is the openocd step's
 * (scripts/run-openocd-tests.sh).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness/openocd/deadline.h"
#include "harness/openocd/reply.h"
#include "harness/openocd/rpc.h"

/* ------------------------------------------------------------ parsers */

static void mdw_one_line(void **state)
{
	(void)state;
	uint32_t w[2];
	char err[256];
	assert_int_equal(reply_mdw("0x80000000: 24420001 deadBEEF \n", 0x80000000u, 2, w, err,
				   sizeof err), 0);
	assert_int_equal(w[0], 0x24420001u);
	assert_int_equal(w[1], 0xdeadbeefu);
	/* Without the trailing space and newline, as a Tcl result may be. */
	assert_int_equal(reply_mdw("0x80000000: 00000001", 0x80000000u, 1, w, err, sizeof err), 0);
	assert_int_equal(w[0], 1);
}

static void mdw_lines(void **state)
{
	(void)state;
	uint32_t w[10];
	char err[256];
	const char *r = "0xa0002000: 00000000 00000001 00000002 00000003 00000004 00000005 "
			"00000006 00000007 \n0xa0002020: 00000008 00000009 \n";
	assert_int_equal(reply_mdw(r, 0xa0002000u, 10, w, err, sizeof err), 0);
	for (uint32_t i = 0; i < 10; i++)
		assert_int_equal(w[i], i);
}

/* reply must be refused with a reason that contains want. */
static void mdw_bad(const char *reply, uint32_t addr, size_t n, const char *want)
{
	uint32_t w[16];
	char err[256] = "";
	assert_int_equal(reply_mdw(reply, addr, n, w, err, sizeof err), -1);
	if (!strstr(err, want))
		fail_msg("'%s': reason '%s' lacks '%s'", reply, err, want);
}

static void mdw_malformed(void **state)
{
	(void)state;
	mdw_bad("", 0x80000000u, 1, "0 words, not the 1 asked for");
	mdw_bad("0x80000000: 00000001 \n", 0x80000000u, 2, "1 words, not the 2");
	mdw_bad("0x80000000: 00000001 00000002 \n", 0x80000000u, 1, "more than the 1 words");
	mdw_bad("0x80000004: 00000001 \n", 0x80000000u, 1,
		"line 1: address 0x80000004, expected 0x80000000");
	mdw_bad("0x80000000: 00000000 00000001 00000002 00000003 00000004 00000005 00000006 "
		"00000007 \n0x80000040: 00000008 \n", 0x80000000u, 9,
		"line 2: address 0x80000040, expected 0x80000020");
	mdw_bad("0x80000000: 0000001 \n", 0x80000000u, 1, "not a word of 8 hex digits");
	mdw_bad("0x80000000: 000000011 \n", 0x80000000u, 1, "not a word of 8 hex digits");
	mdw_bad("0x80000000: 0000000g \n", 0x80000000u, 1, "not a word of 8 hex digits");
	mdw_bad("0x80000000 00000001 \n", 0x80000000u, 1, "a bad address");
	mdw_bad("0x80000000: \n", 0x80000000u, 1, "an address without words");
	mdw_bad("Target not halted\n", 0x80000000u, 1, "line 1: no address at 'Target not halted'");
	mdw_bad("0x80000000: 00000001 !\n", 0x80000000u, 1, "not a word of 8 hex digits at '!'");
}

static void cp0_good_and_bad(void **state)
{
	(void)state;
	uint32_t v = 0;
	char err[256];
	assert_int_equal(reply_cp0("cp0 reg 16, select 0: 80000482", 16, 0, &v, err, sizeof err), 0);
	assert_int_equal(v, 0x80000482u);
	assert_int_equal(reply_cp0("cp0 reg 23, select 0: 40000020\n", 23, 0, &v, err, sizeof err),
			 0);
	assert_int_equal(v, 0x40000020u);
	assert_int_equal(reply_cp0("cp0 reg 16, select 1: 80000482", 16, 0, &v, err, sizeof err), -1);
	assert_non_null(strstr(err, "register 16 select 1, not 16 select 0"));
	assert_int_equal(reply_cp0("cp0 reg 16, select 0: 180000482", 16, 0, &v, err, sizeof err),
			 -1);
	assert_int_equal(reply_cp0("cp0 reg 16, select 0: ", 16, 0, &v, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a 32-bit hex value"));
	assert_int_equal(reply_cp0("Target not halted", 16, 0, &v, err, sizeof err), -1);
	assert_non_null(strstr(err, "not 'cp0 reg R, select S: VALUE'"));
	assert_int_equal(reply_cp0("cp0 reg 16, select 0: 80000482 x", 16, 0, &v, err, sizeof err),
			 -1);
	assert_non_null(strstr(err, "a stray character"));
}

static void words64_good_and_bad(void **state)
{
	(void)state;
	uint64_t w[3];
	char err[256];
	assert_int_equal(reply_words64("10000000a0000000 10000001A0000001 ffffffffffffffff", 3, w,
				       err, sizeof err), 0);
	assert_true(w[0] == 0x10000000a0000000ull && w[1] == 0x10000001a0000001ull &&
		    w[2] == UINT64_MAX);
	assert_int_equal(reply_words64("", 0, w, err, sizeof err), 0);
	assert_int_equal(reply_words64("10000000a0000000", 2, w, err, sizeof err), -1);
	assert_non_null(strstr(err, "1 words, not the 2"));
	assert_int_equal(reply_words64("10000000a0000000 10000000a0000000", 1, w, err, sizeof err),
			 -1);
	assert_non_null(strstr(err, "more than the 1 words"));
	assert_int_equal(reply_words64("10000000a000000", 1, w, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a word of 16 hex digits"));
	assert_int_equal(reply_words64("10000000a0000000  10000000a0000000", 2, w, err, sizeof err),
			 -1);
}

static void numbers_good_and_bad(void **state)
{
	(void)state;
	uint64_t v[3];
	char err[256];
	assert_int_equal(reply_numbers("0x00000040 32 256", 3, v, err, sizeof err), 0);
	assert_true(v[0] == 0x40 && v[1] == 32 && v[2] == 256);
	assert_int_equal(reply_numbers("0x40 32", 3, v, err, sizeof err), -1);
	assert_int_equal(reply_numbers("0x40 32 256 1", 3, v, err, sizeof err), -1);
	assert_non_null(strstr(err, "more than the 3 numbers asked for"));
	assert_int_equal(reply_numbers("0x 32 256", 3, v, err, sizeof err), -1);
	assert_int_equal(reply_numbers("99999999999999999999", 1, v, err, sizeof err), -1);
	assert_int_equal(reply_numbers("invalid command name \"vz_tcb_span\"", 3, v, err, sizeof err),
			 -1);
}

/* ------------------------------------------------------------ the fake server */

/* One step of the fake server's script. */
struct step {
	char op;          /* 'r' read a command, 'w' write, 's' sleep, 'c' close */
	const char *data; /* 'r': the command it must be (with 0x1A); 'w': bytes */
	size_t len;       /* 'w': how many (0: strlen) */
	int ms;           /* 's' */
};
#define READ(cmd) { 'r', cmd "\x1a", 0, 0 }
#define WRITE(s) { 'w', s, 0, 0 }
#define SLEEP(ms) { 's', NULL, 0, ms }
#define CLOSE { 'c', NULL, 0, 0 }
#define END { 0, NULL, 0, 0 }

static void sleep_ms(int ms)
{
	struct timespec t = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (nanosleep(&t, &t))
		;
}

/* The child's side: plays the script on fd, then waits to be killed.
 * Exits 3 if a command was not the one expected. */
static void serve(int fd, const struct step *s)
{
	for (; s->op; s++) {
		switch (s->op) {
		case 'r': {
			size_t want = strlen(s->data), got = 0;
			char buf[256];
			while (got < want) {
				ssize_t n = read(fd, buf + got, want - got);
				if (n <= 0)
					_exit(4);
				got += (size_t)n;
			}
			if (memcmp(buf, s->data, want))
				_exit(3);
			break;
		}
		case 'w': {
			size_t n = s->len ? s->len : strlen(s->data);
			if (write(fd, s->data, n) != (ssize_t)n)
				_exit(5);
			break;
		}
		case 's':
			sleep_ms(s->ms);
			break;
		case 'c':
			close(fd);
			fd = -1;
			break;
		}
	}
	/* Keep the connection open: silence is the test's. */
	for (;;)
		pause();
}

struct fake {
	pid_t pid;
	struct rpc *rpc;
};

/* A fake server playing script over a socketpair, and the client on it. */
static void fake_start(struct fake *f, const struct step *script)
{
	int sv[2];
	char err[256];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	f->pid = fork();
	assert_true(f->pid >= 0);
	if (f->pid == 0) {
		close(sv[0]);
		serve(sv[1], script);
	}
	close(sv[1]);
	f->rpc = rpc_adopt(sv[0], "fake:6666", err, sizeof err);
	assert_non_null(f->rpc);
}

static void fake_stop(struct fake *f)
{
	rpc_close(f->rpc);
	kill(f->pid, SIGKILL);
	int st;
	assert_int_equal(waitpid(f->pid, &st, 0), f->pid);
	/* Killed by us: it read every command it expected. */
	if (!WIFSIGNALED(st))
		fail_msg("the fake server exited with status %d (3: a command not expected)",
			 WEXITSTATUS(st));
}

/* A call that must fail within max_ms with a reason containing want. */
static void call_fails(struct rpc *c, const char *cmd, int timeout_ms, int max_ms,
		       const char *want)
{
	char err[512] = "";
	int64_t t0 = deadline_now_ms();
	char *r = rpc_call(c, cmd, timeout_ms, err, sizeof err);
	int64_t took = deadline_now_ms() - t0;
	if (r)
		fail_msg("`%s` answered '%s'", cmd, r);
	if (!strstr(err, want))
		fail_msg("`%s`: reason '%s' lacks '%s'", cmd, err, want);
	if (took > max_ms)
		fail_msg("`%s` failed after %lld ms, not within %d", cmd, (long long)took, max_ms);
}

/* A call whose reply must be want. */
static void call_is(struct rpc *c, const char *cmd, const char *want)
{
	char err[512];
	char *r = rpc_call(c, cmd, 2000, err, sizeof err);
	if (!r)
		fail_msg("`%s`: %s", cmd, err);
	assert_string_equal(r, want);
	free(r);
}

static void rpc_split_reply(void **state)
{
	(void)state;
	static const struct step script[] = {
		READ("mdw 0x80000000 2"), WRITE("0x80000000: "), SLEEP(50), WRITE("24420001 "),
		SLEEP(50), WRITE("00000000 \n"), SLEEP(30), WRITE("\x1a"), END };
	struct fake f;
	fake_start(&f, script);
	call_is(f.rpc, "mdw 0x80000000 2", "0x80000000: 24420001 00000000 \n");
	fake_stop(&f);
}

static void rpc_two_replies_in_one_read(void **state)
{
	(void)state;
	/* The second reply comes with the first: it must wait, not be lost. */
	static const struct step script[] = {
		READ("first"), WRITE("one\x1atwo\x1a"), READ("second"), END };
	struct fake f;
	fake_start(&f, script);
	call_is(f.rpc, "first", "one");
	call_is(f.rpc, "second", "two");
	fake_stop(&f);
}

static void rpc_empty_reply(void **state)
{
	(void)state;
	static const struct step script[] = { READ("halt"), WRITE("\x1a"), END };
	struct fake f;
	fake_start(&f, script);
	call_is(f.rpc, "halt", "");
	fake_stop(&f);
}

static void rpc_closed_mid_reply(void **state)
{
	(void)state;
	static const struct step script[] = {
		READ("mdw 0x80000000 2"), WRITE("0x80000000: 244"), SLEEP(20), CLOSE, END };
	struct fake f;
	fake_start(&f, script);
	call_fails(f.rpc, "mdw 0x80000000 2", 5000, 2000,
		   "fake:6666: `mdw 0x80000000 2`: OpenOCD closed the connection in the middle of the reply");
	fake_stop(&f);
}

static void rpc_closed_before_reply(void **state)
{
	(void)state;
	static const struct step script[] = { READ("shutdown"), CLOSE, END };
	struct fake f;
	fake_start(&f, script);
	call_fails(f.rpc, "shutdown", 5000, 2000,
		   "`shutdown`: OpenOCD closed the connection before replying");
	fake_stop(&f);
}

static void rpc_never_answers(void **state)
{
	(void)state;
	static const struct step script[] = { READ("halt"), END };
	struct fake f;
	fake_start(&f, script);
	call_fails(f.rpc, "halt", 150, 1000, "fake:6666: `halt`: no reply within 150 ms");
	/* Out of step with the server now: refused at once, not sent. */
	call_fails(f.rpc, "resume", 5000, 100,
		   "`resume`: not sent: the connection failed before");
	fake_stop(&f);
}

static void rpc_part_then_silence(void **state)
{
	(void)state;
	static const struct step script[] = { READ("mdw 0 1"), WRITE("0x00000000: "), END };
	struct fake f;
	fake_start(&f, script);
	call_fails(f.rpc, "mdw 0 1", 150, 1000, "no reply within 150 ms (a part came)");
	fake_stop(&f);
}

static char big[3000];

static void rpc_reply_over_limit(void **state)
{
	(void)state;
	memset(big, 'x', sizeof big);
	static const struct step script[] = {
		READ("big"), { 'w', big, sizeof big, 0 }, END };
	struct fake f;
	fake_start(&f, script);
	rpc_set_reply_max(f.rpc, 1000);
	/* No terminator ever comes: the limit, not the deadline, ends it. */
	call_fails(f.rpc, "big", 5000, 2000, "fake:6666: `big`: a reply over 1000 bytes");
	fake_stop(&f);
}

static void rpc_reply_at_limit(void **state)
{
	(void)state;
	static char exact[1001];
	memset(exact, 'y', 1000);
	exact[1000] = 0x1a;
	static const struct step script[] = { READ("exact"), { 'w', exact, 1001, 0 }, END };
	struct fake f;
	char err[256];
	fake_start(&f, script);
	rpc_set_reply_max(f.rpc, 1000);
	char *r = rpc_call(f.rpc, "exact", 2000, err, sizeof err);
	assert_non_null(r);
	assert_int_equal(strlen(r), 1000);
	free(r);
	fake_stop(&f);
}

static void rpc_command_shown(void **state)
{
	(void)state;
	char out[RPC_CMD_SHOWN + 8];
	rpc_cmd_shown("mdw 0x0 1", out, sizeof out);
	assert_string_equal(out, "mdw 0x0 1");
	rpc_cmd_shown("first line\nsecond", out, sizeof out);
	assert_string_equal(out, "first line...");
	char longcmd[200];
	memset(longcmd, 'a', sizeof longcmd - 1);
	longcmd[sizeof longcmd - 1] = '\0';
	rpc_cmd_shown(longcmd, out, sizeof out);
	assert_int_equal(strlen(out), RPC_CMD_SHOWN + 3);
	/* A command holding the terminator is refused, not sent. */
	static const struct step script[] = { END };
	struct fake f;
	fake_start(&f, script);
	call_fails(f.rpc, "a\x1a" "b", 1000, 100, "the command holds the byte 0x1A");
	fake_stop(&f);
}

/* ------------------------------------------------------------ TCP */

/* A loopback listener on a port of the kernel's choice. */
static int listener(unsigned *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof a;
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

static void rpc_tcp(void **state)
{
	(void)state;
	static const struct step script[] = { READ("expr 6*7"), WRITE("42\x1a"), END };
	unsigned port;
	int lfd = listener(&port);
	assert_int_equal(listen(lfd, 1), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			_exit(6);
		serve(fd, script);
	}
	close(lfd);
	char err[256], peer[32];
	struct rpc *c = rpc_connect("127.0.0.1", port, 2000, err, sizeof err);
	assert_non_null(c);
	snprintf(peer, sizeof peer, "127.0.0.1:%u", port);
	assert_string_equal(rpc_peer(c), peer);
	call_is(c, "expr 6*7", "42");
	struct fake f = { pid, c };
	fake_stop(&f);
}

static void rpc_refused(void **state)
{
	(void)state;
	/* Bound, not listening: the kernel refuses, and nobody else can
	 * take the port meanwhile. */
	unsigned port;
	int fd = listener(&port);
	char err[256], want[64];
	int64_t t0 = deadline_now_ms();
	assert_null(rpc_connect("127.0.0.1", port, 2000, err, sizeof err));
	assert_true(deadline_now_ms() - t0 < 1000);
	snprintf(want, sizeof want, "127.0.0.1:%u: cannot connect: Connection refused", port);
	assert_string_equal(err, want);
	close(fd);
	assert_null(rpc_connect("127.0.0.1", 0, 2000, err, sizeof err));
	assert_string_equal(err, "127.0.0.1:0: not a TCP port");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mdw_one_line),
		cmocka_unit_test(mdw_lines),
		cmocka_unit_test(mdw_malformed),
		cmocka_unit_test(cp0_good_and_bad),
		cmocka_unit_test(words64_good_and_bad),
		cmocka_unit_test(numbers_good_and_bad),
		cmocka_unit_test(rpc_split_reply),
		cmocka_unit_test(rpc_two_replies_in_one_read),
		cmocka_unit_test(rpc_empty_reply),
		cmocka_unit_test(rpc_closed_mid_reply),
		cmocka_unit_test(rpc_closed_before_reply),
		cmocka_unit_test(rpc_never_answers),
		cmocka_unit_test(rpc_part_then_silence),
		cmocka_unit_test(rpc_reply_over_limit),
		cmocka_unit_test(rpc_reply_at_limit),
		cmocka_unit_test(rpc_command_shown),
		cmocka_unit_test(rpc_tcp),
		cmocka_unit_test(rpc_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
