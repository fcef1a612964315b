/*
 * Checkpoints and offline proofs through the CLI (docs/FORMATS.md 10, DESIGN.md "Merkle trees,
 * checkpoints, proofs"):
 *
 *   saksi checkpoint create       the checkpoint of everything this device holds (kind 80)
 *   saksi checkpoint sign ID      cosign a checkpoint this device holds entirely (kind 81)
 *   saksi checkpoint show [ID]    the note as on paper, final or pending, who signed
 *   saksi checkpoint list         every checkpoint with its count, date and signatures
 *   saksi prove ID [--out FILE]   a self-contained proof bundle of one entry
 *   saksi verify-proof --ledger L FILE   checks a bundle offline, with no store
 *
 * A device never signs two checkpoints that are not consistent: the last checkpoint it signed
 * (created or cosigned) is kept with its frontier in <data>/checkpoint-signed-<key> (10.9), and
 * a new one must extend it, proven feed by feed with consistency proofs over the store's feeds.
 */
#include "cli/ckpt.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "proto/close.h"
#include "proto/crypto.h"
#include "proto/entry.h"
#include "proto/err.h"
#include "proto/merkle.h"
#include "proto/note.h"
#include "proto/proof.h"

#define RECORD_MAGIC "saksi-checkpoint-signed 1"
#define RECORD_MAX   (64u * 1024 * 1024)

/* ---- loading the store's checkpoints ---- */

struct cosign_rec {
    uint8_t author[32];
    struct proto_cosign c;
};

struct load_ctx {
    struct cli_ckpts *s;
    struct store *st;
    struct proto_ckpt_entry *tmp;
    struct cosign_rec *co;
    size_t nco, cap_co, cap_ck;
};

static int dev_cb(const struct store_device *d, void *arg)
{
    struct cli_ckpts *s = arg;
    void *p;

    if (d->revoked)
        return 0;
    p = realloc(s->dev, (s->ndev + 1) * sizeof *s->dev);
    if (!p)
        return -ENOMEM;
    s->dev = p;
    memcpy(s->dev[s->ndev].pk, d->dev.sign_pk, 32);
    s->dev[s->ndev].member = d->dev.member;
    s->dev[s->ndev].role = d->dev.role;
    s->ndev++;
    return 0;
}

/* Appends the rows of frontier part `id` (kind 36) to k->rows. */
static int part_rows(struct store *st, const uint8_t id[32], struct cli_ckpt *k)
{
    struct proto_buf raw;
    struct proto_entry e;
    struct proto_frontier_part *p = malloc(sizeof *p);
    int rc;

    proto_buf_init(&raw);
    if (!p)
        return -ENOMEM;
    rc = store_entry_get(st, id, &raw);
    if (rc == 0)
        rc = proto_entry_peek(raw.data, raw.len, &e);
    if (rc == 0 && e.kind != PROTO_KIND_FRONTIER_PART)
        rc = ERR_BODY;
    if (rc == 0)
        rc = proto_frontier_part_decode(e.body, e.body_len, p);
    if (rc == 0) {
        void *q = realloc(k->rows, (k->nrows + p->nrows) * sizeof *k->rows);

        if (!q) {
            rc = -ENOMEM;
        } else {
            k->rows = q;
            memcpy(k->rows + k->nrows, p->rows, p->nrows * sizeof *p->rows);
            k->nrows += p->nrows;
        }
    }
    free(p);
    proto_buf_release(&raw);
    return rc;
}

static int cmp_row(const void *a, const void *b)
{
    return memcmp(((const struct proto_frontier_row *)a)->author,
                  ((const struct proto_frontier_row *)b)->author, 32);
}

static int entry_cb(const struct store_row *row, void *arg)
{
    struct load_ctx *l = arg;
    struct proto_entry e;
    int rc;

    if (!row->applied)
        return 0;
    if (proto_entry_peek(row->raw, row->len, &e) < 0)
        return ERR_STORE;
    if (e.kind == PROTO_KIND_CHECKPOINT) {
        struct cli_ckpt *k;

        if (proto_ckpt_entry_decode(e.body, e.body_len, l->tmp) < 0)
            return 0; /* malformed: no checkpoint (the audit reports it) */
        if (l->s->n == l->cap_ck) {
            size_t cap = l->cap_ck ? l->cap_ck * 2 : 8;
            void *p = realloc(l->s->v, cap * sizeof *l->s->v);

            if (!p)
                return -ENOMEM;
            l->s->v = p;
            l->cap_ck = cap;
        }
        k = &l->s->v[l->s->n++];
        memset(k, 0, sizeof *k);
        proto_buf_init(&k->note);
        memcpy(k->id, row->id, 32);
        memcpy(k->author, row->author, 32);
        k->seq = row->seq;
        k->time_ms = e.time_ms;
        memcpy(k->text, l->tmp->text, l->tmp->text_len);
        k->text[l->tmp->text_len] = '\0';
        k->text_len = l->tmp->text_len;
        k->c = l->tmp->c;
        memcpy(k->sig, l->tmp->sig, 64);
        k->rows = malloc((l->tmp->nrows ? l->tmp->nrows : 1) * sizeof *k->rows);
        if (!k->rows)
            return -ENOMEM;
        memcpy(k->rows, l->tmp->rows, l->tmp->nrows * sizeof *k->rows);
        k->nrows = l->tmp->nrows;
        k->rows_ok = true;
        for (uint32_t i = 0; i < l->tmp->nparts && k->rows_ok; i++) {
            rc = part_rows(l->st, l->tmp->parts[i], k);
            if (rc == -ENOMEM)
                return rc;
            if (rc < 0)
                k->rows_ok = false;
        }
        if (k->rows_ok && k->nrows > 1) {
            qsort(k->rows, k->nrows, sizeof *k->rows, cmp_row);
            for (size_t i = 1; i < k->nrows; i++)
                if (memcmp(k->rows[i - 1].author, k->rows[i].author, 32) == 0)
                    k->rows_ok = false;
        }
    } else if (e.kind == PROTO_KIND_COSIGN) {
        struct proto_cosign c;

        if (proto_cosign_decode(e.body, e.body_len, &c) < 0)
            return 0;
        if (l->nco == l->cap_co) {
            size_t cap = l->cap_co ? l->cap_co * 2 : 16;
            void *p = realloc(l->co, cap * sizeof *l->co);

            if (!p)
                return -ENOMEM;
            l->co = p;
            l->cap_co = cap;
        }
        memcpy(l->co[l->nco].author, row->author, 32);
        l->co[l->nco].c = c;
        l->nco++;
    }
    return 0;
}

static int cmp_ckpt(const void *a, const void *b)
{
    const struct cli_ckpt *x = a, *y = b;

    if (x->c.size != y->c.size)
        return x->c.size < y->c.size ? -1 : 1;
    if (x->time_ms != y->time_ms)
        return x->time_ms < y->time_ms ? -1 : 1;
    return memcmp(x->id, y->id, 32);
}

/* The verified lines of a note built from text and lines: 0 with *ns set, or an error. */
static int note_signers(const struct cli_ckpts *s, const char *text, size_t tlen,
                        const struct proto_buf *lines, struct proto_buf *note,
                        struct proto_ckpt_signer *out, size_t *ns)
{
    struct proto_note n;
    int rc;

    proto_buf_reset(note);
    rc = proto_note_format(note, text, tlen, (const char *)lines->data, lines->len);
    if (rc < 0)
        return rc;
    rc = proto_note_parse((const char *)note->data, note->len, &n);
    if (rc < 0)
        return rc;
    rc = proto_checkpoint_signers(&n, s->dev, s->ndev, out, ns, NULL);
    proto_note_release(&n);
    return rc;
}

static bool is_dev(const struct cli_ckpts *s, const uint8_t pk[32], size_t *d)
{
    for (size_t i = 0; i < s->ndev; i++)
        if (memcmp(s->dev[i].pk, pk, 32) == 0) {
            if (d)
                *d = i;
            return true;
        }
    return false;
}

/* Rebuilds k's note from its entry and the verified cosignatures among co[0..nco). */
static int ckpt_finish(struct cli_ckpts *s, struct cli_ckpt *k, const struct cosign_rec *co,
                       size_t nco)
{
    struct proto_buf lines, one, scratch;
    uint8_t(*seen)[32] = NULL;
    size_t nseen = 0, ns;
    int rc;

    proto_buf_init(&lines);
    proto_buf_init(&one);
    proto_buf_init(&scratch);
    k->signers = calloc(PROTO_NOTE_SIGS_MAX, sizeof *k->signers);
    seen = malloc((nco + 1) * sizeof *seen);
    if (!k->signers || !seen) {
        rc = -ENOMEM;
        goto out;
    }
    rc = proto_ckpt_entry_line(k->author, k->sig, &lines);
    if (rc < 0)
        goto out;
    k->valid = memcmp(k->c.ledger, s->ledger, 32) == 0 && is_dev(s, k->author, NULL) &&
               note_signers(s, k->text, k->text_len, &lines, &k->note, k->signers, &ns) == 0 &&
               ns == 1 && k->signers[0].type == PROTO_NOTE_ED25519;
    if (!k->valid) {
        rc = 0;
        goto out;
    }
    memcpy(seen[nseen++], k->author, 32);
    for (size_t i = 0; i < nco; i++) {
        bool dup = false;

        if (memcmp(co[i].c.checkpoint, k->id, 32) != 0)
            continue;
        for (size_t j = 0; j < nseen && !dup; j++)
            dup = memcmp(seen[j], co[i].author, 32) == 0;
        if (dup)
            continue; /* one line per device: its first cosignature */
        proto_buf_reset(&one);
        if ((rc = proto_cosign_line(co[i].author, &co[i].c, &one)) < 0)
            goto out;
        /* Each cosignature alone first: a bad one is left out, not the checkpoint. */
        rc = note_signers(s, k->text, k->text_len, &one, &scratch, k->signers, &ns);
        if (rc == -ENOMEM)
            goto out;
        if (rc < 0 || ns != 1 || k->signers[0].type != PROTO_NOTE_COSIG)
            continue;
        if (lines.len + one.len > PROTO_NOTE_MAX - 512)
            break;
        if ((rc = proto_buf_append(&lines, one.data, one.len)) < 0)
            goto out;
        memcpy(seen[nseen++], co[i].author, 32);
        if (nseen == PROTO_NOTE_SIGS_MAX)
            break;
    }
    rc = note_signers(s, k->text, k->text_len, &lines, &k->note, k->signers, &k->nsigners);
    if (rc < 0)
        goto out;
    k->final = proto_checkpoint_quorum(&s->need, s->dev, k->signers, k->nsigners, &k->have) == 0;
out:
    free(seen);
    proto_buf_release(&lines);
    proto_buf_release(&one);
    proto_buf_release(&scratch);
    return rc;
}

