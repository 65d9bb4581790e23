package org.careline.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether the shipped example sites may be configured: not while messages would go to real patients. That is when
 * an access token is set and the Cloud API base is Meta's own host; the sandbox (no token) and a stand-in base (as
 * tests and staging use) are allowed. Pure: the engine's start and {@code careline validate} both ask it.
 */
public final class DemoGuard {

    /** Meta's Graph API host: sends through it reach real WhatsApp users. */
    static final String META_HOST = "graph.facebook.com";

    private DemoGuard() {
    }

    /** The one-line refusal, or empty when the configuration may run. */
    public static Optional<String> refusal(boolean tokenSet, String apiBase, List<String> demoSites, Path sitesFile) {
        if (!tokenSet || demoSites.isEmpty() || !isMeta(apiBase)) {
            return Optional.empty();
        }
        return Optional.of("demo site" + (demoSites.size() == 1 ? " " : "s ") + String.join(", ", demoSites)
                + " configured while WHATSAPP_ACCESS_TOKEN sends through " + META_HOST
                + ": replace the example sites in " + sitesFile + " with your own (or remove 'demo: true' from a"
                + " site you really run)");
    }

    /** Whether {@code apiBase} points at Meta's host (or a subdomain of it); a text that is no URL is not Meta. */
    static boolean isMeta(String apiBase) {
        if (apiBase == null) {
            return false;
        }
        try {
            String host = URI.create(apiBase.trim()).getHost();
            if (host == null) {
                return false;
            }
            host = host.toLowerCase(Locale.ROOT);
            if (host.endsWith(".")) {
                host = host.substring(0, host.length() - 1);
            }
            return host.equals(META_HOST) || host.endsWith("." + META_HOST);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
