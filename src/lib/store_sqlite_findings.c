/* store_sqlite_findings.c - reconciliation in the SQLite backend (see <apicensus/findings.h>).
 *
 * Each rule is one query over the registry views and the observations that yields its current
 * hits as rows (api, host, method, template, version, title, evidence JSON); zombie-superseded
 * pairs versions in C. The whole run is one transaction: hits are upserted into `finding` by
 * their fingerprint, the ids seen go to a temporary table, and whatever did not fire is resolved.
 */
#include "dataclass.h"
#include "rules.h"
#include "store_sqlite.h"

#include "sha256.h"

#include <apicensus/findings.h>

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Default severities (PRODUCT.md "Findings"). */
/* A rule's evaluation; its default severity and texts are in the catalogue (rules.h). */
struct rule {
    const char *id;
    const char *sql; /* rows: api, host, method, template, version, title, evidence; NULL: C */
};

/* Inbound traffic on a declared host that no current operation documents (path or method).
 * The groups are read in the order of observation_host_endpoint (host, endpoint, method), not
 * sorted; only the hits are, into the order of the GROUP BY. */
#define SHADOW_ENDPOINT                                                                            \
    "SELECT NULL, e.host, e.method, coalesce(e.endpoint, e.template), min(e.version),"             \
    " CASE WHEN max(e.documented) = 1 THEN e.method || ' is not documented for '"                  \
    "   || coalesce(e.endpoint, e.template) || ' on ' || e.host"                                   \
    "  ELSE 'undocumented endpoint ' || e.method || ' ' || coalesce(e.endpoint, e.template)"       \
    "   || ' answers on ' || e.host END,"                                                          \
    " json_object('requests', sum(e.count), 'public_clients', sum(e.public_clients),"              \
    "  'private_clients', sum(e.private_clients), 'status_2xx', sum(e.status_2xx),"                \
    "  'first_seen', strftime('%Y-%m-%dT%H:%M:%SZ', min(e.first_seen), 'unixepoch'),"              \
    "  'last_seen', strftime('%Y-%m-%dT%H:%M:%SZ', max(e.last_seen), 'unixepoch'),"                \
    "  'samples', json(min(e.samples)),"                                                           \
    "  'path_documented', json(iif(max(e.documented) = 1, 'true', 'false')))"                      \
    " FROM observation e LEFT JOIN operation op ON op.id = e.operation_id"                         \
    " WHERE e.direction = 'inbound' AND (op.id IS NULL OR op.removed_at IS NOT NULL)"              \
    "  AND e.host IN (SELECT host FROM deployment)"                                                \
    " GROUP BY e.host, e.method, coalesce(e.endpoint, e.template)"                                 \
    " ORDER BY e.host, e.method, coalesce(e.endpoint, e.template)"

/* Inbound traffic to a host under the organisation's domains that no deployment declares. The
 * hosts are decided first, once each (the index on host holds them), and only their rows read. */
#define SHADOW_HOST                                                                                \
    "WITH h AS (SELECT o.host AS host FROM (SELECT DISTINCT host FROM observation) o"              \
    "  WHERE o.host <> '' AND o.host NOT IN (SELECT host FROM deployment)"                         \
    "   AND EXISTS (SELECT 1 FROM domain_decl dd WHERE o.host = dd.domain"                         \
    "    OR substr(o.host, -length(dd.domain) - 1) = '.' || dd.domain))"                           \
    "SELECT NULL, e.host, NULL, NULL, NULL,"                                                       \
    " 'host ' || e.host || ' answers API traffic but no deployment declares it',"                  \
    " json_object('requests', sum(e.count), 'endpoints', count(DISTINCT e.method || ' ' ||"        \
    "  coalesce(e.endpoint, e.template)), 'first_seen', strftime('%Y-%m-%dT%H:%M:%SZ',"            \
    "  min(e.first_seen), 'unixepoch'), 'last_seen', strftime('%Y-%m-%dT%H:%M:%SZ',"               \
    "  max(e.last_seen), 'unixepoch'))"                                                            \
    " FROM h CROSS JOIN observation e ON e.host = h.host WHERE e.direction = 'inbound'"            \
    " GROUP BY e.host ORDER BY e.host"

/* 2xx traffic to an operation its spec marks deprecated. The deprecated operations lead, and
 * only their traffic is read (CROSS JOIN keeps that order). */
#define ZOMBIE_DEPRECATED                                                                          \
    "SELECT op.api, e.host, op.method, op.template, op.version,"                                   \
    " 'deprecated operation ' || op.method || ' ' || op.template || ' still answers on '"          \
    "  || e.host,"                                                                                 \
    " json_object('status_2xx', sum(e.status_2xx), 'requests', sum(e.count),"                      \
    "  'public_clients', sum(e.public_clients), 'private_clients', sum(e.private_clients),"        \
    "  'last_seen', strftime('%Y-%m-%dT%H:%M:%SZ', max(e.last_seen), 'unixepoch'))"                \
    " FROM operation op CROSS JOIN observation e ON e.operation_id = op.id"                        \
    " WHERE op.removed_at IS NULL AND op.deprecated = 1 AND e.status_2xx > 0"                      \
    "  AND e.direction = 'inbound'"                                                                \
    " GROUP BY op.id, e.host"

/* Current operations with no traffic in the window before the reference time (the latest
 * observation); nothing while the store holds no traffic. The operations are read in the order
 * of the GROUP BY (operation_key), each with its observations by operation_id. */
#define ORPHAN_OPERATION                                                                           \
    "WITH ref AS (SELECT max(last_seen) AS t FROM observation),"                                   \
    " w AS (SELECT coalesce((SELECT CAST(value AS INTEGER) FROM policy_decl"                       \
    "  WHERE key = 'window_days' ORDER BY document_id DESC LIMIT 1), 30) AS days)"                 \
    "SELECT op.api, NULL, op.method, op.template, op.version,"                                     \
    " 'no traffic to ' || op.method || ' ' || op.template || ' in ' || w.days || ' days',"         \
    " json_object('window_days', w.days, 'reference_time',"                                        \
    "  strftime('%Y-%m-%dT%H:%M:%SZ', ref.t, 'unixepoch'), 'last_seen',"                           \
    "  strftime('%Y-%m-%dT%H:%M:%SZ', max(e.last_seen), 'unixepoch'))"                             \
    " FROM operation op CROSS JOIN ref CROSS JOIN w"                                               \
    " LEFT JOIN observation e ON e.operation_id = op.id"                                           \
    " WHERE ref.t IS NOT NULL AND op.removed_at IS NULL"                                           \
    " GROUP BY op.api, op.method, op.template, op.version"                                         \
    " HAVING max(e.last_seen) IS NULL OR max(e.last_seen) < max(ref.t) - max(w.days) * 86400"

/* APIs declared without an owner. */
#define UNOWNED                                                                                    \
    "SELECT name, NULL, NULL, NULL, NULL, 'API ' || name || ' has no owner',"                      \
    " json_object('sources', json(sources)) FROM api WHERE owner IS NULL OR owner = ''"

/* Traffic to a version of a known API that the inventory does not register: a version token
 * in an undocumented path on a host, and under the base path, where the API is deployed. Whether
 * the version is registered depends on the group alone (API, version): asked once per group. */
