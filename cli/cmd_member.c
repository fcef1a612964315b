/*
 * `saksi member` manages the roster of devices: `add` admits a device from its card (an admit
 * entry), `revoke` cuts off a device key at the last seq of its feed that stays valid (a revoke
 * entry), `list` shows the roster as this replica derives it, and `requests` lists the join
 * requests invited devices delivered to this device's node (<data>/joins/). Before authoring
 * anything the CLI checks what the ledger would otherwise only report as a finding or void: this
 * device is on the roster and not revoked, its role may author the kind under the genesis policy,
 * the device to admit is new, the device to revoke is known and the cut-off (seq, id) names a
 * stored entry.
 */
#include "cli/cli.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/i18n.h"
#include "proto/err.h"
#include "proto/invite.h"
#include "proto/ledger.h"

static void usage(FILE *f)
{
    fputs("usage: saksi member add --number N --role ROLE [--office OFFICE] [--json] CARD\n"
          "       saksi member revoke DEVICE --last-seq N [--last-id ID] [--reason TEXT] "
          "[--json]\n"
          "       saksi member list [--json]\n"
          "       saksi member requests [--json]\n"
          "       saksi member admit N [--class CLASS] [--pokok AMOUNT] [--cash ACCT] [OPTIONS]\n"
          "       saksi member exit N --reason REASON [OPTIONS]\n"
          "       saksi member settle N [--cash ACCT] [OPTIONS]\n"
          "\n"
          "Mengelola daftar perangkat anggota (roster) dan keanggotaan.\n"
          "Manages the roster of devices (add, revoke, list, requests) and the membership\n"
          "register (admit, exit, settle; 'saksi member admit --help' and so on for each).\n"
          "\n"
          "add      admits a device: CARD is the 'saksi-device:...' line that 'saksi key show'\n"
          "         prints on that device. ROLE: pengurus, pengawas, kasir or anggota; OFFICE\n"
          "         (pengurus only): ketua, sekretaris or bendahara.\n"
          "revoke   cuts off a device key. DEVICE is its signing key (64 hex digits, or a unique\n"
          "         prefix of at least 8). --last-seq N is the last seq of its feed that stays\n"
          "         valid (0: none); --last-id names that entry and is looked up in the store\n"
          "         when omitted.\n"
          "list     shows every device on the roster with its standing.\n"
          "requests lists the join requests that invited devices ('saksi invite', 'saksi\n"
          "         join') delivered to this device's node, with the command that admits\n"
          "         each; admitting a device with 'add' removes its request.\n"
          "admit    records that N becomes a member and pays simpanan pokok (kind 40).\n"
          "exit     records that member N leaves: simpanan pokok and wajib become a refund due\n"
          "         (kind 41).\n"
          "settle   pays out an exited member's refund and savings (kind 42).\n"
          "\n"
          "options:\n"
          "  --number N        member number (1 to 4294967295)\n"
          "  --role ROLE       role of the member\n"
          "  --office OFFICE   office of a pengurus\n"
          "  --last-seq N      last valid seq of the revoked feed\n"
          "  --last-id ID      id of the entry at that seq (64 hex digits)\n"
          "  --reason TEXT     why the key is revoked (recorded on the ledger)\n"
          "  --json            machine-readable output\n"
          "  -h, --help        show this help\n"
          "\n"
          "exit codes: 0 ok; 1 negative answer (refused by the roster or the policy, not found);\n"
          "            2 usage error; 3 runtime error (I/O, store, lock)\n",
          f);
}

/*
 * Opens the store for writing and loads what authoring needs: the genesis and this device's
 * keys, and checks that this device stands on the roster with a role allowed to author kind.
 * On success the caller closes *st and frees *g and *keys; on failure nothing is left open.
 */
static int author_setup(struct cli_ctx *ctx, uint64_t kind, struct store **st,
                        struct proto_genesis **g, struct proto_keys **keys, struct store_device *me)
{
    int rc, ret = CLI_RUNTIME;

    *g = NULL;
    *keys = NULL;
    *st = NULL;
    if (!cli_store_present(ctx))
        return cli_open_error(ctx, ERR_NOLEDGER);
    rc = cli_store_open_rw(ctx, st);
    if (rc < 0) {
        *st = NULL;
        return cli_open_error(ctx, rc);
    }
    rc = store_genesis(*st, g);
    if (rc < 0) {
        ret = cli_open_error(ctx, rc);
        goto fail;
    }
    rc = cli_keys_load(ctx, keys);
    if (rc < 0) {
        cli_err("cannot load this device's key: %s", err_str(rc));
        goto fail;
    }
    ret = cli_author_check(*st, *keys, *g, kind, me);
    if (ret != CLI_OK)
        goto fail;
    return CLI_OK;
fail:
    proto_keys_free(*keys);
    *keys = NULL;
    proto_genesis_free(*g);
    *g = NULL;
    cli_store_close(ctx, *st);
    *st = NULL;
    return ret;
}

/* Options shared by the subcommands. */
enum {
    OPT_NUMBER = 256,
    OPT_ROLE,
    OPT_OFFICE,
    OPT_LAST_SEQ,
    OPT_LAST_ID,
    OPT_REASON,
    OPT_JSON,
};

static const struct option member_opts[] = {
    {"help", no_argument, NULL, 'h'},
    {"json", no_argument, NULL, OPT_JSON},
    {"number", required_argument, NULL, OPT_NUMBER},
    {"role", required_argument, NULL, OPT_ROLE},
    {"office", required_argument, NULL, OPT_OFFICE},
    {"last-seq", required_argument, NULL, OPT_LAST_SEQ},
    {"last-id", required_argument, NULL, OPT_LAST_ID},
    {"reason", required_argument, NULL, OPT_REASON},
    {NULL, 0, NULL, 0},
};

struct member_args {
    bool json;
    const char *number, *role, *office, *last_seq, *last_id, *reason;
    int npos;
    char **pos;
};

/* Parses the options of a subcommand (argv[0] is its name). Returns -1 to go on, or an exit
 * code (help shown, usage error). Options a subcommand does not take are refused later. */
static int parse_args(const char *cmd, int argc, char **argv, struct member_args *a)
{
    int c;

    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":h", member_opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            usage(stdout);
            return cli_stdout_done();
        case OPT_JSON:
            a->json = true;
            break;
        case OPT_NUMBER:
            a->number = optarg;
            break;
        case OPT_ROLE:
            a->role = optarg;
            break;
        case OPT_OFFICE:
            a->office = optarg;
            break;
        case OPT_LAST_SEQ:
            a->last_seq = optarg;
            break;
        case OPT_LAST_ID:
            a->last_id = optarg;
            break;
        case OPT_REASON:
            a->reason = optarg;
            break;
        case ':':
            return cli_usage(cmd, "option '%s' needs a value", argv[optind - 1]);
        default:
            return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
        }
    }
    a->npos = argc - optind;
    a->pos = argv + optind;
    return -1;
}

/* ---- add ---- */

struct box_search {
    const uint8_t *box_pk;
    uint32_t member;
    bool box_taken;
    bool member_seen;
    struct store_device other; /* a device of the same member number */
};

static int box_search_cb(const struct store_device *d, void *arg)
{
    struct box_search *s = arg;

    if (memcmp(d->dev.box_pk, s->box_pk, 32) == 0)
        s->box_taken = true;
    if (d->dev.member == s->member && !d->revoked && !s->member_seen) {
        s->member_seen = true;
        s->other = *d;
    }
    return 0;
}

/* The join request of a device just admitted is served: its file goes. */
static void join_served(const struct cli_ctx *ctx, const uint8_t sign_pk[32])
{
    char name[80], hex[65], path[4200];

    snprintf(name, sizeof name, "joins/%s.join", cli_hex(sign_pk, 32, hex));
    cli_path(ctx, name, path, sizeof path);
    if (unlink(path) < 0 && errno != ENOENT)
        cli_warn("cannot remove the served join request '%s': %s", path, strerror(errno));
}

