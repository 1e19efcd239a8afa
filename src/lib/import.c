/* import.c - from files and directories to the store: kind detection, attachment, unchanged
 * detection, and one store transaction per document.
 *
 * A directory is walked in name order; manifests and Backstage catalogs are imported before the
 * specs so the specs they name are attached to their API (and manifest version) rather than to an
 * API derived from the spec's title. A spec imported alone keeps the attachment a manifest gave it
 * earlier. A document whose content and attachment are unchanged is not written at all.
 */
#include "arena.h"
#include "backstage.h"
#include "doc.h"
#include "fileio.h"
#include "manifest.h"
#include "model.h"
#include "openapi.h"
#include "ref.h"
#include "sha256.h"
#include "store.h"

#include <apicensus/registry.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define MAX_DIR_FILES 100000
#define MAX_DIR_DEPTH 32
#define MAX_LABELS 64

/* Where a spec belongs, when a manifest or catalog names it. */
struct attach {
    const char *api;
    const char *version;
    const char *by;
    const char *labels[MAX_LABELS];
    size_t nlabels;
};

struct job {
    struct ac_store *store;
    const struct ac_import_opts *o;
    char now[32];
    struct ac_doc_limits lim;
    enum ac_err first;
    struct ac_diag *d;
    char **done; /* paths already imported in this run (specs named by a manifest) */
    size_t ndone, capdone;
};

static void emit(struct job *j, struct ac_import_event *ev)
{
    if (j->o != NULL && j->o->on_event != NULL)
        j->o->on_event(j->o->ud, ev);
}

/* Record a failure: the first one is what ac_import returns. */
static void fail(struct job *j, const char *path, const struct ac_diag *diag)
{
    struct ac_import_event ev;

    memset(&ev, 0, sizeof(ev));
    ev.status = AC_IMPORT_FAILED;
    ev.path = path;
    ev.diag = diag;
    emit(j, &ev);
    if (j->first == AC_OK) {
        j->first = diag->code;
        if (j->d != NULL)
            *j->d = *diag;
    }
}

static bool is_done(struct job *j, const char *path)
{
    size_t i;

    for (i = 0; i < j->ndone; i++)
        if (strcmp(j->done[i], path) == 0)
            return true;
    return false;
}

static void mark_done(struct job *j, const char *path)
{
    if (j->ndone == j->capdone) {
        size_t n = j->capdone != 0 ? j->capdone * 2 : 16;
        char **nd = realloc(j->done, n * sizeof(*nd));

        if (nd == NULL)
            return; /* only costs a possible second import of an unchanged file */
        j->done = nd;
        j->capdone = n;
    }
    j->done[j->ndone] = strdup(path);
    if (j->done[j->ndone] != NULL)
        j->ndone++;
}

static const char *kind_name(enum ac_doc_kind k)
{
    return k == AC_DOC_OPENAPI ? "openapi" : k == AC_DOC_BACKSTAGE ? "backstage" : "manifest";
}

/* Kind of a parsed document stream, or 0 when it is none of ours. */
static int detect(struct ac_node **docs, size_t ndocs)
{
    if (ndocs >= 1 && ac__openapi_detect(docs[0]))
        return AC_DOC_OPENAPI;
    if (ac__backstage_detect(docs, ndocs))
        return AC_DOC_BACKSTAGE;
    if (ndocs >= 1 && ac__manifest_detect(docs[0]))
        return AC_DOC_MANIFEST;
    return 0;
}

static void apply_set(struct job *j, struct ac_decl_set *set, const char *key,
                      const struct attach *at)
{
    struct ac_apply_info info;
    struct ac_apply_result res = {0, 0};
    struct ac_import_event ev;
    struct ac_diag diag;

    ac_diag_clear(&diag);
    memset(&info, 0, sizeof(info));
    info.path = key;
    info.api = at != NULL ? at->api : NULL;
    info.version = at != NULL ? at->version : NULL;
    info.attached_by = at != NULL ? at->by : NULL;
    info.now = j->now;
    if (j->store->ops->apply(j->store, set, &info, &res, &diag) != AC_OK) {
        fail(j, key, &diag);
        return;
    }
    memset(&ev, 0, sizeof(ev));
    ev.status = AC_IMPORT_CHANGED;
    ev.path = key;
    ev.kind = kind_name(set->kind);
    ev.format = set->format;
    ev.api = info.api != NULL ? info.api : (set->napis > 0 ? set->apis[0].name : NULL);
    ev.operations = set->noperations;
    ev.added = res.added;
    ev.removed = res.removed;
    emit(j, &ev);
}

