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
#include "proto/invite.h"
#include "proto/noise.h"
#include "proto/wire.h"
#include "store/store.h"

/* Write-queue watermarks (bytes queued to the kernel) and per-peer limits. */
#define NODE_TX_HIGH        (1u << 20)  /* stop producing catch-up above this */
#define NODE_TX_HARD        (16u << 20) /* disconnect a peer that does not read */
#define NODE_WINDOW         128         /* ENTRIES messages in flight, unacknowledged */
#define NODE_WINDOW_START   4           /* ... at first: the window grows by each ACK */
#define NODE_HANDSHAKE_MS   10000       /* a handshake must finish within this */
#define NODE_IDLE_MS        60000       /* ping this often; close after 2x without traffic */
#define NODE_PENALTY_MAX    100         /* disconnect and back off past this score */
#define NODE_BACKOFF_MIN_MS 200
#define NODE_BACKOFF_MAX_MS 60000
#define NODE_PEERS_MAX      64
#define NODE_VERIFY_MAX     64          /* ENTRIES messages per peer verifying or waiting */
#define NODE_COMMIT_MIN     4096        /* entries per commit while more are verifying */
#define NODE_CONN_TARGET    4    /* learned addresses are dialed while fewer are connected */
#define NODE_INBOUND_MAX    128  /* accepted connections at once; more are closed at once */
#define NODE_INBOUND_PER_IP 32   /* accepted connections at once from one address */
#define NODE_HS_PER_IP      8    /* handshakes in progress at once from one address */
#define NODE_BANS_MAX       64   /* devices backed off after misbehaving */
#define NODE_BAN_MIN_MS     1000
#define NODE_TELL_MAX       32   /* feeds remembered per peer for a frontier update */
#define NODE_TELL_MS        100  /* frontier updates go out at most this often */
#define NODE_LAZY_MS        500  /* a lazy link's push waits this long for the peer's update */
#define NODE_RECENT         256 /* entries remembered with their gossip time */
/* A peer that sends this many entries we already hold, and 8 times more than new ones, is
 * flooding and is disconnected. */
#define NODE_DUP_MIN        65536

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
    uint64_t *told; /* per row: when the peer's own frontier last raised it (0: never) */
    size_t n, cap;
};

/* A range of one feed still to send to a peer. */
struct node_want {
    uint8_t author[32];
    uint64_t from, to;
    bool evidence; /* from is a seq the peer holds another entry at: send it anyway */
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
    bool saying_bye; /* BYE sent, waiting for the write side to shut down */
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
    uint8_t peer_box_pk[32];
    char remote_ip[64]; /* the peer's IPv4 address */
    int adv_port;       /* where the peer says it listens (ADDRS), 0 if unknown */
    /* guest: the peer is not on the roster and came with a valid invite: it gets genesis and
     * the roster and may send a join request, nothing more. */
    bool guest;
    bool join_kept; /* the guest's join request is kept: one per connection */
    uint8_t guest_inviter[32], guest_inviter_box[32]; /* who invited the guest */
    uint64_t guest_expires;                           /* its invite's expiry (unix s) */
    bool roster_started; /* joining: this connection's ROSTER stream has begun */
    int penalty;
    uint64_t rx_dup, rx_fresh; /* entries received that we held already, and new ones */
    /* Feeds the peer is ahead of or level with and we advanced (it need not send them):
     * told in a FRONTIER update at most every NODE_TELL_MS; tell_all when too many. */
    uint8_t (*tell)[32];
    size_t ntell;
    bool tell_all;
    /* Gossip tree (a simplified Plumtree): new entries go at once over eager links only. A node
     * that gets nothing but entries it already holds over a link sends PRUNE, and both ends
     * make that link lazy: each tells the other what it gained in frontier updates, and sends
     * what those updates do not show the other holding only NODE_LAZY_MS later. Something new
     * arriving over a lazy link means the tree missed this node: GRAFT makes the link eager
     * again. The eager links settle into a spanning tree, so an entry reaches each node about
     * once. */
    bool lazy;
    uint64_t lazy_since; /* when the link became lazy */
    uint64_t lazy_due; /* when to send this lazy peer what it still lacks; 0: nothing due */
    /* Replication. */
    struct node_frontier known; /* what the peer holds, as far as we know */
    bool frontier_in;           /* the peer's frontier has arrived (final chunk) */
    struct node_want *wants;
    size_t nwants, capwants;
    unsigned inflight; /* our ENTRIES messages the peer has not acknowledged */
    unsigned window;   /* catch-up messages allowed in flight: starts small, grows by ACKs */
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
    bool log_level_set; /* given on the command line */
    char *strings[NODE_PEERS_MAX + 4]; /* values read from the config file (owned) */
    size_t nstrings;
};

/* The config file (config.c): reads <data>/saksid.conf into cfg, where args (the command
 * line) did not set a value; peers add up. 0 when there is none; ERR_CONFIG (explained on
 * stderr), -errno. node_config_release frees what it read. */
