package org.careline.config;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything Careline reads from its environment. Each variable is documented in README.md with its default;
 * secrets (database password, WhatsApp token, webhook app secret and verify token) are only ever read here, never
 * from mappings/.
 */
public record Settings(
        int mllpPort,
        int httpPort,
        String dbUrl,
        String dbUser,
        String dbPassword,
        ZoneId zone,
        String phoneRegion,
        String whatsappApiBase,
        String whatsappApiVersion,
        String whatsappPhoneNumberId,
        String whatsappAccessToken,
        Path routesDir,
        Path mappingsDir,
        int sendRatePerSecond,
        long dispatchIntervalMillis,
        int maxSendAttempts,
        long retryBaseMillis,
        int sendTimeoutMillis,
        String schedulingHost,
        int schedulingPort,
        long writebackIntervalMillis,
        int schedulingTimeoutMillis,
        String whatsappVerifyToken,
        String whatsappAppSecret,
        int webhookMaxBytes,
        long webhookIntervalMillis,
        String portalUrl,
        String portalLinkSecret,
        FhirSettings fhir,
        int sendParallelism,
        int mllpIdleTimeoutMillis,
        long retryMaxMillis,
        long sendLeaseMillis) {

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

    /** host:port of the scheduling system's MLLP listener (a host name or IPv4 address; no scheme). */
    private static final Pattern HOST_PORT =
            Pattern.compile("([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?):(\\d{1,5})");

    /** The database part, as the store opens it. */
    public org.careline.model.DatabaseSettings database() {
        return new org.careline.model.DatabaseSettings(dbUrl, dbUser, dbPassword);
    }

    public static Settings fromEnvironment() {
        return from(System.getenv());
    }

    public static Settings from(Map<String, String> env) {
        Function<String, String> get = key -> {
            String v = env.get(key);
            return v == null || v.isBlank() ? null : v.trim();
        };
        return new Settings(
                portOf(get, "CARELINE_MLLP_PORT", 2575),
                portOf(get, "CARELINE_HTTP_PORT", 8080),
                orElse(get.apply("CARELINE_DB_URL"), DEFAULT_DB_URL),
                orElse(get.apply("CARELINE_DB_USER"), "careline"),
                orElse(get.apply("CARELINE_DB_PASSWORD"), ""),
                zoneOf(get.apply("CARELINE_TIMEZONE")),
                regionOf(orElse(get.apply("CARELINE_PHONE_REGION"), "US")),
                trimSlash(orElse(get.apply("WHATSAPP_API_BASE"), "https://graph.facebook.com")),
                orElse(get.apply("WHATSAPP_API_VERSION"), DEFAULT_API_VERSION),
                orElse(get.apply("WHATSAPP_PHONE_NUMBER_ID"), SANDBOX_PHONE_NUMBER_ID),
                get.apply("WHATSAPP_ACCESS_TOKEN"),
                Path.of(orElse(get.apply("CARELINE_ROUTES_DIR"), "routes")),
                Path.of(orElse(get.apply("CARELINE_MAPPINGS_DIR"), "mappings")),
                intOf(get, "CARELINE_SEND_RATE_PER_SECOND", 80),
                intOf(get, "CARELINE_DISPATCH_INTERVAL_MS", 250),
                intOf(get, "CARELINE_MAX_SEND_ATTEMPTS", 8),
                intOf(get, "CARELINE_RETRY_BASE_MS", 30000),
                sendTimeoutOf(get),
                schedulingHostOf(get.apply("CARELINE_SCHEDULING_MLLP")),
                schedulingPortOf(get.apply("CARELINE_SCHEDULING_MLLP")),
                between(get, "CARELINE_WRITEBACK_INTERVAL_MS", 1000, Integer.MAX_VALUE),
                // At most 2 min: a send (connect, ACK wait, camel-mllp's one reconnect and resend) must end well
                // within the 5-minute claim on the request.
                between(get, "CARELINE_SCHEDULING_TIMEOUT_MS", 15000, 120_000),
                get.apply("WHATSAPP_VERIFY_TOKEN"),
                get.apply("WHATSAPP_APP_SECRET"),
                webhookMaxBytesOf(get),
                positiveOf(get, "CARELINE_WEBHOOK_INTERVAL_MS", 200),
                portalUrlOf(orElse(get.apply("CARELINE_PORTAL_URL"), DEFAULT_PORTAL_URL)),
                get.apply("CARELINE_PORTAL_LINK_SECRET"),
                FhirSettings.from(env, get),
                // Enough sends under way to fill the rate cap at Meta's latency: rate x (latency + a few ms of DB).
                parallelismOf(get),
                // 0 = never; at most a day.
                mllpIdleOf(get),
                between(get, "CARELINE_RETRY_MAX_MS", 3_600_000, 3_600_000),
                leaseOf(get));
    }

    /**
     * How long one wait for the start of an MLLP frame lasts (camel-mllp's receiveTimeout). camel-mllp checks the
     * idle timeout only when such a wait ends, so it is never longer than the idle timeout: an idle connection is
     * closed between one and two idle timeouts after its last message, not a whole 15 s wait later.
     */
    public int mllpReceiveTimeoutMillis() {
        return mllpIdleTimeoutMillis == 0 ? MLLP_RECEIVE_TIMEOUT_MS
                : Math.min(MLLP_RECEIVE_TIMEOUT_MS, mllpIdleTimeoutMillis);
    }

    /** Without CARELINE_SCHEDULING_MLLP nothing is sent to the scheduling system: write-back requests wait. */
    public boolean writebackEnabled() {
        return schedulingHost != null;
    }

    /** Without a token Careline talks to its built-in Cloud API stand-in instead of Meta. */
    public boolean sandbox() {
        return whatsappAccessToken == null;
    }

    /** Base URL the dispatcher posts to: Meta's, or the sandbox route on our own HTTP port. */
    public String effectiveApiBase() {
        return sandbox() ? "http://localhost:" + httpPort + "/sandbox/graph" : whatsappApiBase;
    }

    public String effectiveAccessToken() {
        return sandbox() ? "sandbox" : whatsappAccessToken;
    }

    private static int intOf(Function<String, String> get, String key, int def) {
        String v = get.apply(key);
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got '" + v + "'");
        }
    }

    static int between(Function<String, String> get, String key, int def, int max) {
        int v = intOf(get, key, def);
        if (v < 1 || v > max) {
            throw new IllegalArgumentException(key + " must be a number of milliseconds from 1 to " + max + ", got '"
                    + v + "'");
        }
        return v;
    }

    private static Matcher schedulingMllp(String v) {
        Matcher m = HOST_PORT.matcher(v);
        if (!m.matches() || Integer.parseInt(m.group(3)) < 1 || Integer.parseInt(m.group(3)) > 65535) {
            throw new IllegalArgumentException("CARELINE_SCHEDULING_MLLP must be host:port of the scheduling system's "
                    + "MLLP listener (e.g. ehr.example.org:6661), got '" + v + "'");
        }
        return m;
    }

    private static String schedulingHostOf(String v) {
        return v == null ? null : schedulingMllp(v).group(1);
    }

    private static int schedulingPortOf(String v) {
        return v == null ? 0 : Integer.parseInt(schedulingMllp(v).group(3));
    }

    private static int portOf(Function<String, String> get, String key, int def) {
        int port = intOf(get, key, def);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(key + " must be a port number from 1 to 65535, got '" + port + "'");
        }
        return port;
    }

    private static int webhookMaxBytesOf(Function<String, String> get) {
        int max = intOf(get, "CARELINE_WEBHOOK_MAX_BYTES", 1_048_576);
        if (max < 1024 || max > WEBHOOK_MAX_BYTES_LIMIT) {
            throw new IllegalArgumentException("CARELINE_WEBHOOK_MAX_BYTES must be from 1024 to "
                    + WEBHOOK_MAX_BYTES_LIMIT + ", got '" + max + "'");
        }
        return max;
    }

    private static int parallelismOf(Function<String, String> get) {
        int v = intOf(get, "CARELINE_SEND_PARALLELISM", 64);
        if (v < 1 || v > 512) {
            throw new IllegalArgumentException("CARELINE_SEND_PARALLELISM must be a number of sends from 1 to 512, got '"
                    + v + "'");
        }
        return v;
    }

    private static int sendTimeoutOf(Function<String, String> get) {
        return intOf(get, "CARELINE_SEND_TIMEOUT_MS", 20000);
    }

    private static int mllpIdleOf(Function<String, String> get) {
        int v = intOf(get, "CARELINE_MLLP_IDLE_TIMEOUT_MS", DEFAULT_MLLP_IDLE_TIMEOUT_MS);
        if (v < 0 || v > 86_400_000) {
            throw new IllegalArgumentException("CARELINE_MLLP_IDLE_TIMEOUT_MS must be a number of milliseconds from 0 "
                    + "(never) to 86400000, got '" + v + "'");
        }
        return v;
    }

    /**
     * How long a claimed outbox row is left to its engine before another may send it: it must outlast the longest
     * send (the Cloud API timeout), or a slow send would be taken over and sent twice.
     */
    private static long leaseOf(Function<String, String> get) {
        int timeout = sendTimeoutOf(get);
        int v = intOf(get, "CARELINE_SEND_LEASE_MS", 300_000);
        if (v <= timeout || v > 3_600_000) {
            throw new IllegalArgumentException("CARELINE_SEND_LEASE_MS must be a number of milliseconds above "
                    + "CARELINE_SEND_TIMEOUT_MS (" + timeout + ") and at most 3600000, got '" + v + "'");
        }
        return v;
    }

    private static int positiveOf(Function<String, String> get, String key, int def) {
        int v = intOf(get, key, def);
        if (v < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, got '" + v + "'");
        }
        return v;
    }

    private static String portalUrlOf(String v) {
        if (!v.matches("https?://[^\\s?#]+")) {
            throw new IllegalArgumentException("CARELINE_PORTAL_URL must be an http(s) URL without query or fragment, "
                    + "e.g. https://portal.example.org/results, got '" + v + "'");
        }
        return trimSlash(v);
    }

    private static String regionOf(String v) {
        String region = v.toUpperCase(java.util.Locale.ROOT);
        if (!com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance().getSupportedRegions().contains(region)) {
            throw new IllegalArgumentException("CARELINE_PHONE_REGION must be an ISO 3166 region such as US or GB, got '"
                    + v + "'");
        }
        return region;
    }

    private static ZoneId zoneOf(String v) {
        if (v == null) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(v);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("CARELINE_TIMEZONE is not a known time zone: '" + v + "'");
        }
    }

    private static String orElse(String v, String def) {
        return v == null ? def : v;
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public String toString() {
        // Never print secrets.
        return "Settings[mllpPort=" + mllpPort + ", mllpIdleTimeoutMs=" + mllpIdleTimeoutMillis + ", httpPort=" + httpPort
                + ", dbUrl=" + dbUrl + ", zone=" + zone
                + ", phoneRegion=" + phoneRegion + ", sandbox=" + sandbox() + ", routesDir=" + routesDir
                + ", mappingsDir=" + mappingsDir + ", scheduling="
                + (writebackEnabled() ? schedulingHost + ":" + schedulingPort : "disabled")
                + ", webhookAppSecret=" + (whatsappAppSecret == null ? "unset" : "set")
                + ", webhookVerifyToken=" + (whatsappVerifyToken == null ? "unset" : "set")
                + ", portalUrl=" + portalUrl + ", portalLinkSecret=" + (portalLinkSecret == null ? "unset" : "set") + ", fhir=" + fhir + "]";
    }
}
