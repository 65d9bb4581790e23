-- Issue 14, encryption at rest (docs/encryption.md). With a master key set, the store seals names, numbers and
-- bodies (AES-GCM, "enc:v1:<key id>:<base64>") and keeps in each phone/MRN column a keyed hash ("h1:<base64>")
-- that lookups and joins compare, the value itself going to a *_sealed column beside it. Without a key nothing
-- changes: the *_sealed columns stay NULL and the others keep clear text.

-- Lookup columns hold a 46-character keyed hash when encryption is on.
ALTER TABLE patient ALTER COLUMN phone_e164 SET DATA TYPE VARCHAR(64);
ALTER TABLE outbox ALTER COLUMN recipient_phone SET DATA TYPE VARCHAR(64);
ALTER TABLE inbound_reply ALTER COLUMN from_phone SET DATA TYPE VARCHAR(64);
ALTER TABLE contact_preference ALTER COLUMN phone_e164 SET DATA TYPE VARCHAR(64);
ALTER TABLE staff_handoff ALTER COLUMN phone_e164 SET DATA TYPE VARCHAR(64);

-- The sealed values behind the hashes, where the value must be read back (sending, masking, export, write-back).
ALTER TABLE patient ADD COLUMN phone_sealed VARCHAR(200);
ALTER TABLE patient ADD COLUMN identifier_sealed VARCHAR(1000);
ALTER TABLE outbox ADD COLUMN recipient_sealed VARCHAR(200);
ALTER TABLE inbound_reply ADD COLUMN from_sealed VARCHAR(200);
ALTER TABLE staff_handoff ADD COLUMN phone_sealed VARCHAR(200);

-- Sealed text is longer than the text (UTF-8 bytes, IV and tag, base64): room for the longest value the store
-- keeps in clear (names 200, instructions 2000, bodies 4000, reply texts 8192 characters).
ALTER TABLE patient ALTER COLUMN given_name SET DATA TYPE VARCHAR(1000);
ALTER TABLE patient ALTER COLUMN family_name SET DATA TYPE VARCHAR(1000);
ALTER TABLE appointment ALTER COLUMN instructions SET DATA TYPE VARCHAR(10000);
ALTER TABLE outbox ALTER COLUMN body SET DATA TYPE VARCHAR(20000);
ALTER TABLE inbound_reply ALTER COLUMN content SET DATA TYPE VARCHAR(40000);
ALTER TABLE inbound_reply ALTER COLUMN payload SET DATA TYPE VARCHAR(20000);
ALTER TABLE handoff_event ALTER COLUMN body SET DATA TYPE VARCHAR(20000);