static bool unchanged(const struct ac_doc_state *st, const char *sha, const struct attach *at)
{
    const char *api = at != NULL && at->api != NULL ? at->api : "";
    const char *ver = at != NULL && at->version != NULL ? at->version : "";
    const char *by = at != NULL && at->by != NULL ? at->by : "";

    return st->exists && strcmp(st->sha256, sha) == 0 && strcmp(st->api, api) == 0 &&
           strcmp(st->version, ver) == 0 && strcmp(st->attached_by, by) == 0;
}

static void import_text(struct job *j, const char *key, const char *text, size_t len,
                        const struct attach *at, bool must_know);

/* Import the specs a manifest or catalog names, attached to their API. */
static void import_refs(struct job *j, const struct ac_decl_set *set)
{
    size_t i, k;

    for (i = 0; i < set->nrefs; i++) {
        const struct ac_decl_ref *r = &set->refs[i];
        struct attach at;

        memset(&at, 0, sizeof(at));
        at.api = r->api;
        at.version = r->version;
        at.by = set->path;
        for (k = 0; k < set->nversions && at.nlabels < MAX_LABELS; k++)
            if (strcmp(set->versions[k].api, r->api) == 0)
                at.labels[at.nlabels++] = set->versions[k].label;
        if (r->inline_text != NULL) {
            import_text(j, r->path, r->inline_text, r->inline_len, &at, true);
        } else {
            char *text = NULL;
            size_t len = 0;
            struct ac_diag diag;

            ac_diag_clear(&diag);
            if (ac__file_read(r->path, j->lim.max_bytes, &text, &len, &diag) != AC_OK) {
                /* Point at the manifest line that names the missing file. */
                char msg[sizeof(diag.msg)];

                snprintf(msg, sizeof(msg), "%s", diag.msg);
                ac_diag_set(&diag, diag.code == AC_EIO ? AC_EREF : diag.code, set->path, r->line, 0,
                            "spec '%s': %s", r->path, msg);
                fail(j, r->path, &diag);
                continue;
            }
            import_text(j, r->path, text, len, &at, true);
            free(text);
        }
        mark_done(j, r->path);
    }
}

