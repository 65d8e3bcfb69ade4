package kz.qaqpa.directives.intake;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kz.qaqpa.directives.document.DirectiveParser;
import kz.qaqpa.directives.signature.DirectiveKind;
import kz.qaqpa.directives.signature.OpenSslPki;
import kz.qaqpa.directives.signature.OpenSslPki.Signer;
import kz.qaqpa.directives.signature.SignatureVerifier;
import kz.qaqpa.directives.signature.TrustSettings;
import kz.qaqpa.directives.store.Database;

/** Intakes for tests: trusting one openssl-made authority signer, on the system clock or a given one. */
public final class TestIntakes {

    private TestIntakes() {
    }

    public static DirectiveIntake trusting(Database database, OpenSslPki pki, Signer signer) {
        return trusting(database, pki, signer, Clock.systemUTC());
    }

    /** On {@code clock}, which may be moved. */
    public static DirectiveIntake trusting(Database database, OpenSslPki pki, Signer signer, Clock clock) {
        return trusting(database, pki, signer, clock, AcceptanceStep.NONE);
    }

    /** On {@code clock}, doing {@code step} in each accepting transaction. */
    public static DirectiveIntake trusting(Database database, OpenSslPki pki, Signer signer, Clock clock, AcceptanceStep step) {
        return trusting(database, pki, signer, clock, step, DirectiveKind.CONTENT);
    }

    /** The signer allowed {@code kinds} of directive (the authority for information security's, say). */
    public static DirectiveIntake trusting(Database database, OpenSslPki pki, Signer signer, Clock clock, AcceptanceStep step,
                                           Set<DirectiveKind> kinds) {
        SignatureVerifier verifier = new SignatureVerifier(TrustSettings.load(List.of(pki.caCertificate()), List.of(),
                List.of(), Map.of(signer.certificate(), kinds)), clock);
        return new DirectiveIntake(database, verifier, new DirectiveParser(1_000, clock), clock, step);
    }
}
