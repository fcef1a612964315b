/*
 * Growable byte buffer. Capacity doubles so appends are amortised O(1).
 */
#include "proto/buf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void proto_buf_init(struct proto_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void proto_buf_release(struct proto_buf *b)
{
    free(b->data);
    proto_buf_init(b);
}

void proto_buf_reset(struct proto_buf *b)
{
    b->len = 0;
}

int proto_buf_reserve(struct proto_buf *b, size_t extra)
{
    size_t want, cap;
    uint8_t *p;

    if (extra > SIZE_MAX - b->len)
        return -ENOMEM;
    want = b->len + extra;
    if (want <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while (cap < want)
        cap = cap > SIZE_MAX / 2 ? want : cap * 2;
    p = realloc(b->data, cap);
    if (!p)
        return -ENOMEM;
    b->data = p;
    b->cap = cap;
    return 0;
}

int proto_buf_append(struct proto_buf *b, const void *p, size_t n)
{
    int rc;

    if (n == 0)
        return 0;
    rc = proto_buf_reserve(b, n);
    if (rc < 0)
        return rc;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return 0;
}

int proto_buf_append_byte(struct proto_buf *b, uint8_t v)
{
    return proto_buf_append(b, &v, 1);
}
