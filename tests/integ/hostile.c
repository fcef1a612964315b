/*
 * saksi-hostile: a misbehaving peer for the integration tests (tests/integ/test_hostile.sh),
 * and two helpers for the crash test (tests/integ/test_kill.sh). It speaks saksid's protocol
 * with proto/noise.h and proto/wire.h over plain sockets on a deadline (HOSTILE_SECONDS, 15 by
 * default), prints what it sends and receives as "hostile: ..." lines, and ends with one
 * "result: WORD" line. Exit 0 when the server behaved as it must, 1 when it did not, 2 for a
 * usage error, 3 for a runtime failure of the tool itself.
 *
 *   gate-bad HOST:PORT LEDGER      three probes without the network key (a gate under a random
 *                                  key, random bytes, a short frame): each must be closed without
 *                                  a single byte in answer
 *   nonroster HOST:PORT DATADIR    the network key and ledger of DATADIR, a fresh device key:
 *                                  the handshake completes, then the server must close without
 *                                  opening the transport
 *   impostor HOST:PORT DATADIR     a fresh transport key claiming DATADIR's signing key in its
 *                                  hello: refused like nonroster
 *   attack HOST:PORT DATADIR MODE [MARK STOP]
 *                                  as DATADIR's device (on the roster):
 *       garbage    random bytes as a transport frame; random bytes as handshake message 3; a
 *                  frame of length 0 (three connections): each disconnected
 *       oversized  an entry over PROTO_ENTRY_MAX, a bin announcing more bytes than the frame
 *                  holds, more entries than PROTO_WIRE_ENTRIES_MAX: disconnected
 *       badsig     entries with a flipped signature bit and entries signed by this device in the
 *                  name of the genesis author, one per ENTRIES message: disconnected
 *       fork       two validly signed entries at the same seq of this device's feed, one message
 *                  each: both acknowledged, the connection stays open (a fork is evidence)
 *       flood      ENTRIES messages full of copies of the genesis entry, never reading: the server
 *                  may stop reading (backpressure), disconnect, or keep up. MARK is created once
 *                  the flood is under way; it goes on until STOP exists, the server is gone, or
 *                  the deadline (see flood())
 *       pingflood  PING after PING, never reading the PONGs: likewise, except that STOP only
 *                  ends it once the server has stopped reading (or it is gone)
 *       frontierflood  FRONTIER after FRONTIER (never final), each naming 700 random authors:
 *                  like flood
 *       reset      RESET_PINGS PINGs in one burst, then a reset (SO_LINGER 0) before reading a
 *                  single answer; the caller checks that the server survives its failing writes
 *       dupflood   ENTRIES messages full of copies of the smallest entry in DATADIR's store (one
 *                  the server holds), reading the answers: DUP_MIN - 1 copies must all be
 *                  acknowledged with the connection open (a PING after them answered), and the
 *                  DUP_MIN-th, in one more message, must get an ERROR and the connection cut
 *                  off; a new connection right after must be refused after the handshake (the
 *                  device is backed off)
 *   guest HOST:PORT KEYDIR INVITEDIR
 *                                  a joining device's handshake: the device keys of KEYDIR/key,
 *                                  the network key and the invite token of INVITEDIR (network.key,
 *                                  invite; the ledger is the token's). The server must refuse it
 *                                  (a token for another device, expired, ...) like nonroster
 *   invite DATADIR CARD SECONDS ADDR OUTDIR
 *                                  signs an invite token by DATADIR's device for CARD, expiring
 *                                  SECONDS from now (negative: already expired, which 'saksi
 *                                  invite' never makes), and writes OUTDIR/code (the invite code
 *                                  for ADDR), OUTDIR/invite and OUTDIR/network.key
 *   gen N DATADIR OUT              writes an export stream of N balanced journals by DATADIR's
 *                                  device, chained after its feed's tip
 *   killat DATADIR N PID           polls DATADIR's store until N entries are applied, then sends
 *                                  SIGKILL to PID; prints the applied count it saw
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "proto/buf.h"
#include "proto/crypto.h"
#include "proto/entry.h"
#include "proto/err.h"
#include "proto/invite.h"
#include "proto/ledger.h"
#include "proto/noise.h"
#include "proto/wire.h"
#include "store/store.h"

#define EX_OK      0
#define EX_FAIL    1
#define EX_USAGE   2
#define EX_RUNTIME 3

#define FRAME_BUF   (2 + PROTO_WIRE_FRAME_MAX)
#define RESET_PINGS 4000
/* Entries the server already holds after which a peer that sent (8 times) fewer new ones is
 * cut off: NODE_DUP_MIN in node/node.h. */
#define DUP_MIN 65536

static uint64_t g_deadline;
/* An invite token that handshake() shows in its hello (mode guest), if any. */
static uint8_t g_token[PROTO_INVITE_TOKEN_MAX];
static size_t g_token_len;

static uint64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int left_ms(void)
{
    uint64_t n = now_ms();

    return n >= g_deadline ? 0 : (int)(g_deadline - n);
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    va_list ap;

    fputs("hostile: ", stdout);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    fflush(stdout);
}

static int result(const char *word, int ex)
{
    printf("result: %s\n", word);
    fflush(stdout);
    return ex;
}

static bool gone(int rc)
{
    return rc == -EPIPE || rc == -ECONNRESET;
}

/* ---- a connection: plain blocking semantics over a non-blocking socket and a deadline ---- */

struct conn {
    int fd;
    uint8_t in[2 * FRAME_BUF];
    size_t inlen;
    uint64_t bytes_in;
    bool eof;
    struct proto_noise_cs tx, rx;
    uint64_t txn, rxn;
    /* what arrived after the handshake */
    uint64_t msgs, acks, errors, entries, frontiers, pongs;
};

static int conn_open(struct conn *c, const char *hostport)
{
    char host[64];
    const char *colon = strrchr(hostport, ':');
    struct sockaddr_in sa;
    long port;
    char *end;

    memset(c, 0, sizeof *c);
    c->fd = -1;
    if (!colon || (size_t)(colon - hostport) >= sizeof host)
        return -EINVAL;
    memcpy(host, hostport, (size_t)(colon - hostport));
    host[colon - hostport] = '\0';
    port = strtol(colon + 1, &end, 10);
    if (*end || port <= 0 || port > 65535)
        return -EINVAL;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
        return -EINVAL;
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c->fd < 0)
        return -errno;
    if (connect(c->fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
        fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK) < 0) {
        int e = errno;

        close(c->fd);
        c->fd = -1;
        return -e;
    }
    return 0;
}

static void conn_close(struct conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    proto_noise_cs_wipe(&c->tx);
    proto_noise_cs_wipe(&c->rx);
}

/* 0, -EPIPE/-ECONNRESET when the peer is gone, -ETIMEDOUT, or another -errno. */
static int write_all(struct conn *c, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
        struct pollfd pf;
        int ms;

        if (w > 0) {
            p += w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
            return -errno;
        if ((ms = left_ms()) == 0)
            return -ETIMEDOUT;
        pf.fd = c->fd;
        pf.events = POLLOUT;
        pf.revents = 0;
        (void)poll(&pf, 1, ms);
    }
    return 0;
}

static int write_frame(struct conn *c, const uint8_t *p, size_t n)
{
    uint8_t f[FRAME_BUF];

    if (n == 0 || n > PROTO_WIRE_FRAME_MAX)
        return -EINVAL;
    f[0] = (uint8_t)(n >> 8);
    f[1] = (uint8_t)n;
    memcpy(f + 2, p, n);
    return write_all(c, f, 2 + n);
}

