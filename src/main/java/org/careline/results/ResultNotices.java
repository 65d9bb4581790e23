package org.careline.results;

import org.careline.model.PatientFacts;
import org.careline.model.OrderPrior;
import org.careline.model.OrderFacts;
import org.careline.model.ResultRules;
import org.careline.model.Site;
import org.careline.config.SiteDirectory;
import org.careline.ingest.hl7.OruMapper;
import org.careline.model.MessageKind;
import org.careline.schedule.ReminderPlanner;
import org.careline.store.AppointmentStore;
import org.careline.store.Outbox;
import org.careline.store.ResultStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies the orders of one result or document message inside the caller's transaction: stores the patient and
 * each order's status, decides with {@link ResultReleasePolicy}, and keeps the outbox in step (queue, fold,
 * withdraw). Notices are template kinds in the outbox, so quiet hours, opt-out, language and dead letters apply.
 */
public final class ResultNotices {

    /** What applying the message did, for the log (ids only) and tests. */
    public record Result(long patientId, boolean reachable, int queued, int folded, int withdrawn, int held) {
    }

    private final AppointmentStore patients;
    private final ResultStore store;
    private final Outbox outbox;
    private final SiteDirectory sites;
    private final ResultRules rules;

    public ResultNotices(AppointmentStore patients, ResultStore store, Outbox outbox, SiteDirectory sites,
                         ResultRules rules) {
        this.patients = patients;
        this.store = store;
        this.outbox = outbox;
        this.sites = sites;
        this.rules = rules;
    }

    public ResultRules rules() {
        return rules;
    }

    public Result apply(Connection c, String source, PatientFacts p, List<OrderFacts> orders,
                        boolean documents, Instant now) throws SQLException {
        return apply(c, source, p, orders, documents, null, now);
    }

    /**
     * @param pdf a document's PDF to send as the template's document header (only for document types listed in
     *            documents.attachPdf), or null: a document notice then becomes DOCUMENT_ATTACHED, is never folded
     *            into another, and its PDF is stored with it
     */
    public Result apply(Connection c, String source, PatientFacts p, List<OrderFacts> orders,
                        boolean documents, DocumentPdf pdf, Instant now) throws SQLException {
        long patientId = patients.upsertPatient(c, p.patientKey(), p.givenName(), p.familyName(), p.phone(),
                p.language(), p.identifier(), p.authority(), now);
        boolean reachable = patients.reachable(c, patientId);
        Map<String, OrderPrior> prior = new HashMap<>();
        for (OrderFacts o : orders) {
            store.find(c, source, o.key()).ifPresent(s -> prior.put(o.key(), s.prior()));
        }
        MessageKind foldKind = documents ? MessageKind.DOCUMENT_AVAILABLE : MessageKind.RESULTS_AVAILABLE;
        Optional<ResultStore.Recent> recent = store.lastImmediate(c, patientId, foldKind.name(), now);
        ResultReleasePolicy.Plan plan = ResultReleasePolicy.plan(orders, prior, now,
                recent.map(ResultStore.Recent::releaseAt), rules, documents);

        Map<String, Long> ids = new HashMap<>();
        for (OrderFacts o : orders) {
            ids.put(o.key(), store.upsert(c, source, o.key(), patientId, o.status(), plan.categoryOf().get(o.key()), now));
        }
        int withdrawn = 0;
        for (String key : plan.withdrawn()) {
            for (long notice : store.noticesFullyCancelled(c, ids.get(key))) {
                withdrawn += outbox.cancelPendingNotice(c, notice, "order cancelled (X)", now);
            }
        }
        for (String key : plan.held()) {
            store.mark(c, ids.get(key), false, true);
        }
        int queued = 0;
        int folded = 0;
        if (reachable) {
            Site site = sites.site(p.siteCode());
            for (ResultReleasePolicy.NoticePlan n : plan.notices()) {
                long noticeId;
                boolean attach = pdf != null && n.kind() == MessageKind.DOCUMENT_AVAILABLE;
                MessageKind kind = attach ? MessageKind.DOCUMENT_ATTACHED : n.kind();
                if (n.fold() && recent.isPresent() && !attach) {
                    noticeId = recent.get().noticeId();
                    folded++;
                } else {
                    noticeId = store.createNotice(c, patientId, PortalLink.newReference(), kind.name(),
                            site.code(), n.releaseAt(), n.releaseAt().plus(rules.linkValidity()), now);
                    // Quiet hours are the site's; a notice has no appointment, so any later time is still useful.
                    Instant due = ReminderPlanner.applyQuietHours(n.releaseAt(), n.releaseAt().plus(Duration.ofDays(2)),
                            now, site.zone(), site.policyFor(null)).orElse(n.releaseAt());
                    if (attach) {
                        store.addAttachment(c, noticeId, pdf.filename(), DocumentPdf.CONTENT_TYPE, pdf.bytes(), now);
                    }
                    outbox.addNotice(c, noticeId, kind, due, now);
                    queued++;
                }
                for (String key : n.orderKeys()) {
                    store.link(c, noticeId, ids.get(key));
                    store.mark(c, ids.get(key), true, false);
                }
            }
        }
        return new Result(patientId, reachable, queued, folded, withdrawn, plan.held().size());
    }
}
