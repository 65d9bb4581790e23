package org.careline.model;

import java.util.Locale;

/** What an inbound event does to an appointment, whatever feed it came from (SIU trigger, later FHIR status). */
public enum AppointmentAction {
    BOOK, RESCHEDULE, MODIFY, CANCEL, DELETE, NO_SHOW;

    /** From the words used in mappings/siu.yaml (book, reschedule, modify, cancel, delete, no-show). */
    public static AppointmentAction fromWord(String word) {
        return valueOf(word.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
