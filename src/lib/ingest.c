/* ingest.c - traffic into the store: files, directories and standard input, in batches that are
 * parsed in parallel and committed with their checkpoint (see <apicensus/traffic.h>).
 *
 * Three kinds of thread share a file. This thread reads it in chunks of 2 MiB of whole lines
 * into a ring of 2 x threads + 2 buffers and queues them. The workers (one per CPU) take chunks
 * as they come, each parsing into its own reader state and its own aggregator, so a slow worker
 * never holds the others back. This thread then accounts the chunks in file order (line
 * numbers of bad lines, counts, progress) and, once the last chunk of a batch (--batch-size,
 * 512 MiB by default) is accounted, hands the batch to the committer, which merges the workers'
 * aggregators of that batch and commits them with the file position after it in one
 * transaction: a crash loses at most the batches not yet committed, which the next run reads
 * again. Workers keep two aggregators, one per open batch, so parsing goes on while the
 * previous batch is committed; a third batch waits for that commit. Merging is
 * order-independent, so results do not depend on the number of threads or on which worker
 * parsed which chunk. A chunk grows for a long line, up to 64 MiB; a longer line is skipped to
 * its end and reported as a bad line.
 * Formats whose header lines change the reader's state (W3C "#Fields", Zeek "#fields") use one
 * worker, which takes the chunks in order, and on resume their header lines from the start of
 * the file are replayed.
 */
#include "aggregate.h"
#include "input.h"
#include "matcher.h"
#include "pipeline.h"
#include "reader.h"
#include "shapes.h"
#include "shaping.h"
#include "store.h"
#include "version.h"

#include <apicensus/traffic.h>

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#define CHUNK_DEFAULT (2u * 1024u * 1024u)   /* bytes a worker parses at a time */
#define LINE_LIMIT (64u * 1024u * 1024u)     /* the longest line read */
#define BATCH_DEFAULT (512u * 1024u * 1024u) /* bytes committed in one transaction */
#define BATCH_MIN (64u * 1024u)
#define HEAD_ID_BYTES 4096u
#define MAX_THREADS 64
#define DETECT_LINES 20
#define HAR_MAX (1024u * 1024u * 1024u)

struct ingest {
    struct ac_store *s;
    const struct ac_ingest_opts *o;
    struct ac_ingest_stats *st;
    struct ac_diag *d;
    struct ac_matcher *m;
    struct ac_domains dom;
    struct ac_pipeline pipe;
    unsigned threads;
    size_t batch;   /* bytes committed at a time (whole chunks) */
    bool following; /* --follow: polls are not counted as files */
    struct timespec t0;
    char now[32];
    struct ac_path_policy policy;  /* policy.paths */
    struct ac_matcher *pins;       /* its pinned templates, or NULL */
    struct ac_shapes *shapes;      /* the stored undocumented shapes (the committer's) */
    bool committed;                /* some batch was committed: endpoints to derive again */
    bool derived;                  /* the last commit derived every endpoint (ac_batch.derive) */
    struct ac_derive_opts derive;  /* policy.paths and dates, for the store's derivations */
    uint64_t endpoints0;           /* endpoints stored when the ingest started */
    uint64_t stamp;                /* of the documented operations (ac__registry_stamp) */
    struct ac_ingest_opts no_opts; /* ac__shaping_open's (no options) */
    struct ac_ingest_stats no_stats;
};

/* --- preparation ------------------------------------------------------------------------ */

static enum ac_err add_documented(void *ud, int64_t id, const char *method, const char *tmpl,
                                  const char *version, const char *host)
{
    struct ingest *g = ud;

    enum ac_err err;

    g->stamp = ac__registry_stamp(g->stamp, id, method, tmpl, version, host);
    if (version != NULL && ac__is_date(version, strlen(version)))
        g->pipe.date_versions = true;
    err = ac__matcher_add(g->m, host, method, tmpl, version, id);
    /* A template the matcher cannot hold (too long, not a path) only goes unmatched. */
    return err == AC_ELIMIT || err == AC_EUSAGE ? AC_OK : err;
}

static bool is_pin(const struct ingest *g, const char *tmpl)
{
    size_t i;

    for (i = 0; i < g->policy.npins; i++)
        if (strcmp(g->policy.pins[i], tmpl) == 0)
            return true;
    return false;
}

static enum ac_err add_shape(void *ud, const char *host, const char *tmpl)
{
    struct ingest *g = ud;
    char out[AC_SHAPE_MAX];
    bool collapsed = false;
    enum ac_err err;

    if (is_pin(g, tmpl))
        return AC_OK;
    err = ac__shapes_add(g->shapes, host, tmpl, out, sizeof(out), &collapsed);
    return err == AC_ELIMIT ? AC_OK : err;
}

/* The pinned templates into their matcher, the literal paths and every stored undocumented
 * shape into the tree that the threads' own trees start from. */
static enum ac_err load_shapes(struct ingest *g)
{
    size_t i;
    enum ac_err err = AC_OK;

