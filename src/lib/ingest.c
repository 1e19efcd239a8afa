/* ingest.c - traffic into the store: files, directories and standard input, in batches that are
 * parsed in parallel and committed with their checkpoint (see <apicensus/traffic.h>).
 *
 * A file is read in segments of up to 32 MiB that end on a line boundary. Each segment is split
 * at newlines into one share per thread; every thread has its own reader state and aggregator,
 * and the aggregators are merged in share order into the batch, so the result does not depend on
 * the number of threads. A batch (--batch-size, 128 MiB by default: whole segments) and the new
 * file position are committed in one transaction: a crash loses at most the batch being built
 * and the segment being read, which the next run reads again. While threads parse one segment,
 * this thread reads the next one and merges or commits the previous one.
 * Formats whose header lines change the reader's state (W3C "#Fields", Zeek "#fields") use one
 * thread, and on resume their header lines from the start of the file are replayed.
 */
#include "aggregate.h"
#include "input.h"
#include "matcher.h"
#include "pipeline.h"
#include "reader.h"
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

#define SEGMENT_DEFAULT (32u * 1024u * 1024u) /* bytes read and parsed at a time */
#define BATCH_DEFAULT (128u * 1024u * 1024u)  /* bytes committed in one transaction */
#define SEGMENT_MIN (64u * 1024u)
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
    size_t segment; /* bytes read and parsed at a time */
    size_t batch;   /* bytes committed at a time (a multiple of whole segments) */
    bool following; /* --follow: polls are not counted as files */
    struct timespec t0;
    char now[32];
};

/* --- preparation ------------------------------------------------------------------------ */

static enum ac_err add_documented(void *ud, int64_t id, const char *method, const char *tmpl,
                                  const char *version, const char *host)
{
    struct ingest *g = ud;

    enum ac_err err;

    if (version != NULL && ac__is_date(version, strlen(version)))
        g->pipe.date_versions = true;
    err = ac__matcher_add(g->m, host, method, tmpl, version, id);
    /* A template the matcher cannot hold (too long, not a path) only goes unmatched. */
    return err == AC_ELIMIT || err == AC_EUSAGE ? AC_OK : err;
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
    g->pipe.matcher = g->m;
    g->pipe.domains = (const char *const *)g->dom.v;
    g->pipe.ndomains = g->dom.n;
    g->pipe.host = g->o->host;
    g->pipe.outbound = g->o->outbound;
    cpus = sysconf(_SC_NPROCESSORS_ONLN);
    g->threads = g->o->threads != 0 ? g->o->threads : (cpus > 0 ? (unsigned)cpus : 1);
    if (g->threads > MAX_THREADS)
        g->threads = MAX_THREADS;
    g->batch = g->o->batch_bytes != 0 ? g->o->batch_bytes : BATCH_DEFAULT;
    if (g->batch < SEGMENT_MIN)
        g->batch = SEGMENT_MIN;
    g->segment = g->batch < SEGMENT_DEFAULT ? g->batch : SEGMENT_DEFAULT;
    return AC_OK;
}

/* --- one segment, in parallel ----------------------------------------------------------- */

struct share {
    const struct ingest *g;
    const struct ac_reader_ops *ops;
    struct ac_reader *state;
    const char *buf;
    size_t len;
    struct ac_chunk c;
    enum ac_err err;
};

static void *run_share(void *arg)
{
    struct share *sh = arg;

    sh->err = ac__pipeline_lines(&sh->g->pipe, sh->ops, sh->state, sh->buf, sh->len, &sh->c);
    return NULL;
}

/* Split buf[0..len) into n shares at line boundaries. */
static void split(const char *buf, size_t len, struct share *sh, unsigned n)
{
    size_t start = 0;
    unsigned k;

    for (k = 0; k < n; k++) {
        size_t end = k + 1 == n ? len : len / n * (k + 1);

        if (end < start)
            end = start;
        if (k + 1 < n) {
            const char *nl = end < len ? memchr(buf + end, '\n', len - end) : NULL;

            end = nl != NULL ? (size_t)(nl - buf) + 1 : len;
        }
        sh[k].buf = buf + start;
        sh[k].len = end - start;
        start = end;
    }
}

