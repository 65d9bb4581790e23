package org.careline.model;

/** What is stored of an order from earlier messages: whether it was announced, and whether it is held back. */
public record OrderPrior(boolean announced, boolean held) {
    public static final OrderPrior NONE = new OrderPrior(false, false);
}
