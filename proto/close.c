/*
 * Bodies of the year-end kinds 34 (resolution), 35 (close), 36 (frontier-part), 72
 * (shu-allocate) and 73 (shu-pay), docs/ACCOUNTING.md 3.3, 3.4 and 3.10; the frontier digest of
 * 10.2; the postings of 35, 72 and 73. As in proto/acct.c, decoding is a parse that checks only
 * arity, msgpack types and what the struct cannot hold, followed by the matching _check, which
 * holds every range, order and cross-field rule, so that a decoded body and a hand-built one are
 * judged by one piece of code. The scanner (proto/mp.h) refuses every non-canonical encoding
 * before anything is parsed, and every field has exactly one encoding of its struct value, so
 * encode(decode(b)) == b for every accepted b. The rows of an allocation table inside a
 * resolution use proto/params.c's own shu.parts reader and writer (proto/internal.h).
 *
 * Choices where the design leaves the format open (docs/FORMATS.md 3.10.4 repeats them):
 *   - a close's digests are strictly ascending by report type, compared bytewise, which makes
 *     the types distinct and gives each set of digests one encoding;
 *   - every integer of a close's shu (the five figures, the part amounts, pool, paid and
 *     residual) is bounded by |x| <= 1000 x PROTO_AMOUNT_MAX (10^18, below 2^63); a pool's
 *     total is any uint64; paid + residual = pool and the sums of the figures are the books'
 *     to judge (close-mismatch), not the format's;
 *   - a resolution's table is only bounded field by field (1..32 rows in the params' shu.parts
 *     format): a table that is not 100 %, or has no jasa modal part, is well-formed and judged
 *     by the books with proto_shu_table_check (params-invalid);
 *   - a tally's five counts are each at most 10^7.
 */
#include "proto/close.h"

#include <errno.h>
#include <string.h>

#include "proto/crypto.h"
#include "proto/err.h"
#include "proto/internal.h"
#include "proto/ledger.h"
#include "proto/mp.h"

#define RES_NFIELDS      5
#define DECISION_NFIELDS 5
#define TALLY_NFIELDS    5
#define CLOSE_NFIELDS    10
#define FRONTIER_NFIELDS 3
#define FROW_NFIELDS     2
#define ACCOUNTS_NFIELDS 2
#define CLINE_NFIELDS    2
#define DIGEST_NFIELDS   2
#define SHU_NFIELDS      9
#define SHU_PART_NFIELDS 2
#define POOL_NFIELDS     4
#define FPART_NFIELDS    1
#define ALLOC_NFIELDS    11
#define FUND_NFIELDS     3
#define SROW_NFIELDS     3
#define PAY_NFIELDS      7

#define ACCOUNT_MIN 1000u
#define ACCOUNT_MAX 9999u
#define YEAR_MIN    1900u
#define YEAR_MAX    9999u
#define TALLY_MAX   10000000u
#define PPM         1000000u
#define FIGURE_MAX  ((int64_t)PROTO_AMOUNT_MAX * 1000) /* a close's SHU figures: 10^18 */
#define AMOUNT_IMAX ((int64_t)PROTO_AMOUNT_MAX)

/* The frontier digest's domain prefix, its NUL included (18 bytes). */
static const char FRONTIER_PREFIX[] = "saksi-frontier-v1";

/* ---- rules on the struct (the _check functions) ---- */

static bool account_ok(uint32_t a)
{
    return a >= ACCOUNT_MIN && a <= ACCOUNT_MAX;
}

static bool year_ok(uint32_t y)
{
    return y >= YEAR_MIN && y <= YEAR_MAX;
}

static bool amount_ok(uint64_t x)
{
    return x >= 1 && x <= PROTO_AMOUNT_MAX;
}

static bool abs_ok(int64_t x, int64_t max)
{
    return x >= -max && x <= max;
}

/* A NUL-terminated str of at most max bytes inside a buffer of size, valid UTF-8. */
static bool text_ok(const char *s, size_t size, size_t max)
{
    size_t n = strnlen(s, size);

    return n < size && n <= max && proto_mp_utf8_valid((const uint8_t *)s, n);
}

#define MEMO_OK(m) text_ok((m), sizeof(m), PROTO_ACCT_MEMO_MAX)

/* A report type: 1..PROTO_CLOSE_TYPE_MAX bytes of a-z and '-'. */
static bool type_ok(const char *t, size_t size)
{
    size_t n = strnlen(t, size);

    if (n < 1 || n >= size || n > PROTO_CLOSE_TYPE_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((t[i] >= 'a' && t[i] <= 'z') || t[i] == '-'))
            return false;
    return true;
}

static bool decision_ok(const struct proto_decision *d)
{
    bool other = d->type == PROTO_DECIDE_OTHER;

    if (d->type < PROTO_DECIDE_RATIFY || d->type > PROTO_DECIDE_OTHER || d->has_target == other ||
        (d->outcome != PROTO_OUTCOME_ADOPTED && d->outcome != PROTO_OUTCOME_REJECTED))
        return false;
    if (d->eligible > TALLY_MAX || d->present > TALLY_MAX || d->votes_for > TALLY_MAX ||
        d->against > TALLY_MAX || d->abstain > TALLY_MAX || d->present > d->eligible ||
        (uint64_t)d->votes_for + d->against + d->abstain > d->present)
        return false;
    if (d->has_motion != other)
        return false;
    if (d->has_table) {
        if (d->type != PROTO_DECIDE_SHU || d->nparts < 1 || d->nparts > PROTO_SHU_PARTS_MAX)
            return false;
        for (uint32_t i = 0; i < d->nparts; i++)
            if (!proto__shu_part_ok(&d->parts[i]))
                return false;
    }
    return true;
}