static int member_add(int argc, char **argv, struct cli_ctx *ctx)
{
    struct member_args a = {.json = ctx->json};
    struct store *st = NULL;
    struct proto_genesis *g = NULL;
    struct proto_keys *keys = NULL;
    struct store_device me, old;
    struct proto_device dev;
    struct box_search bs;
    struct proto_buf body;
    uint64_t number;
    uint8_t id[32];
    char hex[65], idhex[65];
    int rc, ret;

    ret = parse_args("member add", argc, argv, &a);
    if (ret >= 0)
        return ret;
    if (a.last_seq || a.last_id || a.reason)
        return cli_usage("member add", "--last-seq, --last-id and --reason belong to 'member "
                                       "revoke'");
    if (!a.number)
        return cli_usage("member add", "missing --number N (the member number)");
    if (!a.role)
        return cli_usage("member add", "missing --role ROLE (pengurus, pengawas, kasir or "
                                       "anggota)");
    if (a.npos == 0)
        return cli_usage("member add", "missing the device CARD (printed by 'saksi key show' "
                                       "on that device)");
    if (a.npos > 1)
        return cli_usage("member add", "unexpected argument '%s'", a.pos[1]);

    memset(&dev, 0, sizeof dev);
    if (cli_uint_parse(a.number, 1, PROTO_MEMBER_MAX, &number) < 0)
        return cli_usage("member add", "invalid member number '%s' (1 to %llu)", a.number,
                         (unsigned long long)PROTO_MEMBER_MAX);
    dev.member = (uint32_t)number;
    if (cli_role_parse(a.role, &dev.role) < 0)
        return cli_usage("member add",
                         "unknown role '%s' (use pengurus, pengawas, kasir or "
                         "anggota)",
                         a.role);
    if (a.office) {
        if (cli_office_parse(a.office, &dev.office) < 0)
            return cli_usage("member add",
                             "unknown office '%s' (use ketua, sekretaris or "
                             "bendahara)",
                             a.office);
        if (dev.office != PROTO_OFFICE_NONE && dev.role != PROTO_ROLE_PENGURUS)
            return cli_usage("member add", "office '%s' is only for pengurus, not %s", a.office,
                             proto_role_name(dev.role));
    }
    rc = cli_card_parse(a.pos[0], dev.sign_pk, dev.box_pk, dev.card_sig);
    if (rc == ERR_BADSIG)
        return cli_usage("member add", "the device card's signature does not verify (copy it "
                                       "again from 'saksi key show')");
    if (rc < 0)
        return cli_usage("member add",
                         "malformed device card (expected %s... as printed by "
                         "'saksi key show')",
                         CLI_CARD_PREFIX);

    proto_buf_init(&body);
    ret = author_setup(ctx, PROTO_KIND_ADMIT, &st, &g, &keys, &me);
    if (ret != CLI_OK)
        goto out;
    ret = CLI_NEG;
    rc = store_device_get(st, dev.sign_pk, &old);
    if (rc == 0) {
        cli_err("device %s is already on the roster (member %u, %s%s)",
                cli_hex(dev.sign_pk, 8, hex), old.dev.member, proto_role_name(old.dev.role),
                old.revoked ? ", revoked" : "");
        goto out;
    }
    if (rc != -ENOENT) {
        cli_err("cannot read the roster: %s", err_str(rc));
        ret = CLI_RUNTIME;
        goto out;
    }
    memset(&bs, 0, sizeof bs);
    bs.box_pk = dev.box_pk;
    bs.member = dev.member;
    rc = store_each_device(st, box_search_cb, &bs);
    if (rc < 0) {
        cli_err("cannot read the roster: %s", err_str(rc));
        ret = CLI_RUNTIME;
        goto out;
    }
    if (bs.box_taken) {
        cli_err("the card's transport key is already used by another device on the roster");
        goto out;
    }
    if (bs.member_seen && (bs.other.dev.role != dev.role || bs.other.dev.office != dev.office))
        cli_warn("member %u already has device %s as %s%s%s; this one is admitted as %s%s%s",
                 dev.member, cli_hex(bs.other.dev.sign_pk, 8, hex),
                 proto_role_name(bs.other.dev.role), bs.other.dev.office ? " " : "",
                 proto_office_name(bs.other.dev.office), proto_role_name(dev.role),
                 dev.office ? " " : "", proto_office_name(dev.office));

    rc = proto_admit_encode(&dev, &body);
    if (rc < 0) {
        cli_err("cannot encode the admission: %s", err_str(rc));
        ret = CLI_RUNTIME;
        goto out;
    }
    rc = cli_author(ctx, st, keys, PROTO_KIND_ADMIT, &body, id);
    if (rc < 0) {
        ret = cli_author_error("admission", rc);
        goto out;
    }
    join_served(ctx, dev.sign_pk);
    if (a.json) {
        json_t *o = json_object();

        if (!o || json_object_set_new(o, "entry_id", cli_json_hex(id, 32)) < 0 ||
            json_object_set_new(o, "member", json_integer(dev.member)) < 0 ||
            json_object_set_new(o, "role", json_string(proto_role_name(dev.role))) < 0 ||
            json_object_set_new(o, "office",
                                dev.office ? json_string(proto_office_name(dev.office))
                                           : json_null()) < 0 ||
            json_object_set_new(o, "device", cli_json_hex(dev.sign_pk, 32)) < 0) {
            json_decref(o);
            cli_err("out of memory");
            ret = CLI_RUNTIME;
            goto out;
        }
        ret = cli_json_out(o);
        goto out;
    }
    proto_hex(id, 32, idhex);
    printf("Perangkat diterima: anggota %u, %s%s%s, kunci %s. ID entri: %s\n"
           "Device admitted: member %u, %s%s%s, key %s.\n",
           dev.member, proto_role_name(dev.role), dev.office ? " " : "",
           proto_office_name(dev.office), cli_hex(dev.sign_pk, 8, hex), idhex, dev.member,
           proto_role_name(dev.role), dev.office ? " " : "", proto_office_name(dev.office), hex);
    ret = cli_stdout_done();
out:
    proto_buf_release(&body);
    proto_keys_free(keys);
    proto_genesis_free(g);
    cli_store_close(ctx, st);
    return ret;
}

/* ---- revoke ---- */

/* Finds roster devices whose signing key starts with a hex prefix (any case). */
struct dev_search {
    char prefix[65];
    size_t plen;
    unsigned matches;
    struct store_device found;
};

static int dev_search_cb(const struct store_device *d, void *arg)
{
    struct dev_search *s = arg;
    char hex[65];

    proto_hex(d->dev.sign_pk, 32, hex);
    if (strncmp(hex, s->prefix, s->plen) == 0) {
        if (s->matches++ == 0)
            s->found = *d;
    }
    return 0;
}

/* The entries at one seq of one feed. */
struct seq_search {
    uint64_t seq;
    unsigned n;
    uint64_t tip;
    uint8_t ids[8][32];
};

static int seq_search_cb(const struct store_row *row, void *arg)
{
    struct seq_search *s = arg;

    if (row->seq > s->tip)
        s->tip = row->seq;
    if (row->seq == s->seq) {
        if (s->n < 8)
            memcpy(s->ids[s->n], row->id, 32);
        s->n++;
    }
    return 0;
}

/* Resolves DEVICE (full key or a unique prefix of at least 8 hex digits) on the roster.
 * Returns -1 when found, else an exit code. */
static int resolve_device(struct store *st, const char *arg, struct store_device *d)
{
    struct dev_search s;
    size_t n = strlen(arg);
    int rc;

    if (n < 8 || n > 64)
        return cli_usage("member revoke", "DEVICE must be a signing key of 64 hex digits or a "
                                          "prefix of at least 8");
    memset(&s, 0, sizeof s);
    for (size_t i = 0; i < n; i++) {
        if (!isxdigit((unsigned char)arg[i]))
            return cli_usage("member revoke", "DEVICE '%s' is not hexadecimal", arg);
        s.prefix[i] = (char)tolower((unsigned char)arg[i]);
    }
    s.plen = n;
    rc = store_each_device(st, dev_search_cb, &s);
    if (rc < 0) {
        cli_err("cannot read the roster: %s", err_str(rc));
        return CLI_RUNTIME;
    }
    if (s.matches == 0) {
        cli_err("no device %s on the roster (see 'saksi member list')", arg);
        return CLI_NEG;
    }
    if (s.matches > 1)
        return cli_usage("member revoke",
                         "device prefix '%s' is ambiguous (%u devices); give "
                         "more digits",
                         arg, s.matches);
    *d = s.found;
    return -1;
}

/* Checks --last-seq/--last-id against the store, filling r. Returns -1 to go on, else an exit
 * code. */
static int resolve_cut(struct store *st, const struct member_args *a, struct proto_revoke *r)
{
    struct seq_search ss;
    char hex[65];
    int rc;

    if (r->last_seq == 0)
        return -1;
    memset(&ss, 0, sizeof ss);
    ss.seq = r->last_seq;
    rc = store_each_entry(st, r->device, seq_search_cb, &ss);
    if (rc < 0) {
        cli_err("cannot read the feed: %s", err_str(rc));
        return CLI_RUNTIME;
    }
    if (a->last_id) {
        bool held = false;

        if (cli_hex32(a->last_id, r->last_id) < 0)
            return cli_usage("member revoke", "--last-id needs an entry id of 64 hex digits");
        r->has_last_id = true;
        for (unsigned i = 0; i < ss.n && i < 8; i++)
            held |= memcmp(ss.ids[i], r->last_id, 32) == 0;
        if (!held) {
            struct proto_buf b;

            proto_buf_init(&b);
            rc = store_entry_get(st, r->last_id, &b);
            proto_buf_release(&b);
            if (rc == 0) {
                cli_err("entry %.16s... is not at seq %llu of device %s", a->last_id,
                        (unsigned long long)r->last_seq, cli_hex(r->device, 8, hex));
                return CLI_NEG;
            }
            if (rc != -ENOENT) {
                cli_err("cannot read the store: %s", err_str(rc));
                return CLI_RUNTIME;
            }
            /* A cut-off naming an entry nobody here can check is more likely a typo than
             * knowledge: the revocation is permanent, so ask for the feed first. */
            cli_err("entry %.16s... is not in this replica; import or sync the feed of device "
                    "%s first",
                    a->last_id, cli_hex(r->device, 8, hex));
            return CLI_NEG;
        }
        return -1;
    }
    if (ss.n == 0) {
        cli_err("no entry at seq %llu in the feed of device %s (this replica holds up to seq "
                "%llu); give --last-id if you know it",
                (unsigned long long)r->last_seq, cli_hex(r->device, 8, hex),
                (unsigned long long)ss.tip);
        return CLI_NEG;
    }
    if (ss.n > 1) {
        cli_err("seq %llu of device %s is forked (%u entries); choose the valid one with "
                "--last-id:",
                (unsigned long long)r->last_seq, cli_hex(r->device, 8, hex), ss.n);
        for (unsigned i = 0; i < ss.n && i < 8; i++)
            fprintf(stderr, "  %s\n", cli_hex(ss.ids[i], 32, hex));
        return CLI_NEG;
    }
    memcpy(r->last_id, ss.ids[0], 32);
    r->has_last_id = true;
    return -1;
}

