-- schema_13.sql - migration to schema version 13: the probe fact 'internal'.
--
-- A route declared internal (its operation's audience, or its deployment's) that answered the
-- probe with 2xx, an outside client without credentials and without any forwarding header, is
-- kept as a probe fact of kind 'internal' (docs/probe.md). SQLite cannot change a CHECK
-- constraint in place, so probe_fact is rebuilt with the wider one and its rows copied.
-- Self-contained: only probe_fact and its index change.

CREATE TABLE probe_fact_12 (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL CHECK (kind IN ('documentation', 'bypass', 'burst', 'cors',
                                            'redirect', 'fingerprint', 'candidate', 'internal')),
    host      TEXT NOT NULL,             -- lower case, without port
    method    TEXT NOT NULL,
    path      TEXT NOT NULL,             -- as requested ('' for host-wide facts)
    status    INTEGER,                   -- the answer's status (bypass: the one with the header)
    detail    TEXT NOT NULL,             -- JSON: what was sent and answered (docs/probe.md)
    probed_at TEXT NOT NULL,
    UNIQUE (kind, host, method, path)
) STRICT;
INSERT INTO probe_fact_12 (id, kind, host, method, path, status, detail, probed_at)
    SELECT id, kind, host, method, path, status, detail, probed_at FROM probe_fact;
DROP TABLE probe_fact;
ALTER TABLE probe_fact_12 RENAME TO probe_fact;
CREATE INDEX probe_fact_host ON probe_fact (host);
