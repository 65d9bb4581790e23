package org.careline.conversation;

import org.careline.model.Intent;
import org.careline.config.ReplyRules;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides what a reply asks for, as mappings/replies.yaml says: emergency phrases first (anywhere in the text, any
 * language), then a button payload, a menu digit, then keywords. Pure: no I/O.
 */
public final class ReplyClassifier {

    /** What was understood, and in which language (null when no language-specific word matched). */
    public record Classification(Intent intent, String language) {
    }

    private record Phrase(String words, Intent intent, String language) {
    }

    private final Map<String, String> payloads;
    private final Map<String, String> menu;
    private final List<Phrase> emergencies = new ArrayList<>();
    private final List<Phrase> keywords = new ArrayList<>();

    public ReplyClassifier(ReplyRules rules) {
        this.payloads = rules.payloads();
        this.menu = rules.menu();
        rules.languages().forEach((lang, l) -> {
            if (l.emergency() != null) {
                l.emergency().forEach(p -> emergencies.add(new Phrase(normalise(p), Intent.EMERGENCY, lang)));
            }
            if (l.keywords() != null) {
                l.keywords().forEach((intent, words) -> words.forEach(w ->
                        keywords.add(new Phrase(normalise(w), Intent.fromWord(intent), lang))));
            }
        });
    }

    public Classification classify(String text, String payload) {
        String t = normalise(text);
        String padded = " " + t + " ";
        for (Phrase p : emergencies) {
            if (!p.words().isEmpty() && padded.contains(" " + p.words() + " ")) {
                return new Classification(Intent.EMERGENCY, p.language());
            }
        }
        if (payload != null) {
            String intent = payloads.get(payload.trim().split("[:|]", 2)[0].toUpperCase(Locale.ROOT));
            if (intent != null) {
                return new Classification(Intent.fromWord(intent), null);
            }
        }
        if (menu.containsKey(t)) {
            return new Classification(Intent.fromWord(menu.get(t)), null);
        }
        for (Phrase p : keywords) {
            if (t.equals(p.words())) {
                return new Classification(p.intent(), p.language());
            }
        }
        String[] words = t.isEmpty() ? new String[0] : t.split(" ");
        if (words.length > 1 && words.length <= 3) {
            for (Phrase p : keywords) {
                if (!p.words().contains(" ") && words[0].equals(p.words())) {
                    return new Classification(p.intent(), p.language());
                }
            }
        }
        return new Classification(Intent.OTHER, null);
    }

    /** Lower case, no accents, apostrophes dropped, other punctuation as spaces, single spaces. */
    static String normalise(String text) {
        if (text == null) {
            return "";
        }
        String s = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        s = s.toLowerCase(Locale.ROOT).replaceAll("['’`]", "");
        s = s.replaceAll("[^\\p{L}\\p{N}]+", " ");
        return s.trim();
    }
}
