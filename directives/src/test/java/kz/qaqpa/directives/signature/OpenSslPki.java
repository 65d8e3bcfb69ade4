package kz.qaqpa.directives.signature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test PKI made by command-line tools, not by Qaqpa: a CA, signer certificates issued by
 * {@code openssl ca}, CRLs, and CMS signatures by {@code openssl cms -sign}.
 *
 * <p>OpenSSL 3.0 (Debian 12) cannot make Ed25519 CMS signatures ("invalid digest" in
 * eddsa_digest_signverify_init), so Ed25519 signatures come from GnuTLS's {@code certtool --p7-sign}
 * (Debian package gnutls-bin), over the same openssl-made key and certificate.
 */
public final class OpenSslPki {

    /** Key types of signers. */
    public enum KeyType { RSA, RSA_PSS, EC_P256, EC_P384, ED25519 }

    /** How a signature is written. */
    public enum Encoding { DER, PEM }

    /** A signer: its openssl-made certificate and key files. */
    public record Signer(String name, KeyType type, Path certificate, Path key) {
    }

    private static final DateTimeFormatter OPENSSL_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final String SIGNING_USAGE = "critical,digitalSignature,nonRepudiation";

    private final Path dir;

    private OpenSslPki(Path dir) {
        this.dir = dir;
    }

    /** A new CA (EC P-256, valid ten years) in {@code dir}. */
    public static OpenSslPki create(Path dir, String caName) throws IOException {
        Files.createDirectories(dir.resolve("newcerts"));
        Files.writeString(dir.resolve("index.txt"), "");
        Files.writeString(dir.resolve("serial"), "1000\n");
        Files.writeString(dir.resolve("crlnumber"), "1000\n");
        Files.writeString(dir.resolve("ca.cnf"), String.join("\n",
                "[ ca ]", "default_ca = test_ca",
                "[ test_ca ]", "dir = " + dir.toAbsolutePath(),
                "database = $dir/index.txt", "new_certs_dir = $dir/newcerts", "certificate = $dir/ca.pem",
                "private_key = $dir/ca.key", "serial = $dir/serial", "crlnumber = $dir/crlnumber",
                "default_md = sha256", "default_crl_days = 30", "policy = any", "unique_subject = no",
                "copy_extensions = none",
                "[ any ]", "commonName = supplied", "organizationName = optional",
                "[ req ]", "distinguished_name = dn", "[ dn ]", ""));
        OpenSslPki pki = new OpenSslPki(dir);
        pki.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "3650", "-subj", "/O=Qaqpa tests/CN=" + caName,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return pki;
    }

    public Path caCertificate() {
        return dir.resolve("ca.pem");
    }

    /** A signer valid from yesterday for ten years, allowed to sign. */
    public Signer issue(String name, KeyType type) throws IOException {
        Instant now = Instant.now();
        return issue(name, type, now.minus(1, ChronoUnit.DAYS), now.plus(3650, ChronoUnit.DAYS), SIGNING_USAGE);
    }

    /** A signer with the given validity and key usage extension value. */
    public Signer issue(String name, KeyType type, Instant notBefore, Instant notAfter, String keyUsage) throws IOException {
        return issueWith(name, type, notBefore, notAfter, "keyUsage=" + keyUsage + "\n");
    }

    /** A TLS server certificate (EC P-256) for 127.0.0.1 and localhost, valid from yesterday for a year. */
    public Signer issueTlsServer(String name) throws IOException {
        Instant now = Instant.now();
        return issueWith(name, KeyType.EC_P256, now.minus(1, ChronoUnit.DAYS), now.plus(365, ChronoUnit.DAYS),
                "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n");
    }

    /** A TLS client certificate (EC P-256) with subject CN {@code name}, valid from yesterday for a year. */
    public Signer issueTlsClient(String name) throws IOException {
        Instant now = Instant.now();
        return issueWith(name, KeyType.EC_P256, now.minus(1, ChronoUnit.DAYS), now.plus(365, ChronoUnit.DAYS),
                "keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n");
    }

