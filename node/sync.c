/*
 * Replication. On a new connection both sides send their frontier (author -> applied length and
 * last id); each then streams what the other lacks, whole feeds in seq order, in ENTRIES
 * messages with at most NODE_WINDOW unacknowledged, governance feeds (pengurus, pengawas) and
 * fork evidence first. Received entries are parsed and verified on libuv's thread pool, while
 * reading from that peer pauses; the batch then commits in one durable transaction, and only
 * then is it acknowledged and pushed on to the peers whose known frontier lacks it, so that an
 * entry crosses each link about once.
 */
#include "node/node.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "proto/err.h"

#define PENALTY_MALFORMED 50
#define PENALTY_INVALID   25

/* ---- a peer's known frontier ---- */

static size_t fr_pos(const struct node_frontier *f, const uint8_t a[32], bool *found)
{
    size_t lo = 0, hi = f->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(f->rows[mid].author, a, 32);

        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

static struct proto_frontier_row *fr_get(struct node_frontier *f, const uint8_t a[32])
{
    bool found;
    size_t i = fr_pos(f, a, &found);

    return found ? &f->rows[i] : NULL;
}

static uint64_t fr_len(const struct node_frontier *f, const uint8_t a[32])
{
    bool found;
    size_t i = fr_pos(f, a, &found);

    return found ? f->rows[i].length : 0;
}

/* Raises what the peer is known to hold for an author (never lowers the length). told: the
 * time, when the peer's own frontier says so (0 otherwise). */
static int fr_raise(struct node_frontier *f, const uint8_t a[32], uint64_t length,
                    const uint8_t *last_id, uint64_t told)
{
    bool found;
    size_t i = fr_pos(f, a, &found);

    if (found) {
        /* The id is what the peer holds at that length when it is given (its frontier, an
         * entry from it); unknown (zero) when the length rose by what we sent. */
        if (length > f->rows[i].length) {
            f->rows[i].length = length;
            if (last_id)
                memcpy(f->rows[i].last_id, last_id, 32);
            else
                memset(f->rows[i].last_id, 0, 32);
        } else if (length == f->rows[i].length && last_id) {
            memcpy(f->rows[i].last_id, last_id, 32);
        }
        if (told)
            f->told[i] = told;
        return 0;
    }
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 16;
        struct proto_frontier_row *r = realloc(f->rows, cap * sizeof *r);
        uint64_t *t;

        if (!r)
            return -ENOMEM;
        f->rows = r;
        t = realloc(f->told, cap * sizeof *t);
        if (!t)
            return -ENOMEM;
        f->told = t;
        f->cap = cap;
    }
    memmove(&f->rows[i + 1], &f->rows[i], (f->n - i) * sizeof *f->rows);
    memmove(&f->told[i + 1], &f->told[i], (f->n - i) * sizeof *f->told);
    memcpy(f->rows[i].author, a, 32);
    f->rows[i].length = length;
    if (last_id)
        memcpy(f->rows[i].last_id, last_id, 32);
    else
        memset(f->rows[i].last_id, 0, 32);
    f->told[i] = told;
    f->n++;
    return 0;
}

/* When the peer last said it advanced this feed (0: never). */
static uint64_t fr_told(const struct node_frontier *f, const uint8_t a[32])
{
    bool found;
    size_t i = fr_pos(f, a, &found);

    return found ? f->told[i] : 0;
}

static void vq_free(struct node_conn *c);

void node_sync_release(struct node_conn *c)
{
    vq_free(c);
    free(c->tell);
    c->tell = NULL;
    c->ntell = 0;
    free(c->known.rows);
    c->known.rows = NULL;
    free(c->known.told);
    c->known.told = NULL;
    c->known.n = c->known.cap = 0;
    free(c->wants);
    c->wants = NULL;
    c->nwants = c->capwants = 0;
}

/* ---- sending ---- */

static int send_msg(struct node_conn *c, struct proto_buf *b)
{
    int rc = node_conn_send(c, b);

    proto_buf_reset(b);
    return rc;
}

struct frontier_out {
    struct node_conn *c;
    struct proto_frontier_row rows[PROTO_WIRE_FRONTIER_CHUNK];
    uint32_t n;
    struct proto_buf b;
    int rc;
};

static int frontier_row(const struct store_feed *f, void *arg)
{
    struct frontier_out *o = arg;

    if (f->length == 0)
        return 0;
    memcpy(o->rows[o->n].author, f->author, 32);
    o->rows[o->n].length = f->length;
    memcpy(o->rows[o->n].last_id, f->last_id, 32);
    if (++o->n == PROTO_WIRE_FRONTIER_CHUNK) {
        if ((o->rc = proto_msg_frontier(&o->b, o->rows, o->n, false)) < 0 ||
            (o->rc = send_msg(o->c, &o->b)) < 0)
            return o->rc;
        o->n = 0;
    }
    return 0;
}

/* Fork evidence goes out first: every entry stored at a forked (author, seq). */
struct fork_out {
    struct node_conn *c;
    struct proto_buf raw, b;
    struct proto_msg_builder mb;
    bool open;
    int rc;
};

static int fork_row(const struct store_fork *f, void *arg)
{
    struct fork_out *o = arg;

    for (uint32_t i = 0; i < f->nids; i++) {
        proto_buf_reset(&o->raw);
        if (store_entry_get(o->c->node->st, f->ids[i], &o->raw) < 0)
            continue;
        if (o->open && !proto_msg_entries_room(&o->mb, o->raw.len)) {
            if ((o->rc = proto_msg_entries_end(&o->mb)) < 0 || (o->rc = send_msg(o->c, &o->b)) < 0)
                return o->rc;
            o->c->inflight++;
            o->open = false;
        }
        if (!o->open) {
            if ((o->rc = proto_msg_entries_begin(&o->mb, &o->b)) < 0)
                return o->rc;
            o->open = true;
        }
        if ((o->rc = proto_msg_entries_add(&o->mb, o->raw.data, o->raw.len)) < 0)
            return o->rc;
    }
    return 0;
}

static void send_join(struct node_conn *c);
static void send_addrs(struct node_conn *c);

