/*
 * Shared CLI pieces: data-directory paths, the writer's flock, key loading, file I/O, authoring
 * an entry as this device, and the small parsers and formatters every command uses.
 */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "proto/err.h"
#include "proto/mp.h"
#include "store/install.h"

static void vmsg(const char *kind, const char *fmt, va_list ap)
{
    fprintf(stderr, "saksi: %s: ", kind);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_err(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vmsg("error", fmt, ap);
    va_end(ap);
}

void cli_warn(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vmsg("warning", fmt, ap);
    va_end(ap);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vmsg("error", fmt, ap);
    va_end(ap);
    fprintf(stderr, "try 'saksi %s --help'\n", cmd);
    return CLI_USAGE;
}

int cli_opt_error(const char *cmd, int c, char **argv)
{
    const char *arg = optind > 0 ? argv[optind - 1] : "?";

    if (c == ':')
        return cli_usage(cmd, "option '%s' needs a value", arg);
    if (optopt && optopt != '?')
        return cli_usage(cmd, "unknown option '-%c'", optopt);
    return cli_usage(cmd, "unknown option '%s'", arg);
}

void cli_path(const struct cli_ctx *ctx, const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", ctx->data_dir, name);
}

int cli_data_dir_make(const struct cli_ctx *ctx)
{
    if (mkdir(ctx->data_dir, 0700) < 0 && errno != EEXIST)
        return -errno;
    return 0;
}

static int lock_take(struct cli_ctx *ctx)
{
    return store_lock_take(ctx->data_dir, &ctx->lock_fd);
}

static void lock_drop(struct cli_ctx *ctx)
{
    if (ctx->lock_fd >= 0) {
        close(ctx->lock_fd); /* closing releases the flock */
        ctx->lock_fd = -1;
    }
}

bool cli_store_present(const struct cli_ctx *ctx)
{
    char path[4200];
    struct stat sb;

    cli_path(ctx, "store", path, sizeof path);
    return stat(path, &sb) == 0;
}

int cli_store_open_ro(struct cli_ctx *ctx, struct store **st)
{
    char path[4200];

    if (!cli_store_present(ctx))
        return ERR_NOLEDGER;
    cli_path(ctx, "store", path, sizeof path);
    return store_open(path, STORE_RDONLY, st);
}

int cli_store_open_rw(struct cli_ctx *ctx, struct store **st)
{
    char path[4200];
    bool born;
    int rc;

    *st = NULL;
    rc = cli_data_dir_make(ctx);
    if (rc < 0)
        return rc;
    rc = lock_take(ctx);
    if (rc == ERR_LOCKED) {
        /* saksid holds the lock: read here, write through its control socket. */
        json_t *req = json_pack("{s:s}", "op", "status"), *reply = NULL;
        int nrc = cli_node_request(ctx, req, &reply);

        json_decref(req);
        json_decref(reply);
        if (nrc < 0)
            return ERR_LOCKED; /* another writer, not a node we can reach */
        rc = cli_store_open_ro(ctx, st);
        if (rc == 0)
            ctx->via_node = true;
        return rc;
    }
    if (rc < 0)
        return rc;
    born = !cli_store_present(ctx);
    cli_path(ctx, "store", path, sizeof path);
    rc = store_open(path, STORE_CREATE, st);
    if (rc < 0) {
        lock_drop(ctx);
        return rc;
    }
    /* A store born here holds nothing authored elsewhere yet: this is the install (a marker
     * that exists, e.g. from 'saksi key new', stays). If the marker cannot be written now,
     * cli_author's check writes one later. */
    if (born)
        (void)store_install_ensure(ctx->data_dir);
    return 0;
}

void cli_store_close(struct cli_ctx *ctx, struct store *st)
{
    store_close(st);
    lock_drop(ctx);
}

int cli_open_error(const struct cli_ctx *ctx, int rc)
{
    if (rc == ERR_NOLEDGER || rc == -ENOENT)
        cli_err("no ledger in '%s' (found one with 'saksi init' or import one)", ctx->data_dir);
    else if (rc == ERR_LOCKED)
        cli_err("the data directory '%s' is locked by another writer (is saksid running?)",
                ctx->data_dir);
    else
        cli_err("cannot open the store in '%s': %s", ctx->data_dir, err_str(rc));
    return CLI_RUNTIME;
}

int cli_file_read(const char *path, size_t max, struct proto_buf *out)
{
    uint8_t chunk[65536];
    FILE *f = fopen(path, "rb");
    size_t n;
    int rc = 0;

    if (!f)
        return -errno;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (out->len + n > max) {
            rc = -EFBIG;
            break;
        }
        rc = proto_buf_append(out, chunk, n);
        if (rc < 0)
            break;
    }
    if (rc == 0 && ferror(f))
        rc = -EIO;
    fclose(f);
    return rc;
}

