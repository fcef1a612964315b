/*
 * Unit tests of the install marker (store/install.c): what store_install_here names, the file
 * written and read back, every damaged form refused as a whole, and the verdicts of
 * store_install_check for a marker of this install, of another directory, of another machine,
 * unverified, damaged, and missing in a data directory whose store holds nothing of the device.
 * (tests/cli/test_restore.sh covers the rest through the CLI: cp -a copies, restores in place,
 * the override, a missing marker beside the device's own entries.)
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "proto/crypto.h"
#include "store/install.h"
#include "tests/unit/helpers.h"

struct fx {
    char dir[4096];
    char path[4200];
    struct store *st;
};

static int fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    char sp[4200];

    if (!f)
        return -1;
    test_tmpdir(f->dir, sizeof f->dir);
    snprintf(f->path, sizeof f->path, "%s/install", f->dir);
    snprintf(sp, sizeof sp, "%s/store", f->dir);
    if (store_open(sp, STORE_CREATE, &f->st) < 0)
        return -1;
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    struct fx *f = *state;

    store_close(f->st);
    test_rmrf(f->dir);
    free(f);
    return 0;
}

static void put(const struct fx *f, const char *text)
{
    FILE *o = fopen(f->path, "w");

    assert_non_null(o);
    fputs(text, o);
    fclose(o);
}

static const uint8_t author[32] = {7};

static enum store_install_verdict verdict(struct fx *f)
{
    enum store_install_verdict v;

    assert_int_equal(store_install_check(f->dir, f->st, author, &v), 0);
    return v;
}

static void t_missing_dir(void **state)
{
    struct store_install m;

    (void)state;
    assert_int_equal(store_install_here("/nonexistent/saksi/dir", &m), -ENOENT);
    assert_int_equal(store_install_read("/nonexistent/saksi/dir", &m), -ENOENT);
}

static void t_here(void **state)
{
    struct fx *f = *state;
    struct store_install a, b;
    struct stat sb;

    assert_int_equal(stat(f->dir, &sb), 0);
    assert_int_equal(store_install_here(f->dir, &a), 0);
    assert_int_equal(store_install_here(f->dir, &b), 0);
    assert_true(a.machine[0] != '\0');
    assert_int_equal(a.ino, (uint64_t)sb.st_ino);
    assert_int_equal(a.dev, (uint64_t)sb.st_dev);
    assert_true(a.armed);
    assert_string_equal(a.machine, b.machine);
    assert_memory_not_equal(a.nonce, b.nonce, sizeof a.nonce); /* a fresh nonce each time */
}