void node_sync_open(struct node_conn *c)
{
    struct frontier_out *o = calloc(1, sizeof *o);
    struct fork_out fo;
    int rc;

    if (!o) {
        node_conn_close(c, -ENOMEM);
        return;
    }
    o->c = c;
    proto_buf_init(&o->b);
    rc = store_each_feed(c->node->st, frontier_row, o);
    if (rc == 0 && o->rc == 0)
        rc = proto_msg_frontier(&o->b, o->rows, o->n, true);
    if (rc == 0)
        rc = send_msg(c, &o->b);
    proto_buf_release(&o->b);
    free(o);
    if (rc < 0) {
        node_conn_close(c, rc);
        return;
    }
    memset(&fo, 0, sizeof fo);
    fo.c = c;
    proto_buf_init(&fo.raw);
    proto_buf_init(&fo.b);
    rc = store_each_fork(c->node->st, fork_row, &fo);
    if (rc == 0 && fo.open && (rc = proto_msg_entries_end(&fo.mb)) == 0) {
        rc = send_msg(c, &fo.b);
        c->inflight++;
    }
    proto_buf_release(&fo.raw);
    proto_buf_release(&fo.b);
    if (rc < 0) {
        node_conn_close(c, rc);
        return;
    }
    if (c->node->joining)
        send_join(c);
    else
        send_addrs(c);
}

struct range_out {
    struct proto_msg_builder mb;
    uint64_t next;     /* the seq after the last one added */
    uint64_t evidence; /* a seq whose every stored entry goes, applied or not (0: none) */
    bool full;
    int rc;
};

static int range_row(const struct store_row *row, void *arg)
{
    struct range_out *o = arg;

    /* Fork evidence: the entries at the forked seq, every branch (a fork may have been
     * recorded here meanwhile, and then they are no longer applied). */
    if (!row->applied && row->seq != o->evidence)
        return 1; /* beyond the applied frontier: the peer would freeze it too */
    if (!proto_msg_entries_room(&o->mb, row->len)) {
        o->full = true;
        return 1;
    }
    o->rc = proto_msg_entries_add(&o->mb, row->raw, row->len);
    if (o->rc < 0)
        return o->rc;
    o->next = row->seq + 1;
    return 0;
}

void node_sync_pump(struct node_conn *c)
{
    struct proto_buf b;

    if (c->closing || c->state != CONN_OPEN || !c->frontier_in)
        return;
    proto_buf_init(&b);
    if (c->window < NODE_WINDOW_START)
        c->window = NODE_WINDOW_START;
    /* Like TCP's slow start: a peer that gets the same feeds from elsewhere prunes this link
     * before much has gone out twice. */
    while (c->nwants > 0 && c->inflight < c->window && c->tx_bytes < NODE_TX_HIGH) {
        struct node_want *w = &c->wants[0];
        struct range_out o;
        uint64_t have = fr_len(&c->known, w->author);
        int rc;

        /* The peer may have got part of it elsewhere meanwhile (a frontier update told us). */
        if (!w->evidence && have >= w->from)
            w->from = have + 1;
        if (w->from > w->to) {
            memmove(&c->wants[0], &c->wants[1], (c->nwants - 1) * sizeof *c->wants);
            c->nwants--;
            continue;
        }
        memset(&o, 0, sizeof o);
        o.next = w->from;
        o.evidence = w->evidence ? w->from : 0;
        w->evidence = false;
        rc = proto_msg_entries_begin(&o.mb, &b);
        if (rc == 0)
            rc = store_feed_range(c->node->st, w->author, w->from, w->to, range_row, &o);
        if (rc == 0)
            rc = o.rc;
        if (rc < 0) {
            NODE_LOG(NODE_LOG_ERROR, "sync", "peer=%s cannot read the store: %s", c->name,
                     err_str(rc));
            node_conn_close(c, rc);
            break;
        }
        if (o.mb.n > 0) {
            if ((rc = proto_msg_entries_end(&o.mb)) < 0 || (rc = send_msg(c, &b)) < 0) {
                node_conn_close(c, rc);
                break;
            }
            c->inflight++;
            (void)fr_raise(&c->known, w->author, o.next - 1, NULL, 0);
        }
        proto_buf_reset(&b);
        if (!o.full || o.next > w->to) {
            /* This feed is done (or holds no more applied entries). */
            memmove(&c->wants[0], &c->wants[1], (c->nwants - 1) * sizeof *c->wants);
            c->nwants--;
        } else {
            w->from = o.next;
        }
    }
    proto_buf_release(&b);
}

/* After the peer's frontier: queue every feed it lacks, governance feeds first. */
struct want_ctx {
    struct node_conn *c;
    int rc;
};

struct id_at {
    uint8_t id[32];
    bool found;
};

static int id_row(const struct store_row *row, void *arg)
{
    struct id_at *a = arg;

    if (!row->applied)
        return 0;
    memcpy(a->id, row->id, 32);
    a->found = true;
    return 1;
}

/*
 * Whether the peer's last entry of a feed (seq have, id in its frontier row) differs from ours
 * at that seq: the feed forked and each side holds one branch. Our entry there then goes to the
 * peer as evidence, once (the row is set to our id so that it is not sent again).
 */
static bool diverges(struct node_conn *c, const struct store_feed *f, uint64_t have)
{
    static const uint8_t zero[32];
    struct proto_frontier_row *r = fr_get(&c->known, f->author);
    struct id_at a = {.found = false};

    if (!r || have == 0 || have > f->length || memcmp(r->last_id, zero, 32) == 0)
        return false;
    if (have == f->length) {
        memcpy(a.id, f->last_id, 32);
        a.found = true;
    } else if (store_feed_range(c->node->st, f->author, have, have, id_row, &a) < 0) {
        return false;
    }
    if (!a.found || memcmp(a.id, r->last_id, 32) == 0)
        return false;
    NODE_LOG(NODE_LOG_WARN, "sync", "peer=%s holds another entry at seq %llu of a feed: "
             "sending ours as fork evidence", c->name, (unsigned long long)have);
    memcpy(r->last_id, a.id, 32);
    return true;
}

