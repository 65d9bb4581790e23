-- Issue 14, encryption at rest: the data keys that seal names, phone numbers and message bodies, each wrapped
-- (AES-GCM) by the master key from the environment, which is never stored. The newest key seals new values; older
-- ones stay until a rotation has re-sealed everything they sealed.
CREATE TABLE data_key (
    key_id      VARCHAR(40)  NOT NULL PRIMARY KEY,
    wrapped     VARCHAR(200) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
