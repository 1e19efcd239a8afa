/* wire.c - the collectors' wire format (see wire.h). */
#include "wire.h"

#include "jsonc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_names[AC_ST_COUNT] = {"2xx", "3xx", "401", "403",  "404",
                                                      "429", "4xx", "5xx", "other"};

/* Schema 11's fields (optional on the wire: a collector that sends none is still read). */
static void encode_extras(struct json_object *j, const struct ac_obs *o)
{
    struct json_object *codes = json_object_new_array();
    struct ac_buf b;
    unsigned k;

    for (k = 0; k < 64 * AC_AGG_CODE_WORDS; k++)
        if (o->codes[k / 64] & ((uint64_t)1 << (k % 64)))
            json_object_array_add(codes, json_object_new_int((int)k + 100));
    json_object_object_add(j, "status_codes", codes);
    json_object_object_add(j, "auth", json_object_new_uint64(o->auth));
    json_object_object_add(j, "auth_header", ac__json_str(o->auth_header));
    json_object_object_add(j, "auth_query", ac__json_str(o->auth_query));
    json_object_object_add(j, "auth_cookie", ac__json_str(o->auth_cookie));
    if (o->bodies == NULL)
        return;
    ac__buf_init(&b, (size_t)1 << 20);
    if (ac__buf_adds(&b, "{\"request\":") == AC_OK &&
        ac__jshape_to_json(&o->bodies->req, &b) == AC_OK &&
        ac__buf_adds(&b, ",\"response\":") == AC_OK &&
        ac__jshape_to_json(&o->bodies->resp, &b) == AC_OK && ac__buf_addc(&b, '}') == AC_OK)
        json_object_object_add(j, "bodies", json_tokener_parse(ac__buf_str(&b)));
    ac__buf_free(&b);
}

struct json_object *ac__wire_encode(const struct ac_agg *a)
{
    struct json_object *arr = json_object_new_array();
    const struct ac_hour *hours;
    size_t i, k, n = ac__agg_count(a), nh = ac__agg_hours(a, &hours), h = 0;

    for (i = 0; arr != NULL && i < n; i++) {
        const struct ac_obs *o = ac__agg_get(a, i);
        struct json_object *j = json_object_new_object(), *st = json_object_new_array(),
                           *hs = json_object_new_array();

        json_object_object_add(j, "host", json_object_new_string(o->host));
        json_object_object_add(j, "method", json_object_new_string(o->method));
        json_object_object_add(j, "template", json_object_new_string(o->tmpl));
        json_object_object_add(j, "version", ac__json_str(o->version));
        json_object_object_add(j, "operation", json_object_new_int64(o->operation));
        json_object_object_add(j, "documented", json_object_new_boolean(o->documented));
        json_object_object_add(j, "direction",
                               json_object_new_string(o->outbound ? "outbound" : "inbound"));
        json_object_object_add(j, "static", json_object_new_boolean(o->is_static));
        json_object_object_add(j, "count", json_object_new_uint64(o->count));
        json_object_object_add(j, "first_seen",
                               o->first_seen >= 0 ? json_object_new_int64(o->first_seen) : NULL);
        json_object_object_add(j, "last_seen",
                               o->last_seen >= 0 ? json_object_new_int64(o->last_seen) : NULL);
        for (k = 0; k < AC_ST_COUNT; k++)
            json_object_array_add(st, json_object_new_uint64(o->status[k]));
        json_object_object_add(j, "status", st);
        json_object_object_add(j, "with_credentials", json_object_new_uint64(o->with_credentials));
        json_object_object_add(j, "without_credentials",
                               json_object_new_uint64(o->without_credentials));
        json_object_object_add(j, "public_clients", json_object_new_uint64(o->public_clients));
        json_object_object_add(j, "private_clients", json_object_new_uint64(o->private_clients));
        json_object_object_add(j, "busiest_client", json_object_new_uint64(o->busiest_client));
        json_object_object_add(j, "headers", json_object_new_uint64(o->headers));
        json_object_object_add(j, "data", json_object_new_uint64(o->data));
        json_object_object_add(j, "samples", ac__json_str_array(o->samples, AC_AGG_SAMPLES));
        json_object_object_add(j, "query", ac__json_str_array(o->query, AC_AGG_QUERY_NAMES));
        json_object_object_add(j, "server", ac__json_str(o->server));
        json_object_object_add(j, "powered_by", ac__json_str(o->powered_by));
        encode_extras(j, o);
        while (h < nh && hours[h].obs < i)
            h++;
        for (; h < nh && hours[h].obs == i; h++) {
            struct json_object *p = json_object_new_array();

            json_object_array_add(p, json_object_new_int64(hours[h].hour));
            json_object_array_add(p, json_object_new_uint64(hours[h].count));
            json_object_array_add(hs, p);
        }
        json_object_object_add(j, "hours", hs);
        json_object_array_add(arr, j);
    }
    return arr;
}

