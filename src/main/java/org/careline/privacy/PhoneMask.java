package org.careline.privacy;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

/**
 * A number as a clerk may see it while picking a patient: the country code and first group, then only the last two
 * digits (+1 608 ••• ••12), enough to match it against what the patient says without showing it whole. Pure.
 */
public final class PhoneMask {

    static final char DOT = '\u2022';

    private PhoneMask() {
    }

    public static String mask(String e164) {
        if (e164 == null || e164.isBlank()) {
            return null;
        }
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        String shown;
        try {
            shown = util.format(util.parse(e164, null), PhoneNumberUtil.PhoneNumberFormat.INTERNATIONAL)
                    .replace('-', ' ');
        } catch (NumberParseException e) {
            String digits = e164.replaceAll("\\D", "");
            return String.valueOf(DOT).repeat(4) + digits.substring(Math.max(0, digits.length() - 2));
        }
        String[] groups = shown.split(" ");
        int keep = Math.min(2, groups.length - 1); // "+1" and "608"
        int digitsTotal = shown.replaceAll("\\D", "").length();
        int digitsKept = 0;
        for (int g = 0; g < keep; g++) {
            digitsKept += groups[g].replaceAll("\\D", "").length();
        }
        StringBuilder b = new StringBuilder();
        int seen = 0;
        for (char ch : shown.toCharArray()) {
            if (Character.isDigit(ch)) {
                seen++;
                b.append(seen <= digitsKept || seen > digitsTotal - 2 ? ch : DOT);
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }
}
