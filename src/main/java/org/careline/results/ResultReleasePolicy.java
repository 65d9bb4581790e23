package org.careline.results;

import org.careline.model.OrderPrior;
import org.careline.model.OrderFacts;
import org.careline.model.ResultRules;
import org.careline.model.MessageKind;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which orders of one ORU (or documents of one MDM) are announced, and how. Pure: no I/O, the caller passes what
 * is stored and {@code now}.
 *
 * <ul>
 *   <li>Effective status: OBR-25, or when it is empty the OBX-11 statuses (any C → C; all X → X; finals, maybe with
 *       some X → F; otherwise the first status that is not final, e.g. P).</li>
 *   <li>X withdraws the order's pending notice. A held category is never announced. Otherwise the status leads to
 *       what results.yaml's {@code notify} says: F → available, once per order; C → updated, each time.</li>
 *   <li>One notice per kind and release delay for all orders of the message; a category's delay puts the release
 *       that far ahead. An immediate "available" notice within the fold window after the patient's last
 *       immediate announcement is folded into it (no message). Corrections are never folded.</li>
 * </ul>
 */
public final class ResultReleasePolicy {

    private ResultReleasePolicy() {
    }

    /** One notice to create (or, when {@code fold}, orders to add to the recent announcement). */
    public record NoticePlan(MessageKind kind, Instant releaseAt, boolean fold, String category, List<String> orderKeys) {
    }

    /** The outcome for the whole message. */
    public record Plan(List<NoticePlan> notices, List<String> withdrawn, List<String> held,
                       Map<String, String> categoryOf) {
    }

    /** The status to judge an order by: OBR-25, else derived from its OBX-11 statuses; null when there is none. */
    public static String effectiveStatus(String obr25, List<String> obx11) {
        String s = norm(obr25);
        if (s != null) {
            return s;
        }
        List<String> statuses = new ArrayList<>();
        for (String o : obx11 == null ? List.<String>of() : obx11) {
            String n = norm(o);
            if (n != null) {
                statuses.add(n);
            }
        }
        if (statuses.isEmpty()) {
            return null;
        }
        if (statuses.contains("C")) {
            return "C";
        }
        if (statuses.stream().allMatch("X"::equals)) {
            return "X";
        }
        for (String st : statuses) {
            if (!st.equals("F") && !st.equals("X")) {
                return st;
            }
        }
        return "F";
    }

    /** The first sensitive category the order falls in, if any. */
    public static Optional<ResultRules.Category> category(OrderFacts o, ResultRules rules) {
        for (ResultRules.Category c : rules.categories()) {
            if (in(c.orderCodes(), o.orderCode()) || in(c.sections(), o.section())
                    || in(c.documentTypes(), o.documentType())
                    || (o.producers() != null && o.producers().stream().anyMatch(p -> in(c.producers(), p)))) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * @param documents        true for MDM documents (DOCUMENT_AVAILABLE), false for results
     * @param prior            what is stored per order key (absent: a new order)
     * @param lastAnnouncement release time of the patient's latest immediate, not withdrawn "available" notice of
     *                         the same family, if any: the one further finals may be folded into
     */
    public static Plan plan(List<OrderFacts> orders, Map<String, OrderPrior> prior, Instant now,
                            Optional<Instant> lastAnnouncement, ResultRules rules, boolean documents) {
        Map<String, NoticePlan> groups = new LinkedHashMap<>();
        List<String> withdrawn = new ArrayList<>();
        List<String> held = new ArrayList<>();
        Map<String, String> categoryOf = new LinkedHashMap<>();
        for (OrderFacts o : orders) {
            OrderPrior p = prior.getOrDefault(o.key(), OrderPrior.NONE);
            Optional<ResultRules.Category> cat = category(o, rules);
            cat.ifPresent(c -> categoryOf.put(o.key(), c.name()));
            if ("X".equals(o.status())) {
                withdrawn.add(o.key());
                continue;
            }
            if (o.status() == null) {
                continue;
            }
            ResultRules.Notice notice = rules.statuses().getOrDefault(o.status(), ResultRules.Notice.NONE);
            if (notice == ResultRules.Notice.NONE) {
                continue;
            }
            if (cat.isPresent() && cat.get().hold()) {
                held.add(o.key());
                continue;
            }
            if (notice == ResultRules.Notice.AVAILABLE && (p.announced() || p.held())) {
                continue; // F once per order
            }
            MessageKind kind = documents ? MessageKind.DOCUMENT_AVAILABLE
                    : notice == ResultRules.Notice.UPDATED ? MessageKind.RESULTS_UPDATED : MessageKind.RESULTS_AVAILABLE;
            Duration delay = cat.map(ResultRules.Category::delay).orElse(Duration.ZERO);
            String categoryName = cat.map(ResultRules.Category::name).orElse(null);
            String groupKey = kind + "|" + delay + "|" + categoryName;
            NoticePlan g = groups.get(groupKey);
            if (g == null) {
                boolean fold = kind != MessageKind.RESULTS_UPDATED && delay.isZero()
                        && lastAnnouncement.filter(t -> !t.isAfter(now) && now.isBefore(t.plus(rules.foldWindow())))
                        .isPresent();
                g = new NoticePlan(kind, now.plus(delay), fold, categoryName, new ArrayList<>());
                groups.put(groupKey, g);
            }
            g.orderKeys().add(o.key());
        }
        List<NoticePlan> notices = groups.values().stream()
                .map(g -> new NoticePlan(g.kind(), g.releaseAt(), g.fold(), g.category(), List.copyOf(g.orderKeys())))
                .toList();
        return new Plan(notices, List.copyOf(withdrawn), List.copyOf(held), Map.copyOf(categoryOf));
    }

    private static boolean in(Set<String> set, String value) {
        return value != null && set.contains(value.trim().toUpperCase(Locale.ROOT));
    }

    private static String norm(String s) {
        if (s == null || s.isBlank() || s.trim().equals("\"\"")) {
            return null;
        }
        return s.trim().substring(0, 1).toUpperCase(Locale.ROOT);
    }
}
