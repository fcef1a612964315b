/*
 * Shared pieces of the saksi command-line tool: the context every command gets, the data
 * directory (keys, lock, store), output helpers (errors, JSON, rupiah) and authoring an entry as
 * this device. Commands live one per file as cmd_<name>.c and are listed in main.c.
 */
#ifndef SAKSI_CLI_CLI_H
#define SAKSI_CLI_CLI_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/crypto.h"
#include "proto/entry.h"
#include "store/store.h"

/* The version `saksi --version` prints and the HTML reports name in their footer. */
#define CLI_VERSION "0.1.0"

/* Exit codes, as README.md and every --help state them. */
enum cli_exit {
    CLI_OK = 0,      /* success */
    CLI_NEG = 1,     /* a negative answer: findings, not found, verification failed */
    CLI_USAGE = 2,   /* bad command line */
    CLI_RUNTIME = 3, /* I/O, store, lock, or any other runtime failure */
};

struct cli_ctx {
    char data_dir[4096];         /* --data, $SAKSI_DATA or ~/.saksi */
    bool json;                   /* --json given before the command */
    const char *passphrase_file; /* --passphrase-file given before the command */
    int lock_fd;                 /* held while writing, -1 otherwise */
    bool via_node;               /* saksid holds the lock: writes go through its socket */
    /* --i-am-sure-this-is-the-only-copy: author although the install marker says this data
     * directory was copied or restored (store/install.h), and re-arm it. */
    bool restore_override;
    bool install_ok;         /* the marker was found armed for this install: not checked again */
    bool install_overriding; /* this entry is authored under the override (submit tells saksid) */
};

/*
 * Every command: argv[0] is the command name. Returns an exit code (enum cli_exit). Each parses
 * its own options with getopt_long and prints usage on -h/--help.
 */
typedef int cli_cmd_fn(int argc, char **argv, struct cli_ctx *ctx);

cli_cmd_fn cmd_node, cmd_key, cmd_init, cmd_member, cmd_invite, cmd_join, cmd_journal, cmd_log,
    cmd_show, cmd_head, cmd_export, cmd_import, cmd_audit, cmd_reindex, cmd_checkpoint, cmd_prove,
    cmd_verify_proof;

/* "saksi: error: <msg>" on stderr. */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "saksi: warning: <msg>" on stderr. */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A usage error: the message, then "try 'saksi <cmd> --help'"; returns CLI_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * After getopt_long returned c == ':' (missing value) or '?' (unknown option), with opterr = 0
 * and a leading ':' in the option string: prints the one-line usage error naming the option
 * and returns CLI_USAGE.
 */
int cli_opt_error(const char *cmd, int c, char **argv);

/* Paths inside the data directory ("key", "network.key", "store", "lock"). */
void cli_path(const struct cli_ctx *ctx, const char *name, char *out, size_t size);
/* Creates the data directory (0700) if missing. */
int cli_data_dir_make(const struct cli_ctx *ctx);

/*
 * Opens the store read-only (ERR_NOLEDGER if there is none), or for writing: the writer first
 * takes the data directory's exclusive flock (ERR_LOCKED if another writer, e.g. saksid, holds
 * it) and creates the store if needed. Close with cli_store_close(), which drops the lock.
 */
int cli_store_open_ro(struct cli_ctx *ctx, struct store **st);
int cli_store_open_rw(struct cli_ctx *ctx, struct store **st);
void cli_store_close(struct cli_ctx *ctx, struct store *st);
/* true if the data directory holds a store: writers must not create one just to find no ledger. */
bool cli_store_present(const struct cli_ctx *ctx);
/* Reports a failure to open the store or to find its ledger (ERR_NOLEDGER, -ENOENT, ERR_LOCKED,
 * others); returns CLI_RUNTIME. */
int cli_open_error(const struct cli_ctx *ctx, int rc);

/*
 * This device's keys from <data>/key. A sealed key file needs the passphrase from
 * --passphrase-file, $SAKSI_PASSPHRASE_FILE, or the terminal. *out: proto_keys_free().
 */
int cli_keys_load(struct cli_ctx *ctx, struct proto_keys **out);
/* Reads a passphrase file (first line, without its newline) into sodium memory. *out is the
 * caller's: free with cli_secret_free(). */
int cli_passphrase_read(const char *path, char **out, size_t *len);
void cli_secret_free(char *p);

/* Reads a whole file (at most max bytes; -EFBIG beyond) into out. */
int cli_file_read(const char *path, size_t max, struct proto_buf *out);
/*
 * The lines of a text file held in a buffer (read with cli_file_read), for the line-based
 * formats. _init appends a NUL to b and skips a UTF-8 BOM (-ENOMEM); _next cuts the next line in
 * place, without its "\n" or "\r\n", puts its length in *n (NUL bytes in it are counted, for the
 * caller to refuse) and numbers it in l->line; NULL after the last line. The lines borrow b.
 */
struct cli_lines {
    char *p, *end;
    unsigned line;
};
int cli_lines_init(struct cli_lines *l, struct proto_buf *b);
char *cli_lines_next(struct cli_lines *l, size_t *n);
/* Writes a file atomically (temp + fsync + rename) with the given mode; O_EXCL semantics when
 * excl is set (-EEXIST if it exists). */
int cli_file_write(const char *path, const void *p, size_t n, int mode, bool excl);

