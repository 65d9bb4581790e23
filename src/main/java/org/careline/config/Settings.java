package org.careline.config;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;

import static org.careline.config.SettingsCatalog.*;

/**
 * Everything Careline reads from its environment, as declared in {@link SettingsCatalog} (which
 * docs/configuration.md's table is printed from); secrets (database password, WhatsApp token, webhook app secret
 * and verify token, portal and FHIR secrets) are only ever read here, never from mappings/.
 */
public final class Settings {

    public static final String DEFAULT_PORTAL_URL = "https://portal.example.org/results";
    /** WRITE_DELAY=0: each commit reaches the file before the ACK. DB_CLOSE_ON_EXIT=FALSE: on SIGTERM the database
     *  is closed by the engine after its last in-flight send is recorded, not by H2's own shutdown hook meanwhile. */
    public static final String DEFAULT_DB_URL = "jdbc:h2:file:./data/careline;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    public static final String DEFAULT_API_VERSION = "v23.0";
    /** CARELINE_MLLP_IDLE_TIMEOUT_MS: a sender's connection with no message for 10 minutes is closed. */
    public static final int DEFAULT_MLLP_IDLE_TIMEOUT_MS = 600_000;
    /** camel-mllp's own receiveTimeout: how long one wait for the start of a frame lasts before the idle check. */
    static final int MLLP_RECEIVE_TIMEOUT_MS = 15_000;
    public static final String SANDBOX_PHONE_NUMBER_ID = "100000000000000";
    /** Largest webhook body CARELINE_WEBHOOK_MAX_BYTES may allow: what webhook_delivery.body can hold. */
    public static final int WEBHOOK_MAX_BYTES_LIMIT = 10_485_760;

    private final SettingValues values;
    private final FhirSettings fhir;
    private final Map<String, String> env;

    private Settings(SettingValues values, Map<String, String> env) {
        this.values = values;
        this.env = java.util.Collections.unmodifiableMap(new java.util.HashMap<>(env));
        this.fhir = new FhirSettings(values.get(FHIR_BASE_URL), values.get(FHIR_TOKEN), values.get(FHIR_USERNAME),
                values.get(FHIR_PASSWORD), values.get(FHIR_TIMEOUT_MS), values.get(FHIR_NOTIFY_SECRET),
                values.get(FHIR_INTERVAL_MS), values.get(FHIR_CALLBACK_URL));
    }

    /** The database part, as the store opens it. */
    public org.careline.model.DatabaseSettings database() {
        return new org.careline.model.DatabaseSettings(dbUrl(), dbUser(), dbPassword());
    }

    public static Settings fromEnvironment() {
        return from(System.getenv());
    }

    /** Reads every setting of the catalog; the first wrong one (in catalog order) fails with its message. */
    public static Settings from(Map<String, String> env) {
        SettingValues values = SettingValues.read(env);
        if (!values.problems().isEmpty()) {
            throw new IllegalArgumentException(values.problems().get(0));
        }
        return new Settings(values, env);
    }

    /** Every setting's value and where it came from (for the config command and the route properties). */
    public SettingValues values() {
        return values;
    }

    /** The route properties copied verbatim from settings ({@link Setting#property()}). */
    public Map<String, String> routeProperties() {
        return values.routeProperties();
    }

    public int mllpPort() {
        return values.get(MLLP_PORT);
    }

    public int httpPort() {
        return values.get(HTTP_PORT);
    }

    public String dbUrl() {
        return values.get(DB_URL);
    }

    public String dbUser() {
        return values.get(DB_USER);
    }

    public String dbPassword() {
        return values.get(DB_PASSWORD);
    }

    public ZoneId zone() {
        return values.get(TIMEZONE);
    }

    public String phoneRegion() {
        return values.get(PHONE_REGION);
    }

    public String whatsappApiBase() {
        return values.get(WHATSAPP_API_BASE);
    }

    public String whatsappApiVersion() {
        return values.get(WHATSAPP_API_VERSION);
    }

    public String whatsappPhoneNumberId() {
        return values.get(WHATSAPP_PHONE_NUMBER_ID);
    }

    public String whatsappAccessToken() {
        return values.get(WHATSAPP_ACCESS_TOKEN);
    }

    public Path routesDir() {
        return values.get(ROUTES_DIR);
    }

    public Path mappingsDir() {
        return values.get(MAPPINGS_DIR);
    }

    public int sendRatePerSecond() {
        return values.get(SEND_RATE_PER_SECOND);
    }

