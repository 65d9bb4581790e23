package org.careline.store;

import org.careline.config.Settings;
import org.careline.model.ReportTrigger;
import org.careline.support.Postgres;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kpi_report and its e-mails on H2 and PostgreSQL: the files come back byte for byte (BYTEA on both), one report per
 * site and month (made again: same id, files replaced), lists newest first per site, and an e-mail queued once per
 * channel and claimed once.
 */
class KpiReportsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private static Map<String, String> env(String database) throws Exception {
        return database.equals("H2")
                ? Map.of("CARELINE_DB_URL", "jdbc:h2:file:" + Files.createTempDirectory("careline-kpi")
                        .resolve("db") + ";WRITE_DELAY=0")
                : Postgres.freshDatabaseEnv();
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void reportsAreKeptOncePerSiteAndMonthWithTheirFilesIntact(String database) throws Exception {
        byte[] pdf = new byte[300_000];
        new Random(7).nextBytes(pdf); // every byte value, zeros included
        byte[] csv = "section,figure,value,unit\r\nreport,site,gh-clinic,\r\n".getBytes();
        KpiReports store = new KpiReports();
        try (Database db = Database.open(Settings.from(env(database)).database())) {
            long id = db.inTransaction(c -> store.save(c, "gh-clinic", "2026-11", ReportTrigger.MONTHLY, "system",
                    csv, pdf, NOW));
            long other = db.inTransaction(c -> store.save(c, "royal-london", "2026-11", ReportTrigger.MONTHLY,
                    "system", csv, pdf, NOW.plusSeconds(1)));
            assertThat(file(db, store, id, KpiReports.Format.PDF)).isEqualTo(pdf);
            assertThat(file(db, store, id, KpiReports.Format.CSV)).isEqualTo(csv);

            byte[] newer = new byte[]{'%', 'P', 'D', 'F', 0, -1};
            long again = db.inTransaction(c -> store.save(c, "gh-clinic", "2026-11", ReportTrigger.ON_DEMAND, "nurse",
                    csv, newer, NOW.plusSeconds(60)));
            assertThat(again).isEqualTo(id);
            assertThat(file(db, store, id, KpiReports.Format.PDF)).isEqualTo(newer);
            KpiReports.Summary s = db.inTransaction(c -> store.find(c, id)).orElseThrow();
            assertThat(s.trigger()).isEqualTo(ReportTrigger.ON_DEMAND);
            assertThat(s.requestedBy()).isEqualTo("nurse");
            assertThat(s.createdAt()).isEqualTo(NOW.plusSeconds(60));

            List<KpiReports.Summary> all = db.inTransaction(c -> store.list(c, null, 10));
            List<KpiReports.Summary> london = db.inTransaction(c -> store.list(c, Set.of("royal-london"), 10));
            List<KpiReports.Summary> none = db.inTransaction(c -> store.list(c, Set.of(), 10));
            assertThat(all.stream().map(KpiReports.Summary::id).toList()).containsExactly(id, other);
            assertThat(london.stream().map(KpiReports.Summary::id).toList()).containsExactly(other);
            assertThat(none).isEmpty();

            boolean queued = db.inTransaction(c -> store.queueDelivery(c, id, "managers", NOW));
            boolean queuedAgain = db.inTransaction(c -> store.queueDelivery(c, id, "managers", NOW));
            assertThat(queued).isTrue();
            assertThat(queuedAgain).isFalse();
            List<Long> first = store.claimDue(db.dataSource(), "a", NOW, Duration.ofMinutes(5), 10);
            List<Long> second = store.claimDue(db.dataSource(), "b", NOW, Duration.ofMinutes(5), 10);
            assertThat(first).hasSize(1);
            assertThat(second).isEmpty();
            KpiReports.Due due = db.inTransaction(c -> store.load(c, first.get(0)));
            assertThat(due.reportId()).isEqualTo(id);
            assertThat(due.site()).isEqualTo("gh-clinic");
            assertThat(due.month()).isEqualTo("2026-11");
            db.inTransaction(c -> {
                store.sent(c, due.id(), 1, NOW);
                return null;
            });
            Map<String, String> deliveries = db.inTransaction(c -> store.deliveries(c, id));
            assertThat(deliveries).containsExactly(Map.entry("managers", "SENT"));
        }
    }

    private static byte[] file(Database db, KpiReports store, long id, KpiReports.Format format) {
        return db.inTransaction(c -> store.file(c, id, format)).orElseThrow();
    }
}
