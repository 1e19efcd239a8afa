/* gen_traffic.c - bench/infer's generator (built by it into bench/.cache/gen-traffic): writes a
 * combined-format access log of requests to every operation of one API description, and the
 * (method, template) pairs a perfect inference would find.
 *
 *   gen-traffic OPS_JSON LOG_OUT TRUTH_OUT [SEED]
 *
 * OPS_JSON is `apicensus ls operations --format json` of the imported spec. Every operation gets
 * 20 requests plus a share of 40 x (operations) more drawn with a skewed (Zipf, s = 1.0) mix over
 * a seeded shuffle of the operations, so some are hot and most are cold, and every one is
 * present. Path parameters get values like real ones, decided by the parameter's schema when the
 * spec gives it, else by its name:
 *
 *   - enum: one of the values (the truth then lists each value as a literal segment);
 *   - integer or number: 1 to 9,999,999; format uuid: a UUID; date / date-time: a date;
 *     email: an address;
 *   - names of things people name (user, owner, repo, org, name, title, slug, tag, label, key,
 *     branch, ref, path, file, domain, ...): words from a vocabulary of 4,096 generated
 *     pronounceable names ("zanbil", "octo-vera"), drawn with a skew (Zipf, s = 0.8); domains
 *     get ".example.com", titles join two words; hashes (sha, digest, hash, commit) get 40 hex
 *     digits;
 *   - anything else (ids): a prefixed token as Stripe and many others write them: the first
 *     letters of the name, '_' and 20 letters and digits ("acc_8sJ2kd...").
 *
 * Clients come from 2,000 addresses, statuses are 200 (201 for POST, 204 for DELETE), times rise
 * over one day. TRUTH_OUT gets one "METHOD TEMPLATE" line per documented operation with every
 * parameter written "{}" (names do not count) and enum parameters expanded to their values. The
 * output depends only on the input and SEED (default 1). Plain C99 with json-c:
 *   cc -O2 gen_traffic.c $(pkg-config --cflags --libs json-c) -lm */
#define _POSIX_C_SOURCE 200809L
#include <json-c/json.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t below(uint64_t n)
{
    return n > 0 ? rnd() % n : 0;
}

static double unit(void)
{
    return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0);
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

/* Zipf over n ranks: cumulative weights, binary search. */
struct zipf {
    double *cum;
    size_t n;
};

static void zipf_init(struct zipf *z, size_t n, double s)
{
    double sum = 0;
    size_t i;

    z->cum = malloc(n * sizeof(*z->cum));
    if (z->cum == NULL)
        die("gen-traffic");
    for (i = 0; i < n; i++)
        z->cum[i] = (sum += 1.0 / pow((double)(i + 1), s));
    z->n = n;
}