int proto_resolution_check(const struct proto_resolution *r)
{
    if (!proto_date_valid(r->date) || r->meeting < PROTO_MEETING_RAT ||
        r->meeting > PROTO_MEETING_OTHER || r->ndecisions < 1 ||
        r->ndecisions > PROTO_RES_DECISIONS_MAX || !MEMO_OK(r->memo))
        return ERR_BODY;
    for (uint32_t i = 0; i < r->ndecisions; i++)
        if (!decision_ok(&r->decisions[i]))
            return ERR_BODY;
    return 0;
}

/* Frontier rows: lengths >= 1, authors strictly ascending (so each feed appears once). */
static bool frontier_rows_ok(const struct proto_frontier_row *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (r[i].length < 1)
            return false;
        if (i > 0 && memcmp(r[i - 1].author, r[i].author, 32) >= 0)
            return false;
    }
    return true;
}

static bool pool_ok(const struct proto_close_pool *p)
{
    /* total: any uint64 (the books compare it with the recomputed sum of the measures). */
    return abs_ok(p->pool, FIGURE_MAX) && abs_ok(p->paid, FIGURE_MAX) &&
           abs_ok(p->residual, FIGURE_MAX);
}

static bool close_shu_ok(const struct proto_close_shu *s)
{
    if (!abs_ok(s->before_tax, FIGURE_MAX) || !abs_ok(s->tax, FIGURE_MAX) ||
        !abs_ok(s->after_tax, FIGURE_MAX) || !abs_ok(s->nonmember, FIGURE_MAX) ||
        !abs_ok(s->member, FIGURE_MAX) || s->nparts > PROTO_SHU_PARTS_MAX || !pool_ok(&s->jm) ||
        !pool_ok(&s->ju))
        return false;
    for (uint32_t i = 0; i < s->nparts; i++)
        if (s->part_ppm[i] > PPM || !abs_ok(s->part_amount[i], FIGURE_MAX))
            return false;
    return true;
}

int proto_close_check(const struct proto_close *c)
{
    if (!year_ok(c->year) || !proto_date_valid(c->start) || !proto_date_valid(c->end) ||
        !proto_date_valid(c->date) || c->start > c->end)
        return ERR_BODY;
    if (c->nrows > PROTO_CLOSE_ROWS_MAX || !frontier_rows_ok(c->rows, c->nrows) ||
        c->nparts > PROTO_CLOSE_PARTS_MAX)
        return ERR_BODY;
    for (uint32_t i = 1; i < c->nparts; i++)
        if (memcmp(c->parts[i - 1], c->parts[i], 32) >= 0)
            return ERR_BODY;
    if (!account_ok(c->current) || !account_ok(c->retained) || c->current == c->retained ||
        c->nlines > PROTO_CLOSE_LINES_MAX)
        return ERR_BODY;
    for (uint32_t i = 0; i < c->nlines; i++) {
        const struct proto_close_line *l = &c->lines[i];

        if (!account_ok(l->account) || l->amount == 0 || !abs_ok(l->amount, AMOUNT_IMAX) ||
            (i > 0 && c->lines[i - 1].account >= l->account))
            return ERR_BODY;
    }
    if (!abs_ok(c->roll, AMOUNT_IMAX) || c->ndigests < 1 || c->ndigests > PROTO_CLOSE_DIGESTS_MAX)
        return ERR_BODY;
    for (uint32_t i = 0; i < c->ndigests; i++) {
        const struct proto_close_digest *d = &c->digests[i];

        /* Strictly ascending by type, bytewise (strcmp compares as unsigned char). */
        if (!type_ok(d->type, sizeof d->type) ||
            (i > 0 && strcmp(c->digests[i - 1].type, d->type) >= 0))
            return ERR_BODY;
    }
    return close_shu_ok(&c->shu) ? 0 : ERR_BODY;
}

int proto_frontier_part_check(const struct proto_frontier_part *p)
{
    return p->nrows >= 1 && p->nrows <= PROTO_CLOSE_PART_ROWS_MAX &&
                   frontier_rows_ok(p->rows, p->nrows)
               ? 0
               : ERR_BODY;
}

