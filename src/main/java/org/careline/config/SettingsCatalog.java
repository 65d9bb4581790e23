package org.careline.config;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every environment variable the engine reads, each declared once with its type, range, default, secrecy, route
 * property and meaning (in the order of the configuration table). {@link Settings} is read from it, the table in
 * docs/configuration.md is printed from it ({@link SettingsDocs}), and so is {@code careline config}.
 * A new variable is one entry here and one accessor on Settings.
 */
public final class SettingsCatalog {

    /** host:port of the scheduling system's MLLP listener (a host name or IPv4 address; no scheme). */
    private static final Pattern HOST_PORT =
            Pattern.compile("([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?):(\\d{1,5})");

    /** Where CARELINE_SCHEDULING_MLLP points. */
    public record HostPort(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    public static final Setting<Integer> MLLP_PORT = declare("CARELINE_MLLP_PORT")
            .port(2575).property("careline.mllp.port")
            .meaning("TCP port of the HL7 v2 MLLP listener");

    public static final Setting<Integer> MLLP_IDLE_TIMEOUT_MS = declare("CARELINE_MLLP_IDLE_TIMEOUT_MS")
            .number("ms, 0 (never)–86400000", Settings.DEFAULT_MLLP_IDLE_TIMEOUT_MS, 0, 86_400_000,
                    "a number of milliseconds from 0 (never) to 86400000")
            .property("careline.mllp.idle-timeout-ms")
            .meaning("an MLLP connection that brings no message for this long is closed (0 = never; at most "
                    + "86400000). Checked when a wait for a frame ends (every 15 s, or every idle timeout when "
                    + "shorter), so the close comes up to one such wait later. Senders reconnect; a frame started and "
                    + "then left without a byte for 5 s is closed as broken whatever this says");

    // The network edge (docs/security-network.md): what may connect, how long a stranger may hold a connection, TLS.
    public static final Setting<String> BIND_ADDRESS = declare("CARELINE_BIND_ADDRESS")
            .type("IP address").byDefault("`0.0.0.0`")
            .about("the local address the MLLP and HTTP listeners bind to (`0.0.0.0`: every IPv4 interface; "
                    + "`127.0.0.1`: this machine only; an IPv6 literal such as `::1`)")
            .reads(name -> (raw, earlier) -> bindAddressOf(name, raw == null ? "0.0.0.0" : raw));

    public static final Setting<Integer> MLLP_FIRST_FRAME_TIMEOUT_MS = declare("CARELINE_MLLP_FIRST_FRAME_TIMEOUT_MS")
            .number("ms, 100–3600000", 30_000, 100, 3_600_000, "a number of milliseconds from 100 to 3600000")
            .meaning("an MLLP connection whose first complete frame has not arrived this long after it was accepted is "
                    + "closed (a connection that holds a slot and sends nothing, or only junk). Once a frame has "
                    + "arrived, `CARELINE_MLLP_IDLE_TIMEOUT_MS` applies");

    public static final Setting<Integer> MLLP_MAX_CONNECTIONS = declare("CARELINE_MLLP_MAX_CONNECTIONS")
            .number("connections, 1–10000", 64, 1, 10_000, "a number from 1 to 10000")
            .property("careline.mllp.max-connections")
            .meaning("most MLLP connections served at once; one more is closed at once (senders reconnect)");

    public static final Setting<Integer> MLLP_BACKLOG = declare("CARELINE_MLLP_BACKLOG")
            .number("connections, 1–65535", 200, 1, 65_535, "a number from 1 to 65535")
            .property("careline.mllp.backlog")
            .meaning("how many connection attempts the operating system queues for the MLLP listener before it "
                    + "refuses more (capped by the kernel's own limit, `net.core.somaxconn` on Linux)");

    public static final Setting<AddressAllowlist> MLLP_ALLOW = declare("CARELINE_MLLP_ALLOW")
            .type("addresses/CIDRs").byDefault("unset → any address")
            .about("comma-separated IPv4/IPv6 addresses or CIDR blocks (e.g. `10.1.2.3,10.20.0.0/16,fd00::/8`) that "
                    + "may connect to the MLLP listener; a connection from elsewhere is closed at once and logged by "
                    + "its address only")
            .reads(name -> (raw, earlier) -> AddressAllowlist.parse(name, raw));

    public static final Setting<Path> TLS_CERT = declare("CARELINE_TLS_CERT")
            .type("PEM file").byDefault("unset")
            .about("Careline's certificate chain (PEM, its own certificate first) for `CARELINE_MLLP_TLS` and "
                    + "`CARELINE_HTTP_TLS`, and the client certificate presented by `CARELINE_SCHEDULING_MLLP_TLS`")
            .reads(name -> (raw, earlier) -> raw == null ? null : Path.of(raw));

    public static final Setting<Path> TLS_KEY = declare("CARELINE_TLS_KEY")
            .type("PEM file").byDefault("unset")
            .about("the private key of `CARELINE_TLS_CERT` (PEM: PKCS#8, PKCS#1 RSA or EC; not encrypted — protect "
                    + "the file by its permissions)")
            .reads(name -> (raw, earlier) -> raw == null ? null : Path.of(raw));

    public static final Setting<Path> TLS_CLIENT_CA = declare("CARELINE_TLS_CLIENT_CA")
            .type("PEM file").byDefault("unset → no client certificate asked")
            .about("CA certificate(s) (PEM) that sign the clients' certificates: set, every TLS connection to MLLP and "
                    + "HTTP must present a certificate it signed (mutual TLS). Also what `CARELINE_SCHEDULING_MLLP_TLS` "
                    + "trusts")
            .reads(name -> (raw, earlier) -> raw == null ? null : Path.of(raw));

    public static final Setting<Boolean> MLLP_TLS = declare("CARELINE_MLLP_TLS")
            .type("true or false").byDefault("`false`")
            .about("`true`: the MLLP listener speaks TLS only (needs `CARELINE_TLS_CERT` and `CARELINE_TLS_KEY`)")
            .reads(name -> (raw, earlier) -> needsCertificate(name, booleanOf(name, raw, false), earlier));

    public static final Setting<Boolean> HTTP_TLS = declare("CARELINE_HTTP_TLS")
            .type("true or false").byDefault("`false`")
            .about("`true`: the HTTP port speaks HTTPS only (needs `CARELINE_TLS_CERT` and `CARELINE_TLS_KEY`)")
            .reads(name -> (raw, earlier) -> needsCertificate(name, booleanOf(name, raw, false), earlier));

    public static final Setting<Integer> HTTP_IDLE_TIMEOUT_MS = declare("CARELINE_HTTP_IDLE_TIMEOUT_MS")
            .number("ms, 1000–3600000", 60_000, 1000, 3_600_000, "a number of milliseconds from 1000 to 3600000")
            .meaning("an HTTP connection on which nothing is read or written for this long is closed by Careline (a "
                    + "client that connects and sends nothing, or half a request)");

    public static final Setting<Integer> HTTP_PORT = declare("CARELINE_HTTP_PORT")
            .port(8080).property("camel.server.port")
            .meaning("HTTP port (`/health`, `/webhooks/whatsapp`, the sandbox)");

    public static final Setting<String> DB_URL = declare("CARELINE_DB_URL")
            .type("JDBC URL").byDefault("`" + Settings.DEFAULT_DB_URL + "`")
            .about("JDBC URL; H2 (embedded) or PostgreSQL (`jdbc:postgresql://host/db`). An H2 URL without "
                    + "`QUERY_CACHE_SIZE` gets `;QUERY_CACHE_SIZE=64` (an SIU's dozen statements stay parsed; H2's "
                    + "default is 8)")
            .reads(name -> (raw, earlier) -> {
                if (raw != null && !raw.startsWith("jdbc:")) {
                    throw new IllegalArgumentException(name + " must be a JDBC URL such as jdbc:postgresql://host/db "
                            + "or jdbc:h2:file:./data/careline, got '" + UrlCredentials.mask(raw) + "'");
                }
                return raw == null ? Settings.DEFAULT_DB_URL : raw;
            });

    public static final Setting<String> DB_USER = declare("CARELINE_DB_USER")
            .text("text", "careline")
            .meaning("database user");

    public static final Setting<String> DB_PASSWORD = declare("CARELINE_DB_PASSWORD")
            .secret().text("text", "")
            .meaning("database password");

    public static final Setting<ZoneId> TIMEZONE = declare("CARELINE_TIMEZONE")
            .type("time zone (e.g. Europe/London)").byDefault("the system zone")
            .about("zone of the default site, used for HL7 times that carry no UTC offset (sites in "
                    + "`mappings/sites.yaml` may name their own zone)")
            .reads(name -> (raw, earlier) -> zoneOf(raw));

    public static final Setting<String> PHONE_REGION = declare("CARELINE_PHONE_REGION")
            .type("ISO 3166 region").byDefault("`US`")
            .about("ISO 3166 region for phone numbers written without a country code")
            .reads(name -> (raw, earlier) -> regionOf(raw == null ? "US" : raw));

    public static final Setting<String> WHATSAPP_API_BASE = declare("WHATSAPP_API_BASE")
            .type("http(s) URL").byDefault("`https://graph.facebook.com`")
            .about("Cloud API base URL (a stand-in's address for tests)")
            .reads(name -> (raw, earlier) -> httpUrlOf(name, raw == null ? "https://graph.facebook.com" : raw,
                    "https://graph.facebook.com"));

    public static final Setting<String> WHATSAPP_API_VERSION = declare("WHATSAPP_API_VERSION")
            .text("text", Settings.DEFAULT_API_VERSION)
            .meaning("Graph API version");

    public static final Setting<String> WHATSAPP_PHONE_NUMBER_ID = declare("WHATSAPP_PHONE_NUMBER_ID")
            .text("text", Settings.SANDBOX_PHONE_NUMBER_ID).byDefault("`" + Settings.SANDBOX_PHONE_NUMBER_ID
                    + "` (sandbox)")
            .meaning("the WhatsApp business phone number id messages are sent from");

    public static final Setting<String> WHATSAPP_ACCESS_TOKEN = declare("WHATSAPP_ACCESS_TOKEN")
            .secret().optional("text", "unset → sandbox")
            .meaning("Cloud API access token. When unset, sends go to the built-in stand-in at `/sandbox/graph/…`");

    public static final Setting<Path> ROUTES_DIR = declare("CARELINE_ROUTES_DIR")
            .path("routes")
            .meaning("directory of Camel YAML routes");

    public static final Setting<Path> MAPPINGS_DIR = declare("CARELINE_MAPPINGS_DIR")
            .path("mappings")
            .meaning("directory of field mappings, sites, templates");

    public static final Setting<Integer> SEND_RATE_PER_SECOND = declare("CARELINE_SEND_RATE_PER_SECOND")
            .number("whole number, 1–100000", 80, 1, 100_000, "a number of messages from 1 to 100000")
            .meaning("most messages sent per second from the phone number, in any one-second window");

    public static final Setting<Integer> DISPATCH_INTERVAL_MS = declare("CARELINE_DISPATCH_INTERVAL_MS")
            .millis(250, 3_600_000).property("careline.dispatch.interval-ms")
            .meaning("how often the dispatcher looks for due messages (an indexed query; cheap). A booking's "
                    + "confirmation does not wait for it: the commit of an SIU (or a FHIR Appointment) that queued "
                    + "messages starts a round at once");

    // Enough sends under way to fill the rate cap at Meta's latency: rate x (latency + a few ms of DB).
    public static final Setting<Integer> SEND_PARALLELISM = declare("CARELINE_SEND_PARALLELISM")
            .number("whole number, 1–512", 64, 1, 512, "a number of sends from 1 to 512")
            .meaning("sends under way at once (1–512); up to twice as many rows are claimed ahead. To fill the rate "
                    + "cap it needs about rate × (Cloud API latency + a few ms): 64 covers 1,000/s at 50 ms");

    public static final Setting<Integer> MAX_SEND_ATTEMPTS = declare("CARELINE_MAX_SEND_ATTEMPTS")
            .number("whole number, 1–10000", 8, 1, 10_000, "a number of attempts from 1 to 10000")
            .meaning("attempts before a retryable failure becomes a dead letter");

    public static final Setting<Integer> RETRY_BASE_MS = declare("CARELINE_RETRY_BASE_MS")
            .millis(30_000, 3_600_000)
            .meaning("first retry delay; doubles per attempt (capped at `CARELINE_RETRY_MAX_MS`), with jitter. A "
                    + "`Retry-After` header on a retryable answer (seconds or an HTTP date) is a floor for that "
                    + "retry's delay, up to 1 h");

    public static final Setting<Integer> RETRY_MAX_MS = declare("CARELINE_RETRY_MAX_MS")
            .millis(3_600_000, 3_600_000)
            .meaning("longest retry delay the doubling reaches (1 to 3600000)");

    public static final Setting<Integer> SEND_TIMEOUT_MS = declare("CARELINE_SEND_TIMEOUT_MS")
            .millis(20_000, 3_600_000).property("careline.whatsapp.timeout-ms")
            .meaning("how long to wait for the Cloud API's answer; a timeout is retried");

    /*
     * How long a claimed outbox row is left to its engine before another may send it: it must outlast the longest
     * send (the Cloud API timeout), or a slow send would be taken over and sent twice.
     */
    public static final Setting<Integer> SEND_LEASE_MS = declare("CARELINE_SEND_LEASE_MS")
            .type("ms, above `CARELINE_SEND_TIMEOUT_MS`, at most 3600000").byDefault("`300000`")
            .about("how long a message claimed for sending is left to the engine that claimed it (above "
                    + "`CARELINE_SEND_TIMEOUT_MS`, at most 1 h): one its engine died with goes out again once this "
                    + "has passed. Keep it well above the send timeout plus the wait of what is claimed ahead "
                    + "(2 × parallelism ÷ rate seconds)")
            .reads(name -> (raw, earlier) -> {
                int timeout = earlier.get(SEND_TIMEOUT_MS);
                int v = wholeNumber(name, raw, 300_000);
                if (v <= timeout || v > 3_600_000) {
                    throw new IllegalArgumentException(name + " must be a number of milliseconds above "
                            + "CARELINE_SEND_TIMEOUT_MS (" + timeout + ") and at most 3600000, got '" + v + "'");
                }
                return v;
            });

    public static final Setting<String> WHATSAPP_VERIFY_TOKEN = declare("WHATSAPP_VERIFY_TOKEN")
            .secret().optional("text", "unset")
            .meaning("the verify token entered in the Meta app's webhook settings; Meta's verification GET is "
                    + "answered only when it matches. Unset: every verification is answered 403");

    public static final Setting<String> WHATSAPP_APP_SECRET = declare("WHATSAPP_APP_SECRET")
            .secret().optional("text", "unset")
            .meaning("the Meta app's App Secret, which signs every webhook POST (`X-Hub-Signature-256`). Unset: every "
                    + "webhook POST is answered 401 and nothing from Meta is received (one WARN at start says so)");

    // Vert.x refuses a larger body with 413 before reading it all (for every path on the HTTP port).
    public static final Setting<Integer> WEBHOOK_MAX_BYTES = declare("CARELINE_WEBHOOK_MAX_BYTES")
            .number("bytes, 1024–" + Settings.WEBHOOK_MAX_BYTES_LIMIT, 1_048_576, 1024,
                    Settings.WEBHOOK_MAX_BYTES_LIMIT, "from 1024 to " + Settings.WEBHOOK_MAX_BYTES_LIMIT)
            .property("camel.server.maxBodySize")
            .meaning("largest request body accepted on the HTTP port, 1024 to 10485760; a larger webhook is answered "
                    + "413 and not stored");

    public static final Setting<Integer> WEBHOOK_INTERVAL_MS = declare("CARELINE_WEBHOOK_INTERVAL_MS")
            .number("ms, at least 1", 200, 1, Integer.MAX_VALUE, "at least 1")
            .property("careline.webhook.interval-ms")
            .meaning("how often stored webhook deliveries are processed");

    public static final Setting<HostPort> SCHEDULING_MLLP = declare("CARELINE_SCHEDULING_MLLP")
            .type("host:port").byDefault("unset → write-back disabled")
            .about("`host:port` of the scheduling system's MLLP listener, where patients' confirm / change / cancel "
                    + "requests are sent. When unset, requests stay queued (`PENDING`) and a WARN at start says so")
            .reads(name -> (raw, earlier) -> raw == null ? null : hostPortOf(raw));

    public static final Setting<Boolean> SCHEDULING_MLLP_TLS = declare("CARELINE_SCHEDULING_MLLP_TLS")
            .type("true or false").byDefault("`false`")
            .about("`true`: write-back to `CARELINE_SCHEDULING_MLLP` goes over TLS, trusting the CA(s) in "
                    + "`CARELINE_TLS_CLIENT_CA` (unset: the JDK's trusted CAs) and presenting `CARELINE_TLS_CERT` when "
                    + "it and `CARELINE_TLS_KEY` are set (for a scheduling system that asks for client certificates)")
            .reads(name -> (raw, earlier) -> booleanOf(name, raw, false));

    public static final Setting<Integer> WRITEBACK_INTERVAL_MS = declare("CARELINE_WRITEBACK_INTERVAL_MS")
            .millis(1000, Integer.MAX_VALUE).property("careline.writeback.interval-ms")
            .meaning("how often the write-back sender looks for due requests");

    // At most 2 min: a send (connect, ACK wait, camel-mllp's one reconnect and resend) must end well within the
    // 5-minute claim on the request.
    public static final Setting<Integer> SCHEDULING_TIMEOUT_MS = declare("CARELINE_SCHEDULING_TIMEOUT_MS")
            .millis(15000, 120_000).property("careline.scheduling.timeout-ms")
            .meaning("how long to wait for the scheduling system's ACK (at most 120000); no ACK in time is retried");

    public static final Setting<String> PORTAL_URL = declare("CARELINE_PORTAL_URL")
            .type("https URL").byDefault("`" + Settings.DEFAULT_PORTAL_URL + "`")
            .about("the patient portal's results page; result and document notices link to `<this URL>/<token>` "
                    + "(https, no user name or password in it, no query or fragment; `http://localhost` or "
                    + "`http://127.0.0.1` only for a portal on the same machine during development)")
            .reads(name -> (raw, earlier) -> portalUrlOf(raw == null ? Settings.DEFAULT_PORTAL_URL : raw));

    public static final Setting<String> PORTAL_LINK_SECRET = declare("CARELINE_PORTAL_LINK_SECRET")
            .secret().type("text, at least 32 bytes").byDefault("unset → random per start")
            .about("shared secret that signs portal links (HMAC-SHA256), at least 32 bytes (as UTF-8; e.g. `openssl "
                    + "rand -base64 32`); the portal verifies links with the same value. Unset: a random secret is "
                    + "made at start and a WARN says so — notices still go out, but their links verify nowhere and "
                    + "not across restarts. Set it in production")
            .reads(name -> (raw, earlier) -> portalSecretOf(name, raw));

    public static final Setting<String> FHIR_BASE_URL = declare("CARELINE_FHIR_BASE_URL")
            .type("http(s) URL").byDefault("unset → FHIR off")
            .about("base URL of the site's FHIR R4 server (e.g. `https://fhir.example.org/fhir`): where notified "
                    + "resources are re-read and patients' answers written. Unset: `/fhir` answers 503 and nothing is "
                    + "read or written there")
            .reads(name -> (raw, earlier) -> httpUrlOf(name, raw, "https://fhir.example.org/fhir"));

    public static final Setting<String> FHIR_TOKEN = declare("CARELINE_FHIR_TOKEN")
            .secret().optional("text", "unset")
            .meaning("bearer token for the FHIR server (`Authorization: Bearer …`); wins over basic auth");

    public static final Setting<String> FHIR_USERNAME = declare("CARELINE_FHIR_USERNAME")
            .optional("text", "unset")
            .meaning("user name for basic auth to the FHIR server (with `CARELINE_FHIR_PASSWORD`)");

    public static final Setting<String> FHIR_PASSWORD = declare("CARELINE_FHIR_PASSWORD")
            .secret().optional("text", "unset")
            .meaning("password for basic auth to the FHIR server (with `CARELINE_FHIR_USERNAME`)");

    public static final Setting<Integer> FHIR_TIMEOUT_MS = declare("CARELINE_FHIR_TIMEOUT_MS")
            .millis(10_000, 120_000)
            .meaning("connect and read timeout of each FHIR request (at most 120000); a timeout is retried");

    public static final Setting<String> FHIR_NOTIFY_SECRET = declare("CARELINE_FHIR_NOTIFY_SECRET")
            .secret().optional("text", "unset")
            .meaning("shared secret every notification to `/fhir` must carry in header `X-Careline-Secret`; missing "
                    + "or wrong → 401, nothing stored. Unset with `CARELINE_FHIR_BASE_URL` set: Careline does not start, "
                    + "unless `CARELINE_FHIR_NOTIFY_OPEN=true`");

    public static final Setting<Integer> FHIR_INTERVAL_MS = declare("CARELINE_FHIR_INTERVAL_MS")
            .millis(500, Integer.MAX_VALUE).property("careline.fhir.interval-ms")
            .meaning("how often stored notifications are worked off (resources re-read and applied)");

    public static final Setting<String> FHIR_CALLBACK_URL = declare("CARELINE_FHIR_CALLBACK_URL")
            .type("http(s) URL").byDefault("unset")
            .about("Careline's `/fhir` endpoint as the FHIR server reaches it (e.g. "
                    + "`https://careline.example.org/fhir`). Set: at start Careline creates or updates its "
                    + "Subscriptions (`mappings/fhir.yaml`) on the server, with the notify secret as a channel "
                    + "header; unset: set them up on the server yourself")
            .reads(name -> (raw, earlier) -> httpUrlOf(name, raw, "https://careline.example.org/fhir"));

    /*
     * /fhir makes Careline read resources with its own credentials and act on them: without a shared secret anyone who
     * reaches it could start that (issue 14, finding 3). Open only when someone says so.
     */
    public static final Setting<Boolean> FHIR_NOTIFY_OPEN = declare("CARELINE_FHIR_NOTIFY_OPEN")
            .type("true or false").byDefault("`false`")
            .about("`true` lets `/fhir` take notifications without `CARELINE_FHIR_NOTIFY_SECRET`: only where a "
                    + "network boundary admits the FHIR server alone. `false`: with `CARELINE_FHIR_BASE_URL` set and no "
                    + "secret, Careline does not start (and `validate` says why)")
            .reads(name -> (raw, earlier) -> {
                boolean open = booleanOf(name, raw, false);
                String secret = earlier.get(FHIR_NOTIFY_SECRET);
                if (!open && earlier.get(FHIR_BASE_URL) != null && (secret == null || secret.isEmpty())) {
                    throw new IllegalArgumentException("CARELINE_FHIR_BASE_URL is set but CARELINE_FHIR_NOTIFY_SECRET "
                            + "is not: anyone who reaches /fhir could make Careline read and act. Set the secret (and "
                            + "the same value as the FHIR server's channel header), or CARELINE_FHIR_NOTIFY_OPEN=true "
                            + "if only the FHIR server can reach /fhir");
                }
                return open;
            });

    public static final Setting<String> SMTP_HOST = declare("CARELINE_SMTP_HOST")
            .optional("host name", "unset → e-mail channels off")
            .meaning("SMTP server that alert e-mails go through (`mappings/notifications.yaml`, channels of "
                    + "`type: email`). Unset: e-mail channels are off, and one WARN at start says so when any is "
                    + "configured");

    public static final Setting<Integer> SMTP_PORT = declare("CARELINE_SMTP_PORT")
            .port(587)
            .meaning("SMTP port (587: submission with STARTTLS)");

    public static final Setting<String> SMTP_USER = declare("CARELINE_SMTP_USER")
            .optional("text", "unset → no SMTP login")
            .meaning("SMTP login user; set it with `CARELINE_SMTP_PASSWORD`");

    public static final Setting<String> SMTP_PASSWORD = declare("CARELINE_SMTP_PASSWORD")
            .secret().optional("text", "unset")
            .meaning("SMTP login password");

    public static final Setting<String> SMTP_FROM = declare("CARELINE_SMTP_FROM")
            .text("e-mail address", "careline@localhost")
            .meaning("the From address of alert e-mails");

    public static final Setting<Boolean> SMTP_STARTTLS = declare("CARELINE_SMTP_STARTTLS")
            .type("true or false").byDefault("`true`")
            .about("`true`: the SMTP connection must be upgraded with STARTTLS before login and sending (a server "
                    + "that does not offer it gets nothing, and the delivery is retried); `false`: plain SMTP, "
                    + "only for a relay on a trusted network")
            .reads(name -> (raw, earlier) -> booleanOf(name, raw, true));

    public static final Setting<Integer> ALERT_INTERVAL_MS = declare("CARELINE_ALERT_INTERVAL_MS")
            .millis(5000, Integer.MAX_VALUE).property("careline.alerts.interval-ms")
            .meaning("how often queued alert deliveries (e-mail, webhook) are sent");

    public static final Setting<Integer> ALERT_RETRY_BASE_MS = declare("CARELINE_ALERT_RETRY_BASE_MS")
            .millis(30_000, 3_600_000)
            .meaning("first retry delay of an alert delivery whose channel is down; doubles per attempt up to "
                    + "`CARELINE_ALERT_RETRY_MAX_MS`, with jitter (a `Retry-After` of a webhook receiver is a floor)");

    public static final Setting<Integer> ALERT_RETRY_MAX_MS = declare("CARELINE_ALERT_RETRY_MAX_MS")
            .millis(900_000, 3_600_000)
            .meaning("longest retry delay of an alert delivery (1 to 3600000)");

    public static final Setting<java.time.Duration> ALERT_GIVE_UP_AFTER = declare("CARELINE_ALERT_GIVE_UP_AFTER")
            .type("duration (e.g. 24h, 90m)").byDefault("`24h`")
            .about("an alert delivery whose channel stays down this long after the alert was raised is given up "
                    + "(`DEAD`, with the last error); the alert itself stays in the console")
            .reads(name -> (raw, earlier) -> durationOf(name, raw, "24h", false));

    public static final Setting<String> ALERT_LINK_BASE = declare("CARELINE_ALERT_LINK_BASE")
            .type("http(s) URL").byDefault("unset → links are paths")
            .about("Careline's address as staff reach it (e.g. `https://careline.example.org`): alert e-mails and "
                    + "webhooks link to `<this>/console/#/alerts/<id>`. Unset: the link is the path alone")
            .reads(name -> (raw, earlier) -> httpUrlOf(name, raw, "https://careline.example.org"));

    public static final Setting<java.time.Duration> FEED_SILENT_AFTER = declare("CARELINE_FEED_SILENT_AFTER")
            .type("duration (e.g. 60m, 2h), 0 = off").byDefault("`60m`")
            .about("an HL7 sender (MSH-3/MSH-4) that sent nothing for this long raises a `feed_silent` warning, "
                    + "once, cleared when its messages flow again; every sender silent at once gives one alert "
                    + "(`feed:all`). Set it above the quietest normal gap (nights, weekends); `0` turns it off")
            .reads(name -> (raw, earlier) -> durationOf(name, raw, "60m", true));

    public static final Setting<java.time.Duration> SCHEDULING_UNREACHABLE_AFTER =
            declare("CARELINE_SCHEDULING_UNREACHABLE_AFTER")
            .type("duration (e.g. 15m)").byDefault("`15m`")
            .about("the scheduling system (MLLP or FHIR write-back) answering nothing for this long raises a "
                    + "`scheduling_unreachable` warning, once, cleared when it answers again")
            .reads(name -> (raw, earlier) -> durationOf(name, raw, "15m", false));

    public static final Setting<Integer> TRIAGE_INTERVAL_MS = declare("CARELINE_TRIAGE_INTERVAL_MS")
            .millis(30_000, Integer.MAX_VALUE).property("careline.triage.interval-ms")
            .meaning("how often staff handoffs are checked against their SLA and emergencies against their "
                    + "escalation time (`mappings/triage.yaml`); each raises its alert once");

    public static final Setting<String> ADMIN_PASSWORD = declare("CARELINE_ADMIN_PASSWORD")
            .secret().optional("text", "unset → no first admin")
            .meaning("password of the first console user, `admin` (role admin), made at start when the database has "
                    + "no users yet; ignored once any user exists. At least 12 characters. Alternatively add users with "
                    + "`java -jar target/careline.jar users add NAME --role ROLE` while the engine is stopped");

    public static final Setting<Integer> LOGIN_MAX_FAILURES = declare("CARELINE_LOGIN_MAX_FAILURES")
            .number("whole number, 1–100", 5, 1, 100, "a number of failures from 1 to 100")
            .meaning("wrong passwords in a row after which a user is locked out for `CARELINE_LOGIN_LOCKOUT_MS` "
                    + "(a good password resets the count)");

    public static final Setting<Integer> LOGIN_LOCKOUT_MS = declare("CARELINE_LOGIN_LOCKOUT_MS")
            .number("ms, 1000–86400000", 900_000, 1000, 86_400_000, "a number of milliseconds from 1000 to 86400000")
            .meaning("how long a locked-out user cannot sign in, even with the right password");

    public static final Setting<Integer> SESSION_IDLE_MS = declare("CARELINE_SESSION_IDLE_MS")
            .number("ms, 60000–86400000", 1_800_000, 60_000, 86_400_000,
                    "a number of milliseconds from 60000 to 86400000")
            .meaning("a console session unused for this long ends (the next request gets 401 and the sign-in page)");

    public static final Setting<Integer> SESSION_MAX_MS = declare("CARELINE_SESSION_MAX_MS")
            .number("ms, 60000–604800000", 43_200_000, 60_000, 604_800_000,
                    "a number of milliseconds from 60000 to 604800000")
            .meaning("a console session ends this long after sign-in however busy it is");

    public static final Setting<String> MASTER_KEY = declare("CARELINE_MASTER_KEY")
            .secret().type("base64 of 32 bytes").byDefault("unset → encryption at rest off")
            .about("the master key for encryption at rest (docs/encryption.md): base64 of 32 random bytes (e.g. "
                    + "`openssl rand -base64 32`). It wraps the data keys that seal names, numbers and bodies in the "
                    + "database, and is never stored there. Unset (and no `CARELINE_MASTER_KEY_FILE`): values are "
                    + "stored in clear and a WARN at start says so. Losing it loses the sealed data")
            .reads(name -> (raw, earlier) -> raw == null ? null : masterKeyOf(name, raw));

    public static final Setting<Path> MASTER_KEY_FILE = declare("CARELINE_MASTER_KEY_FILE")
            .type("file path").byDefault("unset")
            .about("a file holding the master key (base64 of 32 bytes, white space around it ignored), for secret "
                    + "stores that mount files; readable by the engine's user alone. Not together with "
                    + "`CARELINE_MASTER_KEY`")
            .reads(name -> (raw, earlier) -> {
                if (raw == null) {
                    return null;
                }
                if (earlier.get(MASTER_KEY) != null) {
                    throw new IllegalArgumentException("CARELINE_MASTER_KEY and CARELINE_MASTER_KEY_FILE are both set: "
                            + "set one of them");
                }
                Path file = Path.of(raw);
                masterKeyOf(name, readKeyFile(name, file));
                return file;
            });

    public static final Setting<Integer> KEY_RESEAL_INTERVAL_MS = declare("CARELINE_KEY_RESEAL_INTERVAL_MS")
            .millis(3000, 600_000).property("careline.keys.reseal-interval-ms")
            .meaning("how often the re-sealer takes its next small batches (values in clear or under an older data "
                    + "key, after a rotation or when encryption is switched on); ingest and sending never wait on it");

    // What operators look at (docs/metrics.md): Prometheus metrics and the log's format.
    public static final Setting<Integer> METRICS_PORT = declare("CARELINE_METRICS_PORT")
            .type("port, 1–65535").byDefault("unset → off")
            .about("a second HTTP port, bound to `CARELINE_BIND_ADDRESS`, that answers `GET /metrics` (Prometheus "
                    + "text) WITHOUT a token: put it on a management network only. Unset: `/metrics` is served on the "
                    + "HTTP port alone, to an API token of role analyst or admin")
            .reads(name -> (raw, earlier) -> {
                if (raw == null) {
                    return null;
                }
                int port = wholeNumber(name, raw, 0);
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException(name + " must be a port number from 1 to 65535, got '" + raw
                            + "'");
                }
                if (port == earlier.get(HTTP_PORT) || port == earlier.get(MLLP_PORT)) {
                    throw new IllegalArgumentException(name + " must differ from CARELINE_HTTP_PORT and "
                            + "CARELINE_MLLP_PORT, got '" + raw + "'");
                }
                return port;
            });

