/*
 * Checkpoints: the body text, its relation to a frontier, consistency between two checkpoints,
 * the signers of a checkpoint note and the quorum rule, and the bodies of kinds 80 and 81 (see
 * checkpoint.h and docs/FORMATS.md 10). The body is parsed line by line with no latitude (the
 * origin's lowercase hex, a size without leading zeros, canonical base64), so each checkpoint
 * has exactly one spelling and formats back to the text it was parsed from.
 */
#include "proto/checkpoint.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proto/crypto.h"
#include "proto/err.h"
#include "proto/merkle.h"
#include "proto/mp.h"

#define FRONTIER_TAG   "frontier "
#define B64_HASH_CHARS 44 /* standard base64 of 32 bytes, one '=' */

#define CKPT_NFIELDS   4
#define COSIGN_NFIELDS 3
#define FROW_NFIELDS   2

static void put_u64_dec(struct proto_buf *b, uint64_t v, int *rc)
{
    char d[21];
    size_t n = 0;

    do {
        d[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n && *rc == 0)
        *rc = proto_buf_append_byte(b, (uint8_t)d[--n]);
}

int proto_checkpoint_format(const struct proto_checkpoint *c, struct proto_buf *out)
{
    char hex[65], b64[PROTO_B64STD_LEN(32)];
    size_t before = out->len;
    int rc;

    proto_hex(c->ledger, 32, hex);
    rc = proto_buf_append(out, PROTO_CKPT_ORIGIN_PREFIX, sizeof PROTO_CKPT_ORIGIN_PREFIX - 1);
    if (rc == 0)
        rc = proto_buf_append(out, hex, 64);
    if (rc == 0)
        rc = proto_buf_append_byte(out, '\n');
    put_u64_dec(out, c->size, &rc);
    proto_b64std_encode(c->head, 32, b64);
    if (rc == 0)
        rc = proto_buf_append_byte(out, '\n');
    if (rc == 0)
        rc = proto_buf_append(out, b64, B64_HASH_CHARS);
    if (rc == 0)
        rc = proto_buf_append_byte(out, '\n');
    proto_b64std_encode(c->frontier, 32, b64);
    if (rc == 0)
        rc = proto_buf_append(out, FRONTIER_TAG, sizeof FRONTIER_TAG - 1);
    if (rc == 0)
        rc = proto_buf_append(out, b64, B64_HASH_CHARS);
    if (rc == 0)
        rc = proto_buf_append_byte(out, '\n');
    if (rc < 0)
        out->len = before;
    return rc;
}

/* The next line of text[*pos..len) without its newline; false if there is no newline. */
static bool next_line(const char *text, size_t len, size_t *pos, const char **line, size_t *n)
{
    const char *nl;

    if (*pos >= len)
        return false;
    nl = memchr(text + *pos, '\n', len - *pos);
    if (!nl)
        return false;
    *line = text + *pos;
    *n = (size_t)(nl - *line);
    *pos += *n + 1;
    return true;
}

static bool hash_b64(const char *s, size_t n, uint8_t out[32])
{
    size_t got;

    return n == B64_HASH_CHARS && proto_b64std_decode(s, n, out, 32, &got) == 0 && got == 32;
}

static bool dec_u64(const char *s, size_t n, uint64_t *v)
{
    uint64_t x = 0;

    if (n == 0 || n > 20 || (n > 1 && s[0] == '0'))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned d;

        if (s[i] < '0' || s[i] > '9')
            return false;
        d = (unsigned)(s[i] - '0');
        if (x > (UINT64_MAX - d) / 10)
            return false;
        x = x * 10 + d;
    }
    *v = x;
    return true;
}

static bool lower_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

