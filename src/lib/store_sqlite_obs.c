/* store_sqlite_obs.c - traffic in the SQLite backend: the documented templates the matcher needs,
 * the organisation's domains, ingest checkpoints, and folding a batch of observations in.
 *
 * commit_batch() is the exactly-once point: the observations of a range of a file and the
 * checkpoint after that range are written in one transaction, so an interrupted ingest either
 * counted a range and moved past it, or did neither.
 */
#include "store_sqlite.h"

#include "aggregate.h"
#include "infer.h"
#include "jsonc.h"

#include <xxhash.h>

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum obs_stmt {
    O_DOCUMENTED,
    O_DOMAINS,
    O_CP_GET,
    O_CP_PUT,
    O_OBS_GET,
    O_OBS_INSERT,
    O_OBS_UPDATE,
    O_OBS_INSERT_EP,
    O_OBS_UPDATE_EP,
    O_PLAN_ROWS,
    O_STATIC_PUT,
    O_POLICY_PATHS,
    O_SHAPES,
    O_HOST_SHAPES,
    O_OBS_BY_ID,
    O_OBS_DELETE,
    O_SET_ENDPOINT,
    O_COUNT_ENDPOINTS,
    O_UNDOCUMENTED,
    O_HOUR_PUT,
    O_HOURS_PUT,
    O_HOUR_MOVE,
    O_HOUR_DROP,
    O_BATCH_PUT,
    O_BATCH_RANGES,
    O_BATCH_ID,
    O_COUNT_
};

_Static_assert(O_COUNT_ <= AC__SQ_OBS_STMTS, "raise AC__SQ_OBS_STMTS");

#define OBS_COLS                                                                                   \
    "version, operation_id, documented, direction, count, first_seen, last_seen, status_2xx,"      \
    " status_3xx, status_401, status_403, status_404, status_429, status_4xx, status_5xx,"         \
    " status_other, with_credentials, without_credentials, public_clients, private_clients,"       \
    " busiest_client, headers, samples, query_params, server, powered_by, data_classes,"           \
    " status_codes, security, bodies"

/* The parameters of source, host, method, template and OBS_COLS, as bind_obs() binds them. */
#define OBS_PARAMS                                                                                 \
    "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,"   \
    " ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34"

#define OBS_SET                                                                                    \
    "version = ?5, operation_id = ?6, documented = ?7, direction = ?8, count = ?9,"                \
    " first_seen = ?10, last_seen = ?11, status_2xx = ?12, status_3xx = ?13, status_401 = ?14,"    \
    " status_403 = ?15, status_404 = ?16, status_429 = ?17, status_4xx = ?18, status_5xx = ?19,"   \
    " status_other = ?20, with_credentials = ?21, without_credentials = ?22,"                      \
    " public_clients = ?23, private_clients = ?24, busiest_client = ?25, headers = ?26,"           \
    " samples = ?27, query_params = ?28, server = ?29, powered_by = ?30, data_classes = ?31,"      \
    " status_codes = ?32, security = ?33, bodies = ?34"

#define HOURS_AT_ONCE 32
#define HOURS_VALUES4 "(?, ?, ?), (?, ?, ?), (?, ?, ?), (?, ?, ?)"
#define HOURS_VALUES16 HOURS_VALUES4 ", " HOURS_VALUES4 ", " HOURS_VALUES4 ", " HOURS_VALUES4
#define HOURS_VALUES HOURS_VALUES16 ", " HOURS_VALUES16

static const char *const obs_sql[O_COUNT_] = {
    [O_DOCUMENTED] =
        "SELECT o.id, o.method, o.template, o.version, dp.host FROM operation o"
        " LEFT JOIN deployment dp ON dp.api = o.api"
        "  AND (dp.version IS NULL OR dp.version = o.version)"
        "  AND (dp.base_path = '' OR o.template = dp.base_path"
        "       OR substr(o.template, 1, length(dp.base_path) + 1) = dp.base_path || '/')"
        " WHERE o.removed_at IS NULL ORDER BY o.id",
    [O_DOMAINS] = "SELECT DISTINCT domain FROM domain_decl ORDER BY domain",
    [O_CP_GET] = "SELECT head_len, head_hash, offset, lines FROM ingest_file WHERE device = ?1"
                 " AND inode = ?2 ORDER BY updated_at DESC, id DESC LIMIT 1",
    [O_CP_PUT] = "INSERT INTO ingest_file (source, path, device, inode, head_len, head_hash,"
                 " offset, lines, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                 " ON CONFLICT (device, inode, head_hash) DO UPDATE SET source = ?1, path = ?2,"
                 " head_len = ?5, offset = ?7, lines = ?8, updated_at = ?9",
    [O_OBS_GET] = "SELECT id, " OBS_COLS " FROM observation WHERE source = ?1 AND host = ?2"
                  " AND method = ?3 AND template = ?4",
    [O_OBS_INSERT] = "INSERT INTO observation (source, host, method, template, " OBS_COLS
                     ") VALUES (" OBS_PARAMS ")",
    [O_OBS_UPDATE] = "UPDATE observation SET " OBS_SET " WHERE id = ?35",
    /* The same, with the endpoint derived in the batch's transaction (plan_endpoints()). */
    [O_OBS_INSERT_EP] = "INSERT INTO observation (source, host, method, template, " OBS_COLS
                        ", endpoint) VALUES (" OBS_PARAMS ", ?36)",
    [O_OBS_UPDATE_EP] = "UPDATE observation SET " OBS_SET ", endpoint = ?36 WHERE id = ?35",
    /* Every stored row a derivation may read: the undocumented ones it derives, and the keys of
     * the documented ones (a batch observation of such a key stays documented). */
    [O_PLAN_ROWS] = "SELECT id, source, host, method, template, count, endpoint, documented"
                    " FROM observation WHERE substr(template, 1, 1) = '/'",
    [O_STATIC_PUT] = "INSERT INTO static_traffic (source, host, count, first_seen, last_seen)"
                     " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (source, host) DO UPDATE SET"
                     " count = count + ?3, first_seen = CASE WHEN first_seen IS NULL OR"
                     " (?4 IS NOT NULL AND ?4 < first_seen) THEN ?4 ELSE first_seen END,"
                     " last_seen = CASE WHEN last_seen IS NULL OR ?5 > last_seen THEN ?5"
                     " ELSE last_seen END",
    [O_POLICY_PATHS] = "SELECT value FROM policy_decl WHERE key = 'paths'"
                       " ORDER BY document_id DESC LIMIT 1",
    [O_SHAPES] = "SELECT DISTINCT host, template FROM observation WHERE documented = 0"
                 " AND substr(template, 1, 1) = '/' ORDER BY host, template",
    [O_HOST_SHAPES] = "SELECT id, template FROM observation WHERE host = ?1 AND documented = 0"
                      " AND substr(template, 1, 1) = '/' ORDER BY id",
    [O_OBS_BY_ID] = "SELECT id, " OBS_COLS ", source, method, host FROM observation WHERE id = ?1",
    [O_OBS_DELETE] = "DELETE FROM observation WHERE id = ?1",
    [O_HOUR_PUT] = "INSERT INTO traffic_hour (observation_id, hour, count) VALUES (?1, ?2, ?3)"
                   " ON CONFLICT (observation_id, hour) DO UPDATE SET count = count + ?3",
    /* HOURS_AT_ONCE rows of (observation_id, hour, count): one statement per row costs about
     * twice as much. */
    [O_HOURS_PUT] = "INSERT INTO traffic_hour (observation_id, hour, count) VALUES " HOURS_VALUES
                    " ON CONFLICT (observation_id, hour) DO UPDATE SET"
                    " count = count + excluded.count",
    [O_HOUR_MOVE] =
        "INSERT INTO traffic_hour (observation_id, hour, count)"
        " SELECT ?1, hour, count FROM traffic_hour WHERE observation_id = ?2"
        " ON CONFLICT (observation_id, hour) DO UPDATE SET count = count + excluded.count",
    [O_HOUR_DROP] = "DELETE FROM traffic_hour WHERE observation_id = ?1",
    [O_BATCH_PUT] = "INSERT INTO ingest_batch (id, source, path, collector, received_at,"
                    " observations, requests, file, range_start, range_end)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (id) DO NOTHING",
    [O_BATCH_ID] = "SELECT 1 FROM ingest_batch WHERE id = ?1",
    [O_BATCH_RANGES] = "SELECT range_start, range_end FROM ingest_batch WHERE file = ?1"
                       " AND range_start < ?3 AND range_end > ?2 ORDER BY range_start",
    [O_SET_ENDPOINT] = "UPDATE observation SET endpoint = ?2 WHERE id = ?1",
    [O_UNDOCUMENTED] = "SELECT id, host, method, template, samples FROM observation"
                       " WHERE documented = 0"
                       " AND substr(template, 1, 1) = '/' ORDER BY id",
    /* Its columns in the order of observation_host_endpoint (host, endpoint, method): the rows
     * come grouped but for the source, and the DISTINCT has little to sort. */
    [O_COUNT_ENDPOINTS] = "SELECT count(*) FROM (SELECT DISTINCT host,"
                          " coalesce(endpoint, template), method, source FROM observation)",
};

