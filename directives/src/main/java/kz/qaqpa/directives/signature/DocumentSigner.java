package kz.qaqpa.directives.signature;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import kz.qaqpa.blocklist.model.BouncyCastle;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Signs documents as CMS SignedData (RFC 5652) with a signingTime attribute, as
 * {@code openssl cms -sign} does: RSA (PKCS#1 v1.5), ECDSA and Ed25519 keys, from PEM files or a
 * PKCS#12 key store.
 */
public final class DocumentSigner {

    private static final Provider BC = BouncyCastle.PROVIDER;

    private final PrivateKey key;
    private final X509Certificate certificate;

    public DocumentSigner(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    /**
     * Loads a signer from a PEM or PKCS#12 key file and a PEM certificate. A PKCS#12 file may hold
     * the certificate itself, in which case {@code certificateFile} may be absent.
     *
     * @throws IllegalArgumentException saying what could not be read
     */
    public static DocumentSigner load(Path keyFile, Optional<Path> certificateFile, Optional<char[]> password) {
        try {
            if (isPkcs12(keyFile)) {
                return fromPkcs12(keyFile, certificateFile, password.orElse(new char[0]));
            }
            PrivateKey key = pemKey(keyFile, password);
            Path certificatePath = certificateFile.orElseThrow(
                    () -> new IllegalArgumentException("a PEM key needs its certificate (--cert)"));
            return new DocumentSigner(key, certificate(certificatePath));
        } catch (IOException | GeneralSecurityException | PKCSException | OperatorCreationException
                 | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the signing key " + keyFile + ": " + e.getMessage(), e);
        }
    }

    /** Signs {@code content}; with {@code attached} the content travels inside the signature. */
    public byte[] sign(byte[] content, boolean attached) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(BC).build())
                    .build(new JcaContentSignerBuilder(algorithm(key)).setProvider(BC).build(key), certificate));
            generator.addCertificates(new JcaCertStore(List.of(certificate)));
            return generator.generate(new CMSProcessableByteArray(content), attached).getEncoded();
        } catch (OperatorCreationException | CMSException | GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot sign: " + e.getMessage(), e);
        }
    }

    /** The same DER structure as PEM text ({@code -----BEGIN CMS-----}). */
    public static String pem(byte[] der) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new PemObject("CMS", der));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }

    public X509Certificate certificate() {
        return certificate;
    }

    private static String algorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> key instanceof ECPrivateKey ec && ec.getParams().getOrder().bitLength() > 256
                    ? "SHA384withECDSA" : "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm());
        };
    }

    private static boolean isPkcs12(Path keyFile) {
        String name = keyFile.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".p12") || name.endsWith(".pfx");
    }

    private static DocumentSigner fromPkcs12(Path keyFile, Optional<Path> certificateFile, char[] password)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyFile)) {
            store.load(in, password);
        }
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                PrivateKey key = (PrivateKey) store.getKey(alias, password);
                X509Certificate certificate = certificateFile.isPresent()
                        ? certificate(certificateFile.get())
                        : (X509Certificate) store.getCertificate(alias);
                return new DocumentSigner(key, certificate);
            }
        }
        throw new IllegalArgumentException("the key store holds no private key");
    }

    private static PrivateKey pemKey(Path keyFile, Optional<char[]> password)
            throws IOException, PKCSException, OperatorCreationException {
        try (Reader reader = Files.newBufferedReader(keyFile); PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(BC);
            if (object instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                char[] secret = password.orElseThrow(() -> new IllegalArgumentException("the key is encrypted: give --password"));
                return converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(
                        new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(secret)));
            }
            throw new IllegalArgumentException("no private key in the file");
        }
    }

    private static X509Certificate certificate(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

}
