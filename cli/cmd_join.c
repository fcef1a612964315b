/*
 * saksi join: a new device takes the invite code a pengurus made for its card ('saksi invite').
 * It checks the code (whole, signed, not expired, made for this device's keys), then prepares
 * the data directory: the network key, the invite token, a signed join request and the peer to
 * dial in saksid.conf, and an empty store for the genesis to come. Then it starts saksid, which
 * connects to the inviting node as a guest, receives the genesis and the roster and delivers the
 * join request, and waits until both have happened. The board then admits the device with
 * 'saksi member add', and the node goes on replicating as a member by itself.
 *
 * Nothing is left half-done: every file is written atomically, and when one step fails the files
 * written before it are put back as they were.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "proto/err.h"
#include "proto/wire.h"
#include "proto/invite.h"
#include "proto/ledger.h"

#define JOIN_WAIT_DEFAULT 30
#define JOIN_WAIT_MAX     86400
#define JOIN_CONF_MAX     65536

static void usage(FILE *f)
{
    fputs("usage: saksi join CODE [--note TEXT] [--number N] [--listen ADDR:PORT] [--no-start]\n"
          "                 [--no-discovery | --discovery ADDR:PORT] [--wait SECONDS] [--json]\n"
          "\n"
          "Bergabung ke jaringan koperasi dengan kode undangan. / Joins the koperasi's network\n"
          "with an invite code.\n"
          "\n"
          "CODE is the 'saksi-invite:...' line a pengurus made for this device's card with\n"
          "'saksi invite'. This device needs its keys first ('saksi key new'; 'saksi key show'\n"
          "prints the card to give the pengurus). join checks the code, writes the network key,\n"
          "the invite, a signed join request and the inviting node's address (saksid.conf) into\n"
          "the data directory, starts saksid and waits until it has received the genesis and\n"
          "the roster and has delivered the join request. The board then admits the device\n"
          "('saksi member add'), and the node replicates the whole ledger by itself.\n"
          "\n"
          "options:\n"
          "  --note TEXT           a note for the board, e.g. \"HP Bu Siti\" (up to 200 bytes)\n"
          "  --number N            the member number to ask for (default: the invite's)\n"
          "  --listen ADDR:PORT    where this node accepts peers (written to saksid.conf)\n"
          "  --no-start            prepare the data directory only; start later with\n"
          "                        'saksi node start'\n"
          "  --no-discovery        start the node without LAN discovery\n"
          "  --discovery ADDR:PORT LAN beacons to and from this address\n"
          "  --wait SECONDS        how long to wait for the inviting node (default 30)\n"
          "  --json                machine-readable output\n"
          "  -h, --help            show this help\n"
          "\n"
          "exit codes: 0 ok; 1 refused (the code is damaged, altered, expired or made for\n"
          "            another device; the data directory belongs to another ledger or network;\n"
          "            this device is already on the roster); 2 usage error; 3 runtime error\n"
          "            (no key, I/O, the node did not start, or nothing happened in time)\n",
          f);
}

/* "A.B.C.D:PORT" with an IPv4 literal; the port in [minport, 65535]. */
static bool ipv4_port_ok(const char *s, long minport)
{
    char host[PROTO_WIRE_HOST_MAX + 1];
    int port;

    return proto_addr_parse(s, host, &port) == 0 && port >= minport;
}

static const char *iso_utc(uint64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;

    gmtime_r(&tt, &tm);
    strftime(buf, size, "%Y-%m-%d %H:%M UTC", &tm);
    return buf;
}


struct join_opts {
    const char *code, *note, *number, *listen, *discovery, *wait;
    bool no_start, no_discovery, json;
};

/* ---- checks of the code and of the data directory ---- */

