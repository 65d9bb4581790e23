package org.careline.config;

/**
 * How Careline reaches the site's FHIR R4 server: where it is, how to authenticate, and what notifications must
 * carry. FHIR is off when {@code baseUrl} is null: the /fhir/ endpoint then answers 503 and nothing is read or
 * written there. Secrets come from the environment only; each value is read and checked by {@link SettingsCatalog}.
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

    public boolean enabled() {
        return baseUrl != null;
    }

    @Override
    public String toString() {
        return enabled() ? UrlCredentials.mask(baseUrl) + " (auth=" + (bearerToken != null ? "bearer" : username != null ? "basic" : "none")
                + ", notifySecret=" + (notifySecret == null ? "unset" : "set") + ")" : "disabled";
    }
}
