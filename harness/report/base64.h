/*
 * Base64 (RFC 4648, with padding) for report.html's embedded images:
 * data: URIs need no line breaks, so none are written.
 */
#ifndef HARNESS_REPORT_BASE64_H
#define HARNESS_REPORT_BASE64_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The encoding of p[0..n) to f. */
void base64_write(FILE *f, const uint8_t *p, size_t n);

#endif
