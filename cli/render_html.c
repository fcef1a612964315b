/*
 * The HTML page of the reports (docs/ACCOUNTING.md 6.11), rendered from the --json documents
 * of cli/cmd_report.c. Everything the reader sees goes through esc(); amounts are formatted
 * with cli_rupiah_signed (negatives "-Rp1.234", in the member statement "(Rp1.234)"), dates as
 * "31 Desember 2025" in headings and DD-MM-YYYY in tables, percentages from ppm. The charts are
 * inline SVG whose geometry is integer per-mille of the largest figure; a chart never carries a
 * figure alone: the same numbers are in the tables and legends, so the page reads the same in
 * black and white.
 */
#include "cli/render_html.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/i18n.h"

#define GENERIC_DEPTH 6 /* nesting shown by the fallback renderer */

struct html {
    FILE *f;
    int lang;
    const json_t *doc, *data, *labels;
    bool parens; /* negatives as (Rp1.234): the member statement */
};

/* ---- output ---- */

static void put(struct html *h, const char *s)
{
    fputs(s, h->f);
}

/* Text for an element or an attribute value: & < > " ' become entities. */
static void esc(struct html *h, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            put(h, "&amp;");
            break;
        case '<':
            put(h, "&lt;");
            break;
        case '>':
            put(h, "&gt;");
            break;
        case '"':
            put(h, "&quot;");
            break;
        case '\'':
            put(h, "&#39;");
            break;
        default:
            fputc(*s, h->f);
        }
    }
}

/* open, the escaped text, close. */
static void elem(struct html *h, const char *open, const char *text, const char *close)
{
    put(h, open);
    esc(h, text);
    put(h, close);
}

static void th(struct html *h, const char *text, bool num)
{
    elem(h, num ? "<th class=\"num\">" : "<th>", text, "</th>");
}

static void td(struct html *h, const char *text)
{
    elem(h, "<td>", text, "</td>");
}

static void td_num(struct html *h, const char *text)
{
    elem(h, "<td class=\"num\">", text, "</td>");
}

/* ---- reading the document ---- */

static const json_t *jget(const json_t *o, const char *key)
{
    return json_is_object(o) ? json_object_get(o, key) : NULL;
}

static const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(jget(o, key));
}

/* An integer as --json writes it: a number, or a decimal string above 2^53. */
static bool jnum(const json_t *v, int64_t *out)
{
    const char *s;
    char *end;

    if (json_is_integer(v)) {
        *out = (int64_t)json_integer_value(v);
        return true;
    }
    s = json_string_value(v);
    if (!s || !*s || strspn(s, "-0123456789") != strlen(s))
        return false;
    errno = 0;
    *out = strtoll(s, &end, 10);
    return errno == 0 && *end == '\0';
}

static int64_t jint(const json_t *o, const char *key)
{
    int64_t v = 0;

    (void)jnum(jget(o, key), &v);
    return v;
}

/* The label of key: the document's labels, else cli/i18n.c's table, else the key. */
static const char *lab(const struct html *h, const char *key)
{
    const char *s = jstr(h->labels, key);

    return s ? s : cli_label(h->lang, key);
}

/* The document's label of key, else one of two words of this file. */
static const char *lab2(const struct html *h, const char *key, const char *id, const char *en)
{
    const char *s = jstr(h->labels, key);

    return s ? s : CLI_TR(h->lang, id, en);
}

/* labels[group][key], e.g. labels.accounts["1100"]; NULL when absent. */
static const char *sublab(const struct html *h, const char *group, int64_t key)
{
    char k[24];

    snprintf(k, sizeof k, "%" PRId64, key);
    return jstr(jget(h->labels, group), k);
}

/* ---- formatting ---- */

static const char *fmt_money(const struct html *h, const json_t *v, char *buf)
{
    int64_t x;
    const char *s = json_string_value(v);

    if (jnum(v, &x))
        return cli_rupiah_signed(x, h->parens, buf);
    if (s && strspn(s, "0123456789") == strlen(s) && *s) /* above INT64_MAX: unsigned */
        return cli_rupiah(strtoull(s, NULL, 10), buf);
    return "-";
}

static const char *fmt_amount(const struct html *h, int64_t v, char *buf)
{
    return cli_rupiah_signed(v, h->parens, buf);
}

static void td_money(struct html *h, const json_t *v)
{
    char r[40];

    td_num(h, fmt_money(h, v, r));
}

static void td_amount(struct html *h, int64_t v)
{
    char r[40];

    td_num(h, fmt_amount(h, v, r));
}

static const char *fmt_int(int64_t v, char *buf)
{
    snprintf(buf, 24, "%" PRId64, v);
    return buf;
}

static const char *fmt_ppm(const struct html *h, int64_t ppm, char *buf)
{
    if (ppm < 0 || ppm > UINT32_MAX) {
        snprintf(buf, 24, "-");
        return buf;
    }
    return cli_ppm_str((uint32_t)ppm, h->lang, buf);
}

/* A JSON date "YYYY-MM-DD" as DD-MM-YYYY (tables) or "31 Desember 2025" (headings); "-" when
 * null or not a date. */
static const char *fmt_date(const struct html *h, const json_t *v, bool long_form, char *buf)
{
    const char *s = json_string_value(v);
    uint32_t ymd;

    if (!s || cli_date_parse(s, &ymd) < 0)
        return "-";
    return long_form ? cli_date_long(ymd, h->lang, buf) : cli_date_dmy(ymd, buf);
}

/* The first 8 hex digits of an id, with the whole id as a tooltip. */
static void td_id(struct html *h, const json_t *v)
{
    const char *s = json_string_value(v);
    char shortid[9];

    if (!s) {
        td(h, "-");
        return;
    }
    snprintf(shortid, sizeof shortid, "%s", s);
    put(h, "<td class=\"mono\" title=\"");
    esc(h, s);
    put(h, "\">");
    esc(h, shortid);
    put(h, "</td>");
}

/* v * width / max in integers, for chart geometry; 0 when max is 0 or v negative. */
static uint64_t scale(int64_t v, int64_t max, uint64_t width)
{
    uint64_t a, m;

    if (v <= 0 || max <= 0)
        return 0;
    a = (uint64_t)v;
    m = (uint64_t)max;
    if (a > m)
        a = m;
    while (m > UINT64_MAX / width) {
        a >>= 1;
        m >>= 1;
    }
    return m ? a * width / m : 0;
}

/* ---- charts ---- */

static const char *const palette[] = {"#2f6f9f", "#d08c2c", "#5a9e4b", "#b5483b",
                                      "#7d5ba6", "#8a6d3b", "#3f9c9c", "#c25f9a"};
#define NPALETTE (sizeof palette / sizeof palette[0])

static void swatch(struct html *h, const char *color)
{
    fprintf(h->f,
            "<svg class=\"sw\" viewBox=\"0 0 10 10\" aria-hidden=\"true\"><rect width=\"10\" "
            "height=\"10\" fill=\"%s\"/></svg>",
            color);
}

/*
 * The SHU allocation as one 100 % stacked bar with a legend: parts is an array of {index, ppm,
 * amount}; names from labels.parts[index]. Widths are per-mille of the total amount (of the
 * ppm when every amount is 0), cumulative so that they add up to exactly 1000.
 */