static int want_row(const struct store_feed *f, void *arg)
{
    struct want_ctx *w = arg;
    struct node_conn *c = w->c;
    uint64_t have = fr_len(&c->known, f->author);
    struct store_device d;
    struct node_want nw;
    bool gov, evidence = diverges(c, f, have);

    if (f->length <= have && !evidence)
        return 0;
    for (size_t i = 0; i < c->nwants; i++)
        if (memcmp(c->wants[i].author, f->author, 32) == 0) {
            if (evidence && have < c->wants[i].from) {
                c->wants[i].from = have;
                c->wants[i].evidence = true;
            }
            if (f->length > c->wants[i].to)
                c->wants[i].to = f->length; /* the feed grew: stream on to its new end */
            return 0;
        }
    if (c->nwants == c->capwants) {
        size_t cap = c->capwants ? c->capwants * 2 : 16;
        struct node_want *p = realloc(c->wants, cap * sizeof *p);

        if (!p)
            return w->rc = -ENOMEM;
        c->wants = p;
        c->capwants = cap;
    }
    memcpy(nw.author, f->author, 32);
    nw.from = evidence ? have : have + 1;
    nw.to = f->length;
    nw.evidence = evidence;
    gov = store_device_get(c->node->st, f->author, &d) == 0 &&
          (d.dev.role == PROTO_ROLE_PENGURUS || d.dev.role == PROTO_ROLE_PENGAWAS);
    if (gov) {
        /* The genesis author's feed leads (a peer with an empty store needs the genesis
         * before anything else), then the other governance feeds. */
        size_t at = c->nwants > 0 && c->node->has_genesis_author &&
                            memcmp(c->wants[0].author, c->node->genesis_author, 32) == 0 &&
                            memcmp(f->author, c->node->genesis_author, 32) != 0
                        ? 1
                        : 0;

        memmove(&c->wants[at + 1], &c->wants[at], (c->nwants - at) * sizeof *c->wants);
        c->wants[at] = nw;
    } else {
        c->wants[c->nwants] = nw;
    }
    c->nwants++;
    return 0;
}

/* ---- receiving ---- */

/* One ENTRIES message from a peer: copied out of the frame, parsed and verified on the thread
 * pool, then committed together with the messages that finished before it. */
struct vwork {
    uv_work_t req;
    struct vwork *next;
    struct node_conn *c;
    bool done;
    int status;
    size_t n;
    uint8_t *arena;
    size_t *off, *len;
    struct proto_entry *e;
    int *rc;
};

static void vwork_free(struct vwork *w)
{
    free(w->arena);
    free(w->off);
    free(w->len);
    free(w->e);
    free(w->rc);
    free(w);
}

static void on_verify(uv_work_t *req)
{
    struct vwork *w = req->data;

    for (size_t i = 0; i < w->n; i++) {
        w->rc[i] = proto_entry_parse(w->arena + w->off[i], w->len[i], &w->e[i]);
        if (w->rc[i] == 0)
            w->rc[i] = proto_entry_verify(&w->e[i]);
    }
}

static const char *result_reason(int r)
{
    switch (r) {
    case ERR_LEDGER:
        return "entry of another ledger";
    case ERR_BADSIG:
        return "entry with a bad signature";
    case ERR_GENESIS:
        return "invalid genesis";
    case ERR_BODY:
        return "entry body does not match its kind";
    default:
        return "invalid entry";
    }
}

/* Frees the queue (the connection is going away and no job runs any more). */
static void vq_free(struct node_conn *c)
{
    while (c->vq_head) {
        struct vwork *w = c->vq_head;

        c->vq_head = w->next;
        vwork_free(w);
    }
    c->vq_tail = NULL;
    c->nverify = 0;
}

/*
 * Makes the link lazy (sending PRUNE) or eager again (GRAFT); both ends then treat it alike.
 */
static void set_link(struct node_conn *c, bool lazy)
{
    struct node *n = c->node;
    struct proto_buf b;

    if (n->joining)
        return; /* our links are guest sessions, where only a join request may go */

    proto_buf_init(&b);
    if ((lazy ? proto_msg_prune(&b) : proto_msg_graft(&b)) == 0 && node_conn_send(c, &b) == 0) {
        c->lazy = lazy;
        c->lazy_since = n->now_ms(n);
        c->lazy_due = 0;
        NODE_LOG(NODE_LOG_DEBUG, "sync", "peer=%s link made %s", c->name,
                 lazy ? "lazy (PRUNE)" : "eager (GRAFT)");
    }
    proto_buf_release(&b);
}

/*
 * Commits, in one durable transaction, every verified message at the head of the queue (in
 * arrival order: a later message of a feed builds on an earlier one), acknowledges them, and
 * pushes what was new on to the other peers.
 */
