/*
 * saksid's internals: the node (one libuv loop, the store it is the only writer of, the
 * listener, the peers it dials, the control socket) and its connections. docs/PROTOCOL.md
 * describes what goes over the wire; this header is how the pieces of node/ fit together.
 */
#ifndef SAKSI_NODE_NODE_H
#define SAKSI_NODE_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "proto/buf.h"
#include "proto/crypto.h"
#include "proto/noise.h"
#include "proto/wire.h"
#include "store/store.h"

/* Write-queue watermarks (bytes queued to the kernel) and per-peer limits. */
#define NODE_TX_HIGH        (1u << 20)  /* stop producing catch-up above this */
#define NODE_TX_HARD        (16u << 20) /* disconnect a peer that does not read */
#define NODE_WINDOW         8           /* ENTRIES messages in flight, unacknowledged */
#define NODE_HANDSHAKE_MS   10000       /* a handshake must finish within this */
#define NODE_IDLE_MS        60000       /* ping this often; close after 2x without traffic */
#define NODE_PENALTY_MAX    100         /* disconnect and back off past this score */
#define NODE_BACKOFF_MIN_MS 200
#define NODE_BACKOFF_MAX_MS 60000
#define NODE_PEERS_MAX      64
#define NODE_VERIFY_MAX     8           /* ENTRIES messages per peer verifying or waiting */

enum node_log_level { NODE_LOG_ERROR, NODE_LOG_WARN, NODE_LOG_INFO, NODE_LOG_DEBUG };

struct node;
struct node_conn;
struct vwork;

/* Where the node heard of an address. */
enum node_peer_source {
    NODE_PEER_CONFIG, /* --peer or the config file: always kept */
    NODE_PEER_LEARNED, /* a peer told us (ADDRS) or dialed us and said where it listens */
    NODE_PEER_LAN,     /* a LAN beacon */
};

/* A peer address the node keeps dialing (configured or learned), with its backoff. */
struct node_peer {
    char host[64];
    int port;
    enum node_peer_source source;
    bool has_key;           /* sign_pk below is known (learned with the address) */
    uint8_t sign_pk[32];    /* the device said to listen there */
    bool self;              /* it turned out to be this node: never dialed again */
    uint64_t next_ms;       /* when to dial next */
    uint64_t backoff;       /* current backoff in ms */
    struct node_conn *conn; /* the live connection to it, if any */
};

/* The author -> length map of what a peer is known to hold (sorted by author). */
struct node_frontier {
    struct proto_frontier_row *rows;
    size_t n, cap;
};

/* A range of one feed still to send to a peer. */
struct node_want {
    uint8_t author[32];
    uint64_t from, to;
};

enum node_conn_state {
    CONN_HS,   /* handshake in progress */
    CONN_OPEN, /* transport established */
};

struct node_conn {
    struct node *node;
    struct node_conn *next;
    uv_tcp_t tcp;
    uv_timer_t timer;
    int nhandles;
    bool closing;
    bool initiator;
    struct node_peer *peer; /* the dialed address, for backoff; NULL when accepted */
    enum node_conn_state state;
    struct proto_noise_hs *hs;
    struct proto_noise_cs tx, rx;
    uint64_t tx_msgs, rx_msgs;
    uint8_t rbuf[2 + PROTO_WIRE_FRAME_MAX];
    size_t rlen;
    size_t tx_bytes;
    uint64_t last_rx_ms;
    char name[96]; /* for logs: address, then a key prefix */
    uint8_t peer_sign_pk[32];
    int penalty;
    /* Replication. */
    struct node_frontier known; /* what the peer holds, as far as we know */
    bool frontier_in;           /* the peer's frontier has arrived (final chunk) */
    struct node_want *wants;
    size_t nwants, capwants;
    unsigned inflight; /* our ENTRIES messages the peer has not acknowledged */
    /* ENTRIES messages received and not yet committed, oldest first: they verify in parallel
     * on the thread pool and commit in arrival order; reading pauses at NODE_VERIFY_MAX. */
    struct vwork *vq_head, *vq_tail;
    unsigned nverify;
    unsigned works;    /* thread-pool jobs holding this connection alive */
};

struct node_config {
    const char *data_dir;
    bool no_discovery;       /* no LAN beacons sent or heard */
    const char *discovery;   /* beacon destination "ADDR:PORT"; NULL for the default */
    const char *listen; /* "ADDR:PORT", NULL for none */
    const char *peers[NODE_PEERS_MAX];
    size_t npeers;
    const char *ready_file;
    const char *passphrase_file;
    int log_level;
};