static int member_revoke(int argc, char **argv, struct cli_ctx *ctx)
{
    struct member_args a = {.json = ctx->json};
    struct store *st = NULL;
    struct proto_genesis *g = NULL;
    struct proto_keys *keys = NULL;
    struct store_device me, target;
    struct proto_revoke r;
    struct proto_buf body;
    uint8_t id[32];
    char hex[65], idhex[65];
    int rc, ret;

    ret = parse_args("member revoke", argc, argv, &a);
    if (ret >= 0)
        return ret;
    if (a.number || a.role || a.office)
        return cli_usage("member revoke", "--number, --role and --office belong to 'member "
                                          "add'");
    if (a.npos == 0)
        return cli_usage("member revoke", "missing the DEVICE signing key to revoke");
    if (a.npos > 1)
        return cli_usage("member revoke", "unexpected argument '%s'", a.pos[1]);
    if (!a.last_seq)
        return cli_usage("member revoke", "missing --last-seq N (the last valid seq of its "
                                          "feed; 0 if none)");
    memset(&r, 0, sizeof r);
    if (cli_uint_parse(a.last_seq, 0, PROTO_SEQ_MAX, &r.last_seq) < 0)
        return cli_usage("member revoke", "invalid --last-seq '%s'", a.last_seq);
    if (r.last_seq == 0 && a.last_id)
        return cli_usage("member revoke", "--last-id makes no sense with --last-seq 0");
    if (a.reason) {
        size_t n = strlen(a.reason);

        if (n > PROTO_MEMO_MAX)
            return cli_usage("member revoke", "--reason is too long (%zu bytes, at most %d)", n,
                             PROTO_MEMO_MAX);
        if (!cli_text_ok(a.reason, n, false))
            return cli_usage("member revoke", "--reason must be UTF-8 text without control "
                                              "characters");
        memcpy(r.reason, a.reason, n + 1);
    }

    memset(&target, 0, sizeof target);
    proto_buf_init(&body);
    ret = author_setup(ctx, PROTO_KIND_REVOKE, &st, &g, &keys, &me);
    if (ret != CLI_OK)
        goto out;
    ret = resolve_device(st, a.pos[0], &target);
    if (ret >= 0)
        goto out;
    memcpy(r.device, target.dev.sign_pk, 32);
    if (target.revoked) {
        cli_err("device %s (member %u) is already revoked, valid up to seq %llu",
                cli_hex(r.device, 8, hex), target.dev.member, (unsigned long long)target.cut_seq);
        ret = CLI_NEG;
        goto out;
    }
    if (memcmp(r.device, keys->sign_pk, 32) == 0) {
        cli_err("a device cannot revoke itself (its revocation would lie beyond its own "
                "cut-off); ask another pengurus or pengawas");
        ret = CLI_NEG;
        goto out;
    }
    ret = resolve_cut(st, &a, &r);
    if (ret >= 0)
        goto out;

    rc = proto_revoke_encode(&r, &body);
    if (rc < 0) {
        cli_err("cannot encode the revocation: %s", err_str(rc));
        ret = CLI_RUNTIME;
        goto out;
    }
    rc = cli_author(ctx, st, keys, PROTO_KIND_REVOKE, &body, id);
    if (rc < 0) {
        ret = cli_author_error("revocation", rc);
        goto out;
    }
    if (a.json) {
        json_t *o = json_object();

        if (!o || json_object_set_new(o, "entry_id", cli_json_hex(id, 32)) < 0 ||
            json_object_set_new(o, "device", cli_json_hex(r.device, 32)) < 0 ||
            json_object_set_new(o, "member", json_integer(target.dev.member)) < 0 ||
            json_object_set_new(o, "last_seq", json_integer((json_int_t)r.last_seq)) < 0 ||
            json_object_set_new(o, "last_id",
                                r.has_last_id ? cli_json_hex(r.last_id, 32) : json_null()) < 0) {
            json_decref(o);
            cli_err("out of memory");
            ret = CLI_RUNTIME;
            goto out;
        }
        ret = cli_json_out(o);
        goto out;
    }
    proto_hex(id, 32, idhex);
    printf("Kunci perangkat dicabut: %s (anggota %u), berlaku s.d. seq %llu. ID entri: %s\n"
           "Device key revoked: %s (member %u), valid up to seq %llu.\n",
           cli_hex(r.device, 8, hex), target.dev.member, (unsigned long long)r.last_seq, idhex, hex,
           target.dev.member, (unsigned long long)r.last_seq);
    if (g->policy.revoke_quorum.pengurus + g->policy.revoke_quorum.pengawas > 1)
        printf("Catatan / note: the policy asks %u pengurus + %u pengawas to approve a "
               "revocation.\n",
               g->policy.revoke_quorum.pengurus, g->policy.revoke_quorum.pengawas);
    ret = cli_stdout_done();
out:
    proto_buf_release(&body);
    proto_keys_free(keys);
    proto_genesis_free(g);
    cli_store_close(ctx, st);
    return ret;
}

/* ---- list ---- */

struct dev_list {
    struct store_device *d;
    size_t n, cap;
};

static int dev_list_cb(const struct store_device *d, void *arg)
{
    struct dev_list *l = arg;

    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 32;
        struct store_device *p = realloc(l->d, cap * sizeof *p);

        if (!p)
            return -ENOMEM;
        l->d = p;
        l->cap = cap;
    }
    l->d[l->n++] = *d;
    return 0;
}

static int dev_cmp(const void *a, const void *b)
{
    const struct store_device *x = a, *y = b;

    if (x->dev.member != y->dev.member)
        return x->dev.member < y->dev.member ? -1 : 1;
    if (x->dev.role != y->dev.role)
        return x->dev.role < y->dev.role ? -1 : 1;
    return memcmp(x->dev.sign_pk, y->dev.sign_pk, 32);
}

static int list_json(const struct dev_list *l, const uint8_t ledger[32])
{
    json_t *arr = json_array();

    if (!arr)
        goto oom;
    for (size_t i = 0; i < l->n; i++) {
        const struct store_device *d = &l->d[i];
        json_t *o = json_object();

        if (!o || json_array_append_new(arr, o) < 0 ||
            json_object_set_new(o, "member", json_integer(d->dev.member)) < 0 ||
            json_object_set_new(o, "role", json_string(proto_role_name(d->dev.role))) < 0 ||
            json_object_set_new(o, "office",
                                d->dev.office ? json_string(proto_office_name(d->dev.office))
                                              : json_null()) < 0 ||
            json_object_set_new(o, "device", cli_json_hex(d->dev.sign_pk, 32)) < 0 ||
            json_object_set_new(o, "transport_key", cli_json_hex(d->dev.box_pk, 32)) < 0 ||
            json_object_set_new(o, "admitted_by", cli_json_hex(d->admitted_by, 32)) < 0 ||
            json_object_set_new(o, "founder",
                                json_boolean(memcmp(d->admitted_by, ledger, 32) == 0)) < 0 ||
            json_object_set_new(o, "revoked", json_boolean(d->revoked)) < 0 ||
            json_object_set_new(
                o, "cut_seq", d->revoked ? json_integer((json_int_t)d->cut_seq) : json_null()) < 0)
            goto oom;
    }
    return cli_json_out(arr);
oom:
    json_decref(arr);
    cli_err("out of memory");
    return CLI_RUNTIME;
}

static int list_text(const struct dev_list *l, const uint8_t ledger[32])
{
    char key[17], by[13];

    printf("%-10s  %-9s  %-10s  %-16s  %-12s  %s\n", "NO/MEMBER", "PERAN", "JABATAN",
           "PERANGKAT/DEVICE", "DITERIMA/BY", "STATUS");
    for (size_t i = 0; i < l->n; i++) {
        const struct store_device *d = &l->d[i];
        bool founder = memcmp(d->admitted_by, ledger, 32) == 0;

        printf("%-10u  %-9s  %-10s  %-16s  %-12s  ", d->dev.member, proto_role_name(d->dev.role),
               d->dev.office ? proto_office_name(d->dev.office) : "-",
               cli_hex(d->dev.sign_pk, 8, key),
               founder ? "pendiri" : cli_hex(d->admitted_by, 6, by));
        if (d->revoked)
            printf("dicabut/revoked, s.d. seq %llu\n", (unsigned long long)d->cut_seq);
        else
            printf("aktif/active\n");
    }
    printf("(%zu perangkat / devices)\n", l->n);
    return cli_stdout_done();
}

static int member_list(int argc, char **argv, struct cli_ctx *ctx)
{
    struct member_args a = {.json = ctx->json};
    struct dev_list l = {NULL, 0, 0};
    struct store *st = NULL;
    uint8_t ledger[32];
    int rc, ret;

    ret = parse_args("member list", argc, argv, &a);
    if (ret >= 0)
        return ret;
    if (a.number || a.role || a.office || a.last_seq || a.last_id || a.reason)
        return cli_usage("member list", "'member list' takes no option but --json");
    if (a.npos > 0)
        return cli_usage("member list", "unexpected argument '%s'", a.pos[0]);
    rc = cli_store_open_ro(ctx, &st);
    if (rc < 0)
        return cli_open_error(ctx, rc);
    ret = CLI_RUNTIME;
    rc = store_ledger_id(st, ledger);
    if (rc < 0) {
        ret = cli_open_error(ctx, rc);
        goto out;
    }
    rc = store_each_device(st, dev_list_cb, &l);
    if (rc < 0) {
        cli_err("cannot read the roster: %s", err_str(rc));
        goto out;
    }
    if (l.n > 1)
        qsort(l.d, l.n, sizeof *l.d, dev_cmp);
    ret = a.json ? list_json(&l, ledger) : list_text(&l, ledger);
out:
    free(l.d);
    cli_store_close(ctx, st);
    return ret;
}

