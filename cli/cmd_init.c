/*
 * `saksi init FILE` founds a ledger from a koperasi description file that a secretary can edit
 * by hand, and `saksi init --template` prints a commented starting point for one. The file is
 * UTF-8 text with one `key = value` per line (name, registration, currency, founders, an optional
 * chart of accounts and optional policy lines); every mistake is reported with the file name,
 * the line number and what is wrong, before anything is written. Founding then takes the data
 * directory's write lock, checks that this device is a founding pengurus, draws a random network
 * key (kept in <data>/network.key, mode 0600; genesis carries only its commitment), and authors
 * the genesis entry, whose id is the ledger id. With `--params FILE` or `--params-default` it also
 * writes the founding accounting parameters (docs/ACCOUNTING.md 1.1) as a kind 32 entry at seq 2
 * of the same feed, in the same store transaction as the genesis, and closes kind 16 to every
 * role (general journals are then kind 17, approved per the parameters).
 */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "proto/err.h"
#include "proto/ledger.h"
#include "proto/chart.h"
#include "proto/params.h"
#include "proto/params_text.h"

#define DESC_FILE_MAX (1u << 20) /* a description file is small; refuse anything huge */

/* An account as read from the file, with the line it came from (for duplicate reports). */
struct desc_account {
    struct proto_account a;
    unsigned line;
};

struct desc_founder {
    struct proto_device d;
    unsigned line;
};

/* Everything a description file says, before it becomes a genesis. */
struct desc {
    const char *path;
    unsigned name_line, reg_line, currency_line;
    char name[PROTO_NAME_MAX + 1];
    char registration[PROTO_REG_MAX + 1];
    struct desc_account *accounts;
    uint32_t naccounts;
    struct desc_founder *founders;
    uint32_t nfounders;
    struct proto_policy policy;
    unsigned rule_line[PROTO_RULES_MAX]; /* 0 = the default rule, not from the file */
    unsigned revoke_q_line, checkpoint_q_line;
};

static const char role_hint[] = "use pengurus, pengawas, kasir or anggota";
static const char office_hint[] = "use ketua, sekretaris or bendahara";

static void usage(FILE *f)
{
    fputs("usage: saksi init [--json] [--params PFILE | --params-default] FILE\n"
          "       saksi init --template > koperasi.txt\n"
          "\n"
          "Mendirikan buku besar baru dari berkas deskripsi koperasi.\n"
          "Founds a new ledger from a koperasi description file: name, registration, founders\n"
          "(their device cards from 'saksi key show'), and optionally the chart of accounts and\n"
          "the policy. This device must be listed as a founder with role pengurus. The network\n"
          "key is written to <data>/network.key (mode 0600); the ledger id is printed.\n"
          "\n"
          "With --params PFILE (a parameter file: 'saksi params template' prints one) or\n"
          "--params-default (the standard parameters, in force from today), the koperasi's\n"
          "accounting parameters (savings products, simpanan pokok and wajib, approvals,\n"
          "countersignatures) are written with the genesis as its second entry, and the policy\n"
          "lets no role post old-style journals (kind 16): 'saksi journal post' then writes\n"
          "journals that are approved per the parameters. The parameters are checked against\n"
          "the chart of accounts first; a mistake is reported with the file and line, and\n"
          "nothing is written (exit 1).\n"
          "\n"
          "options:\n"
          "  --template        print a commented description file to start from\n"
          "  --params PFILE    found with the parameters in PFILE (in force from its\n"
          "                    'effective' date)\n"
          "  --params-default  found with the standard parameters, in force from today\n"
          "  --json            print {\"ledger_id\", \"entry_id\", \"founders\", \"accounts\",\n"
          "                    \"params_entry_id\"}\n"
          "  -h, --help        show this help\n"
          "\n"
          "example: saksi params template > parameter.txt && saksi init koperasi.txt --params "
          "parameter.txt\n"
          "\n"
          "exit codes: 0 ok; 1 negative answer (the parameters break a rule); 2 usage error or\n"
          "            invalid description file;\n"
          "            3 runtime error (I/O, store, lock, the directory already holds a ledger)\n",
          f);
}

/* Reports a problem at a line of the description file: "FILE:LINE: message". */
__attribute__((format(printf, 3, 4))) static int desc_err(const struct desc *d, unsigned line,
                                                          const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line)
        cli_err("%s:%u: %s", d->path, line, msg);
    else
        cli_err("%s: %s", d->path, msg);
    return ERR_CONFIG;
}

/* The next token of *p separated by blanks (and commas when commas is set); NULL at the end.
 * Cuts the token in place. */
static char *token_next(char **p, bool commas)
{
    char *s = *p, *t;

    while (*s == ' ' || *s == '\t' || (commas && *s == ','))
        s++;
    if (*s == '\0') {
        *p = s;
        return NULL;
    }
    t = s;
    while (*s && *s != ' ' && *s != '\t' && !(commas && *s == ','))
        s++;
    if (*s)
        *s++ = '\0';
    *p = s;
    return t;
}

