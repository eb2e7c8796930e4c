/* What `berth ps` prints, as pure functions (unit-tested): docker's STATUS and COMMAND texts,
 * its -f filters, and a tabwriter-like table. */
#ifndef BERTH_CLI_PS_FORMAT_H
#define BERTH_CLI_PS_FORMAT_H

#include <stdbool.h>

#include "util/humanize.h"
#include <stddef.h>
#include <stdio.h>
#include <time.h>

struct berr;
struct record;

/* "Up 5 seconds", "Up 5 seconds (Paused)", "Exited (0) 3 seconds ago", "Created". */
void ps_status(const struct record *r, const struct timespec *now, char *buf, size_t len);
/* "5 seconds ago" from an RFC 3339 time; "" if it does not parse. */
void ps_ago(const char *rfc3339, const struct timespec *now, char *buf, size_t len);
/* The command joined by spaces, cut to 20 characters with "…" unless no_trunc, in double
 * quotes (Go's strconv.Quote of docker's Ellipsis). */
void ps_command(char *const *argv, bool no_trunc, char *buf, size_t len);
/* docker's PORTS cell: "0.0.0.0:8080->80/tcp, 127.0.0.1:5353->53/udp" ("" for none). */
struct net_port;
void ps_ports(const struct net_port *p, size_t n, char *buf, size_t len);
/* The state a filter and inspect see: "paused" for a paused running container. */
const char *ps_state(const struct record *r);

/* -f key=value: keys name (a regular expression), id (a prefix), status (created, restarting,
 * running, removing, paused, exited, dead). Values of one key are alternatives; different
 * keys must all match. */
struct ps_filter {
        char **names, **ids, **statuses;
};
int ps_filter_add(struct ps_filter *f, const char *arg, struct berr *e);
bool ps_filter_match(const struct ps_filter *f, const char *id, const char *name,
                     const char *state);
void ps_filter_free(struct ps_filter *f);

/* Prints rows (each ncols cells) like Go's tabwriter(minwidth, tabwidth 1, padding, ' '): each
 * column as wide as its widest cell plus padding (at least minwidth), the last one unpadded.
 * Width counts UTF-8 characters. */
/* (tables: table_print in util/humanize.h) */

#endif
