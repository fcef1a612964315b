/*
 * `saksi log` lists the stored entries, one line each (or one JSON object per line with
 * --json), and `saksi show ID` prints one entry in full: every header field and its decoded body
 * (a journal as a table of lines with the account names of the chart). Both say plainly when an
 * entry has no effect on this replica: a fork branch or an entry beyond a revocation's cut-off
 * (outside its feed's applied frontier), or an entry whose author's role the policy does not
 * allow for its kind. Text from entries comes from other devices, so it is printed with control
 * characters replaced: a memo cannot drive the terminal.
 */
#include "cli/cli.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/acct.h"
#include "proto/books.h"
#include "proto/close.h"
#include "proto/err.h"
#include "proto/ledger.h"
#include "proto/params.h"

#define ID_PREFIX_MIN 8 /* hex digits a prefix must have */

/* ---- shared helpers ---- */

/* Adds key: value to a JSON object, taking the value; false on failure (value released). */
static bool jset(json_t *o, const char *key, json_t *v)
{
    return v && json_object_set_new(o, key, v) == 0;
}

/*
 * Prints s safely: at most width code points (0: no limit, and no padding), with C0/C1 control
 * characters and invalid bytes shown as '?', a cut marked with "...", padded with spaces to width
 * when pad is set.
 */
static void put_text(const char *str, size_t width, bool pad)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t cols = 0, total = 0;

    /* Count the code points first to know whether the text must be cut. */
    for (const unsigned char *q = s; *q; q++)
        total += (*q & 0xc0) != 0x80;
    while (*s && (width == 0 || cols < width)) {
        unsigned c = *s;
        size_t len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
        bool ok = len > 0;

        if (width && total > width && cols + 3 >= width) {
            fputs("...", stdout);
            cols += 3;
            break;
        }
        for (size_t k = 1; ok && k < len; k++)
            ok = (s[k] & 0xc0) == 0x80;
        if (!ok) {
            putchar('?');
            s++;
        } else if (len == 1) {
            putchar(c < 0x20 || c == 0x7f ? '?' : (int)c);
            s++;
        } else if (len == 2 && c == 0xc2 && s[1] < 0xa0) {
            putchar('?'); /* U+0080..U+009F, the C1 controls */
            s += 2;
        } else {
            fwrite(s, 1, len, stdout);
            s += len;
        }
        cols++;
    }
    while (pad && cols < width) {
        putchar(' ');
        cols++;
    }
}

static const char *time_str(uint64_t ms, char *buf, size_t size)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;

    if (ms / 1000 > (uint64_t)253402300799 || !localtime_r(&t, &tm) ||
        strftime(buf, size, "%Y-%m-%d %H:%M:%S %z", &tm) == 0)
        (void)snprintf(buf, size, "?");
    return buf;
}

static int kind_parse(const char *s, uint64_t *kind)
{
    /* Every kind with a name: 1..3, 16, and the accounting kinds 17..73. */
    for (uint64_t k = 1; k <= 73; k++)
        if (strcmp(proto_kind_name(k), "unknown") != 0 && strcmp(s, proto_kind_name(k)) == 0) {
            *kind = k;
            return 0;
        }
    return cli_uint_parse(s, 0, UINT32_MAX, kind);
}

/* Lower-cases a hex argument of 1..64 digits into out (65 bytes); false if not hex. */
static bool hex_arg(const char *s, char *out)
{
    size_t n = strlen(s);

    if (n == 0 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!isxdigit((unsigned char)s[i]))
            return false;
        out[i] = (char)tolower((unsigned char)s[i]);
    }
    out[n] = '\0';
    return true;
}

/* What this replica holds about the feeds and devices, to explain an entry's standing. */
struct standing {
    struct store_feed *feeds;
    size_t nfeeds, capfeeds;
    struct store_device *devs;
    size_t ndevs, capdevs;
    struct proto_genesis *g;
    struct books *bk; /* statuses of the accounting kinds (docs/ACCOUNTING.md) */
};

static int feeds_cb(const struct store_feed *f, void *arg)
{
    struct standing *s = arg;

    if (s->nfeeds == s->capfeeds) {
        size_t cap = s->capfeeds ? 2 * s->capfeeds : 32;
        struct store_feed *p = realloc(s->feeds, cap * sizeof *p);

        if (!p)
            return -ENOMEM;
        s->feeds = p;
        s->capfeeds = cap;
    }
    s->feeds[s->nfeeds++] = *f;
    return 0;
}

static int devs_cb(const struct store_device *d, void *arg)
{
    struct standing *s = arg;

    if (s->ndevs == s->capdevs) {
        size_t cap = s->capdevs ? 2 * s->capdevs : 32;
        struct store_device *p = realloc(s->devs, cap * sizeof *p);

        if (!p)
            return -ENOMEM;
        s->devs = p;
        s->capdevs = cap;
    }
    s->devs[s->ndevs++] = *d;
    return 0;
}

static void standing_release(struct standing *s)
{
    free(s->feeds);
    free(s->devs);
    proto_genesis_free(s->g);
    books_free(s->bk);
    memset(s, 0, sizeof *s);
}

static int standing_load(struct store *st, struct standing *s)
{
    int rc;

    memset(s, 0, sizeof *s);
    if ((rc = store_genesis(st, &s->g)) < 0 || (rc = store_each_feed(st, feeds_cb, s)) < 0 ||
        (rc = store_each_device(st, devs_cb, s)) < 0 || (rc = store_books(st, &s->bk)) < 0)
        standing_release(s);
    return rc;
}

static const struct store_feed *feed_of(const struct standing *s, const uint8_t author[32])
{
    for (size_t i = 0; i < s->nfeeds; i++)
        if (memcmp(s->feeds[i].author, author, 32) == 0)
            return &s->feeds[i];
    return NULL;
}

static const struct store_device *dev_of(const struct standing *s, const uint8_t author[32])
{
    for (size_t i = 0; i < s->ndevs; i++)
        if (memcmp(s->devs[i].dev.sign_pk, author, 32) == 0)
            return &s->devs[i];
    return NULL;
}

/* The standing of an entry: a status word for JSON and a label for people. */
struct status {
    const char *code;  /* "applied", "fork", "revoked", "not_applied", "void", "no_effect" */
    const char *label; /* NULL when applied with effect */
};

/* An applied entry of an accounting kind: its status in the books. */
static struct status acct_status(const struct standing *s, const struct proto_entry *e)
{
    const struct books_item *it = s->bk ? books_find(s->bk, e->id) : NULL;