static void chart_parts(struct html *h, const json_t *parts, const char *title)
{
    int64_t total = 0, cum = 0;
    bool by_ppm = false;
    size_t i;
    const json_t *p;
    char r[40], pct[24], num[24];

    if (!json_is_array(parts) || json_array_size(parts) == 0)
        return;
    json_array_foreach(parts, i, p) total += jint(p, "amount") > 0 ? jint(p, "amount") : 0;
    if (total == 0) {
        by_ppm = true;
        json_array_foreach(parts, i, p) total += jint(p, "ppm") > 0 ? jint(p, "ppm") : 0;
    }
    put(h, "<figure class=\"chart\">\n<svg class=\"stack\" viewBox=\"0 0 1000 40\" role=\"img\" "
           "aria-label=\"");
    esc(h, title);
    put(h, "\"><title>");
    esc(h, title);
    put(h, "</title>\n");
    json_array_foreach(parts, i, p)
    {
        int64_t v = jint(p, by_ppm ? "ppm" : "amount");
        uint64_t x0 = scale(cum, total, 1000), x1;
        const char *name = sublab(h, "parts", jint(p, "index"));

        cum += v > 0 ? v : 0;
        x1 = scale(cum, total, 1000);
        fprintf(h->f,
                "<rect class=\"seg\" x=\"%" PRIu64 "\" y=\"0\" width=\"%" PRIu64
                "\" height=\"40\" fill=\"%s\"><title>",
                x0, x1 - x0, palette[i % NPALETTE]);
        esc(h, name ? name : fmt_int(jint(p, "index"), num));
        put(h, " ");
        esc(h, fmt_ppm(h, jint(p, "ppm"), pct));
        put(h, "</title></rect>\n");
    }
    put(h, "</svg>\n<ul class=\"legend\">\n");
    json_array_foreach(parts, i, p)
    {
        const char *name = sublab(h, "parts", jint(p, "index"));

        put(h, "<li>");
        swatch(h, palette[i % NPALETTE]);
        esc(h, name ? name : fmt_int(jint(p, "index"), num));
        put(h, ": ");
        esc(h, fmt_ppm(h, jint(p, "ppm"), pct));
        put(h, " = ");
        esc(h, fmt_money(h, jget(p, "amount"), r));
        put(h, "</li>\n");
    }
    put(h, "</ul>\n</figure>\n");
}

/* One horizontal bar row of a chart at y: a label on the left, the bar, its figure. */
static void bar_row(struct html *h, unsigned y, const char *label, const char *cls,
                    const char *color, uint64_t w, const char *figure)
{
    if (label) {
        fprintf(h->f, "<text x=\"0\" y=\"%u\" font-size=\"14\">", y + 14);
        esc(h, label);
        put(h, "</text>");
    }
    fprintf(h->f,
            "<rect class=\"%s\" x=\"240\" y=\"%u\" width=\"%" PRIu64
            "\" height=\"18\" fill=\"%s\"></rect>",
            cls, y, w, color);
    fprintf(h->f, "<text x=\"%" PRIu64 "\" y=\"%u\" font-size=\"13\">", 248 + w, y + 14);
    esc(h, figure);
    put(h, "</text>\n");
}

#define BAR_WIDTH 480 /* from x = 240; the figure (up to about 40 characters) follows it */

/* The loan portfolio per collectibility class: outstanding as a bar per bucket, the PPAPWD
 * share of it as a darker mark at its start. */
static void chart_buckets(struct html *h, const json_t *buckets)
{
    int64_t max = 0;
    size_t i, n = json_array_size(buckets);
    const json_t *b;
    char r1[40], r2[40], fig[100];
    const char *title = lab(h, "collectibility");

    if (!json_is_array(buckets) || n == 0)
        return;
    json_array_foreach(buckets, i, b) if (jint(b, "outstanding") > max) max =
        jint(b, "outstanding");
    put(h, "<figure class=\"chart\">\n");
    fprintf(h->f, "<svg class=\"bars\" viewBox=\"0 0 1000 %zu\" role=\"img\" aria-label=\"",
            n * 28 + 4);
    esc(h, title);
    put(h, "\"><title>");
    esc(h, title);
    put(h, "</title>\n");
    json_array_foreach(buckets, i, b)
    {
        const char *name = jstr(b, "class_text");
        uint64_t w = scale(jint(b, "outstanding"), max, BAR_WIDTH);
        uint64_t wm = scale(jint(b, "ppapwd"), max, BAR_WIDTH);
        unsigned y = (unsigned)i * 28 + 4;

        snprintf(fig, sizeof fig, "%s (PPAPWD %s)", fmt_money(h, jget(b, "outstanding"), r1),
                 fmt_money(h, jget(b, "ppapwd"), r2));
        bar_row(h, y, name ? name : "-", "bar", "#8fb0d0", w, fig);
        fprintf(h->f,
                "<rect class=\"mark\" x=\"240\" y=\"%u\" width=\"%" PRIu64
                "\" height=\"18\" fill=\"#1f3f66\"></rect>\n",
                y, wm > w ? w : wm);
    }
    put(h, "</svg>\n<ul class=\"legend\">\n<li>");
    swatch(h, "#8fb0d0");
    esc(h, lab(h, "outstanding"));
    put(h, "</li>\n<li>");
    swatch(h, "#1f3f66");
    esc(h, lab(h, "ppapwd"));
    put(h, "</li>\n</ul>\n</figure>\n");
}

/* The cash flow per activity: its inflow and its outflow as two bars. */
static void chart_cashflow(struct html *h, const json_t *acts)
{
    int64_t max = 0;
    size_t i, k, n = json_array_size(acts);
    const json_t *a, *l;
    char r[40], num[24];
    const char *title = lab2(h, "cashflow", "Laporan arus kas", "Cash flow statement");

    if (!json_is_array(acts) || n == 0)
        return;
    json_array_foreach(acts, i, a)
    {
        int64_t in = 0, out = 0;

        json_array_foreach(jget(a, "lines"), k, l)
        {
            in += jint(l, "inflow");
            out += jint(l, "outflow");
        }
        max = in > max ? in : max;
        max = out > max ? out : max;
    }
    put(h, "<figure class=\"chart\">\n");
    fprintf(h->f, "<svg class=\"bars\" viewBox=\"0 0 1000 %zu\" role=\"img\" aria-label=\"",
            n * 52 + 4);
    esc(h, title);
    put(h, "\"><title>");
    esc(h, title);
    put(h, "</title>\n");
    json_array_foreach(acts, i, a)
    {
        int64_t in = 0, out = 0;
        const char *name = sublab(h, "activities", jint(a, "activity"));
        unsigned y = (unsigned)i * 52 + 4;

        json_array_foreach(jget(a, "lines"), k, l)
        {
            in += jint(l, "inflow");
            out += jint(l, "outflow");
        }
        bar_row(h, y, name ? name : fmt_int(jint(a, "activity"), num), "bar bar-in", "#5a9e4b",
                scale(in, max, BAR_WIDTH), fmt_amount(h, in, r));
        bar_row(h, y + 22, NULL, "bar bar-out", "#b5483b", scale(out, max, BAR_WIDTH),
                fmt_amount(h, out, r));
    }
    put(h, "</svg>\n<ul class=\"legend\">\n<li>");
    swatch(h, "#5a9e4b");
    esc(h, lab2(h, "inflow", "Kas masuk", "Inflow"));
    put(h, "</li>\n<li>");
    swatch(h, "#b5483b");
    esc(h, lab2(h, "outflow", "Kas keluar", "Outflow"));
    put(h, "</li>\n</ul>\n</figure>\n");
}

/* ---- report layouts ---- */

/* <table><thead><tr>…</tr></thead><tbody>: the column heads, "=" in front marks a number. */
static void table_open(struct html *h, const char *const *heads)
{
    put(h, "<table>\n<thead><tr>");
    for (size_t i = 0; heads[i]; i++)
        th(h, heads[i][0] == '=' ? heads[i] + 1 : heads[i], heads[i][0] == '=');
    put(h, "</tr></thead>\n<tbody>\n");
}