static void commit_ready(struct node_conn *c)
{
    struct node *n = c->node;
    struct store_item *items = NULL;
    const struct proto_entry **fresh = NULL;
    bool *force = NULL;
    struct store_ingest_stats stats = {0};
    struct vwork *w, *group = c->vq_head, *stop;
    struct proto_buf b;
    size_t total = 0, m = 0, nfresh = 0, bad = 0, nmsg = 0, dup = 0;
    uint8_t tmp_id[32];
    bool roster = false, genesis = false;
    int rc = 0, firstbad = 0;

    for (w = group; w && w->done; w = w->next) {
        total += w->n;
        nmsg++;
        if (w->status < 0)
            rc = w->status;
    }
    stop = w;
    /* One durable commit costs a disk sync whatever its size: while later messages are still
     * verifying, wait until the done ones make a batch worth it. */
    if (nmsg == 0 || (stop && total < NODE_COMMIT_MIN && rc == 0))
        return;
    if (rc < 0)
        goto out;
    items = calloc(total, sizeof *items);
    fresh = calloc(total, sizeof *fresh);
    force = calloc(total, sizeof *force);
    if (!items || !fresh || !force) {
        rc = -ENOMEM;
        goto out;
    }
    for (w = group; w != stop; w = w->next)
        for (size_t i = 0; i < w->n; i++) {
            if (w->rc[i] < 0) {
                bad++;
                firstbad = firstbad ? firstbad : w->rc[i];
                continue;
            }
            /* Before our genesis: no other ledger's genesis may found this store. */
            if (!n->has_ledger && w->e[i].kind == PROTO_KIND_GENESIS &&
                memcmp(w->e[i].id, n->ledger, 32) != 0)
                continue;
            items[m++].e = &w->e[i];
        }
    if (!n->has_ledger) {
        /* An empty store (a device that joined by invite): the genesis goes in first, alone,
         * so that the entries after it in this batch are checked against it. */
        for (size_t i = 0; i < m; i++) {
            if (memcmp(items[i].e->id, n->ledger, 32) != 0)
                continue;
            if (i != 0) {
                struct store_item t = items[0];

                items[0] = items[i];
                items[i] = t;
            }
            rc = store_ingest(n->st, items, 1, NULL, &stats);
            if (rc == 0 && store_ledger_id(n->st, tmp_id) == 0) {
                n->has_ledger = true;
                memcpy(n->genesis_author, items[0].e->author, 32);
                n->has_genesis_author = true;
                genesis = true;
                NODE_LOG(NODE_LOG_INFO, "node", "genesis received from peer=%s", c->name);
            }
            break;
        }
    }
    if (rc == 0 && m > (genesis ? 1u : 0u))
        rc = store_ingest(n->st, items + genesis, m - genesis, NULL, &stats);
    if (rc < 0) {
        NODE_LOG(NODE_LOG_ERROR, "store", "commit failed: %s", err_str(rc));
        goto out;
    }
    for (size_t i = 0; i < m; i++) {
        const struct proto_entry *e = items[i].e;
        int r = items[i].result;

        roster |= r == STORE_NEW && (e->kind == PROTO_KIND_ADMIT || e->kind == PROTO_KIND_REVOKE);
        dup += r == STORE_HAD;
        if (r == STORE_NEW || r == STORE_HAD || r == STORE_FORK || r == STORE_BEYOND_FORK ||
            r == STORE_PENDING_GAP || r == STORE_PENDING_AUTHOR)
            (void)fr_raise(&c->known, e->author, e->seq, e->id, 0);
        if (r == STORE_NEW || r == STORE_FORK) {
            force[nfresh] = r == STORE_FORK; /* evidence travels ahead of anything else */
            fresh[nfresh++] = e;
        } else if (r < 0 && r != ERR_PENDING_FULL && r != ERR_NOLEDGER) {
            /* (A full pending area or a missing ledger is our state, not the peer's fault.) */
            bad++;
            firstbad = firstbad ? firstbad : r;
        }
    }
    n->rx_entries += total;
    n->rx_new += nfresh;
    c->rx_dup += dup;
    c->rx_fresh += nfresh;
    /* Acknowledged only after the commit above. */
    proto_buf_init(&b);
    if (proto_msg_ack(&b, nmsg) == 0)
        (void)node_conn_send(c, &b);
    proto_buf_release(&b);
    if (nfresh)
        NODE_LOG(NODE_LOG_DEBUG, "sync", "peer=%s +%zu entries", c->name, nfresh);
    node_sync_gossip(n, fresh, force, nfresh, c);
    node_restore_check(n); /* catch-up may have brought this device's own entries back */
    if (stats.from_pending)
        node_sync_refresh(n); /* released entries are not in fresh: let catch-up carry them */
    if (roster || stats.rebuilt || genesis)
        node_roster_changed(n);
    if (bad)
        node_conn_fault(c, firstbad, result_reason(firstbad),
                        PENALTY_INVALID * (int)(bad > 4 ? 4 : bad));
    if (!c->closing && c->state == CONN_OPEN && !c->guest) {
        /* Only copies of what we hold: this link is redundant for new entries (PRUNE). Something
         * new over a lazy link: the tree missed us, make the link eager again (GRAFT). */
        bool prune = nfresh == 0 && dup > 0 && !c->lazy;
        /* (Not for entries the peer pushed before it learnt of the prune: they cross it.) */
        bool graft = nfresh > 0 && c->lazy && n->now_ms(n) - c->lazy_since > NODE_LAZY_MS / 2;

        if (prune || graft)
            set_link(c, prune);
    }
    if (!c->closing && c->rx_dup >= NODE_DUP_MIN && c->rx_dup > 8 * c->rx_fresh)
        node_conn_fault(c, ERR_BADFRAME, "a flood of entries this node already holds",
                        NODE_PENALTY_MAX);
out:
    free(items);
    free(fresh);
    free(force);
    while (c->vq_head != stop) {
        w = c->vq_head;
        c->vq_head = w->next;
        c->nverify--;
        vwork_free(w);
    }
    if (!c->vq_head)
        c->vq_tail = NULL;
    if (rc < 0)
        node_conn_close(c, rc);
}

/* Whether every entry of a verified message is already stored here (the tip of each feed is
 * at or past it): then the peer sends what another peer brought first. */
static bool all_held(struct node_conn *c, const struct vwork *w)
{
    struct proto_buf b;
    bool any = false, held = true;

    proto_buf_init(&b);
    for (size_t i = 0; held && i < w->n; i++) {
        if (w->rc[i] < 0)
            continue;
        /* Entries of one feed come in seq order, each chained to the one before: if the last
         * of a run is stored, so are the others (fork evidence is a run of its own). */
        if (i + 1 < w->n && w->rc[i + 1] == 0 &&
            memcmp(w->e[i + 1].author, w->e[i].author, 32) == 0 &&
            w->e[i + 1].seq == w->e[i].seq + 1)
            continue;
        proto_buf_reset(&b);
        held = store_entry_get(c->node->st, w->e[i].id, &b) == 0;
        any = true;
    }
    proto_buf_release(&b);
    return any && held;
}

static void on_verified(uv_work_t *req, int status)
{
    struct vwork *w = req->data;
    struct node_conn *c = w->c;

    w->done = true;
    w->status = status;
    /* Prune as soon as a message turns out to hold nothing new, not only at its commit: a
     * peer streaming the same feeds as another stops before much more crosses twice. */
    if (status == 0 && !c->closing && !c->node->stopping && c->state == CONN_OPEN &&
        !c->guest && !c->node->joining &&
        (!c->lazy || c->node->now_ms(c->node) - c->lazy_since > NODE_TELL_MS) &&
        all_held(c, w))
        set_link(c, true); /* again on a lazy link: its catch-up resumed too early */
    if (!c->closing && !c->node->stopping)
        commit_ready(c);
    if (node_conn_work_end(c))
        node_conn_resume(c);
}

