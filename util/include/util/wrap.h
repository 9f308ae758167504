/*
 * Word-wrapped help text, for the option tables of vzsim --help and
 * vzsoak run --help (board options, scenario keys).
 */
#ifndef UTIL_WRAP_H
#define UTIL_WRAP_H

#include <stdio.h>

/* text on f, each line indented by indent, no line past 78 columns
 * unless a single word is longer; ends with a newline. */
void print_wrapped(FILE *f, const char *text, int indent);

#endif
