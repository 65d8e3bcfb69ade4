package kz.qaqpa.directives.intake;

import java.time.Clock;
import java.util.List;
import kz.qaqpa.directives.document.DirectiveParser;
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
        SignatureVerifier verifier = new SignatureVerifier(TrustSettings.load(List.of(pki.caCertificate()),
                List.of(signer.certificate()), List.of()), clock);
        return new DirectiveIntake(database, verifier, new DirectiveParser(1_000, clock), clock, step);
    }
}