static sqlite3_stmt *ostmt(struct sqlite_store *s, enum obs_stmt id)
{
    sqlite3_stmt *st = s->obs_stmts[id];

    if (st == NULL) {
        if (sqlite3_prepare_v3(s->db, obs_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) !=
            SQLITE_OK)
            return NULL;
        s->obs_stmts[id] = st;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

enum ac_err ac__sq_documented(struct ac_store *base, ac_documented_cb cb, void *ud,
                              struct ac_diag *d)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = ostmt(s, O_DOCUMENTED);
    enum ac_err err = AC_OK;
    int rc;

    if (st == NULL)
        return ac__sq_err(s, d, "preparing a query");
    while (err == AC_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        err = cb(ud, sqlite3_column_int64(st, 0), col_text(st, 1), col_text(st, 2), col_text(st, 3),
                 col_text(st, 4));
    if (err == AC_OK && rc != SQLITE_DONE)
        err = ac__sq_err(s, d, "reading operations");
    sqlite3_reset(st);
    return err;
}

void ac__domains_free(struct ac_domains *dm)
{
    size_t i;

    for (i = 0; i < dm->n; i++)
        free(dm->v[i]);
    free(dm->v);
    dm->v = NULL;
    dm->n = 0;
}

enum ac_err ac__sq_domains(struct ac_store *base, struct ac_domains *out, struct ac_diag *d)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = ostmt(s, O_DOMAINS);
    struct ac_domains r = {NULL, 0};
    int rc;

    if (st == NULL)
        return ac__sq_err(s, d, "preparing a query");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char **nv = realloc(r.v, (r.n + 1) * sizeof(*nv));

        if (nv == NULL || (nv[r.n] = strdup(col_text(st, 0))) == NULL) {
            if (nv != NULL)
                r.v = nv;
            ac__domains_free(&r);
            sqlite3_reset(st);
            return ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
        }
        r.v = nv;
        r.n++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        ac__domains_free(&r);
        return ac__sq_err(s, d, "reading domains");
    }
    *out = r;
    return AC_OK;
}

enum ac_err ac__sq_checkpoint(struct ac_store *base, struct ac_checkpoint *cp, struct ac_diag *d)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = ostmt(s, O_CP_GET);
    int rc;

    if (st == NULL)
        return ac__sq_err(s, d, "preparing a query");
    sqlite3_bind_int64(st, 1, cp->device);
    sqlite3_bind_int64(st, 2, cp->inode);
    rc = sqlite3_step(st);
    cp->known = rc == SQLITE_ROW;
    if (cp->known) {
        cp->head_len = sqlite3_column_int64(st, 0);
        snprintf(cp->head_hash, sizeof(cp->head_hash), "%s", col_text(st, 1));
        cp->offset = sqlite3_column_int64(st, 2);
        cp->lines = sqlite3_column_int64(st, 3);
    }
    sqlite3_reset(st);
    return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? AC_OK
                                                   : ac__sq_err(s, d, "reading checkpoints");
}

/* JSON array text of a NULL-padded string array: '"', '\\' and control characters escaped,
 * everything else (UTF-8) as it is. Caller frees; NULL on ENOMEM. */
static char *strs_json(const char *const *v, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, need = 3, k = 0;
    char *out;

    for (i = 0; v != NULL && i < cap && v[i] != NULL; i++)
        need += 3 + 6 * strlen(v[i]);
    out = malloc(need);
    if (out == NULL)
        return NULL;
    out[k++] = '[';
    for (i = 0; v != NULL && i < cap && v[i] != NULL; i++) {
        const unsigned char *p;

        if (i > 0)
            out[k++] = ',';
        out[k++] = '"';
        for (p = (const unsigned char *)v[i]; *p != '\0'; p++) {
            if (*p == '"' || *p == '\\') {
                out[k++] = '\\';
                out[k++] = (char)*p;
            } else if (*p < 0x20) {
                memcpy(out + k, "\\u00", 4);
                out[k + 4] = hex[*p >> 4];
                out[k + 5] = hex[*p & 15];
                k += 6;
            } else {
                out[k++] = (char)*p;
            }
        }
        out[k++] = '"';
    }
    out[k++] = ']';
    out[k] = '\0';
    return out;
}

/* Insert v (copied into keep) into a sorted NULL-padded array of the smallest `cap`. */
static void keep_str(const char *v, const char **arr, size_t cap, char **keep, size_t *nkeep)
{
    size_t pos, k;

    for (pos = 0; pos < cap && arr[pos] != NULL && strcmp(arr[pos], v) < 0; pos++)
        ;
    if (pos == cap || (arr[pos] != NULL && strcmp(arr[pos], v) == 0))
        return;
    keep[*nkeep] = strdup(v);
    if (keep[*nkeep] == NULL)
        return;
    for (k = cap - 1; k > pos; k--)
        arr[k] = arr[k - 1];
    arr[pos] = keep[(*nkeep)++];
}

static int hex4(const char *p)
{
    int v = 0, i;

    for (i = 0; i < 4; i++) {
        char c = p[i];

        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= c - '0';
        else if (c >= 'a' && c <= 'f')
            v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v |= c - 'A' + 10;
        else
            return -1;
    }
    return v;
}

/* Read a JSON array of strings as strs_json() writes it (escapes \" \\ \/ \b \f \n \r \t
 * \uXXXX below U+D800) and merge its strings into arr; false when the text is anything else,
 * before anything is merged (the caller then reads it with json-c). */
static bool merge_fast(const char *json, const char **arr, size_t cap, char **keep, size_t *nkeep,
                       size_t maxkeep)
{
    const char *p = json;
    char buf[4096];
    size_t n = 0, at[64], na = 0, i;

    if (*p++ != '[')
        return false;
    if (*p == ']')
        return p[1] == '\0';
    for (;;) {
        size_t start = n;

        if (*p++ != '"' || na == sizeof(at) / sizeof(at[0]))
            return false;
        while (*p != '"') {
            char c = *p++;

            if (c == '\0' || n + 5 >= sizeof(buf))
                return false;
            if (c != '\\') {
                buf[n++] = c;
                continue;
            }
            c = *p++;
            switch (c) {
            case '"':
            case '\\':
            case '/':
                buf[n++] = c;
                break;
            case 'b':
                buf[n++] = '\b';
                break;
            case 'f':
                buf[n++] = '\f';
                break;
            case 'n':
                buf[n++] = '\n';
                break;
            case 'r':
                buf[n++] = '\r';
                break;
            case 't':
                buf[n++] = '\t';
                break;
            case 'u': {
                int u = hex4(p);

                if (u <= 0 || u >= 0xD800) /* NUL, surrogates and above: json-c's business */
                    return false;
                p += 4;
                if (u < 0x80) {
                    buf[n++] = (char)u;
                } else if (u < 0x800) {
                    buf[n++] = (char)(0xC0 | (u >> 6));
                    buf[n++] = (char)(0x80 | (u & 0x3F));
                } else {
                    buf[n++] = (char)(0xE0 | (u >> 12));
                    buf[n++] = (char)(0x80 | ((u >> 6) & 0x3F));
                    buf[n++] = (char)(0x80 | (u & 0x3F));
                }
                break;
            }
            default:
                return false;
            }
        }
        p++;
        buf[n++] = '\0';
        at[na++] = start;
        if (*p == ']' && p[1] == '\0')
            break;
        if (*p++ != ',')
            return false;
    }
    for (i = 0; i < na && *nkeep < maxkeep; i++)
        keep_str(buf + at[i], arr, cap, keep, nkeep);
    return true;
}

