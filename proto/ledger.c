/*
 * Kind bodies (encode and decode) and the pure rules over them. Decoders go through
 * proto_mp_doc_parse (scanner first, then msgpack-c) and copy what they keep into our structs.
 */
#include "proto/ledger.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proto/crypto.h"
#include "proto/entry.h"
#include "proto/err.h"
#include "proto/mp.h"

#define GENESIS_NFIELDS 7
#define ACCOUNT_NFIELDS 4
#define DEVICE_NFIELDS  6
#define POLICY_NFIELDS  4
#define POLICY_VERSION  1
#define REVOKE_NFIELDS  4
#define JOURNAL_NFIELDS 3
#define LINE_NFIELDS    4

void proto_policy_default(struct proto_policy *p)
{
    memset(p, 0, sizeof *p);
    p->rules[p->nrules++] =
        (struct proto_rule){PROTO_KIND_ADMIT, PROTO_ROLE_BIT(PROTO_ROLE_PENGURUS)};
    p->rules[p->nrules++] =
        (struct proto_rule){PROTO_KIND_REVOKE, PROTO_ROLE_BIT(PROTO_ROLE_PENGURUS) |
                                                   PROTO_ROLE_BIT(PROTO_ROLE_PENGAWAS)};
    p->rules[p->nrules++] = (struct proto_rule){
        PROTO_KIND_JOURNAL, PROTO_ROLE_BIT(PROTO_ROLE_PENGURUS) | PROTO_ROLE_BIT(PROTO_ROLE_KASIR)};
    p->revoke_quorum = (struct proto_quorum){2, 1};
    p->checkpoint_quorum = (struct proto_quorum){2, 1};
}

bool proto_policy_allows(const struct proto_policy *p, uint64_t kind, uint8_t role)
{
    for (uint32_t i = 0; i < p->nrules; i++)
        if (p->rules[i].kind == kind)
            return (p->rules[i].roles & PROTO_ROLE_BIT(role)) != 0;
    return role == PROTO_ROLE_PENGURUS;
}

/* Copies a str of at most max bytes into a NUL-terminated fixed buffer of max + 1. */
static int str_copy(const msgpack_object *o, char *dst, size_t max)
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

static int u32_range(const msgpack_object *o, uint64_t lo, uint64_t hi, uint32_t *v)
{
    uint64_t x;

    if (proto_mp_u64_max(o, hi, &x) < 0 || x < lo)
        return ERR_BODY;
    *v = (uint32_t)x;
    return 0;
}

static int device_unpack(const msgpack_object *o, struct proto_device *d)
{
    const msgpack_object *f;
    uint32_t role, office;

    if (proto_mp_array(o, DEVICE_NFIELDS, &f) < 0 ||
        u32_range(&f[0], 1, PROTO_MEMBER_MAX, &d->member) < 0 ||
        u32_range(&f[1], PROTO_ROLE_PENGURUS, PROTO_ROLE_ANGGOTA, &role) < 0 ||
        u32_range(&f[2], PROTO_OFFICE_NONE, PROTO_OFFICE_BENDAHARA, &office) < 0 ||
        proto_mp_bin_fixed(&f[3], d->sign_pk, 32) < 0 ||
        proto_mp_bin_fixed(&f[4], d->box_pk, 32) < 0 ||
        proto_mp_bin_fixed(&f[5], d->card_sig, 64) < 0)
        return ERR_BODY;
    d->role = (uint8_t)role;
    d->office = (uint8_t)office;
    if (d->office != PROTO_OFFICE_NONE && d->role != PROTO_ROLE_PENGURUS)
        return ERR_BODY;
    return proto_card_verify(d->sign_pk, d->box_pk, d->card_sig);
}

static int device_pack(struct proto_buf *b, const struct proto_device *d)
{
    int rc;

    if ((rc = proto_mp_put_array(b, DEVICE_NFIELDS)) < 0 ||
        (rc = proto_mp_put_uint(b, d->member)) < 0 || (rc = proto_mp_put_uint(b, d->role)) < 0 ||
        (rc = proto_mp_put_uint(b, d->office)) < 0 ||
        (rc = proto_mp_put_bin(b, d->sign_pk, 32)) < 0 ||
        (rc = proto_mp_put_bin(b, d->box_pk, 32)) < 0 ||
        (rc = proto_mp_put_bin(b, d->card_sig, 64)) < 0)
        return rc;
    return 0;
}