    public static final Setting<Integer> METRICS_CACHE_MS = declare("CARELINE_METRICS_CACHE_MS")
            .number("ms, 0–60000", 5000, 0, 60_000, "a number of milliseconds from 0 to 60000")
            .meaning("how long the figures read from the database for `/metrics` (queue depths, oldest due items, FHIR "
                    + "lag) are reused: scrapes within this time cost no query (0: read at every scrape)");

    public static final Setting<String> LOG_FORMAT = declare("CARELINE_LOG_FORMAT")
            .type("`text` or `json`").byDefault("`text`")
            .about("the log's format on standard error: `text` (one line per entry: time, [thread], level, logger, "
                    + "message) or `json` (one JSON object per line: time, level, logger, thread, message and an "
                    + "exception's class, never its stack trace). Both carry ids only, never names, numbers or bodies")
            .reads(name -> (raw, earlier) -> {
                if (raw == null) {
                    return "text";
                }
                String v = raw.toLowerCase(Locale.ROOT);
                if (!v.equals("text") && !v.equals("json")) {
                    throw new IllegalArgumentException(name + " must be text or json, got '" + raw + "'");
                }
                return v;
            });
    public static final Setting<Integer> STATS_INTERVAL_MS = declare("CARELINE_STATS_INTERVAL_MS")
            .millis(60_000, Integer.MAX_VALUE).property("careline.stats.interval-ms")
            .meaning("how often the figures' daily roll-ups fold in what the logs gained and count the no-show split "
                    + "of recent appointments again (docs/figures.md): the no-show split is this fresh; every other "
                    + "count is folded in again by each stats request");