#define SHADOW_VERSION                                                                             \
    "WITH lv AS MATERIALIZED (SELECT api, label FROM version)"                                     \
    "SELECT dp.api, e.host, NULL, NULL, e.version,"                                                \
    " 'version ' || e.version || ' of ' || dp.api || ' answers on ' || e.host"                     \
    "  || ' but is no registered version',"                                                        \
    " json_object('requests', sum(e.count), 'endpoints', count(DISTINCT e.method || ' ' ||"        \
    "  coalesce(e.endpoint, e.template)), 'last_seen', strftime('%Y-%m-%dT%H:%M:%SZ',"             \
    "  max(e.last_seen), 'unixepoch'), 'sample', min(coalesce(e.endpoint, e.template)))"           \
    " FROM observation e JOIN (SELECT DISTINCT api, host, base_path FROM deployment) dp"           \
    "  ON dp.host = e.host AND (dp.base_path = '' OR e.template = dp.base_path"                    \
    "   OR substr(e.template, 1, length(dp.base_path) + 1) = dp.base_path || '/')"                 \
    " WHERE e.direction = 'inbound' AND e.operation_id IS NULL AND e.version IS NOT NULL"          \
    " GROUP BY dp.api, e.host, e.version"                                                          \
    " HAVING NOT EXISTS (SELECT 1 FROM lv v WHERE v.api = dp.api AND (v.label = e.version"         \
    "  OR 'v' || v.label = e.version OR v.label = 'v' || e.version))"

/* Successful traffic to a retired version, or after its sunset date. */
#define ZOMBIE_RETIRED                                                                             \
    "WITH v AS MATERIALIZED (SELECT api, label, status, sunset FROM version"                       \
    "  WHERE status = 'retired' OR sunset IS NOT NULL)"                                            \
    "SELECT op.api, e.host, op.method, op.template, op.version,"                                   \
    " CASE WHEN v.status = 'retired' THEN 'retired version ' || op.version"                        \
    "  ELSE 'version ' || op.version || ' past its sunset (' || v.sunset || ')' END"               \
    "  || ' still answers ' || op.method || ' ' || op.template || ' on ' || e.host,"               \
    " json_object('status_2xx', sum(e.status_2xx), 'version_status', v.status, 'sunset',"          \
    "  v.sunset, 'last_seen', strftime('%Y-%m-%dT%H:%M:%SZ', max(e.last_seen), 'unixepoch'))"      \
    " FROM observation e JOIN operation op ON op.id = e.operation_id"                              \
    " JOIN v ON v.api = op.api AND v.label = op.version"                                           \
    " WHERE op.removed_at IS NULL AND e.direction = 'inbound' AND e.status_2xx > 0"                \
    "  AND (v.status = 'retired' OR (v.sunset IS NOT NULL"                                         \
    "   AND strftime('%Y-%m-%d', e.last_seen, 'unixepoch') > v.sunset))"                           \
    " GROUP BY op.id, e.host"

/* An endpoint that had traffic and has had none for policy.dormant_after_days before the
 * reference time. None is unless some row is older than that: the EXISTS asks first, of the
 * index on (host, last_seen), so that a store of recent traffic groups no row. The groups are
 * read in index order (host, endpoint, method); the hits are sorted into the GROUP BY's order. */
#define DORMANT                                                                                    \
    "WITH ref AS (SELECT max(last_seen) AS t FROM observation),"                                   \
    " w AS (SELECT coalesce((SELECT CAST(value AS INTEGER) FROM policy_decl"                       \
    "  WHERE key = 'dormant_after_days' ORDER BY document_id DESC LIMIT 1), 30) AS days)"          \
    "SELECT NULL, e.host, e.method, coalesce(e.endpoint, e.template), min(e.version),"             \
    " 'no traffic to ' || e.method || ' ' || coalesce(e.endpoint, e.template) || ' on '"           \
    "  || e.host || ' for ' || max(w.days) || ' days',"                                            \
    " json_object('last_seen', strftime('%Y-%m-%dT%H:%M:%SZ', max(e.last_seen), 'unixepoch'),"     \
    "  'reference_time', strftime('%Y-%m-%dT%H:%M:%SZ', max(ref.t), 'unixepoch'),"                 \
    "  'dormant_after_days', max(w.days), 'requests', sum(e.count))"                               \
    " FROM observation e CROSS JOIN ref CROSS JOIN w WHERE e.direction = 'inbound'"                \
    "  AND EXISTS (SELECT 1 FROM observation o"                                                    \
    "   WHERE o.last_seen < (SELECT ref.t - w.days * 86400 FROM ref, w))"                          \
    " GROUP BY e.host, e.method, coalesce(e.endpoint, e.template)"                                 \
    " HAVING max(e.last_seen) < max(ref.t) - max(w.days) * 86400"                                  \
    " ORDER BY e.host, e.method, coalesce(e.endpoint, e.template)"

/* A non-production deployment that public clients reach, or that is declared public. */
#define NONPROD_EXPOSED                                                                            \
    "SELECT dp.api, dp.host, NULL, NULL, dp.version,"                                              \
    " dp.environment || ' deployment ' || dp.url || ' is '"                                        \
    "  || CASE WHEN dp.audience = 'public' THEN 'declared public' ELSE"                            \
    "  'answering public clients' END,"                                                            \
    " json_object('environment', dp.environment, 'audience', dp.audience, 'url', dp.url,"          \
    "  'public_requests', (SELECT sum(e.public_clients) FROM observation e"                        \
    "   WHERE e.host = dp.host AND e.direction = 'inbound'))"                                      \
    " FROM deployment dp WHERE dp.environment IS NOT NULL"                                         \
    "  AND lower(dp.environment) NOT IN ('production', 'prod')"                                    \
    "  AND (dp.audience = 'public' OR (SELECT sum(e.public_clients) FROM observation e"            \
    "   WHERE e.host = dp.host AND e.direction = 'inbound') > 0)"

/* The last review is older than its interval (against the time of the run). ?1: now. */
#define REVIEW_OVERDUE                                                                             \
    "SELECT name, NULL, NULL, NULL, NULL,"                                                         \
    " 'the review of ' || name || ' is overdue since '"                                            \
    "  || date(review_last, '+' || review_every_days || ' days'),"                                 \
    " json_object('review_last', review_last, 'review_every_days', review_every_days,"             \
    "  'due', date(review_last, '+' || review_every_days || ' days'))"                             \
    " FROM api WHERE review_last IS NOT NULL AND review_every_days IS NOT NULL"                    \
    "  AND date(review_last, '+' || review_every_days || ' days') < substr(?1, 1, 10)"

/* What the OWASP API9 checklist wants declared: each deployment's environment and audience,
 * each API's documentation. */
#define DOCUMENTATION_BLINDSPOT                                                                    \
    "SELECT api, host, NULL, NULL, NULL, 'deployment ' || url || ' declares no '"                  \
    "  || CASE WHEN environment IS NULL AND audience IS NULL THEN 'environment nor audience'"      \
    "  WHEN environment IS NULL THEN 'environment' ELSE 'audience' END,"                           \
    " json_object('url', url, 'environment', environment, 'audience', audience)"                   \
    " FROM deployment WHERE environment IS NULL OR audience IS NULL"                               \
    " UNION ALL SELECT name, NULL, NULL, NULL, NULL, 'API ' || name || ' links no documentation'," \
    " json_object('sources', json(sources)) FROM api WHERE docs IS NULL OR docs = ''"

/* An integration that carries data classes without a justification or an approval. */
#define DATAFLOW_UNAPPROVED                                                                        \
    "SELECT NULL, host, NULL, NULL, NULL, 'integration ' || name || ' carries '"                   \
    "  || (SELECT group_concat(value, ', ') FROM json_each(data)) || ' without '"                  \
    "  || CASE WHEN (justification IS NULL OR justification = '') AND approved_by IS NULL"         \
    "  THEN 'a justification or an approval' WHEN approved_by IS NULL THEN 'an approval'"          \
    "  ELSE 'a justification' END,"                                                                \
    " json_object('integration', name, 'url', url, 'data', json(data), 'justification',"           \
    "  justification, 'approved_by', approved_by)"                                                 \
    " FROM integration WHERE data IS NOT NULL AND json_array_length(data) > 0"                     \
    "  AND (justification IS NULL OR justification = '' OR approved_by IS NULL)"