    g->shapes = ac__shapes_new(0, g->pipe.date_versions);
    if (g->shapes == NULL)
        return ac_diag_set(g->d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    if (g->policy.npins > 0 && (g->pins = ac__matcher_new()) == NULL)
        return ac_diag_set(g->d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    for (i = 0; err == AC_OK && i < g->policy.npins; i++) {
        err = ac__matcher_add(g->pins, NULL, "GET", g->policy.pins[i], NULL, 0);
        if (err == AC_ELIMIT || err == AC_EUSAGE)
            err = AC_OK; /* a pin the matcher cannot hold is only not used */
    }
    for (i = 0; err == AC_OK && i < g->policy.nliterals; i++)
        err = ac__shapes_pin(g->shapes, g->policy.literals[i]);
    if (err == AC_OK)
        err = g->s->ops->shapes(g->s, add_shape, g, g->d);
    if (err == AC_ENOMEM)
        ac_diag_set(g->d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    return err;
}

static enum ac_err prepare(struct ingest *g)
{
    enum ac_err err;
    long cpus;

    if (g->o->format != NULL && strchr(g->o->format, '$') == NULL &&
        strchr(g->o->format, ':') == NULL && strcmp(g->o->format, "har") != 0 &&
        ac__reader_find(g->o->format) == NULL)
        return ac_diag_set(g->d, AC_EUSAGE, NULL, 0, 0,
                           "unknown log format '%s' (see 'apicensus ingest --help')", g->o->format);
    g->m = ac__matcher_new();
    if (g->m == NULL)
        return ac_diag_set(g->d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    err = g->s->ops->documented(g->s, add_documented, g, g->d);
    if (err != AC_OK)
        return err;
    err = g->s->ops->domains(g->s, &g->dom, g->d);
    if (err != AC_OK)
        return err;
    err = g->s->ops->path_policy(g->s, &g->policy, g->d);
    if (err == AC_OK)
        err = g->s->ops->count_endpoints(g->s, &g->endpoints0, g->d);
    if (err == AC_OK)
        err = load_shapes(g);
    if (err != AC_OK)
        return err;
    g->pipe.matcher = g->m;
    g->pipe.pins = g->pins;
    g->pipe.domains = (const char *const *)g->dom.v;
    g->pipe.ndomains = g->dom.n;
    g->pipe.host = g->o->host;
    g->pipe.outbound = g->o->outbound;
    g->derive.literals = (const char *const *)g->policy.literals;
    g->derive.nliterals = g->policy.nliterals;
    g->derive.pins = (const char *const *)g->policy.pins;
    g->derive.npins = g->policy.npins;
    g->derive.dates = g->pipe.date_versions;
    cpus = sysconf(_SC_NPROCESSORS_ONLN);
    g->threads = g->o->threads != 0 ? g->o->threads : (cpus > 0 ? (unsigned)cpus : 1);
    if (g->threads > MAX_THREADS)
        g->threads = MAX_THREADS;
    g->batch = g->o->batch_bytes != 0 ? g->o->batch_bytes : BATCH_DEFAULT;
    if (g->batch < BATCH_MIN)
        g->batch = BATCH_MIN;
    return AC_OK;
}

/* --- files ------------------------------------------------------------------------------ */

/* A piece of a file: whole lines, parsed by whichever worker takes it. Chunk number n (in file
 * order) lives in ring[n % nring]. Workers read `buf`, `len` and `batch` and write the results;
 * the ingest thread reads the results only once `done` (set under the lock). */
struct chunk {
    char *buf;
    size_t cap, len;   /* bytes allocated; bytes of whole lines queued */
    uint64_t skip;     /* bytes of overlong lines dropped before buf (counted, not parsed) */
    uint32_t nskipped; /* those lines */
    uint64_t batch;    /* the batch it belongs to (sequence number) */
    bool last;         /* the last chunk of its batch (read by the ingest thread only) */
    bool done;         /* parsed */
    struct ac_chunk c; /* counts and first bad lines; c.agg is the worker's */
    enum ac_err err;
};

struct file_run;

/* A parsing thread: its reader state and one aggregator per open batch (by parity). */
struct worker {
    struct file_run *f;
    struct ac_reader *state;
    struct ac_agg *agg[2];
    struct ac_shapes *shapes; /* its own copy of the undocumented-path structure */
    struct ac_pipe_memo *memo;
    pthread_t tid;
    bool started;
};

struct file_run {
    struct ingest *g;
    const char *path;
    struct ac_input *in;
    const struct ac_reader_ops *ops;
    const char *spec;
    struct ac_reader *states[MAX_THREADS];
    unsigned nthreads;
    struct ac_checkpoint cp;
    bool has_cp;
    uint64_t bad_reported;
    const char *source;
    uint64_t batch_bytes, batch_lines; /* of the oldest open batch, chunks accounted so far */
    int64_t start_offset, start_lines; /* the checkpoint this run started at */
    uint64_t done_bytes, done_lines;   /* accounted since then (f->cp is the committer's) */
    /* The queue of chunks between this thread (reading and accounting) and the workers
     * (parsing); batches then go to the committer (merging and storing). */
    struct worker w[MAX_THREADS];
    pthread_mutex_t mu;
    pthread_cond_t more;   /* workers wait for a chunk */
    pthread_cond_t parsed; /* this thread waits for the oldest chunk */
    struct chunk *ring;
    unsigned nring;
    uint64_t queued, taken, recycled; /* chunk numbers: next to queue, to parse, to account */
    bool quit;
    uint64_t open_batch; /* the batch new chunks join */
    uint64_t open_bytes; /* bytes queued in it */
    /* The committer: batch number n is handed over with its bytes and lines in job[n & 1]. */
    pthread_t ctid;
    bool cstarted, cquit;
    pthread_cond_t job;       /* the committer waits for a batch */
    pthread_cond_t committed; /* this thread waits for a batch to be committed */
    uint64_t nready, ncommitted;
    struct {
        uint64_t bytes, lines;
    } jobs[2];
    struct ac_agg *all; /* the committer's: the batch being merged */
    enum ac_err cerr;   /* the committer's first error, with its diagnostic in cd */
    struct ac_diag cd;
};

static double elapsed(const struct ingest *g)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - g->t0.tv_sec) + (double)(t.tv_nsec - g->t0.tv_nsec) / 1e9;
}

static void progress(struct file_run *f, uint64_t bytes)
{
    struct ac_ingest_progress p;

    if (f->g->o->on_progress == NULL)
        return;
    p.path = f->path;
    p.format = f->ops != NULL ? f->ops->name : "har";
    p.bytes = bytes;
    p.total = ac__input_size(f->in);
    p.lines = f->g->st->lines;
    p.seconds = elapsed(f->g);
    f->g->o->on_progress(f->g->o->ud, &p);
}

/* Hosts whose stored undocumented rows must be reshaped. */
struct reshaped {
    char **hosts;
    size_t n;
};

static bool reshape_stored(void *ud, const char *host, const char *tmpl, char *out, size_t cap)
{
    return ac__shapes_get(ud, host, tmpl, out, cap);
}

static bool undocumented(const struct ingest *g, const struct ac_obs *o)
{
    return !o->documented && !o->is_static && o->tmpl[0] == '/' && !is_pin(g, o->tmpl);
}

/* Fold an aggregator's undocumented shapes into the ingest's structure (threads found them with
 * their own part of the traffic only). Hosts where a position became a parameter go to rs. */
static enum ac_err fold_shapes(struct ingest *g, const struct ac_agg *agg, struct reshaped *rs)
{
    size_t i, n = ac__agg_count(agg), k;
    char shape[AC_SHAPE_MAX];
    enum ac_err err = AC_OK;

    for (i = 0; err == AC_OK && i < n; i++) {
        const struct ac_obs *o = ac__agg_get(agg, i);
        bool collapsed = false;

        if (!undocumented(g, o))
            continue;
        err = ac__shapes_add(g->shapes, o->host, o->tmpl, shape, sizeof(shape), &collapsed);
        if (err == AC_ELIMIT)
            err = AC_OK;
        for (k = 0; collapsed && k < rs->n && strcmp(rs->hosts[k], o->host) != 0; k++)
            ;
        if (err == AC_OK && collapsed && k == rs->n) {
            char **nh = realloc(rs->hosts, (rs->n + 1) * sizeof(*nh));

            if (nh == NULL || (nh[rs->n] = strdup(o->host)) == NULL)
                err = AC_ENOMEM;
            if (nh != NULL)
                rs->hosts = nh;
            if (err == AC_OK)
                rs->n++;
        }
    }
    return err;
}

static void free_tmpls(char **tmpls, size_t n)
{
    size_t i;

    for (i = 0; tmpls != NULL && i < n; i++)
        free(tmpls[i]);
    free(tmpls);
}

/* The shape, in the structure as it now stands, of each undocumented observation of agg whose
 * shape is not its template: *out has an entry per observation (NULL: unchanged), or is NULL
 * when no observation changes (the caller frees it with free_tmpls()). */
static enum ac_err shape_tmpls(struct ingest *g, const struct ac_agg *agg, char ***out)
{
    size_t i, n = ac__agg_count(agg), changed = 0;
    char shape[AC_SHAPE_MAX], **tmpls = NULL;
    enum ac_err err = AC_OK;

    *out = NULL;
    if (n > 0 && (tmpls = calloc(n, sizeof(*tmpls))) == NULL)
        err = AC_ENOMEM;
    for (i = 0; err == AC_OK && i < n; i++) {
        const struct ac_obs *o = ac__agg_get(agg, i);

        if (undocumented(g, o) &&
            ac__shapes_get(g->shapes, o->host, o->tmpl, shape, sizeof(shape)) &&
            strcmp(shape, o->tmpl) != 0) {
            tmpls[i] = strdup(shape);
            if (tmpls[i] == NULL)
                err = AC_ENOMEM;
            changed++;
        }
    }
    if (err != AC_OK || changed == 0) {
        free_tmpls(tmpls, n);
        tmpls = NULL;
    }
    *out = tmpls;
    return err;
}

/* Fold the batch's undocumented shapes into the ingest's structure, then give every one its
 * shape in the structure as it then stands: *out is agg, or a new aggregator (the caller frees
 * it) in which observations that now share a shape are one, their per-client counts added, so
 * that the batch's figures do not depend on when a thread's own structure made a position a
 * parameter. Hosts where a position became a parameter go to rs. */
static enum ac_err reshape(struct ingest *g, struct ac_agg *agg, struct reshaped *rs,
                           struct ac_agg **out, struct ac_diag *d)
{
    char **tmpls = NULL;
    enum ac_err err;

    *out = agg;
    err = fold_shapes(g, agg, rs);
    if (err == AC_OK)
        err = shape_tmpls(g, agg, &tmpls);
    if (err == AC_OK && tmpls != NULL) {
        struct ac_agg *re = ac__agg_new();

        if (re == NULL || ac__agg_merge_as(re, agg, (const char *const *)tmpls) != AC_OK) {
            ac__agg_free(re);
            err = AC_ENOMEM;
        } else {
            *out = re;
        }
    }
    free_tmpls(tmpls, ac__agg_count(agg));
    return err == AC_ENOMEM ? ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory") : err;
}

static void free_reshaped(struct reshaped *rs)
{
    size_t i;

    for (i = 0; i < rs->n; i++)
        free(rs->hosts[i]);
    free(rs->hosts);
    rs->hosts = NULL;
    rs->n = 0;
}

/* Finish and commit an aggregator whose observations are under their shapes (rs: the hosts
 * whose stored rows must be reshaped), with the checkpoint after `bytes` and `lines` more. */
static enum ac_err commit_shaped(struct file_run *f, struct ac_agg *agg, const struct reshaped *rs,
                                 uint64_t bytes, uint64_t lines, struct ac_diag *d)
{
    struct ac_batch b;
    struct ac_batch_result r = {0, 0, false, false, false};
    enum ac_err err;

    ac__agg_finish(agg);
    memset(&b, 0, sizeof(b));
    b.from_offset = f->cp.offset;
    f->cp.offset += (int64_t)bytes;
    f->cp.lines += (int64_t)lines;
    b.source = f->source;
    b.agg = agg;
    b.cp = f->has_cp ? &f->cp : NULL;
    b.now = f->g->now;
    b.reshape_hosts = (const char *const *)rs->hosts;
    b.nreshape = rs->n;
    b.reshape = reshape_stored;
    b.reshape_ud = f->g->shapes;
    b.derive = &f->g->derive;
    err = f->g->s->ops->commit_batch(f->g->s, &b, &r, d);
    if (err == AC_OK) {
        f->g->committed = true;
        f->g->derived = r.derived;
        f->g->st->known_endpoints += r.known_endpoints;
    }
    return err;
}

/* Shape an aggregator and commit it with the checkpoint after `bytes` and `lines` more. */
static enum ac_err commit(struct file_run *f, struct ac_agg *agg, uint64_t bytes, uint64_t lines,
                          struct ac_diag *d)
{
    struct reshaped rs = {NULL, 0};
    struct ac_agg *use = agg;
    enum ac_err err;

    err = reshape(f->g, agg, &rs, &use, d);
    if (err == AC_OK)
        err = commit_shaped(f, use, &rs, bytes, lines, d);
    free_reshaped(&rs);
    if (use != agg)
        ac__agg_free(use);
    return err;
}

/* Report a bad line (the first few of the file only). */
static void report_line(struct file_run *f, uint64_t line, const char *why)
{
    if (f->bad_reported < AC_PIPE_BAD_KEPT && f->g->o->on_bad_line != NULL)
        f->g->o->on_bad_line(f->g->o->ud, f->path, line, why);
    f->bad_reported++;
}

static void report_bad(struct file_run *f, const struct ac_chunk *c, uint64_t base)
{
    size_t i;

    for (i = 0; i < c->nbad_first; i++)
        report_line(f, base + c->bad_first[i].line, c->bad_first[i].why);
}

/* --- the chunk queue -------------------------------------------------------------------- */

static void *work(void *arg)
{
    struct worker *w = arg;
    struct file_run *f = w->f;

    pthread_mutex_lock(&f->mu);
    for (;;) {
        struct chunk *c;

        while (!f->quit && f->taken == f->queued)
            pthread_cond_wait(&f->more, &f->mu);
        if (f->taken == f->queued)
            break; /* quit, and nothing left */
        c = &f->ring[f->taken++ % f->nring];
        pthread_mutex_unlock(&f->mu);
        c->c.agg = w->agg[c->batch & 1];
        c->c.shapes = w->shapes;
        c->c.memo = w->memo;
        c->err = ac__pipeline_lines(&f->g->pipe, f->ops, w->state, c->buf, c->len, &c->c);
        pthread_mutex_lock(&f->mu);
        c->done = true;
        pthread_cond_signal(&f->parsed);
    }
    pthread_mutex_unlock(&f->mu);
    return NULL;
}

/* Merge the workers' aggregators of batch b and commit them with the checkpoint after it. The
 * workers do not touch them meanwhile: chunks of batch b + 2, the next to use them, are queued
 * only once batch b is committed. Every worker's shapes are folded first, so that each
 * observation is merged once, under its shape. Their per-client records are merged by reference
 * (ac__agg_merge_ref()), so they are reset only after the commit. */
static enum ac_err commit_batch(struct file_run *f, uint64_t b, uint64_t bytes, uint64_t lines)
{
    struct reshaped rs = {NULL, 0};
    unsigned k;
    enum ac_err err = AC_OK;

    for (k = 0; err == AC_OK && k < f->nthreads; k++)
        err = fold_shapes(f->g, f->w[k].agg[b & 1], &rs);
    for (k = 0; err == AC_OK && k < f->nthreads; k++) {
        struct ac_agg **a = &f->w[k].agg[b & 1];
        char **tmpls = NULL;
        size_t n = ac__agg_count(*a);

        if (n == 0)
            continue;
        err = shape_tmpls(f->g, *a, &tmpls);
        if (err == AC_OK && tmpls == NULL && ac__agg_count(f->all) == 0) {
            struct ac_agg *t = f->all; /* the first one holding anything, as it is: swapped in */

            f->all = *a;
            *a = t;
        } else if (err == AC_OK) {
            err = ac__agg_merge_ref(f->all, *a, (const char *const *)tmpls);
        }
        free_tmpls(tmpls, n);
    }
    if (err == AC_ENOMEM)
        err = ac_diag_set(&f->cd, AC_ENOMEM, f->path, 0, 0, "out of memory");
    if (err == AC_OK) /* an empty batch too: its checkpoint moves */
        err = commit_shaped(f, f->all, &rs, bytes, lines, &f->cd);
    free_reshaped(&rs);
    ac__agg_reset(f->all); /* first: it may refer to the workers' records */
    for (k = 0; k < f->nthreads; k++)
        ac__agg_reset(f->w[k].agg[b & 1]);
    return err;
}

static void *commit_loop(void *arg)
{
    struct file_run *f = arg;

    pthread_mutex_lock(&f->mu);
    for (;;) {
        uint64_t b, bytes, lines;
        enum ac_err err = AC_OK;

        while (!f->cquit && f->ncommitted == f->nready)
            pthread_cond_wait(&f->job, &f->mu);
        if (f->ncommitted == f->nready)
            break;
        b = f->ncommitted;
        bytes = f->jobs[b & 1].bytes;
        lines = f->jobs[b & 1].lines;
        if (f->cerr == AC_OK) {
            pthread_mutex_unlock(&f->mu);
            err = commit_batch(f, b, bytes, lines);
            pthread_mutex_lock(&f->mu);
        }
        if (f->cerr == AC_OK)
            f->cerr = err;
        f->ncommitted++;
        pthread_cond_broadcast(&f->committed);
    }
    pthread_mutex_unlock(&f->mu);
    return NULL;
}

/* Start the workers (after the reader states) and the committer. */
static enum ac_err start_threads(struct file_run *f)
{
    unsigned k, started = 0;

    f->all = ac__agg_new();
    if (f->all == NULL)
        return ac_diag_set(f->g->d, AC_ENOMEM, f->path, 0, 0, "out of memory");
    for (k = 0; k < f->nthreads; k++) {
        struct worker *w = &f->w[k];

        w->f = f;
        w->state = f->states[k];
        w->agg[0] = ac__agg_new();
        w->agg[1] = ac__agg_new();
        w->shapes = ac__shapes_clone(f->g->shapes);
        w->memo = calloc(1, sizeof(*w->memo));
        if (w->agg[0] == NULL || w->agg[1] == NULL || w->shapes == NULL || w->memo == NULL)
            return ac_diag_set(f->g->d, AC_ENOMEM, f->path, 0, 0, "out of memory");
        w->started = pthread_create(&w->tid, NULL, work, w) == 0;
        started += w->started;
    }
    f->cstarted = started > 0 && pthread_create(&f->ctid, NULL, commit_loop, f) == 0;
    if (!f->cstarted)
        return ac_diag_set(f->g->d, AC_ENOMEM, f->path, 0, 0, "cannot start a thread");
    return AC_OK;
}

/* Let the workers and the committer finish what they were given, and wait for them. */
static void stop_threads(struct file_run *f)
{
    unsigned k;

    pthread_mutex_lock(&f->mu);
    f->quit = true;
    f->cquit = true;
    pthread_cond_broadcast(&f->more);
    pthread_cond_broadcast(&f->job);
    pthread_mutex_unlock(&f->mu);
    for (k = 0; k < f->nthreads; k++)
        if (f->w[k].started)
            pthread_join(f->w[k].tid, NULL);
    if (f->cstarted)
        pthread_join(f->ctid, NULL);
    for (k = 0; k < f->nthreads; k++) {
        ac__agg_free(f->w[k].agg[0]);
        ac__agg_free(f->w[k].agg[1]);
        ac__shapes_free(f->w[k].shapes);
        f->w[k].shapes = NULL;
        free(f->w[k].memo);
        f->w[k].memo = NULL;
        f->w[k].started = false;
    }
    ac__agg_free(f->all);
    f->all = NULL;
    f->cstarted = false;
}

/* Queue the first `len` bytes of the next chunk. */
static void enqueue(struct file_run *f, size_t len)
{
    struct chunk *c = &f->ring[f->queued % f->nring];

    memset(&c->c, 0, sizeof(c->c));
    c->len = len;
    c->batch = f->open_batch;
    c->err = AC_OK;
    f->open_bytes += c->skip + len;
    c->last = f->open_bytes >= f->g->batch;
    if (c->last) {
        f->open_batch++;
        f->open_bytes = 0;
    }
    pthread_mutex_lock(&f->mu);
    c->done = false;
    f->queued++;
    pthread_cond_signal(&f->more);
    pthread_mutex_unlock(&f->mu);
}

/* Hand the oldest open batch (every chunk of it accounted) to the committer. */
static void hand_over(struct file_run *f)
{
    pthread_mutex_lock(&f->mu);
    f->jobs[f->nready & 1].bytes = f->batch_bytes;
    f->jobs[f->nready & 1].lines = f->batch_lines;
    f->nready++;
    pthread_cond_signal(&f->job);
    pthread_mutex_unlock(&f->mu);
    f->batch_bytes = 0;
    f->batch_lines = 0;
}

/* The committer's error, if it had one, as this ingest's. */
static enum ac_err commit_error(struct file_run *f)
{
    enum ac_err err;

    pthread_mutex_lock(&f->mu);
    err = f->cerr;
    pthread_mutex_unlock(&f->mu);
    if (err != AC_OK)
        *f->g->d = f->cd;
    return err;
}

/* Wait for the oldest chunk not yet accounted, count it, report its bad lines, and hand its
 * batch to the committer when it was the batch's last chunk. Chunks are accounted in file order,
 * so line numbers and checkpoints follow the file whichever worker parsed them. */
static enum ac_err recycle(struct file_run *f)
{
    struct chunk *c = &f->ring[f->recycled % f->nring];
    struct ac_ingest_stats *st = f->g->st;
    uint32_t k;

    pthread_mutex_lock(&f->mu);
    while (!c->done)
        pthread_cond_wait(&f->parsed, &f->mu);
    pthread_mutex_unlock(&f->mu);
    f->recycled++;
    if (c->err != AC_OK)
        return ac_diag_set(f->g->d, c->err, f->path, 0, 0, "out of memory");
    for (k = 0; k < c->nskipped; k++)
        report_line(f, (uint64_t)f->start_lines + f->done_lines + k + 1,
                    "a line longer than 64 MiB (skipped)");
    report_bad(f, &c->c, (uint64_t)f->start_lines + f->done_lines + c->nskipped);
    f->batch_bytes += c->skip + c->len;
    f->batch_lines += c->nskipped + c->c.lines;
    f->done_bytes += c->skip + c->len;
    f->done_lines += c->nskipped + c->c.lines;
    st->bad += c->nskipped;
    st->lines += c->nskipped + c->c.lines;
    st->requests += c->c.requests;
    st->static_requests += c->c.static_requests;
    st->skipped += c->c.skipped;
    st->bad += c->c.bad;
    if (c->last)
        hand_over(f);
    progress(f, (uint64_t)f->start_offset + f->done_bytes);
    return commit_error(f);
}

/* Wait until fewer than `open` batches are handed over but not committed. */
static enum ac_err wait_committed(struct file_run *f, uint64_t open)
{
    pthread_mutex_lock(&f->mu);
    while (f->nready - f->ncommitted >= open && f->cerr == AC_OK)
        pthread_cond_wait(&f->committed, &f->mu);
    pthread_mutex_unlock(&f->mu);
    return commit_error(f);
}

/* A free slot for the next chunk, holding at least `need` bytes. Waits for the oldest chunk
 * when the ring is full, and, when a new batch starts, for the batch before last to be
 * committed (workers hold one aggregator per open batch, two at most). */
static enum ac_err next_slot(struct file_run *f, size_t need, size_t chunk, struct chunk **out)
{
    struct chunk *c;
    enum ac_err err = AC_OK;

    while (err == AC_OK && f->queued - f->recycled >= f->nring)
        err = recycle(f);
    while (err == AC_OK && f->open_bytes == 0 && f->open_batch >= 2) {
        uint64_t before = f->open_batch - 2; /* must be committed */
        uint64_t ready, done;

        pthread_mutex_lock(&f->mu);
        ready = f->nready;
        done = f->ncommitted;
        pthread_mutex_unlock(&f->mu);
        if (done > before)
            break;
        err = ready > before ? wait_committed(f, ready - before) : recycle(f);
    }
    if (err != AC_OK)
        return err;
    c = &f->ring[f->queued % f->nring];
    c->skip = 0;
    c->nskipped = 0;
    if (c->cap < chunk || c->cap <= need) {
        size_t cap = chunk;
        char *nb;

        while (cap <= need)
            cap *= 2;
        nb = realloc(c->buf, cap);
        if (nb == NULL)
            return ac_diag_set(f->g->d, AC_ENOMEM, f->path, 0, 0, "out of memory");
        c->buf = nb;
        c->cap = cap;
    }
    *out = c;
    return AC_OK;
}

/* The reader for this file: the one named in the options, or detected from the first lines. */
static enum ac_err choose_reader(struct file_run *f, const char *buf, size_t len)
{
    const char *fmt = f->g->o->format;
    const char *lines[DETECT_LINES];
    size_t lens[DETECT_LINES], n = 0;
    const char *s = buf, *end = buf + len;

    if (fmt != NULL && strchr(fmt, '$') != NULL) {
        f->ops = ac__reader_find("nginx");
        f->spec = fmt;
        return AC_OK;
    }
    if (fmt != NULL && strchr(fmt, ':') != NULL) {
        /* NAME:SPEC: a JSON field map for "json", overrides for a JSON preset. */
        char name[32];
        size_t nl = (size_t)(strchr(fmt, ':') - fmt);

        if (nl >= sizeof(name))
            nl = sizeof(name) - 1;
        memcpy(name, fmt, nl);
        name[nl] = '\0';
        f->ops = ac__reader_find(name);
        f->spec = strchr(fmt, ':') + 1;
        if (f->ops == NULL)
            return ac_diag_set(f->g->d, AC_EUSAGE, NULL, 0, 0,
                               "unknown log format '%s' (see 'apicensus ingest --help')", name);
        return AC_OK;
    }
    if (fmt != NULL) {
        f->ops = ac__reader_find(fmt);
        if (f->ops == NULL)
            return ac_diag_set(f->g->d, AC_EUSAGE, NULL, 0, 0,
                               "unknown log format '%s' (see 'apicensus ingest --help')", fmt);
        return AC_OK;
    }
    while (s < end && n < DETECT_LINES) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *e = nl != NULL ? nl : end;

        if (e > s) {
            lines[n] = s;
            lens[n] = (size_t)(e - s);
            if (lens[n] > 0 && s[lens[n] - 1] == '\r')
                lens[n]--;
            n++;
        }
        s = nl != NULL ? nl + 1 : end;
    }
    f->ops = ac__reader_detect(lines, lens, n);
    if (f->ops != NULL && strcmp(f->ops->name, "json") == 0)
        return ac_diag_set(f->g->d, AC_EKIND, f->path, 1, 0,
                           "JSON lines of no shape apicensus knows; give their field map with "
                           "--log-format json:MAP (see docs/formats.md)");
    if (f->ops == NULL)
        return ac_diag_set(f->g->d, AC_EKIND, f->path, 1, 0,
                           "cannot tell the log format from the first lines; name it with "
                           "--log-format (see 'apicensus ingest --help')");
    return AC_OK;
}

static bool stateful(const struct ac_reader_ops *ops)
{
    return strcmp(ops->name, "w3c") == 0 || strcmp(ops->name, "zeek") == 0;
}

/* Resuming a format with header lines: replay the '#' lines of the file's start. */
static enum ac_err replay_headers(struct file_run *f)
{
    struct ac_input *in = NULL;
    char *buf = malloc(65536);
    size_t got = 0;
    const char *s, *end;
    struct ac_request r;
    char why[8];
    enum ac_err err;

