-- schema_7.sql - migration to schema version 7: the server's tokens and audit log.
--
-- Tokens are kept as the SHA-256 of their text: a copy of the store reveals no usable token.
-- The audit log only grows.

CREATE TABLE token (
    id         TEXT PRIMARY KEY,   -- 8 hex digits, the public part of "acn_<id>_<secret>"
    name       TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin', 'collector')),
    hash       TEXT NOT NULL,      -- SHA-256 of the whole token, hex
    created_at TEXT NOT NULL,
    revoked_at TEXT
) STRICT;

CREATE TABLE audit (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,          -- the token's name, or "cli"
    action TEXT NOT NULL,          -- finding.accept, finding.reopen, import, token.create ...
    target TEXT,
    detail TEXT                    -- JSON object
) STRICT;