    if (!it)
        return (struct status){"no_effect", "TANPA EFEK / NO EFFECT"};
    switch (it->status) {
    case BOOKS_EFFECTIVE:
        return (struct status){"applied", NULL};
    case BOOKS_WAITING:
        switch (it->reason) {
        case BOOKS_WAIT_APPROVALS:
            return (struct status){"waiting", "MENUNGGU PERSETUJUAN / WAITING FOR APPROVAL"};
        case BOOKS_WAIT_COUNTERSIGN:
            return (struct status){"waiting", "MENUNGGU TANDA TANGAN ANGGOTA / WAITING FOR THE "
                                              "MEMBER'S SIGNATURE"};
        case BOOKS_WAIT_PREREQUISITE:
            return (struct status){"waiting", "MENUNGGU ENTRI LAIN / WAITING FOR ANOTHER ENTRY"};
        case BOOKS_WAIT_NO_PARAMS:
            return (struct status){"waiting", "MENUNGGU PARAMETER / WAITING: no parameters in "
                                              "force on its date"};
        case BOOKS_WAIT_RESOLUTION:
            return (struct status){"waiting", "MENUNGGU KEPUTUSAN RAT / WAITING FOR A RESOLUTION"};
        default:
            return (struct status){"waiting", "MENUNGGU / WAITING: not applied by this version "
                                              "of saksi yet"};
        }
    case BOOKS_VOID:
        return (struct status){"void", it->reason == BOOKS_VOID_PARAMS
                                           ? "TANPA EFEK / VOID: parameters fail their check"
                                       : it->reason == BOOKS_VOID_PREREQUISITE
                                           ? "TANPA EFEK / VOID: builds on a void entry"
                                           : "TANPA EFEK / VOID: the author's role may not "
                                             "author this kind"};
    case BOOKS_MALFORMED:
        return (struct status){"malformed", "TANPA EFEK / NO EFFECT: malformed body"};
    default:
        return (struct status){"no_effect", "TANPA EFEK / NO EFFECT"};
    }
}

static struct status entry_status(const struct standing *s, const struct proto_entry *e,
                                  bool applied)
{
    const struct store_feed *f = feed_of(s, e->author);
    const struct store_device *d = dev_of(s, e->author);

    if (!applied) {
        if (f && f->fork_seq && e->seq >= f->fork_seq)
            return (struct status){"fork", "TIDAK BERLAKU / NOT APPLIED: fork branch"};
        if (d && d->revoked && e->seq > d->cut_seq)
            return (struct status){"revoked", "TIDAK BERLAKU / NOT APPLIED: beyond the "
                                              "revocation cut-off"};
        return (struct status){"not_applied", "TIDAK BERLAKU / NOT APPLIED"};
    }
    if (e->kind == PROTO_KIND_GENESIS)
        return (struct status){"applied", NULL};
    if (e->kind == PROTO_KIND_JOURNAL_A || (e->kind >= PROTO_KIND_PARAMS && e->kind <= 73))
        return acct_status(s, e);
    if (e->kind != PROTO_KIND_ADMIT && e->kind != PROTO_KIND_REVOKE &&
        e->kind != PROTO_KIND_JOURNAL)
        return (struct status){"no_effect", "TANPA EFEK / NO EFFECT: unknown kind"};
    if (d && !proto_policy_allows(&s->g->policy, e->kind, d->dev.role))
        return (struct status){"void", "TANPA EFEK / VOID: the author's role may not author "
                                       "this kind"};
    return (struct status){"applied", NULL};
}

/* ---- log ---- */

struct log_run {
    struct standing s;
    bool json;
    bool has_kind;
    uint64_t kind;
    uint64_t limit; /* 0 = no limit */
    uint64_t shown;
};

static void log_usage(FILE *f)
{
    fputs("usage: saksi log [--author DEVICE] [--kind KIND] [--limit N] [--json]\n"
          "\n"
          "Daftar entri yang tersimpan. / Lists the stored entries, one per line: id prefix,\n"
          "author prefix, seq, kind and a summary (journal: date, total, memo; admit: member and\n"
          "role; revoke: device and last valid seq; genesis: the koperasi's name). Entries are in\n"
          "store order: the genesis author's feed first, then by author key and seq. Entries\n"
          "without effect (fork branch, beyond a revocation cut-off, role not allowed) are\n"
          "marked.\n"
          "\n"
          "options:\n"
          "  --author DEVICE   only this author's feed (64 hex digits or a unique prefix of 8+)\n"
          "  --kind KIND       only this kind: genesis, admit, revoke, journal, journal-a,\n"
          "                    params, sign, member-admit, member-exit, exit-settle, deposit,\n"
          "                    withdraw, loan-apply, loan-disburse, loan-repay, late-fee\n"
          "                    (or a number)\n"
          "  --limit N         stop after N entries\n"
          "  --json            JSON Lines: one object per entry, full hex ids\n"
          "  -h, --help        show this help\n"
          "\n"
          "exit codes: 0 ok; 1 negative answer (unknown author); 2 usage error;\n"
          "            3 runtime error (I/O, store)\n",
          f);
}

static bool log_json_body(json_t *o, const struct proto_entry *e)
{
    switch (e->kind) {
    case PROTO_KIND_GENESIS: {
        struct proto_genesis *g;
        bool ok;

        if (proto_genesis_decode(e->body, e->body_len, &g) < 0)
            return true;
        ok = jset(o, "name", json_string(g->name)) &&
             jset(o, "registration", json_string(g->registration));
        proto_genesis_free(g);
        return ok;
    }
    case PROTO_KIND_ADMIT: {
        struct proto_device d;

        if (proto_admit_decode(e->body, e->body_len, &d) < 0)
            return true;
        return jset(o, "member", json_integer(d.member)) &&
               jset(o, "role", json_string(proto_role_name(d.role))) &&
               jset(o, "office",
                    d.office ? json_string(proto_office_name(d.office)) : json_null()) &&
               jset(o, "device", cli_json_hex(d.sign_pk, 32));
    }
    case PROTO_KIND_REVOKE: {
        struct proto_revoke r;

        if (proto_revoke_decode(e->body, e->body_len, &r) < 0)
            return true;
        return jset(o, "device", cli_json_hex(r.device, 32)) &&
               jset(o, "last_seq", cli_json_u64(r.last_seq)) &&
               jset(o, "last_id", r.has_last_id ? cli_json_hex(r.last_id, 32) : json_null()) &&
               jset(o, "reason", json_string(r.reason));
    }
    case PROTO_KIND_JOURNAL: {
        struct proto_journal *j = malloc(sizeof *j);
        uint64_t d, c;
        char date[11];
        bool ok = true;

        if (!j)
            return false;
        if (proto_journal_decode(e->body, e->body_len, j) == 0) {
            proto_journal_totals(j, &d, &c);
            ok = jset(o, "date", json_string(cli_date_str(j->date, date))) &&
                 jset(o, "total", cli_json_u64(d)) && jset(o, "memo", json_string(j->memo)) &&
                 jset(o, "lines", json_integer(j->nlines));
        }
        free(j);
        return ok;
    }
    default:
        return true;
    }
}

