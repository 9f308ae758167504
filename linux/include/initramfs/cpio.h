/*
 * A writer of "newc" cpio archives (the SVR4 portable format with no
 * checksums), the format Linux unpacks as its initramfs.  Each member is a
 * 110-byte header of ASCII hex fields ("070701", inode, mode, uid, gid,
 * links, mtime, size, device numbers, name size, check), the name with its
 * NUL, then the data, each padded to four bytes; the archive ends with a
 * member named "TRAILER!!!".
 *
 * Members are owned by root with mtime 0 and inodes numbered in order, so
 * an archive depends on its members alone.
 */
#ifndef INITRAMFS_CPIO_H
#define INITRAMFS_CPIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct cpio_writer {
	FILE *f;
	uint32_t next_ino;
	uint64_t written; /* bytes so far */
	int failed;       /* a write failed */
};

#define CPIO_NEWC_MAGIC "070701"
#define CPIO_HEADER_SIZE 110u
#define CPIO_TRAILER "TRAILER!!!"

void cpio_init(struct cpio_writer *w, FILE *f);
/* mode is the permission bits (07777); names have no leading '/'.
 * -1 if a write failed. */
int cpio_dir(struct cpio_writer *w, const char *name, unsigned mode);
int cpio_file(struct cpio_writer *w, const char *name, unsigned mode,
	      const void *data, uint32_t size);
int cpio_symlink(struct cpio_writer *w, const char *name, const char *target);
/* A device node; type is 'c' (character) or 'b' (block). */
int cpio_node(struct cpio_writer *w, const char *name, unsigned mode, char type,
	      unsigned major, unsigned minor);
/* The trailer: the archive is complete. */
int cpio_finish(struct cpio_writer *w);

#endif
