-- schema_11.sql - migration to schema version 11: what active probing found (apicensus probe).
--
-- A probe's answers beyond each host's soft-404 baseline become observations (source 'probe');
-- what has no place there is kept here, one row per (kind, host, method, path): documentation
-- that answered, forwarded-header bypasses with both responses, rate-limit bursts, CORS
-- preflights, redirects (those off scope recorded, never followed), fingerprints and candidate
-- hosts that answered. A probe of a host replaces that host's rows, so a fixed problem resolves
-- at the next probe. The rules exposed-documentation and forwarded-header-bypass read this
-- table; protection-gap and undocumented-aspect take it as evidence too. Self-contained: this
-- migration only adds the table and its index.

CREATE TABLE probe_fact (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL CHECK (kind IN ('documentation', 'bypass', 'burst', 'cors',
                                            'redirect', 'fingerprint', 'candidate')),
    host      TEXT NOT NULL,             -- lower case, without port
    method    TEXT NOT NULL,
    path      TEXT NOT NULL,             -- as requested ('' for host-wide facts)
    status    INTEGER,                   -- the answer's status (bypass: the one with the header)
    detail    TEXT NOT NULL,             -- JSON: what was sent and answered (docs/probe.md)
    probed_at TEXT NOT NULL,
    UNIQUE (kind, host, method, path)
) STRICT;
CREATE INDEX probe_fact_host ON probe_fact (host);
