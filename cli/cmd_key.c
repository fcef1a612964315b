/*
 * saksi key new|show: a device's Ed25519 signing key and X25519 transport key, in <data>/key
 * (mode 0600, never overwritten), optionally sealed with a passphrase (Argon2id + secretbox).
 * `show` prints the public keys and the device card that a koperasi description file or
 * `saksi member add` takes. `new` also arms the data directory's install marker (restore
 * safety, store/install.h): a new key's install is where it was made.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "proto/err.h"
#include "store/install.h"

static void key_help(void)
{
    puts("usage: saksi key new [--passphrase-file FILE] [--json]\n"
         "       saksi key show [--json]\n"
         "\n"
         "new   creates this device's keys in <data>/key (mode 0600; refuses to overwrite).\n"
         "      With --passphrase-file the key file is sealed with that passphrase\n"
         "      (Argon2id + XSalsa20-Poly1305); you will need it for every signature.\n"
         "show  prints the signing key, the transport key and the device card, which the\n"
         "      board uses to list this device in a koperasi description or to admit it.\n"
         "\n"
         "Exit codes: 0 ok, 2 usage, 3 runtime (no key, wrong passphrase, I/O).");
}

static int print_keys(const struct cli_ctx *ctx, const struct proto_keys *k, bool json, bool sealed)
{
    char sign[65], box[65], card[300];

    proto_hex(k->sign_pk, 32, sign);
    proto_hex(k->box_pk, 32, box);
    cli_card_format(k, card, sizeof card);
    if (json) {
        json_t *o = json_object();

        json_object_set_new(o, "signing_key", json_string(sign));
        json_object_set_new(o, "transport_key", json_string(box));
        json_object_set_new(o, "card", json_string(card));
        json_object_set_new(o, "sealed", json_boolean(sealed));
        json_object_set_new(o, "data_dir", json_string(ctx->data_dir));
        return cli_json_out(o);
    }
    printf("Kunci tanda tangan (signing key):  %s\n"
           "Kunci transport (transport key):   %s\n"
           "Kartu perangkat (device card):\n%s\n",
           sign, box, card);
    return cli_stdout_done();
}

static int key_new(struct cli_ctx *ctx, const char *passfile, bool json)
{
    struct proto_keys *k = NULL;
    struct proto_buf b;
    char path[4200], *pass = NULL;
    size_t plen = 0;
    int rc, ex = CLI_RUNTIME;

    proto_buf_init(&b);
    cli_path(ctx, "key", path, sizeof path);
    if ((rc = cli_data_dir_make(ctx)) < 0) {
        cli_err("cannot create '%s': %s", ctx->data_dir, err_str(rc));
        return CLI_RUNTIME;
    }
    if (passfile && (rc = cli_passphrase_read(passfile, &pass, &plen)) < 0) {
        cli_err("cannot read passphrase file '%s': %s", passfile,
                rc == -EINVAL ? "empty passphrase" : err_str(rc));
        return CLI_RUNTIME;
    }
    if ((rc = proto_keys_generate(&k)) < 0 || (rc = proto_keyfile_encode(k, pass, plen, &b)) < 0) {
        cli_err("cannot create keys: %s", err_str(rc));
        goto out;
    }
    rc = cli_file_write(path, b.data, b.len, 0600, true);
    if (rc == -EEXIST) {
        cli_err("'%s' already exists: a device keeps its key (refusing to overwrite)", path);
        goto out;
    }
    if (rc < 0) {
        cli_err("cannot write '%s': %s", path, err_str(rc));
        goto out;
    }
    /* A new key has no history anywhere: this data directory is its install (docs/FORMATS.md
     * 7.8). Without a marker now, the first authoring writes one (nothing of this key stored). */
    rc = store_install_arm(ctx->data_dir, NULL);
    if (rc < 0)
        cli_warn("cannot write the install marker in '%s': %s", ctx->data_dir, err_str(rc));
    ex = print_keys(ctx, k, json, pass != NULL);
out:
    if (b.data)
        proto_memzero(b.data, b.len);
    proto_buf_release(&b);
    cli_secret_free(pass);
    proto_keys_free(k);
    return ex;
}

static int key_show(struct cli_ctx *ctx, bool json)
{
    struct proto_keys *k = NULL;
    struct proto_buf b;
    char path[4200];
    bool sealed;
    int rc, ex;

    proto_buf_init(&b);
    cli_path(ctx, "key", path, sizeof path);
    rc = cli_file_read(path, 4096, &b);
    sealed = rc == 0 && proto_keyfile_is_sealed(b.data, b.len);
    proto_buf_release(&b);
    if (rc == -ENOENT) {
        cli_err("no key in '%s': create one with 'saksi key new'", ctx->data_dir);
        return CLI_RUNTIME;
    }
    rc = cli_keys_load(ctx, &k);
    if (rc < 0) {
        cli_err("cannot load '%s': %s", path, err_str(rc));
        return CLI_RUNTIME;
    }
    ex = print_keys(ctx, k, json, sealed);
    proto_keys_free(k);
    return ex;
}

int cmd_key(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"json", no_argument, NULL, 'j'},
        {"passphrase-file", required_argument, NULL, 'p'},
        {NULL, 0, NULL, 0},
    };
    const char *passfile = ctx->passphrase_file;
    bool json = ctx->json;
    const char *sub;
    int c;

    if (argc < 2) {
        return cli_usage("key", "missing subcommand (new or show)");
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        key_help();
        return cli_stdout_done();
    }
    sub = argv[1];
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc - 1, argv + 1, ":hjp:", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            key_help();
            return cli_stdout_done();
        case 'j':
            json = true;
            break;
        case 'p':
            passfile = optarg;
            break;
        default:
            return cli_opt_error("key", c, argv + 1);
        }
    }
    if (optind != argc - 1)
        return cli_usage("key", "unexpected argument '%s'", argv[optind + 1]);
    if (strcmp(sub, "new") == 0)
        return key_new(ctx, passfile, json);
    if (strcmp(sub, "show") == 0)
        return key_show(ctx, json);
    return cli_usage("key", "unknown subcommand '%s' (use new or show)", sub);
}
