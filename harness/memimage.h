/*
 * Snapshots of Linux guests' kernel memory beside a run's capture
 * (<vzsoak/linux_files.h>, LINUX_MEMORY_IMAGE), for the flow decoder.
 * Linux rewrites its own code as it boots: ftrace turns the _mcount call
 * at each function's entry into a nop, and the TLB refill and exception
 * handlers, copy_page and clear_page are generated into place.  The
 * vmlinux of make linux-symbols names the code but no longer holds what
 * ran; the snapshot does, and pdtrace lays it over the vmlinux
 * (pdt_code_overlay), as perf decodes a kernel's trace with /proc/kcore.
 */
#ifndef HARNESS_MEMIMAGE_H
#define HARNESS_MEMIMAGE_H

#include <stddef.h>

#include <vzsim/vzsim.h>

#include "view.h"

/* Guest-physical memory a snapshot holds, from 0: the exception vectors
 * Linux copies low, and the kernel's text (Debian 6.1's ends at 11 MiB),
 * at most the guest's RAM. */
#define MEMIMAGE_BYTES (16u << 20)

/* Pages all zero or all 0xcc (memory Linux freed after its boot, poisoned)
 * are left out: they hold no code, and the vmlinux holds the init code
 * that ran there before it was freed. */
#define MEMIMAGE_PAGE 4096u

/*
 * Writes TRACE.gN-kernel.elf for each guest of v that runs Linux: its
 * memory from guest-physical 0 at the kseg0 addresses its kernel runs at,
 * but for blank pages.
 * Returns how many it wrote (a guest with blank pages only has none), or
 * -1 with a reason in err.
 */
int memimage_write(vzsim *sim, const struct soak_view *v, const char *trace, char *err,
		   size_t errlen);

#endif