/* Reads more bytes: 1 when some arrived, 0 at EOF, -ECONNRESET, -ETIMEDOUT, -errno. */
static int fill(struct conn *c)
{
    for (;;) {
        ssize_t r = recv(c->fd, c->in + c->inlen, sizeof c->in - c->inlen, 0);
        struct pollfd pf;
        int ms;

        if (r > 0) {
            c->inlen += (size_t)r;
            c->bytes_in += (uint64_t)r;
            return 1;
        }
        if (r == 0) {
            c->eof = true;
            return 0;
        }
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return -errno;
        if ((ms = left_ms()) == 0)
            return -ETIMEDOUT;
        pf.fd = c->fd;
        pf.events = POLLIN;
        pf.revents = 0;
        (void)poll(&pf, 1, ms);
    }
}

/* One frame into out (PROTO_WIRE_FRAME_MAX bytes): 1, 0 at EOF, or fill()'s errors. */
static int read_frame(struct conn *c, uint8_t *out, size_t *n)
{
    for (;;) {
        if (c->inlen >= 2) {
            size_t len = (size_t)c->in[0] << 8 | c->in[1];

            if (len == 0)
                return ERR_BADFRAME;
            if (c->inlen >= 2 + len) {
                memcpy(out, c->in + 2, len);
                memmove(c->in, c->in + 2 + len, c->inlen - 2 - len);
                c->inlen -= 2 + len;
                *n = len;
                return 1;
            }
        }
        int rc = fill(c);

        if (rc <= 0)
            return rc;
    }
}

static int send_msg(struct conn *c, const uint8_t *plain, size_t n)
{
    uint8_t out[PROTO_WIRE_FRAME_MAX];
    size_t olen;
    int rc;

    rc = proto_noise_cs_encrypt(&c->tx, NULL, 0, plain, n, out, sizeof out, &olen);
    if (rc < 0)
        return rc;
    if (++c->txn % PROTO_WIRE_REKEY_EVERY == 0)
        proto_noise_cs_rekey(&c->tx);
    return write_frame(c, out, olen);
}

/* Notes one message from the server. */
static void note_msg(struct conn *c, const uint8_t *p, size_t n, bool quiet)
{
    struct proto_msg *m = malloc(sizeof *m);

    c->msgs++;
    if (!m || proto_msg_decode(p, n, m) < 0) {
        say("recv an undecodable message (%zu bytes)", n);
        free(m);
        return;
    }
    switch (m->type) {
    case PROTO_MSG_FRONTIER:
        c->frontiers++;
        if (!quiet)
            say("recv FRONTIER rows=%u final=%d", m->u.frontier.n, m->u.frontier.final);
        break;
    case PROTO_MSG_ENTRIES:
        c->entries += m->u.entries.n;
        if (!quiet)
            say("recv ENTRIES n=%u", m->u.entries.n);
        break;
    case PROTO_MSG_ACK:
        c->acks += m->u.ack.messages;
        if (!quiet)
            say("recv ACK %llu", (unsigned long long)m->u.ack.messages);
        break;
    case PROTO_MSG_ERROR:
        c->errors++;
        /* On the wire a code is positive: saksi's (negative) codes are sent negated. */
        say("recv ERROR %u (%s): %s", m->u.error.code,
            err_str(m->u.error.code <= 0x7fffffffu ? -(int)m->u.error.code : 0), m->u.error.text);
        break;
    case PROTO_MSG_BYE:
        say("recv BYE %u", m->u.bye.reason);
        break;
    case PROTO_MSG_PONG:
        c->pongs++;
        break;
    default:
        if (!quiet)
            say("recv message type %u", m->type);
        break;
    }
    free(m);
}

/* One transport message: 1 and noted, 0 at EOF, < 0 (a frame that does not decrypt too). */
static int recv_msg(struct conn *c, bool quiet)
{
    uint8_t f[PROTO_WIRE_FRAME_MAX], plain[PROTO_WIRE_FRAME_MAX];
    size_t n, plen;
    int rc = read_frame(c, f, &n);

    if (rc <= 0)
        return rc;
    rc = proto_noise_cs_decrypt(&c->rx, NULL, 0, f, n, plain, sizeof plain, &plen);
    if (rc < 0) {
        say("a frame from the server does not decrypt: %s", err_str(rc));
        return rc;
    }
    if (++c->rxn % PROTO_WIRE_REKEY_EVERY == 0)
        proto_noise_cs_rekey(&c->rx);
    note_msg(c, plain, plen, quiet);
    return 1;
}

/* Reads (and notes) until the server closes: true then; false at the deadline. */
static bool wait_closed(struct conn *c)
{
    for (;;) {
        int rc = recv_msg(c, false);

        if (rc == 0 || rc == -ECONNRESET) {
            say("the server closed the connection (%s) after %llu messages", rc ? "reset" : "EOF",
                (unsigned long long)c->msgs);
            return true;
        }
        if (rc == -ETIMEDOUT) {
            say("the server kept the connection open until the deadline");
            return false;
        }
        if (rc < 0) {
            say("read failed: %s", err_str(rc));
            return false;
        }
    }
}

/* ---- a data directory: device keys, network key, ledger id ---- */

struct dir {
    struct proto_keys *keys;
    uint8_t netkey[32];
    uint8_t ledger[32];
    uint8_t prologue[PROTO_WIRE_PROLOGUE_LEN];
    uint64_t tip_seq; /* this device's feed */
    uint8_t tip_id[32];
    uint8_t gen_author[32]; /* the genesis author (first founder) and its tip */
    uint64_t gen_seq;
    uint8_t gen_tip[32];
    struct proto_buf genesis; /* the genesis entry's bytes */
};

static int read_all(const char *path, uint8_t *buf, size_t cap, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t r;

    if (fd < 0)
        return -errno;
    r = read(fd, buf, cap);
    close(fd);
    if (r < 0)
        return -errno;
    *len = (size_t)r;
    return 0;
}

static int first_entry(const struct store_row *row, void *arg)
{
    struct dir *d = arg;

    memcpy(d->gen_author, row->author, 32);
    return 1;
}

static int dir_load(const char *path, struct dir *d)
{
    char p[4200];
    uint8_t buf[512];
    size_t len;
    struct store *st = NULL;
    int rc;

    memset(d, 0, sizeof *d);
    proto_buf_init(&d->genesis);
    snprintf(p, sizeof p, "%s/key", path);
    if ((rc = read_all(p, buf, sizeof buf, &len)) < 0 ||
        (rc = proto_keyfile_decode(buf, len, NULL, 0, &d->keys)) < 0) {
        fprintf(stderr, "saksi-hostile: %s: %s\n", p, err_str(rc));
        return rc;
    }
    proto_memzero(buf, sizeof buf);
    snprintf(p, sizeof p, "%s/network.key", path);
    if ((rc = read_all(p, d->netkey, sizeof d->netkey, &len)) < 0 || len != 32) {
        fprintf(stderr, "saksi-hostile: %s: %s\n", p, rc < 0 ? err_str(rc) : "not 32 bytes");
        return rc < 0 ? rc : ERR_KEYFILE;
    }
    snprintf(p, sizeof p, "%s/store", path);
    rc = store_open(p, STORE_RDONLY, &st);
    if (rc == 0)
        rc = store_ledger_id(st, d->ledger);
    if (rc == 0)
        rc = store_entry_get(st, d->ledger, &d->genesis);
    if (rc == 0)
        rc = store_each_entry(st, NULL, first_entry, d);
    if (rc == 0)
        rc = store_feed_tip(st, d->keys->sign_pk, &d->tip_seq, d->tip_id);
    if (rc == 0)
        rc = store_feed_tip(st, d->gen_author, &d->gen_seq, d->gen_tip);
    store_close(st);
    if (rc < 0) {
        fprintf(stderr, "saksi-hostile: %s: %s\n", p, err_str(rc));
        return rc;
    }
    proto_wire_prologue(d->ledger, d->prologue);
    return 0;
}

