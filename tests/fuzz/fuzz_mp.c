/*
 * Fuzz target for proto/mp: whatever proto_mp_check() accepts must decode with msgpack-c and
 * re-encode with our writers to exactly the input bytes, and the scanner must agree with itself
 * across depth limits. The first bytes also feed the integer writers, whose output must scan as
 * one canonical object.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/buf.h"
#include "proto/err.h"
#include "proto/mp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_encode(struct proto_buf *b, const msgpack_object *o)
{
    uint32_t i;
    int rc;

    switch (o->type) {
    case MSGPACK_OBJECT_NIL:
        return proto_mp_put_nil(b);
    case MSGPACK_OBJECT_BOOLEAN:
        return proto_mp_put_bool(b, o->via.boolean);
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        return proto_mp_put_uint(b, o->via.u64);
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        return proto_mp_put_int(b, o->via.i64);
    case MSGPACK_OBJECT_STR:
        return proto_mp_put_str(b, o->via.str.ptr, o->via.str.size);
    case MSGPACK_OBJECT_BIN:
        return proto_mp_put_bin(b, o->via.bin.ptr, o->via.bin.size);
    case MSGPACK_OBJECT_ARRAY:
        rc = proto_mp_put_array(b, o->via.array.size);
        for (i = 0; rc == 0 && i < o->via.array.size; i++)
            rc = fuzz_encode(b, &o->via.array.ptr[i]);
        return rc;
    default:
        /* A map, float or ext got past the scanner. */
        abort();
    }
}

static bool fuzz_known_err(int rc)
{
    return rc == ERR_TRUNC || rc == ERR_NONCANON || rc == ERR_TYPE || rc == ERR_UTF8 ||
           rc == ERR_DEPTH;
}

/* A writer's output is one canonical object that fills the buffer. */
static void fuzz_writer_int(const uint8_t *data, size_t size)
{
    struct proto_buf b;
    uint64_t u = 0;
    size_t used = 0, n = size < 8 ? size : 8, i;

    for (i = 0; i < n; i++)
        u = u << 8 | data[i];
    /* Short inputs give small values, so every size class is reached. */
    proto_buf_init(&b);
    if (proto_mp_put_uint(&b, u) < 0 || proto_mp_scan(b.data, b.len, 0, &used) < 0 || used != b.len)
        abort();
    proto_buf_reset(&b);
    if (proto_mp_put_int(&b, -(int64_t)(u >> 1) - 1) < 0 || proto_mp_check(b.data, b.len) < 0)
        abort();
    proto_buf_reset(&b);
    if (proto_mp_put_int(&b, (int64_t)(u >> 1)) < 0 || proto_mp_check(b.data, b.len) < 0)
        abort();
    proto_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct proto_mp_doc d;
    struct proto_buf b;
    size_t used_small = 0, used_max = 0;
    int rc_small, rc_max, rc;

    fuzz_writer_int(data, size);

    rc_small = proto_mp_scan(data, size, 2, &used_small);
    rc_max = proto_mp_scan(data, size, PROTO_MP_DEPTH_MAX, &used_max);
    if ((rc_small < 0 && !fuzz_known_err(rc_small)) || (rc_max < 0 && !fuzz_known_err(rc_max)))
        abort();
    /* A tighter depth limit can only add ERR_DEPTH. */
    if (rc_small == 0 && (rc_max != 0 || used_small != used_max))
        abort();
    if (rc_max == 0 && rc_small != 0 && rc_small != ERR_DEPTH)
        abort();
    if (rc_max == 0 && (used_max == 0 || used_max > size))
        abort();

    rc = proto_mp_check(data, size);
    if (rc != (rc_max < 0 ? rc_max : used_max == size ? 0 : ERR_BADFRAME))
        abort();
    if (rc < 0)
        return 0;

    if (proto_mp_doc_init(&d) < 0)
        return 0;
    if (proto_mp_doc_parse(&d, data, size) != 0)
        abort();
    proto_buf_init(&b);
    if (fuzz_encode(&b, &d.root) != 0 || b.len != size || memcmp(b.data, data, size) != 0)
        abort();
    proto_buf_release(&b);
    proto_mp_doc_release(&d);
    return 0;
}
