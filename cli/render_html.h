/*
 * The HTML form of the reports (docs/ACCOUNTING.md 6.11): one standalone page with an inline
 * style sheet (A4 print rules, tabular numbers), no scripts, fonts or external resources, every
 * text escaped, inline SVG charts (the SHU allocation as one stacked bar, the loan portfolio per
 * collectibility class, the cash flow per activity) and a footer with the ledger id, each
 * report's as-of date, basis, digest and fingerprint, and the saksi version.
 *
 * The page is rendered from the same JSON documents that --json prints (the envelope of
 * cli/cmd_report.c: type, ledger_id, digest, fingerprint, as_of, start, end, basis, data,
 * labels), so that the HTML and the JSON of one run can never disagree, and this file knows
 * nothing of the books or the report structs. Known types get their own layout (neraca,
 * statement, loans, pending, findings, lhu, equity, cashflow, shu-members); any other type is
 * shown as a plain table of its data. Labels come from the document's "labels", else from
 * cli/i18n.c. Every figure is an integer; chart geometry is in integer per-mille.
 */
#ifndef SAKSI_CLI_RENDER_HTML_H
#define SAKSI_CLI_RENDER_HTML_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Writes the page holding reports[0..n) in that order to f. org is the koperasi's name for the
 * heading (may be NULL); lang is CLI_LANG_ID or CLI_LANG_EN. Borrows everything. Returns 0,
 * -EINVAL when n is 0 or a report is not an object with a "type", or -EIO when writing to f
 * failed.
 */
int cli_html_write(FILE *f, const char *org, json_t *const *reports, size_t n, int lang);

/*
 * The same page written to path atomically: rendered in memory, then a temporary file next to
 * path, fsync, rename (cli_file_write), mode 0644 before the umask. Returns 0 or the error of
 * cli_html_write, -ENOMEM or the -errno of the write; on failure path is untouched and no
 * temporary file is left.
 */
int cli_html_file(const char *path, const char *org, json_t *const *reports, size_t n, int lang);

#endif
