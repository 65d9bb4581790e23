package org.careline.report;

/** How a report's files are named wherever they go (a download, an attachment, the CLI's folder). */
public final class ReportFiles {

    private ReportFiles() {
    }

    /** careline-gh-clinic-2026-11.pdf: the site's code is letters, digits, '-', '_' and '.' only. */
    public static String filename(String site, String month, String extension) {
        return "careline-" + site.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + month + "." + extension;
    }
}
