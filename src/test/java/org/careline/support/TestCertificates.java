package org.careline.support;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Certificates made in the test with Bouncy Castle: CAs, a server certificate for localhost/127.0.0.1 and client
 * certificates, as PEM files for the engine and as SSL contexts for the test's own clients.
 */
public final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A key pair and its certificate (the issuer's chain is not included). */
    public record Issued(KeyPair keys, X509Certificate cert) {

        /** The certificate as PEM. */
        public String certPem() {
            return pem(cert);
        }

        /** The private key as PKCS#8 PEM (BEGIN PRIVATE KEY). */
        public String keyPkcs8Pem() {
            try {
                return pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** The private key as OpenSSL's traditional PEM (BEGIN RSA PRIVATE KEY / EC PRIVATE KEY). */
        public String keyTraditionalPem() {
            return pem(keys.getPrivate());
        }

        /** A server context with this certificate, trusting clients' certificates from {@code clientCa}. */
        public SSLContext serverContext(Issued clientCa) {
            return TestCertificates.context(this, clientCa);
        }

        /** A client context presenting this certificate and trusting {@code serverCa}. */
        public SSLContext clientContext(Issued serverCa) {
            return TestCertificates.context(this, serverCa);
        }
    }

    private TestCertificates() {
    }

    public static Issued ca(String name) {
        return issue(name, null, true, false, "RSA");
    }

    /** For localhost and 127.0.0.1, signed by {@code ca}. */
    public static Issued server(Issued ca) {
        return issue("localhost", ca, false, true, "RSA");
    }

    public static Issued client(String name, Issued ca) {
        return issue(name, ca, false, false, "RSA");
    }

    public static Issued client(String name, Issued ca, String keyAlgorithm) {
        return issue(name, ca, false, false, keyAlgorithm);
    }

    /** A context with no client certificate, trusting {@code serverCa}. */
    public static SSLContext anonymousClient(Issued serverCa) {
        return context(null, serverCa);
    }

    public static Path write(Path dir, String name, String... pems) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, String.join("", pems));
        return file;
    }

    private static Issued issue(String cn, Issued issuer, boolean isCa, boolean server, String keyAlgorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(keyAlgorithm);
            generator.initialize(keyAlgorithm.equals("EC") ? 256 : 2048);
            KeyPair keys = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=" + cn + ",O=Careline test");
            X500Name issuerName = issuer == null ? subject
                    : X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded());
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(2))), subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (isCa) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            }
            if (server) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            }
            KeyPair signer = issuer == null ? keys : issuer.keys();
            String algorithm = signer.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(signer.getPrivate())));
            return new Issued(keys, cert);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static SSLContext context(Issued identity, Issued trusted) {
        try {
            char[] password = "test".toCharArray();
            KeyManagerFactory kmf = null;
            if (identity != null) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("me", identity.keys().getPrivate(), password, new X509Certificate[] {identity.cert()});
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, password);
            }
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("ca", trusted.cert());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(Object o) {
        try {
            StringWriter out = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
                writer.writeObject(o);
            }
            return out.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