int proto_shu_allocate_check(const struct proto_shu_allocate *a)
{
    if (!year_ok(a->year) || !proto_date_valid(a->date) || a->parts < 1 ||
        a->parts > PROTO_SHU_ALLOC_PARTS_MAX || a->part >= a->parts ||
        !account_ok(a->source_account) || !account_ok(a->payable_account) ||
        a->nfunds > PROTO_SHU_PARTS_MAX || (a->nfunds > 0 && a->part != 0) ||
        a->nrows > PROTO_SHU_ROWS_MAX || a->nfunds + a->nrows < 1 || !MEMO_OK(a->memo))
        return ERR_BODY;
    for (uint32_t i = 0; i < a->nfunds; i++) {
        const struct proto_shu_fund *f = &a->funds[i];

        if (f->index >= PROTO_SHU_PARTS_MAX || !account_ok(f->account) || !amount_ok(f->amount))
            return ERR_BODY;
    }
    for (uint32_t i = 0; i < a->nrows; i++) {
        const struct proto_shu_row *r = &a->rows[i];

        if (r->member < 1 || (i > 0 && a->rows[i - 1].member >= r->member) ||
            r->jm > PROTO_AMOUNT_MAX || r->ju > PROTO_AMOUNT_MAX || r->jm + r->ju < 1)
            return ERR_BODY;
    }
    return 0;
}

int proto_shu_pay_check(const struct proto_shu_pay *p)
{
    return p->member >= 1 && proto_date_valid(p->date) && year_ok(p->year) &&
                   amount_ok(p->amount) && account_ok(p->payable_account) &&
                   account_ok(p->to_account) && MEMO_OK(p->memo)
               ? 0
               : ERR_BODY;
}

/* ---- parse: arity, types and what the struct cannot represent ---- */

static int u32_get(const msgpack_object *o, uint32_t *v)
{
    return proto_mp_u32(o, v) < 0 ? ERR_BODY : 0;
}

static int u8_get(const msgpack_object *o, uint8_t *v)
{
    uint64_t x;

    if (proto_mp_u64_max(o, UINT8_MAX, &x) < 0)
        return ERR_BODY;
    *v = (uint8_t)x;
    return 0;
}

static int i64_get(const msgpack_object *o, int64_t *v)
{
    return proto_mp_i64(o, v) < 0 ? ERR_BODY : 0;
}


/* A fixed-arity array. */
static int fields(const msgpack_object *o, uint32_t n, const msgpack_object **f)
{
    return proto_mp_array(o, n, f) < 0 ? ERR_BODY : 0;
}

/* An array of at most max elements. */
static int elems(const msgpack_object *o, uint32_t max, const msgpack_object **a, uint32_t *n)
{
    return proto_mp_array_max(o, max, a, n) < 0 ? ERR_BODY : 0;
}

/* data: nil, an allocation table (array) or a motion digest (bin); the type decides which is
 * allowed (decision_ok). */
static int data_unpack(const msgpack_object *o, struct proto_decision *d)
{
    const msgpack_object *a;
    uint32_t n;

    if (proto_mp_is_nil(o))
        return 0;
    if (o->type == MSGPACK_OBJECT_BIN) {
        d->has_motion = true;
        return proto__bin32_get(o, d->motion);
    }
    if (elems(o, PROTO_SHU_PARTS_MAX, &a, &n) < 0)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++)
        if (proto__shu_part_unpack(&a[i], &d->parts[i]) < 0)
            return ERR_BODY;
    d->has_table = true;
    d->nparts = n;
    return 0;
}

static int decision_unpack(const msgpack_object *o, struct proto_decision *d)
{
    const msgpack_object *f, *t;

    if (fields(o, DECISION_NFIELDS, &f) < 0 || u8_get(&f[0], &d->type) < 0 ||
        proto__bin32_opt(&f[1], &d->has_target, d->target) < 0 || u8_get(&f[2], &d->outcome) < 0 ||
        fields(&f[3], TALLY_NFIELDS, &t) < 0 || u32_get(&t[0], &d->eligible) < 0 ||
        u32_get(&t[1], &d->present) < 0 || u32_get(&t[2], &d->votes_for) < 0 ||
        u32_get(&t[3], &d->against) < 0 || u32_get(&t[4], &d->abstain) < 0 ||
        data_unpack(&f[4], d) < 0)
        return ERR_BODY;
    return 0;
}

static int resolution_unpack(const msgpack_object *f, void *out)
{
    struct proto_resolution *r = out;
    const msgpack_object *a;
    uint32_t n;

    if (u32_get(&f[0], &r->date) < 0 || u8_get(&f[1], &r->meeting) < 0 ||
        elems(&f[2], PROTO_RES_DECISIONS_MAX, &a, &n) < 0)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++)
        if (decision_unpack(&a[i], &r->decisions[i]) < 0)
            return ERR_BODY;
    r->ndecisions = n;
    if (proto__bin32_opt(&f[3], &r->has_minutes, r->minutes) < 0 ||
        proto__str_copy(&f[4], r->memo, PROTO_ACCT_MEMO_MAX) < 0)
        return ERR_BODY;
    return 0;
}

/* rows: array(0..max) of [author, length]. */
static int frontier_rows_unpack(const msgpack_object *o, uint32_t max,
                                struct proto_frontier_row *rows, uint32_t *count)
{
    const msgpack_object *a, *f;
    uint32_t n;

    if (elems(o, max, &a, &n) < 0)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++)
        if (fields(&a[i], FROW_NFIELDS, &f) < 0 || proto__bin32_get(&f[0], rows[i].author) < 0 ||
            proto__u64_get(&f[1], &rows[i].length) < 0)
            return ERR_BODY;
    *count = n;
    return 0;
}

