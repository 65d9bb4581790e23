package org.careline.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which HL7 feeds are silent (pure): a sender whose last message is older than the threshold is silent, told as
 * {@code feed:<sender>}; two or more senders all silent at once are one condition, {@code feed:all} (the
 * interface engine in front of them is down). A feed's alert is cleared only when that feed flows again:
 * a feed nobody has heard from at all is never called silent, nor cleared.
 */
public final class FeedSilence {

    public static final String ALL = "feed:all";

    /** Subjects to raise (not open yet) and to clear (open, and their feed flows again). */
    public record Decision(Set<String> raise, Set<String> clear) {
    }

    private FeedSilence() {
    }

    public static String subject(String sender) {
        return "feed:" + sender;
    }

    /**
     * @param lastSeen      each sender's newest message
     * @param open          subjects of the feed_silent alerts still open
     * @param watchingSince when watching began (the engine's start): nothing is silent before a whole threshold of
     *                      watching has passed, as a restarted engine has heard nothing yet
     */
    public static Decision decide(Map<String, Instant> lastSeen, Set<String> open, Instant now, Duration after,
                                  Instant watchingSince) {
        Instant cutoff = now.minus(after);
        Set<String> flowing = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        lastSeen.forEach((sender, last) -> (last.isBefore(cutoff) ? silent : flowing).add(sender));
        Set<String> raise = new LinkedHashSet<>();
        if (!watchingSince.isAfter(cutoff)) {
            if (flowing.isEmpty() && silent.size() >= 2) {
                raise.add(ALL);
            } else {
                silent.forEach(s -> raise.add(subject(s)));
            }
            raise.removeAll(open);
        }
        Set<String> clear = new LinkedHashSet<>();
        for (String subject : open) {
            if (subject.equals(ALL) ? !flowing.isEmpty()
                    : subject.startsWith("feed:") && flowing.contains(subject.substring("feed:".length()))) {
                clear.add(subject);
            }
        }
        return new Decision(raise, clear);
    }
}
