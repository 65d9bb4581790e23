package org.careline.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The environment variables Careline reads, their defaults, and the messages for values that cannot work. */
class SettingsTest {

    @Test
    void defaultsWhenNothingIsSet() {
        Settings s = Settings.from(Map.of());
        assertThat(s.mllpPort()).isEqualTo(2575);
        assertThat(s.httpPort()).isEqualTo(8080);
        assertThat(s.dbUrl()).isEqualTo("jdbc:h2:file:./data/careline;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE").isEqualTo(Settings.DEFAULT_DB_URL);
        assertThat(s.dbUser()).isEqualTo("careline");
        assertThat(s.dbPassword()).isEmpty();
        assertThat(s.zone()).isEqualTo(ZoneId.systemDefault());
        assertThat(s.phoneRegion()).isEqualTo("US");
        assertThat(s.whatsappApiBase()).isEqualTo("https://graph.facebook.com");
        assertThat(s.whatsappApiVersion()).isEqualTo("v23.0");
        assertThat(s.whatsappPhoneNumberId()).isEqualTo(Settings.SANDBOX_PHONE_NUMBER_ID);
        assertThat(s.whatsappAccessToken()).isNull();
        assertThat(s.routesDir()).isEqualTo(Path.of("routes"));
        assertThat(s.mappingsDir()).isEqualTo(Path.of("mappings"));
        assertThat(s.sendRatePerSecond()).isEqualTo(80);
        assertThat(s.dispatchIntervalMillis()).isEqualTo(250);
        assertThat(s.maxSendAttempts()).isEqualTo(8);
        assertThat(s.retryBaseMillis()).isEqualTo(30000);
    }

    @Test
    void withoutATokenCarelineTalksToItsOwnSandbox() {
        Settings s = Settings.from(Map.of("CARELINE_HTTP_PORT", "9090", "WHATSAPP_API_BASE", "https://example.test"));
        assertThat(s.sandbox()).isTrue();
        assertThat(s.effectiveApiBase()).isEqualTo("http://localhost:9090/sandbox/graph");
        assertThat(s.effectiveAccessToken()).isEqualTo("sandbox");
    }

    @Test
    void withATokenCarelineTalksToTheConfiguredApi() {
        Settings s = Settings.from(Map.of("WHATSAPP_ACCESS_TOKEN", "EAAG-token", "WHATSAPP_API_BASE", "https://example.test/"));
        assertThat(s.sandbox()).isFalse();
        assertThat(s.effectiveApiBase()).isEqualTo("https://example.test");
        assertThat(s.effectiveAccessToken()).isEqualTo("EAAG-token");
    }

