/*
 * saksi-bench: the tools behind `make bench` (tests/bench/run.sh drives them).
 *
 *   saksi-bench gen N FILE
 *       Writes a deterministic export stream: a genesis (six founders: four pengurus, a kasir
 *       and a pengawas) and N balanced journal entries spread round-robin over the five
 *       authors allowed to post journals. The same N always gives the same bytes. Feeds are
 *       signed in parallel on all cores (a feed's entries are chained, so each feed is built
 *       in order, chunk after chunk, while other threads build other feeds).
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
 *   saksi-bench run [--log FILE] -- CMD [ARG...]
 *       Runs CMD, waits for it with wait4() and reports the wall-clock time, the peak RSS
 *       (ru_maxrss) and the peak anonymous RSS (sampled from /proc every 10 ms: the memory the
 *       process allocated itself, without file mappings such as LMDB's map), and how much CPU
 *       the neighbours took meanwhile (other processes on this kernel, and the hypervisor's
 *       steal). Exits with CMD's status.
 *
 * Results are printed as key=value lines on stdout; progress and errors go to stderr. This is
 * test code: it includes sodium.h and lmdb.h directly to measure the primitives themselves.
 */
#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proto/buf.h"
#include "proto/crypto.h"
#include "proto/entry.h"
#include "proto/err.h"
#include "proto/ledger.h"

#define NAUTHORS    5    /* feeds that post journals */
#define NROSTER     6    /* the authors and one pengawas */
#define CHUNK       2048 /* entries of one feed built as one task */
#define SLOTS       4    /* rounds of chunks in flight (memory stays bounded) */
#define THREADS_MAX 64   /* signing and verifying threads */
#define MAGIC       "SAKSIEX1"
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
static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

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

/* A device from a fixed seed byte (the same approach as tests/fuzz/fuzz_import.c). */
static int fixed_keys(uint8_t seed, struct proto_keys **out)
{
    struct proto_buf b;
    uint8_t secret[64];
    int rc;

    memset(secret, seed, sizeof secret);
    proto_buf_init(&b);
    rc = proto_buf_append(&b, "SAKSIKEY\x01\x00", 10);
    if (rc == 0)
        rc = proto_buf_append(&b, secret, sizeof secret);
    if (rc == 0)
        rc = proto_keyfile_decode(b.data, b.len, NULL, 0, out);
    proto_buf_release(&b);
    return rc;
}

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
    default:
        snprintf(jn->memo, sizeof jn->memo, "Tarik sukarela + admin #%05u", member);
        jn->lines[0] = (struct proto_line){2100, member, a + b, 0};
        jn->lines[1] = (struct proto_line){1100, 0, 0, a};
        jn->lines[2] = (struct proto_line){4100, 0, 0, b};
        jn->nlines = 3;
        break;
    }
}

struct gfeed {
    struct proto_keys *k;
    uint64_t count; /* journals in this feed */
    uint64_t seq;   /* seq of the last entry built */
    uint8_t prev[32];
    uint64_t rounds; /* chunks built so far (the next task of this feed is this round) */
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
    size_t start = out->len, len;
    uint8_t *p;
    int rc;

