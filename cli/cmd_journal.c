/*
 * `saksi journal post` authors a double-entry journal entry, its lines given either as options
 * (--debit/--credit ACCT[:MEMBER]=AMOUNT) or in a small text file. The ledger accepts any
 * well-formed journal from an authorised device and reports broken business rules as findings
 * (DESIGN.md, "The ledger is a set"), so this command is where they are stopped: it refuses to
 * author a journal that is unbalanced, names an account outside the chart, names a member on an
 * account without a member sub-ledger, names a member number with no device on the roster, or
 * comes from a device whose role the policy does not allow to post journals. Every problem is
 * reported, not only the first. When accounting parameters are in force on the journal's date
 * (docs/ACCOUNTING.md 3.1), the journal is written as kind 17 (journal-a): who may post it and
 * who must approve it come from the parameters, and the output says what it still waits for.
 */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/i18n.h"
#include "proto/err.h"
#include "proto/ledger.h"

#define JOURNAL_FILE_MAX (256u * 1024)

/* Where a line came from, for messages: a file line or the option text. */
struct line_src {
    unsigned line;   /* file line number, 0 for an option */
    const char *opt; /* "--debit" or "--credit" for an option */
    const char *arg; /* the option's argument */
};

struct jpost {
    struct proto_journal j;
    struct line_src src[PROTO_LINES_MAX];
    const char *file; /* --file, or NULL */
    bool have_date, have_memo;
    unsigned date_line, memo_line;
};

static void usage(FILE *f)
{
    fputs("usage: saksi journal post [--date YYYY-MM-DD] --memo TEXT\n"
          "                          --debit ACCT[:MEMBER]=AMOUNT ... --credit "
          "ACCT[:MEMBER]=AMOUNT ...\n"
          "       saksi journal post --file FILE\n"
          "\n"
          "Mencatat jurnal (debit = kredit). / Posts a balanced journal entry.\n"
          "ACCT is an account code of the chart; MEMBER a member number, only on accounts with a\n"
          "member sub-ledger; AMOUNT whole rupiah: 100000, 100.000 or Rp100.000. The date\n"
          "defaults to today.\n"
          "\n"
          "A journal FILE holds one item per line ('#' starts a comment line):\n"
          "  date = 2026-01-15\n"
          "  memo = Setoran simpanan pokok anggota 7\n"
          "  debit 1100 100000\n"
          "  credit 3100 100000 member=7\n"
          "\n"
          "The journal is refused (exit 1) if it is not balanced, names an unknown account, a\n"
          "member on an account without sub-ledger or a member number not on the roster, or if\n"
          "this device's role may not post journals.\n"
          "\n"
          "When the koperasi's parameters are in force on the date ('saksi params show'), the\n"
          "journal is written as a journal of kind 17: the parameters say who may post it and\n"
          "who must approve it (by default a kasir's journal waits for one pengurus: 'saksi\n"
          "approve ID'), and the output gives its status. Its memo is at most 200 bytes.\n"
          "\n"
          "options:\n"
          "  --date DATE       business date (YYYY-MM-DD)\n"
          "  --memo TEXT       description of the transaction\n"
          "  --debit SPEC      a debit line, ACCT[:MEMBER]=AMOUNT (repeatable)\n"
          "  --credit SPEC     a credit line, ACCT[:MEMBER]=AMOUNT (repeatable)\n"
          "  --file FILE       read date, memo and lines from FILE\n"
          "  --dry-run         check everything, post nothing\n"
          "  --json            print {\"entry_id\", \"date\", \"total\"}\n"
          "  --lang id|en      language of a kind 17 journal's output (default id)\n"
          "  -h, --help        show this help\n"
          "\n"
          "exit codes: 0 ok; 1 refused (the journal breaks a rule, or the policy forbids it);\n"
          "            2 usage error or invalid journal file; 3 runtime error (I/O, store, lock)\n",
          f);
}

/* A problem with one journal line: "FILE:LINE: msg" or "'--debit ARG': msg". */
__attribute__((format(printf, 3, 4))) static void
line_err(const struct jpost *p, const struct line_src *s, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (s->line)
        cli_err("%s:%u: %s", p->file, s->line, msg);
    else
        cli_err("'%s %s': %s", s->opt, s->arg, msg);
}

