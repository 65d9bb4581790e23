package org.careline.names;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Which of a message's provider fields names a real person, and how that name is shown to a patient.
 *
 * <p>The rule: a name is shown only when it is a person's name — a family name together with a given name or a
 * title (Dr Smith) — and no word of it looks like an id. A word with a digit, '@' or '_' is an id ({@code kmurphy2},
 * {@code dr_smith}); a single word alone ({@code SMITH}) cannot be told from a login and is never shown; an XCN with
 * only its id (XCN-1) is no name. Sources are tried in the order the mapping lists them and the first person's name
 * wins, so an AIG-3 login does not hide a PV1-7 name behind it.
 */
public final class ProviderNames {

    /** Languages that write the family name before the given name (Hungarian, Japanese, Korean, Chinese, Vietnamese). */
    static final Set<String> FAMILY_FIRST = Set.of("hu", "ja", "ko", "zh", "vi");

    /** Titles a written name may start with. */
    static final Set<String> TITLES = Set.of("dr", "dr.", "dra", "dra.", "prof", "prof.", "pr", "pr.", "mr", "mr.",
            "mrs", "mrs.", "ms", "ms.", "mme", "m.", "sr", "sr.", "sra", "sra.", "herr", "frau");

    private static final Pattern ID_LIKE = Pattern.compile(".*[0-9@_].*");

    private ProviderNames() {
    }

    /**
     * The name to show, from the first candidate that is a person's name.
     *
     * @param candidates the provider fields as read, in the mapping's order
     * @param language   the message's language (ISO 639-1), for the order of given and family name; null: given first
     * @return empty when no candidate names a person: the message then goes without a provider
     */
    public static Optional<String> display(List<NameSource> candidates, String language) {
        for (NameSource c : candidates) {
            Optional<String> shown = c instanceof NameSource.Parts p ? fromParts(p, language)
                    : fromText(((NameSource.Text) c).text(), language);
            if (shown.isPresent()) {
                return shown;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> fromParts(NameSource.Parts p, String language) {
        String family = blankToNull(p.family());
        String given = blankToNull(p.given());
        String prefix = blankToNull(p.prefix());
        if (family == null || (given == null && prefix == null)
                || idLike(family) || (given != null && idLike(given)) || (prefix != null && idLike(prefix))) {
            return Optional.empty();
        }
        return Optional.of(ordered(prefix, given, family, language));
    }

    /** "FAMILY, GIVEN" is split at the comma; otherwise the words are kept in their written order. */
    private static Optional<String> fromText(String text, String language) {
        String t = blankToNull(text);
        if (t == null) {
            return Optional.empty();
        }
        int comma = t.indexOf(',');
        if (comma >= 0) {
            return fromParts(new NameSource.Parts(null, t.substring(0, comma), t.substring(comma + 1), null), language);
        }
        String[] words = t.split("\\s+");
        List<String> names = new ArrayList<>();
        String title = null;
        for (int i = 0; i < words.length; i++) {
            if (idLike(words[i])) {
                return Optional.empty();
            }
            if (i == 0 && TITLES.contains(words[i].toLowerCase(Locale.ROOT))) {
                title = words[i];
            } else {
                names.add(words[i]);
            }
        }
        if (names.isEmpty() || (names.size() == 1 && title == null)) {
            return Optional.empty();
        }
        StringJoiner out = new StringJoiner(" ");
        if (title != null) {
            out.add(NameCase.proper(title));
        }
        out.add(NameCase.proper(String.join(" ", names)));
        return Optional.of(out.toString());
    }

    /** Title first; given before family, or family before given in {@link #FAMILY_FIRST} languages. */
    static String ordered(String prefix, String given, String family, String language) {
        StringJoiner out = new StringJoiner(" ");
        if (prefix != null) {
            out.add(NameCase.proper(prefix));
        }
        boolean familyFirst = language != null && FAMILY_FIRST.contains(language.toLowerCase(Locale.ROOT));
        String g = NameCase.proper(given);
        String f = NameCase.proper(family);
        if (familyFirst) {
            out.add(f);
            if (g != null) {
                out.add(g);
            }
        } else {
            if (g != null) {
                out.add(g);
            }
            out.add(f);
        }
        return out.toString();
    }

    private static boolean idLike(String word) {
        for (String w : word.trim().split("\\s+")) {
            if (ID_LIKE.matcher(w).matches()) {
                return true;
            }
        }
        return false;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