/* The entries of kinds 80 and 81 the books kept aside (books_trefs), read by id: what the
 * officers' feeds hold of them, without walking those feeds. */
static int load_trefs(struct store *st, const struct books *bk, struct load_ctx *l)
{
    const struct books_tref *t;
    size_t n = books_trefs(bk, &t);
    struct proto_buf raw;
    int rc = 0;

    proto_buf_init(&raw);
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct store_row row;
        bool officer = false;

        /* As the walk over the officers' feeds: nobody else signs checkpoints. */
        for (size_t d = 0; d < l->s->ndev && !officer; d++)
            officer = memcmp(l->s->dev[d].pk, t[i].author, 32) == 0 &&
                      (l->s->dev[d].role == PROTO_ROLE_PENGURUS ||
                       l->s->dev[d].role == PROTO_ROLE_PENGAWAS);
        if (!officer)
            continue;
        proto_buf_reset(&raw);
        if ((rc = store_entry_get(st, t[i].id, &raw)) < 0)
            break;
        memset(&row, 0, sizeof row);
        row.raw = raw.data;
        row.len = raw.len;
        memcpy(row.id, t[i].id, 32);
        memcpy(row.author, t[i].author, 32);
        row.seq = t[i].seq;
        row.applied = true; /* the books are given applied entries only */
        rc = entry_cb(&row, l);
    }
    proto_buf_release(&raw);
    return rc;
}

static int ckpts_load(struct store *st, const struct books *bk, struct cli_ckpts *out);

int cli_ckpts_load(struct store *st, struct cli_ckpts *out)
{
    return ckpts_load(st, NULL, out);
}

static int ckpts_load(struct store *st, const struct books *bk, struct cli_ckpts *out)
{
    struct load_ctx l;
    struct proto_genesis *g = NULL;
    int rc;

    memset(out, 0, sizeof *out);
    memset(&l, 0, sizeof l);
    l.s = out;
    l.st = st;
    if ((rc = store_ledger_id(st, out->ledger)) < 0 || (rc = store_genesis(st, &g)) < 0)
        return rc;
    out->need = g->policy.checkpoint_quorum;
    proto_genesis_free(g);
    if ((rc = store_each_device(st, dev_cb, out)) < 0)
        return rc;
    l.tmp = malloc(sizeof *l.tmp);
    if (!l.tmp)
        return -ENOMEM;
    if (bk) {
        rc = load_trefs(st, bk, &l);
    } else {
        /* Only the feeds of pengurus and pengawas devices: nobody else signs checkpoints. */
        for (size_t i = 0; i < out->ndev && rc == 0; i++)
            if (out->dev[i].role == PROTO_ROLE_PENGURUS ||
                out->dev[i].role == PROTO_ROLE_PENGAWAS)
                rc = store_each_entry(st, out->dev[i].pk, entry_cb, &l);
    }
    if (rc == 0 && out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, cmp_ckpt);
    for (size_t i = 0; i < out->n && rc == 0; i++)
        rc = ckpt_finish(out, &out->v[i], l.co, l.nco);
    free(l.tmp);
    free(l.co);
    return rc;
}

void cli_ckpts_release(struct cli_ckpts *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].rows);
        free(s->v[i].signers);
        proto_buf_release(&s->v[i].note);
    }
    free(s->v);
    free(s->dev);
    memset(s, 0, sizeof *s);
}

size_t cli_ckpts_latest(const struct cli_ckpts *s, bool final_only)
{
    for (size_t i = s->n; i-- > 0;)
        if (s->v[i].valid && s->v[i].rows_ok && (s->v[i].final || !final_only))
            return i;
    return SIZE_MAX;
}

static const struct proto_frontier_row *row_of(const struct cli_ckpt *k, const uint8_t a[32])
{
    struct proto_frontier_row key;

    memcpy(key.author, a, 32);
    return bsearch(&key, k->rows, k->nrows, sizeof *k->rows, cmp_row);
}

int cli_report_final(struct store *st, const struct books *bk, uint32_t as_of, bool *final)
{
    struct cli_ckpts s;
    size_t f;
    int rc;

    *final = false;
    rc = ckpts_load(st, bk, &s);
    if (rc == 0 && (f = cli_ckpts_latest(&s, true)) != SIZE_MAX) {
        const struct cli_ckpt *k = &s.v[f];

        *final = true;
        for (size_t i = 0; i < books_nitems(bk) && *final; i++) {
            const struct books_item *it = books_item(bk, i);
            const struct proto_frontier_row *r;

            if (it->date && it->date > as_of)
                continue;
            r = row_of(k, it->author);
            *final = r && r->length >= it->seq;
        }
    }
    cli_ckpts_release(&s);
    return rc;
}

/* ---- the store's feeds ---- */

struct sfeeds {
    struct store_feed *v;
    size_t n, cap;
};

static int sfeed_cb(const struct store_feed *f, void *arg)
{
    struct sfeeds *s = arg;

    if (f->length == 0)
        return 0;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 32;
        void *p = realloc(s->v, cap * sizeof *s->v);

        if (!p)
            return -ENOMEM;
        s->v = p;
        s->cap = cap;
    }
    s->v[s->n++] = *f;
    return 0;
}

static int cmp_sfeed(const void *a, const void *b)
{
    return memcmp(((const struct store_feed *)a)->author, ((const struct store_feed *)b)->author,
                  32);
}

static int sfeeds_load(struct store *st, struct sfeeds *s)
{
    int rc;

    memset(s, 0, sizeof *s);
    rc = store_each_feed(st, sfeed_cb, s);
    if (rc == 0 && s->n > 1)
        qsort(s->v, s->n, sizeof *s->v, cmp_sfeed);
    return rc;
}

static const struct store_feed *sfeed_find(const struct sfeeds *s, const uint8_t a[32])
{
    struct store_feed key;

    memcpy(key.author, a, 32);
    return bsearch(&key, s->v, s->n, sizeof *s->v, cmp_sfeed);
}

struct leaves {
    uint8_t (*v)[32];
    uint64_t n;
};

static int leaves_cb(const struct store_row *row, void *arg)
{
    struct leaves *l = arg;

    if (!row->applied)
        return 0;
    if (row->seq != l->n + 1)
        return ERR_STORE;
    memcpy(l->v[l->n++], row->id, 32);
    return 0;
}

/* The ids of entries 1..n of a feed, in order (its Merkle leaves). *out: free(). */
static int feed_leaves(struct store *st, const uint8_t author[32], uint64_t n, uint8_t (**out)[32])
{
    struct leaves l = {NULL, 0};
    int rc;

    *out = NULL;
    if (n == 0 || n > SIZE_MAX / 32)
        return -EINVAL;
    l.v = malloc(n * sizeof *l.v);
    if (!l.v)
        return -ENOMEM;
    rc = store_feed_range(st, author, 1, n, leaves_cb, &l);
    if (rc == 0 && l.n != n)
        rc = ERR_STORE;
    if (rc < 0) {
        free(l.v);
        return rc;
    }
    *out = l.v;
    return 0;
}

/*
 * The frontier of rows[0..n) as this store holds it: each feed's root and last id at the row's
 * length. 0; 1 when the store lacks part of it (why says what); or an error.
 */
static int feeds_for_rows(struct store *st, const struct sfeeds *sf,
                          const struct proto_frontier_row *rows, size_t n,
                          struct proto_ckpt_feed *out, char *why, size_t wl)
{
    char hex[17];
    int rc;