/*
 * Parses "ACCT" or "ACCT:MEMBER" into a line. Returns 0 or a message describing the problem
 * (a static string).
 */
static const char *acct_parse(char *s, struct proto_line *l)
{
    char *colon = strchr(s, ':');
    uint64_t v;

    if (colon)
        *colon = '\0';
    if (cli_uint_parse(s, 1000, 9999, &v) < 0)
        return "the account must be a code of four digits (1000 to 9999)";
    l->account = (uint32_t)v;
    l->member = 0;
    if (colon) {
        if (cli_uint_parse(colon + 1, 1, PROTO_MEMBER_MAX, &v) < 0)
            return "the member number after ':' must be 1 to 4294967295";
        l->member = (uint32_t)v;
    }
    return NULL;
}

static const char *amount_msg(int rc)
{
    if (rc == ERR_AMOUNT)
        return "invalid amount (whole rupiah from Rp1 to Rp1.000.000.000.000.000, with '.' "
               "between groups of three digits)";
    return "invalid amount (whole rupiah: 100000, 100.000 or Rp100.000)";
}

/* Adds a line to the journal; debit selects the side. */
static int line_add(struct jpost *p, const struct line_src *src, const struct proto_line *l)
{
    if (p->j.nlines >= PROTO_LINES_MAX) {
        line_err(p, src, "too many lines (at most %d)", PROTO_LINES_MAX);
        return ERR_CONFIG;
    }
    p->src[p->j.nlines] = *src;
    p->j.lines[p->j.nlines++] = *l;
    return 0;
}

/* --debit/--credit ACCT[:MEMBER]=AMOUNT */
static int opt_line(struct jpost *p, const char *opt, char *arg, bool debit)
{
    struct line_src src = {0, opt, NULL};
    struct proto_line l;
    char copy[256], *eq;
    const char *msg;
    uint64_t amount;
    int rc;

    src.arg = arg;
    if (strlen(arg) >= sizeof copy) {
        line_err(p, &src, "too long");
        return ERR_CONFIG;
    }
    memcpy(copy, arg, strlen(arg) + 1);
    eq = strchr(copy, '=');
    if (!eq) {
        line_err(p, &src, "expected ACCT[:MEMBER]=AMOUNT, e.g. %s 1100=100000", opt);
        return ERR_CONFIG;
    }
    *eq = '\0';
    memset(&l, 0, sizeof l);
    msg = acct_parse(cli_trim(copy), &l);
    if (msg) {
        line_err(p, &src, "%s", msg);
        return ERR_CONFIG;
    }
    rc = cli_amount_parse(cli_trim(eq + 1), &amount);
    if (rc < 0) {
        line_err(p, &src, "%s", amount_msg(rc));
        return ERR_CONFIG;
    }
    if (debit)
        l.debit = amount;
    else
        l.credit = amount;
    return line_add(p, &src, &l);
}

static int memo_set(struct jpost *p, const struct line_src *src, const char *memo)
{
    size_t n = strlen(memo);

    if (n == 0) {
        line_err(p, src, "the memo is empty; say what the transaction is");
        return ERR_CONFIG;
    }
    if (n > PROTO_MEMO_MAX) {
        line_err(p, src, "the memo is too long (%zu bytes, at most %d)", n, PROTO_MEMO_MAX);
        return ERR_CONFIG;
    }
    if (!cli_text_ok(memo, n, false)) {
        line_err(p, src, "the memo must be UTF-8 text without control characters");
        return ERR_CONFIG;
    }
    memcpy(p->j.memo, memo, n + 1);
    p->have_memo = true;
    return 0;
}

static int date_set(struct jpost *p, const struct line_src *src, const char *date)
{
    if (cli_date_parse(date, &p->j.date) < 0) {
        line_err(p, src, "invalid date '%s' (use YYYY-MM-DD, a real date from 1900 on)", date);
        return ERR_CONFIG;
    }
    p->have_date = true;
    return 0;
}

