package org.careline;

import org.careline.config.DemoGuard;
import org.careline.config.Settings;
import org.careline.config.SiteDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** When the shipped example sites stop a start: a token set and Meta's own host, never otherwise. */
class DemoSitesTest {

    private static final Path FILE = Path.of("mappings/sites.yaml");

    @ParameterizedTest
    @CsvSource({
        // token, API base,                         demo sites, refused
        "true,  https://graph.facebook.com,         main,       true",
        "true,  https://graph.facebook.com/,        main,       true",
        "true,  HTTPS://Graph.Facebook.com.,        main,       true",
        "true,  https://b-graph.graph.facebook.com, main,       true",
        "false, https://graph.facebook.com,         main,       false",
        "true,  http://localhost:8089,              main,       false",
        "true,  https://graph.facebook.com.evil.example, main,  false",
        "true,  https://staging.example.org/graph,  main,       false",
        "true,  not-a-url,                          main,       false",
        "true,  https://graph.facebook.com,         '',         false",
    })
    void refusesOnlyRealSendsWithADemoSite(boolean token, String base, String demo, boolean refused) {
        List<String> sites = demo.isEmpty() ? List.of() : List.of(demo.split(" "));
        assertThat(DemoGuard.refusal(token, base, sites, FILE).isPresent()).isEqualTo(refused);
    }

    @Test
    void theRefusalIsOneLineNamingTheSitesAndTheFile() {
        String why = DemoGuard.refusal(true, "https://graph.facebook.com", List.of("main", "demo-clinic"), FILE)
                .orElseThrow();
        assertThat(why).doesNotContain("\n").contains("main, demo-clinic", "mappings/sites.yaml", "graph.facebook.com");
    }

    @Test
    void everyShippedSiteIsADemoSiteAndTheExampleSiteHasNoQuietHours() {
        SiteDirectory sites = SiteDirectory.load(Path.of("mappings"), ZoneId.of("America/New_York"), "US");
        assertThat(sites.demoSites()).containsExactly("main", "demo-clinic", "gh-clinic", "royal-london");
        assertThat(sites.resolve(List.of("Demo Clinic")).code()).isEqualTo("demo-clinic");
        assertThat(sites.site("demo-clinic").policy().hasQuietHours()).isFalse();
        // The other example sites keep the default quiet hours.
        assertThat(sites.site("gh-clinic").policy().hasQuietHours()).isTrue();
        assertThat(sites.site("main").policy().hasQuietHours()).isTrue();
    }

    @Test
    void validateAndTheEngineSayItInOneLine() throws Exception {
        java.util.Map<String, String> env = new java.util.HashMap<>();
        env.put("CARELINE_ROUTES_DIR", Path.of("routes").toAbsolutePath().toString());
        env.put("CARELINE_MAPPINGS_DIR", Path.of("mappings").toAbsolutePath().toString());
        env.put("WHATSAPP_ACCESS_TOKEN", "EAAG-real-looking-token");
        env.put("WHATSAPP_API_BASE", "https://graph.facebook.com");
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = Careline.commandLine(env);
        cli.setOut(new java.io.PrintWriter(new java.io.StringWriter(), true));
        cli.setErr(new java.io.PrintWriter(err, true));
        assertThat(cli.execute("validate")).isEqualTo(2);
        assertThat(err.toString()).contains("careline: demo sites main, demo-clinic, gh-clinic, royal-london configured"
                + " while WHATSAPP_ACCESS_TOKEN sends through graph.facebook.com", "sites.yaml");

        env.put("CARELINE_DB_URL", "jdbc:h2:mem:demo-guard");
        env.put("CARELINE_HTTP_PORT", String.valueOf(org.careline.support.EngineFixture.freePort()));
        env.put("CARELINE_MLLP_PORT", String.valueOf(org.careline.support.EngineFixture.freePort()));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> org.careline.Engine.start(Settings.from(env),
                        java.time.Clock.systemUTC()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("demo sites main, demo-clinic, gh-clinic, royal-london")
                .hasMessageNotContaining("\n");

        // A stand-in base (as the tests use) is allowed: validate passes.
        env.put("WHATSAPP_API_BASE", "http://localhost:9");
        java.io.StringWriter ok = new java.io.StringWriter();
        cli.setOut(new java.io.PrintWriter(ok, true));
        assertThat(cli.execute("validate")).as(err.toString()).isZero();
    }
}
