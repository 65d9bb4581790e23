package org.careline.config;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything Careline reads from its environment. Each variable is documented in README.md with its default;
 * secrets (database password, WhatsApp token) are only ever read here, never from mappings/.
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
        int sendTimeoutMillis) {

    public static final String DEFAULT_DB_URL = "jdbc:h2:file:./data/careline;WRITE_DELAY=0";
    public static final String DEFAULT_API_VERSION = "v23.0";
    public static final String SANDBOX_PHONE_NUMBER_ID = "100000000000000";

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
                intOf(get, "CARELINE_SEND_TIMEOUT_MS", 20000));
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

    private static int portOf(Function<String, String> get, String key, int def) {
        int port = intOf(get, key, def);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(key + " must be a port number from 1 to 65535, got '" + port + "'");
        }
        return port;
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
        return "Settings[mllpPort=" + mllpPort + ", httpPort=" + httpPort + ", dbUrl=" + dbUrl + ", zone=" + zone
                + ", phoneRegion=" + phoneRegion + ", sandbox=" + sandbox() + ", routesDir=" + routesDir
                + ", mappingsDir=" + mappingsDir + "]";
    }
}