int proto_checkpoint_parse(const char *text, size_t len, struct proto_checkpoint *c)
{
    static const size_t plen = sizeof PROTO_CKPT_ORIGIN_PREFIX - 1;
    static const size_t tlen = sizeof FRONTIER_TAG - 1;
    char hex[65];
    const char *l;
    size_t pos = 0, n;

    memset(c, 0, sizeof *c);
    if (len > PROTO_CKPT_TEXT_MAX)
        goto bad;
    /* Origin. */
    if (!next_line(text, len, &pos, &l, &n) || n != plen + 64 ||
        memcmp(l, PROTO_CKPT_ORIGIN_PREFIX, plen) != 0 || !lower_hex(l + plen, 64))
        goto bad;
    memcpy(hex, l + plen, 64);
    hex[64] = '\0';
    if (proto_unhex(hex, c->ledger, 32) != 0)
        goto bad;
    /* Tree size, root hash, frontier. */
    if (!next_line(text, len, &pos, &l, &n) || !dec_u64(l, n, &c->size))
        goto bad;
    if (!next_line(text, len, &pos, &l, &n) || !hash_b64(l, n, c->head))
        goto bad;
    if (!next_line(text, len, &pos, &l, &n) || n != tlen + B64_HASH_CHARS ||
        memcmp(l, FRONTIER_TAG, tlen) != 0 || !hash_b64(l + tlen, B64_HASH_CHARS, c->frontier))
        goto bad;
    if (pos != len)
        goto bad; /* another line, or bytes after the last newline */
    return 0;
bad:
    memset(c, 0, sizeof *c);
    return ERR_CHECKPOINT;
}

int proto_checkpoint_compute(const uint8_t ledger[32], const struct proto_ckpt_feed *f, size_t n,
                             struct proto_checkpoint *out)
{
    struct proto_head_feed *hf = NULL;
    struct proto_frontier_row *rows = NULL;
    uint8_t(*ids)[32] = NULL;
    uint64_t size = 0;
    int rc;

    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        if (f[i].length == 0 || (i > 0 && memcmp(f[i - 1].author, f[i].author, 32) >= 0))
            return -EINVAL;
        if (size > UINT64_MAX - f[i].length)
            return ERR_CHECKPOINT;
        size += f[i].length;
    }
    if (n > 0) {
        hf = malloc(n * sizeof *hf);
        rows = malloc(n * sizeof *rows);
        ids = malloc(n * sizeof *ids);
        if (!hf || !rows || !ids) {
            rc = -ENOMEM;
            goto out;
        }
    }
    for (size_t i = 0; i < n; i++) {
        memcpy(hf[i].author, f[i].author, 32);
        hf[i].length = f[i].length;
        memcpy(hf[i].root, f[i].root, 32);
        memcpy(rows[i].author, f[i].author, 32);
        rows[i].length = f[i].length;
        memcpy(ids[i], f[i].last, 32);
    }
    rc = proto_head_compute(hf, n, out->head);
    if (rc == 0)
        rc = proto_frontier_digest(rows, (const uint8_t(*)[32])ids, n, out->frontier);
    if (rc == 0) {
        memcpy(out->ledger, ledger, 32);
        out->size = size;
    }
out:
    free(hf);
    free(rows);
    free(ids);
    if (rc < 0)
        memset(out, 0, sizeof *out);
    return rc;
}

int proto_checkpoint_match(const struct proto_checkpoint *c, const struct proto_ckpt_feed *f,
                           size_t n)
{
    struct proto_checkpoint x;
    int rc = proto_checkpoint_compute(c->ledger, f, n, &x);

    if (rc < 0)
        return rc;
    if (x.size != c->size || memcmp(x.head, c->head, 32) != 0 ||
        memcmp(x.frontier, c->frontier, 32) != 0)
        return ERR_CHECKPOINT;
    return 0;
}