/* Copies a text value of at most max bytes into dst (max + 1 bytes). */
static int text_value(const struct desc *d, unsigned line, const char *key, const char *v,
                      char *dst, size_t max)
{
    size_t n = strlen(v);

    if (n == 0)
        return desc_err(d, line, "'%s' needs a value", key);
    if (n > max)
        return desc_err(d, line, "'%s' is too long (%zu bytes, at most %zu)", key, n, max);
    memcpy(dst, v, n + 1);
    return 0;
}

/* founder = MEMBER_NO ROLE [OFFICE] CARD */
static int parse_founder(struct desc *d, unsigned line, char *v)
{
    char *tok[5];
    int ntok = 0, rc;
    struct desc_founder *f;
    uint64_t member;
    uint8_t role, office = PROTO_OFFICE_NONE;

    while (ntok < 5 && (tok[ntok] = token_next(&v, false)) != NULL)
        ntok++;
    if (ntok < 3 || ntok > 4)
        return desc_err(d, line, "a founder line reads 'founder = MEMBER_NO ROLE [OFFICE] CARD'");
    if (d->nfounders >= PROTO_ROSTER_MAX)
        return desc_err(d, line, "too many founders (at most %d)", PROTO_ROSTER_MAX);
    if (cli_uint_parse(tok[0], 1, PROTO_MEMBER_MAX, &member) < 0)
        return desc_err(d, line, "invalid member number '%s' (1 to %llu)", tok[0],
                        (unsigned long long)PROTO_MEMBER_MAX);
    if (cli_role_parse(tok[1], &role) < 0)
        return desc_err(d, line, "unknown role '%s' (%s)", tok[1], role_hint);
    if (ntok == 4) {
        if (cli_office_parse(tok[2], &office) < 0)
            return desc_err(d, line, "unknown office '%s' (%s)", tok[2], office_hint);
        if (office != PROTO_OFFICE_NONE && role != PROTO_ROLE_PENGURUS)
            return desc_err(d, line, "office '%s' is only for pengurus, not %s", tok[2],
                            proto_role_name(role));
    }
    f = &d->founders[d->nfounders];
    memset(f, 0, sizeof *f);
    f->line = line;
    f->d.member = (uint32_t)member;
    f->d.role = role;
    f->d.office = office;
    rc = cli_card_parse(tok[ntok - 1], f->d.sign_pk, f->d.box_pk, f->d.card_sig);
    if (rc == ERR_BADSIG)
        return desc_err(d, line,
                        "the device card's signature does not verify (copy it again "
                        "from 'saksi key show')");
    if (rc < 0)
        return desc_err(d, line,
                        "malformed device card '%.24s...' (expected %s... as printed by "
                        "'saksi key show')",
                        tok[ntok - 1], CLI_CARD_PREFIX);
    for (uint32_t i = 0; i < d->nfounders; i++) {
        const struct desc_founder *o = &d->founders[i];

        if (memcmp(o->d.sign_pk, f->d.sign_pk, 32) == 0 ||
            memcmp(o->d.box_pk, f->d.box_pk, 32) == 0)
            return desc_err(d, line, "the same device is already listed on line %u", o->line);
        if (o->d.member == f->d.member && (o->d.role != role || o->d.office != office))
            return desc_err(d, line,
                            "member %u is listed as %s%s%s on line %u; all devices of "
                            "one member share one role and office",
                            f->d.member, proto_role_name(o->d.role), o->d.office ? " " : "",
                            proto_office_name(o->d.office), o->line);
        if (office != PROTO_OFFICE_NONE && o->d.office == office && o->d.member != f->d.member)
            return desc_err(d, line, "office %s is already held by member %u (line %u)",
                            proto_office_name(office), o->d.member, o->line);
    }
    d->nfounders++;
    return 0;
}

/* account = CODE TYPE SUB NAME... */
static int parse_account(struct desc *d, unsigned line, char *v)
{
    static const char *const types[] = {"", "A", "CA", "L", "E", "R", "X"};
    char *code_s, *type_s, *sub_s, *name;
    struct desc_account *a;
    uint64_t code;
    uint8_t type = 0;
    bool sub;
    size_t n;

    code_s = token_next(&v, false);
    type_s = token_next(&v, false);
    sub_s = token_next(&v, false);
    name = cli_trim(v);
    if (!code_s || !type_s || !sub_s || *name == '\0')
        return desc_err(d, line,
                        "an account line reads 'account = CODE TYPE SUB NAME' "
                        "(e.g. 'account = 1100 A no Kas')");
    if (d->naccounts >= PROTO_ACCOUNTS_MAX)
        return desc_err(d, line, "too many accounts (at most %d)", PROTO_ACCOUNTS_MAX);
    if (cli_uint_parse(code_s, 1000, 9999, &code) < 0)
        return desc_err(d, line, "invalid account code '%s' (four digits, 1000 to 9999)", code_s);
    for (uint8_t t = PROTO_ACCT_ASSET; t <= PROTO_ACCT_EXPENSE; t++)
        if (strcasecmp(type_s, types[t]) == 0)
            type = t;
    if (type == 0)
        return desc_err(d, line, "unknown account type '%s' (use A, CA, L, E, R or X)", type_s);
    if (strcasecmp(sub_s, "yes") == 0 || strcasecmp(sub_s, "ya") == 0)
        sub = true;
    else if (strcasecmp(sub_s, "no") == 0 || strcasecmp(sub_s, "tidak") == 0)
        sub = false;
    else
        return desc_err(d, line, "member sub-ledger must be 'yes' or 'no', not '%s'", sub_s);
    n = strlen(name);
    if (n > PROTO_ACCOUNT_NAME_MAX)
        return desc_err(d, line, "account name is too long (%zu bytes, at most %d)", n,
                        PROTO_ACCOUNT_NAME_MAX);
    a = &d->accounts[d->naccounts++];
    memset(a, 0, sizeof *a);
    a->line = line;
    a->a.code = (uint32_t)code;
    a->a.type = type;
    a->a.sub = sub;
    memcpy(a->a.name, name, n + 1);
    return 0;
}

