/* gen_log.c - bench/ingest's generator (built by it into bench/.cache/gen-github-log): writes a
 * synthetic nginx/Apache "combined" access log of GitHub's REST API to standard output.
 *
 *   gen-github-log OPS_FILE LINES [SEED] > access.log
 *
 * OPS_FILE has one documented operation a line, "METHOD TEMPLATE" (bench/ingest exports it from
 * `apicensus ls operations --format json`). Every line of the log is one request:
 *
 *   - about 98% are documented operations, chosen with a skewed (Zipf, s = 1.1) mix: fifteen
 *     endpoints known to be hot on GitHub rank first, a seeded shuffle ranks the others, GET
 *     operations weigh 4 times more, so a few endpoints are very hot and most are cold; the
 *     other 2% are invented undocumented endpoints (/internal/debug/{n}, /v1/admin/users/{n},
 *     .../secret-scanning/export ...);
 *   - parameters get values that look like GitHub's: numbers for {*_id}, {*_number}; 40-hex
 *     hashes for {sha}, {commit_sha}, {ref}...; owner, repository, organisation, team and user
 *     names from a generated vocabulary of 4,096 word-like names ("zanbil", "octo-widget",
 *     "mercury-app"), drawn with a milder skew (s = 0.8); a GHSA id, UUIDs, enums where the
 *     parameter is an enum; some GETs carry a query string (?per_page=..&page=..);
 *   - status codes mostly 2xx (200, 201 for POST, 204 for DELETE), some 304, 401, 403, 404,
 *     422, 429, 500, 502; clients from a pool of 60,000 addresses, public and private (RFC 1918,
 *     loopback, CGNAT), a few very busy; timestamps rising over one day (2025-11-21, UTC);
 *     user agents of real API clients; "-" or a user name as $remote_user.
 *
 * The output depends only on OPS_FILE, LINES and SEED (default 1): runs are comparable. At the
 * end it says on standard error how many requests went to documented operations and how many to
 * undocumented endpoints. Plain C99 and POSIX (cc -O2 gen_log.c -lm); it writes 2 million lines in
 * about a second. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- random numbers: splitmix64, deterministic ---------------------------------------------- */
static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* uniform in [0, n) */
static uint64_t below(uint64_t n)
{
    return n > 0 ? rnd() % n : 0;
}

/* uniform in [0, 1) */
static double unit(void)
{
    return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0);
}

/* --- a skewed choice: cumulative weights and binary search ---------------------------------- */
struct dist {
    double *cum;
    size_t n;
};

static void dist_init(struct dist *d, const double *w, size_t n)
{
    double s = 0;
    size_t i;

    d->cum = malloc(n * sizeof(*d->cum));
    if (d->cum == NULL) {
        perror("gen-github-log");
        exit(1);
    }
    for (i = 0; i < n; i++)
        d->cum[i] = (s += w[i]);
    d->n = n;
}

