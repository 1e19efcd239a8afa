-- schema_14.sql - migration to schema version 14: indexes for reconciliation.
--
-- operation_key finds an operation by what a finding names (api, method, template), and lets
-- the rules that group operations by (api, method, template, version) read them in that order.
-- observation_operation finds the traffic of an operation: the rules that join operations to
-- their observations, and SQLite's own check when an operation is deleted (ON DELETE SET NULL).
-- observation_host_endpoint gains the method, so traffic grouped by endpoint and method is read
-- in order instead of sorted (it serves every lookup by host and endpoint as before).
-- Self-contained: indexes only, no row changes.

CREATE INDEX operation_key ON operation (api, method, template, version);
CREATE INDEX observation_operation ON observation (operation_id);
DROP INDEX observation_host_endpoint;
CREATE INDEX observation_host_endpoint ON observation (host, coalesce(endpoint, template), method);