/* Decodes and checks the code. CLI_OK, or the exit code after printing why not. */
static int code_check(const char *s, struct proto_invite_code *c)
{
    char when[32];
    int rc = proto_invite_code_decode(s, c);

    switch (rc) {
    case 0:
        break;
    case ERR_INVITE:
        cli_err("this is not a whole invite code: it is damaged or cut short (copy the whole "
                "line again; it starts with '%s')",
                PROTO_INVITE_CODE_PREFIX);
        return CLI_NEG;
    case ERR_VERSION:
        cli_err("this invite code was made by a newer version of saksi: update saksi here");
        return CLI_NEG;
    case ERR_BADSIG:
        cli_err("the invite's signature does not verify: the code was altered (ask the pengurus "
                "for a new one)");
        return CLI_NEG;
    default:
        cli_err("cannot read the invite code: %s", err_str(rc));
        return CLI_RUNTIME;
    }
    if ((uint64_t)time(NULL) >= c->inv.expires) {
        cli_err("this invite expired on %s: ask the pengurus for a new one ('saksi invite')",
                iso_utc(c->inv.expires, when, sizeof when));
        return CLI_NEG;
    }
    if (!ipv4_port_ok(c->addr, 1)) {
        cli_err("the invite names the address '%s', which saksid cannot dial (it needs an IPv4 "
                "ADDR:PORT): ask the pengurus for a code made with --address",
                c->addr);
        return CLI_NEG;
    }
    return CLI_OK;
}

/*
 * The data directory may already hold the store (empty, or the same ledger from an earlier
 * attempt or an import) and the same network key; anything else belongs to another koperasi.
 * *store_absent tells whether the store is still to be created.
 */
static int dir_check(struct cli_ctx *ctx, const struct proto_invite_code *c,
                     const struct proto_keys *k, bool *store_absent)
{
    struct store *st = NULL;
    struct store_device d;
    struct proto_buf nk;
    uint8_t ledger[32];
    char path[4200], hex[17];
    int rc, ret = CLI_OK;

    *store_absent = !cli_store_present(ctx);
    if (!*store_absent) {
        cli_path(ctx, "store", path, sizeof path);
        rc = store_open(path, STORE_RDONLY, &st);
        if (rc == 0)
            rc = store_ledger_id(st, ledger);
        if (rc == 0 && memcmp(ledger, c->inv.ledger, 32) != 0) {
            cli_err("the data directory '%s' already holds another ledger (%s...): a device "
                    "joins one ledger; use another --data directory",
                    ctx->data_dir, cli_hex(ledger, 8, hex));
            ret = CLI_NEG;
        } else if (rc == 0) {
            rc = store_device_get(st, k->sign_pk, &d);
            if (rc == 0 && d.revoked) {
                cli_err("this device was revoked on this ledger: it cannot join again with the "
                        "same keys");
                ret = CLI_NEG;
            } else if (rc == 0) {
                char nkpath[4200];

                /* On the roster and holding the ledger (imported, say): the invite still
                 * brings what it may lack, the network key and an address to dial. */
                cli_path(ctx, "network.key", nkpath, sizeof nkpath);
                if (access(nkpath, F_OK) == 0) {
                    cli_err("this device is already on the roster of this ledger (member %u) "
                            "and holds its network key: nothing to join; start its node with "
                            "'saksi node start'",
                            d.dev.member);
                    ret = CLI_NEG;
                }
            } else if (rc == -ENOENT) {
                rc = 0;
            }
        } else if (rc == ERR_NOLEDGER) {
            rc = 0; /* an empty store from an earlier attempt */
        }
        store_close(st);
        if (ret == CLI_OK && rc < 0) {
            cli_err("cannot read the store in '%s': %s", ctx->data_dir, err_str(rc));
            ret = CLI_RUNTIME;
        }
        if (ret != CLI_OK)
            return ret;
    }
    proto_buf_init(&nk);
    cli_path(ctx, "network.key", path, sizeof path);
    rc = cli_file_read(path, 64, &nk);
    if (rc == 0 && (nk.len != 32 || !proto_memeq(nk.data, c->netkey, 32))) {
        cli_err("'%s' holds another network key: this data directory belongs to another "
                "koperasi network; use another --data directory",
                path);
        ret = CLI_NEG;
    } else if (rc < 0 && rc != -ENOENT) {
        cli_err("cannot read '%s': %s", path, err_str(rc));
        ret = CLI_RUNTIME;
    }
    if (nk.data)
        proto_memzero(nk.data, nk.len);
    proto_buf_release(&nk);
    return ret;
}