static int frontier_unpack(const msgpack_object *o, struct proto_close *c)
{
    const msgpack_object *f, *a;
    uint32_t n;

    if (fields(o, FRONTIER_NFIELDS, &f) < 0 || proto__bin32_get(&f[0], c->frontier_digest) < 0 ||
        frontier_rows_unpack(&f[1], PROTO_CLOSE_ROWS_MAX, c->rows, &c->nrows) < 0 ||
        elems(&f[2], PROTO_CLOSE_PARTS_MAX, &a, &n) < 0)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++)
        if (proto__bin32_get(&a[i], c->parts[i]) < 0)
            return ERR_BODY;
    c->nparts = n;
    return 0;
}

static int pool_unpack(const msgpack_object *o, struct proto_close_pool *p)
{
    const msgpack_object *f;

    if (fields(o, POOL_NFIELDS, &f) < 0 || i64_get(&f[0], &p->pool) < 0 ||
        proto__u64_get(&f[1], &p->total) < 0 || i64_get(&f[2], &p->paid) < 0 ||
        i64_get(&f[3], &p->residual) < 0)
        return ERR_BODY;
    return 0;
}

static int close_shu_unpack(const msgpack_object *o, struct proto_close_shu *s)
{
    const msgpack_object *f, *a, *r;
    uint32_t n;

    if (fields(o, SHU_NFIELDS, &f) < 0 || i64_get(&f[0], &s->before_tax) < 0 ||
        i64_get(&f[1], &s->tax) < 0 || i64_get(&f[2], &s->after_tax) < 0 ||
        i64_get(&f[3], &s->nonmember) < 0 || i64_get(&f[4], &s->member) < 0 ||
        elems(&f[5], PROTO_SHU_PARTS_MAX, &a, &n) < 0)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++)
        if (fields(&a[i], SHU_PART_NFIELDS, &r) < 0 || u32_get(&r[0], &s->part_ppm[i]) < 0 ||
            i64_get(&r[1], &s->part_amount[i]) < 0)
            return ERR_BODY;
    s->nparts = n;
    if (pool_unpack(&f[6], &s->jm) < 0 || pool_unpack(&f[7], &s->ju) < 0 ||
        proto__bin32_opt(&f[8], &s->has_root, s->members_root) < 0)
        return ERR_BODY;
    return 0;
}

static int close_unpack(const msgpack_object *f, void *out)
{
    struct proto_close *c = out;
    const msgpack_object *a, *r;
    uint32_t n;

    if (u32_get(&f[0], &c->year) < 0 || u32_get(&f[1], &c->start) < 0 ||
        u32_get(&f[2], &c->end) < 0 || u32_get(&f[3], &c->date) < 0 ||
        frontier_unpack(&f[4], c) < 0 || fields(&f[5], ACCOUNTS_NFIELDS, &a) < 0 ||
        u32_get(&a[0], &c->current) < 0 || u32_get(&a[1], &c->retained) < 0 ||
        elems(&f[6], PROTO_CLOSE_LINES_MAX, &a, &n) < 0)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++)
        if (fields(&a[i], CLINE_NFIELDS, &r) < 0 || u32_get(&r[0], &c->lines[i].account) < 0 ||
            i64_get(&r[1], &c->lines[i].amount) < 0)
            return ERR_BODY;
    c->nlines = n;
    if (i64_get(&f[7], &c->roll) < 0 || elems(&f[8], PROTO_CLOSE_DIGESTS_MAX, &a, &n) < 0)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++)
        if (fields(&a[i], DIGEST_NFIELDS, &r) < 0 ||
            proto__str_copy(&r[0], c->digests[i].type, PROTO_CLOSE_TYPE_MAX) < 0 ||
            proto__bin32_get(&r[1], c->digests[i].digest) < 0)
            return ERR_BODY;
    c->ndigests = n;
    return close_shu_unpack(&f[9], &c->shu);
}

static int frontier_part_unpack(const msgpack_object *f, void *out)
{
    struct proto_frontier_part *p = out;

    return frontier_rows_unpack(&f[0], PROTO_CLOSE_PART_ROWS_MAX, p->rows, &p->nrows);
}

static int shu_allocate_unpack(const msgpack_object *f, void *out)
{
    struct proto_shu_allocate *a = out;
    const msgpack_object *e, *r;
    uint32_t n;

    if (u32_get(&f[0], &a->year) < 0 || proto__bin32_get(&f[1], a->close) < 0 ||
        proto__bin32_get(&f[2], a->resolution) < 0 || u32_get(&f[3], &a->date) < 0 ||
        u32_get(&f[4], &a->part) < 0 || u32_get(&f[5], &a->parts) < 0 ||
        u32_get(&f[6], &a->source_account) < 0 || u32_get(&f[7], &a->payable_account) < 0 ||
        elems(&f[8], PROTO_SHU_PARTS_MAX, &e, &n) < 0)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++)
        if (fields(&e[i], FUND_NFIELDS, &r) < 0 || u32_get(&r[0], &a->funds[i].index) < 0 ||
            u32_get(&r[1], &a->funds[i].account) < 0 || proto__u64_get(&r[2], &a->funds[i].amount) < 0)
            return ERR_BODY;
    a->nfunds = n;
    if (elems(&f[9], PROTO_SHU_ROWS_MAX, &e, &n) < 0)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++)
        if (fields(&e[i], SROW_NFIELDS, &r) < 0 || u32_get(&r[0], &a->rows[i].member) < 0 ||
            proto__u64_get(&r[1], &a->rows[i].jm) < 0 || proto__u64_get(&r[2], &a->rows[i].ju) < 0)
            return ERR_BODY;
    a->nrows = n;
    return proto__str_copy(&f[10], a->memo, PROTO_ACCT_MEMO_MAX);
}