/* --- decoding ---------------------------------------------------------------------------- */

struct dec {
    struct json_object *o;
    bool operations; /* keep operation ids */
    size_t idx;
    struct ac_diag *d;
    enum ac_err err;
};

static void fault(struct dec *x, const char *member, const char *why)
{
    if (x->err == AC_OK)
        x->err = ac_diag_set(x->d, AC_ESCHEMA, NULL, 0, 0, "observations[%zu].%s: %s", x->idx,
                             member, why);
}

static struct json_object *get(struct dec *x, const char *member)
{
    struct json_object *v = NULL;

    json_object_object_get_ex(x->o, member, &v);
    return v;
}

/* A string member (NULL when absent or null and `optional`), at most AC_WIRE_MAX_STR bytes
 * without NUL. */
static const char *str(struct dec *x, const char *member, bool optional)
{
    struct json_object *v = get(x, member);
    const char *s;

    if (v == NULL && optional)
        return NULL;
    if (!json_object_is_type(v, json_type_string)) {
        fault(x, member, optional ? "not a string or null" : "missing, or not a string");
        return NULL;
    }
    s = json_object_get_string(v);
    if ((size_t)json_object_get_string_len(v) > AC_WIRE_MAX_STR ||
        strlen(s) != (size_t)json_object_get_string_len(v)) {
        fault(x, member, "too long, or holds a NUL");
        return NULL;
    }
    return s;
}

static bool count_of(struct dec *x, struct json_object *v, const char *member, uint64_t *out)
{
    int64_t n;

    if (!json_object_is_type(v, json_type_int)) {
        fault(x, member, "not an integer");
        return false;
    }
    n = json_object_get_int64(v);
    if (n < 0 || (uint64_t)n > AC_WIRE_MAX_COUNT) {
        fault(x, member, "outside 0 to 2^53");
        return false;
    }
    *out = (uint64_t)n;
    return true;
}

static uint64_t count(struct dec *x, const char *member)
{
    uint64_t n = 0;

    count_of(x, get(x, member), member, &n);
    return n;
}

static bool boolean(struct dec *x, const char *member)
{
    struct json_object *v = get(x, member);

    if (!json_object_is_type(v, json_type_boolean)) {
        fault(x, member, "missing, or not true or false");
        return false;
    }
    return json_object_get_boolean(v) != 0;
}

/* Unix seconds or null (-1). */
static int64_t seconds(struct dec *x, const char *member)
{
    struct json_object *v = get(x, member);
    int64_t t;

    if (v == NULL)
        return -1;
    if (!json_object_is_type(v, json_type_int) || (t = json_object_get_int64(v)) < 0 ||
        t > 253402300799) {
        fault(x, member, "not Unix seconds (0 to 9999-12-31) or null");
        return -1;
    }
    return t;
}

/* Strings of an array member into v[cap] (NULL-padded), sorted and distinct as kept. */
static void string_list(struct dec *x, const char *member, const char **v, size_t cap)
{
    struct json_object *a = get(x, member);
    size_t i, n;

    memset(v, 0, cap * sizeof(*v));
    if (a == NULL)
        return;
    if (!json_object_is_type(a, json_type_array) || (n = json_object_array_length(a)) > cap) {
        fault(x, member, "not an array of at most the kept number of strings");
        return;
    }
    for (i = 0; i < n; i++) {
        struct json_object *e = json_object_array_get_idx(a, i);

        if (!json_object_is_type(e, json_type_string) ||
            json_object_get_string_len(e) > (int)AC_WIRE_MAX_STR ||
            strlen(json_object_get_string(e)) != (size_t)json_object_get_string_len(e)) {
            fault(x, member, "holds something other than a short string");
            return;
        }
        v[i] = json_object_get_string(e);
    }
}