static void import_text(struct job *j, const char *key, const char *text, size_t len,
                        const struct attach *given, bool must_know)
{
    struct ac_arena *a = ac__arena_new(0);
    struct ac_node **docs = NULL;
    size_t ndocs = 0;
    struct ac_decl_set *set = NULL;
    struct ac_doc_state st;
    struct ac_diag diag;
    struct attach kept;
    const struct attach *at = given;
    char sha[65];
    int kind;
    enum ac_err err;

    ac_diag_clear(&diag);
    if (a == NULL) {
        ac_diag_set(&diag, AC_ENOMEM, key, 0, 0, "out of memory");
        fail(j, key, &diag);
        goto out;
    }
    ac__sha256_buf(text, len, sha);
    err = ac__doc_parse(a, text, len, key, &j->lim, &docs, &ndocs, &diag);
    if (err != AC_OK) {
        fail(j, key, &diag);
        goto out;
    }
    kind = detect(docs, ndocs);
    if (kind == 0) {
        struct ac_import_event ev;

        if (must_know) {
            ac_diag_set(&diag, AC_EKIND, key, 1, 1,
                        "not an OpenAPI document, a Backstage catalog or an apicensus manifest");
            fail(j, key, &diag);
            goto out;
        }
        memset(&ev, 0, sizeof(ev));
        ev.status = AC_IMPORT_SKIPPED;
        ev.path = key;
        emit(j, &ev);
        goto out;
    }
    if (j->store->ops->doc_state(j->store, key, &st, &diag) != AC_OK) {
        fail(j, key, &diag);
        goto out;
    }
    if (kind == AC_DOC_OPENAPI && at == NULL && st.attached_by[0] != '\0') {
        /* Imported alone: keep what the manifest or catalog said about it. */
        memset(&kept, 0, sizeof(kept));
        kept.api = st.api[0] != '\0' ? st.api : NULL;
        kept.version = st.version[0] != '\0' ? st.version : NULL;
        kept.by = st.attached_by;
        at = &kept;
    }
    set = ac__decl_set_new((enum ac_doc_kind)kind, key, 0);
    if (set == NULL) {
        ac_diag_set(&diag, AC_ENOMEM, key, 0, 0, "out of memory");
        fail(j, key, &diag);
        goto out;
    }
    memcpy(set->sha256, sha, sizeof(sha));
    if (kind == AC_DOC_OPENAPI) {
        struct ac_resolver *r = ac__resolver_new(a, &j->lim, key, docs[0]);
        struct ac_openapi_opts oo;

        memset(&oo, 0, sizeof(oo));
        if (at != NULL) {
            oo.api = at->api;
            oo.version = at->version;
            oo.labels = at->labels;
            oo.nlabels = at->nlabels;
        }
        err = r == NULL ? ac_diag_set(&diag, AC_ENOMEM, key, 0, 0, "out of memory")
                        : ac__openapi_read(r, key, docs[0], &oo, set, &diag);
        if (err == AC_OK) {
            /* Specs split over files are unchanged only when every file is. */
            ac__resolver_digest(r, sha);
            memcpy(set->sha256, sha, sizeof(sha));
        }
    } else if (kind == AC_DOC_MANIFEST) {
        set->format = "apicensus manifest";
        err = ac__manifest_read(docs[0], key, set, &diag);
    } else {
        set->format = "backstage";
        err = ac__backstage_read(docs, ndocs, key, set, &diag);
    }
    if (err != AC_OK) {
        fail(j, key, &diag);
        goto out;
    }
    if (unchanged(&st, sha, kind == AC_DOC_OPENAPI ? at : NULL)) {
        struct ac_import_event ev;

        memset(&ev, 0, sizeof(ev));
        ev.status = AC_IMPORT_UNCHANGED;
        ev.path = key;
        ev.kind = kind_name((enum ac_doc_kind)kind);
        ev.api = st.api[0] != '\0' ? st.api : NULL;
        emit(j, &ev);
    } else {
        apply_set(j, set, key, kind == AC_DOC_OPENAPI ? at : NULL);
    }
    if (kind != AC_DOC_OPENAPI)
        import_refs(j, set);
out:
    ac__decl_set_free(set);
    ac__arena_free(a);
}

static void import_file(struct job *j, const char *path, bool must_know)
{
    char *text = NULL;
    size_t len = 0;
    struct ac_diag diag;

    ac_diag_clear(&diag);
    if (ac__file_read(path, j->lim.max_bytes, &text, &len, &diag) != AC_OK) {
        fail(j, path, &diag);
        return;
    }
    import_text(j, path, text, len, NULL, must_know);
    free(text);
}

/* --- directories ------------------------------------------------------------------------- */