/* ---- requests ---- */

struct join_item {
    struct proto_join j;
    char file[300];
    bool admitted;
    struct store_device d; /* when admitted */
};

static int join_cmp(const void *a, const void *b)
{
    const struct join_item *x = a, *y = b;

    if (x->j.time != y->j.time)
        return x->j.time < y->j.time ? -1 : 1;
    return memcmp(x->j.sign_pk, y->j.sign_pk, 32);
}

/* The card text of a join request: the same as 'saksi key show' prints on that device. */
static void join_card(const struct proto_join *j, char *out, size_t size)
{
    uint8_t raw[128];
    char hex[257];

    memcpy(raw, j->sign_pk, 32);
    memcpy(raw + 32, j->box_pk, 32);
    memcpy(raw + 64, j->card_sig, 64);
    proto_hex(raw, sizeof raw, hex);
    snprintf(out, size, "%s%s", CLI_CARD_PREFIX, hex);
}

static void join_admit_cmd(const struct proto_join *j, char *out, size_t size)
{
    char num[16] = "N", card[300];

    if (j->member)
        snprintf(num, sizeof num, "%u", j->member);
    join_card(j, card, sizeof card);
    snprintf(out, size, "saksi member add --number %s --role anggota %s", num, card);
}

/* A note from a guest, for a terminal: control characters (C0, DEL, C1) become '?'. */
static void note_safe(const char *s, char *out, size_t size)
{
    size_t o = 0;

    for (size_t i = 0; s[i] && o + 1 < size; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c == 0xc2 && (unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] <= 0x9f) {
            out[o++] = '?';
            i++;
        } else {
            out[o++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
        }
    }
    out[o] = '\0';
}

static const char *utc_str(uint64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;

    gmtime_r(&tt, &tm);
    strftime(buf, size, "%Y-%m-%d %H:%M UTC", &tm);
    return buf;
}

/*
 * Reads <data>/joins/ *.join: each parsed and verified, for this ledger, named after its own
 * device key; the others are skipped with a warning naming them. *items is the caller's (free).
 */
static int joins_read(struct cli_ctx *ctx, struct store *st, const uint8_t ledger[32],
                      struct join_item **items, size_t *count)
{
    char dir[4200], path[4600];
    struct join_item *v = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    DIR *d;
    int rc = 0;

    *items = NULL;
    *count = 0;
    cli_path(ctx, "joins", dir, sizeof dir);
    d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : -errno;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        struct proto_buf b;
        struct join_item it;
        char hex[65];

        if (len != 64 + 5 || strcmp(de->d_name + 64, ".join") != 0)
            continue; /* temporary files, anything else */
        memset(&it, 0, sizeof it);
        snprintf(it.file, sizeof it.file, "%s", de->d_name);
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        proto_buf_init(&b);
        rc = cli_file_read(path, PROTO_JOIN_MAX, &b);
        if (rc == 0)
            rc = proto_join_parse(b.data, b.len, &it.j);
        proto_buf_release(&b);
        if (rc == -ENOMEM)
            break;
        if (rc == 0 && memcmp(it.j.ledger, ledger, 32) != 0)
            rc = ERR_LEDGER;
        if (rc == 0 && strncmp(de->d_name, cli_hex(it.j.sign_pk, 32, hex), 64) != 0)
            rc = ERR_AUTHORITY;
        if (rc < 0) {
            cli_warn("skipping the damaged join request '%s': %s", path,
                     rc == ERR_LEDGER      ? "it is for another ledger"
                     : rc == ERR_AUTHORITY ? "its name is not its device key"
                     : rc == -EFBIG        ? "too long"
                                           : err_str(rc));
            rc = 0;
            continue;
        }
        rc = store_device_get(st, it.j.sign_pk, &it.d);
        if (rc < 0 && rc != -ENOENT)
            break;
        it.admitted = rc == 0;
        rc = 0;
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 8;
            struct join_item *p = realloc(v, nc * sizeof *p);

            if (!p) {
                rc = -ENOMEM;
                break;
            }
            v = p;
            cap = nc;
        }
        v[n++] = it;
    }
    closedir(d);
    if (rc < 0) {
        free(v);
        return rc;
    }
    if (n > 1)
        qsort(v, n, sizeof *v, join_cmp);
    *items = v;
    *count = n;
    return 0;
}

static int requests_json(const struct join_item *v, size_t n)
{
    json_t *arr = json_array();
    char card[300], cmd[512], when[32];

    if (!arr)
        goto oom;
    for (size_t i = 0; i < n; i++) {
        const struct join_item *it = &v[i];
        json_t *o = json_object();

        join_card(&it->j, card, sizeof card);
        join_admit_cmd(&it->j, cmd, sizeof cmd);
        if (!o || json_array_append_new(arr, o) < 0 ||
            json_object_set_new(o, "device", cli_json_hex(it->j.sign_pk, 32)) < 0 ||
            json_object_set_new(o, "transport_key", cli_json_hex(it->j.box_pk, 32)) < 0 ||
            json_object_set_new(o, "member",
                                it->j.member ? json_integer(it->j.member) : json_null()) < 0 ||
            json_object_set_new(o, "note", json_string(it->j.note)) < 0 ||
            json_object_set_new(o, "time", cli_json_u64(it->j.time)) < 0 ||
            json_object_set_new(o, "time_utc",
                                json_string(utc_str(it->j.time, when, sizeof when))) < 0 ||
            json_object_set_new(o, "admitted", json_boolean(it->admitted)) < 0 ||
            json_object_set_new(o, "admitted_member",
                                it->admitted ? json_integer(it->d.dev.member) : json_null()) < 0 ||
            json_object_set_new(o, "card", json_string(card)) < 0 ||
            json_object_set_new(o, "admit_command", it->admitted ? json_null() : json_string(cmd)) <
                0 ||
            json_object_set_new(o, "file", json_string(it->file)) < 0)
            goto oom;
    }
    return cli_json_out(arr);
oom:
    json_decref(arr);
    cli_err("out of memory");
    return CLI_RUNTIME;
}

static int requests_text(const struct join_item *v, size_t n)
{
    char key[17], when[32], note[4 * PROTO_JOIN_NOTE_MAX + 1], cmd[512], num[16];

    if (n == 0) {
        puts("Tidak ada permintaan bergabung. / No join requests.");
        return cli_stdout_done();
    }
    printf("Permintaan bergabung / join requests: %zu\n", n);
    for (size_t i = 0; i < n; i++) {
        const struct join_item *it = &v[i];

        snprintf(num, sizeof num, "%u", it->j.member);
        note_safe(it->j.note, note, sizeof note);
        printf("\n  perangkat/device %s  anggota/member %s  %s\n  catatan/note: %s\n",
               cli_hex(it->j.sign_pk, 8, key), it->j.member ? num : "-",
               utc_str(it->j.time, when, sizeof when), note[0] ? note : "-");
        if (it->admitted) {
            printf("  sudah diterima / already admitted (member %u, %s%s)\n", it->d.dev.member,
                   proto_role_name(it->d.dev.role), it->d.revoked ? ", revoked" : "");
        } else {
            join_admit_cmd(&it->j, cmd, sizeof cmd);
            printf("  menunggu / waiting; terima dengan / admit with:\n    %s\n", cmd);
        }
    }
    return cli_stdout_done();
}

static int member_requests(int argc, char **argv, struct cli_ctx *ctx)
{
    struct member_args a = {.json = ctx->json};
    struct store *st = NULL;
    struct join_item *v = NULL;
    uint8_t ledger[32];
    size_t n = 0;
    int rc, ret;

    ret = parse_args("member requests", argc, argv, &a);
    if (ret >= 0)
        return ret;
    if (a.number || a.role || a.office || a.last_seq || a.last_id || a.reason)
        return cli_usage("member requests", "'member requests' takes no option but --json");
    if (a.npos > 0)
        return cli_usage("member requests", "unexpected argument '%s'", a.pos[0]);
    rc = cli_store_open_ro(ctx, &st);
    if (rc < 0)
        return cli_open_error(ctx, rc);
    rc = store_ledger_id(st, ledger);
    if (rc < 0) {
        ret = cli_open_error(ctx, rc);
        goto out;
    }
    rc = joins_read(ctx, st, ledger, &v, &n);
    if (rc < 0) {
        cli_err("cannot read the join requests in '%s/joins': %s", ctx->data_dir, err_str(rc));
        ret = CLI_RUNTIME;
        goto out;
    }
    ret = a.json ? requests_json(v, n) : requests_text(v, n);
out:
    free(v);
    cli_store_close(ctx, st);
    return ret;
}

/* ---- admit, exit, settle: the membership register (kinds 40, 41, 42) ---- */

enum {
    AOPT_CLASS = 512,
    AOPT_POKOK,
    AOPT_WAJIB,
    AOPT_CASH,
    AOPT_DATE,
    AOPT_MEMO,
    AOPT_REASON,
    AOPT_DRY_RUN,
    AOPT_JSON,
    AOPT_LANG,
    AOPT_NO_OFFSET,
};

