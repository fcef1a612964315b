/*
 * The node's lifecycle: the data directory (keys, network key, the write lock, the store), the
 * listener and its ready file, the peers it dials with backoff and jitter, signals, and an
 * orderly shutdown in which every handle is closed so that uv_loop_close() succeeds.
 */
#include "node/node.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "proto/entry.h"
#include "proto/err.h"
#include "store/install.h"

static uint64_t loop_now(struct node *n)
{
    return uv_now(n->loop);
}

static int read_file(const char *path, uint8_t *buf, size_t cap, size_t *len)
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

static int load_keys(struct node *n)
{
    char path[4200], *pass = NULL;
    uint8_t buf[512];
    size_t len = 0, plen = 0;
    int rc;

    snprintf(path, sizeof path, "%s/key", n->cfg.data_dir);
    rc = read_file(path, buf, sizeof buf, &len);
    if (rc < 0) {
        NODE_LOG(NODE_LOG_ERROR, "node", "cannot read %s: %s", path, err_str(rc));
        return rc;
    }
    if (proto_keyfile_is_sealed(buf, len)) {
        uint8_t pbuf[1025];
        size_t pl = 0;

        if (!n->cfg.passphrase_file) {
            proto_memzero(buf, sizeof buf);
            return ERR_NEEDPASS;
        }
        rc = read_file(n->cfg.passphrase_file, pbuf, sizeof pbuf - 1, &pl);
        if (rc < 0) {
            proto_memzero(buf, sizeof buf);
            return rc;
        }
        while (pl > 0 && (pbuf[pl - 1] == '\n' || pbuf[pl - 1] == '\r'))
            pl--;
        pass = proto_secure_alloc(pl + 1);
        if (!pass) {
            proto_memzero(pbuf, sizeof pbuf);
            proto_memzero(buf, sizeof buf);
            return -ENOMEM;
        }
        memcpy(pass, pbuf, pl);
        pass[pl] = '\0';
        plen = pl;
        proto_memzero(pbuf, sizeof pbuf);
    }
    rc = proto_keyfile_decode(buf, len, pass, plen, &n->keys);
    proto_memzero(buf, sizeof buf);
    proto_secure_free(pass);
    return rc;
}

static int load_netkey(struct node *n)
{
    char path[4200];
    size_t len = 0;
    int rc;

    snprintf(path, sizeof path, "%s/network.key", n->cfg.data_dir);
    rc = read_file(path, n->netkey, sizeof n->netkey, &len);
    if (rc == 0 && len != 32)
        rc = ERR_KEYFILE;
    if (rc < 0)
        NODE_LOG(NODE_LOG_ERROR, "node", "cannot read the network key %s: %s", path, err_str(rc));
    return rc;
}

/* The invite and join request that 'saksi join' leaves in the data directory, if any. */
static int load_invite(struct node *n)
{
    char path[4200];
    struct proto_join j;
    int rc;

    snprintf(path, sizeof path, "%s/invite", n->cfg.data_dir);
    rc = read_file(path, n->invite_token, sizeof n->invite_token, &n->invite_len);
    if (rc == -ENOENT) {
        n->invite_len = 0;
        return 0;
    }
    if (rc == 0)
        rc = proto_invite_parse(n->invite_token, n->invite_len, &n->invite);
    if (rc == 0 && (memcmp(n->invite.device_sign_pk, n->keys->sign_pk, 32) != 0 ||
                    memcmp(n->invite.device_box_pk, n->keys->box_pk, 32) != 0))
        rc = ERR_AUTHORITY;
    if (rc < 0) {
        NODE_LOG(NODE_LOG_ERROR, "node", "the invite %s is not usable: %s", path, err_str(rc));
        n->invite_len = 0;
        return rc;
    }
    snprintf(path, sizeof path, "%s/join-request", n->cfg.data_dir);
    rc = read_file(path, n->join_req, sizeof n->join_req, &n->join_len);
    if (rc == -ENOENT) {
        n->join_len = 0;
        return 0;
    }
    if (rc == 0)
        rc = proto_join_parse(n->join_req, n->join_len, &j);
    if (rc == 0 && (memcmp(j.sign_pk, n->keys->sign_pk, 32) != 0 ||
                    memcmp(j.ledger, n->invite.ledger, 32) != 0))
        rc = ERR_AUTHORITY;
    if (rc < 0) {
        NODE_LOG(NODE_LOG_ERROR, "node", "the join request %s is not usable: %s", path,
                 err_str(rc));
        n->join_len = 0;
    }
    return rc;
}

