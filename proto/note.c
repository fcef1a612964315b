/*
 * C2SP signed notes and cosignature/v1 lines (see note.h for the format). The parser checks the
 * whole input once for UTF-8 and control characters, splits it at the last blank line and reads
 * each signature line strictly; base64 must be the one canonical spelling of its bytes, so a
 * parsed note writes back to exactly the bytes it came from.
 */
#include "proto/note.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proto/err.h"
#include "proto/mp.h"

#define EM_DASH     "\xe2\x80\x94" /* U+2014 */
#define LINE_PREFIX EM_DASH " "
#define PREFIX_LEN  4
#define COSIG_HDR   "cosignature/v1\ntime "
#define KEYID_LEN   4
/* A cosignature header: "cosignature/v1\ntime " + at most 19 digits + "\n". */
#define COSIG_HDR_MAX (sizeof COSIG_HDR + 20)

void proto_note_release(struct proto_note *n)
{
    free(n->blob);
    memset(n, 0, sizeof *n);
}

/* UTF-8 and no control character other than newline (the rule for the whole note). */
static bool chars_ok(const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)p[i] < 0x20 && p[i] != '\n')
            return false;
    return proto_mp_utf8_valid((const uint8_t *)p, len);
}

int proto_note_text_check(const char *text, size_t len)
{
    if (len > PROTO_NOTE_MAX)
        return ERR_TOOBIG;
    if (len == 0 || text[len - 1] != '\n' || !chars_ok(text, len))
        return ERR_NOTE;
    return 0;
}

/* Decodes one code point of well-formed UTF-8 at s[*i], advancing *i. */
static uint32_t next_cp(const unsigned char *s, size_t *i)
{
    unsigned char c = s[*i];
    uint32_t cp;
    int more;

    if (c < 0x80) {
        (*i)++;
        return c;
    }
    more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
    cp = c & (0x3f >> more);
    (*i)++;
    while (more--)
        cp = cp << 6 | (s[(*i)++] & 0x3f);
    return cp;
}

/* Go's unicode.IsSpace: the Latin-1 spaces and the other White_Space code points. */
static bool is_space(uint32_t cp)
{
    switch (cp) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
        return true;
    default:
        return cp >= 0x2000 && cp <= 0x200a;
    }
}

bool proto_note_name_ok(const char *name, size_t len)
{
    const unsigned char *s = (const unsigned char *)name;
    size_t i = 0;

    if (len == 0 || len > PROTO_NOTE_NAME_MAX || !chars_ok(name, len))
        return false;
    while (i < len) {
        uint32_t cp = next_cp(s, &i);

        if (cp < 0x20 || cp == '+' || is_space(cp))
            return false;
    }
    return true;
}