static int quorum_unpack(const msgpack_object *o, struct proto_quorum *q)
{
    const msgpack_object *f;

    if (proto_mp_array(o, 2, &f) < 0 || u32_range(&f[0], 0, PROTO_ROSTER_MAX, &q->pengurus) < 0 ||
        u32_range(&f[1], 0, PROTO_ROSTER_MAX, &q->pengawas) < 0)
        return ERR_BODY;
    return 0;
}

static int policy_unpack(const msgpack_object *o, struct proto_policy *p)
{
    const msgpack_object *f, *r, *rf;
    uint64_t version;
    uint32_t n;

    memset(p, 0, sizeof *p);
    if (proto_mp_array(o, POLICY_NFIELDS, &f) < 0 || proto_mp_u64(&f[0], &version) < 0 ||
        version != POLICY_VERSION || proto_mp_array_max(&f[1], PROTO_RULES_MAX, &r, &n) < 0)
        return ERR_BODY;
    for (uint32_t i = 0; i < n; i++) {
        if (proto_mp_array(&r[i], 2, &rf) < 0 ||
            u32_range(&rf[0], 1, UINT32_MAX, &p->rules[i].kind) < 0 ||
            u32_range(&rf[1], 0, 0x1e, &p->rules[i].roles) < 0 || (p->rules[i].roles & 1))
            return ERR_BODY; /* bit 0 names no role */
        for (uint32_t j = 0; j < i; j++)
            if (p->rules[j].kind == p->rules[i].kind)
                return ERR_BODY;
    }
    p->nrules = n;
    if (quorum_unpack(&f[2], &p->revoke_quorum) < 0 ||
        quorum_unpack(&f[3], &p->checkpoint_quorum) < 0)
        return ERR_BODY;
    return 0;
}

static int policy_pack(struct proto_buf *b, const struct proto_policy *p)
{
    int rc;

    if ((rc = proto_mp_put_array(b, POLICY_NFIELDS)) < 0 ||
        (rc = proto_mp_put_uint(b, POLICY_VERSION)) < 0 ||
        (rc = proto_mp_put_array(b, p->nrules)) < 0)
        return rc;
    for (uint32_t i = 0; i < p->nrules; i++)
        if ((rc = proto_mp_put_array(b, 2)) < 0 ||
            (rc = proto_mp_put_uint(b, p->rules[i].kind)) < 0 ||
            (rc = proto_mp_put_uint(b, p->rules[i].roles)) < 0)
            return rc;
    if ((rc = proto_mp_put_array(b, 2)) < 0 ||
        (rc = proto_mp_put_uint(b, p->revoke_quorum.pengurus)) < 0 ||
        (rc = proto_mp_put_uint(b, p->revoke_quorum.pengawas)) < 0 ||
        (rc = proto_mp_put_array(b, 2)) < 0 ||
        (rc = proto_mp_put_uint(b, p->checkpoint_quorum.pengurus)) < 0 ||
        (rc = proto_mp_put_uint(b, p->checkpoint_quorum.pengawas)) < 0)
        return rc;
    return 0;
}

void proto_genesis_free(struct proto_genesis *g)
{
    if (!g)
        return;
    free(g->accounts);
    free(g->roster);
    free(g);
}

int proto_genesis_check(const struct proto_genesis *g)
{
    bool pengurus = false;

    if (strcmp(g->currency, "IDR") != 0 || g->name[0] == '\0')
        return ERR_GENESIS;
    if (g->naccounts == 0 || g->naccounts > PROTO_ACCOUNTS_MAX || g->nroster == 0 ||
        g->nroster > PROTO_ROSTER_MAX)
        return ERR_GENESIS;
    for (uint32_t i = 0; i < g->naccounts; i++) {
        const struct proto_account *a = &g->accounts[i];

        if (a->code < 1000 || a->code > 9999 || a->type < PROTO_ACCT_ASSET ||
            a->type > PROTO_ACCT_EXPENSE || a->name[0] == '\0')
            return ERR_GENESIS;
        if (i > 0 && g->accounts[i - 1].code >= a->code)
            return ERR_GENESIS;
    }
    for (uint32_t i = 0; i < g->nroster; i++) {
        if (g->roster[i].role == PROTO_ROLE_PENGURUS)
            pengurus = true;
        for (uint32_t j = 0; j < i; j++)
            if (memcmp(g->roster[i].sign_pk, g->roster[j].sign_pk, 32) == 0 ||
                memcmp(g->roster[i].box_pk, g->roster[j].box_pk, 32) == 0)
                return ERR_GENESIS;
    }
    return pengurus ? 0 : ERR_GENESIS;
}