/* --- files ------------------------------------------------------------------------------ */

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
    struct ac_agg *batch; /* segments parsed since the last commit */
    uint64_t batch_bytes, batch_lines;
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

/* Commit an aggregator with the checkpoint after `bytes` and `lines` more. */
static enum ac_err commit(struct file_run *f, struct ac_agg *agg, uint64_t bytes, uint64_t lines)
{
    struct ac_batch b;
    struct ac_batch_result r = {0, 0};
    enum ac_err err;

    ac__agg_finish(agg);
    f->cp.offset += (int64_t)bytes;
    f->cp.lines += (int64_t)lines;
    b.source = f->source;
    b.agg = agg;
    b.cp = f->has_cp ? &f->cp : NULL;
    b.now = f->g->now;
    err = f->g->s->ops->commit_batch(f->g->s, &b, &r, f->g->d);
    if (err == AC_OK) {
        f->g->st->new_endpoints += r.new_endpoints;
        f->g->st->known_endpoints += r.known_endpoints;
    }
    return err;
}

static void report_bad(struct file_run *f, const struct ac_chunk *c, uint64_t base)
{
    size_t i;

    for (i = 0; i < c->nbad_first && f->bad_reported < AC_PIPE_BAD_KEPT; i++, f->bad_reported++)
        if (f->g->o->on_bad_line != NULL)
            f->g->o->on_bad_line(f->g->o->ud, f->path, base + c->bad_first[i].line,
                                 c->bad_first[i].why);
}

/* A segment being parsed: one share per thread. */
struct segment {
    struct share sh[MAX_THREADS];
    pthread_t tid[MAX_THREADS];
    bool started[MAX_THREADS];
    bool joined[MAX_THREADS];
    unsigned n;
    size_t len;
    bool active;
};

/* Start parsing buf[0..len) on the file's threads (shares that get no thread run at join). */
static enum ac_err segment_start(struct file_run *f, struct segment *sg, const char *buf,
                                 size_t len)
{
    unsigned k;

    memset(sg, 0, sizeof(*sg));
    sg->n = len < 1024 * 1024 ? 1 : f->nthreads; /* small: not worth the threads */
    sg->len = len;
    sg->active = true;
    split(buf, len, sg->sh, sg->n);
    for (k = 0; k < sg->n; k++) {
        sg->sh[k].g = f->g;
        sg->sh[k].ops = f->ops;
        sg->sh[k].state = f->states[k];
        sg->sh[k].c.agg = ac__agg_new();
        if (sg->sh[k].c.agg == NULL)
            return ac_diag_set(f->g->d, AC_ENOMEM, f->path, 0, 0, "out of memory");
    }
    for (k = 0; k < sg->n; k++)
        sg->started[k] = pthread_create(&sg->tid[k], NULL, run_share, &sg->sh[k]) == 0;
    return AC_OK;
}

/* Wait for the segment's threads (running here the shares that got none). */
static void segment_join(struct segment *sg)
{
    unsigned k;

    for (k = 0; k < sg->n; k++) {
        if (sg->joined[k])
            continue;
        if (sg->started[k])
            pthread_join(sg->tid[k], NULL);
        else if (sg->sh[k].c.agg != NULL)
            run_share(&sg->sh[k]);
        sg->joined[k] = true;
    }
}

/* Commit the batch with the checkpoint after it. */
static enum ac_err flush(struct file_run *f)
{
    enum ac_err err = AC_OK;

    if (f->batch != NULL)
        err = commit(f, f->batch, f->batch_bytes, f->batch_lines);
    ac__agg_free(f->batch);
    f->batch = NULL;
    f->batch_bytes = 0;
    f->batch_lines = 0;
    return err;
}

