#include "core/mount_opts.h"

#include <errno.h>
#include <string.h>
#include <sys/mount.h>

struct flag_word {
        const char *word;
        unsigned long set, clear;
};

static const struct flag_word flag_words[] = {
        {"ro", MS_RDONLY, 0},         {"rw", 0, MS_RDONLY},
        {"nosuid", MS_NOSUID, 0},     {"suid", 0, MS_NOSUID},
        {"nodev", MS_NODEV, 0},       {"dev", 0, MS_NODEV},
        {"noexec", MS_NOEXEC, 0},     {"exec", 0, MS_NOEXEC},
        {"sync", MS_SYNCHRONOUS, 0},  {"async", 0, MS_SYNCHRONOUS},
        {"dirsync", MS_DIRSYNC, 0},   {"remount", MS_REMOUNT, 0},
        {"mand", MS_MANDLOCK, 0},     {"nomand", 0, MS_MANDLOCK},
        {"atime", 0, MS_NOATIME},     {"noatime", MS_NOATIME, 0},
        {"diratime", 0, MS_NODIRATIME}, {"nodiratime", MS_NODIRATIME, 0},
        {"relatime", MS_RELATIME, 0}, {"norelatime", 0, MS_RELATIME},
        {"strictatime", MS_STRICTATIME, 0}, {"nostrictatime", 0, MS_STRICTATIME},
        {"silent", MS_SILENT, 0},     {"loud", 0, MS_SILENT},
        {"defaults", 0, 0},
};

unsigned long mount_propagation_flags(const char *w)
{
        static const struct {
                const char *word;
                unsigned long flags;
        } words[] = {
                {"private", MS_PRIVATE},    {"rprivate", MS_PRIVATE | MS_REC},
                {"shared", MS_SHARED},      {"rshared", MS_SHARED | MS_REC},
                {"slave", MS_SLAVE},        {"rslave", MS_SLAVE | MS_REC},
                {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
        };
        for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
                if (!strcmp(w, words[i].word))
                        return words[i].flags;
        return 0;
}

static int data_append(char *data, size_t cap, const char *opt)
{
        size_t len = strlen(data), ol = strlen(opt);
        if (len + (len ? 1 : 0) + ol + 1 > cap) /* comma, option, NUL */
                return -E2BIG;
        if (len)
                data[len++] = ',';
        memcpy(data + len, opt, ol + 1);
        return 0;
}

int mount_opts_parse(char *const *opts, struct mount_opts *out)
{
        memset(out, 0, sizeof(*out));
        for (size_t i = 0; opts && opts[i]; i++) {
                const char *o = opts[i];
                bool known = false;
                for (size_t j = 0; j < sizeof(flag_words) / sizeof(flag_words[0]); j++) {
                        if (strcmp(o, flag_words[j].word))
                                continue;
                        out->flags = (out->flags & ~flag_words[j].clear) | flag_words[j].set;
                        out->clear = (out->clear & ~flag_words[j].set) | flag_words[j].clear;
                        known = true;
                        break;
                }
                if (known)
                        continue;
                if (!strcmp(o, "bind")) {
                        out->bind = true;
                } else if (!strcmp(o, "rbind")) {
                        out->bind = out->recursive = true;
                } else if (mount_propagation_flags(o)) {
                        out->propagation = mount_propagation_flags(o);
                } else if (data_append(out->data, sizeof(out->data), o) < 0) {
                        return -E2BIG;
                }
        }
        return 0;
}