/* Merge a stored JSON array of strings into a sorted NULL-padded array of the smallest `cap`
 * (strings from the stored side are copied into `keep`, freed by the caller). */
static void merge_json_strs(const char *json, const char **arr, size_t cap, char **keep,
                            size_t *nkeep, size_t maxkeep)
{
    struct json_object *o;
    size_t i, n;

    if (json == NULL || merge_fast(json, arr, cap, keep, nkeep, maxkeep))
        return;
    o = json_tokener_parse(json);
    n = o != NULL && json_object_is_type(o, json_type_array) ? json_object_array_length(o) : 0;
    for (i = 0; i < n && *nkeep < maxkeep; i++) {
        const char *v = json_object_get_string(json_object_array_get_idx(o, i));

        if (v != NULL)
            keep_str(v, arr, cap, keep, nkeep);
    }
    json_object_put(o);
}

/* What schema_12 added to an observation, in its stored form (NULL: nothing seen). */
struct obs_text {
    char *codes, *security, *bodies;
};

static void obs_text_free(struct obs_text *t)
{
    free(t->codes);
    free(t->security);
    free(t->bodies);
}

_Static_assert(100 + 64 * AC_AGG_CODE_WORDS <= 1000, "obs_text_of() writes codes of three digits");

/* The stored forms of o's status codes, security schemes and body shapes. AC_ENOMEM. */
static enum ac_err obs_text_of(const struct ac_obs *o, struct obs_text *t)
{
    static const struct {
        unsigned bit;
        const char *name;
    } schemes[] = {{AC_AUTH_BEARER, "bearer"}, {AC_AUTH_BASIC, "basic"}, {AC_AUTH_OTHER, "other"}};
    struct ac_buf b;
    enum ac_err err = AC_OK;
    const char *sep = "[";
    size_t i;
    unsigned k;

    memset(t, 0, sizeof(*t));
    ac__buf_init(&b, 1u << 20);
    for (k = 0; err == AC_OK && k < 64 * AC_AGG_CODE_WORDS; k++)
        if (o->codes[k / 64] & ((uint64_t)1 << (k % 64))) {
            unsigned code = k + 100; /* 100 to 999: three digits, written without printf */
            char num[4] = {sep[0], (char)('0' + code / 100), (char)('0' + code / 10 % 10),
                           (char)('0' + code % 10)};

            err = ac__buf_add(&b, num, sizeof(num));
            sep = ",";
        }
    if (err == AC_OK && b.len > 0 && (err = ac__buf_addc(&b, ']')) == AC_OK)
        t->codes = ac__buf_detach(&b);
    sep = "[";
    for (i = 0; err == AC_OK && i < sizeof(schemes) / sizeof(schemes[0]); i++)
        if (o->auth & schemes[i].bit) {
            err = ac__buf_printf(&b, "%s\"%s\"", sep, schemes[i].name);
            sep = ",";
        }
    {
        const char *names[3] = {o->auth_header, o->auth_query, o->auth_cookie};
        static const char *const where[3] = {"header", "query", "cookie"};

        for (k = 0; err == AC_OK && k < 3; k++) {
            struct json_object *js;

            if (names[k] == NULL)
                continue;
            js = json_object_new_string(names[k]); /* escaped: names are the client's bytes */
            if (js == NULL)
                err = AC_ENOMEM;
            else
                err =
                    ac__buf_printf(&b, "%s\"%s:%s", sep, where[k],
                                   json_object_to_json_string_ext(js, JSON_C_TO_STRING_PLAIN) + 1);
            json_object_put(js);
            sep = ",";
        }
    }
    if (err == AC_OK && b.len > 0 && (err = ac__buf_addc(&b, ']')) == AC_OK)
        t->security = ac__buf_detach(&b);
    if (err == AC_OK && o->bodies != NULL &&
        (o->bodies->req.samples > 0 || o->bodies->resp.samples > 0)) {
        err = ac__buf_adds(&b, "{\"request\":");
        if (err == AC_OK)
            err = ac__jshape_to_json(&o->bodies->req, &b);
        if (err == AC_OK)
            err = ac__buf_adds(&b, ",\"response\":");
        if (err == AC_OK)
            err = ac__jshape_to_json(&o->bodies->resp, &b);
        if (err == AC_OK && (err = ac__buf_addc(&b, '}')) == AC_OK)
            t->bodies = ac__buf_detach(&b);
    }
    ac__buf_free(&b);
    if (err != AC_OK)
        obs_text_free(t);
    return err;
}

/* Stored auth names and body shapes, parsed: what read_extra() points an observation into. */
struct obs_extra {
    char names[3][72];
    struct ac_bodies bodies;
};

/* Read the stored status codes, security schemes and body shapes (columns col..col+2) into o,
 * its names and shapes into *x (o->bodies = &x->bodies, empty when none was stored). A stored
 * value that does not parse counts as nothing seen. */
static void read_extra(sqlite3_stmt *st, int col, struct ac_obs *o, struct obs_extra *x)
{
    struct json_object *j;
    size_t i, n;

    memset(o->codes, 0, sizeof(o->codes));
    o->auth = 0;
    o->auth_header = o->auth_query = o->auth_cookie = NULL;
    ac__jshape_init(&x->bodies.req);
    ac__jshape_init(&x->bodies.resp);
    o->bodies = &x->bodies;
    j = col_text(st, col) != NULL ? json_tokener_parse(col_text(st, col)) : NULL;
    n = json_object_is_type(j, json_type_array) ? json_object_array_length(j) : 0;
    for (i = 0; i < n; i++) {
        int64_t v = json_object_get_int64(json_object_array_get_idx(j, i));

        if (v >= 100 && v < 100 + 64 * AC_AGG_CODE_WORDS)
            o->codes[(v - 100) / 64] |= (uint64_t)1 << ((v - 100) % 64);
    }
    json_object_put(j);
    j = col_text(st, col + 1) != NULL ? json_tokener_parse(col_text(st, col + 1)) : NULL;
    n = json_object_is_type(j, json_type_array) ? json_object_array_length(j) : 0;
    for (i = 0; i < n; i++) {
        const char *v = json_object_get_string(json_object_array_get_idx(j, i));
        static const char *const where[3] = {"header:", "query:", "cookie:"};
        static const unsigned bits[3] = {AC_AUTH_HEADER, AC_AUTH_QUERY, AC_AUTH_COOKIE};
        const char **names[3] = {&o->auth_header, &o->auth_query, &o->auth_cookie};
        size_t k;

        if (v == NULL)
            continue;
        if (strcmp(v, "bearer") == 0)
            o->auth |= AC_AUTH_BEARER;
        else if (strcmp(v, "basic") == 0)
            o->auth |= AC_AUTH_BASIC;
        else if (strcmp(v, "other") == 0)
            o->auth |= AC_AUTH_OTHER;
        for (k = 0; k < 3; k++) {
            size_t m = strlen(where[k]), len = strlen(v);

            if (len > m && len - m < sizeof(x->names[k]) && strncmp(v, where[k], m) == 0) {
                memcpy(x->names[k], v + m, len - m + 1);
                *names[k] = x->names[k];
                o->auth |= bits[k];
            }
        }
    }
    json_object_put(j);
    j = col_text(st, col + 2) != NULL ? json_tokener_parse(col_text(st, col + 2)) : NULL;
    if (j != NULL) {
        struct json_object *rq = NULL, *rs = NULL;

        if (json_object_object_get_ex(j, "request", &rq))
            (void)ac__jshape_from_json(&x->bodies.req, rq);
        if (json_object_object_get_ex(j, "response", &rs))
            (void)ac__jshape_from_json(&x->bodies.resp, rs);
    }
    json_object_put(j);
}

