/*
 * Offline proof bundles: building the two paths of an entry, the canonical encoding, and the
 * verifier (see proof.h and docs/FORMATS.md 10.7). The verifier trusts nothing but the ledger id
 * it is given: the genesis must hash to it, the roster and the policy come from that genesis and
 * from admissions proven inside the checkpoint, and the checkpoint counts only with the quorum
 * of signatures the genesis policy asks for.
 */
#include "proto/proof.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/crypto.h"
#include "proto/entry.h"
#include "proto/err.h"
#include "proto/ledger.h"
#include "proto/mp.h"

#define BUNDLE_NFIELDS 6
#define ITEM_NFIELDS   7

int proto_proof_item_make(const struct proto_head_feed *frontier, size_t nfeeds, size_t feed,
                          proto_merkle_leaf_fn *get, void *arg, uint64_t seq, const uint8_t *entry,
                          size_t elen, struct proto_proof_item *out)
{
    uint8_t(*leaves)[32];
    int rc;

    memset(out, 0, sizeof *out);
    if (feed >= nfeeds || seq == 0 || seq > frontier[feed].length)
        return -EINVAL;
    for (size_t i = 1; i < nfeeds; i++)
        if (memcmp(frontier[i - 1].author, frontier[i].author, 32) >= 0)
            return -EINVAL;
    out->entry = entry;
    out->entry_len = elen;
    out->feed_length = frontier[feed].length;
    memcpy(out->feed_root, frontier[feed].root, 32);
    rc = proto_merkle_inclusion(get, arg, out->feed_length, seq - 1, out->feed_path,
                                &out->feed_plen);
    if (rc < 0)
        goto fail;
    /* The head path: one leaf per feed, computed here. */
    leaves = malloc(nfeeds * sizeof *leaves);
    if (!leaves) {
        rc = -ENOMEM;
        goto fail;
    }
    for (size_t i = 0; i < nfeeds; i++)
        proto_head_leaf(&frontier[i], leaves[i]);
    rc = proto_merkle_inclusion(proto_merkle_array_leaf, leaves, nfeeds, feed, out->head_path,
                                &out->head_plen);
    free(leaves);
    if (rc < 0)
        goto fail;
    out->head_index = feed;
    out->head_count = nfeeds;
    return 0;
fail:
    memset(out, 0, sizeof *out);
    return rc;
}

static int put_path(struct proto_buf *b, const uint8_t (*path)[32], size_t n)
{
    int rc = proto_mp_put_array(b, (uint32_t)n);

    for (size_t i = 0; i < n && rc == 0; i++)
        rc = proto_mp_put_bin(b, path[i], 32);
    return rc;
}

static int put_item(struct proto_buf *b, const struct proto_proof_item *it)
{
    int rc;

    if (it->feed_plen > PROTO_PROOF_DEPTH_MAX || it->head_plen > PROTO_PROOF_DEPTH_MAX)
        return -EINVAL;
    rc = proto_mp_put_array(b, ITEM_NFIELDS);
    if (rc == 0)
        rc = proto_mp_put_bin(b, it->entry, it->entry_len);
    if (rc == 0)
        rc = proto_mp_put_uint(b, it->feed_length);
    if (rc == 0)
        rc = proto_mp_put_bin(b, it->feed_root, 32);
    if (rc == 0)
        rc = put_path(b, (const uint8_t(*)[32])it->feed_path, it->feed_plen);
    if (rc == 0)
        rc = proto_mp_put_uint(b, it->head_index);
    if (rc == 0)
        rc = proto_mp_put_uint(b, it->head_count);
    if (rc == 0)
        rc = put_path(b, (const uint8_t(*)[32])it->head_path, it->head_plen);
    return rc;
}

