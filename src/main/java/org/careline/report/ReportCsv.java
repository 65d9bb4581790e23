package org.careline.report;

import java.nio.charset.StandardCharsets;

/**
 * The report as CSV (RFC 4180): a header line {@code section,figure,value,unit}, then one line per figure, CRLF
 * line ends, a field quoted when it holds a comma, a quote or a line break (quotes doubled). UTF-8 without a byte
 * order mark. The first rows (section {@code report}) name the site, the month, the time zone and when it was made.
 */
public final class ReportCsv {

    public static final String CONTENT_TYPE = "text/csv; charset=utf-8";
    public static final String HEADER = "section,figure,value,unit";

    private ReportCsv() {
    }

    public static byte[] write(KpiReport report) {
        StringBuilder b = new StringBuilder(HEADER).append("\r\n");
        for (KpiReport.Figure f : report.figures()) {
            b.append(field(f.section())).append(',').append(field(f.figure())).append(',')
                    .append(field(f.value())).append(',').append(field(f.unit())).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One field, quoted only when it must be. */
    static String field(String value) {
        String v = value == null ? "" : value;
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\r') < 0 && v.indexOf('\n') < 0) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }
}
