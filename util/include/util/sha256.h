/*
 * SHA-256 (FIPS 180-4), for naming exactly which images a report was made
 * with (sha256.c).  Not for secrets: no constant-time care.
 */
#ifndef UTIL_SHA256_H
#define UTIL_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;        /* bytes hashed so far */
	uint8_t buf[64];
	size_t n;            /* bytes in buf */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
/* The digest as 64 lowercase hex digits and a NUL. */
void sha256_hex(struct sha256 *s, char hex[65]);

/* The file's digest in hex: 0, or -1 (errno set) if it cannot be read. */
int sha256_file(const char *path, char hex[65]);

#endif