int proto_proof_encode(const uint8_t *genesis, size_t glen, const char *note, size_t nlen,
                       const struct proto_proof_item *grants, size_t ngrants,
                       const struct proto_proof_item *item, struct proto_buf *out)
{
    size_t before = out->len;
    int rc;

    if (ngrants > PROTO_PROOF_GRANTS)
        return -EINVAL;
    rc = proto_mp_put_array(out, BUNDLE_NFIELDS);
    if (rc == 0)
        rc = proto_mp_put_str(out, PROTO_PROOF_MAGIC, sizeof PROTO_PROOF_MAGIC - 1);
    if (rc == 0)
        rc = proto_mp_put_uint(out, PROTO_PROOF_VERSION);
    if (rc == 0)
        rc = proto_mp_put_bin(out, genesis, glen);
    if (rc == 0)
        rc = proto_mp_put_str(out, note, nlen);
    if (rc == 0)
        rc = proto_mp_put_array(out, (uint32_t)ngrants);
    for (size_t i = 0; i < ngrants && rc == 0; i++)
        rc = put_item(out, &grants[i]);
    if (rc == 0)
        rc = put_item(out, item);
    if (rc == 0 && out->len - before > PROTO_PROOF_MAX)
        rc = ERR_TOOBIG;
    if (rc < 0)
        out->len = before;
    return rc;
}

/* ---- decoding ---- */

struct bundle {
    const uint8_t *genesis;
    size_t glen;
    const char *note;
    size_t nlen;
    size_t ngrants;
    struct proto_proof_item *grants; /* heap, PROTO_PROOF_GRANTS */
    struct proto_proof_item item;
};

static int path_unpack(const msgpack_object *o, uint8_t (*path)[32], size_t *n)
{
    const msgpack_object *a;
    uint32_t cnt;

    if (proto_mp_array_max(o, PROTO_PROOF_DEPTH_MAX, &a, &cnt) < 0)
        return ERR_BADFRAME;
    for (uint32_t i = 0; i < cnt; i++)
        if (proto_mp_bin_fixed(&a[i], path[i], 32) < 0)
            return ERR_BADFRAME;
    *n = cnt;
    return 0;
}

static int item_unpack(const msgpack_object *o, struct proto_proof_item *it)
{
    const msgpack_object *f;

    if (proto_mp_array(o, ITEM_NFIELDS, &f) < 0 ||
        proto_mp_bin_ref(&f[0], &it->entry, &it->entry_len, PROTO_ENTRY_MAX) < 0 ||
        proto_mp_u64(&f[1], &it->feed_length) < 0 ||
        proto_mp_bin_fixed(&f[2], it->feed_root, 32) < 0 ||
        path_unpack(&f[3], it->feed_path, &it->feed_plen) < 0 ||
        proto_mp_u64(&f[4], &it->head_index) < 0 || proto_mp_u64(&f[5], &it->head_count) < 0 ||
        path_unpack(&f[6], it->head_path, &it->head_plen) < 0)
        return ERR_BADFRAME;
    return 0;
}

static int bundle_unpack(const msgpack_object *root, void *arg)
{
    struct bundle *b = arg;
    const msgpack_object *f, *g;
    const char *magic;
    size_t mlen;
    uint64_t version;
    uint32_t n;

    if (proto_mp_array(root, BUNDLE_NFIELDS, &f) < 0 ||
        proto_mp_str_ref(&f[0], &magic, &mlen, 32) < 0 || mlen != sizeof PROTO_PROOF_MAGIC - 1 ||
        memcmp(magic, PROTO_PROOF_MAGIC, mlen) != 0 || proto_mp_u64(&f[1], &version) < 0 ||
        version != PROTO_PROOF_VERSION ||
        proto_mp_bin_ref(&f[2], &b->genesis, &b->glen, PROTO_ENTRY_MAX) < 0 ||
        proto_mp_str_ref(&f[3], &b->note, &b->nlen, PROTO_NOTE_MAX) < 0 ||
        proto_mp_array_max(&f[4], PROTO_PROOF_GRANTS, &g, &n) < 0)
        return ERR_BADFRAME;
    for (uint32_t i = 0; i < n; i++)
        if (item_unpack(&g[i], &b->grants[i]) < 0)
            return ERR_BADFRAME;
    b->ngrants = n;
    return item_unpack(&f[5], &b->item);
}

/* ---- verification ---- */

