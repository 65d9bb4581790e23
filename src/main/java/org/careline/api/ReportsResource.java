package org.careline.api;

import org.careline.model.ReportTrigger;
import org.careline.model.Role;
import org.careline.report.ReportCsv;
import org.careline.report.ReportFiles;
import org.careline.report.ReportMaker;
import org.careline.report.ReportPdf;
import org.careline.report.ReportWiring;
import org.careline.store.KpiReports;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The monthly KPI reports (docs/reports.md): make one for a site and a month that has ended, list those kept, and
 * download one as CSV or PDF. Admins and staff; staff only for their sites (403 for another site's). Each call is in
 * the audit trail.
 */
final class ReportsResource {

    private static final Set<Role> MANAGERS = Set.of(Role.STAFF, Role.ADMIN);
    private static final int LIMIT = 200;

    private final ReportWiring.Reports reports;
    private final ApiAudit audit;

    /** POST /reports. */
    record NewReport(String site, String month) {
    }

    ReportsResource(ReportWiring.Reports reports, ApiAudit audit) {
        this.reports = reports;
        this.audit = audit;
    }

    List<Endpoint> endpoints() {
        return List.of(
                new Endpoint("POST", "/reports", MANAGERS, "make (or make again) a site's monthly KPI report for a "
                        + "month that has ended: {\"site\",\"month\":\"2026-11\"} → 201 with the report's id", this::make),
                new Endpoint("GET", "/reports", MANAGERS, "the kept monthly reports of the caller's sites, newest "
                        + "first (?site=)", this::list),
                new Endpoint("GET", "/reports/{id}/csv", MANAGERS, "a kept report as CSV (section,figure,value,unit)",
                        call -> download(call, KpiReports.Format.CSV)),
                new Endpoint("GET", "/reports/{id}/pdf", MANAGERS, "a kept report as PDF, with its charts",
                        call -> download(call, KpiReports.Format.PDF)));
    }

    private ApiAnswer make(ApiCall call) {
        NewReport body = Bodies.read(call, NewReport.class, "{\"site\":\"…\",\"month\":\"YYYY-MM\"}");
        if (body.site() == null || body.site().isBlank()) {
            return ApiAnswer.error(400, "site is required");
        }
        if (!call.caller().user().maySee(body.site())) {
            audit.record(call, "report_make", null, "site:" + body.site(), body.site(), "denied",
                    "outside the caller's sites");
            return ApiAnswer.error(403, "not one of your sites");
        }
        ReportMaker.Outcome o = reports.maker().make(body.site(), body.month(), ReportTrigger.ON_DEMAND,
                call.caller().name());
        if (o instanceof ReportMaker.Made m) {
            audit.record(call, "report_make", null, "kpi_report:" + m.report().id(), body.site(), "ok",
                    "month=" + m.report().month());
            return ApiAnswer.created(json(m.report()));
        }
        audit.record(call, "report_make", null, "site:" + body.site(), body.site(), "refused",
                o.getClass().getSimpleName());
        if (o instanceof ReportMaker.UnknownSite) {
            return ApiAnswer.error(400, "no such site: " + body.site());
        }
        return ApiAnswer.error(400, ((ReportMaker.BadMonth) o).reason());
    }

    private ApiAnswer list(ApiCall call) {
        String site = call.queryValue("site");
        Set<String> sites = call.caller().sites();
        if (site != null) {
            if (!call.caller().user().maySee(site)) {
                return ApiAnswer.error(403, "not one of your sites");
            }
            sites = Set.of(site);
        }
        Set<String> visible = sites;
        List<Map<String, Object>> out = reports.db().inTransaction(c -> reports.store().list(c, visible, LIMIT))
                .stream().map(ReportsResource::json).toList();
        return ApiAnswer.ok(Map.of("reports", out));
    }

    private ApiAnswer download(ApiCall call, KpiReports.Format format) {
        long id = call.pathId("id");
        KpiReports.Summary r = reports.db().inTransaction(c -> reports.store().find(c, id))
                .orElseThrow(() -> new ApiAnswer.Problem(404, "no such report"));
        String action = "report_download_" + format.name().toLowerCase(java.util.Locale.ROOT);
        if (!call.caller().user().maySee(r.site())) {
            audit.record(call, action, null, "kpi_report:" + id, r.site(), "denied", "outside the caller's sites");
            return ApiAnswer.error(403, "not one of your sites");
        }
        byte[] bytes = reports.db().inTransaction(c -> reports.store().file(c, id, format))
                .orElseThrow(() -> new ApiAnswer.Problem(404, "no such report"));
        audit.record(call, action, null, "kpi_report:" + id, r.site(), "ok", null);
        return format == KpiReports.Format.CSV
                ? ApiAnswer.file(bytes, ReportCsv.CONTENT_TYPE, ReportFiles.filename(r.site(), r.month(), "csv"))
                : ApiAnswer.file(bytes, ReportPdf.CONTENT_TYPE, ReportFiles.filename(r.site(), r.month(), "pdf"));
    }

    static Map<String, Object> json(KpiReports.Summary r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("site", r.site());
        m.put("month", r.month());
        m.put("createdAt", r.createdAt());
        m.put("trigger", r.trigger().dbValue());
        m.put("requestedBy", r.requestedBy());
        return m;
    }
}
