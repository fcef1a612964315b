/*
 * saksi-bench: the tools behind `make bench` (tests/bench/run.sh drives them).
 *
 *   saksi-bench gen [--devices D] [--keys DIR] N FILE
 *       Writes a deterministic export stream: a genesis (six founders: four pengurus, a kasir
 *       and a pengawas; with --devices, anggota devices after them up to D) and N balanced
 *       journal entries spread round-robin over the five authors allowed to post journals.
 *       The same arguments always give the same bytes, and the genesis does not depend on N.
 *       Feeds are signed in parallel on all cores (a feed's entries are chained, so each feed
 *       is built in order, chunk after chunk, while other threads build other feeds). --keys
 *       writes the network key and every device's key file into DIR, so that saksid can run
 *       as any device of the roster.
 *
 *   saksi-bench verify FILE
 *       Parses and verifies every entry of an export stream on all cores, in import's batches,
 *       and stores nothing: the rate import would reach if storing were free.
 *
 *   saksi-bench limits [--batch B] [--seconds S] [--repeat R] [--dir DIR]
 *       Measures this machine's raw limits: Ed25519 verifications per second on one core and
 *       on all online cores (each the best of R windows, S seconds in all), and LMDB durable
 *       commits of batches of B puts (~250-byte values, random 32-byte keys, default sync) for
 *       S seconds in a temporary environment under DIR.
 *
 *   saksi-bench replicate --saksid EXE --source DIR --sink DIR [--deadline S]
 *       Times the replication of the ledger in data directory SOURCE to SINK (holding only
 *       the genesis), one saksid on each, on loopback; see cmd_replicate.
 *
 *   saksi-bench gossip --saksid EXE --dir DIR --keys KEYS [--nodes N] [--posts K] [--seed S]
 *       Starts N saksid in a sparse random graph, posts K entries one at a time and times each
 *       until every node holds it; counts the copies each node received; see cmd_gossip.
 *
 *   saksi-bench run [--log FILE] -- CMD [ARG...]
 *       Runs CMD, waits for it with wait4() and reports the wall-clock time, the peak RSS
 *       (ru_maxrss) and the peak anonymous RSS (sampled from /proc every 10 ms: the memory the
 *       process allocated itself, without file mappings such as LMDB's map), and how much CPU
 *       the neighbours took meanwhile (other processes on this kernel, and the hypervisor's
 *       steal). Exits with CMD's status.
 *
 * Results are printed as key=value lines on stdout; progress and errors go to stderr. This is
 * test code: it includes sodium.h and lmdb.h directly to measure the primitives themselves, and
 * talks to saksid's control socket (JSON lines) with jansson, as the CLI does.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <lmdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proto/buf.h"
#include "proto/crypto.h"
#include "proto/entry.h"
#include "proto/err.h"
#include "proto/ledger.h"
#include "tests/lib/stream.h"

#define NAUTHORS    5    /* feeds that post journals */
#define NROSTER     6    /* the founders: the authors and one pengawas */
#define DEVICES_MAX 100  /* roster size with --devices (founders, then anggota) */
#define NETKEY_BYTE 0x4e /* the bench's network key: 32 such bytes, public like its keys */
#define CHUNK       2048 /* entries of one feed built as one task */
#define SLOTS       4    /* rounds of chunks in flight (memory stays bounded) */
#define THREADS_MAX 64   /* signing and verifying threads */
#define MAGIC       TSTREAM_MAGIC
#define T0_MS       1735689600000ULL /* 2025-01-01T00:00:00Z, the first business day */
#define YEAR_MS     31536000000ULL

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned cores(void)
{
    long c = sysconf(_SC_NPROCESSORS_ONLN);

    if (c < 1)
        return 1;
    return c > THREADS_MAX ? THREADS_MAX : (unsigned)c;
}

/*
 * Machine-wide CPU seconds from /proc/stat (all CPUs, whatever the PID namespace): busy time
 * (user, nice, system, irq, softirq) and steal (time the hypervisor gave to other guests).
 * Less our own CPU time, busy time shows how much the neighbours ran meanwhile: other
 * containers on the same kernel do not appear in ps, but they do here. 0 if unknown.
 */
struct cpustat {
    double busy;
    double steal;
};

static struct cpustat cpustat_now(void)
{
    struct cpustat c = {0, 0};
    unsigned long long v[8] = {0};
    FILE *f = fopen("/proc/stat", "r");
    long hz = sysconf(_SC_CLK_TCK);
    int n;

    if (!f)
        return c;
    n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4],
               &v[5], &v[6], &v[7]);
    fclose(f);
    if (n == 8 && hz > 0) {
        c.busy = (double)(v[0] + v[1] + v[2] + v[5] + v[6]) / (double)hz;
        c.steal = (double)v[7] / (double)hz;
    }
    return c;
}

/* CPU seconds (user + system) of this process, all threads. */
static double self_cpu_s(void)
{
    struct rusage ru;

    if (getrusage(RUSAGE_SELF, &ru) < 0)
        return 0;
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* splitmix64: a fast deterministic mix, enough for amounts and member numbers. */
#define mix tstream_mix

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;

    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || end == s || *end != '\0' || s[0] == '-')
        return -EINVAL;
    *out = v;
    return 0;
}

/* ---- gen ---- */

/* Day of the year 2025 (0..364) as YYYYMMDD. */
static uint32_t date_of(uint32_t day)
{
    static const uint8_t mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    uint32_t m = 0;

    while (m < 11 && day >= mdays[m])
        day -= mdays[m++];
    return 20250000u + (m + 1) * 100u + day + 1;
}

/*
 * Journal number j (0-based) of n: a realistic, balanced 2- or 3-line entry whose content
 * depends on j alone. Sub-ledger accounts (2100, 3100, 3110) name a member.
 */
static void journal_make(uint64_t j, uint64_t n, struct proto_journal *jn)
{
    uint64_t h = mix(j ^ 0x5a4b5349ULL);
    uint32_t member = (uint32_t)(h % 5000) + 1;
    uint64_t a = ((h >> 16) % 500 + 10) * 1000; /* Rp 10.000 .. Rp 509.000 */
    uint64_t b = ((h >> 32) % 50 + 1) * 1000;
    uint32_t day = (uint32_t)(j * 365 / (n ? n : 1));
    unsigned kind = (unsigned)((h >> 48) % 7);

    memset(jn, 0, offsetof(struct proto_journal, lines));
    jn->date = date_of(day);
    switch (kind) {
    case 0:
        snprintf(jn->memo, sizeof jn->memo, "Setoran simpanan wajib #%05u", member);
        jn->lines[0] = (struct proto_line){1100, 0, a, 0};
        jn->lines[1] = (struct proto_line){3110, member, 0, a};
        jn->nlines = 2;
        break;
    case 1:
        snprintf(jn->memo, sizeof jn->memo, "Setoran simpanan pokok #%05u", member);
        jn->lines[0] = (struct proto_line){1100, 0, 100000, 0};
        jn->lines[1] = (struct proto_line){3100, member, 0, 100000};
        jn->nlines = 2;
        break;
    case 2:
        snprintf(jn->memo, sizeof jn->memo, "Setoran sukarela anggota #%05u", member);
        jn->lines[0] = (struct proto_line){1100, 0, a, 0};
        jn->lines[1] = (struct proto_line){2100, member, 0, a};
        jn->nlines = 2;
        break;
    case 3:
        snprintf(jn->memo, sizeof jn->memo, "Jasa pinjaman bln %02u ang. %05u",
                 (unsigned)(jn->date / 100 % 100), member);
        jn->lines[0] = (struct proto_line){1100, 0, b, 0};
        jn->lines[1] = (struct proto_line){4100, 0, 0, b};
        jn->nlines = 2;
        break;
    case 4:
        snprintf(jn->memo, sizeof jn->memo, "Pembelian ATK kantor, nota %06u",
                 (unsigned)(h % 1000000));
        jn->lines[0] = (struct proto_line){5240, 0, b, 0};
        jn->lines[1] = (struct proto_line){1100, 0, 0, b};
        jn->nlines = 2;
        break;
    case 5:
        snprintf(jn->memo, sizeof jn->memo, "Wajib + sukarela anggota #%05u", member);
        jn->lines[0] = (struct proto_line){1100, 0, a + b, 0};
        jn->lines[1] = (struct proto_line){3110, member, 0, a};
        jn->lines[2] = (struct proto_line){2100, member, 0, b};
        jn->nlines = 3;
        break;
    default: {
        /* A withdrawal of sukarela, only ever backed by the deposit of journal j - 1 (half of
         * it, plus Rp1.000 admin), so that no member's savings go below zero: the books would
         * rightly call that a finding (overdrawn), and the audit is meant to be clean. When
         * journal j - 1 is not a sukarela deposit, an office purchase instead. */
        uint64_t hp = j ? mix((j - 1) ^ 0x5a4b5349ULL) : 0;

        if (j && (hp >> 48) % 7 == 2) {
            uint32_t mp = (uint32_t)(hp % 5000) + 1;
            uint64_t w = ((hp >> 16) % 500 + 10) * 1000 / 2;

            snprintf(jn->memo, sizeof jn->memo, "Tarik sukarela + admin #%05u", mp);
            jn->lines[0] = (struct proto_line){2100, mp, w + 1000, 0};
            jn->lines[1] = (struct proto_line){1100, 0, 0, w};
            jn->lines[2] = (struct proto_line){4100, 0, 0, 1000};
            jn->nlines = 3;
            break;
        }
        snprintf(jn->memo, sizeof jn->memo, "Fotokopi dan materai, nota %06u",
                 (unsigned)(h % 1000000));
        jn->lines[0] = (struct proto_line){5240, 0, b, 0};
        jn->lines[1] = (struct proto_line){1100, 0, 0, b};
        jn->nlines = 2;
        break;
    }
    }
}