    private Signer issueWith(String name, KeyType type, Instant notBefore, Instant notAfter, String extensionLines)
            throws IOException {
        Path key = dir.resolve(name + ".key");
        switch (type) {
            case RSA, RSA_PSS -> openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key.toString());
            case EC_P256 -> openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
            case EC_P384 -> openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", key.toString());
            case ED25519 -> openssl("genpkey", "-algorithm", "ED25519", "-out", key.toString());
        }
        Path csr = dir.resolve(name + ".csr");
        Path certificate = dir.resolve(name + ".pem");
        Path extensions = dir.resolve(name + ".ext");
        Files.writeString(extensions, extensionLines);
        openssl("req", "-new", "-key", key.toString(), "-subj", "/O=Qaqpa tests/CN=" + name, "-out", csr.toString(),
                "-config", "ca.cnf");
        openssl("ca", "-batch", "-config", "ca.cnf", "-in", csr.toString(), "-out", certificate.toString(),
                "-startdate", OPENSSL_TIME.format(notBefore), "-enddate", OPENSSL_TIME.format(notAfter),
                "-extfile", extensions.toString());
        return new Signer(name, type, certificate, key);
    }

    /** Revokes the signers' certificates and returns a fresh CRL that lists them. */
    public Path crlRevoking(Signer... revoked) throws IOException {
        return crlRevoking(java.time.Duration.ofDays(30), revoked);
    }

    /** The same, with its {@code nextUpdate} this far ahead. */
    public Path crlRevoking(java.time.Duration validFor, Signer... revoked) throws IOException {
        for (Signer signer : revoked) {
            openssl("ca", "-config", "ca.cnf", "-revoke", signer.certificate().toString());
        }
        Path crl = dir.resolve("crl-" + System.nanoTime() + ".pem");
        openssl("ca", "-config", "ca.cnf", "-gencrl", "-crlsec", Long.toString(validFor.toSeconds()), "-out", crl.toString());
        return crl;
    }

    /** {@code openssl cms -sign -nodetach}: the content inside the signature. */
    public byte[] signAttached(Signer signer, byte[] content, Encoding encoding) throws IOException {
        return sign(signer, content, encoding, true);
    }

    /** {@code openssl cms -sign}: a detached signature over the content. */
    public byte[] signDetached(Signer signer, byte[] content, Encoding encoding) throws IOException {
        return sign(signer, content, encoding, false);
    }

    private byte[] sign(Signer signer, byte[] content, Encoding encoding, boolean attached) throws IOException {
        if (signer.type() == KeyType.ED25519) {
            return signWithCerttool(signer, content, encoding, attached);
        }
        Path in = Files.createTempFile(dir, "content", ".json");
        Path out = Files.createTempFile(dir, "signature", ".p7");
        Files.write(in, content);
        List<String> command = new ArrayList<>(List.of("cms", "-sign", "-binary", "-in", in.toString(),
                "-signer", signer.certificate().toString(), "-inkey", signer.key().toString(),
                "-outform", encoding.name(), "-out", out.toString()));
        if (attached) {
            command.add("-nodetach");
        }
        if (signer.type() == KeyType.RSA_PSS) {
            command.addAll(List.of("-keyopt", "rsa_padding_mode:pss"));
        }
        openssl(command.toArray(String[]::new));
        return Files.readAllBytes(out);
    }

    /** The signer's key and certificate as a PKCS#12 file ({@code openssl pkcs12 -export}). */
    public Path pkcs12(Signer signer, String password) throws IOException {
        Path file = dir.resolve(signer.name() + ".p12");
        openssl("pkcs12", "-export", "-inkey", signer.key().toString(), "-in", signer.certificate().toString(),
                "-out", file.toString(), "-passout", "pass:" + password);
        return file;
    }

    /** Whether {@code openssl cms -verify} accepts an attached DER signature against this CA, and its content. */
    public byte[] verifyWithOpenssl(byte[] signature) throws IOException {
        Path in = Files.createTempFile(dir, "verify", ".p7m");
        Path out = Files.createTempFile(dir, "verified", ".json");
        Files.write(in, signature);
        openssl("cms", "-verify", "-binary", "-inform", "DER", "-in", in.toString(), "-CAfile", caCertificate().toString(),
                "-purpose", "any", "-out", out.toString());
        return Files.readAllBytes(out);
    }

    /** Whether GnuTLS's {@code certtool --p7-verify} accepts an attached DER signature against this CA. */
    public void verifyWithCerttool(byte[] signature) throws IOException {
        Path in = Files.createTempFile(dir, "verify", ".p7");
        Files.write(in, signature);
        run(List.of("certtool", "--p7-verify", "--inder", "--infile", in.toString(),
                "--load-ca-certificate", caCertificate().toString()));
    }

    private byte[] signWithCerttool(Signer signer, byte[] content, Encoding encoding, boolean attached) throws IOException {
        Path in = Files.createTempFile(dir, "content", ".json");
        Path out = Files.createTempFile(dir, "signature", ".p7");
        Files.write(in, content);
        List<String> command = new ArrayList<>(List.of("certtool", attached ? "--p7-sign" : "--p7-detached-sign",
                "--load-privkey", signer.key().toString(), "--load-certificate", signer.certificate().toString(),
                "--infile", in.toString(), "--outfile", out.toString(), "--p7-include-cert", "--p7-time"));
        if (encoding == Encoding.DER) {
            command.add("--outder");
        }
        run(command);
        return Files.readAllBytes(out);
    }

    private void openssl(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        run(command);
    }

    private void run(List<String> command) throws IOException {
        Path log = Files.createTempFile(dir, "openssl", ".log");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed:\n" + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
