/*
 * saksi invite: a pengurus device invites a new device to the koperasi's network. It signs an
 * invite token for the device's card (the ledger, this device's two keys, the new device's two
 * keys, an expiry and optionally the member number and role it is meant for) and prints the
 * invite code: one line holding the token, the network key and an address to dial. The code is
 * a secret (the network key): it is printed once, on stdout, and nowhere else.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "proto/err.h"
#include "proto/wire.h"
#include "proto/invite.h"
#include "proto/ledger.h"

#define INVITE_DAYS_DEFAULT 7
#define INVITE_DAYS_MAX     90

static void usage(FILE *f)
{
    fputs("usage: saksi invite CARD [--expires DAYS] [--number N] [--role ROLE]\n"
          "                   [--address ADDR:PORT] [--json]\n"
          "\n"
          "Mengundang perangkat baru ke jaringan koperasi. / Invites a new device to the\n"
          "koperasi's network.\n"
          "\n"
          "Run on a pengurus device. CARD is the 'saksi-device:...' line that 'saksi key show'\n"
          "prints on the new device. The invite code printed is one line: give it to the new\n"
          "device privately (in person, or a private message), because it holds the network\n"
          "key. There, 'saksi join CODE' connects to this node as a guest, receives the genesis\n"
          "and the roster and sends its join request; 'saksi member requests' lists it here and\n"
          "'saksi member add' admits it.\n"
          "\n"
          "options:\n"
          "  --expires DAYS       the code is valid for DAYS days (1 to 90, default 7)\n"
          "  --number N           the member number the device is meant for\n"
          "  --role ROLE          the role it is meant for (pengurus, pengawas, kasir, anggota)\n"
          "  --address ADDR:PORT  where the new device dials this node (an IPv4 address); by\n"
          "                       default the running node's listen address, or this\n"
          "                       machine's first network address when it listens on 0.0.0.0\n"
          "  --json               machine-readable output\n"
          "  -h, --help           show this help\n"
          "\n"
          "exit codes: 0 ok; 1 refused (this device is not a pengurus in good standing, the\n"
          "            card is revoked); 2 usage error (also: no address known);\n"
          "            3 runtime error (I/O, store, keys)\n",
          f);
}

/* "A.B.C.D:PORT" with an IPv4 literal; the port in [minport, 65535]. */
static bool ipv4_port_ok(const char *s, long minport)
{
    char host[PROTO_WIRE_HOST_MAX + 1];
    int port;

    return proto_addr_parse(s, host, &port) == 0 && port >= minport;
}

/* The first non-loopback IPv4 address of an interface that is up, as text into out. */
static int first_ipv4(char *out, size_t size)
{
    struct ifaddrs *ifa = NULL, *i;
    int rc = -ENOENT;

    if (getifaddrs(&ifa) < 0)
        return -errno;
    for (i = ifa; i; i = i->ifa_next) {
        const struct sockaddr_in *sa = (const struct sockaddr_in *)(const void *)i->ifa_addr;

        if (!sa || sa->sin_family != AF_INET || !(i->ifa_flags & IFF_UP) ||
            (i->ifa_flags & IFF_LOOPBACK) || (ntohl(sa->sin_addr.s_addr) >> 24) == 127)
            continue;
        if (inet_ntop(AF_INET, &sa->sin_addr, out, (socklen_t)size)) {
            rc = 0;
            break;
        }
    }
    freeifaddrs(ifa);
    return rc;
}

/*
 * The address for the code when --address is not given: the running node's listen address,
 * with this machine's first network address in place of 0.0.0.0. Returns -1 with out filled,
 * or an exit code (the error printed).
 */
