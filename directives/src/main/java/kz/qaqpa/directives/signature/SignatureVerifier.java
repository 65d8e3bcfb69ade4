package kz.qaqpa.directives.signature;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import kz.qaqpa.blocklist.model.BouncyCastle;
import kz.qaqpa.directives.signature.SignatureRejectedException.Reason;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.util.Selector;

/**
 * Verifies the authorised body's CMS signatures (RFC 5652), attached or detached, DER or PEM.
 *
 * <p>A signature is accepted when all of these hold, checked in this order so that the reason
 * given is the most useful one: the structure is SignedData with exactly one signer; the signer's
 * certificate was valid at the signing time and is valid now; it may sign (digitalSignature or
 * nonRepudiation); it is one of the authorised signers; the signature matches the content; the
 * certificate chains to a trust anchor (PKIX, at the signing time); and no configured CRL revokes
 * any certificate of the chain.
 *
 * <p>Cost: the signature check is one public-key operation (P-256 with BouncyCastle: 174 µs against
 * 892 µs with the JDK's SunEC, loadtest's EcdsaVerifyBenchmark, BENCHMARKS.md); building and checking the
 * chain is one more per certificate of the path and does not depend on the document, so a
 * successfully built chain is kept per signer — there are only as many as authorised signers — and
 * later documents by the same signer only recheck the validity dates of its certificates at their
 * own signing time. CRL signatures are likewise checked once per CRL and issuer.
 */
public final class SignatureVerifier {

    private static final Provider BC = BouncyCastle.PROVIDER;
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(10);
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int NON_REPUDIATION = 1;

    private final TrustSettings trust;
    /** The CRLs in force: the trust settings' own, or {@link RevocationLists} kept in step with their files. */
    private final Supplier<List<X509CRL>> crls;
    private final Clock clock;
    /** Chains already built, by the signer certificate they start with. */
    private final Map<X509Certificate, List<X509Certificate>> chains = new ConcurrentHashMap<>();
    /** Whether a CRL is signed by a certificate, by CRL and certificate. */
    private final Map<List<Object>, Boolean> crlSigners = new ConcurrentHashMap<>();
    private final JcaX509CertificateConverter converter = new JcaX509CertificateConverter().setProvider(BC);

    public SignatureVerifier(TrustSettings trust, Clock clock) {
        this.trust = trust;
        this.crls = trust::crls;
        this.clock = clock;
    }

    /** With CRLs read again from their files as they change ({@link RevocationLists}). */
    public SignatureVerifier(TrustSettings trust, RevocationLists crls, Clock clock) {
        this.trust = trust;
        this.crls = crls::current;
        this.clock = clock;
    }

    /** Verifies a signature that carries its content ({@code openssl cms -sign -nodetach}). */
    public VerifiedDocument verifyAttached(byte[] signature) {
        return malformedWhenUnreadable(() -> {
            CMSSignedData signed = parse(signature, Optional.empty());
            if (signed.getSignedContent() == null || !(signed.getSignedContent().getContent() instanceof byte[])) {
                throw new SignatureRejectedException(Reason.UNSIGNED,
                        "the signature carries no content; send the document beside it (detached)");
            }
            return verify(signed, (byte[]) signed.getSignedContent().getContent(), signature);
        });
    }

    /** Verifies a detached signature over {@code content}. */
    public VerifiedDocument verifyDetached(byte[] content, byte[] signature) {
        return malformedWhenUnreadable(() -> verify(parse(signature, Optional.of(content)), content, signature));
    }

    /**
     * BouncyCastle reads a structure lazily: one that parsed can still fail deep inside when a part
     * of it is first read (a signer's serial number that is not an INTEGER, found by fuzzing). Any
     * such failure is a malformed signature, not an error of ours.
     */
    private static VerifiedDocument malformedWhenUnreadable(Supplier<VerifiedDocument> verification) {
        try {
            return verification.get();
        } catch (SignatureRejectedException rejected) {
            throw rejected;
        } catch (RuntimeException unreadable) {
            throw new SignatureRejectedException(Reason.MALFORMED, "not a readable CMS SignedData structure: "
                    + unreadable.getMessage());
        }
    }

