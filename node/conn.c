/*
 * One connection: TCP through libuv, the gated Noise_XXpsk3 handshake, then length-prefixed
 * ChaChaPoly frames with nonce counters and periodic rekeying. A responder that cannot verify
 * the initiator's gate closes without a word and without any DH work; a peer whose static key
 * is not a device on the roster (or is revoked) is refused after the handshake. Each write
 * request owns its bytes; the connection is freed in the last close callback only.
 */
#include "node/node.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/err.h"

struct wreq {
    uv_write_t req;
    struct node_conn *c;
    size_t len;
    uint8_t data[];
};

static void conn_free(struct node_conn *c)
{
    struct node *n = c->node;

    for (struct node_conn **pp = &n->conns; *pp; pp = &(*pp)->next)
        if (*pp == c) {
            *pp = c->next;
            break;
        }
    node_sync_release(c);
    proto_noise_hs_free(c->hs);
    proto_noise_cs_wipe(&c->tx);
    proto_noise_cs_wipe(&c->rx);
    free(c);
    if (n->stopping && !n->conns)
        node_stop_done(n); /* the last goodbye is through: no need to wait any longer */
}

static void on_close(uv_handle_t *h)
{
    struct node_conn *c = h->data;

    if (--c->nhandles == 0 && c->works == 0)
        conn_free(c);
}

void node_conn_work_begin(struct node_conn *c)
{
    c->works++;
}

bool node_conn_work_end(struct node_conn *c)
{
    c->works--;
    if (!c->closing)
        return true;
    if (c->nhandles == 0 && c->works == 0)
        conn_free(c);
    return false;
}

void node_conn_close(struct node_conn *c, int reason)
{
    struct node *n = c->node;

    if (c->closing)
        return;
    c->closing = true;
    if (reason < 0)
        NODE_LOG(NODE_LOG_INFO, "net", "peer=%s closed (err=%s)", c->name, err_str(reason));
    else
        NODE_LOG(NODE_LOG_DEBUG, "net", "peer=%s closed", c->name);
    if (c->peer) {
        struct node_peer *p = c->peer;
        uint64_t jitter;

        p->conn = NULL;
        /* A link that carried something resets the backoff; one the peer closed at once (it
         * refuses us after the handshake, e.g. we are revoked there) keeps doubling it. */
        if (c->state == CONN_OPEN && c->rx_msgs > 0 && c->penalty < NODE_PENALTY_MAX)
            p->backoff = NODE_BACKOFF_MIN_MS;
        if (c->penalty >= NODE_PENALTY_MAX)
            p->backoff = NODE_BACKOFF_MAX_MS; /* a misbehaving peer waits the longest at once */
        proto_random(&jitter, sizeof jitter);
        p->next_ms = n->now_ms(n) + p->backoff + jitter % (p->backoff / 2 + 1);
        p->backoff = p->backoff * 2 > NODE_BACKOFF_MAX_MS ? NODE_BACKOFF_MAX_MS : p->backoff * 2;
    }
    uv_close((uv_handle_t *)&c->tcp, on_close);
    uv_close((uv_handle_t *)&c->timer, on_close);
}

static void on_shutdown(uv_shutdown_t *req, int status)
{
    struct node_conn *c = req->data;

    (void)status;
    free(req);
    node_conn_close(c, 0);
    (void)node_conn_work_end(c);
}

void node_conn_bye(struct node_conn *c, uint32_t reason)
{
    struct proto_buf b;
    uv_shutdown_t *req;

    if (c->closing || c->saying_bye)
        return;
    if (c->state != CONN_OPEN) {
        node_conn_close(c, 0);
        return;
    }
    proto_buf_init(&b);
    if (proto_msg_bye(&b, reason) == 0)
        (void)node_conn_send(c, &b);
    proto_buf_release(&b);
    req = malloc(sizeof *req);
    if (c->closing || !req) {
        free(req);
        node_conn_close(c, 0);
        return;
    }
    req->data = c;
    c->saying_bye = true;
    uv_read_stop((uv_stream_t *)&c->tcp);
    node_conn_work_begin(c); /* the shutdown request holds the connection */
    if (uv_shutdown(req, (uv_stream_t *)&c->tcp, on_shutdown) < 0) {
        free(req);
        node_conn_close(c, 0);
        (void)node_conn_work_end(c);
    }
}

