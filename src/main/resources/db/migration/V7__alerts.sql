-- Alerts that reach people: the feed watch asks which senders sent what since its last look (every minute); this
-- index lets it read only the newest rows of inbound_message instead of all of them.
-- Portable SQL only: it runs unchanged on H2 (default) and PostgreSQL.
CREATE INDEX ix_inbound_received ON inbound_message (received_at);
