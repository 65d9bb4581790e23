package org.careline.stats;

import org.careline.model.Intent;
import org.careline.model.MessageKind;
import org.careline.store.StatsRollups.Fact;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one row of an append-only log counts as in the roll-ups (pure). The definitions are docs/figures.md's:
 * <ul>
 *   <li>an appointment event whose action is BOOK: {@code booked};</li>
 *   <li>of template messages only (free-form answers in a conversation are not counted), a message event {@code sent}: {@code sent} of its kind; the first {@code delivered} or {@code read} of a
 *   wamid: {@code delivered} (read implies delivered); a {@code read}: {@code read}; a {@code failed} status, or a
 *   {@code dead} letter that no failed status led to (refused for good, attempts used up): {@code failed} and a
 *   {@code failure} by code and reason; the queued opt-out confirmation: {@code opt_out};</li>
 *   <li>a reply: {@code reply} by its intent (confirm … stop, and other for those staff had to read);</li>
 *   <li>a first portal open: {@code link_opened}.</li>
 * </ul>
 */
public final class FactFigures {

    public static final String BOOKED = "booked";
    public static final String SENT = "sent";
    public static final String DELIVERED = "delivered";
    public static final String READ = "read";
    public static final String FAILED = "failed";
    public static final String FAILURE = "failure";
    public static final String REPLY = "reply";
    public static final String OPT_OUT = "opt_out";
    public static final String LINK_OPENED = "link_opened";
    /** Appointments due (started) and of those no-shows, by {@link NoShowGroup#key()}. */
    public static final String DUE = "due";
    public static final String NO_SHOW = "no_show";

    /** The outbox label of the confirmation a patient gets when STOP took effect (conversation.ReplyHandler). */
    static final String OPT_OUT_LABEL = "opt-out";
    private static final Pattern CODED_REASON = Pattern.compile("(\\d{1,9}): (.*)", Pattern.DOTALL);
    private static final String NO_CODE_PREFIX = "no error code: ";

    /** One figure and detail a fact adds one to. */
    public record Hit(String figure, String detail) {
    }

    private FactFigures() {
    }

    public static List<Hit> ofAppointmentEvent(Fact f) {
        return "BOOK".equals(f.what()) ? List.of(new Hit(BOOKED, "")) : List.of();
    }

    public static List<Hit> ofMessageEvent(Fact f) {
        String kind = f.kind() == null ? "" : f.kind();
        List<Hit> hits = new ArrayList<>(2);
        if (!"queued".equals(f.what()) && !isTemplate(kind)) {
            return hits; // free-form answers inside a conversation are not "messages sent" in the figures
        }
        switch (f.what()) {
            case "sent" -> hits.add(new Hit(SENT, kind));
            case "delivered" -> {
                if (f.firstReach()) {
                    hits.add(new Hit(DELIVERED, kind));
                }
            }
            case "read" -> {
                hits.add(new Hit(READ, kind));
                if (f.firstReach()) {
                    hits.add(new Hit(DELIVERED, kind));
                }
            }
            case "failed" -> {
                hits.add(new Hit(FAILED, kind));
                hits.add(new Hit(FAILURE, failedStatusCause(f.detail())));
            }
            case "dead" -> {
                if (!f.afterFailedStatus()) {
                    hits.add(new Hit(FAILED, kind));
                    hits.add(new Hit(FAILURE, cause(f.code(), f.detail())));
                }
            }
            case "queued" -> {
                if (OPT_OUT_LABEL.equals(f.detail())) {
                    hits.add(new Hit(OPT_OUT, ""));
                }
            }
            default -> {
                // retry, released, cancelled, skipped, held …: the message's way, not a figure
            }
        }
        return hits;
    }

    /** Whether the outbox kind is a template message (the figures' messages); unknown kinds are not. */
    static boolean isTemplate(String kind) {
        try {
            return MessageKind.valueOf(kind).isTemplate();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static List<Hit> ofReply(Fact f) {
        Intent intent;
        try {
            intent = f.what() == null ? null : Intent.valueOf(f.what());
        } catch (IllegalArgumentException e) {
            intent = null;
        }
        if (intent == null) {
            return List.of();
        }
        String key = switch (intent) {
            case CONFIRM, CHANGE, CANCEL, LOCATION, HELP, STOP, OTHER -> intent.name().toLowerCase(java.util.Locale.ROOT);
            default -> null; // emergencies are counted from their handoffs; start, consent, thanks, ignored are not asked for
        };
        return key == null ? List.of() : List.of(new Hit(REPLY, key));
    }

    public static List<Hit> ofPortalOpen(Fact f) {
        return List.of(new Hit(LINK_OPENED, ""));
    }

    /** A failed status's reason as DeliveryStatuses writes it ("131026: title"), split into code and title. */
    static String failedStatusCause(String reason) {
        if (reason != null) {
            Matcher m = CODED_REASON.matcher(reason);
            if (m.matches()) {
                return cause(Integer.valueOf(m.group(1)), m.group(2));
            }
            if (reason.startsWith(NO_CODE_PREFIX)) {
                return cause(null, reason.substring(NO_CODE_PREFIX.length()));
            }
        }
        return cause(null, reason);
    }

    /** The roll-ups' detail of a failure: "code|reason" ('' for an unknown code or reason). */
    static String cause(Integer code, String reason) {
        return (code == null ? "" : code.toString()) + "|" + (reason == null ? "" : reason);
    }

    /** The code of a failure's detail; null when unknown. */
    public static Integer causeCode(String detail) {
        String code = detail.substring(0, Math.max(detail.indexOf('|'), 0));
        return code.isEmpty() ? null : Integer.valueOf(code);
    }

    /** The reason of a failure's detail; null when unknown. */
    public static String causeReason(String detail) {
        String reason = detail.substring(detail.indexOf('|') + 1);
        return reason.isEmpty() ? null : reason;
    }
}