static void table_close(struct html *h)
{
    put(h, "</tbody>\n</table>\n");
}

/* A line "label: value" below a table. */
static void fact(struct html *h, const char *label, const char *value)
{
    put(h, "<p class=\"fact\">");
    esc(h, label);
    put(h, ": <span class=\"num\">");
    esc(h, value);
    put(h, "</span></p>\n");
}

static const char *yes_no(const struct html *h, bool v)
{
    return lab(h, v ? "yes" : "no");
}

/* "=Text": a number column's head for table_open. */
static const char *numhead(const char *text, char *buf, size_t size)
{
    snprintf(buf, size, "=%s", text);
    return buf;
}

/* -- neraca (6.2) -- */

static void neraca_section(struct html *h, const json_t *rows, const char *title, const char *t1,
                           const char *t2)
{
    size_t n = json_array_size(rows);
    const json_t *w;
    char code[24];

    put(h, "<tr class=\"head\">");
    elem(h, "<td colspan=\"4\">", lab(h, title), "</td>");
    put(h, "</tr>\n");
    /* Accounts first, then the synthetic rows (codes below 1000) at the foot of the section. */
    for (size_t k = 0; k < 2 * n; k++) {
        const char *type, *name;
        int64_t c;

        w = json_array_get(rows, k % n);
        type = jstr(w, "type");
        c = jint(w, "code");
        if (!type || (strcmp(type, t1) != 0 && strcmp(type, t2) != 0) || (k < n) != (c >= 1000))
            continue;
        if (c == 1)
            name = lab(h, "shu_current");
        else if (c == 2)
            name = lab(h, "unbalanced_diff");
        else
            name = sublab(h, "accounts", c);
        put(h, "<tr>");
        elem(h, "<td class=\"num\">", fmt_int(c, code), "</td>");
        td(h, name ? name : "?");
        td_money(h, jget(w, "amount"));
        td_money(h, jget(w, "prior"));
        put(h, "</tr>\n");
    }
}

static void total_row(struct html *h, const char *label, int64_t a, int64_t b)
{
    put(h, "<tr class=\"total\"><td></td>");
    td(h, label);
    td_amount(h, a);
    td_amount(h, b);
    put(h, "</tr>\n");
}

static void render_neraca(struct html *h)
{
    const json_t *rows = jget(h->data, "rows"), *t = jget(h->data, "totals");
    char d1[11], d2[11], b[3][64];
    const char *heads[] = {
        numhead(lab(h, "code"), b[0], sizeof b[0]), lab(h, "account"),
        numhead(fmt_date(h, jget(h->doc, "as_of"), false, d1), b[1], sizeof b[1]),
        numhead(fmt_date(h, jget(h->data, "prior_date"), false, d2), b[2], sizeof b[2]), NULL};

    table_open(h, heads);
    neraca_section(h, rows, "assets", "A", "CA");
    total_row(h, lab(h, "total_assets"), jint(t, "assets"), jint(t, "prior_assets"));
    neraca_section(h, rows, "liabilities", "L", "L");
    total_row(h, lab(h, "total_liabilities"), jint(t, "liabilities"), jint(t, "prior_liabilities"));
    neraca_section(h, rows, "equity", "E", "E");
    total_row(h, lab(h, "total_equity"), jint(t, "equity"), jint(t, "prior_equity"));
    total_row(h, lab(h, "total_le"), jint(t, "liabilities") + jint(t, "equity"),
              jint(t, "prior_liabilities") + jint(t, "prior_equity"));
    table_close(h);
    fact(h, lab(h, "balanced"), yes_no(h, json_is_true(jget(t, "balanced"))));
}

/* -- loans (6.7) -- */

static void render_loans(struct html *h)
{
    const json_t *rows = jget(h->data, "rows"), *bks = jget(h->data, "buckets");
    const json_t *t = jget(h->data, "totals"), *w;
    char d[11], n1[24], n2[24], r[40], pct[24], b[5][64];
    bool any_officer = false;
    size_t i;

    elem(h, "<h3>", lab2(h, "loans_list", "Daftar pinjaman", "Loans"), "</h3>\n");
    if (json_array_size(rows) == 0) {
        elem(h, "<p>", lab(h, "no_loans"), "</p>\n");
    } else {
        const char *heads[] = {lab(h, "loan"),
                               numhead(lab(h, "member"), b[0], sizeof b[0]),
                               lab(h, "product"),
                               lab(h, "disbursed"),
                               numhead(lab(h, "outstanding"), b[1], sizeof b[1]),
                               numhead(lab(h, "arrears"), b[2], sizeof b[2]),
                               numhead(lab(h, "days"), b[3], sizeof b[3]),
                               lab(h, "collectibility"),
                               NULL};

        table_open(h, heads);
        json_array_foreach(rows, i, w)
        {
            const char *st = jstr(w, "status");
            bool officer = json_is_true(jget(w, "officer"));

            any_officer |= officer;
            snprintf(n1, sizeof n1, "%" PRId64 "%s", jint(w, "member"), officer ? "*" : "");
            put(h, "<tr>");
            td_id(h, jget(w, "loan"));
            td_num(h, n1);
            td(h, jstr(w, "product") ? jstr(w, "product") : "-");
            td(h, fmt_date(h, jget(w, "disbursed"), false, d));
            td_money(h, jget(w, "outstanding"));
            td_money(h, jget(w, "arrears"));
            td_num(h, fmt_int(jint(w, "days_past_due"), n2));
            td(h, st && (strcmp(st, "paid") == 0 || strcmp(st, "written_off") == 0) &&
                          jstr(w, "status_text")
                      ? jstr(w, "status_text")
                      : (jstr(w, "class_text") ? jstr(w, "class_text") : "-"));
            put(h, "</tr>\n");
        }
        table_close(h);
        if (any_officer)
            elem(h, "<p class=\"note\">* ", lab(h, "officer"), "</p>\n");
    }
    elem(h, "<h3>", lab(h, "collectibility"), "</h3>\n");
    chart_buckets(h, bks);
    {
        const char *heads[] = {lab(h, "class"),
                               lab(h, "days"),
                               numhead(lab(h, "count"), b[0], sizeof b[0]),
                               numhead(lab(h, "outstanding"), b[1], sizeof b[1]),
                               numhead(lab(h, "ppap"), b[2], sizeof b[2]),
                               "=PPAPWD",
                               NULL};

        table_open(h, heads);
    }
    json_array_foreach(bks, i, w)
    {
        put(h, "<tr>");
        td(h, jstr(w, "class_text") ? jstr(w, "class_text") : "-");
        td(h, jstr(w, "days") ? jstr(w, "days") : "-");
        td_num(h, fmt_int(jint(w, "count"), n1));
        td_money(h, jget(w, "outstanding"));
        td_num(h, fmt_ppm(h, jint(w, "ppap_ppm"), pct));
        td_money(h, jget(w, "ppapwd"));
        put(h, "</tr>\n");
    }
    put(h, "<tr class=\"total\">");
    td(h, lab(h, "total"));
    td(h, "");
    td_num(h, fmt_int(jint(t, "count"), n1));
    td_money(h, jget(t, "outstanding"));
    td(h, "");
    td_money(h, jget(t, "ppapwd"));
    put(h, "</tr>\n");
    table_close(h);
    fact(h, lab(h, "bermasalah"), fmt_money(h, jget(t, "bermasalah"), r));
    {
        char ratio[100];

        snprintf(ratio, sizeof ratio, "%s (%s)", fmt_ppm(h, jint(t, "ratio_ppm"), pct),
                 jstr(h->labels, "health_text")
                     ? jstr(h->labels, "health_text")
                     : cli_health_label((uint32_t)jint(t, "ratio_ppm"), h->lang));
        fact(h, lab(h, "ratio"), ratio);
    }
    fact(h, lab(h, "ppapwd"), fmt_money(h, jget(t, "ppapwd"), r));
    fact(h, lab(h, "ppap_booked"), fmt_money(h, jget(t, "ppap_booked"), r));
    fact(h, lab(h, "officer_outstanding"), fmt_money(h, jget(t, "officer_outstanding"), r));
    if (jint(t, "written_off") != 0)
        fact(h, lab(h, "written_off"), fmt_money(h, jget(t, "written_off"), r));
    if (json_array_size(jget(t, "top10"))) {
        const char *heads[] = {numhead(lab(h, "member"), b[0], sizeof b[0]),
                               numhead(lab(h, "outstanding"), b[1], sizeof b[1]),
                               numhead(lab(h, "share"), b[2], sizeof b[2]), NULL};

        elem(h, "<h3>", lab(h, "top10"), "</h3>\n");
        table_open(h, heads);
        json_array_foreach(jget(t, "top10"), i, w)
        {
            put(h, "<tr>");
            td_num(h, fmt_int(jint(w, "member"), n1));
            td_money(h, jget(w, "outstanding"));
            td_num(h, fmt_ppm(h, jint(w, "ppm"), pct));
            put(h, "</tr>\n");
        }
        table_close(h);
    }
}

