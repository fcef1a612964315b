/*
 * Fuzz target for proto/acct: the first input byte picks one of the fifteen kinds (17, 33, 40,
 * 41, 42, 48, 49, 56, 57, 58, 59, 50, 60, 61, 64, by its value modulo 15), the rest is decoded as
 * that kind's body. Decoding fails only with ERR_BODY (or -ENOMEM) and leaves its output zeroed;
 * whatever decodes passes proto_acct_check, encodes back to exactly the input, and posts lines that
 * are well-formed (accounts 1000..9999, exactly one side non-zero) and, for every kind but 17's
 * free lines, balance; the helpers agree with the body (kind 50's lines name only its rows'
 * members). Kinds 57, 58 and 61 post through a fixed application, with the sub-ledger bits taken
 * from the first byte (its value divided by 15); proto_acct_postings refuses them, and kind 64
 * (whose lines are its target's, mirrored: proto_acct_mirror of a fixed pattern must undo it line
 * by line).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/acct.h"
#include "proto/err.h"
#include "proto/ledger.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint32_t kinds[] = {
    PROTO_KIND_JOURNAL_A,   PROTO_KIND_SIGN,        PROTO_KIND_MEMBER_ADMIT,
    PROTO_KIND_MEMBER_EXIT, PROTO_KIND_EXIT_SETTLE, PROTO_KIND_DEPOSIT,
    PROTO_KIND_WITHDRAW,    PROTO_KIND_LOAN_APPLY,  PROTO_KIND_LOAN_DISBURSE,
    PROTO_KIND_LOAN_REPAY,  PROTO_KIND_LATE_FEE,    PROTO_KIND_INTEREST,
    PROTO_KIND_PROVISION,   PROTO_KIND_WRITE_OFF,   PROTO_KIND_REVERSE,
};

#define BORROWER 4000000000u

/* The application kinds 57, 58 and 61 post through. */
static void fill_app(struct proto_loan_apply *a)
{
    memset(a, 0, sizeof *a);
    a->borrower = BORROWER;
    a->date = 20250110;
    memcpy(a->product, "PU", 3);
    a->principal = 12000000;
    a->periods = 12;
    a->rate_ppm = 180000;
    a->method = PROTO_LOAN_FLAT;
    a->rounding.mode = PROTO_LOAN_ROUND_HALF_UP;
    a->rounding.unit = 100;
    a->receivable = 1200;
    a->interest = 4100;
    a->penalty = 4210;
    a->purpose = PROTO_PURPOSE_PRODUKTIF;
}

static bool zeroed(const void *p, size_t n)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < n; i++)
        if (b[i])
            return false;
    return true;
}

static void check_postings(const struct proto_acct_body *b, unsigned mask)
{
    static struct proto_line lines[PROTO_ACCT_LINES_MAX];
    static struct proto_loan_apply app;
    uint32_t accts[2 * PROTO_ACCT_OFFSETS_MAX];
    uint32_t who = proto_acct_member(b);
    bool loan = b->kind == PROTO_KIND_LOAN_DISBURSE || b->kind == PROTO_KIND_LOAN_REPAY ||
                b->kind == PROTO_KIND_WRITE_OFF;
    bool none = b->kind == PROTO_KIND_LOAN_APPLY || b->kind == PROTO_KIND_LATE_FEE;
    uint64_t dr = 0, cr = 0;
    int n;

    for (size_t i = 0; i < 2 * PROTO_ACCT_OFFSETS_MAX; i++)
        accts[i] = i % 2 ? 4100 : 1200;
    fill_app(&app);
    if (b->kind == PROTO_KIND_REVERSE) {
        static const struct proto_line pat[3] = {
            {1100, 0, 500000, 0}, {2100, 7, 0, 450000}, {4200, 0, 0, 50000}};

        if (proto_acct_postings(b, accts, lines, PROTO_ACCT_LINES_MAX) != -EINVAL ||
            proto_acct_loan_postings(b, &app, mask, NULL, 0) != -EINVAL ||
            proto_acct_mirror(pat, 3, lines, 3) != 3)
            abort();
        for (int i = 0; i < 3; i++)
            if (lines[i].account != pat[i].account || lines[i].member != pat[i].member ||
                lines[i].debit != pat[i].credit || lines[i].credit != pat[i].debit)
                abort();
        return;
    }
    if (loan) {
        if (proto_acct_postings(b, accts, lines, PROTO_ACCT_LINES_MAX) != -EINVAL)
            abort();
        n = proto_acct_loan_postings(b, &app, mask, lines, PROTO_ACCT_LINES_MAX);
        if (proto_acct_loan_postings(b, &app, mask, NULL, 0) != n)
            abort();
        who = BORROWER;
    } else {
        n = proto_acct_postings(b, accts, lines, PROTO_ACCT_LINES_MAX);
        if (proto_acct_postings(b, accts, NULL, 0) != n)
            abort();
        if (none ? proto_acct_loan_postings(b, NULL, mask, NULL, 0) != 0
                 : proto_acct_loan_postings(b, &app, 0, NULL, 0) != -EINVAL)
            abort();
    }
    if (n < 0 || n > PROTO_ACCT_LINES_MAX)
        abort();
    if ((b->kind == PROTO_KIND_SIGN || none) && n != 0)
        abort();
    if ((b->kind == PROTO_KIND_PROVISION || b->kind == PROTO_KIND_WRITE_OFF) &&
        (n != 2 || lines[0].debit != proto_acct_amount(b)))
        abort();
    for (int i = 0; i < n; i++) {
        const struct proto_line *l = &lines[i];

        if (l->account < 1000 || l->account > 9999 || (l->debit == 0) == (l->credit == 0))
            abort();
        if (b->kind == PROTO_KIND_INTEREST) {
            if (l->member != 0 && !proto_acct_interest_row(&b->u.interest, l->member))
                abort();
        } else if (b->kind != PROTO_KIND_JOURNAL_A && l->member != 0 && l->member != who) {
            abort();
        }
        dr += l->debit;
        cr += l->credit;
    }
    if (b->kind != PROTO_KIND_JOURNAL_A && dr != cr)
        abort();
    if (b->kind == PROTO_KIND_INTEREST && (dr != proto_acct_amount(b) || dr > PROTO_AMOUNT_MAX))
        abort();
}

