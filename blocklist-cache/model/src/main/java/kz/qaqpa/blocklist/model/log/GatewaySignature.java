package kz.qaqpa.blocklist.model.log;

import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import kz.qaqpa.blocklist.model.BouncyCastle;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * The gateway's CMS signatures (what {@code openssl cms -verify} checks) as a holder that trusts one
 * certificate checks them: a filtering node, {@code qaqpa pull}, an auditor. Signed by the
 * certificate means one signer names it and its signature verifies with its key; certificate
 * chains and times are the holder's own business (the certificate is pinned).
 */
public final class GatewaySignature {

    private GatewaySignature() {
    }

    /** The content of an attached signature by {@code certificate}; empty for anything else. */
    public static Optional<byte[]> attachedContent(byte[] signed, X509Certificate certificate) {
        try {
            CMSSignedData cms = new CMSSignedData(signed);
            if (cms.getSignedContent() != null && signedBy(cms, certificate)) {
                return Optional.of((byte[]) cms.getSignedContent().getContent());
            }
        } catch (CMSException | RuntimeException e) {
            // not a signature: refused below
        }
        return Optional.empty();
    }

    /** A tree head signed by {@code certificate}; empty for a signature by anyone else or content that is no tree head. */
    public static Optional<TreeHead> treeHead(byte[] signed, X509Certificate certificate) {
        try {
            return attachedContent(signed, certificate).map(TreeHead::parse);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code signature} is a detached signature of {@code content} by {@code certificate}. */
    public static boolean detached(byte[] content, byte[] signature, X509Certificate certificate) {
        try {
            return signedBy(new CMSSignedData(new CMSProcessableByteArray(content), signature), certificate);
        } catch (CMSException | RuntimeException e) {
            return false;
        }
    }

    private static boolean signedBy(CMSSignedData cms, X509Certificate certificate) {
        try {
            X509CertificateHolder expected = new X509CertificateHolder(certificate.getEncoded());
            for (SignerInformation signer : cms.getSignerInfos().getSigners()) {
                if (signer.getSID().match(expected)
                        && signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BouncyCastle.PROVIDER)
                        .build(certificate))) {
                    return true;
                }
            }
            return false;
        } catch (CMSException | OperatorCreationException | IOException | CertificateException e) {
            return false;
        }
    }
}
