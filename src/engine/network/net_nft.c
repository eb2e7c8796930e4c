#include "engine/network/net_nft.h"

#include "util/err.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct nft_ctx;

static struct {
        void *lib;
        struct nft_ctx *(*ctx_new)(unsigned);
        int (*run)(struct nft_ctx *, const char *);
        int (*buffer_error)(struct nft_ctx *);
        const char *(*get_error)(struct nft_ctx *);
        struct nft_ctx *ctx;
} nft;

static int load(struct berr *e)
{
        if (nft.ctx)
                return 0;
        nft.lib = dlopen("libnftables.so.1", RTLD_NOW | RTLD_LOCAL);
        if (!nft.lib)
                return berr_set(e, ENOENT, "loading libnftables (install libnftables1): %s",
                                dlerror());
        nft.ctx_new = (struct nft_ctx * (*)(unsigned)) dlsym(nft.lib, "nft_ctx_new");
        nft.run = (int (*)(struct nft_ctx *, const char *))dlsym(nft.lib, "nft_run_cmd_from_buffer");
        nft.buffer_error = (int (*)(struct nft_ctx *))dlsym(nft.lib, "nft_ctx_buffer_error");
        nft.get_error = (const char *(*)(struct nft_ctx *))dlsym(nft.lib, "nft_ctx_get_error_buffer");
        if (!nft.ctx_new || !nft.run || !nft.buffer_error || !nft.get_error)
                return berr_set(e, ENOENT, "libnftables lacks the functions berth needs");
        if (!(nft.ctx = nft.ctx_new(0)))
                return berr_set(e, ENOMEM, "nft_ctx_new failed");
        nft.buffer_error(nft.ctx);
        return 0;
}

int nft_run(const char *script, struct berr *e)
{
        int r = load(e);
        if (r < 0)
                return r;
        if (nft.run(nft.ctx, script) != 0) {
                const char *err = nft.get_error(nft.ctx);
                char line[512];
                snprintf(line, sizeof(line), "%s", err ? err : "");
                line[strcspn(line, "\n")] = '\0';
                return berr_set(e, EIO, "nftables: %s", line[0] ? line : "the rules were refused");
        }
        return 0;
}