static int log_json(struct log_run *r, const struct store_row *row, const struct proto_entry *e)
{
    struct status s = entry_status(&r->s, e, row->applied);
    json_t *o = json_object();

    if (!o || !jset(o, "id", cli_json_hex(row->id, 32)) ||
        !jset(o, "author", cli_json_hex(e->author, 32)) || !jset(o, "seq", cli_json_u64(e->seq)) ||
        !jset(o, "kind", json_string(proto_kind_name(e->kind))) ||
        !jset(o, "kind_code", cli_json_u64(e->kind)) ||
        !jset(o, "time_ms", cli_json_u64(e->time_ms)) ||
        !jset(o, "applied", json_boolean(row->applied)) ||
        !jset(o, "status", json_string(s.code)) || !log_json_body(o, e)) {
        json_decref(o);
        return -ENOMEM;
    }
    return cli_json_out(o) == CLI_OK ? 0 : -EIO;
}

/* The year-end kinds (proto/close.h): one line each. false for other kinds. */
static bool year_summary(const struct proto_entry *e)
{
    char date[11], amt[40];
    bool ok = false;

    switch (e->kind) {
    case PROTO_KIND_RESOLUTION: {
        struct proto_resolution *r = malloc(sizeof *r);

        if ((ok = r && proto_resolution_decode(e->body, e->body_len, r) == 0))
            printf("resolution %s  %s, %u keputusan/decisions, hadir/present %u of %u",
                   cli_date_str(r->date, date),
                   r->meeting == PROTO_MEETING_RAT    ? "RAT"
                   : r->meeting == PROTO_MEETING_RALB ? "RALB"
                                                      : "RA",
                   (unsigned)r->ndecisions, (unsigned)r->decisions[0].present,
                   (unsigned)r->decisions[0].eligible);
        free(r);
        break;
    }
    case PROTO_KIND_CLOSE: {
        struct proto_close *c = malloc(sizeof *c);

        if ((ok = c && proto_close_decode(e->body, e->body_len, c) == 0))
            printf("close %s  tahun/year %u, SHU %s%s, %u laporan/reports",
                   cli_date_str(c->date, date), (unsigned)c->year, c->shu.after_tax < 0 ? "-" : "",
                   cli_rupiah(c->shu.after_tax < 0 ? (uint64_t)-c->shu.after_tax
                                                   : (uint64_t)c->shu.after_tax,
                              amt),
                   (unsigned)c->ndigests);
        free(c);
        break;
    }
    case PROTO_KIND_FRONTIER_PART: {
        struct proto_frontier_part *f = malloc(sizeof *f);

        if ((ok = f && proto_frontier_part_decode(e->body, e->body_len, f) == 0))
            printf("frontier-part  %u buku besar/feeds", (unsigned)f->nrows);
        free(f);
        break;
    }
    case PROTO_KIND_SHU_ALLOCATE: {
        struct proto_shu_allocate *a = malloc(sizeof *a);

        if ((ok = a && proto_shu_allocate_decode(e->body, e->body_len, a) == 0))
            printf("shu-allocate %s %15s  tahun/year %u, bagian/part %u/%u, %u anggota/members",
                   cli_date_str(a->date, date), cli_rupiah(proto_shu_allocate_total(a), amt),
                   (unsigned)a->year, (unsigned)a->part + 1, (unsigned)a->parts,
                   (unsigned)a->nrows);
        free(a);
        break;
    }
    case PROTO_KIND_SHU_PAY: {
        struct proto_shu_pay py;

        if ((ok = proto_shu_pay_decode(e->body, e->body_len, &py) == 0))
            printf("shu-pay %s %15s  anggota/member %u, SHU %u -> %u", cli_date_str(py.date, date),
                   cli_rupiah(py.amount, amt), (unsigned)py.member, (unsigned)py.year,
                   (unsigned)py.to_account);
        break;
    }
    default:
        return false;
    }
    if (!ok)
        printf("%s (badan tidak terbaca / unreadable body)", proto_kind_name(e->kind));
    return true;
}

/* One line about an entry of an accounting kind: what, when, how much, about whom. */
static void acct_summary(const struct proto_entry *e)
{
    struct proto_acct_body *b;
    char date[11], amt[32], dt[11];

    if (e->kind == PROTO_KIND_PARAMS) {
        struct proto_params *p = malloc(sizeof *p);

        if (p && proto_params_decode(e->body, e->body_len, p) == 0)
            printf("parameter: diadopsi/adopted %s, berlaku/effective %s",
                   cli_date_str(p->adopted, date), cli_date_str(p->effective, dt));
        else
            fputs("parameter (badan tidak terbaca / unreadable body)", stdout);
        free(p);
        return;
    }
    if (year_summary(e))
        return;
    if (!proto_acct_kind_known(e->kind)) {
        printf("(jenis %s / kind %llu: belum diterapkan versi ini / not applied by this version)",
               proto_kind_name(e->kind), (unsigned long long)e->kind);
        return;
    }
    b = malloc(sizeof *b);
    if (!b || proto_acct_decode(e->kind, e->body, e->body_len, b) < 0) {
        printf("%s (badan tidak terbaca / unreadable body)", proto_kind_name(e->kind));
        free(b);
        return;
    }
    if (e->kind == PROTO_KIND_SIGN) {
        printf("%s %s",
               b->u.sign.decision == PROTO_SIGN_APPROVE ? "setuju/approve" : "tolak/reject",
               cli_hex(b->u.sign.target, 4, amt));
    } else if (e->kind == PROTO_KIND_REVERSE) {
        /* (A reversal's amount and member are its target's: the target's id instead.) */
        printf("%s %s %s  ", proto_kind_name(e->kind), cli_date_str(b->u.reverse.date, date),
               cli_hex(b->u.reverse.target, 4, amt));
        put_text(b->u.reverse.reason, 40, false);
    } else {
        printf("%s %s %15s", proto_kind_name(e->kind), cli_date_str(proto_acct_date(b), date),
               cli_rupiah(proto_acct_amount(b), amt));
        if (proto_acct_member(b))
            printf("  anggota/member %u", proto_acct_member(b));
        if (e->kind == PROTO_KIND_JOURNAL_A) {
            fputs("  ", stdout);
            put_text(b->u.ja.j.memo, 40, false);
        }
    }
    free(b);
}