/* ---- writing the data directory, all or nothing ---- */

/* One file to write, and what to put back if a later step fails. */
struct staged {
    char path[4200];
    const uint8_t *data;
    size_t len;
    int mode;
    bool skip;    /* already there with this content */
    bool had_old; /* old holds the previous content */
    struct proto_buf old;
    bool written;
};

static int staged_init(struct cli_ctx *ctx, struct staged *s, const char *name, const void *data,
                       size_t len)
{
    int rc;

    memset(s, 0, sizeof *s);
    proto_buf_init(&s->old);
    cli_path(ctx, name, s->path, sizeof s->path);
    s->data = data;
    s->len = len;
    s->mode = 0600;
    rc = cli_file_read(s->path, JOIN_CONF_MAX, &s->old);
    if (rc == 0) {
        s->had_old = true;
        s->skip = s->old.len == len && memcmp(s->old.data, data, len) == 0;
    } else if (rc == -ENOENT) {
        rc = 0;
    }
    return rc;
}

static void staged_release(struct staged *s)
{
    if (s->old.data)
        proto_memzero(s->old.data, s->old.len);
    proto_buf_release(&s->old);
}

static void staged_undo(struct staged *s)
{
    if (!s->written)
        return;
    if (s->had_old) {
        if (cli_file_write(s->path, s->old.data, s->old.len, s->mode, false) < 0)
            cli_warn("cannot restore '%s'", s->path);
    } else if (unlink(s->path) < 0 && errno != ENOENT) {
        cli_warn("cannot remove '%s'", s->path);
    }
    s->written = false;
}

/* The config with the inviting node as a peer and, when given, the listen address (replacing
 * any listen line); every other line is kept. */
static int conf_build(const struct proto_buf *old, const char *peer, const char *listen,
                      struct proto_buf *out)
{
    struct proto_buf copy;
    struct cli_lines l;
    bool has_peer = false;
    char line[128];
    size_t n;
    char *s;
    int rc;

    proto_buf_init(&copy);
    rc = proto_buf_append(&copy, old->data ? old->data : (const uint8_t *)"", old->len);
    if (rc == 0)
        rc = cli_lines_init(&l, &copy);
    while (rc == 0 && (s = cli_lines_next(&l, &n))) {
        char key[16] = "", val[64] = "";
        int k = sscanf(s, " %15s %63s", key, val);

        if (k >= 1 && listen && strcmp(key, "listen") == 0)
            continue;
        if (k == 2 && strcmp(key, "peer") == 0 && strcmp(val, peer) == 0)
            has_peer = true;
        rc = proto_buf_append(out, s, n);
        if (rc == 0)
            rc = proto_buf_append_byte(out, '\n');
    }
    if (rc == 0 && !has_peer) {
        snprintf(line, sizeof line, "# the inviting node (saksi join)\npeer %s\n", peer);
        rc = proto_buf_append(out, line, strlen(line));
    }
    if (rc == 0 && listen) {
        snprintf(line, sizeof line, "listen %s\n", listen);
        rc = proto_buf_append(out, line, strlen(line));
    }
    proto_buf_release(&copy);
    return rc;
}

/* Removes a store this command created (an LMDB environment: two files in a directory). */
static void store_remove(const char *dir)
{
    char p[4300];

    snprintf(p, sizeof p, "%s/data.mdb", dir);
    (void)unlink(p);
    snprintf(p, sizeof p, "%s/lock.mdb", dir);
    (void)unlink(p);
    (void)rmdir(dir);
}

/*
 * Writes the staged files in order, then creates the empty store when it is absent. On failure
 * everything written is put back, and the error is printed. CLI_OK or CLI_RUNTIME.
 */