/* Merge the shares in order into the batch, count, and commit when the batch is full. */
static enum ac_err segment_complete(struct file_run *f, struct segment *sg)
{
    uint64_t lines = 0, base = (uint64_t)f->cp.lines + f->batch_lines;
    unsigned k;
    enum ac_err err = AC_OK;

    for (k = 0; err == AC_OK && k < sg->n; k++) {
        struct ac_ingest_stats *st = f->g->st;

        if (sg->sh[k].err != AC_OK) {
            err = ac_diag_set(f->g->d, sg->sh[k].err, f->path, 0, 0, "out of memory");
            break;
        }
        if (f->batch == NULL) {
            f->batch = sg->sh[k].c.agg; /* the first share starts the batch */
            sg->sh[k].c.agg = NULL;
        } else if (ac__agg_merge(f->batch, sg->sh[k].c.agg) != AC_OK) {
            err = ac_diag_set(f->g->d, AC_ENOMEM, f->path, 0, 0, "out of memory");
            break;
        }
        report_bad(f, &sg->sh[k].c, base + lines);
        lines += sg->sh[k].c.lines;
        st->lines += sg->sh[k].c.lines;
        st->requests += sg->sh[k].c.requests;
        st->static_requests += sg->sh[k].c.static_requests;
        st->skipped += sg->sh[k].c.skipped;
        st->bad += sg->sh[k].c.bad;
    }
    if (err == AC_OK) {
        f->batch_bytes += sg->len;
        f->batch_lines += lines;
        if (f->batch_bytes >= f->g->batch)
            err = flush(f);
    }
    if (err == AC_OK)
        progress(f, (uint64_t)f->cp.offset + f->batch_bytes);
    return err;
}