    @Test
    void valuesAreReadTrimmedAndBlankMeansUnset() {
        Map<String, String> env = new HashMap<>();
        env.put("CARELINE_MLLP_PORT", " 3575 ");
        env.put("CARELINE_HTTP_PORT", "   ");
        env.put("CARELINE_TIMEZONE", "Europe/London");
        env.put("CARELINE_PHONE_REGION", "gb");
        env.put("WHATSAPP_ACCESS_TOKEN", "");
        Settings s = Settings.from(env);
        assertThat(s.mllpPort()).isEqualTo(3575);
        assertThat(s.httpPort()).isEqualTo(8080);
        assertThat(s.zone()).isEqualTo(ZoneId.of("Europe/London"));
        assertThat(s.phoneRegion()).isEqualTo("GB");
        assertThat(s.sandbox()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"CARELINE_MLLP_PORT", "CARELINE_HTTP_PORT", "CARELINE_SEND_RATE_PER_SECOND",
            "CARELINE_DISPATCH_INTERVAL_MS", "CARELINE_MAX_SEND_ATTEMPTS", "CARELINE_RETRY_BASE_MS",
            "CARELINE_SEND_TIMEOUT_MS", "CARELINE_WEBHOOK_MAX_BYTES", "CARELINE_WEBHOOK_INTERVAL_MS",
            "CARELINE_RETRY_MAX_MS"})
    void aNumberThatIsNotANumberIsNamed(String variable) {
        assertThatThrownBy(() -> Settings.from(Map.of(variable, "25x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(variable + " must be a whole number, got '25x'");
    }

    @Test
    void aPortWithADecimalPointIsRefused() {
        assertThatThrownBy(() -> Settings.from(Map.of("CARELINE_HTTP_PORT", "8080.0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CARELINE_HTTP_PORT must be a whole number, got '8080.0'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "65536", "70000"})
    void aPortOutOfRangeIsNamed(String port) {
        // Without this check Camel fails deep inside its startup, with a stack trace and exit code 1.
        assertThatThrownBy(() -> Settings.from(Map.of("CARELINE_MLLP_PORT", port)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CARELINE_MLLP_PORT must be a port number from 1 to 65535, got '" + port + "'");
    }

    @Test
    void portsAtTheEdgesOfTheRangeAreAccepted() {
        Settings s = Settings.from(Map.of("CARELINE_MLLP_PORT", "1", "CARELINE_HTTP_PORT", "65535"));
        assertThat(s.mllpPort()).isEqualTo(1);
        assertThat(s.httpPort()).isEqualTo(65535);
    }

    @Test
    void anUnknownPhoneRegionIsNamed() {
        assertThatThrownBy(() -> Settings.from(Map.of("CARELINE_PHONE_REGION", "XX")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CARELINE_PHONE_REGION must be an ISO 3166 region such as US or GB, got 'XX'");
        assertThat(Settings.from(Map.of("CARELINE_PHONE_REGION", "gb")).phoneRegion()).isEqualTo("GB");
    }

    @Test
    void anUnknownTimeZoneIsNamed() {
        assertThatThrownBy(() -> Settings.from(Map.of("CARELINE_TIMEZONE", "Mars/Base")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CARELINE_TIMEZONE is not a known time zone: 'Mars/Base'");
    }

    @Test
    void secretsNeverAppearInToString() {
        Settings s = Settings.from(Map.of("WHATSAPP_ACCESS_TOKEN", "EAAG-secret-token", "CARELINE_DB_PASSWORD", "db-secret",
                "WHATSAPP_APP_SECRET", "app-secret-value", "WHATSAPP_VERIFY_TOKEN", "verify-token-value"));
        assertThat(s.toString()).doesNotContain("EAAG-secret-token").doesNotContain("db-secret")
                .doesNotContain("app-secret-value").doesNotContain("verify-token-value")
                .contains("webhookAppSecret=set");
    }

    @Test
    void webhookSettingsHaveNoSecretsByDefaultAndAOneMebibyteLimit() {
        Settings s = Settings.from(Map.of());
        assertThat(s.whatsappVerifyToken()).isNull();
        assertThat(s.whatsappAppSecret()).isNull();
        assertThat(s.webhookMaxBytes()).isEqualTo(1_048_576);
        assertThat(s.webhookIntervalMillis()).isEqualTo(200);
        assertThat(s.toString()).contains("webhookAppSecret=unset");

        Settings set = Settings.from(Map.of("WHATSAPP_VERIFY_TOKEN", " token ", "WHATSAPP_APP_SECRET", "secret",
                "CARELINE_WEBHOOK_MAX_BYTES", "2048", "CARELINE_WEBHOOK_INTERVAL_MS", "1000"));
        assertThat(set.whatsappVerifyToken()).isEqualTo("token");
        assertThat(set.whatsappAppSecret()).isEqualTo("secret");
        assertThat(set.webhookMaxBytes()).isEqualTo(2048);
        assertThat(set.webhookIntervalMillis()).isEqualTo(1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1023", "10485761"})
    void aWebhookLimitOutOfRangeIsNamed(String bytes) {
        assertThatThrownBy(() -> Settings.from(Map.of("CARELINE_WEBHOOK_MAX_BYTES", bytes)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CARELINE_WEBHOOK_MAX_BYTES must be from 1024 to 10485760, got '" + bytes + "'");
        assertThatThrownBy(() -> Settings.from(Map.of("CARELINE_WEBHOOK_INTERVAL_MS", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CARELINE_WEBHOOK_INTERVAL_MS must be at least 1, got '0'");
    }

    @Test
    void theMllpIdleTimeoutBoundsTheWaitForAFrame() {
        Settings byDefault = Settings.from(Map.of());
        assertThat(byDefault.mllpIdleTimeoutMillis()).isEqualTo(600_000);
        assertThat(byDefault.mllpReceiveTimeoutMillis()).isEqualTo(15_000);
        Settings short_ = Settings.from(Map.of("CARELINE_MLLP_IDLE_TIMEOUT_MS", "4000"));
        assertThat(short_.mllpIdleTimeoutMillis()).isEqualTo(4000);
        assertThat(short_.mllpReceiveTimeoutMillis()).isEqualTo(4000);
        Settings never = Settings.from(Map.of("CARELINE_MLLP_IDLE_TIMEOUT_MS", "0"));
        assertThat(never.mllpIdleTimeoutMillis()).isZero();
        assertThat(never.mllpReceiveTimeoutMillis()).isEqualTo(15_000);
        assertThatThrownBy(() -> Settings.from(Map.of("CARELINE_MLLP_IDLE_TIMEOUT_MS", "-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CARELINE_MLLP_IDLE_TIMEOUT_MS must be a number of milliseconds from 0 (never) to 86400000, "
                        + "got '-1'");
    }

    @Test
    void theSendLeaseDefaultsToFiveMinutesAndMustOutlastASend() {
        assertThat(Settings.from(Map.of()).sendLeaseMillis()).isEqualTo(300_000);
        assertThat(Settings.from(Map.of("CARELINE_SEND_LEASE_MS", "5000", "CARELINE_SEND_TIMEOUT_MS", "2000"))
                .sendLeaseMillis()).isEqualTo(5000);
        assertThatThrownBy(() -> Settings.from(Map.of("CARELINE_SEND_LEASE_MS", "20000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CARELINE_SEND_LEASE_MS must be a number of milliseconds above CARELINE_SEND_TIMEOUT_MS "
                        + "(20000) and at most 3600000, got '20000'");
    }
}
