/*
 * saksi import FILE: verify and store entries from an export stream. Every problem is named
 * (record number, byte offset, entry id and author where known, and the reason); valid entries
 * are kept whatever else the file holds; nothing already stored changes.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/import.h"
#include "proto/err.h"

struct report {
    bool json;
    json_t *problems;
    uint64_t shown;
};

#define PROBLEMS_MAX 1000

static const char *reason(int code)
{
    switch (code) {
    case STORE_PENDING_GAP:
        return "held pending: its predecessor in the feed is missing";
    case STORE_PENDING_AUTHOR:
        return "held pending: its author is not admitted (yet)";
    case STORE_FORK:
        return "fork: another entry with the same author and seq is stored; both kept as "
               "evidence";
    case STORE_BEYOND_FORK:
        return "stored but not applied: its feed is frozen by a fork or revocation";
    case -EEXIST:
        return "duplicate: the same entry appears earlier in this file";
    case ERR_LEDGER:
        return "rejected: belongs to another ledger";
    case ERR_GENESIS:
        return "rejected: invalid genesis";
    case ERR_BODY:
        return "rejected: body does not match the format of its kind";
    case ERR_NOLEDGER:
        return "rejected: no ledger yet (the genesis entry must come first)";
    case ERR_PENDING_FULL:
        return "rejected: the pending area is full";
    case ERR_TRUNC:
        return "rejected: truncated";
    case ERR_TOOBIG:
        return "rejected: oversized (an entry is at most 61440 bytes)";
    case ERR_BADFRAME:
        return "rejected: malformed entry";
    case ERR_BADSIG:
        return "rejected: bad signature";
    case ERR_NONCANON:
        return "rejected: not canonical msgpack";
    default:
        return NULL;
    }
}

static void problem(void *arg, uint64_t index, uint64_t offset, const struct proto_entry *e,
                    int code)
{
    struct report *r = arg;
    const char *why = reason(code);
    char whybuf[128], id[65], author[65];

    if (!why) {
        snprintf(whybuf, sizeof whybuf, "rejected: %s", err_str(code));
        why = whybuf;
    }
    if (e) {
        proto_hex(e->id, 32, id);
        proto_hex(e->author, 32, author);
    }
    if (r->json) {
        json_t *o;

        if (r->shown++ >= PROBLEMS_MAX)
            return;
        o = json_object();
        json_object_set_new(o, "record", json_integer((json_int_t)index));
        json_object_set_new(o, "offset", json_integer((json_int_t)offset));
        if (e) {
            json_object_set_new(o, "id", json_string(id));
            json_object_set_new(o, "author", json_string(author));
            json_object_set_new(o, "seq", json_integer((json_int_t)e->seq));
        }
        json_object_set_new(o, "reason", json_string(why));
        json_array_append_new(r->problems, o);
        return;
    }
    if (e)
        fprintf(stderr, "saksi: entry #%llu (offset %llu, id %.16s, author %.8s, seq %llu): %s\n",
                (unsigned long long)index, (unsigned long long)offset, id, author,
                (unsigned long long)e->seq, why);
    else
        fprintf(stderr, "saksi: entry #%llu (offset %llu): %s\n", (unsigned long long)index,
                (unsigned long long)offset, why);
}

int cmd_import(int argc, char **argv, struct cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"json", no_argument, NULL, 'j'},
        {"ledger", required_argument, NULL, 'l'},
        {NULL, 0, NULL, 0},
    };
    struct report rep = {ctx->json, NULL, 0};
    struct import_stats s;
    struct verify_pool *pool = NULL;
    struct store *st = NULL;
    uint8_t expect[32], ledger[32];
    bool have_expect = false;
    FILE *f = NULL;
    const char *file;
    int c, rc, ex = CLI_RUNTIME;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":hjl:", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            puts("usage: saksi import [--ledger ID] [--json] FILE\n"
                 "\n"
                 "Verifies every entry in FILE (an export stream; '-' reads standard input) and\n"
                 "stores the valid ones. Each problem is reported with the entry's number, byte\n"
                 "offset, id and reason; valid entries are kept whatever else the file holds.\n"
                 "Into an empty data directory the file's genesis founds the replica; give\n"
                 "--ledger ID (from an invitation or the RAT papers) to accept only that ledger.\n"
                 "\n"
                 "Exit codes: 0 every entry stored or already present; 1 some entries were\n"
                 "rejected, held pending or are fork evidence; 2 usage; 3 runtime (I/O, store,\n"
                 "lock).");
            return cli_stdout_done();
        case 'j':
            rep.json = true;
            break;
        case 'l':
            if (cli_hex32(optarg, expect) < 0)
                return cli_usage("import", "--ledger needs a 64-hex-digit ledger id");
            have_expect = true;
            break;
        default:
            return cli_opt_error("import", c, argv);
        }
    }
    if (argc - optind != 1)
        return cli_usage("import", "expected one FILE");
    file = argv[optind];
    f = strcmp(file, "-") == 0 ? stdin : fopen(file, "rb");
    if (!f) {
        cli_err("cannot open '%s': %s", file, strerror(errno));
        return CLI_RUNTIME;
    }
    rc = cli_store_open_rw(ctx, &st);
    if (rc < 0) {
        cli_err("cannot open the store in '%s' for writing: %s", ctx->data_dir, err_str(rc));
        goto out;
    }
    if (ctx->via_node) {
        cli_err("saksid runs for '%s' and is its only writer: stop it ('saksi node stop'), "
                "import, then start it again",
                ctx->data_dir);
        goto out;
    }
    if (have_expect && store_ledger_id(st, ledger) == 0 && memcmp(ledger, expect, 32) != 0) {
        cli_err("this data directory holds another ledger than --ledger names");
        ex = CLI_NEG;
        goto out;
    }
    rc = verify_pool_new(0, &pool);
    if (rc < 0) {
        cli_err("cannot start verification threads: %s", err_str(rc));
        goto out;
    }
    if (rep.json)
        rep.problems = json_array();
    rc = import_stream(f, st, pool, have_expect ? expect : NULL, problem, &rep, &s);
    if (rc == ERR_BADFRAME) {
        cli_err("'%s' is not a saksi export file (it does not start with %s)", file, IMPORT_MAGIC);
        ex = CLI_NEG;
        goto out;
    }
    if (rc < 0 && rc != ERR_TRUNC) {
        cli_err("import stopped: %s (entries committed before this point are kept)", err_str(rc));
        goto out;
    }
    ex = (s.rejected || s.pending || s.forks || s.frozen || s.duplicates || rc == ERR_TRUNC)
             ? CLI_NEG
             : CLI_OK;
    if (rep.json) {
        json_t *o = json_object();

        json_object_set_new(o, "records", json_integer((json_int_t)s.records));
        json_object_set_new(o, "added", json_integer((json_int_t)s.added));
        json_object_set_new(o, "already_present", json_integer((json_int_t)s.had));
        json_object_set_new(o, "pending", json_integer((json_int_t)s.pending));
        json_object_set_new(o, "forks", json_integer((json_int_t)s.forks));
        json_object_set_new(o, "frozen", json_integer((json_int_t)s.frozen));
        json_object_set_new(o, "duplicates", json_integer((json_int_t)s.duplicates));
        json_object_set_new(o, "rejected", json_integer((json_int_t)s.rejected));
        json_object_set_new(o, "released_from_pending", json_integer((json_int_t)s.released));
        json_object_set_new(o, "truncated", json_boolean(rc == ERR_TRUNC));
        json_object_set_new(o, "problems", rep.problems);
        rep.problems = NULL;
        if (cli_json_out(o) != CLI_OK)
            ex = CLI_RUNTIME;
    } else {
        printf("Impor: %llu baru, %llu sudah ada, %llu tertunda, %llu fork, %llu ditolak\n"
               "Import: %llu added, %llu already present, %llu pending, %llu forks, "
               "%llu rejected\n",
               (unsigned long long)s.added, (unsigned long long)s.had,
               (unsigned long long)s.pending, (unsigned long long)s.forks,
               (unsigned long long)s.rejected, (unsigned long long)s.added,
               (unsigned long long)s.had, (unsigned long long)s.pending,
               (unsigned long long)s.forks, (unsigned long long)s.rejected);
        if (cli_stdout_done() != CLI_OK)
            ex = CLI_RUNTIME;
    }
out:
    json_decref(rep.problems);
    verify_pool_free(pool);
    cli_store_close(ctx, st);
    if (f && f != stdin)
        fclose(f);
    return ex;
}
