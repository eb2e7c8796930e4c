/* Validators for names users type. Pure. */
#ifndef BERTH_UTIL_VALIDATE_H
#define BERTH_UTIL_VALIDATE_H

#include <stdbool.h>

/* RFC 1123: 1-253 characters, dot-separated labels of 1-63 [A-Za-z0-9-], no label starting or
 * ending with '-'. */
bool hostname_valid(const char *h);

#endif