static int address_from_node(struct cli_ctx *ctx, char *out, size_t size)
{
    json_t *req = json_pack("{s:s}", "op", "status"), *reply = NULL;
    const char *listen, *colon;
    char host[INET_ADDRSTRLEN];
    int rc = cli_node_request(ctx, req, &reply);

    json_decref(req);
    listen = json_string_value(json_object_get(reply, "listen"));
    if (rc < 0 || !json_is_true(json_object_get(reply, "ok")) || !listen ||
        !ipv4_port_ok(listen, 1)) {
        json_decref(reply);
        return cli_usage("invite",
                         "no address for the code: %s; give --address ADDR:PORT (this device's "
                         "address on the network the new device uses, where saksid listens)",
                         rc < 0 ? "saksid does not run for this data directory"
                                : "the running saksid does not listen");
    }
    colon = strrchr(listen, ':');
    if (strncmp(listen, "0.0.0.0:", 8) == 0) {
        if (first_ipv4(host, sizeof host) < 0) {
            json_decref(reply);
            return cli_usage("invite",
                             "saksid listens on all addresses, but this machine has no network "
                             "address besides loopback; give --address ADDR:PORT");
        }
        snprintf(out, size, "%s%s", host, colon);
    } else {
        snprintf(out, size, "%s", listen);
        if (strncmp(listen, "127.", 4) == 0)
            cli_warn("saksid listens on %s, which only this machine can reach: for a device on "
                     "another machine start it with 'saksi node start --listen 0.0.0.0:PORT' or "
                     "give --address",
                     listen);
    }
    json_decref(reply);
    return -1;
}

/* Checks that this device may invite, and that the card is new. CLI_OK, CLI_NEG, CLI_RUNTIME. */
static int invite_check(struct store *st, const struct proto_keys *k, const uint8_t sign_pk[32])
{
    struct store_device me, d;
    char hex[17];
    int rc = store_device_get(st, k->sign_pk, &me);

    cli_hex(k->sign_pk, 8, hex);
    if (rc == -ENOENT) {
        cli_err("this device (%s) is not on the roster: only a pengurus device can invite", hex);
        return CLI_NEG;
    }
    if (rc < 0) {
        cli_err("cannot read the roster: %s", err_str(rc));
        return CLI_RUNTIME;
    }
    if (me.revoked) {
        cli_err("this device (%s) has been revoked: it cannot invite", hex);
        return CLI_NEG;
    }
    if (me.dev.role != PROTO_ROLE_PENGURUS) {
        cli_err("only a pengurus device can invite; this device is %s (member %u)",
                proto_role_name(me.dev.role), me.dev.member);
        return CLI_NEG;
    }
    if (!proto_memeq(me.dev.box_pk, k->box_pk, 32)) {
        cli_err("this device's transport key is not the one on the roster: it cannot invite");
        return CLI_NEG;
    }
    rc = store_device_get(st, sign_pk, &d);
    if (rc == 0 && d.revoked) {
        cli_err("device %s is revoked (member %u, %s): it cannot be invited",
                cli_hex(sign_pk, 8, hex), d.dev.member, proto_role_name(d.dev.role));
        return CLI_NEG;
    }
    if (rc == 0) {
        /* A device admitted already (a founder's, say) still needs the network key and an
         * address: the invite carries them, and its node joins as the member it is. */
        cli_warn("device %s is on the roster already (member %u, %s): the invite gives it the "
                 "network key and this node's address",
                 cli_hex(sign_pk, 8, hex), d.dev.member, proto_role_name(d.dev.role));
        return CLI_OK;
    }
    if (rc != -ENOENT) {
        cli_err("cannot read the roster: %s", err_str(rc));
        return CLI_RUNTIME;
    }
    return CLI_OK;
}

struct box_find {
    const uint8_t *box_pk;
    const uint8_t *sign_pk;
    bool found; /* another device uses this transport key */
};

static int box_find_cb(const struct store_device *d, void *arg)
{
    struct box_find *b = arg;

    b->found |= memcmp(d->dev.box_pk, b->box_pk, 32) == 0 &&
                memcmp(d->dev.sign_pk, b->sign_pk, 32) != 0;
    return 0;
}

