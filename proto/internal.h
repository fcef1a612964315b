/*
 * Helpers shared by the files of proto/ and by nothing outside it (STYLE.md 2: a double
 * underscore marks them). Not a public interface: include it only from the .c files of proto/.
 */
#ifndef SAKSI_PROTO_INTERNAL_H
#define SAKSI_PROTO_INTERNAL_H

#include <stdbool.h>

#include "proto/buf.h"
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

#endif
