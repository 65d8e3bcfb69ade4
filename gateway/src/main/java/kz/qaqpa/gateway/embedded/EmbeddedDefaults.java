package kz.qaqpa.gateway.embedded;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import kz.qaqpa.directives.store.PrivateFiles;
import kz.qaqpa.gateway.config.TrustFiles;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * What the embedded mode makes for itself on first start, so that a fresh machine can sign and
 * submit a directive with no set-up: a demo PKI (a CA and one authorised signer, EC P-256) under
 * {@code data/pki}, and an admin token in {@code data/admin-token}. Never used when trust anchors
 * or an admin token are configured. The demo CA is for trying Qaqpa out, not for real directives.
 */
public final class EmbeddedDefaults {

    private static final Duration CA_LIFETIME = Duration.ofDays(3650);
    private static final Duration SIGNER_LIFETIME = Duration.ofDays(730);

    private EmbeddedDefaults() {
    }

    /** The demo PKI's CA certificate, signer certificate and key, made on first use. */
    public record DemoPki(Path caCertificate, Path signerCertificate, Path signerKey) {

        public TrustFiles trust() {
            return new TrustFiles(List.of(caCertificate), List.of(signerCertificate), List.of());
        }
    }

    public static DemoPki demoPki(Path dataDir) {
        Path dir = dataDir.resolve("pki");
        DemoPki pki = new DemoPki(dir.resolve("ca.pem"), dir.resolve("signer.pem"), dir.resolve("signer.key"));
        if (Files.exists(pki.caCertificate()) && Files.exists(pki.signerCertificate()) && Files.exists(pki.signerKey())) {
            return pki;
        }
        try {
            Files.createDirectories(dir);
            KeyPair ca = ecKeyPair();
            KeyPair signer = ecKeyPair();
            X500Name caName = new X500Name("CN=Qaqpa demo CA,O=Qaqpa embedded mode");
            Instant now = Instant.now();
            X509CertificateHolder caCertificate = certificate(caName, caName, ca, ca, now, CA_LIFETIME, true);
            X509CertificateHolder signerCertificate = certificate(caName,
                    new X500Name("CN=Demo authority signer,O=Qaqpa embedded mode"), signer, ca, now, SIGNER_LIFETIME, false);
            writePem(pki.caCertificate(), caCertificate);
            writePem(pki.signerCertificate(), signerCertificate);
            writeSecretPem(pki.signerKey(), signer.getPrivate());
            writeSecretPem(dir.resolve("ca.key"), ca.getPrivate());
            return pki;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo PKI to " + dir, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the demo PKI", e);
        }
    }

    /** The gateway's own signing key and its self-signed certificate, for what it sends to recipients. */
    public record GatewayIdentity(Path certificate, Path key) {
    }

    /** Where the gateway made its own certificate in {@code dataDir}, whether or not it has yet. */
    public static Path gatewayCertificate(Path dataDir) {
        return dataDir.resolve("pki").resolve("gateway.pem");
    }

    /**
     * The gateway's own key ({@code data/pki/gateway.key}, EC P-256) and a self-signed certificate
     * for it ({@code gateway.pem}), made on first use when none is configured. Recipients check the
     * signatures on webhooks and manifests with this certificate.
     */
    public static GatewayIdentity gatewayIdentity(Path dataDir) {
        Path dir = dataDir.resolve("pki");
        GatewayIdentity identity = new GatewayIdentity(gatewayCertificate(dataDir), dir.resolve("gateway.key"));
        if (Files.exists(identity.certificate()) && Files.exists(identity.key())) {
            return identity;
        }
        try {
            Files.createDirectories(dir);
            KeyPair keys = ecKeyPair();
            X500Name name = new X500Name("CN=Qaqpa gateway,O=Qaqpa");
            writePem(identity.certificate(), certificate(name, name, keys, keys, Instant.now(), SIGNER_LIFETIME, false));
            writeSecretPem(identity.key(), keys.getPrivate());
            return identity;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the gateway's key to " + dir, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the gateway's key", e);
        }
    }

    /** The admin token kept in {@code data/admin-token}, made (192 random bits) on first use. */
    public static String adminToken(Path dataDir) {
        Path file = dataDir.resolve("admin-token");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).strip();
            }
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String token = HexFormat.of().formatHex(random);
            writeSecret(file, token + "\n");
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the admin token in " + file, e);
        }
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509CertificateHolder certificate(X500Name issuer, X500Name subject, KeyPair subjectKeys,
                                                     KeyPair issuerKeys, Instant now, Duration lifetime, boolean ca)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(lifetime)), subject, subjectKeys.getPublic());
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        builder.addExtension(Extension.keyUsage, true, ca
                ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
                : new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
        builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(subjectKeys.getPublic()));
        return builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate()));
    }

    private static void writePem(Path file, Object object) throws IOException {
        try (Writer writer = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(writer)) {
            pem.writeObject(object);
        }
    }

    /** Writes a private key as unencrypted PKCS#8 ("PRIVATE KEY"), which openssl and qaqpa sign both read. */
    private static void writeSecretPem(Path file, PrivateKey key) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            pem.writeObject(new JcaPKCS8Generator(key, null));
        }
        writeSecret(file, text.toString());
    }

    private static void writeSecret(Path file, String text) {
        PrivateFiles.writeSecret(file, text);
    }
}