static const char *iso_utc(uint64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;

    gmtime_r(&tt, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

static int print_code(const char *code, const struct proto_invite *inv, const char *addr,
                      const uint8_t ledger[32], bool json)
{
    char iso[32], hex[65];

    iso_utc(inv->expires, iso, sizeof iso);
    if (json) {
        json_t *o = json_object();

        if (!o || json_object_set_new(o, "code", json_string(code)) < 0 ||
            json_object_set_new(o, "expires", json_string(iso)) < 0 ||
            json_object_set_new(o, "expires_unix", cli_json_u64(inv->expires)) < 0 ||
            json_object_set_new(o, "address", json_string(addr)) < 0 ||
            json_object_set_new(o, "device", cli_json_hex(inv->device_sign_pk, 32)) < 0 ||
            json_object_set_new(o, "member",
                                inv->member ? json_integer(inv->member) : json_null()) < 0 ||
            json_object_set_new(
                o, "role", inv->role ? json_string(proto_role_name(inv->role)) : json_null()) < 0 ||
            json_object_set_new(o, "ledger_id", cli_json_hex(ledger, 32)) < 0) {
            json_decref(o);
            cli_err("out of memory");
            return CLI_RUNTIME;
        }
        return cli_json_out(o);
    }
    cli_hex(inv->device_sign_pk, 8, hex);
    printf("Kode undangan untuk perangkat %s, berlaku sampai %s.\n"
           "Invite code for device %s, valid until %s.\n",
           hex, iso, hex, iso);
    if (inv->member || inv->role) {
        char num[16] = "-";

        if (inv->member)
            snprintf(num, sizeof num, "%u", inv->member);
        printf("Untuk / meant for: anggota/member %s, peran/role %s\n", num,
               inv->role ? proto_role_name(inv->role) : "-");
    }
    printf("Perangkat baru akan menghubungi / the new device dials: %s\n"
           "\n"
           "Berikan baris berikut kepada perangkat baru secara pribadi (tatap muka atau pesan\n"
           "pribadi): isinya kunci jaringan koperasi. / Give the next line to the new device\n"
           "privately (in person or a private message): it holds the koperasi's network key.\n"
           "\n"
           "%s\n"
           "\n"
           "Di perangkat baru / on the new device:  saksi join KODE/CODE --note \"HP Bu Siti\"\n",
           addr, code);
    return cli_stdout_done();
}

int cmd_invite(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"json", no_argument, NULL, 'j'},
        {"expires", required_argument, NULL, 'e'},
        {"number", required_argument, NULL, 'n'},
        {"role", required_argument, NULL, 'r'},
        {"address", required_argument, NULL, 'a'},
        {NULL, 0, NULL, 0},
    };
    const char *days_s = NULL, *number_s = NULL, *role_s = NULL, *address = NULL;
    bool json = ctx->json;
    struct proto_invite inv;
    struct proto_keys *keys = NULL;
    struct store *st = NULL;
    struct proto_buf tok, nk;
    struct box_find bf;
    uint8_t card_sig[64], *netkey = NULL;
    char addr[PROTO_INVITE_ADDR_MAX + 1], path[4200], *code = NULL;
    uint64_t days = INVITE_DAYS_DEFAULT, v;
    int c, rc, ret;

    memset(&inv, 0, sizeof inv);
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":hje:n:r:a:", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            usage(stdout);
            return cli_stdout_done();
        case 'j':
            json = true;
            break;
        case 'e':
            days_s = optarg;
            break;
        case 'n':
            number_s = optarg;
            break;
        case 'r':
            role_s = optarg;
            break;
        case 'a':
            address = optarg;
            break;
        default:
            return cli_opt_error("invite", c, argv);
        }
    }
    if (optind >= argc)
        return cli_usage("invite", "missing the device CARD (printed by 'saksi key show' on the "
                                   "new device)");
    if (optind + 1 < argc)
        return cli_usage("invite", "unexpected argument '%s'", argv[optind + 1]);
    if (days_s && cli_uint_parse(days_s, 1, INVITE_DAYS_MAX, &days) < 0)
        return cli_usage("invite", "invalid --expires '%s' (days, 1 to %d)", days_s,
                         INVITE_DAYS_MAX);
    if (number_s) {
        if (cli_uint_parse(number_s, 1, PROTO_MEMBER_MAX, &v) < 0)
            return cli_usage("invite", "invalid member number '%s' (1 to %llu)", number_s,
                             (unsigned long long)PROTO_MEMBER_MAX);
        inv.member = (uint32_t)v;
    }
    if (role_s && cli_role_parse(role_s, &inv.role) < 0)
        return cli_usage("invite", "unknown role '%s' (use pengurus, pengawas, kasir or anggota)",
                         role_s);
    if (address && !ipv4_port_ok(address, 1))
        return cli_usage("invite",
                         "invalid --address '%s' (an IPv4 ADDR:PORT, e.g. "
                         "192.168.1.10:47320)",
                         address);
    rc = cli_card_parse(argv[optind], inv.device_sign_pk, inv.device_box_pk, card_sig);
    if (rc == ERR_BADSIG)
        return cli_usage("invite", "the device card's signature does not verify (copy it again "
                                   "from 'saksi key show')");
    if (rc < 0)
        return cli_usage("invite",
                         "malformed device card (expected %s... as printed by 'saksi key show')",
                         CLI_CARD_PREFIX);

    proto_buf_init(&tok);
    proto_buf_init(&nk);
    ret = CLI_RUNTIME;
    rc = cli_store_open_ro(ctx, &st);
    if (rc < 0) {
        st = NULL;
        ret = cli_open_error(ctx, rc);
        goto out;
    }
    if ((rc = store_ledger_id(st, inv.ledger)) < 0) {
        ret = cli_open_error(ctx, rc);
        goto out;
    }
    rc = cli_keys_load(ctx, &keys);
    if (rc < 0) {
        cli_err("cannot load this device's key: %s", err_str(rc));
        goto out;
    }
    ret = invite_check(st, keys, inv.device_sign_pk);
    if (ret != CLI_OK)
        goto out;
    memset(&bf, 0, sizeof bf);
    bf.box_pk = inv.device_box_pk;
    bf.sign_pk = inv.device_sign_pk;
    if ((rc = store_each_device(st, box_find_cb, &bf)) < 0) {
        cli_err("cannot read the roster: %s", err_str(rc));
        ret = CLI_RUNTIME;
        goto out;
    }
    if (bf.found) {
        cli_err("the card's transport key is already used by another device on the roster");
        ret = CLI_NEG;
        goto out;
    }
    if (address) {
        snprintf(addr, sizeof addr, "%s", address);
    } else if ((ret = address_from_node(ctx, addr, sizeof addr)) >= 0) {
        goto out;
    }
    ret = CLI_RUNTIME;
    cli_path(ctx, "network.key", path, sizeof path);
    rc = cli_file_read(path, 33, &nk);
    if (rc == 0 && nk.len != 32)
        rc = ERR_KEYFILE;
    if (rc < 0) {
        cli_err("cannot read the network key '%s': %s", path, err_str(rc));
        goto out;
    }
    netkey = proto_secure_alloc(32);
    if (!netkey) {
        cli_err("out of memory");
        goto out;
    }
    memcpy(netkey, nk.data, 32);
    memcpy(inv.inviter_sign_pk, keys->sign_pk, 32);
    memcpy(inv.inviter_box_pk, keys->box_pk, 32);
    inv.expires = (uint64_t)time(NULL) + days * 86400;
    rc = proto_invite_sign(keys, &inv, &tok);
    if (rc == 0)
        rc = proto_invite_code_encode(netkey, addr, tok.data, tok.len, &code);
    if (rc < 0) {
        cli_err("cannot make the invite: %s", err_str(rc));
        goto out;
    }
    ret = print_code(code, &inv, addr, inv.ledger, json);
out:
    if (code) {
        proto_memzero(code, strlen(code));
        free(code);
    }
    if (nk.data)
        proto_memzero(nk.data, nk.len);
    proto_buf_release(&nk);
    proto_buf_release(&tok);
    proto_secure_free(netkey);
    proto_keys_free(keys);
    store_close(st);
    return ret;
}
