/*
 * SHU (sisa hasil usaha) distribution as pure, exact integer arithmetic (KOPERASI.md section 5):
 * the allocation table ratified by the RAT, the split of a year's SHU across that table, and
 * the per-member shares of the two member pools, jasa modal (pro rata to each member's capital)
 * and jasa usaha (pro rata to each member's transactions). No I/O, no allocation, no floating
 * point: amounts are whole rupiah in int64_t, shares of the table are parts per million, and
 * every product goes through an exact 128-bit multiply-divide, so every replica computes the
 * same rupiah. Each rounding rule below is part of the contract.
 *
 * Errors, in the order they are checked: -EINVAL (a NULL pointer, an unknown rounding mode),
 * ERR_TOOBIG (more than PROTO_SHU_MEMBERS_MAX members), ERR_RULE (the table breaks a rule:
 * proto_shu_table_check() says which), ERR_AMOUNT (a negative SHU or pool: a loss, see
 * PROTO_SHU_ELOSS), then for each measure array in turn -EINVAL (a negative measure) and
 * -EOVERFLOW (the measures add up to more than INT64_MAX). Nothing ever wraps. On failure the
 * out-parameters are zeroed (each function says which).
 */
#ifndef SAKSI_PROTO_SHU_H
#define SAKSI_PROTO_SHU_H

#include <stddef.h>
#include <stdint.h>

#include "proto/err.h"

#define PROTO_SHU_PPM         1000000 /* 100 % in parts per million */
#define PROTO_SHU_PARTS_MAX   32
#define PROTO_SHU_NAME_MAX    64 /* bytes of UTF-8 in a part's name */
#define PROTO_SHU_MEMBERS_MAX 1000000

/*
 * A negative SHU is a loss (rugi). It is not distributed: there is nothing to share out, and
 * covering it (from the reserve, or as the RA decides) is a journal entry, not a split. Every
 * function here returns this code, and only for that reason.
 */
#define PROTO_SHU_ELOSS ERR_AMOUNT

/* What a part of the table is for. The two member parts are the only ones with a role. */
enum proto_shu_role {
    PROTO_SHU_ROLE_OTHER = 0, /* reserve or a fund: cadangan, dana pengurus, dana sosial, ... */
    PROTO_SHU_ROLE_MODAL = 1, /* jasa modal: members, pro rata to capital */
    PROTO_SHU_ROLE_USAHA = 2, /* jasa usaha: members, pro rata to transactions */
};

struct proto_shu_part {
    char name[PROTO_SHU_NAME_MAX + 1]; /* NUL-terminated; names are data ("Cadangan", ...) */
    uint8_t role;                      /* enum proto_shu_role */
    uint32_t ppm;                      /* 0..PROTO_SHU_PPM */
};

/* The allocation table (AD/ART, ratified at RAT). Part order matters: see the tie-break. */
struct proto_shu_table {
    uint32_t nparts;
    struct proto_shu_part parts[PROTO_SHU_PARTS_MAX];
};

/* The first rule a table breaks, in the order they are checked. */
enum proto_shu_problem_kind {
    PROTO_SHU_TABLE_OK = 0,
    PROTO_SHU_TABLE_NPARTS, /* nparts is 0 or above PROTO_SHU_PARTS_MAX */
    PROTO_SHU_TABLE_NAME_EMPTY,
    PROTO_SHU_TABLE_NAME_BAD,  /* not NUL-terminated in its array, not UTF-8, a control
                                * character, or a space at either end */
    PROTO_SHU_TABLE_ROLE,      /* not an enum proto_shu_role */
    PROTO_SHU_TABLE_PPM,       /* a share above PROTO_SHU_PPM */
    PROTO_SHU_TABLE_NAME_DUP,  /* two parts with the same name (ASCII case ignored) */
    PROTO_SHU_TABLE_SUM,       /* the shares do not add up to exactly PROTO_SHU_PPM */
    PROTO_SHU_TABLE_NO_MODAL,  /* no jasa modal part */
    PROTO_SHU_TABLE_TWO_MODAL, /* more than one */
    PROTO_SHU_TABLE_NO_USAHA,  /* no jasa usaha part */
    PROTO_SHU_TABLE_TWO_USAHA, /* more than one */
};

struct proto_shu_problem {
    int kind;       /* enum proto_shu_problem_kind */
    uint32_t part;  /* the offending part; for NAME_DUP and TWO_* the second of the pair */
    uint32_t other; /* for NAME_DUP and TWO_*: the first of the pair */
    uint64_t sum;   /* for SUM: what the shares add up to */
};

/*
 * Checks every rule of an allocation table: 1..PROTO_SHU_PARTS_MAX parts; each name non-empty,
 * NUL-terminated within its array, valid UTF-8 without control characters or a leading or
 * trailing space, and unique ignoring ASCII case ("Dana Sosial" and "dana sosial" would read as
 * one line in a report); each role known; each share 0..PROTO_SHU_PPM; the shares add up to
 * exactly PROTO_SHU_PPM (100 %); exactly one jasa modal and one jasa usaha part (either may be
 * 0 %). Returns 0 or ERR_RULE, and -EINVAL for a NULL t. If why is not NULL it says which rule
 * failed first (kind PROTO_SHU_TABLE_OK on success, and zeroed for -EINVAL).
 */
int proto_shu_table_check(const struct proto_shu_table *t, struct proto_shu_problem *why);

/* A static English description of an enum proto_shu_problem_kind ("?" for unknown ones). */
const char *proto_shu_problem_str(int kind);