    public long dispatchIntervalMillis() {
        return values.get(DISPATCH_INTERVAL_MS);
    }

    public int maxSendAttempts() {
        return values.get(MAX_SEND_ATTEMPTS);
    }

    public long retryBaseMillis() {
        return values.get(RETRY_BASE_MS);
    }

    public int sendTimeoutMillis() {
        return values.get(SEND_TIMEOUT_MS);
    }

    /** Host of CARELINE_SCHEDULING_MLLP, or null when write-back over MLLP is off. */
    public String schedulingHost() {
        HostPort address = values.get(SCHEDULING_MLLP);
        return address == null ? null : address.host();
    }

    /** Port of CARELINE_SCHEDULING_MLLP, or 0 when write-back over MLLP is off. */
    public int schedulingPort() {
        HostPort address = values.get(SCHEDULING_MLLP);
        return address == null ? 0 : address.port();
    }

    public long writebackIntervalMillis() {
        return values.get(WRITEBACK_INTERVAL_MS);
    }

    public int schedulingTimeoutMillis() {
        return values.get(SCHEDULING_TIMEOUT_MS);
    }

    public String whatsappVerifyToken() {
        return values.get(WHATSAPP_VERIFY_TOKEN);
    }

    public String whatsappAppSecret() {
        return values.get(WHATSAPP_APP_SECRET);
    }

    public int webhookMaxBytes() {
        return values.get(WEBHOOK_MAX_BYTES);
    }

    public long webhookIntervalMillis() {
        return values.get(WEBHOOK_INTERVAL_MS);
    }

    public String portalUrl() {
        return values.get(PORTAL_URL);
    }

    /**
     * The master key's base64 text, from CARELINE_MASTER_KEY or the file CARELINE_MASTER_KEY_FILE names (read now,
     * checked at start), or null when neither is set: encryption at rest is off.
     */
    public String masterKey() {
        String key = values.get(SettingsCatalog.MASTER_KEY);
        if (key != null) {
            return key;
        }
        java.nio.file.Path file = values.get(SettingsCatalog.MASTER_KEY_FILE);
        return file == null ? null : SettingsCatalog.readKeyFile("CARELINE_MASTER_KEY_FILE", file).strip();
    }

    public String portalLinkSecret() {
        return values.get(PORTAL_LINK_SECRET);
    }

    public FhirSettings fhir() {
        return fhir;
    }

    public int sendParallelism() {
        return values.get(SEND_PARALLELISM);
    }

    /** The second port that serves /metrics without a token, or null (off). */
    public Integer metricsPort() {
        return values.get(SettingsCatalog.METRICS_PORT);
    }

    public int metricsCacheMillis() {
        return values.get(SettingsCatalog.METRICS_CACHE_MS);
    }

    /** "text" or "json" (the logging configuration reads the variable itself, before any setting is read). */
    public String logFormat() {
        return values.get(SettingsCatalog.LOG_FORMAT);
    }

    public String bindAddress() {
        return values.get(BIND_ADDRESS);
    }

    public int mllpFirstFrameTimeoutMillis() {
        return values.get(MLLP_FIRST_FRAME_TIMEOUT_MS);
    }

    public int mllpMaxConnections() {
        return values.get(MLLP_MAX_CONNECTIONS);
    }

    public int mllpBacklog() {
        return values.get(MLLP_BACKLOG);
    }

    public AddressAllowlist mllpAllow() {
        return values.get(MLLP_ALLOW);
    }

    /** The PEM files of TLS (any of them may be unset) and where TLS is on. */
    public TlsSettings tls() {
        return new TlsSettings(values.get(TLS_CERT), values.get(TLS_KEY), values.get(TLS_CLIENT_CA),
                values.get(MLLP_TLS), values.get(HTTP_TLS), values.get(SCHEDULING_MLLP_TLS));
    }

    public int httpIdleTimeoutMillis() {
        return values.get(HTTP_IDLE_TIMEOUT_MS);
    }

    public int mllpIdleTimeoutMillis() {
        return values.get(MLLP_IDLE_TIMEOUT_MS);
    }

    public long retryMaxMillis() {
        return values.get(RETRY_MAX_MS);
    }

    public long sendLeaseMillis() {
        return values.get(SEND_LEASE_MS);
    }