static int take_lock(struct node *n)
{
    return store_lock_take(n->cfg.data_dir, &n->lock_fd);
}

/* Parses "HOST:PORT" (IPv4 literal; port 0..65535). */
static int parse_addr(const char *s, char *host, size_t hsize, int *port)
{
    char h[PROTO_WIRE_HOST_MAX + 1];
    int rc = proto_addr_parse(s, h, port);

    if (rc == 0)
        snprintf(host, hsize, "%s", h);
    return rc;
}

/* Restore safety: the install marker as the node finds it at start (store/install.h). */
static int restore_init(struct node *n)
{
    enum store_install_verdict v;
    int rc = store_install_check(n->cfg.data_dir, n->st, n->keys->sign_pk, &v);

    if (rc < 0) {
        NODE_LOG(NODE_LOG_ERROR, "node", "cannot check the install marker in %s: %s",
                 n->cfg.data_dir, err_str(rc));
        return rc;
    }
    if (v == STORE_INSTALL_OK)
        return 0;
    n->restore_wait = true;
    n->restore_why = store_install_why(v);
    NODE_LOG(NODE_LOG_WARN, "node",
             "restore: this data directory %s: authoring waits until peers show this device's "
             "latest entries (or 'saksi --i-am-sure-this-is-the-only-copy' overrides)",
             n->restore_why);
    return 0;
}

void node_restore_row(struct node *n, const uint8_t author[32], uint64_t length)
{
    if (n->restore_wait && memcmp(author, n->keys->sign_pk, 32) == 0 && length > n->own_seen)
        n->own_seen = length;
}

void node_restore_reported(struct node *n)
{
    if (!n->restore_wait)
        return;
    n->own_reporters++;
    node_restore_check(n);
}

static void restore_rearm(struct node *n, const char *how)
{
    struct store_install m;
    char nonce[9];
    int rc = store_install_arm(n->cfg.data_dir, &m);

    if (rc < 0) {
        NODE_LOG(NODE_LOG_ERROR, "node", "restore: cannot re-arm the install marker: %s",
                 err_str(rc));
        return; /* authoring keeps waiting; the next commit or frontier tries again */
    }
    n->restore_wait = false;
    proto_hex(m.nonce, 4, nonce);
    NODE_LOG(NODE_LOG_INFO, "node", "restore: install marker re-armed (nonce %s...): %s", nonce,
             how);
}

void node_restore_check(struct node *n)
{
    char how[160];
    uint8_t id[32];
    uint64_t tip;
    int rc;

    if (!n->restore_wait || n->own_reporters == 0)
        return;
    rc = store_feed_tip(n->st, n->keys->sign_pk, &tip, id);
    if (rc < 0 || tip < n->own_seen)
        return; /* still catching up (or forked: authoring stays refused anyway) */
    snprintf(how, sizeof how,
             "%u peer(s) showed this device's feed at seq %llu at most, this store holds seq "
             "%llu: authoring allowed",
             n->own_reporters, (unsigned long long)n->own_seen, (unsigned long long)tip);
    restore_rearm(n, how);
}

void node_restore_override(struct node *n)
{
    if (!n->restore_wait)
        return;
    NODE_LOG(NODE_LOG_WARN, "node",
             "restore: --i-am-sure-this-is-the-only-copy given to the CLI: authoring without "
             "having learned this device's latest entries from peers");
    restore_rearm(n, "by the user's explicit override");
}

