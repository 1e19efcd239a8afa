-- schema.sql - the apicensus store (SQLite), embedded into the library at build time.
--
-- Declarations are kept per document and per layer (1 OpenAPI, 2 Backstage, 3 manifest) so any
-- document can be re-imported alone: its rows are replaced in one transaction, and the merged
-- inventory is computed by the views below (a later layer wins per field, whatever the order in
-- which documents were imported). Operations are never deleted when a spec drops them: they keep
-- `removed_at`, the history later rules use ("removed from the spec but still answering").
-- Version 1 of the schema (PRAGMA user_version); migrations in store_sqlite.c.

CREATE TABLE document (
    id          INTEGER PRIMARY KEY,
    path        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('openapi', 'backstage', 'manifest')),
    format      TEXT,
    sha256      TEXT NOT NULL,
    api         TEXT,           -- API a spec is attached to (by a manifest or Backstage entity)
    version     TEXT,           -- manifest version label a spec is attached to
    attached_by TEXT,           -- path of the manifest or catalog that attached it
    imported_at TEXT NOT NULL,  -- first import
    changed_at  TEXT NOT NULL   -- last import that changed something
) STRICT;

CREATE TABLE api_decl (
    document_id       INTEGER NOT NULL REFERENCES document (id) ON DELETE CASCADE,
    layer             INTEGER NOT NULL,
    name              TEXT NOT NULL,
    owner             TEXT,
    contact           TEXT,
    description       TEXT,
    lifecycle         TEXT,
    docs              TEXT,
    data              TEXT,     -- JSON array of data classes, NULL when not declared
    review_last       TEXT,
    review_every_days INTEGER,
    line              INTEGER NOT NULL,
    PRIMARY KEY (document_id, name)
) STRICT;
CREATE INDEX api_decl_name ON api_decl (name, layer);

CREATE TABLE version_decl (
    document_id   INTEGER NOT NULL REFERENCES document (id) ON DELETE CASCADE,
    layer         INTEGER NOT NULL,
    api           TEXT NOT NULL,
    label         TEXT NOT NULL,
    status        TEXT,
    deprecated_on TEXT,
    sunset        TEXT,
    superseded_by TEXT,
    line          INTEGER NOT NULL,
    PRIMARY KEY (document_id, api, label)
) STRICT;
CREATE INDEX version_decl_api ON version_decl (api, label, layer);

