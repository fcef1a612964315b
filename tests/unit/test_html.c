/*
 * Unit tests for cli/render_html: invalid arguments first, then hand-written --json envelopes of
 * every report type (neraca, statement, loans with buckets, pending, findings, lhu with and
 * without a proposal, equity, cashflow, shu-members and an unknown type) rendered into memory.
 * Every page is checked for the doctype and lang, the absence of scripts and external resources,
 * a balanced element tree, and the digest and fingerprint in the footer; then the escaping of
 * hostile labels and texts, rupiah and percentage formats in both languages, the exact geometry
 * of the SVG charts (segments of the SHU bar, bars per collectibility class with their PPAPWD
 * marks, inflow and outflow bars per activity), one page holding every report, and the atomic
 * file write (mode, and no temporary file left when the directory does not exist).
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "cli/i18n.h"
#include "cli/render_html.h"
#include "tests/unit/helpers.h"

#define LEDGER      "1111111111111111111111111111111111111111111111111111111111111111"
#define HOSTILE     "<b>&\"'"
#define HOSTILE_ESC "&lt;b&gt;&amp;&quot;&#39;"

/* The common envelope head: type, ledger, a digest of 64 times c, dates of 2025. */
#define ENV(type, c)                                                                               \
    "{'type':'" type "','ledger_id':'" LEDGER                                                      \
    "','digest':'" c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c \
        c c c c c c c c c c c c c c c c c c c c c c c c c "','fingerprint':'" c c c c " " c c c c  \
    " " c c c c " " c c c c                                                                        \
    "','as_of':'2025-12-31','start':'2025-01-01','end':'2025-12-31','basis':null,"

static const char neraca_j[] =
    ENV("neraca",
        "a") "'data':{'rows':["
             "{'code':1,'type':'E','amount':-50000,'prior':0},"
             "{'code':1100,'type':'A','amount':1234567,'prior':1000},"
             "{'code':2100,'type':'L','amount':1184567,'prior':1000},"
             "{'code':3100,'type':'E','amount':100000,'prior':0}],"
             "'totals':{'assets':1234567,'liabilities':1184567,'equity':50000,'balanced':true,"
             "'prior_assets':1000,'prior_liabilities':1000,'prior_equity':0},'prior_date':'2024-12-"
             "31'},"
             "'labels':{'neraca':'Neraca','shu_current':'SHU tahun berjalan',"
             "'accounts':{'1100':'Kas','2100':'Simpanan sukarela','3100':'Simpanan pokok'}}}";

static const char statement_j[] =
    ENV("statement",
        "b") "'data':{'member':7,'status':'active','status_text':'anggota aktif',"
             "'joined':'2025-01-06','exited':null,'savings':[{'account':2100,'product':'SS','"
             "opening':0,"
             "'moves':[{'date':'2025-01-07','id':'" LEDGER "','kind':48,'debit':0,'credit':1000,"
             "'confirmed':false},{'date':'2025-02-07','id':'" LEDGER "','kind':49,'debit':2234,"
             "'credit':0,'confirmed':true}],'closing':-1234}],"
             "'loans':[{'loan':'" LEDGER
             "','product':'PU','status':'disbursed','status_text':'dicairkan',"
             "'disbursed':'2025-02-03','principal':2000000,'outstanding':1500000,'arrears':0,"
             "'days_past_due':0,'next_due':'2026-01-03','next_amount':363333,'interest_paid':90000,"
             "'penalty_due':0}],'shu':[],"
             "'refund_due':{'balance':0,'due_date':null,'overdue_days':0},'waiting':[]},"
             "'labels':{'statement':'Laporan simpanan anggota','accounts':{'2100':'Simpanan "
             "sukarela'}}}";