/*
 * The index of the part with the given role (PROTO_SHU_ROLE_MODAL or _USAHA) in a checked table,
 * or -ENOENT; -EINVAL for a NULL t.
 */
int proto_shu_table_find(const struct proto_shu_table *t, uint8_t role);

/*
 * Splits shu (whole rupiah, >= 0) across the table: amount[i] is part i's share, and the amounts
 * add up to shu exactly. Rounding: each part first gets floor(shu * ppm_i / 10^6); the rupiah
 * left over (fewer than the number of parts) go one each to the parts with the largest
 * remainder (shu * ppm_i mod 10^6); among equal remainders the earlier part in the table wins.
 * A part with 0 ppm, or with an exact share, never gets one. amount[i] is 0 for i >= nparts.
 * shu = 0 gives all zeros; a negative shu is a loss: PROTO_SHU_ELOSS. Errors: -EINVAL, ERR_RULE,
 * PROTO_SHU_ELOSS; amount is zeroed on failure. Cannot overflow: shu * ppm fits in 128 bits.
 *
 * The table applies to whatever base the caller passes: KOPERASI.md 5.3 applies it to SHU_A, the
 * member-sourced SHU after tax (SHU from non-members is not distributed to members); choosing
 * that base belongs to the report, not here.
 */
int proto_shu_table_split(const struct proto_shu_table *t, int64_t shu,
                          int64_t amount[PROTO_SHU_PARTS_MAX]);

/* How a pool's rounding residual is handled. */
enum proto_shu_rounding {
    /*
     * The default (our spec): every member gets floor(pool * m_i / sum m), and the rupiah left
     * over are returned as the residual. Shares plus residual equal the pool exactly; the caller
     * books the residual to its own account (KOPERASI.md 5.3: to cadangan) and records it in the
     * SHU_COMPUTED entry. Never lost, never handed out silently.
     */
    PROTO_SHU_RESIDUAL = 0,
    /*
     * Largest remainder: the same floors, then the leftover rupiah go one each to the members
     * with the largest remainder (pool * m_i mod sum m); among equal remainders the earlier
     * member in the input wins, so callers pass members in a canonical order (ascending member
     * number) for every replica to agree. The residual is then 0, unless no member has a measure.
     */
    PROTO_SHU_LARGEST_REMAINDER = 1,
};

/* What a pool split did. Always pool == paid + residual. */
struct proto_shu_pool {
    int64_t pool;     /* the amount split */
    int64_t total;    /* sum of the measures (the denominator: sum S or sum T) */
    int64_t paid;     /* sum of the shares */
    int64_t residual; /* pool - paid: for the caller to book (0 after largest remainder) */
    int64_t bumped;   /* rupiah added by largest remainder (0 in residual mode) */
    uint32_t nonzero; /* members with a measure above 0 */
};

/*
 * Splits pool (rupiah, >= 0) among n members pro rata to measure[0..n) (each >= 0, any unit:
 * rupiah of average or year-end capital, rupiah-days of balance, rupiah of interest paid or of
 * purchases; the ratio is all that counts, so a time-weighted average can be passed as its
 * un-divided rupiah-days and lose nothing to rounding). share[i] belongs to measure[i], in input
 * order; nothing depends on pointer values or on any order but the input's.
 *
 * share[i] = floor(pool * measure[i] / total), exactly (128-bit product), then rounding per mode.
 * A member with measure 0 gets 0. If total is 0 (no members, or all measures 0) every share is 0
 * and the whole pool is the residual, in either mode. In residual mode the residual is below the
 * number of members with a nonzero measure (each floor drops less than one rupiah).
 *
 * n may be 0 (measure and share may then be NULL) and at most PROTO_SHU_MEMBERS_MAX. Errors:
 * -EINVAL (NULL pointers, unknown mode, a negative measure), ERR_TOOBIG, PROTO_SHU_ELOSS (pool
 * < 0), -EOVERFLOW (the measures add up to more than INT64_MAX). On failure *res is zeroed, and
 * so is share[0..n) unless share is NULL or n is above the maximum. res may be NULL.
 */
int proto_shu_pool_split(int64_t pool, const int64_t *measure, size_t n,
                         enum proto_shu_rounding mode, int64_t *share, struct proto_shu_pool *res);

/* The whole distribution for one year. */
struct proto_shu_result {
    int64_t amount[PROTO_SHU_PARTS_MAX]; /* proto_shu_table_split() of shu */
    struct proto_shu_pool modal;         /* the jasa modal pool over capital[] */
    struct proto_shu_pool usaha;         /* the jasa usaha pool over usage[] */
};

/*
 * KOPERASI.md 5.3 in one call: splits shu across the table (largest remainder, as
 * proto_shu_table_split), then the jasa modal part among the members pro rata to capital[i]
 * (S_i) into jm[i], and the jasa usaha part pro rata to usage[i] (T_i) into ju[i], both with
 * the given rounding mode. Member i's SHU is jm[i] + ju[i] (it cannot overflow: it is at most
 * shu). Everything is validated before anything is computed. Errors and zeroing as for
 * proto_shu_table_split() and proto_shu_pool_split(); res is required.
 */
int proto_shu_compute(const struct proto_shu_table *t, int64_t shu, const int64_t *capital,
                      const int64_t *usage, size_t n, enum proto_shu_rounding mode, int64_t *jm,
                      int64_t *ju, struct proto_shu_result *res);

#endif