int cli_lines_init(struct cli_lines *l, struct proto_buf *b)
{
    int rc = proto_buf_append_byte(b, '\0');

    memset(l, 0, sizeof *l);
    if (rc < 0)
        return rc;
    l->p = (char *)b->data;
    l->end = l->p + b->len - 1;
    if (b->len >= 4 && memcmp(l->p, "\xef\xbb\xbf", 3) == 0) /* a UTF-8 BOM from some editors */
        l->p += 3;
    return 0;
}

char *cli_lines_next(struct cli_lines *l, size_t *n)
{
    char *s = l->p, *nl;

    if (s >= l->end)
        return NULL;
    nl = memchr(s, '\n', (size_t)(l->end - s));
    if (!nl)
        nl = l->end;
    *nl = '\0';
    *n = (size_t)(nl - s);
    if (*n > 0 && s[*n - 1] == '\r')
        s[--*n] = '\0';
    l->p = nl + 1;
    l->line++;
    return s;
}

int cli_file_write(const char *path, const void *p, size_t n, int mode, bool excl)
{
    char tmp[4300];
    const uint8_t *b = p;
    int fd, rc = 0;

    if (excl && access(path, F_OK) == 0)
        return -EEXIST;
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return -errno;
    while (n > 0) {
        ssize_t w = write(fd, b, n);

        if (w < 0) {
            if (errno == EINTR)
                continue;
            rc = -errno;
            break;
        }
        b += w;
        n -= (size_t)w;
    }
    if (rc == 0 && fsync(fd) < 0)
        rc = -errno;
    if (close(fd) < 0 && rc == 0)
        rc = -errno;
    if (rc == 0) {
        /* link() refuses to replace: the exclusive case stays exclusive even under a race. */
        if (excl) {
            if (link(tmp, path) < 0)
                rc = -errno;
            (void)unlink(tmp);
        } else if (rename(tmp, path) < 0) {
            rc = -errno;
        }
    }
    if (rc < 0)
        (void)unlink(tmp);
    return rc;
}

void cli_secret_free(char *p)
{
    proto_secure_free(p);
}

#define PASS_MAX     1024
#define JSON_INT_MAX ((uint64_t)1 << 53) /* integers a JSON double holds exactly */

int cli_passphrase_read(const char *path, char **out, size_t *len)
{
    char *p;
    FILE *f;
    size_t n = 0;
    int c;

    *out = NULL;
    *len = 0;
    f = fopen(path, "rb");
    if (!f)
        return -errno;
    p = proto_secure_alloc(PASS_MAX + 1);
    if (!p) {
        fclose(f);
        return -ENOMEM;
    }
    while ((c = fgetc(f)) != EOF && c != '\n' && c != '\r' && n < PASS_MAX)
        p[n++] = (char)c;
    fclose(f);
    p[n] = '\0';
    if (n == 0) {
        proto_secure_free(p);
        return -EINVAL;
    }
    *out = p;
    *len = n;
    return 0;
}