static const char loans_j[] = ENV(
    "loans",
    "c") "'data':{'rows':[{'loan':'" LEDGER "','member':7,'product':'PU',"
         "'disbursed':'2025-02-03','principal':2000000,'outstanding':2000000,'arrears':1453332,"
         "'days_past_due':119,'bucket':1,'class':2,'class_text':'kurang lancar','ppapwd':200000,"
         "'officer':true,'status':'disbursed','status_text':'dicairkan'}],"
         "'buckets':["
         "{'index':0,'class':1,'class_text':'lancar','days':'0-90','count':2,'outstanding':3000000,"
         "'ppap_ppm':5000,'ppapwd':15000},"
         "{'index':1,'class':2,'class_text':'kurang lancar','days':'91-180','count':1,"
         "'outstanding':2000000,'ppap_ppm':100000,'ppapwd':200000},"
         "{'index':2,'class':3,'class_text':'diragukan','days':'181-270','count':0,'outstanding':0,"
         "'ppap_ppm':500000,'ppapwd':0},"
         "{'index':3,'class':4,'class_text':'macet','days':'271+','count':0,'outstanding':0,"
         "'ppap_ppm':1000000,'ppapwd':0}],"
         "'totals':{'count':3,'outstanding':5000000,'bermasalah':2000000,'ratio_ppm':400000,"
         "'ppapwd':215000,'ppap_booked':0,'officer_outstanding':2000000,"
         "'top10':[{'member':7,'outstanding':2000000,'ppm':400000}],'written_off':0}},"
         "'labels':{'loans':'Portofolio pinjaman','health_text':'tidak sehat'}}";

static const char pending_j[] =
    ENV("pending", "d") "'data':[{'id':'" LEDGER "','kind':49,'kind_name':'withdraw',"
                        "'date':'2025-03-01','amount':100000,'member':7,'reason':'countersign',"
                        "'missing_pengurus':0,'missing_pengawas':0,'offices':0,'countersign':7,'"
                        "prerequisite':null,"
                        "'rejects':0,'age_days':305,'text':'X','short_id':'11111111'}],"
                        "'labels':{'pending':'Menunggu persetujuan'}}";

static const char findings_j[] =
    ENV("findings", "e") "'data':[{'code':'late-posting','severity':2,'date':'2025-04-01',"
                         "'entry':null,'member':7,'account':null,'amount':5000,'detail':[0,0],"
                         "'text':'dicatat terlambat'}],'labels':{'findings':'Temuan'}}";

/* SHU_A 1.000.000 split 40 %, 25 %, 20 %, 13,5 %, 1,5 %: widths 400, 250, 200, 135, 15. */
static const char lhu_j[] =
    ENV("lhu",
        "f") "'data':{'sections':[{'section':1,'rows':[{'account':4100,'amount':3000000}],"
             "'subtotal':3000000},{'section':5,'rows':[{'account':5200,'amount':1500000}],"
             "'subtotal':1500000}],'totals':{'partisipasi_neto':3000000,'shu_before_tax':1500000,"
             "'tax':300000,'shu_after_tax':1200000,'nonmember':200000,'member':1000000},"
             "'proposal':["
             "{'index':0,'role':0,'ppm':400000,'account':3400,'amount':400000},"
             "{'index':1,'role':1,'ppm':250000,'account':2300,'amount':250000},"
             "{'index':2,'role':2,'ppm':200000,'account':2300,'amount':200000},"
             "{'index':3,'role':0,'ppm':135000,'account':2310,'amount':135000},"
             "{'index':4,'role':0,'ppm':15000,'account':2320,'amount':15000}]},"
             "'labels':{'sections':{'1':'Partisipasi bruto','5':'Beban usaha'},"
             "'accounts':{'4100':'Jasa pinjaman','5200':'Beban gaji'},"
             "'parts':{'0':'Cadangan','1':'Jasa modal','2':'Jasa usaha','3':'Dana pengurus',"
             "'4':'Dana sosial'}}}";

static const char lhu_noprop_j[] =
    ENV("lhu", "f") "'data':{'sections':[],'totals':{'partisipasi_neto':0,'shu_before_tax':-5000,"
                    "'tax':0,'shu_after_tax':-5000,'nonmember':0,'member':-5000},'proposal':null},"
                    "'labels':{}}";

static const char equity_j[] =
    ENV("equity",
        "g") "'data':{'rows':[{'account':3100,'opening':100000,"
             "'sources':[{'source':1,'credit':200000,'debit':0},{'source':3,'credit':0,'debit':"
             "100000}],"
             "'closing':200000}],'totals':{'opening':100000,'closing':200000}},"
             "'labels':{'accounts':{'3100':'Simpanan pokok'},'sources':{'1':'Penerimaan anggota',"
             "'3':'Anggota keluar'}}}";

