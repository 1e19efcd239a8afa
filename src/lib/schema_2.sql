-- schema_2.sql - migration to schema version 2: observed traffic and ingest checkpoints.
--
-- Observations are mergeable aggregates per (source, host, method, template): counts add, first
-- and last seen take min/max, so batches from any collector fold in. Each ingested file has a
-- checkpoint (identity: device, inode and a hash of its first bytes; offset and lines consumed)
-- updated in the same transaction as the aggregates it produced, which makes ingest exactly-once.

CREATE TABLE observation (
    id                  INTEGER PRIMARY KEY,
    source              TEXT NOT NULL,     -- the reader ("combined", "har" ...) or --source
    host                TEXT NOT NULL,     -- lower-case, without port; '' when unknown
    method              TEXT NOT NULL,
    template            TEXT NOT NULL,
    version             TEXT,
    operation_id        INTEGER REFERENCES operation (id) ON DELETE SET NULL,
    documented          INTEGER NOT NULL,  -- the template is documented (the method may not be)
    direction           TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    count               INTEGER NOT NULL,
    first_seen          INTEGER,           -- Unix seconds
    last_seen           INTEGER,
    status_2xx          INTEGER NOT NULL,
    status_3xx          INTEGER NOT NULL,
    status_401          INTEGER NOT NULL,
    status_403          INTEGER NOT NULL,
    status_404          INTEGER NOT NULL,
    status_429          INTEGER NOT NULL,
    status_4xx          INTEGER NOT NULL,  -- other 4xx
    status_5xx          INTEGER NOT NULL,
    status_other        INTEGER NOT NULL,  -- unknown or outside 200-599
    with_credentials    INTEGER NOT NULL,
    without_credentials INTEGER NOT NULL,
    public_clients      INTEGER NOT NULL,  -- requests from public addresses
    private_clients     INTEGER NOT NULL,
    busiest_client      INTEGER NOT NULL,  -- requests of the busiest client in one batch
    headers             INTEGER NOT NULL,  -- AC_HDR_* bits seen in responses
    samples             TEXT NOT NULL,     -- JSON array of raw paths
    query_params        TEXT NOT NULL,     -- JSON array of names
    server              TEXT,
    powered_by          TEXT,
    UNIQUE (source, host, method, template)
) STRICT;
CREATE INDEX observation_host ON observation (host, method, template);

CREATE TABLE static_traffic (
    source     TEXT NOT NULL,
    host       TEXT NOT NULL,
    count      INTEGER NOT NULL,
    first_seen INTEGER,
    last_seen  INTEGER,
    PRIMARY KEY (source, host)
) STRICT;

CREATE TABLE ingest_file (
    id         INTEGER PRIMARY KEY,
    source     TEXT NOT NULL,
    path       TEXT NOT NULL,          -- as last given
    device     INTEGER NOT NULL,
    inode      INTEGER NOT NULL,
    head_len   INTEGER NOT NULL,       -- bytes hashed for the identity
    head_hash  TEXT NOT NULL,          -- SHA-256 of the first head_len bytes
    offset     INTEGER NOT NULL,       -- bytes consumed (of the decompressed stream)
    lines      INTEGER NOT NULL,       -- lines consumed
    updated_at TEXT NOT NULL,
    UNIQUE (device, inode, head_hash)
) STRICT;
