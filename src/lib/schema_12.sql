-- schema_12.sql - migration to schema version 12: what `apicensus openapi` needs of traffic.
--
-- Per observation, folded in like its other aggregates (unions and sums, order-independent):
--   status_codes  JSON array of the exact status codes seen, ascending ([200, 404]); NULL: none
--   security      JSON array of the security schemes of the credentials seen (HAR): "bearer",
--                 "basic", "other" (another Authorization scheme), "header:NAME",
--                 "query:NAME", "cookie:NAME" (the key's name, never its value); NULL: none
--   bodies        the shapes of JSON bodies (HAR; jsonshape.h): {"request": SHAPE,
--                 "response": SHAPE} (2xx responses), each SHAPE {"n": bodies,
--                 "f": [[path, n, objects, types, formats], ...]}; never a value; NULL: none
ALTER TABLE observation ADD COLUMN status_codes TEXT;
ALTER TABLE observation ADD COLUMN security TEXT;
ALTER TABLE observation ADD COLUMN bodies TEXT;