    for (size_t i = 0; i < n; i++) {
        const struct store_feed *f = sfeed_find(sf, rows[i].author);

        memcpy(out[i].author, rows[i].author, 32);
        out[i].length = rows[i].length;
        if (!f || f->length < rows[i].length) {
            snprintf(why, wl,
                     "this device holds %llu applied entries of feed %s..., the checkpoint "
                     "states %llu: sync with the other devices first",
                     (unsigned long long)(f ? f->length : 0), cli_hex(rows[i].author, 8, hex),
                     (unsigned long long)rows[i].length);
            return 1;
        }
        if (f->length == rows[i].length) {
            memcpy(out[i].root, f->root, 32);
            rc = store_books_id_at(st, f->author, f->length, out[i].last);
            if (rc != 0)
                return rc < 0 ? rc : ERR_STORE;
        } else {
            uint8_t(*lv)[32];

            if ((rc = feed_leaves(st, f->author, rows[i].length, &lv)) < 0)
                return rc;
            rc = proto_merkle_root(proto_merkle_array_leaf, lv, rows[i].length, out[i].root);
            memcpy(out[i].last, lv[rows[i].length - 1], 32);
            free(lv);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

/* ---- the last checkpoint this device signed ---- */

struct record {
    uint8_t entry[32];
    char text[PROTO_CKPT_TEXT_MAX + 1];
    struct proto_checkpoint c;
    struct proto_ckpt_feed *f;
    size_t n;
};

static void record_path(const struct cli_ctx *ctx, const uint8_t pk[32], char *out, size_t size)
{
    char name[96], hex[65];

    snprintf(name, sizeof name, "checkpoint-signed-%s", cli_hex(pk, 32, hex));
    cli_path(ctx, name, out, size);
}

static int hex32_word(char **p, uint8_t out[32])
{
    char w[65];

    if (strlen(*p) < 64 || ((*p)[64] != ' ' && (*p)[64] != '\0'))
        return -EINVAL;
    memcpy(w, *p, 64);
    w[64] = '\0';
    *p += (*p)[64] == ' ' ? 65 : 64;
    return cli_hex32(w, out);
}

/* Reads the record: 0, -ENOENT (none yet), ERR_CONFIG (damaged), or an I/O error. */
static int record_read(const struct cli_ctx *ctx, const uint8_t pk[32], struct record *r)
{
    struct proto_buf b;
    struct cli_lines ls;
    char path[4200], *line;
    size_t len, tl = 0;
    int rc, state = 0;

    memset(r, 0, sizeof *r);
    record_path(ctx, pk, path, sizeof path);
    proto_buf_init(&b);
    rc = cli_file_read(path, RECORD_MAX, &b);
    if (rc < 0) {
        proto_buf_release(&b);
        return rc == -ENOENT ? -ENOENT : rc;
    }
    if ((rc = cli_lines_init(&ls, &b)) < 0)
        goto out;
    rc = ERR_CONFIG;
    while ((line = cli_lines_next(&ls, &len)) != NULL) {
        if (strlen(line) != len)
            goto out;
        if (state == 0) {
            if (strcmp(line, RECORD_MAGIC) != 0)
                goto out;
            state = 1;
        } else if (state == 1) {
            char *p = line + 6;

            if (strncmp(line, "entry ", 6) != 0 || hex32_word(&p, r->entry) < 0 || *p)
                goto out;
            state = 2;
        } else if (state >= 2 && state < 6) {
            if (tl + len + 1 > PROTO_CKPT_TEXT_MAX)
                goto out;
            memcpy(r->text + tl, line, len);
            tl += len;
            r->text[tl++] = '\n';
            r->text[tl] = '\0';
            if (++state == 6 && proto_checkpoint_parse(r->text, tl, &r->c) < 0)
                goto out;
        } else if (strncmp(line, "feed ", 5) == 0) {
            char *p = line + 5, *end;
            struct proto_ckpt_feed *f;
            void *q = realloc(r->f, (r->n + 1) * sizeof *r->f);

            if (!q) {
                rc = -ENOMEM;
                goto out;
            }
            r->f = q;
            f = &r->f[r->n];
            if (hex32_word(&p, f->author) < 0)
                goto out;
            errno = 0;
            f->length = strtoull(p, &end, 10);
            if (errno || end == p || *end != ' ')
                goto out;
            p = end + 1;
            if (hex32_word(&p, f->root) < 0 || hex32_word(&p, f->last) < 0 || *p)
                goto out;
            r->n++;
        } else if (strcmp(line, "end") == 0) {
            state = 7;
        } else {
            goto out;
        }
    }
    rc = state == 7 && proto_checkpoint_match(&r->c, r->f, r->n) == 0 ? 0 : ERR_CONFIG;
out:
    proto_buf_release(&b);
    if (rc < 0) {
        free(r->f);
        memset(r, 0, sizeof *r);
    }
    return rc;
}

static int record_write(const struct cli_ctx *ctx, const uint8_t pk[32], const uint8_t entry[32],
                        const char *text, size_t tlen, const struct proto_ckpt_feed *f, size_t n)
{
    struct proto_buf b;
    char path[4200], line[300], h1[65], h2[65], h3[65];
    int rc;

    proto_buf_init(&b);
    snprintf(line, sizeof line, "%s\nentry %s\n", RECORD_MAGIC, cli_hex(entry, 32, h1));
    rc = proto_buf_append(&b, line, strlen(line));
    if (rc == 0)
        rc = proto_buf_append(&b, text, tlen);
    for (size_t i = 0; i < n && rc == 0; i++) {
        snprintf(line, sizeof line, "feed %s %llu %s %s\n", cli_hex(f[i].author, 32, h1),
                 (unsigned long long)f[i].length, cli_hex(f[i].root, 32, h2),
                 cli_hex(f[i].last, 32, h3));
        rc = proto_buf_append(&b, line, strlen(line));
    }
    if (rc == 0)
        rc = proto_buf_append(&b, "end\n", 4);
    record_path(ctx, pk, path, sizeof path);
    if (rc == 0)
        rc = cli_file_write(path, b.data, b.len, 0600, false);
    proto_buf_release(&b);
    return rc;
}

/*
 * Whether checkpoint b (frontier bf[0..bn), as this store holds it) extends the record a, with
 * consistency proofs computed from the store's feeds. 0; 1 refused (why); or an error.
 */
static int check_extends(struct store *st, const struct record *a, const struct proto_checkpoint *b,
                         const struct proto_ckpt_feed *bf, size_t bn, char *why, size_t wl)
{
    struct proto_ckpt_cproof *pr = calloc(a->n ? a->n : 1, sizeof *pr);
    uint8_t(*paths)[PROTO_MERKLE_PATH_MAX][32] = calloc(a->n ? a->n : 1, sizeof *paths);
    char h1[17], h2[17];
    size_t j = 0, bad = SIZE_MAX;
    int rc = 0;

    if (!pr || !paths) {
        rc = -ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < a->n && rc == 0; i++) {
        pr[i].path = (const uint8_t(*)[32])paths[i];
        while (j < bn && memcmp(bf[j].author, a->f[i].author, 32) < 0)
            j++;
        if (j < bn && memcmp(bf[j].author, a->f[i].author, 32) == 0 &&
            bf[j].length > a->f[i].length) {
            uint8_t(*lv)[32];

            if ((rc = feed_leaves(st, bf[j].author, bf[j].length, &lv)) < 0)
                break;
            rc = proto_merkle_consistency(proto_merkle_array_leaf, lv, bf[j].length,
                                          a->f[i].length, paths[i], &pr[i].len);
            free(lv);
        }
    }
    if (rc < 0)
        goto out;
    rc = proto_checkpoint_consistent(&a->c, a->f, a->n, b, bf, bn, pr, &bad);
    switch (rc) {
    case 0:
        break;
    case ERR_LEDGER:
        snprintf(why, wl, "the last checkpoint this device signed (%s...) is of another ledger",
                 cli_hex(a->entry, 8, h1));
        rc = 1;
        break;
    case ERR_REGRESS:
        snprintf(why, wl,
                 "a checkpoint below its predecessor: feed %s... holds %llu entries in the last "
                 "checkpoint this device signed (%s...) and fewer, or none, in this one",
                 cli_hex(a->f[bad].author, 8, h1), (unsigned long long)a->f[bad].length,
                 cli_hex(a->entry, 8, h2));
        rc = 1;
        break;
    case ERR_PROOF:
        snprintf(why, wl,
                 "feed %s... is not an extension of the same feed in the last checkpoint this "
                 "device signed (%s...): its first %llu entries differ (consistency proof fails)",
                 cli_hex(a->f[bad].author, 8, h1), cli_hex(a->entry, 8, h2),
                 (unsigned long long)a->f[bad].length);
        rc = 1;
        break;
    case ERR_CHECKPOINT:
        snprintf(why, wl, "this checkpoint does not match the frontier this device holds");
        rc = 1;
        break;
    default:
        break;
    }
out:
    free(pr);
    free(paths);
    return rc;
}

/* Loads the record and checks b against it: CLI_OK to go on, else an exit code (printed). */
static int guard(struct cli_ctx *ctx, struct store *st, const uint8_t pk[32],
                 const struct proto_checkpoint *b, const struct proto_ckpt_feed *bf, size_t bn)
{
    struct record a;
    char why[400], path[4200];
    int rc = record_read(ctx, pk, &a);

    if (rc == -ENOENT)
        return CLI_OK;
    if (rc < 0) {
        record_path(ctx, pk, path, sizeof path);
        cli_err("cannot read '%s' (the last checkpoint this device signed): %s", path,
                err_str(rc));
        return CLI_RUNTIME;
    }
    rc = check_extends(st, &a, b, bf, bn, why, sizeof why);
    free(a.f);
    if (rc < 0) {
        cli_err("cannot check consistency: %s", err_str(rc));
        return CLI_RUNTIME;
    }
    if (rc > 0) {
        cli_err("refused (inconsistent): %s; a device never signs two inconsistent checkpoints",
                why);
        return CLI_NEG;
    }
    return CLI_OK;
}

/* ---- shared command pieces ---- */

static bool may_sign(const struct store_device *me)
{
    return !me->revoked &&
           (me->dev.role == PROTO_ROLE_PENGURUS || me->dev.role == PROTO_ROLE_PENGAWAS);
}

/* This device on the roster, as a signer: CLI_OK or an exit code (printed). */
static int signer_check(struct store *st, const struct proto_keys *k, struct store_device *me)
{
    char hex[17];
    int rc = store_device_get(st, k->sign_pk, me);

    if (rc == -ENOENT) {
        cli_err("this device (%s) is not on the roster of this ledger",
                cli_hex(k->sign_pk, 8, hex));
        return CLI_NEG;
    }
    if (rc < 0) {
        cli_err("cannot read the roster: %s", err_str(rc));
        return CLI_RUNTIME;
    }
    if (!may_sign(me)) {
        cli_err("only pengurus and pengawas devices sign checkpoints; this device (%s) is %s%s",
                cli_hex(k->sign_pk, 8, hex), proto_role_name(me->dev.role),
                me->revoked ? ", revoked" : "");
        return CLI_NEG;
    }
    return CLI_OK;
}

/* Resolves an entry id argument (8..64 hex digits). Prints why not. */
static int id_arg(struct store *st, const char *s, uint8_t id[32])
{
    size_t n = strlen(s);
    uint8_t bytes[32];
    char half[65], hex[65];
    int rc;

    if (n < 8 || n > 64 || strspn(s, "0123456789abcdef") != n) {
        cli_err("invalid entry id '%s' (8 to 64 lowercase hex digits)", s);
        return -EINVAL;
    }
    if (n == 64)
        return cli_hex32(s, id);
    memcpy(half, s, n & ~(size_t)1);
    half[n & ~(size_t)1] = '\0';
    if (proto_unhex(half, bytes, n / 2) < 0)
        return -EINVAL;
    rc = store_entry_find(st, bytes, n / 2, id);
    if (rc == 0 && strncmp(cli_hex(id, 32, hex), s, n) != 0)
        rc = -ENOENT;
    if (rc == -ENOENT)
        cli_err("no entry '%s' in this ledger", s);
    else if (rc == -EEXIST)
        cli_err("entry id '%s' is ambiguous: give more digits", s);
    else if (rc < 0)
        cli_err("cannot look up '%s': %s", s, err_str(rc));
    return rc;
}

static size_t find_ckpt(const struct cli_ckpts *s, const uint8_t id[32])
{
    for (size_t i = 0; i < s->n; i++)
        if (memcmp(s->v[i].id, id, 32) == 0)
            return i;
    return SIZE_MAX;
}

static const char *utc(uint64_t secs, char *buf, size_t size)
{
    time_t t = (time_t)secs;
    struct tm tm;

    if (!gmtime_r(&t, &tm) || strftime(buf, size, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
        snprintf(buf, size, "%llu", (unsigned long long)secs);
    return buf;
}

static void b64(const uint8_t h[32], char out[45])
{
    proto_b64std_encode(h, 32, out); /* 44 characters and the NUL */
}

/* ---- checkpoint create ---- */

static void create_usage(FILE *f)
{
    fputs("usage: saksi checkpoint create [--json]\n"
          "\n"
          "Buat checkpoint atas semua entri yang dipegang perangkat ini (entri jenis 80).\n"
          "Creates the checkpoint of everything this device holds: every feed's applied\n"
          "length (the frontier), the entry count and the ledger head over that frontier,\n"
          "signed by this device's key as a C2SP signed note, written as an entry of kind 80.\n"
          "Other pengurus and pengawas devices cosign it (saksi checkpoint sign ID) until the\n"
          "policy's checkpoint quorum makes it final.\n"
          "\n"
          "Refused (exit 1, nothing written) when this device is not a pengurus or pengawas\n"
          "device, or when the checkpoint would not extend the last checkpoint this device\n"
          "signed (a feed shorter than there, or different): a device never signs two\n"
          "inconsistent checkpoints. Frontiers of more than 1000 feeds are written with\n"
          "frontier-part entries (kind 36), as a close does.\n"
          "\n"
          "options:\n"
          "  --json       print the result as JSON\n"
          "  -h, --help   show this help\n"
          "\n"
          "exit codes: 0 ok; 1 refused; 2 usage error; 3 runtime error (I/O, store, lock)\n",
          f);
}

/* Writes rows past the first PROTO_CLOSE_ROWS_MAX as frontier parts (kind 36). */
static int write_parts(struct cli_ctx *ctx, struct store *st, const struct proto_keys *k,
                       const struct proto_frontier_row *rows, size_t n, struct proto_ckpt_entry *e)
{
    struct proto_frontier_part *p = malloc(sizeof *p);
    size_t next = PROTO_CLOSE_ROWS_MAX;
    int rc = 0;

    if (!p)
        return -ENOMEM;
    while (next < n && rc == 0) {
        struct proto_buf body;
        uint8_t id[32];

        if (e->nparts == PROTO_CLOSE_PARTS_MAX) {
            rc = ERR_TOOBIG;
            break;
        }
        memset(p, 0, sizeof *p);
        for (; next < n && p->nrows < PROTO_CLOSE_PART_ROWS_MAX; next++)
            p->rows[p->nrows++] = rows[next];
        proto_buf_init(&body);
        rc = proto_frontier_part_encode(p, &body);
        if (rc == 0)
            rc = cli_author(ctx, st, k, PROTO_KIND_FRONTIER_PART, &body, id);
        if (rc == 0)
            memcpy(e->parts[e->nparts++], id, 32);
        proto_buf_release(&body);
    }
    free(p);
    for (uint32_t i = 1; i < e->nparts; i++)
        for (uint32_t j = i; j > 0 && memcmp(e->parts[j - 1], e->parts[j], 32) > 0; j--) {
            uint8_t t[32];

            memcpy(t, e->parts[j], 32);
            memcpy(e->parts[j], e->parts[j - 1], 32);
            memcpy(e->parts[j - 1], t, 32);
        }
    return rc;
}

/* The signature bytes of the single line appended to text (type 0x01: 64, 0x04: 72). */
static int line_data(const char *text, size_t tlen, const struct proto_buf *line, uint8_t *out,
                     size_t want)
{
    struct proto_buf note;
    struct proto_note n;
    int rc;

    proto_buf_init(&note);
    rc = proto_note_format(&note, text, tlen, (const char *)line->data, line->len);
    if (rc == 0)
        rc = proto_note_parse((const char *)note.data, note.len, &n);
    if (rc == 0) {
        if (n.nsigs == 1 && n.sigs[0].data_len == want)
            memcpy(out, n.sigs[0].data, want);
        else
            rc = ERR_NOTE;
        proto_note_release(&n);
    }
    proto_buf_release(&note);
    return rc;
}

static int ckpt_create(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    struct store *st = NULL;
    struct proto_keys *k = NULL;
    struct store_device me;
    struct store_head h;
    struct sfeeds sf;
    struct proto_ckpt_feed *f = NULL;
    struct proto_frontier_row *rows = NULL;
    struct proto_ckpt_entry *e = NULL;
    struct proto_buf text, line, body;
    char name[PROTO_CKPT_KEY_NAME_LEN + 1], hex[65];
    uint8_t id[32], ledger[32];
    bool json = ctx->json;
    int c, rc, ret = CLI_RUNTIME;

    memset(&sf, 0, sizeof sf);
    proto_buf_init(&text);
    proto_buf_init(&line);
    proto_buf_init(&body);
    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        if (c == 'h') {
            create_usage(stdout);
            return cli_stdout_done();
        }
        if (c == 'j')
            json = true;
        else
            return cli_opt_error("checkpoint create", c, argv);
    }
    if (optind < argc)
        return cli_usage("checkpoint create", "unexpected argument '%s'", argv[optind]);
    if ((rc = cli_store_open_rw(ctx, &st)) < 0)
        return cli_open_error(ctx, rc);
    if ((rc = cli_keys_load(ctx, &k)) < 0) {
        cli_err("cannot load this device's key: %s", err_str(rc));
        goto out;
    }
    if ((ret = signer_check(st, k, &me)) != CLI_OK)
        goto out;
    ret = CLI_RUNTIME;
    if ((rc = sfeeds_load(st, &sf)) < 0 || (rc = store_head_get(st, &h)) < 0)
        goto fail;
    f = calloc(sf.n ? sf.n : 1, sizeof *f);
    rows = calloc(sf.n ? sf.n : 1, sizeof *rows);
    e = calloc(1, sizeof *e);
    if (!f || !rows || !e) {
        rc = -ENOMEM;
        goto fail;
    }
    for (size_t i = 0; i < sf.n; i++) {
        memcpy(f[i].author, sf.v[i].author, 32);
        f[i].length = sf.v[i].length;
        memcpy(f[i].root, sf.v[i].root, 32);
        rc = store_books_id_at(st, sf.v[i].author, sf.v[i].length, f[i].last);
        if (rc != 0) {
            rc = rc < 0 ? rc : ERR_STORE;
            goto fail;
        }
        memcpy(rows[i].author, sf.v[i].author, 32);
        rows[i].length = sf.v[i].length;
    }
    if ((rc = store_ledger_id(st, ledger)) < 0 ||
        (rc = proto_checkpoint_compute(ledger, f, sf.n, &e->c)) < 0)
        goto fail;
    /* The checkpoint states the store's own head: the same function of the same frontier. */
    if (memcmp(e->c.head, h.head, 32) != 0 || e->c.size != h.applied) {
        cli_err("the head computed over this device's frontier differs from the store's head; "
                "run 'saksi audit' and 'saksi reindex'");
        goto out;
    }
    if ((ret = guard(ctx, st, k->sign_pk, &e->c, f, sf.n)) != CLI_OK)
        goto out;
    ret = CLI_RUNTIME;
    if ((rc = proto_checkpoint_format(&e->c, &text)) < 0)
        goto fail;
    proto_checkpoint_key_name(k->sign_pk, name);
    if ((rc = proto_note_sign(&line, k, name, strlen(name), (const char *)text.data, text.len)) <
            0 ||
        (rc = line_data((const char *)text.data, text.len, &line, e->sig, 64)) < 0)
        goto fail;
    memcpy(e->text, text.data, text.len);
    e->text_len = text.len;
    e->nrows = (uint32_t)(sf.n < PROTO_CLOSE_ROWS_MAX ? sf.n : PROTO_CLOSE_ROWS_MAX);
    memcpy(e->rows, rows, e->nrows * sizeof *rows);
    if (sf.n > PROTO_CLOSE_ROWS_MAX && (rc = write_parts(ctx, st, k, rows, sf.n, e)) < 0) {
        ret = cli_author_error("frontier part", rc);
        goto out;
    }
    if ((rc = proto_ckpt_entry_encode(e, &body)) < 0)
        goto fail;
    if ((rc = cli_author(ctx, st, k, PROTO_KIND_CHECKPOINT, &body, id)) < 0) {
        ret = cli_author_error("checkpoint", rc);
        goto out;
    }
    if ((rc = record_write(ctx, k->sign_pk, id, e->text, e->text_len, f, sf.n)) < 0) {
        cli_err("the checkpoint %s is written, but the record of it could not be saved: %s",
                cli_hex(id, 32, hex), err_str(rc));
        goto out;
    }
    if (json) {
        json_t *o = json_object();

        if (!o || json_object_set_new(o, "checkpoint_id", cli_json_hex(id, 32)) < 0 ||
            json_object_set_new(o, "size", cli_json_u64(e->c.size)) < 0 ||
            json_object_set_new(o, "head", cli_json_hex(e->c.head, 32)) < 0 ||
            json_object_set_new(o, "feeds", cli_json_u64(sf.n)) < 0 ||
            json_object_set_new(o, "parts", json_integer(e->nparts)) < 0 ||
            json_object_set_new(o, "text", json_stringn(e->text, e->text_len)) < 0) {
            json_decref(o);
            rc = -ENOMEM;
            goto fail;
        }
        ret = cli_json_out(o);
    } else {
        printf("Checkpoint %s\n\n%.*s\n%.*s\n", cli_hex(id, 32, hex), (int)e->text_len, e->text,
               (int)line.len, (const char *)line.data);
        printf("%llu entries in %zu feeds. Ask the other pengurus and pengawas to run\n"
               "  saksi checkpoint sign %.16s\n",
               (unsigned long long)e->c.size, sf.n, hex);
        ret = cli_stdout_done();
    }
    goto out;
fail:
    cli_err("cannot create the checkpoint: %s", err_str(rc));
    ret = CLI_RUNTIME;
out:
    proto_buf_release(&text);
    proto_buf_release(&line);
    proto_buf_release(&body);
    free(e);
    free(f);
    free(rows);
    free(sf.v);
    proto_keys_free(k);
    cli_store_close(ctx, st);
    return ret;
}

/* ---- checkpoint sign ---- */

static void sign_usage(FILE *f)
{
    fputs("usage: saksi checkpoint sign ID [--json]\n"
          "\n"
          "Tanda tangani (cosign) checkpoint ID sebagai perangkat ini (entri jenis 81).\n"
          "Cosigns the checkpoint ID (a kind-80 entry) with a C2SP cosignature/v1 at the\n"
          "current time, written as an entry of kind 81, after checking that:\n"
          "  - the checkpoint's own signature verifies and it names this ledger;\n"
          "  - this device holds every entry of its frontier, with the same ids: the entry\n"
          "    count, the ledger head and the frontier digest recomputed from this device's\n"
          "    store equal the checkpoint's;\n"
          "  - it extends the last checkpoint this device signed.\n"
          "Each failed check is a refusal (exit 1) saying which; nothing is written.\n"
          "\n"
          "options:\n"
          "  --json       print the result as JSON\n"
          "  -h, --help   show this help\n"
          "\n"
          "exit codes: 0 ok; 1 refused; 2 usage error; 3 runtime error (I/O, store, lock)\n",
          f);
}

static int ckpt_sign(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    struct store *st = NULL;
    struct proto_keys *k = NULL;
    struct store_device me;
    struct cli_ckpts s;
    struct sfeeds sf;
    struct proto_ckpt_feed *f = NULL;
    struct proto_checkpoint mine;
    struct proto_cosign co;
    struct proto_buf line, body;
    const struct cli_ckpt *ck;
    char name[PROTO_CKPT_KEY_NAME_LEN + 1], hex[65], why[400], h1[17];
    uint8_t id[32], cid[32], data[72];
    bool json = ctx->json;
    size_t ki;
    int c, rc, ret = CLI_RUNTIME;

    memset(&s, 0, sizeof s);
    memset(&sf, 0, sizeof sf);
    proto_buf_init(&line);
    proto_buf_init(&body);
    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        if (c == 'h') {
            sign_usage(stdout);
            return cli_stdout_done();
        }
        if (c == 'j')
            json = true;
        else
            return cli_opt_error("checkpoint sign", c, argv);
    }
    if (optind + 1 != argc)
        return cli_usage("checkpoint sign", "%s",
                         optind < argc ? "one checkpoint ID, please" : "missing checkpoint ID");
    if ((rc = cli_store_open_rw(ctx, &st)) < 0)
        return cli_open_error(ctx, rc);
    if ((rc = cli_keys_load(ctx, &k)) < 0) {
        cli_err("cannot load this device's key: %s", err_str(rc));
        goto out;
    }
    if ((ret = signer_check(st, k, &me)) != CLI_OK)
        goto out;
    ret = CLI_NEG;
    if (id_arg(st, argv[optind], cid) < 0)
        goto out;
    ret = CLI_RUNTIME;
    if ((rc = cli_ckpts_load(st, &s)) < 0 || (rc = sfeeds_load(st, &sf)) < 0)
        goto fail;
    ret = CLI_NEG;
    ki = find_ckpt(&s, cid);
    if (ki == SIZE_MAX) {
        cli_err("entry %s... is not a checkpoint (kind 80) by a pengurus or pengawas device",
                cli_hex(cid, 8, h1));
        goto out;
    }
    ck = &s.v[ki];
    if (memcmp(ck->c.ledger, s.ledger, 32) != 0) {
        cli_err("refused: checkpoint %s... names another ledger", cli_hex(cid, 8, h1));
        goto out;
    }
    if (!ck->valid) {
        cli_err("refused: the signature of checkpoint %s... by its author does not verify",
                cli_hex(cid, 8, h1));
        goto out;
    }
    if (!ck->rows_ok) {
        cli_err("refused: the frontier of checkpoint %s... is incomplete (a frontier part is "
                "missing or damaged)",
                cli_hex(cid, 8, h1));
        goto out;
    }
    for (size_t i = 0; i < ck->nsigners; i++)
        if (memcmp(s.dev[ck->signers[i].device].pk, k->sign_pk, 32) == 0) {
            cli_err("this device has already %s checkpoint %s...",
                    ck->signers[i].type == PROTO_NOTE_ED25519 ? "created (and signed)"
                                                              : "cosigned",
                    cli_hex(cid, 8, h1));
            goto out;
        }
    f = calloc(ck->nrows ? ck->nrows : 1, sizeof *f);
    if (!f) {
        rc = -ENOMEM;
        goto fail;
    }
    rc = feeds_for_rows(st, &sf, ck->rows, ck->nrows, f, why, sizeof why);
    if (rc < 0)
        goto fail;
    if (rc > 0) {
        cli_err("refused: %s", why);
        goto out;
    }
    rc = proto_checkpoint_compute(s.ledger, f, ck->nrows, &mine);
    if (rc < 0)
        goto fail;
    if (mine.size != ck->c.size || memcmp(mine.head, ck->c.head, 32) != 0 ||
        memcmp(mine.frontier, ck->c.frontier, 32) != 0) {
        char b1[45], b2[45];

        if (memcmp(mine.head, ck->c.head, 32) != 0) {
            b64(ck->c.head, b1);
            b64(mine.head, b2);
            cli_err("refused: the checkpoint's head %s is not this device's head %s over the "
                    "same frontier (%llu entries stated, %llu held)",
                    b1, b2, (unsigned long long)ck->c.size, (unsigned long long)mine.size);
        } else {
            cli_err("refused: the checkpoint's %s does not match this device's entries over its "
                    "frontier",
                    mine.size != ck->c.size ? "entry count" : "frontier digest");
        }
        goto out;
    }
    if ((ret = guard(ctx, st, k->sign_pk, &ck->c, f, ck->nrows)) != CLI_OK)
        goto out;
    ret = CLI_RUNTIME;
    memset(&co, 0, sizeof co);
    memcpy(co.checkpoint, cid, 32);
    co.time = (uint64_t)time(NULL);
    proto_checkpoint_key_name(k->sign_pk, name);
    if ((rc = proto_note_cosign(&line, k, name, strlen(name), co.time, ck->text, ck->text_len)) <
            0 ||
        (rc = line_data(ck->text, ck->text_len, &line, data, 72)) < 0)
        goto fail;
    memcpy(co.sig, data + 8, 64);
    if ((rc = proto_cosign_encode(&co, &body)) < 0)
        goto fail;
    if ((rc = cli_author(ctx, st, k, PROTO_KIND_COSIGN, &body, id)) < 0) {
        ret = cli_author_error("cosignature", rc);
        goto out;
    }
    if ((rc = record_write(ctx, k->sign_pk, cid, ck->text, ck->text_len, f, ck->nrows)) < 0) {
        cli_err("the cosignature %s is written, but the record of it could not be saved: %s",
                cli_hex(id, 32, hex), err_str(rc));
        goto out;
    }
    if (json) {
        json_t *o = json_object();

        if (!o || json_object_set_new(o, "cosign_id", cli_json_hex(id, 32)) < 0 ||
            json_object_set_new(o, "checkpoint_id", cli_json_hex(cid, 32)) < 0 ||
            json_object_set_new(o, "time", cli_json_u64(co.time)) < 0) {
            json_decref(o);
            rc = -ENOMEM;
            goto fail;
        }
        ret = cli_json_out(o);
    } else {
        printf("Cosigned checkpoint %s... (%llu entries) as %s (entry %s)\n%.*s",
               cli_hex(cid, 8, h1), (unsigned long long)ck->c.size, proto_role_name(me.dev.role),
               cli_hex(id, 32, hex), (int)line.len, (const char *)line.data);
        printf("See 'saksi checkpoint show %.16s' for whether it is final.\n", h1);
        ret = cli_stdout_done();
    }
    goto out;
fail:
    cli_err("cannot cosign: %s", err_str(rc));
    ret = CLI_RUNTIME;
out:
    proto_buf_release(&line);
    proto_buf_release(&body);
    free(f);
    free(sf.v);
    cli_ckpts_release(&s);
    proto_keys_free(k);
    cli_store_close(ctx, st);
    return ret;
}

/* ---- checkpoint show / list ---- */

static void show_usage(FILE *f)
{
    fputs("usage: saksi checkpoint show [ID] [--json]\n"
          "       saksi checkpoint list [--json]\n"
          "\n"
          "show: the checkpoint ID (default: the latest final one, else the latest) as on\n"
          "paper: the signed note with its signature line and one cosignature line per\n"
          "device that cosigned it (from the kind-81 entries), then whether it is final under\n"
          "the genesis policy's checkpoint quorum, who signed, and which roles are missing.\n"
          "list: every checkpoint with its entry count, date, signatures and final/pending.\n"
          "Only checkpoints and cosignatures by pengurus and pengawas devices that are not\n"
          "revoked are counted.\n"
          "\n"
          "options:\n"
          "  --json       print the result as JSON\n"
          "  -h, --help   show this help\n"
          "\n"
          "exit codes: 0 ok; 1 not found (no checkpoint); 2 usage error; 3 runtime error\n",
          f);
}

static void missing(const struct cli_ckpts *s, const struct cli_ckpt *k, uint32_t *p, uint32_t *w)
{
    *p = s->need.pengurus > k->have.pengurus ? s->need.pengurus - k->have.pengurus : 0;
    *w = s->need.pengawas > k->have.pengawas ? s->need.pengawas - k->have.pengawas : 0;
}

static json_t *ckpt_json(const struct cli_ckpts *s, const struct cli_ckpt *k, bool full)
{
    json_t *o = json_object(), *sg = json_array(), *need = json_object(),
           *miss = json_object();
    uint32_t mp, mw;
    bool ok = o && sg && need && miss;

    missing(s, k, &mp, &mw);
    for (size_t i = 0; ok && i < k->nsigners; i++) {
        const struct proto_ckpt_device *d = &s->dev[k->signers[i].device];
        json_t *x = json_object();

        ok = x && json_object_set_new(x, "device", cli_json_hex(d->pk, 32)) == 0 &&
             json_object_set_new(x, "member", json_integer(d->member)) == 0 &&
             json_object_set_new(x, "role", json_string(proto_role_name(d->role))) == 0 &&
             json_object_set_new(x, "type", json_string(k->signers[i].type == PROTO_NOTE_ED25519
                                                            ? "signature"
                                                            : "cosignature")) == 0 &&
             json_object_set_new(x, "time", cli_json_u64(k->signers[i].time)) == 0 &&
             json_array_append_new(sg, x) == 0;
        if (!ok)
            json_decref(x);
    }
    ok = ok && json_object_set_new(need, "pengurus", json_integer(s->need.pengurus)) == 0 &&
         json_object_set_new(need, "pengawas", json_integer(s->need.pengawas)) == 0 &&
         json_object_set_new(miss, "pengurus", json_integer(mp)) == 0 &&
         json_object_set_new(miss, "pengawas", json_integer(mw)) == 0;
    ok = ok && json_object_set_new(o, "checkpoint_id", cli_json_hex(k->id, 32)) == 0 &&
         json_object_set_new(o, "author", cli_json_hex(k->author, 32)) == 0 &&
         json_object_set_new(o, "time_ms", cli_json_u64(k->time_ms)) == 0 &&
         json_object_set_new(o, "size", cli_json_u64(k->c.size)) == 0 &&
         json_object_set_new(o, "head", cli_json_hex(k->c.head, 32)) == 0 &&
         json_object_set_new(o, "feeds", cli_json_u64(k->nrows)) == 0 &&
         json_object_set_new(o, "valid", json_boolean(k->valid && k->rows_ok)) == 0 &&
         json_object_set_new(o, "final", json_boolean(k->final)) == 0 &&
         json_object_set_new(o, "need", need) == 0 &&
         json_object_set_new(o, "missing", miss) == 0 && json_object_set_new(o, "signers", sg) == 0;
    need = miss = sg = NULL;
    if (ok && full)
        ok = json_object_set_new(o, "note", json_stringn((const char *)k->note.data,
                                                         k->note.len)) == 0;
    json_decref(need);
    json_decref(miss);
    json_decref(sg);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static int ckpt_show_list(int argc, char **argv, struct cli_ctx *ctx, bool list)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    const char *cmd = list ? "checkpoint list" : "checkpoint show";
    struct store *st = NULL;
    struct cli_ckpts s;
    bool json = ctx->json;
    uint8_t id[32];
    size_t ki = SIZE_MAX;
    char hex[65], d1[40];
    int c, rc, ret = CLI_RUNTIME;

    memset(&s, 0, sizeof s);
    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        if (c == 'h') {
            show_usage(stdout);
            return cli_stdout_done();
        }
        if (c == 'j')
            json = true;
        else
            return cli_opt_error(cmd, c, argv);
    }
    if (optind + (list ? 0 : 1) < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[argc - 1]);
    if ((rc = cli_store_open_ro(ctx, &st)) < 0)
        return cli_open_error(ctx, rc);
    if ((rc = cli_ckpts_load(st, &s)) < 0) {
        cli_err("cannot read the checkpoints: %s", err_str(rc));
        goto out;
    }
    ret = CLI_NEG;
    if (list) {
        if (json) {
            json_t *a = json_array();

            for (size_t i = 0; a && i < s.n; i++)
                if (json_array_append_new(a, ckpt_json(&s, &s.v[i], false)) < 0) {
                    json_decref(a);
                    a = NULL;
                }
            ret = a ? cli_json_out(a) : CLI_RUNTIME;
            goto out;
        }
        if (s.n == 0) {
            printf("No checkpoints yet: 'saksi checkpoint create' on a pengurus or pengawas "
                   "device.\n");
            ret = cli_stdout_done();
            goto out;
        }
        printf("%-16s  %10s  %-23s  %-5s  %s\n", "CHECKPOINT", "ENTRIES", "DATE", "SIGS",
               "STATUS");
        for (size_t i = 0; i < s.n; i++) {
            const struct cli_ckpt *k = &s.v[i];
            uint32_t mp, mw;

            missing(&s, k, &mp, &mw);
            printf("%-16.16s  %10llu  %-23s  %-5zu  ", cli_hex(k->id, 8, hex),
                   (unsigned long long)k->c.size, utc(k->time_ms / 1000, d1, sizeof d1),
                   k->nsigners);
            if (!k->valid || !k->rows_ok)
                printf("invalid\n");
            else if (k->final)
                printf("final\n");
            else
                printf("pending (needs %u pengurus, %u pengawas more)\n", mp, mw);
        }
        ret = cli_stdout_done();
        goto out;
    }
    if (optind < argc) {
        if (id_arg(st, argv[optind], id) < 0)
            goto out;
        if ((ki = find_ckpt(&s, id)) == SIZE_MAX) {
            cli_err("entry %s... is not a checkpoint (kind 80) by a pengurus or pengawas device",
                    cli_hex(id, 8, hex));
            goto out;
        }
    } else if ((ki = cli_ckpts_latest(&s, true)) == SIZE_MAX &&
               (ki = cli_ckpts_latest(&s, false)) == SIZE_MAX) {
        cli_err("no checkpoint yet: create one with 'saksi checkpoint create'");
        goto out;
    }
    {
        const struct cli_ckpt *k = &s.v[ki];
        uint32_t mp, mw;

        if (json) {
            json_t *o = ckpt_json(&s, k, true);

            ret = o ? cli_json_out(o) : CLI_RUNTIME;
            goto out;
        }
        missing(&s, k, &mp, &mw);
        printf("Checkpoint %s\n\n", cli_hex(k->id, 32, hex));
        if (k->note.len)
            fwrite(k->note.data, 1, k->note.len, stdout);
        else
            printf("%.*s", (int)k->text_len, k->text);
        printf("\n");
        if (!k->valid)
            printf("Status: INVALID (its author's signature does not verify, or it names "
                   "another ledger)\n");
        else if (!k->rows_ok)
            printf("Status: INVALID (a frontier part is missing or damaged)\n");
        else if (k->final)
            printf("Status: FINAL (quorum %u pengurus, %u pengawas: %u and %u signed)\n",
                   s.need.pengurus, s.need.pengawas, k->have.pengurus, k->have.pengawas);
        else
            printf("Status: PENDING: still needs %u pengurus and %u pengawas (quorum %u "
                   "pengurus, %u pengawas)\n",
                   mp, mw, s.need.pengurus, s.need.pengawas);
        printf("Entries: %llu in %zu feeds; created %s\n", (unsigned long long)k->c.size,
               k->nrows, utc(k->time_ms / 1000, d1, sizeof d1));
        if (k->nsigners)
            printf("Signed by:\n");
        for (size_t i = 0; i < k->nsigners; i++) {
            const struct proto_ckpt_device *d = &s.dev[k->signers[i].device];

            printf("  member %-6u %-9s %.16s...  %s", d->member, proto_role_name(d->role),
                   cli_hex(d->pk, 8, hex),
                   k->signers[i].type == PROTO_NOTE_ED25519 ? "signed (author)" : "cosigned");
            if (k->signers[i].type == PROTO_NOTE_COSIG)
                printf(" %s", utc(k->signers[i].time, d1, sizeof d1));
            printf("\n");
        }
        ret = cli_stdout_done();
    }
out:
    cli_ckpts_release(&s);
    cli_store_close(ctx, st);
    return ret;
}

static void checkpoint_usage(FILE *f)
{
    fputs("usage: saksi checkpoint create [--json]\n"
          "       saksi checkpoint sign ID [--json]\n"
          "       saksi checkpoint show [ID] [--json]\n"
          "       saksi checkpoint list [--json]\n"
          "\n"
          "Checkpoint buku besar: status seluruh entri yang ditandatangani pengurus dan\n"
          "pengawas. Checkpoints: signed statements of the whole ledger (entry count, ledger\n"
          "head) that pengurus and pengawas devices create and cosign until the policy's\n"
          "quorum makes them final; proofs (saksi prove) are made against final ones.\n"
          "'saksi checkpoint SUBCOMMAND --help' for each.\n"
          "\n"
          "exit codes: 0 ok; 1 refused or not found; 2 usage error; 3 runtime error\n",
          f);
}

int cmd_checkpoint(int argc, char **argv, struct cli_ctx *ctx)
{
    if (argc >= 2 && strcmp(argv[1], "create") == 0)
        return ckpt_create(argc - 1, argv + 1, ctx);
    if (argc >= 2 && strcmp(argv[1], "sign") == 0)
        return ckpt_sign(argc - 1, argv + 1, ctx);
    if (argc >= 2 && strcmp(argv[1], "show") == 0)
        return ckpt_show_list(argc - 1, argv + 1, ctx, false);
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return ckpt_show_list(argc - 1, argv + 1, ctx, true);
    if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        checkpoint_usage(stdout);
        return cli_stdout_done();
    }
    if (argc < 2)
        return cli_usage("checkpoint", "missing subcommand: create, sign, show or list");
    return cli_usage("checkpoint", "unknown subcommand '%s' (create, sign, show, list)",
                     argv[1]);
}

/* ---- prove ---- */

static void prove_usage(FILE *f)
{
    fputs("usage: saksi prove ID [--out FILE] [--json]\n"
          "\n"
          "Buat bukti mandiri bahwa entri ID ada di buku besar.\n"
          "Writes a self-contained proof bundle (docs/FORMATS.md 10.6) that entry ID is in\n"
          "this ledger as of the latest final checkpoint that covers it: the entry, its path\n"
          "in its feed and the feed's path in the checkpoint's head, the checkpoint with its\n"
          "signatures, the genesis and the admissions of the signers who are not founders.\n"
          "Anyone checks it offline with 'saksi verify-proof --ledger LEDGER_ID FILE'.\n"
          "Refused (exit 1) when no final checkpoint covers the entry yet: create one\n"
          "(saksi checkpoint create) and have it cosigned until final.\n"
          "\n"
          "options:\n"
          "  --out FILE   where to write the bundle (default proof-<first 16 digits of ID>.saksi)\n"
          "  --json       print the result as JSON\n"
          "  -h, --help   show this help\n"
          "\n"
          "exit codes: 0 ok; 1 refused or not found; 2 usage error; 3 runtime error\n",
          f);
}

struct gitem {
    struct proto_buf raw;
    struct proto_proof_item it;
    uint8_t id[32];
};

/* Builds the proof item of the applied entry raw (author, seq) in checkpoint frontier hf. */
static int item_for(struct store *st, const struct proto_head_feed *hf, size_t n,
                    const uint8_t author[32], uint64_t seq, const uint8_t *raw, size_t len,
                    struct proto_proof_item *out)
{
    uint8_t(*lv)[32] = NULL;
    size_t fi = n;
    int rc;