static bool valid_method(const char *m)
{
    size_t i, n = strlen(m);

    if (n == 0 || n > 32)
        return false;
    for (i = 0; i < n; i++)
        if (!((m[i] >= 'A' && m[i] <= 'Z') || (m[i] >= 'a' && m[i] <= 'z') || m[i] == '-' ||
              m[i] == '_' || (m[i] >= '0' && m[i] <= '9') || m[i] == '*'))
            return false;
    return true;
}

/* Schema 11's optional fields into o; the body shapes into *bodies (o->bodies points there). */
static void decode_extras(struct dec *x, struct ac_obs *o, struct ac_bodies *bodies)
{
    struct json_object *codes = get(x, "status_codes"), *b = get(x, "bodies"), *part;
    const char **names[3] = {&o->auth_header, &o->auth_query, &o->auth_cookie};
    static const char *const keys[3] = {"auth_header", "auth_query", "auth_cookie"};
    size_t i, n;

    if (codes != NULL && !json_object_is_type(codes, json_type_array))
        fault(x, "status_codes", "not an array of status codes");
    n = codes != NULL && x->err == AC_OK ? json_object_array_length(codes) : 0;
    for (i = 0; x->err == AC_OK && i < n; i++) {
        struct json_object *c = json_object_array_get_idx(codes, i);
        int64_t v = json_object_get_int64(c);

        if (!json_object_is_type(c, json_type_int) || v < 100 || v >= 100 + 64 * AC_AGG_CODE_WORDS)
            fault(x, "status_codes", "holds something other than a status code 100..611");
        else
            o->codes[(v - 100) / 64] |= (uint64_t)1 << ((v - 100) % 64);
    }
    o->auth = get(x, "auth") != NULL ? (unsigned)(count(x, "auth") & 0x3Fu) : 0;
    for (i = 0; x->err == AC_OK && i < 3; i++) {
        *names[i] = str(x, keys[i], true);
        if (*names[i] != NULL && (strlen(*names[i]) == 0 || strlen(*names[i]) > 64))
            fault(x, keys[i], "not a name of 1 to 64 bytes");
    }
    if (x->err != AC_OK || b == NULL || json_object_is_type(b, json_type_null))
        return;
    if (!json_object_is_type(b, json_type_object) ||
        !json_object_object_get_ex(b, "request", &part) ||
        !ac__jshape_from_json(&bodies->req, part) ||
        !json_object_object_get_ex(b, "response", &part) ||
        !ac__jshape_from_json(&bodies->resp, part)) {
        fault(x, "bodies", "not {\"request\": SHAPE, \"response\": SHAPE}");
        return;
    }
    o->bodies = bodies;
}

