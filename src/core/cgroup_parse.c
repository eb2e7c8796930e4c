/* Pure parsers behind the cgroup driver: mountinfo, /proc/PID/cgroup, unit conversions. */
#include "core/cgroup.h"

#include <string.h>

bool cgroup_list_has(const char *list, const char *word)
{
        size_t wl = strlen(word);
        for (const char *p = list; p && *p;) {
                size_t n = strcspn(p, ",");
                if (n == wl && !strncmp(p, word, wl))
                        return true;
                p += n;
                if (*p == ',')
                        p++;
        }
        return false;
}

/* mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS" */
size_t cgroup_parse_mountinfo(FILE *f, struct cgroup_mount *out, size_t max)
{
        char line[4096];
        size_t n = 0;
        while (n < max && fgets(line, sizeof(line), f)) {
                char root[512], mp[512], fstype[64], super[256];
                char *dash = strstr(line, " - ");
                if (!dash)
                        continue;
                if (sscanf(line, "%*s %*s %*s %511s %511s", root, mp) != 2)
                        continue;
                if (sscanf(dash + 3, "%63s %*s %255s", fstype, super) != 2)
                        continue;
                bool v2 = !strcmp(fstype, "cgroup2");
                if (!v2 && strcmp(fstype, "cgroup"))
                        continue;
                struct cgroup_mount *m = &out[n++];
                snprintf(m->root, sizeof(m->root), "%s", root);
                snprintf(m->mountpoint, sizeof(m->mountpoint), "%s", mp);
                snprintf(m->options, sizeof(m->options), "%s", v2 ? "" : super);
                m->v2 = v2;
        }
        return n;
}

size_t cgroup_parse_proc(FILE *f, struct cgroup_membership *out, size_t max)
{
        char line[1024];
        size_t n = 0;
        while (n < max && fgets(line, sizeof(line), f)) {
                line[strcspn(line, "\n")] = '\0';
                char *c1 = strchr(line, ':');
                char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
                if (!c2 || c2[1] != '/')
                        continue;
                *c2 = '\0';
                snprintf(out[n].controllers, sizeof(out[n].controllers), "%s", c1 + 1);
                snprintf(out[n].path, sizeof(out[n].path), "%s", c2 + 1);
                n++;
        }
        return n;
}

uint64_t cgroup_shares_to_weight(uint64_t shares)
{
        /* runc's linear map of v1's [2, 262144] onto v2's [1, 10000]; shares 1024 (the
         * default) gives 39, not 100 — the price of keeping relative order everywhere. */
        if (shares < 2)
                shares = 2;
        if (shares > 262144)
                shares = 262144;
        return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t cgroup_blkio_to_io_weight(uint64_t w)
{
        if (w < 10)
                w = 10;
        if (w > 1000)
                w = 1000;
        return 1 + ((w - 10) * 9999) / 990;
}
