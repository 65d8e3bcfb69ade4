package kz.qaqpa.directives.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import kz.qaqpa.directives.blocklist.ChangeLog;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.directives.document.DirectiveParser;
import kz.qaqpa.directives.signature.OpenSslPki;
import kz.qaqpa.directives.signature.OpenSslPki.Encoding;
import kz.qaqpa.directives.signature.OpenSslPki.KeyType;
import kz.qaqpa.directives.signature.OpenSslPki.Signer;
import kz.qaqpa.directives.signature.SignatureVerifier;
import kz.qaqpa.directives.signature.TrustSettings;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.store.DatabaseSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A register-sized directive on the embedded default (an H2 file, as the README's first command
 * runs it): 10,000 targets, about 600 KB signed, accepted whole twice in a row, the signed document
 * read back byte for byte from where H2 now keeps it (a BLOB, outside the directive row). How long
 * it takes is measured by the register benchmark in loadtest, not here.
 */
class LargeDirectiveH2FileTest {

    private static final int TARGETS = 10_000;

    @TempDir
    Path dir;

    @Test
    void tenThousandTargetsAreAcceptedWholeOnAnH2File() throws Exception {
        OpenSslPki pki = OpenSslPki.create(dir.resolve("pki"), "Register Test CA");
        Signer signer = pki.issue("authority-signer", KeyType.EC_P256);
        SignatureVerifier verifier = new SignatureVerifier(TrustSettings.load(List.of(pki.caCertificate()),
                List.of(signer.certificate()), List.of()), Clock.systemUTC());
        try (Database database = Database.open(DatabaseSettings.embedded(dir.resolve("data")), new SimpleMeterRegistry())) {
            DirectiveIntake intake = new DirectiveIntake(database, verifier, new DirectiveParser(TARGETS, Clock.systemUTC()),
                    Clock.systemUTC());
            for (int directive = 0; directive < 2; directive++) {
                DirectiveJson json = DirectiveJson.restrict("REG-" + directive);
                for (int i = 0; i < TARGETS; i++) {
                    json.domain("site" + (directive * TARGETS + i) + ".kz", i % 2 == 0);
                }
                IntakeResult result = intake.submit(new Submission(pki.signAttached(signer, json.bytes(), Encoding.DER),
                        Optional.empty(), "test"));

                assertThat(result.created()).isTrue();
                assertThat(result.effect().orElseThrow().newlyRestricted()).hasSize(TARGETS);
                assertThat(result.directive().document()).isEqualTo(json.bytes());
            }
            int[] entries = {0};
            long serial = ChangeLog.snapshot(database.dataSource(), entry -> entries[0]++);
            assertThat(serial).isEqualTo(2L * TARGETS);
            assertThat(entries[0]).isEqualTo(2 * TARGETS);
        }
    }
}
