package org.careline.bench;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import org.careline.contact.MobileNumberPicker;
import org.careline.model.PhoneCandidate;
import org.careline.ingest.whatsapp.WebhookSignature;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The benchmark harness's pure parts: statistics, window counting, generated messages. No timing. */
class BenchHarnessPartsTest {

    private static final long MS = 1_000_000L;

    @Test
    void percentilesAreNearestRank() {
        long[] hundred = new long[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = (100 - i) * MS; // 100 ms .. 1 ms, unsorted on purpose
        }
        LatencyStats s = LatencyStats.ofNanos(hundred);
        assertThat(s.count()).isEqualTo(100);
        assertThat(s.p50Millis()).isEqualTo(50.0);
        assertThat(s.p99Millis()).isEqualTo(99.0);
        assertThat(s.maxMillis()).isEqualTo(100.0);

        LatencyStats one = LatencyStats.ofNanos(new long[]{7 * MS});
        assertThat(one.p50Millis()).isEqualTo(7.0);
        assertThat(one.p99Millis()).isEqualTo(7.0);
        assertThat(LatencyStats.ofNanos(new long[0])).isEqualTo(LatencyStats.NONE);
        // p99 of 1,000 samples is the 990th: a single slow outlier does not move it, ten do.
        long[] thousand = new long[1000];
        java.util.Arrays.fill(thousand, MS);
        thousand[0] = 500 * MS;
        assertThat(LatencyStats.ofNanos(thousand).p99Millis()).isEqualTo(1.0);
        for (int i = 0; i < 11; i++) {
            thousand[i] = 500 * MS;
        }
        assertThat(LatencyStats.ofNanos(thousand).p99Millis()).isEqualTo(500.0);
    }

    @Test
    void oneSecondWindowsCountTheBusiestSecondAnywhere() {
        long s = 1_000_000_000L;
        assertThat(SecondWindows.maxPerSecond(new long[0])).isZero();
        // 3 in [0, 1 s), 3 in [1 s, 2 s), but 4 within the window starting at 0.6 s.
        long[] t = {0, 300 * MS, 600 * MS, 700 * MS, 900 * MS, 1500 * MS, 1700 * MS};
        assertThat(SecondWindows.maxPerSecond(t)).isEqualTo(5);
        // Exactly one second apart: not in the same half-open window.
        assertThat(SecondWindows.maxPerSecond(new long[]{0, s, 2 * s})).isEqualTo(1);
        assertThat(SecondWindows.maxPerSecond(new long[]{2 * s - 1, 0, s - 1})).isEqualTo(2);
        // 1,000 evenly spaced over one second, then one more a millisecond later.
        long[] even = new long[1001];
        for (int i = 0; i < 1000; i++) {
            even[i] = i * MS;
        }
        even[1000] = 1000 * MS;
        assertThat(SecondWindows.maxPerSecond(even)).isEqualTo(1000);
    }

    @Test
    void generatedBookingsParseAndVary() throws Exception {
        ZoneId zone = ZoneId.of("Etc/GMT+5");
        LocalDate today = LocalDate.of(2026, 3, 2);
        SiuGenerator generator = new SiuGenerator("T1", zone, today, 42);
        HapiContext context = new DefaultHapiContext();
        context.setValidationContext(ValidationContextFactory.noValidation());
        PipeParser parser = context.getPipeParser();
        Set<String> versions = new HashSet<>();
        Set<String> appointments = new HashSet<>();
        Set<String> phones = new HashSet<>();
        Set<Boolean> withNote = new HashSet<>();
        Set<Boolean> withProvider = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            SiuGenerator.Generated g = generator.generate(i);
            Message m = parser.parse(g.text());
            Terser t = new Terser(m);
            assertThat(t.get("/MSH-9-1") + "^" + t.get("/MSH-9-2")).isEqualTo("SIU^S12");
            assertThat(t.get("/MSH-10")).isEqualTo(g.controlId());
            assertThat(t.get("/MSH-12")).isEqualTo(g.version());
            assertThat(t.get("/.SCH-2-1")).isEqualTo(g.appointmentId());
            versions.add(g.version());
            appointments.add(g.appointmentId());
            phones.add(g.phoneDigits());
            withNote.add(g.text().contains("\rNTE|"));
            withProvider.add(g.text().contains("\rAIP|"));

            String start = t.get("/.SCH-11-4");
            ZonedDateTime at = java.time.LocalDateTime.parse(start.substring(0, 12),
                    java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmm")).atZone(zone);
            assertThat(at.toLocalDate()).isAfterOrEqualTo(today.plusDays(3));
            assertThat(at.getHour()).isBetween(8, 16);
        }
        assertThat(versions).containsExactlyInAnyOrder("2.3", "2.4", "2.5.1");
        assertThat(appointments).hasSize(60);
        assertThat(phones).hasSize(60);
        assertThat(withNote).containsExactlyInAnyOrder(true, false);
        assertThat(withProvider).containsExactlyInAnyOrder(true, false);
        assertThat(generator.generate(7).text()).isEqualTo(generator.generate(7).text());
    }