static void on_write(uv_write_t *req, int status)
{
    struct wreq *w = (struct wreq *)req;
    struct node_conn *c = w->c;

    c->tx_bytes -= sizeof *w + w->len;
    free(w);
    if (status < 0) {
        node_conn_close(c, status);
        return;
    }
    if (!c->closing && c->state == CONN_OPEN && c->tx_bytes < NODE_TX_HIGH)
        node_sync_pump(c);
}

/* Queues one frame: the u16be length, then the bytes. */
static int send_frame(struct node_conn *c, const uint8_t *p, size_t n)
{
    struct wreq *w;
    uv_buf_t b;
    int rc;

    if (c->closing)
        return -ECANCELED;
    if (n == 0 || n > PROTO_WIRE_FRAME_MAX)
        return ERR_TOOBIG;
    /* The queue is counted in memory, request overhead included: a flood of tiny frames (a peer
     * that pings and never reads the pongs) is bounded as firmly as a few large ones. */
    if (c->tx_bytes + sizeof *w + 2 + n > NODE_TX_HARD) {
        NODE_LOG(NODE_LOG_WARN, "net", "peer=%s does not read: disconnecting", c->name);
        node_conn_close(c, -ENOBUFS);
        return -ENOBUFS;
    }
    w = malloc(sizeof *w + 2 + n);
    if (!w)
        return -ENOMEM;
    w->c = c;
    w->len = 2 + n;
    w->data[0] = (uint8_t)(n >> 8);
    w->data[1] = (uint8_t)n;
    memcpy(w->data + 2, p, n);
    b = uv_buf_init((char *)w->data, (unsigned)w->len);
    rc = uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, on_write);
    if (rc < 0) {
        free(w);
        return rc;
    }
    c->tx_bytes += sizeof *w + w->len;
    return 0;
}

int node_conn_send(struct node_conn *c, const struct proto_buf *msg)
{
    uint8_t out[PROTO_WIRE_FRAME_MAX];
    size_t olen;
    int rc;

    if (c->state != CONN_OPEN)
        return -ENOTCONN;
    if (c->saying_bye)
        return -ECANCELED; /* nothing goes after the goodbye */
    rc = proto_noise_cs_encrypt(&c->tx, NULL, 0, msg->data, msg->len, out, sizeof out, &olen);
    if (rc == 0 && ++c->tx_msgs % PROTO_WIRE_REKEY_EVERY == 0)
        rc = proto_noise_cs_rekey(&c->tx);
    if (rc == 0)
        rc = send_frame(c, out, olen);
    /* The nonce is spent whatever happened: a frame that did not go out breaks the stream. */
    if (rc < 0)
        node_conn_close(c, rc);
    return rc;
}

void node_conn_fault(struct node_conn *c, int code, const char *text, int penalty)
{
    struct proto_buf b;

    NODE_LOG(NODE_LOG_WARN, "net", "peer=%s misbehaves: %s (penalty +%d)", c->name, text, penalty);
    c->penalty += penalty;
    proto_buf_init(&b);
    /* On the wire an error code is positive: saksi's codes are sent negated. */
    if (c->state == CONN_OPEN &&
        proto_msg_error(&b, (uint32_t)(code < 0 ? -code : code), text) == 0)
        (void)node_conn_send(c, &b);
    proto_buf_release(&b);
    if (c->penalty >= NODE_PENALTY_MAX) {
        if (c->state == CONN_OPEN)
            node_ban(c->node, c->peer_sign_pk); /* it is refused for a while, whoever dials */
        node_conn_close(c, ERR_BADFRAME);
    }
}

static void on_timer(uv_timer_t *t);
static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf);

/* ---- handshake ---- */

static int hello_payload(struct node_conn *c, struct proto_buf *b)
{
    struct node *n = c->node;
    struct proto_hello *h = calloc(1, sizeof *h);
    int rc;

    if (!h)
        return -ENOMEM;
    h->version_min = PROTO_WIRE_VERSION;
    h->version_max = PROTO_WIRE_VERSION;
    memcpy(h->sign_pk, n->keys->sign_pk, 32);
    if (n->joining) {
        memcpy(h->token, n->invite_token, n->invite_len);
        h->token_len = n->invite_len;
    }
    rc = proto_hello_encode(h, b);
    free(h);
    return rc;
}

