#ifndef BERTH_ENGINE_RESOLV_H
#define BERTH_ENGINE_RESOLV_H

/* The host's resolv.conf without loopback nameservers (127.0.0.0/8, ::1): they would point at
 * the container's own loopback, where no resolver runs. Pure; heap-owned result. */
char *resolv_filter(const char *text);

#endif