int node_init(struct node *n, uv_loop_t *loop, const struct node_config *cfg)
{
    char path[4200];
    int rc;

    memset(n, 0, sizeof *n);
    n->loop = loop;
    n->cfg = *cfg;
    n->lock_fd = -1;
    n->now_ms = loop_now;
    loop->data = n;
    if ((rc = proto_crypto_init()) < 0)
        return rc;
    for (size_t i = 0; i < cfg->npeers; i++) {
        struct node_peer *p = &n->peers[n->npeers];

        if (parse_addr(cfg->peers[i], p->host, sizeof p->host, &p->port) < 0 || p->port == 0) {
            NODE_LOG(NODE_LOG_ERROR, "node", "invalid peer address '%s' (use ADDR:PORT)",
                     cfg->peers[i]);
            return -EINVAL;
        }
        p->backoff = NODE_BACKOFF_MIN_MS;
        p->source = NODE_PEER_CONFIG;
        n->npeers++;
    }
    if ((rc = load_keys(n)) < 0) {
        NODE_LOG(NODE_LOG_ERROR, "node", "cannot load the device key: %s", err_str(rc));
        return rc;
    }
    if ((rc = load_netkey(n)) < 0)
        return rc;
    if ((rc = take_lock(n)) < 0) {
        NODE_LOG(NODE_LOG_ERROR, "node", "cannot lock %s: %s", cfg->data_dir, err_str(rc));
        return rc;
    }
    if ((rc = load_invite(n)) < 0)
        return rc;
    /* A device joining with an invite starts from an empty store; genesis comes over the wire. */
    snprintf(path, sizeof path, "%s/store", cfg->data_dir);
    rc = store_open(path, n->invite_len ? STORE_CREATE : 0, &n->st);
    if (rc < 0) {
        NODE_LOG(NODE_LOG_ERROR, "node", "cannot open the store %s: %s", path, err_str(rc));
        return rc;
    }
    rc = store_ledger_id(n->st, n->ledger);
    if (rc == ERR_NOLEDGER && n->invite_len) {
        memcpy(n->ledger, n->invite.ledger, 32); /* genesis comes from the inviter */
    } else if (rc < 0) {
        NODE_LOG(NODE_LOG_ERROR, "node",
                 "no ledger in %s: found one with 'saksi init', join one with 'saksi join', "
                 "or import its genesis",
                 cfg->data_dir);
        return rc;
    } else {
        struct proto_buf g;
        struct proto_entry ge;

        n->has_ledger = true;
        proto_buf_init(&g);
        if (store_entry_get(n->st, n->ledger, &g) == 0 && proto_entry_parse(g.data, g.len, &ge) == 0) {
            memcpy(n->genesis_author, ge.author, 32);
            n->has_genesis_author = true;
        }
        proto_buf_release(&g);
        if (n->invite_len && memcmp(n->ledger, n->invite.ledger, 32) != 0) {
            NODE_LOG(NODE_LOG_WARN, "node", "the invite is for another ledger: ignored");
            n->invite_len = 0;
        }
    }
    if ((rc = restore_init(n)) < 0)
        return rc;
    n->joining = n->invite_len > 0 && !node_device_ok(n, n->keys->sign_pk, n->keys->box_pk, NULL);
    if (n->joining)
        NODE_LOG(NODE_LOG_INFO, "node", "joining with an invite: waiting to be admitted");
    proto_wire_prologue(n->ledger, n->prologue);
    return 0;
}

static void on_signal(uv_signal_t *s, int signum)
{
    struct node *n = s->data;

    NODE_LOG(NODE_LOG_INFO, "node", "signal %d: shutting down", signum);
    node_stop(n, 0);
}

static void on_accept(uv_stream_t *server, int status)
{
    struct node *n = server->data;
    int rc;

    if (status < 0) {
        NODE_LOG(NODE_LOG_WARN, "net", "accept failed (err=%s)", uv_err_name(status));
        return;
    }
    rc = node_conn_accept(n, server);
    if (rc < 0)
        NODE_LOG(NODE_LOG_WARN, "net", "cannot accept a connection (err=%s)", err_str(rc));
}

bool node_device_ok(struct node *n, const uint8_t sign_pk[32], const uint8_t box_pk[32],
                    const char **why)
{
    struct store_device d;
    const char *w = NULL;

    if (store_device_get(n->st, sign_pk, &d) < 0)
        w = "not a device on the roster";
    else if (memcmp(d.dev.box_pk, box_pk, 32) != 0)
        w = "its transport key is not the one on the roster";
    else if (d.revoked)
        w = "its device key is revoked";
    if (!w && node_banned(n, sign_pk))
        w = "backed off after misbehaving";
    if (why)
        *why = w;
    return w == NULL;
}

