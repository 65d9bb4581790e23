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
                "CARELINE_FHIR_NOTIFY_SECRET");
    }

    @Test
    void routePropertiesAreTheSettingsCopiedVerbatim() {
        Map<String, String> properties = Settings.from(Map.of("CARELINE_MLLP_PORT", "3575",
                "CARELINE_FHIR_INTERVAL_MS", "750")).routeProperties();
        assertThat(properties).containsExactlyInAnyOrderEntriesOf(Map.of(
                "careline.mllp.port", "3575",
                "careline.mllp.idle-timeout-ms", "600000",
                "camel.server.port", "8080",
                "careline.dispatch.interval-ms", "250",
                "careline.whatsapp.timeout-ms", "20000",
                "camel.server.maxBodySize", "1048576",
                "careline.webhook.interval-ms", "200",
                "careline.writeback.interval-ms", "1000",
                "careline.scheduling.timeout-ms", "15000",
                "careline.fhir.interval-ms", "750"));
    }
}
