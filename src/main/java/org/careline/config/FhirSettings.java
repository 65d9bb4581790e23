package org.careline.config;

import java.util.Map;
import java.util.function.Function;

/**
 * How Careline reaches the site's FHIR R4 server: where it is, how to authenticate, and what notifications must
 * carry. FHIR is off when {@code baseUrl} is null: the /fhir/ endpoint then answers 503 and nothing is read or
 * written there. Secrets come from the environment only.
 *
 * @param baseUrl          CARELINE_FHIR_BASE_URL, e.g. https://fhir.example.org/fhir (no trailing slash), or null
 * @param bearerToken      CARELINE_FHIR_TOKEN: sent as "Authorization: Bearer ..." (wins over basic auth), or null
 * @param username         CARELINE_FHIR_USERNAME for basic auth, or null
 * @param password         CARELINE_FHIR_PASSWORD for basic auth, or null
 * @param timeoutMillis    CARELINE_FHIR_TIMEOUT_MS: connect and read timeout of each FHIR request
 * @param notifySecret     CARELINE_FHIR_NOTIFY_SECRET: when set, a notification without header X-Careline-Secret
 *                         of this value is answered 401 and changes nothing
 * @param intervalMillis   CARELINE_FHIR_INTERVAL_MS: how often received notifications are worked off
 * @param callbackUrl      CARELINE_FHIR_CALLBACK_URL: Careline's /fhir endpoint as the FHIR server reaches it; when
 *                         set, Careline creates or updates its Subscriptions on the server at start
 */
public record FhirSettings(String baseUrl, String bearerToken, String username, String password, int timeoutMillis,
                           String notifySecret, int intervalMillis, String callbackUrl) {

    /** Header a notification must carry when CARELINE_FHIR_NOTIFY_SECRET is set (also put on our Subscriptions). */
    public static final String SECRET_HEADER = "X-Careline-Secret";

    static FhirSettings from(Map<String, String> env, Function<String, String> get) {
        String base = get.apply("CARELINE_FHIR_BASE_URL");
        if (base != null && !base.matches("https?://\\S+")) {
            throw new IllegalArgumentException("CARELINE_FHIR_BASE_URL must be an http(s) URL such as "
                    + "https://fhir.example.org/fhir, got '" + base + "'");
        }
        String callback = get.apply("CARELINE_FHIR_CALLBACK_URL");
        if (callback != null && !callback.matches("https?://\\S+")) {
            throw new IllegalArgumentException("CARELINE_FHIR_CALLBACK_URL must be an http(s) URL such as "
                    + "https://careline.example.org/fhir, got '" + callback + "'");
        }
        return new FhirSettings(base == null ? null : trimSlash(base), get.apply("CARELINE_FHIR_TOKEN"),
                get.apply("CARELINE_FHIR_USERNAME"), get.apply("CARELINE_FHIR_PASSWORD"),
                Settings.between(get, "CARELINE_FHIR_TIMEOUT_MS", 10_000, 120_000),
                get.apply("CARELINE_FHIR_NOTIFY_SECRET"),
                Settings.between(get, "CARELINE_FHIR_INTERVAL_MS", 500, Integer.MAX_VALUE),
                callback == null ? null : trimSlash(callback));
    }

    public boolean enabled() {
        return baseUrl != null;
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public String toString() {
        return enabled() ? baseUrl + " (auth=" + (bearerToken != null ? "bearer" : username != null ? "basic" : "none")
                + ", notifySecret=" + (notifySecret == null ? "unset" : "set") + ")" : "disabled";
    }
}