/* Reads a passphrase from the terminal without echo. */
static int passphrase_tty(char **out, size_t *len)
{
    struct termios old, quiet;
    char *p;
    size_t n = 0;
    int c, fd;
    FILE *tty = fopen("/dev/tty", "r+");

    *out = NULL;
    if (!tty)
        return -ENOTTY;
    fd = fileno(tty);
    p = proto_secure_alloc(PASS_MAX + 1);
    if (!p) {
        fclose(tty);
        return -ENOMEM;
    }
    fputs("Passphrase: ", tty);
    fflush(tty);
    if (tcgetattr(fd, &old) == 0) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        (void)tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    while ((c = fgetc(tty)) != EOF && c != '\n' && n < PASS_MAX)
        p[n++] = (char)c;
    p[n] = '\0';
    (void)tcsetattr(fd, TCSAFLUSH, &old);
    fputc('\n', tty);
    fclose(tty);
    *out = p;
    *len = n;
    return 0;
}

int cli_keys_load(struct cli_ctx *ctx, struct proto_keys **out)
{
    char path[4200];
    struct proto_buf b;
    char *pass = NULL;
    size_t plen = 0;
    int rc;

    *out = NULL;
    proto_buf_init(&b);
    cli_path(ctx, "key", path, sizeof path);
    rc = cli_file_read(path, 4096, &b);
    if (rc < 0)
        goto out;
    if (proto_keyfile_is_sealed(b.data, b.len)) {
        const char *pf =
            ctx->passphrase_file ? ctx->passphrase_file : getenv("SAKSI_PASSPHRASE_FILE");

        rc = pf ? cli_passphrase_read(pf, &pass, &plen) : passphrase_tty(&pass, &plen);
        if (rc == -ENOTTY || rc == -ENXIO)
            rc = ERR_NEEDPASS;
        if (rc < 0)
            goto out;
    }
    rc = proto_keyfile_decode(b.data, b.len, pass, plen, out);
out:
    if (b.data)
        proto_memzero(b.data, b.len);
    proto_buf_release(&b);
    cli_secret_free(pass);
    return rc;
}

static uint64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

#define OVERRIDE_FLAG "--i-am-sure-this-is-the-only-copy"

/*
 * Restore safety: this data directory's install marker must name this install, armed. When it
 * does not, authoring could fork the feed (its later entries may exist elsewhere): refuse, or
 * with the explicit override say loudly what is being done.
 */
static int install_gate(struct cli_ctx *ctx, struct store *st, const struct proto_keys *k)
{
    enum store_install_verdict v;
    int rc;

    ctx->install_overriding = false;
    if (ctx->install_ok)
        return 0;
    rc = store_install_check(ctx->data_dir, st, k->sign_pk, &v);
    if (rc < 0) {
        cli_err("cannot check the install marker in '%s': %s", ctx->data_dir, err_str(rc));
        return rc;
    }
    if (v == STORE_INSTALL_OK) {
        ctx->install_ok = true;
        return 0;
    }
    if (!ctx->restore_override) {
        cli_err("this data directory %s; its device may have authored entries elsewhere that "
                "this copy lacks, and authoring now could fork its feed; start the node so it "
                "can learn this device's latest entries from its peers (saksi node start), or, "
                "if no other copy of this device will ever author again, override with "
                "'saksi " OVERRIDE_FLAG " ...'",
                store_install_why(v));
        return ERR_RESTORE;
    }
    cli_warn(OVERRIDE_FLAG ": authoring although this data directory %s; this copy becomes the "
                           "device's only install (its install marker is re-armed)",
             store_install_why(v));
    ctx->install_overriding = true;
    return 0;
}

/* After an entry authored under the override: this copy is now the install. */
static void install_rearm(struct cli_ctx *ctx)
{
    int rc;

    if (!ctx->install_overriding)
        return;
    ctx->install_overriding = false;
    ctx->install_ok = true;
    if (ctx->via_node)
        return; /* saksid re-armed it when it took the entry */
    rc = store_install_arm(ctx->data_dir, NULL);
    if (rc < 0)
        cli_warn("cannot re-arm the install marker in '%s': %s", ctx->data_dir, err_str(rc));
}

