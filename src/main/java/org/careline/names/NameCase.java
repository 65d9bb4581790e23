package org.careline.names;

import java.util.Locale;
import java.util.Set;

/**
 * Names as a person would write them. Feeds often send names all in capitals ("DR ANNA SMITH") or all in small
 * letters; such a part is re-cased word by word. A part that already mixes cases ("McDonald", "van der Berg",
 * "DeShawn") was written by someone who knew, and is kept exactly as written.
 */
public final class NameCase {

    /**
     * Surname particles written in small letters before the rest of a name ("van der Berg", "de la Cruz",
     * "da Silva"); alone, or last in a part, they are an ordinary word and take a capital.
     */
    static final Set<String> PARTICLES = Set.of("van", "von", "der", "den", "de", "del", "della", "di", "da", "du",
            "dos", "das", "do", "la", "le", "ter", "ten", "y", "e");

    private NameCase() {
    }

    /** One name part in proper case; null and blank give null. */
    public static String proper(String part) {
        if (part == null || part.isBlank()) {
            return null;
        }
        String trimmed = part.trim().replaceAll("\\s+", " ");
        if (!trimmed.equals(trimmed.toUpperCase(Locale.ROOT)) && !trimmed.equals(trimmed.toLowerCase(Locale.ROOT))) {
            return trimmed; // mixed case: as written
        }
        String[] words = trimmed.toLowerCase(Locale.ROOT).split(" ");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < words.length; i++) {
            if (i > 0) {
                out.append(' ');
            }
            boolean particle = PARTICLES.contains(words[i]) && i < words.length - 1;
            out.append(particle ? words[i] : word(words[i]));
        }
        return out.toString();
    }

    /** A capital at the start and after a hyphen or apostrophe (Smith-Jones, O'Brien, D'Angelo); Mc as McDonald. */
    private static String word(String lower) {
        StringBuilder out = new StringBuilder(lower.length());
        boolean capital = true;
        for (int i = 0; i < lower.length(); ) {
            int cp = lower.codePointAt(i);
            out.appendCodePoint(capital ? Character.toTitleCase(cp) : cp);
            capital = cp == '-' || cp == '\'' || cp == '\u2019';
            i += Character.charCount(cp);
        }
        // "Mc" + at least two letters is Scots/Irish "son of": McDonald, McKay. "Mac" is left alone: Macy, Mack.
        if (out.length() > 3 && out.charAt(0) == 'M' && out.charAt(1) == 'c' && Character.isLetter(out.charAt(2))) {
            out.setCharAt(2, Character.toUpperCase(out.charAt(2)));
        }
        return out.toString();
    }
}