bool node_banned(struct node *n, const uint8_t sign_pk[32])
{
    uint64_t now = n->now_ms(n);

    for (size_t i = 0; i < NODE_BANS_MAX; i++)
        if (n->bans[i].until_ms > now && memcmp(n->bans[i].sign_pk, sign_pk, 32) == 0)
            return true;
    return false;
}

void node_ban(struct node *n, const uint8_t sign_pk[32])
{
    uint64_t now = n->now_ms(n);
    size_t slot = 0;

    for (size_t i = 0; i < NODE_BANS_MAX; i++) {
        if (memcmp(n->bans[i].sign_pk, sign_pk, 32) == 0) {
            slot = i;
            break;
        }
        if (n->bans[i].until_ms < n->bans[slot].until_ms)
            slot = i; /* the oldest ban makes room */
    }
    if (memcmp(n->bans[slot].sign_pk, sign_pk, 32) != 0) {
        memcpy(n->bans[slot].sign_pk, sign_pk, 32);
        n->bans[slot].length_ms = NODE_BAN_MIN_MS;
    } else {
        n->bans[slot].length_ms *= 2;
        if (n->bans[slot].length_ms > NODE_BACKOFF_MAX_MS)
            n->bans[slot].length_ms = NODE_BACKOFF_MAX_MS;
    }
    n->bans[slot].until_ms = now + n->bans[slot].length_ms;
    NODE_LOG(NODE_LOG_INFO, "net", "device backed off for %llu ms after misbehaving",
             (unsigned long long)n->bans[slot].length_ms);
}

/* Whether a connection's peer is the device that invited us (accepted while joining). */
static bool is_inviter(struct node *n, const struct node_conn *c)
{
    return n->invite_len && memcmp(c->peer_sign_pk, n->invite.inviter_sign_pk, 32) == 0 &&
           memcmp(c->peer_box_pk, n->invite.inviter_box_pk, 32) == 0;
}

void node_roster_changed(struct node *n)
{
    if (n->joining && node_device_ok(n, n->keys->sign_pk, n->keys->box_pk, NULL)) {
        n->joining = false;
        NODE_LOG(NODE_LOG_INFO, "node", "this device is admitted: replicating as a member");
    }
    for (struct node_conn *c = n->conns; c; c = c->next) {
        const char *why;

        if (c->closing || c->state != CONN_OPEN)
            continue;
        if (c->guest) {
            if (node_device_ok(n, c->peer_sign_pk, c->peer_box_pk, NULL)) {
                NODE_LOG(NODE_LOG_INFO, "net", "peer=%s is admitted: reconnecting as a member",
                         c->name);
                node_conn_bye(c, PROTO_BYE_ADMITTED);
            } else if (!node_device_ok(n, c->guest_inviter, c->guest_inviter_box, &why)) {
                NODE_LOG(NODE_LOG_INFO, "net", "peer=%s: the device that invited it is %s",
                         c->name, why);
                node_conn_bye(c, PROTO_BYE_REVOKED);
            }
            continue;
        }
        if (!node_device_ok(n, c->peer_sign_pk, c->peer_box_pk, &why) &&
            !(n->joining && is_inviter(n, c))) {
            NODE_LOG(NODE_LOG_WARN, "net", "peer=%s disconnected: %s", c->name, why);
            node_conn_bye(c, PROTO_BYE_REVOKED);
        }
    }
}

/* An open connection to this device, if any. */
static bool device_connected(struct node *n, const uint8_t sign_pk[32])
{
    for (struct node_conn *c = n->conns; c; c = c->next)
        if (!c->closing && c->state == CONN_OPEN && memcmp(c->peer_sign_pk, sign_pk, 32) == 0)
            return true;
    return false;
}

/* When the table is full, a learned address that is not connected makes room (the one that
 * failed most, by backoff); configured addresses are never evicted. */
static struct node_peer *peer_slot(struct node *n)
{
    struct node_peer *victim = NULL;

    if (n->npeers < NODE_PEERS_MAX)
        return &n->peers[n->npeers++];
    for (size_t i = 0; i < n->npeers; i++) {
        struct node_peer *p = &n->peers[i];

        if (p->source == NODE_PEER_CONFIG || p->conn)
            continue;
        if (!victim || p->self || p->backoff > victim->backoff)
            victim = p;
    }
    return victim;
}