static void check_helpers(const struct proto_acct_body *b)
{
    static uint32_t subj[PROTO_LINES_MAX];
    uint32_t date = proto_acct_date(b), csign = proto_acct_csign_subject(b);
    size_t ns = proto_acct_subjects(b, subj, PROTO_LINES_MAX);
    uint64_t payout;

    if (b->kind == PROTO_KIND_SIGN ? date != 0 : !proto_date_valid(date))
        abort();
    if (ns > PROTO_LINES_MAX)
        abort();
    for (size_t i = 1; i < ns; i++)
        if (subj[i - 1] >= subj[i])
            abort();
    if (b->kind != PROTO_KIND_JOURNAL_A &&
        (ns != (proto_acct_member(b) ? 1u : 0u) || (ns && subj[0] != proto_acct_member(b))))
        abort();
    if (csign != 0 && csign != proto_acct_member(b))
        abort();
    if (b->kind == PROTO_KIND_EXIT_SETTLE) {
        if (proto_acct_payout(&b->u.settle, &payout) != 0 || (csign != 0) != (payout > 0))
            abort();
    }
    /* 57..59 and 61 name the loan, not the borrower; 60 is a bulk kind. */
    if (b->kind >= PROTO_KIND_LOAN_DISBURSE && (ns != 0 || csign != 0))
        abort();
    if (b->kind >= PROTO_KIND_LOAN_APPLY &&
        (b->kind == PROTO_KIND_REVERSE) != (proto_acct_amount(b) == 0))
        abort(); /* (64's amount is its target's: the body alone has none) */
    (void)proto_acct_amount(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct proto_acct_body b;
    struct proto_buf e;
    uint32_t kind;
    unsigned mask;
    int rc;

    if (size < 1)
        return 0;
    kind = kinds[data[0] % (sizeof kinds / sizeof kinds[0])];
    mask = (unsigned)(data[0] / (sizeof kinds / sizeof kinds[0])) & 0x1f;
    data++;
    size--;
    memset(&b, 0xee, sizeof b);
    rc = proto_acct_decode(kind, data, size, &b);
    if (rc < 0) {
        if (rc != ERR_BODY && rc != -ENOMEM)
            abort();
        if (!zeroed(&b, sizeof b))
            abort();
        return 0;
    }
    if (rc != 0 || b.kind != kind || proto_acct_check(&b) != 0)
        abort();
    proto_buf_init(&e);
    rc = proto_acct_encode(&b, &e);
    if (rc == -ENOMEM) {
        proto_buf_release(&e);
        return 0;
    }
    if (rc != 0 || e.len != size || memcmp(e.data, data, size) != 0)
        abort();
    proto_buf_release(&e);
    check_postings(&b, mask);
    check_helpers(&b);
    return 0;
}