uint32_t proto_note_key_id(const char *name, size_t nlen, uint8_t type, const uint8_t pk[32])
{
    struct proto_sha256 h;
    uint8_t sep[2] = {0x0a, type}, d[32];

    proto_sha256_init(&h);
    proto_sha256_update(&h, name, nlen);
    proto_sha256_update(&h, sep, sizeof sep);
    proto_sha256_update(&h, pk, 32);
    proto_sha256_final(&h, d);
    return (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
}

/* Reads one signature line p[0..len) (without its newline) into s, decoding into blob. */
static int parse_line(const char *p, size_t len, struct proto_note_sig *s, uint8_t *blob)
{
    const char *sp, *b64;
    size_t nlen, blen, dlen = 0;

    if (len < PREFIX_LEN || memcmp(p, LINE_PREFIX, PREFIX_LEN) != 0)
        return ERR_NOTE;
    p += PREFIX_LEN;
    len -= PREFIX_LEN;
    sp = memchr(p, ' ', len);
    if (!sp)
        return ERR_NOTE;
    nlen = (size_t)(sp - p);
    if (!proto_note_name_ok(p, nlen))
        return ERR_NOTE;
    b64 = sp + 1;
    blen = len - nlen - 1;
    if (proto_b64std_decode(b64, blen, blob, blen, &dlen) != 0 || dlen < KEYID_LEN + 1)
        return ERR_NOTE;
    s->name = p;
    s->name_len = nlen;
    s->key_id =
        (uint32_t)blob[0] << 24 | (uint32_t)blob[1] << 16 | (uint32_t)blob[2] << 8 | blob[3];
    s->data = blob + KEYID_LEN;
    s->data_len = dlen - KEYID_LEN;
    return 0;
}

int proto_note_parse(const char *p, size_t len, struct proto_note *n)
{
    size_t split, i, start, used = 0;
    int rc;

    memset(n, 0, sizeof *n);
    if (len > PROTO_NOTE_MAX)
        return ERR_TOOBIG;
    if (len < 3 || p[len - 1] != '\n' || !chars_ok(p, len))
        return ERR_NOTE;
    /* The text ends at the last blank line: find the last "\n\n". */
    for (split = len - 1; split > 0; split--)
        if (p[split - 1] == '\n' && p[split] == '\n')
            break;
    if (split == 0)
        return ERR_NOTE;
    /* p[split - 1] ends the text; p[split] is the blank line; signatures follow. */
    start = split + 1;
    if (start >= len)
        return ERR_NOTE; /* no signature line */
    n->blob = malloc(len - start);
    if (!n->blob)
        return -ENOMEM;
    for (i = start; i < len; i++) {
        if (p[i] != '\n')
            continue;
        if (n->nsigs == PROTO_NOTE_SIGS_MAX) {
            rc = ERR_TOOBIG;
            goto fail;
        }
        rc = parse_line(p + start, i - start, &n->sigs[n->nsigs], n->blob + used);
        if (rc < 0)
            goto fail;
        used += n->sigs[n->nsigs].data_len + KEYID_LEN;
        n->nsigs++;
        start = i + 1;
    }
    n->text = p;
    n->text_len = split;
    return 0;
fail:
    proto_note_release(n);
    return rc;
}

int proto_note_line(struct proto_buf *out, const char *name, size_t nlen, uint32_t key_id,
                    const uint8_t *data, size_t dlen)
{
    size_t rlen = KEYID_LEN + dlen, before = out->len;
    uint8_t *raw = malloc(rlen);
    char *b64 = malloc(PROTO_B64STD_LEN(rlen));
    int rc = -ENOMEM;

    if (!raw || !b64)
        goto out;
    raw[0] = (uint8_t)(key_id >> 24);
    raw[1] = (uint8_t)(key_id >> 16);
    raw[2] = (uint8_t)(key_id >> 8);
    raw[3] = (uint8_t)key_id;
    if (dlen)
        memcpy(raw + KEYID_LEN, data, dlen);
    proto_b64std_encode(raw, rlen, b64);
    if ((rc = proto_buf_append(out, LINE_PREFIX, PREFIX_LEN)) < 0 ||
        (rc = proto_buf_append(out, name, nlen)) < 0 ||
        (rc = proto_buf_append_byte(out, ' ')) < 0 ||
        (rc = proto_buf_append(out, b64, strlen(b64))) < 0 ||
        (rc = proto_buf_append_byte(out, '\n')) < 0)
        out->len = before;
out:
    free(raw);
    free(b64);
    return rc;
}

int proto_note_sign(struct proto_buf *out, const struct proto_keys *k, const char *name,
                    size_t nlen, const char *text, size_t tlen)
{
    uint8_t sig[64];
    int rc;

    if (proto_note_text_check(text, tlen) != 0 || !proto_note_name_ok(name, nlen))
        return ERR_NOTE;
    rc = proto_sign(k, "", 0, text, tlen, sig);
    if (rc < 0)
        return rc;
    return proto_note_line(out, name, nlen,
                           proto_note_key_id(name, nlen, PROTO_NOTE_ED25519, k->sign_pk), sig,
                           sizeof sig);
}

/* "cosignature/v1\ntime <t>\n" into hdr; returns its length. */
static size_t cosig_header(char *hdr, uint64_t time)
{
    char digits[21];
    size_t nd = 0, len = sizeof COSIG_HDR - 1;

    do {
        digits[nd++] = (char)('0' + time % 10);
        time /= 10;
    } while (time);
    memcpy(hdr, COSIG_HDR, len);
    while (nd)
        hdr[len++] = digits[--nd];
    hdr[len++] = '\n';
    return len;
}

int proto_note_cosign(struct proto_buf *out, const struct proto_keys *k, const char *name,
                      size_t nlen, uint64_t time, const char *text, size_t tlen)
{
    char hdr[COSIG_HDR_MAX];
    uint8_t data[8 + 64];
    size_t hlen;
    int rc;

    if (proto_note_text_check(text, tlen) != 0 || !proto_note_name_ok(name, nlen))
        return ERR_NOTE;
    if (time > (uint64_t)PROTO_NOTE_COSIG_TIME_MAX)
        return -EINVAL;
    hlen = cosig_header(hdr, time);
    rc = proto_sign(k, hdr, hlen, text, tlen, data + 8);
    if (rc < 0)
        return rc;
    for (int i = 0; i < 8; i++)
        data[i] = (uint8_t)(time >> (56 - 8 * i));
    return proto_note_line(out, name, nlen,
                           proto_note_key_id(name, nlen, PROTO_NOTE_COSIG, k->sign_pk), data,
                           sizeof data);
}

int proto_note_verify(const struct proto_note *n, const struct proto_note_sig *s, const char *name,
                      size_t nlen, uint8_t type, const uint8_t pk[32], uint64_t *time)
{
    char hdr[COSIG_HDR_MAX];
    uint64_t t = 0;

    if (time)
        *time = 0;
    if (type != PROTO_NOTE_ED25519 && type != PROTO_NOTE_COSIG)
        return -EINVAL;
    if (s->name_len != nlen || memcmp(s->name, name, nlen) != 0 ||
        s->key_id != proto_note_key_id(name, nlen, type, pk))
        return -ENOENT;
    if (type == PROTO_NOTE_ED25519) {
        if (s->data_len != 64)
            return ERR_BADSIG;
        return proto_verify(pk, "", 0, n->text, n->text_len, s->data);
    }
    if (s->data_len != 8 + 64)
        return ERR_BADSIG;
    for (int i = 0; i < 8; i++)
        t = t << 8 | s->data[i];
    if (t > (uint64_t)PROTO_NOTE_COSIG_TIME_MAX)
        return ERR_BADSIG;
    if (proto_verify(pk, hdr, cosig_header(hdr, t), n->text, n->text_len, s->data + 8) != 0)
        return ERR_BADSIG;
    if (time)
        *time = t;
    return 0;
}

int proto_note_format(struct proto_buf *out, const char *text, size_t tlen, const char *lines,
                      size_t llen)
{
    struct proto_note n;
    size_t before = out->len;
    int rc;

    rc = proto_note_text_check(text, tlen);
    if (rc < 0)
        return rc;
    if ((rc = proto_buf_append(out, text, tlen)) < 0 ||
        (rc = proto_buf_append_byte(out, '\n')) < 0 ||
        (rc = proto_buf_append(out, lines, llen)) < 0)
        goto fail;
    rc = proto_note_parse((const char *)out->data + before, out->len - before, &n);
    if (rc < 0)
        goto fail;
    /* A text with a blank line at its end would move the split: the note must read back. */
    if (n.text_len != tlen)
        rc = ERR_NOTE;
    proto_note_release(&n);
    if (rc < 0)
        goto fail;
    return 0;
fail:
    out->len = before;
    return rc;
}

int proto_note_write(struct proto_buf *out, const struct proto_note *n)
{
    size_t before = out->len;
    int rc;

    if ((rc = proto_buf_append(out, n->text, n->text_len)) < 0 ||
        (rc = proto_buf_append_byte(out, '\n')) < 0)
        goto fail;
    for (size_t i = 0; i < n->nsigs; i++) {
        const struct proto_note_sig *s = &n->sigs[i];

        rc = proto_note_line(out, s->name, s->name_len, s->key_id, s->data, s->data_len);
        if (rc < 0)
            goto fail;
    }
    return 0;
fail:
    out->len = before;
    return rc;
}