static int shu_pay_unpack(const msgpack_object *f, void *out)
{
    struct proto_shu_pay *p = out;

    if (u32_get(&f[0], &p->member) < 0 || u32_get(&f[1], &p->date) < 0 ||
        u32_get(&f[2], &p->year) < 0 || proto__u64_get(&f[3], &p->amount) < 0 ||
        u32_get(&f[4], &p->payable_account) < 0 || u32_get(&f[5], &p->to_account) < 0 ||
        proto__str_copy(&f[6], p->memo, PROTO_ACCT_MEMO_MAX) < 0)
        return ERR_BODY;
    return 0;
}

/*
 * Zeroes out, scans and parses body (every departure from canonical msgpack is ERR_BODY: the
 * scanner's codes name a malformed body here), checks the top-level arity and hands the fields
 * to unpack. 0, ERR_BODY or -ENOMEM; out is left for the caller to check and zero.
 */
static int body_parse(const uint8_t *body, size_t len, uint32_t nfields,
                      int (*unpack)(const msgpack_object *, void *), void *out, size_t size)
{
    struct proto_mp_doc doc;
    const msgpack_object *f;
    int rc;

    memset(out, 0, size);
    rc = proto_mp_doc_init(&doc);
    if (rc < 0)
        return rc;
    rc = proto_mp_doc_parse(&doc, body, len);
    if (rc < 0) {
        rc = rc == -ENOMEM ? rc : ERR_BODY;
        goto out;
    }
    rc = ERR_BODY;
    if (proto_mp_array(&doc.root, nfields, &f) < 0 || unpack(f, out) < 0)
        goto out;
    rc = 0;
out:
    proto_mp_doc_release(&doc);
    return rc;
}

/* The decoder's last step: all zero on failure. */
static int finish(int rc, void *out, size_t size)
{
    if (rc < 0)
        memset(out, 0, size);
    return rc;
}

int proto_resolution_decode(const uint8_t *body, size_t len, struct proto_resolution *out)
{
    int rc = body_parse(body, len, RES_NFIELDS, resolution_unpack, out, sizeof *out);

    return finish(rc == 0 ? proto_resolution_check(out) : rc, out, sizeof *out);
}

int proto_close_decode(const uint8_t *body, size_t len, struct proto_close *out)
{
    int rc = body_parse(body, len, CLOSE_NFIELDS, close_unpack, out, sizeof *out);

    return finish(rc == 0 ? proto_close_check(out) : rc, out, sizeof *out);
}

int proto_frontier_part_decode(const uint8_t *body, size_t len, struct proto_frontier_part *out)
{
    int rc = body_parse(body, len, FPART_NFIELDS, frontier_part_unpack, out, sizeof *out);

    return finish(rc == 0 ? proto_frontier_part_check(out) : rc, out, sizeof *out);
}

int proto_shu_allocate_decode(const uint8_t *body, size_t len, struct proto_shu_allocate *out)
{
    int rc = body_parse(body, len, ALLOC_NFIELDS, shu_allocate_unpack, out, sizeof *out);

    return finish(rc == 0 ? proto_shu_allocate_check(out) : rc, out, sizeof *out);
}

int proto_shu_pay_decode(const uint8_t *body, size_t len, struct proto_shu_pay *out)
{
    int rc = body_parse(body, len, PAY_NFIELDS, shu_pay_unpack, out, sizeof *out);

    return finish(rc == 0 ? proto_shu_pay_check(out) : rc, out, sizeof *out);
}

/* ---- encode ---- */

/* A str field held in a buffer of size bytes (NUL-terminated when the body is sound). */
static int put_text(struct proto_buf *b, const char *s, size_t size)
{
    return proto_mp_put_str(b, s, strnlen(s, size));
}

#define PUT_TEXT(b, s) put_text((b), (s), sizeof(s))

static int put_bin32_opt(struct proto_buf *b, bool has, const uint8_t v[32])
{
    return has ? proto_mp_put_bin(b, v, 32) : proto_mp_put_nil(b);
}

static int decision_pack(struct proto_buf *b, const struct proto_decision *d)
{
    int rc;

    if ((rc = proto_mp_put_array(b, DECISION_NFIELDS)) < 0 ||
        (rc = proto_mp_put_uint(b, d->type)) < 0 ||
        (rc = put_bin32_opt(b, d->has_target, d->target)) < 0 ||
        (rc = proto_mp_put_uint(b, d->outcome)) < 0 ||
        (rc = proto_mp_put_array(b, TALLY_NFIELDS)) < 0 ||
        (rc = proto_mp_put_uint(b, d->eligible)) < 0 ||
        (rc = proto_mp_put_uint(b, d->present)) < 0 ||
        (rc = proto_mp_put_uint(b, d->votes_for)) < 0 ||
        (rc = proto_mp_put_uint(b, d->against)) < 0 || (rc = proto_mp_put_uint(b, d->abstain)) < 0)
        return rc;
    if (d->has_table) {
        if ((rc = proto_mp_put_array(b, d->nparts)) < 0)
            return rc;
        for (uint32_t i = 0; i < d->nparts; i++)
            if ((rc = proto__shu_part_pack(b, &d->parts[i])) < 0)
                return rc;
        return 0;
    }
    return put_bin32_opt(b, d->has_motion, d->motion);
}

