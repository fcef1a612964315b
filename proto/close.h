/*
 * Bodies of the year-end kinds (docs/ACCOUNTING.md 3.3, 3.4, 3.10): resolution (34), close (35),
 * frontier-part (36), shu-allocate (72) and shu-pay (73); the frontier digest (10.2); and the
 * postings of 35, 72 and 73. Pure functions, no I/O.
 *
 * They live apart from proto/acct.h because their bodies are large (a close names up to 1 000
 * feeds and 1 000 closing lines, an allocation up to 2 000 members): each is decoded into its
 * own heap struct, never into struct proto_acct_body. Same conventions as acct.h otherwise:
 * fixed-arity canonical msgpack arrays, every departure from the format is ERR_BODY (the entry
 * is `malformed`, decision D2), amounts whole rupiah, dates YYYYMMDD, memos at most
 * PROTO_ACCT_MEMO_MAX bytes of UTF-8 without NUL.
 */
#ifndef SAKSI_PROTO_CLOSE_H
#define SAKSI_PROTO_CLOSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/acct.h"
#include "proto/buf.h"
#include "proto/shu.h"

enum proto_close_kind {
    PROTO_KIND_RESOLUTION = 34,
    PROTO_KIND_CLOSE = 35,
    PROTO_KIND_FRONTIER_PART = 36,
    PROTO_KIND_SHU_ALLOCATE = 72,
    PROTO_KIND_SHU_PAY = 73,
};

#define PROTO_RES_DECISIONS_MAX   16
#define PROTO_CLOSE_ROWS_MAX      1000 /* frontier rows inline in a close */
#define PROTO_CLOSE_PARTS_MAX     64   /* frontier-part ids in a close */
#define PROTO_CLOSE_PART_ROWS_MAX 1200 /* rows in one frontier-part */
#define PROTO_CLOSE_LINES_MAX     1000 /* closing lines */
#define PROTO_CLOSE_DIGESTS_MAX   16
#define PROTO_CLOSE_TYPE_MAX      15 /* bytes of a report type name ("shu-members") */
#define PROTO_SHU_ROWS_MAX        2000 /* members in one shu-allocate part */
#define PROTO_SHU_ALLOC_PARTS_MAX 64   /* shu-allocate parts of one close */

/* ---- resolution (34) = [date, meeting, decisions, minutes, memo] ---- */

enum proto_meeting { PROTO_MEETING_RAT = 1, PROTO_MEETING_RALB = 2, PROTO_MEETING_OTHER = 3 };

enum proto_decision_type {
    PROTO_DECIDE_RATIFY = 1,   /* accept the LPJ and ratify a close's statements (target: close) */
    PROTO_DECIDE_SHU = 2,      /* the SHU allocation of a close (target: close; table or nil) */
    PROTO_DECIDE_PARAMS = 3,   /* adopt a params version (target: params entry) */
    PROTO_DECIDE_WRITEOFF = 4, /* write off a loan (target: loan id) */
    PROTO_DECIDE_OTHER = 5,    /* anything else (no target; data: digest of the motion text) */
};

enum proto_outcome { PROTO_OUTCOME_ADOPTED = 1, PROTO_OUTCOME_REJECTED = 2 };

/* decision = [type, target|nil, outcome, tally, data]
 * tally = [eligible, present, for, against, abstain] (present <= eligible, for + against +
 * abstain <= present); data: type 2 nil or a table in the params' shu.parts format
 * ([[name, role, ppm, account]...], 1..32 rows); type 5 bin(32); other types nil. Types 1-4 need
 * a target, type 5 has none. */
struct proto_decision {
    uint8_t type;    /* enum proto_decision_type */
    bool has_target; /* types 1-4 */
    uint8_t target[32];
    uint8_t outcome; /* enum proto_outcome */
    uint32_t eligible, present, votes_for, against, abstain;
    bool has_table; /* type 2 with a table */
    uint32_t nparts;
    struct proto_params_shu_part parts[PROTO_SHU_PARTS_MAX];
    bool has_motion; /* type 5 */
    uint8_t motion[32];
};

