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
import java.util.List;

/**
 * Whom the gateway believes: the CAs that anchor signer certificates, the signers allowed to issue
 * directives, and the CRLs that revoke certificates.
 */
public record TrustSettings(List<X509Certificate> trustAnchors, List<X509Certificate> authorisedSigners, List<X509CRL> crls) {

    public TrustSettings {
        trustAnchors = List.copyOf(trustAnchors);
        authorisedSigners = List.copyOf(authorisedSigners);
        crls = List.copyOf(crls);
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
        List<X509Certificate> anchors = new ArrayList<>();
        anchorFiles.forEach(file -> anchors.addAll(certificates(file)));
        List<X509Certificate> signers = new ArrayList<>();
        signerFiles.forEach(file -> signers.addAll(certificates(file)));
        List<X509CRL> crls = new ArrayList<>();
        crlFiles.forEach(file -> crls.addAll(crls(file)));
        return new TrustSettings(anchors, signers, crls);
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
