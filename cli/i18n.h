/*
 * Labels and formats of the accounting commands in two languages (docs/ACCOUNTING.md 6.11):
 * Bahasa Indonesia by default, English with --lang en. Labels come from one table (key -> {id,
 * en}) so that the text and --json forms name things alike; messages with figures are written in
 * place with CLI_TR(lang, "…", "…") so that the compiler checks both printf formats.
 *
 * The second half declares what the accounting commands share (cmd_acct.c, cmd_report.c and the
 * accounting subcommands of cmd_member.c and cmd_journal.c): loading the books, the checks and
 * the authoring flow of every accounting write, and the words for statuses and findings.
 */
#ifndef SAKSI_CLI_I18N_H
#define SAKSI_CLI_I18N_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/cli.h"
#include "proto/acct.h"
#include "proto/books.h"
#include "proto/params.h"

enum cli_lang { CLI_LANG_ID = 0, CLI_LANG_EN = 1 };

/* One of two literal strings by language; both stay visible to printf format checking. */
#define CLI_TR(lang, id, en) ((lang) == CLI_LANG_EN ? (en) : (id))

/* The --lang option of cmd: "id" or "en" (also "indonesia", "english") into *lang and 0, or a
 * usage error naming the value (CLI_USAGE). */
int cli_lang_opt(const char *cmd, const char *s, int *lang);

/* The label for key in lang; the key itself when the table has none. Never NULL. */
const char *cli_label(int lang, const char *key);
/* A JSON object {key: label} of the given keys (NULL-terminated list). NULL on no memory. */
json_t *cli_labels_json(int lang, const char *const *keys);

/* Dates: "31-12-2025" (tables; 11 bytes) and "31 Desember 2025" / "31 December 2025" (24 bytes). */
const char *cli_date_dmy(uint32_t ymd, char *buf);
const char *cli_date_long(uint32_t ymd, int lang, char *buf);
/* A signed amount: "Rp1.234" / "-Rp1.234", or "(Rp1.234)" when parens (statements). 40 bytes. */
const char *cli_rupiah_signed(int64_t v, bool parens, char *buf);
/* ppm as a percentage with up to 4 decimals: 15000 -> "1,5%" (id) / "1.5%" (en). 24 bytes. */
const char *cli_ppm_str(uint32_t ppm, int lang, char *buf);

/* Words for the accounting kinds, statuses, member statuses, classes, severities. */
const char *cli_kind_label(uint64_t kind, int lang);
/* The stable short name of a kind ("deposit", "close", ...; "other" for kinds saksi does not
 * know). */
const char *cli_kind_name(uint64_t kind);
const char *cli_status_label(int status, int lang);
const char *cli_member_status_label(int status, int lang);
const char *cli_class_label(int member_class, int lang);
const char *cli_reason_label(int exit_reason, int lang);
const char *cli_severity_label(int severity, int lang);
/* Loans: status (enum books_loan_status), collectibility class (1 lancar .. 4 macet), the health
 * of a portfolio by its bermasalah ratio in ppm (sehat <= 5 %, cukup sehat <= 10 %, kurang sehat
 * <= 15 %, tidak sehat above), a loan's purpose (1..5) and interest method (1..3). */
const char *cli_loan_status_label(int status, int lang);
const char *cli_klass_label(int klass, int lang);
const char *cli_health_label(uint32_t ratio_ppm, int lang);
const char *cli_purpose_label(int purpose, int lang);
const char *cli_method_label(int method, int lang);

/* ---- the accounting commands ---- */

cli_cmd_fn cmd_deposit, cmd_withdraw, cmd_approve, cmd_pending, cmd_statement, cmd_report,
    cmd_params, cmd_loan, cmd_interest, cmd_close, cmd_rat, cmd_shu, cmd_reverse, cmd_provision;

/* The subcommands of `saksi member` that write accounting entries (cmd_member.c). */
int cli_member_admit(int argc, char **argv, struct cli_ctx *ctx);
int cli_member_exit(int argc, char **argv, struct cli_ctx *ctx);
int cli_member_settle(int argc, char **argv, struct cli_ctx *ctx);

/* The pending report (docs/ACCOUNTING.md 6.10) as text or JSON on stdout (cmd_report.c);
 * member 0 for all. Returns the exit code. */
int cli_pending_out(const struct books *bk, uint32_t as_of, uint32_t member, int lang, bool json);

/* Loads and derives the books of the store. Prints what failed. *out: books_free(). */
int cli_books_load(struct store *st, struct books **out);
/*
 * The statement cache (<data>/books.cache, store/store.h). cli_books_cache_on(): false when
 * SAKSI_BOOKS_CACHE=0 (nothing reads or writes the file). cli_books_load_head(): cli_books_load
 * after reading the store's head into *at (*at_ok false when that failed). cli_books_cache_save():
 * writes the file for books derived at *at, unless the ledger has moved on; never fails.
 */
struct store_head;
bool cli_books_cache_on(void);
int cli_books_load_head(struct store *st, struct books **out, struct store_head *at, bool *at_ok);
void cli_books_cache_save(struct store *st, const struct cli_ctx *ctx, const struct books *bk,
                          const struct store_head *at, bool at_ok);
/* true if the store holds an applied parameter entry (kind 32) at all: without one, nothing of
 * the accounting needs the books. */
bool cli_store_has_params(struct store *st);

