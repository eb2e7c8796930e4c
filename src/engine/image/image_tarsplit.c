/* tar-split: what it takes to rebuild a loaded layer's tar byte for byte from its unpacked dir,
 * so `save` writes the layer with its original diff_id and the image keeps its id (docker keeps
 * the same kind of record for the same reason).
 *
 * After a layer is unpacked, a second pass walks the uncompressed tar stream's 512-byte headers
 * and stores everything but the contents of regular files ("raw" records), and for each regular
 * file's content a reference (size + its path, as libarchive reported it in the first pass).
 * The record is gzip'd: headers compress well. Rebuilding reads the contents from the layer dir
 * (openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS: a layer's own symlinks never lead out) and
 * hashes as it goes; the caller compares with the diff_id and falls back to a fresh tar if they
 * differ (a path written twice in the tar, a pax size override, a sparse file...). */
#include "engine/image/image_ops.h"

#include "util/cleanup.h"
#include "util/err.h"
#include "util/sha256.h"
#include "util/strv.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define BLOCK 512

struct split_w {
        struct archive *in, *out;
        char *const *paths;
        size_t next_path;
        unsigned char buf[64 * 1024];
        size_t have, off; /* unread bytes of buf: buf[off..have) */
        bool eof;
};

static int fill(struct split_w *s)
{
        if (s->off < s->have || s->eof)
                return 0;
        la_ssize_t n = archive_read_data(s->in, s->buf, sizeof(s->buf));
        if (n < 0)
                return -EIO;
        s->off = 0;
        s->have = (size_t)n;
        s->eof = n == 0;
        return 0;
}

static int put(struct split_w *s, char tag, const void *p, size_t len)
{
        uint32_t l = (uint32_t)len;
        if (archive_write_data(s->out, &tag, 1) != 1 || archive_write_data(s->out, &l, 4) != 4 ||
            (len && archive_write_data(s->out, p, len) != (la_ssize_t)len))
                return -EIO;
        return 0;
}

/* Copies (raw) or skips (content) n bytes of the stream. */
static int move(struct split_w *s, uint64_t n, bool raw)
{
        while (n) {
                if (fill(s) < 0)
                        return -EIO;
                if (s->eof)
                        return -EINVAL;
                size_t k = s->have - s->off;
                if (k > n)
                        k = (size_t)n;
                if (raw && put(s, 'R', s->buf + s->off, k) < 0)
                        return -EIO;
                s->off += k;
                n -= k;
        }
        return 0;
}

static int read_block(struct split_w *s, unsigned char blk[BLOCK])
{
        size_t got = 0;
        while (got < BLOCK) {
                if (fill(s) < 0)
                        return -EIO;
                if (s->eof)
                        return got ? -EINVAL : 1;
                size_t k = s->have - s->off;
                if (k > BLOCK - got)
                        k = BLOCK - got;
                memcpy(blk + got, s->buf + s->off, k);
                s->off += k;
                got += k;
        }
        return 0;
}

/* The size field: octal, or GNU base-256 (high bit set). */
static int64_t hdr_size(const unsigned char *h)
{
        const unsigned char *f = h + 124;
        int64_t v = 0;
        if (f[0] & 0x80) {
                for (int i = 1; i < 12; i++)
                        v = (v << 8) | f[i];
                return v;
        }
        for (int i = 0; i < 12 && f[i]; i++) {
                if (f[i] == ' ')
                        continue;
                if (f[i] < '0' || f[i] > '7')
                        return -1;
                v = v * 8 + (f[i] - '0');
        }
        return v;
}

static int walk(struct split_w *s)
{
        unsigned char h[BLOCK];
        for (;;) {
                int r = read_block(s, h);
                if (r == 1)
                        return 0;
                if (r < 0 || put(s, 'R', h, BLOCK) < 0)
                        return -EIO;
                bool zero = true;
                for (int i = 0; i < BLOCK && zero; i++)
                        zero = h[i] == 0;
                if (zero)
                        continue; /* end blocks and padding: raw, to the end */
                int64_t size = hdr_size(h);
                if (size < 0)
                        return -EINVAL;
                uint64_t pad = ((uint64_t)size + BLOCK - 1) / BLOCK * BLOCK - (uint64_t)size;
                char type = (char)h[156];
                if ((type == '0' || type == '\0' || type == '7') && size > 0) {
                        const char *p = s->paths ? s->paths[s->next_path] : NULL;
                        if (!p)
                                return -EINVAL;
                        s->next_path++;
                        uint64_t sz = (uint64_t)size;
                        if (archive_write_data(s->out, "F", 1) != 1 ||
                            archive_write_data(s->out, &sz, 8) != 8 || put(s, 'P', p, strlen(p)) < 0)
                                return -EIO;
                        r = move(s, sz, false);
                } else {
                        r = move(s, (uint64_t)size, true);
                }
                if (r == 0)
                        r = move(s, pad, true);
                if (r < 0)
                        return r;
        }
}

