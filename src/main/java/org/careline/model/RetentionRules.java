package org.careline.model;

import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;

/**
 * How long each {@link DataClass} is kept (mappings/retention.yaml): data older than its period is removed by the
 * daily purge, except a patient's under legal hold.
 */
public record RetentionRules(Map<DataClass, Period> periods) {

    /** Blueprint: delete after 12 months unless the law says otherwise. */
    public static final int DEFAULT_MONTHS = 12;
    /** Blueprint: clinical communication is kept at least 6 months. */
    public static final int CLINICAL_MINIMUM_MONTHS = 6;

    public RetentionRules {
        EnumMap<DataClass, Period> all = new EnumMap<>(DataClass.class);
        for (DataClass d : DataClass.values()) {
            all.put(d, Period.ofMonths(DEFAULT_MONTHS));
        }
        all.putAll(periods);
        periods = Map.copyOf(all);
    }

    public static RetentionRules defaults() {
        return new RetentionRules(Map.of());
    }

    public Period period(DataClass d) {
        return periods.get(d);
    }

    /** Data of class {@code d} made before this instant is due for removal at {@code now} (calendar months, UTC). */
    public Instant cutoff(DataClass d, Instant now) {
        return now.atOffset(ZoneOffset.UTC).minus(period(d)).toInstant();
    }

    /**
     * Why a period is refused for a class, or null when it is allowed: nothing shorter than a day, and for clinical
     * communication nothing shorter than {@link #CLINICAL_MINIMUM_MONTHS} months (a month counted as 30 days for
     * periods written in days).
     */
    public static String refusal(DataClass d, Period p) {
        long days = p.toTotalMonths() * 30 + p.getDays();
        if (p.isNegative() || days < 1) {
            return "must be at least 1 day";
        }
        if (d.clinical() && days < CLINICAL_MINIMUM_MONTHS * 30L) {
            return "is clinical communication: keep it at least " + CLINICAL_MINIMUM_MONTHS + " months";
        }
        return null;
    }
}