CREATE TABLE deployment_decl (
    document_id     INTEGER NOT NULL REFERENCES document (id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    layer           INTEGER NOT NULL,
    api             TEXT NOT NULL,
    version         TEXT,
    url             TEXT NOT NULL,
    scheme          TEXT NOT NULL,
    host            TEXT NOT NULL,
    port            INTEGER NOT NULL,
    base_path       TEXT NOT NULL,
    environment     TEXT,
    audience        TEXT,
    protections     TEXT,       -- JSON array, NULL when not declared
    production_data INTEGER,    -- 1, 0, NULL unknown
    line            INTEGER NOT NULL,
    PRIMARY KEY (document_id, seq)
) STRICT;
CREATE INDEX deployment_decl_key ON deployment_decl (api, scheme, host, port, base_path, layer);

CREATE TABLE operation (
    id            INTEGER PRIMARY KEY,
    document_id   INTEGER NOT NULL REFERENCES document (id) ON DELETE CASCADE,
    api           TEXT NOT NULL,
    version       TEXT,
    method        TEXT NOT NULL,
    template      TEXT NOT NULL,
    operation_id  TEXT,
    summary       TEXT,
    deprecated    INTEGER NOT NULL,
    security      TEXT,         -- JSON array of requirement alternatives, NULL when none declared
    requires_auth INTEGER NOT NULL,
    responses     TEXT NOT NULL, -- JSON array of documented status codes
    params        TEXT NOT NULL, -- JSON array of {name, in, required}
    rate_limited  INTEGER NOT NULL,
    cors          INTEGER NOT NULL,
    redirects     INTEGER NOT NULL,
    audience      TEXT,
    line          INTEGER NOT NULL,
    declared_at   TEXT NOT NULL, -- first import that declared it
    removed_at    TEXT,          -- set when a later import of the document dropped it
    UNIQUE (document_id, method, template)
) STRICT;
CREATE INDEX operation_api ON operation (api, version);

CREATE TABLE integration_decl (
    document_id   INTEGER NOT NULL REFERENCES document (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    url           TEXT,
    host          TEXT,
    direction     TEXT,
    purpose       TEXT,
    data          TEXT,         -- JSON array
    justification TEXT,
    approved_by   TEXT,
    approved_on   TEXT,
    line          INTEGER NOT NULL,
    PRIMARY KEY (document_id, name)
) STRICT;

CREATE TABLE domain_decl (
    document_id INTEGER NOT NULL REFERENCES document (id) ON DELETE CASCADE,
    domain      TEXT NOT NULL,
    PRIMARY KEY (document_id, domain)
) STRICT;

CREATE TABLE policy_decl (
    document_id INTEGER NOT NULL REFERENCES document (id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    value       TEXT NOT NULL,  -- JSON
    line        INTEGER NOT NULL,
    PRIMARY KEY (document_id, key)
) STRICT;

CREATE TABLE acceptance (
    document_id INTEGER REFERENCES document (id) ON DELETE CASCADE, -- NULL: from `apicensus accept`
    finding     TEXT NOT NULL,
    reason      TEXT NOT NULL,
    until       TEXT,
    line        INTEGER,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX acceptance_finding ON acceptance (finding);

-- The merged inventory. For each field, the value from the highest layer (then the most recently
-- changed document) that declares it.
CREATE VIEW api AS
SELECT n.name AS name,
    (SELECT a.owner FROM api_decl a JOIN document d ON d.id = a.document_id
      WHERE a.name = n.name AND a.owner IS NOT NULL ORDER BY a.layer DESC, d.changed_at DESC, d.id DESC LIMIT 1) AS owner,
    (SELECT a.contact FROM api_decl a JOIN document d ON d.id = a.document_id
      WHERE a.name = n.name AND a.contact IS NOT NULL ORDER BY a.layer DESC, d.changed_at DESC, d.id DESC LIMIT 1) AS contact,
    (SELECT a.description FROM api_decl a JOIN document d ON d.id = a.document_id
      WHERE a.name = n.name AND a.description IS NOT NULL ORDER BY a.layer DESC, d.changed_at DESC, d.id DESC LIMIT 1) AS description,
    (SELECT a.lifecycle FROM api_decl a JOIN document d ON d.id = a.document_id
      WHERE a.name = n.name AND a.lifecycle IS NOT NULL ORDER BY a.layer DESC, d.changed_at DESC, d.id DESC LIMIT 1) AS lifecycle,
    (SELECT a.docs FROM api_decl a JOIN document d ON d.id = a.document_id
      WHERE a.name = n.name AND a.docs IS NOT NULL ORDER BY a.layer DESC, d.changed_at DESC, d.id DESC LIMIT 1) AS docs,
    (SELECT a.data FROM api_decl a JOIN document d ON d.id = a.document_id
      WHERE a.name = n.name AND a.data IS NOT NULL ORDER BY a.layer DESC, d.changed_at DESC, d.id DESC LIMIT 1) AS data,
    (SELECT a.review_last FROM api_decl a JOIN document d ON d.id = a.document_id
      WHERE a.name = n.name AND a.review_last IS NOT NULL ORDER BY a.layer DESC, d.changed_at DESC, d.id DESC LIMIT 1) AS review_last,
    (SELECT a.review_every_days FROM api_decl a JOIN document d ON d.id = a.document_id
      WHERE a.name = n.name AND a.review_every_days IS NOT NULL ORDER BY a.layer DESC, d.changed_at DESC, d.id DESC LIMIT 1) AS review_every_days,
    (SELECT json_group_array(DISTINCT d.path) FROM api_decl a JOIN document d ON d.id = a.document_id
      WHERE a.name = n.name) AS sources
FROM (SELECT DISTINCT name FROM api_decl) n;

-- Versions declared anywhere, or carried by a current operation.
CREATE VIEW version AS
WITH labels AS (
    SELECT api, label FROM version_decl
    UNION SELECT api, version FROM operation WHERE version IS NOT NULL AND removed_at IS NULL)
SELECT l.api AS api, l.label AS label,
    (SELECT v.status FROM version_decl v JOIN document d ON d.id = v.document_id
      WHERE v.api = l.api AND v.label = l.label AND v.status IS NOT NULL ORDER BY v.layer DESC, d.changed_at DESC, d.id DESC LIMIT 1) AS status,
    (SELECT v.deprecated_on FROM version_decl v JOIN document d ON d.id = v.document_id
      WHERE v.api = l.api AND v.label = l.label AND v.deprecated_on IS NOT NULL ORDER BY v.layer DESC, d.changed_at DESC, d.id DESC LIMIT 1) AS deprecated_on,
    (SELECT v.sunset FROM version_decl v JOIN document d ON d.id = v.document_id
      WHERE v.api = l.api AND v.label = l.label AND v.sunset IS NOT NULL ORDER BY v.layer DESC, d.changed_at DESC, d.id DESC LIMIT 1) AS sunset,
    (SELECT v.superseded_by FROM version_decl v JOIN document d ON d.id = v.document_id
      WHERE v.api = l.api AND v.label = l.label AND v.superseded_by IS NOT NULL ORDER BY v.layer DESC, d.changed_at DESC, d.id DESC LIMIT 1) AS superseded_by,
    (SELECT count(*) FROM operation o WHERE o.api = l.api AND o.version = l.label AND o.removed_at IS NULL) AS operations,
    (SELECT json_group_array(DISTINCT d.path || ':' || d.sha256) FROM document d
      WHERE d.kind = 'openapi' AND d.id IN (SELECT document_id FROM operation o
        WHERE o.api = l.api AND o.version = l.label AND o.removed_at IS NULL)) AS specs
FROM labels l;

-- Deployments merged by (api, scheme, host, port, base path).
CREATE VIEW deployment AS
WITH k AS (SELECT DISTINCT api, scheme, host, port, base_path FROM deployment_decl)
SELECT k.api, k.scheme, k.host, k.port, k.base_path,
    (SELECT x.url FROM deployment_decl x JOIN document d ON d.id = x.document_id
      WHERE x.api = k.api AND x.scheme = k.scheme AND x.host = k.host AND x.port = k.port AND x.base_path = k.base_path
      ORDER BY x.layer DESC, d.changed_at DESC, d.id DESC LIMIT 1) AS url,
    (SELECT x.version FROM deployment_decl x JOIN document d ON d.id = x.document_id
      WHERE x.api = k.api AND x.scheme = k.scheme AND x.host = k.host AND x.port = k.port AND x.base_path = k.base_path
        AND x.version IS NOT NULL ORDER BY x.layer DESC, d.changed_at DESC, d.id DESC LIMIT 1) AS version,
    (SELECT x.environment FROM deployment_decl x JOIN document d ON d.id = x.document_id
      WHERE x.api = k.api AND x.scheme = k.scheme AND x.host = k.host AND x.port = k.port AND x.base_path = k.base_path
        AND x.environment IS NOT NULL ORDER BY x.layer DESC, d.changed_at DESC, d.id DESC LIMIT 1) AS environment,
    (SELECT x.audience FROM deployment_decl x JOIN document d ON d.id = x.document_id
      WHERE x.api = k.api AND x.scheme = k.scheme AND x.host = k.host AND x.port = k.port AND x.base_path = k.base_path
        AND x.audience IS NOT NULL ORDER BY x.layer DESC, d.changed_at DESC, d.id DESC LIMIT 1) AS audience,
    (SELECT x.protections FROM deployment_decl x JOIN document d ON d.id = x.document_id
      WHERE x.api = k.api AND x.scheme = k.scheme AND x.host = k.host AND x.port = k.port AND x.base_path = k.base_path
        AND x.protections IS NOT NULL ORDER BY x.layer DESC, d.changed_at DESC, d.id DESC LIMIT 1) AS protections,
    (SELECT x.production_data FROM deployment_decl x JOIN document d ON d.id = x.document_id
      WHERE x.api = k.api AND x.scheme = k.scheme AND x.host = k.host AND x.port = k.port AND x.base_path = k.base_path
        AND x.production_data IS NOT NULL ORDER BY x.layer DESC, d.changed_at DESC, d.id DESC LIMIT 1) AS production_data,
    (SELECT json_group_array(DISTINCT d.path) FROM deployment_decl x JOIN document d ON d.id = x.document_id
      WHERE x.api = k.api AND x.scheme = k.scheme AND x.host = k.host AND x.port = k.port AND x.base_path = k.base_path) AS sources
FROM k;

CREATE VIEW integration AS
WITH n AS (SELECT DISTINCT name FROM integration_decl)
SELECT i.* FROM n JOIN integration_decl i ON i.name = n.name
WHERE i.document_id = (SELECT x.document_id FROM integration_decl x JOIN document d ON d.id = x.document_id
                        WHERE x.name = n.name ORDER BY d.changed_at DESC, d.id DESC LIMIT 1);