struct gfeed {
    struct tstream_feed t; /* key and chain */
    uint64_t count;        /* journals in this feed */
    uint64_t rounds;       /* chunks built so far (the next task of this feed is this round) */
};

struct gslot {
    struct proto_buf rec[NAUTHORS]; /* records (u32be length + entry) of one chunk per feed */
    unsigned done;
};

struct gen {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    uint64_t n;
    uint8_t ledger[32];
    struct gfeed f[NAUTHORS];
    struct gslot s[SLOTS];
    uint64_t rounds;  /* total rounds */
    uint64_t next;    /* next task: round * NAUTHORS + feed */
    uint64_t written; /* rounds written out */
    int err;
};

/* Appends one record holding entry (seq, body) of feed f; updates the feed's chain. */
static int gen_entry(struct gfeed *f, struct proto_buf *out, uint64_t time_ms, uint64_t kind,
                     const uint8_t *ledger, const struct proto_buf *body)
{
    return tstream_record(&f->t, out, ledger, time_ms, kind, body->data, body->len, NULL);
}

/* Builds chunk r of feed fi into out. */
static int gen_chunk(struct gen *g, unsigned fi, uint64_t r, struct proto_buf *out)
{
    struct gfeed *f = &g->f[fi];
    struct proto_journal jn;
    struct proto_buf body;
    uint64_t lo = r * CHUNK, hi = lo + CHUNK < f->count ? lo + CHUNK : f->count;
    int rc = 0;

    proto_buf_init(&body);
    proto_buf_reset(out);
    for (uint64_t i = lo; i < hi && rc == 0; i++) {
        uint64_t j = i * NAUTHORS + fi; /* the journal's number in the stream */

        journal_make(j, g->n, &jn);
        proto_buf_reset(&body);
        rc = proto_journal_encode(&jn, &body);
        if (rc == 0)
            rc = gen_entry(f, out, T0_MS + j * YEAR_MS / (g->n ? g->n : 1), PROTO_KIND_JOURNAL,
                           g->ledger, &body);
    }
    proto_buf_release(&body);
    return rc;
}

static void *gen_worker(void *arg)
{
    struct gen *g = arg;

    pthread_mutex_lock(&g->mu);
    for (;;) {
        uint64_t t, r;
        unsigned fi;
        int rc;

        /* Take the next task once its slot is free; then wait for the feed's previous chunk. */
        while (!g->err && g->next < g->rounds * NAUTHORS &&
               g->next / NAUTHORS >= g->written + SLOTS)
            pthread_cond_wait(&g->cv, &g->mu);
        if (g->err || g->next >= g->rounds * NAUTHORS)
            break;
        t = g->next++;
        r = t / NAUTHORS;
        fi = (unsigned)(t % NAUTHORS);
        while (!g->err && g->f[fi].rounds != r)
            pthread_cond_wait(&g->cv, &g->mu);
        if (g->err)
            break;
        pthread_mutex_unlock(&g->mu);
        rc = gen_chunk(g, fi, r, &g->s[r % SLOTS].rec[fi]);
        pthread_mutex_lock(&g->mu);
        if (rc < 0 && !g->err)
            g->err = rc;
        g->f[fi].rounds++;
        g->s[r % SLOTS].done++;
        pthread_cond_broadcast(&g->cv);
    }
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

static uint32_t get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Writes one round: journal order, that is one record of each feed in turn. */
static int gen_write_round(struct gslot *s, FILE *out)
{
    size_t off[NAUTHORS] = {0};
    bool more = true;

    while (more) {
        more = false;
        for (unsigned fi = 0; fi < NAUTHORS; fi++) {
            struct proto_buf *b = &s->rec[fi];
            size_t len;

            if (off[fi] >= b->len)
                continue;
            len = 4 + get_be32(b->data + off[fi]);
            if (fwrite(b->data + off[fi], 1, len, out) != len)
                return -EIO;
            off[fi] += len;
            more = true;
        }
    }
    return 0;
}

/*
 * The genesis record: chart, roster (six founders, then anggota devices up to ndev), default
 * policy, and the commitment to the bench's network key. Sets g->ledger.
 */
static int gen_genesis(struct gen *g, struct proto_keys *const *keys, unsigned ndev, FILE *out)
{
    static const uint8_t roles[NROSTER] = {PROTO_ROLE_PENGURUS, PROTO_ROLE_PENGURUS,
                                           PROTO_ROLE_PENGURUS, PROTO_ROLE_PENGURUS,
                                           PROTO_ROLE_KASIR,    PROTO_ROLE_PENGAWAS};
    static const uint8_t offices[NROSTER] = {PROTO_OFFICE_KETUA,     PROTO_OFFICE_SEKRETARIS,
                                             PROTO_OFFICE_BENDAHARA, PROTO_OFFICE_NONE,
                                             PROTO_OFFICE_NONE,      PROTO_OFFICE_NONE};
    uint8_t netkey[32];
    struct proto_account acc[6] = {
        {1100, PROTO_ACCT_ASSET, false, "Kas"},
        {2100, PROTO_ACCT_LIABILITY, true, "Simpanan sukarela"},
        {3100, PROTO_ACCT_EQUITY, true, "Simpanan pokok"},
        {3110, PROTO_ACCT_EQUITY, true, "Simpanan wajib"},
        {4100, PROTO_ACCT_REVENUE, false, "Pendapatan jasa pinjaman"},
        {5240, PROTO_ACCT_EXPENSE, false, "Beban alat tulis kantor"},
    };
    struct proto_device roster[DEVICES_MAX];
    struct proto_genesis gen;
    struct proto_buf body, rec;
    int rc;

    memset(&gen, 0, sizeof gen);
    strcpy(gen.name, "Koperasi Simpan Pinjam Bench Sejahtera");
    strcpy(gen.registration, "518/BH/XII/2024");
    strcpy(gen.currency, "IDR");
    gen.naccounts = 6;
    gen.accounts = acc;
    memset(roster, 0, sizeof roster);
    for (unsigned i = 0; i < ndev; i++) {
        roster[i].member = i + 1;
        roster[i].role = i < NROSTER ? roles[i] : PROTO_ROLE_ANGGOTA;
        roster[i].office = i < NROSTER ? offices[i] : PROTO_OFFICE_NONE;
        memcpy(roster[i].sign_pk, keys[i]->sign_pk, 32);
        memcpy(roster[i].box_pk, keys[i]->box_pk, 32);
        proto_card_sign(keys[i], roster[i].card_sig);
    }
    gen.nroster = ndev;
    gen.roster = roster;
    proto_policy_default(&gen.policy);
    memset(netkey, NETKEY_BYTE, sizeof netkey);
    proto_netkey_commit(netkey, gen.netkey_commit);
    proto_buf_init(&body);
    proto_buf_init(&rec);
    rc = proto_genesis_check(&gen);
    if (rc == 0)
        rc = proto_genesis_encode(&gen, &body);
    if (rc == 0)
        rc = gen_entry(&g->f[0], &rec, T0_MS - 86400000ULL, PROTO_KIND_GENESIS, NULL, &body);
    if (rc == 0) {
        memcpy(g->ledger, g->f[0].t.prev, 32);
        if (fwrite(rec.data, 1, rec.len, out) != rec.len)
            rc = -EIO;
    }
    proto_buf_release(&body);
    proto_buf_release(&rec);
    return rc;
}

/*
 * --keys DIR: the network key (network.key) and each roster device's plain key file
 * (device-NN.key, NN = its place on the roster), so that saksid can run as these devices. The
 * keys are fixed and public: bench ledgers only.
 */
static int gen_write_keys(const char *dir, struct proto_keys *const *keys, unsigned ndev)
{
    uint8_t netkey[32];

    memset(netkey, NETKEY_BYTE, sizeof netkey);
    return tstream_keys_dir(dir, netkey, keys, NULL, ndev);
}

static int cmd_gen(int argc, char **argv)
{
    struct proto_keys *keys[DEVICES_MAX] = {NULL};
    pthread_t th[THREADS_MAX];
    unsigned nth = 0, want = cores(), ndev = NROSTER;
    const char *keydir = NULL;
    struct gen *g = NULL;
    FILE *out = NULL;
    double t0 = now_s();
    uint64_t n, shown = 0, v;
    int rc = 0, arg = 2;

    for (; arg + 1 < argc && argv[arg][0] == '-'; arg += 2) {
        if (strcmp(argv[arg], "--devices") == 0 && parse_u64(argv[arg + 1], &v) == 0 &&
            v >= NROSTER && v <= DEVICES_MAX)
            ndev = (unsigned)v;
        else if (strcmp(argv[arg], "--keys") == 0)
            keydir = argv[arg + 1];
        else
            break;
    }
    if (argc != arg + 2 || parse_u64(argv[arg], &n) < 0) {
        fprintf(stderr, "usage: saksi-bench gen [--devices D] [--keys DIR] N FILE\n");
        return 2;
    }
    g = calloc(1, sizeof *g);
    if (!g)
        return 1;
    pthread_mutex_init(&g->mu, NULL);
    pthread_cond_init(&g->cv, NULL);
    g->n = n;
    for (unsigned i = 0; i < SLOTS; i++)
        for (unsigned fi = 0; fi < NAUTHORS; fi++)
            proto_buf_init(&g->s[i].rec[fi]);
    for (unsigned d = 0; d < ndev && rc == 0; d++)
        rc = tstream_keys_byte((uint8_t)(0x51 + d), &keys[d]);
    if (rc == 0 && keydir)
        rc = gen_write_keys(keydir, keys, ndev);
    if (rc < 0) {
        fprintf(stderr, "saksi-bench: keys: %s\n", err_str(rc));
        goto out;
    }
    for (unsigned fi = 0; fi < NAUTHORS; fi++) {
        g->f[fi].t.k = keys[fi];
        g->f[fi].count = n / NAUTHORS + (fi < n % NAUTHORS ? 1 : 0);
    }
    g->rounds = (g->f[0].count + CHUNK - 1) / CHUNK;
    out = fopen(argv[arg + 1], "wb");
    if (!out) {
        rc = -errno;
        fprintf(stderr, "saksi-bench: %s: %s\n", argv[arg + 1], strerror(-rc));
        goto out;
    }
    (void)setvbuf(out, NULL, _IOFBF, 1 << 20);
    if (fwrite(MAGIC, 1, 8, out) != 8 || (rc = gen_genesis(g, keys, ndev, out)) < 0) {
        fprintf(stderr, "saksi-bench: genesis: %s\n", err_str(rc < 0 ? rc : -EIO));
        rc = rc < 0 ? rc : -EIO;
        goto out;
    }
    for (; nth < want; nth++) {
        if (pthread_create(&th[nth], NULL, gen_worker, g) != 0) {
            rc = -EAGAIN;
            break;
        }
    }
    pthread_mutex_lock(&g->mu);
    while (rc == 0 && g->written < g->rounds) {
        struct gslot *s = &g->s[g->written % SLOTS];

        while (!g->err && s->done < NAUTHORS)
            pthread_cond_wait(&g->cv, &g->mu);
        if (g->err) {
            rc = g->err;
            break;
        }
        pthread_mutex_unlock(&g->mu);
        rc = gen_write_round(s, out);
        pthread_mutex_lock(&g->mu);
        s->done = 0;
        g->written++;
        if (rc < 0)
            g->err = rc;
        pthread_cond_broadcast(&g->cv);
        if (g->written * CHUNK * NAUTHORS >= shown + 100000 || g->written == g->rounds) {
            uint64_t done = g->written * CHUNK * NAUTHORS;

            shown = done > n ? n : done;
            fprintf(stderr, "gen: %llu / %llu entries, %.1f s\n", (unsigned long long)shown,
                    (unsigned long long)n, now_s() - t0);
        }
    }
    if (rc < 0 && !g->err)
        g->err = rc;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->mu);
    for (unsigned i = 0; i < nth; i++)
        pthread_join(th[i], NULL);
    if (rc == 0 && fflush(out) != 0)
        rc = -EIO;
    if (rc < 0)
        fprintf(stderr, "saksi-bench: gen: %s\n", err_str(rc));
out:
    if (out && fclose(out) != 0 && rc == 0)
        rc = -EIO;
    for (unsigned d = 0; d < ndev; d++)
        proto_keys_free(keys[d]);
    for (unsigned i = 0; i < SLOTS; i++)
        for (unsigned fi = 0; fi < NAUTHORS; fi++)
            proto_buf_release(&g->s[i].rec[fi]);
    pthread_cond_destroy(&g->cv);
    pthread_mutex_destroy(&g->mu);
    free(g);
    if (rc < 0)
        return 1;
    printf("gen_entries=%llu\ngen_threads=%u\ngen_seconds=%.3f\n", (unsigned long long)(n + 1), nth,
           now_s() - t0);
    return 0;
}

