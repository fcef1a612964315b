/*
 * Fuzz target for proto/params and proto/params_text: any input is decoded as a kind 32 body and
 * parsed as the text form. Decoding fails only with ERR_BODY (or -ENOMEM) and leaves its output
 * zeroed; a body that decodes is canonical (encoding it gives back the input, byte for byte),
 * keeps to the format rules (the check, run against the standard chart of `saksi init`, may
 * find it unsound but never malformed), and its text form, whenever it has one, reads back as
 * the same body. Text that parses is a well-formed body, can always be written, and reads back
 * the same; text that does not parse says where, as "NAME:LINE: ..." or "NAME: ...".
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/err.h"
#include "proto/ledger.h"
#include "proto/params.h"
#include "proto/params_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TEXT_MAX 65536 /* longer texts only slow the run down */

/* The standard chart of cli/cmd_init.c: codes, types and sub-ledgers (names do not matter). */
static const uint16_t std_chart[][3] = {
    {1100, 1, 0}, {1110, 1, 0}, {1120, 1, 0}, {1200, 1, 1}, {1210, 1, 0}, {1290, 2, 0},
    {1300, 1, 1}, {1310, 1, 0}, {1400, 1, 0}, {1500, 1, 0}, {1600, 1, 0}, {1610, 1, 0},
    {1620, 1, 0}, {1630, 1, 0}, {1690, 2, 0}, {1700, 1, 0}, {2100, 3, 1}, {2110, 3, 1},
    {2120, 3, 1}, {2130, 3, 0}, {2200, 3, 0}, {2210, 3, 0}, {2300, 3, 1}, {2310, 3, 0},
    {2320, 3, 0}, {2330, 3, 0}, {2340, 3, 0}, {2350, 3, 0}, {2400, 3, 1}, {2500, 3, 0},
    {2600, 3, 1}, {2610, 3, 0}, {2700, 3, 0}, {3100, 4, 1}, {3110, 4, 1}, {3200, 4, 1},
    {3300, 4, 0}, {3400, 4, 0}, {3410, 4, 0}, {3500, 4, 0}, {3510, 4, 0}, {4100, 5, 1},
    {4110, 5, 0}, {4200, 5, 0}, {4210, 5, 0}, {4300, 5, 0}, {4900, 5, 0}, {5100, 6, 0},
    {5110, 6, 0}, {5120, 6, 0}, {5200, 6, 0}, {5210, 6, 0}, {5220, 6, 0}, {5230, 6, 0},
    {5240, 6, 0}, {5250, 6, 0}, {5300, 6, 0}, {5900, 6, 0},
};

#define STD_N (sizeof std_chart / sizeof std_chart[0])

static struct proto_account g_accounts[STD_N];
static struct proto_genesis g_gen;
static struct proto_params g_p, g_q;

static void init(void)
{
    for (size_t i = 0; i < STD_N; i++) {
        g_accounts[i].code = std_chart[i][0];
        g_accounts[i].type = (uint8_t)std_chart[i][1];
        g_accounts[i].sub = std_chart[i][2] != 0;
        memcpy(g_accounts[i].name, "x", 2);
    }
    memcpy(g_gen.name, "fuzz", 5);
    memcpy(g_gen.currency, "IDR", 4);
    g_gen.naccounts = STD_N;
    g_gen.accounts = g_accounts;
}

static bool zeroed(const void *p, size_t n)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < n; i++)
        if (b[i])
            return false;
    return true;
}

/* The check runs, and never calls a decoded or parsed version malformed. */
static void check_sound_or_void(const struct proto_params *p)
{
    struct proto_params_problem why;
    int rc = proto_params_check(p, &g_gen, NULL, 0, &why);

    if (rc == 0 ? why.kind != PROTO_PARAMS_OK
                : rc != ERR_RULE || why.kind <= PROTO_PARAMS_OK ||
                      why.kind > PROTO_PARAMS_DUPLICATE || why.kind == PROTO_PARAMS_FORMAT)
        abort();
    (void)proto_params_problem_str(why.kind);
}