    for (size_t i = 0; i < n; i++)
        if (memcmp(hf[i].author, author, 32) == 0)
            fi = i;
    if (fi == n || seq > hf[fi].length)
        return 1;
    if ((rc = feed_leaves(st, author, hf[fi].length, &lv)) < 0)
        return rc;
    rc = proto_proof_item_make(hf, n, fi, proto_merkle_array_leaf, lv, seq, raw, len, out);
    free(lv);
    return rc;
}

static int cmd_prove_run(struct cli_ctx *ctx, const char *arg, const char *outp, bool json)
{
    struct store *st = NULL;
    struct cli_ckpts s;
    struct sfeeds sf;
    struct proto_ckpt_feed *f = NULL;
    struct proto_head_feed *hf = NULL;
    struct proto_buf raw, genesis, bundle;
    struct proto_entry e;
    struct gitem *g = NULL;
    struct proto_proof_item *items = NULL, *item = NULL;
    struct proto_proof_result *res = NULL;
    const struct cli_ckpt *ck = NULL;
    char why[400], hex[65], h1[17], path[4200];
    uint8_t id[32];
    size_t ng = 0;
    int rc, ret = CLI_RUNTIME;

    memset(&s, 0, sizeof s);
    memset(&sf, 0, sizeof sf);
    proto_buf_init(&raw);
    proto_buf_init(&genesis);
    proto_buf_init(&bundle);
    if ((rc = cli_store_open_ro(ctx, &st)) < 0)
        return cli_open_error(ctx, rc);
    ret = CLI_NEG;
    if (id_arg(st, arg, id) < 0)
        goto out;
    ret = CLI_RUNTIME;
    if ((rc = store_entry_get(st, id, &raw)) < 0 ||
        (rc = proto_entry_peek(raw.data, raw.len, &e)) < 0 ||
        (rc = cli_ckpts_load(st, &s)) < 0 || (rc = sfeeds_load(st, &sf)) < 0)
        goto fail;
    memcpy(e.id, id, 32);
    /* The latest final checkpoint whose frontier holds the entry, as this store holds it. */
    for (size_t i = s.n; i-- > 0 && !ck;) {
        const struct cli_ckpt *k = &s.v[i];
        const struct proto_frontier_row *r;
        uint8_t at[32];

        if (!k->final || !k->valid || !k->rows_ok || !(r = row_of(k, e.author)) ||
            r->length < e.seq)
            continue;
        if (store_books_id_at(st, e.author, e.seq, at) != 0 || memcmp(at, id, 32) != 0)
            continue; /* not applied at its seq here (a fork branch) */
        free(f);
        f = calloc(k->nrows, sizeof *f);
        if (!f) {
            rc = -ENOMEM;
            goto fail;
        }
        rc = feeds_for_rows(st, &sf, k->rows, k->nrows, f, why, sizeof why);
        if (rc < 0)
            goto fail;
        if (rc == 0 && proto_checkpoint_match(&k->c, f, k->nrows) == 0)
            ck = k;
    }
    if (!ck) {
        ret = CLI_NEG;
        cli_err("no final checkpoint covers entry %s... yet: create one (saksi checkpoint "
                "create), have pengurus and pengawas cosign it (saksi checkpoint sign ID) until "
                "'saksi checkpoint show' says final, then prove again",
                cli_hex(id, 8, h1));
        goto out;
    }
    hf = calloc(ck->nrows, sizeof *hf);
    g = calloc(PROTO_PROOF_GRANTS, sizeof *g);
    items = calloc(PROTO_PROOF_GRANTS, sizeof *items);
    item = calloc(1, sizeof *item);
    res = calloc(1, sizeof *res);
    if (!hf || !g || !items || !item || !res) {
        rc = -ENOMEM;
        goto fail;
    }
    for (size_t i = 0; i < ck->nrows; i++) {
        memcpy(hf[i].author, f[i].author, 32);
        hf[i].length = f[i].length;
        memcpy(hf[i].root, f[i].root, 32);
    }
    rc = item_for(st, hf, ck->nrows, e.author, e.seq, raw.data, raw.len, item);
    if (rc != 0) {
        rc = rc < 0 ? rc : ERR_STORE;
        goto fail;
    }
    /* The admissions of the signers who are not founders, and of their admitters. */
    for (size_t i = 0; i < ck->nsigners; i++) {
        uint8_t pk[32];

        memcpy(pk, s.dev[ck->signers[i].device].pk, 32);
        for (int depth = 0; depth < PROTO_PROOF_GRANTS; depth++) {
            struct store_device d;
            struct proto_entry ae;
            bool dup = false;

            if (store_device_get(st, pk, &d) < 0 || memcmp(d.admitted_by, s.ledger, 32) == 0)
                break; /* a founder */
            for (size_t j = 0; j < ng && !dup; j++)
                dup = memcmp(g[j].id, d.admitted_by, 32) == 0;
            if (dup)
                break;
            if (ng == PROTO_PROOF_GRANTS) {
                cli_warn("more than %d admissions needed: some signers left out",
                         PROTO_PROOF_GRANTS);
                break;
            }
            proto_buf_init(&g[ng].raw);
            memcpy(g[ng].id, d.admitted_by, 32);
            rc = store_entry_get(st, d.admitted_by, &g[ng].raw);
            if (rc == 0)
                rc = proto_entry_peek(g[ng].raw.data, g[ng].raw.len, &ae);
            if (rc == 0)
                rc = item_for(st, hf, ck->nrows, ae.author, ae.seq, g[ng].raw.data,
                              g[ng].raw.len, &g[ng].it);
            if (rc != 0) {
                proto_buf_release(&g[ng].raw);
                if (rc < 0 && rc != -ENOENT)
                    goto fail;
                rc = 0;
                break; /* not inside the checkpoint: that signer cannot count offline */
            }
            items[ng] = g[ng].it;
            ng++;
            memcpy(pk, ae.author, 32);
        }
    }
    if ((rc = store_entry_get(st, s.ledger, &genesis)) < 0 ||
        (rc = proto_proof_encode(genesis.data, genesis.len, (const char *)ck->note.data,
                                 ck->note.len, items, ng, item, &bundle)) < 0)
        goto fail;
    /* Check what is handed out exactly as its reader will. */
    if (proto_proof_verify(s.ledger, bundle.data, bundle.len, res) != 0) {
        ret = CLI_NEG;
        cli_err("the bundle does not verify: %s: %s", proto_proof_status_name(res->status),
                res->msg);
        goto out;
    }
    if (outp)
        snprintf(path, sizeof path, "%s", outp);
    else
        snprintf(path, sizeof path, "proof-%.16s.saksi", cli_hex(id, 8, hex));
    if ((rc = cli_file_write(path, bundle.data, bundle.len, 0644, false)) < 0) {
        cli_err("cannot write '%s': %s", path, err_str(rc));
        goto out;
    }
    if (json) {
        json_t *o = json_object();

        if (!o || json_object_set_new(o, "file", json_string(path)) < 0 ||
            json_object_set_new(o, "entry_id", cli_json_hex(id, 32)) < 0 ||
            json_object_set_new(o, "checkpoint_id", cli_json_hex(ck->id, 32)) < 0 ||
            json_object_set_new(o, "ledger_id", cli_json_hex(s.ledger, 32)) < 0 ||
            json_object_set_new(o, "bytes", cli_json_u64(bundle.len)) < 0) {
            json_decref(o);
            rc = -ENOMEM;
            goto fail;
        }
        ret = cli_json_out(o);
    } else {
        printf("Wrote %s (%zu bytes): entry %s... in checkpoint %s... (%llu entries).\n"
               "Check it anywhere with:\n  saksi verify-proof --ledger %s %s\n",
               path, bundle.len, cli_hex(id, 8, h1), cli_hex(ck->id, 8, hex),
               (unsigned long long)ck->c.size, cli_hex(s.ledger, 32, why), path);
        ret = cli_stdout_done();
    }
    goto out;
fail:
    cli_err("cannot build the proof: %s", err_str(rc));
    ret = CLI_RUNTIME;
out:
    for (size_t i = 0; g && i < ng; i++)
        proto_buf_release(&g[i].raw);
    free(g);
    free(items);
    free(item);
    free(res);
    free(hf);
    free(f);
    free(sf.v);
    proto_buf_release(&raw);
    proto_buf_release(&genesis);
    proto_buf_release(&bundle);
    cli_ckpts_release(&s);
    cli_store_close(ctx, st);
    return ret;
}

int cmd_prove(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"json", no_argument, NULL, 'j'},
        {"out", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    bool json = ctx->json;
    int c;

    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        if (c == 'h') {
            prove_usage(stdout);
            return cli_stdout_done();
        } else if (c == 'j') {
            json = true;
        } else if (c == 'o') {
            out = optarg;
        } else {
            return cli_opt_error("prove", c, argv);
        }
    }
    if (optind + 1 != argc)
        return cli_usage("prove", "%s", optind < argc ? "one entry ID, please" : "missing entry ID");
    return cmd_prove_run(ctx, argv[optind], out, json);
}