    @Test
    void generatedPhonesAreValidUsMobilesTheEnginePicks() {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        MobileNumberPicker picker = new MobileNumberPicker("US");
        for (int i : new int[]{0, 1, 9_999, 10_000, 25_123, SiuGenerator.DISTINCT_PHONES - 1}) {
            String digits = SiuGenerator.phoneDigits(i);
            assertThat(digits).hasSize(11).startsWith("1");
            assertThat(util.isValidNumberForRegion(parse(util, "+" + digits), "US")).as(digits).isTrue();
            String area = digits.substring(1, 4);
            String local = digits.substring(4);
            // Both ways the generator writes PID-13: structured XTN components, and the number as text in XTN-1.
            assertThat(picker.pick(List.of(new PhoneCandidate(null, "PRN", "CP", null, "1", area, local, null)), null))
                    .contains("+" + digits);
            assertThat(picker.pick(List.of(new PhoneCandidate("(" + area + ")" + local.substring(0, 3) + "-"
                    + local.substring(3), "PRN", "CP", null, null, null, null, null)), null)).contains("+" + digits);
        }
        assertThat(SiuGenerator.phoneDigits(SiuGenerator.DISTINCT_PHONES)).isEqualTo(SiuGenerator.phoneDigits(0));
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < SiuGenerator.DISTINCT_PHONES; i += 997) {
            distinct.add(SiuGenerator.phoneDigits(i));
        }
        assertThat(distinct).hasSize((SiuGenerator.DISTINCT_PHONES + 996) / 997);
    }

    @Test
    void webhookBodiesAreSignedStatusPayloads() throws Exception {
        List<String[]> statuses = List.of(new String[]{"wamid.A", "sent", "16082710000"},
                new String[]{"wamid.A", "delivered", "16082710000"}, new String[]{"wamid.A", "read", "16082710000"});
        byte[] body = WebhookLoad.body(statuses, 1, 2, 1_700_000_000L, "100000000000001");
        JsonNode json = new ObjectMapper().readTree(body);
        JsonNode list = json.path("entry").path(0).path("changes").path(0).path("value").path("statuses");
        assertThat(list).hasSize(2);
        assertThat(list.path(0).path("status").asText()).isEqualTo("delivered");
        assertThat(list.path(1).path("status").asText()).isEqualTo("read");
        assertThat(list.path(1).has("pricing")).isFalse();
        assertThat(new WebhookSignature("s").matches(body, WebhookSignature.sign(body, "s"))).isTrue();
    }

    @Test
    void theSiteZoneIsAroundMiddayWhateverTheHour() {
        for (int h = 0; h < 24; h++) {
            ZonedDateTime utc = ZonedDateTime.of(2026, 3, 2, h, 30, 0, 0, ZoneId.of("UTC"));
            ZoneId zone = BenchCommand.middayZone(utc);
            assertThat(utc.withZoneSameInstant(zone).getHour()).as("UTC hour " + h).isBetween(10, 14);
        }
    }

    @Test
    void peakHeapIsTheLargestOccupancyOnEntryToAGc(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path log = dir.resolve("gc.log");
        Files.writeString(log, String.join("\n",
                "[0.012s] Using G1",
                "[1.234s] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->5M(256M) 3.100ms",
                "[2.345s] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 131M->40M(256M) 9.000ms",
                "[3.456s] GC(2) Pause Young (Normal) (G1 Evacuation Pause) 90M->41M(256M) 8.000ms"),
                StandardCharsets.UTF_8);
        assertThat(EngineUnderTest.peakHeapMiB(log)).isCloseTo(131.0, within(0.01));
        assertThat(EngineUnderTest.peakHeapMiB(dir.resolve("absent.log"))).isNaN();
    }

    private static com.google.i18n.phonenumbers.Phonenumber.PhoneNumber parse(PhoneNumberUtil util, String n) {
        try {
            return util.parse(n, "US");
        } catch (com.google.i18n.phonenumbers.NumberParseException e) {
            throw new AssertionError(n, e);
        }
    }
}
