/*
 * The boot-arguments block: how the reference hypervisor gets its run-time
 * parameters (number of guests, seed, quantum, which fixes are on...) on any
 * board.  The board fills it before the hypervisor starts: vzsim from
 * `--bootargs "k=v ..."`, the harness through OpenOCD on a real board.
 * One definition, shared by every writer and the reader (target and host
 * code alike: plain C, no library).
 *
 * At physical BOOTARGS_PA (kseg0 BOOTARGS_KSEG0), little-endian:
 *   u32 magic    BOOTARGS_MAGIC
 *   u32 version  BOOTARGS_VERSION
 *   u32 length   bytes of text, without the NUL (< BOOTARGS_TEXT_MAX)
 *   u32 reserved 0
 *   char text[]  "key=value key=value ...", NUL-terminated
 * No magic there: no arguments (the hypervisor uses its defaults).
 */
#ifndef VZSOAK_BOOTARGS_H
#define VZSOAK_BOOTARGS_H

#define BOOTARGS_PA       0x00001000u
#define BOOTARGS_KSEG0    0x80001000u
#define BOOTARGS_SIZE     0x1000u
#define BOOTARGS_MAGIC    0x41425a56u /* "VZBA" */
#define BOOTARGS_VERSION  1u
#define BOOTARGS_HEADER   16u
#define BOOTARGS_TEXT_MAX (BOOTARGS_SIZE - BOOTARGS_HEADER)

#endif
