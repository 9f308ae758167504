/*
 * A Linux guest's files (docs/linux.md): the guest image's name, and where
 * make linux leaves the kernel, its initramfs and (make linux-symbols) its
 * symbols, in a folder found beside the hypervisor's ELF (build/target ->
 * build/linux).  The hypervisor names the image; vzsoak stages the kernel
 * and initramfs from there; libpdtrace decodes a Linux guest's kernel with
 * the vmlinux there.
 */
#ifndef VZSOAK_LINUX_FILES_H
#define VZSOAK_LINUX_FILES_H

/* The guest image (image=linux, gN=linux). */
#define LINUX_IMAGE_NAME "linux"

/* The folder, relative to the one the hypervisor's ELF is in. */
#define LINUX_FILES_DIR "../linux"

#define LINUX_FILE_KERNEL "vmlinuz"        /* the kernel as Debian boots it */
#define LINUX_FILE_INITRD "initramfs.cpio" /* vzsoak's initramfs */
/* What that vmlinuz decompresses to, with its symbols: from the kernel's
 * -dbg package (linux/fetch-symbols.sh). */
#define LINUX_FILE_SYMBOLS "vmlinux"

/* A traced run's snapshot of Linux guest N's kernel memory, which vzsoak
 * writes beside the capture, named after it (trace.vzt.g1-kernel.elf), and
 * pdtrace lays over the vmlinux: a printf format of the capture's path and
 * the guest's number. */
#define LINUX_MEMORY_IMAGE "%s.g%u-kernel.elf"

#endif