/*
 * A guest: a device that is not on the roster, showing an invite for itself, for this ledger,
 * not expired, signed by a pengurus device in good standing (with the keys the roster lists).
 */
static int check_invite(struct node_conn *c, const struct proto_hello *h, const uint8_t rs[32])
{
    struct node *n = c->node;
    struct proto_invite inv;
    struct store_device d;
    const char *why;
    int rc;

    rc = proto_invite_parse(h->token, h->token_len, &inv);
    if (rc == 0)
        rc = proto_invite_check(&inv, n->ledger, h->sign_pk, rs, (uint64_t)time(NULL));
    if (rc == 0 && (store_device_get(n->st, inv.inviter_sign_pk, &d) < 0 ||
                    d.dev.role != PROTO_ROLE_PENGURUS ||
                    !node_device_ok(n, inv.inviter_sign_pk, inv.inviter_box_pk, &why)))
        rc = ERR_AUTHORITY;
    if (rc < 0) {
        NODE_LOG(NODE_LOG_WARN, "net", "peer=%s refused: its invite is not valid here (%s)",
                 c->name, err_str(rc));
        return rc;
    }
    /* Re-checked while the guest stays: the inviter's standing and the expiry. */
    memcpy(c->guest_inviter, inv.inviter_sign_pk, 32);
    memcpy(c->guest_inviter_box, inv.inviter_box_pk, 32);
    c->guest_expires = inv.expires;
    return 0;
}

/*
 * The peer's hello and static key: a device on the roster with those keys, not revoked nor
 * backed off; or, while we are joining, the device that invited us; or a guest with a valid
 * invite; never ourselves.
 */
static int check_peer(struct node_conn *c, const uint8_t *payload, size_t n)
{
    struct node *nd = c->node;
    struct proto_hello *h = malloc(sizeof *h);
    struct store_device d;
    uint8_t rs[32];
    const char *why;
    char hex[17];
    int rc;

    if (!h)
        return -ENOMEM;
    rc = proto_hello_decode(payload, n, h);
    if (rc == 0 && (h->version_min > PROTO_WIRE_VERSION || h->version_max < PROTO_WIRE_VERSION))
        rc = ERR_VERSION;
    if (rc == 0)
        rc = proto_noise_hs_remote_static(c->hs, rs);
    if (rc < 0)
        goto out;
    proto_hex(h->sign_pk, 4, hex);
    snprintf(c->name, sizeof c->name, "%s", hex);
    memcpy(c->peer_sign_pk, h->sign_pk, 32);
    memcpy(c->peer_box_pk, rs, 32);
    if (memcmp(h->sign_pk, nd->keys->sign_pk, 32) == 0) {
        NODE_LOG(NODE_LOG_INFO, "net", "peer=%s is this node itself: not dialed again", hex);
        if (c->peer)
            c->peer->self = true;
        rc = ERR_AUTHORITY;
        goto out;
    }
    if (node_device_ok(nd, h->sign_pk, rs, &why))
        goto out;
    if (nd->joining && memcmp(h->sign_pk, nd->invite.inviter_sign_pk, 32) == 0 &&
        memcmp(rs, nd->invite.inviter_box_pk, 32) == 0)
        goto out; /* the device that invited us, before we hold the roster that lists it */
    if (h->token_len && nd->has_ledger && store_device_get(nd->st, h->sign_pk, &d) < 0 &&
        !node_banned(nd, h->sign_pk)) {
        rc = check_invite(c, h, rs);
        c->guest = rc == 0;
        goto out;
    }
    NODE_LOG(NODE_LOG_WARN, "net", "peer=%s refused: %s", hex, why);
    rc = ERR_AUTHORITY;
out:
    free(h);
    return rc;
}

/*
 * Two connections to one device (both dialed at once, or an address learned twice): both ends
 * keep the one dialed by the device with the smaller signing key, so they agree without a word.
 */
