/* reader_json_presets.c - the JSON-lines readers users name: "json" with their own field map,
 * and the presets nginx-json, envoy, caddy and traefik (their field maps and how each is
 * recognised from a line's keys). The field-map machinery is reader_json.c's.
 */
#include "reader_json.h"

#include <string.h>

/* --- detection ------------------------------------------------------------------------------- */

/* The line's first '{' opens an object: '{' then '"' or '}' after blanks, and it ends in '}'. */
static bool object_line(const char *line, size_t n, struct ac_slice *obj)
{
    const char *b = memchr(line, '{', n), *p;
    struct ac_slice s;

    if (b == NULL)
        return false;
    s = ac__json_trim(b, (size_t)(line + n - b));
    if (s.n < 2 || s.p[s.n - 1] != '}')
        return false;
    for (p = s.p + 1; p < s.p + s.n && ac__json_is_space(*p); p++)
        ;
    if (*p != '"' && *p != '}')
        return false;
    *obj = s;
    return true;
}

/* Score: 40 for one characteristic key, up to 95 when all are there; 0 without any. */
static int score_keys(const char *line, size_t n, const char *const *keys)
{
    struct ac_slice obj;
    int have = 0, total = 0;

    if (!object_line(line, n, &obj))
        return 0;
    for (; *keys != NULL; keys++, total++)
        if (ac__json_contains(obj.p, obj.n, *keys))
            have++;
    return have == 0 ? 0 : 40 + 55 * have / total;
}

/* The generic reader cannot run without a map, so it only claims JSON that no preset knows,
 * with a low score that lets the caller say "this is JSON: give a field map". */
static int json_detect(const char *line, size_t n)
{
    struct ac_slice obj;

    return object_line(line, n, &obj) ? 5 : 0;
}

static int nginx_json_detect(const char *line, size_t n)
{
    static const char *const keys[] = {"\"remote_addr\":",
                                       "\"request\":\"",
                                       "\"request_method\":",
                                       "\"request_uri\":",
                                       "\"time_local\":",
                                       "\"time_iso8601\":",
                                       "\"body_bytes_sent\":",
                                       "\"http_user_agent\":",
                                       "\"remote_user\":",
                                       "\"http_x_forwarded_for\":",
                                       NULL};

    return score_keys(line, n, keys);
}

static int envoy_detect(const char *line, size_t n)
{
    static const char *const keys[] = {"\"start_time\":",
                                       "\"response_code\":",
                                       "\"downstream_remote_address\":",
                                       "\"upstream_host\":",
                                       "\"response_flags\":",
                                       "\"authority\":",
                                       "\"bytes_received\":",
                                       NULL};

    return score_keys(line, n, keys);
}

static int caddy_detect(const char *line, size_t n)
{
    static const char *const keys[] = {
        "\"level\":",    "\"ts\":",           "\"msg\":",       "\"logger\":\"http",
        "\"request\":{", "\"resp_headers\":", "\"remote_ip\":", NULL};
    struct ac_slice obj;
    int s = score_keys(line, n, keys);

    /* Caddy's start-up messages carry only level/ts/msg: still Caddy when they lead the log. */
    if (s > 0 && object_line(line, n, &obj) &&
        !(ac__json_contains(obj.p, obj.n, "\"level\":") &&
          ac__json_contains(obj.p, obj.n, "\"ts\":")))
        s = s / 2;
    return s;
}

static int traefik_detect(const char *line, size_t n)
{
    static const char *const keys[] = {
        "\"RequestMethod\":", "\"RequestPath\":", "\"DownstreamStatus\":", "\"ClientHost\":",
        "\"StartUTC\":",      "\"RouterName\":",  "\"OriginStatus\":",     NULL};

    return score_keys(line, n, keys);
}

/* --- presets --------------------------------------------------------------------------------- */