int tarsplit_write(const char *tar_path, char *const *paths, const char *out_path,
                   struct berr *e)
{
        struct split_w *s = calloc(1, sizeof(*s));
        if (!s)
                return berr_set(e, ENOMEM, "out of memory");
        s->paths = paths;
        s->in = archive_read_new();
        s->out = archive_write_new();
        int r = s->in && s->out ? 0 : -ENOMEM;
        struct archive_entry *ent = NULL;
        if (r == 0) {
                archive_read_support_filter_gzip(s->in);
                archive_read_support_filter_bzip2(s->in);
                archive_read_support_filter_xz(s->in);
                archive_read_support_filter_zstd(s->in);
                archive_read_support_format_raw(s->in);
                archive_write_add_filter_gzip(s->out);
                archive_write_set_format_raw(s->out);
                if (archive_read_open_filename(s->in, tar_path, 64 * 1024) != ARCHIVE_OK ||
                    archive_read_next_header(s->in, &ent) != ARCHIVE_OK ||
                    archive_write_open_filename(s->out, out_path) != ARCHIVE_OK)
                        r = -EIO;
        }
        struct archive_entry *w = r == 0 ? archive_entry_new() : NULL;
        if (w) {
                archive_entry_set_pathname(w, "tar-split");
                archive_entry_set_filetype(w, AE_IFREG);
                if (archive_write_header(s->out, w) != ARCHIVE_OK)
                        r = -EIO;
                archive_entry_free(w);
        }
        if (r == 0)
                r = walk(s);
        /* Every content reference must have been used: else the two passes disagreed. */
        if (r == 0 && paths && paths[s->next_path])
                r = -EINVAL;
        if (s->out && archive_write_close(s->out) != ARCHIVE_OK && r == 0)
                r = -EIO;
        if (s->in)
                archive_read_free(s->in);
        if (s->out)
                archive_write_free(s->out);
        free(s);
        if (r < 0) {
                unlink(out_path);
                return berr_set(e, -r, "recording the tar layout of %s", tar_path);
        }
        return 0;
}

static int open_beneath(int dirfd, const char *path)
{
        while (path[0] == '/' || (path[0] == '.' && path[1] == '/'))
                path += path[0] == '/' ? 1 : 2;
        struct open_how how = {.flags = O_RDONLY | O_CLOEXEC,
                               .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
                                          RESOLVE_NO_MAGICLINKS};
        return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

struct sink {
        int fd;
        struct sha256 h;
        uint64_t size;
};

static int emit(struct sink *k, const void *p, size_t n)
{
        const char *c = p;
        for (size_t off = 0; off < n;) {
                ssize_t w = write(k->fd, c + off, n - off);
                if (w < 0)
                        return -errno;
                off += (size_t)w;
        }
        sha256_update(&k->h, p, n);
        k->size += n;
        return 0;
}

static int rd(struct archive *a, void *p, size_t n)
{
        char *c = p;
        while (n) {
                la_ssize_t k = archive_read_data(a, c, n);
                if (k <= 0)
                        return -EINVAL;
                c += k;
                n -= (size_t)k;
        }
        return 0;
}

int tarsplit_rebuild(const char *split, int dirfd, int outfd, char digest[72], uint64_t *size,
                     struct berr *e)
{
        struct archive *a = archive_read_new();
        struct archive_entry *ent;
        struct sink k = {.fd = outfd};
        char *buf = malloc(64 * 1024);
        int r = a && buf && sha256_init(&k.h) == 0 ? 0 : -ENOMEM;
        bool hashing = r == 0;
        if (r == 0) {
                archive_read_support_filter_gzip(a);
                archive_read_support_format_raw(a);
                if (archive_read_open_filename(a, split, 64 * 1024) != ARCHIVE_OK ||
                    archive_read_next_header(a, &ent) != ARCHIVE_OK)
                        r = -EIO;
        }
        char tag;
        while (r == 0) {
                la_ssize_t n = archive_read_data(a, &tag, 1);
                if (n == 0)
                        break;
                if (n < 0) {
                        r = -EIO;
                        break;
                }
                if (tag == 'R') {
                        uint32_t len;
                        r = rd(a, &len, 4);
                        while (r == 0 && len) {
                                uint32_t c = len > 65536 ? 65536 : len;
                                r = rd(a, buf, c);
                                if (r == 0)
                                        r = emit(&k, buf, c);
                                len -= c;
                        }
                } else if (tag == 'F') {
                        uint64_t sz;
                        uint32_t plen;
                        char ptag, path[4097];
                        r = rd(a, &sz, 8);
                        if (r == 0)
                                r = rd(a, &ptag, 1);
                        if (r == 0)
                                r = rd(a, &plen, 4);
                        if (r == 0 && (ptag != 'P' || plen >= sizeof(path)))
                                r = -EINVAL;
                        if (r == 0)
                                r = rd(a, path, plen);
                        path[r == 0 ? plen : 0] = '\0';
                        _cleanup_close_ int fd = r == 0 ? open_beneath(dirfd, path) : -1;
                        if (r == 0 && fd < 0)
                                r = -ENOENT;
                        while (r == 0 && sz) {
                                ssize_t got = read(fd, buf, sz > 65536 ? 65536 : (size_t)sz);
                                if (got <= 0)
                                        r = -EINVAL; /* shorter than the tar said: stale */
                                else
                                        r = emit(&k, buf, (size_t)got);
                                sz -= got > 0 ? (uint64_t)got : 0;
                        }
                } else {
                        r = -EINVAL;
                }
        }
        if (a)
                archive_read_free(a);
        free(buf);
        if (r < 0) {
                if (hashing)
                        sha256_free(&k.h);
                return berr_set(e, -r, "rebuilding a layer from %s", split);
        }
        sha256_final(&k.h, digest);
        if (size)
                *size = k.size;
        return 0;
}