static bool duplicate(struct node_conn *c)
{
    const uint8_t *own = c->node->keys->sign_pk;

    for (struct node_conn *o = c->node->conns; o; o = o->next) {
        const uint8_t *ci, *oi;

        if (o == c || o->closing || o->state != CONN_OPEN ||
            memcmp(o->peer_sign_pk, c->peer_sign_pk, 32) != 0)
            continue;
        ci = c->initiator ? own : c->peer_sign_pk;
        oi = o->initiator ? own : o->peer_sign_pk;
        /* Dialed by the same side (both ends see that alike): the older stays. */
        if (c->initiator == o->initiator || memcmp(ci, oi, 32) > 0)
            return true; /* the new one goes */
        NODE_LOG(NODE_LOG_DEBUG, "net", "peer=%s: a second connection replaces this one",
                 o->name);
        node_conn_bye(o, PROTO_BYE_DUPLICATE);
        return false;
    }
    return false;
}

static int open_transport(struct node_conn *c)
{
    int rc = proto_noise_hs_split(c->hs, &c->tx, &c->rx);

    if (rc < 0)
        return rc;
    proto_noise_hs_free(c->hs);
    c->hs = NULL;
    c->state = CONN_OPEN;
    c->rx_msgs = 0; /* counted from here on, in step with the peer's sending side */
    uv_timer_stop(&c->timer);
    uv_timer_start(&c->timer, on_timer, NODE_IDLE_MS, NODE_IDLE_MS);
    if (c->peer) {
        memcpy(c->peer->sign_pk, c->peer_sign_pk, 32);
        c->peer->has_key = true;
    }
    if (!c->guest && duplicate(c)) {
        NODE_LOG(NODE_LOG_DEBUG, "net", "peer=%s already connected: closing the second link",
                 c->name);
        node_conn_bye(c, PROTO_BYE_DUPLICATE);
        return 0;
    }
    NODE_LOG(NODE_LOG_INFO, "net", "peer=%s connected (%s%s)", c->name,
             c->initiator ? "dialed" : "accepted", c->guest ? ", guest with an invite" : "");
    if (c->guest)
        node_sync_guest_open(c);
    else
        node_sync_open(c);
    return 0;
}

static int hs_frame(struct node_conn *c, const uint8_t *p, size_t n)
{
    uint8_t out[PROTO_WIRE_FRAME_MAX], payload[PROTO_WIRE_FRAME_MAX];
    struct proto_buf hello;
    size_t olen, plen;
    int rc;

    if (!c->initiator && proto_noise_hs_can_write(c->hs) == false && !c->rx_msgs) {
        /* The first frame: the gate, then Noise message 1. Check the gate before any DH. */
        if (n < PROTO_WIRE_GATE_LEN + 32 ||
            proto_wire_gate_verify(c->node->netkey, c->node->prologue, p + PROTO_WIRE_GATE_LEN, p) <
                0) {
            NODE_LOG(NODE_LOG_DEBUG, "net", "peer=%s failed the gate: closing silently", c->name);
            return ERR_BADFRAME;
        }
        c->rx_msgs = 1;
        p += PROTO_WIRE_GATE_LEN;
        n -= PROTO_WIRE_GATE_LEN;
    }
    rc = proto_noise_hs_read(c->hs, p, n, payload, sizeof payload, &plen);
    if (rc < 0)
        return rc;
    if (proto_noise_hs_done(c->hs)) {
        /* Responder after message 3. */
        rc = check_peer(c, payload, plen);
        return rc < 0 ? rc : open_transport(c);
    }
    proto_buf_init(&hello);
    rc = hello_payload(c, &hello);
    if (rc == 0)
        rc = proto_noise_hs_write(c->hs, hello.data, hello.len, out, sizeof out, &olen);
    proto_buf_release(&hello);
    if (rc < 0)
        return rc;
    if (c->initiator) {
        /* Initiator after message 2 (its payload is the responder's hello). */
        rc = check_peer(c, payload, plen);
        if (rc < 0)
            return rc;
        rc = send_frame(c, out, olen);
        return rc < 0 ? rc : open_transport(c);
    }
    return send_frame(c, out, olen);
}