int node_peer_learn(struct node *n, const char *host, int port, const uint8_t *sign_pk,
                    enum node_peer_source source)
{
    struct sockaddr_in sa;
    struct node_peer *p;

    if (n->stopping || port <= 0 || port > 65535 || strlen(host) >= sizeof p->host ||
        uv_ip4_addr(host, port, &sa) != 0)
        return 0;
    if (sign_pk && memcmp(sign_pk, n->keys->sign_pk, 32) == 0)
        return 0; /* ourselves */
    if (source == NODE_PEER_LAN && sign_pk && n->has_ledger && !n->joining) {
        struct store_device d;

        if (store_device_get(n->st, sign_pk, &d) < 0 || d.revoked)
            return 0; /* a beacon of a device not (or no longer) on the roster */
    }
    for (size_t i = 0; i < n->npeers; i++) {
        p = &n->peers[i];
        if (p->port == port && strcmp(p->host, host) == 0) {
            if (sign_pk && !p->has_key && !p->conn) {
                memcpy(p->sign_pk, sign_pk, 32);
                p->has_key = true;
            }
            return 0;
        }
    }
    p = peer_slot(n);
    if (!p)
        return 0;
    memset(p, 0, sizeof *p);
    snprintf(p->host, sizeof p->host, "%s", host);
    p->port = port;
    p->source = source;
    p->backoff = NODE_BACKOFF_MIN_MS;
    p->next_ms = n->now_ms(n);
    if (sign_pk) {
        memcpy(p->sign_pk, sign_pk, 32);
        p->has_key = true;
    }
    NODE_LOG(NODE_LOG_INFO, "net", "learned peer=%s:%d (%s)", host, port,
             source == NODE_PEER_LAN ? "LAN beacon" : "from a peer");
    return 1;
}

/* Dials every known address without a connection whose backoff has passed, except our own and
 * those of devices already connected (through a connection they dialed). */
static void on_tick(uv_timer_t *t)
{
    struct node *n = t->data;
    uint64_t now = n->now_ms(n);
    size_t live = 0;

    if (n->stopping)
        return;
    node_sync_tell(n);
    for (struct node_conn *c = n->conns; c; c = c->next)
        live += !c->closing && !c->guest;
    for (size_t i = 0; i < n->npeers; i++) {
        struct node_peer *p = &n->peers[i];
        int rc;

        if (p->conn || p->self || now < p->next_ms)
            continue;
        if (p->has_key && device_connected(n, p->sign_pk))
            continue;
        /* Configured peers are always dialed; learned ones while few are connected, so that
         * a hall full of devices makes a sparse mesh, not a complete one. */
        if (p->source != NODE_PEER_CONFIG && live >= NODE_CONN_TARGET)
            continue;
        live++;
        rc = node_conn_dial(n, p);
        if (rc < 0) {
            NODE_LOG(NODE_LOG_WARN, "net", "peer=%s:%d dial failed (err=%s)", p->host, p->port,
                     err_str(rc));
            p->next_ms = now + p->backoff;
        }
    }
}

static int write_ready(struct node *n, int port)
{
    char tmp[4200], line[128];
    int fd, len, rc = 0;

    len = snprintf(line, sizeof line, "127.0.0.1:%d\n", port);
    if (n->cfg.listen && strncmp(n->cfg.listen, "127.0.0.1:", 10) != 0) {
        char host[64];
        int p;

        if (parse_addr(n->cfg.listen, host, sizeof host, &p) == 0)
            len = snprintf(line, sizeof line, "%s:%d\n", host, port);
    }
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", n->cfg.ready_file, (long)getpid());
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return -errno;
    if (write(fd, line, (size_t)len) != len)
        rc = -EIO;
    if (close(fd) < 0 && rc == 0)
        rc = -errno;
    if (rc == 0 && rename(tmp, n->cfg.ready_file) < 0)
        rc = -errno;
    if (rc < 0)
        (void)unlink(tmp);
    return rc;
}