int proto_checkpoint_consistent(const struct proto_checkpoint *a, const struct proto_ckpt_feed *af,
                                size_t an, const struct proto_checkpoint *b,
                                const struct proto_ckpt_feed *bf, size_t bn,
                                const struct proto_ckpt_cproof *proofs, size_t *bad)
{
    size_t j = 0;
    int rc;

    if (bad)
        *bad = SIZE_MAX;
    if (memcmp(a->ledger, b->ledger, 32) != 0)
        return ERR_LEDGER;
    rc = proto_checkpoint_match(a, af, an);
    if (rc == 0)
        rc = proto_checkpoint_match(b, bf, bn);
    if (rc < 0)
        return rc;
    /* Both frontiers are sorted by author: walk them together. */
    for (size_t i = 0; i < an; i++) {
        while (j < bn && memcmp(bf[j].author, af[i].author, 32) < 0)
            j++;
        if (bad)
            *bad = i;
        if (j == bn || memcmp(bf[j].author, af[i].author, 32) != 0 || bf[j].length < af[i].length)
            return ERR_REGRESS;
        if (proto_merkle_consistency_verify(af[i].length, bf[j].length, af[i].root, bf[j].root,
                                            proofs[i].path, proofs[i].len) != 0)
            return ERR_PROOF;
    }
    if (bad)
        *bad = SIZE_MAX;
    return 0;
}

void proto_checkpoint_key_name(const uint8_t pk[32], char *out)
{
    memcpy(out, PROTO_CKPT_KEY_PREFIX, sizeof PROTO_CKPT_KEY_PREFIX - 1);
    proto_hex(pk, 32, out + sizeof PROTO_CKPT_KEY_PREFIX - 1);
}

/* The device key named by a signature line, if it is a saksi device name. */
static bool name_key(const struct proto_note_sig *s, uint8_t pk[32])
{
    static const size_t plen = sizeof PROTO_CKPT_KEY_PREFIX - 1;
    char hex[65];

    if (s->name_len != PROTO_CKPT_KEY_NAME_LEN ||
        memcmp(s->name, PROTO_CKPT_KEY_PREFIX, plen) != 0 || !lower_hex(s->name + plen, 64))
        return false;
    memcpy(hex, s->name + plen, 64);
    hex[64] = '\0';
    return proto_unhex(hex, pk, 32) == 0;
}

int proto_checkpoint_signers(const struct proto_note *n, const struct proto_ckpt_device *dev,
                             size_t ndev, struct proto_ckpt_signer *out, size_t *nout,
                             size_t *unknown)
{
    static const uint8_t types[2] = {PROTO_NOTE_ED25519, PROTO_NOTE_COSIG};
    size_t count = 0, unk = 0;

    *nout = 0;
    if (unknown)
        *unknown = 0;
    for (size_t i = 0; i < n->nsigs; i++) {
        const struct proto_note_sig *s = &n->sigs[i];
        uint8_t pk[32];
        size_t d;
        bool found = false;

        if (!name_key(s, pk))
            continue; /* another scheme's key: ignored */
        for (d = 0; d < ndev; d++)
            if (memcmp(dev[d].pk, pk, 32) == 0)
                break;
        if (d == ndev) {
            unk++;
            continue;
        }
        for (int t = 0; t < 2 && !found; t++) {
            uint64_t time;
            int rc = proto_note_verify(n, s, s->name, s->name_len, types[t], pk, &time);

            if (rc == -ENOENT)
                continue;
            if (rc < 0) {
                *nout = i;
                return ERR_BADSIG;
            }
            out[count++] = (struct proto_ckpt_signer){i, d, types[t], time};
            found = true;
        }
        if (!found)
            unk++; /* the device's name with a key id of neither type: not its key */
    }
    *nout = count;
    if (unknown)
        *unknown = unk;
    return 0;
}

