package org.careline.model;

import java.time.Duration;
import java.time.LocalTime;
import java.util.List;

/**
 * When automatic messages go out for one site (or one service at a site).
 *
 * @param confirmation   send a booking confirmation right away
 * @param reminderOffsets how long before the start each reminder is due (e.g. 48h, 2h)
 * @param quietStart     start of quiet hours, local to the site's zone (e.g. 21:00)
 * @param quietEnd       end of quiet hours, local to the site's zone (e.g. 08:00); may be before quietStart (spans midnight)
 * @param minLeadAfterQuiet a message moved to the end of quiet hours must still be at least this long before the start
 */
public record ReminderPolicy(boolean confirmation, List<Duration> reminderOffsets, LocalTime quietStart,
                             LocalTime quietEnd, Duration minLeadAfterQuiet) {

    public static ReminderPolicy defaults() {
        return new ReminderPolicy(true, List.of(Duration.ofHours(48), Duration.ofHours(2)),
                LocalTime.of(21, 0), LocalTime.of(8, 0), Duration.ofHours(1));
    }

    public boolean hasQuietHours() {
        return quietStart != null && quietEnd != null && !quietStart.equals(quietEnd);
    }
}
