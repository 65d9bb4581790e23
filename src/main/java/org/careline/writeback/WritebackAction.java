package org.careline.writeback;

/** What a patient asked of the scheduling system. */
public enum WritebackAction {
    /** The patient confirmed they will come. */
    CONFIRM,
    /** The patient wants another time. */
    CHANGE,
    /** The patient wants to cancel. */
    CANCEL
}