static void segment_free(struct segment *sg)
{
    unsigned k;

    segment_join(sg);
    for (k = 0; k < sg->n; k++)
        ac__agg_free(sg->sh[k].c.agg);
    sg->active = false;
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
        err = commit(f, h.c.agg, len, 0);
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

/* Ingest the file at open_path, named `path` in messages and checkpoints. A final line without
 * '\n' is consumed only when `partial_ok` (a file being followed may be mid-write). */
static enum ac_err ingest_file(struct ingest *g, const char *open_path, const char *path,
                               bool partial_ok)
{
    struct file_run f;
    struct segment *seg = NULL; /* [0] parsing, [1] being completed */
    char *bufs[2] = {NULL, NULL}, *buf;
    size_t len = 0, got = 0;
    bool eof = false, first = true;
    unsigned k, cur = 0;
    enum ac_err err;

    memset(&f, 0, sizeof(f));
    f.g = g;
    f.path = path;
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
    if (err == AC_OK) {
        bufs[0] = malloc(g->segment);
        bufs[1] = malloc(g->segment);
        seg = calloc(2, sizeof(*seg));
        if (bufs[0] == NULL || bufs[1] == NULL || seg == NULL)
            err = ac_diag_set(g->d, AC_ENOMEM, path, 0, 0, "out of memory");
    }
    /* While the threads parse one buffer, this thread reads the next one and then commits the
     * previous segment: reading, parsing and committing overlap. */
    while (err == AC_OK && !eof) {
        size_t use;

        buf = bufs[cur];
        while (err == AC_OK && len < g->segment && !eof) {
            err = ac__input_read(f.in, buf + len, g->segment - len, &got, g->d);
            eof = err == AC_OK && got == 0;
            len += got;
        }
        if (err != AC_OK)
            break;
        if (first) {
            first = false;
            /* Nothing (new) to read: an empty file (a freshly rotated log), or a line still
             * being written. */
            if (len == 0 || (!partial_ok && memchr(buf, '\n', len) == NULL)) {
                g->st->files_unchanged += !g->following;
                break;
            }
            if ((g->o->format != NULL && strcmp(g->o->format, "har") == 0) ||
                (g->o->format == NULL && f.cp.offset == 0 && looks_har(buf, len))) {
                f.source = g->o->source != NULL ? g->o->source : "har";
                f.cp.source = f.source;
                g->st->files++;
                err = run_har(&f, buf, len, g->segment);
                bufs[cur] = NULL; /* run_har took it */
                break;
            }
            err = choose_reader(&f, buf, len);
            if (err == AC_OK) {
                f.source = g->o->source != NULL ? g->o->source : f.ops->name;
                f.cp.source = f.source;
                err = create_states(&f);
            }
            if (err != AC_OK)
                break;
            g->st->files += !g->following || f.cp.offset == 0;
        }
        /* Whole lines only, unless the input has ended (and may end mid-line). */
        use = len;
        if (eof && !partial_ok) {
            while (use > 0 && buf[use - 1] != '\n')
                use--;
        } else if (!eof) {
            const char *nl = NULL;
            size_t i = len;

            while (i > 0 && nl == NULL) {
                i--;
                if (buf[i] == '\n')
                    nl = buf + i;
            }
            if (nl == NULL) {
                err = ac_diag_set(g->d, AC_ELIMIT, path, (uint32_t)f.cp.lines + 1, 0,
                                  "a line longer than %zu bytes (raise --batch-size)", g->segment);
                break;
            }
            use = (size_t)(nl - buf) + 1;
        }
        /* The previous segment's threads are done with their buffer and their reader states. */
        if (seg[0].active) {
            segment_join(&seg[0]);
            seg[1] = seg[0];
            seg[0].active = false;
        }
        if (use > 0)
            err = segment_start(&f, &seg[0], buf, use);
        if (err == AC_OK && seg[1].active)
            err = segment_complete(&f, &seg[1]);
        if (seg[1].active)
            segment_free(&seg[1]);
        g->st->bytes += use;
        /* The unread tail of this buffer starts the next one. */
        memcpy(bufs[1 - cur], buf + use, len - use);
        len -= use;
        cur = 1 - cur;
    }
    if (seg != NULL && seg[0].active) {
        segment_join(&seg[0]);
        if (err == AC_OK)
            err = segment_complete(&f, &seg[0]);
        segment_free(&seg[0]);
    }
    if (err == AC_OK)
        err = flush(&f);
    ac__agg_free(f.batch);
out:
    for (k = 0; k < f.nthreads; k++)
        if (f.states[k] != NULL)
            f.ops->destroy(f.states[k]);
    free(bufs[0]);
    free(bufs[1]);
    free(seg);
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

static void pause_ms(unsigned ms)
{
    struct timespec t = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};

    while (nanosleep(&t, &t) != 0)
        ;
}

/* --follow: read what the file holds, then keep polling for new lines until *o->stop. When the
 * name comes to point at another file (rotation by rename), the file we had open is read to its
 * end through /proc/self/fd, so lines written just before the rotation are not lost; a file
 * truncated in place (copytruncate) no longer matches its checkpoint and is read from the start. */
static enum ac_err follow(struct ingest *g, const char *path)
{
    int fd = -1;
    struct stat held, now;
    char fdpath[64];
    enum ac_err err = AC_OK;

    g->following = true;
    while (err == AC_OK && (g->o->stop == NULL || *g->o->stop == 0)) {
        bool exists = stat(path, &now) == 0;

        if (fd >= 0 && (!exists || now.st_dev != held.st_dev || now.st_ino != held.st_ino)) {
            snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
            err = ingest_file(g, fdpath, path, true);
            close(fd);
            fd = -1;
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
        if (err == AC_OK)
            pause_ms(g->o->poll_ms != 0 ? g->o->poll_ms : 1000);
    }
    if (fd >= 0)
        close(fd);
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
    ac__matcher_free(g.m);
    ac__domains_free(&g.dom);
    return err;
}