static size_t dist_pick(const struct dist *d)
{
    double x = unit() * d->cum[d->n - 1];
    size_t lo = 0, hi = d->n - 1;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (d->cum[mid] > x)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Zipf over n items in their given order: weight 1 / (rank + 1)^s */
static void zipf_init(struct dist *d, size_t n, double s)
{
    double *w = malloc(n * sizeof(*w));
    size_t i;

    if (w == NULL) {
        perror("gen-github-log");
        exit(1);
    }
    for (i = 0; i < n; i++)
        w[i] = 1.0 / pow((double)(i + 1), s);
    dist_init(d, w, n);
    free(w);
}

/* --- output: one big buffer ------------------------------------------------------------------ */
static char obuf[1 << 20];
static size_t olen;

static void flush_out(void)
{
    if (olen > 0 && fwrite(obuf, 1, olen, stdout) != olen) {
        perror("gen-github-log: write");
        exit(1);
    }
    olen = 0;
}

static void put(const char *s, size_t n)
{
    if (olen + n > sizeof(obuf))
        flush_out();
    memcpy(obuf + olen, s, n);
    olen += n;
}

static void puts_(const char *s)
{
    put(s, strlen(s));
}

static void putu(uint64_t v)
{
    char t[24];
    size_t i = sizeof(t);

    do
        t[--i] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    put(t + i, sizeof(t) - i);
}

static void puthex(size_t digits)
{
    static const char hx[] = "0123456789abcdef";
    char t[64];
    size_t i;
    uint64_t r = 0;

    for (i = 0; i < digits; i++) {
        if (i % 16 == 0)
            r = rnd();
        t[i] = hx[r & 15];
        r >>= 4;
    }
    put(t, digits);
}

/* --- the vocabulary of word-like names ------------------------------------------------------- */
#define NWORDS 4096
static char *words[NWORDS];
static struct dist word_dist;

static const char *const onsets[] = {"b", "br", "c",  "ch", "d", "dr", "f", "g",  "gr", "h",
                                     "j", "k",  "kr", "l",  "m", "n",  "p", "pl", "qu", "r",
                                     "s", "sh", "sk", "st", "t", "tr", "v", "w",  "z",  "zh"};
static const char *const vowels[] = {"a", "e", "i", "o", "u", "ai", "ea", "io", "oo", "y"};
static const char *const codas[] = {"", "", "", "n", "r", "l", "x", "t", "m", "s", "k", "nd"};
static const char *const suffixes[] = {
    "-app", "-api", "-cli",  "-js",  "-go",   "-rs",  "-sdk",   "-bot",    "-lab", "-hq",
    "-io",  "-dev", "-docs", "-kit", "-core", "-web", "-infra", "-action", "2",    "-ops"};
static const char *const prefixes[] = {"octo-", "mercury-", "open-", "hyper-", "tiny-",  "neo-",
                                       "blue-", "rapid-",   "deep-", "meta-",  "cloud-", "little-"};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void syllable(char *b, int last)
{
    strcat(b, onsets[below(N(onsets))]);
    strcat(b, vowels[below(N(vowels))]);
    if (last || below(4) == 0)
        strcat(b, codas[below(N(codas))]);
}

static int word_known(const char *w, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(words[i], w) == 0)
            return 1;
    return 0;
}

static void make_words(void)
{
    size_t n = 0;

    while (n < NWORDS) {
        char b[64] = "";
        uint64_t shape = below(10);

        if (shape < 2)
            strcat(b, prefixes[below(N(prefixes))]);
        if (below(3) == 0)
            syllable(b, 0);
        syllable(b, 0);
        syllable(b, 1);
        if (shape >= 7)
            strcat(b, suffixes[below(N(suffixes))]);
        if (word_known(b, n))
            continue;
        words[n] = strdup(b);
        if (words[n] == NULL) {
            perror("gen-github-log");
            exit(1);
        }
        n++;
    }
    zipf_init(&word_dist, NWORDS, 0.8);
}

static void putword(void)
{
    puts_(words[dist_pick(&word_dist)]);
}

/* --- parameter values ------------------------------------------------------------------------ */
static int ends_with(const char *s, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n >= k && memcmp(s + n - k, suf, k) == 0;
}

