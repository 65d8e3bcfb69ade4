package kz.qaqpa.loadtest;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import kz.qaqpa.directives.signature.DocumentSigner;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away CA and signer for benchmarks (EC P-256): what a gateway trusts and what signs the directives. */
public record BenchmarkAuthority(Path ca, Path certificate, DocumentSigner signer) {

    public static BenchmarkAuthority create(Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair caKeys = generator.generateKeyPair();
        KeyPair signerKeys = generator.generateKeyPair();
        X500Name caName = new X500Name("CN=Benchmark CA");
        Instant now = Instant.now();
        var caHolder = new JcaX509v3CertificateBuilder(caName, BigInteger.ONE, Date.from(now.minusSeconds(3600)),
                Date.from(now.plus(Duration.ofDays(30))), caName, caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate()));
        var signerHolder = new JcaX509v3CertificateBuilder(caName, BigInteger.valueOf(new SecureRandom().nextInt(1 << 30) + 2L),
                Date.from(now.minusSeconds(3600)), Date.from(now.plus(Duration.ofDays(30))), new X500Name("CN=Benchmark signer"),
                signerKeys.getPublic())
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate()));
        Path ca = dir.resolve("ca.pem");
        Path certificate = dir.resolve("signer.pem");
        write(ca, caHolder);
        write(certificate, signerHolder);
        var converter = new JcaX509CertificateConverter();
        return new BenchmarkAuthority(ca, certificate,
                new DocumentSigner(signerKeys.getPrivate(), converter.getCertificate(signerHolder)));
    }

    private static void write(Path file, Object object) throws IOException {
        try (JcaPEMWriter writer = new JcaPEMWriter(Files.newBufferedWriter(file))) {
            writer.writeObject(object);
        }
    }
}
