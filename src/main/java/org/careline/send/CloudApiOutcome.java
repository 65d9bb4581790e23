package org.careline.send;

import java.time.Duration;

/** What the outbox should do after one Cloud API send attempt. */
public sealed interface CloudApiOutcome {

    /** Meta accepted the message; delivery is reported later by status webhooks keyed by {@code wamid}. */
    record Sent(String wamid) implements CloudApiOutcome {
    }

    /** Meta stored an uploaded media file (POST /{phone-number-id}/media) as {@code mediaId}. */
    record Uploaded(String mediaId) implements CloudApiOutcome {
    }

    /**
     * Transient failure (rate limit, Meta outage, timeout): try this message again after a backoff, and not before
     * {@code retryAfter} (the answer's Retry-After header; null when it had none).
     */
    record Retryable(int httpStatus, Integer errorCode, String reason, Duration retryAfter)
            implements CloudApiOutcome {

        public Retryable(int httpStatus, Integer errorCode, String reason) {
            this(httpStatus, errorCode, reason, null);
        }
    }

    /** This message can never succeed as sent (bad number, template problem): mark it failed. */
    record Permanent(int httpStatus, Integer errorCode, String reason) implements CloudApiOutcome {
    }

    /**
     * Every send from this phone number would fail (token expired, account blocked): stop sending and alert,
     * leaving this message queued.
     */
    record PauseSending(int httpStatus, Integer errorCode, String reason) implements CloudApiOutcome {
    }
}