    public static final Setting<Integer> STATS_SETTLE_MS = declare("CARELINE_STATS_SETTLE_MS")
            .number("ms, 0–600000", 30_000, 0, 600_000, "a number of milliseconds from 0 to 600000")
            .meaning("how old a log row must be before the roll-ups fold it in, so a transaction that commits a lower "
                    + "id after a higher one (a batch of webhooks under load, a lock wait) is never skipped; the "
                    + "figures of the last moments lag by this. Longer than any transaction the engine runs");

    public static final Setting<Integer> STATS_REOPEN_DAYS = declare("CARELINE_STATS_REOPEN_DAYS")
            .number("days, 1–400", 30, 1, 400, "a number of days from 1 to 400")
            .meaning("how many days back the no-show split is counted again each round: a no-show mark, a confirmation "
                    + "or a delivery status arriving later than this after the appointment no longer changes it");

    /** Every setting, in the order of the configuration table (and of checking: a rule may read those above it). */
    public static final List<Setting<?>> ALL = List.of(MLLP_PORT, MLLP_IDLE_TIMEOUT_MS, BIND_ADDRESS,
            MLLP_FIRST_FRAME_TIMEOUT_MS, MLLP_MAX_CONNECTIONS, MLLP_BACKLOG, MLLP_ALLOW, TLS_CERT, TLS_KEY, TLS_CLIENT_CA,
            MLLP_TLS, HTTP_TLS, HTTP_IDLE_TIMEOUT_MS, HTTP_PORT, DB_URL, DB_USER,
            DB_PASSWORD, TIMEZONE, PHONE_REGION, WHATSAPP_API_BASE, WHATSAPP_API_VERSION, WHATSAPP_PHONE_NUMBER_ID,
            WHATSAPP_ACCESS_TOKEN, ROUTES_DIR, MAPPINGS_DIR, SEND_RATE_PER_SECOND, DISPATCH_INTERVAL_MS,
            SEND_PARALLELISM, MAX_SEND_ATTEMPTS, RETRY_BASE_MS, RETRY_MAX_MS, SEND_TIMEOUT_MS, SEND_LEASE_MS,
            WHATSAPP_VERIFY_TOKEN, WHATSAPP_APP_SECRET, WEBHOOK_MAX_BYTES, WEBHOOK_INTERVAL_MS, SCHEDULING_MLLP,
            SCHEDULING_MLLP_TLS, WRITEBACK_INTERVAL_MS, SCHEDULING_TIMEOUT_MS, PORTAL_URL, PORTAL_LINK_SECRET, FHIR_BASE_URL, FHIR_TOKEN,
            FHIR_USERNAME, FHIR_PASSWORD, FHIR_TIMEOUT_MS, FHIR_NOTIFY_SECRET, FHIR_INTERVAL_MS, FHIR_CALLBACK_URL,
            FHIR_NOTIFY_OPEN, ADMIN_PASSWORD, LOGIN_MAX_FAILURES, LOGIN_LOCKOUT_MS, SESSION_IDLE_MS, SESSION_MAX_MS,
            SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_FROM, SMTP_STARTTLS, ALERT_INTERVAL_MS,
            ALERT_RETRY_BASE_MS, ALERT_RETRY_MAX_MS, ALERT_GIVE_UP_AFTER, ALERT_LINK_BASE, FEED_SILENT_AFTER,
            SCHEDULING_UNREACHABLE_AFTER, TRIAGE_INTERVAL_MS, MASTER_KEY, MASTER_KEY_FILE,
            KEY_RESEAL_INTERVAL_MS, METRICS_PORT, METRICS_CACHE_MS, LOG_FORMAT, STATS_INTERVAL_MS, STATS_SETTLE_MS,
            STATS_REOPEN_DAYS);