static int fail(struct proto_proof_result *res, enum proto_proof_status st, int code,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail(struct proto_proof_result *res, enum proto_proof_status st, int code,
                const char *fmt, ...)
{
    va_list ap;

    res->status = st;
    va_start(ap, fmt);
    vsnprintf(res->msg, sizeof res->msg, fmt, ap);
    va_end(ap);
    return code;
}

/* The first 8 bytes of a key or id in hex, for messages. */
static const char *short_hex(const uint8_t *p, char buf[17])
{
    proto_hex(p, 8, buf);
    return buf;
}

const char *proto_proof_status_name(enum proto_proof_status s)
{
    switch (s) {
    case PROTO_PROOF_OK:
        return "ok";
    case PROTO_PROOF_MALFORMED:
        return "malformed";
    case PROTO_PROOF_WRONG_LEDGER:
        return "wrong-ledger";
    case PROTO_PROOF_GENESIS:
        return "genesis";
    case PROTO_PROOF_CHECKPOINT:
        return "checkpoint";
    case PROTO_PROOF_ENTRY:
        return "entry";
    case PROTO_PROOF_ENTRY_SIG:
        return "entry-signature";
    case PROTO_PROOF_INCLUSION:
        return "inclusion";
    case PROTO_PROOF_HEAD_PATH:
        return "head-path";
    case PROTO_PROOF_GRANT:
        return "grant";
    case PROTO_PROOF_CHECKPOINT_SIG:
        return "checkpoint-signature";
    case PROTO_PROOF_NOT_ON_ROSTER:
        return "not-on-roster";
    case PROTO_PROOF_QUORUM:
        return "quorum";
    }
    return "?";
}

/* Why an item failed, before it is reported for the entry or for a grant. */
struct item_fail {
    enum proto_proof_status st;
    int code;
    char what[160];
};

/*
 * Checks that item's entry belongs to ledger, is signed by its author, and lies in the ledger as
 * of the checkpoint's head. On success e is the parsed entry (borrowing the bundle's bytes).
 */
static int item_check(const uint8_t ledger[32], const struct proto_checkpoint *c,
                      const struct proto_proof_item *it, struct proto_entry *e, struct item_fail *f)
{
    struct proto_head_feed hf;
    uint8_t leaf[32];
    char h1[17], h2[17];
    int rc;

    rc = proto_entry_parse(it->entry, it->entry_len, e);
    if (rc < 0) {
        f->st = PROTO_PROOF_ENTRY;
        f->code = rc;
        snprintf(f->what, sizeof f->what, "not a valid entry (%s)", err_str(rc));
        return rc;
    }
    if (e->kind == PROTO_KIND_GENESIS ? memcmp(e->id, ledger, 32) != 0
                                      : !e->has_ledger || memcmp(e->ledger, ledger, 32) != 0) {
        f->st = PROTO_PROOF_WRONG_LEDGER;
        f->code = ERR_LEDGER;
        snprintf(f->what, sizeof f->what, "entry %s... belongs to ledger %s...",
                 short_hex(e->id, h1), short_hex(e->has_ledger ? e->ledger : e->id, h2));
        return ERR_LEDGER;
    }
    rc = proto_entry_verify(e);
    if (rc < 0) {
        f->st = PROTO_PROOF_ENTRY_SIG;
        f->code = rc;
        snprintf(f->what, sizeof f->what, "entry %s...: its author's signature does not verify",
                 short_hex(e->id, h1));
        return rc;
    }
    if (e->seq > it->feed_length ||
        proto_merkle_inclusion_verify(e->id, e->seq - 1, it->feed_length,
                                      (const uint8_t(*)[32])it->feed_path, it->feed_plen,
                                      it->feed_root) != 0) {
        f->st = PROTO_PROOF_INCLUSION;
        f->code = ERR_PROOF;
        snprintf(f->what, sizeof f->what,
                 "entry %s... (seq %llu): its path does not lead to the root of its feed "
                 "of length %llu",
                 short_hex(e->id, h1), (unsigned long long)e->seq,
                 (unsigned long long)it->feed_length);
        return ERR_PROOF;
    }
    memcpy(hf.author, e->author, 32);
    hf.length = it->feed_length;
    memcpy(hf.root, it->feed_root, 32);
    proto_head_leaf(&hf, leaf);
    if (it->head_index >= it->head_count ||
        proto_merkle_inclusion_verify(leaf, it->head_index, it->head_count,
                                      (const uint8_t(*)[32])it->head_path, it->head_plen,
                                      c->head) != 0) {
        f->st = PROTO_PROOF_HEAD_PATH;
        f->code = ERR_PROOF;
        snprintf(f->what, sizeof f->what,
                 "feed %s... (length %llu): its path does not lead to the checkpoint's head",
                 short_hex(e->author, h1), (unsigned long long)it->feed_length);
        return ERR_PROOF;
    }
    return 0;
}

/*
 * The devices a bundle names: the founders, then the device of every grant that decodes as an
 * admission (dev[nfounders + k] is grant gi[k]'s). on[i] says whether device i is on the roster
 * once the grants' authority is judged.
 */
struct roster {
    struct proto_ckpt_device *d;
    size_t n, nfounders;
    size_t *gi; /* for d[nfounders + k]: the grant's index in the bundle */
    bool *on;
};

static void roster_add(struct roster *r, const struct proto_device *d)
{
    memcpy(r->d[r->n].pk, d->sign_pk, 32);
    r->d[r->n].member = d->member;
    r->d[r->n].role = d->role;
    r->n++;
}

static bool on_roster(const struct roster *r, const uint8_t pk[32],
                      const struct proto_ckpt_device **dev)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->on[i] && memcmp(r->d[i].pk, pk, 32) == 0) {
            *dev = &r->d[i];
            return true;
        }
    return false;
}