int proto_resolution_encode(const struct proto_resolution *r, struct proto_buf *out)
{
    int rc;

    if (r->ndecisions > PROTO_RES_DECISIONS_MAX)
        return -EINVAL;
    for (uint32_t i = 0; i < r->ndecisions; i++)
        if (r->decisions[i].has_table && r->decisions[i].nparts > PROTO_SHU_PARTS_MAX)
            return -EINVAL;
    if ((rc = proto_mp_put_array(out, RES_NFIELDS)) < 0 ||
        (rc = proto_mp_put_uint(out, r->date)) < 0 ||
        (rc = proto_mp_put_uint(out, r->meeting)) < 0 ||
        (rc = proto_mp_put_array(out, r->ndecisions)) < 0)
        return rc;
    for (uint32_t i = 0; i < r->ndecisions; i++)
        if ((rc = decision_pack(out, &r->decisions[i])) < 0)
            return rc;
    if ((rc = put_bin32_opt(out, r->has_minutes, r->minutes)) < 0 ||
        (rc = PUT_TEXT(out, r->memo)) < 0)
        return rc;
    return 0;
}

static int frontier_rows_pack(struct proto_buf *b, const struct proto_frontier_row *r, uint32_t n)
{
    int rc;

    if ((rc = proto_mp_put_array(b, n)) < 0)
        return rc;
    for (uint32_t i = 0; i < n; i++)
        if ((rc = proto_mp_put_array(b, FROW_NFIELDS)) < 0 ||
            (rc = proto_mp_put_bin(b, r[i].author, 32)) < 0 ||
            (rc = proto_mp_put_uint(b, r[i].length)) < 0)
            return rc;
    return 0;
}

static int pool_pack(struct proto_buf *b, const struct proto_close_pool *p)
{
    int rc;

    if ((rc = proto_mp_put_array(b, POOL_NFIELDS)) < 0 || (rc = proto_mp_put_int(b, p->pool)) < 0 ||
        (rc = proto_mp_put_uint(b, p->total)) < 0 || (rc = proto_mp_put_int(b, p->paid)) < 0 ||
        (rc = proto_mp_put_int(b, p->residual)) < 0)
        return rc;
    return 0;
}

static int close_shu_pack(struct proto_buf *b, const struct proto_close_shu *s)
{
    int rc;

    if ((rc = proto_mp_put_array(b, SHU_NFIELDS)) < 0 ||
        (rc = proto_mp_put_int(b, s->before_tax)) < 0 || (rc = proto_mp_put_int(b, s->tax)) < 0 ||
        (rc = proto_mp_put_int(b, s->after_tax)) < 0 ||
        (rc = proto_mp_put_int(b, s->nonmember)) < 0 || (rc = proto_mp_put_int(b, s->member)) < 0 ||
        (rc = proto_mp_put_array(b, s->nparts)) < 0)
        return rc;
    for (uint32_t i = 0; i < s->nparts; i++)
        if ((rc = proto_mp_put_array(b, SHU_PART_NFIELDS)) < 0 ||
            (rc = proto_mp_put_uint(b, s->part_ppm[i])) < 0 ||
            (rc = proto_mp_put_int(b, s->part_amount[i])) < 0)
            return rc;
    if ((rc = pool_pack(b, &s->jm)) < 0 || (rc = pool_pack(b, &s->ju)) < 0 ||
        (rc = put_bin32_opt(b, s->has_root, s->members_root)) < 0)
        return rc;
    return 0;
}

