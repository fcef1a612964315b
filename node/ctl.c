/*
 * The control socket: <data>/saksid.sock, mode 0600, one JSON object per line each way. While
 * saksid runs it holds the data directory's write lock, so the saksi CLI submits the entries it
 * signs through here (they then gossip at once) and asks for status and the head.
 *
 *   {"op":"submit","entry":"<hex>"}  -> {"ok":true,"result":"new","id":"<hex>"}
 *     (with "override":true: authored under --i-am-sure-this-is-the-only-copy)
 *   {"op":"status"}                   -> {"ok":true,"ledger_id":...,"head":...,"peers":[...]}
 *   {"op":"peers"}                    -> {"ok":true,"addresses":[{"address","source",...}]}
 *   anything wrong                    -> {"ok":false,"error":"<reason>"}
 */
#include "node/node.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proto/err.h"

#define CTL_LINE_MAX (2 * PROTO_ENTRY_MAX + 256)

struct ctl_client {
    uv_pipe_t pipe;
    struct node *node;
    struct ctl_client *next;
    char buf[CTL_LINE_MAX];
    size_t len;
    bool closing;
};

struct ctl_wreq {
    uv_write_t req;
    char data[];
};

static void on_client_closed(uv_handle_t *h)
{
    struct ctl_client *cl = h->data;

    for (struct ctl_client **pp = (struct ctl_client **)&cl->node->ctl_clients; *pp;
         pp = &(*pp)->next)
        if (*pp == cl) {
            *pp = cl->next;
            break;
        }
    free(cl);
}

static void client_close(struct ctl_client *cl)
{
    if (cl->closing)
        return;
    cl->closing = true;
    uv_close((uv_handle_t *)&cl->pipe, on_client_closed);
}

static void on_ctl_write(uv_write_t *req, int status)
{
    (void)status;
    free(req);
}

static void reply(struct ctl_client *cl, json_t *o)
{
    char *s = json_dumps(o, JSON_COMPACT);
    struct ctl_wreq *w;
    size_t n;
    uv_buf_t b;

    json_decref(o);
    if (!s) {
        client_close(cl);
        return;
    }
    n = strlen(s);
    w = malloc(sizeof *w + n + 1);
    if (!w) {
        free(s);
        client_close(cl);
        return;
    }
    memcpy(w->data, s, n);
    w->data[n] = '\n';
    free(s);
    b = uv_buf_init(w->data, (unsigned)(n + 1));
    if (uv_write(&w->req, (uv_stream_t *)&cl->pipe, &b, 1, on_ctl_write) < 0) {
        free(w);
        client_close(cl);
    }
}

static json_t *fail(const char *why)
{
    return json_pack("{s:b, s:s}", "ok", 0, "error", why);
}

static json_t *hexs(const uint8_t *p, size_t n)
{
    char h[129];

    proto_hex(p, n, h);
    return json_string(h);
}

int node_ingest_local(struct node *n, const uint8_t *raw, size_t len, int *result, uint8_t id[32])
{
    struct proto_entry e;
    struct store_item item;
    uint8_t tip_id[32];
    uint64_t tip;
    int rc;

    *result = 0;
    if ((rc = proto_entry_parse(raw, len, &e)) < 0 || (rc = proto_entry_verify(&e)) < 0)
        return rc;
    /* A local author must extend its own tip exactly: never let a stale client fork the feed. */
    rc = store_feed_tip(n->st, e.author, &tip, tip_id);
    if (rc < 0)
        return rc;
    if (e.seq == tip && memcmp(e.id, tip_id, 32) == 0) {
        *result = STORE_HAD; /* the same entry again, e.g. after a lost reply */
        memcpy(id, e.id, 32);
        return 0;
    }
    if (e.seq != tip + 1 || (tip > 0 && memcmp(e.prev, tip_id, 32) != 0))
        return -ESTALE;
    item.e = &e;
    rc = store_ingest(n->st, &item, 1, NULL, NULL);
    if (rc < 0)
        return rc;
    *result = item.result;
    memcpy(id, e.id, 32);
    if (item.result == STORE_NEW) {
        const struct proto_entry *pe = &e;

        node_sync_gossip(n, &pe, NULL, 1, NULL);
        if (e.kind == PROTO_KIND_ADMIT || e.kind == PROTO_KIND_REVOKE)
            node_roster_changed(n);
    }
    return 0;
}