static int kind_parse(const char *s, uint32_t *kind)
{
    if (strcmp(s, "journal") == 0)
        *kind = PROTO_KIND_JOURNAL;
    else if (strcmp(s, "admit") == 0)
        *kind = PROTO_KIND_ADMIT;
    else if (strcmp(s, "revoke") == 0)
        *kind = PROTO_KIND_REVOKE;
    else
        return -EINVAL;
    return 0;
}

/* policy author KIND = ROLE,ROLE... */
static int parse_policy_author(struct desc *d, unsigned line, const char *kind_s, char *v)
{
    struct proto_policy *p = &d->policy;
    uint32_t kind, roles = 0, i;
    char *t;

    if (kind_parse(kind_s, &kind) < 0)
        return desc_err(d, line,
                        "unknown entry kind '%s' in policy (use journal, admit or "
                        "revoke)",
                        kind_s);
    while ((t = token_next(&v, true)) != NULL) {
        uint8_t role;

        if (cli_role_parse(t, &role) < 0)
            return desc_err(d, line, "unknown role '%s' (%s)", t, role_hint);
        roles |= PROTO_ROLE_BIT(role);
    }
    if (roles == 0)
        return desc_err(d, line,
                        "policy for %s names no role (e.g. 'policy author %s = "
                        "pengurus')",
                        kind_s, kind_s);
    for (i = 0; i < p->nrules; i++)
        if (p->rules[i].kind == kind)
            break;
    if (i < p->nrules && d->rule_line[i])
        return desc_err(d, line, "policy for %s is already given on line %u", kind_s,
                        d->rule_line[i]);
    if (i == p->nrules) {
        if (p->nrules >= PROTO_RULES_MAX)
            return desc_err(d, line, "too many policy rules");
        p->nrules++;
    }
    p->rules[i].kind = kind;
    p->rules[i].roles = roles;
    d->rule_line[i] = line;
    return 0;
}

/* policy revoke-quorum = N pengurus, M pengawas (either part may be left out: 0) */
static int parse_quorum(struct desc *d, unsigned line, const char *what, char *v,
                        struct proto_quorum *q, unsigned *seen_line)
{
    bool have_pengurus = false, have_pengawas = false;
    char *n_s, *role_s;

    if (*seen_line)
        return desc_err(d, line, "'policy %s' is already given on line %u", what, *seen_line);
    memset(q, 0, sizeof *q);
    while ((n_s = token_next(&v, true)) != NULL) {
        uint64_t n;
        uint8_t role;

        role_s = token_next(&v, true);
        if (!role_s || cli_uint_parse(n_s, 0, PROTO_ROSTER_MAX, &n) < 0)
            return desc_err(d, line, "a quorum reads 'policy %s = N pengurus, M pengawas'", what);
        if (cli_role_parse(role_s, &role) < 0 ||
            (role != PROTO_ROLE_PENGURUS && role != PROTO_ROLE_PENGAWAS))
            return desc_err(d, line, "a quorum counts pengurus and pengawas, not '%s'", role_s);
        if (role == PROTO_ROLE_PENGURUS) {
            if (have_pengurus)
                return desc_err(d, line, "pengurus is counted twice");
            have_pengurus = true;
            q->pengurus = (uint32_t)n;
        } else {
            if (have_pengawas)
                return desc_err(d, line, "pengawas is counted twice");
            have_pengawas = true;
            q->pengawas = (uint32_t)n;
        }
    }
    if (q->pengurus + q->pengawas == 0)
        return desc_err(d, line,
                        "a quorum of nobody: give at least one signature "
                        "(e.g. 'policy %s = 2 pengurus, 1 pengawas')",
                        what);
    *seen_line = line;
    return 0;
}

