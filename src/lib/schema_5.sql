-- schema_5.sql - migration to schema version 5: data classes seen in traffic.
--
-- The AC_DATA_* bits (dataclass.h) an observation's requests and responses showed: field and
-- query parameter names, e-mail addresses and card numbers in bodies. Bit 0 email, 1 phone,
-- 2 name, 3 payment-card, 4 credentials, 5 health, 6 location. `dataflow-excess` compares those
-- of outbound traffic with the classes the integration declares.

ALTER TABLE observation ADD COLUMN data_classes INTEGER NOT NULL DEFAULT 0;