static void decode_one(struct dec *x, struct ac_agg *a, size_t *hours_total)
{
    struct ac_obs o;
    const char *samples[AC_AGG_SAMPLES], *query[AC_AGG_QUERY_NAMES], *dir;
    struct json_object *st = get(x, "status"), *hs = get(x, "hours");
    struct ac_hour *hv = NULL;
    struct ac_bodies *bodies = NULL;
    size_t i, nh = 0;
    int64_t op;

    memset(&o, 0, sizeof(o));
    if (!json_object_is_type(x->o, json_type_object)) {
        fault(x, "", "not an object");
        return;
    }
    o.host = str(x, "host", false);
    o.method = str(x, "method", false);
    o.tmpl = str(x, "template", false);
    o.version = str(x, "version", true);
    o.server = str(x, "server", true);
    o.powered_by = str(x, "powered_by", true);
    dir = str(x, "direction", false);
    if (x->err == AC_OK && strlen(o.host) > 255)
        fault(x, "host", "longer than 255 bytes");
    if (x->err == AC_OK && !valid_method(o.method))
        fault(x, "method", "not an HTTP method token");
    if (x->err == AC_OK && strcmp(dir, "inbound") != 0 && strcmp(dir, "outbound") != 0)
        fault(x, "direction", "neither inbound nor outbound");
    if (x->err != AC_OK)
        return;
    o.outbound = strcmp(dir, "outbound") == 0;
    op = json_object_is_type(get(x, "operation"), json_type_int)
             ? json_object_get_int64(get(x, "operation"))
             : -2;
    if (op < -1)
        fault(x, "operation", "not an operation id or -1");
    o.operation = x->operations ? op : -1;
    o.documented = boolean(x, "documented") && x->operations;
    o.is_static = boolean(x, "static");
    o.count = count(x, "count");
    o.first_seen = seconds(x, "first_seen");
    o.last_seen = seconds(x, "last_seen");
    o.with_credentials = count(x, "with_credentials");
    o.without_credentials = count(x, "without_credentials");
    o.public_clients = count(x, "public_clients");
    o.private_clients = count(x, "private_clients");
    o.busiest_client = count(x, "busiest_client");
    o.headers = (unsigned)(count(x, "headers") & 0xffffu);
    o.data = (unsigned)(count(x, "data") & 0xffffffffu);
    if (!json_object_is_type(st, json_type_array) || json_object_array_length(st) != AC_ST_COUNT)
        fault(x, "status", "not an array of 9 counts (2xx 3xx 401 403 404 429 4xx 5xx other)");
    for (i = 0; x->err == AC_OK && i < AC_ST_COUNT; i++)
        count_of(x, json_object_array_get_idx(st, i), status_names[i], &o.status[i]);
    string_list(x, "samples", samples, AC_AGG_SAMPLES);
    string_list(x, "query", query, AC_AGG_QUERY_NAMES);
    for (i = 0; i < AC_AGG_SAMPLES; i++)
        o.samples[i] = samples[i];
    o.query = query[0] != NULL ? query : NULL;
    if (hs != NULL && !json_object_is_type(hs, json_type_array))
        fault(x, "hours", "not an array of [hour, count] pairs");
    nh = hs != NULL && x->err == AC_OK ? json_object_array_length(hs) : 0;
    if (nh > AC_WIRE_MAX_HOURS - *hours_total)
        fault(x, "hours", "more hour records in the batch than allowed");
    if (x->err == AC_OK && nh > 0 && (hv = calloc(nh, sizeof(*hv))) == NULL)
        x->err = ac_diag_set(x->d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    for (i = 0; x->err == AC_OK && i < nh; i++) {
        struct json_object *p = json_object_array_get_idx(hs, i);
        uint64_t c = 0;

        if (!json_object_is_type(p, json_type_array) || json_object_array_length(p) != 2 ||
            !json_object_is_type(json_object_array_get_idx(p, 0), json_type_int) ||
            json_object_get_int64(json_object_array_get_idx(p, 0)) < 0 ||
            json_object_get_int64(json_object_array_get_idx(p, 0)) > 70389527LL) {
            fault(x, "hours", "holds something other than [hour since 1970, count]");
            break;
        }
        if (count_of(x, json_object_array_get_idx(p, 1), "hours", &c) && c > UINT32_MAX)
            fault(x, "hours", "a count above 2^32 in one hour");
        hv[i].hour = json_object_get_int64(json_object_array_get_idx(p, 0));
        hv[i].count = (uint32_t)c;
    }
    if (x->err == AC_OK && o.first_seen > o.last_seen)
        fault(x, "first_seen", "after last_seen");
    if (x->err == AC_OK) {
        bodies = malloc(sizeof(*bodies));
        if (bodies == NULL)
            x->err = ac_diag_set(x->d, AC_ENOMEM, NULL, 0, 0, "out of memory");
        else
            decode_extras(x, &o, bodies);
    }
    if (x->err == AC_OK && ac__agg_put(a, &o, hv, nh) != AC_OK)
        x->err = ac_diag_set(x->d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    *hours_total += nh;
    free(bodies);
    free(hv);
}

enum ac_err ac__wire_decode(struct json_object *arr, struct ac_agg *a, bool operations,
                            struct ac_diag *d)
{
    struct dec x;
    size_t n, hours = 0;

    memset(&x, 0, sizeof(x));
    x.d = d;
    x.operations = operations;
    if (!json_object_is_type(arr, json_type_array))
        return ac_diag_set(d, AC_ESCHEMA, NULL, 0, 0, "observations: not an array");
    n = json_object_array_length(arr);
    if (n > AC_WIRE_MAX_OBS)
        return ac_diag_set(d, AC_ESCHEMA, NULL, 0, 0,
                           "observations: more than %u in one batch (lower --batch-size)",
                           AC_WIRE_MAX_OBS);
    for (x.idx = 0; x.err == AC_OK && x.idx < n; x.idx++) {
        x.o = json_object_array_get_idx(arr, x.idx);
        decode_one(&x, a, &hours);
    }
    return x.err;
}
