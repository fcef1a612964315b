/*
 * A fixed pool of pthreads working through one batch at a time. Work is handed out in chunks
 * through a shared cursor under the pool's mutex, so a slow entry does not hold up a whole
 * slice.
 */
#include "cli/verify.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#define CHUNK       64
#define THREADS_MAX 64

struct verify_pool {
    pthread_mutex_t mu;
    pthread_cond_t work; /* a batch is available, or stop */
    pthread_cond_t done; /* a batch finished */
    struct verify_job *jobs;
    size_t n, next, finished;
    bool stop;
    unsigned nthreads;
    pthread_t threads[THREADS_MAX];
};

/* Takes one chunk and works it; called and returns with the mutex held. */
static void take_chunk(struct verify_pool *p)
{
    size_t lo = p->next, hi = lo + CHUNK < p->n ? lo + CHUNK : p->n;

    p->next = hi;
    pthread_mutex_unlock(&p->mu);
    for (size_t i = lo; i < hi; i++) {
        struct verify_job *j = &p->jobs[i];

        if (!j->raw)
            continue; /* rejected before verification: keeps its rc */
        j->rc = proto_entry_parse(j->raw, j->len, &j->e);
        if (j->rc == 0)
            j->rc = proto_entry_verify(&j->e);
    }
    pthread_mutex_lock(&p->mu);
    p->finished += hi - lo;
    if (p->finished == p->n)
        pthread_cond_broadcast(&p->done);
}

static void *worker(void *arg)
{
    struct verify_pool *p = arg;

    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && p->next >= p->n)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->stop)
            break;
        take_chunk(p);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int verify_pool_new(unsigned nthreads, struct verify_pool **out)
{
    struct verify_pool *p;

    *out = NULL;
    if (nthreads == 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);

        nthreads = c > 0 ? (unsigned)c : 1;
    }
    if (nthreads > THREADS_MAX)
        nthreads = THREADS_MAX;
    p = calloc(1, sizeof *p);
    if (!p)
        return -ENOMEM;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    for (unsigned i = 0; i < nthreads; i++) {
        int rc = pthread_create(&p->threads[i], NULL, worker, p);

        if (rc != 0) {
            p->nthreads = i;
            verify_pool_free(p);
            return -rc;
        }
    }
    p->nthreads = nthreads;
    *out = p;
    return 0;
}

void verify_pool_free(struct verify_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (unsigned i = 0; i < p->nthreads; i++)
        pthread_join(p->threads[i], NULL);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

void verify_pool_start(struct verify_pool *p, struct verify_job *jobs, size_t n)
{
    pthread_mutex_lock(&p->mu);
    p->jobs = jobs;
    p->n = n;
    p->next = 0;
    p->finished = 0;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
}

void verify_pool_wait(struct verify_pool *p)
{
    pthread_mutex_lock(&p->mu);
    /* The waiting thread helps with what is left rather than sleep: no core idles. */
    while (p->next < p->n)
        take_chunk(p);
    while (p->finished < p->n)
        pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
}