static void dir_free(struct dir *d)
{
    proto_keys_free(d->keys);
    proto_memzero(d->netkey, sizeof d->netkey);
    proto_buf_release(&d->genesis);
}

/* ---- the handshake, as initiator ---- */

/*
 * Gate (under gate_key) + message 1, message 2 (the server's hello), message 3 with a hello
 * naming sign_pk, then Split(). 0 when the transport is open; 1 when the server closed first;
 * 2 when junk3 asked for random bytes in place of message 3 and they were sent.
 */
static int handshake(struct conn *c, const struct dir *d, const uint8_t gate_key[32],
                     const uint8_t box_sk[32], const uint8_t sign_pk[32], bool junk3)
{
    struct proto_noise_hs *hs = NULL;
    uint8_t msg[PROTO_WIRE_FRAME_MAX], frame[PROTO_WIRE_FRAME_MAX], payload[PROTO_WIRE_FRAME_MAX];
    struct proto_hello h;
    struct proto_buf hello;
    size_t mlen, flen, plen;
    char hex[17];
    int rc;

    rc = proto_noise_hs_new(&hs, PROTO_NOISE_XXPSK3, true, d->prologue, sizeof d->prologue, box_sk,
                            d->netkey);
    if (rc == 0)
        rc = proto_noise_hs_write(hs, NULL, 0, msg, sizeof msg - PROTO_WIRE_GATE_LEN, &mlen);
    if (rc == 0) {
        proto_wire_gate(gate_key, d->prologue, msg, frame);
        memcpy(frame + PROTO_WIRE_GATE_LEN, msg, mlen);
        rc = write_frame(c, frame, PROTO_WIRE_GATE_LEN + mlen);
    }
    if (rc == 0) {
        rc = read_frame(c, frame, &flen);
        if (rc <= 0) {
            say("the server closed before message 2 (%s)", rc == 0 ? "EOF" : err_str(rc));
            proto_noise_hs_free(hs);
            return rc == 0 || rc == -ECONNRESET ? 1 : rc;
        }
        rc = proto_noise_hs_read(hs, frame, flen, payload, sizeof payload, &plen);
    }
    if (rc == 0)
        rc = proto_hello_decode(payload, plen, &h);
    if (rc == 0) {
        proto_hex(h.sign_pk, 4, hex);
        say("message 2 from %s (versions %u..%u)", hex, h.version_min, h.version_max);
        h.version_min = h.version_max = PROTO_WIRE_VERSION;
        memcpy(h.sign_pk, sign_pk, 32);
        h.token_len = g_token_len;
        memcpy(h.token, g_token, g_token_len);
        proto_buf_init(&hello);
        rc = proto_hello_encode(&h, &hello);
        if (rc == 0)
            rc = proto_noise_hs_write(hs, hello.data, hello.len, msg, sizeof msg, &mlen);
        proto_buf_release(&hello);
    }
    if (rc == 0 && junk3) {
        proto_random(msg, mlen);
        rc = write_frame(c, msg, mlen);
        say("sent %zu random bytes as message 3", mlen);
        proto_noise_hs_free(hs);
        return rc == 0 || gone(rc) ? 2 : rc;
    }
    if (rc == 0)
        rc = write_frame(c, msg, mlen);
    if (rc == 0)
        rc = proto_noise_hs_split(hs, &c->tx, &c->rx);
    proto_noise_hs_free(hs);
    if (rc == 0)
        say("handshake complete");
    else
        say("handshake failed: %s", err_str(rc));
    return rc;
}

/* ---- entries ---- */

/* A balanced journal (i picks the amount, date and memo) by k at seq after prev. */
static int journal_entry(struct proto_buf *out, const struct proto_keys *k,
                         const uint8_t ledger[32], uint64_t seq, const uint8_t *prev, uint64_t i,
                         const char *memo)
{
    struct proto_journal *j = calloc(1, sizeof *j);
    struct proto_buf body;
    uint64_t amount = (i % 997 + 1) * 1000;
    int rc;

    if (!j)
        return -ENOMEM;
    j->date = 20260101 + (uint32_t)(i % 28);
    snprintf(j->memo, sizeof j->memo, "%s %llu", memo, (unsigned long long)i);
    j->lines[0] = (struct proto_line){1100, 0, amount, 0};
    j->lines[1] = (struct proto_line){3300, 0, 0, amount};
    j->nlines = 2;
    proto_buf_init(&body);
    rc = proto_journal_encode(j, &body);
    if (rc == 0)
        rc =
            proto_entry_build(out, k, ledger, seq, seq > 1 ? prev : NULL,
                              1767225600000ULL + i * 1000, PROTO_KIND_JOURNAL, body.data, body.len);
    proto_buf_release(&body);
    free(j);
    return rc;
}

/* An ENTRIES message of the given entries. */
static int entries_msg(struct proto_buf *b, const uint8_t *const *e, const size_t *len, size_t n)
{
    struct proto_msg_builder mb;
    int rc;

    proto_buf_reset(b);
    rc = proto_msg_entries_begin(&mb, b);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = proto_msg_entries_add(&mb, e[i], len[i]);
    if (rc == 0)
        rc = proto_msg_entries_end(&mb);
    return rc;
}

/* A FRONTIER (not final) of PROTO_WIRE_FRONTIER_CHUNK rows naming random authors. */
static int random_frontier(struct proto_buf *b)
{
    static struct proto_frontier_row rows[PROTO_WIRE_FRONTIER_CHUNK];

    proto_random(rows, sizeof rows);
    for (size_t i = 0; i < PROTO_WIRE_FRONTIER_CHUNK; i++)
        rows[i].length = rows[i].length % 1000000 + 1;
    proto_buf_reset(b);
    return proto_msg_frontier(b, rows, PROTO_WIRE_FRONTIER_CHUNK, false);
}

/* ---- subcommands ---- */