static void t_roundtrip(void **state)
{
    struct fx *f = *state;
    struct store_install w, r;
    struct stat sb;

    assert_int_equal(store_install_read(f->dir, &r), -ENOENT);
    assert_int_equal(store_install_here(f->dir, &w), 0);
    w.armed = false;
    w.btime_s = -5; /* whatever the file system says goes back unchanged */
    w.btime_ns = 999999999;
    assert_int_equal(store_install_write(f->dir, &w), 0);
    assert_int_equal(stat(f->path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(store_install_read(f->dir, &r), 0);
    assert_string_equal(r.machine, w.machine);
    assert_int_equal(r.dev, w.dev);
    assert_int_equal(r.ino, w.ino);
    assert_int_equal(r.btime_s, w.btime_s);
    assert_int_equal(r.btime_ns, w.btime_ns);
    assert_memory_equal(r.nonce, w.nonce, sizeof r.nonce);
    assert_false(r.armed);
}

static void t_damaged(void **state)
{
    static const char *const bad[] = {
        "",
        "saksi-install 2\nmachine m\ndev 1\nino 2\nbtime 3.4\nnonce "
        "00112233445566778899aabbccddeeff\nstate armed\n",
        /* a field missing */
        "saksi-install 1\nmachine m\ndev 1\nino 2\nbtime 3.4\nstate armed\n",
        /* a field twice */
        "saksi-install 1\nmachine m\ndev 1\nino 2\nino 2\nbtime 3.4\nnonce "
        "00112233445566778899aabbccddeeff\nstate armed\n",
        /* an unknown field */
        "saksi-install 1\nmachine m\ndev 1\nino 2\nbtime 3.4\nnonce "
        "00112233445566778899aabbccddeeff\nstate armed\ncolour blue\n",
        /* an unknown state */
        "saksi-install 1\nmachine m\ndev 1\nino 2\nbtime 3.4\nnonce "
        "00112233445566778899aabbccddeeff\nstate maybe\n",
        /* a short nonce, a negative inode, a bad birth time */
        "saksi-install 1\nmachine m\ndev 1\nino 2\nbtime 3.4\nnonce 0011\nstate armed\n",
        "saksi-install 1\nmachine m\ndev 1\nino -2\nbtime 3.4\nnonce "
        "00112233445566778899aabbccddeeff\nstate armed\n",
        "saksi-install 1\nmachine m\ndev 1\nino 2\nbtime 3.x\nnonce "
        "00112233445566778899aabbccddeeff\nstate armed\n",
    };

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct fx *f = *state;
        struct store_install r;

        put(f, bad[i]);
        assert_int_equal(store_install_read(f->dir, &r), -EBADMSG);
        assert_int_equal(verdict(f), STORE_INSTALL_DAMAGED);
    }
}

static void t_verdicts(void **state)
{
    struct fx *f = *state;
    struct store_install m, r;

    /* Missing, and the store holds nothing of this device: armed, and written so. */
    assert_int_equal(verdict(f), STORE_INSTALL_OK);
    assert_int_equal(store_install_read(f->dir, &r), 0);
    assert_true(r.armed);
    /* ensure leaves an existing marker alone. */
    assert_int_equal(store_install_ensure(f->dir), 0);
    assert_int_equal(store_install_read(f->dir, &m), 0);
    assert_memory_equal(m.nonce, r.nonce, sizeof m.nonce);
    /* Another nonce alone is the same install. */
    proto_random(m.nonce, sizeof m.nonce);
    assert_int_equal(store_install_write(f->dir, &m), 0);
    assert_int_equal(verdict(f), STORE_INSTALL_OK);
    /* Unverified. */
    m.armed = false;
    assert_int_equal(store_install_write(f->dir, &m), 0);
    assert_int_equal(verdict(f), STORE_INSTALL_UNVERIFIED);
    /* Another directory: inode, device or birth time. */
    m = r;
    m.ino++;
    assert_int_equal(store_install_write(f->dir, &m), 0);
    assert_int_equal(verdict(f), STORE_INSTALL_COPIED);
    m = r;
    m.btime_ns = (m.btime_ns + 1) % 1000000000u;
    assert_int_equal(store_install_write(f->dir, &m), 0);
    assert_int_equal(verdict(f), STORE_INSTALL_COPIED);
    m = r;
    m.dev++;
    assert_int_equal(store_install_write(f->dir, &m), 0);
    assert_int_equal(verdict(f), STORE_INSTALL_COPIED);
    /* Another machine wins over everything else. */
    m.armed = false;
    snprintf(m.machine, sizeof m.machine, "another-machine");
    assert_int_equal(store_install_write(f->dir, &m), 0);
    assert_int_equal(verdict(f), STORE_INSTALL_OTHER_MACHINE);
    /* Arming makes it this install again. */
    assert_int_equal(store_install_arm(f->dir, NULL), 0);
    assert_int_equal(verdict(f), STORE_INSTALL_OK);
    assert_non_null(strstr(store_install_why(STORE_INSTALL_COPIED), "copied or restored"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_missing_dir),
        cmocka_unit_test_setup_teardown(t_here, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(t_roundtrip, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(t_damaged, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(t_verdicts, fx_setup, fx_teardown),
    };

    if (proto_crypto_init() < 0)
        return 1;
    return cmocka_run_group_tests_name("store_install", tests, NULL, NULL);
}