/* One "key = value" line (already trimmed, not a comment, not blank). */
static int parse_line(struct desc *d, unsigned line, char *s)
{
    char *eq = strchr(s, '='), *key, *v, *k1, *k2, *k3, *extra;

    if (!eq)
        return desc_err(d, line, "expected 'key = value'");
    *eq = '\0';
    key = s;
    v = cli_trim(eq + 1);
    k1 = token_next(&key, false);
    k2 = token_next(&key, false);
    k3 = token_next(&key, false);
    extra = token_next(&key, false);
    if (!k1)
        return desc_err(d, line, "missing key before '='");
    if (strcmp(k1, "policy") != 0 && k2)
        return desc_err(d, line, "unknown key '%s %s'", k1, k2);

    if (strcmp(k1, "name") == 0) {
        if (d->name_line)
            return desc_err(d, line, "'name' is already given on line %u", d->name_line);
        d->name_line = line;
        return text_value(d, line, "name", v, d->name, PROTO_NAME_MAX);
    }
    if (strcmp(k1, "registration") == 0) {
        if (d->reg_line)
            return desc_err(d, line, "'registration' is already given on line %u", d->reg_line);
        d->reg_line = line;
        return text_value(d, line, "registration", v, d->registration, PROTO_REG_MAX);
    }
    if (strcmp(k1, "currency") == 0) {
        if (d->currency_line)
            return desc_err(d, line, "'currency' is already given on line %u", d->currency_line);
        d->currency_line = line;
        if (strcmp(v, "IDR") != 0)
            return desc_err(d, line, "currency must be IDR (rupiah), not '%s'", v);
        return 0;
    }
    if (strcmp(k1, "founder") == 0)
        return parse_founder(d, line, v);
    if (strcmp(k1, "account") == 0)
        return parse_account(d, line, v);
    if (strcmp(k1, "policy") == 0) {
        if (k2 && strcmp(k2, "author") == 0 && k3 && !extra)
            return parse_policy_author(d, line, k3, v);
        if (k2 && !k3 && strcmp(k2, "revoke-quorum") == 0)
            return parse_quorum(d, line, "revoke-quorum", v, &d->policy.revoke_quorum,
                                &d->revoke_q_line);
        if (k2 && !k3 && strcmp(k2, "checkpoint-quorum") == 0)
            return parse_quorum(d, line, "checkpoint-quorum", v, &d->policy.checkpoint_quorum,
                                &d->checkpoint_q_line);
        return desc_err(d, line,
                        "unknown policy line (use 'policy author KIND = ROLES', "
                        "'policy revoke-quorum = ...' or 'policy checkpoint-quorum = "
                        "...')");
    }
    return desc_err(d, line,
                    "unknown key '%s' (use name, registration, currency, founder, "
                    "account or policy)",
                    k1);
}

