#include "core/caps.h"

#include "core/spec.h"
#include "util/err.h"

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int last_cap(void)
{
        /* The running kernel may know fewer (or more) capabilities than berth's table. */
        for (int c = SPEC_CAP_LAST + 8; c >= 0; c--)
                if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) >= 0)
                        return c;
        return SPEC_CAP_LAST;
}

int caps_drop_bounding(const struct spec_caps *c, struct berr *e)
{
        int last = last_cap();
        for (int cap = 0; cap <= last; cap++) {
                if (cap <= 63 && (c->bounding & (1ULL << cap)))
                        continue;
                if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
                        return berr_sys(e, errno, "dropping %s from the bounding set",
                                        spec_cap_name(cap));
        }
        return 0;
}

int caps_before_setuid(struct berr *e)
{
        if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
                return berr_sys(e, errno, "keeping capabilities across setuid");
        return 0;
}

int caps_apply(const struct spec_caps *c, struct berr *e)
{
        struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
        struct __user_cap_data_struct d[2] = {0};
        uint64_t eff = c->effective, perm = c->permitted, inh = c->inheritable;
        d[0].effective = (uint32_t)eff;
        d[1].effective = (uint32_t)(eff >> 32);
        d[0].permitted = (uint32_t)perm;
        d[1].permitted = (uint32_t)(perm >> 32);
        d[0].inheritable = (uint32_t)inh;
        d[1].inheritable = (uint32_t)(inh >> 32);
        prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
        if (syscall(SYS_capset, &h, d) < 0)
                return berr_sys(e, errno, "process.capabilities: setting the capability sets");
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
                return berr_sys(e, errno, "clearing ambient capabilities");
        /* The kernel raises an ambient capability only if it is permitted and inheritable;
         * runc's default spec lists ambient ones that are not inheritable, and runc skips them:
         * so does berth (an ambient cap outside inheritable could never be in effect anyway). */
        uint64_t ambient = c->ambient & c->permitted & c->inheritable;
        for (int cap = 0; cap <= SPEC_CAP_LAST; cap++)
                if ((ambient & (1ULL << cap)) &&
                    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
                        return berr_sys(e, errno, "process.capabilities.ambient: raising %s "
                                                  "(it must be permitted and inheritable too)",
                                        spec_cap_name(cap));
        return 0;
}