static int cmd_gate_bad(const char *addr, const char *ledger_hex)
{
    static const char *const probes[] = {"a gate under a random network key",
                                         "random bytes the size of gate + message 1",
                                         "a 5-byte first frame"};
    struct dir d;
    int bad = 0;

    memset(&d, 0, sizeof d);
    if (proto_unhex(ledger_hex, d.ledger, 32) < 0) {
        fprintf(stderr, "saksi-hostile: LEDGER must be 64 hex digits\n");
        return EX_USAGE;
    }
    proto_wire_prologue(d.ledger, d.prologue);
    for (int p = 0; p < 3; p++) {
        struct proto_noise_hs *hs = NULL;
        uint8_t msg[256], frame[256], wrong[32];
        size_t mlen = 0, flen;
        struct conn *c = malloc(sizeof *c);
        int rc;

        if (!c)
            return EX_RUNTIME;
        rc = conn_open(c, addr);
        if (rc < 0) {
            fprintf(stderr, "saksi-hostile: connect %s: %s\n", addr, err_str(rc));
            free(c);
            return EX_RUNTIME;
        }
        proto_random(wrong, sizeof wrong);
        if (p == 0) {
            uint8_t box[32];

            proto_random(box, sizeof box);
            rc = proto_noise_hs_new(&hs, PROTO_NOISE_XXPSK3, true, d.prologue, sizeof d.prologue,
                                    box, wrong);
            if (rc == 0)
                rc = proto_noise_hs_write(hs, NULL, 0, msg, sizeof msg, &mlen);
            proto_noise_hs_free(hs);
            if (rc < 0) {
                conn_close(c);
                free(c);
                return EX_RUNTIME;
            }
            proto_wire_gate(wrong, d.prologue, msg, frame);
            memcpy(frame + PROTO_WIRE_GATE_LEN, msg, mlen);
            flen = PROTO_WIRE_GATE_LEN + mlen;
        } else if (p == 1) {
            flen = PROTO_WIRE_GATE_LEN + 48;
            proto_random(frame, flen);
        } else {
            flen = 5;
            proto_random(frame, flen);
        }
        rc = write_frame(c, frame, flen);
        say("probe %d: sent %s (%zu bytes)", p + 1, probes[p], flen);
        if (rc == 0 || gone(rc)) {
            do
                rc = fill(c);
            while (rc > 0);
        }
        if ((rc == 0 || rc == -ECONNRESET || gone(rc)) && c->bytes_in == 0) {
            say("probe %d: closed without a byte in answer", p + 1);
        } else {
            say("probe %d: %llu bytes in answer, %s", p + 1, (unsigned long long)c->bytes_in,
                rc == -ETIMEDOUT ? "still open at the deadline" : "then closed");
            bad++;
        }
        conn_close(c);
        free(c);
    }
    return bad ? result("answered", EX_FAIL) : result("refused-silently", EX_OK);
}

/* nonroster (claim = false) or impostor (claim = true: the hello names DATADIR's device). */
static int cmd_refused(const char *addr, const char *path, bool claim)
{
    struct proto_keys *fresh = NULL;
    struct conn *c = calloc(1, sizeof *c);
    struct dir d;
    int rc, ex;

    if (!c)
        return EX_RUNTIME;
    c->fd = -1;
    if (dir_load(path, &d) < 0 || proto_keys_generate(&fresh) < 0 || conn_open(c, addr) < 0) {
        fprintf(stderr, "saksi-hostile: setup failed\n");
        conn_close(c);
        free(c);
        proto_keys_free(fresh);
        dir_free(&d);
        return EX_RUNTIME;
    }
    say("a fresh transport key, hello naming %s", claim ? "a device on the roster" : "a fresh one");
    rc = handshake(c, &d, d.netkey, fresh->box_sk, claim ? d.keys->sign_pk : fresh->sign_pk, false);
    if (rc == 1) {
        ex = result("closed-in-handshake", EX_FAIL);
    } else if (rc < 0 && !gone(rc)) {
        ex = result("handshake-error", EX_FAIL);
    } else {
        bool closed = wait_closed(c);

        if (closed && c->msgs == 0)
            ex = result("refused", EX_OK);
        else if (closed)
            ex = result("transport-opened", EX_FAIL);
        else
            ex = result("still-open", EX_FAIL);
    }
    conn_close(c);
    free(c);
    proto_keys_free(fresh);
    dir_free(&d);
    return ex;
}

/* A file of exactly n bytes (n == 0: up to cap bytes, the length in *len). */
static int read_exact(const char *path, uint8_t *buf, size_t cap, size_t n, size_t *len)
{
    size_t got = 0;
    int rc = read_all(path, buf, cap, &got);

    if (rc == 0 && ((n && got != n) || got == 0 || got == cap))
        rc = -EINVAL;
    if (rc < 0)
        fprintf(stderr, "saksi-hostile: %s: %s\n", path, err_str(rc));
    if (len)
        *len = got;
    return rc;
}

/* guest: see the header. Exit 0 when the server refuses the token after the handshake. */
static int cmd_guest(const char *addr, const char *keydir, const char *invdir)
{
    struct conn *c = calloc(1, sizeof *c);
    struct proto_invite inv;
    struct dir d;
    char p[4200];
    uint8_t buf[512];
    size_t len = 0;
    int rc, ex = EX_RUNTIME;

    memset(&d, 0, sizeof d);
    proto_buf_init(&d.genesis);
    if (!c)
        return EX_RUNTIME;
    c->fd = -1;
    snprintf(p, sizeof p, "%s/key", keydir);
    rc = read_exact(p, buf, sizeof buf, 0, &len);
    if (rc == 0 && (rc = proto_keyfile_decode(buf, len, NULL, 0, &d.keys)) < 0)
        fprintf(stderr, "saksi-hostile: %s: %s\n", p, err_str(rc));
    proto_memzero(buf, sizeof buf);
    snprintf(p, sizeof p, "%s/network.key", invdir);
    if (rc == 0 && (rc = read_exact(p, buf, 33, 32, NULL)) == 0)
        memcpy(d.netkey, buf, 32);
    proto_memzero(buf, sizeof buf);
    snprintf(p, sizeof p, "%s/invite", invdir);
    if (rc == 0)
        rc = read_exact(p, g_token, sizeof g_token, 0, &g_token_len);
    if (rc == 0 && (rc = proto_invite_parse(g_token, g_token_len, &inv)) < 0)
        fprintf(stderr, "saksi-hostile: %s: %s\n", p, err_str(rc));
    if (rc == 0)
        rc = conn_open(c, addr);
    if (rc < 0) {
        fprintf(stderr, "saksi-hostile: setup failed\n");
        goto out;
    }
    memcpy(d.ledger, inv.ledger, 32);
    proto_wire_prologue(d.ledger, d.prologue);
    say("hello with an invite token for device %02x%02x%02x%02x, as device %02x%02x%02x%02x, "
        "expiring in %lld s",
        inv.device_sign_pk[0], inv.device_sign_pk[1], inv.device_sign_pk[2], inv.device_sign_pk[3],
        d.keys->sign_pk[0], d.keys->sign_pk[1], d.keys->sign_pk[2], d.keys->sign_pk[3],
        (long long)inv.expires - (long long)time(NULL));
    rc = handshake(c, &d, d.netkey, d.keys->box_sk, d.keys->sign_pk, false);
    if (rc == 1) {
        ex = result("closed-in-handshake", EX_FAIL);
    } else if (rc < 0 && !gone(rc)) {
        ex = result("handshake-error", EX_FAIL);
    } else {
        bool closed = wait_closed(c);

        if (closed && c->msgs == 0)
            ex = result("refused", EX_OK);
        else
            ex = result(closed ? "guest-served" : "guest-still-open", EX_FAIL);
    }
out:
    conn_close(c);
    free(c);
    dir_free(&d);
    return ex;
}

static int write_file(const char *dir, const char *name, const void *p, size_t n)
{
    char path[4200];
    int fd, rc = 0;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || write(fd, p, n) != (ssize_t)n)
        rc = -errno;
    if (fd >= 0)
        close(fd);
    if (rc < 0)
        fprintf(stderr, "saksi-hostile: %s: %s\n", path, err_str(rc));
    return rc;
}