/* -- waiting items (6.10; also the statement's) -- */

static void waiting_table(struct html *h, const json_t *items)
{
    char d[11], n1[24], n2[24], b[3][64];
    const char *heads[] = {lab(h, "date"),
                           lab(h, "entry"),
                           lab(h, "kind"),
                           numhead(lab(h, "member"), b[0], sizeof b[0]),
                           numhead(lab(h, "amount"), b[1], sizeof b[1]),
                           numhead(lab(h, "days"), b[2], sizeof b[2]),
                           lab(h, "missing"),
                           NULL};
    const json_t *w;
    size_t i;

    table_open(h, heads);
    json_array_foreach(items, i, w)
    {
        put(h, "<tr>");
        td(h, fmt_date(h, jget(w, "date"), false, d));
        td_id(h, jget(w, "id"));
        td(h, cli_kind_label((uint64_t)jint(w, "kind"), h->lang));
        td_num(h, json_is_null(jget(w, "member")) ? "-" : fmt_int(jint(w, "member"), n1));
        td_money(h, jget(w, "amount"));
        td_num(h, json_is_null(jget(w, "age_days")) ? "-" : fmt_int(jint(w, "age_days"), n2));
        td(h, jstr(w, "text") ? jstr(w, "text") : "-");
        put(h, "</tr>\n");
    }
    table_close(h);
}

static void render_pending(struct html *h)
{
    if (json_array_size(h->data) == 0)
        elem(h, "<p>", lab(h, "no_pending"), "</p>\n");
    else
        waiting_table(h, h->data);
}

/* -- findings (6.9) -- */

static void render_findings(struct html *h)
{
    const char *heads[] = {lab(h, "code"),  lab(h, "severity"), lab(h, "date"),
                           lab(h, "entry"), lab(h, "detail"),   NULL};
    const json_t *w;
    char d[11];
    size_t i;

    if (json_array_size(h->data) == 0) {
        elem(h, "<p>", lab(h, "no_findings"), "</p>\n");
        return;
    }
    table_open(h, heads);
    json_array_foreach(h->data, i, w)
    {
        put(h, "<tr>");
        elem(h, "<td class=\"mono\">", jstr(w, "code") ? jstr(w, "code") : "?", "</td>");
        td(h, cli_severity_label((int)jint(w, "severity"), h->lang));
        td(h, fmt_date(h, jget(w, "date"), false, d));
        td_id(h, jget(w, "entry"));
        td(h, jstr(w, "text") ? jstr(w, "text") : "");
        put(h, "</tr>\n");
    }
    table_close(h);
}

/* -- member statement (6.6) -- */

/* The account's movements, debit - credit in total. */
static int64_t moves_net(const json_t *moves)
{
    const json_t *m;
    int64_t dl = 0;
    size_t i;

    json_array_foreach(moves, i, m) dl += jint(m, "debit") - jint(m, "credit");
    return dl;
}

static void stmt_account(struct html *h, const json_t *ac, bool *any_confirmed)
{
    const json_t *moves = jget(ac, "moves"), *m;
    int64_t opening = jint(ac, "opening"), closing = jint(ac, "closing"), bal = opening;
    /* Savings are liabilities or equity (credit - debit); an account whose movements only
     * reconcile the other way round is debit-natural. */
    bool debit = opening - moves_net(moves) != closing && opening + moves_net(moves) == closing;
    char title[200], d[11], code[24], what[100], b[3][64];
    const char *name = sublab(h, "accounts", jint(ac, "account"));
    const char *heads[] = {lab(h, "date"),
                           lab(h, "entry"),
                           lab(h, "kind"),
                           numhead(lab(h, "debit"), b[0], sizeof b[0]),
                           numhead(lab(h, "credit"), b[1], sizeof b[1]),
                           numhead(lab(h, "balance"), b[2], sizeof b[2]),
                           NULL};
    size_t i;

    if (json_array_size(moves) == 0 && opening == 0 && closing == 0)
        return; /* used only after the period, as in the text form */
    snprintf(title, sizeof title, "%s %s%s%s%s", fmt_int(jint(ac, "account"), code),
             name ? name : "?", jstr(ac, "product") ? " (" : "",
             jstr(ac, "product") ? jstr(ac, "product") : "", jstr(ac, "product") ? ")" : "");
    elem(h, "<h3>", title, "</h3>\n");
    table_open(h, heads);
    put(h, "<tr class=\"sub\"><td></td><td></td>");
    td(h, lab(h, "opening"));
    put(h, "<td></td><td></td>");
    td_amount(h, opening);
    put(h, "</tr>\n");
    json_array_foreach(moves, i, m)
    {
        int64_t dr = jint(m, "debit"), cr = jint(m, "credit");
        bool conf = json_is_true(jget(m, "confirmed"));

        bal += debit ? dr - cr : cr - dr;
        *any_confirmed |= conf;
        snprintf(what, sizeof what, "%s%s", cli_kind_label((uint64_t)jint(m, "kind"), h->lang),
                 conf ? " *" : "");
        put(h, "<tr>");
        td(h, fmt_date(h, jget(m, "date"), false, d));
        td_id(h, jget(m, "id"));
        td(h, what);
        if (dr)
            td_amount(h, dr);
        else
            td(h, "");
        if (cr)
            td_amount(h, cr);
        else
            td(h, "");
        td_amount(h, bal);
        put(h, "</tr>\n");
    }
    put(h, "<tr class=\"total\"><td></td><td></td>");
    td(h, lab(h, "closing"));
    put(h, "<td></td><td></td>");
    td_amount(h, closing);
    put(h, "</tr>\n");
    table_close(h);
}