int proto_genesis_decode(const uint8_t *body, size_t len, struct proto_genesis **out)
{
    struct proto_mp_doc doc;
    struct proto_genesis *g = NULL;
    const msgpack_object *f, *a, *af, *r;
    uint32_t n;
    int rc;

    *out = NULL;
    rc = proto_mp_doc_init(&doc);
    if (rc < 0)
        return rc;
    rc = proto_mp_doc_parse(&doc, body, len);
    if (rc < 0) {
        rc = rc == -ENOMEM ? rc : ERR_BODY;
        goto out;
    }
    g = calloc(1, sizeof *g);
    if (!g) {
        rc = -ENOMEM;
        goto out;
    }
    rc = ERR_BODY;
    if (proto_mp_array(&doc.root, GENESIS_NFIELDS, &f) < 0 ||
        str_copy(&f[0], g->name, PROTO_NAME_MAX) < 0 ||
        str_copy(&f[1], g->registration, PROTO_REG_MAX) < 0 ||
        str_copy(&f[2], g->currency, 3) < 0 ||
        proto_mp_array_max(&f[3], PROTO_ACCOUNTS_MAX, &a, &n) < 0)
        goto out;
    g->accounts = calloc(n ? n : 1, sizeof *g->accounts);
    if (!g->accounts) {
        rc = -ENOMEM;
        goto out;
    }
    for (uint32_t i = 0; i < n; i++) {
        struct proto_account *acc = &g->accounts[i];
        uint32_t type;

        if (proto_mp_array(&a[i], ACCOUNT_NFIELDS, &af) < 0 ||
            u32_range(&af[0], 1000, 9999, &acc->code) < 0 ||
            u32_range(&af[1], PROTO_ACCT_ASSET, PROTO_ACCT_EXPENSE, &type) < 0 ||
            proto_mp_bool(&af[2], &acc->sub) < 0 ||
            str_copy(&af[3], acc->name, PROTO_ACCOUNT_NAME_MAX) < 0)
            goto out;
        acc->type = (uint8_t)type;
    }
    g->naccounts = n;
    if (proto_mp_array_max(&f[4], PROTO_ROSTER_MAX, &r, &n) < 0)
        goto out;
    g->roster = calloc(n ? n : 1, sizeof *g->roster);
    if (!g->roster) {
        rc = -ENOMEM;
        goto out;
    }
    for (uint32_t i = 0; i < n; i++) {
        rc = device_unpack(&r[i], &g->roster[i]);
        if (rc < 0)
            goto out;
    }
    rc = ERR_BODY;
    g->nroster = n;
    if (policy_unpack(&f[5], &g->policy) < 0 || proto_mp_bin_fixed(&f[6], g->netkey_commit, 32) < 0)
        goto out;
    rc = proto_genesis_check(g);
    if (rc < 0)
        goto out;
    *out = g;
    g = NULL;
out:
    proto_genesis_free(g);
    proto_mp_doc_release(&doc);
    return rc;
}

int proto_genesis_encode(const struct proto_genesis *g, struct proto_buf *b)
{
    int rc;

    if ((rc = proto_mp_put_array(b, GENESIS_NFIELDS)) < 0 ||
        (rc = proto_mp_put_str(b, g->name, strlen(g->name))) < 0 ||
        (rc = proto_mp_put_str(b, g->registration, strlen(g->registration))) < 0 ||
        (rc = proto_mp_put_str(b, g->currency, strlen(g->currency))) < 0 ||
        (rc = proto_mp_put_array(b, g->naccounts)) < 0)
        return rc;
    for (uint32_t i = 0; i < g->naccounts; i++) {
        const struct proto_account *a = &g->accounts[i];

        if ((rc = proto_mp_put_array(b, ACCOUNT_NFIELDS)) < 0 ||
            (rc = proto_mp_put_uint(b, a->code)) < 0 || (rc = proto_mp_put_uint(b, a->type)) < 0 ||
            (rc = proto_mp_put_bool(b, a->sub)) < 0 ||
            (rc = proto_mp_put_str(b, a->name, strlen(a->name))) < 0)
            return rc;
    }
    if ((rc = proto_mp_put_array(b, g->nroster)) < 0)
        return rc;
    for (uint32_t i = 0; i < g->nroster; i++)
        if ((rc = device_pack(b, &g->roster[i])) < 0)
            return rc;
    if ((rc = policy_pack(b, &g->policy)) < 0 ||
        (rc = proto_mp_put_bin(b, g->netkey_commit, 32)) < 0)
        return rc;
    return 0;
}