/* Outbound traffic to a host that no declared integration names. The rows are read in table
 * order and only the outbound ones sorted (by an index on host, every row would be looked up). */
#define DATAFLOW_UNDECLARED                                                                        \
    "SELECT NULL, e.host, NULL, NULL, NULL,"                                                       \
    " 'outbound traffic to ' || e.host || ' matches no declared integration',"                     \
    " json_object('requests', sum(e.count), 'endpoints', count(DISTINCT e.method || ' ' ||"        \
    "  coalesce(e.endpoint, e.template)), 'first_seen', strftime('%Y-%m-%dT%H:%M:%SZ',"            \
    "  min(e.first_seen), 'unixepoch'), 'last_seen', strftime('%Y-%m-%dT%H:%M:%SZ',"               \
    "  max(e.last_seen), 'unixepoch'))"                                                            \
    " FROM observation e NOT INDEXED WHERE e.direction = 'outbound' AND e.host <> ''"              \
    "  AND e.host NOT IN (SELECT host FROM integration WHERE host IS NOT NULL)"                    \
    " GROUP BY e.host"

/* Outbound traffic to an integration's host shows data classes (dataclass.h bits) the
 * integration does not declare. One finding per integration; the evidence names each extra
 * class, its requests and the smallest endpoint where it was seen. */
#define DATAFLOW_EXCESS                                                                            \
    "WITH dc(bit, cls) AS (VALUES " AC__DATA_SQL_VALUES "),"                                       \
    " x AS (SELECT i.name AS integ, i.host AS host, i.url AS url, i.data AS data, dc.cls AS cls,"  \
    "  sum(e.count) AS requests, min(e.method || ' ' || coalesce(e.endpoint, e.template)) AS at,"  \
    "  strftime('%Y-%m-%dT%H:%M:%SZ', max(e.last_seen), 'unixepoch') AS last_seen"                 \
    "  FROM integration i JOIN observation e ON e.host = i.host AND e.direction = 'outbound'"      \
    "  JOIN dc ON e.data_classes & dc.bit <> 0"                                                    \
    "  WHERE i.host IS NOT NULL AND dc.cls NOT IN (SELECT value FROM json_each("                   \
    "   coalesce(i.data, '[]')))"                                                                  \
    "  GROUP BY i.name, dc.cls ORDER BY i.name, dc.bit)"                                           \
    "SELECT NULL, host, NULL, NULL, NULL, 'integration ' || integ || ' receives '"                 \
    "  || group_concat(cls, ', ') || ' that it does not declare',"                                 \
    " json_object('integration', integ, 'url', url, 'declared', json(coalesce(data, '[]')),"       \
    "  'extra', json_group_array(json_object('class', cls, 'requests', requests, 'seen_at', at,"   \
    "  'last_seen', last_seen)))"                                                                  \
    " FROM x GROUP BY integ"

/* A non-production deployment declared to hold production data, or whose inbound traffic showed
 * personal or financial data classes (AC__DATA_PERSONAL of dataclass.h: not credentials nor IP
 * addresses, which every test environment carries). A declared one keeps its evidence; an
 * observed one adds the classes seen. */
#define PROD_DATA_IN_NONPROD                                                                       \
    "WITH dc(bit, cls) AS (VALUES " AC__DATA_SQL_VALUES "),"                                       \
    " d AS (SELECT api, host, version, url, environment, production_data,"                         \
    "  coalesce((SELECT " AC__DATA_SQL_OR " FROM observation e WHERE e.host = deployment.host"     \
    "   AND e.direction = 'inbound'), 0) & " AC__DATA_PERSONAL " AS seen FROM deployment"          \
    "  WHERE environment IS NOT NULL AND lower(environment) NOT IN ('production', 'prod'))"        \
    "SELECT api, host, NULL, NULL, version, environment || ' deployment ' || url"                  \
    "  || CASE WHEN production_data = 1 THEN ' is declared to hold production data'"               \
    "  ELSE ' carries ' || (SELECT group_concat(cls, ', ') FROM dc WHERE seen & bit)"              \
    "   || ' in its traffic' END,"                                                                 \
    " CASE WHEN seen = 0 THEN json_object('url', url, 'environment', environment,"                 \
    "  'production_data', json('true')) ELSE json_object('url', url, 'environment', environment,"  \
    "  'production_data', json(CASE WHEN production_data = 1 THEN 'true' WHEN production_data = 0" \
    "  THEN 'false' ELSE 'null' END), 'observed', (SELECT json_group_array(cls) FROM dc"           \
    "  WHERE seen & bit)) END"                                                                     \
    " FROM d WHERE production_data = 1 OR seen <> 0"

/* An operation whose spec requires credentials answered 2xx while no request carried any. The
 * operations that require them lead, and only their traffic is read. */
#define AUTH_GAP                                                                                   \
    "SELECT op.api, e.host, op.method, op.template, op.version,"                                   \
    " op.method || ' ' || op.template || ' requires credentials but answered without any on '"     \
    "  || e.host,"                                                                                 \
    " json_object('status_2xx', sum(e.status_2xx), 'without_credentials',"                         \
    "  sum(e.without_credentials), 'with_credentials', sum(e.with_credentials),"                   \
    "  'last_seen', strftime('%Y-%m-%dT%H:%M:%SZ', max(e.last_seen), 'unixepoch'))"                \
    " FROM operation op CROSS JOIN observation e ON e.operation_id = op.id"                        \
    " WHERE op.removed_at IS NULL AND op.requires_auth = 1 AND e.direction = 'inbound'"            \
    " GROUP BY op.id, e.host"                                                                      \
    " HAVING sum(e.with_credentials) = 0 AND sum(e.without_credentials) > 0"                       \
    "  AND sum(e.status_2xx) > 0"

/* Traffic shows what an API's specs do not document anywhere: rate limiting (429 answers,
 * RateLimit headers) where no operation documents a limit, CORS headers where none documents
 * CORS, 401 and 403 answers where none declares a security requirement. The probe's CORS
 * preflights that were granted and redirects it met on a deployment count too (probe_fact);
 * a redirect where no operation documents one. One finding per API. */