static void render_statement(struct html *h)
{
    const json_t *sav = jget(h->data, "savings"), *loans = jget(h->data, "loans"), *w;
    const json_t *ref = jget(h->data, "refund_due");
    char d1[24], d2[24], n1[24], r[40], b[4][64], line[200];
    bool any_confirmed = false;
    size_t i;

    put(h, "<p class=\"fact\">");
    esc(h, lab(h, "status"));
    put(h, ": ");
    esc(h, jstr(h->data, "status_text") ? jstr(h->data, "status_text") : "-");
    if (jstr(h->data, "joined") || jstr(h->data, "exited")) {
        put(h, " (");
        if (jstr(h->data, "joined")) {
            snprintf(line, sizeof line, "%s %s", lab(h, "active_since"),
                     fmt_date(h, jget(h->data, "joined"), false, d1));
            esc(h, line);
        }
        if (jstr(h->data, "joined") && jstr(h->data, "exited"))
            put(h, ", ");
        if (jstr(h->data, "exited")) {
            snprintf(line, sizeof line, "%s %s", lab(h, "exited_on"),
                     fmt_date(h, jget(h->data, "exited"), false, d2));
            esc(h, line);
        }
        put(h, ")");
    }
    put(h, "</p>\n");
    if (json_array_size(sav) == 0)
        elem(h, "<p>", lab(h, "no_movements"), "</p>\n");
    json_array_foreach(sav, i, w) stmt_account(h, w, &any_confirmed);
    if (any_confirmed)
        elem(h, "<p class=\"note\">* ", lab(h, "confirmed"), "</p>\n");
    if (json_array_size(loans)) {
        const char *heads[] = {lab(h, "loan"),
                               lab(h, "product"),
                               lab(h, "status"),
                               numhead(lab(h, "principal"), b[0], sizeof b[0]),
                               numhead(lab(h, "outstanding"), b[1], sizeof b[1]),
                               numhead(lab(h, "arrears"), b[2], sizeof b[2]),
                               numhead(lab(h, "days"), b[3], sizeof b[3]),
                               lab(h, "due"),
                               NULL};

        elem(h, "<h3>", lab(h, "loans_section"), "</h3>\n");
        table_open(h, heads);
        json_array_foreach(loans, i, w)
        {
            const char *st = jstr(w, "status");
            bool running = st && (strcmp(st, "disbursed") == 0 || strcmp(st, "paid") == 0);

            put(h, "<tr>");
            td_id(h, jget(w, "loan"));
            td(h, jstr(w, "product") ? jstr(w, "product") : "-");
            td(h, jstr(w, "status_text") ? jstr(w, "status_text") : "-");
            td_money(h, jget(w, "principal"));
            if (running) {
                td_money(h, jget(w, "outstanding"));
                td_money(h, jget(w, "arrears"));
                td_num(h, fmt_int(jint(w, "days_past_due"), n1));
            } else {
                td_num(h, "-");
                td_num(h, "-");
                td_num(h, "-");
            }
            td(h, fmt_date(h, jget(w, "next_due"), false, d1));
            put(h, "</tr>\n");
            if (!running)
                continue;
            put(h, "<tr class=\"sub\"><td></td><td colspan=\"7\">");
            if (jstr(w, "next_due")) {
                snprintf(line, sizeof line, "%s %s; ", lab(h, "next_due"),
                         fmt_money(h, jget(w, "next_amount"), r));
                esc(h, line);
            }
            snprintf(line, sizeof line, "%s %s; ", lab(h, "interest_paid"),
                     fmt_money(h, jget(w, "interest_paid"), r));
            esc(h, line);
            snprintf(line, sizeof line, "%s %s", lab(h, "penalty_due"),
                     fmt_money(h, jget(w, "penalty_due"), r));
            esc(h, line);
            put(h, "</td></tr>\n");
        }
        table_close(h);
    }
    if (jint(ref, "balance")) {
        snprintf(line, sizeof line, "%s", fmt_money(h, jget(ref, "balance"), r));
        if (jstr(ref, "due_date"))
            snprintf(line + strlen(line), sizeof line - strlen(line),
                     CLI_TR(h->lang, ", jatuh tempo %s", ", due %s"),
                     fmt_date(h, jget(ref, "due_date"), true, d1));
        if (jint(ref, "overdue_days") > 0)
            snprintf(line + strlen(line), sizeof line - strlen(line), " (%s %" PRId64 " %s)",
                     lab(h, "refund_overdue"), jint(ref, "overdue_days"),
                     CLI_TR(h->lang, "hari", "days"));
        fact(h, lab(h, "refund_due"), line);
    }
    if (json_array_size(jget(h->data, "waiting"))) {
        elem(h, "<h3>", lab(h, "waiting"), "</h3>\n");
        waiting_table(h, jget(h->data, "waiting"));
    }
}

/* -- LHU (6.3) -- */

static void amount_row(struct html *h, const char *cls, const char *code, const char *name,
                       int64_t v)
{
    if (cls)
        fprintf(h->f, "<tr class=\"%s\">", cls);
    else
        put(h, "<tr>");
    td_num(h, code);
    td(h, name);
    td_amount(h, v);
    put(h, "</tr>\n");
}

static void render_lhu(struct html *h)
{
    const json_t *secs = jget(h->data, "sections"), *t = jget(h->data, "totals");
    const json_t *prop = jget(h->data, "proposal"), *s, *w;
    char code[24], num[24], b[3][64], pct[24];
    const char *heads[] = {numhead(lab(h, "code"), b[0], sizeof b[0]), lab(h, "account"),
                           numhead(lab(h, "amount"), b[1], sizeof b[1]), NULL};
    static const struct {
        const char *key, *id, *en;
    } tot[] = {
        {"partisipasi_neto", "Partisipasi neto", "Net participation"},
        {"shu_before_tax", "SHU sebelum pajak", "SHU before tax"},
        {"tax", "Pajak", "Tax"},
        {"shu_after_tax", "SHU setelah pajak", "SHU after tax"},
        {"nonmember", "SHU dari non-anggota", "SHU from non-members"},
        {"member", "SHU bagian anggota", "Members' SHU"},
    };
    size_t i, k;

    table_open(h, heads);
    json_array_foreach(secs, i, s)
    {
        const char *name = sublab(h, "sections", jint(s, "section"));
        char title[160];

        snprintf(title, sizeof title, "%s", name ? name : fmt_int(jint(s, "section"), num));
        put(h, "<tr class=\"head\">");
        elem(h, "<td colspan=\"3\">", title, "</td>");
        put(h, "</tr>\n");
        json_array_foreach(jget(s, "rows"), k, w)
        {
            const char *an = sublab(h, "accounts", jint(w, "account"));

            amount_row(h, NULL, fmt_int(jint(w, "account"), code), an ? an : "?",
                       jint(w, "amount"));
        }
        amount_row(h, "total", "", lab(h, "total"), jint(s, "subtotal"));
    }
    for (k = 0; k < sizeof tot / sizeof tot[0]; k++)
        amount_row(h, "total", "", lab2(h, tot[k].key, tot[k].id, tot[k].en), jint(t, tot[k].key));
    table_close(h);
    elem(h, "<h3>", lab2(h, "proposal", "Usulan pembagian SHU", "Proposed SHU allocation"),
         "</h3>\n");
    if (!json_is_array(prop)) {
        elem(h, "<p>",
             CLI_TR(h->lang, "Tidak ada SHU bagian anggota untuk dibagi.",
                    "There is no members' SHU to allocate."),
             "</p>\n");
        return;
    }
    chart_parts(h, prop, lab2(h, "proposal", "Usulan pembagian SHU", "Proposed SHU allocation"));
    {
        const char *ph[] = {lab2(h, "part", "Bagian", "Part"),
                            numhead(lab(h, "account"), b[0], sizeof b[0]),
                            numhead(lab(h, "share"), b[1], sizeof b[1]),
                            numhead(lab(h, "amount"), b[2], sizeof b[2]), NULL};
        int64_t sum = 0;

        table_open(h, ph);
        json_array_foreach(prop, i, w)
        {
            const char *pn = sublab(h, "parts", jint(w, "index"));

            put(h, "<tr>");
            td(h, pn ? pn : fmt_int(jint(w, "index"), num));
            td_num(h, json_is_null(jget(w, "account")) ? "-" : fmt_int(jint(w, "account"), code));
            td_num(h, fmt_ppm(h, jint(w, "ppm"), pct));
            td_money(h, jget(w, "amount"));
            put(h, "</tr>\n");
            sum += jint(w, "amount");
        }
        put(h, "<tr class=\"total\">");
        td(h, lab(h, "total"));
        td(h, "");
        td(h, "");
        td_amount(h, sum);
        put(h, "</tr>\n");
        table_close(h);
    }
}

