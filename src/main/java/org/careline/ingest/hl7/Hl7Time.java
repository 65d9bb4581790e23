package org.careline.ingest.hl7;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads HL7 v2 DTM / TS values: {@code YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]}.
 */
public final class Hl7Time {

    // Each part is only allowed when the one before it is present; the offset may follow any precision.
    private static final Pattern DTM = Pattern.compile(
            "(\\d{4})(?:(\\d{2})(?:(\\d{2})(?:(\\d{2})(?:(\\d{2})(?:(\\d{2})(?:\\.(\\d{1,4}))?)?)?)?)?)?"
                    + "(?:([+-])(\\d{2})(\\d{2}))?");

    private Hl7Time() {
    }

    /**
     * @param value       the field as received; anything from the first '^' on is ignored (older TS values carry
     *                    a degree-of-precision component, e.g. "20240101^D")
     * @param defaultZone zone for values without an offset, normally the site's zone
     * @return the instant, or empty when the value is blank or not a valid HL7 date/time
     */
    public static Optional<Instant> parse(String value, ZoneId defaultZone) {
        return parse(value, defaultZone, 1);
    }

    /**
     * As {@link #parse(String, ZoneId)}, counting only values precise enough.
     *
     * @param minimumParts how many of year, month, day, hour, minute, second the value must give (1: any)
     */
    public static Optional<Instant> parse(String value, ZoneId defaultZone, int minimumParts) {
        Objects.requireNonNull(defaultZone, "defaultZone");
        if (value == null) {
            return Optional.empty();
        }
        int caret = value.indexOf('^');
        String text = (caret >= 0 ? value.substring(0, caret) : value).trim();
        Matcher m = DTM.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        for (int part = 1; part <= minimumParts && part <= 6; part++) {
            if (m.group(part) == null) {
                return Optional.empty();
            }
        }
        try {
            LocalDateTime local = LocalDateTime.of(
                    Integer.parseInt(m.group(1)),
                    part(m.group(2), 1),
                    part(m.group(3), 1),
                    part(m.group(4), 0),
                    part(m.group(5), 0),
                    part(m.group(6), 0),
                    nanos(m.group(7)));
            if (m.group(8) != null) {
                int sign = m.group(8).equals("-") ? -1 : 1;
                ZoneOffset offset = ZoneOffset.ofHoursMinutes(sign * Integer.parseInt(m.group(9)),
                        sign * Integer.parseInt(m.group(10)));
                return Optional.of(local.toInstant(offset));
            }
            // ofLocal moves a time in a DST gap forward by the gap and takes the earlier offset in an overlap.
            return Optional.of(ZonedDateTime.ofLocal(local, defaultZone, null).toInstant());
        } catch (DateTimeException e) {
            // Month 13, 31 February, hour 24, offset minutes 60 and the like.
            return Optional.empty();
        }
    }

    private static int part(String digits, int missing) {
        return digits == null ? missing : Integer.parseInt(digits);
    }

    private static int nanos(String fraction) {
        if (fraction == null) {
            return 0;
        }
        // ".5" is half a second: pad to nine digits.
        return Integer.parseInt((fraction + "000000000").substring(0, 9));
    }
}