/* invite: see the header. */
static int cmd_invite(const char *path, const char *card, const char *secs, const char *addr,
                      const char *out)
{
    const char *pl = "saksi-device:";
    struct proto_invite inv;
    struct proto_buf tok;
    uint8_t raw[128];
    char *code = NULL;
    struct dir d;
    int rc;

    if (strncmp(card, pl, strlen(pl)) != 0 || proto_unhex(card + strlen(pl), raw, 128) < 0) {
        fprintf(stderr, "saksi-hostile: malformed card\n");
        return EX_USAGE;
    }
    if (dir_load(path, &d) < 0)
        return EX_RUNTIME;
    memset(&inv, 0, sizeof inv);
    memcpy(inv.ledger, d.ledger, 32);
    memcpy(inv.inviter_sign_pk, d.keys->sign_pk, 32);
    memcpy(inv.inviter_box_pk, d.keys->box_pk, 32);
    memcpy(inv.device_sign_pk, raw, 32);
    memcpy(inv.device_box_pk, raw + 32, 32);
    inv.expires = (uint64_t)((long long)time(NULL) + strtoll(secs, NULL, 10));
    proto_buf_init(&tok);
    rc = proto_invite_sign(d.keys, &inv, &tok);
    if (rc == 0)
        rc = proto_invite_code_encode(d.netkey, addr, tok.data, tok.len, &code);
    if (rc == 0 && (rc = write_file(out, "invite", tok.data, tok.len)) == 0 &&
        (rc = write_file(out, "network.key", d.netkey, 32)) == 0)
        rc = write_file(out, "code", code, strlen(code));
    if (rc < 0)
        fprintf(stderr, "saksi-hostile: cannot make the invite: %s\n", err_str(rc));
    free(code);
    proto_buf_release(&tok);
    dir_free(&d);
    return rc < 0 ? EX_RUNTIME : EX_OK;
}

static bool exists(const char *path)
{
    struct stat sb;

    return path && stat(path, &sb) == 0;
}

static void touch(const char *path)
{
    int fd;

    if (!path)
        return;
    fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0)
        close(fd);
}

/*
 * Writes plaintexts without reading, until the server is gone ("disconnected"), or STOP exists
 * ("throttled" if a write ever had to wait, else "kept-up"), or the deadline (exit 1). How the
 * server coped is for the caller to judge: its memory, and its service to honest peers meanwhile.
 * With persist (messages that each ask for an answer), STOP only counts once the server has
 * stopped reading, no write going through for FLOOD_STOPPED_MS ("stopped-reading"): a server
 * that keeps reading is pushed until it gives.
 * MARK is created once the flood is under way: at the first blocked write, when the server is
 * gone, or once
 * FLOOD_MARK_BYTES have been sent (more than the kernel buffers hold). With HOSTILE_MARK_MSGS
 * set to N, MARK waits instead until N messages are sent and the server has handled them (a
 * PING after them is answered), or the server is gone; then FLOOD_TAIL_MSGS more go out (a
 * backlog of known size) and the connection is held, silent, until STOP.
 */
#define FLOOD_MARK_BYTES (8u << 20)
#define FLOOD_TAIL_MSGS  32
#define FLOOD_STOPPED_MS 500
static int flood(struct conn *c, struct proto_buf *msg, int (*next)(struct proto_buf *),
                 bool persist, const char *mark, const char *stop)
{
    const char *mm = getenv("HOSTILE_MARK_MSGS");
    uint64_t mark_msgs = mm ? strtoull(mm, NULL, 10) : 0;
    uint64_t sent = 0, bytes = 0, blocked_ms = 0, stalls = 0, t0 = now_ms(), since = 0;
    uint8_t out[FRAME_BUF];
    size_t olen = 0, off = 0;
    bool marked = false;

    for (;;) {
        ssize_t w;

        if (off == olen) {
            int rc;

            if (!marked && mark_msgs && sent == mark_msgs) {
                /* The first mark_msgs messages are out: wait until the server has handled them. */
                struct proto_buf ping;

                proto_buf_init(&ping);
                rc = proto_msg_ping(&ping);
                if (rc == 0)
                    rc = send_msg(c, ping.data, ping.len);
                proto_buf_release(&ping);
                while (rc == 0 && c->pongs == 0)
                    rc = recv_msg(c, true) == 1 ? 0 : -EPIPE;
                touch(mark);
                marked = true;
                if (rc < 0) {
                    say("the server is gone before answering a PING after %llu messages",
                        (unsigned long long)mark_msgs);
                    return result("disconnected", EX_OK);
                }
                say("the server handled %llu messages in %llu ms (%llu of them blocked)",
                    (unsigned long long)mark_msgs, (unsigned long long)(now_ms() - t0),
                    (unsigned long long)blocked_ms);
            }
            if (mark_msgs && sent >= mark_msgs + FLOOD_TAIL_MSGS) {
                /* The tail is out: hold the connection until STOP, sending nothing more. */
                say("%d more messages sent; holding the connection", FLOOD_TAIL_MSGS);
                while (!exists(stop) && left_ms() > 0) {
                    struct pollfd pf = {c->fd, POLLIN, 0};

                    if (poll(&pf, 1, 50) > 0 && recv_msg(c, true) != 1) {
                        say("the server closed the connection while it was held");
                        touch(mark);
                        return result("disconnected", EX_OK);
                    }
                }
            }
            if ((!persist && exists(stop)) || left_ms() == 0)
                break;
            if (next && (rc = next(msg)) < 0)
                return EX_RUNTIME;
            rc = proto_noise_cs_encrypt(&c->tx, NULL, 0, msg->data, msg->len, out + 2,
                                        PROTO_WIRE_FRAME_MAX, &olen);
            if (rc < 0)
                return EX_RUNTIME;
            if (++c->txn % PROTO_WIRE_REKEY_EVERY == 0)
                proto_noise_cs_rekey(&c->tx);
            out[0] = (uint8_t)(olen >> 8);
            out[1] = (uint8_t)olen;
            olen += 2;
            off = 0;
            sent++;
            bytes += olen;
            if (!marked && !mark_msgs && bytes >= FLOOD_MARK_BYTES) {
                say("%llu messages (%llu bytes) sent in %llu ms without backpressure so far",
                    (unsigned long long)sent, (unsigned long long)bytes,
                    (unsigned long long)(now_ms() - t0));
                touch(mark);
                marked = true;
            }
        }

        w = send(c->fd, out + off, olen - off, MSG_NOSIGNAL);
        if (w > 0) {
            off += (size_t)w;
            since = 0;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd pf = {c->fd, POLLOUT, 0};
            uint64_t t = now_ms();

            if (!stalls++)
                say("backpressure after %llu messages (%llu ms): the server stopped reading",
                    (unsigned long long)sent, (unsigned long long)(t - t0));
            if (!marked && !mark_msgs) {
                touch(mark);
                marked = true;
            }
            if (!since)
                since = t;
            if ((exists(stop) && (!persist || t - since >= FLOOD_STOPPED_MS)) || left_ms() == 0)
                break;
            (void)poll(&pf, 1, 50);
            blocked_ms += now_ms() - t;
            continue;
        }
        say("the server is gone (%s) after %llu messages, %llu ms", strerror(errno),
            (unsigned long long)sent, (unsigned long long)(now_ms() - t0));
        touch(mark);
        return result("disconnected", EX_OK);
    }
    say("sent %llu messages in %llu ms, %llu ms of it blocked", (unsigned long long)sent,
        (unsigned long long)(now_ms() - t0), (unsigned long long)blocked_ms);
    if (!exists(stop))
        return result("deadline", EX_FAIL);
    if (persist)
        return result("stopped-reading", EX_OK);
    return result(stalls ? "throttled" : "kept-up", EX_OK);
}

/* The smallest applied entry of DATADIR's store, into out. */
static int smallest_row(const struct store_row *row, void *arg)
{
    struct proto_buf *out = arg;

    if (row->applied && (out->len == 0 || row->len < out->len)) {
        proto_buf_reset(out);
        return proto_buf_append(out, row->raw, row->len);
    }
    return 0;
}

