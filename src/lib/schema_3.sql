-- schema_3.sql - migration to schema version 3: endpoints inferred from undocumented traffic.
--
-- An undocumented observation is kept under its shape (the template after the segment
-- classifiers, with positions that showed too many distinct values made parameters while
-- reading: shapes.h). After every ingest the endpoint of each shape is derived again from all
-- stored shapes (infer.h) and written to `endpoint`; `ls endpoints` groups observations by it.
-- NULL: the endpoint is the template itself (documented traffic, static assets).

ALTER TABLE observation ADD COLUMN endpoint TEXT;
-- Every lookup goes through the UNIQUE (source, host, method, template) index or scans; this
-- second index only slowed each insert of an ingest.
DROP INDEX observation_host;
