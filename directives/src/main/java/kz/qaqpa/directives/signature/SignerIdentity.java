package kz.qaqpa.directives.signature;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import kz.qaqpa.blocklist.model.Sha256;

/**
 * Who signed a document, as the audit record keeps it.
 *
 * @param subject           the certificate's subject distinguished name (RFC 4514)
 * @param issuer            its issuer's distinguished name
 * @param serialNumber      the certificate serial number, hexadecimal
 * @param fingerprintSha256 SHA-256 of the DER certificate, hexadecimal
 */
public record SignerIdentity(String subject, String issuer, String serialNumber, String fingerprintSha256) {

    /** The identity a certificate gives its signer. */
    public static SignerIdentity of(X509Certificate certificate) {
        try {
            return new SignerIdentity(certificate.getSubjectX500Principal().getName(),
                    certificate.getIssuerX500Principal().getName(), certificate.getSerialNumber().toString(16),
                    Sha256.hex(certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
