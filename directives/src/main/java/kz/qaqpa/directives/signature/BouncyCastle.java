package kz.qaqpa.directives.signature;

import java.security.Provider;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** The one BouncyCastle provider of the process, installed on first use. */
final class BouncyCastle {

    static final Provider PROVIDER = install();

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
