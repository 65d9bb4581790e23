package org.careline.alerts.rules;

import org.careline.config.AlertRulesMapping;
import org.careline.ingest.whatsapp.InboundMessageSink;
import org.careline.model.InboundMessage;
import org.careline.store.RuleMeasures;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Counts patients' messages for the keyword_rate rule's words watches as they are classified: it stands in front of
 * the engine's {@link InboundMessageSink}, lets it classify and answer, then — in the same transaction — writes one
 * reply_word_match row (time, site, watch name) per watch whose words the text holds. The text is looked at here,
 * in memory, once: stored texts may be sealed at rest, and no later query reads them.
 */
public final class WordCounter implements InboundMessageSink {

    /** One words watch, its words as whole-word patterns of any case. */
    record Matcher(String watch, List<Pattern> words) {
        boolean matches(String text) {
            for (Pattern p : words) {
                if (p.matcher(text).find()) {
                    return true;
                }
            }
            return false;
        }
    }

    private final InboundMessageSink next;
    private final RuleMeasures measures;
    private final List<Matcher> matchers;

    public WordCounter(InboundMessageSink next, RuleMeasures measures, List<AlertRulesMapping.Watch> watches) {
        this.next = next;
        this.measures = measures;
        this.matchers = matchers(watches);
    }

    /** Whether any watch counts words (otherwise there is nothing to put in front of the sink). */
    public static boolean needed(AlertRulesMapping.KeywordRate rule) {
        return rule.delivery().enabled() && !matchers(rule.watches()).isEmpty();
    }

    @Override
    public void accept(Connection c, InboundMessage message, long inboundReplyId, Instant now) throws SQLException {
        next.accept(c, message, inboundReplyId, now);
        List<String> matched = matched(message.text());
        if (!matched.isEmpty()) {
            String site = measures.siteOfReply(c, inboundReplyId);
            for (String watch : matched) {
                measures.recordWordMatch(c, watch, site, now);
            }
        }
    }

    /** The watches whose words {@code text} holds (pure). */
    List<String> matched(String text) {
        List<String> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (Matcher m : matchers) {
            if (m.matches(text)) {
                out.add(m.watch());
            }
        }
        return out;
    }

    static List<Matcher> matchers(List<AlertRulesMapping.Watch> watches) {
        List<Matcher> out = new ArrayList<>();
        for (AlertRulesMapping.Watch w : watches) {
            if (w.counted() instanceof AlertRulesMapping.ByWords b) {
                List<Pattern> patterns = new ArrayList<>();
                for (String word : b.words()) {
                    // A whole word: "pain" is not in "Spain" nor "painting".
                    patterns.add(Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(word) + "(?![\\p{L}\\p{N}])",
                            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
                }
                out.add(new Matcher(w.name(), List.copyOf(patterns)));
            }
        }
        return List.copyOf(out);
    }
}