static json_t *op_submit(struct node *n, json_t *req)
{
    const char *hex = json_string_value(json_object_get(req, "entry"));
    uint8_t *raw, id[32];
    size_t len;
    int rc, result;
    bool override;
    json_t *o;

    if (!hex || strlen(hex) % 2 || strlen(hex) / 2 > PROTO_ENTRY_MAX || !*hex)
        return fail("submit needs \"entry\": the entry bytes in hex");
    len = strlen(hex) / 2;
    raw = malloc(len);
    if (!raw)
        return fail("out of memory");
    if (proto_unhex(hex, raw, len) < 0) {
        free(raw);
        return fail("entry is not valid hex");
    }
    /* Restore safety: a copied or restored data directory authors only under the user's
     * explicit override until peers have shown this device's latest entries. */
    override = json_is_true(json_object_get(req, "override"));
    if (n->restore_wait && !override) {
        free(raw);
        NODE_LOG(NODE_LOG_INFO, "ctl",
                 "submit: refused, waiting to learn this device's latest entries from peers");
        return fail("restore: this data directory was copied or restored; authoring waits until "
                    "peers show this device's latest entries");
    }
    rc = node_ingest_local(n, raw, len, &result, id);
    free(raw);
    if (rc == 0 && result == STORE_NEW && override)
        node_restore_override(n);
    if (rc == -ESTALE)
        return fail("stale: the feed has moved on, sign again from the new tip");
    if (rc < 0)
        return fail(err_str(rc));
    switch (result) {
    case STORE_NEW:
        o = json_pack("{s:b, s:s, s:o}", "ok", 1, "result", "new", "id", hexs(id, 32));
        break;
    case STORE_HAD:
        o = json_pack("{s:b, s:s, s:o}", "ok", 1, "result", "had", "id", hexs(id, 32));
        break;
    case STORE_PENDING_AUTHOR:
        o = fail("the author is not on the roster");
        break;
    default:
        o = fail(result < 0 ? err_str(result) : "entry not applied");
        break;
    }
    NODE_LOG(NODE_LOG_INFO, "ctl", "submit: %s", result == STORE_NEW ? "new entry" : "refused");
    return o;
}

static json_t *op_status(struct node *n)
{
    struct store_head h;
    json_t *peers = json_array(), *o;
    int rc = store_head_get(n->st, &h);

    if (rc < 0) {
        json_decref(peers);
        return fail(err_str(rc));
    }
    for (struct node_conn *c = n->conns; c; c = c->next) {
        json_t *p = json_object();
        uint64_t known = 0;

        for (size_t i = 0; i < c->known.n; i++)
            known += c->known.rows[i].length;
        json_object_set_new(p, "name", json_string(c->name));
        json_object_set_new(p, "state", json_string(c->state == CONN_OPEN ? "open" : "handshake"));
        json_object_set_new(p, "direction", json_string(c->initiator ? "out" : "in"));
        json_object_set_new(p, "known_entries", json_integer((json_int_t)known));
        json_object_set_new(p, "lag",
                            json_integer((json_int_t)(h.applied > known ? h.applied - known : 0)));
        json_array_append_new(peers, p);
    }
    o = json_pack("{s:b, s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:o, s:{s:I, s:I}}", "ok", 1,
                  "ledger_id", hexs(n->ledger, 32), "head", hexs(h.head, 32), "feeds",
                  (json_int_t)h.feeds, "applied", (json_int_t)h.applied, "entries",
                  (json_int_t)h.entries, "pending", (json_int_t)h.pending, "forks",
                  (json_int_t)h.forks, "peers", peers, "received", "entries",
                  (json_int_t)n->rx_entries, "new", (json_int_t)n->rx_new);
    if (o && n->listen_port) {
        char addr[96], host[64] = "127.0.0.1";
        const char *colon = n->cfg.listen ? strrchr(n->cfg.listen, ':') : NULL;

        if (colon && (size_t)(colon - n->cfg.listen) < sizeof host) {
            memcpy(host, n->cfg.listen, (size_t)(colon - n->cfg.listen));
            host[colon - n->cfg.listen] = '\0';
        }
        snprintf(addr, sizeof addr, "%s:%d", host, n->listen_port);
        json_object_set_new(o, "listen", json_string(addr));
    }
    if (o)
        json_object_set_new(
            o, "install",
            json_pack("{s:s, s:s?, s:I, s:I}", "state", n->restore_wait ? "waiting" : "armed",
                      "reason", n->restore_wait ? n->restore_why : NULL, "own_seq_seen",
                      (json_int_t)n->own_seen, "peers_reported", (json_int_t)n->own_reporters));
    if (o && n->invite_len)
        json_object_set_new(o, "joining",
                            json_pack("{s:b, s:b, s:b, s:I}", "admitted", !n->joining,
                                      "genesis", n->has_ledger, "request_delivered",
                                      n->join_delivered, "roster_devices",
                                      (json_int_t)n->roster_seen));
    return o;
}

