/* OCI mount options ("ro", "nosuid", "rbind", "rprivate", "size=64k", ...) -> mount(2) flags. */
#ifndef BERTH_CORE_MOUNT_OPTS_H
#define BERTH_CORE_MOUNT_OPTS_H

#include <stdbool.h>
#include <stddef.h>

struct mount_opts {
        unsigned long flags;       /* MS_RDONLY, MS_NOSUID, ... (without MS_BIND/MS_REC) */
        unsigned long clear;       /* flags an option asked to clear ("rw", "suid", ...) */
        unsigned long propagation; /* MS_PRIVATE|MS_REC, MS_SHARED, ... or 0 */
        bool bind, recursive;      /* "bind" / "rbind" */
        char data[4096]; /* filesystem options, comma separated; the kernel takes one page */
};

/* Pure. Unknown options go to data (the filesystem decides); returns -E2BIG if data overflows. */
int mount_opts_parse(char *const *opts, struct mount_opts *out);
/* Parses "private", "rslave", ... into MS_* flags; 0 if not a propagation word. Pure. */
unsigned long mount_propagation_flags(const char *word);

#endif
