package org.careline.edge;

import org.careline.config.TlsSettings;
import org.careline.support.TestCertificates;
import org.careline.support.TestCertificates.Issued;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The PEM files of CARELINE_TLS_CERT, _KEY and _CLIENT_CA: the forms read, and one clear line for each mistake. */
class TlsMaterialTest {

    private static Issued ca;
    private static Issued server;

    @TempDir
    Path dir;

    @BeforeAll
    static void certificates() {
        ca = TestCertificates.ca("Careline test CA");
        server = TestCertificates.server(ca);
    }

    @Test
    void readsPkcs8AndPkcs1RsaKeysAndAnEcKey() throws Exception {
        Path cert = TestCertificates.write(dir, "cert.pem", server.certPem(), ca.certPem());
        for (String key : new String[] {server.keyPkcs8Pem(), server.keyTraditionalPem()}) {
            TlsMaterial m = TlsMaterial.load(settings(cert, TestCertificates.write(dir, "key.pem", key), null));
            assertThat(m.hasIdentity()).isTrue();
            assertThat(m.keyManagers().getKeyManagers()).isNotEmpty();
        }
        Issued ec = TestCertificates.client("ec-server", ca, "EC");
        TlsMaterial m = TlsMaterial.load(settings(TestCertificates.write(dir, "ec.pem", ec.certPem()),
                TestCertificates.write(dir, "ec-key.pem", ec.keyPkcs8Pem()),
                TestCertificates.write(dir, "ca.pem", ca.certPem())));
        assertThat(m.hasClientCa()).isTrue();
    }

    @Test
    void aMissingFileNamesItsVariable() throws Exception {
        Path key = TestCertificates.write(dir, "key.pem", server.keyPkcs8Pem());
        assertThatThrownBy(() -> TlsMaterial.load(settings(dir.resolve("nope.pem"), key, null)))
                .isInstanceOf(TlsMaterial.TlsSetupException.class)
                .hasMessageStartingWith("CARELINE_TLS_CERT: no such file");
        Path cert = TestCertificates.write(dir, "cert.pem", server.certPem());
        assertThatThrownBy(() -> TlsMaterial.load(settings(cert, key, dir.resolve("ca.pem"))))
                .hasMessageStartingWith("CARELINE_TLS_CLIENT_CA: no such file");
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefused() throws Exception {
        Issued other = TestCertificates.client("other", ca);
        assertThatThrownBy(() -> TlsMaterial.load(settings(TestCertificates.write(dir, "cert.pem", server.certPem()),
                TestCertificates.write(dir, "key.pem", other.keyPkcs8Pem()), null)))
                .hasMessage("CARELINE_TLS_KEY does not match the certificate in CARELINE_TLS_CERT (the first "
                        + "certificate of the file must be Careline's own)");
    }

    @Test
    void filesOfTheWrongKindAreNamed() throws Exception {
        Path key = TestCertificates.write(dir, "key.pem", server.keyPkcs8Pem());
        Path cert = TestCertificates.write(dir, "cert.pem", server.certPem());
        assertThatThrownBy(() -> TlsMaterial.load(settings(key, key, null)))
                .hasMessageContaining("CARELINE_TLS_CERT: ").hasMessageContaining("holds no PEM certificate");
        assertThatThrownBy(() -> TlsMaterial.load(settings(cert, cert, null)))
                .hasMessageContaining("CARELINE_TLS_KEY: ").hasMessageContaining("holds no PEM private key");
        assertThatThrownBy(() -> TlsMaterial.load(settings(cert, null, null)))
                .hasMessageStartingWith("CARELINE_TLS_KEY is unset");
    }

    private static TlsSettings settings(Path cert, Path key, Path clientCa) {
        return new TlsSettings(cert, key, clientCa, true, false, false);
    }
}