static const char cashflow_j[] =
    ENV("cashflow",
        "h") "'data':{'opening_cash':1000000,'activities':["
             "{'activity':1,'lines':[{'line':1,'inflow':180000,'outflow':0},"
             "{'line':7,'inflow':0,'outflow':2000000}],'net':-1820000},"
             "{'activity':2,'lines':[{'line':11,'inflow':0,'outflow':500000}],'net':-500000},"
             "{'activity':3,'lines':[{'line':13,'inflow':4000000,'outflow':0}],'net':4000000}],"
             "'net':1680000,'closing_cash':2680000,'reconciles':true},"
             "'labels':{'activities':{'1':'Aktivitas operasi','2':'Aktivitas investasi',"
             "'3':'Aktivitas pendanaan'},'lines':{'1':'Jasa pinjaman diterima',"
             "'7':'Pinjaman disalurkan','11':'Aset tetap','13':'Simpanan pokok dan wajib'}}}";

static const char shu_members_j[] =
    ENV("shu-members",
        "9") "'data':{'shu_member':1000000,'parts':["
             "{'index':0,'role':0,'ppm':500000,'amount':500000},"
             "{'index':1,'role':1,'ppm':200000,'amount':200000},"
             "{'index':2,'role':2,'ppm':300000,'amount':300000}],"
             "'jm':{'pool':200000,'total':400000000,'paid':199998,'residual':2},"
             "'ju':{'pool':300000,'total':250000000,'paid':300000,'residual':0},"
             "'rows':[{'member':7,'capital':4000000,'usage':1800000,'jm':2000,'ju':2160}],"
             "'members_root':'" LEDGER "'},'labels':{'parts':{'0':'Cadangan','1':'Jasa modal',"
             "'2':'Jasa usaha'}}}";

static const char generic_j[] =
    ENV("frobnicate", "8") "'data':{'rows':[{'x':1,'y':'<i>'},{'x':2,'y':'b'}],'note':'a & b'},"
                           "'labels':{}}";

/* ---- helpers ---- */

/* Parses JSON written with ' for " (the fixtures above). */
static json_t *J(const char *s)
{
    char *d = strdup(s);
    json_error_t e;
    json_t *o;

    assert_non_null(d);
    for (char *p = d; *p; p++)
        if (*p == '\'')
            *p = '"';
    o = json_loads(d, 0, &e);
    if (!o)
        fail_msg("fixture: %s at %d: %.60s", e.text, e.position, d + e.position);
    free(d);
    return o;
}

/* The page of docs[0..n) as a string (free it). */
static char *render(json_t *const *docs, size_t n, const char *org, int lang)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    assert_non_null(f);
    assert_int_equal(cli_html_write(f, org, docs, n, lang), 0);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(strlen(buf), len);
    return buf;
}