int node_start(struct node *n)
{
    int port = 0, rc;

    uv_signal_init(n->loop, &n->sigint);
    uv_signal_init(n->loop, &n->sigterm);
    n->sigint.data = n;
    n->sigterm.data = n;
    uv_signal_start(&n->sigint, on_signal, SIGINT);
    uv_signal_start(&n->sigterm, on_signal, SIGTERM);
    uv_timer_init(n->loop, &n->tick);
    n->tick.data = n;
    uv_timer_start(&n->tick, on_tick, 0, 100);

    if (n->cfg.listen) {
        char host[64];
        struct sockaddr_in sa;
        struct sockaddr_storage ss;
        int sslen = sizeof ss;

        if (parse_addr(n->cfg.listen, host, sizeof host, &port) < 0 ||
            uv_ip4_addr(host, port, &sa) != 0) {
            NODE_LOG(NODE_LOG_ERROR, "net", "invalid listen address '%s'", n->cfg.listen);
            return -EINVAL;
        }
        uv_tcp_init(n->loop, &n->listener);
        n->listener.data = n;
        n->listening = true;
        if ((rc = uv_tcp_bind(&n->listener, (const struct sockaddr *)&sa, 0)) < 0 ||
            (rc = uv_listen((uv_stream_t *)&n->listener, 128, on_accept)) < 0) {
            NODE_LOG(NODE_LOG_ERROR, "net", "cannot listen on %s (err=%s)", n->cfg.listen,
                     uv_err_name(rc));
            return rc;
        }
        uv_tcp_getsockname(&n->listener, (struct sockaddr *)&ss, &sslen);
        port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
        n->listen_port = port;
    }
    if ((rc = node_disc_start(n)) < 0) {
        NODE_LOG(NODE_LOG_ERROR, "disc", "cannot start LAN discovery: %s", err_str(rc));
        return rc;
    }
    if ((rc = node_ctl_start(n)) < 0) {
        NODE_LOG(NODE_LOG_ERROR, "ctl", "cannot open the control socket: %s", err_str(rc));
        return rc;
    }
    if (n->cfg.ready_file && (rc = write_ready(n, port)) < 0) {
        NODE_LOG(NODE_LOG_ERROR, "node", "cannot write the ready file: %s", err_str(rc));
        return rc;
    }
    NODE_LOG(NODE_LOG_INFO, "node", "ready port=%d peers=%zu", port, n->npeers);
    return 0;
}

static void on_closed(uv_handle_t *h)
{
    (void)h;
}

static void close_handle(uv_handle_t *h)
{
    if (h->loop && !uv_is_closing(h))
        uv_close(h, on_closed);
}

void node_stop_done(struct node *n)
{
    close_handle((uv_handle_t *)&n->stop_timer);
}

/* The goodbyes had their chance: whatever is still open is closed now. */
static void on_stop_timer(uv_timer_t *t)
{
    struct node *n = t->data;

    for (struct node_conn *c = n->conns; c; c = c->next)
        node_conn_close(c, 0);
    close_handle((uv_handle_t *)t);
}

void node_stop(struct node *n, int exit_code)
{
    if (n->stopping)
        return;
    n->stopping = true;
    n->exit_code = exit_code;
    /* Open connections get a BYE and a second to flush it; the rest close at once. */
    for (struct node_conn *c = n->conns; c; c = c->next)
        node_conn_bye(c, PROTO_BYE_SHUTDOWN);
    if (n->conns) {
        uv_timer_init(n->loop, &n->stop_timer);
        n->stop_timer.data = n;
        uv_timer_start(&n->stop_timer, on_stop_timer, 1000, 0);
    }
    if (n->listening)
        close_handle((uv_handle_t *)&n->listener);
    node_disc_stop(n);
    if (n->ctl_open) {
        node_ctl_stop(n);
        close_handle((uv_handle_t *)&n->ctl);
    }
    close_handle((uv_handle_t *)&n->sigint);
    close_handle((uv_handle_t *)&n->sigterm);
    /* Closing the watchers restored the default actions: a second signal during the goodbyes
     * must not kill the node before its handles are closed. */
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    close_handle((uv_handle_t *)&n->tick);
}

void node_release(struct node *n)
{
    char path[4200];

    if (n->ctl_open) {
        snprintf(path, sizeof path, "%s/saksid.sock", n->cfg.data_dir);
        (void)unlink(path);
    }
    store_close(n->st);
    n->st = NULL;
    proto_keys_free(n->keys);
    n->keys = NULL;
    proto_memzero(n->netkey, sizeof n->netkey);
    if (n->lock_fd >= 0)
        close(n->lock_fd);
    n->lock_fd = -1;
}
