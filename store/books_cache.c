/*
 * The statement cache, <data>/books.cache (store/store.h, docs/FORMATS.md 7.9): the slices of
 * derived books (proto/books.h) written once after a derivation, so that `saksi statement`
 * reads one member's part instead of deriving the books of every entry. The file is derived
 * state keyed by the ledger head: a stale, torn or corrupt file is a miss, never an answer.
 *
 * Layout (integers little endian):
 *
 *   header  (HDR_LEN bytes) magic "saksi-books-c\0\0\0", u32 version, u32 0, ledger id[32],
 *           head[32], u64 applied, u64 common offset, u64 common length, u64 index offset,
 *           u64 members, SHA-256 of the common part[32], SHA-256 of the index[32],
 *           SHA-256 of all the header's bytes before it[32]
 *   common  books_slice_common()
 *   parts   books_slice_each(), one after another, ascending member
 *   index   per member (ascending): u32 member, u64 offset, u64 length, SHA-256 of the part[32]
 *
 * A reader checks the header, the index and the common part, binary-searches the index and
 * checks the one part it reads: its cost is that part, not the file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proto/books.h"
#include "proto/crypto.h"
#include "proto/err.h"
#include "store/store.h"

#define MAGIC     "saksi-books-c\0\0\0"
#define MAGIC_LEN 16
#define HDR_LEN   (16 + 4 + 4 + 32 + 32 + 8 + 8 + 8 + 8 + 8 + 32 + 32 + 32)
#define IDX_LEN   (4 + 8 + 8 + 32)

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
    return get32(p) | (uint64_t)get32(p + 4) << 32;
}

int store_books_cache_path(const char *dir, char *out, size_t size)
{
    int n = snprintf(out, size, "%s/%s", dir, STORE_BOOKS_CACHE_FILE);

    return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* ---- writing ---- */

struct writer {
    FILE *f;
    uint64_t off; /* bytes written so far */
    struct proto_buf index;
    int err;
};

static int part_cb(void *ctx, uint32_t member, const uint8_t *slice, size_t len)
{
    struct writer *w = ctx;
    uint8_t e[IDX_LEN];
    int rc;

    put32(e, member);
    put64(e + 4, w->off);
    put64(e + 12, len);
    proto_sha256(slice, len, e + 20);
    if (len && fwrite(slice, 1, len, w->f) != len)
        return errno ? -errno : -EIO;
    w->off += len;
    rc = proto_buf_append(&w->index, e, sizeof e);
    return rc;
}

static bool head_same(const struct store_head *a, const struct store_head *b)
{
    return memcmp(a->head, b->head, 32) == 0 && a->applied == b->applied;
}