int cli_author(struct cli_ctx *ctx, struct store *st, const struct proto_keys *k, uint64_t kind,
               const struct proto_buf *body, uint8_t id[32])
{
    struct proto_buf raw;
    struct proto_entry e;
    struct store_item item;
    uint8_t ledger[32], prev[32];
    uint64_t seq;
    bool genesis = kind == PROTO_KIND_GENESIS;
    int rc, tries = 0;

    proto_buf_init(&raw);
    if (!genesis) {
        rc = store_ledger_id(st, ledger);
        if (rc < 0)
            return rc;
    }
    rc = install_gate(ctx, st, k);
    if (rc < 0)
        return rc;
again:
    proto_buf_reset(&raw);
    rc = store_feed_tip(st, k->sign_pk, &seq, prev);
    if (rc < 0)
        goto out;
    rc = proto_entry_build(&raw, k, genesis ? NULL : ledger, seq + 1, seq ? prev : NULL, now_ms(),
                           kind, body->data, body->len);
    if (rc < 0)
        goto out;
    /* Check our own output as any receiver will. */
    if ((rc = proto_entry_parse(raw.data, raw.len, &e)) < 0 || (rc = proto_entry_verify(&e)) < 0)
        goto out;
    if (ctx->via_node) {
        char why[256] = "";

        rc = cli_node_submit(ctx, raw.data, raw.len, id, why, sizeof why);
        if (rc == -ESTALE && ++tries < 5)
            goto again; /* another local client signed meanwhile: sign from the new tip */
        if (rc == ERR_RULE)
            cli_err("saksid refused the entry: %s", why);
        if (rc == 0)
            install_rearm(ctx);
        goto out;
    }
    item.e = &e;
    rc = store_ingest(st, &item, 1, NULL, NULL);
    if (rc < 0)
        goto out;
    switch (item.result) {
    case STORE_NEW:
        memcpy(id, e.id, 32);
        install_rearm(ctx);
        rc = 0;
        break;
    case STORE_PENDING_AUTHOR:
        rc = ERR_AUTHORITY; /* this device is not on the roster */
        break;
    default:
        rc = item.result < 0 ? item.result : ERR_STORE;
        break;
    }
out:
    proto_buf_release(&raw);
    return rc;
}

int cli_author_error(const char *what, int rc)
{
    if (rc == ERR_RESTORE)
        return CLI_NEG; /* cli_author said why and what to do */
    if (rc == -EEXIST) {
        cli_err("cannot author the %s: this device's feed is forked at its last seq (two "
                "entries); it must not grow until the fork is resolved (see 'saksi audit')",
                what);
        return CLI_NEG;
    }
    cli_err("cannot author the %s: %s", what, err_str(rc));
    return CLI_RUNTIME;
}

const char *cli_roles_str(uint32_t mask, const char *none, char *buf, size_t size)
{
    size_t n = 0;

    buf[0] = '\0';
    for (uint8_t r = PROTO_ROLE_PENGURUS; r <= PROTO_ROLE_ANGGOTA; r++) {
        int w;

        if (!(mask & PROTO_ROLE_BIT(r)))
            continue;
        w = snprintf(buf + n, size - n, "%s%s", n ? ", " : "", proto_role_name(r));
        if (w < 0 || (size_t)w >= size - n)
            break;
        n += (size_t)w;
    }
    if (n == 0)
        (void)snprintf(buf, size, "%s", none);
    return buf;
}

/* The roles that policy p lets author kind, as cli_roles_str() gives them ("no role"). */
static const char *policy_roles(const struct proto_policy *p, uint64_t kind, char *buf, size_t size)
{
    uint32_t mask = 0;

    for (uint8_t r = PROTO_ROLE_PENGURUS; r <= PROTO_ROLE_ANGGOTA; r++)
        if (proto_policy_allows(p, kind, r))
            mask |= PROTO_ROLE_BIT(r);
    return cli_roles_str(mask, "no role", buf, size);
}