static size_t zipf_pick(const struct zipf *z)
{
    double u = unit() * z->cum[z->n - 1];
    size_t lo = 0, hi = z->n - 1;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;

        if (z->cum[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* --- values ----------------------------------------------------------------------------------- */

#define NWORDS 4096
static char *words[NWORDS];
static struct zipf word_dist;

static void make_words(void)
{
    static const char *const cons[] = {"b", "d", "f", "g", "k",  "l",  "m",  "n",  "p",  "r",
                                       "s", "t", "v", "z", "br", "st", "tr", "ch", "sh", "kr"};
    static const char *const vow[] = {"a", "e", "i", "o", "u", "ai", "ou", "y"};
    size_t i;

    for (i = 0; i < NWORDS; i++) {
        char b[64] = "";
        unsigned k, syl = 2 + (unsigned)below(3);

        for (k = 0; k < syl; k++) {
            strcat(b, cons[below(sizeof(cons) / sizeof(cons[0]))]);
            strcat(b, vow[below(sizeof(vow) / sizeof(vow[0]))]);
        }
        if (below(4) == 0)
            strcat(b, cons[below(sizeof(cons) / sizeof(cons[0]))]);
        if (below(6) == 0) { /* "octo-vera" */
            strcat(b, "-");
            strcat(b, cons[below(sizeof(cons) / sizeof(cons[0]))]);
            strcat(b, vow[below(sizeof(vow) / sizeof(vow[0]))]);
            strcat(b, cons[below(sizeof(cons) / sizeof(cons[0]))]);
            strcat(b, vow[below(sizeof(vow) / sizeof(vow[0]))]);
        }
        words[i] = strdup(b);
        if (words[i] == NULL)
            die("gen-traffic");
    }
    zipf_init(&word_dist, NWORDS, 0.8);
}

static const char *word(void)
{
    return words[zipf_pick(&word_dist)];
}

static bool name_has(const char *name, const char *const *parts)
{
    char low[128];
    size_t i;

    for (i = 0; name[i] != '\0' && i + 1 < sizeof(low); i++)
        low[i] = (char)((name[i] >= 'A' && name[i] <= 'Z') ? name[i] - 'A' + 'a' : name[i]);
    low[i] = '\0';
    for (i = 0; parts[i] != NULL; i++)
        if (strstr(low, parts[i]) != NULL)
            return true;
    return false;
}

static const char *const named_things[] = {
    "user",   "owner",  "repo",   "org",     "name",   "title",  "slug",   "tag",
    "label",  "key",    "branch", "ref",     "path",   "file",   "domain", "login",
    "team",   "host",   "topic",  "package", "volume", "plugin", "image",  "network",
    "secret", "config", "book",   "planet",  NULL};
static const char *const hashes[] = {"sha", "digest", "hash", "commit", NULL};

/* A value for parameter `name` with schema `p` (NULL when the spec gives none) into out. */
static void value(const char *name, struct json_object *p, char *out, size_t cap)
{
    struct json_object *v;
    const char *type = NULL, *format = NULL;
    static const char alnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    size_t i, k;

    if (p != NULL && json_object_object_get_ex(p, "enum", &v) && json_object_array_length(v) > 0) {
        snprintf(out, cap, "%s",
                 json_object_get_string(
                     json_object_array_get_idx(v, below(json_object_array_length(v)))));
        return;
    }
    if (p != NULL && json_object_object_get_ex(p, "type", &v))
        type = json_object_get_string(v);
    if (p != NULL && json_object_object_get_ex(p, "format", &v))
        format = json_object_get_string(v);
    if (format != NULL && strcmp(format, "uuid") == 0) {
        snprintf(out, cap, "%08llx-%04llx-4%03llx-a%03llx-%012llx",
                 (unsigned long long)below(1ull << 32), (unsigned long long)below(1 << 16),
                 (unsigned long long)below(1 << 12), (unsigned long long)below(1 << 12),
                 (unsigned long long)below(1ull << 48));
    } else if (format != NULL && strncmp(format, "date", 4) == 0) {
        snprintf(out, cap, "20%02u-%02u-%02u", 15 + (unsigned)below(10), 1 + (unsigned)below(12),
                 1 + (unsigned)below(28));
    } else if ((format != NULL && strcmp(format, "email") == 0) ||
               name_has(name, (const char *const[]){"email", NULL})) {
        snprintf(out, cap, "%s.%s@example.com", word(), word());
    } else if (type != NULL && (strcmp(type, "integer") == 0 || strcmp(type, "number") == 0)) {
        snprintf(out, cap, "%llu", (unsigned long long)(1 + below(9999999)));
    } else if (name_has(name, hashes)) {
        for (i = 0; i < 40 && i + 1 < cap; i++)
            out[i] = "0123456789abcdef"[below(16)];
        out[i] = '\0';
    } else if (name_has(name, (const char *const[]){"domain", "host", NULL})) {
        snprintf(out, cap, "%s.example.com", word());
    } else if (name_has(name, (const char *const[]){"title", NULL})) {
        snprintf(out, cap, "%s-%s", word(), word());
    } else if (name_has(name, named_things)) {
        snprintf(out, cap, "%s", word());
    } else { /* an id: "acc_" + 20 letters and digits */
        for (i = 0, k = 0; name[i] != '\0' && k < 4 && k + 1 < cap; i++)
            if ((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z'))
                out[k++] = (char)(name[i] | 0x20);
        if (k == 0)
            out[k++] = 'x';
        out[k++] = '_';
        for (i = 0; i < 20 && k + 1 < cap; i++)
            out[k++] = alnum[below(sizeof(alnum) - 1)];
        out[k] = '\0';
    }
}

/* The parameter named name[0..n) of op, or NULL. */
static struct json_object *param_of(struct json_object *op, const char *name, size_t n)
{
    struct json_object *ps, *p, *v;
    size_t i;

    if (!json_object_object_get_ex(op, "parameters", &ps))
        return NULL;
    for (i = 0; i < json_object_array_length(ps); i++) {
        p = json_object_array_get_idx(ps, i);
        if (json_object_object_get_ex(p, "in", &v) &&
            strcmp(json_object_get_string(v), "path") == 0 &&
            json_object_object_get_ex(p, "name", &v) && strlen(json_object_get_string(v)) == n &&
            strncmp(json_object_get_string(v), name, n) == 0)
            return p;
    }
    return NULL;
}

/* Write the truth lines of op: its template with "{}" parameters, enum ones expanded. */
static void truth(FILE *f, const char *method, struct json_object *op, const char *t, char *acc,
                  size_t len)
{
    const char *open = strchr(t, '{'), *close;
    struct json_object *p, *en;

    if (open == NULL || (close = strchr(open, '}')) == NULL) {
        fprintf(f, "%s %.*s%s\n", method, (int)len, acc, t);
        return;
    }
    memcpy(acc + len, t, (size_t)(open - t));
    len += (size_t)(open - t);
    p = param_of(op, open + 1, (size_t)(close - open - 1));
    if (p != NULL && json_object_object_get_ex(p, "enum", &en) &&
        json_object_array_length(en) > 0) {
        size_t i;

        for (i = 0; i < json_object_array_length(en); i++) {
            const char *v = json_object_get_string(json_object_array_get_idx(en, i));

            memcpy(acc + len, v, strlen(v));
            truth(f, method, op, close + 1, acc, len + strlen(v));
        }
        return;
    }
    memcpy(acc + len, "{}", 2);
    truth(f, method, op, close + 1, acc, len + 2);
}

int main(int argc, char **argv)
{
    struct json_object *ops;
    FILE *log, *tr;
    size_t nops, i, total, *order, *count;
    struct zipf mix;
    char acc[8192];
    long t0 = 1732147200; /* 2024-11-21T00:00:00Z */

    if (argc < 4) {
        fprintf(stderr, "usage: gen-traffic OPS_JSON LOG_OUT TRUTH_OUT [SEED]\n");
        return 2;
    }
    rng_state = argc > 4 ? strtoull(argv[4], NULL, 10) : 1;
    ops = json_object_from_file(argv[1]);
    if (ops == NULL || !json_object_is_type(ops, json_type_array)) {
        fprintf(stderr, "gen-traffic: %s: not a JSON array of operations\n", argv[1]);
        return 1;
    }
    nops = json_object_array_length(ops);
    log = fopen(argv[2], "w");
    tr = fopen(argv[3], "w");
    if (log == NULL || tr == NULL)
        die("gen-traffic");
    make_words();
    order = malloc((nops + 1) * sizeof(*order));
    count = calloc(nops + 1, sizeof(*count));
    if (order == NULL || count == NULL)
        die("gen-traffic");
    for (i = 0; i < nops; i++) {
        struct json_object *op = json_object_array_get_idx(ops, i), *m, *t;

        order[i] = i;
        count[i] = 20;
        json_object_object_get_ex(op, "method", &m);
        json_object_object_get_ex(op, "template", &t);
        truth(tr, json_object_get_string(m), op, json_object_get_string(t), acc, 0);
    }
    for (i = nops; i > 1; i--) { /* a seeded shuffle ranks the operations */
        size_t j = (size_t)below(i), x = order[i - 1];

        order[i - 1] = order[j];
        order[j] = x;
    }
    if (nops > 0) {
        zipf_init(&mix, nops, 1.0);
        for (i = 0; i < 40 * nops; i++)
            count[order[zipf_pick(&mix)]]++;
    }
    /* The requests, operations interleaved at random. */
    for (total = 0, i = 0; i < nops; i++)
        total += count[i];
    for (i = 0; i < total; i++) {
        size_t k = (size_t)below(nops), tries = 0;
        struct json_object *op, *m, *t;
        const char *tmpl, *s;
        char path[8192], v[512];
        size_t pl = 0;
        int status;

        while (count[k] == 0 && tries++ < nops)
            k = (k + 1) % nops;
        count[k]--;
        op = json_object_array_get_idx(ops, k);
        json_object_object_get_ex(op, "method", &m);
        json_object_object_get_ex(op, "template", &t);
        tmpl = json_object_get_string(t);
        for (s = tmpl; *s != '\0' && pl + 600 < sizeof(path);) {
            const char *close = *s == '{' ? strchr(s, '}') : NULL;

            if (close == NULL) {
                path[pl++] = *s++;
                continue;
            }
            {
                char name[128];
                size_t nl = (size_t)(close - s - 1) < sizeof(name) - 1 ? (size_t)(close - s - 1)
                                                                       : sizeof(name) - 1;

                memcpy(name, s + 1, nl);
                name[nl] = '\0';
                /* the declared schema, or the name alone when the spec declares none */
                value(name, param_of(op, s + 1, (size_t)(close - s - 1)), v, sizeof(v));
            }
            pl += (size_t)snprintf(path + pl, sizeof(path) - pl, "%s", v);
            s = close + 1;
        }
        path[pl] = '\0';
        status = strcmp(json_object_get_string(m), "POST") == 0     ? 201
                 : strcmp(json_object_get_string(m), "DELETE") == 0 ? 204
                                                                    : 200;
        {
            long ts = t0 + (long)((double)i * 86400.0 / (double)total);
            struct tm tm;
            time_t tt = (time_t)ts;
            char when[64];
            unsigned c = (unsigned)below(2000);

            gmtime_r(&tt, &tm);
            strftime(when, sizeof(when), "%d/%b/%Y:%H:%M:%S +0000", &tm);
            fprintf(log,
                    "%u.%u.%u.%u - - [%s] \"%s %s HTTP/1.1\" %d %u \"-\" \"bench-client/1.0\"\n",
                    c % 2 == 0 ? 203u : 10u, (c >> 1) % 256, (c >> 3) % 256, c % 251 + 1, when,
                    json_object_get_string(m), path, status, 100 + (unsigned)below(5000));
        }
    }
    fclose(log);
    fclose(tr);
    json_object_put(ops);
    return 0;
}