/* One line of a journal file: "debit ACCT AMOUNT [member=N]" (or credit). */
static int file_posting(struct jpost *p, const struct line_src *src, char *rest, bool debit)
{
    char *tok[16], amount_s[128], *save = NULL;
    int ntok = 0, first, last, rc;
    struct proto_line l;
    const char *msg;
    uint64_t amount;
    size_t n = 0;

    for (char *t = strtok_r(rest, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
        if (ntok == 16) {
            line_err(p, src, "too many words");
            return ERR_CONFIG;
        }
        tok[ntok++] = t;
    }
    if (ntok < 2) {
        line_err(p, src, "a line reads '%s ACCT AMOUNT [member=N]'", debit ? "debit" : "credit");
        return ERR_CONFIG;
    }
    memset(&l, 0, sizeof l);
    msg = acct_parse(tok[0], &l);
    if (msg) {
        line_err(p, src, "%s", msg);
        return ERR_CONFIG;
    }
    first = 1;
    last = ntok - 1;
    if (strncmp(tok[last], "member=", 7) == 0) {
        uint64_t m;

        if (l.member) {
            line_err(p, src, "the member is given twice");
            return ERR_CONFIG;
        }
        if (cli_uint_parse(tok[last] + 7, 1, PROTO_MEMBER_MAX, &m) < 0) {
            line_err(p, src, "invalid member number '%s'", tok[last] + 7);
            return ERR_CONFIG;
        }
        l.member = (uint32_t)m;
        last--;
    }
    if (last < first) {
        line_err(p, src, "missing the amount");
        return ERR_CONFIG;
    }
    amount_s[0] = '\0';
    for (int i = first; i <= last; i++) {
        size_t k = strlen(tok[i]);

        if (n + k + 2 > sizeof amount_s) {
            line_err(p, src, "%s", amount_msg(-EINVAL));
            return ERR_CONFIG;
        }
        if (n)
            amount_s[n++] = ' ';
        memcpy(amount_s + n, tok[i], k + 1);
        n += k;
    }
    rc = cli_amount_parse(amount_s, &amount);
    if (rc < 0) {
        line_err(p, src, "%s: '%s'", amount_msg(rc), amount_s);
        return ERR_CONFIG;
    }
    if (debit)
        l.debit = amount;
    else
        l.credit = amount;
    return line_add(p, src, &l);
}

/* One non-blank, non-comment line of a journal file. */
static int file_line(struct jpost *p, unsigned line, char *s)
{
    struct line_src src = {line, NULL, NULL};
    char *eq, *key, *v;
    size_t kw;

    kw = strcspn(s, " \t=");
    if ((kw == 5 && strncmp(s, "debit", 5) == 0) || (kw == 6 && strncmp(s, "credit", 6) == 0)) {
        bool debit = kw == 5;

        if (s[kw] == '=') {
            line_err(p, &src, "a line reads '%s ACCT AMOUNT [member=N]' (no '=')",
                     debit ? "debit" : "credit");
            return ERR_CONFIG;
        }
        return file_posting(p, &src, s + kw, debit);
    }
    eq = strchr(s, '=');
    if (!eq) {
        line_err(p, &src, "expected 'date = ...', 'memo = ...', 'debit ...' or 'credit ...'");
        return ERR_CONFIG;
    }
    *eq = '\0';
    key = cli_trim(s);
    v = cli_trim(eq + 1);
    if (strcmp(key, "date") == 0) {
        if (p->date_line) {
            line_err(p, &src, "the date is already given on line %u", p->date_line);
            return ERR_CONFIG;
        }
        p->date_line = line;
        return date_set(p, &src, v);
    }
    if (strcmp(key, "memo") == 0) {
        if (p->memo_line) {
            line_err(p, &src, "the memo is already given on line %u", p->memo_line);
            return ERR_CONFIG;
        }
        p->memo_line = line;
        return memo_set(p, &src, v);
    }
    line_err(p, &src, "unknown key '%s' (use date, memo, debit or credit)", key);
    return ERR_CONFIG;
}

static int file_read(struct jpost *p)
{
    struct proto_buf b;
    struct cli_lines ls;
    char *s;
    size_t n;
    int rc;

    proto_buf_init(&b);
    rc = cli_file_read(p->file, JOURNAL_FILE_MAX, &b);
    if (rc < 0) {
        cli_err("cannot read '%s': %s", p->file,
                rc == -EFBIG ? "too large for a journal file" : err_str(rc));
        goto out;
    }
    rc = cli_lines_init(&ls, &b);
    if (rc < 0) {
        cli_err("cannot read '%s': %s", p->file, err_str(rc));
        goto out;
    }
    while ((s = cli_lines_next(&ls, &n))) {
        char *t;

        if (memchr(s, '\0', n)) {
            cli_err("%s:%u: contains a NUL byte (is this a text file?)", p->file, ls.line);
            rc = ERR_CONFIG;
            goto out;
        }
        t = cli_trim(s);
        if (*t == '\0' || *t == '#')
            continue;
        rc = file_line(p, ls.line, t);
        if (rc < 0)
            goto out;
    }
    rc = 0;
out:
    proto_buf_release(&b);
    return rc;
}

/* ---- checks against the ledger ---- */

struct members {
    uint32_t *v;
    size_t n, cap;
};

static int members_cb(const struct store_device *d, void *arg)
{
    struct members *m = arg;

    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 64;
        uint32_t *v = realloc(m->v, cap * sizeof *v);

        if (!v)
            return -ENOMEM;
        m->v = v;
        m->cap = cap;
    }
    m->v[m->n++] = d->dev.member;
    return 0;
}