static int receive_entries(struct node_conn *c, const struct proto_msg *m)
{
    struct vwork *w = calloc(1, sizeof *w);
    size_t total = 0, n = m->u.entries.n;
    int rc;

    if (!w)
        return -ENOMEM;
    for (size_t i = 0; i < n; i++)
        total += m->u.entries.len[i];
    w->c = c;
    w->n = n;
    w->arena = malloc(total ? total : 1);
    w->off = calloc(n, sizeof *w->off);
    w->len = calloc(n, sizeof *w->len);
    w->e = calloc(n, sizeof *w->e);
    w->rc = calloc(n, sizeof *w->rc);
    if (!w->arena || !w->off || !w->len || !w->e || !w->rc) {
        vwork_free(w);
        return -ENOMEM;
    }
    total = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(w->arena + total, m->u.entries.p[i], m->u.entries.len[i]);
        w->off[i] = total;
        w->len[i] = m->u.entries.len[i];
        total += w->len[i];
    }
    w->req.data = w;
    rc = uv_queue_work(c->node->loop, &w->req, on_verify, on_verified);
    if (rc < 0) {
        vwork_free(w);
        return rc;
    }
    node_conn_work_begin(c);
    if (c->vq_tail)
        c->vq_tail->next = w;
    else
        c->vq_head = w;
    c->vq_tail = w;
    c->nverify++;
    return 0;
}

/* ---- joining: the guest side (serving an invited device) and the joining side ---- */

struct roster_out {
    struct node_conn *c;
    struct proto_roster_row rows[PROTO_WIRE_ROSTER_CHUNK];
    uint32_t n;
    struct proto_buf b;
    int rc;
};

static int roster_flush(struct roster_out *o, bool final)
{
    if ((o->rc = proto_msg_roster(&o->b, o->rows, o->n, final)) < 0 ||
        (o->rc = send_msg(o->c, &o->b)) < 0)
        return o->rc;
    o->n = 0;
    return 0;
}

static int roster_row(const struct store_device *d, void *arg)
{
    struct roster_out *o = arg;
    struct proto_roster_row *r = &o->rows[o->n];

    memcpy(r->sign_pk, d->dev.sign_pk, 32);
    memcpy(r->box_pk, d->dev.box_pk, 32);
    r->member = d->dev.member;
    r->role = d->dev.role;
    r->revoked = d->revoked;
    if (++o->n == PROTO_WIRE_ROSTER_CHUNK)
        return roster_flush(o, false);
    return 0;
}

void node_sync_guest_open(struct node_conn *c)
{
    struct node *n = c->node;
    struct roster_out *o = calloc(1, sizeof *o);
    struct proto_buf raw;
    struct proto_msg_builder mb;
    int rc;

    if (!o) {
        node_conn_close(c, -ENOMEM);
        return;
    }
    o->c = c;
    proto_buf_init(&o->b);
    proto_buf_init(&raw);
    /* Genesis (its id is the ledger id), then the roster: nothing else goes to a guest. */
    rc = store_entry_get(n->st, n->ledger, &raw);
    if (rc == 0)
        rc = proto_msg_entries_begin(&mb, &o->b);
    if (rc == 0)
        rc = proto_msg_entries_add(&mb, raw.data, raw.len);
    if (rc == 0)
        rc = proto_msg_entries_end(&mb);
    if (rc == 0 && (rc = send_msg(c, &o->b)) == 0)
        c->inflight++;
    if (rc == 0)
        rc = store_each_device(n->st, roster_row, o);
    if (rc == 0)
        rc = o->rc;
    if (rc == 0)
        rc = roster_flush(o, true);
    proto_buf_release(&raw);
    proto_buf_release(&o->b);
    free(o);
    if (rc < 0)
        node_conn_close(c, rc);
}

/* Writes path atomically and durably (a temporary file, fsync, rename). */
static int write_durable(const char *path, const void *p, size_t len, mode_t mode)
{
    char tmp[4400];
    int fd, rc = 0;

    if (strlen(path) > 4300)
        return -ENAMETOOLONG;
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        return -errno;
    if (write(fd, p, len) != (ssize_t)len)
        rc = -EIO;
    if (rc == 0 && fsync(fd) < 0)
        rc = -errno;
    if (close(fd) < 0 && rc == 0)
        rc = -errno;
    if (rc == 0 && rename(tmp, path) < 0)
        rc = -errno;
    if (rc < 0)
        (void)unlink(tmp);
    return rc;
}

/*
 * A guest's join request: signed by the device that completed the handshake, for this ledger.
 * Kept in <data>/joins/<signing key>.join (the raw request, durable before JOINED goes back)
 * for the board to read with 'saksi member requests'. A newer request from the same device
 * replaces the older one.
 */
static int receive_join(struct node_conn *c, const struct proto_msg *m)
{
    struct node *n = c->node;
    struct proto_join j;
    struct proto_buf b;
    char path[4300], hex[65];
    int rc;

    if (c->join_kept) {
        node_conn_fault(c, ERR_RULE, "one join request per connection", NODE_PENALTY_MAX);
        return 0;
    }
    rc = proto_join_parse(m->u.join.p, m->u.join.len, &j);
    if (rc == 0 && (memcmp(j.ledger, n->ledger, 32) != 0 ||
                    memcmp(j.sign_pk, c->peer_sign_pk, 32) != 0 ||
                    memcmp(j.box_pk, c->peer_box_pk, 32) != 0))
        rc = ERR_AUTHORITY;
    if (rc < 0) {
        node_conn_fault(c, rc, "invalid join request", PENALTY_MALFORMED);
        return 0;
    }
    snprintf(path, sizeof path, "%s/joins", n->cfg.data_dir);
    if (mkdir(path, 0700) < 0 && errno != EEXIST)
        rc = -errno;
    proto_hex(j.sign_pk, 32, hex);
    snprintf(path, sizeof path, "%s/joins/%s.join", n->cfg.data_dir, hex);
    if (rc == 0)
        rc = write_durable(path, m->u.join.p, m->u.join.len, 0600);
    if (rc < 0) {
        NODE_LOG(NODE_LOG_ERROR, "node", "cannot keep a join request: %s", err_str(rc));
    } else {
        /* The note is the guest's text: printable ASCII only into our log. */
        for (char *q = j.note; *q; q++)
            if ((unsigned char)*q < 0x20 || (unsigned char)*q >= 0x7f)
                *q = '?';
        c->join_kept = true;
        NODE_LOG(NODE_LOG_INFO, "node", "peer=%s join request kept (member %u, note '%s')",
                 c->name, j.member, j.note);
    }
    proto_buf_init(&b);
    rc = proto_msg_joined(&b, rc < 0 ? (uint32_t)-rc : 0);
    if (rc == 0)
        rc = node_conn_send(c, &b);
    proto_buf_release(&b);
    return rc;
}

