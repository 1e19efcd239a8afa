-- schema_4.sql - migration to schema version 4: findings.
--
-- One row per finding: its id is a fingerprint of the rule and the subject, so a problem keeps
-- its id across runs and stores. Reconciliation (findings.h) inserts what fires, refreshes what
-- still fires and resolves what stopped; acceptances live in `acceptance` (schema version 1).

CREATE TABLE finding (
    id             TEXT PRIMARY KEY,       -- "AC-" + 16 hex digits of SHA-256(rule, subject)
    rule           TEXT NOT NULL,
    severity       TEXT NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
    state          TEXT NOT NULL CHECK (state IN ('open', 'accepted', 'resolved')),
    title          TEXT NOT NULL,
    api            TEXT,
    host           TEXT,
    method         TEXT,
    template       TEXT,
    version        TEXT,
    evidence       TEXT NOT NULL,          -- JSON object
    first_detected TEXT NOT NULL,
    last_detected  TEXT NOT NULL,
    resolved_at    TEXT
) STRICT;
CREATE INDEX finding_state ON finding (state, severity);
