package org.careline.model;

import java.util.Locale;

/**
 * How a site treats patients' consent to be messaged (mappings/sites.yaml {@code consent}). OPT_OUT: messages go
 * until the patient says stop (the default, and Careline's behaviour before consent existed). OPT_IN: nothing but
 * the opt-in template goes until the patient's consent is recorded.
 */
public enum ConsentMode {
    OPT_OUT, OPT_IN;

    /** The word used in sites.yaml: opt-out, opt-in. */
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The mode a sites.yaml word names, or null for an unknown word. */
    public static ConsentMode fromWord(String word) {
        for (ConsentMode m : values()) {
            if (m.word().equalsIgnoreCase(word.trim())) {
                return m;
            }
        }
        return null;
    }
}