#define UNDOCUMENTED_ASPECT                                                                        \
    "WITH a AS (SELECT op.api AS api,"                                                             \
    "  max(op.rate_limited) AS doc_limit, max(op.cors) AS doc_cors,"                               \
    "  max(op.security IS NOT NULL) AS doc_auth,"                                                  \
    "  sum(e.status_429) AS s429, max(e.headers & 4) AS h_limit, max(e.headers & 8) AS h_cors,"    \
    "  sum(e.status_401) AS s401, sum(e.status_403) AS s403, max(op.redirects) AS doc_redirect"    \
    "  FROM operation op LEFT JOIN observation e ON e.operation_id = op.id"                        \
    "   AND e.direction = 'inbound' WHERE op.removed_at IS NULL GROUP BY op.api),"                 \
    " pr AS (SELECT DISTINCT dp.api AS api, pf.kind AS kind FROM deployment dp"                    \
    "  JOIN probe_fact pf ON pf.host = dp.host AND pf.kind IN ('cors', 'redirect')),"              \
    " f AS (SELECT api, (coalesce(s429, 0) > 0 OR coalesce(h_limit, 0) > 0) AND doc_limit = 0"     \
    "  AS limit_gap, (coalesce(h_cors, 0) > 0 OR api IN (SELECT api FROM pr WHERE kind = 'cors'))" \
    "  AND doc_cors = 0 AS cors_gap, api IN (SELECT api FROM pr WHERE kind = 'redirect')"          \
    "  AND doc_redirect = 0 AS redirect_gap,"                                                      \
    "  coalesce(s401, 0) + coalesce(s403, 0) > 0 AND doc_auth = 0 AS auth_gap,"                    \
    "  s429, h_limit, h_cors, s401, s403 FROM a)"                                                  \
    "SELECT api, NULL, NULL, NULL, NULL, 'traffic to ' || api || ' shows ' || trim("               \
    "  CASE WHEN limit_gap THEN 'rate limiting, ' ELSE '' END"                                     \
    "  || CASE WHEN cors_gap THEN 'CORS, ' ELSE '' END"                                            \
    "  || CASE WHEN auth_gap THEN 'authentication, ' ELSE '' END"                                  \
    "  || CASE WHEN redirect_gap THEN 'redirects, ' ELSE '' END, ', ')"                            \
    "  || ' that its specs do not document',"                                                      \
    " json_object('rate_limiting', json(iif(limit_gap, 'true', 'false')), 'cors',"                 \
    "  json(iif(cors_gap, 'true', 'false')), 'authentication', json(iif(auth_gap, 'true',"         \
    "  'false')), 'status_429', s429, 'status_401', s401, 'status_403', s403)"                     \
    " FROM f WHERE limit_gap OR cors_gap OR auth_gap OR redirect_gap"

/* Deployments of one API that differ in protection: the production deployment declares
 * protections or shows a rate limit (429 answers, RateLimit headers, or a probe burst that met
 * one), and a sibling deployment declares none while one of its clients made
 * policy.burst_without_limit requests to one endpoint with no 429, or simply declares none, or
 * declares some while the probe's burst met no limit there. */
#define PROTECTION_GAP                                                                             \
    "WITH b AS (SELECT coalesce((SELECT CAST(value AS INTEGER) FROM policy_decl"                   \
    "  WHERE key = 'burst_without_limit' ORDER BY document_id DESC LIMIT 1), 1000) AS n),"         \
    " prod AS MATERIALIZED (SELECT api, url, host, protections FROM deployment"                    \
    "  WHERE lower(coalesce(environment, '')) IN ('production', 'prod')"                           \
    "   AND ((protections IS NOT NULL AND json_array_length(protections) > 0)"                     \
    "    OR EXISTS (SELECT 1 FROM observation e WHERE e.host = deployment.host"                    \
    "     AND (e.status_429 > 0 OR (e.headers & 4) <> 0))"                                         \
    "    OR EXISTS (SELECT 1 FROM probe_fact pf WHERE pf.kind = 'burst'"                           \
    "     AND pf.host = deployment.host AND json_extract(pf.detail, '$.limited'))))"               \
    "SELECT s.api, s.host, NULL, NULL, s.version, 'deployment ' || s.url || ' of ' || s.api"       \
    "  || ' lacks the protection of ' || p.url || CASE WHEN (SELECT max(e.busiest_client)"         \
    "  FROM observation e WHERE e.host = s.host AND e.status_429 = 0) >= b.n"                      \
    "  THEN ' and served a burst without a limit' ELSE '' END,"                                    \
    " json_object('production', p.url, 'production_protections', json(p.protections),"             \
    "  'protections', json(s.protections), 'busiest_client', (SELECT max(e.busiest_client)"        \
    "  FROM observation e WHERE e.host = s.host AND e.status_429 = 0),"                            \
    "  'burst_without_limit', b.n, 'probe_burst', (SELECT json(pf.detail) FROM probe_fact pf"      \
    "  WHERE pf.kind = 'burst' AND pf.host = s.host LIMIT 1), 'production_probe_burst',"           \
    "  (SELECT json(pf.detail) FROM probe_fact pf WHERE pf.kind = 'burst' AND pf.host = p.host"    \
    "  LIMIT 1))"                                                                                  \
    " FROM deployment s JOIN prod p ON p.api = s.api AND p.url <> s.url CROSS JOIN b"              \
    " WHERE lower(coalesce(s.environment, '')) NOT IN ('production', 'prod')"                      \
    "  AND (s.protections IS NULL OR json_array_length(s.protections) = 0"                         \
    "   OR EXISTS (SELECT 1 FROM probe_fact pf WHERE pf.kind = 'burst' AND pf.host = s.host"       \
    "    AND NOT json_extract(pf.detail, '$.limited')))"                                           \
    " GROUP BY s.api, s.url"

/* Documentation that answered the probe without credentials: anywhere when policy.public_docs
 * is false, else on hosts with no public deployment. */
#define EXPOSED_DOCUMENTATION                                                                      \
    "WITH pd AS (SELECT coalesce((SELECT value FROM policy_decl WHERE key = 'public_docs'"         \
    "  ORDER BY document_id DESC LIMIT 1), 'true') AS v)"                                          \
    "SELECT (SELECT min(dp.api) FROM deployment dp WHERE dp.host = f.host), f.host, f.method,"     \
    " f.path, NULL, 'API documentation (' || json_extract(f.detail, '$.kind') || ') answers"       \
    " without credentials at ' || json_extract(f.detail, '$.url'),"                                \
    " json_object('url', json_extract(f.detail, '$.url'), 'kind', json_extract(f.detail,"          \
    "  '$.kind'), 'status', f.status, 'content_type', json_extract(f.detail, '$.content_type'),"   \
    "  'bytes', json_extract(f.detail, '$.bytes'), 'public_docs', json(pd.v), 'audiences',"        \
    "  (SELECT json_group_array(DISTINCT coalesce(dp.audience, 'undeclared')) FROM deployment dp"  \
    "  WHERE dp.host = f.host), 'imported', json(iif(json_extract(f.detail, '$.imported'),"        \
    "  'true', 'false')), 'probed_at', f.probed_at)"                                               \
    " FROM probe_fact f CROSS JOIN pd"                                                             \
    " WHERE f.kind = 'documentation' AND f.status BETWEEN 200 AND 299"                             \
    "  AND (pd.v = 'false' OR NOT EXISTS (SELECT 1 FROM deployment dp WHERE dp.host = f.host"      \
    "   AND dp.audience = 'public'))"

/* A route that refused the probe (401/403), or one declared internal that did not answer it
 * 2xx, and answered 2xx once a forwarding header claimed a local client: both responses are
 * the evidence, and whether the route is declared internal (by its operation or deployment). */
#define FORWARDED_HEADER_BYPASS                                                                    \
    "SELECT (SELECT min(dp.api) FROM deployment dp WHERE dp.host = f.host), f.host, f.method,"     \
    " f.path, NULL, f.method || ' ' || f.path || ' on ' || f.host || ' answers '"                  \
    "  || f.status || ' with ' || json_extract(f.detail, '$.header') || ' ('"                      \
    "  || json_extract(f.detail, '$.without.status') || ' without it)',"                           \
    " json_object('header', json_extract(f.detail, '$.header'), 'without',"                        \
    "  json(json_extract(f.detail, '$.without')), 'with', json(json_extract(f.detail, '$.with'))," \
    "  'declared_internal', json_extract(f.detail, '$.declared_internal'),"                        \
    "  'probed_at', f.probed_at)"                                                                  \
    " FROM probe_fact f WHERE f.kind = 'bypass'"

/* Fingerprints (Server, X-Powered-By) of each host: outdated-software compares them in C. */
#define FINGERPRINTS                                                                               \
    "SELECT DISTINCT host, server FROM observation WHERE server IS NOT NULL AND host <> ''"        \
    " UNION SELECT DISTINCT host, powered_by FROM observation WHERE powered_by IS NOT NULL"        \
    "  AND host <> '' ORDER BY 1, 2"

