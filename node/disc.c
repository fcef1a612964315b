/*
 * LAN discovery: UDP beacons that only holders of the ledger's network key can read (format in
 * proto/beacon.h), so that the devices of one koperasi on one hall's Wi-Fi find each other with
 * no internet. One UDP socket, bound to 0.0.0.0:PORT with SO_REUSEADDR so that every node on a
 * machine hears the broadcasts, and with SO_BROADCAST so that it can send them: a beacon at
 * start and then every NODE_DISC_INTERVAL_MS +-20 % (when we listen for peers), and every beacon
 * heard becomes a peer address (the datagram's source IPv4 address, the beacon's port). Nothing
 * here is fatal once the address parses: a port that cannot be bound turns discovery off, a send
 * that fails is retried next interval, and whatever does not open is dropped with a debug line.
 */
#include "node/node.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/beacon.h"
#include "proto/err.h"

/* At most this many "ignored" debug lines per window: a flood of junk must not flood the log. */
#define DISC_LOG_WINDOW_MS 1000
#define DISC_LOG_BURST     4
#define DISC_STR_(x)       #x
#define DISC_STR(x)        DISC_STR_(x)

struct disc {
    struct node *node;
    uv_udp_t udp;
    uv_timer_t timer;
    int nhandles;
    uint8_t *key; /* the beacon key K, in proto_secure_alloc memory */
    struct sockaddr_in dest;
    char dest_name[80];
    bool send_failing; /* the last send failed (warned about once) */
    uint64_t log_window_ms;
    unsigned log_lines, log_dropped;
    /* One byte more than a beacon may have, so that a longer datagram is seen as too long. */
    uint8_t rbuf[PROTO_BEACON_MAX + 1];
};

/* The beacon's time is wall-clock time, unlike the loop's clock (n->now_ms). */
static uint64_t disc_wall_s(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_REALTIME, &ts) != 0 || ts.tv_sec < 0)
        return 0;
    return (uint64_t)ts.tv_sec;
}

/* NODE_DISC_INTERVAL_MS +-20 %, so that nodes started together do not beacon in step. */
static uint64_t disc_interval(void)
{
    uint32_t r;

    proto_random(&r, sizeof r);
    return NODE_DISC_INTERVAL_MS - NODE_DISC_INTERVAL_MS / 5 +
           r % (2 * (NODE_DISC_INTERVAL_MS / 5) + 1);
}

/* "A.B.C.D:PORT", port 1..65535. */
static int disc_parse(const char *s, struct sockaddr_in *sa, int *port)
{
    const char *colon = strrchr(s, ':');
    char host[64], *end;
    long p;

    if (!colon || colon == s || (size_t)(colon - s) >= sizeof host || colon[1] < '0' ||
        colon[1] > '9')
        return -EINVAL;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    p = strtol(colon + 1, &end, 10);
    if (*end || p < 1 || p > 65535 || uv_ip4_addr(host, (int)p, sa) != 0)
        return -EINVAL;
    *port = (int)p;
    return 0;
}

/* A datagram that is not a beacon for us: one debug line, rate-limited. */
static void disc_ignored(struct disc *d, const char *ip, int port, const char *why)
{
    uint64_t now = d->node->now_ms(d->node);

    if (now - d->log_window_ms >= DISC_LOG_WINDOW_MS) {
        if (d->log_dropped > 0)
            NODE_LOG(NODE_LOG_DEBUG, "disc", "%u more datagrams ignored", d->log_dropped);
        d->log_window_ms = now;
        d->log_lines = 0;
        d->log_dropped = 0;
    }
    if (d->log_lines < DISC_LOG_BURST) {
        d->log_lines++;
        NODE_LOG(NODE_LOG_DEBUG, "disc", "datagram from %s:%d ignored: %s", ip, port, why);
    } else {
        d->log_dropped++;
    }
}

static void disc_send(struct disc *d)
{
    struct node *n = d->node;
    struct proto_beacon b;
    uint8_t dgram[PROTO_BEACON_MAX];
    size_t len;
    uv_buf_t buf;
    int rc;

    b.port = (uint16_t)n->listen_port;
    memcpy(b.sign_pk, n->keys->sign_pk, sizeof b.sign_pk);
    b.time = disc_wall_s();
    rc = proto_beacon_seal(d->key, &b, dgram, &len);
    if (rc < 0) {
        NODE_LOG(NODE_LOG_WARN, "disc", "cannot seal a beacon: %s", err_str(rc));
        return;
    }
    buf = uv_buf_init((char *)dgram, (unsigned)len);
    /* A datagram goes out whole or not at all; one that cannot leave now waits for the next
     * interval rather than sit in a queue. */
    rc = uv_udp_try_send(&d->udp, &buf, 1, (const struct sockaddr *)&d->dest);
    if (rc < 0) {
        if (!d->send_failing)
            NODE_LOG(NODE_LOG_WARN, "disc", "cannot send a beacon to %s (err=%s): retrying",
                     d->dest_name, uv_err_name(rc));
        else
            NODE_LOG(NODE_LOG_DEBUG, "disc", "beacon to %s not sent (err=%s)", d->dest_name,
                     uv_err_name(rc));
        d->send_failing = true;
        return;
    }
    if (d->send_failing)
        NODE_LOG(NODE_LOG_INFO, "disc", "beacons to %s go out again", d->dest_name);
    d->send_failing = false;
    NODE_LOG(NODE_LOG_DEBUG, "disc", "beacon sent to %s (%zu bytes)", d->dest_name, len);
}