/* ---- verify ---- */

/*
 * `saksi-bench verify FILE`: reads an export stream in batches of 4096 records and parses and
 * verifies each batch on one thread per core, as import does, but stores nothing. Its rate is
 * the ceiling for import on this machine at this moment: what import would reach if storing
 * cost nothing.
 */
#define VBATCH       4096
#define VBATCH_BYTES (4u << 20) /* as import: a batch ends at 4096 records or 4 MiB */

/* One batch shared by the threads, handed out in chunks of 64 as cli/verify.c does. */
struct vbatch {
    pthread_mutex_t mu;
    const uint8_t *const *raw;
    const size_t *len;
    size_t n, next;
    uint64_t bad;
};

static void *vbatch_run(void *arg)
{
    struct vbatch *b = arg;
    uint64_t bad = 0;

    for (;;) {
        size_t lo, hi;

        pthread_mutex_lock(&b->mu);
        lo = b->next;
        hi = lo + 64 < b->n ? lo + 64 : b->n;
        b->next = hi;
        pthread_mutex_unlock(&b->mu);
        if (lo >= hi)
            break;
        for (size_t i = lo; i < hi; i++) {
            struct proto_entry e;

            if (proto_entry_parse(b->raw[i], b->len[i], &e) < 0 || proto_entry_verify(&e) < 0)
                bad++;
        }
    }
    pthread_mutex_lock(&b->mu);
    b->bad += bad;
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

static int cmd_verify(int argc, char **argv)
{
    const uint8_t **raw = NULL;
    size_t *len = NULL;
    uint8_t *arena = NULL, magic[8], hdr[4];
    pthread_t th[THREADS_MAX];
    struct vbatch vb;
    unsigned n = cores();
    uint64_t total = 0, bad = 0;
    double t0 = now_s();
    FILE *f;
    int rc = 1;

    if (argc != 3) {
        fprintf(stderr, "usage: saksi-bench verify FILE\n");
        return 2;
    }
    f = fopen(argv[2], "rb");
    if (!f) {
        fprintf(stderr, "saksi-bench: %s: %s\n", argv[2], strerror(errno));
        return 1;
    }
    pthread_mutex_init(&vb.mu, NULL);
    raw = calloc(VBATCH, sizeof *raw);
    len = calloc(VBATCH, sizeof *len);
    arena = malloc(VBATCH_BYTES + PROTO_ENTRY_MAX);
    if (!raw || !len || !arena || fread(magic, 1, 8, f) != 8 || memcmp(magic, MAGIC, 8) != 0)
        goto out;
    for (;;) {
        size_t m = 0, used = 0;
        unsigned started = 0;

        while (m < VBATCH && used < VBATCH_BYTES && fread(hdr, 1, 4, f) == 4) {
            len[m] = get_be32(hdr);
            if (len[m] == 0 || len[m] > PROTO_ENTRY_MAX ||
                fread(arena + used, 1, len[m], f) != len[m])
                goto out;
            raw[m] = arena + used;
            used += len[m];
            m++;
        }
        if (m == 0)
            break;
        vb.raw = raw;
        vb.len = len;
        vb.n = m;
        vb.next = 0;
        vb.bad = 0;
        for (; started < n; started++)
            if (pthread_create(&th[started], NULL, vbatch_run, &vb) != 0)
                break;
        for (unsigned i = 0; i < started; i++)
            pthread_join(th[i], NULL);
        bad += vb.bad;
        if (started == 0)
            goto out;
        total += m;
    }
    rc = ferror(f) ? 1 : 0;
out:
    fclose(f);
    free(raw);
    free(len);
    free(arena);
    pthread_mutex_destroy(&vb.mu);
    if (rc != 0) {
        fprintf(stderr, "saksi-bench: verify: cannot read %s as an export stream\n", argv[2]);
        return 1;
    }
    printf("verify_entries=%llu\nverify_bad=%llu\nverify_seconds=%.3f\nverify_per_s=%.0f\n",
           (unsigned long long)total, (unsigned long long)bad, now_s() - t0,
           (double)total / (now_s() - t0));
    return bad ? 1 : 0;
}

/* ---- limits ---- */

#define VMSGS    64
#define VMSG_LEN 215 /* the 15-byte domain prefix + ~200 signed bytes, as in an entry */

struct vthread {
    pthread_t t;
    double seconds;
    uint64_t count;
    double elapsed;
    int err;
};

static void *verify_worker(void *arg)
{
    struct vthread *v = arg;
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    unsigned char(*msg)[VMSG_LEN] = malloc(VMSGS * sizeof *msg);
    unsigned char(*sig)[crypto_sign_BYTES] = malloc(VMSGS * sizeof *sig);
    double t0, deadline, t;

    if (!msg || !sig) {
        v->err = -ENOMEM;
        goto out;
    }
    crypto_sign_keypair(pk, sk);
    randombytes_buf(msg, VMSGS * sizeof *msg);
    for (unsigned i = 0; i < VMSGS; i++)
        crypto_sign_detached(sig[i], NULL, msg[i], VMSG_LEN, sk);
    t0 = now_s();
    deadline = t0 + v->seconds;
    do {
        for (unsigned i = 0; i < VMSGS; i++)
            if (crypto_sign_verify_detached(sig[i], msg[i], VMSG_LEN, pk) != 0)
                v->err = ERR_BADSIG;
        v->count += VMSGS;
        t = now_s();
    } while (t < deadline);
    v->elapsed = t - t0;
out:
    sodium_memzero(sk, sizeof sk);
    free(msg);
    free(sig);
    return NULL;
}

/*
 * Verifications per second over nth threads: the sum of each thread's own rate (each times
 * its own run, so thread start-up, a few milliseconds, does not count).
 */
static int verify_rate(unsigned nth, double seconds, double *rate)
{
    struct vthread v[THREADS_MAX];
    unsigned started = 0;
    int rc = 0;

    *rate = 0;
    memset(v, 0, sizeof v);
    for (; started < nth; started++) {
        v[started].seconds = seconds;
        if (pthread_create(&v[started].t, NULL, verify_worker, &v[started]) != 0) {
            rc = -EAGAIN;
            break;
        }
    }
    for (unsigned i = 0; i < started; i++) {
        pthread_join(v[i].t, NULL);
        if (v[i].err)
            rc = v[i].err;
        else if (v[i].elapsed > 0)
            *rate += (double)v[i].count / v[i].elapsed;
    }
    return rc;
}

static int rm_env(const char *dir)
{
    static const char *const files[2] = {"data.mdb", "lock.mdb"};
    char p[4200];

    for (unsigned i = 0; i < 2; i++)
        if (snprintf(p, sizeof p, "%s/%s", dir, files[i]) < (int)sizeof p)
            (void)unlink(p);
    return rmdir(dir) < 0 ? -errno : 0;
}

/* Durable commits of batches of `batch` puts for `seconds`, in a fresh environment under dir. */
static int lmdb_rate(const char *dir, uint64_t batch, double seconds, double *eps, double *cps,
                     uint64_t *entries, double *mib)
{
    char path[4200];
    MDB_env *env = NULL;
    MDB_dbi dbi;
    MDB_txn *t = NULL;
    uint8_t key[32], value[250];
    uint64_t x = 0x243f6a8885a308d3ULL, commits = 0;
    double t0, t1;
    int rc;

    *eps = *cps = *mib = 0;
    *entries = 0;
    if (snprintf(path, sizeof path, "%s/saksi-bench-lmdb.XXXXXX", dir) >= (int)sizeof path)
        return -ENAMETOOLONG;
    if (!mkdtemp(path))
        return -errno;
    if ((rc = mdb_env_create(&env)) != 0 ||
        (rc = mdb_env_set_mapsize(env, (size_t)64 << 30)) != 0 ||
        (rc = mdb_env_open(env, path, MDB_NOTLS, 0600)) != 0)
        goto out;
    if ((rc = mdb_txn_begin(env, NULL, 0, &t)) != 0 || (rc = mdb_dbi_open(t, NULL, 0, &dbi)) != 0 ||
        (rc = mdb_txn_commit(t)) != 0)
        goto out;
    t = NULL;
    for (unsigned i = 0; i < sizeof value; i++)
        value[i] = (uint8_t)(i * 7 + 3);
    t0 = now_s();
    do {
        if ((rc = mdb_txn_begin(env, NULL, 0, &t)) != 0)
            goto out;
        for (uint64_t i = 0; i < batch; i++) {
            MDB_val k = {sizeof key, key}, v = {sizeof value, value};

            for (unsigned w = 0; w < 4; w++) {
                uint64_t r = mix(x++);

                memcpy(key + 8 * w, &r, 8);
            }
            memcpy(value, key, 8); /* values differ, as entries do */
            if ((rc = mdb_put(t, dbi, &k, &v, 0)) != 0)
                goto out;
        }
        rc = mdb_txn_commit(t); /* default flags: fsync'd before it returns */
        t = NULL;
        if (rc != 0)
            goto out;
        commits++;
        *entries += batch;
        t1 = now_s();
    } while (t1 - t0 < seconds);
    *eps = (double)*entries / (t1 - t0);
    *cps = (double)commits / (t1 - t0);
    {
        struct stat sb;
        char f[4300];

        if (snprintf(f, sizeof f, "%s/data.mdb", path) < (int)sizeof f && stat(f, &sb) == 0)
            *mib = (double)sb.st_size / (1024.0 * 1024.0);
    }
out:
    if (t)
        mdb_txn_abort(t);
    if (env)
        mdb_env_close(env);
    (void)rm_env(path);
    if (rc != 0) {
        fprintf(stderr, "saksi-bench: lmdb: %s\n", mdb_strerror(rc));
        return ERR_STORE;
    }
    return 0;
}

/*
 * Each verify limit is the best of `repeat` windows of secs / repeat seconds, 1-core and
 * all-core windows alternating: the machines are shared, and a neighbour's burst should lower
 * the limit no more than it can be helped (the lowest window is printed too, to show the noise).
 * The LMDB limit is one continuous run, since its environment grows as it goes.
 */
static int cmd_limits(int argc, char **argv)
{
    uint64_t batch = 4096, secs = 3, repeat = 6, entries;
    const char *dir = getenv("TMPDIR");
    double one = 0, all = 0, one_min = 0, all_min = 0, eps, cps, mib, win, t0, self0, others;
    struct cpustat c0, c1;
    unsigned n = cores();
    int rc;

    if (!dir || !*dir)
        dir = "/tmp";
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc) {
            if (parse_u64(argv[++i], &batch) < 0 || batch == 0)
                goto usage;
        } else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
            if (parse_u64(argv[++i], &secs) < 0 || secs == 0)
                goto usage;
        } else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
            if (parse_u64(argv[++i], &repeat) < 0 || repeat == 0 || repeat > 100)
                goto usage;
        } else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else {
            goto usage;
        }
    }
    win = (double)secs / (double)repeat;
    c0 = cpustat_now();
    self0 = self_cpu_s();
    t0 = now_s();
    fprintf(stderr, "limits: Ed25519 verify, 1 and %u threads, best of %llu windows of %.2f s\n", n,
            (unsigned long long)repeat, win);
    for (uint64_t r = 0; r < repeat; r++) {
        double x;

        if ((rc = verify_rate(1, win, &x)) < 0)
            goto fail;
        one = x > one ? x : one;
        one_min = r == 0 || x < one_min ? x : one_min;
        if ((rc = verify_rate(n, win, &x)) < 0)
            goto fail;
        all = x > all ? x : all;
        all_min = r == 0 || x < all_min ? x : all_min;
    }
    c1 = cpustat_now();
    others = (c1.busy - c0.busy - (self_cpu_s() - self0)) / (now_s() - t0);
    fprintf(stderr, "limits: LMDB durable commits of %llu puts, %llu s, in %s\n",
            (unsigned long long)batch, (unsigned long long)secs, dir);
    if ((rc = lmdb_rate(dir, batch, (double)secs, &eps, &cps, &entries, &mib)) < 0)
        goto fail;
    printf("cores=%u\n"
           "verify_msg_bytes=%d\n"
           "verify_1core_per_s=%.0f\n"
           "verify_1core_min_per_s=%.0f\n"
           "verify_allcores_per_s=%.0f\n"
           "verify_allcores_min_per_s=%.0f\n"
           "verify_others_cores=%.2f\n"
           "lmdb_batch=%llu\n"
           "lmdb_value_bytes=250\n"
           "lmdb_entries_per_s=%.0f\n"
           "lmdb_commits_per_s=%.2f\n"
           "lmdb_entries_written=%llu\n"
           "lmdb_file_mib=%.1f\n",
           n, VMSG_LEN, one, one_min, all, all_min, others > 0 ? others : 0,
           (unsigned long long)batch, eps, cps, (unsigned long long)entries, mib);
    return 0;