int cli_author_check(struct store *st, const struct proto_keys *k, const struct proto_genesis *g,
                     uint64_t kind, struct store_device *me)
{
    char hex[17], roles[64];
    int rc = store_device_get(st, k->sign_pk, me);

    cli_hex(k->sign_pk, 8, hex);
    if (rc == -ENOENT) {
        cli_err("this device (%s) is not on the roster of this ledger; a pengurus must admit "
                "it first",
                hex);
        return CLI_NEG;
    }
    if (rc < 0) {
        cli_err("cannot read the roster: %s", err_str(rc));
        return CLI_RUNTIME;
    }
    if (me->revoked) {
        cli_err("this device (%s) has been revoked; it may not author entries", hex);
        return CLI_NEG;
    }
    if (!proto_policy_allows(&g->policy, kind, me->dev.role)) {
        cli_err("policy: %s entries may be authored by %s only; this device is %s (member %u)",
                proto_kind_name(kind), policy_roles(&g->policy, kind, roles, sizeof roles),
                proto_role_name(me->dev.role), me->dev.member);
        return CLI_NEG;
    }
    return CLI_OK;
}

int cli_stdout_done(void)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_err("cannot write to standard output");
        return CLI_RUNTIME;
    }
    return CLI_OK;
}

int cli_json_out(json_t *doc)
{
    int rc = CLI_OK;

    if (!doc || json_dumpf(doc, stdout, JSON_COMPACT) < 0)
        rc = CLI_RUNTIME;
    json_decref(doc);
    if (rc == CLI_OK) {
        putchar('\n');
        rc = cli_stdout_done();
    } else {
        cli_err("cannot write JSON output");
    }
    return rc;
}

json_t *cli_json_hex(const uint8_t *p, size_t n)
{
    char buf[2 * 64 + 1];

    if (n > 64)
        return NULL;
    proto_hex(p, n, buf);
    return json_string(buf);
}

json_t *cli_json_u64(uint64_t v)
{
    char buf[24];

    if (v <= JSON_INT_MAX)
        return json_integer((json_int_t)v);
    (void)snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
    return json_string(buf);
}

const char *cli_hex(const uint8_t *p, size_t n, char *buf)
{
    proto_hex(p, n, buf);
    return buf;
}

bool cli_text_ok(const char *s, size_t n, bool tab)
{
    /* Bytes below 0x80 never occur inside a multi-byte sequence: check them all. */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if ((c < 0x20 && !(tab && c == '\t')) || c == 0x7f)
            return false;
    }
    return proto_mp_utf8_valid((const uint8_t *)s, n);
}

char *cli_trim(char *s)
{
    char *end;

    while (*s == ' ' || *s == '\t')
        s++;
    end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
        *--end = '\0';
    return s;
}

const char *cli_rupiah(uint64_t v, char *buf)
{
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v), o = 2;

    buf[0] = 'R';
    buf[1] = 'p';
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[o++] = '.';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

int cli_amount_parse(const char *s, uint64_t *v)
{
    uint64_t x = 0;
    int group = -1; /* digits since the last '.', -1 before any '.' */
    int digits = 0;

    if (strncmp(s, "Rp", 2) == 0 || strncmp(s, "rp", 2) == 0 || strncmp(s, "RP", 2) == 0)
        s += 2;
    while (*s == ' ')
        s++;
    if (!*s)
        return -EINVAL;
    for (; *s; s++) {
        if (*s == '.') {
            /* Thousands separators: first group 1-3 digits, then exactly 3 each. */
            if (digits == 0 || (group < 0 && digits > 3) || (group >= 0 && group != 3))
                return ERR_AMOUNT;
            group = 0;
            continue;
        }
        if (*s < '0' || *s > '9')
            return -EINVAL;
        if (x > (PROTO_AMOUNT_MAX - (uint64_t)(*s - '0')) / 10)
            return ERR_AMOUNT;
        x = x * 10 + (uint64_t)(*s - '0');
        digits++;
        if (group >= 0)
            group++;
    }
    if (group >= 0 && group != 3)
        return ERR_AMOUNT;
    if (x == 0)
        return ERR_AMOUNT;
    *v = x;
    return 0;
}