static int account_cmp(const void *a, const void *b)
{
    const struct desc_account *x = a, *y = b;

    if (x->a.code != y->a.code)
        return x->a.code < y->a.code ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

/* Checks the file as a whole once every line is read. */
static int desc_finish(struct desc *d)
{
    bool pengurus = false;

    if (!d->name_line)
        return desc_err(d, 0, "missing 'name = ...' (the koperasi's name)");
    if (!d->reg_line)
        return desc_err(d, 0, "missing 'registration = ...' (the badan hukum number)");
    if (d->nfounders == 0)
        return desc_err(d, 0, "no 'founder = ...' line (at least one pengurus device)");
    for (uint32_t i = 0; i < d->nfounders; i++)
        pengurus |= d->founders[i].d.role == PROTO_ROLE_PENGURUS;
    if (!pengurus)
        return desc_err(d, 0, "no founder has role pengurus");
    if (d->naccounts == 0) {
        for (size_t i = 0; i < proto_chart_standard_n(); i++) {
            struct desc_account *a = &d->accounts[i];

            memset(a, 0, sizeof *a);
            proto_chart_standard(i, &a->a);
        }
        d->naccounts = (uint32_t)proto_chart_standard_n();
        return 0;
    }
    qsort(d->accounts, d->naccounts, sizeof *d->accounts, account_cmp);
    for (uint32_t i = 1; i < d->naccounts; i++)
        if (d->accounts[i].a.code == d->accounts[i - 1].a.code)
            return desc_err(d, d->accounts[i].line, "account %u is already defined on line %u",
                            d->accounts[i].a.code, d->accounts[i - 1].line);
    return 0;
}

/* Reads and checks a description file into d (whose arrays the caller allocated). */
static int desc_read(struct desc *d)
{
    struct proto_buf b;
    struct cli_lines ls;
    char *p;
    size_t n;
    int rc;

    proto_buf_init(&b);
    rc = cli_file_read(d->path, DESC_FILE_MAX, &b);
    if (rc == -EFBIG) {
        cli_err("'%s' is too large for a description file (at most %u bytes)", d->path,
                DESC_FILE_MAX);
        goto out;
    }
    if (rc < 0) {
        cli_err("cannot read '%s': %s", d->path, err_str(rc));
        goto out;
    }
    rc = cli_lines_init(&ls, &b);
    if (rc < 0) {
        cli_err("cannot read '%s': %s", d->path, err_str(rc));
        goto out;
    }
    while ((p = cli_lines_next(&ls, &n))) {
        char *s;

        if (memchr(p, '\0', n)) {
            rc = desc_err(d, ls.line, "contains a NUL byte (is this a text file?)");
            goto out;
        }
        if (!cli_text_ok(p, n, true)) {
            rc = desc_err(
                d, ls.line,
                "not valid UTF-8 text, or holds a control character (save the file as UTF-8 text)");
            goto out;
        }
        s = cli_trim(p);
        if (*s == '\0' || *s == '#')
            continue;
        rc = parse_line(d, ls.line, s);
        if (rc < 0)
            goto out;
    }
    rc = desc_finish(d);
out:
    proto_buf_release(&b);
    return rc;
}

/* The template: every key explained, the standard chart and the default policy commented. */
static int print_template(void)
{
    struct proto_policy def;
    static const char *const kinds[] = {"journal", "admit", "revoke"};

    proto_policy_default(&def);
    fputs("# Deskripsi koperasi untuk 'saksi init'.\n"
          "# Description of the koperasi for 'saksi init'.\n"
          "#\n"
          "# Satu 'kunci = nilai' per baris; baris yang diawali # adalah komentar; teks UTF-8.\n"
          "# One 'key = value' per line; lines starting with # are comments; UTF-8 text.\n"
          "\n"
          "# Nama koperasi (wajib). / Name of the koperasi (required).\n"
          "name = Koperasi Simpan Pinjam Contoh Sejahtera\n"
          "\n"
          "# Nomor badan hukum (wajib). / Legal registration number (required).\n"
          "registration = AHU-0000000.AH.01.26.TAHUN 2026\n"
          "\n"
          "# Mata uang: hanya IDR. / Currency: only IDR.\n"
          "currency = IDR\n"
          "\n"
          "# Pendiri: satu baris per perangkat. / Founders: one line per device.\n"
          "#   founder = NOMOR_ANGGOTA PERAN [JABATAN] KARTU\n"
          "#   PERAN / role:      pengurus, pengawas, kasir, anggota\n"
          "#   JABATAN / office:  ketua, sekretaris, bendahara (hanya pengurus / pengurus only)\n"
          "#   KARTU / card:      baris 'saksi-device:...' dari 'saksi key show' di perangkat "
          "itu\n"
          "#                      the 'saksi-device:...' line printed by 'saksi key show'\n"
          "# Perangkat yang menjalankan 'saksi init' harus terdaftar sebagai pengurus.\n"
          "# The device that runs 'saksi init' must be listed as a pengurus.\n"
          "#\n"
          "# founder = 1 pengurus ketua saksi-device:...\n"
          "# founder = 2 pengurus bendahara saksi-device:...\n"
          "# founder = 3 pengawas saksi-device:...\n"
          "# founder = 4 kasir saksi-device:...\n"
          "\n"
          "# Bagan akun (pilihan). Tanpa baris 'account', bagan standar di bawah ini dipakai.\n"
          "# Chart of accounts (optional). Without 'account' lines the standard chart below is\n"
          "# used. To change it, remove the '# ' in front of every account line and edit.\n"
          "#   account = KODE TIPE SUB NAMA\n"
          "#   TIPE / type: A aset, CA kontra-aset, L kewajiban, E ekuitas, R pendapatan, "
          "X beban\n"
          "#   SUB: yes = buku pembantu per anggota (member sub-ledger), no = tidak\n",
          stdout);
    for (size_t i = 0; i < proto_chart_standard_n(); i++) {
        struct proto_account a;

        proto_chart_standard(i, &a);
        printf("# account = %u %s %s %s\n", a.code, proto_acct_type_name(a.type),
               a.sub ? "yes" : "no", a.name);
    }
    fputs("\n"
          "# Kebijakan (pilihan); nilai di bawah adalah bawaan.\n"
          "# Policy (optional); the values below are the defaults.\n"
          "#   policy author JENIS = PERAN, PERAN   (JENIS / kind: journal, admit, revoke)\n"
          "#   policy revoke-quorum = N pengurus, M pengawas\n"
          "#   policy checkpoint-quorum = N pengurus, M pengawas\n",
          stdout);
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        uint32_t kind = 0;
        const char *sep = "";

        (void)kind_parse(kinds[k], &kind);
        printf("# policy author %s = ", kinds[k]);
        for (uint8_t r = PROTO_ROLE_PENGURUS; r <= PROTO_ROLE_ANGGOTA; r++) {
            if (proto_policy_allows(&def, kind, r)) {
                printf("%s%s", sep, proto_role_name(r));
                sep = ", ";
            }
        }
        putchar('\n');
    }
    printf("# policy revoke-quorum = %u pengurus, %u pengawas\n", def.revoke_quorum.pengurus,
           def.revoke_quorum.pengawas);
    printf("# policy checkpoint-quorum = %u pengurus, %u pengawas\n",
           def.checkpoint_quorum.pengurus, def.checkpoint_quorum.pengawas);
    return cli_stdout_done();
}

