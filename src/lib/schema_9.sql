-- schema_9.sql - migration to schema version 9: webhooks.
--
-- Reconciliation appends an event when a finding opens (first seen) or reopens (fired again after
-- it was resolved). The server delivers each event to each webhook registered before it, with
-- retries: a delivery row per (webhook, event) keeps its attempts and when to try next.

CREATE TABLE finding_event (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    finding TEXT NOT NULL,
    event   TEXT NOT NULL CHECK (event IN ('opened', 'reopened'))
) STRICT;

CREATE TABLE webhook (
    id          INTEGER PRIMARY KEY,
    url         TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    after_event INTEGER NOT NULL      -- the last event when it was registered: only later ones go
) STRICT;

CREATE TABLE webhook_delivery (
    webhook_id   INTEGER NOT NULL REFERENCES webhook (id) ON DELETE CASCADE,
    event_id     INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      INTEGER NOT NULL,     -- Unix seconds: not before
    delivered_at TEXT,
    last_error   TEXT,
    PRIMARY KEY (webhook_id, event_id)
) STRICT;
CREATE INDEX webhook_delivery_due ON webhook_delivery (delivered_at, next_at);