fail:
    fprintf(stderr, "saksi-bench: limits: %s\n", err_str(rc));
    return 1;
usage:
    fprintf(stderr,
            "usage: saksi-bench limits [--batch B] [--seconds S] [--repeat R] [--dir DIR]\n");
    return 2;
}

/* ---- run ---- */

/* The kB figure of one "Name:   123 kB" line of /proc/PID/status, or 0. */
static unsigned long status_kib(const char *text, const char *name)
{
    const char *p = strstr(text, name);

    return p ? strtoul(p + strlen(name), NULL, 10) : 0;
}

static int cmd_run(int argc, char **argv)
{
    const char *log = NULL;
    unsigned long peak_anon = 0, peak_rss = 0;
    struct rusage ru;
    char path[64];
    struct cpustat c0, c1;
    double t0, t1, child;
    int i = 2, status = 0;
    pid_t pid;

    if (i + 1 < argc && strcmp(argv[i], "--log") == 0) {
        log = argv[i + 1];
        i += 2;
    }
    if (i >= argc || strcmp(argv[i], "--") != 0 || i + 1 >= argc) {
        fprintf(stderr, "usage: saksi-bench run [--log FILE] -- CMD [ARG...]\n");
        return 2;
    }
    i++;
    fflush(stdout);
    c0 = cpustat_now();
    t0 = now_s();
    pid = fork();
    if (pid < 0) {
        perror("saksi-bench: fork");
        return 1;
    }
    if (pid == 0) {
        if (log) {
            int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

            if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
                _exit(127);
            close(fd);
        }
        execvp(argv[i], argv + i);
        _exit(127);
    }
    snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
    for (;;) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        char text[4096];
        pid_t w = wait4(pid, &status, WNOHANG, &ru);
        FILE *f;

        if (w == pid)
            break;
        if (w < 0 && errno != EINTR) {
            perror("saksi-bench: wait4");
            return 1;
        }
        f = fopen(path, "r");
        if (f) {
            size_t got = fread(text, 1, sizeof text - 1, f);

            text[got] = '\0';
            fclose(f);
            if (status_kib(text, "RssAnon:") > peak_anon)
                peak_anon = status_kib(text, "RssAnon:");
            if (status_kib(text, "VmRSS:") > peak_rss)
                peak_rss = status_kib(text, "VmRSS:");
        }
        nanosleep(&ts, NULL);
    }
    t1 = now_s();
    c1 = cpustat_now();
    child = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
            (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    printf("elapsed_s=%.3f\n"
           "user_s=%.3f\n"
           "sys_s=%.3f\n"
           "maxrss_kib=%ld\n"
           "peak_anon_kib=%lu\n"
           "peak_rss_sampled_kib=%lu\n"
           "steal_s=%.2f\n"
           "others_cpu_s=%.2f\n",
           t1 - t0, (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6, ru.ru_maxrss, peak_anon,
           peak_rss, c1.steal - c0.steal,
           c1.busy - c0.busy - child > 0 ? c1.busy - c0.busy - child : 0);
    if (WIFEXITED(status)) {
        printf("exit=%d\n", WEXITSTATUS(status));
        return WEXITSTATUS(status);
    }
    printf("exit=signal-%d\n", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/* ---- saksid processes (replicate, gossip) ---- */

/*
 * The saksid processes the benchmarks start: each runs with --no-discovery (nothing leaves
 * loopback), listens on 127.0.0.1:0 and writes DIR/saksid.ready; its log goes to
 * DIR/saksid.log. A node dies with this process (PR_SET_PDEATHSIG), and SIGINT/SIGTERM/SIGHUP
 * only set a flag that every wait checks, so that the nodes are always stopped on the way out.
 * Every wait has a deadline; nothing sleeps and hopes.
 */
#define CTL_REPLY_MAX (1u << 20)

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
    (void)sig;
    interrupted = 1;
}

static void catch_interrupts(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    (void)sigaction(SIGINT, &sa, NULL);
    (void)sigaction(SIGTERM, &sa, NULL);
    (void)sigaction(SIGHUP, &sa, NULL);
    (void)signal(SIGPIPE, SIG_IGN); /* a node gone: EPIPE on its socket, not our death */
}

static void pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    (void)nanosleep(&ts, NULL);
}

struct saksid {
    pid_t pid; /* 0 once reaped (or never started) */
    int status;
    bool termed; /* SIGTERM sent: once only, since saksid closes its signal handles as it stops */
    char dir[4096];
    char addr[64]; /* from the ready file */
    int ctl;       /* control socket, -1 when not connected */
    char *rx;      /* reply bytes read, not yet consumed */
    size_t rxlen;
};

static void saksid_init(struct saksid *d)
{
    memset(d, 0, sizeof *d);
    d->ctl = -1;
}

static int saksid_path(const struct saksid *d, const char *name, char *out, size_t size)
{
    return snprintf(out, size, "%s/%s", d->dir, name) >= (int)size ? -ENAMETOOLONG : 0;
}

/* Starts saksid for data directory dir, dialing the given peers (ADDR:PORT). */
static int saksid_start(struct saksid *d, const char *exe, const char *dir,
                        const char *const *peers, size_t npeers)
{
    char ready[4200], logf[4200];
    const char *args[16 + 2 * 8];
    size_t na = 0;
    pid_t parent = getpid();

    if (npeers > 8 || snprintf(d->dir, sizeof d->dir, "%s", dir) >= (int)sizeof d->dir ||
        saksid_path(d, "saksid.ready", ready, sizeof ready) < 0 ||
        saksid_path(d, "saksid.log", logf, sizeof logf) < 0)
        return -EINVAL;
    (void)unlink(ready);
    args[na++] = exe;
    args[na++] = "--data";
    args[na++] = d->dir;
    args[na++] = "--listen";
    args[na++] = "127.0.0.1:0";
    args[na++] = "--ready-file";
    args[na++] = ready;
    args[na++] = "--no-discovery";
    args[na++] = "--log-level";
    args[na++] = "info";
    for (size_t i = 0; i < npeers; i++) {
        args[na++] = "--peer";
        args[na++] = peers[i];
    }
    args[na] = NULL;
    fflush(stdout);
    fflush(stderr);
    d->termed = false;
    d->pid = fork();
    if (d->pid < 0) {
        d->pid = 0;
        return -errno;
    }
    if (d->pid == 0) {
        int fd = open(logf, O_WRONLY | O_CREAT | O_APPEND, 0600);
        int nul = open("/dev/null", O_RDWR);

        /* Dies with us, whatever way we go; and not if we are already gone. */
        if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent)
            _exit(127);
        if (fd < 0 || nul < 0 || dup2(nul, 0) < 0 || dup2(nul, 1) < 0 || dup2(fd, 2) < 0)
            _exit(127);
        execv(exe, (char *const *)args);
        _exit(127);
    }
    return 0;
}

