/*
 * JSON output every host tool shares (json.c): one escaping of strings
 * for pdtrace's --json, the trace detectors' findings and vzsoak's
 * soak.json.
 */
#ifndef UTIL_JSON_H
#define UTIL_JSON_H

#include <stdio.h>

/* s as a JSON string (RFC 8259), quoted: quote and backslash escaped,
 * control characters as \uXXXX; other bytes, UTF-8 included, pass
 * through. */
void json_string(FILE *out, const char *s);

#endif