static bool members_has(const struct members *m, uint32_t member)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->v[i] == member)
            return true;
    return false;
}

/*
 * Checks the journal against the chart of accounts and the roster. Prints every problem.
 * Returns the number of problems, or < 0 when the roster cannot be read.
 */
static int journal_check(struct store *st, const struct jpost *p, const struct proto_genesis *g,
                         const struct books *bk)
{
    const struct proto_journal *j = &p->j;
    struct members m = {NULL, 0, 0};
    unsigned findings = proto_journal_findings(j, g);
    int problems = 0, rc;

    if (bk) {
        /* Kind 17: the chart in force on the date (parameters may add accounts). */
        uint64_t d, c;

        proto_journal_totals(j, &d, &c);
        findings =
            PROTO_JF_NO_ACCOUNT | PROTO_JF_MEMBER_NO_SUB | (d != c ? PROTO_JF_UNBALANCED : 0);
    }

    rc = store_each_device(st, members_cb, &m);
    if (rc < 0) {
        cli_err("cannot read the roster: %s", err_str(rc));
        free(m.v);
        return rc;
    }
    for (uint32_t i = 0; i < j->nlines; i++) {
        const struct proto_line *l = &j->lines[i];
        const struct proto_account *a =
            bk ? books_account(bk, l->account, j->date) : proto_genesis_account(g, l->account);

        if (!a) {
            if (findings & PROTO_JF_NO_ACCOUNT)
                line_err(p, &p->src[i], "unknown account %u (not in the chart of accounts)",
                         l->account);
            problems++;
            continue;
        }
        if (l->member && !a->sub) {
            if (findings & PROTO_JF_MEMBER_NO_SUB)
                line_err(p, &p->src[i],
                         "account %u (%s) keeps no member sub-ledger; leave the "
                         "member number out",
                         a->code, a->name);
            problems++;
        } else if (l->member && !members_has(&m, l->member) &&
                   !(bk && books_member_status(bk, l->member, j->date, &(uint32_t){0},
                                               &(uint32_t){0}) != BOOKS_MEMBER_UNREGISTERED)) {
            line_err(p, &p->src[i], "member %u is not on the roster (see 'saksi member list')",
                     l->member);
            problems++;
        } else if (!l->member && a->sub) {
            line_err(p, &p->src[i],
                     "account %u (%s) keeps a member sub-ledger: name the member "
                     "(ACCOUNT:MEMBER=AMOUNT)",
                     a->code, a->name);
            problems++;
        }
    }
    if (findings & PROTO_JF_UNBALANCED) {
        uint64_t d, c;
        char bd[32], bc[32], bx[32];

        proto_journal_totals(j, &d, &c);
        cli_err("the journal is not balanced: debits %s, credits %s (difference %s)",
                cli_rupiah(d, bd), cli_rupiah(c, bc), cli_rupiah(d > c ? d - c : c - d, bx));
        problems++;
    }
    free(m.v);
    return problems;
}

