/*
 * The year-end computations that tie the close (kind 35) and the SHU allocation (kind 72) to the
 * reports (docs/ACCOUNTING.md 3.4, 3.10, 4.5): what a close must state, computed by its author,
 * and the same computation repeated by every reader over the set the close closed, so that a
 * close or an allocation whose figures or digests are not the ledger's own is a finding
 * (close-mismatch, digest-mismatch, shu-mismatch) on every replica alike.
 *
 * Pure functions of the books; integer arithmetic only.
 */
#ifndef SAKSI_PROTO_YEAREND_H
#define SAKSI_PROTO_YEAREND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/books.h"
#include "proto/close.h"

/* The report types a close states digests of, in the (bytewise ascending) order it lists them. */
#define YEAREND_NDIGESTS 7
extern const char *const yearend_digest_types[YEAREND_NDIGESTS];

/*
 * The figures of a close of [c->start, c->end] over the books bk (c->current and c->retained
 * set by the caller): the closing lines (each revenue and expense account's movement over the
 * period, closing postings excluded), the roll (the SHU of earlier years still on `current` at
 * the period's end, before this close: it moves to `retained`) and the SHU block (the LHU's
 * figures and proposal, the member pools and the members' root of shu-members with the
 * parameters' table; pools and root left zero when there is nothing to share or no table).
 * The frontier and digests are not touched. -ENOMEM; ERR_TOOBIG past PROTO_CLOSE_LINES_MAX
 * accounts.
 */
int yearend_close_figures(const struct books *bk, struct proto_close *c);

/* The digests of the period's reports at as_of = c->end over bk (the books of the closed set,
 * the close taken as effective: books_force_close), into c->digests. -ENOMEM. */
int yearend_close_digests(const struct books *bk, struct proto_close *c);

/*
 * The SHU rows a shu-allocate of close item `close` must carry, from shu-members over the
 * closed set with the table the resolution adopted (table NULL: the parameters'). *rows:
 * malloc'd, ascending member, only members with jm + ju > 0; funds (room for PROTO_SHU_PARTS_MAX):
 * one per role-0 part with an amount (the residual part also takes the non-member SHU and both
 * pools' residuals, so funds and rows add up to the SHU after tax), its account from
 * accounts[part index] (NULL: the parameters'). Errors of report_shu_members.
 */
int yearend_shu_rows(const struct books *closed, const struct books_close *cl,
                     const struct proto_shu_table *table, const uint32_t *accounts,
                     struct proto_shu_row **rows, size_t *n, struct proto_shu_fund *funds,
                     uint32_t *nfunds);

/* The SHU table an adopted type-2 decision of resolution item r names for close id (false:
 * none; *has_table false: the parameters' table). */
bool yearend_resolution_table(const struct books *bk, size_t r, const uint8_t close[32],
                              struct proto_shu_table *table, bool *has_table);

/* The account of each part of the allocation table: the table of resolution item r's adopted
 * SHU decision on close cl (the one yearend_resolution_table takes), or the parameters' in
 * force on the period's end in the closed set. */
void yearend_part_accounts(const struct books *bk, size_t r, const struct books_close *cl,
                           uint32_t accounts[PROTO_SHU_PARTS_MAX]);

/*
 * Checks every effective close and SHU allocation of bk against the recomputation over the
 * set each close closed, adding close-mismatch, digest-mismatch and shu-mismatch findings to
 * bk (books_add_finding). Run once, after books_derive. -ENOMEM.
 */
int yearend_check(struct books *bk);

#endif