int store_books_cache_write(struct store *st, const char *dir, const struct books *bk,
                            const struct store_head *at)
{
    char path[4096], tmp[4160];
    uint8_t hdr[HDR_LEN], *p = hdr;
    struct proto_buf common;
    struct store_head now;
    struct writer w = {NULL, HDR_LEN, {NULL, 0, 0}, 0};
    int fd = -1, rc;

    proto_buf_init(&common);
    proto_buf_init(&w.index);
    rc = store_books_cache_path(dir, path, sizeof path);
    if (rc < 0)
        return rc;
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    rc = books_slice_common(bk, &common);
    if (rc < 0)
        goto out;
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        rc = -errno;
        goto out;
    }
    w.f = fdopen(fd, "wb");
    if (!w.f) {
        rc = -errno;
        goto out;
    }
    fd = -1;
    memset(hdr, 0, sizeof hdr);
    if (fwrite(hdr, 1, sizeof hdr, w.f) != sizeof hdr ||
        fwrite(common.data, 1, common.len, w.f) != common.len) {
        rc = -EIO;
        goto out;
    }
    w.off += common.len;
    rc = books_slice_each(bk, part_cb, &w);
    if (rc < 0)
        goto out;
    if (fwrite(w.index.data, 1, w.index.len, w.f) != w.index.len) {
        rc = -EIO;
        goto out;
    }
    /* The header last: until it is written the file has no valid checksum. */
    memcpy(p, MAGIC, MAGIC_LEN);
    p += MAGIC_LEN;
    put32(p, STORE_BOOKS_CACHE_VERSION);
    p += 8;
    memcpy(p, books_ledger_id(bk), 32);
    p += 32;
    memcpy(p, at->head, 32);
    p += 32;
    put64(p, at->applied);
    put64(p + 8, HDR_LEN);
    put64(p + 16, common.len);
    put64(p + 24, w.off);
    put64(p + 32, w.index.len / IDX_LEN);
    p += 40;
    proto_sha256(common.data, common.len, p);
    proto_sha256(w.index.data, w.index.len, p + 32);
    p += 64;
    proto_sha256(hdr, (size_t)(p - hdr), p);
    if (fseek(w.f, 0, SEEK_SET) != 0 || fwrite(hdr, 1, sizeof hdr, w.f) != sizeof hdr ||
        fflush(w.f) != 0 || fsync(fileno(w.f)) != 0) {
        rc = errno ? -errno : -EIO;
        goto out;
    }
    if (fclose(w.f) != 0) {
        w.f = NULL;
        rc = -EIO;
        goto out;
    }
    w.f = NULL;
    /* Only books of the ledger as it still is: a commit since the derivation would make the
     * file stale at birth (readers would miss it anyway; this saves the rename). */
    rc = store_head_get(st, &now);
    if (rc < 0)
        goto out;
    if (!head_same(&now, at)) {
        rc = 1;
        goto out;
    }
    if (rename(tmp, path) != 0) {
        rc = -errno;
        goto out;
    }
    {
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        if (dfd >= 0) {
            (void)fsync(dfd); /* the rename itself; a lost rename is only a later miss */
            close(dfd);
        }
    }
    rc = 0;
out:
    if (w.f)
        fclose(w.f);
    if (fd >= 0)
        close(fd);
    if (rc != 0)
        (void)unlink(tmp);
    proto_buf_release(&common);
    proto_buf_release(&w.index);
    return rc;
}

/* ---- reading ---- */

static bool sha_ok(const uint8_t *p, size_t n, const uint8_t want[32])
{
    uint8_t h[32];

    proto_sha256(p, n, h);
    return memcmp(h, want, 32) == 0;
}

/* A mapped file whose header, index and common part check out for the store's ledger and head. */
struct cmap {
    const uint8_t *m;
    size_t size;
    const uint8_t *common, *index;
    uint64_t clen, nmem;
    struct proto_genesis *g;
    uint8_t ledger[32], gauthor[32];
};

static void cmap_release(struct cmap *c)
{
    proto_genesis_free(c->g);
    if (c->m)
        munmap((void *)c->m, c->size);
    memset(c, 0, sizeof *c);
}

/* 0 and *c mapped, 1 for a miss, a negative code for errors of the store. */
static int cmap_open(struct store *st, const char *dir, struct cmap *c)
{
    char path[4096];
    struct store_head h;
    const uint8_t *p;
    uint64_t coff, ioff;
    struct stat sb;
    void *m;
    int fd, rc;

    memset(c, 0, sizeof *c);
    if (store_books_cache_path(dir, path, sizeof path) < 0)
        return 1;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 1;
    if (fstat(fd, &sb) != 0 || sb.st_size < HDR_LEN) {
        close(fd);
        return 1;
    }
    m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED)
        return 1;
    c->m = m;
    c->size = (size_t)sb.st_size;
    p = c->m;
    rc = 1;
    if (memcmp(p, MAGIC, MAGIC_LEN) != 0 || get32(p + 16) != STORE_BOOKS_CACHE_VERSION ||
        !sha_ok(p, HDR_LEN - 32, p + HDR_LEN - 32))
        goto miss;
    if ((rc = store_head_get(st, &h)) < 0 ||
        (rc = store_books_origin(st, &c->g, c->ledger, c->gauthor)) < 0)
        goto miss;
    rc = 1;
    p += 24;
    if (memcmp(p, c->ledger, 32) != 0 || memcmp(p + 32, h.head, 32) != 0 ||
        get64(p + 64) != h.applied)
        goto miss; /* another ledger, or the ledger has moved on */
    p += 72;
    coff = get64(p);
    c->clen = get64(p + 8);
    ioff = get64(p + 16);
    c->nmem = get64(p + 24);
    p += 32;
    if (coff > c->size || c->clen > c->size - coff || ioff > c->size ||
        c->nmem > (c->size - ioff) / IDX_LEN || ioff + c->nmem * IDX_LEN != c->size)
        goto miss;
    c->common = c->m + coff;
    c->index = c->m + ioff;
    if (!sha_ok(c->common, (size_t)c->clen, p) ||
        !sha_ok(c->index, (size_t)(c->nmem * IDX_LEN), p + 32))
        goto miss;
    return 0;