    private SettingsCatalog() {
    }

    private static Declaration declare(String name) {
        return new Declaration(name);
    }

    /** Collects one entry's description, then {@link #meaning} or {@link #reads} makes the Setting. */
    private static final class Declaration {
        private final String name;
        private String type;
        private String defaultText;
        private boolean secret;
        private String property;
        private String description;
        private Function<String, Setting.Reader<?>> rule;

        Declaration(String name) {
            this.name = name;
        }

        Declaration type(String type) {
            this.type = type;
            return this;
        }

        Declaration byDefault(String defaultText) {
            this.defaultText = defaultText;
            return this;
        }

        Declaration secret() {
            this.secret = true;
            return this;
        }

        Declaration property(String property) {
            this.property = property;
            return this;
        }

        /** A whole number with no range of its own. */
        Declaration number(String unit, int def) {
            return type(unit).byDefault("`" + def + "`").rule(key -> (raw, earlier) -> wholeNumber(key, raw, def));
        }

        /** A whole number from min to max; out of range fails with "KEY must be {phrase}, got 'V'". */
        Declaration number(String type, int def, int min, int max, String phrase) {
            return type(type).byDefault("`" + def + "`").rule(key -> (raw, earlier) -> {
                int v = wholeNumber(key, raw, def);
                if (v < min || v > max) {
                    throw new IllegalArgumentException(key + " must be " + phrase + ", got '" + v + "'");
                }
                return v;
            });
        }

