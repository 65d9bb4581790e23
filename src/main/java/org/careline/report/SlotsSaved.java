package org.careline.report;

import org.careline.model.KpiFigures;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The estimate of what reminders saved in a month: the no-shows avoided are the patients reached times how much
 * less often reached patients missed their appointment than patients not reached,
 * {@code (rate not reached − rate reached) × appointments reached}, never below 0; their worth is that times the
 * cost of one slot. An estimate: it assumes patients reached would otherwise have missed as often as those not
 * reached. Computed from the exact counts and rounded once, to 2 places.
 *
 * @param noShowsAvoided appointments, 2 decimal places
 * @param value          noShowsAvoided × cost per slot, 2 decimal places
 */
public record SlotsSaved(BigDecimal noShowsAvoided, BigDecimal value) {

    private static final MathContext EXACT_ENOUGH = MathContext.DECIMAL64;

    public static SlotsSaved estimate(KpiFigures.NoShowSplit split, BigDecimal costPerSlot) {
        KpiFigures.NoShowGroup reached = split.reached();
        KpiFigures.NoShowGroup notReached = split.notReached();
        BigDecimal avoided = BigDecimal.ZERO;
        if (notReached.appointments() > 0 && reached.appointments() > 0) {
            // (nrNoShows / nrAppointments − rNoShows / rAppointments) × rAppointments
            //   = nrNoShows × rAppointments / nrAppointments − rNoShows
            avoided = BigDecimal.valueOf(notReached.noShows()).multiply(BigDecimal.valueOf(reached.appointments()))
                    .divide(BigDecimal.valueOf(notReached.appointments()), EXACT_ENOUGH)
                    .subtract(BigDecimal.valueOf(reached.noShows()));
            if (avoided.signum() < 0) {
                avoided = BigDecimal.ZERO;
            }
        }
        BigDecimal value = avoided.multiply(costPerSlot == null ? BigDecimal.ZERO : costPerSlot, EXACT_ENOUGH);
        return new SlotsSaved(avoided.setScale(2, RoundingMode.HALF_UP), value.setScale(2, RoundingMode.HALF_UP));
    }
}
