/*
 * Fuzz target for proto/invite: any input is decoded as an invite code (a NUL-terminated string),
 * as an invite token and as a join request. Decoding fails only with the documented codes and
 * leaves its output zeroed; whatever decodes is whole: a code's token parses to the same invite,
 * and the code encodes back to exactly the input without its surrounding white space; a join
 * request's note is bounded text and its card signature binds its two keys.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/crypto.h"
#include "proto/err.h"
#include "proto/invite.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool zeroed(const void *p, size_t n)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < n; i++)
        if (b[i])
            return false;
    return true;
}

static bool scanner_err(int rc)
{
    return rc == ERR_BADFRAME || rc == ERR_TRUNC || rc == ERR_NONCANON || rc == ERR_TYPE ||
           rc == ERR_UTF8 || rc == ERR_DEPTH || rc == ERR_TOOBIG || rc == -ENOMEM;
}

static void fuzz_code(const uint8_t *data, size_t size)
{
    static struct proto_invite_code c;
    struct proto_invite inv;
    char *s, *again = NULL;
    size_t a = 0, b;
    int rc;

    if (size > 4 * PROTO_INVITE_CODE_MAX)
        return;
    s = malloc(size + 1);
    if (!s)
        return;
    memcpy(s, data, size);
    s[size] = '\0';
    memset(&c, 0xee, sizeof c);
    rc = proto_invite_code_decode(s, &c);
    if (rc < 0) {
        if (rc != ERR_INVITE && rc != ERR_BADSIG && rc != ERR_VERSION && rc != -ENOMEM)
            abort();
        if (!zeroed(&c, sizeof c))
            abort();
        free(s);
        return;
    }
    if (c.token_len == 0 || c.token_len > PROTO_INVITE_TOKEN_MAX ||
        strlen(c.addr) > PROTO_INVITE_ADDR_MAX || !strchr(c.addr, ':'))
        abort();
    if (proto_invite_parse(c.token, c.token_len, &inv) != 0 ||
        memcmp(&inv, &c.inv, sizeof inv) != 0)
        abort();
    /* The code is canonical: encoding what was decoded gives back the input, trimmed. */
    b = strlen(s);
    while (a < b && isspace((unsigned char)s[a]))
        a++;
    while (b > a && isspace((unsigned char)s[b - 1]))
        b--;
    rc = proto_invite_code_encode(c.netkey, c.addr, c.token, c.token_len, &again);
    if (rc == -ENOMEM) {
        free(s);
        return;
    }
    if (rc != 0 || strlen(again) != b - a || memcmp(again, s + a, b - a) != 0)
        abort();
    free(again);
    free(s);
}

static void fuzz_token(const uint8_t *data, size_t size)
{
    struct proto_invite inv;
    int rc;

    memset(&inv, 0xee, sizeof inv);
    rc = proto_invite_parse(data, size, &inv);
    if (rc < 0) {
        if (!scanner_err(rc) && rc != ERR_VERSION && rc != ERR_BADSIG)
            abort();
        if (!zeroed(&inv, sizeof inv))
            abort();
        return;
    }
    if (size > PROTO_INVITE_TOKEN_MAX || inv.role > 4)
        abort();
}

static void fuzz_join(const uint8_t *data, size_t size)
{
    struct proto_join j;
    size_t n;
    int rc;

    memset(&j, 0xee, sizeof j);
    rc = proto_join_parse(data, size, &j);
    if (rc < 0) {
        if (!scanner_err(rc) && rc != ERR_VERSION && rc != ERR_BADSIG)
            abort();
        if (!zeroed(&j, sizeof j))
            abort();
        return;
    }
    n = strnlen(j.note, sizeof j.note);
    if (size > PROTO_JOIN_MAX || n > PROTO_JOIN_NOTE_MAX ||
        proto_card_verify(j.sign_pk, j.box_pk, j.card_sig) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool init;

    if (!init) {
        if (proto_crypto_init() < 0)
            abort();
        init = true;
    }
    fuzz_code(data, size);
    fuzz_token(data, size);
    fuzz_join(data, size);
    return 0;
}