    if (buf == NULL)
        return ac_diag_set(f->g->d, AC_ENOMEM, f->path, 0, 0, "out of memory");
    err = ac__input_open(f->path, &in, f->g->d);
    if (err == AC_OK)
        err = ac__input_read(in, buf, 65536, &got, f->g->d);
    for (s = buf, end = buf + got; err == AC_OK && s < end;) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));

        if (nl == NULL)
            break;
        if (*s == '#')
            (void)f->ops->parse_line(f->states[0], s, (size_t)(nl - s), &r, why, sizeof(why));
        s = nl + 1;
    }
    ac__input_close(in);
    free(buf);
    return err;
}

static enum ac_err create_states(struct file_run *f)
{
    unsigned k;
    enum ac_err err = AC_OK;

    f->nthreads = stateful(f->ops) ? 1 : f->g->threads;
    for (k = 0; err == AC_OK && k < f->nthreads; k++)
        err = f->ops->create(f->spec, &f->states[k], f->g->d);
    if (err == AC_OK && stateful(f->ops) && f->cp.offset > 0)
        err = replay_headers(f);
    return err;
}

struct har_ud {
    struct ingest *g;
    struct ac_chunk c;
    enum ac_err err;
};

static bool har_entry(void *ud, const struct ac_request *r)
{
    struct har_ud *h = ud;

    h->c.lines++;
    h->err = ac__pipeline_request(&h->g->pipe, r, &h->c);
    return h->err == AC_OK;
}

