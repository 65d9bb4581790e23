package org.careline.report;

import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The PDF read back with OpenPDF's own parser: its pages, and the site, month and key numbers as text. */
class ReportPdfTest {

    @Test
    void thePdfNamesTheSiteAndMonthAndPrintsTheKeyNumbersOnThreePages() throws Exception {
        byte[] pdf = ReportPdf.write(KpiReportTest.report());
        Files.createDirectories(Path.of("target/reports"));
        Files.write(Path.of("target/reports/careline-gh-clinic-2026-11.pdf"), pdf);

        assertThat(new String(pdf, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        PdfReader reader = new PdfReader(pdf);
        try {
            assertThat(reader.getNumberOfPages()).isEqualTo(3);
            PdfTextExtractor text = new PdfTextExtractor(reader);
            String first = text.getTextFromPage(1);
            assertThat(first).contains("Careline monthly report").contains("GH Clinic, Ann Arbor (gh-clinic)")
                    .contains("November 2026").contains("2026-11").contains("America/Detroit");
            // messages: sent, delivered, read, failed, rates; the no-show split and the estimate
            assertThat(first).contains("960").contains("931").contains("702").contains("96.98 %").contains("73.13 %");
            assertThat(first).contains("2.50 %").contains("10.00 %").contains("4.38 %").contains("20.00 %")
                    .contains("15.63 %");
            assertThat(first).contains("62.50 %").contains("4.50 %");
            assertThat(first).contains("50.00").contains("160.00 USD").contains("8000.00 USD");
            String second = text.getTextFromPage(2);
            assertThat(second).contains("front-desk").contains("12m 34s").contains("47m 30s").contains("87.50 %")
                    .contains("131026").contains("Message undeliverable").contains("Opt-outs");
            String third = text.getTextFromPage(3);
            assertThat(third).contains("Messages per day").contains("No-show rate by whether the patient was reached")
                    .contains("Failed sends by Cloud API error code");
            // Base-14 fonts only: nothing embedded.
            assertThat(new String(pdf, StandardCharsets.ISO_8859_1)).contains("/Helvetica")
                    .doesNotContain("/FontFile");
        } finally {
            reader.close();
        }
    }

    @Test
    void aMonthWithNothingInItStillMakesAWholeReport() throws Exception {
        KpiReport empty = KpiReport.of(new KpiReport.Header("main", "Careline Demo Clinic", Figures.MONTH,
                java.time.ZoneId.of("UTC"), KpiReportTest.MADE, "USD"), EmptyFigures.of("main", Figures.MONTH),
                KpiReportTest.COST);
        byte[] pdf = ReportPdf.write(empty);
        PdfReader reader = new PdfReader(pdf);
        try {
            assertThat(reader.getNumberOfPages()).isEqualTo(3);
            assertThat(new PdfTextExtractor(reader).getTextFromPage(2)).contains("(no failed sends)")
                    .contains("(no queue items)");
        } finally {
            reader.close();
        }
    }
}
