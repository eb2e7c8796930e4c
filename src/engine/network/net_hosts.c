/* Name resolution on bridge networks: each container's /etc/hosts (in its writable layer) holds
 * what berth wrote at create, then "# berth networks" and one line per container sharing a
 * network with it: address, name, its hostname (for its own line) and its aliases. Every change
 * of a network's members (attach, release, disconnect, rename) rewrites the files of every
 * member, under the store lock, each in one write. */
#include "engine/network/net_hosts.h"

#include "engine/network/network_store.h"
#include "engine/store/containers.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes text over the file at path in one write(2): a reader sees the old text or the new,
 * never half. When the new text is shorter than the old (old_len), it goes out padded to the old
 * length with a comment line, so that until the truncation that follows the file holds the new
 * entries and a comment, never the old text's tail. */
static void hosts_replace(const char *path, const char *text, size_t len, size_t old_len)
{
        size_t total = len < old_len && old_len - len >= 2 ? old_len : len;
        _cleanup_free_ char *buf = malloc(total);
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (!buf || fd < 0)
                return;
        memcpy(buf, text, len);
        if (total > len) {
                memset(buf + len, ' ', total - len);
                buf[len] = '#';
                buf[total - 1] = '\n';
        }
        if (write(fd, buf, total) == (ssize_t)total && total > len)
                (void)!ftruncate(fd, (off_t)len);
}

/* /etc/hosts of container cid: what berth wrote at create, then one line per container sharing
 * a network with it. Rewritten in place (the file is in the overlay's upper dir, mounted in the
 * container: a rename would leave the container reading the old inode). */
static void hosts_write(const char *root, const char *cid, struct network *nets, size_t nn)
{
        _cleanup_free_ char *cdir = container_dir(root, cid), *p = NULL, *old = NULL,
                            *hn = NULL;
        struct berr ignore;
        if (!cdir || asprintf(&p, "%s/upper/etc/hosts", cdir) < 0 ||
            read_file(p, &old, NULL, &ignore) < 0)
                return;
        _cleanup_free_ char *hp = NULL;
        if (asprintf(&hp, "%s/upper/etc/hostname", cdir) >= 0 && read_file(hp, &hn, NULL, &ignore) == 0)
                hn[strcspn(hn, "\n")] = '\0';
        size_t old_len = strlen(old);
        char *mark = strstr(old, "# berth networks\n");
        if (mark)
                *mark = '\0';
        char *s = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&s, &len);
        if (!f)
                return;
        fputs(old, f);
        fputs("# berth networks\n", f);
        for (size_t k = 0; k < nn; k++) {
                bool member = false;
                for (size_t i = 0; i < nets[k].n_eps && !member; i++)
                        member = !strcmp(nets[k].eps[i].cid, cid);
                for (size_t i = 0; member && i < nets[k].n_eps; i++) {
                        const struct net_endpoint *ep = &nets[k].eps[i];
                        char ip[16];
                        net_ip_format(ep->ip, ip);
                        fprintf(f, "%s\t%s", ip, ep->name);
                        if (!strcmp(ep->cid, cid) && hn && hn[0] && strcmp(hn, ep->name))
                                fprintf(f, " %s", hn);
                        for (size_t a = 0; ep->aliases && ep->aliases[a]; a++)
                                fprintf(f, " %s", ep->aliases[a]);
                        fputc('\n', f);
                }
        }
        fclose(f);
        hosts_replace(p, s, len, old_len);
        free(s);
}

/* Rewrites the hosts files of every container attached to network `name` (and of `extra`, which
 * just left it). The store lock is held. */
void net_hosts_refresh(const char *root, const struct network *changed, const char *extra)
{
        char **names = NULL;
        struct berr ignore;
        if (netstore_names(root, &names, &ignore) < 0)
                return;
        size_t cap = strv_len(names), nn = 0;
        struct network *nets = calloc(cap + 1, sizeof(*nets));
        for (size_t i = 0; nets && names[i]; i++)
                if (netstore_load(root, names[i], &nets[nn], &ignore) == 0)
                        nn++;
        strv_free(names);
        for (size_t i = 0; nets && i < changed->n_eps; i++)
                hosts_write(root, changed->eps[i].cid, nets, nn);
        if (nets && extra)
                hosts_write(root, extra, nets, nn);
        for (size_t i = 0; i < nn; i++)
                network_free(&nets[i]);
        free(nets);
}

int net_rename(const char *root, const char *id, const char *name, struct berr *e)
{
        _cleanup_close_ int lock = netstore_lock(root, e);
        if (lock < 0)
                return lock;
        char **names = NULL;
        int r = netstore_names(root, &names, e);
        for (size_t k = 0; r == 0 && names[k]; k++) {
                struct network n;
                struct berr ignore;
                if (netstore_load(root, names[k], &n, &ignore) < 0)
                        continue;
                for (size_t i = 0; i < n.n_eps; i++) {
                        if (strcmp(n.eps[i].cid, id) || !strcmp(n.eps[i].name, name))
                                continue;
                        snprintf(n.eps[i].name, sizeof(n.eps[i].name), "%s", name);
                        if ((r = netstore_save(root, &n, e)) == 0)
                                net_hosts_refresh(root, &n, NULL);
                        break;
                }
                network_free(&n);
        }
        strv_free(names);
        return r;
}