static int dir_write(struct cli_ctx *ctx, struct staged *files, size_t nfiles, bool store_absent)
{
    struct store *st = NULL;
    char path[4200];
    size_t i;
    int rc = 0;

    for (i = 0; i < nfiles && rc == 0; i++) {
        struct staged *s = &files[i];

        if (s->skip)
            continue;
        /* The network key is never replaced (dir_check made sure it is absent or the same). */
        rc = cli_file_write(s->path, s->data, s->len, s->mode, !s->had_old);
        if (rc < 0)
            cli_err("cannot write '%s': %s", s->path, err_str(rc));
        else
            s->written = true;
    }
    if (rc == 0 && store_absent) {
        cli_path(ctx, "store", path, sizeof path);
        rc = store_open(path, STORE_CREATE, &st);
        store_close(st);
        if (rc < 0) {
            cli_err("cannot create the store '%s': %s", path, err_str(rc));
            store_remove(path);
        }
    }
    if (rc < 0) {
        while (i-- > 0)
            staged_undo(&files[i]);
        return CLI_RUNTIME;
    }
    return CLI_OK;
}

/* ---- waiting for the node ---- */

/* Whether the node this process started has exited (it is our child until then). */
static bool node_exited(const struct cli_ctx *ctx)
{
    char path[4200], buf[32] = "";
    FILE *f;
    long pid = 0;
    int status;

    cli_path(ctx, "saksid.pid", path, sizeof path);
    f = fopen(path, "r");
    if (!f)
        return true;
    if (fgets(buf, sizeof buf, f))
        pid = strtol(buf, NULL, 10);
    fclose(f);
    if (pid <= 0)
        return true;
    return waitpid((pid_t)pid, &status, WNOHANG) == (pid_t)pid || kill((pid_t)pid, 0) < 0;
}

/*
 * Polls the node's status until the join has gone through (genesis received and the join
 * request delivered, or the device admitted already), printing a dot on stderr each second.
 * 0 and *status (the caller's: json_decref); -ETIMEDOUT; -ESRCH when the node has exited.
 */
static int join_wait(struct cli_ctx *ctx, unsigned secs, json_t **status)
{
    uint64_t start = cli_mono_ms(), end = start + (uint64_t)secs * 1000, dots = 0;
    int rc = -ETIMEDOUT;

    *status = NULL;
    for (;;) {
        json_t *req = json_pack("{s:s}", "op", "status"), *reply = NULL, *j;
        int nrc = cli_node_request(ctx, req, &reply);

        json_decref(req);
        j = json_object_get(reply, "joining");
        if (nrc == 0 && json_is_true(json_object_get(reply, "ok")) &&
            (json_is_true(json_object_get(j, "admitted")) ||
             (json_is_true(json_object_get(j, "genesis")) &&
              json_is_true(json_object_get(j, "request_delivered"))))) {
            *status = reply;
            rc = 0;
            break;
        }
        json_decref(reply);
        if (nrc < 0 && node_exited(ctx)) {
            rc = -ESRCH;
            break;
        }
        if (cli_mono_ms() >= end)
            break;
        if ((cli_mono_ms() - start) / 1000 > dots) {
            dots++;
            fputc('.', stderr);
            fflush(stderr);
        }
        cli_pause_ms(100);
    }
    if (dots)
        fputc('\n', stderr);
    return rc;
}

/* ---- output ---- */

struct join_result {
    const struct proto_invite_code *c;
    const struct proto_join *j;
    const char *card;
    bool started;
    json_t *status; /* the node's status when started */
};

static void admit_line(const struct join_result *r, char *out, size_t size)
{
    char num[16] = "N";

    if (r->j->member)
        snprintf(num, sizeof num, "%u", r->j->member);
    snprintf(out, size, "saksi member add --number %s --role %s %s", num,
             r->c->inv.role ? proto_role_name(r->c->inv.role) : "anggota", r->card);
}