int proto_checkpoint_quorum(const struct proto_quorum *need, const struct proto_ckpt_device *dev,
                            const struct proto_ckpt_signer *s, size_t ns, struct proto_quorum *have)
{
    memset(have, 0, sizeof *have);
    for (size_t i = 0; i < ns; i++) {
        const struct proto_ckpt_device *d = &dev[s[i].device];
        uint8_t best = d->role;
        bool first = true;

        /* Count each member once, at its first signature, in its lowest role. */
        for (size_t k = 0; k < ns; k++) {
            const struct proto_ckpt_device *e = &dev[s[k].device];

            if (e->member != d->member)
                continue;
            if (k < i)
                first = false;
            if (e->role < best)
                best = e->role;
        }
        if (!first)
            continue;
        if (best == PROTO_ROLE_PENGURUS)
            have->pengurus++;
        else if (best == PROTO_ROLE_PENGAWAS)
            have->pengawas++;
    }
    if (ns == 0 || have->pengurus < need->pengurus || have->pengawas < need->pengawas)
        return ERR_QUORUM;
    return 0;
}

/* ---- kinds 80 and 81 ---- */

static bool rows_ok(const struct proto_frontier_row *r, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (r[i].length < 1 || (i > 0 && memcmp(r[i - 1].author, r[i].author, 32) >= 0))
            return false;
    return true;
}

static bool ids_ascending(const uint8_t (*ids)[32], uint32_t n)
{
    for (uint32_t i = 1; i < n; i++)
        if (memcmp(ids[i - 1], ids[i], 32) >= 0)
            return false;
    return true;
}

static bool ckpt_entry_ok(const struct proto_ckpt_entry *e)
{
    struct proto_checkpoint c;

    return e->text_len <= PROTO_CKPT_TEXT_MAX && e->nrows <= PROTO_CLOSE_ROWS_MAX &&
           e->nparts <= PROTO_CLOSE_PARTS_MAX &&
           proto_checkpoint_parse(e->text, e->text_len, &c) == 0 && rows_ok(e->rows, e->nrows) &&
           ids_ascending((const uint8_t(*)[32])e->parts, e->nparts);
}

static int ckpt_entry_unpack(const msgpack_object *root, void *arg)
{
    struct proto_ckpt_entry *e = arg;
    const msgpack_object *f, *a, *r;
    const char *s;
    size_t n;
    uint32_t cnt;

    if (proto_mp_array(root, CKPT_NFIELDS, &f) < 0 ||
        proto_mp_str_ref(&f[0], &s, &n, PROTO_CKPT_TEXT_MAX) < 0 ||
        proto_mp_bin_fixed(&f[1], e->sig, 64) < 0 ||
        proto_mp_array_max(&f[2], PROTO_CLOSE_ROWS_MAX, &a, &cnt) < 0)
        return ERR_BODY;
    memcpy(e->text, s, n);
    e->text[n] = '\0';
    e->text_len = n;
    for (uint32_t i = 0; i < cnt; i++)
        if (proto_mp_array(&a[i], FROW_NFIELDS, &r) < 0 ||
            proto_mp_bin_fixed(&r[0], e->rows[i].author, 32) < 0 ||
            proto_mp_u64(&r[1], &e->rows[i].length) < 0)
            return ERR_BODY;
    e->nrows = cnt;
    if (proto_mp_array_max(&f[3], PROTO_CLOSE_PARTS_MAX, &a, &cnt) < 0)
        return ERR_BODY;
    for (uint32_t i = 0; i < cnt; i++)
        if (proto_mp_bin_fixed(&a[i], e->parts[i], 32) < 0)
            return ERR_BODY;
    e->nparts = cnt;
    return 0;
}

int proto_ckpt_entry_decode(const uint8_t *body, size_t len, struct proto_ckpt_entry *out)
{
    int rc;

    memset(out, 0, sizeof *out);
    rc = proto_mp_decode(body, len, ckpt_entry_unpack, out);
    if (rc == 0 &&
        (!ckpt_entry_ok(out) || proto_checkpoint_parse(out->text, out->text_len, &out->c) != 0))
        rc = ERR_BODY;
    if (rc < 0) {
        memset(out, 0, sizeof *out);
        return rc == -ENOMEM ? rc : ERR_BODY;
    }
    return 0;
}

