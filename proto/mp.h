/*
 * Canonical msgpack for saksi: a strict scanner, a canonical writer and typed readers.
 *
 * saksi's canonical form: nil, bool, integers, str, bin and arrays only (no maps, floats or ext);
 * every integer and every length header in its shortest encoding (a non-negative integer always
 * in the unsigned forms: positive fixint, uint8/16/32/64; a negative one in negative fixint or
 * the shortest int8/16/32/64 that holds it); str is valid UTF-8 (no overlong forms, no
 * surrogates, nothing above U+10FFFF).
 *
 * Untrusted bytes are first scanned by proto_mp_scan()/proto_mp_check(), which bounds every
 * declared size against the bytes that remain, limits depth and checks canonical form. Only then
 * does msgpack-c see them (proto_mp_doc_parse), because msgpack-c preallocates arrays from their
 * declared sizes. Whatever the scanner accepts decodes and re-encodes to the same bytes.
 */
#ifndef SAKSI_PROTO_MP_H
#define SAKSI_PROTO_MP_H

#include <msgpack.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/buf.h"

#define PROTO_MP_DEPTH_MAX 8

/*
 * Scan one object at the start of p[0..len): canonical, bounded, UTF-8, at most max_depth levels
 * of arrays (a scalar has depth 0, an array of scalars depth 1). On success returns 0 and sets
 * *used to the object's size in bytes. Errors: ERR_TRUNC (a declared size or header runs past
 * len, or len is 0), ERR_NONCANON, ERR_TYPE (map, float, ext, 0xc1), ERR_UTF8, ERR_DEPTH.
 */
int proto_mp_scan(const uint8_t *p, size_t len, unsigned max_depth, size_t *used);

/* proto_mp_scan() with PROTO_MP_DEPTH_MAX, and the object must fill p[0..len) exactly
 * (ERR_BADFRAME if bytes trail it). */
int proto_mp_check(const uint8_t *p, size_t len);

/*
 * true if s[0..n) is well-formed UTF-8 (Unicode table 3-7: no overlong forms, surrogates or code
 * points above U+10FFFF), the rule the scanner applies to every str. NUL and controls pass.
 */
bool proto_mp_utf8_valid(const uint8_t *s, size_t n);

/*
 * Canonical writers: append the shortest encoding. Return 0 or -ENOMEM (ERR_TOOBIG for a str,
 * bin or array longer than 2^32-1).
 */
int proto_mp_put_nil(struct proto_buf *b);
int proto_mp_put_bool(struct proto_buf *b, bool v);
int proto_mp_put_uint(struct proto_buf *b, uint64_t v);
int proto_mp_put_int(struct proto_buf *b, int64_t v);
int proto_mp_put_str(struct proto_buf *b, const char *s, size_t n);
int proto_mp_put_bin(struct proto_buf *b, const void *p, size_t n);
int proto_mp_put_array(struct proto_buf *b, uint32_t n);

/*
 * A decoded document. proto_mp_doc_parse() runs proto_mp_check() and then msgpack-c. The
 * objects under doc->root borrow both the document's zone and the input bytes: both must outlive
 * every use of them. A doc can be parsed into again (the previous objects die).
 */
struct proto_mp_doc {
    msgpack_zone zone;
    msgpack_object root;
};

int proto_mp_doc_init(struct proto_mp_doc *d); /* -ENOMEM */
void proto_mp_doc_release(struct proto_mp_doc *d);
int proto_mp_doc_parse(struct proto_mp_doc *d, const uint8_t *p, size_t len);

/* Parses one document and hands its root to unpack(root, out): the doc's codes, or unpack's.
 * The objects die on return, so unpack copies what it keeps (pointers into p stay valid). */
typedef int proto_mp_unpack_fn(const msgpack_object *root, void *out);
int proto_mp_decode(const uint8_t *p, size_t len, proto_mp_unpack_fn *unpack, void *out);

/*
 * Typed readers. Each returns 0, or ERR_BADFRAME when the object has another type, another arity
 * or is out of range; out-parameters are untouched on failure. Pointers returned by the _ref
 * readers borrow the object's bytes.
 */
int proto_mp_array(const msgpack_object *o, uint32_t n, const msgpack_object **f);
int proto_mp_array_max(const msgpack_object *o, uint32_t max, const msgpack_object **f,
                       uint32_t *n);
int proto_mp_u64(const msgpack_object *o, uint64_t *v);
int proto_mp_u64_max(const msgpack_object *o, uint64_t max, uint64_t *v);
int proto_mp_u32(const msgpack_object *o, uint32_t *v);
int proto_mp_i64(const msgpack_object *o, int64_t *v);
int proto_mp_bool(const msgpack_object *o, bool *v);
bool proto_mp_is_nil(const msgpack_object *o);
int proto_mp_bin_fixed(const msgpack_object *o, void *out, size_t n);
int proto_mp_bin_ref(const msgpack_object *o, const uint8_t **p, size_t *n, size_t max);
int proto_mp_str_ref(const msgpack_object *o, const char **s, size_t *n, size_t max);

/* Copy a str into a new NUL-terminated heap string (*out is the caller's; free()). A str with
 * an embedded NUL is ERR_BADFRAME. -ENOMEM. */
int proto_mp_str_dup(const msgpack_object *o, char **out, size_t max);

#endif
