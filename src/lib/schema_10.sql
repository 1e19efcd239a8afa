-- schema_10.sql - migration to schema version 10: batches shipped by remote collectors.
--
-- A collector (`apicensus ingest --to URL`) names each batch by the SHA-256 of the file's
-- identity and the byte range it covers; the server folds a batch in and records it in one
-- transaction, so a batch sent again (the acknowledgement was lost, the collector restarted
-- without its checkpoint, two collectors read the same file) is recognised and counted once. A
-- batch whose range another batch of the same file already covers is counted once too; one
-- that covers part of a counted range is refused (it cannot be split).

CREATE TABLE ingest_batch (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,  -- 64 hex digits, chosen by the collector
    source       TEXT NOT NULL,
    path         TEXT,                  -- the file as the collector named it
    collector    TEXT NOT NULL,         -- the name of the token that sent it
    received_at  TEXT NOT NULL,
    observations INTEGER NOT NULL,
    requests     INTEGER NOT NULL,
    file         TEXT,                  -- the file's identity (64 hex digits); NULL for stdin
    range_start  INTEGER,               -- bytes of the (decompressed) file the batch covers
    range_end    INTEGER
) STRICT;
CREATE INDEX ingest_batch_range ON ingest_batch (file, range_start) WHERE file IS NOT NULL;

-- Files traffic came from, read here or by a collector: where findings about traffic point.
CREATE VIEW traffic_file (source, path, at, n) AS
    SELECT source, path, updated_at, id FROM ingest_file
    UNION ALL
    SELECT source, path, received_at, seq FROM ingest_batch WHERE path IS NOT NULL;

-- Where findings about traffic point (reconciliation's LOCATE, per finding): the observations of
-- a host by endpoint, and by time.
CREATE INDEX observation_host_endpoint ON observation (host, coalesce(endpoint, template));
CREATE INDEX observation_host_seen ON observation (host, last_seen);
