package org.careline.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 14, finding 6: portal links go to an https portal without credentials in its URL, signed with a secret of
 * at least 32 bytes; anything else stops the start (and validate), naming the variable and never echoing a secret.
 */
class PortalSettingsTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            https://portal.example.org/results      | -
            https://portal.example.org:8443/r/      | -
            http://localhost:8080/results           | -
            http://127.0.0.1/results                | -
            http://portal.example.org/results       | must be https
            http://localhost.evil.org/results       | must be https
            https://user:pw@portal.example.org/r    | must not carry a user name or password
            https://user@portal.example.org/r       | must not carry a user name or password
            https://portal.example.org/r?x=1        | without query or fragment
            ftp://portal.example.org/r              | without query or fragment
            """)
    void portalUrl(String url, String problem) {
        Map<String, String> env = Map.of("CARELINE_PORTAL_URL", url);
        if (problem == null) {
            assertThat(Settings.from(env).portalUrl()).startsWith(url.substring(0, url.length() - 2));
        } else {
            assertThatThrownBy(() -> Settings.from(env)).hasMessageContaining("CARELINE_PORTAL_URL")
                    .hasMessageContaining(problem).hasMessageNotContaining(":pw@");
        }
    }

    @ParameterizedTest(name = "{0} bytes → starts={1}")
    @CsvSource(textBlock = """
            1,  false
            6,  false
            31, false
            32, true
            64, true
            """)
    void linkSecretOfAtLeast32Bytes(int bytes, boolean starts) {
        Map<String, String> env = new HashMap<>();
        String secret = "k".repeat(bytes);
        env.put("CARELINE_PORTAL_LINK_SECRET", secret);
        if (starts) {
            assertThat(Settings.from(env).portalLinkSecret()).isEqualTo(secret);
        } else {
            assertThatThrownBy(() -> Settings.from(env)).hasMessageContaining("CARELINE_PORTAL_LINK_SECRET")
                    .hasMessageContaining("at least 32 bytes").hasMessageNotContaining("kkkkk");
        }
    }

    @org.junit.jupiter.api.Test
    void anUnsetSecretStillStartsWithARandomOne() {
        assertThat(Settings.from(Map.of()).portalLinkSecret()).isNull();
    }
}