static json_t *op_peers(struct node *n)
{
    static const char *const sources[] = {"config", "learned", "lan"};
    json_t *list = json_array();
    uint64_t now = n->now_ms(n);

    for (size_t i = 0; i < n->npeers; i++) {
        const struct node_peer *p = &n->peers[i];
        json_t *o = json_object();
        char addr[96];

        snprintf(addr, sizeof addr, "%s:%d", p->host, p->port);
        json_object_set_new(o, "address", json_string(addr));
        json_object_set_new(o, "source", json_string(sources[p->source]));
        json_object_set_new(o, "device", p->has_key ? hexs(p->sign_pk, 32) : json_null());
        json_object_set_new(o, "connected",
                            json_boolean(p->conn && p->conn->state == CONN_OPEN));
        json_object_set_new(o, "self", json_boolean(p->self));
        json_object_set_new(o, "next_dial_ms",
                            json_integer((json_int_t)(p->next_ms > now ? p->next_ms - now : 0)));
        json_array_append_new(list, o);
    }
    return json_pack("{s:b, s:o}", "ok", 1, "addresses", list);
}

static void handle_line(struct ctl_client *cl, const char *line)
{
    json_error_t jerr;
    json_t *req = json_loads(line, 0, &jerr), *resp;
    const char *op;

    if (!req || !json_is_object(req)) {
        json_decref(req);
        reply(cl, fail("request is not a JSON object"));
        return;
    }
    op = json_string_value(json_object_get(req, "op"));
    if (op && strcmp(op, "submit") == 0)
        resp = op_submit(cl->node, req);
    else if (op && strcmp(op, "status") == 0)
        resp = op_status(cl->node);
    else if (op && strcmp(op, "peers") == 0)
        resp = op_peers(cl->node);
    else
        resp = fail("unknown op (submit, status, peers)");
    json_decref(req);
    reply(cl, resp);
}

static void on_ctl_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    struct ctl_client *cl = h->data;

    (void)suggested;
    *buf = uv_buf_init(cl->buf + cl->len, (unsigned)(sizeof cl->buf - cl->len - 1));
}

static void on_ctl_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    struct ctl_client *cl = s->data;
    char *nl;

    (void)buf;
    if (nread == 0)
        return;
    if (nread < 0) {
        client_close(cl);
        return;
    }
    cl->len += (size_t)nread;
    cl->buf[cl->len] = '\0';
    while ((nl = memchr(cl->buf, '\n', cl->len)) != NULL) {
        size_t used = (size_t)(nl - cl->buf) + 1;

        *nl = '\0';
        handle_line(cl, cl->buf);
        memmove(cl->buf, cl->buf + used, cl->len - used);
        cl->len -= used;
        cl->buf[cl->len] = '\0';
    }
    if (cl->len >= sizeof cl->buf - 1) {
        reply(cl, fail("request too long"));
        client_close(cl);
    }
}

static void on_ctl_connection(uv_stream_t *server, int status)
{
    struct node *n = server->data;
    struct ctl_client *cl;

    if (status < 0)
        return;
    cl = calloc(1, sizeof *cl);
    if (!cl)
        return;
    cl->node = n;
    cl->next = n->ctl_clients;
    n->ctl_clients = cl;
    uv_pipe_init(n->loop, &cl->pipe, 0);
    cl->pipe.data = cl;
    if (uv_accept(server, (uv_stream_t *)&cl->pipe) < 0 ||
        uv_read_start((uv_stream_t *)&cl->pipe, on_ctl_alloc, on_ctl_read) < 0)
        client_close(cl);
}

int node_ctl_start(struct node *n)
{
    char path[4200];
    mode_t old;
    int rc;

    snprintf(path, sizeof path, "%s/saksid.sock", n->cfg.data_dir);
    if (strlen(path) >= 100)
        return -ENAMETOOLONG; /* sun_path is 108 bytes */
    (void)unlink(path);       /* a stale socket: we hold the lock, so no other node uses it */
    uv_pipe_init(n->loop, &n->ctl, 0);
    n->ctl.data = n;
    n->ctl_open = true;
    old = umask(0077); /* the socket is created 0600 */
    rc = uv_pipe_bind(&n->ctl, path);
    umask(old);
    if (rc < 0)
        return rc;
    return uv_listen((uv_stream_t *)&n->ctl, 16, on_ctl_connection);
}

void node_ctl_stop(struct node *n)
{
    for (struct ctl_client *cl = n->ctl_clients; cl; cl = cl->next)
        client_close(cl);
}
