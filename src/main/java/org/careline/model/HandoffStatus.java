package org.careline.model;

/** Where a staff handoff (a work item in a triage queue) stands; staff_handoff.status keeps the name. */
public enum HandoffStatus {
    /** Waiting for a person. */
    OPEN,
    /** One person works it (claimed_by). */
    CLAIMED,
    /** Done; nothing more is added to it (a new message opens a new item). */
    RESOLVED;

    /** The status a stored value names; null for anything else. */
    public static HandoffStatus fromDb(String value) {
        for (HandoffStatus s : values()) {
            if (s.name().equals(value)) {
                return s;
            }
        }
        return null;
    }
}