/* Candidates of zombie-superseded: operations with 2xx traffic or not, by API and method, with
 * what makes a plan (deprecated operation, version status, deprecation date, sunset). An
 * operation's responses are a JSON array of status strings (["200","429"]), so the text "429"
 * with its quotes is in it exactly when 429 is: instr() says so without parsing the JSON. */
#define SUPERSEDED_CANDIDATES                                                                      \
    "WITH t AS MATERIALIZED (SELECT operation_id AS op, sum(status_2xx) AS ok,"                    \
    "  max(CASE WHEN status_2xx > 0 THEN last_seen END) AS last FROM observation"                  \
    "  WHERE operation_id IS NOT NULL GROUP BY operation_id),"                                     \
    " vp AS MATERIALIZED (SELECT api, label, status IN ('deprecated', 'retired')"                  \
    "  OR deprecated_on IS NOT NULL OR sunset IS NOT NULL AS planned FROM version)"                \
    "SELECT op.api, op.method, op.template, op.version, op.deprecated, t.ok,"                      \
    " strftime('%Y-%m-%dT%H:%M:%SZ', t.last, 'unixepoch'), coalesce(vp.planned, 0),"               \
    " op.requires_auth, op.rate_limited OR instr(op.responses, '\"429\"') > 0"                     \
    "  OR instr(op.responses, '\"503\"') > 0"                                                      \
    " FROM operation op LEFT JOIN t ON t.op = op.id"                                               \
    " LEFT JOIN vp ON vp.api = op.api AND vp.label = op.version"                                   \
    " WHERE op.removed_at IS NULL AND op.version IS NOT NULL"                                      \
    " ORDER BY op.api, op.method, op.template"

static const struct rule rules[] = {
    {"shadow-host", SHADOW_HOST},
    {"shadow-endpoint", SHADOW_ENDPOINT},
    {"shadow-version", SHADOW_VERSION},
    {"zombie-deprecated", ZOMBIE_DEPRECATED},
    {"zombie-retired", ZOMBIE_RETIRED},
    {"zombie-superseded", NULL},
    {"unpatched-old-version", NULL},
    {"orphan-operation", ORPHAN_OPERATION},
    {"dormant", DORMANT},
    {"unowned", UNOWNED},
    {"documentation-blindspot", DOCUMENTATION_BLINDSPOT},
    {"review-overdue", REVIEW_OVERDUE},
    {"nonprod-exposed", NONPROD_EXPOSED},
    {"prod-data-in-nonprod", PROD_DATA_IN_NONPROD},
    {"auth-gap", AUTH_GAP},
    {"undocumented-aspect", UNDOCUMENTED_ASPECT},
    {"dataflow-unapproved", DATAFLOW_UNAPPROVED},
    {"dataflow-undeclared", DATAFLOW_UNDECLARED},
    {"dataflow-excess", DATAFLOW_EXCESS},
    {"protection-gap", PROTECTION_GAP},
    {"exposed-documentation", EXPOSED_DOCUMENTATION},
    {"forwarded-header-bypass", FORWARDED_HEADER_BYPASS},
    {"outdated-software", NULL},
};

static const char *const levels[] = {"info", "low", "medium", "high", "critical"};

static int level_of(const char *s)
{
    size_t i;

    for (i = 0; s != NULL && i < sizeof(levels) / sizeof(levels[0]); i++)
        if (strcmp(s, levels[i]) == 0)
            return (int)i;
    return -1;
}

struct cand;

struct run {
    struct sqlite_store *s;
    sqlite3_stmt *prev, *upsert, *fired, *event; /* prepared once per run (hit(), event()) */
    struct cand *cand; /* zombie-superseded's candidates, read once per run */
    size_t ncand;
    bool have_cand;
    const char *now;
    struct json_object *severity; /* policy.severity, or NULL */
    struct ac_reconcile_stats st;
    struct ac_diag *d;
};

static const char *text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* "AC-" + 16 hex digits of SHA-256 over the rule and the subject, fields NUL-separated. */
static void fingerprint(const char *rule, const char *const f[5], char out[20])
{
    struct ac_sha256 c;
    char hex[65];
    int i;

    ac__sha256_init(&c);
    ac__sha256_update(&c, rule, strlen(rule) + 1);
    for (i = 0; i < 5; i++)
        ac__sha256_update(&c, f[i] != NULL ? f[i] : "", (f[i] != NULL ? strlen(f[i]) : 0) + 1);
    ac__sha256_hex(&c, hex);
    snprintf(out, 20, "AC-%.16s", hex);
}

static enum ac_err exec(struct run *r, const char *sql)
{
    return ac__sq_exec(r->s, sql, r->d);
}

/* A finding opened or reopened: what webhooks deliver (schema_9.sql). */
static enum ac_err event(struct run *r, const char *id, const char *what)
{
    sqlite3_stmt *st;

    if (r->event == NULL &&
        sqlite3_prepare_v2(r->s->db,
                           "INSERT INTO finding_event (at, finding, event) VALUES (?1, ?2, ?3)", -1,
                           &r->event, NULL) != SQLITE_OK)
        return ac__sq_err(r->s, r->d, "recording a finding event");
    st = r->event;
    sqlite3_bind_text(st, 1, r->now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, what, -1, SQLITE_STATIC);
    return ac__sq_step_done(r->s, st, r->d, "recording a finding event"); /* resets st */
}

/* Record one hit of rule ru: upsert it and remember its id. */
static enum ac_err hit(struct run *r, const struct rule *ru, const char *const f[5],
                       const char *title, const char *evidence)
{
    static const char upsert[] =
        "INSERT INTO finding (id, rule, severity, state, title, api, host, method, template,"
        " version, evidence, first_detected, last_detected) VALUES (?1, ?2, ?3, 'open', ?4, ?5,"
        " ?6, ?7, ?8, ?9, ?10, ?11, ?11) ON CONFLICT (id) DO UPDATE SET severity = ?3,"
        " title = ?4, evidence = ?10, last_detected = ?11, resolved_at = NULL,"
        " state = CASE WHEN state = 'resolved' THEN 'open' ELSE state END";
    sqlite3_stmt *st, *prev, *cur;
    const char *sev = ac__rule_find(ru->id)->severity;
    struct json_object *o;
    char id[20];
    bool was_open = false, existed;
    enum ac_err err = AC_OK;
    int i;

    fingerprint(ru->id, f, id);
    if (r->severity != NULL && json_object_object_get_ex(r->severity, ru->id, &o) &&
        level_of(json_object_get_string(o)) >= 0)
        sev = json_object_get_string(o);
    if ((r->prev == NULL && sqlite3_prepare_v2(r->s->db, "SELECT state FROM finding WHERE id = ?1",
                                               -1, &r->prev, NULL) != SQLITE_OK) ||
        (r->upsert == NULL &&
         sqlite3_prepare_v2(r->s->db, upsert, -1, &r->upsert, NULL) != SQLITE_OK) ||
        (r->fired == NULL &&
         sqlite3_prepare_v2(r->s->db, "INSERT OR IGNORE INTO temp.fired (id) VALUES (?1)", -1,
                            &r->fired, NULL) != SQLITE_OK))
        return ac__sq_err(r->s, r->d, "preparing a finding");
    prev = r->prev;
    st = r->upsert;
    cur = r->fired;
    sqlite3_reset(prev);
    sqlite3_reset(st);
    sqlite3_reset(cur);
    sqlite3_clear_bindings(st);
    sqlite3_bind_text(prev, 1, id, -1, SQLITE_STATIC);
    existed = sqlite3_step(prev) == SQLITE_ROW;
    was_open = existed && strcmp(text(prev, 0), "resolved") != 0;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, ru->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, sev, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, title != NULL ? title : ru->id, -1, SQLITE_STATIC);
    for (i = 0; i < 5; i++)
        ac__sq_bind_text(st, 5 + i, f[i]);
    sqlite3_bind_text(st, 10, evidence != NULL ? evidence : "{}", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 11, r->now, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        return ac__sq_err(r->s, r->d, "storing a finding");
    if (!was_open) {
        r->st.opened++;
        err = event(r, id, existed ? "reopened" : "opened");
        if (err != AC_OK)
            return err;
    }
    sqlite3_bind_text(cur, 1, id, -1, SQLITE_STATIC);
    if (sqlite3_step(cur) != SQLITE_DONE)
        err = ac__sq_err(r->s, r->d, "storing a finding");
    sqlite3_reset(prev);
    sqlite3_reset(st);
    sqlite3_reset(cur);
    return err;
}