/* ---- verify-proof ---- */

static void verify_usage(FILE *f)
{
    fputs("usage: saksi verify-proof --ledger LEDGER_ID FILE [--json]\n"
          "\n"
          "Periksa bukti (dari 'saksi prove') tanpa buku besar apa pun.\n"
          "Checks a proof bundle offline: needs no data directory, no store and no network,\n"
          "only the ledger id (printed on invites and on the RAT papers) as the trust root.\n"
          "On success prints what it proves: the entry (id, kind, seq), its author's member\n"
          "number and role, the checkpoint's entry count and head, and who signed it. On\n"
          "failure prints exactly what failed (a status name and the part), exit 1.\n"
          "\n"
          "options:\n"
          "  --ledger ID  the ledger id, 64 hex digits\n"
          "  --json       print the result as JSON\n"
          "  -h, --help   show this help\n"
          "\n"
          "exit codes: 0 the bundle proves the entry; 1 it does not; 2 usage error;\n"
          "            3 runtime error (cannot read the file)\n",
          f);
}

int cmd_verify_proof(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"json", no_argument, NULL, 'j'},
        {"ledger", required_argument, NULL, 'l'},
        {NULL, 0, NULL, 0},
    };
    struct proto_proof_result *res;
    struct proto_buf b;
    const char *ledger_s = NULL;
    uint8_t ledger[32];
    bool json = ctx->json;
    char hex[65], b1[45], d1[40];
    int c, rc, ret;

    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        if (c == 'h') {
            verify_usage(stdout);
            return cli_stdout_done();
        } else if (c == 'j') {
            json = true;
        } else if (c == 'l') {
            ledger_s = optarg;
        } else {
            return cli_opt_error("verify-proof", c, argv);
        }
    }
    if (!ledger_s)
        return cli_usage("verify-proof", "--ledger LEDGER_ID is required");
    if (cli_hex32(ledger_s, ledger) < 0)
        return cli_usage("verify-proof", "invalid --ledger '%s' (64 hex digits)", ledger_s);
    if (optind + 1 != argc)
        return cli_usage("verify-proof", "%s", optind < argc ? "one FILE, please" : "missing FILE");
    proto_buf_init(&b);
    rc = cli_file_read(argv[optind], PROTO_PROOF_MAX + 1, &b);
    if (rc < 0) {
        cli_err("cannot read '%s': %s", argv[optind],
                rc == -EFBIG ? "larger than a proof bundle may be" : err_str(rc));
        proto_buf_release(&b);
        return rc == -EFBIG ? CLI_NEG : CLI_RUNTIME;
    }
    res = calloc(1, sizeof *res);
    if (!res) {
        proto_buf_release(&b);
        cli_err("out of memory");
        return CLI_RUNTIME;
    }
    rc = proto_proof_verify(ledger, b.data, b.len, res);
    proto_buf_release(&b);
    if (rc == -ENOMEM) {
        free(res);
        cli_err("out of memory");
        return CLI_RUNTIME;
    }
    ret = rc == 0 ? CLI_OK : CLI_NEG;
    if (json) {
        json_t *o = json_object(), *sg = json_array();
        bool ok = o && sg;

        for (size_t i = 0; ok && rc == 0 && i < res->signers; i++) {
            const struct proto_proof_signer *p = &res->signed_by[i];
            json_t *x = json_object();

            ok = x && json_object_set_new(x, "device", cli_json_hex(p->pk, 32)) == 0 &&
                 json_object_set_new(x, "member", json_integer(p->member)) == 0 &&
                 json_object_set_new(x, "role", json_string(proto_role_name(p->role))) == 0 &&
                 json_object_set_new(x, "time", cli_json_u64(p->time)) == 0 &&
                 json_array_append_new(sg, x) == 0;
            if (!ok)
                json_decref(x);
        }
        if (ok && rc == 0) {
            ok = json_object_set_new(o, "signers", sg) == 0;
            sg = NULL;
        }
        ok = ok && json_object_set_new(o, "ok", json_boolean(rc == 0)) == 0 &&
             json_object_set_new(o, "status", json_string(proto_proof_status_name(
                                                  res->status))) == 0 &&
             json_object_set_new(o, "message", json_string(res->msg)) == 0;
        if (ok && rc == 0)
            ok = json_object_set_new(o, "entry_id", cli_json_hex(res->entry_id, 32)) == 0 &&
                 json_object_set_new(o, "kind", cli_json_u64(res->kind)) == 0 &&
                 json_object_set_new(o, "kind_name", json_string(proto_kind_name(res->kind))) ==
                     0 &&
                 json_object_set_new(o, "seq", cli_json_u64(res->seq)) == 0 &&
                 json_object_set_new(o, "author", cli_json_hex(res->author, 32)) == 0 &&
                 json_object_set_new(o, "author_member",
                                     res->author_known ? json_integer(res->author_member)
                                                       : json_null()) == 0 &&
                 json_object_set_new(o, "author_role",
                                     res->author_known
                                         ? json_string(proto_role_name(res->author_role))
                                         : json_null()) == 0 &&
                 json_object_set_new(o, "checkpoint_size",
                                     cli_json_u64(res->checkpoint.size)) == 0 &&
                 json_object_set_new(o, "checkpoint_head",
                                     cli_json_hex(res->checkpoint.head, 32)) == 0;
        json_decref(sg);
        if (!ok) {
            json_decref(o);
            free(res);
            cli_err("out of memory");
            return CLI_RUNTIME;
        }
        free(res);
        rc = cli_json_out(o);
        return rc != CLI_OK ? rc : ret;
    }
    if (rc != 0) {
        printf("NOT VERIFIED (%s): %s\n", proto_proof_status_name(res->status), res->msg);
        free(res);
        rc = cli_stdout_done();
        return rc != CLI_OK ? rc : ret;
    }
    b64(res->checkpoint.head, b1);
    printf("VERIFIED: this entry is in ledger %s\n", cli_hex(ledger, 32, hex));
    printf("  entry       %s\n", cli_hex(res->entry_id, 32, hex));
    printf("  kind        %llu (%s), seq %llu\n", (unsigned long long)res->kind,
           proto_kind_name(res->kind), (unsigned long long)res->seq);
    if (res->author_known)
        printf("  author      member %u, %s (device %.16s...)\n", res->author_member,
               proto_role_name(res->author_role), cli_hex(res->author, 8, hex));
    else
        printf("  author      device %.16s... (not on the roster this bundle shows)\n",
               cli_hex(res->author, 8, hex));
    printf("  checkpoint  %llu entries, head %s\n", (unsigned long long)res->checkpoint.size,
           b1);
    printf("  signed by   %u pengurus, %u pengawas (quorum %u pengurus, %u pengawas):\n",
           res->have.pengurus, res->have.pengawas, res->need.pengurus, res->need.pengawas);
    for (size_t i = 0; i < res->signers; i++) {
        const struct proto_proof_signer *p = &res->signed_by[i];

        printf("    member %-6u %-9s %.16s...  %s", p->member, proto_role_name(p->role),
               cli_hex(p->pk, 8, hex), p->type == PROTO_NOTE_ED25519 ? "signed" : "cosigned");
        if (p->type == PROTO_NOTE_COSIG)
            printf(" %s", utc(p->time, d1, sizeof d1));
        printf("\n");
    }
    free(res);
    return cli_stdout_done();
}