/* true while the process runs; reaps it (keeping its status) once it has exited. */
static bool saksid_alive(struct saksid *d)
{
    pid_t w;

    if (d->pid <= 0)
        return false;
    w = waitpid(d->pid, &d->status, WNOHANG);
    if (w == d->pid) {
        d->pid = 0;
        return false;
    }
    return true;
}

/* Waits for the ready file and reads the node's address from it. */
static int saksid_wait_ready(struct saksid *d, double deadline)
{
    char path[4200];

    if (saksid_path(d, "saksid.ready", path, sizeof path) < 0)
        return -ENAMETOOLONG;
    for (;;) {
        FILE *f = fopen(path, "r");

        if (f) {
            bool got = fgets(d->addr, sizeof d->addr, f) != NULL;

            fclose(f);
            d->addr[strcspn(d->addr, "\n")] = '\0';
            if (got && d->addr[0])
                return 0;
        }
        if (interrupted)
            return -EINTR;
        if (!saksid_alive(d))
            return -ECHILD;
        if (now_s() > deadline)
            return -ETIMEDOUT;
        pause_ms(5);
    }
}

static void saksid_disconnect(struct saksid *d)
{
    if (d->ctl >= 0)
        close(d->ctl);
    d->ctl = -1;
    free(d->rx);
    d->rx = NULL;
    d->rxlen = 0;
}

/* Connects to DIR/saksid.sock: -ENOENT or -ECONNREFUSED while the node is not there yet. */
static int saksid_connect(struct saksid *d)
{
    struct sockaddr_un sa;
    char path[4200];

    saksid_disconnect(d);
    if (saksid_path(d, "saksid.sock", path, sizeof path) < 0 || strlen(path) >= sizeof sa.sun_path)
        return -ENAMETOOLONG;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, path, strlen(path) + 1);
    d->ctl = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (d->ctl < 0)
        return -errno;
    if (connect(d->ctl, (struct sockaddr *)&sa, sizeof sa) < 0) {
        int rc = -errno;

        saksid_disconnect(d);
        return rc;
    }
    d->rx = malloc(CTL_REPLY_MAX);
    if (!d->rx) {
        saksid_disconnect(d);
        return -ENOMEM;
    }
    return 0;
}

/* Sends one request line (without its newline). */
static int ctl_send(struct saksid *d, const char *line)
{
    size_t len = strlen(line), off = 0;

    while (off <= len) {
        const char *p = off < len ? line + off : "\n";
        size_t n = off < len ? len - off : 1;
        ssize_t w = write(d->ctl, p, n);

        if (w < 0 && errno == EINTR && !interrupted)
            continue;
        if (w < 0)
            return -errno;
        off += (size_t)w;
    }
    return 0;
}

/*
 * Reads one reply line and parses it: *out is the caller's (json_decref). A reply with
 * "ok":false is returned too, with -EPROTO; its "error" is printed.
 */