        Declaration port(int def) {
            return number("port, 1–65535", def, 1, 65535, "a port number from 1 to 65535");
        }

        /** Milliseconds from 1 to max. */
        Declaration millis(int def, int max) {
            return number(max == Integer.MAX_VALUE ? "ms, at least 1" : "ms, 1–" + max, def, 1, max,
                    "a number of milliseconds from 1 to " + max);
        }

        /** Text with a default ("empty" when that is the empty string). */
        Declaration text(String type, String def) {
            return type(type).byDefault(def.isEmpty() ? "empty" : "`" + def + "`")
                    .rule(key -> (raw, earlier) -> raw == null ? def : raw);
        }

        /** Text that may be unset (null); {@code unset} says what that means. */
        Declaration optional(String type, String unset) {
            return type(type).byDefault(unset).rule(key -> (raw, earlier) -> raw);
        }

        Declaration path(String def) {
            return type("directory").byDefault("`" + def + "`")
                    .rule(key -> (raw, earlier) -> Path.of(raw == null ? def : raw));
        }

        private Declaration rule(Function<String, Setting.Reader<?>> rule) {
            this.rule = rule;
            return this;
        }

        /** The last step for an entry whose reading was given by number/text/optional/path/port/millis. */
        @SuppressWarnings("unchecked")
        <T> Setting<T> meaning(String description) {
            this.description = description;
            return new Setting<>(name, secret ? type + ", secret" : type, defaultText, secret, property, description,
                    (Setting.Reader<T>) rule.apply(name));
        }

