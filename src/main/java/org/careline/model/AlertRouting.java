package org.careline.model;

import java.util.List;

/**
 * Which notification channels an alert goes to, by its site (null: not tied to one) and severity
 * (mappings/notifications.yaml). The alert log asks it when an alert is raised, in the raising transaction, and
 * queues one delivery per channel named.
 */
@FunctionalInterface
public interface AlertRouting {

    /** No channels: alerts only show in the console (the shipped default). */
    AlertRouting NONE = (site, severity) -> List.of();

    /** The channel names, each once, in the order configured. */
    List<String> channels(String site, AlertSeverity severity);
}