static int smallest_entry(const char *path, struct proto_buf *out)
{
    char p[4200];
    struct store *st = NULL;
    int rc;

    snprintf(p, sizeof p, "%s/store", path);
    rc = store_open(p, STORE_RDONLY, &st);
    if (rc == 0)
        rc = store_each_entry(st, NULL, smallest_row, out);
    store_close(st);
    if (rc == 0 && out->len == 0)
        rc = -ENOENT;
    return rc;
}

/* One message from the server: 0, -EPIPE when it closed or reset the connection, else < 0. */
static int recv_one(struct conn *c)
{
    int rc = recv_msg(c, true);

    if (rc == 1)
        return 0;
    return rc == 0 || gone(rc) ? -EPIPE : rc;
}

/*
 * Sends copies of entry e, k per ENTRIES message (fewer in the last), until total copies are
 * out, reading the server's answers as they come. 0 when every message was acknowledged and a
 * PING after them answered; 1 when the server closed the connection (or reset it) instead.
 */
static int dup_send(struct conn *c, const struct proto_buf *e, uint32_t k, uint64_t total,
                    uint64_t *sent)
{
    struct proto_buf b;
    uint64_t msgs = 0, acks0 = c->acks, pongs0 = c->pongs;
    int rc = 0;

    proto_buf_init(&b);
    while (rc == 0 && *sent < total) {
        struct proto_msg_builder mb;
        uint64_t n = total - *sent < k ? total - *sent : k;

        proto_buf_reset(&b);
        rc = proto_msg_entries_begin(&mb, &b);
        for (uint64_t i = 0; rc == 0 && i < n; i++)
            rc = proto_msg_entries_add(&mb, e->data, e->len);
        if (rc == 0)
            rc = proto_msg_entries_end(&mb);
        if (rc == 0)
            rc = send_msg(c, b.data, b.len);
        if (rc < 0)
            break;
        *sent += n;
        msgs++;
        /* Whatever has arrived meanwhile (ACKs), without waiting for more. */
        for (;;) {
            struct pollfd pf = {c->fd, POLLIN, 0};

            if (poll(&pf, 1, 0) <= 0 || (rc = recv_one(c)) < 0)
                break;
        }
    }
    if (rc == 0) {
        proto_buf_reset(&b);
        while (rc == 0 && c->acks - acks0 < msgs)
            rc = recv_one(c);
        if (rc == 0)
            rc = proto_msg_ping(&b);
        if (rc == 0)
            rc = send_msg(c, b.data, b.len);
        while (rc == 0 && c->pongs == pongs0)
            rc = recv_one(c);
    }
    proto_buf_release(&b);
    if (rc == -EPIPE || gone(rc))
        return 1;
    return rc;
}

static int cmd_dupflood(struct conn *c, const char *addr, const struct dir *d, const char *path)
{
    struct proto_buf e;
    uint64_t sent = 0;
    uint32_t k = 0;
    int rc, ex;

    proto_buf_init(&e);
    rc = smallest_entry(path, &e);
    if (rc < 0) {
        fprintf(stderr, "saksi-hostile: no entry to copy in %s: %s\n", path, err_str(rc));
        proto_buf_release(&e);
        return EX_RUNTIME;
    }
    {
        struct proto_msg_builder mb;
        struct proto_buf b;

        proto_buf_init(&b);
        rc = proto_msg_entries_begin(&mb, &b);
        while (rc == 0 && proto_msg_entries_room(&mb, e.len) && k < PROTO_WIRE_ENTRIES_MAX) {
            rc = proto_msg_entries_add(&mb, e.data, e.len);
            k++;
        }
        proto_buf_release(&b);
    }
    say("each message: %u copies of a %zu-byte entry the server holds", k, e.len);
    rc = dup_send(c, &e, k, DUP_MIN - 1, &sent);
    if (rc != 0) {
        say("the server %s after %llu copies, below %d",
            rc == 1 ? "closed the connection" : err_str(rc), (unsigned long long)sent, DUP_MIN);
        ex = result(rc == 1 ? "cut-off-early" : "no-answer", EX_FAIL);
        goto out;
    }
    say("%llu copies all acknowledged, the connection still open (%llu errors)",
        (unsigned long long)sent, (unsigned long long)c->errors);
    if (c->errors) {
        ex = result("error-before-the-limit", EX_FAIL);
        goto out;
    }
    rc = dup_send(c, &e, k, DUP_MIN, &sent);
    if (rc != 1) {
        say("copy %llu: %s", (unsigned long long)sent,
            rc == 0 ? "acknowledged, and the connection stayed open" : err_str(rc));
        ex = result("not-cut-off", EX_FAIL);
        goto out;
    }
    say("cut off after copy %llu (%llu errors received)", (unsigned long long)sent,
        (unsigned long long)c->errors);
    if (c->errors == 0) {
        ex = result("cut-off-without-error", EX_FAIL);
        goto out;
    }
    conn_close(c);
    /* Backed off: a new connection is refused after the handshake, before any message. */
    memset(c, 0, sizeof *c);
    c->fd = -1;
    if ((rc = conn_open(c, addr)) < 0) {
        fprintf(stderr, "saksi-hostile: connect %s: %s\n", addr, err_str(rc));
        ex = EX_RUNTIME;
        goto out;
    }
    rc = handshake(c, d, d->netkey, d->keys->box_sk, d->keys->sign_pk, false);
    if (rc == 0 || gone(rc)) {
        bool closed = wait_closed(c);

        if (closed && c->msgs == 0)
            ex = result("cut-off-and-refused", EX_OK);
        else
            ex = result(closed ? "cut-off-not-refused" : "cut-off-still-open", EX_FAIL);
    } else {
        ex = result(rc == 1 ? "cut-off-closed-in-handshake" : "cut-off-handshake-error", EX_FAIL);
    }
out:
    proto_buf_release(&e);
    return ex;
}