/* The roster an inviter showed us while we join: kept in <data>/join-roster for the user. */
static void receive_roster(struct node_conn *c, const struct proto_msg *m)
{
    struct node *n = c->node;
    char path[4300], line[200];
    FILE *f;

    snprintf(path, sizeof path, "%s/join-roster", n->cfg.data_dir);
    if (!c->roster_started) {
        /* A new showing of the roster (a reconnection): it replaces the last one. */
        c->roster_started = true;
        n->roster_seen = 0;
        (void)unlink(path);
    }
    {
        int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

        f = fd >= 0 ? fdopen(fd, "a") : NULL;
        if (!f && fd >= 0)
            close(fd);
    }
    for (uint32_t i = 0; f && i < m->u.roster.n; i++) {
        const struct proto_roster_row *r = &m->u.roster.rows[i];
        char hex[65];

        proto_hex(r->sign_pk, 32, hex);
        snprintf(line, sizeof line, "%u %u %s %s\n", r->member, r->role, hex,
                 r->revoked ? "revoked" : "ok");
        fputs(line, f);
    }
    if (f)
        fclose(f);
    n->roster_seen += m->u.roster.n;
    if (m->u.roster.final)
        NODE_LOG(NODE_LOG_INFO, "node", "peer=%s showed the roster: %u devices", c->name,
                 n->roster_seen);
}

static void send_join(struct node_conn *c)
{
    struct node *n = c->node;
    struct proto_buf b;

    if (!n->joining || !n->join_len || n->join_delivered)
        return;
    proto_buf_init(&b);
    if (proto_msg_join(&b, n->join_req, n->join_len) == 0)
        (void)node_conn_send(c, &b);
    proto_buf_release(&b);
}

/* ---- addresses ---- */

/* Tells a member peer where we listen and where the devices we are connected to listen. */
static void send_addrs(struct node_conn *c)
{
    struct node *n = c->node;
    struct proto_addr_row rows[PROTO_WIRE_ADDRS_MAX];
    struct proto_buf b;
    uint32_t k = 0;

    if (n->listen_port) {
        rows[k].host[0] = '\0';
        rows[k].port = (uint16_t)n->listen_port;
        memcpy(rows[k].sign_pk, n->keys->sign_pk, 32);
        k++;
    }
    for (struct node_conn *o = n->conns; o && k < PROTO_WIRE_ADDRS_MAX; o = o->next) {
        int port = o->peer ? o->peer->port : o->adv_port;

        if (o == c || o->closing || o->state != CONN_OPEN || o->guest || port <= 0 ||
            !o->remote_ip[0] || strlen(o->remote_ip) >= sizeof rows[k].host)
            continue;
        memcpy(rows[k].host, o->remote_ip, strlen(o->remote_ip) + 1);
        rows[k].port = (uint16_t)port;
        memcpy(rows[k].sign_pk, o->peer_sign_pk, 32);
        k++;
    }
    if (k == 0)
        return;
    proto_buf_init(&b);
    if (proto_msg_addrs(&b, rows, k) == 0)
        (void)node_conn_send(c, &b);
    proto_buf_release(&b);
}

static void receive_addrs(struct node_conn *c, const struct proto_msg *m)
{
    struct node *n = c->node;

    for (uint32_t i = 0; i < m->u.addrs.n; i++) {
        const struct proto_addr_row *r = &m->u.addrs.rows[i];
        struct store_device d;

        if (r->host[0] == '\0') {
            /* The sender itself, at the address we see it at. */
            if (memcmp(r->sign_pk, c->peer_sign_pk, 32) != 0) {
                node_conn_fault(c, ERR_BADFRAME, "ADDRS names another device as itself",
                                PENALTY_MALFORMED);
                return;
            }
            c->adv_port = r->port;
            if (c->remote_ip[0])
                (void)node_peer_learn(n, c->remote_ip, r->port, r->sign_pk, NODE_PEER_LEARNED);
            continue;
        }
        /* Only addresses of devices in good standing are worth a dial. */
        if (store_device_get(n->st, r->sign_pk, &d) < 0 || d.revoked)
            continue;
        (void)node_peer_learn(n, r->host, r->port, r->sign_pk, NODE_PEER_LEARNED);
    }
}

/* ---- messages ---- */

/* What a guest may send: a join request, and the plumbing. */
static bool guest_may(uint32_t type)
{
    switch (type) {
    case PROTO_MSG_JOIN:
    case PROTO_MSG_FRONTIER: /* its (empty) frontier: ignored */
    case PROTO_MSG_ACK:
    case PROTO_MSG_ERROR:
    case PROTO_MSG_BYE:
    case PROTO_MSG_PING:
    case PROTO_MSG_PONG:
        return true;
    default:
        return false;
    }
}