/*
 * Authors an entry as this device: seq and prev from the feed's tip, time now, signs, verifies
 * and ingests it (the caller holds the store open for writing). On success the entry id is in
 * id. Errors from the store's verdict become ERR_* codes; -EEXIST if the feed is forked.
 * First the install marker (store/install.h) must name this install, armed: otherwise the data
 * directory was copied or restored and the feed may be longer elsewhere, so cli_author prints
 * why and what to do and returns ERR_RESTORE, unless ctx->restore_override, which it announces
 * on stderr; the marker is re-armed once such an entry is stored (by saksid when it runs).
 */
int cli_author(struct cli_ctx *ctx, struct store *st, const struct proto_keys *k, uint64_t kind,
               const struct proto_buf *body, uint8_t id[32]);
/*
 * Checks that this device (keys k) may author kind under genesis g: on the roster, not revoked,
 * and of a role the policy allows. Prints why not. *me gets its roster record. Returns CLI_OK,
 * CLI_NEG, or CLI_RUNTIME when the roster cannot be read.
 */
int cli_author_check(struct store *st, const struct proto_keys *k, const struct proto_genesis *g,
                     uint64_t kind, struct store_device *me);
/* Reports a failure of cli_author() to author the <what>; returns the exit code (CLI_NEG for a
 * forked feed or a refused restored data directory, else CLI_RUNTIME). */
int cli_author_error(const char *what, int rc);

/*
 * saksid's control socket (cli/node_client.c). _request sends one JSON object and returns the
 * reply (*reply is the caller's: json_decref). _submit sends a signed entry: 0 and its id,
 * -ESTALE when the feed moved on (sign again), ERR_RULE with the node's reason in why, or a
 * socket error (-ECONNREFUSED, -ENOENT when no node runs).
 */
int cli_node_request(const struct cli_ctx *ctx, json_t *req, json_t **reply);
int cli_node_submit(const struct cli_ctx *ctx, const uint8_t *raw, size_t len, uint8_t id[32],
                    char *why, size_t whylen);

/* Prints a JSON document (one line) on stdout and releases it. Returns CLI_OK or CLI_RUNTIME. */
int cli_json_out(json_t *doc);
/* Checks stdout was written fully (fflush, ferror): CLI_OK or CLI_RUNTIME. */
int cli_stdout_done(void);

/* Hex string of n bytes as a new jansson string. */
json_t *cli_json_hex(const uint8_t *p, size_t n);
/* An integer for JSON: a number up to 2^53, a decimal string above (STYLE.md section 8). */
json_t *cli_json_u64(uint64_t v);

/* The first n bytes of p as hex into buf (2n + 1 bytes); returns buf. */
const char *cli_hex(const uint8_t *p, size_t n, char *buf);
/* true if s[0..n) is well-formed UTF-8 without ASCII control characters (C0 and DEL); a tab
 * passes when tab is set. For text that goes on the ledger or comes from a description file. */
bool cli_text_ok(const char *s, size_t n, bool tab);
/* Cuts the blanks (spaces, tabs) around s in place; returns its first non-blank character. */
char *cli_trim(char *s);
/* The roles in mask (PROTO_ROLE_BIT), as "pengurus, kasir"; none if there are none. */
const char *cli_roles_str(uint32_t mask, const char *none, char *buf, size_t size);

/* Rupiah the Indonesian way: 1234567 -> "Rp1.234.567". buf needs 32 bytes. */
const char *cli_rupiah(uint64_t v, char *buf);
/* Parses an amount: "1234567", "1.234.567", "Rp1.234.567", "Rp 1.234.567". -EINVAL or
 * ERR_AMOUNT (zero, over PROTO_AMOUNT_MAX, or misplaced separators). */
int cli_amount_parse(const char *s, uint64_t *v);
/* Parses "YYYY-MM-DD" or "YYYYMMDD" into YYYYMMDD. ERR_DATE. */
int cli_date_parse(const char *s, uint32_t *ymd);
/* Today's date (local time) as YYYYMMDD. */
uint32_t cli_today(void);
/* "YYYY-MM-DD" of a YYYYMMDD. buf needs 11 bytes. */
const char *cli_date_str(uint32_t ymd, char *buf);
/* Parses a 64-hex-digit key or id. -EINVAL. */
int cli_hex32(const char *s, uint8_t out[32]);
/* Parses a decimal integer in [lo, hi]. -EINVAL. */
int cli_uint_parse(const char *s, uint64_t lo, uint64_t hi, uint64_t *v);

/* A device card "saksi-device:<hex sign_pk><hex box_pk><hex sig>" (text) */
#define CLI_CARD_PREFIX "saksi-device:"
void cli_card_format(const struct proto_keys *k, char *out, size_t size); /* size >= 280 */
/* Parses and verifies a card. -EINVAL (format) or ERR_BADSIG. */
int cli_card_parse(const char *s, uint8_t sign_pk[32], uint8_t box_pk[32], uint8_t sig[64]);

/* Parses role names (pengurus, pengawas, kasir, anggota) and offices. -EINVAL. */
int cli_role_parse(const char *s, uint8_t *role);
int cli_office_parse(const char *s, uint8_t *office);

/* A monotonic clock in milliseconds, and a pause, for waits with a deadline. */
uint64_t cli_mono_ms(void);
void cli_pause_ms(long ms);

/* Starting saksid in the background for ctx's data directory (cmd_node.c): waits until it is
 * ready. listen NULL: the config file's, else 127.0.0.1:0. quiet: print nothing on success.
 * Returns 0 or a CLI_* exit code (the error is printed). */
#define CLI_NODE_PEERS_MAX 64
struct cli_node_opts {
    const char *listen;
    const char *peers[CLI_NODE_PEERS_MAX];
    size_t npeers;
    bool no_discovery;
    const char *discovery;
    bool quiet;
};
int cli_node_start(struct cli_ctx *ctx, const struct cli_node_opts *o);

#endif