/*
 * Judges the grants (all proven by now): a grant counts when its author is on the roster and
 * the policy lets the author's role admit; repeated until nothing changes, so an admission by a
 * device that is itself admitted by another grant counts too. Every grant must count.
 */
static int grants_apply(const struct proto_genesis *g, const struct bundle *b,
                        const struct proto_entry *ge, struct roster *r,
                        struct proto_proof_result *res)
{
    bool progress = true;
    char h1[17], h2[17];

    for (size_t i = 0; i < r->n; i++)
        r->on[i] = i < r->nfounders;
    while (progress) {
        progress = false;
        for (size_t k = r->nfounders; k < r->n; k++) {
            const struct proto_ckpt_device *a;
            const struct proto_entry *e = &ge[r->gi[k - r->nfounders]];

            if (r->on[k] || !on_roster(r, e->author, &a) ||
                !proto_policy_allows(&g->policy, PROTO_KIND_ADMIT, a->role))
                continue;
            r->on[k] = true;
            progress = true;
        }
    }
    for (size_t k = r->nfounders; k < r->n; k++) {
        const struct proto_entry *e = &ge[r->gi[k - r->nfounders]];

        if (!r->on[k])
            return fail(res, PROTO_PROOF_GRANT, ERR_AUTHORITY,
                        "grant %zu (admission %s...): its author %s... is not on the roster or "
                        "may not admit devices",
                        r->gi[k - r->nfounders], short_hex(e->id, h1), short_hex(e->author, h2));
    }
    (void)b;
    return 0;
}

int proto_proof_verify(const uint8_t ledger[32], const uint8_t *bundle, size_t len,
                       struct proto_proof_result *res)
{
    struct bundle b;
    struct proto_genesis *g = NULL;
    struct proto_entry genesis, e;
    struct proto_entry *ge = NULL;
    struct proto_device dev;
    struct proto_note note;
    struct roster r;
    struct proto_ckpt_signer *signers = NULL;
    struct item_fail f;
    const struct proto_device *founder;
    char h1[17], h2[17];
    uint8_t gid[32];
    size_t ns = 0, nv = 0, unknown = 0;
    bool admit_ok[PROTO_PROOF_GRANTS] = {false};
    int rc;