static void on_timer(uv_timer_t *t)
{
    struct disc *d = t->data;

    if (d->node->stopping)
        return;
    disc_send(d);
    uv_timer_start(&d->timer, on_timer, disc_interval(), 0);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    struct disc *d = h->data;

    (void)suggested;
    *buf = uv_buf_init((char *)d->rbuf, sizeof d->rbuf);
}

static void on_recv(uv_udp_t *h, ssize_t nread, const uv_buf_t *buf, const struct sockaddr *addr,
                    unsigned flags)
{
    struct disc *d = h->data;
    struct node *n = d->node;
    struct proto_beacon b;
    uint64_t now;
    char ip[64], dev[17], why[96];
    int port, rc;

    (void)buf; /* d->rbuf, see on_alloc */
    if (nread == 0 && !addr)
        return; /* nothing more to read */
    if (nread < 0) {
        NODE_LOG(NODE_LOG_DEBUG, "disc", "receive failed (err=%s)", uv_err_name((int)nread));
        return;
    }
    if (!addr || addr->sa_family != AF_INET || n->stopping)
        return;
    if (uv_ip4_name((const struct sockaddr_in *)addr, ip, sizeof ip) != 0)
        return;
    port = ntohs(((const struct sockaddr_in *)addr)->sin_port);
    rc = (flags & UV_UDP_PARTIAL) ? ERR_TOOBIG
                                  : proto_beacon_open(d->key, d->rbuf, (size_t)nread, &b);
    if (rc < 0) {
        disc_ignored(d, ip, port, err_str(rc));
        return;
    }
    if (memcmp(b.sign_pk, n->keys->sign_pk, sizeof b.sign_pk) == 0)
        return; /* our own, looped back */
    now = disc_wall_s();
    if (!proto_beacon_fresh(&b, now)) {
        /* A device whose clock is wrong, or a beacon replayed long after it was sent. */
        proto_hex(b.sign_pk, 4, dev);
        snprintf(why, sizeof why, "the clock of device %s is %s by %llu s", dev,
                 b.time > now ? "ahead" : "behind",
                 (unsigned long long)(b.time > now ? b.time - now : now - b.time));
        disc_ignored(d, ip, port, why);
        return;
    }
    (void)node_peer_learn(n, ip, b.port, b.sign_pk, NODE_PEER_LAN);
}

static void on_close(uv_handle_t *h)
{
    struct disc *d = h->data;

    if (--d->nhandles == 0) {
        proto_secure_free(d->key); /* wipes K */
        free(d);
    }
}

int node_disc_start(struct node *n)
{
    static const char def[] = NODE_DISC_ADDR ":" DISC_STR(NODE_DISC_PORT);
    const char *dest = n->cfg.discovery ? n->cfg.discovery : def;
    struct sockaddr_in any;
    struct disc *d;
    int port, rc;

    if (n->cfg.no_discovery) {
        NODE_LOG(NODE_LOG_INFO, "disc", "LAN discovery off");
        return 0;
    }
    d = calloc(1, sizeof *d);
    if (!d)
        return -ENOMEM;
    if (disc_parse(dest, &d->dest, &port) < 0) {
        NODE_LOG(NODE_LOG_ERROR, "disc", "invalid discovery address '%s' (use ADDR:PORT)", dest);
        free(d);
        return -EINVAL;
    }
    d->key = proto_secure_alloc(32);
    if (!d->key) {
        free(d);
        return -ENOMEM;
    }
    proto_beacon_key(n->netkey, n->ledger, d->key);
    snprintf(d->dest_name, sizeof d->dest_name, "%s", dest);
    d->node = n;
    uv_udp_init(n->loop, &d->udp);
    uv_timer_init(n->loop, &d->timer);
    d->udp.data = d;
    d->timer.data = d;
    d->nhandles = 2;
    n->disc = d;

    /* SO_REUSEADDR: every node on this machine binds the port and hears every broadcast. */
    rc = uv_ip4_addr("0.0.0.0", port, &any);
    if (rc == 0)
        rc = uv_udp_bind(&d->udp, (const struct sockaddr *)&any, UV_UDP_REUSEADDR);
    if (rc == 0)
        rc = uv_udp_set_broadcast(&d->udp, 1);
    if (rc == 0)
        rc = uv_udp_recv_start(&d->udp, on_alloc, on_recv);
    if (rc < 0) {
        NODE_LOG(NODE_LOG_WARN, "disc",
                 "cannot use UDP port %d (err=%s): running without LAN discovery", port,
                 uv_err_name(rc));
        node_disc_stop(n);
        return 0;
    }
    if (n->listen_port == 0) {
        NODE_LOG(NODE_LOG_INFO, "disc",
                 "LAN discovery: hearing beacons on UDP port %d (not listening: none sent)", port);
        return 0;
    }
    NODE_LOG(NODE_LOG_INFO, "disc",
             "LAN discovery: beacons to %s every ~%d s, heard on UDP port %d", d->dest_name,
             NODE_DISC_INTERVAL_MS / 1000, port);
    disc_send(d);
    uv_timer_start(&d->timer, on_timer, disc_interval(), 0);
    return 0;
}

void node_disc_stop(struct node *n)
{
    struct disc *d = n->disc;

    if (!d)
        return;
    n->disc = NULL; /* d frees itself in the last close callback */
    uv_close((uv_handle_t *)&d->udp, on_close);
    uv_close((uv_handle_t *)&d->timer, on_close);
}