/* -- changes in equity (6.4) -- */

static void render_equity(struct html *h)
{
    const json_t *rows = jget(h->data, "rows"), *t = jget(h->data, "totals"), *w, *s;
    char code[24], num[24], b[5][64];
    const char *heads[] = {
        numhead(lab(h, "code"), b[0], sizeof b[0]),
        lab(h, "account"),
        numhead(lab(h, "opening"), b[1], sizeof b[1]),
        numhead(lab2(h, "additions", "Penambahan", "Additions"), b[2], sizeof b[2]),
        numhead(lab2(h, "deductions", "Pengurangan", "Deductions"), b[3], sizeof b[3]),
        numhead(lab(h, "closing"), b[4], sizeof b[4]),
        NULL};
    size_t i, k;

    table_open(h, heads);
    json_array_foreach(rows, i, w)
    {
        int64_t c = jint(w, "account"), cr = 0, dr = 0;
        const char *name = c == 1 ? lab(h, "shu_current") : sublab(h, "accounts", c);

        json_array_foreach(jget(w, "sources"), k, s)
        {
            cr += jint(s, "credit");
            dr += jint(s, "debit");
        }
        put(h, "<tr>");
        td_num(h, fmt_int(c, code));
        td(h, name ? name : "?");
        td_amount(h, jint(w, "opening"));
        td_amount(h, cr);
        td_amount(h, dr);
        td_amount(h, jint(w, "closing"));
        put(h, "</tr>\n");
        json_array_foreach(jget(w, "sources"), k, s)
        {
            const char *sn = sublab(h, "sources", jint(s, "source"));

            put(h, "<tr class=\"sub\"><td></td>");
            elem(h, "<td class=\"indent\">", sn ? sn : fmt_int(jint(s, "source"), num), "</td>");
            td(h, "");
            td_amount(h, jint(s, "credit"));
            td_amount(h, jint(s, "debit"));
            td(h, "");
            put(h, "</tr>\n");
        }
    }
    put(h, "<tr class=\"total\"><td></td>");
    td(h, lab(h, "total"));
    td_amount(h, jint(t, "opening"));
    td(h, "");
    td(h, "");
    td_amount(h, jint(t, "closing"));
    put(h, "</tr>\n");
    table_close(h);
}

/* -- cash flow (6.5) -- */

static void cash_row(struct html *h, const char *cls, const char *name, const json_t *in,
                     const json_t *out, int64_t net, bool with_net)
{
    if (cls)
        fprintf(h->f, "<tr class=\"%s\">", cls);
    else
        put(h, "<tr>");
    td(h, name);
    if (in)
        td_money(h, in);
    else
        td(h, "");
    if (out)
        td_money(h, out);
    else
        td(h, "");
    if (with_net)
        td_amount(h, net);
    else
        td(h, "");
    put(h, "</tr>\n");
}

static void render_cashflow(struct html *h)
{
    const json_t *acts = jget(h->data, "activities"), *a, *l;
    char num[24], b[3][64];
    const char *heads[] = {lab2(h, "line", "Uraian", "Line"),
                           numhead(lab2(h, "inflow", "Kas masuk", "Inflow"), b[0], sizeof b[0]),
                           numhead(lab2(h, "outflow", "Kas keluar", "Outflow"), b[1], sizeof b[1]),
                           numhead(lab2(h, "net", "Bersih", "Net"), b[2], sizeof b[2]), NULL};
    size_t i, k;

    chart_cashflow(h, acts);
    table_open(h, heads);
    cash_row(h, "total", lab2(h, "opening_cash", "Kas awal", "Opening cash"), NULL, NULL,
             jint(h->data, "opening_cash"), true);
    json_array_foreach(acts, i, a)
    {
        const char *an = sublab(h, "activities", jint(a, "activity"));

        put(h, "<tr class=\"head\">");
        elem(h, "<td colspan=\"4\">", an ? an : fmt_int(jint(a, "activity"), num), "</td>");
        put(h, "</tr>\n");
        json_array_foreach(jget(a, "lines"), k, l)
        {
            const char *ln = sublab(h, "lines", jint(l, "line"));

            cash_row(h, NULL, ln ? ln : fmt_int(jint(l, "line"), num), jget(l, "inflow"),
                     jget(l, "outflow"), jint(l, "inflow") - jint(l, "outflow"), true);
        }
        cash_row(h, "total", lab(h, "total"), NULL, NULL, jint(a, "net"), true);
    }
    cash_row(
        h, "total",
        lab2(h, "net_change", "Kenaikan (penurunan) kas bersih", "Net increase (decrease) in cash"),
        NULL, NULL, jint(h->data, "net"), true);
    cash_row(h, "total", lab2(h, "closing_cash", "Kas akhir", "Closing cash"), NULL, NULL,
             jint(h->data, "closing_cash"), true);
    table_close(h);
    fact(h,
         lab2(h, "reconciles", "Kas awal + arus bersih = kas akhir",
              "Opening cash + net flow = closing cash"),
         yes_no(h, json_is_true(jget(h->data, "reconciles"))));
}

/* -- SHU per member (6.8) -- */

