package org.careline.model;

/** One step in a handoff's trail (handoff_event.kind keeps the name). */
public enum HandoffEventKind {
    /** The item was opened by a patient's message. */
    CREATED,
    /** The automatic answer to the patient was queued (outbox_id). */
    ACKNOWLEDGED,
    /** Another message of the patient was added to the open item (inbound_reply_id). */
    MESSAGE,
    CLAIMED,
    RELEASED,
    /** Staff answered in free text (outbox_id; body: the staff's words). */
    REPLIED,
    /** Staff sent the site's follow-up template outside the 24-hour window (outbox_id). */
    TEMPLATE,
    /** An internal note, never sent (body). */
    NOTE,
    /** The SLA ran out or an emergency went unclaimed: the escalation alert was raised. */
    ESCALATED,
    RESOLVED,
    REOPENED
}