static char *render1(const char *fixture, int lang)
{
    json_t *doc = J(fixture);
    char *s = render(&doc, 1, "KSP Uji", lang);

    json_decref(doc);
    return s;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;

    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static bool is_void(const char *name, size_t len)
{
    static const char *const v[] = {"meta", "br", "hr", "img", "col", "wbr", "link", "input"};

    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (strlen(v[i]) == len && strncmp(v[i], name, len) == 0)
            return true;
    return false;
}

/* An event handler attribute anywhere (onload=, onclick=...). */
static bool event_attr(const char *s)
{
    for (const char *p = s; (p = strstr(p, " on")); p += 3) {
        size_t n = strspn(p + 3, "abcdefghijklmnopqrstuvwxyz");

        if (n > 0 && p[3 + n] == '=')
            return true;
    }
    return false;
}

/*
 * Every element opened is closed in order (void and self-closed elements apart); comments and
 * the doctype skipped. Text never holds '<' (it is escaped), so scanning for '<' finds tags.
 */
static void assert_balanced(const char *s)
{
    const char *stack[64];
    size_t lens[64], depth = 0;

    for (const char *p = s; (p = strchr(p, '<'));) {
        const char *end = strchr(p, '>'), *name;
        bool closing = p[1] == '/';
        size_t len;

        assert_non_null(end);
        if (p[1] == '!') {
            p = end + 1;
            continue;
        }
        name = p + 1 + closing;
        len = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789");
        if (len == 0)
            fail_msg("not a tag at: %.40s", p);
        if (closing) {
            if (depth == 0 || lens[depth - 1] != len || strncmp(stack[depth - 1], name, len) != 0)
                fail_msg("</%.*s> closes <%.*s> at: %.60s", (int)len, name,
                         depth ? (int)lens[depth - 1] : 0, depth ? stack[depth - 1] : "", p);
            depth--;
        } else if (end[-1] != '/' && !is_void(name, len)) {
            assert_true(depth < 64);
            stack[depth] = name;
            lens[depth++] = len;
        }
        p = end + 1;
    }
    assert_int_equal(depth, 0);
}

/* What every page must be: doctype and lang, nothing that runs or loads, balanced, and the
 * footer carrying each report's digest and fingerprint. */
static void assert_page(const char *s, int lang, json_t *const *docs, size_t n)
{
    const char *footer;

    assert_non_null(strstr(s, lang == CLI_LANG_EN ? "<!doctype html>\n<html lang=\"en\">"
                                                  : "<!doctype html>\n<html lang=\"id\">"));
    assert_ptr_equal(strstr(s, "<!doctype html>"), s);
    assert_null(strstr(s, "<script"));
    assert_null(strstr(s, "http://"));
    assert_null(strstr(s, "https://"));
    assert_null(strstr(s, "url("));
    assert_null(strstr(s, "@import"));
    assert_null(strstr(s, "@font-face"));
    assert_null(strstr(s, " src="));
    assert_null(strstr(s, " href="));
    assert_false(event_attr(s));
    assert_non_null(strstr(s, "<style>"));
    assert_non_null(strstr(s, "@page { size: A4;"));
    assert_non_null(strstr(s, "@media print"));
    assert_non_null(strstr(s, "font-variant-numeric: tabular-nums"));
    assert_non_null(strstr(s, ".num { text-align: right;"));
    assert_non_null(strstr(s, "saksi " CLI_VERSION));
    assert_balanced(s);
    assert_int_equal(count(s, "<section class=\"report\""), n);
    footer = strstr(s, "<footer class=\"page\">");
    assert_non_null(footer);
    assert_non_null(strstr(footer, LEDGER));
    for (size_t i = 0; i < n; i++) {
        assert_non_null(strstr(footer, json_string_value(json_object_get(docs[i], "digest"))));
        assert_non_null(strstr(footer, json_string_value(json_object_get(docs[i], "fingerprint"))));
    }
}

static void check_one(const char *fixture, int lang)
{
    json_t *doc = J(fixture);
    char *s = render(&doc, 1, "KSP Uji", lang);

    assert_page(s, lang, &doc, 1);
    free(s);
    json_decref(doc);
}

/* ---- tests ---- */

static void test_invalid(void **state)
{
    json_t *ok = J(neraca_j), *notype = json_pack("{s:s}", "digest", "x"), *arr = json_array();
    json_t *docs[2] = {ok, notype};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    (void)state;
    assert_non_null(f);
    assert_int_equal(cli_html_write(f, NULL, docs, 0, CLI_LANG_ID), -EINVAL);
    assert_int_equal(cli_html_write(f, NULL, docs, 2, CLI_LANG_ID), -EINVAL);
    assert_int_equal(cli_html_write(f, NULL, &arr, 1, CLI_LANG_ID), -EINVAL);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(len, 0); /* nothing written before the check */
    free(buf);
    json_decref(ok);
    json_decref(notype);
    json_decref(arr);
}

static void test_every_type(void **state)
{
    const char *const all[] = {neraca_j,   statement_j,   loans_j,      pending_j,
                               findings_j, lhu_j,         lhu_noprop_j, equity_j,
                               cashflow_j, shu_members_j, generic_j};

    (void)state;
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        check_one(all[i], CLI_LANG_ID);
        check_one(all[i], CLI_LANG_EN);
    }
}