/* A HAR document: read whole, every entry a request, one batch. */
static enum ac_err run_har(struct file_run *f, char *buf, size_t len, size_t cap)
{
    struct har_ud h;
    size_t bad = 0, got;
    enum ac_err err = AC_OK;

    while (err == AC_OK) {
        if (len == cap) {
            char *nb;

            if (cap >= HAR_MAX)
                return ac_diag_set(f->g->d, AC_ELIMIT, f->path, 0, 0,
                                   "HAR file larger than %u bytes", HAR_MAX);
            nb = realloc(buf, cap * 2);
            if (nb == NULL)
                return ac_diag_set(f->g->d, AC_ENOMEM, f->path, 0, 0, "out of memory");
            buf = nb;
            cap *= 2;
        }
        err = ac__input_read(f->in, buf + len, cap - len, &got, f->g->d);
        if (err != AC_OK || got == 0)
            break;
        len += got;
    }
    memset(&h, 0, sizeof(h));
    h.g = f->g;
    h.c.agg = ac__agg_new();
    h.c.shapes = f->g->shapes;
    if (err == AC_OK && h.c.agg == NULL)
        err = ac_diag_set(f->g->d, AC_ENOMEM, f->path, 0, 0, "out of memory");
    if (err == AC_OK)
        err = ac__har_read(buf, len, f->path, har_entry, &h, &bad, f->g->d);
    if (err == AC_OK)
        err = h.err;
    if (err == AC_OK) {
        f->g->st->lines += h.c.lines;
        f->g->st->requests += h.c.requests;
        f->g->st->static_requests += h.c.static_requests;
        f->g->st->bad += bad + h.c.bad;
        if (bad > 0 && f->g->o->on_bad_line != NULL)
            f->g->o->on_bad_line(f->g->o->ud, f->path, f->g->d->line, f->g->d->msg);
        ac_diag_clear(f->g->d);
        err = commit(f, h.c.agg, len, 0, f->g->d);
    }
    ac__agg_free(h.c.agg);
    free(buf);
    return err;
}