static void render_shu_members(struct html *h)
{
    const json_t *parts = jget(h->data, "parts"), *w;
    char r[40], num[24], pct[24], b[5][64];
    size_t i;
    int64_t sjm = 0, sju = 0;
    const char *pools[2][3] = {{"jm", "Jasa modal (JM)", "Return on capital (JM)"},
                               {"ju", "Jasa usaha (JU)", "Return on patronage (JU)"}};

    fact(h, lab2(h, "shu_member", "SHU bagian anggota", "Members' SHU"),
         fmt_money(h, jget(h->data, "shu_member"), r));
    chart_parts(h, parts, lab2(h, "parts_title", "Pembagian SHU", "SHU allocation"));
    {
        const char *heads[] = {lab2(h, "part", "Bagian", "Part"),
                               numhead(lab(h, "share"), b[0], sizeof b[0]),
                               numhead(lab(h, "amount"), b[1], sizeof b[1]), NULL};

        table_open(h, heads);
        json_array_foreach(parts, i, w)
        {
            const char *pn = sublab(h, "parts", jint(w, "index"));

            put(h, "<tr>");
            td(h, pn ? pn : fmt_int(jint(w, "index"), num));
            td_num(h, fmt_ppm(h, jint(w, "ppm"), pct));
            td_money(h, jget(w, "amount"));
            put(h, "</tr>\n");
        }
        table_close(h);
    }
    {
        const char *heads[] = {
            "",
            numhead(lab2(h, "pool", "Dana", "Pool"), b[0], sizeof b[0]),
            numhead(lab(h, "total"), b[1], sizeof b[1]),
            numhead(lab2(h, "paid", "Dibagikan", "Allocated"), b[2], sizeof b[2]),
            numhead(lab2(h, "residual", "Sisa", "Residual"), b[3], sizeof b[3]),
            NULL};

        table_open(h, heads);
        for (int k = 0; k < 2; k++) {
            const json_t *p = jget(h->data, pools[k][0]);

            put(h, "<tr>");
            td(h, lab2(h, pools[k][0], pools[k][1], pools[k][2]));
            td_money(h, jget(p, "pool"));
            td_money(h, jget(p, "total"));
            td_money(h, jget(p, "paid"));
            td_money(h, jget(p, "residual"));
            put(h, "</tr>\n");
        }
        table_close(h);
    }
    {
        const char *heads[] = {
            numhead(lab(h, "member"), b[0], sizeof b[0]),
            numhead(lab2(h, "capital", "Modal (S)", "Capital (S)"), b[1], sizeof b[1]),
            numhead(lab2(h, "usage", "Transaksi (T)", "Patronage (T)"), b[2], sizeof b[2]),
            numhead(lab2(h, "jm", "Jasa modal (JM)", "Return on capital (JM)"), b[3], sizeof b[3]),
            numhead(lab2(h, "ju", "Jasa usaha (JU)", "Return on patronage (JU)"), b[4],
                    sizeof b[4]),
            NULL};

        table_open(h, heads);
        json_array_foreach(jget(h->data, "rows"), i, w)
        {
            put(h, "<tr>");
            td_num(h, fmt_int(jint(w, "member"), num));
            td_money(h, jget(w, "capital"));
            td_money(h, jget(w, "usage"));
            td_money(h, jget(w, "jm"));
            td_money(h, jget(w, "ju"));
            put(h, "</tr>\n");
            sjm += jint(w, "jm");
            sju += jint(w, "ju");
        }
        put(h, "<tr class=\"total\">");
        td(h, lab(h, "total"));
        td(h, "");
        td(h, "");
        td_amount(h, sjm);
        td_amount(h, sju);
        put(h, "</tr>\n");
        table_close(h);
    }
    if (jstr(h->data, "members_root")) {
        put(h, "<p class=\"fact\">");
        esc(h, lab2(h, "members_root", "Akar Merkle baris anggota", "Members' Merkle root"));
        elem(h, ": <span class=\"mono\">", jstr(h->data, "members_root"), "</span></p>\n");
    }
}

/* -- any other type: its data as nested tables -- */

static void generic_value(struct html *h, const json_t *v, int depth);

static void generic_scalar(struct html *h, const json_t *v)
{
    char num[32];

    if (json_is_string(v))
        esc(h, json_string_value(v));
    else if (json_is_integer(v))
        esc(h, fmt_int((int64_t)json_integer_value(v), num));
    else if (json_is_true(v))
        esc(h, yes_no(h, true));
    else if (json_is_false(v))
        esc(h, yes_no(h, false));
    else if (json_is_null(v))
        put(h, "-");
    else if (json_is_real(v)) /* never in a report; shown rather than lost */
        fprintf(h->f, "%.17g", json_real_value(v));
}

static void generic_value(struct html *h, const json_t *v, int depth)
{
    const char *key;
    const json_t *x, *first;
    size_t i;

    if (depth >= GENERIC_DEPTH) {
        put(h, "…");
        return;
    }
    if (json_is_object(v)) {
        put(h, "<table class=\"kv\">\n<tbody>\n");
        json_object_foreach((json_t *)v, key, x)
        {
            put(h, "<tr>");
            elem(h, "<th>", key, "</th>");
            put(h, "<td>");
            generic_value(h, x, depth + 1);
            put(h, "</td></tr>\n");
        }
        put(h, "</tbody>\n</table>\n");
        return;
    }
    if (!json_is_array(v)) {
        generic_scalar(h, v);
        return;
    }
    first = json_array_get(v, 0);
    if (json_is_object(first)) {
        /* A list of records: the first record's keys are the columns. */
        put(h, "<table>\n<thead><tr>");
        json_object_foreach((json_t *)first, key, x) th(h, key, false);
        put(h, "</tr></thead>\n<tbody>\n");
        json_array_foreach(v, i, x)
        {
            const json_t *y;

            put(h, "<tr>");
            json_object_foreach((json_t *)first, key, y)
            {
                put(h, "<td>");
                generic_value(h, jget(x, key), depth + 1);
                put(h, "</td>");
            }
            put(h, "</tr>\n");
        }
        put(h, "</tbody>\n</table>\n");
        return;
    }
    json_array_foreach(v, i, x)
    {
        if (i)
            put(h, ", ");
        generic_value(h, x, depth + 1);
    }
}

/* ---- the page ---- */

static const char style[] =
    "@page { size: A4; margin: 16mm 14mm 18mm; }\n"
    "html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }\n"
    "body { font-family: sans-serif; font-size: 10.5pt; color: #111; line-height: 1.35;\n"
    "       max-width: 190mm; margin: 1.5em auto; padding: 0 1em; }\n"
    "h1 { font-size: 1.35em; margin: 0 0 .2em; }\n"
    "h2 { font-size: 1.15em; margin: 0 0 .2em; }\n"
    "h3 { font-size: 1em; margin: 1.1em 0 .3em; }\n"
    ".org { font-weight: bold; margin: 0 0 .3em; }\n"
    ".meta { color: #444; margin: 0 0 .8em; }\n"
    "table { border-collapse: collapse; width: 100%; margin: .3em 0 .8em; }\n"
    "th, td { padding: .15em .45em; border-bottom: 1px solid #ddd; text-align: left;\n"
    "         vertical-align: top; }\n"
    "th { border-bottom: 1.5px solid #555; font-weight: 600; }\n"
    ".num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }\n"
    ".mono { font-family: monospace; }\n"
    "tr.head td { font-weight: 600; padding-top: .6em; }\n"
    "tr.total td { font-weight: 600; border-top: 1.5px solid #555; }\n"
    "tr.sub td { color: #444; font-size: .92em; }\n"
    "td.indent { padding-left: 1.6em; }\n"
    "table.kv th { width: 30%; }\n"
    ".fact { margin: .15em 0; }\n"
    ".note { color: #444; font-size: .9em; }\n"
    "figure.chart { margin: .5em 0 1em; }\n"
    "figure.chart svg.stack, figure.chart svg.bars { width: 100%; height: auto; display: block; }\n"
    "ul.legend { list-style: none; padding: 0; margin: .4em 0; }\n"
    "ul.legend li { display: inline-block; margin-right: 1.4em; }\n"
    "svg.sw { width: .8em; height: .8em; margin-right: .35em; }\n"
    "section.report { margin-bottom: 2em; }\n"
    ".digest { font-size: .85em; color: #333; border-top: 1px solid #aaa; padding-top: .3em;\n"
    "          margin-top: 1em; overflow-wrap: anywhere; }\n"
    "footer.page { margin-top: 2em; font-size: .8em; color: #333; border-top: 2px solid #555;\n"
    "              padding-top: .5em; }\n"
    "footer.page td { overflow-wrap: anywhere; }\n"
    "@media print {\n"
    "  body { max-width: none; margin: 0; padding: 0; font-size: 9.5pt; }\n"
    "  section.report + section.report { break-before: page; }\n"
    "  thead { display: table-header-group; }\n"
    "  tr, figure, .digest { break-inside: avoid; }\n"
    "  h1, h2, h3 { break-after: avoid; }\n"
    "}\n";