static int cmd_attack(const char *addr, const char *path, const char *mode, const char *mark,
                      const char *stop)
{
    struct conn *c = calloc(1, sizeof *c);
    struct proto_buf b, e1, e2;
    struct dir d;
    int rc, ex = EX_RUNTIME;

    if (!c)
        return EX_RUNTIME;
    proto_buf_init(&b);
    proto_buf_init(&e1);
    proto_buf_init(&e2);
    c->fd = -1;
    if (dir_load(path, &d) < 0)
        goto out;
    if ((rc = conn_open(c, addr)) < 0) {
        fprintf(stderr, "saksi-hostile: connect %s: %s\n", addr, err_str(rc));
        goto out;
    }
    rc = handshake(c, &d, d.netkey, d.keys->box_sk, d.keys->sign_pk, false);
    if (rc != 0) {
        ex = result("handshake-refused", EX_FAIL);
        goto out;
    }
    if (strcmp(mode, "garbage") == 0) {
        uint8_t junk[300];
        int closed = 0;

        /* 1: random bytes as a transport frame. */
        proto_random(junk, sizeof junk);
        rc = write_frame(c, junk, sizeof junk);
        say("sent %zu random bytes as a transport frame", sizeof junk);
        closed += (rc == 0 || gone(rc)) && wait_closed(c);
        conn_close(c);
        /* 2: random bytes in place of handshake message 3. */
        if (conn_open(c, addr) == 0 &&
            handshake(c, &d, d.netkey, d.keys->box_sk, d.keys->sign_pk, true) == 2)
            closed += wait_closed(c);
        conn_close(c);
        /* 3: a frame of length 0 after the handshake. */
        if (conn_open(c, addr) == 0 &&
            handshake(c, &d, d.netkey, d.keys->box_sk, d.keys->sign_pk, false) == 0) {
            rc = write_all(c, (const uint8_t *)"\0\0", 2);
            say("sent a frame of length 0");
            closed += (rc == 0 || gone(rc)) && wait_closed(c);
        }
        ex = closed == 3 ? result("disconnected", EX_OK) : result("not-disconnected", EX_FAIL);
    } else if (strcmp(mode, "reset") == 0) {
        /* Many PINGs in one write, then a reset (SO_LINGER 0) before reading any answer. */
        struct linger lg = {1, 0};
        uint8_t *burst = malloc((size_t)RESET_PINGS * 32);
        size_t blen = 0;

        rc = burst ? proto_msg_ping(&b) : -ENOMEM;
        for (int i = 0; rc == 0 && i < RESET_PINGS; i++) {
            size_t olen;

            rc =
                proto_noise_cs_encrypt(&c->tx, NULL, 0, b.data, b.len, burst + blen + 2, 30, &olen);
            burst[blen] = (uint8_t)(olen >> 8);
            burst[blen + 1] = (uint8_t)olen;
            blen += 2 + olen;
            c->txn++;
        }
        if (rc == 0)
            rc = write_all(c, burst, blen);
        free(burst);
        if (rc == 0 && setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) < 0)
            rc = -errno;
        say("sent %d PINGs in one burst, then reset the connection (%s)", RESET_PINGS,
            rc ? err_str(rc) : "ok");
        ex = rc == 0 ? result("reset", EX_OK) : result("reset-failed", EX_FAIL);
    } else if (strcmp(mode, "oversized") == 0) {
        size_t big = PROTO_ENTRY_MAX + 1000;

        /* [2, [bin16 of big bytes]]: an entry over PROTO_ENTRY_MAX inside a legal frame. */
        proto_buf_append_byte(&b, 0x92);
        proto_buf_append_byte(&b, 0x02);
        proto_buf_append_byte(&b, 0x91);
        proto_buf_append_byte(&b, 0xc5);
        proto_buf_append_byte(&b, (uint8_t)(big >> 8));
        proto_buf_append_byte(&b, (uint8_t)big);
        proto_buf_reserve(&b, big);
        proto_random(b.data + b.len, big);
        b.len += big;
        rc = send_msg(c, b.data, b.len);
        say("sent ENTRIES holding a %zu-byte entry (%s)", big, rc ? err_str(rc) : "ok");
        /* [2, [bin32 announcing 2^31 bytes, 64 of them present]]. */
        proto_buf_reset(&b);
        {
            static const uint8_t head[] = {0x92, 0x02, 0x91, 0xc6, 0x80, 0x00, 0x00, 0x00};

            proto_buf_append(&b, head, sizeof head);
            proto_buf_reserve(&b, 64);
            proto_random(b.data + b.len, 64);
            b.len += 64;
        }
        if (rc == 0) {
            rc = send_msg(c, b.data, b.len);
            say("sent ENTRIES whose bin announces 2^31 bytes in a %zu-byte frame (%s)", b.len,
                rc ? err_str(rc) : "ok");
        }
        /* [2, [1025 one-byte entries]]: more than PROTO_WIRE_ENTRIES_MAX. */
        proto_buf_reset(&b);
        proto_buf_append_byte(&b, 0x92);
        proto_buf_append_byte(&b, 0x02);
        proto_buf_append_byte(&b, 0xdc);
        proto_buf_append_byte(&b, (uint8_t)((PROTO_WIRE_ENTRIES_MAX + 1) >> 8));
        proto_buf_append_byte(&b, (uint8_t)(PROTO_WIRE_ENTRIES_MAX + 1));
        for (int i = 0; i <= PROTO_WIRE_ENTRIES_MAX; i++) {
            proto_buf_append_byte(&b, 0xc4);
            proto_buf_append_byte(&b, 0x01);
            proto_buf_append_byte(&b, 0x00);
        }
        if (rc == 0) {
            rc = send_msg(c, b.data, b.len);
            say("sent ENTRIES with %d entries (%s)", PROTO_WIRE_ENTRIES_MAX + 1,
                rc ? err_str(rc) : "ok");
        }
        ex = (rc == 0 || gone(rc)) && wait_closed(c) ? result("disconnected", EX_OK)
                                                     : result("not-disconnected", EX_FAIL);
    } else if (strcmp(mode, "badsig") == 0) {
        struct proto_keys *forger = NULL;
        int sent = 0;

        /* This device's next entry with one signature bit flipped. */
        rc = journal_entry(&e1, d.keys, d.ledger, d.tip_seq + 1, d.tip_id, 1, "Tanda tangan rusak");
        if (rc == 0)
            e1.data[e1.len - 1] ^= 0x01;
        /* The genesis author's next entry, signed with this device's key. */
        if (rc == 0 && (rc = proto_keys_generate(&forger)) == 0) {
            memcpy(forger->sign_sk, d.keys->sign_sk, 64);
            memcpy(forger->sign_pk, d.gen_author, 32);
            rc = journal_entry(&e2, forger, d.ledger, d.gen_seq + 1, d.gen_tip, 2,
                               "Atas nama ketua");
            proto_keys_free(forger);
        }
        if (rc < 0) {
            fprintf(stderr, "saksi-hostile: cannot build entries: %s\n", err_str(rc));
            goto out;
        }
        for (int i = 0; i < 8 && rc == 0; i++) {
            const struct proto_buf *e = i % 2 ? &e2 : &e1;
            const uint8_t *p = e->data;
            size_t n = e->len;

            rc = entries_msg(&b, &p, &n, 1);
            if (rc == 0)
                rc = send_msg(c, b.data, b.len);
            if (rc == 0)
                sent++;
        }
        say("sent %d ENTRIES messages with a bad signature (own feed, forged ketua)%s", sent,
            gone(rc) ? "; then the server was gone" : "");
        ex = (rc == 0 || gone(rc)) && wait_closed(c) ? result("disconnected", EX_OK)
                                                     : result("not-disconnected", EX_FAIL);
    } else if (strcmp(mode, "fork") == 0) {
        const uint8_t *p;
        size_t n;
        uint8_t id1[32], id2[32];
        char h1[65], h2[65];
        uint64_t want = 0;

        rc = journal_entry(&e1, d.keys, d.ledger, d.tip_seq + 1, d.tip_id, 10, "Cabang pertama");
        if (rc == 0)
            rc = journal_entry(&e2, d.keys, d.ledger, d.tip_seq + 1, d.tip_id, 20, "Cabang kedua");
        if (rc < 0)
            goto out;
        proto_entry_id(e1.data, e1.len, id1);
        proto_entry_id(e2.data, e2.len, id2);
        proto_hex(id1, 32, h1);
        proto_hex(id2, 32, h2);
        say("fork at seq %llu: %s and %s", (unsigned long long)(d.tip_seq + 1), h1, h2);
        for (int i = 0; i < 2 && rc == 0; i++) {
            p = i ? e2.data : e1.data;
            n = i ? e2.len : e1.len;
            rc = entries_msg(&b, &p, &n, 1);
            if (rc == 0)
                rc = send_msg(c, b.data, b.len);
            want++;
            while (rc == 0 && c->acks < want && c->errors == 0)
                rc = recv_msg(c, false) == 1 ? 0 : -EPIPE;
        }
        if (rc == 0 && c->errors == 0) {
            proto_buf_reset(&b);
            proto_msg_bye(&b, 0);
            (void)send_msg(c, b.data, b.len);
            ex = result("both-acknowledged", EX_OK);
        } else {
            ex = result(c->errors ? "error-reply" : "not-acknowledged", EX_FAIL);
        }
    } else if (strcmp(mode, "dupflood") == 0) {
        ex = cmd_dupflood(c, addr, &d, path);
    } else if (strcmp(mode, "flood") == 0 || strcmp(mode, "pingflood") == 0 ||
               strcmp(mode, "frontierflood") == 0) {
        if (mode[0] == 'p') {
            rc = proto_msg_ping(&b);
        } else if (mode[0] == 'f' && mode[1] == 'r') {
            rc = random_frontier(&b);
            if (rc == 0)
                say("each message: FRONTIER of %d rows naming random authors, %zu bytes",
                    PROTO_WIRE_FRONTIER_CHUNK, b.len);
        } else {
            struct proto_msg_builder mb;

            rc = proto_msg_entries_begin(&mb, &b);
            while (rc == 0 && proto_msg_entries_room(&mb, d.genesis.len))
                rc = proto_msg_entries_add(&mb, d.genesis.data, d.genesis.len);
            if (rc == 0)
                rc = proto_msg_entries_end(&mb);
            if (rc == 0)
                say("each message: %u copies of the genesis entry, %zu bytes", mb.n, b.len);
        }
        if (rc < 0)
            goto out;
        ex = flood(c, &b, mode[0] == 'f' && mode[1] == 'r' ? random_frontier : NULL, mode[0] == 'p',
                   mark, stop);
    } else {
        fprintf(stderr, "saksi-hostile: unknown mode '%s'\n", mode);
        ex = EX_USAGE;
    }