static void log_summary(const struct proto_entry *e)
{
    char buf[65];

    switch (e->kind) {
    case PROTO_KIND_GENESIS: {
        struct proto_genesis *g;

        if (proto_genesis_decode(e->body, e->body_len, &g) < 0) {
            fputs("(badan tidak terbaca / unreadable body)", stdout);
            return;
        }
        put_text(g->name, 60, false);
        proto_genesis_free(g);
        return;
    }
    case PROTO_KIND_ADMIT: {
        struct proto_device d;

        if (proto_admit_decode(e->body, e->body_len, &d) < 0) {
            fputs("(badan tidak terbaca / unreadable body)", stdout);
            return;
        }
        printf("anggota/member %u, %s%s%s, perangkat/device %s", d.member, proto_role_name(d.role),
               d.office ? " " : "", proto_office_name(d.office), cli_hex(d.sign_pk, 4, buf));
        return;
    }
    case PROTO_KIND_REVOKE: {
        struct proto_revoke r;

        if (proto_revoke_decode(e->body, e->body_len, &r) < 0) {
            fputs("(badan tidak terbaca / unreadable body)", stdout);
            return;
        }
        printf("perangkat/device %s, s.d. seq/up to seq %llu", cli_hex(r.device, 4, buf),
               (unsigned long long)r.last_seq);
        return;
    }
    case PROTO_KIND_JOURNAL: {
        struct proto_journal *j = malloc(sizeof *j);
        uint64_t d, c;
        char date[11], total[32];

        if (!j || proto_journal_decode(e->body, e->body_len, j) < 0) {
            fputs("(badan tidak terbaca / unreadable body)", stdout);
            free(j);
            return;
        }
        proto_journal_totals(j, &d, &c);
        printf("%s %15s  ", cli_date_str(j->date, date), cli_rupiah(d, total));
        put_text(j->memo, 50, false);
        if (d != c)
            fputs(" (TIDAK SEIMBANG / UNBALANCED)", stdout);
        free(j);
        return;
    }
    default:
        acct_summary(e);
        return;
    }
}

static int log_row(const struct store_row *row, void *arg)
{
    struct log_run *r = arg;
    struct proto_entry e;
    struct status s;
    char id[65], author[65];
    int rc;

    rc = proto_entry_parse(row->raw, row->len, &e);
    if (rc < 0) {
        cli_warn("entry %s in the store does not parse: %s", cli_hex(row->id, 32, id), err_str(rc));
        return 0;
    }
    if (r->has_kind && e.kind != r->kind)
        return 0;
    if (r->json) {
        rc = log_json(r, row, &e);
        if (rc < 0)
            return rc;
    } else {
        s = entry_status(&r->s, &e, row->applied);
        printf("%s  %s  %5llu  %-8s  ", cli_hex(row->id, 6, id), cli_hex(e.author, 4, author),
               (unsigned long long)e.seq, proto_kind_name(e.kind));
        log_summary(&e);
        if (s.label)
            printf("  [%s]", s.label);
        putchar('\n');
    }
    r->shown++;
    return r->limit && r->shown >= r->limit ? 1 : 0;
}

/* Finds the author whose key starts with prefix among the stored feeds. Returns -1 when found,
 * else an exit code. */
static int author_resolve(const struct standing *s, const char *arg, uint8_t author[32])
{
    char prefix[65], hex[65];
    size_t n;
    unsigned matches = 0;

    if (!hex_arg(arg, prefix))
        return cli_usage("log",
                         "--author needs a device key in hex (64 digits or a prefix of "
                         "at least %d)",
                         ID_PREFIX_MIN);
    n = strlen(prefix);
    if (n == 64)
        return cli_hex32(prefix, author) < 0 ? cli_usage("log", "invalid --author") : -1;
    if (n < ID_PREFIX_MIN)
        return cli_usage("log", "an author prefix needs at least %d hex digits", ID_PREFIX_MIN);
    for (size_t i = 0; i < s->nfeeds; i++) {
        if (strncmp(cli_hex(s->feeds[i].author, 32, hex), prefix, n) == 0) {
            if (matches++ == 0)
                memcpy(author, s->feeds[i].author, 32);
        }
    }
    if (matches == 0) {
        cli_err("no feed by an author %s... in this replica", prefix);
        return CLI_NEG;
    }
    if (matches > 1)
        return cli_usage("log", "author prefix %s is ambiguous (%u feeds); give more digits",
                         prefix, matches);
    return -1;
}

int cmd_log(int argc, char **argv, struct cli_ctx *ctx)
{
    enum { OPT_AUTHOR = 256, OPT_LIMIT, OPT_KIND, OPT_JSON };
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"json", no_argument, NULL, OPT_JSON},
        {"author", required_argument, NULL, OPT_AUTHOR},
        {"limit", required_argument, NULL, OPT_LIMIT},
        {"kind", required_argument, NULL, OPT_KIND},
        {NULL, 0, NULL, 0},
    };
    struct log_run r;
    struct store *st = NULL;
    const char *author_s = NULL;
    uint8_t author[32];
    int c, rc, ret;

    memset(&r, 0, sizeof r);
    r.json = ctx->json;
    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            log_usage(stdout);
            return cli_stdout_done();
        case OPT_JSON:
            r.json = true;
            break;
        case OPT_AUTHOR:
            author_s = optarg;
            break;
        case OPT_LIMIT:
            if (cli_uint_parse(optarg, 1, UINT64_MAX, &r.limit) < 0)
                return cli_usage("log", "--limit needs a positive number, not '%s'", optarg);
            break;
        case OPT_KIND:
            if (kind_parse(optarg, &r.kind) < 0)
                return cli_usage("log",
                                 "unknown kind '%s' (use genesis, admit, revoke, journal, "
                                 "journal-a, params, sign, member-admit, member-exit, "
                                 "exit-settle, deposit, withdraw, interest, loan-apply, "
                                 "loan-disburse, loan-repay, late-fee, resolution, close, "
                                 "frontier-part, shu-allocate, shu-pay or a number)",
                                 optarg);
            r.has_kind = true;
            break;
        case ':':
            return cli_usage("log", "option '%s' needs a value", argv[optind - 1]);
        default:
            return cli_usage("log", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage("log", "unexpected argument '%s'", argv[optind]);

    rc = cli_store_open_ro(ctx, &st);
    if (rc < 0)
        return cli_open_error(ctx, rc);
    rc = standing_load(st, &r.s);
    if (rc < 0) {
        ret = rc == ERR_NOLEDGER ? cli_open_error(ctx, rc) : CLI_RUNTIME;
        if (rc != ERR_NOLEDGER)
            cli_err("cannot read the store: %s", err_str(rc));
        goto out;
    }
    if (author_s) {
        ret = author_resolve(&r.s, author_s, author);
        if (ret >= 0)
            goto out;
    }
    if (!r.json)
        printf("%-12s  %-8s  %5s  %-8s  %s\n", "ID", "PENULIS", "SEQ", "JENIS",
               "RINGKASAN / SUMMARY");
    rc = store_each_entry(st, author_s ? author : NULL, log_row, &r);
    if (rc < 0) {
        if (rc != -EIO)
            cli_err("cannot list the entries: %s", err_str(rc));
        ret = CLI_RUNTIME;
        goto out;
    }
    ret = cli_stdout_done();
out:
    standing_release(&r.s);
    cli_store_close(ctx, st);
    return ret;
}

