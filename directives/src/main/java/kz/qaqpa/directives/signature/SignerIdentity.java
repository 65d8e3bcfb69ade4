package kz.qaqpa.directives.signature;

/**
 * Who signed a document, as the audit record keeps it.
 *
 * @param subject           the certificate's subject distinguished name (RFC 4514)
 * @param issuer            its issuer's distinguished name
 * @param serialNumber      the certificate serial number, hexadecimal
 * @param fingerprintSha256 SHA-256 of the DER certificate, hexadecimal
 */
public record SignerIdentity(String subject, String issuer, String serialNumber, String fingerprintSha256) {
}