    private VerifiedDocument verify(CMSSignedData signed, byte[] content, byte[] received) {
        Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
        if (signers.isEmpty()) {
            throw new SignatureRejectedException(Reason.UNSIGNED, "the structure holds no signature");
        }
        if (signers.size() > 1) {
            throw new SignatureRejectedException(Reason.MALFORMED, "exactly one signer is accepted, found " + signers.size());
        }
        SignerInformation signer = signers.iterator().next();
        X509Certificate certificate = signerCertificate(signed, signer);
        Instant now = clock.instant();
        Instant signingTime = signingTime(signer).orElse(now);
        if (signingTime.isAfter(now.plus(CLOCK_SKEW))) {
            throw new SignatureRejectedException(Reason.NOT_YET_VALID, "the signing time " + signingTime + " is in the future");
        }
        checkValidity(certificate, signingTime, "at signing time");
        checkValidity(certificate, now, "now");
        checkKeyUsage(certificate);
        if (trust.authorisedSigners().stream().noneMatch(certificate::equals)) {
            throw new SignatureRejectedException(Reason.NOT_AUTHORISED,
                    "the signer " + certificate.getSubjectX500Principal().getName() + " is not an authorised signer");
        }
        checkSignature(signer, certificate);
        List<X509Certificate> chain = chain(certificate, signed, signingTime);
        checkRevocation(chain);
        return new VerifiedDocument(content, received, identity(certificate), signingTime, trust.scopeOf(certificate));
    }

    private static CMSSignedData parse(byte[] signature, Optional<byte[]> detachedContent) {
        try {
            ContentInfo info = looksLikePem(signature) ? pemContentInfo(signature) : ContentInfo.getInstance(signature);
            if (info == null) {
                throw new SignatureRejectedException(Reason.MALFORMED, "not a CMS structure");
            }
            return detachedContent.isPresent()
                    ? new CMSSignedData(new CMSProcessableByteArray(detachedContent.get()), info)
                    : new CMSSignedData(info);
        } catch (CMSException | IOException | IllegalArgumentException | ClassCastException e) {
            throw new SignatureRejectedException(Reason.MALFORMED, "not a CMS SignedData structure: " + e.getMessage());
        }
    }