int proto_ckpt_entry_encode(const struct proto_ckpt_entry *e, struct proto_buf *out)
{
    size_t before = out->len;
    int rc;

    if (!ckpt_entry_ok(e))
        return ERR_BODY;
    rc = proto_mp_put_array(out, CKPT_NFIELDS);
    if (rc == 0)
        rc = proto_mp_put_str(out, e->text, e->text_len);
    if (rc == 0)
        rc = proto_mp_put_bin(out, e->sig, 64);
    if (rc == 0)
        rc = proto_mp_put_array(out, e->nrows);
    for (uint32_t i = 0; i < e->nrows && rc == 0; i++) {
        rc = proto_mp_put_array(out, FROW_NFIELDS);
        if (rc == 0)
            rc = proto_mp_put_bin(out, e->rows[i].author, 32);
        if (rc == 0)
            rc = proto_mp_put_uint(out, e->rows[i].length);
    }
    if (rc == 0)
        rc = proto_mp_put_array(out, e->nparts);
    for (uint32_t i = 0; i < e->nparts && rc == 0; i++)
        rc = proto_mp_put_bin(out, e->parts[i], 32);
    if (rc < 0)
        out->len = before;
    return rc;
}

static int cosign_unpack(const msgpack_object *root, void *arg)
{
    struct proto_cosign *c = arg;
    const msgpack_object *f;

    if (proto_mp_array(root, COSIGN_NFIELDS, &f) < 0 ||
        proto_mp_bin_fixed(&f[0], c->checkpoint, 32) < 0 ||
        proto_mp_u64_max(&f[1], PROTO_NOTE_COSIG_TIME_MAX, &c->time) < 0 ||
        proto_mp_bin_fixed(&f[2], c->sig, 64) < 0)
        return ERR_BODY;
    return 0;
}

int proto_cosign_decode(const uint8_t *body, size_t len, struct proto_cosign *out)
{
    int rc;

    memset(out, 0, sizeof *out);
    rc = proto_mp_decode(body, len, cosign_unpack, out);
    if (rc < 0) {
        memset(out, 0, sizeof *out);
        return rc == -ENOMEM ? rc : ERR_BODY;
    }
    return 0;
}

int proto_cosign_encode(const struct proto_cosign *c, struct proto_buf *out)
{
    size_t before = out->len;
    int rc;

    if (c->time > (uint64_t)PROTO_NOTE_COSIG_TIME_MAX)
        return ERR_BODY;
    rc = proto_mp_put_array(out, COSIGN_NFIELDS);
    if (rc == 0)
        rc = proto_mp_put_bin(out, c->checkpoint, 32);
    if (rc == 0)
        rc = proto_mp_put_uint(out, c->time);
    if (rc == 0)
        rc = proto_mp_put_bin(out, c->sig, 64);
    if (rc < 0)
        out->len = before;
    return rc;
}

int proto_ckpt_entry_line(const uint8_t author[32], const uint8_t sig[64], struct proto_buf *out)
{
    char name[PROTO_CKPT_KEY_NAME_LEN + 1];

    proto_checkpoint_key_name(author, name);
    return proto_note_line(
        out, name, PROTO_CKPT_KEY_NAME_LEN,
        proto_note_key_id(name, PROTO_CKPT_KEY_NAME_LEN, PROTO_NOTE_ED25519, author), sig, 64);
}

int proto_cosign_line(const uint8_t author[32], const struct proto_cosign *c, struct proto_buf *out)
{
    char name[PROTO_CKPT_KEY_NAME_LEN + 1];
    uint8_t data[8 + 64];

    for (int i = 0; i < 8; i++)
        data[i] = (uint8_t)(c->time >> (56 - 8 * i));
    memcpy(data + 8, c->sig, 64);
    proto_checkpoint_key_name(author, name);
    return proto_note_line(
        out, name, PROTO_CKPT_KEY_NAME_LEN,
        proto_note_key_id(name, PROTO_CKPT_KEY_NAME_LEN, PROTO_NOTE_COSIG, author), data,
        sizeof data);
}