int proto_close_encode(const struct proto_close *c, struct proto_buf *out)
{
    int rc;

    if (c->nrows > PROTO_CLOSE_ROWS_MAX || c->nparts > PROTO_CLOSE_PARTS_MAX ||
        c->nlines > PROTO_CLOSE_LINES_MAX || c->ndigests > PROTO_CLOSE_DIGESTS_MAX ||
        c->shu.nparts > PROTO_SHU_PARTS_MAX)
        return -EINVAL;
    if ((rc = proto_mp_put_array(out, CLOSE_NFIELDS)) < 0 ||
        (rc = proto_mp_put_uint(out, c->year)) < 0 || (rc = proto_mp_put_uint(out, c->start)) < 0 ||
        (rc = proto_mp_put_uint(out, c->end)) < 0 || (rc = proto_mp_put_uint(out, c->date)) < 0 ||
        (rc = proto_mp_put_array(out, FRONTIER_NFIELDS)) < 0 ||
        (rc = proto_mp_put_bin(out, c->frontier_digest, 32)) < 0 ||
        (rc = frontier_rows_pack(out, c->rows, c->nrows)) < 0 ||
        (rc = proto_mp_put_array(out, c->nparts)) < 0)
        return rc;
    for (uint32_t i = 0; i < c->nparts; i++)
        if ((rc = proto_mp_put_bin(out, c->parts[i], 32)) < 0)
            return rc;
    if ((rc = proto_mp_put_array(out, ACCOUNTS_NFIELDS)) < 0 ||
        (rc = proto_mp_put_uint(out, c->current)) < 0 ||
        (rc = proto_mp_put_uint(out, c->retained)) < 0 ||
        (rc = proto_mp_put_array(out, c->nlines)) < 0)
        return rc;
    for (uint32_t i = 0; i < c->nlines; i++)
        if ((rc = proto_mp_put_array(out, CLINE_NFIELDS)) < 0 ||
            (rc = proto_mp_put_uint(out, c->lines[i].account)) < 0 ||
            (rc = proto_mp_put_int(out, c->lines[i].amount)) < 0)
            return rc;
    if ((rc = proto_mp_put_int(out, c->roll)) < 0 ||
        (rc = proto_mp_put_array(out, c->ndigests)) < 0)
        return rc;
    for (uint32_t i = 0; i < c->ndigests; i++)
        if ((rc = proto_mp_put_array(out, DIGEST_NFIELDS)) < 0 ||
            (rc = PUT_TEXT(out, c->digests[i].type)) < 0 ||
            (rc = proto_mp_put_bin(out, c->digests[i].digest, 32)) < 0)
            return rc;
    return close_shu_pack(out, &c->shu);
}

int proto_frontier_part_encode(const struct proto_frontier_part *p, struct proto_buf *out)
{
    int rc;

    if (p->nrows > PROTO_CLOSE_PART_ROWS_MAX)
        return -EINVAL;
    if ((rc = proto_mp_put_array(out, FPART_NFIELDS)) < 0)
        return rc;
    return frontier_rows_pack(out, p->rows, p->nrows);
}

int proto_shu_allocate_encode(const struct proto_shu_allocate *a, struct proto_buf *out)
{
    int rc;

    if (a->nfunds > PROTO_SHU_PARTS_MAX || a->nrows > PROTO_SHU_ROWS_MAX)
        return -EINVAL;
    if ((rc = proto_mp_put_array(out, ALLOC_NFIELDS)) < 0 ||
        (rc = proto_mp_put_uint(out, a->year)) < 0 ||
        (rc = proto_mp_put_bin(out, a->close, 32)) < 0 ||
        (rc = proto_mp_put_bin(out, a->resolution, 32)) < 0 ||
        (rc = proto_mp_put_uint(out, a->date)) < 0 || (rc = proto_mp_put_uint(out, a->part)) < 0 ||
        (rc = proto_mp_put_uint(out, a->parts)) < 0 ||
        (rc = proto_mp_put_uint(out, a->source_account)) < 0 ||
        (rc = proto_mp_put_uint(out, a->payable_account)) < 0 ||
        (rc = proto_mp_put_array(out, a->nfunds)) < 0)
        return rc;
    for (uint32_t i = 0; i < a->nfunds; i++)
        if ((rc = proto_mp_put_array(out, FUND_NFIELDS)) < 0 ||
            (rc = proto_mp_put_uint(out, a->funds[i].index)) < 0 ||
            (rc = proto_mp_put_uint(out, a->funds[i].account)) < 0 ||
            (rc = proto_mp_put_uint(out, a->funds[i].amount)) < 0)
            return rc;
    if ((rc = proto_mp_put_array(out, a->nrows)) < 0)
        return rc;
    for (uint32_t i = 0; i < a->nrows; i++)
        if ((rc = proto_mp_put_array(out, SROW_NFIELDS)) < 0 ||
            (rc = proto_mp_put_uint(out, a->rows[i].member)) < 0 ||
            (rc = proto_mp_put_uint(out, a->rows[i].jm)) < 0 ||
            (rc = proto_mp_put_uint(out, a->rows[i].ju)) < 0)
            return rc;
    return PUT_TEXT(out, a->memo);
}

int proto_shu_pay_encode(const struct proto_shu_pay *p, struct proto_buf *out)
{
    int rc;

    if ((rc = proto_mp_put_array(out, PAY_NFIELDS)) < 0 ||
        (rc = proto_mp_put_uint(out, p->member)) < 0 ||
        (rc = proto_mp_put_uint(out, p->date)) < 0 || (rc = proto_mp_put_uint(out, p->year)) < 0 ||
        (rc = proto_mp_put_uint(out, p->amount)) < 0 ||
        (rc = proto_mp_put_uint(out, p->payable_account)) < 0 ||
        (rc = proto_mp_put_uint(out, p->to_account)) < 0 || (rc = PUT_TEXT(out, p->memo)) < 0)
        return rc;
    return 0;
}

/* ---- frontier digest (ACCOUNTING.md 10.2) ---- */