static int transport_frame(struct node_conn *c, const uint8_t *p, size_t n)
{
    uint8_t plain[PROTO_WIRE_FRAME_MAX];
    size_t plen;
    int rc;

    rc = proto_noise_cs_decrypt(&c->rx, NULL, 0, p, n, plain, sizeof plain, &plen);
    if (rc < 0)
        return rc; /* forged or out of order: the stream cannot be trusted any further */
    if (++c->rx_msgs % PROTO_WIRE_REKEY_EVERY == 0)
        proto_noise_cs_rekey(&c->rx);
    return node_sync_message(c, plain, plen);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    struct node_conn *c = h->data;

    (void)suggested;
    *buf = uv_buf_init((char *)c->rbuf + c->rlen, (unsigned)(sizeof c->rbuf - c->rlen));
}

/* Processes the complete frames buffered in c->rbuf; stops early while the peer's verify
 * queue is full. */
static void drain(struct node_conn *c)
{
    size_t off = 0;

    while (!c->closing && c->nverify < NODE_VERIFY_MAX && c->rlen - off >= 2) {
        size_t len = (size_t)c->rbuf[off] << 8 | c->rbuf[off + 1];
        int rc;

        if (len == 0) {
            node_conn_close(c, ERR_BADFRAME);
            return;
        }
        if (c->rlen - off < 2 + len)
            break;
        rc = c->state == CONN_HS ? hs_frame(c, c->rbuf + off + 2, len)
                                 : transport_frame(c, c->rbuf + off + 2, len);
        off += 2 + len;
        if (rc < 0) {
            node_conn_close(c, rc);
            return;
        }
    }
    memmove(c->rbuf, c->rbuf + off, c->rlen - off);
    c->rlen -= off;
    /* The store is behind this peer: stop reading until its batch is committed. */
    if (c->nverify >= NODE_VERIFY_MAX && !c->closing)
        uv_read_stop((uv_stream_t *)&c->tcp);
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    struct node_conn *c = s->data;

    (void)buf; /* points into c->rbuf, see on_alloc */
    if (nread == 0)
        return;
    if (nread < 0) {
        node_conn_close(c, nread == UV_EOF ? 0 : (int)nread);
        return;
    }
    c->rlen += (size_t)nread;
    c->last_rx_ms = c->node->now_ms(c->node);
    drain(c);
}

void node_conn_resume(struct node_conn *c)
{
    if (c->closing)
        return;
    drain(c);
    if (!c->closing && c->nverify < NODE_VERIFY_MAX)
        uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
}

static void on_timer(uv_timer_t *t)
{
    struct node_conn *c = t->data;
    struct node *n = c->node;
    struct proto_buf b;

    if (c->state == CONN_HS) {
        NODE_LOG(NODE_LOG_INFO, "net", "peer=%s handshake timed out", c->name);
        node_conn_close(c, -ETIMEDOUT);
        return;
    }
    if (n->now_ms(n) - c->last_rx_ms > 2 * NODE_IDLE_MS) {
        node_conn_close(c, -ETIMEDOUT);
        return;
    }
    if (c->guest && (uint64_t)time(NULL) >= c->guest_expires) {
        NODE_LOG(NODE_LOG_INFO, "net", "peer=%s: its invite has expired", c->name);
        node_conn_bye(c, PROTO_BYE_REVOKED);
        return;
    }
    proto_buf_init(&b);
    if (proto_msg_ping(&b) == 0)
        (void)node_conn_send(c, &b);
    proto_buf_release(&b);
}

static struct node_conn *conn_new(struct node *n, bool initiator)
{
    struct node_conn *c = calloc(1, sizeof *c);

    if (!c)
        return NULL;
    c->node = n;
    c->initiator = initiator;
    c->state = CONN_HS;
    uv_tcp_init(n->loop, &c->tcp);
    uv_timer_init(n->loop, &c->timer);
    c->tcp.data = c;
    c->timer.data = c;
    c->nhandles = 2;
    c->last_rx_ms = n->now_ms(n);
    c->next = n->conns;
    n->conns = c;
    uv_timer_start(&c->timer, on_timer, NODE_HANDSHAKE_MS, NODE_IDLE_MS);
    return c;
}

static int hs_start(struct node_conn *c)
{
    return proto_noise_hs_new(&c->hs, PROTO_NOISE_XXPSK3, c->initiator, c->node->prologue,
                              sizeof c->node->prologue, c->node->keys->box_sk, c->node->netkey);
}

