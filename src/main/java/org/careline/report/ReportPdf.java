package org.careline.report;

import com.lowagie.text.Chunk;
import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.FontFactory;
import com.lowagie.text.Image;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.DefaultFontMapper;
import com.lowagie.text.pdf.PdfContentByte;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfTemplate;
import com.lowagie.text.pdf.PdfWriter;
import org.careline.model.KpiFigures;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;

/**
 * The report as a PDF (OpenPDF): page 1 the volumes, answers, no-shows and the estimate of slots saved; page 2 the
 * staff queues, opt-outs, emergencies, results notices and failures by cause; page 3 three charts — messages per
 * day, no-show rates side by side, failures by cause — drawn by JFreeChart onto OpenPDF's Graphics2D, so they are
 * vectors and their labels text. Only the base-14 fonts (Helvetica): nothing embedded, nothing fetched. A long list
 * of queues or failures flows onto more pages. Every number printed is the CSV's, rates shown as percentages.
 */
public final class ReportPdf {

    public static final String CONTENT_TYPE = "application/pdf";

    private static final Font TITLE = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 18);
    private static final Font HEADING = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 12);
    private static final Font TEXT = FontFactory.getFont(FontFactory.HELVETICA, 9);
    private static final Font HEAD_CELL = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 9);
    private static final Color HEAD_FILL = new Color(230, 236, 242);
    private static final float CHART_WIDTH = 515;
    private static final float CHART_HEIGHT = 215;

    private ReportPdf() {
    }

    public static byte[] write(KpiReport r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document doc = new Document(PageSize.A4, 40, 40, 40, 40);
        try {
            PdfWriter writer = PdfWriter.getInstance(doc, out);
            KpiReport.Header h = r.header();
            doc.addTitle("Careline monthly report " + h.site() + " " + h.month());
            doc.addCreator("Careline");
            doc.open();
            summary(doc, r);
            doc.newPage();
            staff(doc, r);
            doc.newPage();
            charts(doc, writer, r);
            doc.close();
        } catch (DocumentException e) {
            throw new IllegalStateException("the report's PDF could not be made", e);
        }
        return out.toByteArray();
    }

    private static void summary(Document doc, KpiReport r) throws DocumentException {
        KpiReport.Header h = r.header();
        KpiFigures f = r.source();
        doc.add(new Paragraph("Careline monthly report", TITLE));
        doc.add(new Paragraph(h.siteName() + " (" + h.site() + ") - "
                + h.month().getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + h.month().getYear()
                + " (" + h.month() + ")", HEADING));
        doc.add(new Paragraph("Days " + f.from() + " to " + f.to() + " in " + h.zone().getId() + ". Made "
                + h.madeAt() + ". Counts only: nothing in this report is about one patient.", TEXT));

        heading(doc, "Volumes and delivery");
        doc.add(new Paragraph("Appointments booked: " + value(r, "volumes", "appointments_booked"), TEXT));
        PdfPTable m = table(new float[]{3, 1.2f, 1.2f, 1.2f, 1.2f, 1.4f, 1.4f},
                "Messages", "Sent", "Delivered", "Read", "Failed", "Delivery rate", "Read rate");
        messageRow(m, r, "All", "messages");
        for (KpiFigures.KindCounts k : f.messages().byKind()) {
            messageRow(m, r, k.kind().toLowerCase(Locale.ROOT), "messages." + k.kind().toLowerCase(Locale.ROOT));
        }
        doc.add(m);

        heading(doc, "Patients' answers");
        PdfPTable a = table(new float[]{3, 1.5f}, "Answer", "Count");
        for (String name : List.of("confirm", "change", "cancel", "location", "help", "stop", "other", "total")) {
            row(a, name, value(r, "replies", name));
        }
        row(a, "confirmations sent", value(r, "replies", "confirmations_sent"));
        row(a, "confirmation rate (confirm / confirmations sent)", percent(r, "replies", "confirmation_rate"));
        row(a, "cancellation rate (cancel / confirmations sent)", percent(r, "replies", "cancellation_rate"));
        doc.add(a);

        heading(doc, "No-shows");
        PdfPTable n = table(new float[]{3, 1.4f, 1.4f, 1.4f}, "Patients", "Appointments", "No-shows", "No-show rate");
        for (String[] g : new String[][]{{"confirmed", "Confirmed on WhatsApp"},
                {"reached_not_confirmed", "Reached, not confirmed"}, {"reached", "Reached (both above)"},
                {"not_reached", "Not reached"}}) {
            row(n, g[1], value(r, "no_shows", g[0] + ".appointments"), value(r, "no_shows", g[0] + ".no_shows"),
                    percent(r, "no_shows", g[0] + ".rate"));
        }
        row(n, "Difference (not reached - reached)", "", "", percent(r, "no_shows", "difference"));
        doc.add(n);

        heading(doc, "Estimate of slots saved");
        PdfPTable s = table(new float[]{3, 1.5f}, "Estimate", "Value");
        row(s, "No-shows avoided", value(r, "savings", "no_shows_avoided"));
        row(s, "Cost per slot", value(r, "savings", "cost_per_slot") + " " + h.currency());
        row(s, "Estimated value", value(r, "savings", "estimated_value") + " " + h.currency());
        doc.add(s);
        doc.add(new Paragraph("No-shows avoided = (no-show rate of patients not reached - that of patients reached) x "
                + "appointments of patients reached, never below 0; value = that x the cost per slot "
                + "(mappings/reports.yaml). An estimate: it assumes reached patients would otherwise have missed as "
                + "often as those not reached.", TEXT));
    }

    private static void staff(Document doc, KpiReport r) throws DocumentException {
        KpiFigures f = r.source();
        heading(doc, "Staff queues");
        PdfPTable q = table(new float[]{2.2f, 1, 1.2f, 1.6f, 1.6f, 1, 1.2f}, "Queue", "Items", "Answered",
                "Median first answer", "90th percentile", "SLA kept", "SLA kept rate");
        for (KpiFigures.QueueFigures x : f.queues()) {
            row(q, x.queue(), Long.toString(x.items()), Long.toString(x.answered()), duration(x.medianFirstAnswer()),
                    duration(x.p90FirstAnswer()), Long.toString(x.slaKept()),
                    percent(r, "queue." + x.queue(), "sla_kept_rate"));
        }
        if (f.queues().isEmpty()) {
            row(q, "(no queue items)", "", "", "", "", "", "");
        }
        doc.add(q);

        heading(doc, "Patients and results");
        PdfPTable p = table(new float[]{3, 1.5f}, "Figure", "Value");
        row(p, "Opt-outs (STOP)", value(r, "patients", "opt_outs"));
        row(p, "Emergencies", value(r, "patients", "emergencies"));
        row(p, "Results and document notices sent", value(r, "results", "notices_sent"));
        row(p, "Portal links opened", value(r, "results", "links_opened"));
        row(p, "Links opened rate", percent(r, "results", "links_opened_rate"));
        doc.add(p);

        heading(doc, "Failures by cause");
        PdfPTable c = table(new float[]{1.2f, 4, 1}, "Code", "Reason", "Sends");
        for (KpiFigures.FailureCause x : f.failures()) {
            row(c, x.code() == null ? "unknown" : String.valueOf(x.code()), x.reason() == null ? "" : x.reason(),
                    Long.toString(x.count()));
        }
        if (f.failures().isEmpty()) {
            row(c, "", "(no failed sends)", "");
        }
        doc.add(c);
    }

    private static void charts(Document doc, PdfWriter writer, KpiReport r) throws DocumentException {
        KpiFigures f = r.source();
        heading(doc, "Charts");
        DefaultCategoryDataset daily = new DefaultCategoryDataset();
        for (KpiFigures.DayFigures d : f.daily()) {
            String day = String.format(Locale.ROOT, "%02d", d.day().getDayOfMonth());
            daily.addValue(d.messages().sent(), "sent", day);
            daily.addValue(d.messages().delivered(), "delivered", day);
            daily.addValue(d.messages().read(), "read", day);
        }
        JFreeChart volume = ChartFactory.createLineChart("Messages per day", "Day of " + r.header().month(),
                "Messages", daily, PlotOrientation.VERTICAL, true, false, false);
        CategoryAxis days = ((CategoryPlot) volume.getPlot()).getDomainAxis();
        days.setCategoryLabelPositions(CategoryLabelPositions.UP_90);
        draw(doc, writer, volume);

        DefaultCategoryDataset noShows = new DefaultCategoryDataset();
        KpiFigures.NoShowSplit n = f.noShows();
        noShows.addValue(n.confirmed().rate() * 100, "no-show rate %", "Confirmed");
        noShows.addValue(n.reachedNotConfirmed().rate() * 100, "no-show rate %", "Reached, not confirmed");
        noShows.addValue(n.notReached().rate() * 100, "no-show rate %", "Not reached");
        draw(doc, writer, ChartFactory.createBarChart("No-show rate by whether the patient was reached", null,
                "No-show rate (%)", noShows, PlotOrientation.VERTICAL, false, false, false));

        DefaultCategoryDataset failures = new DefaultCategoryDataset();
        for (KpiFigures.FailureCause x : f.failures()) {
            failures.addValue(x.count(), "failed sends", x.code() == null ? "unknown" : String.valueOf(x.code()));
        }
        draw(doc, writer, ChartFactory.createBarChart("Failed sends by Cloud API error code", "Error code",
                "Sends", failures, PlotOrientation.VERTICAL, false, false, false));
    }

    /** Draws the chart onto a PDF template (vectors, base-14 fonts) and places it as an image of the page. */
    private static void draw(Document doc, PdfWriter writer, JFreeChart chart) throws DocumentException {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getPlot().setBackgroundPaint(Color.WHITE);
        if (chart.getPlot() instanceof CategoryPlot p) {
            p.setRangeGridlinePaint(Color.LIGHT_GRAY);
        }
        chart.getTitle().setFont(new java.awt.Font("SansSerif", java.awt.Font.BOLD, 11));
        PdfContentByte content = writer.getDirectContent();
        PdfTemplate template = content.createTemplate(CHART_WIDTH, CHART_HEIGHT);
        Graphics2D g = template.createGraphics(CHART_WIDTH, CHART_HEIGHT, new DefaultFontMapper());
        try {
            chart.draw(g, new Rectangle2D.Double(0, 0, CHART_WIDTH, CHART_HEIGHT));
        } finally {
            g.dispose();
        }
        Image image = Image.getInstance(template);
        image.setAlignment(Element.ALIGN_CENTER);
        image.setSpacingBefore(6);
        doc.add(image);
    }

    private static void heading(Document doc, String text) throws DocumentException {
        Paragraph p = new Paragraph(text, HEADING);
        p.setSpacingBefore(10);
        p.setSpacingAfter(4);
        doc.add(p);
    }

    private static PdfPTable table(float[] widths, String... heads) {
        PdfPTable t = new PdfPTable(widths);
        t.setWidthPercentage(100);
        t.setHeaderRows(1);
        for (String head : heads) {
            PdfPCell c = new PdfPCell(new Phrase(head, HEAD_CELL));
            c.setBackgroundColor(HEAD_FILL);
            t.addCell(c);
        }
        return t;
    }

    private static void row(PdfPTable t, String... cells) {
        for (int i = 0; i < cells.length; i++) {
            PdfPCell c = new PdfPCell(new Phrase(new Chunk(cells[i] == null ? "" : cells[i], TEXT)));
            if (i > 0) {
                c.setHorizontalAlignment(Element.ALIGN_RIGHT);
            }
            t.addCell(c);
        }
    }

    private static void messageRow(PdfPTable t, KpiReport r, String label, String section) {
        row(t, label, value(r, section, "sent"), value(r, section, "delivered"), value(r, section, "read"),
                value(r, section, "failed"), percent(r, section, "delivery_rate"), percent(r, section, "read_rate"));
    }

    private static String value(KpiReport r, String section, String figure) {
        return r.find(section, figure).map(KpiReport.Figure::value).orElse("");
    }

    /** A ratio of the CSV (4 places) as the percentage it is: 0.8125 → "81.25 %". */
    static String percent(KpiReport r, String section, String figure) {
        String v = value(r, section, figure);
        return v.isEmpty() ? "" : new BigDecimal(v).movePointRight(2).setScale(2, RoundingMode.UNNECESSARY)
                .toPlainString() + " %";
    }

    /** "1h 02m 05s", "4m 30s", "12s"; "" for none. */
    static String duration(Duration d) {
        if (d == null) {
            return "";
        }
        long s = Math.round(d.toMillis() / 1000.0);
        long h = s / 3600;
        long m = s % 3600 / 60;
        long sec = s % 60;
        if (h > 0) {
            return String.format(Locale.ROOT, "%dh %02dm %02ds", h, m, sec);
        }
        return m > 0 ? String.format(Locale.ROOT, "%dm %02ds", m, sec) : sec + "s";
    }
}