/* Checkpoint of the file: resume where the last ingest stopped, if it is the same file. */
static enum ac_err find_checkpoint(struct file_run *f)
{
    int64_t dev, ino, hl;
    char hash[65];
    enum ac_err err;

    f->cp.source = f->source;
    f->cp.path = f->path;
    if (!ac__input_identity(f->in, HEAD_ID_BYTES, &dev, &ino, &hl, hash))
        return AC_OK; /* standard input or a pipe: nothing to resume */
    f->has_cp = true;
    f->cp.device = dev;
    f->cp.inode = ino;
    err = f->g->s->ops->checkpoint(f->g->s, &f->cp, f->g->d);
    if (err != AC_OK)
        return err;
    if (f->cp.known) {
        char again[65];

        if (ac__input_head_hash(f->in, f->cp.head_len, again) &&
            strcmp(again, f->cp.head_hash) == 0)
            return AC_OK; /* the same file: resume */
    }
    /* A new file (or a new file on a reused inode): from the start. */
    f->cp.head_len = hl;
    memcpy(f->cp.head_hash, hash, sizeof(hash));
    f->cp.offset = 0;
    f->cp.lines = 0;
    return AC_OK;
}

static bool looks_har(const char *buf, size_t len)
{
    return ac__har_detect(buf, len);
}