    memset(res, 0, sizeof *res);
    memset(&b, 0, sizeof b);
    memset(&note, 0, sizeof note);
    memset(&r, 0, sizeof r);
    b.grants = calloc(PROTO_PROOF_GRANTS, sizeof *b.grants);
    if (!b.grants)
        return fail(res, PROTO_PROOF_MALFORMED, -ENOMEM, "out of memory");
    if (len > PROTO_PROOF_MAX) {
        rc = fail(res, PROTO_PROOF_MALFORMED, ERR_TOOBIG, "bundle larger than %d bytes",
                  PROTO_PROOF_MAX);
        goto out;
    }
    rc = proto_mp_decode(bundle, len, bundle_unpack, &b);
    if (rc < 0) {
        rc = fail(res, PROTO_PROOF_MALFORMED, rc == -ENOMEM ? rc : ERR_BADFRAME,
                  "not a saksi proof bundle of version %d (%s)", PROTO_PROOF_VERSION, err_str(rc));
        goto out;
    }

    /* 1. The genesis: the trust root is its id. */
    proto_entry_id(b.genesis, b.glen, gid);
    if (memcmp(gid, ledger, 32) != 0) {
        rc = fail(res, PROTO_PROOF_WRONG_LEDGER, ERR_LEDGER,
                  "the bundle is for ledger %s..., not %s...", short_hex(gid, h1),
                  short_hex(ledger, h2));
        goto out;
    }
    rc = proto_entry_parse(b.genesis, b.glen, &genesis);
    if (rc == 0 && genesis.kind != PROTO_KIND_GENESIS)
        rc = ERR_GENESIS;
    if (rc == 0)
        rc = proto_entry_verify(&genesis);
    if (rc == 0)
        rc = proto_genesis_decode(genesis.body, genesis.body_len, &g);
    if (rc == 0) {
        founder = proto_genesis_device(g, genesis.author);
        if (!founder || founder->role != PROTO_ROLE_PENGURUS)
            rc = ERR_GENESIS;
    }
    if (rc < 0) {
        rc = fail(res, PROTO_PROOF_GENESIS, rc == -ENOMEM ? rc : ERR_GENESIS,
                  "the genesis entry is not a valid genesis (%s)", err_str(rc));
        goto out;
    }
    res->need = g->policy.checkpoint_quorum;

    /* 2. The checkpoint. */
    rc = proto_note_parse(b.note, b.nlen, &note);
    if (rc < 0) {
        rc = fail(res, PROTO_PROOF_CHECKPOINT, rc, "the checkpoint is not a signed note (%s)",
                  err_str(rc));
        goto out;
    }
    rc = proto_checkpoint_parse(note.text, note.text_len, &res->checkpoint);
    if (rc < 0) {
        rc = fail(res, PROTO_PROOF_CHECKPOINT, rc, "the note is not a saksi checkpoint");
        goto out;
    }
    if (memcmp(res->checkpoint.ledger, ledger, 32) != 0) {
        rc = fail(res, PROTO_PROOF_WRONG_LEDGER, ERR_LEDGER,
                  "the checkpoint is for ledger %s..., not %s...",
                  short_hex(res->checkpoint.ledger, h1), short_hex(ledger, h2));
        goto out;
    }

    /*
     * 3. The signature lines of every device the bundle names (founders, and the devices of the
     * grants that decode), so that an altered checkpoint is reported as such; whether a grant
     * stands is judged below.
     */
    ge = calloc(b.ngrants ? b.ngrants : 1, sizeof *ge);
    r.d = calloc(g->nroster + b.ngrants, sizeof *r.d);
    r.gi = calloc(b.ngrants ? b.ngrants : 1, sizeof *r.gi);
    r.on = calloc(g->nroster + b.ngrants, sizeof *r.on);
    signers = calloc(PROTO_NOTE_SIGS_MAX, sizeof *signers);
    if (!ge || !r.d || !r.gi || !r.on || !signers) {
        rc = fail(res, PROTO_PROOF_MALFORMED, -ENOMEM, "out of memory");
        goto out;
    }
    for (uint32_t i = 0; i < g->nroster; i++)
        roster_add(&r, &g->roster[i]);
    r.nfounders = r.n;
    for (size_t i = 0; i < b.ngrants; i++) {
        const struct proto_proof_item *it = &b.grants[i];

        if (proto_entry_parse(it->entry, it->entry_len, &ge[i]) != 0 ||
            ge[i].kind != PROTO_KIND_ADMIT ||
            proto_admit_decode(ge[i].body, ge[i].body_len, &dev) != 0)
            continue;
        r.gi[r.n - r.nfounders] = i;
        roster_add(&r, &dev);
        admit_ok[i] = true;
    }
    rc = proto_checkpoint_signers(&note, r.d, r.n, signers, &ns, &unknown);
    if (rc < 0) {
        const struct proto_note_sig *s = &note.sigs[ns];

        rc = fail(res, PROTO_PROOF_CHECKPOINT_SIG, ERR_BADSIG,
                  "signature line %zu (%.*s...) does not verify: the checkpoint was altered or "
                  "the line belongs to another one",
                  ns + 1, (int)(s->name_len < 29 ? s->name_len : 29), s->name);
        goto out;
    }

