package kz.qaqpa.blocklist.model;

import java.security.Provider;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one BouncyCastle provider of the process, installed on first use: the provider of every
 * signature check and signing (its ECDSA P-256 verification is about five times SunEC's on this
 * JDK; BENCHMARKS.md, "ECDSA P-256 verification").
 */
public final class BouncyCastle {

    public static final Provider PROVIDER = install();

    private BouncyCastle() {
    }

    private static synchronized Provider install() {
        Provider installed = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
        if (installed != null) {
            return installed;
        }
        Provider provider = new BouncyCastleProvider();
        Security.addProvider(provider);
        return provider;
    }
}