static int ctl_recv(struct saksid *d, double deadline, json_t **out)
{
    char *nl;
    json_t *o;

    *out = NULL;
    while ((nl = memchr(d->rx, '\n', d->rxlen)) == NULL) {
        struct pollfd pfd = {d->ctl, POLLIN, 0};
        int ms = (int)((deadline - now_s()) * 1000);
        ssize_t r;

        if (interrupted)
            return -EINTR;
        if (ms <= 0)
            return -ETIMEDOUT;
        if (poll(&pfd, 1, ms) < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (!(pfd.revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        if (d->rxlen == CTL_REPLY_MAX)
            return -E2BIG;
        r = read(d->ctl, d->rx + d->rxlen, CTL_REPLY_MAX - d->rxlen);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -errno;
        if (r == 0)
            return -ECONNRESET;
        d->rxlen += (size_t)r;
    }
    o = json_loadb(d->rx, (size_t)(nl - d->rx), 0, NULL);
    d->rxlen -= (size_t)(nl + 1 - d->rx);
    memmove(d->rx, nl + 1, d->rxlen);
    if (!json_is_object(o)) {
        json_decref(o);
        return -EPROTO;
    }
    *out = o;
    if (!json_is_true(json_object_get(o, "ok"))) {
        const char *why = json_string_value(json_object_get(o, "error"));

        fprintf(stderr, "saksi-bench: %s: %s\n", d->dir, why ? why : "request refused");
        return -EPROTO;
    }
    return 0;
}

/* The figures of a status reply the benchmarks use. */
struct status {
    uint64_t applied;
    uint64_t rx_entries; /* entries received from peers since the node started */
    uint64_t rx_new;     /* of which new */
    unsigned peers_open; /* open connections */
    char head[65];
    char ledger[65];
};

static uint64_t ju64(const json_t *o, const char *key)
{
    json_int_t v = json_integer_value(json_object_get(o, key));

    return v > 0 ? (uint64_t)v : 0;
}

static int status_parse(const json_t *o, struct status *s)
{
    const json_t *peers = json_object_get(o, "peers"), *rx = json_object_get(o, "received");
    const char *head = json_string_value(json_object_get(o, "head"));
    const char *ledger = json_string_value(json_object_get(o, "ledger_id"));
    size_t i;
    json_t *p;

    memset(s, 0, sizeof *s);
    if (!head || !ledger || !json_is_integer(json_object_get(o, "applied")) || !json_is_object(rx))
        return -EPROTO;
    s->applied = ju64(o, "applied");
    s->rx_entries = ju64(rx, "entries");
    s->rx_new = ju64(rx, "new");
    snprintf(s->head, sizeof s->head, "%s", head);
    snprintf(s->ledger, sizeof s->ledger, "%s", ledger);
    json_array_foreach(peers, i, p)
    {
        const char *st = json_string_value(json_object_get(p, "state"));

        if (st && strcmp(st, "open") == 0)
            s->peers_open++;
    }
    return 0;
}

static int status_recv(struct saksid *d, double deadline, struct status *s)
{
    json_t *o;
    int rc = ctl_recv(d, deadline, &o);

    if (rc == 0)
        rc = status_parse(o, s);
    json_decref(o);
    return rc;
}

static int status_call(struct saksid *d, double deadline, struct status *s)
{
    int rc = ctl_send(d, "{\"op\":\"status\"}");

    return rc < 0 ? rc : status_recv(d, deadline, s);
}

/*
 * SIGTERM, then waits up to `seconds` for the exit; 0 only for exit status 0 (a node that
 * misbehaves on the way out fails the benchmark). Past the deadline: SIGKILL.
 */
static int saksid_stop(struct saksid *d, double seconds)
{
    double deadline = now_s() + seconds;

    saksid_disconnect(d);
    if (d->pid > 0 && !d->termed)
        (void)kill(d->pid, SIGTERM);
    d->termed = true;
    while (saksid_alive(d)) {
        if (now_s() > deadline) {
            (void)kill(d->pid, SIGKILL);
            (void)waitpid(d->pid, &d->status, 0);
            d->pid = 0;
            fprintf(stderr, "saksi-bench: %s: saksid did not stop within %.0f s\n", d->dir,
                    seconds);
            return -ETIMEDOUT;
        }
        pause_ms(5);
    }
    if (!WIFEXITED(d->status) || WEXITSTATUS(d->status) != 0) {
        fprintf(stderr, "saksi-bench: %s: saksid ended with %s %d (log: %s/saksid.log)\n", d->dir,
                WIFEXITED(d->status) ? "exit status" : "signal",
                WIFEXITED(d->status) ? WEXITSTATUS(d->status) : WTERMSIG(d->status), d->dir);
        return -ECHILD;
    }
    return 0;
}

/* Stops every node of an array, each given a chance to exit cleanly; 0 if all exited 0. */
static int saksid_stop_all(struct saksid *d, size_t n)
{
    int rc = 0;

    for (size_t i = 0; i < n; i++)
        if (d[i].pid > 0 && !d[i].termed) {
            saksid_disconnect(&d[i]);
            (void)kill(d[i].pid, SIGTERM);
            d[i].termed = true;
        }
    for (size_t i = 0; i < n; i++)
        if (d[i].pid > 0 && saksid_stop(&d[i], 15) < 0)
            rc = -ECHILD;
    return rc;
}

/* utime + stime of /proc/PID/stat or /proc/PID/task/TID/stat (tid > 0), seconds; -1 if gone. */
static double proc_cpu_s(pid_t pid, pid_t tid)
{
    char path[96], text[1024], *p;
    unsigned long long ut = 0, st = 0;
    long hz = sysconf(_SC_CLK_TCK);
    size_t got;
    FILE *f;

    if (tid > 0)
        snprintf(path, sizeof path, "/proc/%ld/task/%ld/stat", (long)pid, (long)tid);
    else
        snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    f = fopen(path, "r");
    if (!f)
        return -1;
    got = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[got] = '\0';
    p = strrchr(text, ')'); /* the command name may hold spaces */
    if (!p || hz <= 0 ||
        sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)hz;
}

/*
 * CPU time of the process's threads: the main thread (the loop), the sum of the others (libuv's
 * thread pool: verification) and the busiest of those.
 */
static void proc_threads_cpu(pid_t pid, double *main_s, double *others_s, double *busiest_s,
                             unsigned *nthreads)
{
    char path[64];
    struct dirent *de;
    DIR *dir;

    *main_s = *others_s = *busiest_s = 0;
    *nthreads = 0;
    snprintf(path, sizeof path, "/proc/%ld/task", (long)pid);
    dir = opendir(path);
    if (!dir)
        return;
    while ((de = readdir(dir)) != NULL) {
        long tid = strtol(de->d_name, NULL, 10);
        double c;

        if (tid <= 0 || (c = proc_cpu_s(pid, (pid_t)tid)) < 0)
            continue;
        (*nthreads)++;
        if (tid == (long)pid) {
            *main_s = c;
        } else {
            *others_s += c;
            if (c > *busiest_s)
                *busiest_s = c;
        }
    }
    closedir(dir);
}

/* The kB figure of one line of /proc/PID/status ("RssAnon:", "VmHWM:"), or 0. */
static unsigned long proc_status_kib(pid_t pid, const char *name)
{
    char path[64], text[4096];
    size_t got;
    FILE *f;

    snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
    f = fopen(path, "r");
    if (!f)
        return 0;
    got = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[got] = '\0';
    return status_kib(text, name);
}

static void saksid_fail(const struct saksid *d, const char *what, int rc)
{
    fprintf(stderr, "saksi-bench: %s: %s: %s (log: %s/saksid.log)\n", d->dir, what,
            rc == -ECHILD ? "saksid exited" : err_str(rc), d->dir);
}

/* ---- replicate ---- */

/*
 * `saksi-bench replicate --saksid EXE --source DIR --sink DIR [--deadline S]`: starts saksid
 * on SOURCE (a data directory holding the whole ledger), then, with the clock running, saksid
 * on SINK (holding only the genesis) dialing it, and polls SINK's control socket every 10 ms
 * until it holds what SOURCE holds (the same applied count and head). SINK commits every
 * batch durably and verifies every entry before it stores it, as any node does. Reports the
 * time, SINK's CPU time per thread (the loop apart from the thread pool), SOURCE's CPU time,
 * SINK's peak anonymous RSS (sampled) and VmHWM (with the pages of LMDB's map), then stops
 * both nodes, each of which must exit 0.
 */
static int cmd_replicate(int argc, char **argv)
{
    const char *exe = NULL, *src = NULL, *dst = NULL, *peer;
    uint64_t limit = 600;
    struct saksid a, b;
    struct status sa, sb;
    double t0, t1 = 0, deadline, shown, a_cpu0, a_cpu = 0, b_cpu = 0, b_main, b_others, b_busiest;
    double self0, others;
    struct cpustat c0, c1;
    unsigned long peak_anon = 0, hwm = 0, anon;
    unsigned nthreads = 0;
    int rc;

    for (int i = 2; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--saksid") == 0)
            exe = argv[i + 1];
        else if (strcmp(argv[i], "--source") == 0)
            src = argv[i + 1];
        else if (strcmp(argv[i], "--sink") == 0)
            dst = argv[i + 1];
        else if (strcmp(argv[i], "--deadline") != 0 || parse_u64(argv[i + 1], &limit) < 0)
            exe = NULL;
    }
    if (!exe || !src || !dst || argc % 2 != 0) {
        fprintf(stderr, "usage: saksi-bench replicate --saksid EXE --source DIR --sink DIR "
                        "[--deadline S]\n");
        return 2;
    }
    catch_interrupts();
    saksid_init(&a);
    saksid_init(&b);
    memset(&sb, 0, sizeof sb);
    if ((rc = saksid_start(&a, exe, src, NULL, 0)) < 0 ||
        (rc = saksid_wait_ready(&a, now_s() + 60)) < 0 || (rc = saksid_connect(&a)) < 0 ||
        (rc = status_call(&a, now_s() + 10, &sa)) < 0) {
        saksid_fail(&a, "source node", rc);
        goto fail;
    }
    fprintf(stderr, "replicate: source holds %llu entries, listens on %s\n",
            (unsigned long long)sa.applied, a.addr);
    peer = a.addr;
    a_cpu0 = proc_cpu_s(a.pid, 0);
    self0 = self_cpu_s();
    c0 = cpustat_now();
    t0 = now_s();
    deadline = t0 + (double)limit;
    shown = t0;
    if ((rc = saksid_start(&b, exe, dst, &peer, 1)) < 0) {
        saksid_fail(&b, "sink node", rc);
        goto fail;
    }
    for (;;) {
        double t;

        if (interrupted) {
            rc = -EINTR;
            break;
        }
        if (!saksid_alive(&b)) {
            rc = -ECHILD;
            break;
        }
        if (b.ctl < 0 && saksid_connect(&b) < 0) { /* not listening yet */
            pause_ms(2);
            continue;
        }
        if ((rc = status_call(&b, now_s() + 10, &sb)) < 0)
            break;
        t = now_s();
        anon = proc_status_kib(b.pid, "RssAnon:");
        peak_anon = anon > peak_anon ? anon : peak_anon;
        if (strcmp(sb.ledger, sa.ledger) != 0) {
            fprintf(stderr, "saksi-bench: the sink holds another ledger\n");
            rc = ERR_LEDGER;
            break;
        }
        if (sb.applied == sa.applied && strcmp(sb.head, sa.head) == 0) {
            t1 = t;
            break;
        }
        if (t > deadline) {
            rc = -ETIMEDOUT;
            break;
        }
        if (t - shown >= 5) {
            fprintf(stderr, "replicate: %llu / %llu entries, %.1f s\n",
                    (unsigned long long)sb.applied, (unsigned long long)sa.applied, t - t0);
            shown = t;
        }
        pause_ms(10);
    }
    if (rc < 0) {
        fprintf(stderr, "replicate: the sink held %llu of %llu entries after %.1f s\n",
                (unsigned long long)sb.applied, (unsigned long long)sa.applied, now_s() - t0);
        saksid_fail(&b, "sink node", rc);
        goto fail;
    }
    hwm = proc_status_kib(b.pid, "VmHWM:");
    b_cpu = proc_cpu_s(b.pid, 0);
    a_cpu = proc_cpu_s(a.pid, 0) - a_cpu0;
    c1 = cpustat_now();
    others = c1.busy - c0.busy - b_cpu - a_cpu - (self_cpu_s() - self0);
    proc_threads_cpu(b.pid, &b_main, &b_others, &b_busiest, &nthreads);
    fprintf(stderr, "replicate: %llu entries in %.1f s\n", (unsigned long long)sb.applied, t1 - t0);
    rc = saksid_stop(&b, 30);
    if (saksid_stop(&a, 30) < 0 || rc < 0)
        return 1;
    printf("repl_entries=%llu\n"
           "repl_applied=%llu\n"
           "repl_received=%llu\n"
           "elapsed_s=%.3f\n"
           "sink_cpu_s=%.2f\n"
           "sink_loop_cpu_s=%.2f\n"
           "sink_pool_cpu_s=%.2f\n"
           "sink_pool_busiest_cpu_s=%.2f\n"
           "sink_threads=%u\n"
           "source_cpu_s=%.2f\n"
           "sink_peak_anon_kib=%lu\n"
           "sink_vmhwm_kib=%lu\n"
           "steal_s=%.2f\n"
           "others_cpu_s=%.2f\n",
           (unsigned long long)sb.rx_new, (unsigned long long)sb.applied,
           (unsigned long long)sb.rx_entries, t1 - t0, b_cpu, b_main, b_others, b_busiest, nthreads,
           a_cpu, peak_anon, hwm, c1.steal - c0.steal, others > 0 ? others : 0);
    return 0;
fail:
    (void)saksid_stop(&b, 15);
    (void)saksid_stop(&a, 15);
    return 1;
}

/* ---- gossip ---- */

#define GOSSIP_NODES_MAX 64

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* The nearest-rank percentile p (0..1] of n sorted values. */
static double percentile(const double *v, size_t n, double p)
{
    size_t rank = (size_t)(p * (double)n + 0.999999);

    return v[(rank ? rank : 1) - 1];
}

static int read_small_file(const char *path, uint8_t *buf, size_t cap, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t r;

    *len = 0;
    if (fd < 0)
        return -errno;
    r = read(fd, buf, cap);
    close(fd);
    if (r < 0)
        return -errno;
    *len = (size_t)r;
    return 0;
}

/* Copies KEYS/device-NN.key to DIR/key and decodes it into *out (the caller's). */
static int install_key(const char *keydir, unsigned dev, const char *dir, struct proto_keys **out)
{
    char path[4200];
    uint8_t buf[256];
    size_t len;
    int rc;

    *out = NULL;
    if (snprintf(path, sizeof path, "%s/device-%02u.key", keydir, dev) >= (int)sizeof path)
        return -ENAMETOOLONG;
    rc = read_small_file(path, buf, sizeof buf, &len);
    if (rc == 0)
        rc = tstream_file_new(dir, "key", buf, len);
    if (rc == 0)
        rc = proto_keyfile_decode(buf, len, NULL, 0, out);
    proto_memzero(buf, sizeof buf);
    return rc;
}

/* A feed this benchmark posts to: its author's keys and tip. */
struct gauthor {
    struct proto_keys *k;
    unsigned node;
    uint64_t seq;
    uint8_t prev[32];
};

/* {"op":"submit","entry":"<hex>"} for journal j, the next entry of feed a. Updates its tip. */
static int gossip_request(struct gauthor *a, const uint8_t ledger[32], uint64_t j, uint64_t n,
                          char **out)
{
    struct proto_journal jn;
    struct proto_buf body, raw;
    struct timespec ts;
    char *req = NULL;
    int rc;

    *out = NULL;
    clock_gettime(CLOCK_REALTIME, &ts);
    journal_make(j, n, &jn);
    proto_buf_init(&body);
    proto_buf_init(&raw);
    rc = proto_journal_encode(&jn, &body);
    if (rc == 0)
        rc = proto_entry_build(&raw, a->k, ledger, a->seq + 1, a->seq ? a->prev : NULL,
                               (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000,
                               PROTO_KIND_JOURNAL, body.data, body.len);
    if (rc == 0 && !(req = malloc(2 * raw.len + 64)))
        rc = -ENOMEM;
    if (rc == 0) {
        int off = sprintf(req, "{\"op\":\"submit\",\"entry\":\"");

        proto_hex(raw.data, raw.len, req + off);
        strcat(req, "\"}");
        proto_entry_id(raw.data, raw.len, a->prev);
        a->seq++;
        *out = req;
    }
    proto_buf_release(&body);
    proto_buf_release(&raw);
    return rc;
}

/*
 * `saksi-bench gossip --saksid EXE --dir DIR --keys KEYS [--nodes N] [--posts K] [--seed S]`:
 * N nodes on loopback, data directories DIR/n00 .. (each prepared with the genesis and the
 * network key of a ledger whose roster KEYS/device-NN.key holds, as `gen --devices N --keys
 * KEYS 0` writes them). The devices are shuffled onto the nodes, so that the five authors
 * (devices 00-04) land anywhere in the graph. Node i dials 2 or 3 distinct earlier nodes
 * chosen at random (node 1 only node 0): a connected graph far sparser than a full mesh, seeded
 * so that every run configures the same one. Nodes with few connections also dial addresses
 * their peers tell them, so the graph grows a little; once it has settled (every configured
 * link open, no change in the link count for a second), K journal entries are posted one after
 * another, round-robin over the authors, each through its author's node's control socket. The
 * time from sending the request until every node holds the entry is taken by polling every
 * node that does not hold it yet, at about 1 ms intervals. After the last post the received
 * counters must rest for 0.5 s; then copies per entry per node are (sum of the nodes'
 * "received entries" deltas) / (K * (N - 1)).
 */
static int cmd_gossip(int argc, char **argv)
{
    const char *exe = NULL, *dir = NULL, *keydir = NULL;
    uint64_t nn = 20, posts = 50, seed = 1, x;
    struct saksid *d = NULL;
    struct status *st = NULL;
    struct gauthor au[NAUTHORS];
    unsigned dev[GOSSIP_NODES_MAX], ndial[GOSSIP_NODES_MAX], deg[GOSSIP_NODES_MAX] = {0};
    unsigned dial[GOSSIP_NODES_MAX][3], edges = 0, open_links = 0, links0 = 0;
    uint64_t rx0 = 0, new0 = 0, rx1 = 0, new1 = 0, base = 0, rng = 0;
    double *lat = NULL, t_setup0, setup_s = 0, quiet_s = 0;
    uint8_t ledger[32];
    char *req = NULL;
    int rc = 0;

    for (int i = 2; i + 1 < argc; i += 2) {
        const char *o = argv[i], *v = argv[i + 1];

        if (strcmp(o, "--saksid") == 0)
            exe = v;
        else if (strcmp(o, "--dir") == 0)
            dir = v;
        else if (strcmp(o, "--keys") == 0)
            keydir = v;
        else if (!((strcmp(o, "--nodes") == 0 && parse_u64(v, &nn) == 0) ||
                   (strcmp(o, "--posts") == 0 && parse_u64(v, &posts) == 0) ||
                   (strcmp(o, "--seed") == 0 && parse_u64(v, &seed) == 0)))
            exe = NULL;
    }
    if (!exe || !dir || !keydir || argc % 2 != 0 || nn < NAUTHORS || nn > GOSSIP_NODES_MAX ||
        posts == 0 || posts > 100000) {
        fprintf(stderr, "usage: saksi-bench gossip --saksid EXE --dir DIR --keys KEYS "
                        "[--nodes N (5..64)] [--posts K] [--seed S]\n");
        return 2;
    }
    catch_interrupts();
    memset(au, 0, sizeof au);
    d = calloc(nn, sizeof *d);
    st = calloc(nn, sizeof *st);
    lat = calloc(posts, sizeof *lat);
    if (!d || !st || !lat) {
        rc = -ENOMEM;
        goto out;
    }
    for (unsigned i = 0; i < nn; i++)
        saksid_init(&d[i]);

    /* The devices, shuffled (Fisher-Yates), and the graph: node i dials 2 or 3 earlier ones. */
    for (unsigned i = 0; i < nn; i++)
        dev[i] = i;
    for (unsigned i = (unsigned)nn - 1; i > 0; i--) {
        unsigned j = (unsigned)(mix(seed * 1000003 + rng++) % (i + 1)), t = dev[i];

        dev[i] = dev[j];
        dev[j] = t;
    }
    for (unsigned i = 0; i < nn; i++) {
        unsigned want = (unsigned)(2 + mix(seed * 1000003 + rng++) % 2);

        ndial[i] = 0;
        want = want < i ? want : i;
        while (ndial[i] < want) {
            unsigned p = (unsigned)(mix(seed * 1000003 + rng++) % i);
            bool dup = false;

            for (unsigned k = 0; k < ndial[i]; k++)
                dup = dup || dial[i][k] == p;
            if (dup)
                continue;
            dial[i][ndial[i]++] = p;
            deg[i]++;
            deg[p]++;
            edges++;
        }
    }

    /* Keys into the data directories; the authors' keys stay here, to sign the posts. */
    for (unsigned i = 0; i < nn && rc == 0; i++) {
        struct proto_keys *k = NULL;

        if (snprintf(d[i].dir, sizeof d[i].dir, "%s/n%02u", dir, i) >= (int)sizeof d[i].dir)
            rc = -ENAMETOOLONG;
        if (rc == 0)
            rc = install_key(keydir, dev[i], d[i].dir, &k);
        if (rc == 0 && dev[i] < NAUTHORS) {
            au[dev[i]].k = k;
            au[dev[i]].node = i;
        } else {
            proto_keys_free(k);
        }
    }
    if (rc < 0) {
        fprintf(stderr, "saksi-bench: gossip: installing the device keys: %s\n", err_str(rc));
        goto out;
    }

    /* Start the nodes in order, each dialing its chosen earlier nodes. */
    t_setup0 = now_s();
    for (unsigned i = 0; i < nn; i++) {
        const char *peers[3];
        char node_dir[4096];

        for (unsigned k = 0; k < ndial[i]; k++)
            peers[k] = d[dial[i][k]].addr;
        memcpy(node_dir, d[i].dir, sizeof node_dir);
        if ((rc = saksid_start(&d[i], exe, node_dir, peers, ndial[i])) < 0 ||
            (rc = saksid_wait_ready(&d[i], now_s() + 15)) < 0 || (rc = saksid_connect(&d[i])) < 0) {
            saksid_fail(&d[i], "starting", rc);
            goto out;
        }
    }
    /*
     * Wait until every node has at least its configured links open and holds the same head,
     * and the number of open links has not changed for a second: a node also dials addresses
     * its peers tell it while it has few connections (NODE_CONN_TARGET), so the graph grows a
     * little beyond the configured one before it settles. It is measured once settled.
     */
    {
        unsigned last = 0;
        double since = now_s();

        for (;;) {
            bool up = true;

            open_links = 0;
            for (unsigned i = 0; i < nn; i++) {
                if ((rc = status_call(&d[i], now_s() + 10, &st[i])) < 0) {
                    saksid_fail(&d[i], "status", rc);
                    goto out;
                }
                open_links += st[i].peers_open;
                up = up && st[i].peers_open >= deg[i] && st[i].applied == st[0].applied &&
                     strcmp(st[i].head, st[0].head) == 0;
            }
            if (!up || open_links != last) {
                last = open_links;
                since = now_s();
            } else if (now_s() - since >= 1.0) {
                break;
            }
            if (interrupted || now_s() > t_setup0 + 60) {
                fprintf(stderr,
                        "saksi-bench: gossip: the graph did not settle within 60 s (%u link "
                        "ends open, %u configured)\n",
                        open_links, 2 * edges);
                rc = -ETIMEDOUT;
                goto out;
            }
            pause_ms(20);
        }
        setup_s = now_s() - t_setup0;
        links0 = open_links / 2;
    }
    base = st[0].applied;
    if (proto_unhex(st[0].ledger, ledger, 32) < 0) {
        rc = -EPROTO;
        goto out;
    }
    for (unsigned i = 0; i < nn; i++) {
        rx0 += st[i].rx_entries;
        new0 += st[i].rx_new;
    }
    /* The genesis is the first entry of device 00's feed, and the ledger id is its id. */
    au[0].seq = 1;
    memcpy(au[0].prev, ledger, 32);
    fprintf(stderr,
            "gossip: %u nodes, %u links (%u configured; a full mesh has %u), settled in %.1f s; "
            "posting %llu entries\n",
            (unsigned)nn, links0, edges, (unsigned)(nn * (nn - 1) / 2), setup_s,
            (unsigned long long)posts);

    for (uint64_t k = 0; k < posts; k++) {
        struct gauthor *a = &au[k % NAUTHORS];
        bool held[GOSSIP_NODES_MAX] = {false};
        unsigned nheld = 1;
        double t0, tl = 0;
        json_t *r;

        if ((rc = gossip_request(a, ledger, k, posts, &req)) < 0)
            goto out;
        t0 = now_s();
        if ((rc = ctl_send(&d[a->node], req)) < 0 ||
            (rc = ctl_recv(&d[a->node], t0 + 10, &r)) < 0) {
            saksid_fail(&d[a->node], "submit", rc);
            goto out;
        }
        if (!json_string_value(json_object_get(r, "result")) ||
            strcmp(json_string_value(json_object_get(r, "result")), "new") != 0) {
            fprintf(stderr, "saksi-bench: gossip: post %llu was not new\n", (unsigned long long)k);
            json_decref(r);
            rc = -EPROTO;
            goto out;
        }
        json_decref(r);
        free(req);
        req = NULL;
        held[a->node] = true;
        tl = now_s();
        while (nheld < nn) {
            for (unsigned i = 0; i < nn; i++)
                if (!held[i] && (rc = ctl_send(&d[i], "{\"op\":\"status\"}")) < 0)
                    break;
            for (unsigned i = 0; i < nn && rc == 0; i++) {
                if (held[i] || (rc = status_recv(&d[i], now_s() + 10, &st[i])) < 0)
                    continue;
                if (st[i].applied >= base + k + 1) {
                    held[i] = true;
                    nheld++;
                    tl = now_s();
                }
            }
            if (rc < 0) {
                fprintf(stderr, "saksi-bench: gossip: status: %s\n", err_str(rc));
                goto out;
            }
            if (nheld == nn)
                break;
            if (interrupted || now_s() > t0 + 10) {
                fprintf(stderr, "saksi-bench: gossip: post %llu reached %u of %u nodes in 10 s\n",
                        (unsigned long long)k, nheld, (unsigned)nn);
                rc = -ETIMEDOUT;
                goto out;
            }
            pause_ms(1);
        }
        lat[k] = tl - t0;
    }

    /* Late duplicates count too: wait until the received counters rest for 0.5 s. */
    {
        double t0 = now_s(), since = t0;
        uint64_t last = UINT64_MAX;

        for (;;) {
            rx1 = new1 = 0;
            open_links = 0;
            for (unsigned i = 0; i < nn; i++) {
                if ((rc = status_call(&d[i], now_s() + 10, &st[i])) < 0) {
                    saksid_fail(&d[i], "status", rc);
                    goto out;
                }
                rx1 += st[i].rx_entries;
                new1 += st[i].rx_new;
                open_links += st[i].peers_open;
            }
            if (rx1 != last) {
                last = rx1;
                since = now_s();
            } else if (now_s() - since >= 0.5) {
                break;
            }
            if (interrupted || now_s() > t0 + 15) {
                fprintf(stderr, "saksi-bench: gossip: the received counters did not rest\n");
                rc = -ETIMEDOUT;
                goto out;
            }
            pause_ms(50);
        }
        quiet_s = now_s() - t0;
    }
    rc = saksid_stop_all(d, nn);
    if (rc < 0)
        goto out;
    qsort(lat, posts, sizeof *lat, cmp_double);
    {
        double sum = 0;

        for (uint64_t k = 0; k < posts; k++)
            sum += lat[k];
        x = posts * (nn - 1);
        printf("gossip_nodes=%u\n"
               "gossip_links=%u\n"
               "gossip_links_configured=%u\n"
               "gossip_links_full_mesh=%u\n"
               "gossip_links_at_end=%u\n"
               "gossip_setup_s=%.2f\n"
               "gossip_posts=%llu\n"
               "gossip_min_ms=%.1f\n"
               "gossip_p50_ms=%.1f\n"
               "gossip_p90_ms=%.1f\n"
               "gossip_p99_ms=%.1f\n"
               "gossip_max_ms=%.1f\n"
               "gossip_mean_ms=%.1f\n"
               "gossip_received=%llu\n"
               "gossip_received_new=%llu\n"
               "gossip_copies_per_node=%.3f\n"
               "gossip_new_per_node=%.3f\n"
               "gossip_rest_s=%.2f\n",
               (unsigned)nn, links0, edges, (unsigned)(nn * (nn - 1) / 2), open_links / 2, setup_s,
               (unsigned long long)posts, lat[0] * 1e3, percentile(lat, posts, 0.5) * 1e3,
               percentile(lat, posts, 0.9) * 1e3, percentile(lat, posts, 0.99) * 1e3,
               lat[posts - 1] * 1e3, sum / (double)posts * 1e3, (unsigned long long)(rx1 - rx0),
               (unsigned long long)(new1 - new0), (double)(rx1 - rx0) / (double)x,
               (double)(new1 - new0) / (double)x, quiet_s);
    }
out:
    free(req);
    if (d)
        (void)saksid_stop_all(d, nn);
    for (unsigned i = 0; i < NAUTHORS; i++)
        proto_keys_free(au[i].k);
    free(d);
    free(st);
    free(lat);
    if (rc < 0 && rc != -ECHILD && rc != -ETIMEDOUT && rc != -EPROTO)
        fprintf(stderr, "saksi-bench: gossip: %s\n", err_str(rc));
    return rc < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "run") == 0)
        return cmd_run(argc, argv);
    if (proto_crypto_init() < 0) {
        fprintf(stderr, "saksi-bench: cannot initialise libsodium\n");
        return 1;
    }
    if (argc >= 2 && strcmp(argv[1], "gen") == 0)
        return cmd_gen(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "limits") == 0)
        return cmd_limits(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "verify") == 0)
        return cmd_verify(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "replicate") == 0)
        return cmd_replicate(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "gossip") == 0)
        return cmd_gossip(argc, argv);
    fprintf(stderr, "usage: saksi-bench gen [--devices D] [--keys DIR] N FILE\n"
                    "       saksi-bench verify FILE\n"
                    "       saksi-bench limits [--batch B] [--seconds S] [--repeat R] [--dir DIR]\n"
                    "       saksi-bench run [--log FILE] -- CMD [ARG...]\n"
                    "       saksi-bench replicate --saksid EXE --source DIR --sink DIR "
                    "[--deadline S]\n"
                    "       saksi-bench gossip --saksid EXE --dir DIR --keys KEYS [--nodes N] "
                    "[--posts K] [--seed S]\n");
    return 2;
}
