package kz.qaqpa.directives.signature;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Clock;

/**
 * Any bytes submitted as a signature, attached (DER or PEM) or detached beside some content: the
 * CMS reader refuses them with {@link SignatureRejectedException} and a reason — never another
 * exception, never an accepted document (nothing is trusted here, so nothing can verify).
 */
class SignatureReaderFuzzTest {

    private static final SignatureVerifier VERIFIER = new SignatureVerifier(TrustSettings.none(), Clock.systemUTC());

    @FuzzTest(maxDuration = "20s")
    void anyBytesAreRefusedWithAReason(FuzzedDataProvider data) {
        boolean detached = data.consumeBoolean();
        byte[] content = detached ? data.consumeBytes(data.consumeInt(0, 256)) : null;
        byte[] signature = data.consumeRemainingAsBytes();
        try {
            VerifiedDocument accepted = detached ? VERIFIER.verifyDetached(content, signature) : VERIFIER.verifyAttached(signature);
            throw new AssertionError("accepted with no trust anchor: " + accepted);
        } catch (SignatureRejectedException refused) {
            assertThat(refused.reason()).isNotNull();
            assertThat(refused.getMessage()).isNotBlank();
        }
    }
}