/* ---- show ---- */

static void show_usage(FILE *f)
{
    fputs("usage: saksi show [--json] ID\n"
          "\n"
          "Menampilkan satu entri lengkap. / Shows one entry in full: every header field and\n"
          "the decoded body (a journal's lines with account names, a genesis's identity, roster\n"
          "and policy, an admission or a revocation). ID is a full entry id (64 hex digits) or\n"
          "a unique prefix of at least 8 hex digits.\n"
          "\n"
          "options:\n"
          "  --json       print the entry as one JSON object\n"
          "  -h, --help   show this help\n"
          "\n"
          "exit codes: 0 ok; 1 no such entry; 2 usage error (or an ambiguous prefix);\n"
          "            3 runtime error (I/O, store)\n",
          f);
}

/* Where the entry stands in its feed: applied or not. */
struct find_row {
    const uint8_t *id;
    bool found, applied;
};

static int find_row_cb(const struct store_row *row, void *arg)
{
    struct find_row *f = arg;

    if (memcmp(row->id, f->id, 32) != 0)
        return 0;
    f->found = true;
    f->applied = row->applied;
    return 1;
}

/* An odd-length prefix: the entries whose hex id starts with it. */
struct nibble_find {
    const char *prefix;
    size_t n;
    unsigned matches;
    uint8_t id[32];
};

static int nibble_cb(const struct store_row *row, void *arg)
{
    struct nibble_find *f = arg;
    char hex[65];

    if (strncmp(cli_hex(row->id, 32, hex), f->prefix, f->n) == 0 && f->matches++ == 0)
        memcpy(f->id, row->id, 32);
    return 0;
}

/* Resolves an id argument (lower-case hex, 8..64 digits) to a stored entry id: 0, -ENOENT,
 * -EEXIST (ambiguous prefix), or a store code. */
static int id_resolve(struct store *st, const char *prefix, uint8_t id[32])
{
    size_t n = strlen(prefix), even = n & ~(size_t)1;
    struct nibble_find f = {prefix, n, 0, {0}};
    uint8_t bytes[32];
    char half[65], hex[65];
    int rc;

    if (n == 64)
        return cli_hex32(prefix, id);
    memcpy(half, prefix, even);
    half[even] = '\0';
    if (proto_unhex(half, bytes, even / 2) < 0)
        return -EINVAL;
    rc = store_entry_find(st, bytes, even / 2, id);
    if (n == even || (rc < 0 && rc != -EEXIST))
        return rc;
    if (rc == 0) /* the one entry with these bytes: check the odd digit */
        return strncmp(cli_hex(id, 32, hex), prefix, n) == 0 ? 0 : -ENOENT;
    /* Several entries share the whole bytes: the odd digit decides, so look at each. */
    rc = store_each_entry(st, NULL, nibble_cb, &f);
    if (rc < 0)
        return rc;
    if (f.matches == 0)
        return -ENOENT;
    if (f.matches > 1)
        return -EEXIST;
    memcpy(id, f.id, 32);
    return 0;
}

static void show_genesis_text(const struct proto_genesis *g, const uint8_t ledger[32])
{
    char hex[65], roles[64];

    fputs("Koperasi:                  ", stdout);
    put_text(g->name, 0, false);
    fputs("\nBadan hukum/registration:  ", stdout);
    put_text(g->registration, 0, false);
    printf("\nMata uang/currency:        %s\n", g->currency);
    printf("Akun/accounts:             %u\n", g->naccounts);
    printf("Roster (%u perangkat/devices):\n", g->nroster);
    for (uint32_t i = 0; i < g->nroster; i++) {
        const struct proto_device *d = &g->roster[i];

        printf("  %-10u  %-9s %-10s  %s\n", d->member, proto_role_name(d->role),
               d->office ? proto_office_name(d->office) : "-", cli_hex(d->sign_pk, 32, hex));
    }
    printf("Kebijakan/policy:\n");
    for (uint32_t i = 0; i < g->policy.nrules; i++)
        printf("  author %-8s  %s\n", proto_kind_name(g->policy.rules[i].kind),
               cli_roles_str(g->policy.rules[i].roles, "-", roles, sizeof roles));
    printf("  revoke quorum      %u pengurus, %u pengawas\n", g->policy.revoke_quorum.pengurus,
           g->policy.revoke_quorum.pengawas);
    printf("  checkpoint quorum  %u pengurus, %u pengawas\n", g->policy.checkpoint_quorum.pengurus,
           g->policy.checkpoint_quorum.pengawas);
    printf("Komitmen kunci jaringan/network key commitment:\n  %s\n",
           cli_hex(g->netkey_commit, 32, hex));
    if (ledger)
        printf("ID ledger:                 %s\n", cli_hex(ledger, 32, hex));
}

