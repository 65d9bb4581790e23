package org.careline.edge;

import org.apache.camel.support.jsse.ClientAuthentication;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.SSLContextServerParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.careline.config.TlsSettings;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Careline's certificate, its key and the clients' CA, read once from the PEM files of CARELINE_TLS_CERT, _KEY and
 * _CLIENT_CA into key stores that live only in memory (nothing is written to disk). Every problem is one line that
 * names the variable, thrown as a {@link TlsSetupException} at start or by {@code validate}.
 */
public final class TlsMaterial {

    /** Protects the in-memory key store only; it is never written anywhere, so a fresh random one per start. */
    private final char[] storePassword;
    private final KeyStore identity;
    private final KeyStore clientCas;

    private TlsMaterial(char[] storePassword, KeyStore identity, KeyStore clientCas) {
        this.storePassword = storePassword;
        this.identity = identity;
        this.clientCas = clientCas;
    }

    /** Thrown when a PEM file is missing, unreadable, of the wrong kind, or the key does not fit the certificate. */
    public static final class TlsSetupException extends IllegalStateException {
        TlsSetupException(String message) {
            super(message);
        }
    }

    /** Reads whatever of the three files is set; none set gives material that can do nothing (TLS is off). */
    public static TlsMaterial load(TlsSettings tls) {
        char[] password = HexFormat.of().formatHex(randomBytes()).toCharArray();
        KeyStore identity = null;
        if (tls.cert() != null || tls.key() != null) {
            if (tls.cert() == null || tls.key() == null) {
                throw new TlsSetupException((tls.cert() == null ? "CARELINE_TLS_CERT" : "CARELINE_TLS_KEY")
                        + " is unset; CARELINE_TLS_CERT and CARELINE_TLS_KEY go together");
            }
            List<X509Certificate> chain = certificates("CARELINE_TLS_CERT", tls.cert());
            PrivateKey key = privateKey(tls.key());
            requireMatch(key, chain.get(0));
            identity = emptyStore();
            try {
                identity.setKeyEntry("careline", key, password, chain.toArray(X509Certificate[]::new));
            } catch (GeneralSecurityException e) {
                throw new TlsSetupException("CARELINE_TLS_KEY: the key cannot be used with the certificate ("
                        + e.getMessage() + ")");
            }
        }
        KeyStore cas = null;
        if (tls.clientCa() != null) {
            cas = emptyStore();
            int i = 0;
            for (X509Certificate ca : certificates("CARELINE_TLS_CLIENT_CA", tls.clientCa())) {
                try {
                    cas.setCertificateEntry("ca-" + i++, ca);
                } catch (GeneralSecurityException e) {
                    throw new TlsSetupException("CARELINE_TLS_CLIENT_CA: " + e.getMessage());
                }
            }
        }
        return new TlsMaterial(password, identity, cas);
    }

    public boolean hasIdentity() {
        return identity != null;
    }

    public boolean hasClientCa() {
        return clientCas != null;
    }