static enum ac_err run_sql_rule(struct run *r, const struct rule *ru)
{
    sqlite3_stmt *st = NULL;
    enum ac_err err = AC_OK;
    int rc;

    if (sqlite3_prepare_v2(r->s->db, ru->sql, -1, &st, NULL) != SQLITE_OK)
        return ac__sq_err(r->s, r->d, "preparing a rule");
    if (sqlite3_bind_parameter_count(st) >= 1) /* the rules that need the time of the run */
        sqlite3_bind_text(st, 1, r->now, -1, SQLITE_STATIC);
    while (err == AC_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *f[5] = {text(st, 0), text(st, 1), text(st, 2), text(st, 3), text(st, 4)};

        err = hit(r, ru, f, text(st, 5), text(st, 6));
    }
    if (err == AC_OK && rc != SQLITE_DONE)
        err = ac__sq_err(r->s, r->d, "evaluating a rule");
    sqlite3_finalize(st);
    return err;
}

/* --- zombie-superseded ------------------------------------------------------------------- */

/* The template with its version segment taken out ("/identity/api/auth/{}/check-otp"). */
static void unversioned(const char *tmpl, const char *version, char *out, size_t cap)
{
    size_t vl = strlen(version), k = 0;
    const char *s = tmpl;

    while (*s != '\0' && k + 4 < cap) {
        const char *e = strchr(s + 1, '/');
        size_t n = e != NULL ? (size_t)(e - s - 1) : strlen(s + 1);

        if (*s != '/')
            break;
        out[k++] = '/';
        if ((n == vl && strncmp(s + 1, version, n) == 0) ||
            (n == vl + 1 && (s[1] == 'v' || s[1] == 'V') && strncmp(s + 2, version, vl) == 0)) {
            memcpy(out + k, "{}", 2);
            k += 2;
        } else {
            size_t c = n < cap - k - 4 ? n : cap - k - 4;

            memcpy(out + k, s + 1, c);
            k += c;
        }
        s += 1 + n;
    }
    out[k] = '\0';
}

/* Compare version labels: numbers in order ("v2" < "v3", "2.7" < "4.0", "1.25" > "1.9"), then
 * as text. */
static int version_cmp(const char *a, const char *b)
{
    if (*a == 'v' || *a == 'V')
        a++;
    if (*b == 'v' || *b == 'V')
        b++;
    while (*a != '\0' && *b != '\0') {
        if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
            char *ea, *eb;
            unsigned long x = strtoul(a, &ea, 10), y = strtoul(b, &eb, 10);

            if (x != y)
                return x < y ? -1 : 1;
            a = ea;
            b = eb;
        } else {
            if (*a != *b)
                return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
            a++;
            b++;
        }
    }
    return *a == *b ? 0 : (*a == '\0' ? -1 : 1);
}

struct cand {
    char *api, *method, *tmpl, *version, *key, *last;
    long long ok;              /* 2xx requests */
    bool planned;              /* deprecated, or its version has a plan */
    bool auth;                 /* requires credentials */
    bool limited;              /* documents a rate limit, 429 or 503 */
    size_t order;              /* position in the query's order */
    const struct cand *newest; /* the newest of its group in another version, or NULL */
};

/* Groups of the same operation in every version: (api, method, unversioned template), in the
 * query's order within a group. */
static int cmp_cand(const void *x, const void *y)
{
    const struct cand *a = x, *b = y;
    int c = strcmp(a->api, b->api);

    if (c == 0)
        c = strcmp(a->method, b->method);
    if (c == 0)
        c = strcmp(a->key, b->key);
    return c != 0 ? c : (a->order < b->order ? -1 : a->order > b->order);
}

/* Sort the candidates into groups and give each the newest operation of its group when that is
 * of a later version: the first of the highest version, in the query's order. */
static void link_newest(struct cand *v, size_t n)
{
    size_t a, b, i;

    if (n > 1)
        qsort(v, n, sizeof(*v), cmp_cand);
    for (a = 0; a < n; a = b) {
        const struct cand *top = &v[a];

        for (b = a + 1; b < n && strcmp(v[b].api, v[a].api) == 0 &&
                        strcmp(v[b].method, v[a].method) == 0 && strcmp(v[b].key, v[a].key) == 0;
             b++)
            if (version_cmp(v[b].version, top->version) > 0)
                top = &v[b];
        for (i = a; i < b; i++)
            v[i].newest = version_cmp(top->version, v[i].version) > 0 ? top : NULL;
    }
}

/* Read the candidates into r->cand, grouped and linked (link_newest()). Both rules of
 * superseded() use them: the query runs once per run. */
static enum ac_err load_candidates(struct run *r)
{
    sqlite3_stmt *st = NULL;
    struct cand *v = NULL;
    size_t n = 0, cap = 0;
    enum ac_err err = AC_OK;
    int rc;