static int is(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

static int contains(const char *s, size_t n, const char *lit)
{
    size_t k = strlen(lit), i;

    for (i = 0; i + k <= n; i++)
        if (memcmp(s + i, lit, k) == 0)
            return 1;
    return 0;
}

static const char *pick(const char *const *a, size_t n)
{
    return a[below(n)];
}

/* A number of a plausible size: small for per-repository counters ({issue_number}), large for
 * global ids ({run_id}, {comment_id}). */
static void putnumber(int counter)
{
    if (counter)
        putu(1 + below(below(4) == 0 ? 60000 : 3000));
    else
        putu(1000000 + below(below(2) ? 9000000000ULL : 90000000ULL));
}

static void putuuid(void)
{
    puthex(8), put("-", 1), puthex(4), put("-4", 2), puthex(3), put("-a", 2), puthex(3),
        put("-", 1), puthex(12);
}

static void putparam(const char *p, size_t n)
{
    static const char *const branches[] = {"main", "master", "develop", "release", "gh-pages"};
    static const char *const pkg_types[] = {"npm",    "maven", "rubygems",
                                            "docker", "nuget", "container"};
    static const char *const langs[] = {"javascript", "python", "go",  "java",
                                        "ruby",       "csharp", "cpp", "swift"};
    static const char *const licenses[] = {"mit", "apache-2.0", "gpl-3.0", "bsd-3-clause",
                                           "mpl-2.0"};
    static const char *const products[] = {"dependency_graph", "dependabot_alerts",
                                           "secret_scanning", "code_scanning_default_setup"};
    static const char *const files[] = {"README.md", "package.json", "Makefile", "go.mod",
                                        "LICENSE",   "Cargo.toml",   "index.js", "setup.py"};
    static const char *const formats[] = {"tarball", "zipball"};
    static const char *const actor_types[] = {"users", "organizations"};
    static const char *const enables[] = {"enable_all", "disable_all"};
    static const char *const secrets[] = {"NPM_TOKEN",       "AWS_SECRET_ACCESS_KEY",
                                          "DOCKER_PASSWORD", "SLACK_WEBHOOK",
                                          "DEPLOY_KEY",      "CODECOV_TOKEN"};

    if (ends_with(p, n, "sha") || is(p, n, "ref") || is(p, n, "head")) {
        puthex(40);
    } else if (ends_with(p, n, "_number") || is(p, n, "attempt_number")) {
        putnumber(1);
    } else if (ends_with(p, n, "_id") || is(p, n, "id") || is(p, n, "key")) {
        if (is(p, n, "ghsa_id")) {
            put("GHSA-", 5), puthex(4), put("-", 1), puthex(4), put("-", 1), puthex(4);
        } else if (is(p, n, "client_id")) {
            put("Iv1.", 4), puthex(16);
        } else {
            putnumber(0);
        }
    } else if (contains(p, n, "uuid")) {
        putuuid();
    } else if (is(p, n, "subject_digest")) {
        put("sha256:", 7), puthex(64);
    } else if (is(p, n, "branch") || is(p, n, "base")) {
        if (below(2))
            puts_(pick(branches, N(branches)));
        else
            put("feature-", 8), putword();
    } else if (is(p, n, "package_type")) {
        puts_(pick(pkg_types, N(pkg_types)));
    } else if (is(p, n, "language")) {
        puts_(pick(langs, N(langs)));
    } else if (is(p, n, "license")) {
        puts_(pick(licenses, N(licenses)));
    } else if (is(p, n, "security_product")) {
        puts_(pick(products, N(products)));
    } else if (is(p, n, "path")) {
        puts_(pick(files, N(files)));
    } else if (is(p, n, "archive_format")) {
        puts_(pick(formats, N(formats)));
    } else if (is(p, n, "actor_type")) {
        puts_(pick(actor_types, N(actor_types)));
    } else if (is(p, n, "enablement")) {
        puts_(pick(enables, N(enables)));
    } else if (is(p, n, "secret_name")) {
        puts_(pick(secrets, N(secrets)));
    } else if (is(p, n, "tag") || is(p, n, "version")) {
        put("v", 1), putu(below(5)), put(".", 1), putu(below(20)), put(".", 1), putu(below(10));
    } else if (is(p, n, "code")) {
        puthex(20);
    } else {
        /* owner, repo, org, username, team_slug, enterprise, name, environment_name ... */
        putword();
    }
}

/* A template with its parameters filled in. "{base}...{head}" works too: each {...} is filled. */
static void puttemplate(const char *t)
{
    while (*t != '\0') {
        const char *open = strchr(t, '{'), *close;

        if (open == NULL) {
            puts_(t);
            return;
        }
        close = strchr(open, '}');
        if (close == NULL) {
            puts_(t);
            return;
        }
        put(t, (size_t)(open - t));
        putparam(open + 1, (size_t)(close - open - 1));
        t = close + 1;
    }
}

/* --- operations ------------------------------------------------------------------------------ */
struct op {
    char method[8];
    const char *tmpl;
};

static struct op *ops;
static size_t nops;
static struct dist op_dist;

/* The hottest documented endpoints (those missing from OPS_FILE are passed over). */
static const struct op hot[] = {
    {"GET", "/repos/{owner}/{repo}"},
    {"GET", "/repos/{owner}/{repo}/pulls"},
    {"GET", "/repos/{owner}/{repo}/commits/{ref}/status"},
    {"GET", "/user"},
    {"GET", "/repos/{owner}/{repo}/issues"},
    {"GET", "/repos/{owner}/{repo}/contents/{path}"},
    {"GET", "/repos/{owner}/{repo}/pulls/{pull_number}"},
    {"POST", "/repos/{owner}/{repo}/statuses/{sha}"},
    {"GET", "/rate_limit"},
    {"GET", "/users/{username}"},
    {"GET", "/repos/{owner}/{repo}/actions/runs"},
    {"POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments"},
    {"GET", "/repos/{owner}/{repo}/commits"},
    {"GET", "/orgs/{org}/repos"},
    {"GET", "/repos/{owner}/{repo}/releases/latest"},
};

/* Undocumented endpoints: nobody wrote them down, some are exactly what API9 is about. */
static const struct op undocumented[] = {
    {"GET", "/internal/debug/{n_id}"},
    {"GET", "/internal/metrics"},
    {"GET", "/internal/healthz"},
    {"GET", "/v1/admin/users/{user_id}"},
    {"DELETE", "/v1/admin/users/{user_id}"},
    {"GET", "/v1/admin/audit-log"},
    {"GET", "/repos/{owner}/{repo}/secret-scanning/export"},
    {"POST", "/repos/{owner}/{repo}/actions/runners/{runner_id}/shell"},
    {"GET", "/orgs/{org}/billing/export"},
    {"GET", "/api/v2/repos/{owner}/{repo}"},
    {"GET", "/staff/impersonate/{username}"},
    {"GET", "/users/{username}/tokens/{token_id}"},
    {"POST", "/_private/graphql-proxy"},
    {"GET", "/beta/repos/{owner}/{repo}/insights/{run_id}"},
};
static struct dist undoc_dist;

static void load_ops(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[4096];
    size_t cap = 0, i, h;
    double *w;

    if (f == NULL) {
        perror(path);
        exit(1);
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        char *sp = strchr(line, ' ');
        size_t k;

        line[strcspn(line, "\r\n")] = '\0';
        if (sp == NULL || sp == line || (size_t)(sp - line) >= sizeof(ops->method) || sp[1] != '/')
            continue;
        if (nops == cap) {
            cap = cap ? cap * 2 : 1024;
            ops = realloc(ops, cap * sizeof(*ops));
            if (ops == NULL) {
                perror("gen-github-log");
                exit(1);
            }
        }
        k = (size_t)(sp - line);
        memcpy(ops[nops].method, line, k);
        ops[nops].method[k] = '\0';
        ops[nops].tmpl = strdup(sp + 1);
        if (ops[nops].tmpl == NULL) {
            perror("gen-github-log");
            exit(1);
        }
        nops++;
    }
    fclose(f);
    if (nops == 0) {
        fprintf(stderr, "gen-github-log: no \"METHOD TEMPLATE\" lines in %s\n", path);
        exit(1);
    }
    /* Rank: the endpoints that are hot on GitHub first, in order; the others after them in a
     * seeded shuffle (Fisher-Yates). Then Zipf weights by rank, GETs 4x heavier. */
    for (i = nops - 1; i > 0; i--) {
        size_t j = (size_t)below(i + 1);
        struct op t = ops[i];
        ops[i] = ops[j];
        ops[j] = t;
    }
    for (h = 0; h < N(hot) && h < nops; h++)
        for (i = h; i < nops; i++)
            if (strcmp(ops[i].method, hot[h].method) == 0 &&
                strcmp(ops[i].tmpl, hot[h].tmpl) == 0) {
                struct op t = ops[i];
                memmove(ops + h + 1, ops + h, (i - h) * sizeof(*ops));
                ops[h] = t;
                break;
            }
    w = malloc(nops * sizeof(*w));
    if (w == NULL) {
        perror("gen-github-log");
        exit(1);
    }
    for (i = 0; i < nops; i++)
        w[i] = (strcmp(ops[i].method, "GET") == 0 ? 4.0 : 1.0) / pow((double)(i + 1), 1.1);
    dist_init(&op_dist, w, nops);
    free(w);
    zipf_init(&undoc_dist, N(undocumented), 0.7);
}

/* --- clients ---------------------------------------------------------------------------------- */
#define NCLIENTS 60000
static char *clients[NCLIENTS];
static struct dist client_dist;

static void make_clients(void)
{
    size_t i;

    for (i = 0; i < NCLIENTS; i++) {
        char b[24];
        uint64_t r = below(100);
        unsigned a = (unsigned)below(256), c = (unsigned)below(256), d = 1 + (unsigned)below(254);

        if (r < 15) /* RFC 1918 10/8 */
            snprintf(b, sizeof(b), "10.%u.%u.%u", a, c, d);
        else if (r < 20)
            snprintf(b, sizeof(b), "172.%u.%u.%u", 16 + (unsigned)below(16), c, d);
        else if (r < 25)
            snprintf(b, sizeof(b), "192.168.%u.%u", c, d);
        else if (r < 28) /* CGNAT */
            snprintf(b, sizeof(b), "100.%u.%u.%u", 64 + (unsigned)below(64), c, d);
        else if (r < 29)
            snprintf(b, sizeof(b), "127.0.0.1");
        else { /* public: avoid 0, 10, 100, 127, 169, 172, 192, 224+ as first octet */
            unsigned first;
            do
                first = 1 + (unsigned)below(223);
            while (first == 10 || first == 100 || first == 127 || first == 169 || first == 172 ||
                   first == 192);
            snprintf(b, sizeof(b), "%u.%u.%u.%u", first, a, c, d);
        }
        clients[i] = strdup(b);
        if (clients[i] == NULL) {
            perror("gen-github-log");
            exit(1);
        }
    }
    zipf_init(&client_dist, NCLIENTS, 1.0);
}

/* --- the log ---------------------------------------------------------------------------------- */
static const char *const agents[] = {
    "octokit-rest.js/20.0.2 octokit-core.js/5.0.1 Node.js/20",
    "curl/8.4.0",
    "gh/2.40.1 (linux; amd64)",
    "GitHub-Hookshot/2c4f3e1",
    "python-requests/2.31.0",
    "Go-http-client/2.0",
    "PyGithub/Python",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/119.0 Safari/537.36",
    "Terraform/1.6.4 terraform-provider-github/5.42.0",
    "renovate/37.59.8",
    "dependabot-core/0.236.0",
};
static struct dist agent_dist;

static int status_for(const char *method, int undoc)
{
    uint64_t r = below(1000);

    if (undoc)
        return r < 500 ? 200 : r < 800 ? 404 : r < 950 ? 403 : 500;
    if (r < 25)
        return 404;
    if (r < 37)
        return 401;
    if (r < 45)
        return 403;
    if (r < 50)
        return 422;
    if (r < 60)
        return 429;
    if (r < 64)
        return 500;
    if (r < 66)
        return 502;
    if (strcmp(method, "GET") == 0)
        return r < 120 ? 304 : 200;
    if (strcmp(method, "POST") == 0)
        return 201;
    if (strcmp(method, "DELETE") == 0)
        return 204;
    return 200;
}

int main(int argc, char **argv)
{
    static const char *const users[] = {"monalisa", "hubot", "octocat", "deploy-bot"};
    unsigned long long lines, seed, i, nundoc = 0;
    double weights[N(agents)] = {30, 20, 12, 10, 8, 6, 4, 4, 3, 2, 1};
    char stamp[64] = "";
    long stamp_sec = -1;

    if (argc < 3 || argc > 4) {
        fputs("usage: gen-github-log OPS_FILE LINES [SEED] > access.log\n", stderr);
        return 2;
    }
    lines = strtoull(argv[2], NULL, 10);
    seed = argc == 4 ? strtoull(argv[3], NULL, 10) : 1;
    rng_state = seed;

    make_words();
    load_ops(argv[1]);
    make_clients();
    dist_init(&agent_dist, weights, N(agents));

    for (i = 0; i < lines; i++) {
        /* one day, evenly spread with a little jitter; never going backwards */
        long sec = (long)((double)i * 86400.0 / (double)lines);
        int undoc = below(1000) < 20;
        const struct op *o =
            undoc ? &undocumented[dist_pick(&undoc_dist)] : &ops[dist_pick(&op_dist)];
        int status = status_for(o->method, undoc);

        nundoc += (unsigned long long)undoc;

        if (sec != stamp_sec) {
            stamp_sec = sec;
            snprintf(stamp, sizeof(stamp), " [21/Nov/2025:%02ld:%02ld:%02ld +0000] \"", sec / 3600,
                     sec / 60 % 60, sec % 60);
        }
        puts_(clients[dist_pick(&client_dist)]);
        if (below(10) == 0) {
            put(" - ", 3);
            puts_(pick(users, N(users)));
        } else {
            put(" - -", 4);
        }
        puts_(stamp);
        puts_(o->method);
        put(" ", 1);
        puttemplate(o->tmpl);
        if (strcmp(o->method, "GET") == 0 && below(8) == 0) {
            put("?per_page=", 10);
            putu(below(2) ? 30 : 100);
            put("&page=", 6);
            putu(1 + below(20));
        }
        put(" HTTP/1.1\" ", 11);
        putu((uint64_t)status);
        put(" ", 1);
        putu(status == 204 || status == 304 ? 0 : 40 + below(below(5) == 0 ? 200000 : 6000));
        put(" \"-\" \"", 6);
        puts_(agents[dist_pick(&agent_dist)]);
        put("\"\n", 2);
    }
    flush_out();
    if (fflush(stdout) != 0) {
        perror("gen-github-log: write");
        return 1;
    }
    fprintf(stderr, "gen-github-log: %llu lines, %llu documented, %llu undocumented, seed %llu\n",
            lines, lines - nundoc, nundoc, seed);
    return 0;
}