int node_sync_message(struct node_conn *c, const uint8_t *p, size_t n)
{
    struct proto_msg *m = malloc(sizeof *m);
    struct proto_buf b;
    int rc;

    if (!m)
        return -ENOMEM;
    rc = proto_msg_decode(p, n, m);
    if (rc == -ENOMEM) {
        free(m);
        return rc; /* our shortage, not the peer's fault */
    }
    if (rc < 0) {
        free(m);
        node_conn_fault(c, rc, "malformed message", PENALTY_MALFORMED);
        return 0;
    }
    if (c->guest && !guest_may(m->type)) {
        free(m);
        node_conn_fault(c, ERR_AUTHORITY, "not admitted yet: only a join request is accepted",
                        NODE_PENALTY_MAX);
        return 0;
    }
    switch (m->type) {
    case PROTO_MSG_FRONTIER:
        if (c->guest)
            break;
        for (uint32_t i = 0; i < m->u.frontier.n && rc == 0; i++) {
            struct store_device d;

            /* This device's own feed counts for restore safety even before the roster here
             * lists it (a backup from before its admission). */
            node_restore_row(c->node, m->u.frontier.rows[i].author,
                             m->u.frontier.rows[i].length);
            /* Only feeds of devices on our roster matter (we send nothing else): rows for
             * any other author are dropped, which bounds this table by the roster's size. */
            if (store_device_get(c->node->st, m->u.frontier.rows[i].author, &d) < 0)
                continue;
            /* A row after the initial frontier is an update: the peer gained entries of that
             * feed just now (it may be getting it from another peer, see lazy_trim). */
            rc = fr_raise(&c->known, m->u.frontier.rows[i].author, m->u.frontier.rows[i].length,
                          m->u.frontier.rows[i].last_id,
                          c->frontier_in ? c->node->now_ms(c->node) : 0);
        }
        if (rc == 0 && m->u.frontier.final && !c->frontier_in) {
            struct want_ctx w = {c, 0};

            c->frontier_in = true;
            node_restore_reported(c->node); /* a restored device learns its own latest seq */
            rc = store_each_feed(c->node->st, want_row, &w);
            if (rc == 0)
                rc = w.rc;
        }
        if (rc == 0)
            node_sync_pump(c); /* an update may have trimmed what is still to send */
        break;
    case PROTO_MSG_ENTRIES:
        rc = receive_entries(c, m);
        break;
    case PROTO_MSG_ACK:
        c->inflight =
            m->u.ack.messages >= c->inflight ? 0 : c->inflight - (unsigned)m->u.ack.messages;
        c->window = m->u.ack.messages >= NODE_WINDOW - c->window
                        ? NODE_WINDOW
                        : c->window + (unsigned)m->u.ack.messages;
        node_sync_pump(c);
        break;
    case PROTO_MSG_ERROR:
        NODE_LOG(NODE_LOG_WARN, "sync", "peer=%s reports error %u: %s", c->name, m->u.error.code,
                 m->u.error.text);
        break;
    case PROTO_MSG_BYE:
        NODE_LOG(NODE_LOG_DEBUG, "net", "peer=%s says goodbye (reason %u)", c->name,
                 m->u.bye.reason);
        node_conn_close(c, 0);
        break;
    case PROTO_MSG_PING:
        proto_buf_init(&b);
        rc = proto_msg_pong(&b);
        if (rc == 0)
            rc = node_conn_send(c, &b);
        proto_buf_release(&b);
        break;
    case PROTO_MSG_ADDRS:
        if (!c->node->joining)
            receive_addrs(c, m);
        break;
    case PROTO_MSG_ROSTER:
        if (c->node->joining)
            receive_roster(c, m);
        break;
    case PROTO_MSG_PRUNE:
        /* Also what catch-up still meant to send: the peer gets it elsewhere. What it still
         * lacks NODE_LAZY_MS from now (by its frontier updates) goes lazily. */
        if (!c->lazy)
            c->lazy_since = c->node->now_ms(c->node);
        c->lazy = true;
        c->window = NODE_WINDOW_START;
        for (size_t i = 0; i < c->nwants;) {
            if (c->wants[i].evidence) { /* fork evidence still goes */
                c->wants[i].to = c->wants[i].from;
                i++;
            } else {
                memmove(&c->wants[i], &c->wants[i + 1],
                        (c->nwants - i - 1) * sizeof *c->wants);
                c->nwants--;
            }
        }
        c->lazy_due = c->node->now_ms(c->node) + NODE_LAZY_MS;
        break;
    case PROTO_MSG_GRAFT:
        if (c->lazy) {
            struct want_ctx w = {c, 0};

            c->lazy = false;
            c->lazy_due = 0;
            if (c->frontier_in && store_each_feed(c->node->st, want_row, &w) == 0 && w.rc == 0)
                node_sync_pump(c);
        }
        break;
    case PROTO_MSG_JOIN:
        if (c->guest)
            rc = receive_join(c, m);
        break; /* from a member: it was admitted meanwhile; nothing to do */
    case PROTO_MSG_JOINED:
        if (c->node->joining && m->u.joined.code == 0 && !c->node->join_delivered) {
            c->node->join_delivered = true;
            NODE_LOG(NODE_LOG_INFO, "node", "join request delivered to peer=%s: waiting for the "
                     "board to admit this device", c->name);
        } else if (m->u.joined.code != 0) {
            NODE_LOG(NODE_LOG_WARN, "node", "peer=%s could not keep the join request (error %u)",
                     c->name, m->u.joined.code);
        }
        break;
    default:
        break;
    }
    free(m);
    return rc;
}

/* ---- gossip ---- */

void node_sync_refresh(struct node *n)
{
    for (struct node_conn *c = n->conns; c; c = c->next) {
        struct want_ctx w = {c, 0};

        if (c->closing || c->state != CONN_OPEN || !c->frontier_in)
            continue;
        if (c->lazy) {
            if (!c->lazy_due)
                c->lazy_due = n->now_ms(n) + NODE_LAZY_MS;
            continue;
        }
        if (store_each_feed(n->st, want_row, &w) < 0 || w.rc < 0)
            continue;
        node_sync_pump(c);
    }
}

/* Remembers a feed to mention in the peer's next frontier update. */
static void tell_later(struct node_conn *c, const uint8_t author[32])
{
    if (c->tell_all)
        return;
    for (size_t i = 0; i < c->ntell; i++)
        if (memcmp(c->tell[i], author, 32) == 0)
            return;
    if (!c->tell && !(c->tell = malloc(NODE_TELL_MAX * sizeof *c->tell))) {
        c->tell_all = true;
        return;
    }
    if (c->ntell == NODE_TELL_MAX) {
        c->tell_all = true;
        c->ntell = 0;
        return;
    }
    memcpy(c->tell[c->ntell++], author, 32);
}