const struct proto_account *proto_genesis_account(const struct proto_genesis *g, uint32_t code)
{
    uint32_t lo = 0, hi = g->naccounts;

    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;

        if (g->accounts[mid].code == code)
            return &g->accounts[mid];
        if (g->accounts[mid].code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const struct proto_device *proto_genesis_device(const struct proto_genesis *g, const uint8_t pk[32])
{
    for (uint32_t i = 0; i < g->nroster; i++)
        if (memcmp(g->roster[i].sign_pk, pk, 32) == 0)
            return &g->roster[i];
    return NULL;
}

/* Parses body into doc and checks it is an array of n fields. */
static int body_open(struct proto_mp_doc *doc, const uint8_t *body, size_t len, uint32_t n,
                     const msgpack_object **f)
{
    int rc = proto_mp_doc_init(doc);

    if (rc < 0)
        return rc;
    rc = proto_mp_doc_parse(doc, body, len);
    if (rc == -ENOMEM)
        return rc;
    if (rc < 0 || proto_mp_array(&doc->root, n, f) < 0)
        return ERR_BODY;
    return 0;
}

int proto_admit_decode(const uint8_t *body, size_t len, struct proto_device *d)
{
    struct proto_mp_doc doc;
    int rc;

    memset(d, 0, sizeof *d);
    rc = proto_mp_doc_init(&doc);
    if (rc < 0)
        return rc;
    rc = proto_mp_doc_parse(&doc, body, len);
    if (rc == 0)
        rc = device_unpack(&doc.root, d);
    else if (rc != -ENOMEM)
        rc = ERR_BODY;
    proto_mp_doc_release(&doc);
    return rc;
}

int proto_admit_encode(const struct proto_device *d, struct proto_buf *out)
{
    return device_pack(out, d);
}

int proto_revoke_decode(const uint8_t *body, size_t len, struct proto_revoke *r)
{
    struct proto_mp_doc doc;
    const msgpack_object *f;
    int rc;

    memset(r, 0, sizeof *r);
    rc = body_open(&doc, body, len, REVOKE_NFIELDS, &f);
    if (rc < 0)
        goto out;
    rc = ERR_BODY;
    if (proto_mp_bin_fixed(&f[0], r->device, 32) < 0 ||
        proto_mp_u64_max(&f[1], PROTO_SEQ_MAX, &r->last_seq) < 0 ||
        str_copy(&f[3], r->reason, PROTO_MEMO_MAX) < 0)
        goto out;
    if (proto_mp_is_nil(&f[2])) {
        r->has_last_id = false;
    } else {
        if (proto_mp_bin_fixed(&f[2], r->last_id, 32) < 0)
            goto out;
        r->has_last_id = true;
    }
    if (r->has_last_id != (r->last_seq > 0))
        goto out;
    rc = 0;
out:
    proto_mp_doc_release(&doc);
    return rc;
}

int proto_revoke_encode(const struct proto_revoke *r, struct proto_buf *b)
{
    int rc;

    if ((rc = proto_mp_put_array(b, REVOKE_NFIELDS)) < 0 ||
        (rc = proto_mp_put_bin(b, r->device, 32)) < 0 ||
        (rc = proto_mp_put_uint(b, r->last_seq)) < 0 ||
        (rc = r->has_last_id ? proto_mp_put_bin(b, r->last_id, 32) : proto_mp_put_nil(b)) < 0 ||
        (rc = proto_mp_put_str(b, r->reason, strlen(r->reason))) < 0)
        return rc;
    return 0;
}

bool proto_date_valid(uint32_t ymd)
{
    static const uint8_t mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    uint32_t y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
    uint32_t max;

    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1)
        return false;
    max = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        max = 29;
    return d <= max;
}

int proto_journal_decode(const uint8_t *body, size_t len, struct proto_journal *j)
{
    struct proto_mp_doc doc;
    const msgpack_object *f, *l, *lf;
    uint32_t n;
    int rc;

    memset(j, 0, sizeof *j);
    rc = body_open(&doc, body, len, JOURNAL_NFIELDS, &f);
    if (rc < 0)
        goto out;
    rc = ERR_BODY;
    if (u32_range(&f[0], 19000101, 99991231, &j->date) < 0 || !proto_date_valid(j->date) ||
        str_copy(&f[1], j->memo, PROTO_MEMO_MAX) < 0 ||
        proto_mp_array_max(&f[2], PROTO_LINES_MAX, &l, &n) < 0 || n < 1)
        goto out;
    for (uint32_t i = 0; i < n; i++) {
        struct proto_line *ln = &j->lines[i];

        if (proto_mp_array(&l[i], LINE_NFIELDS, &lf) < 0 ||
            u32_range(&lf[0], 1000, 9999, &ln->account) < 0)
            goto out;
        if (proto_mp_is_nil(&lf[1]))
            ln->member = 0;
        else if (u32_range(&lf[1], 1, PROTO_MEMBER_MAX, &ln->member) < 0)
            goto out;
        if (proto_mp_u64_max(&lf[2], PROTO_AMOUNT_MAX, &ln->debit) < 0 ||
            proto_mp_u64_max(&lf[3], PROTO_AMOUNT_MAX, &ln->credit) < 0 ||
            (ln->debit == 0) == (ln->credit == 0))
            goto out;
    }
    j->nlines = n;
    rc = 0;
out:
    proto_mp_doc_release(&doc);
    return rc;
}

int proto_journal_encode(const struct proto_journal *j, struct proto_buf *b)
{
    int rc;

    if ((rc = proto_mp_put_array(b, JOURNAL_NFIELDS)) < 0 ||
        (rc = proto_mp_put_uint(b, j->date)) < 0 ||
        (rc = proto_mp_put_str(b, j->memo, strlen(j->memo))) < 0 ||
        (rc = proto_mp_put_array(b, j->nlines)) < 0)
        return rc;
    for (uint32_t i = 0; i < j->nlines; i++) {
        const struct proto_line *l = &j->lines[i];

        if ((rc = proto_mp_put_array(b, LINE_NFIELDS)) < 0 ||
            (rc = proto_mp_put_uint(b, l->account)) < 0 ||
            (rc = l->member ? proto_mp_put_uint(b, l->member) : proto_mp_put_nil(b)) < 0 ||
            (rc = proto_mp_put_uint(b, l->debit)) < 0 || (rc = proto_mp_put_uint(b, l->credit)) < 0)
            return rc;
    }
    return 0;
}

void proto_journal_totals(const struct proto_journal *j, uint64_t *debit, uint64_t *credit)
{
    *debit = 0;
    *credit = 0;
    for (uint32_t i = 0; i < j->nlines; i++) {
        *debit += j->lines[i].debit;
        *credit += j->lines[i].credit;
    }
}

unsigned proto_journal_findings(const struct proto_journal *j, const struct proto_genesis *g)
{
    unsigned f = 0;
    uint64_t d, c;

    proto_journal_totals(j, &d, &c);
    if (d != c)
        f |= PROTO_JF_UNBALANCED;
    for (uint32_t i = 0; i < j->nlines; i++) {
        const struct proto_account *a = proto_genesis_account(g, j->lines[i].account);

        if (!a)
            f |= PROTO_JF_NO_ACCOUNT;
        else if (j->lines[i].member && !a->sub)
            f |= PROTO_JF_MEMBER_NO_SUB;
        else if (!j->lines[i].member && a->sub)
            f |= PROTO_JF_SUB_NO_MEMBER;
    }
    return f;
}

const char *proto_role_name(uint8_t role)
{
    switch (role) {
    case PROTO_ROLE_PENGURUS:
        return "pengurus";
    case PROTO_ROLE_PENGAWAS:
        return "pengawas";
    case PROTO_ROLE_KASIR:
        return "kasir";
    case PROTO_ROLE_ANGGOTA:
        return "anggota";
    default:
        return "?";
    }
}

const char *proto_office_name(uint8_t office)
{
    switch (office) {
    case PROTO_OFFICE_KETUA:
        return "ketua";
    case PROTO_OFFICE_SEKRETARIS:
        return "sekretaris";
    case PROTO_OFFICE_BENDAHARA:
        return "bendahara";
    default:
        return "";
    }
}

const char *proto_acct_type_name(uint8_t type)
{
    static const char *const names[] = {"?", "A", "CA", "L", "E", "R", "X"};

    return type <= PROTO_ACCT_EXPENSE ? names[type] : "?";
}
