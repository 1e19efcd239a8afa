-- schema_6.sql - migration to schema version 6: traffic over time.
--
-- Requests per observation and hour (Unix time / 3600), for the reports' traffic charts. Rows
-- follow their observation when reconciliation moves it (a spec imported after the traffic, a
-- shape that collapses); requests without a time have no row. No foreign key: a moved
-- observation is deleted before its merged row exists, and its hours are moved after.

CREATE TABLE traffic_hour (
    observation_id INTEGER NOT NULL,
    hour           INTEGER NOT NULL,   -- Unix seconds / 3600
    count          INTEGER NOT NULL,
    PRIMARY KEY (observation_id, hour)
) STRICT, WITHOUT ROWID;