/* Bind o's columns to st. Strings are copied only with `copy` (when they point into a row of
 * another statement, which the step of st may change); otherwise they must stay as they are
 * until st is stepped. */
static void bind_obs(sqlite3_stmt *st, const char *source, const struct ac_obs *o,
                     const char *samples, const char *query, bool copy)
{
    int (*text)(sqlite3_stmt *, int, const char *) = copy ? ac__sq_bind_text : ac__sq_bind_static;
    int i;

    text(st, 1, source);
    text(st, 2, o->host);
    text(st, 3, o->method);
    text(st, 4, o->tmpl);
    text(st, 5, o->version);
    ac__sq_bind_int(st, 6, o->operation);
    sqlite3_bind_int(st, 7, o->documented);
    text(st, 8, o->outbound ? "outbound" : "inbound");
    sqlite3_bind_int64(st, 9, (sqlite3_int64)o->count);
    ac__sq_bind_int(st, 10, o->first_seen);
    ac__sq_bind_int(st, 11, o->last_seen);
    for (i = 0; i < AC_ST_COUNT; i++)
        sqlite3_bind_int64(st, 12 + i, (sqlite3_int64)o->status[i]);
    sqlite3_bind_int64(st, 21, (sqlite3_int64)o->with_credentials);
    sqlite3_bind_int64(st, 22, (sqlite3_int64)o->without_credentials);
    sqlite3_bind_int64(st, 23, (sqlite3_int64)o->public_clients);
    sqlite3_bind_int64(st, 24, (sqlite3_int64)o->private_clients);
    sqlite3_bind_int64(st, 25, (sqlite3_int64)o->busiest_client);
    sqlite3_bind_int64(st, 26, (sqlite3_int64)o->headers);
    text(st, 27, samples);
    text(st, 28, query);
    text(st, 29, o->server);
    text(st, 30, o->powered_by);
    sqlite3_bind_int64(st, 31, (sqlite3_int64)o->data);
}

/* Read a stored observation row (columns after id) into *o. Strings point into the row. */
static void read_obs(sqlite3_stmt *st, struct ac_obs *o)
{
    int i;

    o->version = col_text(st, 1);
    o->operation = sqlite3_column_type(st, 2) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 2);
    o->documented = sqlite3_column_int(st, 3) != 0;
    o->outbound = strcmp(col_text(st, 4), "outbound") == 0;
    o->count = (uint64_t)sqlite3_column_int64(st, 5);
    o->first_seen = sqlite3_column_type(st, 6) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 6);
    o->last_seen = sqlite3_column_type(st, 7) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 7);
    for (i = 0; i < AC_ST_COUNT; i++)
        o->status[i] = (uint64_t)sqlite3_column_int64(st, 8 + i);
    o->with_credentials = (uint64_t)sqlite3_column_int64(st, 17);
    o->without_credentials = (uint64_t)sqlite3_column_int64(st, 18);
    o->public_clients = (uint64_t)sqlite3_column_int64(st, 19);
    o->private_clients = (uint64_t)sqlite3_column_int64(st, 20);
    o->busiest_client = (uint64_t)sqlite3_column_int64(st, 21);
    o->headers = (unsigned)sqlite3_column_int64(st, 22);
    o->server = col_text(st, 25);
    o->powered_by = col_text(st, 26);
    o->data = (unsigned)sqlite3_column_int64(st, 27);
}

/* Fold one observation into the store; *row receives its row id. With `endpoint`, the row's
 * endpoint becomes *endpoint (NULL: the template itself); without, it stays as stored. `absent`:
 * the caller knows no stored row has its key, so none is read. */
static enum ac_err put_obs(struct sqlite_store *s, const char *source, const struct ac_obs *add,
                           const char *const *endpoint, bool absent, struct ac_batch_result *res,
                           int64_t *row, struct ac_diag *d)
{
    sqlite3_stmt *get = ostmt(s, O_OBS_GET), *put;
    struct ac_obs m = *add;
    const char *qbuf[AC_AGG_QUERY_NAMES];
    char *keep[AC_AGG_SAMPLES + AC_AGG_QUERY_NAMES];
    char *samples = NULL, *query = NULL;
    struct obs_extra *x = NULL;
    struct obs_text text = {NULL, NULL, NULL};
    size_t nkeep = 0, i;
    int rc;
    enum ac_err err = AC_OK;

    if (get == NULL)
        return ac__sq_err(s, d, "preparing a query");
    rc = SQLITE_DONE;
    if (!absent) {
        ac__sq_bind_static(get, 1, source);
        ac__sq_bind_static(get, 2, add->host);
        ac__sq_bind_static(get, 3, add->method);
        ac__sq_bind_static(get, 4, add->tmpl);
        rc = sqlite3_step(get);
    }
    if (rc == SQLITE_ROW && (x = malloc(sizeof(*x))) == NULL) {
        sqlite3_reset(get);
        return ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (rc == SQLITE_ROW) {
        struct ac_obs stored;

        memset(&stored, 0, sizeof(stored));
        read_obs(get, &stored);
        read_extra(get, 28, &stored, x);
        /* Fold the batch into the stored row; strings of the row stay valid until the reset. */
        m = stored;
        memset(qbuf, 0, sizeof(qbuf));
        if (add->query != NULL)
            memcpy(qbuf, add->query, sizeof(qbuf));
        m.query = qbuf;
        memcpy(m.samples, add->samples, sizeof(m.samples));
        ac__obs_merge_into(&m, add);
        merge_json_strs(col_text(get, 23), m.samples, AC_AGG_SAMPLES, keep, &nkeep,
                        sizeof(keep) / sizeof(keep[0]));
        merge_json_strs(col_text(get, 24), m.query, AC_AGG_QUERY_NAMES, keep, &nkeep,
                        sizeof(keep) / sizeof(keep[0]));
        m.host = add->host;
        m.method = add->method;
        m.tmpl = add->tmpl;
        res->known_endpoints++;
    } else if (rc == SQLITE_DONE) {
        res->new_endpoints++;
    } else {
        sqlite3_reset(get);
        free(x);
        return ac__sq_err(s, d, "reading observations");
    }
    samples = strs_json(m.samples, AC_AGG_SAMPLES);
    query = strs_json(m.query, AC_AGG_QUERY_NAMES);
    put = ostmt(s, rc == SQLITE_ROW ? (endpoint != NULL ? O_OBS_UPDATE_EP : O_OBS_UPDATE)
                                    : (endpoint != NULL ? O_OBS_INSERT_EP : O_OBS_INSERT));
    if (samples == NULL || query == NULL || put == NULL || obs_text_of(&m, &text) != AC_OK) {
        err = put == NULL ? ac__sq_err(s, d, "preparing a query")
                          : ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    bind_obs(put, source, &m, samples, query, rc == SQLITE_ROW);
    ac__sq_bind_static(put, 32, text.codes);
    ac__sq_bind_static(put, 33, text.security);
    ac__sq_bind_static(put, 34, text.bodies);
    if (rc == SQLITE_ROW)
        sqlite3_bind_int64(put, 35, sqlite3_column_int64(get, 0)); /* the row found */
    if (endpoint != NULL)
        ac__sq_bind_static(put, 36, *endpoint);
    err = ac__sq_step_done(s, put, d, "storing an observation");
    *row = rc == SQLITE_ROW ? sqlite3_column_int64(get, 0) : sqlite3_last_insert_rowid(s->db);
out:
    sqlite3_reset(get); /* only now: m may point into the stored row */
    obs_text_free(&text);
    free(x);
    free(samples);
    free(query);
    for (i = 0; i < nkeep; i++)
        free(keep[i]);
    return err;
}

static enum ac_err put_static(struct sqlite_store *s, const char *source, const struct ac_obs *o,
                              struct ac_diag *d)
{
    sqlite3_stmt *st = ostmt(s, O_STATIC_PUT);

    if (st == NULL)
        return ac__sq_err(s, d, "preparing a query");
    ac__sq_bind_text(st, 1, source);
    ac__sq_bind_text(st, 2, o->host);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)o->count);
    ac__sq_bind_int(st, 4, o->first_seen);
    ac__sq_bind_int(st, 5, o->last_seen);
    return ac__sq_step_done(s, st, d, "storing static traffic");
}