static int tell_row(const struct store_feed *f, void *arg)
{
    struct frontier_out *o = arg;

    if (!o->c->tell_all) {
        size_t i;

        for (i = 0; i < o->c->ntell; i++)
            if (memcmp(o->c->tell[i], f->author, 32) == 0)
                break;
        if (i == o->c->ntell)
            return 0;
    }
    return frontier_row(f, o);
}

/*
 * Leaves out of a lazy link's wants the entries gossiped less than NODE_LAZY_MS ago (the peer
 * may still get them over the tree and say so), and schedules the link again for those.
 */
static void lazy_trim(struct node_conn *c, uint64_t now)
{
    struct node *n = c->node;

    for (size_t i = 0; i < c->nwants; i++) {
        struct node_want *w = &c->wants[i];
        uint64_t told = fr_told(&c->known, w->author);

        /* The peer advanced this feed lately: another peer feeds it (catch-up from two). */
        if (told && told + NODE_LAZY_MS > now && !w->evidence) {
            w->to = w->from - 1;
            if (!c->lazy_due || told + NODE_LAZY_MS < c->lazy_due)
                c->lazy_due = told + NODE_LAZY_MS;
            continue;
        }
        for (size_t k = 0; k < NODE_RECENT && !w->evidence; k++) {
            uint64_t due = n->recent[k].ms + NODE_LAZY_MS;

            if (n->recent[k].ms == 0 || due <= now || n->recent[k].seq < w->from ||
                n->recent[k].seq > w->to || memcmp(n->recent[k].author, w->author, 32) != 0)
                continue;
            w->to = n->recent[k].seq - 1;
            if (!c->lazy_due || due < c->lazy_due)
                c->lazy_due = due;
        }
    }
    for (size_t i = 0; i < c->nwants;) {
        if (c->wants[i].from > c->wants[i].to && !c->wants[i].evidence) {
            memmove(&c->wants[i], &c->wants[i + 1], (c->nwants - i - 1) * sizeof *c->wants);
            c->nwants--;
        } else {
            i++;
        }
    }
}

/*
 * Frontier updates: a peer that holds a feed as far as we do may be streaming it to us still
 * (catch-up from two peers at once): a FRONTIER with final = false tells it what we hold now,
 * and it trims what it still meant to send.
 */
void node_sync_tell(struct node *n)
{
    struct frontier_out *o = NULL;
    uint64_t now = n->now_ms(n);

    /* Lazy links whose wait is over: send what the peer's updates do not show it holding. */
    for (struct node_conn *c = n->conns; c; c = c->next) {
        struct want_ctx w = {c, 0};

        if (!c->lazy_due || now < c->lazy_due || c->closing || c->state != CONN_OPEN ||
            !c->frontier_in)
            continue;
        c->lazy_due = 0;
        if (store_each_feed(n->st, want_row, &w) == 0 && w.rc == 0) {
            lazy_trim(c, now);
            node_sync_pump(c);
        }
    }
    for (struct node_conn *c = n->conns; c; c = c->next) {
        int rc;

        if (c->closing || c->state != CONN_OPEN || c->guest || (!c->ntell && !c->tell_all))
            continue;
        if (!o && !(o = malloc(sizeof *o)))
            return;
        o->c = c;
        o->n = 0;
        o->rc = 0;
        proto_buf_init(&o->b);
        rc = store_each_feed(n->st, tell_row, o);
        if (rc == 0)
            rc = o->rc;
        if (rc == 0 && o->n > 0 && (rc = proto_msg_frontier(&o->b, o->rows, o->n, false)) == 0)
            rc = send_msg(c, &o->b);
        proto_buf_release(&o->b);
        c->ntell = 0;
        c->tell_all = false;
        if (rc < 0)
            node_conn_close(c, rc);
    }
    free(o);
}

void node_sync_gossip(struct node *n, const struct proto_entry *const *e, const bool *force,
                      size_t ne, struct node_conn *from)
{
    struct proto_buf b;

    if (ne == 0)
        return;
    for (size_t i = 0; i < ne; i++) {
        size_t k = n->recent_next++ % NODE_RECENT;

        memcpy(n->recent[k].author, e[i]->author, 32);
        n->recent[k].seq = e[i]->seq;
        n->recent[k].ms = n->now_ms(n);
    }
    proto_buf_init(&b);
    for (struct node_conn *c = n->conns; c; c = c->next) {
        struct proto_msg_builder mb;
        bool open = false;

        if (c == from || c->closing || c->state != CONN_OPEN || !c->frontier_in)
            continue;
        for (size_t i = 0; i < ne; i++) {
            if (!(force && force[i]) && fr_len(&c->known, e[i]->author) >= e[i]->seq) {
                tell_later(c, e[i]->author); /* so that it stops sending us this feed */
                continue;
            }
            if (c->lazy && !(force && force[i])) {
                tell_later(c, e[i]->author); /* so that it need not push it to us later */
                if (!c->lazy_due)
                    c->lazy_due = n->now_ms(n) + NODE_LAZY_MS;
                continue;
            }
            if (open && !proto_msg_entries_room(&mb, e[i]->raw_len)) {
                if (proto_msg_entries_end(&mb) == 0 && send_msg(c, &b) == 0)
                    c->inflight++;
                open = false;
            }
            if (!open) {
                proto_buf_reset(&b);
                if (proto_msg_entries_begin(&mb, &b) < 0)
                    break;
                open = true;
            }
            if (proto_msg_entries_add(&mb, e[i]->raw, e[i]->raw_len) < 0)
                break;
            (void)fr_raise(&c->known, e[i]->author, e[i]->seq, e[i]->id, 0);
        }
        if (open && mb.n > 0 && proto_msg_entries_end(&mb) == 0 && send_msg(c, &b) == 0)
            c->inflight++;
        proto_buf_reset(&b);
    }
    proto_buf_release(&b);
}