/* A name the text form can carry: no blank at either end, nothing that reads as a comment. */
static bool name_plain(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || s[0] == ' ' || s[n - 1] == ' ' || s[0] == '#')
        return false;
    for (size_t i = 1; i < n; i++)
        if (s[i] == '#' && s[i - 1] == ' ')
            return false;
    return true;
}

static bool text_writable(const struct proto_params *p)
{
    if (p->shu_residual_part >= p->nshu)
        return false;
    for (uint32_t i = 0; i < p->nadd; i++)
        if (!name_plain(p->add[i].name))
            return false;
    for (uint32_t i = 0; i < p->nshu; i++)
        if (!name_plain(p->shu[i].name))
            return false;
    return true;
}

/* p's text reads back as exactly the body in want[0..n). */
static void text_back(const struct proto_params *p, const uint8_t *want, size_t n, bool must)
{
    struct proto_buf text, again;
    char err[256];
    int rc;

    proto_buf_init(&text);
    proto_buf_init(&again);
    rc = proto_params_text_write(p, &text);
    if (rc == -ENOMEM)
        goto out;
    if (rc != 0) {
        if (rc != -EINVAL || must || text_writable(p))
            abort();
        goto out;
    }
    rc = proto_params_text_parse("w", (const char *)text.data, text.len, &g_q, err, sizeof err);
    if (rc == -ENOMEM)
        goto out;
    if (rc != 0 || proto_params_encode(&g_q, &again) != 0 || again.len != n ||
        memcmp(again.data, want, n) != 0)
        abort();
out:
    proto_buf_release(&text);
    proto_buf_release(&again);
}

static void fuzz_body(const uint8_t *data, size_t size)
{
    struct proto_buf b;
    int rc;

    memset(&g_p, 0xee, sizeof g_p);
    rc = proto_params_decode(data, size, &g_p);
    if (rc < 0) {
        if ((rc != ERR_BODY && rc != -ENOMEM) || !zeroed(&g_p, sizeof g_p))
            abort();
        return;
    }
    proto_buf_init(&b);
    rc = proto_params_encode(&g_p, &b);
    if (rc == 0 && (b.len != size || memcmp(b.data, data, size) != 0))
        abort();
    if (rc != 0 && rc != -ENOMEM)
        abort();
    check_sound_or_void(&g_p);
    if (rc == 0)
        text_back(&g_p, b.data, b.len, false);
    proto_buf_release(&b);
}

static void fuzz_text(const uint8_t *data, size_t size)
{
    struct proto_buf b;
    char err[256];
    int rc;

    if (size > TEXT_MAX)
        return;
    memset(&g_p, 0xee, sizeof g_p);
    memset(err, 0xee, sizeof err);
    rc = proto_params_text_parse("f.txt", (const char *)data, size, &g_p, err, sizeof err);
    if (rc < 0) {
        if (rc == -ENOMEM)
            return;
        if (rc != ERR_CONFIG || !zeroed(&g_p, sizeof g_p) || !memchr(err, '\0', sizeof err) ||
            strncmp(err, "f.txt:", 6) != 0)
            abort();
        return;
    }
    proto_buf_init(&b);
    rc = proto_params_encode(&g_p, &b);
    if (rc == 0) {
        /* What the parser accepts is a canonical, well-formed body... */
        if (proto_params_decode(b.data, b.len, &g_q) != 0 || memcmp(&g_q, &g_p, sizeof g_p) != 0)
            abort();
        check_sound_or_void(&g_p);
        /* ... that it can always write and read back. */
        text_back(&g_p, b.data, b.len, true);
    } else if (rc != -ENOMEM) {
        abort();
    }
    proto_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;

    if (!ready) {
        init();
        ready = true;
    }
    fuzz_body(data, size);
    fuzz_text(data, size);
    return 0;
}