static void show_journal_text(const struct proto_journal *j, const struct proto_genesis *g)
{
    uint64_t d, c;
    char date[11], a[32], b[32];
    unsigned findings = g ? proto_journal_findings(j, g) : 0;

    printf("Tanggal/date:              %s\n", cli_date_str(j->date, date));
    fputs("Keterangan/memo:           ", stdout);
    put_text(j->memo, 0, false);
    printf("\n\n  %-4s  %-34s  %10s  %17s  %17s\n", "AKUN", "NAMA AKUN / ACCOUNT", "ANGGOTA",
           "DEBIT", "KREDIT");
    for (uint32_t i = 0; i < j->nlines; i++) {
        const struct proto_line *l = &j->lines[i];
        const struct proto_account *acc = g ? proto_genesis_account(g, l->account) : NULL;
        char member[16];

        printf("  %-4u  ", l->account);
        put_text(acc ? acc->name : "(tidak ada di bagan / not in the chart)", 34, true);
        if (l->member)
            (void)snprintf(member, sizeof member, "%u", l->member);
        else
            (void)snprintf(member, sizeof member, "-");
        printf("  %10s  %17s", member, l->debit ? cli_rupiah(l->debit, a) : "");
        if (l->credit)
            printf("  %17s", cli_rupiah(l->credit, b));
        putchar('\n');
    }
    proto_journal_totals(j, &d, &c);
    printf("  %-4s  %-34s  %10s  %17s  %17s\n", "", "JUMLAH / TOTAL", "", cli_rupiah(d, a),
           cli_rupiah(c, b));
    if (findings & PROTO_JF_UNBALANCED)
        printf("Temuan/finding: tidak seimbang / not balanced (difference %s)\n",
               cli_rupiah(d > c ? d - c : c - d, a));
    if (findings & PROTO_JF_NO_ACCOUNT)
        printf("Temuan/finding: akun tidak dikenal / an account is not in the chart\n");
    if (findings & PROTO_JF_MEMBER_NO_SUB)
        printf("Temuan/finding: anggota pada akun tanpa buku pembantu / a member on an account "
               "without sub-ledger\n");
    if (findings & PROTO_JF_SUB_NO_MEMBER)
        printf("Temuan/finding: akun buku pembantu tanpa anggota / a sub-ledger account line "
               "without a member\n");
}

/* Prints the decoded body of e. */
static void show_body_text(const struct proto_entry *e, const struct proto_genesis *ledger_g)
{
    char hex[129];

    putchar('\n');
    switch (e->kind) {
    case PROTO_KIND_GENESIS: {
        struct proto_genesis *g;

        if (proto_genesis_decode(e->body, e->body_len, &g) < 0)
            break;
        show_genesis_text(g, e->id);
        proto_genesis_free(g);
        return;
    }
    case PROTO_KIND_ADMIT: {
        struct proto_device d;

        if (proto_admit_decode(e->body, e->body_len, &d) < 0)
            break;
        printf("Anggota/member:            %u\n", d.member);
        printf("Peran/role:                %s\n", proto_role_name(d.role));
        printf("Jabatan/office:            %s\n", d.office ? proto_office_name(d.office) : "-");
        printf("Perangkat/device key:      %s\n", cli_hex(d.sign_pk, 32, hex));
        printf("Kunci transport/transport: %s\n", cli_hex(d.box_pk, 32, hex));
        printf("Tanda tangan kartu/card:   %s (sah/valid)\n", cli_hex(d.card_sig, 64, hex));
        return;
    }
    case PROTO_KIND_REVOKE: {
        struct proto_revoke r;

        if (proto_revoke_decode(e->body, e->body_len, &r) < 0)
            break;
        printf("Perangkat/device key:      %s\n", cli_hex(r.device, 32, hex));
        printf("Seq sah terakhir/last seq: %llu\n", (unsigned long long)r.last_seq);
        printf("ID entri terakhir/last id: %s\n",
               r.has_last_id ? cli_hex(r.last_id, 32, hex) : "-");
        fputs("Alasan/reason:             ", stdout);
        put_text(r.reason[0] ? r.reason : "-", 0, false);
        putchar('\n');
        return;
    }
    case PROTO_KIND_JOURNAL: {
        struct proto_journal *j = malloc(sizeof *j);

        if (j && proto_journal_decode(e->body, e->body_len, j) == 0) {
            show_journal_text(j, ledger_g);
            free(j);
            return;
        }
        free(j);
        break;
    }
    default:
        if (e->kind >= PROTO_KIND_JOURNAL_A && e->kind <= 73 &&
            strcmp(proto_kind_name(e->kind), "unknown") != 0) {
            fputs("Badan/body:                ", stdout);
            acct_summary(e);
            putchar('\n');
            return;
        }
        printf("Badan/body: %zu bytes of an unknown kind (stored and relayed, no effect)\n",
               e->body_len);
        return;
    }
    printf("Badan/body: tidak terbaca / does not decode as a %s body\n", proto_kind_name(e->kind));
}

static void show_text(const struct proto_entry *e, const struct standing *s, bool applied,
                      bool sig_ok)
{
    const struct store_device *d = dev_of(s, e->author);
    struct status st = entry_status(s, e, applied);
    char hex[129], when[64];

    printf("Entri/entry:               %s\n", cli_hex(e->id, 32, hex));
    printf("Ledger:                    %s\n",
           e->has_ledger ? cli_hex(e->ledger, 32, hex) : "- (genesis: its id is the ledger id)");
    printf("Penulis/author:            %s\n", cli_hex(e->author, 32, hex));
    if (d)
        printf("                           anggota/member %u, %s%s%s%s\n", d->dev.member,
               proto_role_name(d->dev.role), d->dev.office ? " " : "",
               proto_office_name(d->dev.office), d->revoked ? " (dicabut/revoked)" : "");
    else
        printf("                           (tidak di roster / not on the roster)\n");
    printf("Seq:                       %llu\n", (unsigned long long)e->seq);
    printf("Prev:                      %s\n", e->has_prev ? cli_hex(e->prev, 32, hex) : "-");
    printf("Waktu/time:                %s (%llu ms)\n", time_str(e->time_ms, when, sizeof when),
           (unsigned long long)e->time_ms);
    printf("Jenis/kind:                %s (%llu)\n", proto_kind_name(e->kind),
           (unsigned long long)e->kind);
    printf("Versi/version:             %llu\n", (unsigned long long)e->version);
    printf("Status:                    %s\n", st.label ? st.label : "berlaku / applied");
    printf("Tanda tangan/signature:    %s (%s)\n", cli_hex(e->sig, 64, hex),
           sig_ok ? "sah/valid" : "TIDAK SAH / INVALID");
    printf("Ukuran/size:               %zu bytes (body %zu)\n", e->raw_len, e->body_len);
    show_body_text(e, s->g);
}

/* ---- show --json ---- */