    if (sqlite3_prepare_v2(r->s->db, SUPERSEDED_CANDIDATES, -1, &st, NULL) != SQLITE_OK)
        return ac__sq_err(r->s, r->d, "preparing a rule");
    while (err == AC_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        char key[4096];

        if (n == cap) {
            size_t nc = cap != 0 ? cap * 2 : 64;
            struct cand *nv = realloc(v, nc * sizeof(*nv));

            if (nv == NULL) {
                err = ac_diag_set(r->d, AC_ENOMEM, NULL, 0, 0, "out of memory");
                break;
            }
            v = nv;
            cap = nc;
        }
        unversioned(text(st, 2), text(st, 3), key, sizeof(key));
        v[n].api = strdup(text(st, 0));
        v[n].method = strdup(text(st, 1));
        v[n].tmpl = strdup(text(st, 2));
        v[n].version = strdup(text(st, 3));
        v[n].key = strdup(key);
        v[n].last = text(st, 6) != NULL ? strdup(text(st, 6)) : NULL;
        v[n].ok = sqlite3_column_int64(st, 5);
        v[n].planned = sqlite3_column_int(st, 4) != 0 || sqlite3_column_int(st, 7) != 0;
        v[n].auth = sqlite3_column_int(st, 8) != 0;
        v[n].limited = sqlite3_column_int(st, 9) != 0;
        v[n].order = n;
        v[n].newest = NULL;
        n++;
        if (v[n - 1].api == NULL || v[n - 1].method == NULL || v[n - 1].tmpl == NULL ||
            v[n - 1].version == NULL || v[n - 1].key == NULL)
            err = ac_diag_set(r->d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (err == AC_OK && rc != SQLITE_DONE)
        err = ac__sq_err(r->s, r->d, "evaluating a rule");
    sqlite3_finalize(st);
    if (err == AC_OK)
        link_newest(v, n);
    r->cand = v; /* freed by free_candidates(), whatever happened */
    r->ncand = n;
    r->have_cand = err == AC_OK;
    return err;
}

static void free_candidates(struct run *r)
{
    size_t i;

    for (i = 0; i < r->ncand; i++) {
        free(r->cand[i].api);
        free(r->cand[i].method);
        free(r->cand[i].tmpl);
        free(r->cand[i].version);
        free(r->cand[i].key);
        free(r->cand[i].last);
    }
    free(r->cand);
    r->cand = NULL;
    r->ncand = 0;
    r->have_cand = false;
}

static enum ac_err superseded(struct run *r, const struct rule *ru)
{
    bool unpatched = strcmp(ru->id, "unpatched-old-version") == 0;
    const struct cand *v;
    size_t n, i;
    enum ac_err err = AC_OK;

    if (!r->have_cand)
        err = load_candidates(r);
    v = r->cand;
    n = r->ncand;
    /* An older operation beside the newest one of the same (api, method, unversioned template)
     * in another version: zombie-superseded when it answers without a plan, unpatched when it
     * lacks a protection the newest has. */
    for (i = 0; err == AC_OK && i < n; i++) {
        const struct cand *newest = v[i].newest;

        if (!unpatched && (v[i].ok <= 0 || v[i].planned))
            continue;
        if (newest != NULL && unpatched &&
            !((newest->auth && !v[i].auth) || (newest->limited && !v[i].limited)))
            newest = NULL;
        if (newest != NULL) {
            const char *f[5] = {v[i].api, NULL, v[i].method, v[i].tmpl, v[i].version};
            char title[8192], *ev;
            struct json_object *o = json_object_new_object();

            if (unpatched) {
                bool a = newest->auth && !v[i].auth, l = newest->limited && !v[i].limited;

                snprintf(title, sizeof(title), "%s %s (%s) lacks %s%s%s that %s (%s) has",
                         v[i].method, v[i].tmpl, v[i].version, a ? "the credentials" : "",
                         a && l ? " and " : "", l ? "the rate limit" : "", newest->tmpl,
                         newest->version);
                json_object_object_add(o, "missing_credentials", json_object_new_boolean(a));
                json_object_object_add(o, "missing_rate_limit", json_object_new_boolean(l));
            } else {
                snprintf(title, sizeof(title), "%s %s (%s) still answers beside %s (%s)",
                         v[i].method, v[i].tmpl, v[i].version, newest->tmpl, newest->version);
            }
            json_object_object_add(o, "newer_template", json_object_new_string(newest->tmpl));
            json_object_object_add(o, "newer_version", json_object_new_string(newest->version));
            json_object_object_add(o, "status_2xx", json_object_new_int64(v[i].ok));
            if (v[i].last != NULL)
                json_object_object_add(o, "last_seen", json_object_new_string(v[i].last));
            ev = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
                                                              JSON_C_TO_STRING_NOSLASHESCAPE));
            json_object_put(o);
            err = ev != NULL ? hit(r, ru, f, title, ev)
                             : ac_diag_set(r->d, AC_ENOMEM, NULL, 0, 0, "out of memory");
            free(ev);
        }
    }
    return err;
}

static struct json_object *policy_json(struct sqlite_store *s, const char *key);

/* --- outdated-software --------------------------------------------------------------------- */

/* "nginx/1.18.0", "Apache/2.4.41 (Ubuntu)", "PHP/7.4.3": the software's name (lower case) and
 * its version; false when the value carries no version. */
static bool fingerprint_parts(const char *v, char *name, size_t ncap, char *ver, size_t vcap)
{
    const char *slash = strchr(v, '/');
    size_t n, k;

    if (slash == NULL || slash == v || !(slash[1] >= '0' && slash[1] <= '9'))
        return false;
    n = (size_t)(slash - v) < ncap - 1 ? (size_t)(slash - v) : ncap - 1;
    for (k = 0; k < n; k++)
        name[k] = (char)(v[k] >= 'A' && v[k] <= 'Z' ? v[k] - 'A' + 'a' : v[k]);
    name[n] = '\0';
    for (k = 0; k + 1 < vcap && slash[1 + k] != '\0' && slash[1 + k] != ' '; k++)
        ver[k] = slash[1 + k];
    ver[k] = '\0';
    return true;
}

static enum ac_err outdated(struct run *r, const struct rule *ru)
{
    struct json_object *min = policy_json(r->s, "minimum_versions"), *want;
    sqlite3_stmt *st = NULL;
    enum ac_err err = AC_OK;
    int rc;

    if (min == NULL)
        return AC_OK; /* nothing to compare with */
    if (sqlite3_prepare_v2(r->s->db, FINGERPRINTS, -1, &st, NULL) != SQLITE_OK) {
        json_object_put(min);
        return ac__sq_err(r->s, r->d, "preparing a rule");
    }
    while (err == AC_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        char name[64], ver[64];
        const char *value = text(st, 1);

        if (!fingerprint_parts(value, name, sizeof(name), ver, sizeof(ver)) ||
            !json_object_object_get_ex(min, name, &want) ||
            version_cmp(ver, json_object_get_string(want)) >= 0)
            continue;
        {
            const char *f[5] = {NULL, text(st, 0), NULL, NULL, name};
            char title[512], ev[512];

            snprintf(title, sizeof(title), "%s answers as %s, below the minimum %s", text(st, 0),
                     value, json_object_get_string(want));
            snprintf(ev, sizeof(ev), "{\"fingerprint\":\"%.200s\",\"minimum\":\"%.64s\"}",
                     strchr(value, '"') == NULL && strchr(value, '\\') == NULL ? value : name,
                     json_object_get_string(want));
            err = hit(r, ru, f, title, ev);
        }
    }
    if (err == AC_OK && rc != SQLITE_DONE)
        err = ac__sq_err(r->s, r->d, "evaluating a rule");
    sqlite3_finalize(st);
    json_object_put(min);
    return err;
}

/* --- the run ------------------------------------------------------------------------------ */

static struct json_object *policy_json(struct sqlite_store *s, const char *key)
{
    sqlite3_stmt *st = NULL;
    struct json_object *o = NULL;