    rc = proto_buf_append(out, "\0\0\0\0", 4);
    if (rc < 0)
        return rc;
    rc = proto_entry_build(out, f->k, ledger, f->seq + 1, f->seq ? f->prev : NULL, time_ms, kind,
                           body->data, body->len);
    if (rc < 0)
        return rc;
    p = out->data + start;
    len = out->len - start - 4;
    p[0] = (uint8_t)(len >> 24);
    p[1] = (uint8_t)(len >> 16);
    p[2] = (uint8_t)(len >> 8);
    p[3] = (uint8_t)len;
    proto_entry_id(p + 4, len, f->prev);
    f->seq++;
    return 0;
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

/* The genesis record: chart, roster of six founders, default policy. Sets g->ledger. */
static int gen_genesis(struct gen *g, struct proto_keys *const keys[NROSTER], FILE *out)
{
    static const uint8_t roles[NROSTER] = {PROTO_ROLE_PENGURUS, PROTO_ROLE_PENGURUS,
                                           PROTO_ROLE_PENGURUS, PROTO_ROLE_PENGURUS,
                                           PROTO_ROLE_KASIR,    PROTO_ROLE_PENGAWAS};
    static const uint8_t offices[NROSTER] = {PROTO_OFFICE_KETUA,     PROTO_OFFICE_SEKRETARIS,
                                             PROTO_OFFICE_BENDAHARA, PROTO_OFFICE_NONE,
                                             PROTO_OFFICE_NONE,      PROTO_OFFICE_NONE};
    struct proto_account acc[6] = {
        {1100, PROTO_ACCT_ASSET, false, "Kas"},
        {2100, PROTO_ACCT_LIABILITY, true, "Simpanan sukarela"},
        {3100, PROTO_ACCT_EQUITY, true, "Simpanan pokok"},
        {3110, PROTO_ACCT_EQUITY, true, "Simpanan wajib"},
        {4100, PROTO_ACCT_REVENUE, false, "Pendapatan jasa pinjaman"},
        {5240, PROTO_ACCT_EXPENSE, false, "Beban alat tulis kantor"},
    };
    struct proto_device roster[NROSTER];
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
    for (unsigned i = 0; i < NROSTER; i++) {
        roster[i].member = i + 1;
        roster[i].role = roles[i];
        roster[i].office = offices[i];
        memcpy(roster[i].sign_pk, keys[i]->sign_pk, 32);
        memcpy(roster[i].box_pk, keys[i]->box_pk, 32);
        proto_card_sign(keys[i], roster[i].card_sig);
    }
    gen.nroster = NROSTER;
    gen.roster = roster;
    proto_policy_default(&gen.policy);
    proto_buf_init(&body);
    proto_buf_init(&rec);
    rc = proto_genesis_check(&gen);
    if (rc == 0)
        rc = proto_genesis_encode(&gen, &body);
    if (rc == 0)
        rc = gen_entry(&g->f[0], &rec, T0_MS - 86400000ULL, PROTO_KIND_GENESIS, NULL, &body);
    if (rc == 0) {
        memcpy(g->ledger, g->f[0].prev, 32);
        if (fwrite(rec.data, 1, rec.len, out) != rec.len)
            rc = -EIO;
    }
    proto_buf_release(&body);
    proto_buf_release(&rec);
    return rc;
}

static int cmd_gen(int argc, char **argv)
{
    struct proto_keys *keys[NROSTER] = {NULL};
    pthread_t th[THREADS_MAX];
    unsigned nth = 0, want = cores();
    struct gen *g = NULL;
    FILE *out = NULL;
    double t0 = now_s();
    uint64_t n, shown = 0;
    int rc = 0;

    if (argc != 4 || parse_u64(argv[2], &n) < 0) {
        fprintf(stderr, "usage: saksi-bench gen N FILE\n");
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
    for (unsigned i = 0; i < NROSTER && rc == 0; i++)
        rc = fixed_keys((uint8_t)(0x51 + i), &keys[i]);
    if (rc < 0) {
        fprintf(stderr, "saksi-bench: keys: %s\n", err_str(rc));
        goto out;
    }
    for (unsigned fi = 0; fi < NAUTHORS; fi++) {
        g->f[fi].k = keys[fi];
        g->f[fi].count = n / NAUTHORS + (fi < n % NAUTHORS ? 1 : 0);
    }
    g->rounds = (g->f[0].count + CHUNK - 1) / CHUNK;
    out = fopen(argv[3], "wb");
    if (!out) {
        rc = -errno;
        fprintf(stderr, "saksi-bench: %s: %s\n", argv[3], strerror(-rc));
        goto out;
    }
    (void)setvbuf(out, NULL, _IOFBF, 1 << 20);
    if (fwrite(MAGIC, 1, 8, out) != 8 || (rc = gen_genesis(g, keys, out)) < 0) {
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
    for (unsigned i = 0; i < NROSTER; i++)
        proto_keys_free(keys[i]);
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
    fprintf(stderr, "usage: saksi-bench gen N FILE\n"
                    "       saksi-bench verify FILE\n"
                    "       saksi-bench limits [--batch B] [--seconds S] [--repeat R] [--dir DIR]\n"
                    "       saksi-bench run [--log FILE] -- CMD [ARG...]\n");
    return 2;
}