static void admit_usage(FILE *f)
{
    fputs("usage: saksi member admit N [--class biasa|calon|luar-biasa] [--pokok AMOUNT]\n"
          "                            [--cash ACCT] [--date D] [--memo TEXT] [--dry-run]\n"
          "                            [--json] [--lang id|en]\n"
          "\n"
          "Mencatat penerimaan anggota N dan setoran simpanan pokoknya (entri jenis 40).\n"
          "Records that N becomes a member (an entry of kind 40) and pays simpanan pokok:\n"
          "Dr cash / Cr the pokok account (the product of class pokok, normally 3100) on N's\n"
          "sub-ledger. Member numbers are the koperasi's own; names stay off the ledger. By\n"
          "default an admission recorded by a kasir waits for one pengurus to approve it\n"
          "('saksi approve ID'); one recorded by a pengurus takes effect at once.\n"
          "\n"
          "Refused (exit 1, nothing written) when N is a member already (duplicate-admission)\n"
          "or simpanan pokok differs from the parameters for an ordinary member (pokok-amount).\n"
          "\n"
          "options:\n"
          "  --class C      biasa (ordinary, default), calon (prospective) or luar-biasa\n"
          "  --pokok AMOUNT simpanan pokok paid now (default: the parameters' pokok; 0 for calon)\n"
          "  --cash ACCT    cash or bank account that receives it (default: the first cash\n"
          "                 account of the parameters, normally 1100 Kas)\n"
          "  --date D       business date YYYY-MM-DD (default today)\n"
          "  --memo TEXT    a note (at most 200 bytes)\n"
          "  --dry-run      check and show the entry and its postings; write nothing\n"
          "  --json         print the result as one JSON object\n"
          "  --lang id|en   language of the output (default id)\n"
          "  -h, --help     show this help\n"
          "\n"
          "example: saksi member admit 7 --date 2026-01-06\n"
          "\n"
          "exit codes: 0 ok; 1 refused; 2 usage error; 3 runtime error (I/O, store, lock)\n",
          f);
}

static void exit_usage(FILE *f)
{
    fputs("usage: saksi member exit N --reason sendiri|meninggal|diberhentikan|lainnya\n"
          "                           [--pokok AMOUNT] [--wajib AMOUNT] [--date D] [--memo TEXT]\n"
          "                           [--dry-run] [--json] [--lang id|en]\n"
          "\n"
          "Mencatat anggota N keluar (entri jenis 41).\n"
          "Records that member N leaves the koperasi (an entry of kind 41): the member's\n"
          "simpanan pokok and wajib, as the books hold them on the date, move to the refund\n"
          "account (2400, utang simpanan anggota keluar): Dr pokok, Dr wajib / Cr refund.\n"
          "Pay the refund and the member's other savings afterwards with 'saksi member settle'.\n"
          "By default an exit needs one pengurus and the member's countersignature (or a\n"
          "pengawas as witness).\n"
          "\n"
          "Refused (exit 1, nothing written) when N is not an active member on the date\n"
          "(not-member), or when --pokok or --wajib differ from the books (exit-amounts).\n"
          "\n"
          "options:\n"
          "  --reason R     sendiri (own request), meninggal (deceased), diberhentikan\n"
          "                 (dismissed) or lainnya (other); required\n"
          "  --pokok AMOUNT the simpanan pokok you counted (checked against the books)\n"
          "  --wajib AMOUNT the simpanan wajib you counted (checked against the books)\n"
          "  --date D       business date YYYY-MM-DD (default today)\n"
          "  --memo TEXT    a note (at most 200 bytes)\n"
          "  --dry-run      check and show the entry and its postings; write nothing\n"
          "  --json         print the result as one JSON object\n"
          "  --lang id|en   language of the output (default id)\n"
          "  -h, --help     show this help\n"
          "\n"
          "example: saksi member exit 7 --reason sendiri --date 2026-06-30\n"
          "\n"
          "exit codes: 0 ok; 1 refused; 2 usage error; 3 runtime error (I/O, store, lock)\n",
          f);
}

static void settle_usage(FILE *f)
{
    fputs("usage: saksi member settle N [--no-offset] [--cash ACCT] [--date D] [--memo TEXT]\n"
          "                             [--dry-run] [--json] [--lang id|en]\n"
          "\n"
          "Membayar pengembalian simpanan anggota N yang sudah keluar (entri jenis 42),\n"
          "dikurangi pinjamannya yang belum lunas.\n"
          "Pays out an exited member (an entry of kind 42): the refund due (the balance of the\n"
          "refund account, 2400) and the member's sukarela, berjangka and khusus savings, as\n"
          "the books hold them on the date: Dr refund, Dr savings / Cr cash. By default the\n"
          "member's outstanding loans are settled from that money first (offsets): for each\n"
          "disbursed loan, oldest first, the interest due up to the date and then the\n"
          "outstanding principal, as far as the money covers them: Cr the loan's receivable\n"
          "and interest income on the member's sub-ledger. The books count each offset as a\n"
          "repayment of that loan on the date. The rest is paid in cash, and may be Rp0 (then\n"
          "nothing is paid out and no countersignature is needed). Penalties (denda) are not\n"
          "offset: collect them with 'saksi loan repay' first. By default a settlement needs\n"
          "one pengurus (two from Rp10.000.000) and, when cash is paid out, the member's\n"
          "countersignature (or a pengawas as witness).\n"
          "\n"
          "Refused (exit 1, nothing written) when N has no exit in effect yet (not-member), or\n"
          "nothing is left to pay.\n"
          "\n"
          "options:\n"
          "  --no-offset    pay everything out in cash; leave the loans as they are\n"
          "  --cash ACCT    cash or bank account that pays (default: the first cash account)\n"
          "  --date D       business date YYYY-MM-DD (default today)\n"
          "  --memo TEXT    a note (at most 200 bytes)\n"
          "  --dry-run      check and show the entry and its postings; write nothing\n"
          "  --json         print the result as one JSON object\n"
          "  --lang id|en   language of the output (default id)\n"
          "  -h, --help     show this help\n"
          "\n"
          "example: saksi member settle 7 --date 2026-07-15\n"
          "\n"
          "exit codes: 0 ok; 1 refused; 2 usage error; 3 runtime error (I/O, store, lock)\n",
          f);
}

struct reg_args {
    const char *cls, *pokok, *wajib, *cash, *date, *memo, *reason;
    bool no_offset;
    uint32_t member, ymd;
    char memo_s[PROTO_ACCT_MEMO_MAX + 1];
};

/* Parses the options of admit, exit and settle (argv[0] is the subcommand). Options a
 * subcommand does not take are refused. -1 to go on, else an exit code. */
static int reg_parse(const char *cmd, void (*help)(FILE *), const char *allowed, int argc,
                     char **argv, struct cli_acct *a, struct reg_args *r)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"class", required_argument, NULL, AOPT_CLASS},
        {"pokok", required_argument, NULL, AOPT_POKOK},
        {"wajib", required_argument, NULL, AOPT_WAJIB},
        {"cash", required_argument, NULL, AOPT_CASH},
        {"date", required_argument, NULL, AOPT_DATE},
        {"memo", required_argument, NULL, AOPT_MEMO},
        {"reason", required_argument, NULL, AOPT_REASON},
        {"dry-run", no_argument, NULL, AOPT_DRY_RUN},
        {"json", no_argument, NULL, AOPT_JSON},
        {"lang", required_argument, NULL, AOPT_LANG},
        {"no-offset", no_argument, NULL, AOPT_NO_OFFSET},
        {NULL, 0, NULL, 0},
    };
    uint64_t v;
    int c, idx = -1;

    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, &idx)) != -1) {
        if (c >= AOPT_CLASS && c <= AOPT_REASON && !strstr(allowed, opts[c - AOPT_CLASS + 1].name))
            return cli_usage(cmd, "'%s' takes no --%s", cmd, opts[c - AOPT_CLASS + 1].name);
        switch (c) {
        case 'h':
            help(stdout);
            return cli_stdout_done();
        case AOPT_CLASS:
            r->cls = optarg;
            break;
        case AOPT_POKOK:
            r->pokok = optarg;
            break;
        case AOPT_WAJIB:
            r->wajib = optarg;
            break;
        case AOPT_CASH:
            r->cash = optarg;
            break;
        case AOPT_DATE:
            r->date = optarg;
            break;
        case AOPT_MEMO:
            r->memo = optarg;
            break;
        case AOPT_REASON:
            r->reason = optarg;
            break;
        case AOPT_DRY_RUN:
            a->dry_run = true;
            break;
        case AOPT_JSON:
            a->json = true;
            break;
        case AOPT_LANG:
            if (cli_lang_opt(cmd, optarg, &a->lang) != 0)
                return CLI_USAGE;
            break;
        case AOPT_NO_OFFSET:
            if (!strstr(allowed, "no-offset"))
                return cli_usage(cmd, "'%s' takes no --no-offset", cmd);
            r->no_offset = true;
            break;
        default:
            return cli_opt_error(cmd, c, argv);
        }
    }
    if (optind == argc)
        return cli_usage(cmd, "missing the member number N");
    if (argc - optind > 1)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind + 1]);
    if (cli_uint_parse(argv[optind], 1, PROTO_MEMBER_MAX, &v) < 0)
        return cli_usage(cmd, "invalid member number '%s' (1 to 4294967295)", argv[optind]);
    r->member = (uint32_t)v;
    r->ymd = cli_today();
    if (r->date && cli_date_parse(r->date, &r->ymd) < 0)
        return cli_usage(cmd, "invalid date '%s' (use YYYY-MM-DD)", r->date);
    if (r->memo) {
        size_t n = strlen(r->memo);

        if (n > PROTO_ACCT_MEMO_MAX)
            return cli_usage(cmd, "the memo is too long (%zu bytes, at most %d)", n,
                             PROTO_ACCT_MEMO_MAX);
        if (!cli_text_ok(r->memo, n, false))
            return cli_usage(cmd, "the memo must be UTF-8 text without control characters");
        memcpy(r->memo_s, r->memo, n + 1);
    }
    return -1;
}

