-- schema_8.sql - migration to schema version 8: where each finding's subject is declared.
--
-- Reconciliation writes `file` and `line` (the operation's spec, the deployment, the API entry,
-- the integration, else the log that showed the traffic; line NULL for a log), so listing
-- findings (the server answers it on every GET) reads two columns instead of five subqueries
-- per finding.

ALTER TABLE finding ADD COLUMN file TEXT;
ALTER TABLE finding ADD COLUMN line INTEGER;