    if (sqlite3_prepare_v2(s->db,
                           "SELECT value FROM policy_decl WHERE key = ?1"
                           " ORDER BY document_id DESC LIMIT 1",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            o = json_tokener_parse(text(st, 0));
    }
    sqlite3_finalize(st);
    return o;
}

static size_t count_where(struct sqlite_store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    size_t n = 0;

    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = (size_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Findings with an acceptance in force on `today` are accepted, the others (not resolved) open. */
/* Where each finding's subject is declared, first that applies: the operation (its spec and
 * line), the deployment of the API on the host, the API (its manifest entry first), the
 * integration of the host, else the log most recently ingested of the format (source) that
 * showed the host and template, else the log most recently ingested (line NULL). */
#define LOCATE                                                                                      \
    "UPDATE finding SET (file, line) = (SELECT json_extract(at, '$[0]'), json_extract(at, '$[1]')"  \
    " FROM (SELECT coalesce("                                                                       \
    "  (SELECT json_array(d.path, o.line) FROM operation o JOIN document d ON d.id = o.document_id" \
    "   WHERE finding.template IS NOT NULL AND o.api = finding.api AND o.method = finding.method"   \
    "   AND o.template = finding.template ORDER BY o.removed_at IS NOT NULL, o.id DESC LIMIT 1),"   \
    "  (SELECT json_array(d.path, x.line) FROM deployment_decl x"                                   \
    "   JOIN document d ON d.id = x.document_id WHERE finding.api IS NOT NULL"                      \
    "   AND x.api = finding.api AND x.host = finding.host"                                          \
    "   ORDER BY x.layer DESC, x.document_id DESC LIMIT 1),"                                        \
    "  (SELECT json_array(d.path, x.line) FROM api_decl x JOIN document d ON d.id = x.document_id"  \
    "   WHERE x.name = finding.api ORDER BY x.layer DESC, x.document_id DESC LIMIT 1),"             \
    "  (SELECT json_array(d.path, x.line) FROM integration_decl x"                                  \
    "   JOIN document d ON d.id = x.document_id WHERE finding.api IS NULL"                          \
    "   AND x.host = finding.host ORDER BY x.document_id DESC LIMIT 1),"                            \
    "  (SELECT json_array(i.path, NULL) FROM traffic_file i WHERE i.source = (SELECT o.source"      \
    "   FROM observation o WHERE o.host = finding.host AND (finding.template IS NULL"               \
    "   OR coalesce(o.endpoint, o.template) = finding.template)"                                    \
    "   AND (finding.rule <> 'outdated-software' OR o.server IS NOT NULL"                           \
    "   OR o.powered_by IS NOT NULL) ORDER BY o.last_seen DESC LIMIT 1)"                            \
    "   ORDER BY i.at DESC, i.n DESC LIMIT 1),"                                                     \
    "  (SELECT json_array(path, NULL) FROM traffic_file ORDER BY at DESC, n DESC"                   \
    "   LIMIT 1)) AS at))"

/* The state each unresolved finding should have today, given its acceptances. */
#define STATE_TODAY                                                                                \
    "CASE WHEN EXISTS (SELECT 1 FROM acceptance a WHERE a.finding = finding.id"                    \
    " AND (a.until IS NULL OR a.until >= ?1)) THEN 'accepted' ELSE 'open' END"

static enum ac_err apply_acceptances(struct sqlite_store *s, const char *today, struct ac_diag *d)
{
    sqlite3_stmt *st = NULL;
    enum ac_err err;

    if (sqlite3_prepare_v2(s->db,
                           "UPDATE finding SET state = " STATE_TODAY
                           " WHERE state <> 'resolved' AND state <> " STATE_TODAY,
                           -1, &st, NULL) != SQLITE_OK)
        return ac__sq_err(s, d, "applying acceptances");
    sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
    err = ac__sq_step_done(s, st, d, "applying acceptances");
    sqlite3_finalize(st);
    return err;
}

/* Only when a state would change does it write: readers (the server's every GET of findings)
 * then never take the write lock. */
enum ac_err ac__sq_expire(struct ac_store *base, const char *now, struct ac_diag *d)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    char today[16];
    int rc;

    snprintf(today, sizeof(today), "%.10s", now);
    if (sqlite3_prepare_v2(
            s->db,
            "SELECT 1 FROM finding WHERE state <> 'resolved' AND state <> " STATE_TODAY " LIMIT 1",
            -1, &st, NULL) != SQLITE_OK)
        return ac__sq_err(s, d, "applying acceptances");
    sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return AC_OK;
    if (rc != SQLITE_ROW)
        return ac__sq_err(s, d, "applying acceptances");
    return apply_acceptances(s, today, d);
}

enum ac_err ac__sq_reconcile(struct ac_store *base, const char *now, struct ac_reconcile_stats *out,
                             struct ac_diag *d)
{
    struct run r;
    size_t i;
    enum ac_err err;
    char today[16];

    memset(&r, 0, sizeof(r));
    r.s = (struct sqlite_store *)base;
    r.now = now;
    r.d = d;
    snprintf(today, sizeof(today), "%.10s", now);
    err = exec(&r, "BEGIN IMMEDIATE");
    if (err == AC_OK)
        err = exec(&r, "CREATE TEMP TABLE IF NOT EXISTS fired (id TEXT PRIMARY KEY);"
                       " DELETE FROM temp.fired");
    r.severity = policy_json(r.s, "severity");
    for (i = 0; err == AC_OK && i < sizeof(rules) / sizeof(rules[0]); i++)
        err = rules[i].sql != NULL                            ? run_sql_rule(&r, &rules[i])
              : strcmp(rules[i].id, "outdated-software") == 0 ? outdated(&r, &rules[i])
                                                              : superseded(&r, &rules[i]);
    if (err == AC_OK) {
        r.st.resolved = count_where(r.s, "SELECT count(*) FROM finding WHERE state <> 'resolved'"
                                         " AND id NOT IN (SELECT id FROM temp.fired)");
        {
            sqlite3_stmt *st = NULL;

            if (sqlite3_prepare_v2(r.s->db,
                                   "UPDATE finding SET state = 'resolved', resolved_at = ?1"
                                   " WHERE state <> 'resolved' AND id NOT IN"
                                   " (SELECT id FROM temp.fired)",
                                   -1, &st, NULL) != SQLITE_OK)
                err = ac__sq_err(r.s, d, "resolving findings");
            else {
                sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
                err = ac__sq_step_done(r.s, st, d, "resolving findings");
            }
            sqlite3_finalize(st);
        }
    }
    if (err == AC_OK) /* acceptances in force, and expired ones reopened */
        err = apply_acceptances(r.s, today, d);
    if (err == AC_OK) /* where each subject is declared, for listings and reports */
        err = exec(&r, LOCATE);
    if (err == AC_OK) {
        r.st.open = count_where(r.s, "SELECT count(*) FROM finding WHERE state = 'open'");
        r.st.accepted = count_where(r.s, "SELECT count(*) FROM finding WHERE state = 'accepted'");
        err = exec(&r, "COMMIT");
    }
    if (err != AC_OK)
        sqlite3_exec(r.s->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_finalize(r.prev);
    sqlite3_finalize(r.upsert);
    sqlite3_finalize(r.fired);
    sqlite3_finalize(r.event);
    free_candidates(&r);
    json_object_put(r.severity);
    if (err == AC_OK && out != NULL)
        *out = r.st;
    return err;
}

enum ac_err ac__sq_accept(struct ac_store *base, const char *id, const char *reason,
                          const char *until, const char *now, struct ac_diag *d)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    enum ac_err err = AC_OK;
    bool found;

    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM finding WHERE id = ?1", -1, &st, NULL) !=
        SQLITE_OK)
        return ac__sq_err(s, d, "reading findings");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    st = NULL;
    if (!found)
        return ac_diag_set(d, AC_ENOTFOUND, NULL, 0, 0, "no finding '%s'", id);
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO acceptance (document_id, finding, reason, until, line,"
                           " created_at) VALUES (NULL, ?1, ?2, ?3, NULL, ?4)",
                           -1, &st, NULL) != SQLITE_OK)
        return ac__sq_err(s, d, "preparing an acceptance");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
    ac__sq_bind_text(st, 3, until);
    sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
    err = ac__sq_step_done(s, st, d, "storing an acceptance");
    sqlite3_finalize(st);
    return err;
}

enum ac_err ac__sq_gate(struct ac_store *base, const char *min_severity, size_t *n,
                        const char **level, struct ac_diag *d)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    struct json_object *fo = NULL;
    const char *want = min_severity;
    sqlite3_stmt *st = NULL;
    int lv, rc;

    if (want == NULL) {
        fo = policy_json(s, "fail_on");
        want = fo != NULL && json_object_is_type(fo, json_type_string) ? json_object_get_string(fo)
                                                                       : "high";
    }
    lv = level_of(want);
    json_object_put(fo);
    if (lv < 0)
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0,
                           "unknown severity '%s' (info, low, medium, high, critical)", want);
    *level = levels[lv];
    *n = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT severity FROM finding WHERE state = 'open'", -1, &st,
                           NULL) != SQLITE_OK)
        return ac__sq_err(s, d, "reading findings");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (level_of(text(st, 0)) >= lv)
            (*n)++;
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? AC_OK : ac__sq_err(s, d, "reading findings");
}
