package org.careline.alerts.rules;

/**
 * What one look at one rule's condition means for its alert: raise it (once: nothing happens while one about the
 * same subject is open), clear it (the condition is over), or leave things as they are (the look cannot tell, e.g.
 * a feed outside its site's working hours).
 */
public sealed interface RuleOutcome permits RuleOutcome.Raise, RuleOutcome.Clear, RuleOutcome.Hold {

    /** The condition holds; {@code detail} says why in numbers and ids only (it leaves by e-mail and webhook). */
    record Raise(String detail) implements RuleOutcome {
    }

    /** The condition is over. */
    record Clear() implements RuleOutcome {
    }

    /** Neither: an open alert stays open, none is raised. */
    record Hold() implements RuleOutcome {
    }

    RuleOutcome CLEAR = new Clear();
    RuleOutcome HOLD = new Hold();
}