/* What an accounting write holds while it runs (cmd_acct.c). */
struct cli_acct {
    struct cli_ctx *ctx;
    struct store *st;
    struct proto_genesis *g;
    struct proto_keys *keys;
    struct store_device me; /* this device on the roster */
    struct books *bk;       /* the books before the write */
    int lang;
    bool json, dry_run;
    bool owned; /* opened by cli_acct_open: cli_acct_close releases everything */
    unsigned refusals;
    /* Set by a command before cli_acct_write (borrowed, may be NULL): text printed before the
     * entry's summary once the entry passed every check, and fields added to its --json
     * object (a loan's schedule, a repayment's split). */
    const char *pre_text;
    json_t *extra;
    /* Set by a command that writes several entries (may be NULL): a new finding for which it
     * returns true is part of the plan (interest-missing for members of a part not yet
     * written) and neither refused nor shown. */
    bool (*finding_ok)(const struct books_finding *f, void *arg);
    void *finding_arg;
};

/*
 * Opens the store (read-only for a dry run), loads the genesis, this device's keys and the
 * books, and checks this device is on the roster and not revoked. Returns CLI_OK or the exit
 * code (the error printed); on failure nothing is left open.
 */
int cli_acct_open(struct cli_ctx *ctx, struct cli_acct *a);
void cli_acct_close(struct cli_acct *a);

/* "saksi: ditolak [code]: …" / "saksi: refused [code]: …" on stderr; counts in a->refusals. */
void cli_acct_refuse(struct cli_acct *a, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * The parameter version in force on date for authoring kind: refuses (no-params, authority)
 * and returns NULL when there is none or this device's role may not author kind under it.
 */
const struct proto_params *cli_acct_params(struct cli_acct *a, uint32_t date, uint64_t kind);

/*
 * The last step of every accounting write: derives the books with b added as this device's
 * next entry, refuses it if that gives the new entry (or what it signs) a finding the books did
 * not have or leaves it void, then (unless a dry run) authors it, derives again and prints the
 * entry, its id and its status (effective, or what it waits for). Returns the exit code.
 */
int cli_acct_write(struct cli_acct *a, const struct proto_acct_body *b);

/* An entry of a kind proto/acct.h does not decode (the year-end kinds), for cli_acct_write_raw:
 * its encoded body, the postings and summary to show, and its date, member and amount. */
struct cli_write {
    uint64_t kind;
    const uint8_t *body;
    size_t len;
    const struct proto_line *lines;
    size_t nlines;
    const char *summary;
    uint32_t date, member;
    uint64_t amount;
};
int cli_acct_write_raw(struct cli_acct *a, const struct cli_write *w);

/*
 * The item whose id starts with the hex prefix arg (at least 4 digits), among the accounting
 * items other than signs, of the given kind only unless kind is 0. Returns -1 when found (*idx),
 * else an exit code with the error printed (CLI_NEG none, CLI_USAGE a bad or ambiguous prefix).
 */
int cli_item_resolve(const struct books *bk, const char *cmd, const char *arg, uint32_t kind,
                     size_t *idx);
/*
 * Signs item idx as this device (kind 33: approval, or the member's countersignature; a
 * rejection with reject), after the checks of 'saksi approve' (written or signed by this device
 * already, a signature that would count for nothing, a void target), through cli_acct_write.
 * note may be NULL. Returns the exit code.
 */
int cli_acct_sign(struct cli_acct *a, size_t idx, bool reject, const char *note);

/* A member's balance on an account at the end of ymd, in the account's natural sign (assets
 * debit - credit; liabilities and equity credit - debit), from the effective postings. */
int64_t cli_books_balance(const struct books *bk, uint32_t member, uint32_t account, uint32_t ymd);
/* The first account of an account role under P (roles table, else the defaults of 1.3 over the
 * chart in force on ymd); 0 when none. */
uint32_t cli_role_account(const struct books *bk, const struct proto_params *P, uint8_t role,
                          uint32_t ymd);
/* The first savings product of a class under P, or NULL. */
const struct proto_savings_product *cli_product_of_class(const struct proto_params *P,
                                                         uint8_t savings_class);
/* "SP, SW, SS, SB12": the savings product codes of P. */
const char *cli_products_str(const struct proto_params *P, char *buf, size_t size);
/* An account argument: a code of the chart in force on ymd, of role cash under P. Prints a
 * refusal and returns -1 when not. */
int cli_acct_cash_arg(struct cli_acct *a, const struct proto_params *P, const char *arg,
                      uint32_t ymd, uint32_t *code);

/* What a waiting item lacks, as one phrase ("menunggu persetujuan 1 pengurus"); for other
 * statuses the status ("efektif", "tidak berlaku (authority)"). */
const char *cli_wait_str(const struct books_item *it, int lang, char *buf, size_t size);
/* Only what it lacks ("persetujuan 1 pengurus", "tanda tangan anggota 7"): for tables of
 * waiting items. */
const char *cli_wait_what(const struct books_item *it, int lang, char *buf, size_t size);
/* A finding as one sentence for the reader, without the code. */
const char *cli_finding_str(const struct books *bk, const struct books_finding *f, int lang,
                            char *buf, size_t size);

/* Text layout of the reports (cli/cmd_report.c): the display width of UTF-8 text, s in a
 * column of width (cut with "…", padded on the right, or on the left when right is set), and a
 * rule across the report width. */
size_t cli_text_width(const char *s);
void cli_col(const char *s, size_t width, bool right);
void cli_rule(void);

#endif
