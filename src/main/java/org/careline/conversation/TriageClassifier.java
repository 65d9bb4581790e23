package org.careline.conversation;

import org.careline.config.TriageRules;
import org.careline.model.HandoffReason;
import org.careline.model.Intent;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which triage queue (mappings/triage.yaml) a patient's message lands in, given what {@link ReplyClassifier}
 * understood of it: emergencies always; then a queue's keyword anywhere in the text or its menu digit; help and
 * anything not understood to nurse; change requests the scheduling system cannot take, and answers from numbers with
 * no appointment, to scheduling. Confirm, cancel, directions, stop, start and thanks open nothing (they are answered
 * as they always were). Pure: no I/O.
 */
public final class TriageClassifier {

    /** What the message leads to. */
    public sealed interface Decision {
    }

    /** No person is needed. */
    public record NoItem() implements Decision {
    }

    /**
     * An item in {@code queue}.
     *
     * @param language the language of the keyword that matched, or null
     */
    public record ToQueue(String queue, HandoffReason reason, String language) implements Decision {
    }

    /**
     * What the handler knows of the message's circumstances.
     *
     * @param hasAppointment the message is tied to an appointment
     * @param writebackTaken the scheduling system takes this appointment's answers (its write-back channel is set up)
     * @param disabled       queues switched off at the appointment's site
     */
    public record Situation(boolean hasAppointment, boolean writebackTaken, Set<String> disabled) {
    }

    private record Keyword(String words, String queue, String language) {
    }

    private final List<Keyword> keywords = new ArrayList<>();
    private final List<Keyword> menu = new ArrayList<>();

    public TriageClassifier(TriageRules rules) {
        rules.queues().values().forEach(q -> {
            q.keywords().forEach((lang, words) -> words.forEach(w -> {
                String n = ReplyClassifier.normalise(w);
                if (!n.isEmpty()) {
                    keywords.add(new Keyword(n, q.name(), lang));
                }
            }));
            if (q.menu() != null) {
                menu.add(new Keyword(q.menu(), q.name(), null));
            }
        });
    }

    public Decision classify(String text, Intent intent, Situation s) {
        return switch (intent) {
            case EMERGENCY -> new ToQueue(TriageRules.EMERGENCY, HandoffReason.EMERGENCY, null);
            case STOP, START, THANKS, IGNORED, CONSENT_YES, CONSENT_NO -> new NoItem();
            case CONFIRM, CANCEL, LOCATION -> s.hasAppointment() ? new NoItem()
                    : scheduling(HandoffReason.NO_APPOINTMENT, s);
            case CHANGE, HELP, OTHER -> {
                // A change request is about scheduling already: only another queue's words outrank it.
                ToQueue byWords = byWords(text, s, intent == Intent.CHANGE ? TriageRules.SCHEDULING : null);
                if (byWords != null) {
                    yield byWords;
                }
                if (intent == Intent.CHANGE) {
                    yield !s.hasAppointment() ? scheduling(HandoffReason.NO_APPOINTMENT, s)
                            : !s.writebackTaken() ? scheduling(HandoffReason.CHANGE, s) : new NoItem();
                }
                yield new ToQueue(TriageRules.NURSE, intent == Intent.HELP ? HandoffReason.HELP
                        : HandoffReason.NOT_UNDERSTOOD, null);
            }
        };
    }

    /** The first enabled queue whose menu digit is the whole text, or one of whose keywords is in it. */
    private ToQueue byWords(String text, Situation s, String skip) {
        String t = ReplyClassifier.normalise(text);
        for (Keyword m : menu) {
            if (t.equals(m.words()) && usable(m.queue(), s, skip)) {
                return new ToQueue(m.queue(), HandoffReason.MENU, null);
            }
        }
        String padded = " " + t + " ";
        for (Keyword k : keywords) {
            if (padded.contains(" " + k.words() + " ") && usable(k.queue(), s, skip)) {
                return new ToQueue(k.queue(), HandoffReason.KEYWORD, k.language());
            }
        }
        return null;
    }

    private static boolean usable(String queue, Situation s, String skip) {
        return !queue.equals(skip) && !s.disabled().contains(queue);
    }

    /** Scheduling, or nurse where the site does not use a scheduling queue. */
    private static ToQueue scheduling(HandoffReason reason, Situation s) {
        return new ToQueue(s.disabled().contains(TriageRules.SCHEDULING) ? TriageRules.NURSE : TriageRules.SCHEDULING,
                reason, null);
    }
}