static int print_result(bool json, bool dry_run, const uint8_t id[32], const struct jpost *p)
{
    uint64_t d, c;
    char date[11], total[32], hex[65];

    proto_journal_totals(&p->j, &d, &c);
    cli_date_str(p->j.date, date);
    if (json) {
        json_t *o = json_object();

        if (!o ||
            json_object_set_new(o, "entry_id", dry_run ? json_null() : cli_json_hex(id, 32)) < 0 ||
            json_object_set_new(o, "date", json_string(date)) < 0 ||
            json_object_set_new(o, "total", cli_json_u64(d)) < 0 ||
            json_object_set_new(o, "lines", json_integer(p->j.nlines)) < 0 ||
            (dry_run && json_object_set_new(o, "dry_run", json_true()) < 0)) {
            json_decref(o);
            cli_err("out of memory");
            return CLI_RUNTIME;
        }
        return cli_json_out(o);
    }
    cli_rupiah(d, total);
    if (dry_run) {
        printf("Jurnal sah, tidak dicatat (--dry-run): %s, %s, %u baris.\n"
               "Journal checks out, not posted (--dry-run): %s, %s, %u lines.\n",
               date, total, p->j.nlines, date, total, p->j.nlines);
    } else {
        proto_hex(id, 32, hex);
        printf("Jurnal dicatat: %s, %s. ID entri: %s\n"
               "Journal posted: %s, %s.\n",
               date, total, hex, date, total);
    }
    return cli_stdout_done();
}

/*
 * Posts the journal as kind 17 under the parameters in force on its date: the authority comes
 * from the parameters, the rest of the flow (candidate check, authoring, status) is every
 * accounting write's (cli_acct_write). The caller has checked the lines.
 */
static int post_a(struct cli_ctx *ctx, struct store *st, struct proto_genesis *g,
                  struct proto_keys *keys, struct books *bk, const struct jpost *p, bool json,
                  bool dry_run, int lang)
{
    struct cli_acct a;
    struct proto_acct_body *b;
    int ret;

    memset(&a, 0, sizeof a);
    a.ctx = ctx;
    a.st = st;
    a.g = g;
    a.keys = keys;
    a.bk = bk;
    a.lang = lang;
    a.json = json;
    a.dry_run = dry_run;
    a.owned = false;
    if (store_device_get(st, keys->sign_pk, &a.me) < 0)
        return CLI_RUNTIME; /* checked by the caller */
    if (!cli_acct_params(&a, p->j.date, PROTO_KIND_JOURNAL_A))
        return CLI_NEG;
    b = calloc(1, sizeof *b);
    if (!b) {
        cli_err("out of memory");
        return CLI_RUNTIME;
    }
    b->kind = PROTO_KIND_JOURNAL_A;
    b->u.ja.j = p->j;
    ret = cli_acct_write(&a, b);
    free(b);
    return ret;
}

/* This device on the roster and not revoked (the policy check is the kind's own). */
static int device_check(struct store *st, const struct proto_keys *k)
{
    struct store_device me;
    char hex[17];
    int rc = store_device_get(st, k->sign_pk, &me);

    cli_hex(k->sign_pk, 8, hex);
    if (rc == -ENOENT) {
        cli_err("this device (%s) is not on the roster of this ledger; a pengurus must admit "
                "it first",
                hex);
        return CLI_NEG;
    }
    if (rc < 0) {
        cli_err("cannot read the roster: %s", err_str(rc));
        return CLI_RUNTIME;
    }
    if (me.revoked) {
        cli_err("this device (%s) has been revoked; it may not author entries", hex);
        return CLI_NEG;
    }
    return CLI_OK;
}