        /** The last step for an entry with a rule of its own. */
        <T> Setting<T> reads(Function<String, Setting.Reader<T>> rule) {
            this.rule = rule::apply;
            return meaning(description);
        }

        Declaration about(String description) {
            this.description = description;
            return this;
        }
    }

    static int wholeNumber(String key, String raw, int def) {
        if (raw == null) {
            return def;
        }
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got '" + raw + "'");
        }
    }

    private static boolean booleanOf(String key, String raw, boolean def) {
        if (raw == null) {
            return def;
        }
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, got '" + raw + "'");
        };
    }

    /** A duration as in mappings/ (48h, 90m, 1d12h); "0" only where {@code zeroMeansOff}. */
    private static java.time.Duration durationOf(String key, String raw, String def, boolean zeroMeansOff) {
        String v = raw == null ? def : raw.trim();
        if (v.equals("0")) {
            if (zeroMeansOff) {
                return java.time.Duration.ZERO;
            }
            throw new IllegalArgumentException(key + " must be a duration above zero such as " + def + ", got '0'");
        }
        try {
            java.time.Duration d = DurationText.parse(v);
            if (d.isZero()) {
                throw new IllegalArgumentException("zero");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " must be a duration such as " + def
                    + (zeroMeansOff ? " (0 = off)" : "") + ", got '" + raw + "'");
        }
    }

    private static String bindAddressOf(String key, String v) {
        String address = v.startsWith("[") && v.endsWith("]") ? v.substring(1, v.length() - 1) : v;
        if (!io.netty.util.NetUtil.isValidIpV4Address(address) && !io.netty.util.NetUtil.isValidIpV6Address(address)) {
            throw new IllegalArgumentException(key + " must be an IPv4 or IPv6 address such as 0.0.0.0 or 127.0.0.1, "
                    + "got '" + v + "'");
        }
        return address;
    }

    /** TLS on a listener needs the certificate and its key (their contents are checked at start). */
    private static boolean needsCertificate(String key, boolean on, SettingValues earlier) {
        if (on && (earlier.get(TLS_CERT) == null || earlier.get(TLS_KEY) == null)) {
            throw new IllegalArgumentException(key + "=true needs CARELINE_TLS_CERT and CARELINE_TLS_KEY (PEM files)");
        }
        return on;
    }

    private static HostPort hostPortOf(String v) {
        Matcher m = HOST_PORT.matcher(v);
        if (!m.matches() || Integer.parseInt(m.group(3)) < 1 || Integer.parseInt(m.group(3)) > 65535) {
            throw new IllegalArgumentException("CARELINE_SCHEDULING_MLLP must be host:port of the scheduling system's "
                    + "MLLP listener (e.g. ehr.example.org:6661), got '" + v + "'");
        }
        return new HostPort(m.group(1), Integer.parseInt(m.group(3)));
    }

    /**
     * https only: the link carries a token that opens a patient's results page, so it must not travel in clear, and
     * a user name or password in it would be sent to every patient. http is let through for localhost alone (a
     * portal under development on the same machine).
     */
    static String portalUrlOf(String v) {
        String problem = null;
        if (!v.matches("https?://[^\\s?#]+")) {
            problem = "must be an https URL without query or fragment";
        } else if (v.substring(v.indexOf("//") + 2).split("/", 2)[0].contains("@")) {
            problem = "must not carry a user name or password";
        } else if (!v.startsWith("https://") && !v.matches("http://(localhost|127\\.0\\.0\\.1)(:\\d{1,5})?(/.*)?")) {
            problem = "must be https (http only for localhost)";
        }
        if (problem != null) {
            throw new IllegalArgumentException("CARELINE_PORTAL_URL " + problem + ", e.g. "
                    + "https://portal.example.org/results, got '" + UrlCredentials.mask(v) + "'");
        }
        return trimSlash(v);
    }

    /** Shorter than 32 bytes, an HMAC key is weaker than the hash behind it; the value itself is never echoed. */
    /**
     * The master key's text when it is base64 of exactly 32 bytes. The message names the variable and what is wrong,
     * never the value (it is the key).
     */
    static String masterKeyOf(String name, String raw) {
        String text = raw.strip();
        byte[] bytes;
        try {
            bytes = text.contains("-") || text.contains("_") ? java.util.Base64.getUrlDecoder().decode(text)
                    : java.util.Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not base64 (it must be base64 of 32 random bytes, e.g. "
                    + "openssl rand -base64 32)");
        }
        int length = bytes.length;
        java.util.Arrays.fill(bytes, (byte) 0);
        if (length != 32) {
            throw new IllegalArgumentException(name + " must be base64 of 32 bytes, not of " + length
                    + " (e.g. openssl rand -base64 32)");
        }
        return text;
    }

    /** The master key file's text; an unreadable file is named with the variable, never with its content. */
    public static String readKeyFile(String name, Path file) {
        try {
            if (java.nio.file.Files.size(file) > 4096) {
                throw new IllegalArgumentException(name + " names a file of more than 4096 bytes: not a key file");
            }
            return java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.US_ASCII);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException(name + " names a file that is not base64 text: " + file);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            throw new IllegalArgumentException(name + " names a file that cannot be read: " + file);
        }
    }

    static String portalSecretOf(String name, String raw) {
        if (raw != null && raw.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException(name + " must be at least 32 bytes (e.g. openssl rand -base64 32), got "
                    + raw.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
        return raw;
    }

    private static String httpUrlOf(String key, String v, String example) {
        if (v == null) {
            return null;
        }
        if (!v.matches("https?://\\S+")) {
            throw new IllegalArgumentException(key + " must be an http(s) URL such as " + example + ", got '" + v + "'");
        }
        return trimSlash(v);
    }

    private static String regionOf(String v) {
        String region = v.toUpperCase(Locale.ROOT);
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

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