/* Builds the genesis from a checked description. g's arrays point into d's storage. */
static void desc_to_genesis(const struct desc *d, struct proto_genesis *g,
                            struct proto_account *accounts, struct proto_device *roster)
{
    memset(g, 0, sizeof *g);
    memcpy(g->name, d->name, sizeof g->name);
    memcpy(g->registration, d->registration, sizeof g->registration);
    memcpy(g->currency, "IDR", 4);
    for (uint32_t i = 0; i < d->naccounts; i++)
        accounts[i] = d->accounts[i].a;
    for (uint32_t i = 0; i < d->nfounders; i++)
        roster[i] = d->founders[i].d;
    g->naccounts = d->naccounts;
    g->accounts = accounts;
    g->nroster = d->nfounders;
    g->roster = roster;
    g->policy = d->policy;
}

static int print_result(bool json, const uint8_t id[32], const struct desc *d,
                        const char *netkey_path, const struct proto_params *params,
                        const uint8_t pid[32])
{
    char hex[65], date[11];

    if (json) {
        json_t *o = json_object();

        if (!o || json_object_set_new(o, "ledger_id", cli_json_hex(id, 32)) < 0 ||
            json_object_set_new(o, "entry_id", cli_json_hex(id, 32)) < 0 ||
            json_object_set_new(o, "founders", json_integer(d->nfounders)) < 0 ||
            json_object_set_new(o, "accounts", json_integer(d->naccounts)) < 0 ||
            json_object_set_new(o, "network_key_file", json_string(netkey_path)) < 0 ||
            (params &&
             (json_object_set_new(o, "params_entry_id", cli_json_hex(pid, 32)) < 0 ||
              json_object_set_new(o, "params_effective",
                                  json_string(cli_date_str(params->effective, date))) < 0))) {
            json_decref(o);
            cli_err("out of memory");
            return CLI_RUNTIME;
        }
        return cli_json_out(o);
    }
    proto_hex(id, 32, hex);
    printf("Buku besar dibuat. ID ledger: %s\n"
           "  %s (%s): %u pendiri, %u akun.\n"
           "  Kunci jaringan ada di %s: rahasiakan; bagikan hanya lewat undangan.\n"
           "  Umumkan ID ledger ini kepada anggota: ID inilah yang mereka periksa.\n"
           "Ledger created. Ledger id: %s\n"
           "  %u founders, %u accounts. The network key is in %s: keep it secret and share it\n"
           "  only through invites. Announce the ledger id to the members: it is what they "
           "check.\n",
           hex, d->name, d->registration, d->nfounders, d->naccounts, netkey_path, hex,
           d->nfounders, d->naccounts, netkey_path);
    if (params) {
        proto_hex(pid, 32, hex);
        cli_date_str(params->effective, date);
        printf("Parameter pendirian dicatat (seq 2), berlaku sejak %s. ID entri: %s\n"
               "Founding parameters recorded (seq 2), in force from %s.\n",
               date, hex, date);
    }
    return cli_stdout_done();
}