/* Accepted connections are bounded, in all and per address, and so are handshakes in progress
 * per address: a host that opens connections without end gets them closed at once. */
static const char *accept_limit(struct node *n, const struct node_conn *nc)
{
    unsigned in = 0, same = 0, hs = 0;

    for (struct node_conn *c = n->conns; c; c = c->next) {
        if (c == nc || c->closing || c->initiator)
            continue;
        in++;
        if (strcmp(c->remote_ip, nc->remote_ip) == 0) {
            same++;
            hs += c->state == CONN_HS;
        }
    }
    if (in >= NODE_INBOUND_MAX)
        return "too many connections";
    if (same >= NODE_INBOUND_PER_IP)
        return "too many connections from one address";
    if (hs >= NODE_HS_PER_IP)
        return "too many handshakes from one address";
    return NULL;
}

int node_conn_accept(struct node *n, uv_stream_t *server)
{
    struct node_conn *c = conn_new(n, false);
    struct sockaddr_storage ss;
    int sslen = sizeof ss, rc;
    const char *why;

    if (!c)
        return -ENOMEM;
    rc = uv_accept(server, (uv_stream_t *)&c->tcp);
    if (rc == 0 && uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&ss, &sslen) == 0 &&
        ss.ss_family == AF_INET) {
        uv_ip4_name((struct sockaddr_in *)&ss, c->remote_ip, sizeof c->remote_ip);
        snprintf(c->name, sizeof c->name, "%s:%d", c->remote_ip,
                 ntohs(((struct sockaddr_in *)&ss)->sin_port));
    }
    if (rc == 0 && (why = accept_limit(n, c)) != NULL) {
        NODE_LOG(NODE_LOG_WARN, "net", "peer=%s refused at once: %s", c->name, why);
        node_conn_close(c, 0);
        return 0;
    }
    if (rc == 0)
        rc = hs_start(c);
    if (rc == 0)
        rc = uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
    if (rc < 0)
        node_conn_close(c, rc);
    return rc;
}

static void on_connect(uv_connect_t *req, int status)
{
    struct node_conn *c = req->data;
    uint8_t msg1[PROTO_WIRE_FRAME_MAX];
    uint8_t frame[PROTO_WIRE_FRAME_MAX];
    size_t mlen;
    int rc;

    free(req);
    if (c->closing)
        return;
    if (status < 0) {
        NODE_LOG(NODE_LOG_DEBUG, "net", "peer=%s connect failed (err=%s)", c->name,
                 uv_err_name(status));
        node_conn_close(c, status);
        return;
    }
    rc = proto_noise_hs_write(c->hs, NULL, 0, msg1, sizeof msg1 - PROTO_WIRE_GATE_LEN, &mlen);
    if (rc == 0) {
        proto_wire_gate(c->node->netkey, c->node->prologue, msg1, frame);
        memcpy(frame + PROTO_WIRE_GATE_LEN, msg1, mlen);
        rc = send_frame(c, frame, PROTO_WIRE_GATE_LEN + mlen);
    }
    if (rc == 0)
        rc = uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
    if (rc < 0)
        node_conn_close(c, rc);
}

int node_conn_dial(struct node *n, struct node_peer *p)
{
    struct node_conn *c;
    uv_connect_t *req;
    struct sockaddr_in sa;
    int rc;

    rc = uv_ip4_addr(p->host, p->port, &sa);
    if (rc < 0)
        return rc;
    c = conn_new(n, true);
    req = malloc(sizeof *req);
    if (!c || !req) {
        free(req);
        if (c)
            node_conn_close(c, -ENOMEM);
        return -ENOMEM;
    }
    c->peer = p;
    p->conn = c;
    snprintf(c->name, sizeof c->name, "%s:%d", p->host, p->port);
    snprintf(c->remote_ip, sizeof c->remote_ip, "%s", p->host);
    req->data = c;
    rc = hs_start(c);
    if (rc == 0)
        rc = uv_tcp_connect(req, &c->tcp, (const struct sockaddr *)&sa, on_connect);
    if (rc < 0) {
        free(req);
        node_conn_close(c, rc);
        return rc;
    }
    return 0;
}