static json_t *genesis_json(const struct proto_genesis *g)
{
    json_t *o = json_object(), *chart = json_array(), *roster = json_array();
    json_t *policy = json_object(), *rules = json_array();
    json_t *rq = json_object(), *cq = json_object();
    bool ok = o && chart && roster && policy && rules && rq && cq;

    ok = ok && jset(o, "name", json_string(g->name)) &&
         jset(o, "registration", json_string(g->registration)) &&
         jset(o, "currency", json_string(g->currency)) &&
         jset(o, "accounts", json_integer(g->naccounts));
    for (uint32_t i = 0; ok && i < g->naccounts; i++) {
        const struct proto_account *a = &g->accounts[i];
        json_t *ao = json_object();

        ok = ao && json_array_append_new(chart, ao) == 0 &&
             jset(ao, "code", json_integer(a->code)) &&
             jset(ao, "type", json_string(proto_acct_type_name(a->type))) &&
             jset(ao, "sub", json_boolean(a->sub)) && jset(ao, "name", json_string(a->name));
    }
    for (uint32_t i = 0; ok && i < g->nroster; i++) {
        const struct proto_device *d = &g->roster[i];
        json_t *dov = json_object();

        ok = dov && json_array_append_new(roster, dov) == 0 &&
             jset(dov, "member", json_integer(d->member)) &&
             jset(dov, "role", json_string(proto_role_name(d->role))) &&
             jset(dov, "office",
                  d->office ? json_string(proto_office_name(d->office)) : json_null()) &&
             jset(dov, "device", cli_json_hex(d->sign_pk, 32)) &&
             jset(dov, "transport_key", cli_json_hex(d->box_pk, 32));
    }
    for (uint32_t i = 0; ok && i < g->policy.nrules; i++) {
        const struct proto_rule *r = &g->policy.rules[i];
        json_t *ro = json_object(), *roles = json_array();

        ok = ro && roles && json_array_append_new(rules, ro) == 0 &&
             jset(ro, "kind", json_string(proto_kind_name(r->kind))) &&
             jset(ro, "kind_code", json_integer(r->kind));
        for (uint8_t role = PROTO_ROLE_PENGURUS; ok && role <= PROTO_ROLE_ANGGOTA; role++)
            if (r->roles & PROTO_ROLE_BIT(role))
                ok = json_array_append_new(roles, json_string(proto_role_name(role))) == 0;
        if (ok)
            ok = jset(ro, "roles", roles);
        else
            json_decref(roles);
    }
    ok = ok && jset(rq, "pengurus", json_integer(g->policy.revoke_quorum.pengurus)) &&
         jset(rq, "pengawas", json_integer(g->policy.revoke_quorum.pengawas)) &&
         jset(cq, "pengurus", json_integer(g->policy.checkpoint_quorum.pengurus)) &&
         jset(cq, "pengawas", json_integer(g->policy.checkpoint_quorum.pengawas));
    if (ok) {
        ok = jset(policy, "rules", rules);
        rules = NULL;
        ok = ok && jset(policy, "revoke_quorum", rq);
        rq = NULL;
        ok = ok && jset(policy, "checkpoint_quorum", cq);
        cq = NULL;
        ok = ok && jset(o, "chart", chart);
        chart = NULL;
        ok = ok && jset(o, "roster", roster);
        roster = NULL;
        ok = ok && jset(o, "policy", policy);
        policy = NULL;
        ok = ok && jset(o, "netkey_commit", cli_json_hex(g->netkey_commit, 32));
    }
    json_decref(chart);
    json_decref(roster);
    json_decref(rules);
    json_decref(rq);
    json_decref(cq);
    json_decref(policy);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *journal_json(const struct proto_journal *j, const struct proto_genesis *g)
{
    json_t *o = json_object(), *lines = json_array(), *findings = json_array();
    unsigned f = g ? proto_journal_findings(j, g) : 0;
    uint64_t d, c;
    char date[11];
    bool ok = o && lines && findings;

    proto_journal_totals(j, &d, &c);
    ok = ok && jset(o, "date", json_string(cli_date_str(j->date, date))) &&
         jset(o, "memo", json_string(j->memo));
    for (uint32_t i = 0; ok && i < j->nlines; i++) {
        const struct proto_line *l = &j->lines[i];
        const struct proto_account *a = g ? proto_genesis_account(g, l->account) : NULL;
        json_t *lo = json_object();

        ok = lo && json_array_append_new(lines, lo) == 0 &&
             jset(lo, "account", json_integer(l->account)) &&
             jset(lo, "account_name", a ? json_string(a->name) : json_null()) &&
             jset(lo, "member", l->member ? json_integer(l->member) : json_null()) &&
             jset(lo, "debit", cli_json_u64(l->debit)) &&
             jset(lo, "credit", cli_json_u64(l->credit));
    }
    if (ok && (f & PROTO_JF_UNBALANCED))
        ok = json_array_append_new(findings, json_string("unbalanced")) == 0;
    if (ok && (f & PROTO_JF_NO_ACCOUNT))
        ok = json_array_append_new(findings, json_string("unknown_account")) == 0;
    if (ok && (f & PROTO_JF_MEMBER_NO_SUB))
        ok = json_array_append_new(findings, json_string("member_without_sub_ledger")) == 0;
    if (ok && (f & PROTO_JF_SUB_NO_MEMBER))
        ok = json_array_append_new(findings, json_string("sub_ledger_without_member")) == 0;
    if (ok) {
        ok = jset(o, "lines", lines);
        lines = NULL;
        ok = ok && jset(o, "total_debit", cli_json_u64(d)) &&
             jset(o, "total_credit", cli_json_u64(c)) && jset(o, "findings", findings);
        findings = NULL;
    }
    json_decref(lines);
    json_decref(findings);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The decoded body as JSON; {"decoded": false} when it does not decode. NULL: no memory. */
static json_t *body_json(const struct proto_entry *e, const struct proto_genesis *ledger_g)
{
    json_t *o = NULL;

    switch (e->kind) {
    case PROTO_KIND_GENESIS: {
        struct proto_genesis *g;

        if (proto_genesis_decode(e->body, e->body_len, &g) == 0) {
            o = genesis_json(g);
            proto_genesis_free(g);
            return o;
        }
        break;
    }
    case PROTO_KIND_ADMIT: {
        struct proto_device d;

        if (proto_admit_decode(e->body, e->body_len, &d) == 0) {
            o = json_object();
            if (!o || !jset(o, "member", json_integer(d.member)) ||
                !jset(o, "role", json_string(proto_role_name(d.role))) ||
                !jset(o, "office",
                      d.office ? json_string(proto_office_name(d.office)) : json_null()) ||
                !jset(o, "device", cli_json_hex(d.sign_pk, 32)) ||
                !jset(o, "transport_key", cli_json_hex(d.box_pk, 32)) ||
                !jset(o, "card_sig", cli_json_hex(d.card_sig, 64))) {
                json_decref(o);
                return NULL;
            }
            return o;
        }
        break;
    }
    case PROTO_KIND_REVOKE: {
        struct proto_revoke r;

        if (proto_revoke_decode(e->body, e->body_len, &r) == 0) {
            o = json_object();
            if (!o || !jset(o, "device", cli_json_hex(r.device, 32)) ||
                !jset(o, "last_seq", cli_json_u64(r.last_seq)) ||
                !jset(o, "last_id", r.has_last_id ? cli_json_hex(r.last_id, 32) : json_null()) ||
                !jset(o, "reason", json_string(r.reason))) {
                json_decref(o);
                return NULL;
            }
            return o;
        }
        break;
    }
    case PROTO_KIND_JOURNAL: {
        struct proto_journal *j = malloc(sizeof *j);

        if (!j)
            return NULL;
        if (proto_journal_decode(e->body, e->body_len, j) == 0) {
            o = journal_json(j, ledger_g);
            free(j);
            return o;
        }
        free(j);
        break;
    }
    default:
        break;
    }
    o = json_object();
    if (!o || !jset(o, "decoded", json_false()) ||
        !jset(o, "size", json_integer((json_int_t)e->body_len))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static int show_json(const struct proto_entry *e, const struct standing *s, bool applied,
                     bool sig_ok)
{
    const struct store_device *d = dev_of(s, e->author);
    struct status st = entry_status(s, e, applied);
    json_t *o = json_object(), *author = NULL;

    if (!o || !jset(o, "id", cli_json_hex(e->id, 32)) ||
        !jset(o, "version", cli_json_u64(e->version)) ||
        !jset(o, "ledger", e->has_ledger ? cli_json_hex(e->ledger, 32) : json_null()) ||
        !jset(o, "author", cli_json_hex(e->author, 32)) || !jset(o, "seq", cli_json_u64(e->seq)) ||
        !jset(o, "prev", e->has_prev ? cli_json_hex(e->prev, 32) : json_null()) ||
        !jset(o, "time_ms", cli_json_u64(e->time_ms)) ||
        !jset(o, "kind", json_string(proto_kind_name(e->kind))) ||
        !jset(o, "kind_code", cli_json_u64(e->kind)) ||
        !jset(o, "signature", cli_json_hex(e->sig, 64)) ||
        !jset(o, "signature_valid", json_boolean(sig_ok)) ||
        !jset(o, "size", json_integer((json_int_t)e->raw_len)) ||
        !jset(o, "applied", json_boolean(applied)) || !jset(o, "status", json_string(st.code)))
        goto oom;
    if (d) {
        author = json_object();
        if (!author || !jset(author, "member", json_integer(d->dev.member)) ||
            !jset(author, "role", json_string(proto_role_name(d->dev.role))) ||
            !jset(author, "office",
                  d->dev.office ? json_string(proto_office_name(d->dev.office)) : json_null()) ||
            !jset(author, "revoked", json_boolean(d->revoked)))
            goto oom;
        if (!jset(o, "author_device", author)) {
            author = NULL;
            goto oom;
        }
        author = NULL;
    } else if (!jset(o, "author_device", json_null())) {
        goto oom;
    }
    if (!jset(o, "body", body_json(e, s->g)))
        goto oom;
    return cli_json_out(o);
oom:
    json_decref(author);
    json_decref(o);
    cli_err("out of memory");
    return CLI_RUNTIME;
}

int cmd_show(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    struct store *st = NULL;
    struct standing s;
    struct proto_buf raw;
    struct proto_entry e;
    struct find_row fr;
    char prefix[65];
    uint8_t id[32];
    bool json = ctx->json, sig_ok;
    int c, rc, ret = CLI_RUNTIME;

    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            show_usage(stdout);
            return cli_stdout_done();
        case 'j':
            json = true;
            break;
        default:
            return cli_usage("show", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind == argc)
        return cli_usage("show", "missing the entry ID");
    if (argc - optind > 1)
        return cli_usage("show", "unexpected argument '%s'", argv[optind + 1]);
    if (!hex_arg(argv[optind], prefix) || strlen(prefix) < ID_PREFIX_MIN)
        return cli_usage("show",
                         "ID must be an entry id of 64 hex digits or a prefix of at "
                         "least %d",
                         ID_PREFIX_MIN);

    memset(&s, 0, sizeof s);
    proto_buf_init(&raw);
    rc = cli_store_open_ro(ctx, &st);
    if (rc < 0)
        return cli_open_error(ctx, rc);
    rc = standing_load(st, &s);
    if (rc < 0) {
        if (rc == ERR_NOLEDGER)
            cli_open_error(ctx, rc);
        else
            cli_err("cannot read the store: %s", err_str(rc));
        goto out;
    }
    rc = id_resolve(st, prefix, id);
    if (rc == -ENOENT) {
        cli_err("no entry %s%s in this replica", prefix, strlen(prefix) < 64 ? "..." : "");
        ret = CLI_NEG;
        goto out;
    }
    if (rc == -EEXIST) {
        ret = cli_usage("show", "entry prefix %s is ambiguous; give more digits", prefix);
        goto out;
    }
    if (rc < 0) {
        cli_err("cannot look up the entry: %s", err_str(rc));
        goto out;
    }
    rc = store_entry_get(st, id, &raw);
    if (rc == -ENOENT) {
        cli_err("no entry %s in this replica", cli_hex(id, 32, prefix));
        ret = CLI_NEG;
        goto out;
    }
    if (rc < 0 || (rc = proto_entry_parse(raw.data, raw.len, &e)) < 0) {
        cli_err("cannot read entry %s: %s", cli_hex(id, 32, prefix), err_str(rc));
        goto out;
    }
    sig_ok = proto_entry_verify(&e) == 0;
    fr.id = id;
    fr.found = false;
    fr.applied = false;
    rc = store_each_entry(st, e.author, find_row_cb, &fr);
    if (rc < 0) {
        cli_err("cannot read the feed: %s", err_str(rc));
        goto out;
    }
    if (json) {
        ret = show_json(&e, &s, fr.applied, sig_ok);
    } else {
        show_text(&e, &s, fr.applied, sig_ok);
        ret = cli_stdout_done();
    }
out:
    proto_buf_release(&raw);
    standing_release(&s);
    cli_store_close(ctx, st);
    return ret;
}
