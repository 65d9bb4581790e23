package org.careline.model;

import java.util.Set;

/** What a feed says of one order: its key, effective status, and what sensitive categories match on. */
public record OrderFacts(String key, String status, String orderCode, String section, Set<String> producers,
                         String documentType) {
}