/* An amount option that may be 0. -1 to go on, else an exit code. */
static int amount0_arg(const char *cmd, const char *opt, const char *s, uint64_t *v)
{
    if (strcmp(s, "0") == 0) {
        *v = 0;
        return -1;
    }
    if (cli_amount_parse(s, v) < 0)
        return cli_usage(cmd, "invalid %s '%s' (whole rupiah: 100000, 100.000 or Rp100.000)", opt,
                         s);
    return -1;
}

/* The item of kind about member that is effective (latest date, then highest id) or, failing
 * that, waiting; NULL when there is none. */
static const struct books_item *member_item(const struct books *bk, uint32_t kind, uint32_t member,
                                            int status)
{
    const struct books_item *best = NULL;

    for (size_t i = 0; i < books_nitems(bk); i++) {
        const struct books_item *it = books_item(bk, i);

        if (it->kind != kind || it->member != member || it->status != status)
            continue;
        if (!best || it->date >= best->date)
            best = it;
    }
    return best;
}

int cli_member_admit(int argc, char **argv, struct cli_ctx *ctx)
{
    const char *cmd = "member admit";
    struct cli_acct a;
    struct reg_args r;
    struct proto_acct_body *b = NULL;
    const struct proto_params *P;
    const struct proto_savings_product *sp;
    const struct books_item *w;
    uint32_t cash, admitted = 0, exited = 0;
    uint8_t cls = PROTO_CLASS_BIASA;
    uint64_t pokok = 0;
    bool have_pokok = false;
    char d[11], hex[9], r1[32], r2[32];
    int st, ret;

    memset(&a, 0, sizeof a);
    memset(&r, 0, sizeof r);
    a.json = ctx->json;
    ret = reg_parse(cmd, admit_usage, "class pokok cash date memo", argc, argv, &a, &r);
    if (ret >= 0)
        return ret;
    if (r.cls) {
        if (strcmp(r.cls, "biasa") == 0)
            cls = PROTO_CLASS_BIASA;
        else if (strcmp(r.cls, "calon") == 0)
            cls = PROTO_CLASS_CALON;
        else if (strcmp(r.cls, "luar-biasa") == 0)
            cls = PROTO_CLASS_LUAR;
        else
            return cli_usage(cmd, "unknown class '%s' (use biasa, calon or luar-biasa)", r.cls);
    }
    if (r.pokok) {
        ret = amount0_arg(cmd, "--pokok", r.pokok, &pokok);
        if (ret >= 0)
            return ret;
        have_pokok = true;
    }
    ret = cli_acct_open(ctx, &a);
    if (ret != CLI_OK)
        return ret;
    ret = CLI_NEG;
    P = cli_acct_params(&a, r.ymd, PROTO_KIND_MEMBER_ADMIT);
    if (!P)
        goto out;
    sp = cli_product_of_class(P, PROTO_SAV_POKOK);
    if (!sp) {
        cli_acct_refuse(&a, "product",
                        CLI_TR(a.lang,
                               "parameter tidak memuat produk simpanan pokok. Tambahkan "
                               "'savings = SP pokok 3100' pada parameter.",
                               "the parameters name no simpanan pokok product. Add 'savings = "
                               "SP pokok 3100' to the parameters."));
        goto out;
    }
    if (!have_pokok)
        pokok = cls == PROTO_CLASS_CALON ? 0 : P->pokok;
    cash = cli_role_account(a.bk, P, PROTO_AR_CASH, r.ymd);
    if (r.cash && cli_acct_cash_arg(&a, P, r.cash, r.ymd, &cash) < 0)
        goto out;
    st = books_member_status(a.bk, r.member, r.ymd, &admitted, &exited);
    if (st == BOOKS_MEMBER_ACTIVE || st == BOOKS_MEMBER_CALON || st == BOOKS_MEMBER_LUAR)
        cli_acct_refuse(&a, "duplicate-admission",
                        CLI_TR(a.lang,
                               "%u sudah tercatat sebagai %s sejak %s. Periksa nomor "
                               "anggotanya ('saksi statement --member %u').",
                               "%u is recorded as %s since %s already. Check the member number "
                               "('saksi statement --member %u')."),
                        r.member, cli_member_status_label(st, a.lang), cli_date_dmy(admitted, d),
                        r.member);
    else if ((w = member_item(a.bk, PROTO_KIND_MEMBER_ADMIT, r.member, BOOKS_WAITING)) != NULL)
        cli_acct_refuse(&a, "duplicate-admission",
                        CLI_TR(a.lang,
                               "penerimaan anggota %u sudah dicatat dan menunggu persetujuan "
                               "(%s). Setujui yang itu: 'saksi approve %s'.",
                               "the admission of member %u is recorded already and waits for "
                               "approval (%s). Approve that one: 'saksi approve %s'."),
                        r.member, cli_hex(w->id, 4, hex), hex);
    if (cls == PROTO_CLASS_BIASA && pokok != P->pokok)
        cli_acct_refuse(&a, "pokok-amount",
                        CLI_TR(a.lang,
                               "simpanan pokok anggota biasa %s, padahal menurut parameter %s. "
                               "Pakai --pokok %s (cicilan pokok: --class calon, lalu setor "
                               "dengan 'saksi deposit --product %s').",
                               "simpanan pokok of an ordinary member is %s, but the parameters "
                               "say %s. Give --pokok %s (pokok in installments: --class calon, "
                               "then deposits with 'saksi deposit --product %s')."),
                        cli_rupiah(pokok, r1), cli_rupiah(P->pokok, r2), r2, sp->code);
    if (a.refusals)
        goto out;
    b = calloc(1, sizeof *b);
    if (!b) {
        cli_err("out of memory");
        ret = CLI_RUNTIME;
        goto out;
    }
    b->kind = PROTO_KIND_MEMBER_ADMIT;
    b->u.admit.member = r.member;
    b->u.admit.date = r.ymd;
    b->u.admit.class = cls;
    b->u.admit.pokok = pokok;
    b->u.admit.pokok_account = sp->account;
    b->u.admit.cash_account = cash;
    memcpy(b->u.admit.memo, r.memo_s, sizeof b->u.admit.memo);
    ret = cli_acct_write(&a, b);
out:
    free(b);
    cli_acct_close(&a);
    return ret;
}