/* The bytes of buf[0..len) up to its last '\n' (0 when it has none). */
static size_t whole_lines(const char *buf, size_t len)
{
    while (len > 0 && buf[len - 1] != '\n')
        len--;
    return len;
}

/* Read into chunk c (holding *lenp bytes) until it is full and holds a line end, or the input
 * ends; a chunk without a line end grows up to LINE_LIMIT. A longer line is dropped up to its
 * end: its bytes go to c->skip, and it is reported as a bad line when the chunk is accounted. */
static enum ac_err fill(struct file_run *f, struct chunk *c, size_t *lenp, bool *eof)
{
    size_t len = *lenp, got;
    enum ac_err err = AC_OK;

    for (;;) {
        while (err == AC_OK && len < c->cap && !*eof) {
            got = 0;
            err = ac__input_read(f->in, c->buf + len, c->cap - len, &got, f->g->d);
            *eof = err == AC_OK && got == 0;
            len += got;
        }
        if (err != AC_OK || *eof || whole_lines(c->buf, len) > 0)
            break;
        if (c->cap >= LINE_LIMIT) { /* everything held is one line: drop it to its end */
            const char *nl = NULL;

            c->skip += len;
            c->nskipped++;
            len = 0;
            while (err == AC_OK && nl == NULL && !*eof) {
                got = 0;
                err = ac__input_read(f->in, c->buf, c->cap, &got, f->g->d);
                *eof = err == AC_OK && got == 0;
                nl = memchr(c->buf, '\n', got);
                if (nl == NULL)
                    c->skip += got;
            }
            if (nl != NULL) {
                size_t used = (size_t)(nl - c->buf) + 1;

                c->skip += used;
                len = got - used;
                memmove(c->buf, nl + 1, len);
            }
            continue;
        }
        {
            char *nb = realloc(c->buf, c->cap * 2);

            if (nb == NULL) {
                err = ac_diag_set(f->g->d, AC_ENOMEM, f->path, 0, 0, "out of memory");
                break;
            }
            c->buf = nb;
            c->cap *= 2;
        }
    }
    *lenp = len;
    return err;
}

/* Ingest the file at open_path, named `path` in messages and checkpoints. A final line without
 * '\n' is consumed only when `partial_ok` (a file being followed may be mid-write). */
