package org.careline.model;

/** Why a patient's message became a staff handoff; staff_handoff.reason keeps the name. */
public enum HandoffReason {
    /** Emergency phrases (replies.yaml). */
    EMERGENCY,
    /** Help / "speak to staff". */
    HELP,
    /** Not understood: the patient got the menu. */
    NOT_UNDERSTOOD,
    /** Confirm / change / cancel / directions from a number with no upcoming appointment. */
    NO_APPOINTMENT,
    /** A change request the scheduling system cannot take (no write-back channel configured for it). */
    CHANGE,
    /** A queue's keyword was found in the text (triage.yaml). */
    KEYWORD,
    /** The text was a queue's menu digit (triage.yaml). */
    MENU;

    /**
     * Whether the patient is answered with the queue's own acknowledgement (triage.yaml) rather than with the reply
     * the intent has always had (replies.yaml's help, menu, emergency, no-appointment or change text).
     */
    public boolean answeredByQueue() {
        return this == KEYWORD || this == MENU;
    }
}
