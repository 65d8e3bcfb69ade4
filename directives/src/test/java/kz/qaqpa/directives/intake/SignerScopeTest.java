package kz.qaqpa.directives.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.directives.document.DirectiveParser;
import kz.qaqpa.directives.intake.DirectiveRejectedException.Reason;
import kz.qaqpa.directives.signature.DirectiveKind;
import kz.qaqpa.directives.signature.OpenSslPki;
import kz.qaqpa.directives.signature.OpenSslPki.Encoding;
import kz.qaqpa.directives.signature.OpenSslPki.KeyType;
import kz.qaqpa.directives.signature.OpenSslPki.Signer;
import kz.qaqpa.directives.signature.SignatureVerifier;
import kz.qaqpa.directives.signature.TrustSettings;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.store.TableSnapshot;
import kz.qaqpa.directives.store.ThrowAwayDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 000 §2(1), §17: a domain name's suspension is asked for by the authority for information
 * security, not by the content authority. Each signer signs the kinds of directive it is configured
 * with; a directive outside them is refused and changes nothing.
 */
class SignerScopeTest {

    @TempDir
    static Path pkiDir;

    private static OpenSslPki pki;
    private static Signer content;
    private static Signer security;

    private ThrowAwayDatabase throwAway;
    private Database database;
    private DirectiveIntake intake;

    @BeforeAll
    static void makePki() throws Exception {
        pki = OpenSslPki.create(pkiDir, "Scope Test CA");
        content = pki.issue("content-authority", KeyType.EC_P256);
        security = pki.issue("information-security-authority", KeyType.EC_P256);
    }

    @BeforeEach
    void open() {
        throwAway = ThrowAwayDatabase.h2();
        database = Database.open(throwAway.settings(), new SimpleMeterRegistry());
        Clock clock = Clock.systemUTC();
        TrustSettings trust = TrustSettings.load(List.of(pki.caCertificate()), List.of(content.certificate()), List.of(),
                Map.of(security.certificate(), Set.of(DirectiveKind.DOMAIN_SUSPENSION)));
        intake = new DirectiveIntake(database, new SignatureVerifier(trust, clock), new DirectiveParser(1_000, clock), clock);
    }

    @AfterEach
    void close() throws Exception {
        database.close();
        throwAway.close();
    }

    @Test
    void theContentAuthorityCannotOrderASuspensionNorTheSecurityAuthorityARestriction() throws Exception {
        DirectiveJson suspension = DirectiveJson.restrict("SUSP-1").domain("phishing.kz", false).suspension("PHISHING");
        Map<String, String> before = TableSnapshot.of(database.dataSource());

        assertRefused(content, suspension);
        assertRefused(security, DirectiveJson.restrict("CONTENT-1").domain("casino.kz", false));
        assertThat(TableSnapshot.of(database.dataSource())).as("nothing stored").isEqualTo(before);

        assertThat(submit(security, suspension).created()).isTrue();
        assertThat(submit(content, DirectiveJson.restrict("CONTENT-1").domain("casino.kz", false)).created()).isTrue();
        // Ending a suspension is the suspension's kind: the content authority's RESTORE of it is refused.
        assertRefused(content, DirectiveJson.restore("SUSP-2", "SUSP-1"));
        assertRefused(security, DirectiveJson.restore("CONTENT-2", "CONTENT-1"));
        assertThat(submit(security, DirectiveJson.restore("SUSP-2", "SUSP-1")).directive().cancelsId()).isNotNull();
        assertThat(submit(content, DirectiveJson.restore("CONTENT-2", "CONTENT-1")).directive().cancelsId()).isNotNull();
    }

    private void assertRefused(Signer signer, DirectiveJson json) {
        DirectiveRejectedException e = catchThrowableOfType(DirectiveRejectedException.class, () -> submit(signer, json));
        assertThat(e).as(json.toString()).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.OUTSIDE_SIGNER_SCOPE);
        assertThat(e.getMessage()).contains(signer == content ? "content-authority" : "information-security-authority");
    }

    private IntakeResult submit(Signer signer, DirectiveJson json) throws Exception {
        return intake.submit(new Submission(pki.signAttached(signer, json.bytes(), Encoding.DER), Optional.empty(), "test"));
    }
}