static enum ac_err ingest_file(struct ingest *g, const char *open_path, const char *path,
                               bool partial_ok)
{
    struct file_run f;
    const char *tail = NULL; /* the unfinished line after the last chunk queued */
    size_t ntail = 0;
    size_t chunk = g->batch < CHUNK_DEFAULT ? g->batch : CHUNK_DEFAULT;
    bool eof = false, first = true, workers = false;
    unsigned k;
    enum ac_err err;

    memset(&f, 0, sizeof(f));
    f.g = g;
    f.path = path;
    pthread_mutex_init(&f.mu, NULL);
    pthread_cond_init(&f.more, NULL);
    pthread_cond_init(&f.parsed, NULL);
    pthread_cond_init(&f.job, NULL);
    pthread_cond_init(&f.committed, NULL);
    err = ac__input_open(open_path, &f.in, g->d);
    if (err == AC_OK)
        err = find_checkpoint(&f);
    if (err == AC_OK && f.has_cp && f.cp.offset > 0 && ac__input_size(f.in) > 0 &&
        (uint64_t)f.cp.offset >= ac__input_size(f.in)) {
        g->st->files_unchanged += !g->following;
        goto out;
    }
    if (err == AC_OK)
        err = ac__input_skip(f.in, (uint64_t)f.cp.offset, g->d);
    f.start_offset = f.cp.offset;
    f.start_lines = f.cp.lines;
    if (err == AC_OK) {
        f.nring = 2 * g->threads + 2;
        f.ring = calloc(f.nring, sizeof(*f.ring));
        if (f.ring == NULL)
            err = ac_diag_set(g->d, AC_ENOMEM, path, 0, 0, "out of memory");
    }
    /* This thread reads chunks and queues them; the workers parse them as they come; this
     * thread accounts them in order and commits each batch once its last chunk is parsed. */
    while (err == AC_OK && !eof) {
        struct chunk *c = NULL;
        size_t len, use;

        err = next_slot(&f, ntail, chunk, &c);
        if (err != AC_OK)
            break;
        if (ntail > 0)
            memmove(c->buf, tail, ntail);
        len = ntail;
        err = fill(&f, c, &len, &eof);
        if (err != AC_OK)
            break;
        if (first) {
            first = false;
            /* Nothing (new) to read: an empty file (a freshly rotated log), or a line still
             * being written. */
            if (len == 0 && c->skip > 0) {
                err = ac_diag_set(g->d, AC_ELIMIT, path, (uint32_t)f.start_lines + 1, 0,
                                  "a line longer than %u MiB", LINE_LIMIT >> 20);
                break;
            }
            if (len == 0 || (!partial_ok && whole_lines(c->buf, len) == 0)) {
                g->st->files_unchanged += !g->following;
                break;
            }
            if ((g->o->format != NULL && strcmp(g->o->format, "har") == 0) ||
                (g->o->format == NULL && f.cp.offset == 0 && looks_har(c->buf, len))) {
                f.source = g->o->source != NULL ? g->o->source : "har";
                f.cp.source = f.source;
                g->st->files++;
                err = run_har(&f, c->buf, len, c->cap);
                c->buf = NULL; /* run_har took it */
                c->cap = 0;
                break;
            }
            err = choose_reader(&f, c->buf, len);
            if (err == AC_OK) {
                f.source = g->o->source != NULL ? g->o->source : f.ops->name;
                f.cp.source = f.source;
                err = create_states(&f);
            }
            if (err == AC_OK) {
                workers = true;
                err = start_threads(&f);
            }
            if (err != AC_OK)
                break;
            g->st->files += !g->following || f.cp.offset == 0;
        }
        /* Whole lines only, unless the input has ended (and may end mid-line). */
        use = eof && partial_ok ? len : whole_lines(c->buf, len);
        if (use > 0 || c->skip > 0)
            enqueue(&f, use);
        g->st->bytes += use + c->skip;
        tail = c->buf + use;
        ntail = len - use;
    }
    while (err == AC_OK && f.recycled < f.queued)
        err = recycle(&f);
    if (err == AC_OK && f.open_bytes > 0) /* the input ended inside a batch */
        hand_over(&f);
    if (err == AC_OK && workers)
        err = wait_committed(&f, 1);
out:
    if (workers)
        stop_threads(&f);
    for (k = 0; k < f.nthreads; k++)
        if (f.states[k] != NULL)
            f.ops->destroy(f.states[k]);
    for (k = 0; f.ring != NULL && k < f.nring; k++)
        free(f.ring[k].buf);
    free(f.ring);
    pthread_cond_destroy(&f.committed);
    pthread_cond_destroy(&f.job);
    pthread_cond_destroy(&f.parsed);
    pthread_cond_destroy(&f.more);
    pthread_mutex_destroy(&f.mu);
    ac__input_close(f.in);
    return err;
}

/* --- directories -------------------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(const char *dir, int depth, char ***v, size_t *n, size_t *cap)
{
    DIR *dh;
    struct dirent *e;

    if (depth > 32 || (dh = opendir(dir)) == NULL)
        return;
    while ((e = readdir(dh)) != NULL) {
        char path[4096];
        struct stat sb;
        int w;

        if (e->d_name[0] == '.')
            continue;
        w = strcmp(dir, ".") == 0 ? snprintf(path, sizeof(path), "%s", e->d_name)
                                  : snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (w < 0 || (size_t)w >= sizeof(path) || stat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) {
            walk(path, depth + 1, v, n, cap);
        } else if (S_ISREG(sb.st_mode)) {
            if (*n == *cap) {
                size_t nc = *cap != 0 ? *cap * 2 : 64;
                char **nv = realloc(*v, nc * sizeof(*nv));

                if (nv == NULL)
                    break;
                *v = nv;
                *cap = nc;
            }
            (*v)[*n] = strdup(path);
            if ((*v)[*n] != NULL)
                (*n)++;
        }
    }
    closedir(dh);
}

/* Every file of a directory; a file that fails is reported and the others are still read, so
 * a README or a LICENSE beside the logs does not stop the ingest. The first error is returned. */
static enum ac_err ingest_dir(struct ingest *g, const char *dir)
{
    char **v = NULL, clean[4096];
    size_t n = 0, cap = 0, i, dl = strlen(dir);
    enum ac_err err = AC_OK, e;
    struct ac_diag first;

    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    snprintf(clean, sizeof(clean), "%.*s", (int)dl, dir);
    walk(clean, 0, &v, &n, &cap);
    qsort(v, n, sizeof(*v), cmp_str);
    ac_diag_clear(&first);
    for (i = 0; i < n; i++) {
        e = ingest_file(g, v[i], v[i], true);
        if (e == AC_ESTORE || e == AC_ENOMEM) {
            err = e;
            break; /* the store or the machine failed: stop */
        }
        if (e != AC_OK) {
            if (g->o->on_file_error != NULL)
                g->o->on_file_error(g->o->ud, g->d);
            if (err == AC_OK) {
                err = e;
                first = *g->d;
            }
            ac_diag_clear(g->d);
        }
    }
    if (err != AC_OK && err != AC_ESTORE && err != AC_ENOMEM)
        *g->d = first;
    for (i = 0; i < n; i++)
        free(v[i]);
    free(v);
    return err;
}

static void release(struct ingest *g)
{
    ac__matcher_free(g->m);
    ac__matcher_free(g->pins);
    ac__shapes_free(g->shapes);
    ac__path_policy_free(&g->policy);
    ac__domains_free(&g->dom);
}

/* Derive the endpoints of every stored undocumented shape again (infer.h). */
static enum ac_err derive(struct ingest *g)
{
    uint64_t n = 0;
    enum ac_err err;

    g->committed = false;
    err = g->derived ? AC_OK /* the last commit did it, in its transaction */
                     : g->s->ops->derive(g->s, g->derive.literals, g->derive.nliterals,
                                         g->derive.pins, g->derive.npins, g->derive.dates, g->d);
    g->derived = false;
    if (err == AC_OK)
        err = g->s->ops->count_endpoints(g->s, &n, g->d);
    if (err == AC_OK) /* endpoints the inventory lists now that it did not before */
        g->st->new_endpoints = n > g->endpoints0 ? n - g->endpoints0 : 0;
    return err;
}

static void pause_ms(unsigned ms)
{
    struct timespec t = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};

    while (nanosleep(&t, &t) != 0)
        ;
}

/* --follow: read what the file holds, then keep polling for new lines until *o->stop. When the
 * name comes to point at another file (rotation by rename), the file we had open is read to its
 * end through /proc/self/fd, so lines written just before the rotation are not lost, and so are
 * lines written to it while the name pointed nowhere (between the rename and the new file); a
 * file truncated in place (copytruncate) no longer matches its checkpoint and is read from the
 * start. */
static enum ac_err follow(struct ingest *g, const char *path)
{
    int fd = -1;
    struct stat held, now;
    char fdpath[64];
    enum ac_err err = AC_OK;