static int post(struct cli_ctx *ctx, struct jpost *p, bool json, bool dry_run, int lang)
{
    struct store *st = NULL;
    struct proto_genesis *g = NULL;
    struct proto_keys *keys = NULL;
    struct books *bk = NULL;
    struct store_device me;
    struct proto_buf body;
    uint8_t id[32] = {0};
    int rc, ret = CLI_RUNTIME;

    proto_buf_init(&body);
    if (!cli_store_present(ctx))
        rc = ERR_NOLEDGER;
    else
        rc = dry_run ? cli_store_open_ro(ctx, &st) : cli_store_open_rw(ctx, &st);
    if (rc < 0) {
        st = NULL;
        if (rc == ERR_LOCKED)
            cli_err("the data directory '%s' is locked by another writer (is saksid running?)",
                    ctx->data_dir);
        else if (rc == ERR_NOLEDGER)
            cli_err("no ledger in '%s' (found one with 'saksi init' or import one)", ctx->data_dir);
        else
            cli_err("cannot open the store in '%s': %s", ctx->data_dir, err_str(rc));
        goto out;
    }
    rc = store_genesis(st, &g);
    if (rc == ERR_NOLEDGER) {
        cli_err("no ledger in '%s' (found one with 'saksi init' or import one)", ctx->data_dir);
        goto out;
    }
    if (rc < 0) {
        cli_err("cannot read the genesis: %s", err_str(rc));
        goto out;
    }
    rc = cli_keys_load(ctx, &keys);
    if (rc < 0) {
        cli_err("cannot load this device's key: %s", err_str(rc));
        goto out;
    }
    if (cli_store_has_params(st)) {
        if (cli_books_load(st, &bk) < 0)
            goto out;
        if (!books_params_at(bk, p->j.date)) {
            books_free(bk);
            bk = NULL;
            if (!proto_policy_allows(&g->policy, PROTO_KIND_JOURNAL, PROTO_ROLE_PENGURUS)) {
                char date[11];

                /* Founded with parameters: no kind 16, and no kind 17 before they apply. */
                cli_err("no parameters are in force on %s, and this ledger takes journals only "
                        "under its parameters; give a later --date ('saksi params show' tells "
                        "from when)",
                        cli_date_str(p->j.date, date));
                ret = CLI_NEG;
                goto out;
            }
        }
    }
    if (bk) {
        ret = device_check(st, keys);
        if (ret != CLI_OK)
            goto out;
        if (strlen(p->j.memo) > PROTO_ACCT_MEMO_MAX) {
            cli_err("the memo is too long (%zu bytes, at most %d under the parameters)",
                    strlen(p->j.memo), PROTO_ACCT_MEMO_MAX);
            ret = CLI_USAGE;
            goto out;
        }
    } else {
        ret = cli_author_check(st, keys, g, PROTO_KIND_JOURNAL, &me);
        if (ret != CLI_OK)
            goto out;
    }
    ret = CLI_RUNTIME;
    rc = journal_check(st, p, g, bk);
    if (rc < 0)
        goto out;
    if (rc > 0) {
        cli_err("journal not posted (%d problem%s)", rc, rc == 1 ? "" : "s");
        ret = CLI_NEG;
        goto out;
    }
    if (p->j.date > cli_today()) {
        char date[11];

        cli_warn("the date %s lies in the future", cli_date_str(p->j.date, date));
    }
    if (bk) {
        ret = post_a(ctx, st, g, keys, bk, p, json, dry_run, lang);
        goto out;
    }
    if (!dry_run) {
        rc = proto_journal_encode(&p->j, &body);
        if (rc < 0) {
            cli_err("cannot encode the journal: %s", err_str(rc));
            goto out;
        }
        rc = cli_author(ctx, st, keys, PROTO_KIND_JOURNAL, &body, id);
        if (rc < 0) {
            ret = cli_author_error("journal", rc);
            goto out;
        }
    }
    ret = print_result(json, dry_run, id, p);
out:
    books_free(bk);
    proto_buf_release(&body);
    proto_keys_free(keys);
    proto_genesis_free(g);
    cli_store_close(ctx, st);
    return ret;
}

enum {
    OPT_DATE = 256,
    OPT_MEMO,
    OPT_DEBIT,
    OPT_CREDIT,
    OPT_FILE,
    OPT_DRY_RUN,
    OPT_JSON,
    OPT_LANG,
};