    /* 4. The entry, in its feed, in the head. */
    rc = item_check(ledger, &res->checkpoint, &b.item, &e, &f);
    if (rc < 0) {
        rc = fail(res, f.st, f.code, "%s", f.what);
        goto out;
    }
    memcpy(res->entry_id, e.id, 32);
    memcpy(res->author, e.author, 32);
    res->seq = e.seq;
    res->kind = e.kind;

    /* 5. The grants: each proven like the entry, an admission, by a device that may admit. */
    for (size_t i = 0; i < b.ngrants; i++) {
        rc = item_check(ledger, &res->checkpoint, &b.grants[i], &ge[i], &f);
        if (rc < 0) {
            rc = fail(res, PROTO_PROOF_GRANT, f.code, "grant %zu: %s", i, f.what);
            goto out;
        }
        if (!admit_ok[i]) { /* not of kind 2, or its body did not decode in step 3 */
            rc = fail(res, PROTO_PROOF_GRANT, ERR_BODY, "grant %zu is not a valid admission", i);
            goto out;
        }
    }
    rc = grants_apply(g, &b, ge, &r, res);
    if (rc < 0)
        goto out;

    /* 6. The quorum, over the signers on the roster. */
    for (size_t i = 0; i < ns; i++) {
        if (r.on[signers[i].device])
            signers[nv++] = signers[i];
        else
            unknown++;
    }
    res->signers = nv;
    res->unknown = unknown;
    for (size_t i = 0; i < nv; i++) {
        const struct proto_ckpt_device *d = &r.d[signers[i].device];

        memcpy(res->signed_by[i].pk, d->pk, 32);
        res->signed_by[i].member = d->member;
        res->signed_by[i].role = d->role;
        res->signed_by[i].type = signers[i].type;
        res->signed_by[i].time = signers[i].time;
    }
    rc = proto_checkpoint_quorum(&res->need, r.d, signers, nv, &res->have);
    if (rc < 0) {
        rc = fail(res, unknown ? PROTO_PROOF_NOT_ON_ROSTER : PROTO_PROOF_QUORUM, ERR_QUORUM,
                  "quorum not met: %u pengurus and %u pengawas signed, %u and %u needed%s",
                  res->have.pengurus, res->have.pengawas, res->need.pengurus, res->need.pengawas,
                  unknown ? "; some signers' keys are not on the roster this bundle shows" : "");
        goto out;
    }
    {
        const struct proto_ckpt_device *a;

        if (on_roster(&r, e.author, &a)) {
            res->author_known = true;
            res->author_member = a->member;
            res->author_role = a->role;
        }
    }
    rc = 0;
    res->status = PROTO_PROOF_OK;
    snprintf(res->msg, sizeof res->msg,
             "entry %s... (seq %llu) is in checkpoint of %llu entries, signed by %u pengurus "
             "and %u pengawas",
             short_hex(e.id, h1), (unsigned long long)e.seq,
             (unsigned long long)res->checkpoint.size, res->have.pengurus, res->have.pengawas);
out:
    proto_note_release(&note);
    proto_genesis_free(g);
    free(b.grants);
    free(ge);
    free(r.d);
    free(r.gi);
    free(r.on);
    free(signers);
    return rc;
}
