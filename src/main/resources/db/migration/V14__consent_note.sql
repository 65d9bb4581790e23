-- Consent recorded by staff (issue 14): an optional note beside a change, e.g. the reference of the signed paper
-- form. Free text a person typed, so it is treated like a staff note: erasure clears it, the access export carries it.
-- Portable SQL only: it runs unchanged on H2 (default) and PostgreSQL.
ALTER TABLE consent_event ADD COLUMN note VARCHAR(500);
