package org.careline.stats;

/**
 * The three groups the no-show split compares (pure), which do not overlap: the patient confirmed on WhatsApp; a
 * message reached their phone (delivered or read) but they did not confirm; nothing reached them. A confirmation
 * implies the patient was reached, whatever the delivery statuses said.
 */
public enum NoShowGroup {
    CONFIRMED, REACHED_NOT_CONFIRMED, NOT_REACHED;

    public static NoShowGroup of(boolean confirmed, boolean reached) {
        if (confirmed) {
            return CONFIRMED;
        }
        return reached ? REACHED_NOT_CONFIRMED : NOT_REACHED;
    }

    /** The roll-ups' detail value. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