    g->following = true;
    while (err == AC_OK && (g->o->stop == NULL || *g->o->stop == 0)) {
        bool exists = stat(path, &now) == 0;
        bool moved = fd >= 0 && exists && (now.st_dev != held.st_dev || now.st_ino != held.st_ino);

        /* The name is gone (renamed, the new file not yet made): what the file we hold has
         * now, whole lines only, and it stays held, since its writer may not have moved on;
         * the name is another file's: the rest of ours, and it is let go. */
        if (fd >= 0 && (!exists || moved)) {
            snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
            err = ingest_file(g, fdpath, path, moved);
            if (moved) {
                close(fd);
                fd = -1;
            }
        }
        if (err == AC_OK && exists) {
            if (fd < 0) {
                fd = open(path, O_RDONLY);
                if (fd >= 0 && fstat(fd, &held) != 0) {
                    close(fd);
                    fd = -1;
                }
            }
            err = ingest_file(g, path, path, false);
        }
        if (err == AC_OK && g->committed)
            err = derive(g);
        if (err == AC_OK)
            pause_ms(g->o->poll_ms != 0 ? g->o->poll_ms : 1000);
    }
    if (fd >= 0)
        close(fd);
    return err;
}

static bool rematch_one(void *ud, const char *host, const char *method, const char *tmpl,
                        const char *const *samples, size_t nsamples, const char **out_tmpl,
                        int64_t *operation, const char **version)
{
    struct ingest *g = ud;
    struct ac_match m, first;
    size_t i;

    if (ac__matcher_match(g->m, host, strlen(host), method, strlen(method), tmpl, strlen(tmpl),
                          &m)) {
        first = m;
    } else {
        /* Every raw path of the row is known (fewer than the samples kept): they decide when
         * they all match one template. */
        if (nsamples == 0 || nsamples >= AC_AGG_SAMPLES)
            return false;
        for (i = 0; i < nsamples; i++) {
            if (!ac__matcher_match(g->m, host, strlen(host), method, strlen(method), samples[i],
                                   strlen(samples[i]), &m))
                return false;
            if (i == 0)
                first = m;
            else if (m.operation != first.operation || strcmp(m.tmpl, first.tmpl) != 0)
                return false;
        }
    }
    *out_tmpl = first.tmpl;
    *operation = first.operation;
    *version = first.version;
    return true;
}

enum ac_err ac_rematch(struct ac_store *s, size_t *moved, struct ac_diag *d)
{
    struct ingest g;
    struct ac_ingest_stats st;
    struct ac_ingest_opts o;
    size_t n = 0;
    enum ac_err err;

    memset(&g, 0, sizeof(g));
    memset(&st, 0, sizeof(st));
    memset(&o, 0, sizeof(o));
    g.s = s;
    g.o = &o;
    g.st = &st;
    g.d = d;
    err = prepare(&g);
    if (err == AC_OK)
        err = s->ops->rematch(s, rematch_one, &g, &n, d);
    if (err == AC_OK && n > 0)
        err = derive(&g);
    if (moved != NULL)
        *moved = n;
    release(&g);
    return err;
}

enum ac_err ac_ingest(struct ac_store *s, const char *path, const struct ac_ingest_opts *o,
                      struct ac_ingest_stats *st, struct ac_diag *d)
{
    struct ingest g;
    struct stat sb;
    enum ac_err err;

    memset(&g, 0, sizeof(g));
    g.s = s;
    g.o = o;
    g.st = st;
    g.d = d;
    clock_gettime(CLOCK_MONOTONIC, &g.t0);
    if (o->now != NULL) {
        snprintf(g.now, sizeof(g.now), "%s", o->now);
    } else {
        time_t t = time(NULL);
        struct tm tm;

        gmtime_r(&t, &tm);
        strftime(g.now, sizeof(g.now), "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    err = prepare(&g);
    if (err == AC_OK) {
        if (strcmp(path, "-") != 0 && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
            err = ingest_dir(&g, path);
        else if (o->follow && strcmp(path, "-") != 0)
            err = follow(&g, path);
        else
            err = ingest_file(&g, path, path, true);
    }
    if (g.committed) { /* what was committed stays, and its endpoints are derived again */
        enum ac_err e2 = derive(&g);

        if (err == AC_OK)
            err = e2;
    }
    release(&g);
    return err;
}

/* --- for remote collectors: the server's side (collect.c) -------------------------------- */

uint64_t ac__registry_stamp(uint64_t h, int64_t id, const char *method, const char *tmpl,
                            const char *version, const char *host)
{
    const char *f[4] = {method, tmpl, version, host};
    size_t i;

    h = XXH3_64bits_withSeed(&id, sizeof(id), h);
    for (i = 0; i < 4; i++) /* NULL and "" differ: a NULL hashes as one byte 0xff */
        h = f[i] != NULL ? XXH3_64bits_withSeed(f[i], strlen(f[i]) + 1, h)
                         : XXH3_64bits_withSeed("\xff", 1, h);
    return h;
}

enum ac_err ac__shaping_open(struct ac_store *s, struct ac_shaping **out, uint64_t *stamp,
                             struct ac_diag *d)
{
    struct ingest *g = calloc(1, sizeof(*g));
    enum ac_err err;

    *out = NULL;
    if (g == NULL)
        return ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    g->s = s;
    g->o = &g->no_opts;
    g->st = &g->no_stats;
    g->d = d;
    err = prepare(g);
    if (err != AC_OK) {
        release(g);
        free(g);
        return err;
    }
    *stamp = g->stamp;
    *out = (struct ac_shaping *)g;
    return AC_OK;
}

enum ac_err ac__shaping_commit(struct ac_shaping *sh, struct ac_agg *agg, struct ac_batch *b,
                               struct ac_batch_result *res, struct ac_diag *d)
{
    struct ingest *g = (struct ingest *)sh;
    struct reshaped rs = {NULL, 0};
    struct ac_agg *use = agg;
    enum ac_err err;

    g->d = d;
    err = reshape(g, agg, &rs, &use, d);
    ac__agg_finish(use);
    b->agg = use;
    b->reshape_hosts = (const char *const *)rs.hosts;
    b->nreshape = rs.n;
    b->reshape = reshape_stored;
    b->reshape_ud = g->shapes;
    if (err == AC_OK)
        err = g->s->ops->commit_batch(g->s, b, res, d);
    free_reshaped(&rs);
    if (use != agg)
        ac__agg_free(use);
    b->agg = NULL;
    return err;
}

enum ac_err ac__shaping_derive(struct ac_shaping *sh, uint64_t *endpoints, struct ac_diag *d)
{
    struct ingest *g = (struct ingest *)sh;
    enum ac_err err;

    g->d = d;
    err = derive(g);
    if (err == AC_OK)
        err = g->s->ops->count_endpoints(g->s, endpoints, d);
    return err;
}

enum ac_err ac__shaping_rematch(struct ac_shaping *sh, size_t *moved, struct ac_diag *d)
{
    struct ingest *g = (struct ingest *)sh;
    enum ac_err err;

    g->d = d;
    err = g->s->ops->rematch(g->s, rematch_one, g, moved, d);
    if (err == AC_OK && *moved > 0)
        err = derive(g);
    return err;
}

const struct ac_pipeline *ac__shaping_pipeline(const struct ac_shaping *sh)
{
    return &((const struct ingest *)sh)->pipe;
}

void ac__shaping_close(struct ac_shaping *sh)
{
    if (sh != NULL) {
        release((struct ingest *)sh);
        free(sh);
    }
}
