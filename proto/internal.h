/*
 * Helpers shared by the files of proto/ and by nothing outside it (STYLE.md 2: a double
 * underscore marks them). Not a public interface: include it only from the .c files of proto/.
 */
#ifndef SAKSI_PROTO_INTERNAL_H
#define SAKSI_PROTO_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "proto/buf.h"
#include "proto/err.h"
#include "proto/mp.h"
#include "proto/params.h"

/*
 * One row of an SHU allocation table in the params' shu.parts format, [name, role, ppm,
 * account] (ACCOUNTING.md 1.2), as kind 32 (proto/params.c) and a resolution's type-2 decision
 * (proto/close.c) carry it: name 1..PROTO_SHU_NAME_MAX bytes of UTF-8 without NUL or control
 * bytes, role 0..2 (enum proto_shu_role), ppm 0..10^6, account 1000..9999. These are the format
 * rules only; proto_shu_table_check judges a whole table.
 *   _unpack: 0 or ERR_BODY (*s is then partly written);
 *   _pack:   0 or -ENOMEM (s is not checked, so a test can encode a bad row);
 *   _ok:     the same rules on a hand-built row (name NUL-terminated within its array).
 */
int proto__shu_part_unpack(const msgpack_object *o, struct proto_params_shu_part *s);
int proto__shu_part_pack(struct proto_buf *b, const struct proto_params_shu_part *s);
bool proto__shu_part_ok(const struct proto_params_shu_part *s);

/* Readers of body fields shared by proto/acct.c and proto/close.c: ERR_BODY for any departure. */
static inline int proto__u64_get(const msgpack_object *o, uint64_t *v)
{
    return proto_mp_u64(o, v) < 0 ? ERR_BODY : 0;
}

/* A str of at most max bytes without NUL into dst (max + 1 bytes). */
static inline int proto__str_copy(const msgpack_object *o, char *dst, size_t max)
{
    const char *s;
    size_t n;

    if (proto_mp_str_ref(o, &s, &n, max) < 0 || (n && memchr(s, '\0', n)))
        return ERR_BODY;
    if (n)
        memcpy(dst, s, n);
    dst[n] = '\0';
    return 0;
}

static inline int proto__bin32_get(const msgpack_object *o, uint8_t dst[32])
{
    return proto_mp_bin_fixed(o, dst, 32) < 0 ? ERR_BODY : 0;
}

/* nil, or bin(32). */
static inline int proto__bin32_opt(const msgpack_object *o, bool *has, uint8_t dst[32])
{
    *has = !proto_mp_is_nil(o);
    return *has ? proto__bin32_get(o, dst) : 0;
}

#endif
