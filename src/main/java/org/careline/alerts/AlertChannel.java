package org.careline.alerts;

/** One notification channel of mappings/notifications.yaml, able to tell of an alert. */
public interface AlertChannel {

    String name();

    /** One attempt; never throws for a channel that is down, it says so in the outcome. */
    DeliveryOutcome send(AlertMessage message);
}
