/*
 * The hypervisor's console (the board's UART): its own lines start "hv: ",
 * and each guest's output is buffered to whole lines, each prefixed with
 * the guest's number, so that interleaved guests stay readable and a
 * reader (vzsoak's console watcher, its reports) can tell whose a line is.
 */
#ifndef VZSOAK_CONSOLE_H
#define VZSOAK_CONSOLE_H

/* The prefix of guest N's lines: a printf format of N (1..8). */
#define CONSOLE_GUEST_PREFIX "g%u: "

#endif
