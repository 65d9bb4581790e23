package org.careline.metrics;

import java.util.Locale;

/**
 * Why sending is paused, as a label from a small fixed set: the pause's own text holds the Cloud API's detail,
 * which is no label (unbounded, and worded by Meta).
 */
public enum PauseReason {
    /** 190 (token expired or invalid), 104 (token missing), or a 401 without a code: a new token is needed. */
    ACCESS_TOKEN,
    /** 368: the number is blocked for a while for policy violations. */
    POLICY_BLOCK,
    /** Any other code that paused sending. */
    OTHER;

    /** The reason for a pause by {@code code} (null: the answer carried none, as a bare 401). */
    public static PauseReason of(Integer code) {
        if (code == null || code == 190 || code == 104) {
            return ACCESS_TOKEN;
        }
        return code == 368 ? POLICY_BLOCK : OTHER;
    }

    /** The label value. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