int cli_member_exit(int argc, char **argv, struct cli_ctx *ctx)
{
    static const char *const reasons[] = {"sendiri", "meninggal", "diberhentikan", "lainnya"};
    const char *cmd = "member exit";
    struct cli_acct a;
    struct reg_args r;
    struct proto_acct_body *b = NULL;
    const struct proto_params *P;
    const struct proto_savings_product *sp_p, *sp_w;
    const struct books_item *w;
    uint32_t refund_acct, admitted = 0, exited = 0;
    uint64_t want_p = 0, want_w = 0;
    int64_t bal_p, bal_w;
    uint8_t reason = 0;
    char d[11], hex[9], r1[40], r2[40];
    int st, ret;

    memset(&a, 0, sizeof a);
    memset(&r, 0, sizeof r);
    a.json = ctx->json;
    ret = reg_parse(cmd, exit_usage, "pokok wajib date memo reason", argc, argv, &a, &r);
    if (ret >= 0)
        return ret;
    if (!r.reason)
        return cli_usage(cmd, "missing --reason (sendiri, meninggal, diberhentikan or lainnya)");
    for (uint8_t i = 0; i < 4; i++)
        if (strcmp(r.reason, reasons[i]) == 0)
            reason = (uint8_t)(i + 1);
    if (!reason)
        return cli_usage(cmd,
                         "unknown reason '%s' (use sendiri, meninggal, diberhentikan or "
                         "lainnya)",
                         r.reason);
    if (r.pokok && (ret = amount0_arg(cmd, "--pokok", r.pokok, &want_p)) >= 0)
        return ret;
    if (r.wajib && (ret = amount0_arg(cmd, "--wajib", r.wajib, &want_w)) >= 0)
        return ret;
    ret = cli_acct_open(ctx, &a);
    if (ret != CLI_OK)
        return ret;
    ret = CLI_NEG;
    P = cli_acct_params(&a, r.ymd, PROTO_KIND_MEMBER_EXIT);
    if (!P)
        goto out;
    sp_p = cli_product_of_class(P, PROTO_SAV_POKOK);
    sp_w = cli_product_of_class(P, PROTO_SAV_WAJIB);
    refund_acct = cli_role_account(a.bk, P, PROTO_AR_REFUNDS, r.ymd);
    if (!sp_p || !sp_w || !refund_acct) {
        cli_acct_refuse(&a, "product",
                        CLI_TR(a.lang,
                               "parameter tidak memuat produk simpanan pokok dan wajib atau "
                               "akun pengembalian. Periksa 'saksi params show'.",
                               "the parameters lack a simpanan pokok or wajib product or a "
                               "refund account. See 'saksi params show'."));
        goto out;
    }
    st = books_member_status(a.bk, r.member, r.ymd, &admitted, &exited);
    if (st != BOOKS_MEMBER_ACTIVE && st != BOOKS_MEMBER_CALON && st != BOOKS_MEMBER_LUAR) {
        if (st == BOOKS_MEMBER_EXITED)
            cli_acct_refuse(&a, "not-member",
                            CLI_TR(a.lang,
                                   "%u sudah keluar pada %s. Bayar pengembaliannya dengan "
                                   "'saksi member settle %u'.",
                                   "%u left on %s already. Pay the refund with 'saksi member "
                                   "settle %u'."),
                            r.member, cli_date_dmy(exited, d), r.member);
        else
            cli_acct_refuse(&a, "not-member",
                            CLI_TR(a.lang,
                                   "%u bukan anggota aktif pada %s. Periksa nomor anggotanya.",
                                   "%u is not an active member on %s. Check the member number."),
                            r.member, cli_date_dmy(r.ymd, d));
        goto out;
    }
    w = member_item(a.bk, PROTO_KIND_MEMBER_EXIT, r.member, BOOKS_WAITING);
    if (w) {
        cli_acct_refuse(&a, "not-member",
                        CLI_TR(a.lang,
                               "keluarnya anggota %u sudah dicatat dan menunggu (%s). Setujui "
                               "yang itu: 'saksi approve %s'.",
                               "the exit of member %u is recorded already and waits (%s). "
                               "Approve that one: 'saksi approve %s'."),
                        r.member, cli_hex(w->id, 4, hex), hex);
        goto out;
    }
    bal_p = cli_books_balance(a.bk, r.member, sp_p->account, r.ymd);
    bal_w = cli_books_balance(a.bk, r.member, sp_w->account, r.ymd);
    if (bal_p < 0 || bal_w < 0) {
        cli_acct_refuse(&a, "overdrawn",
                        CLI_TR(a.lang,
                               "saldo simpanan pokok (%s) atau wajib (%s) anggota %u negatif. "
                               "Perbaiki dulu dengan jurnal koreksi.",
                               "the simpanan pokok (%s) or wajib (%s) balance of member %u is "
                               "negative. Correct it with a journal first."),
                        cli_rupiah_signed(bal_p, false, r1), cli_rupiah_signed(bal_w, false, r2),
                        r.member);
        goto out;
    }
    if (r.pokok && want_p != (uint64_t)bal_p)
        cli_acct_refuse(&a, "exit-amounts",
                        CLI_TR(a.lang,
                               "simpanan pokok anggota %u menurut buku %s, bukan %s. Periksa "
                               "hitungan Anda, atau hilangkan --pokok.",
                               "member %u's simpanan pokok is %s in the books, not %s. Check "
                               "your count, or leave --pokok out."),
                        r.member, cli_rupiah((uint64_t)bal_p, r1), cli_rupiah(want_p, r2));
    if (r.wajib && want_w != (uint64_t)bal_w)
        cli_acct_refuse(&a, "exit-amounts",
                        CLI_TR(a.lang,
                               "simpanan wajib anggota %u menurut buku %s, bukan %s. Periksa "
                               "hitungan Anda, atau hilangkan --wajib.",
                               "member %u's simpanan wajib is %s in the books, not %s. Check "
                               "your count, or leave --wajib out."),
                        r.member, cli_rupiah((uint64_t)bal_w, r1), cli_rupiah(want_w, r2));
    if (a.refusals)
        goto out;
    b = calloc(1, sizeof *b);
    if (!b) {
        cli_err("out of memory");
        ret = CLI_RUNTIME;
        goto out;
    }
    b->kind = PROTO_KIND_MEMBER_EXIT;
    b->u.exit.member = r.member;
    b->u.exit.date = r.ymd;
    b->u.exit.reason = reason;
    b->u.exit.pokok = (uint64_t)bal_p;
    b->u.exit.wajib = (uint64_t)bal_w;
    b->u.exit.pokok_account = sp_p->account;
    b->u.exit.wajib_account = sp_w->account;
    b->u.exit.refund_account = refund_acct;
    memcpy(b->u.exit.memo, r.memo_s, sizeof b->u.exit.memo);
    ret = cli_acct_write(&a, b);
out:
    free(b);
    cli_acct_close(&a);
    return ret;
}

/* The netting a settlement prints before its summary, and the same as --json fields. */
struct netting {
    char *p;
    size_t len;
    json_t *json;
};

static void net_line(struct netting *t, const char *label, const char *amount)
{
    char line[256];
    int n = amount[0] ? snprintf(line, sizeof line, "  %-58s %20s\n", label, amount)
                      : snprintf(line, sizeof line, "  %s\n", label);
    char *q;

    if (n < 0)
        return;
    if ((size_t)n >= sizeof line)
        n = (int)sizeof line - 1;
    q = realloc(t->p, t->len + (size_t)n + 1);
    if (!q)
        return;
    memcpy(q + t->len, line, (size_t)n + 1);
    t->p = q;
    t->len += (size_t)n;
}

/* A member's disbursed loans in the order they were disbursed (date, then loan id). */
static int cmp_loan_disbursed(const void *x, const void *y)
{
    const struct books_loan *a = *(const struct books_loan *const *)x;
    const struct books_loan *b = *(const struct books_loan *const *)y;

    if (a->disbursed != b->disbursed)
        return a->disbursed < b->disbursed ? -1 : 1;
    return a->item < b->item ? -1 : a->item > b->item;
}

/* What loan l owes at the end of ymd that a settlement can offset: the interest of the
 * installments due by then less the interest paid, and the outstanding principal. */
static int loan_owes(const struct books *bk, const struct books_loan *l, uint32_t ymd,
                     uint64_t *interest, uint64_t *principal, uint64_t *penalty)
{
    struct proto_loan_schedule *s = malloc(sizeof *s);
    struct books_loan_state st;
    uint64_t si = 0;
    int32_t day;
    int rc;

    *interest = *principal = *penalty = 0;
    if (!s)
        return -ENOMEM;
    rc = books_loan_schedule(bk, l, s);
    if (rc == 0)
        rc = books_loan_state(bk, l, ymd, &st);
    if (rc == 0)
        rc = proto_day_from_ymd(ymd, &day);
    if (rc == 0 && st.status == BOOKS_LOAN_DISBURSED) {
        for (uint32_t k = 0; k < s->n && s->inst[k].due <= day; k++)
            si += s->inst[k].interest;
        *interest = si > st.interest_paid ? si - st.interest_paid : 0;
        *principal = st.outstanding;
        *penalty = st.penalty_due;
    }
    free(s);
    return rc;
}

/*
 * Offsets the member's outstanding loans against the settlement in b (ACCOUNTING.md 3.5):
 * oldest loan first, interest due then principal, as far as refund + savings cover; fills the
 * netting text and JSON. -ENOMEM, or an error of the loan state.
 */
static int settle_offsets(struct cli_acct *a, struct proto_acct_body *b, struct netting *t)
{
    struct proto_exit_settle *s = &b->u.settle;
    const struct books_loan **v;
    uint64_t avail = s->refund, payout;
    size_t n = 0, nl = books_nloans(a->bk);
    json_t *offs = json_array();
    char lab[160], r1[32], r2[32], r3[40], hex[9];
    int rc = 0;

    for (uint32_t k = 0; k < s->nsavings; k++)
        avail += s->savings[k].amount;
    v = calloc(nl + 1, sizeof *v);
    if (!v || !offs) {
        free(v);
        json_decref(offs);
        return -ENOMEM;
    }
    for (size_t i = 0; i < nl; i++) {
        const struct books_loan *l = books_loan_at(a->bk, i);

        if (l->borrower == s->member && l->disbursed && l->disbursed <= s->date &&
            (!l->written_off || l->written_off > s->date ||
             books_reversed_at(a->bk, l->writeoff_item, s->date)))
            v[n++] = l;
    }
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_loan_disbursed);
    snprintf(lab, sizeof lab, "%s", CLI_TR(a->lang, "Pengembalian simpanan pokok + wajib",
                                           "Refund of simpanan pokok + wajib"));
    net_line(t, lab, cli_rupiah(s->refund, r1));
    for (uint32_t k = 0; k < s->nsavings; k++) {
        const struct proto_account *ac = books_account(a->bk, s->savings[k].account, s->date);

        snprintf(lab, sizeof lab, "%s %u %s", CLI_TR(a->lang, "Simpanan", "Savings"),
                 s->savings[k].account, ac ? ac->name : "");
        net_line(t, lab, cli_rupiah(s->savings[k].amount, r1));
    }
    for (size_t i = 0; i < n && rc == 0 && s->noffsets < PROTO_ACCT_OFFSETS_MAX; i++) {
        const struct books_item *it = books_item(a->bk, v[i]->item);
        uint64_t owe_i, owe_p, pen, in, pr;

        rc = loan_owes(a->bk, v[i], s->date, &owe_i, &owe_p, &pen);
        if (rc < 0 || owe_i + owe_p == 0)
            continue;
        in = owe_i < avail ? owe_i : avail;
        avail -= in;
        pr = owe_p < avail ? owe_p : avail;
        avail -= pr;
        if (pen)
            cli_warn(CLI_TR(a->lang,
                            "pinjaman %s masih punya denda terutang %s yang tidak dipotong dari "
                            "pengembalian; tagih dengan 'saksi loan repay'.",
                            "loan %s still has a penalty of %s due, which is not offset; collect "
                            "it with 'saksi loan repay'."),
                     cli_hex(it->id, 4, hex), cli_rupiah(pen, r1));
        if (in + pr == 0)
            continue;
        memcpy(s->offsets[s->noffsets].loan, it->id, 32);
        s->offsets[s->noffsets].interest = in;
        s->offsets[s->noffsets].principal = pr;
        s->noffsets++;
        snprintf(lab, sizeof lab,
                 CLI_TR(a->lang, "Dikurangi pinjaman %s: bunga %s, pokok %s",
                        "Less loan %s: interest %s, principal %s"),
                 cli_hex(it->id, 4, hex), cli_rupiah(in, r1), cli_rupiah(pr, r2));
        r3[0] = '-';
        cli_rupiah(in + pr, r3 + 1);
        net_line(t, lab, r3);
        if (pr < owe_p || in < owe_i) {
            snprintf(lab, sizeof lab,
                     CLI_TR(a->lang, "  (pinjaman %s masih berutang bunga %s, pokok %s)",
                            "  (loan %s still owes interest %s, principal %s)"),
                     hex, cli_rupiah(owe_i - in, r1), cli_rupiah(owe_p - pr, r2));
            net_line(t, lab, "");
        }
        if (json_array_append_new(offs, json_pack("{s:o, s:o, s:o, s:o, s:o}", "loan",
                                                  cli_json_hex(it->id, 32), "interest",
                                                  cli_json_u64(in), "principal",
                                                  cli_json_u64(pr), "interest_due",
                                                  cli_json_u64(owe_i), "outstanding",
                                                  cli_json_u64(owe_p))) < 0)
            rc = -ENOMEM;
    }
    free(v);
    if (rc < 0) {
        json_decref(offs);
        return rc;
    }
    (void)proto_acct_payout(s, &payout);
    snprintf(lab, sizeof lab, "%s",
             CLI_TR(a->lang, "= Dibayar tunai kepada anggota", "= Paid out in cash to the member"));
    net_line(t, lab, cli_rupiah(payout, r1));
    t->json = json_pack("{s:o, s:o}", "offsets", offs, "payout", cli_json_u64(payout));
    return t->json ? 0 : -ENOMEM;
}