int cli_date_parse(const char *s, uint32_t *ymd)
{
    unsigned y, m, d;
    char tail;

    if (strlen(s) == 10 && sscanf(s, "%4u-%2u-%2u%c", &y, &m, &d, &tail) == 3) {
        /* fall through to validation */
    } else if (strlen(s) == 8 && strspn(s, "0123456789") == 8) {
        unsigned long v = strtoul(s, NULL, 10);

        y = (unsigned)(v / 10000);
        m = (unsigned)(v / 100 % 100);
        d = (unsigned)(v % 100);
    } else {
        return ERR_DATE;
    }
    if (y > 9999 || m > 99 || d > 99)
        return ERR_DATE;
    *ymd = y * 10000 + m * 100 + d;
    return proto_date_valid(*ymd) ? 0 : ERR_DATE;
}

uint32_t cli_today(void)
{
    time_t t = time(NULL);
    struct tm tm;

    localtime_r(&t, &tm);
    return (uint32_t)(tm.tm_year + 1900) * 10000 + (uint32_t)(tm.tm_mon + 1) * 100 +
           (uint32_t)tm.tm_mday;
}

const char *cli_date_str(uint32_t ymd, char *buf)
{
    snprintf(buf, 11, "%04u-%02u-%02u", ymd / 10000 % 10000, ymd / 100 % 100, ymd % 100);
    return buf;
}

int cli_hex32(const char *s, uint8_t out[32])
{
    return proto_unhex(s, out, 32);
}

int cli_uint_parse(const char *s, uint64_t lo, uint64_t hi, uint64_t *v)
{
    char *end;
    unsigned long long x;

    if (!*s || strspn(s, "0123456789") != strlen(s))
        return -EINVAL;
    errno = 0;
    x = strtoull(s, &end, 10);
    if (errno || *end || x < lo || x > hi)
        return -EINVAL;
    *v = x;
    return 0;
}

void cli_card_format(const struct proto_keys *k, char *out, size_t size)
{
    uint8_t raw[128];
    char hex[257];

    memcpy(raw, k->sign_pk, 32);
    memcpy(raw + 32, k->box_pk, 32);
    proto_card_sign(k, raw + 64);
    proto_hex(raw, sizeof raw, hex);
    snprintf(out, size, "%s%s", CLI_CARD_PREFIX, hex);
}

int cli_card_parse(const char *s, uint8_t sign_pk[32], uint8_t box_pk[32], uint8_t sig[64])
{
    uint8_t raw[128];
    size_t pl = strlen(CLI_CARD_PREFIX);

    if (strncmp(s, CLI_CARD_PREFIX, pl) != 0 || proto_unhex(s + pl, raw, sizeof raw) < 0)
        return -EINVAL;
    memcpy(sign_pk, raw, 32);
    memcpy(box_pk, raw + 32, 32);
    memcpy(sig, raw + 64, 64);
    return proto_card_verify(sign_pk, box_pk, sig);
}

int cli_role_parse(const char *s, uint8_t *role)
{
    static const char *const names[] = {"pengurus", "pengawas", "kasir", "anggota"};

    for (uint8_t i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0) {
            *role = (uint8_t)(i + 1);
            return 0;
        }
    return -EINVAL;
}

int cli_office_parse(const char *s, uint8_t *office)
{
    static const char *const names[] = {"ketua", "sekretaris", "bendahara"};

    if (strcmp(s, "-") == 0 || strcmp(s, "none") == 0) {
        *office = PROTO_OFFICE_NONE;
        return 0;
    }
    for (uint8_t i = 0; i < 3; i++)
        if (strcmp(s, names[i]) == 0) {
            *office = (uint8_t)(i + 1);
            return 0;
        }
    return -EINVAL;
}

uint64_t cli_mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void cli_pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    (void)nanosleep(&ts, NULL);
}