static enum ac_err put_checkpoint(struct sqlite_store *s, const struct ac_checkpoint *cp,
                                  const char *now, struct ac_diag *d)
{
    sqlite3_stmt *st = ostmt(s, O_CP_PUT);

    if (st == NULL)
        return ac__sq_err(s, d, "preparing a query");
    ac__sq_bind_text(st, 1, cp->source);
    ac__sq_bind_text(st, 2, cp->path);
    sqlite3_bind_int64(st, 3, cp->device);
    sqlite3_bind_int64(st, 4, cp->inode);
    sqlite3_bind_int64(st, 5, cp->head_len);
    ac__sq_bind_text(st, 6, cp->head_hash);
    sqlite3_bind_int64(st, 7, cp->offset);
    sqlite3_bind_int64(st, 8, cp->lines);
    ac__sq_bind_text(st, 9, now);
    return ac__sq_step_done(s, st, d, "storing a checkpoint");
}

/* Move stored row `id` to the shape `tmpl`: fold it into the row of that key, then delete it. */
/* What a moved row becomes when a documented operation now matches it (move_row()). */
struct matched_as {
    int64_t operation; /* -1: the method is not documented for the template */
    const char *version;
};

/* The hours of observation row `from` become row `to`'s (added to what it has). */
static enum ac_err move_hours(struct sqlite_store *s, int64_t from, int64_t to, struct ac_diag *d)
{
    sqlite3_stmt *mv = ostmt(s, O_HOUR_MOVE), *drop = ostmt(s, O_HOUR_DROP);
    enum ac_err err;

    if (mv == NULL || drop == NULL)
        return ac__sq_err(s, d, "preparing a query");
    sqlite3_bind_int64(mv, 1, to);
    sqlite3_bind_int64(mv, 2, from);
    err = ac__sq_step_done(s, mv, d, "moving traffic hours");
    sqlite3_bind_int64(drop, 1, from);
    if (err == AC_OK)
        err = ac__sq_step_done(s, drop, d, "moving traffic hours");
    else
        sqlite3_reset(drop);
    return err;
}

/* Hour records waiting to be stored, HOURS_AT_ONCE at a time. */
struct hour_rows {
    struct {
        int64_t row, hour;
        uint32_t count;
    } v[HOURS_AT_ONCE];
    size_t n;
};

/* Store the waiting records: all at once when they are HOURS_AT_ONCE, else one by one. */
static enum ac_err flush_hours(struct sqlite_store *s, struct hour_rows *w, struct ac_diag *d)
{
    bool full = w->n == HOURS_AT_ONCE;
    sqlite3_stmt *st;
    enum ac_err err = AC_OK;
    size_t k;

    if (w->n == 0)
        return AC_OK;
    st = ostmt(s, full ? O_HOURS_PUT : O_HOUR_PUT);
    if (st == NULL)
        return ac__sq_err(s, d, "preparing a query");
    for (k = 0; err == AC_OK && k < w->n; k++) {
        int at = full ? 3 * (int)k : 0;

        sqlite3_bind_int64(st, at + 1, w->v[k].row);
        sqlite3_bind_int64(st, at + 2, w->v[k].hour);
        sqlite3_bind_int64(st, at + 3, w->v[k].count);
        if (!full)
            err = ac__sq_step_done(s, st, d, "storing traffic hours");
    }
    if (full)
        err = ac__sq_step_done(s, st, d, "storing traffic hours");
    w->n = 0;
    return err;
}

/* The hour records of observation i (hours sorted by observation, *next the first not yet
 * stored) for row `row`, stored through w (flush_hours() stores the last ones). */
static enum ac_err put_hours(struct sqlite_store *s, const struct ac_hour *h, size_t nh,
                             size_t *next, size_t i, int64_t row, struct hour_rows *w,
                             struct ac_diag *d)
{
    enum ac_err err = AC_OK;
    size_t k = *next;

    while (k < nh && h[k].obs < i)
        k++;
    for (; err == AC_OK && k < nh && h[k].obs == i; k++) {
        w->v[w->n].row = row;
        w->v[w->n].hour = h[k].hour;
        w->v[w->n].count = h[k].count;
        if (++w->n == HOURS_AT_ONCE)
            err = flush_hours(s, w, d);
    }
    *next = k;
    return err;
}

static enum ac_err move_row(struct sqlite_store *s, int64_t id, const char *tmpl,
                            const struct matched_as *as, struct ac_diag *d)
{
    sqlite3_stmt *st = ostmt(s, O_OBS_BY_ID), *del;
    struct ac_batch_result ignored = {0, 0, false, false, false};
    int64_t to = id;
    struct ac_obs o;
    const char *qbuf[AC_AGG_QUERY_NAMES];
    char *keep[AC_AGG_SAMPLES + AC_AGG_QUERY_NAMES];
    struct obs_extra *x;
    size_t nkeep = 0, i;
    enum ac_err err = AC_OK;

    if (st == NULL)
        return ac__sq_err(s, d, "preparing a query");
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return AC_OK; /* already moved */
    }
    x = malloc(sizeof(*x));
    if (x == NULL) {
        sqlite3_reset(st);
        return ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    }
    memset(&o, 0, sizeof(o));
    memset(qbuf, 0, sizeof(qbuf));
    read_obs(st, &o);
    read_extra(st, 28, &o, x); /* x holds what o points to until the end */
    o.query = qbuf;
    merge_json_strs(col_text(st, 23), o.samples, AC_AGG_SAMPLES, keep, &nkeep,
                    sizeof(keep) / sizeof(keep[0]));
    merge_json_strs(col_text(st, 24), o.query, AC_AGG_QUERY_NAMES, keep, &nkeep,
                    sizeof(keep) / sizeof(keep[0]));
    o.tmpl = tmpl;
    o.method = col_text(st, 32);
    o.host = col_text(st, 33);
    if (as != NULL) {
        o.documented = true;
        o.operation = as->operation;
        o.version = as->version;
    }
    {
        /* Copies: put_obs() and the delete run other statements before this one is reset. */
        char *source = strdup(col_text(st, 31)), *method = strdup(o.method), *host = strdup(o.host),
             *version = o.version != NULL ? strdup(o.version) : NULL,
             *server = o.server != NULL ? strdup(o.server) : NULL,
             *powered = o.powered_by != NULL ? strdup(o.powered_by) : NULL;

        sqlite3_reset(st);
        o.method = method;
        o.host = host;
        o.version = version;
        o.server = server;
        o.powered_by = powered;
        if (source == NULL || method == NULL || host == NULL ||
            (o.version == NULL) != (version == NULL))
            err = ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
        del = ostmt(s, O_OBS_DELETE);
        if (err == AC_OK && del == NULL)
            err = ac__sq_err(s, d, "preparing a query");
        if (err == AC_OK) {
            sqlite3_bind_int64(del, 1, id);
            err = ac__sq_step_done(s, del, d, "moving an observation");
        }
        if (err == AC_OK)
            err = put_obs(s, source, &o, NULL, false, &ignored, &to, d);
        if (err == AC_OK && to != id)
            err = move_hours(s, id, to, d);
        free(source);
        free(method);
        free(host);
        free(version);
        free(server);
        free(powered);
    }
    for (i = 0; i < nkeep; i++)
        free(keep[i]);
    free(x);
    return err;
}