struct filelist {
    char **v;
    size_t n, cap;
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool wanted_ext(const char *name)
{
    const char *dot = strrchr(name, '.');

    return dot != NULL &&
           (strcmp(dot, ".json") == 0 || strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0);
}

static void walk(const char *dir, int depth, struct filelist *fl)
{
    DIR *dh;
    struct dirent *e;

    if (depth > MAX_DIR_DEPTH || (dh = opendir(dir)) == NULL)
        return;
    while ((e = readdir(dh)) != NULL && fl->n < MAX_DIR_FILES) {
        char path[4096];
        struct stat sb;
        int n;

        if (e->d_name[0] == '.' || strcmp(e->d_name, "node_modules") == 0)
            continue;
        /* "./x" and "x" must be the same document key as a manifest's resolved "x". */
        if (strcmp(dir, ".") == 0)
            n = snprintf(path, sizeof(path), "%s", e->d_name);
        else
            n = snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (n < 0 || (size_t)n >= sizeof(path) || stat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) {
            walk(path, depth + 1, fl);
        } else if (S_ISREG(sb.st_mode) && wanted_ext(e->d_name)) {
            if (fl->n == fl->cap) {
                size_t nc = fl->cap != 0 ? fl->cap * 2 : 64;
                char **nv = realloc(fl->v, nc * sizeof(*nv));

                if (nv == NULL)
                    break;
                fl->v = nv;
                fl->cap = nc;
            }
            fl->v[fl->n] = strdup(path);
            if (fl->v[fl->n] != NULL)
                fl->n++;
        }
    }
    closedir(dh);
}

/* Manifests and catalogs first: a cheap parse tells the kind. */
static void import_dir(struct job *j, const char *dir)
{
    struct filelist fl = {NULL, 0, 0};
    unsigned char *first = NULL;
    size_t i;

    walk(dir, 0, &fl);
    if (fl.n > 1)
        qsort(fl.v, fl.n, sizeof(*fl.v), cmp_str);
    first = calloc(fl.n + 1, 1);
    for (i = 0; first != NULL && i < fl.n; i++) {
        struct ac_arena *a = ac__arena_new(0);
        char *text = NULL;
        size_t len = 0, ndocs = 0;
        struct ac_node **docs = NULL;
        int kind;

        if (a != NULL && ac__file_read(fl.v[i], j->lim.max_bytes, &text, &len, NULL) == AC_OK &&
            ac__doc_parse(a, text, len, fl.v[i], &j->lim, &docs, &ndocs, NULL) == AC_OK) {
            kind = detect(docs, ndocs);
            first[i] = (unsigned char)(kind == AC_DOC_MANIFEST || kind == AC_DOC_BACKSTAGE);
        }
        free(text);
        ac__arena_free(a);
    }
    for (i = 0; first != NULL && i < fl.n; i++)
        if (first[i])
            import_file(j, fl.v[i], false);
    for (i = 0; i < fl.n; i++)
        if ((first == NULL || !first[i]) && !is_done(j, fl.v[i]))
            import_file(j, fl.v[i], false);
    for (i = 0; i < fl.n; i++)
        free(fl.v[i]);
    free(fl.v);
    free(first);
}

static void format_now(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* A job over the store with o's time (or the clock's). */
static void job_init(struct job *j, struct ac_store *s, const struct ac_import_opts *o,
                     struct ac_diag *d)
{
    memset(j, 0, sizeof(*j));
    j->store = s;
    j->o = o;
    j->d = d;
    ac__doc_limits_default(&j->lim);
    if (o != NULL && o->now != NULL)
        snprintf(j->now, sizeof(j->now), "%s", o->now);
    else
        format_now(j->now);
}

static enum ac_err job_end(struct job *j)
{
    size_t i;

    for (i = 0; i < j->ndone; i++)
        free(j->done[i]);
    free(j->done);
    return j->first;
}

enum ac_err ac_import(struct ac_store *s, const char *path, const struct ac_import_opts *o,
                      struct ac_diag *d)
{
    struct job j;
    struct stat sb;
    char norm[4096];

    job_init(&j, s, o, d);
    if (ac__path_join_dir("", path, norm, sizeof(norm)) != AC_OK)
        return ac_diag_set(d, AC_EUSAGE, path, 0, 0, "path too long");
    if (stat(norm, &sb) != 0) {
        struct ac_diag diag;

        ac_diag_set(&diag, AC_EIO, norm, 0, 0, "no such file or directory");
        fail(&j, norm, &diag);
    } else if (S_ISDIR(sb.st_mode)) {
        import_dir(&j, norm);
    } else {
        import_file(&j, norm, true);
    }
    return job_end(&j);
}

enum ac_err ac_import_text(struct ac_store *s, const char *name, const char *text, size_t len,
                           const struct ac_import_opts *o, struct ac_diag *d)
{
    struct job j;
    struct attach at;

    if (name == NULL || name[0] == '\0' || text == NULL)
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0, "import: a document and its name");
    job_init(&j, s, o, d);
    if (len > j.lim.max_bytes)
        return ac_diag_set(d, AC_ELIMIT, name, 0, 0, "document larger than %zu bytes",
                           j.lim.max_bytes);
    memset(&at, 0, sizeof(at));
    if (o != NULL && o->api != NULL) {
        at.api = o->api;
        at.by = o->attached_by != NULL ? o->attached_by : name;
    }
    import_text(&j, name, text, len, at.api != NULL ? &at : NULL, true);
    return job_end(&j);
}

const char *ac_manifest_skeleton_text(void)
{
    return ac__manifest_skeleton();
}
