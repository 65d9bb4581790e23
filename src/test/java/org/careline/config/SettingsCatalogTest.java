package org.careline.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the catalog declares: each variable once, described, its secrets marked, its route properties named. */
class SettingsCatalogTest {

    @Test
    void everyVariableIsDeclaredOnceWithTypeDefaultAndMeaning() {
        assertThat(SettingsCatalog.ALL).extracting(Setting::name).doesNotHaveDuplicates();
        assertThat(SettingsCatalog.ALL).allSatisfy(s -> {
            assertThat(s.type()).as(s.name()).isNotBlank();
            assertThat(s.defaultText()).as(s.name()).isNotBlank();
            assertThat(s.description()).as(s.name()).isNotBlank();
        });
    }

    @Test
    void theSecretsAreMarked() {
        assertThat(SettingsCatalog.ALL).filteredOn(Setting::secret).extracting(Setting::name).containsExactlyInAnyOrder(
                "CARELINE_DB_PASSWORD", "WHATSAPP_ACCESS_TOKEN", "WHATSAPP_VERIFY_TOKEN", "WHATSAPP_APP_SECRET",
                "CARELINE_PORTAL_LINK_SECRET", "CARELINE_FHIR_TOKEN", "CARELINE_FHIR_PASSWORD",
                "CARELINE_FHIR_NOTIFY_SECRET", "CARELINE_SMTP_PASSWORD", "CARELINE_ADMIN_PASSWORD",
                "CARELINE_MASTER_KEY");
    }

    @Test
    void routePropertiesAreTheSettingsCopiedVerbatim() {
        Map<String, String> properties = Settings.from(Map.of("CARELINE_MLLP_PORT", "3575",
                "CARELINE_FHIR_INTERVAL_MS", "750")).routeProperties();
        assertThat(properties).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("careline.mllp.port", "3575"),
                Map.entry("careline.mllp.idle-timeout-ms", "600000"),
                Map.entry("careline.mllp.max-connections", "64"),
                Map.entry("careline.mllp.backlog", "200"),
                Map.entry("camel.server.port", "8080"),
                Map.entry("careline.dispatch.interval-ms", "250"),
                Map.entry("careline.whatsapp.timeout-ms", "20000"),
                Map.entry("camel.server.maxBodySize", "1048576"),
                Map.entry("careline.webhook.interval-ms", "200"),
                Map.entry("careline.writeback.interval-ms", "1000"),
                Map.entry("careline.scheduling.timeout-ms", "15000"),
                Map.entry("careline.fhir.interval-ms", "750"),
                Map.entry("careline.alerts.interval-ms", "5000"),
                Map.entry("careline.triage.interval-ms", "30000"),
                Map.entry("careline.keys.reseal-interval-ms", "3000"),
                Map.entry("careline.stats.interval-ms", "60000")));
    }
}