static int journal_post(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"json", no_argument, NULL, OPT_JSON},
        {"date", required_argument, NULL, OPT_DATE},
        {"memo", required_argument, NULL, OPT_MEMO},
        {"debit", required_argument, NULL, OPT_DEBIT},
        {"credit", required_argument, NULL, OPT_CREDIT},
        {"file", required_argument, NULL, OPT_FILE},
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"lang", required_argument, NULL, OPT_LANG},
        {NULL, 0, NULL, 0},
    };
    struct jpost *p;
    const char *date = NULL, *memo = NULL;
    bool json = ctx->json, dry_run = false, bad = false;
    int c, lang = CLI_LANG_ID, ret = CLI_USAGE;

    p = calloc(1, sizeof *p);
    if (!p) {
        cli_err("out of memory");
        return CLI_RUNTIME;
    }
    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            usage(stdout);
            ret = cli_stdout_done();
            goto out;
        case OPT_JSON:
            json = true;
            break;
        case OPT_DRY_RUN:
            dry_run = true;
            break;
        case OPT_LANG:
            if (cli_lang_opt("journal post", optarg, &lang) != 0) {
                ret = CLI_USAGE;
                goto out;
            }
            break;
        case OPT_DATE:
            if (date) {
                ret = cli_usage("journal post", "--date is given twice");
                goto out;
            }
            date = optarg;
            break;
        case OPT_MEMO:
            if (memo) {
                ret = cli_usage("journal post", "--memo is given twice");
                goto out;
            }
            memo = optarg;
            break;
        case OPT_DEBIT:
        case OPT_CREDIT:
            bad |= opt_line(p, c == OPT_DEBIT ? "--debit" : "--credit", optarg, c == OPT_DEBIT) < 0;
            break;
        case OPT_FILE:
            if (p->file) {
                ret = cli_usage("journal post", "--file is given twice");
                goto out;
            }
            p->file = optarg;
            break;
        case ':':
            ret = cli_usage("journal post", "option '%s' needs a value", argv[optind - 1]);
            goto out;
        default:
            ret = cli_usage("journal post", "unknown option '%s'", argv[optind - 1]);
            goto out;
        }
    }
    if (optind < argc) {
        ret = cli_usage("journal post", "unexpected argument '%s'", argv[optind]);
        goto out;
    }
    if (bad)
        goto out;
    if (p->file) {
        if (date || memo || p->j.nlines) {
            ret = cli_usage("journal post", "--file takes the date, memo and lines from the "
                                            "file; give no --date, --memo, --debit or --credit");
            goto out;
        }
        if (file_read(p) < 0) {
            ret = CLI_USAGE;
            goto out;
        }
        if (!p->have_memo) {
            cli_err("%s: missing 'memo = ...'", p->file);
            goto out;
        }
        if (p->j.nlines == 0) {
            cli_err("%s: no 'debit' or 'credit' line", p->file);
            goto out;
        }
    } else {
        struct line_src none = {0, "--memo", NULL};

        if (!memo) {
            ret = cli_usage("journal post", "missing --memo TEXT (what the transaction is)");
            goto out;
        }
        if (p->j.nlines == 0) {
            ret = cli_usage("journal post", "missing --debit and --credit lines");
            goto out;
        }
        none.arg = memo;
        if (memo_set(p, &none, memo) < 0)
            goto out;
        if (date) {
            none.opt = "--date";
            none.arg = date;
            if (date_set(p, &none, date) < 0)
                goto out;
        }
    }
    if (!p->have_date)
        p->j.date = cli_today();
    ret = post(ctx, p, json, dry_run, lang);
out:
    free(p);
    return ret;
}

int cmd_journal(int argc, char **argv, struct cli_ctx *ctx)
{
    if (argc < 2)
        return cli_usage("journal", "missing a subcommand (post)");
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return cli_stdout_done();
    }
    if (strcmp(argv[1], "post") == 0)
        return journal_post(argc - 1, argv + 1, ctx);
    return cli_usage("journal", "unknown subcommand '%s' (use post)", argv[1]);
}