/* Reshape the stored undocumented rows of `host` (see struct ac_batch). */
static enum ac_err reshape_host(struct sqlite_store *s, const struct ac_batch *b, const char *host,
                                struct ac_diag *d)
{
    sqlite3_stmt *st = ostmt(s, O_HOST_SHAPES);
    struct moved {
        int64_t id;
        char *tmpl;
    } *v = NULL;
    size_t n = 0, cap = 0, i;
    char shape[4096];
    enum ac_err err = AC_OK;
    int rc;

    if (st == NULL)
        return ac__sq_err(s, d, "preparing a query");
    ac__sq_bind_text(st, 1, host);
    while (err == AC_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = col_text(st, 1);

        if (!b->reshape(b->reshape_ud, host, t, shape, sizeof(shape)) || strcmp(shape, t) == 0)
            continue;
        if (n == cap) {
            size_t nc = cap != 0 ? cap * 2 : 64;
            struct moved *nv = realloc(v, nc * sizeof(*nv));

            if (nv == NULL) {
                err = ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
                break;
            }
            v = nv;
            cap = nc;
        }
        v[n].id = sqlite3_column_int64(st, 0);
        v[n].tmpl = strdup(shape);
        if (v[n++].tmpl == NULL)
            err = ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (err == AC_OK && rc != SQLITE_DONE)
        err = ac__sq_err(s, d, "reading observations");
    sqlite3_reset(st);
    for (i = 0; err == AC_OK && i < n; i++)
        err = move_row(s, v[i].id, v[i].tmpl, NULL, d);
    for (i = 0; i < n; i++)
        free(v[i].tmpl);
    free(v);
    return err;
}

/* How stored batches of b's file meet its range: *covered when they cover all of it, *part when
 * they cover some of it only. */
static enum ac_err batch_ranges(struct sqlite_store *s, const struct ac_batch *b, bool *covered,
                                bool *part, struct ac_diag *d)
{
    sqlite3_stmt *st = ostmt(s, O_BATCH_RANGES);
    int64_t at = b->range_from;
    bool gap = false, any = false;
    int rc;

    if (st == NULL)
        return ac__sq_err(s, d, "preparing a query");
    ac__sq_bind_text(st, 1, b->file_id);
    sqlite3_bind_int64(st, 2, b->range_from);
    sqlite3_bind_int64(st, 3, b->range_to);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t from = sqlite3_column_int64(st, 0), to = sqlite3_column_int64(st, 1);

        any = true;
        if (from > at)
            gap = true;
        if (to > at)
            at = to;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return ac__sq_err(s, d, "reading batches");
    *covered = any && !gap && at >= b->range_to;
    *part = any && !*covered;
    return AC_OK;
}

/* Record a collector's batch; *dup when it (or its range) was already recorded, *conflict when
 * recorded batches cover part of its range. */
static enum ac_err put_batch(struct sqlite_store *s, const struct ac_batch *b, bool *dup,
                             bool *conflict, struct ac_diag *d)
{
    sqlite3_stmt *st;
    uint64_t requests = 0;
    size_t i, n = ac__agg_count(b->agg);
    bool covered = false;
    enum ac_err err = AC_OK;

    *dup = *conflict = false;
    if (b->file_id != NULL)
        err = batch_ranges(s, b, &covered, conflict, d);
    if (err != AC_OK || *conflict || (covered && (*dup = true)))
        return err;
    if ((st = ostmt(s, O_BATCH_PUT)) == NULL)
        return ac__sq_err(s, d, "preparing a query");
    for (i = 0; i < n; i++)
        requests += ac__agg_get(b->agg, i)->count;
    ac__sq_bind_text(st, 1, b->batch_id);
    ac__sq_bind_text(st, 2, b->source);
    ac__sq_bind_text(st, 3, b->path);
    ac__sq_bind_text(st, 4, b->collector != NULL ? b->collector : "");
    ac__sq_bind_text(st, 5, b->now);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)n);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)requests);
    ac__sq_bind_text(st, 8, b->file_id);
    if (b->file_id != NULL) {
        sqlite3_bind_int64(st, 9, b->range_from);
        sqlite3_bind_int64(st, 10, b->range_to);
    }
    err = ac__sq_step_done(s, st, d, "recording a batch");
    *dup = err == AC_OK && sqlite3_changes(s->db) == 0;
    return err;
}

enum ac_err ac__sq_batch_seen(struct ac_store *base, const struct ac_batch *b, bool *dup,
                              bool *conflict, struct ac_diag *d)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = ostmt(s, O_BATCH_ID);
    bool covered = false;
    enum ac_err err = AC_OK;
    int rc;

    *dup = *conflict = false;
    if (st == NULL)
        return ac__sq_err(s, d, "preparing a query");
    ac__sq_bind_text(st, 1, b->batch_id);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return ac__sq_err(s, d, "reading batches");
    *dup = rc == SQLITE_ROW;
    if (!*dup && b->file_id != NULL)
        err = batch_ranges(s, b, &covered, conflict, d);
    if (covered)
        *dup = true;
    return err;
}

/* --- endpoints derived in a batch's transaction ------------------------------------------ */

/* Is tmpl one of the pinned templates? */
static bool pinned(const char *tmpl, const char *const *pins, size_t npins)
{
    size_t i;

    for (i = 0; i < npins; i++)
        if (strcmp(pins[i], tmpl) == 0)
            return true;
    return false;
}

/* A row a derivation reads: a stored one (id >= 0) or one the batch brings. */
struct plan_row {
    int64_t id;     /* the stored row, or -1 */
    char *stored;   /* its stored endpoint, NULL when none */
    char *key;      /* source, host, method and template, each ended by its NUL */
    size_t keylen;  /* the four with their NULs */
    uint64_t count; /* requests, the batch's added */
    bool fixed;     /* not derived: documented or pinned (its endpoint stays) */
    bool touched;   /* written by the batch, its endpoint with it */
};

/* A derivation of every endpoint (ac__sq_derive()), or of one batch's transaction
 * (ac_batch.derive): every stored undocumented row and every undocumented observation of the
 * batch, derived together before the batch is written, so that the batch's rows are written
 * with their endpoints (not written, then updated) and the derivation after the ingest has
 * nothing left to do. The rows and their counts are those stored once the batch is written. */
struct plan {
    struct plan_row *pr;
    size_t n, cap;
    uint32_t *slots; /* the stored rows by key: index + 1, 0 empty */
    size_t nslots;
    size_t *of_obs; /* per observation of the batch: its row, or SIZE_MAX (endpoint kept) */
    bool *absent;   /* per observation: no stored row has its key (nothing to read first) */
    char **derived; /* per row: the endpoint to store (NULL: the template itself) */
};

static void plan_free(struct plan *p)
{
    size_t i;

    for (i = 0; i < p->n; i++) {
        free(p->pr[i].stored);
        free(p->pr[i].key);
        if (p->derived != NULL)
            free(p->derived[i]);
    }
    free(p->pr);
    free(p->slots);
    free(p->of_obs);
    free(p->absent);
    free(p->derived);
    memset(p, 0, sizeof(*p));
}