static const char nginx_json_map[] =
    "time=time_iso8601|time_local|timestamp|time|@timestamp|msec,"
    "host=http_host|host|server_name,"
    "method=request_method|method,"
    "target=request_uri,"
    "request=request,"
    "path=uri,query=args|query_string,"
    "status=status,"
    "client=remote_addr|client_ip|realip_remote_addr,"
    "xff=http_x_forwarded_for|x_forwarded_for|proxy_add_x_forwarded_for,"
    "user=remote_user,"
    "auth=http_authorization|http_cookie|http_x_api_key";

static const char envoy_map[] =
    "time=start_time|timestamp,"
    "host=authority|:authority|host,"
    "method=method|:method|request_method,"
    "target=x-envoy-original-path|x_envoy_original_path|path|:path,"
    "status=response_code|status,"
    "client=downstream_remote_address|downstream_direct_remote_address|client_ip,"
    "xff=x-forwarded-for|x_forwarded_for,"
    "auth=authorization";

static const char caddy_map[] = "require=request,"
                                "time=ts,"
                                "host=request.host,"
                                "method=request.method,"
                                "target=request.uri,"
                                "status=status,"
                                "client=request.client_ip|request.remote_ip,"
                                "xff=request.headers.X-Forwarded-For,"
                                "user=user_id,"
                                "auth=request.headers.Authorization|request.headers.Cookie|"
                                "request.headers.X-Api-Key|request.headers.Api-Key|"
                                "request.headers.X-Auth-Token|request.headers.Proxy-Authorization,"
                                "headers=request.headers,"
                                "resp_headers=resp_headers";

static const char traefik_map[] = "time=StartUTC|StartLocal|time,"
                                  "host=RequestHost|request_Host,"
                                  "method=RequestMethod,"
                                  "target=RequestPath,"
                                  "status=DownstreamStatus|OriginStatus,"
                                  "client=ClientHost|ClientAddr,"
                                  "xff=request_X-Forwarded-For,"
                                  "user=ClientUsername,"
                                  "auth=request_Authorization|request_Cookie|request_X-Api-Key,"
                                  "resp_headers=downstream_*";

static enum ac_err json_create(const char *spec, struct ac_reader **out, struct ac_diag *d)
{
    return ac__json_reader_create(NULL, spec, out, d);
}

static enum ac_err nginx_json_create(const char *spec, struct ac_reader **out, struct ac_diag *d)
{
    return ac__json_reader_create(nginx_json_map, spec, out, d);
}

static enum ac_err envoy_create(const char *spec, struct ac_reader **out, struct ac_diag *d)
{
    return ac__json_reader_create(envoy_map, spec, out, d);
}

static enum ac_err caddy_create(const char *spec, struct ac_reader **out, struct ac_diag *d)
{
    return ac__json_reader_create(caddy_map, spec, out, d);
}

static enum ac_err traefik_create(const char *spec, struct ac_reader **out, struct ac_diag *d)
{
    return ac__json_reader_create(traefik_map, spec, out, d);
}

const struct ac_reader_ops ac__reader_json = {
    "json",
    "JSON lines with a field map (role=path,...: time host method target status ...)",
    json_detect,
    json_create,
    ac__json_reader_destroy,
    ac__json_reader_parse_line};

const struct ac_reader_ops ac__reader_nginx_json = {
    "nginx-json",
    "nginx JSON log_format (escape=json): remote_addr, request, status ...",
    nginx_json_detect,
    nginx_json_create,
    ac__json_reader_destroy,
    ac__json_reader_parse_line};

const struct ac_reader_ops ac__reader_envoy = {
    "envoy",
    "Envoy JSON access log (start_time, method, path, response_code, authority ...)",
    envoy_detect,
    envoy_create,
    ac__json_reader_destroy,
    ac__json_reader_parse_line};

const struct ac_reader_ops ac__reader_caddy = {
    "caddy",
    "Caddy JSON access log (http.log.access; other records are skipped)",
    caddy_detect,
    caddy_create,
    ac__json_reader_destroy,
    ac__json_reader_parse_line};

const struct ac_reader_ops ac__reader_traefik = {
    "traefik",
    "Traefik JSON access log (RequestMethod, RequestPath, DownstreamStatus ...)",
    traefik_detect,
    traefik_create,
    ac__json_reader_destroy,
    ac__json_reader_parse_line};