int node_config_file(struct node_config *cfg, const struct node_config *args);
void node_config_release(struct node_config *cfg);
/* "error", "warn", "info", "debug" -> NODE_LOG_*, or -1. */
int node_level_parse(const char *s);

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
    uv_timer_t stop_timer; /* shutdown: closes what the goodbyes left open */
    struct node_conn *conns;
    struct node_peer peers[NODE_PEERS_MAX];
    size_t npeers;
    bool stopping;
    int exit_code;
    /* Entries received from peers since start, and how many of them were new here (the gossip
     * benchmark's copies per entry per node). */
    uint64_t rx_entries, rx_new;
    /* The entries gossiped last, with when: a lazy link's push leaves out those younger than
     * NODE_LAZY_MS (the peer may yet get them over the tree). */
    struct {
        uint8_t author[32];
        uint64_t seq;
        uint64_t ms;
    } recent[NODE_RECENT];
    size_t recent_next;
    /* Joining: this device is not on the roster yet and holds an invite (<data>/invite): it
     * shows the token in its hello, takes genesis and the roster from the inviter, delivers
     * its join request (<data>/join-request) and waits to be admitted. */
    bool joining;
    bool has_ledger; /* the store holds the genesis */
    bool has_genesis_author;
    uint8_t genesis_author[32]; /* its feed goes first in catch-up */
    bool join_delivered;
    uint32_t roster_seen; /* devices in the roster a peer showed while joining */
    size_t invite_len;
    uint8_t invite_token[PROTO_INVITE_TOKEN_MAX];
    struct proto_invite invite;
    size_t join_len;
    uint8_t join_req[PROTO_JOIN_MAX];
    struct {
        uint8_t sign_pk[32];
        uint64_t until_ms;
        uint64_t length_ms; /* doubles with each offence, up to NODE_BACKOFF_MAX_MS */
    } bans[NODE_BANS_MAX];
    /* Restore safety (DESIGN.md "Forks and restore safety", store/install.h): the install
     * marker did not name this install at start (copied or restored data directory), so local
     * authoring waits until peers have shown this device's own feed and this store holds at
     * least as much of it as any of them reported; then the marker is re-armed. */
    bool restore_wait;
    const char *restore_why; /* store_install_why(): what the marker said */
    uint32_t own_reporters;  /* peers whose whole frontier arrived since start */
    uint64_t own_seen;       /* the longest this device's own feed any peer reported */
    uint64_t (*now_ms)(struct node *);
};

/* Lifecycle (node.c). */
int node_init(struct node *n, uv_loop_t *loop, const struct node_config *cfg);
int node_start(struct node *n);
void node_stop(struct node *n, int exit_code);
/* Shutdown: the last connection is gone (the goodbyes' grace timer can stop). */
void node_stop_done(struct node *n);
void node_release(struct node *n);

/* Roster checks (node.c). node_device_ok: the device is on the roster with these keys and not
 * revoked, nor backed off. node_ban: backs a misbehaving device off, for NODE_BAN_MIN_MS at
 * first and twice as long with each further offence, up to NODE_BACKOFF_MAX_MS.
 * node_roster_changed: re-checks every connection after the roster changed (closes revoked
 * peers, and guests that are now admitted so that they reconnect as members). */
bool node_device_ok(struct node *n, const uint8_t sign_pk[32], const uint8_t box_pk[32],
                    const char **why);
bool node_banned(struct node *n, const uint8_t sign_pk[32]);
void node_ban(struct node *n, const uint8_t sign_pk[32]);
void node_roster_changed(struct node *n);

/* Restore safety (node.c). node_restore_row: a peer reported this length of author's feed;
 * node_restore_reported: a peer's whole frontier has arrived; node_restore_check: re-arms the
 * install marker once at least one peer reported and the store holds this device's feed at
 * least as far as every report (after frontiers and after commits); node_restore_override: the
 * CLI authored under --i-am-sure-this-is-the-only-copy, re-arm now. All no-ops unless
 * n->restore_wait. */
void node_restore_row(struct node *n, const uint8_t author[32], uint64_t length);
void node_restore_reported(struct node *n);
void node_restore_check(struct node *n);
void node_restore_override(struct node *n);

/* Learns a peer address (node.c): adds it to the dial table unless known, ours, or the table
 * is full of configured and connected addresses (a learned one that failed most makes room).
 * A LAN address must name a device in good standing once the roster is known. sign_pk may be
 * NULL. Returns 1 when added, 0 when not. (on_tick does not dial devices already connected.) */
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
/* An authenticated goodbye: BYE(reason), then the write side is shut down and the connection
 * closed once the BYE is out (a connection that is not open is just closed). */
void node_conn_bye(struct node_conn *c, uint32_t reason);
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
void node_sync_guest_open(struct node_conn *c); /* a guest: send genesis and the roster */
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
/* Sends the frontier updates due (from the node's tick). */
void node_sync_tell(struct node *n);

/* The control socket (ctl.c). */
int node_ctl_start(struct node *n);
void node_ctl_stop(struct node *n); /* closes every client connection */
/* Ingests one entry submitted locally; rc and the store's verdict. */
int node_ingest_local(struct node *n, const uint8_t *raw, size_t len, int *result, uint8_t id[32]);

#endif