    private static boolean looksLikePem(byte[] bytes) {
        String start = new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.US_ASCII).stripLeading();
        return start.startsWith("-----BEGIN");
    }

    private static ContentInfo pemContentInfo(byte[] pem) throws IOException {
        try (PEMParser parser = new PEMParser(new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII))) {
            Object object = parser.readObject();
            if (object instanceof ContentInfo info) {
                return info;
            }
            throw new SignatureRejectedException(Reason.MALFORMED, "the PEM block is not a CMS or PKCS7 structure");
        }
    }

    private X509Certificate signerCertificate(CMSSignedData signed, SignerInformation signer) {
        @SuppressWarnings("unchecked")
        Selector<X509CertificateHolder> selector = (Selector<X509CertificateHolder>) (Selector<?>) signer.getSID();
        Collection<X509CertificateHolder> carried = signed.getCertificates().getMatches(selector);
        if (!carried.isEmpty()) {
            return convert(carried.iterator().next());
        }
        // The certificate may be left out (openssl cms -nocerts) when the receiver already knows it.
        return trust.authorisedSigners().stream()
                .filter(certificate -> signer.getSID().match(holder(certificate)))
                .findFirst()
                .orElseThrow(() -> new SignatureRejectedException(Reason.NOT_AUTHORISED,
                        "the signer's certificate is neither in the signature nor among the authorised signers"));
    }

    private static Optional<Instant> signingTime(SignerInformation signer) {
        AttributeTable attributes = signer.getSignedAttributes();
        if (attributes == null) {
            return Optional.empty();
        }
        Attribute attribute = attributes.get(PKCSObjectIdentifiers.pkcs_9_at_signingTime);
        if (attribute == null || attribute.getAttrValues().size() != 1) {
            return Optional.empty();
        }
        ASN1Encodable value = attribute.getAttrValues().getObjectAt(0);
        try {
            return Optional.of(Time.getInstance(value).getDate().toInstant());
        } catch (IllegalArgumentException e) {
            throw new SignatureRejectedException(Reason.MALFORMED, "the signingTime attribute is not a time");
        }
    }

    private static void checkValidity(X509Certificate certificate, Instant at, String when) {
        try {
            certificate.checkValidity(Date.from(at));
        } catch (CertificateExpiredException e) {
            throw new SignatureRejectedException(Reason.EXPIRED, "the signer's certificate is expired " + when
                    + " (valid until " + certificate.getNotAfter().toInstant() + ")");
        } catch (CertificateNotYetValidException e) {
            throw new SignatureRejectedException(Reason.NOT_YET_VALID, "the signer's certificate is not yet valid "
                    + when + " (valid from " + certificate.getNotBefore().toInstant() + ")");
        }
    }

    private static void checkKeyUsage(X509Certificate certificate) {
        boolean[] usage = certificate.getKeyUsage();
        boolean maySign = usage != null && (usage[DIGITAL_SIGNATURE] || (usage.length > NON_REPUDIATION && usage[NON_REPUDIATION]));
        if (!maySign) {
            throw new SignatureRejectedException(Reason.KEY_USAGE,
                    "the signer's certificate does not allow digitalSignature or nonRepudiation");
        }
    }

    private static void checkSignature(SignerInformation signer, X509Certificate certificate) {
        boolean valid;
        try {
            valid = signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(certificate));
        } catch (OperatorCreationException | CMSException | RuntimeException e) {
            throw new SignatureRejectedException(Reason.BAD_SIGNATURE, "the signature does not verify: " + e.getMessage());
        }
        if (!valid) {
            throw new SignatureRejectedException(Reason.BAD_SIGNATURE, "the signature does not match the content");
        }
    }

    /** The PKIX path from the signer to a trust anchor, signer first, anchor last. */
    private List<X509Certificate> chain(X509Certificate certificate, CMSSignedData signed, Instant signingTime) {
        List<X509Certificate> known = chains.get(certificate);
        if (known != null && validAt(known, signingTime)) {
            return known;
        }
        List<X509Certificate> built = buildChain(certificate, signed, signingTime);
        chains.put(certificate, built);
        return built;
    }

    private static boolean validAt(List<X509Certificate> chain, Instant at) {
        Date date = Date.from(at);
        for (X509Certificate certificate : chain) {
            try {
                certificate.checkValidity(date);
            } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                return false;
            }
        }
        return true;
    }

    private List<X509Certificate> buildChain(X509Certificate certificate, CMSSignedData signed, Instant signingTime) {
        if (trust.trustAnchors().isEmpty()) {
            throw new SignatureRejectedException(Reason.UNTRUSTED, "no trust anchor is configured");
        }
        try {
            Set<TrustAnchor> anchors = trust.trustAnchors().stream()
                    .map(anchor -> new TrustAnchor(anchor, null)).collect(Collectors.toSet());
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(certificate);
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
            List<X509Certificate> intermediates = new ArrayList<>();
            for (X509CertificateHolder holder : signed.getCertificates().getMatches(null)) {
                intermediates.add(convert(holder));
            }
            intermediates.add(certificate);
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(intermediates), BC));
            parameters.setDate(Date.from(signingTime));
            // Revocation is checked against the configured CRLs below, for every certificate of the path.
            parameters.setRevocationEnabled(false);
            PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX", BC).build(parameters);
            List<X509Certificate> chain = new ArrayList<>();
            result.getCertPath().getCertificates().forEach(c -> chain.add((X509Certificate) c));
            chain.add(result.getTrustAnchor().getTrustedCert());
            return chain;
        } catch (CertPathBuilderException e) {
            throw new SignatureRejectedException(Reason.UNTRUSTED,
                    "the signer's certificate does not chain to a trust anchor: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new SignatureRejectedException(Reason.UNTRUSTED, "cannot validate the certificate path: " + e.getMessage());
        }
    }

    private void checkRevocation(List<X509Certificate> chain) {
        for (int i = 0; i + 1 < chain.size(); i++) {
            X509Certificate certificate = chain.get(i);
            X509Certificate issuer = chain.get(i + 1);
            for (X509CRL crl : crls.get()) {
                if (crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())
                        && crlSigners.computeIfAbsent(List.of(crl, issuer), key -> signedBy(crl, issuer))
                        && crl.isRevoked(certificate)) {
                    throw new SignatureRejectedException(Reason.REVOKED, "the certificate "
                            + certificate.getSubjectX500Principal().getName() + " (serial "
                            + certificate.getSerialNumber().toString(16) + ") is revoked");
                }
            }
        }
    }

    private static boolean signedBy(X509CRL crl, X509Certificate issuer) {
        try {
            crl.verify(issuer.getPublicKey(), BC);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private X509Certificate convert(X509CertificateHolder holder) {
        try {
            return converter.getCertificate(holder);
        } catch (GeneralSecurityException e) {
            throw new SignatureRejectedException(Reason.MALFORMED, "a certificate in the signature cannot be read");
        }
    }

    private static X509CertificateHolder holder(X509Certificate certificate) {
        try {
            return new X509CertificateHolder(certificate.getEncoded());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static SignerIdentity identity(X509Certificate certificate) {
        return SignerIdentity.of(certificate);
    }

}