struct node {
    uv_loop_t *loop;
    struct node_config cfg;
    struct store *st;
    struct proto_keys *keys;
    uint8_t netkey[32];
    uint8_t ledger[32];
    uint8_t prologue[PROTO_WIRE_PROLOGUE_LEN];
    int lock_fd;
    uv_tcp_t listener;
    bool listening;
    uv_pipe_t ctl;
    bool ctl_open;
    void *ctl_clients; /* struct ctl_client list, private to ctl.c */
    int listen_port; /* the bound port, 0 when not listening */
    void *disc;      /* LAN discovery state, private to disc.c; NULL when off */
    uv_signal_t sigint, sigterm;
    uv_timer_t tick;
    struct node_conn *conns;
    struct node_peer peers[NODE_PEERS_MAX];
    size_t npeers;
    bool stopping;
    int exit_code;
    /* Entries received from peers since start, and how many of them were new here (the gossip
     * benchmark's copies per entry per node). */
    uint64_t rx_entries, rx_new;
    uint64_t (*now_ms)(struct node *);
};

/* Lifecycle (node.c). */
int node_init(struct node *n, uv_loop_t *loop, const struct node_config *cfg);
int node_start(struct node *n);
void node_stop(struct node *n, int exit_code);
void node_release(struct node *n);

/* Learns a peer address (node.c): adds it to the dial table unless known, full, ours, or the
 * device is already connected. sign_pk may be NULL. Returns 1 when added, 0 when not. */
int node_peer_learn(struct node *n, const char *host, int port, const uint8_t *sign_pk,
                    enum node_peer_source source);

/* LAN discovery (disc.c): UDP beacons readable only with the network key. _start does nothing
 * when cfg.no_discovery is set; _stop closes its handles (part of node_stop). */
#define NODE_DISC_PORT        47321
#define NODE_DISC_ADDR        "255.255.255.255"
#define NODE_DISC_INTERVAL_MS 5000
int node_disc_start(struct node *n);
void node_disc_stop(struct node *n);

/* Logging (log.c): one line per event on stderr, level checked before the arguments. */
extern int node_log_level;
void node_log_write(int level, const char *subsys, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define NODE_LOG(level, subsys, ...)                                                               \
    do {                                                                                           \
        if ((level) <= node_log_level)                                                             \
            node_log_write((level), (subsys), __VA_ARGS__);                                        \
    } while (0)

/* Connections (conn.c). */
int node_conn_accept(struct node *n, uv_stream_t *server);
int node_conn_dial(struct node *n, struct node_peer *p);
/* Sends one message plaintext as a transport frame. */
int node_conn_send(struct node_conn *c, const struct proto_buf *msg);
void node_conn_close(struct node_conn *c, int reason);
/* Resumes reading after this peer's batch was committed (buffered frames first). */
void node_conn_resume(struct node_conn *c);
/* A thread-pool job keeps the connection alive; _end returns false once it is closing (and
 * frees it when it was the last thing holding it). */
void node_conn_work_begin(struct node_conn *c);
bool node_conn_work_end(struct node_conn *c);
/* Sends ERROR (code, text), adds to the peer's penalty and closes if it is past the limit. */
void node_conn_fault(struct node_conn *c, int code, const char *text, int penalty);

/* Replication (sync.c). */
void node_sync_open(struct node_conn *c); /* transport ready: send our frontier */
int node_sync_message(struct node_conn *c, const uint8_t *p, size_t n); /* one plaintext */
void node_sync_pump(struct node_conn *c); /* send more catch-up if the window allows */
void node_sync_release(struct node_conn *c);
/* Entries committed locally (from a peer or the control socket): push to peers that lack them. */
/* Queues catch-up of whatever each peer is known to lack (after entries were applied that no
 * gossip carried, e.g. released from the pending area). */
void node_sync_refresh(struct node *n);
/* force[i] (may be NULL): send e[i] even to peers known to hold its seq (fork evidence). */
void node_sync_gossip(struct node *n, const struct proto_entry *const *e, const bool *force,
                      size_t ne, struct node_conn *from);

/* The control socket (ctl.c). */
int node_ctl_start(struct node *n);
void node_ctl_stop(struct node *n); /* closes every client connection */
/* Ingests one entry submitted locally; rc and the store's verdict. */
int node_ingest_local(struct node *n, const uint8_t *raw, size_t len, int *result, uint8_t id[32]);

#endif
