/*
 * The text form of a parameter version (docs/ACCOUNTING.md 1.6), for `saksi init`, `saksi params
 * template`, `show` and `propose`: UTF-8 text, one `key = value` per line, `#` comments (at the
 * start of a line or after a blank), blank lines ignored. The parser starts from
 * proto_params_default() and applies the lines in order; it checks syntax and ranges only (the
 * caller runs proto_params_check() against the chart it knows). Lines, one per key unless marked
 * "repeats" (the first line of a repeating kind replaces the template's whole list; the value
 * `tidak ada` or `none` sets that list empty):
 *
 *   adopted = YYYY-MM-DD                  (default: effective)
 *   effective = YYYY-MM-DD                (required)
 *   pokok = AMOUNT                        amounts: 100000, 100.000 or Rp100.000; 0 allowed
 *   wajib = AMOUNT [/ [N] bulan]          N 1..12 (default 1)
 *   refund-days = N | wait-days = N       0..3650
 *   calon-allowed | params-need-rat | writeoff-need-rat = ya | tidak
 *   savings = CODE CLASS ACCOUNT [OPT...]                                          (repeats)
 *       CLASS pokok|wajib|sukarela|berjangka|khusus; OPT bunga=PCT/tahun|/bulan,
 *       metode=tanpa|terendah|harian|jangka (default jangka for berjangka with bunga, else
 *       tanpa), min=AMOUNT, pajak=PCT[>AMOUNT], jangka=MONTHS, denda-putus=PCT, beban=ACCOUNT
 *   loan = CODE flat|menurun|anuitas PCT/bulan|/tahun OPT...                       (repeats)
 *       OPT tenor=MIN..MAX and plafon=MIN..MAX (both required), admin=|provisi=|biaya=
 *       PCT|AMOUNT[@ACCOUNT] (a fee each, account 4200 by default), denda=PCT/hari|/bulan,
 *       tenggang=DAYS, kelipatan=PCT, akun=RECEIVABLE,INTEREST,PENALTY
 *   rounding = half-up|down|up UNIT
 *   author KIND = ROLE,ROLE... | tidak ada                                         (repeats)
 *   approve KIND >= AMOUNT : N pengurus [+ M pengawas] [+ ketua|sekretaris|bendahara]
 *                                                                                  (repeats)
 *   officer-extra = N pengurus [+ M pengawas] | tidak ada
 *   countersign KIND = anggota | anggota-atau-pengawas | tidak ada                  (repeats)
 *   bucket = lancar|kurang-lancar|diragukan|macet MIN..[MAX] PCT                   (repeats)
 *   shu = NAME PCT ACCOUNT [modal|usaha] [sisa]                                    (repeats)
 *       exactly one part is marked `sisa` (it receives residuals)
 *   shu-capital = saldo|waktu ACCOUNT,...  shu-usage = jasa|pinjaman ACCOUNT,...
 *   shu-eligibility = aktif|berpartisipasi  shu-mode = sisa|terbesar
 *   shu-nonmember = ACCOUNT,... | tidak ada
 *   fy-start-month = 1..12  rat-months = 1..12  quorum = PCT
 *   add-account = CODE A|CA|L|E|R|X yes|no NAME                                    (repeats)
 *   role ROLE = ACCOUNT,...   (ROLE kas, pinjaman-anggota, ... or 1..22)           (repeats)
 *   lhu = ACCOUNT SECTION     cashflow = FROM..TO operasi|investasi|pendanaan|lain LINE
 *                                                                                  (repeats)
 * KIND is a kind name (journal-a, params, resolution, close, member-admit, member-exit,
 * exit-settle, deposit, withdraw, interest, loan-apply, loan-disburse, loan-repay, late-fee,
 * provision, write-off, reverse, shu-allocate, shu-pay, ...) or a number; PCT is a percentage
 * with at most 4 decimals, `1,5%` or `1.5%` (exact ppm).
 */
#ifndef SAKSI_PROTO_PARAMS_TEXT_H
#define SAKSI_PROTO_PARAMS_TEXT_H

#include <stddef.h>

#include "proto/buf.h"
#include "proto/params.h"

#define PROTO_PARAMS_TEXT_MAX (1u << 20) /* a parameter file is small: refuse anything larger */

/*
 * Parses text[0..len) (need not be NUL-terminated) into *p. name is the file name used in
 * messages. On success 0. On a mistake ERR_CONFIG with "NAME:LINE: what is wrong" (or "NAME:
 * what is wrong" when no line is to blame) in err (errlen bytes, always NUL-terminated when
 * errlen > 0); -ENOMEM; -EINVAL for NULL arguments. *p is zeroed on failure.
 */
int proto_params_text_parse(const char *name, const char *text, size_t len, struct proto_params *p,
                            char *err, size_t errlen);

/*
 * Appends the text form of p to out, such that proto_params_text_parse() gives back p exactly.
 * -EINVAL when p cannot be written that way: a count beyond its array, fmt other than
 * PROTO_PARAMS_FMT, a value outside the tables of the text form (an unknown class, method,
 * role, ...), a name with a blank at either end or a " #" inside (it would read as a comment),
 * or a shu_residual_part that names no part. -ENOMEM. out is unchanged on failure.
 */
int proto_params_text_write(const struct proto_params *p, struct proto_buf *out);

#endif