static int print_result(const struct cli_ctx *ctx, const struct join_result *r, bool json)
{
    json_t *j = json_object_get(r->status, "joining");
    bool admitted = json_is_true(json_object_get(j, "admitted"));
    long long roster = (long long)json_integer_value(json_object_get(j, "roster_devices"));
    char admit[512], hex[17];

    admit_line(r, admit, sizeof admit);
    if (json) {
        json_t *o = json_object();

        if (!o || json_object_set_new(o, "ledger_id", cli_json_hex(r->c->inv.ledger, 32)) < 0 ||
            json_object_set_new(o, "address", json_string(r->c->addr)) < 0 ||
            json_object_set_new(o, "device", cli_json_hex(r->j->sign_pk, 32)) < 0 ||
            json_object_set_new(o, "card", json_string(r->card)) < 0 ||
            json_object_set_new(o, "member",
                                r->j->member ? json_integer(r->j->member) : json_null()) < 0 ||
            json_object_set_new(o, "role",
                                r->c->inv.role ? json_string(proto_role_name(r->c->inv.role))
                                               : json_null()) < 0 ||
            json_object_set_new(o, "expires", cli_json_u64(r->c->inv.expires)) < 0 ||
            json_object_set_new(o, "node_started", json_boolean(r->started)) < 0 ||
            json_object_set_new(o, "genesis",
                                json_boolean(json_is_true(json_object_get(j, "genesis")))) < 0 ||
            json_object_set_new(
                o, "request_delivered",
                json_boolean(json_is_true(json_object_get(j, "request_delivered")))) < 0 ||
            json_object_set_new(o, "roster_devices", json_integer(roster)) < 0 ||
            json_object_set_new(o, "admitted", json_boolean(admitted)) < 0 ||
            json_object_set_new(o, "admit_command", json_string(admit)) < 0) {
            json_decref(o);
            cli_err("out of memory");
            return CLI_RUNTIME;
        }
        return cli_json_out(o);
    }
    cli_hex(r->c->inv.ledger, 8, hex);
    if (!r->started) {
        printf("Direktori data siap bergabung ke ledger %s... lewat %s.\n"
               "The data directory is ready to join ledger %s... through %s.\n"
               "Jalankan node / start the node:  saksi --data %s node start\n",
               hex, r->c->addr, hex, r->c->addr, ctx->data_dir);
    } else if (admitted) {
        printf("Perangkat ini sudah diterima; node mereplikasi ledger %s...\n"
               "This device is admitted already; the node replicates ledger %s...\n",
               hex, hex);
        return cli_stdout_done();
    } else {
        printf("Bergabung: genesis dan daftar perangkat (%lld perangkat) diterima dari %s,\n"
               "permintaan bergabung terkirim ke pengurus.\n"
               "Joined: the genesis and the roster (%lld devices) came from %s, and the join\n"
               "request is delivered to the board.\n",
               roster, r->c->addr, roster, r->c->addr);
    }
    printf("\n"
           "Langkah berikut: pengurus menerima perangkat ini (lihat 'saksi member requests'):\n"
           "Next: the board admits this device (see 'saksi member requests'):\n"
           "  %s\n"
           "Setelah itu node mereplikasi seluruh ledger dengan sendirinya ('saksi node status').\n"
           "Then the node replicates the whole ledger by itself ('saksi node status').\n",
           admit);
    return cli_stdout_done();
}

/* ---- the command ---- */

static int parse_opts(int argc, char **argv, struct join_opts *o)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},         {"json", no_argument, NULL, 'j'},
        {"note", required_argument, NULL, 't'},   {"number", required_argument, NULL, 'n'},
        {"listen", required_argument, NULL, 'l'}, {"no-start", no_argument, NULL, 'S'},
        {"no-discovery", no_argument, NULL, 'D'}, {"discovery", required_argument, NULL, 'd'},
        {"wait", required_argument, NULL, 'w'},   {NULL, 0, NULL, 0},
    };
    int c;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":hjt:n:l:SDd:w:", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            usage(stdout);
            return cli_stdout_done();
        case 'j':
            o->json = true;
            break;
        case 't':
            o->note = optarg;
            break;
        case 'n':
            o->number = optarg;
            break;
        case 'l':
            o->listen = optarg;
            break;
        case 'S':
            o->no_start = true;
            break;
        case 'D':
            o->no_discovery = true;
            break;
        case 'd':
            o->discovery = optarg;
            break;
        case 'w':
            o->wait = optarg;
            break;
        default:
            return cli_opt_error("join", c, argv);
        }
    }
    if (optind >= argc)
        return cli_usage("join", "missing the invite CODE (the 'saksi-invite:...' line from "
                                 "the pengurus)");
    if (optind + 1 < argc)
        return cli_usage("join", "unexpected argument '%s'", argv[optind + 1]);
    o->code = argv[optind];
    return -1;
}

