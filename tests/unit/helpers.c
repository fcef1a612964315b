/*
 * Helpers shared by the unit tests.
 */
#define _XOPEN_SOURCE 700
#include "tests/unit/helpers.h"

#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "proto/crypto.h"

void test_tmpdir(char *buf, size_t size)
{
    const char *base = getenv("TMPDIR");
    int n = snprintf(buf, size, "%s/saksi-test-XXXXXX", base && *base ? base : "/tmp");

    assert_true(n > 0 && (size_t)n < size);
    assert_non_null(mkdtemp(buf));
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    (void)remove(path);
    return 0;
}

void test_rmrf(const char *path)
{
    (void)nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void test_unhex(const char *hex, uint8_t *out, size_t n)
{
    assert_int_equal(proto_unhex(hex, out, n), 0);
}