int cli_member_settle(int argc, char **argv, struct cli_ctx *ctx)
{
    const char *cmd = "member settle";
    struct cli_acct a;
    struct reg_args r;
    struct proto_acct_body *b = NULL;
    const struct proto_params *P;
    const struct books_item *ex, *w;
    uint32_t cash, refund_acct;
    int64_t refund;
    struct netting t = {NULL, 0, NULL};
    char d[11], d2[11], hex[9];
    int ret, rc;

    memset(&a, 0, sizeof a);
    memset(&r, 0, sizeof r);
    a.json = ctx->json;
    ret = reg_parse(cmd, settle_usage, "cash date memo no-offset", argc, argv, &a, &r);
    if (ret >= 0)
        return ret;
    ret = cli_acct_open(ctx, &a);
    if (ret != CLI_OK)
        return ret;
    ret = CLI_NEG;
    P = cli_acct_params(&a, r.ymd, PROTO_KIND_EXIT_SETTLE);
    if (!P)
        goto out;
    ex = member_item(a.bk, PROTO_KIND_MEMBER_EXIT, r.member, BOOKS_EFFECTIVE);
    if (!ex) {
        w = member_item(a.bk, PROTO_KIND_MEMBER_EXIT, r.member, BOOKS_WAITING);
        if (w) {
            char why[160];

            cli_acct_refuse(&a, "not-member",
                            CLI_TR(a.lang,
                                   "keluarnya anggota %u (%s) belum berlaku: %s. Selesaikan itu "
                                   "dulu.",
                                   "the exit of member %u (%s) is not in effect yet: %s. "
                                   "Finish that first."),
                            r.member, cli_hex(w->id, 4, hex),
                            cli_wait_str(w, a.lang, why, sizeof why));
        } else {
            cli_acct_refuse(&a, "not-member",
                            CLI_TR(a.lang,
                                   "anggota %u belum dicatat keluar. Catat dulu dengan 'saksi "
                                   "member exit %u --reason ...'.",
                                   "member %u has no recorded exit. Record it first with 'saksi "
                                   "member exit %u --reason ...'."),
                            r.member, r.member);
        }
        goto out;
    }
    if (r.ymd < ex->date) {
        cli_acct_refuse(&a, "date-order",
                        CLI_TR(a.lang, "tanggal %s sebelum tanggal keluar anggota %u (%s).",
                               "the date %s is before member %u's exit (%s)."),
                        cli_date_dmy(r.ymd, d), r.member, cli_date_dmy(ex->date, d2));
        goto out;
    }
    w = member_item(a.bk, PROTO_KIND_EXIT_SETTLE, r.member, BOOKS_WAITING);
    if (w) {
        cli_acct_refuse(&a, "already-recorded",
                        CLI_TR(a.lang,
                               "penyelesaian anggota %u sudah dicatat dan menunggu (%s). "
                               "Setujui yang itu: 'saksi approve %s'.",
                               "the settlement of member %u is recorded already and waits (%s). "
                               "Approve that one: 'saksi approve %s'."),
                        r.member, cli_hex(w->id, 4, hex), hex);
        goto out;
    }
    cash = cli_role_account(a.bk, P, PROTO_AR_CASH, r.ymd);
    if (r.cash && cli_acct_cash_arg(&a, P, r.cash, r.ymd, &cash) < 0)
        goto out;
    b = calloc(1, sizeof *b);
    if (!b) {
        cli_err("out of memory");
        ret = CLI_RUNTIME;
        goto out;
    }
    refund_acct = cli_role_account(a.bk, P, PROTO_AR_REFUNDS, r.ymd);
    refund = cli_books_balance(a.bk, r.member, refund_acct, r.ymd);
    b->kind = PROTO_KIND_EXIT_SETTLE;
    b->u.settle.member = r.member;
    b->u.settle.date = r.ymd;
    memcpy(b->u.settle.exit, ex->id, 32);
    b->u.settle.refund = refund > 0 ? (uint64_t)refund : 0;
    b->u.settle.refund_account = refund_acct;
    for (uint32_t i = 0; i < P->nsavings; i++) {
        const struct proto_savings_product *sp = &P->savings[i];
        int64_t bal;
        bool seen = false;

        if (sp->class < PROTO_SAV_SUKARELA)
            continue;
        for (uint32_t k = 0; k < b->u.settle.nsavings; k++)
            seen |= b->u.settle.savings[k].account == sp->account;
        bal = cli_books_balance(a.bk, r.member, sp->account, r.ymd);
        if (seen || bal <= 0)
            continue;
        if (b->u.settle.nsavings == PROTO_ACCT_SAVINGS_MAX)
            break;
        b->u.settle.savings[b->u.settle.nsavings].account = sp->account;
        b->u.settle.savings[b->u.settle.nsavings].amount = (uint64_t)bal;
        b->u.settle.nsavings++;
    }
    b->u.settle.cash_account = cash;
    memcpy(b->u.settle.memo, r.memo_s, sizeof b->u.settle.memo);
    if (!r.no_offset) {
        rc = settle_offsets(&a, b, &t);
        if (rc < 0) {
            cli_err("cannot compute what member %u's loans owe: %s", r.member, err_str(rc));
            ret = CLI_RUNTIME;
            goto out;
        }
        a.pre_text = t.p;
        a.extra = t.json;
        t.json = NULL;
    }
    if (b->u.settle.refund == 0 && b->u.settle.nsavings == 0) {
        cli_acct_refuse(&a, "nothing-to-settle",
                        CLI_TR(a.lang,
                               "tidak ada lagi yang harus dibayar kepada anggota %u (pengembalian "
                               "dan simpanan Rp0).",
                               "nothing is left to pay member %u (refund and savings Rp0)."),
                        r.member);
        goto out;
    }
    ret = cli_acct_write(&a, b);
out:
    json_decref(a.extra);
    json_decref(t.json);
    free(t.p);
    free(b);
    cli_acct_close(&a);
    return ret;
}

int cmd_member(int argc, char **argv, struct cli_ctx *ctx)
{
    const char *sub;

    if (argc < 2)
        return cli_usage("member", "missing a subcommand (add, revoke, list, requests, admit, "
                                   "exit or settle)");
    sub = argv[1];
    if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0) {
        usage(stdout);
        return cli_stdout_done();
    }
    if (strcmp(sub, "add") == 0)
        return member_add(argc - 1, argv + 1, ctx);
    if (strcmp(sub, "revoke") == 0)
        return member_revoke(argc - 1, argv + 1, ctx);
    if (strcmp(sub, "list") == 0)
        return member_list(argc - 1, argv + 1, ctx);
    if (strcmp(sub, "requests") == 0)
        return member_requests(argc - 1, argv + 1, ctx);
    if (strcmp(sub, "admit") == 0)
        return cli_member_admit(argc - 1, argv + 1, ctx);
    if (strcmp(sub, "exit") == 0)
        return cli_member_exit(argc - 1, argv + 1, ctx);
    if (strcmp(sub, "settle") == 0)
        return cli_member_settle(argc - 1, argv + 1, ctx);
    return cli_usage("member",
                     "unknown subcommand '%s' (use add, revoke, list, requests, admit, exit or "
                     "settle)",
                     sub);
}
