package kz.qaqpa.directives.signature;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whom the gateway believes: the CAs that anchor signer certificates, the signers allowed to issue
 * directives, the kinds of directive each may sign, and the CRLs that revoke certificates.
 *
 * @param scopes the kinds of directive a signer may sign, for those configured with kinds; any other
 *               authorised signer may sign {@link DirectiveKind#CONTENT}
 */
public record TrustSettings(List<X509Certificate> trustAnchors, List<X509Certificate> authorisedSigners, List<X509CRL> crls,
                            Map<X509Certificate, Set<DirectiveKind>> scopes) {

    public TrustSettings {
        trustAnchors = List.copyOf(trustAnchors);
        authorisedSigners = List.copyOf(authorisedSigners);
        crls = List.copyOf(crls);
        scopes = Map.copyOf(scopes);
    }

    /** Every authorised signer signs the content authority's kinds. */
    public TrustSettings(List<X509Certificate> trustAnchors, List<X509Certificate> authorisedSigners, List<X509CRL> crls) {
        this(trustAnchors, authorisedSigners, crls, Map.of());
    }

    /** The kinds of directive {@code signer}, an authorised signer, may sign. */
    public Set<DirectiveKind> scopeOf(X509Certificate signer) {
        return scopes.getOrDefault(signer, DirectiveKind.CONTENT);
    }

    /** Trusts nothing: every signed document is refused. */
    public static TrustSettings none() {
        return new TrustSettings(List.of(), List.of(), List.of());
    }

    /**
     * Loads PEM (or DER) files: bundles of trust anchors, bundles of authorised signer certificates,
     * and CRLs.
     *
     * @throws IllegalArgumentException naming the file that cannot be read
     */
    public static TrustSettings load(List<Path> anchorFiles, List<Path> signerFiles, List<Path> crlFiles) {
        return load(anchorFiles, signerFiles, crlFiles, Map.of());
    }

    /**
     * As {@link #load(List, List, List)}, with signers configured with the kinds they may sign:
     * each certificate of a file in {@code scopedSignerFiles} is an authorised signer of those kinds
     * (and only those, also when the file is among {@code signerFiles} too).
     */
    public static TrustSettings load(List<Path> anchorFiles, List<Path> signerFiles, List<Path> crlFiles,
                                     Map<Path, Set<DirectiveKind>> scopedSignerFiles) {
        List<X509Certificate> anchors = new ArrayList<>();
        anchorFiles.forEach(file -> anchors.addAll(certificates(file)));
        List<X509Certificate> signers = new ArrayList<>();
        signerFiles.forEach(file -> signers.addAll(certificates(file)));
        Map<X509Certificate, Set<DirectiveKind>> scopes = new HashMap<>();
        scopedSignerFiles.forEach((file, kinds) -> certificates(file).forEach(certificate -> {
            if (kinds.isEmpty()) {
                throw new IllegalArgumentException(file + " is given no kind of directive to sign");
            }
            scopes.merge(certificate, Set.copyOf(kinds), (one, other) -> {
                throw new IllegalArgumentException(certificate.getSubjectX500Principal().getName()
                        + " is given kinds of directive twice");
            });
            if (!signers.contains(certificate)) {
                signers.add(certificate);
            }
        }));
        List<X509CRL> crls = new ArrayList<>();
        crlFiles.forEach(file -> crls.addAll(crls(file)));
        return new TrustSettings(anchors, signers, crls, scopes);
    }

    private static List<X509Certificate> certificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = new ArrayList<>();
            CertificateFactory.getInstance("X.509").generateCertificates(in)
                    .forEach(certificate -> certificates.add((X509Certificate) certificate));
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException(file + " holds no certificate");
            }
            return certificates;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read certificates from " + file + ": " + e.getMessage(), e);
        }
    }

    /** The CRLs in a file. */
    static List<X509CRL> crls(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509CRL> crls = new ArrayList<>();
            CertificateFactory.getInstance("X.509").generateCRLs(in).forEach(crl -> crls.add((X509CRL) crl));
            if (crls.isEmpty()) {
                throw new IllegalArgumentException(file + " holds no CRL");
            }
            return crls;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read a CRL from " + file + ": " + e.getMessage(), e);
        }
    }
}
