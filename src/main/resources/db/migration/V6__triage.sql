-- Triage (mappings/triage.yaml): a patient's later message added to an open handoff is an event that names the
-- message itself, so the console shows the patient's words in order without storing them twice.
ALTER TABLE handoff_event ADD COLUMN inbound_reply_id BIGINT REFERENCES inbound_reply (id);
-- SLA watch: the items whose due or escalation time may have passed and that were not escalated yet.
CREATE INDEX ix_handoff_escalation ON staff_handoff (escalated_at, status, due_at);
