/*
 * Export streams for the test generators: fixed keys, chained feeds, records and key
 * directories (see stream.h). Shared by saksi-bench and saksi-gen so that both write exactly
 * what `saksi import` reads.
 */
#include "tests/lib/stream.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proto/entry.h"

uint64_t tstream_mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

int tstream_keys(const uint8_t secret[64], struct proto_keys **out)
{
    struct proto_buf b;
    int rc;

    *out = NULL;
    proto_buf_init(&b);
    rc = proto_buf_append(&b, "SAKSIKEY\x01\x00", 10);
    if (rc == 0)
        rc = proto_buf_append(&b, secret, 64);
    if (rc == 0)
        rc = proto_keyfile_decode(b.data, b.len, NULL, 0, out);
    if (b.data)
        proto_memzero(b.data, b.len);
    proto_buf_release(&b);
    return rc;
}

int tstream_keys_byte(uint8_t b, struct proto_keys **out)
{
    uint8_t secret[64];

    memset(secret, b, sizeof secret);
    return tstream_keys(secret, out);
}

int tstream_record(struct tstream_feed *f, struct proto_buf *out, const uint8_t *ledger,
                   uint64_t time_ms, uint64_t kind, const uint8_t *body, size_t len, uint8_t id[32])
{
    size_t start = out->len, n;
    uint8_t *p;
    int rc;

    rc = proto_buf_append(out, "\0\0\0\0", 4);
    if (rc < 0)
        return rc;
    rc = proto_entry_build(out, f->k, ledger, f->seq + 1, f->seq ? f->prev : NULL, time_ms, kind,
                           body, len);
    if (rc < 0) {
        out->len = start;
        return rc;
    }
    p = out->data + start;
    n = out->len - start - 4;
    p[0] = (uint8_t)(n >> 24);
    p[1] = (uint8_t)(n >> 16);
    p[2] = (uint8_t)(n >> 8);
    p[3] = (uint8_t)n;
    proto_entry_id(p + 4, n, f->prev);
    f->seq++;
    if (id)
        memcpy(id, f->prev, 32);
    return 0;
}

int tstream_file_new(const char *dir, const char *name, const void *p, size_t len)
{
    char path[4200];
    int fd, rc = 0;

    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return -ENAMETOOLONG;
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return -errno;
    if (write(fd, p, len) != (ssize_t)len)
        rc = -EIO;
    if (close(fd) < 0 && rc == 0)
        rc = -errno;
    return rc;
}

int tstream_keys_dir(const char *dir, const uint8_t netkey[32], struct proto_keys *const *keys,
                     const char *const *names, unsigned n)
{
    struct proto_buf b;
    char name[32];
    int rc;

    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return -errno;
    rc = tstream_file_new(dir, "network.key", netkey, 32);
    proto_buf_init(&b);
    for (unsigned i = 0; i < n && rc == 0; i++) {
        proto_buf_reset(&b);
        rc = proto_keyfile_encode(keys[i], NULL, 0, &b);
        snprintf(name, sizeof name, "device-%02u.key", i);
        if (rc == 0)
            rc = tstream_file_new(dir, names ? names[i] : name, b.data, b.len);
    }
    if (b.data)
        proto_memzero(b.data, b.len);
    proto_buf_release(&b);
    return rc;
}