struct proto_resolution {
    uint32_t date;
    uint8_t meeting; /* enum proto_meeting */
    uint32_t ndecisions;
    struct proto_decision decisions[PROTO_RES_DECISIONS_MAX];
    bool has_minutes;
    uint8_t minutes[32];
    char memo[PROTO_ACCT_MEMO_MAX + 1];
};

/* ---- close (35) and frontier-part (36) ---- */

/* A feed of the frontier: its author and how many entries of it the close covers (>= 1). */
struct proto_frontier_row {
    uint8_t author[32];
    uint64_t length;
};

/* A closing line: a revenue or expense account's movement over the period (debit - credit,
 * excluding closing postings), never 0. */
struct proto_close_line {
    uint32_t account;
    int64_t amount; /* |amount| <= PROTO_AMOUNT_MAX */
};

struct proto_close_digest {
    char type[PROTO_CLOSE_TYPE_MAX + 1]; /* report type: "neraca", "lhu", ... (1..15 bytes) */
    uint8_t digest[32];
};

/* jm, ju = [pool, total, paid, residual]: a member pool, the sum of its members' measures, the
 * shares paid out and the residual (paid + residual = pool). */
struct proto_close_pool {
    int64_t pool;
    uint64_t total;
    int64_t paid, residual;
};

/* shu = [before_tax, tax, after_tax, nonmember, member, parts, jm, ju, members_root]
 * parts: array(0..32) of [ppm, amount]. */
struct proto_close_shu {
    int64_t before_tax, tax, after_tax, nonmember, member;
    uint32_t nparts;
    uint32_t part_ppm[PROTO_SHU_PARTS_MAX];
    int64_t part_amount[PROTO_SHU_PARTS_MAX];
    struct proto_close_pool jm, ju;
    bool has_root;
    uint8_t members_root[32];
};

/* close = [year, start, end, date, frontier, accounts, closing, roll, digests, shu]
 * frontier = [digest, rows, parts]; accounts = [current, retained]; closing: ascending account;
 * digests: [[type, bin(32)]...], 1..16, types distinct. start <= end < date is NOT a format rule
 * (a close dated on or before end is the finding close-early); start <= end is. */
struct proto_close {
    uint32_t year;
    uint32_t start, end, date;
    uint8_t frontier_digest[32];
    uint32_t nrows;
    struct proto_frontier_row rows[PROTO_CLOSE_ROWS_MAX]; /* strictly ascending by author */
    uint32_t nparts;
    uint8_t parts[PROTO_CLOSE_PARTS_MAX][32]; /* frontier-part ids, strictly ascending */
    uint32_t current, retained;               /* accounts (3500, 3510 in the standard chart) */
    uint32_t nlines;
    struct proto_close_line lines[PROTO_CLOSE_LINES_MAX];
    int64_t roll; /* |roll| <= PROTO_AMOUNT_MAX */
    uint32_t ndigests;
    struct proto_close_digest digests[PROTO_CLOSE_DIGESTS_MAX];
    struct proto_close_shu shu;
};

/* frontier-part = [rows], rows 1..1200, strictly ascending by author. */
struct proto_frontier_part {
    uint32_t nrows;
    struct proto_frontier_row rows[PROTO_CLOSE_PART_ROWS_MAX];
};

/* ---- shu-allocate (72) and shu-pay (73) ---- */

struct proto_shu_fund {
    uint32_t index; /* into the allocation table */
    uint32_t account;
    uint64_t amount;
};

struct proto_shu_row {
    uint32_t member;
    uint64_t jm, ju;
};

/* shu-allocate = [year, close, resolution, date, part, parts, source_account, payable_account,
 *                 funds, rows, memo]
 * part < parts <= 64; funds only in part 0 (else ERR_BODY), 0..32 rows; rows 0..2000, member
 * strictly ascending; at least one fund or row. */
struct proto_shu_allocate {
    uint32_t year;
    uint8_t close[32];
    uint8_t resolution[32];
    uint32_t date;
    uint32_t part, parts;
    uint32_t source_account, payable_account;
    uint32_t nfunds;
    struct proto_shu_fund funds[PROTO_SHU_PARTS_MAX];
    uint32_t nrows;
    struct proto_shu_row rows[PROTO_SHU_ROWS_MAX];
    char memo[PROTO_ACCT_MEMO_MAX + 1];
};

