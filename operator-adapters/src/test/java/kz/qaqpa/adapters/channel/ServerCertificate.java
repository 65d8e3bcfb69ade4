package kz.qaqpa.adapters.channel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A TLS server's key and self-signed certificate for 127.0.0.1, made by openssl. */
public record ServerCertificate(Path keyStore, String password, String pem) {

    public static ServerCertificate make(Path dir, String name) throws IOException, InterruptedException {
        Path key = dir.resolve(name + ".key");
        Path certificate = dir.resolve(name + ".crt");
        Path keyStore = dir.resolve(name + ".p12");
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
                "-out", certificate.toString(), "-days", "2", "-subj", "/CN=" + name,
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        run(dir, "openssl", "pkcs12", "-export", "-in", certificate.toString(), "-inkey", key.toString(),
                "-out", keyStore.toString(), "-passout", "pass:secret", "-name", name);
        return new ServerCertificate(keyStore, "secret", Files.readString(certificate));
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "openssl", ".log");
        Process process = new ProcessBuilder(List.of(command)).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + Files.readString(log));
        }
    }
}
