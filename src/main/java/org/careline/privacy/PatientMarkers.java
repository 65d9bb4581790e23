package org.careline.privacy;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

import java.util.ArrayList;
import java.util.List;

/**
 * How one patient shows up in stored text that is not linked to them by a key (raw HL7, webhook bodies): their MRN
 * as a whole field or component, their number as E.164 digits (as Meta writes it, with or without '+') or as the
 * national number. Pure.
 *
 * @param mrn    the scheduling system's identifier, or null
 * @param digits the E.164 number without '+', or null
 * @param national the national significant number (6082719000 for +16082719000), or null
 */
public record PatientMarkers(String mrn, String digits, String national) {

    /** MRNs shorter than this match too much text to be trusted as a marker. */
    static final int SHORTEST_MRN = 3;

    public static PatientMarkers of(String mrn, String e164) {
        String digits = e164 == null ? null : e164.replaceAll("\\D", "");
        String national = null;
        if (e164 != null) {
            try {
                national = String.valueOf(PhoneNumberUtil.getInstance().getNationalSignificantNumber(
                        PhoneNumberUtil.getInstance().parse(e164, null)));
            } catch (NumberParseException e) {
                national = null; // digits alone then
            }
        }
        return new PatientMarkers(mrn == null || mrn.length() < SHORTEST_MRN ? null : mrn,
                digits == null || digits.isEmpty() ? null : digits, national);
    }

    /** Substrings a database LIKE can look for; {@link #carries} then decides. */
    public List<String> mentions() {
        List<String> out = new ArrayList<>();
        if (mrn != null) out.add(mrn);
        out.addAll(phoneMentions());
        return out;
    }

    public List<String> phoneMentions() {
        List<String> out = new ArrayList<>();
        if (digits != null) out.add(digits);
        if (national != null && !national.equals(digits)) out.add(national);
        return out;
    }

    /** Whether the text holds the MRN between non-alphanumerics, or the number between non-digits. */
    public boolean carries(String text) {
        if (text == null) {
            return false;
        }
        if (mrn != null && occurs(text, mrn, false)) {
            return true;
        }
        for (String p : phoneMentions()) {
            if (occurs(text, p, true)) {
                return true;
            }
        }
        return false;
    }

    private static boolean occurs(String text, String word, boolean digitsOnly) {
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
            int end = i + word.length();
            boolean before = i == 0 || !joins(text.charAt(i - 1), digitsOnly);
            boolean after = end == text.length() || !joins(text.charAt(end), digitsOnly);
            if (before && after) {
                return true;
            }
        }
        return false;
    }

    private static boolean joins(char ch, boolean digitsOnly) {
        return digitsOnly ? Character.isDigit(ch) : Character.isLetterOrDigit(ch);
    }
}
