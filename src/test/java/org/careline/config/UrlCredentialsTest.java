package org.careline.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Credentials inside URLs never reach the log or the terminal (issue 14, finding 6). */
class UrlCredentialsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            jdbc:postgresql://db/careline?user=app&password=s3cret&ssl=true | jdbc:postgresql://db/careline?user=app&password=****&ssl=true
            jdbc:h2:file:./data/careline;PASSWORD=s3cret;WRITE_DELAY=0     | jdbc:h2:file:./data/careline;PASSWORD=****;WRITE_DELAY=0
            https://bob:hunter2@fhir.example.org/r4                        | https://bob:****@fhir.example.org/r4
            https://fhir.example.org/r4                                    | https://fhir.example.org/r4
            jdbc:h2:file:./data/careline;WRITE_DELAY=0                     | jdbc:h2:file:./data/careline;WRITE_DELAY=0
            CARELINE_FHIR_BASE_URL must be an http(s) URL, got 'ftp://a:b@x' | CARELINE_FHIR_BASE_URL must be an http(s) URL, got 'ftp://a:****@x'
            """)
    void credentialsAreMasked(String text, String shown) {
        assertThat(UrlCredentials.mask(text)).isEqualTo(shown);
    }
}