/* shu-pay = [member, date, year, amount, payable_account, to_account, memo], amount >= 1. */
struct proto_shu_pay {
    uint32_t member;
    uint32_t date;
    uint32_t year;
    uint64_t amount;
    uint32_t payable_account, to_account;
    char memo[PROTO_ACCT_MEMO_MAX + 1];
};

/* Each decodes into *out (overwritten whole; all zero on failure): 0, ERR_BODY, -ENOMEM. */
int proto_resolution_decode(const uint8_t *body, size_t len, struct proto_resolution *out);
int proto_close_decode(const uint8_t *body, size_t len, struct proto_close *out);
int proto_frontier_part_decode(const uint8_t *body, size_t len, struct proto_frontier_part *out);
int proto_shu_allocate_decode(const uint8_t *body, size_t len, struct proto_shu_allocate *out);
int proto_shu_pay_decode(const uint8_t *body, size_t len, struct proto_shu_pay *out);

/* Each encodes canonically (decode of the bytes gives the struct back when it passes the
 * matching check); not checked otherwise, so tests can encode bad bodies. -ENOMEM, or -EINVAL
 * for a count above its array's capacity. */
int proto_resolution_encode(const struct proto_resolution *r, struct proto_buf *out);
int proto_close_encode(const struct proto_close *c, struct proto_buf *out);
int proto_frontier_part_encode(const struct proto_frontier_part *p, struct proto_buf *out);
int proto_shu_allocate_encode(const struct proto_shu_allocate *a, struct proto_buf *out);
int proto_shu_pay_encode(const struct proto_shu_pay *p, struct proto_buf *out);

/* The format rules on a decoded or hand-built struct: 0 or ERR_BODY. */
int proto_resolution_check(const struct proto_resolution *r);
int proto_close_check(const struct proto_close *c);
int proto_frontier_part_check(const struct proto_frontier_part *p);
int proto_shu_allocate_check(const struct proto_shu_allocate *a);
int proto_shu_pay_check(const struct proto_shu_pay *p);

/*
 * The frontier digest (ACCOUNTING.md 10.2):
 *   SHA-256("saksi-frontier-v1\0" || for each feed ascending by author: author || u64be length
 *           || id of the entry at that length)
 * over n feeds given as rows (strictly ascending by author, length >= 1) and their ids.
 * -EINVAL when rows are not strictly ascending or a length is 0.
 */
int proto_frontier_digest(const struct proto_frontier_row *rows, const uint8_t (*ids)[32],
                          size_t n, uint8_t out[32]);

/*
 * Postings (ACCOUNTING.md 3.4, 3.10), same return convention as proto_acct_postings (the count,
 * which may exceed max; -EINVAL if the body fails its check or out is NULL with max > 0):
 *   close (35): for each closing line [a, x]: x > 0 Cr a x, x < 0 Dr a -x; then the balancing
 *     line on `current` (Cr for a surplus, Dr for a deficit; left out when 0); then the roll:
 *     Dr current roll / Cr retained roll (reversed when negative; left out when 0). No member.
 *   shu-allocate (72): Dr source (sum of funds + sum of jm + ju); Cr each fund's account its
 *     amount (no member); Cr payable(member) jm + ju for each row (member set).
 *   shu-pay (73): Dr payable(member) amount / Cr to_account amount, on the member's sub-ledger
 *     when to_sub is set (savings), else no member (cash).
 */
int proto_close_postings(const struct proto_close *c, struct proto_line *out, size_t max);
int proto_shu_allocate_postings(const struct proto_shu_allocate *a, struct proto_line *out,
                                size_t max);
int proto_shu_pay_postings(const struct proto_shu_pay *p, bool to_sub, struct proto_line *out,
                           size_t max);

/* The sum that 72's source line debits: sum(funds) + sum(jm + ju). */
uint64_t proto_shu_allocate_total(const struct proto_shu_allocate *a);

#endif
