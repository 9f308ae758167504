/*
 * worker.h: the memory worker's side of the stress kernel (worker.c runs
 * in user mode; main.c serves its system calls: v0 = number, a0..a2 the
 * arguments, v0 the result).
 */
#ifndef STRESS_WORKER_H
#define STRESS_WORKER_H

#include <stdint.h>

#define WORKER_PAGE	0x4000u
#define WORKER_VA	0x00400000u	/* its region: npages 16K pages from here */
#define WORKER_STACK_VA	0x003fc000u	/* one page below the region */

#define SYS_PASS_BEGIN	1 /* a0 = pass -> v0 = the region, freshly unmapped */
#define SYS_SIBLING	2 /* a0 = VA: make its PTE valid, leave the TLB alone */
#define SYS_PASS_END	3 /* a0 = words wrong, a1 = the first's VA, a2 = what it read */

void __attribute__((noreturn)) worker_main(uint32_t npages);

#endif
