package kz.qaqpa.directives.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;
import kz.qaqpa.directives.signature.OpenSslPki.Encoding;
import kz.qaqpa.directives.signature.OpenSslPki.KeyType;
import kz.qaqpa.directives.signature.OpenSslPki.Signer;
import kz.qaqpa.directives.signature.SignatureRejectedException.Reason;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Signatures made by the openssl command line, verified by Qaqpa. */
class SignatureVerifierTest {

    private static final byte[] DOCUMENT = "{\"schema\":\"qaqpa.directive/v1\",\"number\":\"12-3/456\"}"
            .getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;

    private static OpenSslPki pki;
    private static OpenSslPki foreignPki;
    private static List<Signer> signers;
    private static Signer rsa;
    private static Signer expired;
    private static Signer notYetValid;
    private static Signer encipherOnly;
    private static Signer unlisted;
    private static Signer revoked;
    private static Signer foreign;
    private static Path crl;

    @BeforeAll
    static void makePki() throws IOException {
        pki = OpenSslPki.create(dir.resolve("authority"), "Authority Test CA");
        signers = Stream.of(KeyType.values()).map(type -> issue(type.name().toLowerCase(), type)).toList();
        rsa = signers.get(0);
        Instant now = Instant.now();
        expired = pki.issue("expired", KeyType.EC_P256, now.minus(400, ChronoUnit.DAYS), now.minus(1, ChronoUnit.DAYS),
                "critical,digitalSignature");
        notYetValid = pki.issue("future", KeyType.EC_P256, now.plus(30, ChronoUnit.DAYS), now.plus(400, ChronoUnit.DAYS),
                "critical,digitalSignature");
        encipherOnly = pki.issue("encipher", KeyType.RSA, now.minus(1, ChronoUnit.DAYS), now.plus(400, ChronoUnit.DAYS),
                "critical,keyEncipherment");
        unlisted = pki.issue("unlisted", KeyType.EC_P256);
        revoked = pki.issue("revoked", KeyType.EC_P256);
        crl = pki.crlRevoking(revoked);
        foreignPki = OpenSslPki.create(dir.resolve("foreign"), "Someone Else CA");
        foreign = foreignPki.issue("foreign", KeyType.EC_P256);
    }