/* The key of (source, host, method, template), malloc'd, its length in *len. */
static char *plan_key(const char *source, const char *host, const char *method, const char *tmpl,
                      size_t *len)
{
    const char *part[4] = {source, host, method, tmpl};
    size_t n = 0, k, l;
    char *key;

    for (k = 0; k < 4; k++)
        n += strlen(part[k]) + 1;
    key = malloc(n);
    if (key == NULL)
        return NULL;
    for (n = 0, k = 0; k < 4; k++) {
        l = strlen(part[k]) + 1;
        memcpy(key + n, part[k], l);
        n += l;
    }
    *len = n;
    return key;
}

static bool plan_add(struct plan *p, struct plan_row *r)
{
    if (p->n == p->cap) {
        size_t nc = p->cap != 0 ? p->cap * 2 : 256;
        struct plan_row *nr = realloc(p->pr, nc * sizeof(*nr));

        if (nr == NULL)
            return false;
        p->pr = nr;
        p->cap = nc;
    }
    p->pr[p->n++] = *r;
    return true;
}

/* The stored row of a key, or SIZE_MAX. */
static size_t plan_find(const struct plan *p, const char *key, size_t len)
{
    size_t at;

    if (p->nslots == 0)
        return SIZE_MAX;
    for (at = (size_t)XXH3_64bits(key, len) & (p->nslots - 1); p->slots[at] != 0;
         at = (at + 1) & (p->nslots - 1)) {
        const struct plan_row *r = &p->pr[p->slots[at] - 1];

        if (r->keylen == len && memcmp(r->key, key, len) == 0)
            return p->slots[at] - 1;
    }
    return SIZE_MAX;
}

static bool plan_index(struct plan *p)
{
    size_t i, at;

    for (p->nslots = 16; p->nslots < 2 * p->n; p->nslots *= 2)
        ;
    p->slots = calloc(p->nslots, sizeof(*p->slots));
    if (p->slots == NULL)
        return false;
    for (i = 0; i < p->n; i++) {
        for (at = (size_t)XXH3_64bits(p->pr[i].key, p->pr[i].keylen) & (p->nslots - 1);
             p->slots[at] != 0; at = (at + 1) & (p->nslots - 1))
            ;
        p->slots[at] = (uint32_t)i + 1;
    }
    return true;
}

/* Part k of a row's key: 0 source, 1 host, 2 method, 3 template. */
static const char *plan_part(const struct plan_row *r, unsigned k)
{
    const char *at = r->key;

    while (k-- > 0)
        at += strlen(at) + 1;
    return at;
}

/* Read the stored rows, add the observations of `agg` (NULL: none) under `source` and derive
 * every endpoint (after a batch's reshaped rows moved: the caller runs it after
 * reshape_host()). */
static enum ac_err plan_endpoints(struct sqlite_store *s, const struct ac_derive_opts *o,
                                  const struct ac_agg *agg, const char *source, struct plan *p,
                                  struct ac_diag *d)
{
    sqlite3_stmt *st = ostmt(s, O_PLAN_ROWS);
    size_t i, k, n = agg != NULL ? ac__agg_count(agg) : 0, nin = 0;
    struct ac_infer_row *in = NULL;
    size_t *back = NULL;
    enum ac_err err = AC_OK;
    int rc;

    if (st == NULL)
        return ac__sq_err(s, d, "preparing a query");
    while (err == AC_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct plan_row r = {sqlite3_column_int64(st, 0), NULL, NULL, 0, 0, false, false};

        r.key =
            plan_key(col_text(st, 1), col_text(st, 2), col_text(st, 3), col_text(st, 4), &r.keylen);
        r.count = (uint64_t)sqlite3_column_int64(st, 5);
        if (sqlite3_column_type(st, 6) != SQLITE_NULL)
            r.stored = strdup(col_text(st, 6));
        r.fixed = sqlite3_column_int(st, 7) != 0 || pinned(col_text(st, 4), o->pins, o->npins);
        if (r.key == NULL || (sqlite3_column_type(st, 6) != SQLITE_NULL && r.stored == NULL) ||
            !plan_add(p, &r)) {
            free(r.key);
            free(r.stored);
            err = ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
        }
    }
    if (err == AC_OK && rc != SQLITE_DONE)
        err = ac__sq_err(s, d, "reading observations");
    sqlite3_reset(st);
    if (err == AC_OK && (!plan_index(p) || (p->of_obs = malloc((n + 1) * sizeof(size_t))) == NULL ||
                         (p->absent = calloc(n + 1, sizeof(bool))) == NULL))
        err = ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    for (i = 0; err == AC_OK && i < n; i++) {
        const struct ac_obs *ob = ac__agg_get(agg, i);
        struct plan_row r = {-1, NULL, NULL, 0, ob->count, false, true};

        p->of_obs[i] = SIZE_MAX;
        if (ob->is_static || ob->tmpl[0] != '/')
            continue;
        r.key = plan_key(source, ob->host, ob->method, ob->tmpl, &r.keylen);
        if (r.key == NULL) {
            err = ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        k = plan_find(p, r.key, r.keylen);
        if (k != SIZE_MAX) {
            free(r.key);
            if (ob->documented)
                p->pr[k].fixed = true; /* the row becomes documented: not derived */
            if (!p->pr[k].fixed) {
                p->pr[k].count += ob->count;
                p->pr[k].touched = true;
                p->of_obs[i] = k;
            }
            continue;
        }
        p->absent[i] = true;
        if (ob->documented || pinned(ob->tmpl, o->pins, o->npins)) {
            free(r.key);
            continue;
        }
        if (!plan_add(p, &r)) {
            free(r.key);
            err = ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        p->of_obs[i] = p->n - 1;
    }
    if (err == AC_OK && ((p->derived = calloc(p->n + 1, sizeof(*p->derived))) == NULL ||
                         (in = calloc(p->n + 1, sizeof(*in))) == NULL ||
                         (back = malloc((p->n + 1) * sizeof(*back))) == NULL))
        err = ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    for (k = 0; err == AC_OK && k < p->n; k++) {
        if (p->pr[k].fixed)
            continue;
        in[nin].host = plan_part(&p->pr[k], 1);
        in[nin].method = plan_part(&p->pr[k], 2);
        in[nin].shape = plan_part(&p->pr[k], 3);
        in[nin].count = p->pr[k].count;
        back[nin++] = k;
    }
    if (err == AC_OK && ac__infer(in, nin, o->literals, o->nliterals, o->dates) != AC_OK)
        err = ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    for (i = 0; err == AC_OK && i < nin; i++) {
        /* NULL when the endpoint is the shape itself. */
        if (strcmp(in[i].endpoint, in[i].shape) != 0) {
            p->derived[back[i]] = in[i].endpoint;
            in[i].endpoint = NULL;
        }
    }
    for (i = 0; in != NULL && i < nin; i++)
        free(in[i].endpoint);
    free(in);
    free(back);
    return err;
}

/* The stored rows the batch did not write whose endpoint changed. */
static enum ac_err plan_settle(struct sqlite_store *s, const struct plan *p, struct ac_diag *d)
{
    size_t k;
    enum ac_err err = AC_OK;

    for (k = 0; err == AC_OK && k < p->n; k++) {
        const struct plan_row *r = &p->pr[k];
        const char *e = p->derived[k];
        sqlite3_stmt *up;

        if (r->id < 0 || r->fixed || r->touched ||
            (e == NULL ? r->stored == NULL : r->stored != NULL && strcmp(e, r->stored) == 0))
            continue; /* new, not derived, written with the batch, or unchanged */
        up = ostmt(s, O_SET_ENDPOINT);
        if (up == NULL)
            return ac__sq_err(s, d, "preparing a query");
        sqlite3_bind_int64(up, 1, r->id);
        ac__sq_bind_text(up, 2, e);
        err = ac__sq_step_done(s, up, d, "storing an endpoint");
    }
    return err;
}

enum ac_err ac__sq_commit_batch(struct ac_store *base, const struct ac_batch *b,
                                struct ac_batch_result *res, struct ac_diag *d)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    struct ac_batch_result r = {0, 0, false, false, false};
    struct plan plan;
    const struct ac_hour *hours;
    size_t i, n = ac__agg_count(b->agg), nh = ac__agg_hours(b->agg, &hours), next = 0;
    struct hour_rows waiting;
    int64_t row;
    enum ac_err err;

    memset(&plan, 0, sizeof(plan));
    waiting.n = 0;
    err = ac__sq_exec(s, "BEGIN IMMEDIATE", d);
    if (err == AC_OK && b->batch_id != NULL)
        err = put_batch(s, b, &r.duplicate, &r.conflict, d);
    if (r.duplicate || r.conflict)
        n = 0; /* nothing to fold in; the transaction commits nothing */
    for (i = 0; err == AC_OK && n > 0 && b->reshape != NULL && i < b->nreshape; i++)
        err = reshape_host(s, b, b->reshape_hosts[i], d);
    if (err == AC_OK && n > 0 && b->derive != NULL)
        err = plan_endpoints(s, b->derive, b->agg, b->source, &plan, d);
    for (i = 0; err == AC_OK && i < n; i++) {
        const struct ac_obs *o = ac__agg_get(b->agg, i);
        size_t k = plan.of_obs != NULL ? plan.of_obs[i] : SIZE_MAX;

        if (o->is_static) {
            err = put_static(s, b->source, o, d);
            continue;
        }
        err = put_obs(s, b->source, o, k != SIZE_MAX ? (const char *const *)&plan.derived[k] : NULL,
                      plan.absent != NULL && plan.absent[i], &r, &row, d);
        if (err == AC_OK)
            err = put_hours(s, hours, nh, &next, i, row, &waiting, d);
    }
    if (err == AC_OK)
        err = flush_hours(s, &waiting, d);
    if (err == AC_OK && plan.derived != NULL) {
        err = plan_settle(s, &plan, d);
        r.derived = err == AC_OK;
    }
    plan_free(&plan);
    if (err == AC_OK && b->cp != NULL && !r.duplicate && !r.conflict)
        err = put_checkpoint(s, b->cp, b->now, d);
    if (err == AC_OK)
        err = ac__sq_exec(s, "COMMIT", d);
    if (err != AC_OK) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return err;
    }
    if (res != NULL)
        *res = r;
    return AC_OK;
}

