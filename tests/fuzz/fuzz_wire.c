/*
 * Fuzz target for proto/wire: any input is decoded as a message and as a hello. Decoding fails
 * only with the documented codes, and whatever decodes re-encodes to exactly the input bytes:
 * FRONTIER, ACK, ERROR, BYE, PING, PONG, ADDRS, ROSTER, JOIN and JOINED through their encoders,
 * ENTRIES through the builder, whose room must agree with every entry of a message that decoded.
 * Entries and a join request must point into the input; ADDRS hosts are "" or at most
 * PROTO_WIRE_HOST_MAX characters with ports 1..65535, and ROSTER roles 1..4.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/buf.h"
#include "proto/entry.h"
#include "proto/err.h"
#include "proto/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* About 50 KB: static rather than on the stack. */
static struct proto_msg fuzz_msg;

static bool fuzz_known_err(int rc)
{
    return rc == ERR_BADFRAME || rc == ERR_TRUNC || rc == ERR_NONCANON || rc == ERR_TYPE ||
           rc == ERR_UTF8 || rc == ERR_DEPTH || rc == ERR_TOOBIG || rc == -ENOMEM;
}

static int fuzz_entries(const struct proto_msg *m, const uint8_t *data, size_t size,
                        struct proto_buf *b)
{
    struct proto_msg_builder mb;
    uint32_t i;
    int rc;

    if (m->u.entries.n == 0 || m->u.entries.n > PROTO_WIRE_ENTRIES_MAX)
        abort();
    rc = proto_msg_entries_begin(&mb, b);
    for (i = 0; rc == 0 && i < m->u.entries.n; i++) {
        if (m->u.entries.len[i] == 0 || m->u.entries.len[i] > PROTO_ENTRY_MAX ||
            m->u.entries.p[i] < data || m->u.entries.p[i] + m->u.entries.len[i] > data + size)
            abort();
        if (!proto_msg_entries_room(&mb, m->u.entries.len[i]))
            abort();
        rc = proto_msg_entries_add(&mb, m->u.entries.p[i], m->u.entries.len[i]);
    }
    if (rc == 0)
        rc = proto_msg_entries_end(&mb);
    return rc;
}

static int fuzz_reencode(const struct proto_msg *m, const uint8_t *data, size_t size,
                         struct proto_buf *b)
{
    switch (m->type) {
    case PROTO_MSG_FRONTIER:
        if (m->u.frontier.n > PROTO_WIRE_FRONTIER_CHUNK)
            abort();
        return proto_msg_frontier(b, m->u.frontier.rows, m->u.frontier.n, m->u.frontier.final);
    case PROTO_MSG_ENTRIES:
        return fuzz_entries(m, data, size, b);
    case PROTO_MSG_ACK:
        return proto_msg_ack(b, m->u.ack.messages);
    case PROTO_MSG_ERROR:
        if (strlen(m->u.error.text) > PROTO_WIRE_TEXT_MAX)
            abort();
        return proto_msg_error(b, m->u.error.code, m->u.error.text);
    case PROTO_MSG_BYE:
        return proto_msg_bye(b, m->u.bye.reason);
    case PROTO_MSG_PING:
        return proto_msg_ping(b);
    case PROTO_MSG_PONG:
        return proto_msg_pong(b);
    case PROTO_MSG_ADDRS:
        if (m->u.addrs.n > PROTO_WIRE_ADDRS_MAX)
            abort();
        for (uint32_t i = 0; i < m->u.addrs.n; i++)
            if (strlen(m->u.addrs.rows[i].host) > PROTO_WIRE_HOST_MAX ||
                m->u.addrs.rows[i].port == 0)
                abort();
        return proto_msg_addrs(b, m->u.addrs.rows, m->u.addrs.n);
    case PROTO_MSG_ROSTER:
        if (m->u.roster.n > PROTO_WIRE_ROSTER_CHUNK)
            abort();
        for (uint32_t i = 0; i < m->u.roster.n; i++)
            if (m->u.roster.rows[i].role < 1 || m->u.roster.rows[i].role > 4)
                abort();
        return proto_msg_roster(b, m->u.roster.rows, m->u.roster.n, m->u.roster.final);
    case PROTO_MSG_JOIN:
        if (m->u.join.len == 0 || m->u.join.len > PROTO_JOIN_MAX || m->u.join.p < data ||
            m->u.join.p + m->u.join.len > data + size)
            abort();
        return proto_msg_join(b, m->u.join.p, m->u.join.len);
    case PROTO_MSG_JOINED:
        return proto_msg_joined(b, m->u.joined.code);
    case PROTO_MSG_PRUNE:
        return proto_msg_prune(b);
    case PROTO_MSG_GRAFT:
        return proto_msg_graft(b);
    default:
        abort(); /* decode succeeded with an unknown type */
    }
}

static void fuzz_hello(const uint8_t *data, size_t size)
{
    struct proto_hello h;
    struct proto_buf b;
    int rc;

    rc = proto_hello_decode(data, size, &h);
    if (rc < 0) {
        if (!fuzz_known_err(rc) || h.version_min != 0 || h.version_max != 0)
            abort();
        return;
    }
    if (h.version_min < 1 || h.version_min > h.version_max ||
        h.version_max > PROTO_WIRE_VERSION_MAX)
        abort();
    proto_buf_init(&b);
    if (proto_hello_encode(&h, &b) != 0 || b.len != size || memcmp(b.data, data, size) != 0)
        abort();
    proto_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct proto_buf b;
    int rc;

    fuzz_hello(data, size);

    rc = proto_msg_decode(data, size, &fuzz_msg);
    if (rc < 0) {
        if (!fuzz_known_err(rc) || fuzz_msg.type != 0)
            abort();
        return 0;
    }
    if (size > PROTO_WIRE_PLAIN_MAX)
        abort();
    proto_buf_init(&b);
    rc = fuzz_reencode(&fuzz_msg, data, size, &b);
    if (rc == -ENOMEM) {
        proto_buf_release(&b);
        return 0;
    }
    if (rc != 0 || b.len != size || memcmp(b.data, data, size) != 0)
        abort();
    proto_buf_release(&b);
    return 0;
}