    /**
     * How long one wait for the start of an MLLP frame lasts (camel-mllp's receiveTimeout). camel-mllp checks the
     * idle timeout only when such a wait ends, so it is never longer than the idle timeout: an idle connection is
     * closed between one and two idle timeouts after its last message, not a whole 15 s wait later.
     */
    public int mllpReceiveTimeoutMillis() {
        return mllpIdleTimeoutMillis() == 0 ? MLLP_RECEIVE_TIMEOUT_MS
                : Math.min(MLLP_RECEIVE_TIMEOUT_MS, mllpIdleTimeoutMillis());
    }

    /** Without CARELINE_SCHEDULING_MLLP nothing is sent to the scheduling system: write-back requests wait. */
    public boolean writebackEnabled() {
        return schedulingHost() != null;
    }

    /** Without a token Careline talks to its built-in Cloud API stand-in instead of Meta. */
    public boolean sandbox() {
        return whatsappAccessToken() == null;
    }

    /** Base URL the dispatcher posts to: Meta's, or the sandbox route on our own HTTP port. */
    public String effectiveApiBase() {
        return sandbox() ? "http://localhost:" + httpPort() + "/sandbox/graph" : whatsappApiBase();
    }

    public String effectiveAccessToken() {
        return sandbox() ? "sandbox" : whatsappAccessToken();
    }

    @Override
    public String toString() {
        // Never print secrets.
        return "Settings[mllpPort=" + mllpPort() + ", mllpIdleTimeoutMs=" + mllpIdleTimeoutMillis()
                + ", bindAddress=" + bindAddress() + ", mllpTls=" + tls().mllp() + ", httpTls=" + tls().http()
                + ", mutualTls=" + tls().mutual() + ", mllpAllow=" + mllpAllow()
                + ", httpPort=" + httpPort() + ", dbUrl=" + UrlCredentials.mask(dbUrl()) + ", zone=" + zone()
                + ", phoneRegion=" + phoneRegion() + ", sandbox=" + sandbox() + ", routesDir=" + routesDir()
                + ", mappingsDir=" + mappingsDir() + ", scheduling="
                + (writebackEnabled() ? schedulingHost() + ":" + schedulingPort() : "disabled")
                + ", webhookAppSecret=" + (whatsappAppSecret() == null ? "unset" : "set")
                + ", webhookVerifyToken=" + (whatsappVerifyToken() == null ? "unset" : "set")
                + ", portalUrl=" + portalUrl() + ", portalLinkSecret=" + (portalLinkSecret() == null ? "unset" : "set")
                + ", masterKey=" + (values.get(SettingsCatalog.MASTER_KEY) != null ? "set"
                : values.get(SettingsCatalog.MASTER_KEY_FILE) != null ? "file" : "unset")
                + ", fhir=" + fhir + "]";
    }

    /** The console's sign-in rules, read once. */
    public org.careline.model.AccessSettings access() {
        return new org.careline.model.AccessSettings(values.get(ADMIN_PASSWORD), values.get(LOGIN_MAX_FAILURES),
                java.time.Duration.ofMillis(values.get(LOGIN_LOCKOUT_MS)),
                java.time.Duration.ofMillis(values.get(SESSION_IDLE_MS)),
                java.time.Duration.ofMillis(values.get(SESSION_MAX_MS)));
    }

    /** Where alert e-mails go out; {@link SmtpSettings#enabled()} false while CARELINE_SMTP_HOST is unset. */
    public SmtpSettings smtp() {
        return new SmtpSettings(values.get(SMTP_HOST), values.get(SMTP_PORT), values.get(SMTP_USER),
                values.get(SMTP_PASSWORD), values.get(SMTP_FROM), values.get(SMTP_STARTTLS));
    }

    public long alertRetryBaseMillis() {
        return values.get(ALERT_RETRY_BASE_MS);
    }

    public long alertRetryMaxMillis() {
        return values.get(ALERT_RETRY_MAX_MS);
    }

    public java.time.Duration alertGiveUpAfter() {
        return values.get(ALERT_GIVE_UP_AFTER);
    }

    /** Careline's address as staff reach it, or null. */
    public String alertLinkBase() {
        return values.get(ALERT_LINK_BASE);
    }

    /** How long a silent HL7 sender is let be before its alert; zero: never. */
    public java.time.Duration feedSilentAfter() {
        return values.get(FEED_SILENT_AFTER);
    }

    public java.time.Duration schedulingUnreachableAfter() {
        return values.get(SCHEDULING_UNREACHABLE_AFTER);
    }

    /**
     * A variable a mapping file names (a notification channel's secretEnv), read from the same environment as the
     * settings; null when unset or empty.
     */
    public String environment(String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : v;
    }
}