    private static Signer issue(String name, KeyType type) {
        try {
            return pki.issue(name, type);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SignatureVerifier verifier() {
        List<Signer> authorised = Stream.concat(signers.stream(),
                Stream.of(expired, notYetValid, encipherOnly, revoked, foreign)).toList();
        return new SignatureVerifier(TrustSettings.load(List.of(pki.caCertificate()),
                authorised.stream().map(Signer::certificate).toList(), List.of(crl)), Clock.systemUTC());
    }

    static Stream<Arguments> everySignerEveryEncoding() {
        return Stream.of(KeyType.values()).flatMap(type -> Stream.of(Encoding.values())
                .flatMap(encoding -> Stream.of(true, false).map(attached -> Arguments.of(type, encoding, attached))));
    }

    @ParameterizedTest(name = "{0} {1} attached={2}")
    @MethodSource("everySignerEveryEncoding")
    void signatureMadeByOpensslIsAccepted(KeyType type, Encoding encoding, boolean attached) throws IOException {
        Signer signer = signers.get(type.ordinal());
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        VerifiedDocument verified = attached
                ? verifier().verifyAttached(pki.signAttached(signer, DOCUMENT, encoding))
                : verifier().verifyDetached(DOCUMENT, pki.signDetached(signer, DOCUMENT, encoding));

        assertThat(verified.content()).isEqualTo(DOCUMENT);
        assertThat(verified.signer().subject()).contains("CN=" + signer.name());
        assertThat(verified.signer().issuer()).contains("CN=Authority Test CA");
        assertThat(verified.signer().fingerprintSha256()).hasSize(64);
        assertThat(verified.signingTime()).isBetween(before.minus(Duration.ofSeconds(5)), Instant.now().plusSeconds(1));
    }

    @Test
    void tamperedAttachedContentIsABadSignature() throws IOException {
        byte[] signature = pki.signAttached(rsa, DOCUMENT, Encoding.DER);
        int at = indexOf(signature, "12-3/456".getBytes(StandardCharsets.UTF_8));
        signature[at] = '9';

        assertRejected(() -> verifier().verifyAttached(signature), Reason.BAD_SIGNATURE);
    }

    @Test
    void detachedSignatureOverOtherContentIsABadSignature() throws IOException {
        byte[] signature = pki.signDetached(rsa, DOCUMENT, Encoding.DER);
        byte[] other = new String(DOCUMENT, StandardCharsets.UTF_8).replace("456", "457").getBytes(StandardCharsets.UTF_8);

        assertRejected(() -> verifier().verifyDetached(other, signature), Reason.BAD_SIGNATURE);
    }

    @Test
    void signerOfAnotherCaIsUntrustedEvenWhenListed() throws IOException {
        assertRejected(() -> verifier().verifyAttached(foreignPki.signAttached(foreign, DOCUMENT, Encoding.DER)), Reason.UNTRUSTED);
    }

    @Test
    void expiredCertificateIsRefused() throws IOException {
        assertRejected(() -> verifier().verifyAttached(pki.signAttached(expired, DOCUMENT, Encoding.DER)), Reason.EXPIRED);
    }

    @Test
    void notYetValidCertificateIsRefused() throws IOException {
        assertRejected(() -> verifier().verifyAttached(pki.signAttached(notYetValid, DOCUMENT, Encoding.DER)), Reason.NOT_YET_VALID);
    }

    @Test
    void certificateThatMayNotSignIsRefused() throws IOException {
        assertRejected(() -> verifier().verifyAttached(pki.signAttached(encipherOnly, DOCUMENT, Encoding.DER)), Reason.KEY_USAGE);
    }

    @Test
    void trustedButUnlistedSignerIsNotAuthorised() throws IOException {
        assertRejected(() -> verifier().verifyAttached(pki.signAttached(unlisted, DOCUMENT, Encoding.DER)), Reason.NOT_AUTHORISED);
    }

    @Test
    void revokedSignerIsRefused() throws IOException {
        assertRejected(() -> verifier().verifyAttached(pki.signAttached(revoked, DOCUMENT, Encoding.DER)), Reason.REVOKED);
    }

    @Test
    void revokedSignerIsAcceptedWhenNoCrlIsConfigured() throws IOException {
        SignatureVerifier withoutCrl = new SignatureVerifier(TrustSettings.load(List.of(pki.caCertificate()),
                List.of(revoked.certificate()), List.of()), Clock.systemUTC());

        assertThat(withoutCrl.verifyAttached(pki.signAttached(revoked, DOCUMENT, Encoding.DER)).content()).isEqualTo(DOCUMENT);
    }

    @Test
    void detachedSignatureGivenAsAttachedIsUnsigned() throws IOException {
        assertRejected(() -> verifier().verifyAttached(pki.signDetached(rsa, DOCUMENT, Encoding.DER)), Reason.UNSIGNED);
    }

    @Test
    void plainJsonOrGarbageIsMalformed() {
        assertRejected(() -> verifier().verifyAttached(DOCUMENT), Reason.MALFORMED);
        assertRejected(() -> verifier().verifyAttached(new byte[0]), Reason.MALFORMED);
        assertRejected(() -> verifier().verifyAttached("-----BEGIN CMS-----\n!!!\n-----END CMS-----\n"
                .getBytes(StandardCharsets.US_ASCII)), Reason.MALFORMED);
    }

    @Test
    void signingTimeLongAfterTheCertificateExpiredIsCaughtAgainstTheClock() throws IOException {
        byte[] signature = pki.signAttached(rsa, DOCUMENT, Encoding.DER);
        Clock elevenYearsOn = Clock.offset(Clock.systemUTC(), Duration.ofDays(11 * 365));
        SignatureVerifier later = new SignatureVerifier(TrustSettings.load(List.of(pki.caCertificate()),
                List.of(rsa.certificate()), List.of()), elevenYearsOn);

        assertRejected(() -> later.verifyAttached(signature), Reason.EXPIRED);
    }

    private static void assertRejected(ThrowingCallable verification, Reason reason) {
        SignatureRejectedException e = catchThrowableOfType(SignatureRejectedException.class, verification);
        assertThat(e).as("rejected").isNotNull();
        assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