int proto_frontier_digest(const struct proto_frontier_row *rows, const uint8_t (*ids)[32], size_t n,
                          uint8_t out[32])
{
    struct proto_sha256 h;
    uint8_t be[8];

    memset(out, 0, 32);
    if (n > 0 && (!rows || !ids))
        return -EINVAL;
    if (!frontier_rows_ok(rows, n))
        return -EINVAL;
    proto_sha256_init(&h);
    proto_sha256_update(&h, FRONTIER_PREFIX, sizeof FRONTIER_PREFIX);
    for (size_t i = 0; i < n; i++) {
        for (int k = 0; k < 8; k++)
            be[k] = (uint8_t)(rows[i].length >> (56 - 8 * k));
        proto_sha256_update(&h, rows[i].author, 32);
        proto_sha256_update(&h, be, sizeof be);
        proto_sha256_update(&h, ids[i], 32);
    }
    proto_sha256_final(&h, out);
    return 0;
}

/* ---- postings ---- */

struct emit {
    struct proto_line *out;
    size_t max;
    size_t n;
};

/* One line of a pattern; a line of amount 0 is left out (ACCOUNTING.md 2.7). */
static void emit(struct emit *e, uint32_t account, uint32_t member, uint64_t debit, uint64_t credit)
{
    if (debit == 0 && credit == 0)
        return;
    if (e->n < e->max)
        e->out[e->n] = (struct proto_line){account, member, debit, credit};
    e->n++;
}

#define DR(e, a, m, x) emit((e), (a), (m), (x), 0)
#define CR(e, a, m, x) emit((e), (a), (m), 0, (x))

/* |x| as uint64 for |x| <= 2^63 - 1. */
static uint64_t mag(int64_t x)
{
    return x < 0 ? (uint64_t)(-x) : (uint64_t)x;
}

/*
 * Closing lines zero each revenue and expense account: a movement x (debit - credit) is undone
 * by Cr x (x > 0) or Dr -x (x < 0). Their debits minus credits are then -sum(x), so the one
 * line on `current` that balances them is Cr -sum (a surplus: revenue above expense, sum < 0)
 * or Dr sum (a deficit). |sum| <= 1000 x 10^15 = 10^18 < 2^63, so it neither overflows int64
 * nor is ever left unbalanced; the balancing line may exceed PROTO_AMOUNT_MAX (1000 x at most).
 * The roll is one more balanced pair: Dr current / Cr retained when positive, Dr retained /
 * Cr current when negative, the debit line first either way.
 */
int proto_close_postings(const struct proto_close *c, struct proto_line *out, size_t max)
{
    struct emit e = {out, max, 0};
    int64_t sum = 0;

    if ((max > 0 && !out) || proto_close_check(c) < 0)
        return -EINVAL;
    for (uint32_t i = 0; i < c->nlines; i++) {
        const struct proto_close_line *l = &c->lines[i];

        if (l->amount > 0)
            CR(&e, l->account, 0, mag(l->amount));
        else
            DR(&e, l->account, 0, mag(l->amount));
        sum += l->amount;
    }
    if (sum < 0)
        CR(&e, c->current, 0, mag(sum));
    else
        DR(&e, c->current, 0, mag(sum)); /* left out when 0 */
    if (c->roll > 0) {
        DR(&e, c->current, 0, mag(c->roll));
        CR(&e, c->retained, 0, mag(c->roll));
    } else {
        DR(&e, c->retained, 0, mag(c->roll));
        CR(&e, c->current, 0, mag(c->roll));
    }
    return (int)e.n;
}

/*
 * On a checked body: at most 32 funds and 2000 rows, each fund at most 10^15 and each row's
 * jm + ju at most 2 x 10^15, so the sum is at most 4.032 x 10^18, within uint64 (and int64).
 * Counts above capacity are clamped, so nothing beyond the arrays is read on a bad struct.
 */
uint64_t proto_shu_allocate_total(const struct proto_shu_allocate *a)
{
    uint64_t sum = 0;

    for (uint32_t i = 0; i < a->nfunds && i < PROTO_SHU_PARTS_MAX; i++)
        sum += a->funds[i].amount;
    for (uint32_t i = 0; i < a->nrows && i < PROTO_SHU_ROWS_MAX; i++)
        sum += a->rows[i].jm + a->rows[i].ju;
    return sum;
}

/* The source line is the sum of the others: balanced by construction. It may exceed
 * PROTO_AMOUNT_MAX (4032 x at most, see proto_shu_allocate_total). */
int proto_shu_allocate_postings(const struct proto_shu_allocate *a, struct proto_line *out,
                                size_t max)
{
    struct emit e = {out, max, 0};

    if ((max > 0 && !out) || proto_shu_allocate_check(a) < 0)
        return -EINVAL;
    DR(&e, a->source_account, 0, proto_shu_allocate_total(a));
    for (uint32_t i = 0; i < a->nfunds; i++)
        CR(&e, a->funds[i].account, 0, a->funds[i].amount);
    for (uint32_t i = 0; i < a->nrows; i++)
        CR(&e, a->payable_account, a->rows[i].member, a->rows[i].jm + a->rows[i].ju);
    return (int)e.n;
}

int proto_shu_pay_postings(const struct proto_shu_pay *p, bool to_sub, struct proto_line *out,
                           size_t max)
{
    struct emit e = {out, max, 0};

    if ((max > 0 && !out) || proto_shu_pay_check(p) < 0)
        return -EINVAL;
    DR(&e, p->payable_account, p->member, p->amount);
    CR(&e, p->to_account, to_sub ? p->member : 0, p->amount);
    return (int)e.n;
}