miss:
    cmap_release(c);
    return rc;
}

/* Member k of the index: 0 and its part, or 1 when the entry does not check out. */
static int cmap_part(const struct cmap *c, uint64_t k, uint32_t *member, const uint8_t **part,
                     size_t *len)
{
    const uint8_t *e = c->index + k * IDX_LEN;
    uint64_t off = get64(e + 4), n = get64(e + 12);

    *member = get32(e);
    if (off > c->size || n > c->size - off || n == 0 || !sha_ok(c->m + off, (size_t)n, e + 20))
        return 1;
    *part = c->m + off;
    *len = (size_t)n;
    return 0;
}

int store_books_cache_member(struct store *st, const char *dir, uint32_t member,
                             struct books **out)
{
    const uint8_t *part = NULL;
    size_t plen = 0;
    struct cmap c;
    uint64_t lo = 0, hi;
    int rc;

    *out = NULL;
    rc = cmap_open(st, dir, &c);
    if (rc != 0)
        return rc;
    hi = c.nmem;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        uint32_t x = get32(c.index + mid * IDX_LEN);

        if (x == member) {
            if (cmap_part(&c, mid, &x, &part, &plen) != 0) {
                cmap_release(&c);
                return 1;
            }
            break;
        }
        if (x < member)
            lo = mid + 1;
        else
            hi = mid;
    }
    rc = books_slice_open(c.g, c.ledger, c.gauthor, member, c.common, (size_t)c.clen, part, plen,
                          out);
    cmap_release(&c);
    if (rc == -ENOMEM)
        return rc;
    return rc < 0 ? 1 : 0; /* a part that does not decode is corrupt: a miss */
}

/* ---- checking (saksi audit) ---- */

struct checker {
    const struct cmap *c;
    uint64_t k;
    bool differs;
};

static int check_cb(void *ctx, uint32_t member, const uint8_t *slice, size_t len)
{
    struct checker *w = ctx;
    const uint8_t *part;
    uint32_t m;
    size_t n;

    if (w->k >= w->c->nmem || cmap_part(w->c, w->k, &m, &part, &n) != 0 || m != member ||
        n != len || memcmp(part, slice, len) != 0) {
        w->differs = true;
        return 1; /* (positive: stop, no error) */
    }
    w->k++;
    return 0;
}

int store_books_cache_check(struct store *st, const char *dir, const struct books *bk)
{
    struct proto_buf common;
    struct checker w;
    struct cmap c;
    int rc;

    rc = cmap_open(st, dir, &c);
    if (rc != 0)
        return rc < 0 ? rc : 0;
    proto_buf_init(&common);
    w.c = &c;
    w.k = 0;
    w.differs = false;
    rc = books_slice_common(bk, &common);
    if (rc == 0 && (common.len != c.clen || memcmp(common.data, c.common, common.len) != 0))
        w.differs = true;
    if (rc == 0 && !w.differs)
        rc = books_slice_each(bk, check_cb, &w);
    if (rc >= 0) {
        if (w.k != c.nmem)
            w.differs = true;
        rc = w.differs ? 2 : 1;
    }
    proto_buf_release(&common);
    cmap_release(&c);
    return rc;
}