out:
    conn_close(c);
    free(c);
    proto_buf_release(&b);
    proto_buf_release(&e1);
    proto_buf_release(&e2);
    dir_free(&d);
    return ex;
}

static int cmd_gen(const char *count, const char *path, const char *outpath)
{
    struct proto_buf e;
    struct dir d;
    uint64_t n = strtoull(count, NULL, 10), seq;
    uint8_t prev[32], rec[4];
    FILE *f;
    int rc = 0;

    if (dir_load(path, &d) < 0)
        return EX_RUNTIME;
    f = fopen(outpath, "wb");
    if (!f) {
        perror(outpath);
        dir_free(&d);
        return EX_RUNTIME;
    }
    proto_buf_init(&e);
    fwrite("SAKSIEX1", 1, 8, f);
    seq = d.tip_seq;
    memcpy(prev, d.tip_id, 32);
    for (uint64_t i = 0; i < n && rc == 0; i++) {
        proto_buf_reset(&e);
        rc = journal_entry(&e, d.keys, d.ledger, ++seq, prev, i, "Setoran simpanan anggota");
        if (rc < 0)
            break;
        proto_entry_id(e.data, e.len, prev);
        rec[0] = (uint8_t)(e.len >> 24);
        rec[1] = (uint8_t)(e.len >> 16);
        rec[2] = (uint8_t)(e.len >> 8);
        rec[3] = (uint8_t)e.len;
        if (fwrite(rec, 1, 4, f) != 4 || fwrite(e.data, 1, e.len, f) != e.len)
            rc = -EIO;
    }
    if (fclose(f) != 0 && rc == 0)
        rc = -EIO;
    proto_buf_release(&e);
    dir_free(&d);
    if (rc < 0) {
        fprintf(stderr, "saksi-hostile: gen: %s\n", err_str(rc));
        return EX_RUNTIME;
    }
    say("wrote %llu journals, seq %llu..%llu", (unsigned long long)n,
        (unsigned long long)(seq - n + 1), (unsigned long long)seq);
    return EX_OK;
}

static int cmd_killat(const char *path, const char *count, const char *pidstr)
{
    char p[4200];
    uint64_t want = strtoull(count, NULL, 10);
    long pid = strtol(pidstr, NULL, 10);
    struct store *st = NULL;
    struct store_head h;
    struct timespec ms1 = {0, 1000000};

    if (pid <= 0)
        return EX_USAGE;
    memset(&h, 0, sizeof h);
    snprintf(p, sizeof p, "%s/store", path);
    while (store_open(p, STORE_RDONLY, &st) < 0) {
        if (left_ms() == 0) {
            fprintf(stderr, "saksi-hostile: killat: no store in %s\n", path);
            return EX_FAIL;
        }
        nanosleep(&ms1, NULL);
    }
    for (;;) {
        if (store_head_get(st, &h) == 0 && h.applied >= want) {
            if (kill((pid_t)pid, SIGKILL) < 0) {
                perror("kill");
                store_close(st);
                return EX_RUNTIME;
            }
            printf("%llu\n", (unsigned long long)h.applied);
            store_close(st);
            return EX_OK;
        }
        if (left_ms() == 0) {
            fprintf(stderr, "saksi-hostile: killat: %llu applied at the deadline, not %llu\n",
                    (unsigned long long)h.applied, (unsigned long long)want);
            store_close(st);
            return EX_FAIL;
        }
        nanosleep(&ms1, NULL);
    }
}

static int usage(void)
{
    fputs("usage: saksi-hostile gate-bad HOST:PORT LEDGER\n"
          "       saksi-hostile nonroster HOST:PORT DATADIR\n"
          "       saksi-hostile impostor HOST:PORT DATADIR\n"
          "       saksi-hostile attack HOST:PORT DATADIR "
          "garbage|oversized|badsig|fork|reset|dupflood|flood|pingflood|\n"
          "                     frontierflood [MARK STOP]\n"
          "       saksi-hostile guest HOST:PORT KEYDIR INVITEDIR\n"
          "       saksi-hostile invite DATADIR CARD SECONDS ADDR OUTDIR\n"
          "       saksi-hostile gen N DATADIR OUT\n"
          "       saksi-hostile killat DATADIR N PID\n",
          stderr);
    return EX_USAGE;
}

int main(int argc, char **argv)
{
    const char *secs = getenv("HOSTILE_SECONDS");

    if (proto_crypto_init() < 0)
        return EX_RUNTIME;
    signal(SIGPIPE, SIG_IGN);
    g_deadline = now_ms() + (secs ? strtoull(secs, NULL, 10) : 15) * 1000;
    if (argc < 2)
        return usage();
    if (strcmp(argv[1], "gate-bad") == 0 && argc == 4)
        return cmd_gate_bad(argv[2], argv[3]);
    if (strcmp(argv[1], "nonroster") == 0 && argc == 4)
        return cmd_refused(argv[2], argv[3], false);
    if (strcmp(argv[1], "impostor") == 0 && argc == 4)
        return cmd_refused(argv[2], argv[3], true);
    if (strcmp(argv[1], "attack") == 0 && (argc == 5 || argc == 7))
        return cmd_attack(argv[2], argv[3], argv[4], argc == 7 ? argv[5] : NULL,
                          argc == 7 ? argv[6] : NULL);
    if (strcmp(argv[1], "guest") == 0 && argc == 5)
        return cmd_guest(argv[2], argv[3], argv[4]);
    if (strcmp(argv[1], "invite") == 0 && argc == 7)
        return cmd_invite(argv[2], argv[3], argv[4], argv[5], argv[6]);
    if (strcmp(argv[1], "gen") == 0 && argc == 5)
        return cmd_gen(argv[2], argv[3], argv[4]);
    if (strcmp(argv[1], "killat") == 0 && argc == 5)
        return cmd_killat(argv[2], argv[3], argv[4]);
    return usage();
}