    /** Careline's certificate and key, for a listener (or the client side of mutual TLS). */
    public KeyManagerFactory keyManagers() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(identity, storePassword);
            return kmf;
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException("CARELINE_TLS_KEY: " + e.getMessage());
        }
    }

    /** The CA(s) of CARELINE_TLS_CLIENT_CA, or null when unset. */
    public TrustManagerFactory clientCaTrust() {
        if (clientCas == null) {
            return null;
        }
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(clientCas);
            return tmf;
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException("CARELINE_TLS_CLIENT_CA: " + e.getMessage());
        }
    }

    /** For the MLLP listener: our certificate; with a client CA, a client certificate it signed is required. */
    public SSLContextParameters listener() {
        SSLContextParameters p = new SSLContextParameters();
        KeyManagersParameters km = new KeyManagersParameters();
        km.setKeyStore(storeParameters(identity));
        km.setKeyPassword(new String(storePassword));
        p.setKeyManagers(km);
        if (clientCas != null) {
            TrustManagersParameters tm = new TrustManagersParameters();
            tm.setKeyStore(storeParameters(clientCas));
            p.setTrustManagers(tm);
            SSLContextServerParameters server = new SSLContextServerParameters();
            server.setClientAuthentication(ClientAuthentication.REQUIRE.name());
            p.setServerParameters(server);
        }
        return p;
    }

    /**
     * For the write-back link to the scheduling system: trusts the CA file when set (else the JDK's CAs) and
     * presents our certificate when there is one.
     */
    public SSLContextParameters client() {
        SSLContextParameters p = new SSLContextParameters();
        if (identity != null) {
            KeyManagersParameters km = new KeyManagersParameters();
            km.setKeyStore(storeParameters(identity));
            km.setKeyPassword(new String(storePassword));
            p.setKeyManagers(km);
        }
        if (clientCas != null) {
            TrustManagersParameters tm = new TrustManagersParameters();
            tm.setKeyStore(storeParameters(clientCas));
            p.setTrustManagers(tm);
        }
        return p;
    }

    private KeyStoreParameters storeParameters(KeyStore store) {
        KeyStoreParameters ks = new KeyStoreParameters();
        ks.setKeyStore(store);
        ks.setPassword(new String(storePassword));
        return ks;
    }

    private static List<X509Certificate> certificates(String variable, Path file) {
        List<X509Certificate> certs = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object o : pemObjects(variable, file)) {
            if (o instanceof X509CertificateHolder holder) {
                try {
                    certs.add(converter.getCertificate(holder));
                } catch (GeneralSecurityException e) {
                    throw new TlsSetupException(variable + ": " + file + " holds a certificate that cannot be read ("
                            + e.getMessage() + ")");
                }
            }
        }
        if (certs.isEmpty()) {
            throw new TlsSetupException(variable + ": " + file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return certs;
    }

    private static PrivateKey privateKey(Path file) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        for (Object o : pemObjects("CARELINE_TLS_KEY", file)) {
            try {
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info); // PKCS#8: BEGIN PRIVATE KEY
                }
                if (o instanceof PEMKeyPair pair) {
                    // PKCS#1 RSA or SEC1 EC (whose public half is optional, so only the private half is read)
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
            } catch (IOException e) {
                throw new TlsSetupException("CARELINE_TLS_KEY: " + file + " holds a key that cannot be read ("
                        + e.getMessage() + ")");
            }
            if (o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair) {
                throw new TlsSetupException("CARELINE_TLS_KEY: " + file + " is encrypted; give the key unencrypted "
                        + "(openssl pkey -in key.pem -out plain.pem) and protect the file by its permissions");
            }
        }
        throw new TlsSetupException("CARELINE_TLS_KEY: " + file + " holds no PEM private key "
                + "(-----BEGIN PRIVATE KEY----- or RSA/EC PRIVATE KEY)");
    }

    /** Signs a random challenge with the key and checks it with the certificate: the two belong together. */
    private static void requireMatch(PrivateKey key, X509Certificate cert) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new TlsSetupException("CARELINE_TLS_KEY: unsupported key type " + key.getAlgorithm()
                    + " (RSA, EC or Ed25519)");
        };
        boolean fits;
        try {
            byte[] challenge = randomBytes();
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(challenge);
            fits = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            fits = false;
        }
        if (!fits) {
            throw new TlsSetupException("CARELINE_TLS_KEY does not match the certificate in CARELINE_TLS_CERT (the "
                    + "first certificate of the file must be Careline's own)");
        }
    }

    private static List<Object> pemObjects(String variable, Path file) {
        if (!Files.exists(file)) {
            throw new TlsSetupException(variable + ": no such file " + file);
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new TlsSetupException(variable + ": " + file + " is not a readable file");
        }
        List<Object> objects = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                objects.add(o);
            }
        } catch (IOException | RuntimeException e) {
            throw new TlsSetupException(variable + ": " + file + " is not a PEM file (" + e.getClass().getSimpleName()
                    + ")");
        }
        return objects;
    }

    private static KeyStore emptyStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("no PKCS12 key store in this JDK", e);
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
