/* linux.seccomp -> a BPF program, compiled with libseccomp in the parent before the clone and
 * cached by the sha256 of the filter's JSON, so a start with an unchanged profile reads ~3 KiB
 * instead of compiling hundreds of rules. The init only loads it. */
#ifndef BERTH_CORE_SECCOMP_H
#define BERTH_CORE_SECCOMP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct berr;
struct spec_seccomp;

struct seccomp_prog {
        void *filter; /* struct sock_filter[] */
        unsigned short len;
        unsigned int flags; /* SECCOMP_FILTER_FLAG_* */
};

/* cache_dir may be NULL (no cache). */
int secfilter_compile(const struct spec_seccomp *sc, const char *cache_dir,
                    struct seccomp_prog *out, struct berr *e);
/* Returns 0, or the notify fd (> 0, close-on-exec) when the filter has SCMP_ACT_NOTIFY rules. */
int secfilter_load(const struct seccomp_prog *p, struct berr *e);

/* Where a notify fd goes (linux.seccomp.listenerPath) and the container process state sent
 * with it (config-linux.md "The Container Process State"). path NULL: nowhere. */
struct seccomp_listener {
        const char *path, *metadata;
        const char *oci_version, *id, *bundle, *annotations_json; /* annotations may be NULL */
};
/* Connects to l->path (AF_UNIX, SOCK_STREAM), sends the state JSON with fd as SCM_RIGHTS in
 * one sendmsg, closes the connection. */
int seccomp_notify_send(const struct seccomp_listener *l, pid_t pid, int fd, struct berr *e);
void secfilter_free(struct seccomp_prog *p);

#endif
