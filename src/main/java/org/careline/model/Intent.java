package org.careline.model;

import java.util.Locale;

/** What a patient's reply asks for. */
public enum Intent {
    EMERGENCY, STOP, START, CONFIRM, CHANGE, CANCEL, LOCATION, HELP,
    /** Yes / no to the opt-in template (a button of it, or a consent keyword). */
    CONSENT_YES, CONSENT_NO,
    /** A thank-you or goodbye: nothing to do, and answering it with the menu would only annoy. */
    THANKS,
    /** Not understood: the menu and a staff handoff. */
    OTHER,
    /** Nothing to answer (a reaction, a system notice, an unsupported message). */
    IGNORED;

    /** From the words used in mappings/replies.yaml. */
    public static Intent fromWord(String word) {
        return valueOf(word.trim().toUpperCase(Locale.ROOT));
    }
}