int cmd_join(int argc, char **argv, struct cli_ctx *ctx)
{
    struct join_opts o = {.json = ctx->json};
    struct proto_invite_code *c = NULL;
    struct proto_keys *keys = NULL;
    struct proto_join j;
    struct proto_buf req, conf;
    struct staged files[4];
    struct join_result r;
    struct cli_node_opts no;
    uint64_t number = 0, wait = JOIN_WAIT_DEFAULT;
    char card[300], keypath[4200], hex[17], hex2[17];
    bool store_absent = false;
    size_t nfiles = 0;
    int rc, ret;

    ret = parse_opts(argc, argv, &o);
    if (ret >= 0)
        return ret;
    memset(&j, 0, sizeof j);
    if (o.note) {
        size_t n = strlen(o.note);

        if (n > PROTO_JOIN_NOTE_MAX)
            return cli_usage("join", "--note is too long (%zu bytes, at most %d)", n,
                             PROTO_JOIN_NOTE_MAX);
        if (!cli_text_ok(o.note, n, false))
            return cli_usage("join", "--note must be UTF-8 text without control characters");
        memcpy(j.note, o.note, n + 1);
    }
    if (o.number && cli_uint_parse(o.number, 1, PROTO_MEMBER_MAX, &number) < 0)
        return cli_usage("join", "invalid member number '%s' (1 to %llu)", o.number,
                         (unsigned long long)PROTO_MEMBER_MAX);
    if (o.listen && !ipv4_port_ok(o.listen, 0))
        return cli_usage("join", "invalid --listen '%s' (an IPv4 ADDR:PORT, e.g. 0.0.0.0:47320)",
                         o.listen);
    if (o.discovery && !ipv4_port_ok(o.discovery, 1))
        return cli_usage("join", "invalid --discovery '%s' (an IPv4 ADDR:PORT)", o.discovery);
    if (o.discovery && o.no_discovery)
        return cli_usage("join", "--discovery and --no-discovery exclude each other");
    if (o.wait && cli_uint_parse(o.wait, 1, JOIN_WAIT_MAX, &wait) < 0)
        return cli_usage("join", "invalid --wait '%s' (seconds, 1 to %d)", o.wait, JOIN_WAIT_MAX);
    if (o.no_start && (o.wait || o.discovery || o.no_discovery))
        return cli_usage("join", "--wait, --discovery and --no-discovery only matter when join "
                                 "starts the node (drop --no-start)");

    proto_buf_init(&req);
    proto_buf_init(&conf);
    memset(files, 0, sizeof files);
    ret = CLI_RUNTIME;
    c = proto_secure_alloc(sizeof *c); /* it will hold the network key */
    if (!c) {
        cli_err("out of memory");
        goto out;
    }
    ret = code_check(o.code, c);
    if (ret != CLI_OK)
        goto out;
    ret = CLI_RUNTIME;
    cli_path(ctx, "key", keypath, sizeof keypath);
    if (access(keypath, F_OK) < 0) {
        cli_err("no key in '%s': create this device's keys first with 'saksi key new' (then "
                "'saksi key show' prints the card the pengurus invites)",
                ctx->data_dir);
        goto out;
    }
    rc = cli_keys_load(ctx, &keys);
    if (rc < 0) {
        cli_err("cannot load this device's key: %s", err_str(rc));
        goto out;
    }
    if (!proto_memeq(keys->sign_pk, c->inv.device_sign_pk, 32) ||
        !proto_memeq(keys->box_pk, c->inv.device_box_pk, 32)) {
        cli_err("this invite was made for another device (%s), not this one (%s): check --data, "
                "or ask the pengurus for an invite for this device's card",
                cli_hex(c->inv.device_sign_pk, 8, hex), cli_hex(keys->sign_pk, 8, hex2));
        ret = CLI_NEG;
        goto out;
    }
    if (number && c->inv.member && number != c->inv.member)
        cli_warn("the invite is meant for member %u; asking for member %llu as --number says",
                 c->inv.member, (unsigned long long)number);
    /* The lock keeps saksid from starting while the directory is prepared. */
    rc = store_lock_take(ctx->data_dir, &ctx->lock_fd);
    if (rc == ERR_LOCKED) {
        cli_err("saksid (or another saksi command) is using '%s': stop it first ('saksi node "
                "stop') and run 'saksi join' again",
                ctx->data_dir);
        goto out;
    }
    if (rc < 0) {
        cli_err("cannot lock '%s': %s", ctx->data_dir, err_str(rc));
        goto out;
    }
    ret = dir_check(ctx, c, keys, &store_absent);
    if (ret != CLI_OK)
        goto out;
    ret = CLI_RUNTIME;

    memcpy(j.ledger, c->inv.ledger, 32);
    j.member = number ? (uint32_t)number : c->inv.member;
    j.time = (uint64_t)time(NULL);
    rc = proto_join_sign(keys, &j, &req);
    if (rc < 0) {
        cli_err("cannot sign the join request: %s", err_str(rc));
        goto out;
    }
    rc = staged_init(ctx, &files[nfiles++], "network.key", c->netkey, 32);
    if (rc == 0)
        rc = staged_init(ctx, &files[nfiles++], "invite", c->token, c->token_len);
    if (rc == 0)
        rc = staged_init(ctx, &files[nfiles++], "join-request", req.data, req.len);
    if (rc == 0) {
        rc = staged_init(ctx, &files[nfiles++], "saksid.conf", "", 0);
        if (rc == 0)
            rc = conf_build(&files[nfiles - 1].old, c->addr, o.listen, &conf);
        files[nfiles - 1].data = conf.data;
        files[nfiles - 1].len = conf.len;
        files[nfiles - 1].skip = files[nfiles - 1].had_old &&
                                 files[nfiles - 1].old.len == conf.len &&
                                 memcmp(files[nfiles - 1].old.data, conf.data, conf.len) == 0;
    }
    if (rc < 0) {
        cli_err("cannot prepare the data directory '%s': %s", ctx->data_dir, err_str(rc));
        goto out;
    }
    ret = dir_write(ctx, files, nfiles, store_absent);
    if (ret != CLI_OK)
        goto out;
    close(ctx->lock_fd); /* saksid takes it next */
    ctx->lock_fd = -1;

    cli_card_format(keys, card, sizeof card);
    memset(&r, 0, sizeof r);
    r.c = c;
    r.j = &j;
    r.card = card;
    if (o.no_start) {
        ret = print_result(ctx, &r, o.json);
        goto out;
    }
    memset(&no, 0, sizeof no);
    no.no_discovery = o.no_discovery;
    no.discovery = o.discovery;
    no.quiet = true;
    ret = cli_node_start(ctx, &no);
    if (ret != 0) {
        cli_err("the invite is kept in '%s': once the problem is solved, start the node with "
                "'saksi node start'",
                ctx->data_dir);
        goto out;
    }
    r.started = true;
    if (!o.json)
        fprintf(stderr, "saksi: menunggu / waiting for %s (up to %llu s)\n", c->addr,
                (unsigned long long)wait);
    rc = join_wait(ctx, (unsigned)wait, &r.status);
    if (rc == -ESRCH) {
        cli_err("saksid stopped while joining: see '%s/saksid.log'", ctx->data_dir);
        ret = CLI_RUNTIME;
        goto out;
    }
    if (rc < 0) {
        cli_err("no answer from %s within %llu s (is the inviting node running and reachable? "
                "is the invite still valid there?): see '%s/saksid.log'; saksid keeps trying "
                "in the background ('saksi node status')",
                c->addr, (unsigned long long)wait, ctx->data_dir);
        ret = CLI_RUNTIME;
        goto out;
    }
    ret = print_result(ctx, &r, o.json);
    json_decref(r.status);
out:
    for (size_t i = 0; i < nfiles; i++)
        staged_release(&files[i]);
    if (ctx->lock_fd >= 0) {
        close(ctx->lock_fd);
        ctx->lock_fd = -1;
    }
    proto_buf_release(&conf);
    proto_buf_release(&req);
    proto_keys_free(keys);
    if (c)
        proto_memzero(c, sizeof *c);
    proto_secure_free(c);
    return ret;
}