static void test_escaping(void **state)
{
    json_t *nr = J(neraca_j), *pd = J(pending_j), *gen = J(generic_j);
    json_t *docs[3] = {nr, pd, gen};
    char *s;

    (void)state;
    /* A hostile account name, waiting text and heading label, and a hostile koperasi name. */
    assert_int_equal(json_object_set_new(json_object_get(json_object_get(nr, "labels"), "accounts"),
                                         "1100", json_string("Kas " HOSTILE)),
                     0);
    assert_int_equal(json_object_set_new(json_array_get(json_object_get(pd, "data"), 0), "text",
                                         json_string("<script>alert(1)</script>")),
                     0);
    assert_int_equal(
        json_object_set_new(json_object_get(nr, "labels"), "neraca", json_string(HOSTILE)), 0);
    s = render(docs, 3, "KSP " HOSTILE, CLI_LANG_ID);
    assert_page(s, CLI_LANG_ID, docs, 3);
    assert_non_null(strstr(s, "<td>Kas " HOSTILE_ESC "</td>"));
    assert_non_null(strstr(s, "<h1 class=\"org\">KSP " HOSTILE_ESC "</h1>"));
    assert_non_null(strstr(s, "<title>KSP " HOSTILE_ESC " - "));
    assert_non_null(strstr(s, "<h2>" HOSTILE_ESC "</h2>"));
    assert_non_null(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_null(strstr(s, HOSTILE));
    /* The unknown type's data as a table, its strings escaped too. */
    assert_non_null(strstr(s, "<td>&lt;i&gt;</td>"));
    assert_non_null(strstr(s, "a &amp; b"));
    free(s);
    json_decref(nr);
    json_decref(pd);
    json_decref(gen);
}

static void test_numbers_and_dates(void **state)
{
    char *s;

    (void)state;
    s = render1(neraca_j, CLI_LANG_ID);
    assert_non_null(strstr(s, "<td class=\"num\">Rp1.234.567</td>"));
    assert_non_null(strstr(s, "<td class=\"num\">-Rp50.000</td>")); /* lists: minus */
    assert_non_null(strstr(s, "<p class=\"meta\">per 31 Desember 2025</p>"));
    assert_non_null(strstr(s, "<th class=\"num\">31-12-2025</th>"));
    assert_non_null(strstr(s, "<th class=\"num\">31-12-2024</th>"));
    assert_null(strstr(s, "2025-12-31</t")); /* no ISO dates in tables */
    free(s);
    s = render1(neraca_j, CLI_LANG_EN);
    assert_non_null(strstr(s, "<p class=\"meta\">as of 31 December 2025</p>"));
    assert_non_null(strstr(s, "Total assets"));
    free(s);
    /* The member statement: running balance, negatives in parentheses. */
    s = render1(statement_j, CLI_LANG_ID);
    assert_non_null(strstr(s, "<td class=\"num\">Rp1.000</td>"));
    assert_non_null(strstr(s, "<td class=\"num\">(Rp1.234)</td></tr>\n<tr class=\"total\">"));
    assert_non_null(strstr(s, "<td>penarikan *</td>"));
    assert_non_null(
        strstr(s, "Periode 1 Januari 2025 s.d. 31 Desember 2025, per 31 Desember 2025"));
    assert_non_null(strstr(s, "<h2>Laporan simpanan anggota 7</h2>"));
    assert_non_null(strstr(s, "<td>07-01-2025</td>"));
    free(s);
    /* Percentages from ppm: 1,5 % / 1.5 %, 13,5 % / 13.5 %. */
    s = render1(lhu_j, CLI_LANG_ID);
    assert_non_null(strstr(s, "<td class=\"num\">1,5%</td>"));
    assert_non_null(strstr(s, "<td class=\"num\">13,5%</td>"));
    assert_non_null(strstr(s, "Dana sosial: 1,5% = Rp15.000"));
    free(s);
    s = render1(lhu_j, CLI_LANG_EN);
    assert_non_null(strstr(s, "<td class=\"num\">1.5%</td>"));
    assert_non_null(strstr(s, "<td class=\"num\">13.5%</td>"));
    assert_non_null(strstr(s, "Period 1 January 2025 to 31 December 2025"));
    free(s);
    s = render1(loans_j, CLI_LANG_ID);
    assert_non_null(strstr(s, "<td class=\"num\">0,5%</td>"));
    assert_non_null(strstr(s, "<td class=\"num\">7*</td>")); /* an officer's loan */
    assert_non_null(strstr(s, "40% (tidak sehat)"));
    free(s);
}

static void test_chart_shu(void **state)
{
    static const char *const segs[] = {
        "<rect class=\"seg\" x=\"0\" y=\"0\" width=\"400\"",
        "<rect class=\"seg\" x=\"400\" y=\"0\" width=\"250\"",
        "<rect class=\"seg\" x=\"650\" y=\"0\" width=\"200\"",
        "<rect class=\"seg\" x=\"850\" y=\"0\" width=\"135\"",
        "<rect class=\"seg\" x=\"985\" y=\"0\" width=\"15\"",
    };
    char *s = render1(lhu_j, CLI_LANG_ID);

    (void)state;
    assert_int_equal(count(s, "<svg class=\"stack\""), 1);
    assert_int_equal(count(s, "class=\"seg\""), 5);
    for (size_t i = 0; i < 5; i++)
        assert_non_null(strstr(s, segs[i]));
    assert_int_equal(count(s, "<ul class=\"legend\">"), 1);
    assert_int_equal(count(strstr(s, "<ul class=\"legend\">"), "<li>"), 5);
    assert_non_null(strstr(s, "Cadangan: 40% = Rp400.000"));
    free(s);
    /* No proposal (a loss): no chart, a sentence instead. */
    s = render1(lhu_noprop_j, CLI_LANG_ID);
    assert_null(strstr(s, "<svg"));
    assert_non_null(strstr(s, "Tidak ada SHU bagian anggota untuk dibagi."));
    assert_non_null(strstr(s, "<td class=\"num\">-Rp5.000</td>"));
    free(s);
    /* shu-members: its parts as the same stacked bar. */
    s = render1(shu_members_j, CLI_LANG_ID);
    assert_int_equal(count(s, "class=\"seg\""), 3);
    assert_non_null(strstr(s, "<rect class=\"seg\" x=\"700\" y=\"0\" width=\"300\""));
    assert_non_null(strstr(s, LEDGER "</span>")); /* members_root */
    free(s);
}

static void test_chart_loans(void **state)
{
    /* Largest outstanding 3.000.000 = 480 units: 2.000.000 -> 320; PPAPWD 15.000 -> 2,
     * 200.000 -> 32. */
    char *s = render1(loans_j, CLI_LANG_ID);

    (void)state;
    assert_int_equal(count(s, "<svg class=\"bars\""), 1);
    assert_int_equal(count(s, "<rect class=\"bar\""), 4);
    assert_int_equal(count(s, "<rect class=\"mark\""), 4);
    assert_non_null(strstr(s, "<rect class=\"bar\" x=\"240\" y=\"4\" width=\"480\""));
    assert_non_null(strstr(s, "<rect class=\"mark\" x=\"240\" y=\"4\" width=\"2\""));
    assert_non_null(strstr(s, "<rect class=\"bar\" x=\"240\" y=\"32\" width=\"320\""));
    assert_non_null(strstr(s, "<rect class=\"mark\" x=\"240\" y=\"32\" width=\"32\""));
    assert_non_null(strstr(s, "<rect class=\"bar\" x=\"240\" y=\"60\" width=\"0\""));
    assert_non_null(strstr(s, ">kurang lancar</text>"));
    assert_non_null(strstr(s, "Rp2.000.000 (PPAPWD Rp200.000)"));
    free(s);
    /* The neraca has no chart. */
    s = render1(neraca_j, CLI_LANG_ID);
    assert_null(strstr(s, "<svg"));
    free(s);
}

static void test_chart_cashflow(void **state)
{
    /* Largest flow 4.000.000 = 480 units: 180.000 -> 21, 2.000.000 -> 240, 500.000 -> 60. */
    char *s = render1(cashflow_j, CLI_LANG_ID);

    (void)state;
    assert_int_equal(count(s, "<rect class=\"bar bar-in\""), 3);
    assert_int_equal(count(s, "<rect class=\"bar bar-out\""), 3);
    assert_non_null(strstr(s, "<rect class=\"bar bar-in\" x=\"240\" y=\"4\" width=\"21\""));
    assert_non_null(strstr(s, "<rect class=\"bar bar-out\" x=\"240\" y=\"26\" width=\"240\""));
    assert_non_null(strstr(s, "<rect class=\"bar bar-out\" x=\"240\" y=\"78\" width=\"60\""));
    assert_non_null(strstr(s, "<rect class=\"bar bar-in\" x=\"240\" y=\"108\" width=\"480\""));
    assert_non_null(strstr(s, ">Aktivitas pendanaan</text>"));
    assert_non_null(
        strstr(s, "<td>Pinjaman disalurkan</td><td class=\"num\">Rp0</td>"
                  "<td class=\"num\">Rp2.000.000</td><td class=\"num\">-Rp2.000.000</td>"));
    assert_non_null(strstr(s, "<td class=\"num\">-Rp1.820.000</td>"));
    assert_non_null(strstr(s, "<td class=\"num\">Rp2.680.000</td>"));
    free(s);
}

static void test_equity(void **state)
{
    char *s = render1(equity_j, CLI_LANG_ID);

    (void)state;
    assert_non_null(strstr(s, "<td>Simpanan pokok</td><td class=\"num\">Rp100.000</td>"
                              "<td class=\"num\">Rp200.000</td><td class=\"num\">Rp100.000</td>"
                              "<td class=\"num\">Rp200.000</td>"));
    assert_non_null(strstr(s, "<td class=\"indent\">Anggota keluar</td>"));
    free(s);
}

static void test_all_on_one_page(void **state)
{
    const char *const all[] = {neraca_j, loans_j,    pending_j,     findings_j, lhu_j,
                               equity_j, cashflow_j, shu_members_j, generic_j};
    json_t *docs[9];
    char *s;

    (void)state;
    for (size_t i = 0; i < 9; i++)
        docs[i] = J(all[i]);
    s = render(docs, 9, NULL, CLI_LANG_EN);
    assert_page(s, CLI_LANG_EN, docs, 9);
    assert_null(strstr(s, "<h1")); /* no koperasi name given */
    assert_int_equal(count(s, "class=\"seg\""), 5 + 3);
    assert_int_equal(count(strstr(s, "<footer"), "<tr>"), 1 + 9);
    for (size_t i = 0; i < 9; i++)
        json_decref(docs[i]);
    free(s);
}

static void test_file(void **state)
{
    char dir[256], path[300], bad[300];
    json_t *doc = J(loans_j);
    char *mem = render(&doc, 1, "KSP", CLI_LANG_ID), *buf;
    struct stat sb;
    mode_t old = umask(022);
    FILE *f;
    DIR *d;
    struct dirent *e;
    size_t n = 0;

    (void)state;
    test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/laporan.html", dir);
    snprintf(bad, sizeof bad, "%s/missing/laporan.html", dir);
    assert_int_equal(cli_html_file(path, "KSP", &doc, 1, CLI_LANG_ID), 0);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0644);
    buf = calloc(1, (size_t)sb.st_size + 1);
    assert_non_null(buf);
    f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(buf, 1, (size_t)sb.st_size, f), (size_t)sb.st_size);
    fclose(f);
    assert_string_equal(buf, mem); /* the file is the page, byte for byte */
    /* A directory that does not exist: the error, and nothing left behind. */
    assert_int_equal(cli_html_file(bad, "KSP", &doc, 1, CLI_LANG_ID), -ENOENT);
    assert_int_equal(cli_html_file(path, "KSP", &doc, 0, CLI_LANG_ID), -EINVAL);
    d = opendir(dir);
    assert_non_null(d);
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            assert_string_equal(e->d_name, "laporan.html");
            n++;
        }
    closedir(d);
    assert_int_equal(n, 1);
    umask(old);
    test_rmrf(dir);
    free(buf);
    free(mem);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invalid),         cmocka_unit_test(test_every_type),
        cmocka_unit_test(test_escaping),        cmocka_unit_test(test_numbers_and_dates),
        cmocka_unit_test(test_chart_shu),       cmocka_unit_test(test_chart_loans),
        cmocka_unit_test(test_chart_cashflow),  cmocka_unit_test(test_equity),
        cmocka_unit_test(test_all_on_one_page), cmocka_unit_test(test_file),
    };

    return cmocka_run_group_tests_name("cli_render_html", tests, NULL, NULL);
}
