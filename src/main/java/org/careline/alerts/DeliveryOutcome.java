package org.careline.alerts;

import java.time.Duration;

/** What became of one attempt to tell a channel of an alert. */
public sealed interface DeliveryOutcome {

    /** The channel took it (a 2xx, or the SMTP server accepted the message). */
    record Delivered() implements DeliveryOutcome {
    }

    /**
     * The channel is down or busy (connection refused, a timeout, a 5xx, 408, 429, a transient SMTP reply): tried
     * again later.
     *
     * @param retryAfter how long the receiver asked us to wait, or null
     */
    record Retry(String reason, Duration retryAfter) implements DeliveryOutcome {
    }

    /** The channel refused it for good (a 4xx, an address the SMTP server rejects): no retry can fix it. */
    record Refused(String reason) implements DeliveryOutcome {
    }
}