void ac__path_policy_free(struct ac_path_policy *p)
{
    size_t i;

    for (i = 0; i < p->npins; i++)
        free(p->pins[i]);
    for (i = 0; i < p->nliterals; i++)
        free(p->literals[i]);
    free(p->pins);
    free(p->literals);
    memset(p, 0, sizeof(*p));
}

enum ac_err ac__sq_path_policy(struct ac_store *base, struct ac_path_policy *out, struct ac_diag *d)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = ostmt(s, O_POLICY_PATHS);
    struct json_object *o = NULL, *v;
    enum ac_err err = AC_OK;
    int rc;

    memset(out, 0, sizeof(*out));
    if (st == NULL)
        return ac__sq_err(s, d, "preparing a query");
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        o = json_tokener_parse(col_text(st, 0));
    else if (rc != SQLITE_DONE)
        err = ac__sq_err(s, d, "reading the path policy");
    sqlite3_reset(st);
    if (o != NULL && json_object_object_get_ex(o, "pin", &v) &&
        !ac__json_strings(v, &out->pins, &out->npins))
        err = ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    if (err == AC_OK && o != NULL && json_object_object_get_ex(o, "literal", &v) &&
        !ac__json_strings(v, &out->literals, &out->nliterals))
        err = ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    json_object_put(o);
    if (err != AC_OK)
        ac__path_policy_free(out);
    return err;
}

enum ac_err ac__sq_shapes(struct ac_store *base, ac_shape_cb cb, void *ud, struct ac_diag *d)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = ostmt(s, O_SHAPES);
    enum ac_err err = AC_OK;
    int rc;

    if (st == NULL)
        return ac__sq_err(s, d, "preparing a query");
    while (err == AC_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        err = cb(ud, col_text(st, 0), col_text(st, 1));
    if (err == AC_OK && rc != SQLITE_DONE)
        err = ac__sq_err(s, d, "reading observations");
    sqlite3_reset(st);
    return err;
}

enum ac_err ac__sq_derive(struct ac_store *base, const char *const *literals, size_t nliterals,
                          const char *const *pins, size_t npins, bool dates, struct ac_diag *d)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    const struct ac_derive_opts o = {literals, nliterals, pins, npins, dates};
    struct plan plan;
    enum ac_err err;

    memset(&plan, 0, sizeof(plan));
    err = ac__sq_exec(s, "BEGIN IMMEDIATE", d);
    if (err == AC_OK)
        err = plan_endpoints(s, &o, NULL, NULL, &plan, d);
    if (err == AC_OK)
        err = plan_settle(s, &plan, d);
    if (err == AC_OK)
        err = ac__sq_exec(s, "COMMIT", d);
    else
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    plan_free(&plan);
    return err;
}

enum ac_err ac__sq_count_endpoints(struct ac_store *base, uint64_t *n, struct ac_diag *d)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = ostmt(s, O_COUNT_ENDPOINTS);
    int rc;

    *n = 0;
    if (st == NULL)
        return ac__sq_err(s, d, "preparing a query");
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *n = (uint64_t)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? AC_OK : ac__sq_err(s, d, "counting endpoints");
}

enum ac_err ac__sq_rematch(struct ac_store *base, ac_rematch_fn fn, void *ud, size_t *moved,
                           struct ac_diag *d)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = ostmt(s, O_UNDOCUMENTED);
    struct row {
        int64_t id, op;
        char *tmpl, *version;
    } *v = NULL;
    size_t n = 0, cap = 0, i;
    enum ac_err err;
    int rc;

    *moved = 0;
    if (st == NULL)
        return ac__sq_err(s, d, "preparing a query");
    err = ac__sq_exec(s, "BEGIN IMMEDIATE", d);
    while (err == AC_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *tmpl, *version, *samples[AC_AGG_SAMPLES];
        char *keep[AC_AGG_SAMPLES];
        size_t nkeep = 0, ns, k;
        int64_t op;
        bool hit;

        memset(samples, 0, sizeof(samples));
        merge_json_strs(col_text(st, 4), samples, AC_AGG_SAMPLES, keep, &nkeep, AC_AGG_SAMPLES);
        for (ns = 0; ns < AC_AGG_SAMPLES && samples[ns] != NULL; ns++)
            ;
        hit = fn(ud, col_text(st, 1), col_text(st, 2), col_text(st, 3), samples, ns, &tmpl, &op,
                 &version);
        for (k = 0; k < nkeep; k++)
            free(keep[k]);
        if (!hit)
            continue;
        if (n == cap) {
            size_t nc = cap != 0 ? cap * 2 : 64;
            struct row *nv = realloc(v, nc * sizeof(*nv));

            if (nv == NULL) {
                err = ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
                break;
            }
            v = nv;
            cap = nc;
        }
        v[n].id = sqlite3_column_int64(st, 0);
        v[n].op = op;
        v[n].tmpl = strdup(tmpl);
        v[n].version = version != NULL ? strdup(version) : NULL;
        if (v[n++].tmpl == NULL)
            err = ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (err == AC_OK && rc != SQLITE_DONE)
        err = ac__sq_err(s, d, "reading observations");
    sqlite3_reset(st);
    for (i = 0; err == AC_OK && i < n; i++) {
        struct matched_as as = {v[i].op, v[i].version};

        err = move_row(s, v[i].id, v[i].tmpl, &as, d);
    }
    if (err == AC_OK)
        err = ac__sq_exec(s, "COMMIT", d);
    else
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    for (i = 0; i < n; i++) {
        free(v[i].tmpl);
        free(v[i].version);
    }
    free(v);
    if (err == AC_OK)
        *moved = n;
    return err;
}