/* The title of a report type: the document's label, else this file's words. */
static const char *title_of(const struct html *h, const char *type)
{
    static const struct {
        const char *type, *id, *en;
    } t[] = {
        {"neraca", "Neraca (laporan posisi keuangan)", "Balance sheet (financial position)"},
        {"lhu", "Laporan hasil usaha (perhitungan SHU)", "Income statement (SHU)"},
        {"equity", "Laporan perubahan ekuitas", "Statement of changes in equity"},
        {"cashflow", "Laporan arus kas", "Cash flow statement"},
        {"loans", "Portofolio pinjaman dan kolektibilitas", "Loan portfolio and collectibility"},
        {"findings", "Temuan", "Findings"},
        {"pending", "Menunggu persetujuan", "Waiting for approval"},
        {"shu-members", "Pembagian SHU per anggota", "SHU per member"},
        {"statement", "Laporan simpanan anggota", "Member statement"},
    };
    const char *s = jstr(h->labels, type);

    if (s)
        return s;
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(t[i].type, type) == 0)
            return CLI_TR(h->lang, t[i].id, t[i].en);
    return type;
}

/* Period reports show their period; position reports only the as-of date. */
static bool has_period(const char *type)
{
    return strcmp(type, "neraca") != 0 && strcmp(type, "loans") != 0 &&
           strcmp(type, "pending") != 0;
}

static void render_report(struct html *h, const json_t *doc)
{
    const char *type = jstr(doc, "type");
    char title[200], line[200], d1[24], d2[24], d3[24];

    h->doc = doc;
    h->data = jget(doc, "data");
    h->labels = jget(doc, "labels");
    h->parens = strcmp(type, "statement") == 0;
    put(h, "<section class=\"report\" id=\"");
    esc(h, type);
    put(h, "\">\n");
    if (strcmp(type, "statement") == 0)
        snprintf(title, sizeof title, "%s %" PRId64, title_of(h, type), jint(h->data, "member"));
    else
        snprintf(title, sizeof title, "%s", title_of(h, type));
    elem(h, "<h2>", title, "</h2>\n");
    if (has_period(type) && jstr(doc, "start") && jstr(doc, "end"))
        snprintf(line, sizeof line, "%s %s %s %s, %s %s", lab(h, "period"),
                 fmt_date(h, jget(doc, "start"), true, d1), lab(h, "to"),
                 fmt_date(h, jget(doc, "end"), true, d2), lab(h, "as_of"),
                 fmt_date(h, jget(doc, "as_of"), true, d3));
    else
        snprintf(line, sizeof line, "%s %s", lab(h, "as_of"),
                 fmt_date(h, jget(doc, "as_of"), true, d3));
    elem(h, "<p class=\"meta\">", line, "</p>\n");
    if (strcmp(type, "neraca") == 0)
        render_neraca(h);
    else if (strcmp(type, "loans") == 0)
        render_loans(h);
    else if (strcmp(type, "pending") == 0)
        render_pending(h);
    else if (strcmp(type, "findings") == 0)
        render_findings(h);
    else if (strcmp(type, "statement") == 0)
        render_statement(h);
    else if (strcmp(type, "lhu") == 0)
        render_lhu(h);
    else if (strcmp(type, "equity") == 0)
        render_equity(h);
    else if (strcmp(type, "cashflow") == 0)
        render_cashflow(h);
    else if (strcmp(type, "shu-members") == 0)
        render_shu_members(h);
    else
        generic_value(h, h->data, 0);
    put(h, "<p class=\"digest\">");
    esc(h, lab(h, "digest"));
    elem(h, ": <span class=\"mono\">", jstr(doc, "digest") ? jstr(doc, "digest") : "-",
         "</span><br>");
    esc(h, lab(h, "fingerprint"));
    elem(h, ": <span class=\"mono\">", jstr(doc, "fingerprint") ? jstr(doc, "fingerprint") : "-",
         "</span></p>\n");
    put(h, "</section>\n");
}

/* The page footer: the ledger, then per report its date, basis, digest and fingerprint. */
static void page_footer(struct html *h, json_t *const *reports, size_t n)
{
    const char *id = jstr(reports[0], "ledger_id");
    char d[11];
    const char *heads[] = {CLI_TR(h->lang, "Laporan", "Report"),
                           cli_label(h->lang, "as_of"),
                           CLI_TR(h->lang, "Dasar (penutupan)", "Basis (close)"),
                           cli_label(h->lang, "digest"),
                           cli_label(h->lang, "fingerprint"),
                           NULL};

    h->labels = NULL;
    put(h, "<footer class=\"page\">\n<p>");
    esc(h, CLI_TR(h->lang, "ID buku besar", "Ledger id"));
    elem(h, ": <span class=\"mono\">", id ? id : "-", "</span></p>\n");
    table_open(h, heads);
    for (size_t i = 0; i < n; i++) {
        const char *basis = jstr(reports[i], "basis");

        h->labels = jget(reports[i], "labels");
        put(h, "<tr>");
        td(h, title_of(h, jstr(reports[i], "type")));
        td(h, fmt_date(h, jget(reports[i], "as_of"), false, d));
        if (basis)
            elem(h, "<td class=\"mono\">", basis, "</td>");
        else
            td(h, CLI_TR(h->lang, "- (tanpa penutupan)", "- (no close)"));
        elem(h, "<td class=\"mono\">",
             jstr(reports[i], "digest") ? jstr(reports[i], "digest") : "-", "</td>");
        elem(h, "<td class=\"mono\">",
             jstr(reports[i], "fingerprint") ? jstr(reports[i], "fingerprint") : "-", "</td>");
        put(h, "</tr>\n");
    }
    table_close(h);
    put(h, "<p>");
    esc(h, CLI_TR(h->lang,
                  "Dibuat dengan saksi " CLI_VERSION ". Dua salinan buku yang sama memberi sidik "
                  "laporan yang sama: cocokkan sidik jari dengan salinan anggota lain.",
                  "Made with saksi " CLI_VERSION ". Two copies of the same books give the same "
                  "report digest: compare the fingerprint with another member's copy."));
    put(h, "</p>\n</footer>\n");
}

int cli_html_write(FILE *f, const char *org, json_t *const *reports, size_t n, int lang)
{
    struct html h = {f, lang, NULL, NULL, NULL, false};
    char title[300];

    if (n == 0)
        return -EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!jstr(reports[i], "type"))
            return -EINVAL;
    put(&h, "<!doctype html>\n<html lang=\"");
    put(&h, lang == CLI_LANG_EN ? "en" : "id");
    put(&h, "\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"generator\" content=\"saksi " CLI_VERSION "\">\n<title>");
    h.labels = jget(reports[0], "labels");
    snprintf(title, sizeof title, "%s%s%s", org ? org : "", org ? " - " : "",
             n == 1 ? title_of(&h, jstr(reports[0], "type"))
                    : CLI_TR(lang, "Laporan koperasi", "Cooperative reports"));
    esc(&h, title);
    put(&h, "</title>\n<style>\n");
    put(&h, style);
    put(&h, "</style>\n</head>\n<body>\n<header>\n");
    if (org)
        elem(&h, "<h1 class=\"org\">", org, "</h1>\n");
    put(&h, "</header>\n<main>\n");
    for (size_t i = 0; i < n; i++)
        render_report(&h, reports[i]);
    put(&h, "</main>\n");
    page_footer(&h, reports, n);
    put(&h, "</body>\n</html>\n");
    return ferror(f) ? -EIO : 0;
}

int cli_html_file(const char *path, const char *org, json_t *const *reports, size_t n, int lang)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    int rc;

    if (!f)
        return -ENOMEM;
    rc = cli_html_write(f, org, reports, n, lang);
    if (fclose(f) != 0 && rc == 0)
        rc = -ENOMEM;
    if (rc == 0)
        rc = cli_file_write(path, buf, len, 0644, false);
    free(buf);
    return rc;
}