static uint64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * Authors the genesis and the founding parameters (seq 1 and 2 of this device's feed) in one
 * store transaction, so that no ledger ever exists without its founding parameters. Through a
 * running saksid (which holds the store) they go one after the other, the genesis first.
 */
static int author_founding(struct cli_ctx *ctx, struct store *st, const struct proto_keys *k,
                           const struct proto_buf *gbody, const struct proto_buf *pbody,
                           uint8_t id[32], uint8_t pid[32])
{
    struct proto_buf graw, praw;
    struct proto_entry ge, pe;
    struct store_item items[2];
    uint64_t t = now_ms();
    int rc;

    if (ctx->via_node) {
        rc = cli_author(ctx, st, k, PROTO_KIND_GENESIS, gbody, id);
        return rc < 0 ? rc : cli_author(ctx, st, k, PROTO_KIND_PARAMS, pbody, pid);
    }
    proto_buf_init(&graw);
    proto_buf_init(&praw);
    rc = proto_entry_build(&graw, k, NULL, 1, NULL, t, PROTO_KIND_GENESIS, gbody->data, gbody->len);
    if (rc < 0 || (rc = proto_entry_parse(graw.data, graw.len, &ge)) < 0 ||
        (rc = proto_entry_verify(&ge)) < 0)
        goto out;
    rc =
        proto_entry_build(&praw, k, ge.id, 2, ge.id, t, PROTO_KIND_PARAMS, pbody->data, pbody->len);
    if (rc < 0 || (rc = proto_entry_parse(praw.data, praw.len, &pe)) < 0 ||
        (rc = proto_entry_verify(&pe)) < 0)
        goto out;
    items[0].e = &ge;
    items[1].e = &pe;
    rc = store_ingest(st, items, 2, NULL, NULL);
    if (rc < 0)
        goto out;
    if (items[0].result != STORE_NEW || items[1].result != STORE_NEW) {
        int r = items[0].result != STORE_NEW ? items[0].result : items[1].result;

        rc = r < 0 ? r : ERR_STORE;
        goto out;
    }
    memcpy(id, ge.id, 32);
    memcpy(pid, pe.id, 32);
out:
    proto_buf_release(&graw);
    proto_buf_release(&praw);
    return rc;
}

/*
 * The founding parameters: read from path (NULL: the standard ones, in force from today) and
 * checked against the genesis chart. Prints the problem; returns CLI_OK or an exit code.
 */
static int params_load(const char *path, const struct proto_genesis *g, struct proto_params *p)
{
    struct proto_params_problem why;
    struct proto_buf b;
    char err[600];
    int rc;

    if (!path) {
        proto_params_default(p, cli_today());
    } else {
        proto_buf_init(&b);
        rc = cli_file_read(path, PROTO_PARAMS_TEXT_MAX, &b);
        if (rc < 0) {
            cli_err("cannot read '%s': %s", path,
                    rc == -EFBIG ? "too large for a parameter file" : err_str(rc));
            proto_buf_release(&b);
            return CLI_RUNTIME; /* as for the description file */
        }
        err[0] = '\0';
        rc = proto_params_text_parse(path, (const char *)b.data, b.len, p, err, sizeof err);
        proto_buf_release(&b);
        if (rc < 0) {
            if (rc == -ENOMEM) {
                cli_err("out of memory");
                return CLI_RUNTIME;
            }
            cli_err("%s", err[0] ? err : err_str(rc));
            return CLI_NEG;
        }
    }
    rc = proto_params_check(p, g, NULL, 0, &why);
    if (rc < 0) {
        char detail[64] = "";

        if (why.detail)
            snprintf(detail, sizeof detail, ", %s %u",
                     why.kind == PROTO_PARAMS_CHART ? "account" : "detail", why.detail);
        cli_err("%s: the parameters do not fit this koperasi: %s (row %u%s); nothing written",
                path ? path : "--params-default", proto_params_problem_str(why.kind), why.index + 1,
                detail);
        return CLI_NEG;
    }
    return CLI_OK;
}

/* Founds the ledger from a checked description, with founding parameters when with_params
 * (read from params_path, or the standard ones when it is NULL). Returns an exit code. */
static int found(struct cli_ctx *ctx, struct desc *d, bool json, bool with_params,
                 const char *params_path)
{
    struct proto_keys *keys = NULL;
    struct store *st = NULL;
    struct proto_account *accounts = NULL;
    struct proto_device *roster = NULL;
    struct proto_genesis g;
    struct proto_buf body, pbody;
    struct proto_params *params = NULL;
    const struct desc_founder *me = NULL;
    uint8_t netkey[32], id[32], pid[32];
    char netkey_path[4200];
    bool wrote_netkey = false;
    int rc, ret = CLI_RUNTIME;

    proto_buf_init(&body);
    proto_buf_init(&pbody);
    rc = cli_keys_load(ctx, &keys);
    if (rc < 0) {
        cli_err("cannot load this device's key: %s (create one with 'saksi key new')", err_str(rc));
        goto out;
    }
    for (uint32_t i = 0; i < d->nfounders; i++)
        if (memcmp(d->founders[i].d.sign_pk, keys->sign_pk, 32) == 0)
            me = &d->founders[i];
    if (!me) {
        cli_err("%s: this device is not listed as a founder; add its card (from 'saksi key "
                "show') as a pengurus",
                d->path);
        ret = CLI_USAGE;
        goto out;
    }
    if (memcmp(me->d.box_pk, keys->box_pk, 32) != 0) {
        cli_err("%s:%u: the card's transport key is not this device's; copy the card again "
                "from 'saksi key show'",
                d->path, me->line);
        ret = CLI_USAGE;
        goto out;
    }
    if (me->d.role != PROTO_ROLE_PENGURUS) {
        cli_err("%s:%u: this device is listed as %s; only a pengurus device may found the "
                "ledger",
                d->path, me->line, proto_role_name(me->d.role));
        ret = CLI_USAGE;
        goto out;
    }

    accounts = calloc(d->naccounts, sizeof *accounts);
    roster = calloc(d->nfounders, sizeof *roster);
    if (!accounts || !roster) {
        cli_err("out of memory");
        goto out;
    }
    desc_to_genesis(d, &g, accounts, roster);
    if (with_params) {
        params = calloc(1, sizeof *params);
        if (!params) {
            cli_err("out of memory");
            goto out;
        }
        ret = params_load(params_path, &g, params);
        if (ret != CLI_OK)
            goto out;
        ret = CLI_RUNTIME;
        rc = proto_params_encode(params, &pbody);
        if (rc < 0) {
            cli_err("cannot encode the parameters: %s", err_str(rc));
            goto out;
        }
    }

    rc = cli_store_open_rw(ctx, &st);
    if (rc < 0) {
        if (rc == ERR_LOCKED)
            cli_err("the data directory '%s' is locked by another writer (is saksid running?)",
                    ctx->data_dir);
        else
            cli_err("cannot open the store in '%s': %s", ctx->data_dir, err_str(rc));
        goto out;
    }
    rc = store_ledger_id(st, id);
    if (rc == 0) {
        char hex[65];

        proto_hex(id, 32, hex);
        cli_err("'%s' already holds a ledger (%s); use another --data directory", ctx->data_dir,
                hex);
        goto out;
    }
    if (rc != ERR_NOLEDGER) {
        cli_err("cannot read the store in '%s': %s", ctx->data_dir, err_str(rc));
        goto out;
    }

    proto_random(netkey, sizeof netkey);
    proto_netkey_commit(netkey, g.netkey_commit);
    rc = proto_genesis_check(&g);
    if (rc < 0) {
        cli_err("%s: the description breaks a genesis rule: %s", d->path, err_str(rc));
        goto out;
    }
    rc = proto_genesis_encode(&g, &body);
    if (rc < 0) {
        cli_err("cannot encode the genesis: %s", err_str(rc));
        goto out;
    }
    cli_path(ctx, "network.key", netkey_path, sizeof netkey_path);
    rc = cli_file_write(netkey_path, netkey, sizeof netkey, 0600, true);
    if (rc == -EEXIST) {
        cli_err("'%s' already exists (left by an earlier attempt?); move it away and retry",
                netkey_path);
        goto out;
    }
    if (rc < 0) {
        cli_err("cannot write '%s': %s", netkey_path, err_str(rc));
        goto out;
    }
    wrote_netkey = true;
    if (params)
        rc = author_founding(ctx, st, keys, &body, &pbody, id, pid);
    else
        rc = cli_author(ctx, st, keys, PROTO_KIND_GENESIS, &body, id);
    if (rc < 0) {
        cli_err("cannot author the genesis: %s", err_str(rc));
        goto out;
    }
    wrote_netkey = false; /* the ledger stands: the key file stays */
    ret = print_result(json, id, d, netkey_path, params, pid);
out:
    free(params);
    proto_buf_release(&pbody);
    if (wrote_netkey && unlink(netkey_path) < 0)
        cli_warn("cannot remove '%s': %s", netkey_path, err_str(-errno));
    proto_memzero(netkey, sizeof netkey);
    proto_buf_release(&body);
    free(accounts);
    free(roster);
    cli_store_close(ctx, st);
    proto_keys_free(keys);
    return ret;
}

int cmd_init(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},           {"json", no_argument, NULL, 'j'},
        {"template", no_argument, NULL, 't'},       {"params", required_argument, NULL, 'p'},
        {"params-default", no_argument, NULL, 'P'}, {NULL, 0, NULL, 0},
    };
    struct desc d;
    const char *params_path = NULL;
    bool json = ctx->json, want_template = false, params_default = false;
    int c, rc, ret;

    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            usage(stdout);
            return cli_stdout_done();
        case 'j':
            json = true;
            break;
        case 't':
            want_template = true;
            break;
        case 'p':
            params_path = optarg;
            break;
        case 'P':
            params_default = true;
            break;
        case ':':
            return cli_usage("init", "option '%s' needs a value", argv[optind - 1]);
        default:
            return cli_usage("init", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (params_path && params_default)
        return cli_usage("init", "give --params PFILE or --params-default, not both");
    if (want_template) {
        if (optind != argc || params_path || params_default)
            return cli_usage("init", "--template takes no file");
        return print_template();
    }
    if (optind == argc)
        return cli_usage("init", "missing the description FILE (make one with 'saksi init "
                                 "--template')");
    if (argc - optind > 1)
        return cli_usage("init", "unexpected argument '%s'", argv[optind + 1]);

    memset(&d, 0, sizeof d);
    d.path = argv[optind];
    proto_policy_default(&d.policy);
    d.accounts = calloc(PROTO_ACCOUNTS_MAX, sizeof *d.accounts);
    d.founders = calloc(PROTO_ROSTER_MAX, sizeof *d.founders);
    if (!d.accounts || !d.founders) {
        cli_err("out of memory");
        ret = CLI_RUNTIME;
        goto out;
    }
    rc = desc_read(&d);
    if (rc == ERR_CONFIG) {
        ret = CLI_USAGE;
        goto out;
    }
    if (rc < 0) {
        ret = CLI_RUNTIME;
        goto out;
    }
    if (params_path || params_default) {
        /* With parameters, general journals are kind 17: nobody may author kind 16
         * (ACCOUNTING.md 3.1). */
        uint32_t i;

        for (i = 0; i < d.policy.nrules; i++)
            if (d.policy.rules[i].kind == PROTO_KIND_JOURNAL)
                break;
        if (i < d.policy.nrules && d.rule_line[i]) {
            desc_err(&d, d.rule_line[i],
                     "with parameters, journals are approved per the parameters ('author "
                     "journal-a' and 'approve journal-a' there); remove this policy line");
            ret = CLI_USAGE;
            goto out;
        }
        if (i == d.policy.nrules) {
            if (d.policy.nrules >= PROTO_RULES_MAX) {
                desc_err(&d, 0, "too many policy rules");
                ret = CLI_USAGE;
                goto out;
            }
            d.policy.nrules++;
        }
        d.policy.rules[i].kind = PROTO_KIND_JOURNAL;
        d.policy.rules[i].roles = 0;
    }
    ret = found(ctx, &d, json, params_path || params_default, params_path);
out:
    free(d.accounts);
    free(d.founders);
    return ret;
}
