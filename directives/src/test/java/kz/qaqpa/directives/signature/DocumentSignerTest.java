package kz.qaqpa.directives.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import kz.qaqpa.directives.signature.OpenSslPki.KeyType;
import kz.qaqpa.directives.signature.OpenSslPki.Signer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What qaqpa sign makes, checked by openssl cms -verify as well as by Qaqpa. */
class DocumentSignerTest {

    private static final byte[] DOCUMENT = "{\"number\":\"1\"}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;

    private static OpenSslPki pki;

    @BeforeAll
    static void makePki() throws Exception {
        pki = OpenSslPki.create(dir, "Signer Test CA");
    }

    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = {"RSA", "EC_P256", "EC_P384", "ED25519"})
    void signatureFromAPemKeyVerifiesWithOpensslAndQaqpa(KeyType type) throws Exception {
        Signer signer = pki.issue("pem-" + type.name().toLowerCase(), type);
        DocumentSigner documentSigner = DocumentSigner.load(signer.key(), Optional.of(signer.certificate()), Optional.empty());

        byte[] signature = documentSigner.sign(DOCUMENT, true);

        if (type == KeyType.ED25519) { // OpenSSL 3.0 cannot verify Ed25519 CMS (see OpenSslPki); GnuTLS can.
            pki.verifyWithCerttool(signature);
        } else {
            assertThat(pki.verifyWithOpenssl(signature)).isEqualTo(DOCUMENT);
        }
        SignatureVerifier verifier = new SignatureVerifier(TrustSettings.load(List.of(pki.caCertificate()),
                List.of(signer.certificate()), List.of()), Clock.systemUTC());
        assertThat(verifier.verifyAttached(signature).content()).isEqualTo(DOCUMENT);
    }

    @Test
    void pkcs12KeyStoreCarriesItsOwnCertificate() throws Exception {
        Signer signer = pki.issue("p12", KeyType.RSA);
        Path p12 = pki.pkcs12(signer, "secret");

        byte[] signature = DocumentSigner.load(p12, Optional.empty(), Optional.of("secret".toCharArray())).sign(DOCUMENT, true);

        assertThat(pki.verifyWithOpenssl(signature)).isEqualTo(DOCUMENT);
    }

    @Test
    void pemSignatureIsTheSameStructure() throws Exception {
        Signer signer = pki.issue("pem-text", KeyType.EC_P256);
        byte[] der = DocumentSigner.load(signer.key(), Optional.of(signer.certificate()), Optional.empty()).sign(DOCUMENT, true);

        String pem = DocumentSigner.pem(der);

        assertThat(pem).startsWith("-----BEGIN CMS-----");
        SignatureVerifier verifier = new SignatureVerifier(TrustSettings.load(List.of(pki.caCertificate()),
                List.of(signer.certificate()), List.of()), Clock.systemUTC());
        assertThat(verifier.verifyAttached(pem.getBytes(StandardCharsets.US_ASCII)).content()).isEqualTo(DOCUMENT);
    }

    @Test
    void unreadableKeyIsNamed() throws Exception {
        Path notAKey = Files.writeString(dir.resolve("not-a-key.pem"), "hello");

        assertThatThrownBy(() -> DocumentSigner.load(notAKey, Optional.of(pki.caCertificate()), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not-a-key.pem");
    }
}
