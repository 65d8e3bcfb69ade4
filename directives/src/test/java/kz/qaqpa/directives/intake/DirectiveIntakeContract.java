package kz.qaqpa.directives.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import kz.qaqpa.blocklist.model.BlocklistChange;
import kz.qaqpa.blocklist.model.BlocklistEntry;
import kz.qaqpa.blocklist.model.log.LogLeaf;
import kz.qaqpa.blocklist.model.log.MerkleTree;
import kz.qaqpa.blocklist.model.log.SetHash;
import kz.qaqpa.directives.audit.AuditLog;
import kz.qaqpa.directives.blocklist.BlocklistLog;
import kz.qaqpa.directives.blocklist.ChangeLog;
import kz.qaqpa.directives.directive.CourtDecisionRepository;
import kz.qaqpa.directives.directive.DirectiveRepository;
import kz.qaqpa.directives.directive.DirectiveStatus;
import kz.qaqpa.directives.directive.StoredDirective;
import kz.qaqpa.directives.directive.StoredTarget;
import kz.qaqpa.directives.directive.TargetRepository;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.directives.document.InvalidDocumentException;
import kz.qaqpa.directives.intake.DirectiveRejectedException.Reason;
import kz.qaqpa.directives.signature.DocumentSigner;
import kz.qaqpa.directives.signature.OpenSslPki.Encoding;
import kz.qaqpa.directives.signature.OpenSslPki.KeyType;
import kz.qaqpa.directives.signature.OpenSslPki.Signer;
import kz.qaqpa.directives.signature.OpenSslPki;
import kz.qaqpa.directives.signature.SignatureRejectedException;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.store.TableSnapshot;
import kz.qaqpa.directives.store.ThrowAwayDatabase;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signed directives in, rows out — or, when refused, not one row changed. On every database. */
abstract class DirectiveIntakeContract {

    private static final String OTHER_BIN = "100140011059";

    @TempDir
    static Path pkiDir;

    private static OpenSslPki pki;
    private static Signer signer;

    private ThrowAwayDatabase throwAway;
    private Database database;
    private DirectiveIntake intake;

    abstract ThrowAwayDatabase newDatabase();

    @BeforeAll
    static void makePki() throws Exception {
        pki = OpenSslPki.create(pkiDir, "Intake Test CA");
        signer = pki.issue("authority-signer", KeyType.EC_P256);
    }

    @BeforeEach
    void open() {
        throwAway = newDatabase();
        database = Database.open(throwAway.settings(), new SimpleMeterRegistry());
        intake = TestIntakes.trusting(database, pki, signer);
    }

    @AfterEach
    void close() throws Exception {
        database.close();
        throwAway.close();
    }

    @Test
    void acceptedRestrictIsStoredWithItsTargetsAndAudited() throws Exception {
        DirectiveJson json = DirectiveJson.restrict("12-3/456").domain("сайт.қаз", true).target("URL", "HTTPS://Example.KZ/a/../b");

        IntakeResult result = submit(json);

        assertThat(result.created()).isTrue();
        StoredDirective stored = result.directive();
        assertThat(stored.number()).isEqualTo("12-3/456");
        assertThat(stored.status()).isEqualTo(DirectiveStatus.ACTIVE);
        assertThat(stored.signerSubject()).contains("CN=authority-signer");
        assertThat(new String(stored.document(), StandardCharsets.UTF_8)).isEqualTo(json.toString());
        assertThat(result.effect().orElseThrow().newlyRestricted())
                .containsExactly("DOMAIN:*.xn--80aswg.xn--80ao21a", "URL:https://example.kz/b");
        List<StoredTarget> targets = database.repository(TargetRepository.class).findByDirectiveIdOrderByPosition(stored.id());
        assertThat(targets).extracting(StoredTarget::original).containsExactly("сайт.қаз", "HTTPS://Example.KZ/a/../b");
        assertThat(targets).extracting(StoredTarget::value).containsExactly("xn--80aswg.xn--80ao21a", "https://example.kz/b");
        assertThat(targets.get(1).hostHint()).isEqualTo("example.kz");
        assertThat(AuditLog.verify(database.dataSource()).records()).isEqualTo(1);
        assertThat(AuditLog.verify(database.dataSource()).intact()).isTrue();
    }

    @Test
    void sameDocumentAgainIsTheSameDirectiveAndChangesNothing() throws Exception {
        DirectiveJson json = DirectiveJson.restrict("1").domain("example.kz", false);
        IntakeResult first = submit(json);
        Map<String, String> before = TableSnapshot.of(database.dataSource());

        IntakeResult again = intake.submit(new Submission(pki.signAttached(signer, json.bytes(), Encoding.PEM), Optional.empty(), "test"));

        assertThat(again.created()).isFalse();
        assertThat(again.directive().id()).isEqualTo(first.directive().id());
        assertThat(again.effect()).isEmpty();
        assertThat(TableSnapshot.of(database.dataSource())).isEqualTo(before);
    }

    @Test
    void numberReusedWithAnotherDocumentIsAConflictAndChangesNothing() throws Exception {
        submit(DirectiveJson.restrict("1").domain("example.kz", false));

        assertRejectedUnchanged(() -> submit(DirectiveJson.restrict("1").domain("other.kz", false)), Reason.NUMBER_REUSED);
    }

    @Test
    void sameNumberFromAnotherAuthorityIsAnotherDirective() throws Exception {
        submit(DirectiveJson.restrict("1").domain("example.kz", false));

        assertThat(submit(DirectiveJson.restrict("1").domain("example.kz", false).authorityBin(OTHER_BIN)).created()).isTrue();
    }

    @Test
    void targetAlreadyRestrictedByAnotherDirectiveIsReportedSo() throws Exception {
        submit(DirectiveJson.restrict("1").domain("a.kz", false).domain("b.kz", false));

        BlocklistEffect effect = submit(DirectiveJson.restrict("2").domain("b.kz", false).domain("c.kz", false)).effect().orElseThrow();

        assertThat(effect.newlyRestricted()).containsExactly("DOMAIN:c.kz");
        assertThat(effect.alreadyRestricted()).containsExactly("DOMAIN:b.kz");
    }

    @Test
    void restoreDoesNotUnblockTargetStillNamedByAnotherDirective() throws Exception {
        submit(DirectiveJson.restrict("1").domain("a.kz", false).domain("b.kz", false));
        submit(DirectiveJson.restrict("2").domain("b.kz", false).domain("c.kz", false));

        BlocklistEffect first = submit(DirectiveJson.restore("3", "1")).effect().orElseThrow();
        assertThat(first.lifted()).containsExactly("DOMAIN:a.kz");
        assertThat(first.stillRestricted()).containsExactly("DOMAIN:b.kz");

        BlocklistEffect second = submit(DirectiveJson.restore("4", "2")).effect().orElseThrow();
        assertThat(second.lifted()).containsExactly("DOMAIN:b.kz", "DOMAIN:c.kz");
        assertThat(second.stillRestricted()).isEmpty();

        DirectiveRepository directives = database.repository(DirectiveRepository.class);
        StoredDirective cancelled = directives.findByAuthorityBinAndNumber(DirectiveJson.AUTHORITY_BIN, "1").orElseThrow();
        assertThat(cancelled.status()).isEqualTo(DirectiveStatus.CANCELLED);
        assertThat(cancelled.cancelledById())
                .isEqualTo(directives.findByAuthorityBinAndNumber(DirectiveJson.AUTHORITY_BIN, "3").orElseThrow().id());
        assertThat(AuditLog.verify(database.dataSource()).records()).isEqualTo(4);
    }

    @Test
    void restoreThatListsTheSameTargetsIsAccepted() throws Exception {
        submit(DirectiveJson.restrict("1").domain("a.kz", false));

        DirectiveJson restore = DirectiveJson.restore("2", "1");
        restore.tree().putArray("targets").addObject().put("type", "DOMAIN").put("value", "A.KZ.");

        assertThat(submit(restore).effect().orElseThrow().lifted()).containsExactly("DOMAIN:a.kz");
    }

    @Test
    void restoreRulesRefuseAndChangeNothing() throws Exception {
        submit(DirectiveJson.restrict("1").domain("a.kz", false));
        submit(DirectiveJson.restrict("9").domain("z.kz", false).authorityBin(OTHER_BIN));
        submit(DirectiveJson.restore("2", "1"));

        assertRejectedUnchanged(() -> submit(DirectiveJson.restore("3", "404")), Reason.CANCELLED_UNKNOWN);
        assertRejectedUnchanged(() -> submit(DirectiveJson.restore("3", "9")), Reason.CANCELLED_FOREIGN);
        assertRejectedUnchanged(() -> submit(DirectiveJson.restore("3", "1")), Reason.ALREADY_CANCELLED);
        assertRejectedUnchanged(() -> submit(DirectiveJson.restore("3", "2")), Reason.NOT_A_RESTRICTION);
        submit(DirectiveJson.restrict("5").domain("e.kz", false));
        DirectiveJson wrongDate = DirectiveJson.restore("3", "5");
        wrongDate.tree().withObject("/cancels").put("date", "2026-11-19");
        assertRejectedUnchanged(() -> submit(wrongDate), Reason.CANCELLED_DATE_MISMATCH);
        DirectiveJson wrongTargets = DirectiveJson.restore("3", "5");
        wrongTargets.tree().putArray("targets").addObject().put("type", "DOMAIN").put("value", "other.kz");
        assertRejectedUnchanged(() -> submit(wrongTargets), Reason.RESTORE_TARGETS_MISMATCH);
    }

    /** Seed 002 art. 21: what a court ordered is lifted by a court, not upon an appeal under the Rules of restoration. */
    @Test
    void aRestrictionACourtOrderedIsLiftedOnlyByARestoreCitingACourtDecision() throws Exception {
        DirectiveJson ordered = DirectiveJson.restrict("C-1").domain("ordered.kz", false);
        ordered.tree().putObject("courtDecision").put("court", "Астана қаласының мамандандырылған ауданаралық экономикалық соты")
                .put("number", "7194-26-00-2/123").put("date", "2026-11-02");
        StoredDirective restrict = submit(ordered).directive();
        assertThat(database.repository(CourtDecisionRepository.class).findById(restrict.id()))
                .hasValueSatisfying(decision -> assertThat(decision.decisionNumber()).isEqualTo("7194-26-00-2/123"));

        assertRejectedUnchanged(() -> submit(DirectiveJson.restore("C-2", "C-1")), Reason.COURT_DECISION_REQUIRED);
        DirectiveJson uponAppeal = DirectiveJson.restore("C-2", "C-1").set("appeal", "A-2026-1").order("ordered.kz");
        uponAppeal.tree().putObject("courtDecision").put("court", "Астана").put("number", "2/9").put("date", "2026-11-19");
        assertRejectedUnchanged(() -> submit(uponAppeal), Reason.COURT_DECISION_REQUIRED);

        DirectiveJson lifted = DirectiveJson.restore("C-2", "C-1");
        lifted.tree().putObject("courtDecision").put("court", "Астана қаласының апелляциялық соты")
                .put("number", "2a-555/2026").put("date", "2026-11-19");
        IntakeResult result = submit(lifted);
        assertThat(result.effect().orElseThrow().lifted()).containsExactly("DOMAIN:ordered.kz");
        assertThat(database.repository(CourtDecisionRepository.class).findById(result.directive().id()))
                .hasValueSatisfying(decision -> assertThat(decision.decisionNumber()).isEqualTo("2a-555/2026"));

        submit(DirectiveJson.restrict("C-3").domain("plain.kz", false));
        assertThat(submit(DirectiveJson.restore("C-4", "C-3")).effect().orElseThrow().lifted())
                .as("a directive of the authority's own needs no court").containsExactly("DOMAIN:plain.kz");
    }

    @Test
    void badSignatureOrDocumentChangesNothing() throws Exception {
        submit(DirectiveJson.restrict("1").domain("a.kz", false));
        Map<String, String> before = TableSnapshot.of(database.dataSource());

        byte[] tampered = pki.signAttached(signer, DirectiveJson.restrict("2").domain("b.kz", false).bytes(), Encoding.DER);
        tampered[indexOf(tampered, "b.kz")] = 'c';
        catchThrowableOfType(SignatureRejectedException.class,
                () -> intake.submit(new Submission(tampered, Optional.empty(), "test")));
        catchThrowableOfType(InvalidDocumentException.class,
                () -> submit(DirectiveJson.restrict("2").domain("b.kz", false).set("extra", "x")));

        assertThat(TableSnapshot.of(database.dataSource())).isEqualTo(before);
    }

    @Test
    void everyChangeOfTheSetGetsTheNextSerial() throws Exception {
        StoredDirective first = submit(DirectiveJson.restrict("1").domain("a.kz", false).domain("b.kz", true)).directive();
        StoredDirective second = submit(DirectiveJson.restrict("2").domain("b.kz", true).domain("c.kz", false)).directive();
        StoredDirective nothingNew = submit(DirectiveJson.restrict("3").domain("a.kz", false)).directive();
        StoredDirective restoreFirst = submit(DirectiveJson.restore("4", "1")).directive();
        StoredDirective restoreSecond = submit(DirectiveJson.restore("5", "2")).directive();

        // Restoring 1 lifts nothing: 3 still names a.kz and 2 still names *.b.kz, which are cited
        // under those from then on.
        List<BlocklistChange> changes = ChangeLog.since(database.dataSource(), 0, 100);
        assertThat(changes).extracting(c -> c.serial() + " " + c.operation() + " " + c.key() + " " + c.directive())
                .containsExactly("1 ADD DOMAIN:a.kz 1", "2 ADD DOMAIN:*.b.kz 1", "3 ADD DOMAIN:c.kz 2",
                        "4 UPDATE DOMAIN:*.b.kz 2", "5 UPDATE DOMAIN:a.kz 3",
                        "6 REMOVE DOMAIN:*.b.kz 5", "7 REMOVE DOMAIN:c.kz 5");
        assertThat(List.of(first, second, nothingNew, restoreFirst, restoreSecond))
                .extracting(StoredDirective::blocklistSerial).containsExactly(2L, 3L, 3L, 5L, 7L);
        assertThat(ChangeLog.since(database.dataSource(), 3, 100)).extracting(BlocklistChange::serial).containsExactly(4L, 5L, 6L, 7L);
        assertThat(ChangeLog.currentSerial(database.dataSource())).isEqualTo(7);
    }

    @Test
    void theCurrentSetSaysWhichActiveDirectiveEachTargetIsEnforcedUnder() throws Exception {
        submit(DirectiveJson.restrict("1").domain("a.kz", false).domain("b.kz", true));
        submit(DirectiveJson.restrict("2").domain("b.kz", true).target("IP", "192.0.2.1"));
        submit(DirectiveJson.restrict("3").domain("b.kz", true));
        submit(DirectiveJson.restore("4", "1"));
        submit(DirectiveJson.restore("5", "2"));

        List<BlocklistEntry> entries = new ArrayList<>();
        long serial = ChangeLog.snapshot(database.dataSource(), entries::add);

        assertThat(serial).isEqualTo(ChangeLog.currentSerial(database.dataSource()));
        // b.kz entered the set with directive 1 at serial 2, and is now enforced under 3, the only
        // active directive that names it; a.kz and the address left with their directives.
        assertThat(entries).extracting(e -> e.key() + " " + e.directive() + " since " + e.since())
                .containsExactly("DOMAIN:*.b.kz 3 since 2");
    }

    /**
     * Seed 002 art. 21: a restriction for three months ends on its own. At its end the gateway lifts it
     * with a RESTORE it signs with its own key, recorded like any (change log, audit DIRECTIVE_EXPIRED);
     * a target another directive still names stays restricted; the next run finds nothing to do.
     */
    @Test
    void aRestrictionForAPeriodIsLiftedAtItsEndByTheGatewayAndWhatAnotherDirectiveNamesStays() throws Exception {
        Moving clock = new Moving(Instant.now());
        DirectiveIntake timed = TestIntakes.trusting(database, pki, signer, clock);
        Signer gatewayKey = pki.issue("gateway", KeyType.EC_P256);
        DirectiveExpiry expiry = new DirectiveExpiry(database, timed, DocumentSigner.load(gatewayKey.key(),
                Optional.of(gatewayKey.certificate()), Optional.empty()), clock);
        StoredDirective banned = timed.submit(signed(DirectiveJson.restrict("T-1").domain("banned.kz", false)
                .domain("shared.kz", false).set("restrictFor", "P3M"))).directive();
        timed.submit(signed(DirectiveJson.restrict("T-2").domain("shared.kz", false)));
        // Issued 20 November 2026, 10:00 in Almaty: three months later.
        assertThat(banned.expiresAt()).isEqualTo(Instant.parse("2027-02-20T05:00:00Z"));

        clock.now = Instant.parse("2027-02-20T04:59:59Z");
        assertThat(expiry.expireDue()).as("a second before its end").isEmpty();
        clock.now = Instant.parse("2027-02-20T05:00:01Z");
        List<IntakeResult> lifted = expiry.expireDue();

        assertThat(lifted).singleElement().satisfies(result -> {
            assertThat(result.directive().number()).isEqualTo("EXP-" + banned.id());
            assertThat(result.directive().signerSubject()).contains("gateway");
            assertThat(result.effect().orElseThrow().lifted()).containsExactly("DOMAIN:banned.kz");
            assertThat(result.effect().orElseThrow().stillRestricted()).containsExactly("DOMAIN:shared.kz");
            assertThat(new String(result.directive().document(), StandardCharsets.UTF_8))
                    .contains("\"cancels\":{\"number\":\"T-1\"", "истёк", "аяқталды");
        });
        assertThat(database.repository(DirectiveRepository.class).findById(banned.id()).orElseThrow().status())
                .isEqualTo(DirectiveStatus.CANCELLED);
        List<BlocklistEntry> entries = new ArrayList<>();
        ChangeLog.snapshot(database.dataSource(), entries::add);
        assertThat(entries).extracting(BlocklistEntry::value).containsExactly("shared.kz");
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT submitted_by FROM audit_record WHERE event = 'DIRECTIVE_EXPIRED'");
             ResultSet rows = select.executeQuery()) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).contains("T-1");
        }
        assertThat(AuditLog.verify(database.dataSource()).intact()).isTrue();
        assertThat(expiry.expireDue()).as("nothing more to lift").isEmpty();
    }

    /** A clock the test moves. */
    private static final class Moving extends java.time.Clock {
        volatile Instant now;

        Moving(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private Submission signed(DirectiveJson json) throws Exception {
        return new Submission(pki.signAttached(signer, json.bytes(), Encoding.DER), Optional.empty(), "test");
    }

    @Test
    void replayingTheChangeLogGivesTheTargetsOfTheActiveDirectives() throws Exception {
        submit(DirectiveJson.restrict("1").domain("a.kz", false).target("IP", "192.0.2.1"));
        submit(DirectiveJson.restrict("2").domain("a.kz", false).target("CIDR", "198.51.100.0/24"));
        submit(DirectiveJson.restore("3", "1"));

        Set<String> replayed = new HashSet<>();
        for (BlocklistChange change : ChangeLog.since(database.dataSource(), 0, 100)) {
            boolean applied = switch (change.operation()) {
                case ADD -> replayed.add(change.key());
                case REMOVE -> replayed.remove(change.key());
                case UPDATE -> replayed.contains(change.key());
            };
            assertThat(applied).as("change %d applies to the set before it", change.serial()).isTrue();
        }
        assertThat(replayed).containsExactlyInAnyOrder("DOMAIN:a.kz", "CIDR:198.51.100.0/24");
    }

    @Test
    void concurrentIntakesGiveGapFreeSerialsAndAddEachTargetOnce() throws Exception {
        int clients = 6;
        List<byte[]> signed = new ArrayList<>();
        for (int i = 0; i < clients * 4; i++) {
            // Directives overlap: each names its own target and one of three shared ones.
            signed.add(pki.signAttached(signer, DirectiveJson.restrict("C-" + i)
                    .domain("own" + i + ".kz", false).domain("shared" + (i % 3) + ".kz", true).bytes(), Encoding.DER));
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<IntakeResult>> results = new ArrayList<>();
            for (byte[] body : signed) {
                results.add(pool.submit(() -> intake.submit(new Submission(body, Optional.empty(), "test"))));
            }
            for (Future<IntakeResult> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS).created()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }

        List<BlocklistChange> changes = ChangeLog.since(database.dataSource(), 0, 1_000);
        assertThat(changes).extracting(BlocklistChange::serial)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, changes.size()).boxed().toList());
        assertThat(changes).extracting(BlocklistChange::key).doesNotHaveDuplicates().hasSize(clients * 4 + 3);
    }

    /**
     * Directives that arrive while another is being stored are stored together, in one transaction:
     * the one refused among them after its changes were written leaves nothing behind, the same
     * document sent twice is one directive, and the rest are stored as if each had come alone.
     */
    @Test
    void directivesArrivingTogetherShareATransactionAndOneRefusedAmongThemIsRolledBackAlone() throws Exception {
        CountDownLatch storing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AcceptanceStep step = (connection, directive, document) -> {
            if (directive.number().equals("G-0")) {
                storing.countDown();
                awaitQuietly(release);
            } else if (directive.number().equals("G-refused")) {
                // As the outbox refuses an unknown recipient: after the directive's changes are written.
                throw new DirectiveRejectedException(Reason.UNKNOWN_RECIPIENT, "not a registered, active operator: x");
            }
        };
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        DirectiveIntake grouped = TestIntakes.trusting(database, pki, signer, Clock.systemUTC(), step).bindMetrics(metrics);
        Submission twice = signed(DirectiveJson.restrict("G-1").domain("g1.kz", false).domain("shared.kz", false));
        List<Submission> together = List.of(twice,
                signed(DirectiveJson.restrict("G-refused").domain("refused.kz", false).domain("g2.kz", false)),
                twice,
                signed(DirectiveJson.restrict("G-2").domain("g2.kz", false).domain("shared.kz", false)),
                signed(DirectiveJson.restrict("G-3").domain("g3.kz", true)));
        ExecutorService pool = Executors.newFixedThreadPool(together.size() + 1);
        try {
            Future<IntakeResult> first = pool.submit(() -> grouped.submit(signed(DirectiveJson.restrict("G-0").domain("g0.kz", false))));
            assertThat(storing.await(30, TimeUnit.SECONDS)).as("G-0 is being stored").isTrue();
            List<Future<IntakeResult>> results = new ArrayList<>();
            for (Submission submission : together) {
                results.add(pool.submit(() -> grouped.submit(submission)));
                // One by one, so that they are stored in this order: the refused one before G-2.
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> metrics.get("qaqpa_intake_waiting").gauge().value() == results.size());
            }
            release.countDown();

            assertThat(first.get(30, TimeUnit.SECONDS).directive().blocklistSerial()).isEqualTo(1);
            IntakeResult once = results.get(0).get(30, TimeUnit.SECONDS);
            IntakeResult again = results.get(2).get(30, TimeUnit.SECONDS);
            assertThat(List.of(once.created(), again.created())).as("the same document twice is stored once")
                    .containsExactlyInAnyOrder(true, false);
            assertThat(again.directive().id()).isEqualTo(once.directive().id());
            assertThatThrownBy(() -> results.get(1).get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(DirectiveRejectedException.class,
                            refused -> assertThat(refused.reason()).isEqualTo(Reason.UNKNOWN_RECIPIENT));
            IntakeResult second = results.get(3).get(30, TimeUnit.SECONDS);
            assertThat(second.effect().orElseThrow().newlyRestricted()).as("not taken for restricted by the refused one")
                    .containsExactly("DOMAIN:g2.kz");
            assertThat(results.get(4).get(30, TimeUnit.SECONDS).created()).isTrue();
        } finally {
            release.countDown();
            pool.shutdownNow();
        }

        assertThat(metrics.get("qaqpa_intake_transactions").functionCounter().count()).as("G-0's, then the rest's").isEqualTo(2);
        assertThat(metrics.get("qaqpa_intake_committed").functionCounter().count()).as("all but the refused").isEqualTo(5);
        assertThat(database.repository(DirectiveRepository.class).findByNumber("G-refused")).isEmpty();
        List<BlocklistChange> changes = ChangeLog.since(database.dataSource(), 0, 100);
        assertThat(changes).extracting(BlocklistChange::serial)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, changes.size()).boxed().toList());
        assertThat(changes).extracting(BlocklistChange::key).containsExactlyInAnyOrder(
                "DOMAIN:g0.kz", "DOMAIN:g1.kz", "DOMAIN:shared.kz", "DOMAIN:g2.kz", "DOMAIN:*.g3.kz");
        assertThat(BlocklistLog.head(database.dataSource()).size()).as("one leaf a change").isEqualTo(changes.size());
        assertThat(AuditLog.verify(database.dataSource()).records()).isEqualTo(4);
        assertThat(AuditLog.verify(database.dataSource()).intact()).isTrue();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void pruningKeepsTheNewestChangesAndSerialsGoOn() throws Exception {
        for (int i = 1; i <= 5; i++) {
            submit(DirectiveJson.restrict("P-" + i).domain("p" + i + ".kz", false));
        }
        Instant muchLater = Instant.now().plus(Duration.ofDays(31));

        assertThat(ChangeLog.prune(database.dataSource(), 2, Duration.ofDays(30), Instant.now()))
                .as("nothing is old enough yet").isZero();
        assertThat(ChangeLog.prune(database.dataSource(), 2, Duration.ofDays(30), muchLater)).isEqualTo(3);

        assertThat(ChangeLog.since(database.dataSource(), 0, 100)).extracting(BlocklistChange::serial).containsExactly(4L, 5L);
        assertThat(submit(DirectiveJson.restrict("P-6").domain("p6.kz", false)).directive().blocklistSerial()).isEqualTo(6);
    }

    @Test
    void everyChangeIsALeafOfTheMerkleLogTiedToItsSignedDocumentAndTheRootIsCommittedWithIt() throws Exception {
        StoredDirective first = submit(DirectiveJson.restrict("1").domain("a.kz", false).domain("b.kz", true)).directive();
        StoredDirective second = submit(DirectiveJson.restrict("2").domain("b.kz", true).domain("c.kz", false)).directive();
        submit(DirectiveJson.restore("3", "1"));

        List<LogLeaf> leaves = BlocklistLog.leaves(database.dataSource(), 1, 100);
        assertThat(leaves).extracting(l -> l.serial() + " " + l.operation() + " " + l.key() + " " + l.directive())
                .containsExactly("1 ADD DOMAIN:a.kz 1", "2 ADD DOMAIN:*.b.kz 1", "3 ADD DOMAIN:c.kz 2",
                        "4 REMOVE DOMAIN:a.kz 3", "5 UPDATE DOMAIN:*.b.kz 2");
        assertThat(leaves.get(0).documentSha256()).isEqualTo(first.documentSha256());
        assertThat(leaves.get(4).documentSha256()).as("an UPDATE is tied to the directive it cites")
                .isEqualTo(second.documentSha256());
        BlocklistLog.Head head = BlocklistLog.head(database.dataSource());
        assertThat(head.size()).isEqualTo(ChangeLog.currentSerial(database.dataSource())).isEqualTo(5);
        assertThat(head.root()).isEqualTo(treeOf(leaves).root());
        assertThat(head.setHash()).as("the set hash follows ADD, UPDATE (to the new directive) and REMOVE")
                .isEqualTo(SetHash.empty().add("DOMAIN:*.b.kz", "2").add("DOMAIN:c.kz", "2").digest());
        List<byte[]> stored = new ArrayList<>();
        BlocklistLog.leafHashes(database.dataSource(), 0, 5, stored::add);
        assertThat(stored).containsExactlyElementsOf(leaves.stream().map(LogLeaf::hash).toList());
    }

    @Test
    void aDatabaseFromBeforeTheLogHasItBuiltFromItsChangesUnlessTheyWerePruned() throws Exception {
        for (int i = 1; i <= 3; i++) {
            submit(DirectiveJson.restrict("L-" + i).domain("l" + i + ".kz", false));
        }
        BlocklistLog.Head before = BlocklistLog.head(database.dataSource());
        forgetTheLog();

        BlocklistLog.complete(database.dataSource());
        BlocklistLog.complete(database.dataSource()); // a complete log is left as it is

        assertThat(BlocklistLog.head(database.dataSource()).root()).isEqualTo(before.root());
        assertThat(BlocklistLog.head(database.dataSource()).setHash()).as("computed from the current set")
                .isEqualTo(before.setHash());
        assertThat(submit(DirectiveJson.restrict("L-4").domain("l4.kz", false)).directive().blocklistSerial()).isEqualTo(4);
        assertThat(BlocklistLog.head(database.dataSource()).size()).isEqualTo(4);

        forgetTheLog();
        ChangeLog.prune(database.dataSource(), 1, Duration.ZERO, Instant.now().plusSeconds(1));
        assertThatThrownBy(() -> BlocklistLog.complete(database.dataSource()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no longer holds serial 1");
        assertThatThrownBy(() -> submit(DirectiveJson.restrict("L-5").domain("l5.kz", false)))
                .as("no change is committed past a log that is behind").hasMessageContaining("Merkle log");
    }

    /** What a database from before the log looks like: changes, no leaves, the log's head at 0. */
    private void forgetTheLog() throws Exception {
        try (var connection = database.dataSource().getConnection(); var statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM blocklist_log_leaf");
            statement.executeUpdate("UPDATE blocklist_head SET log_size = 0, log_frontier = '', log_set = NULL");
        }
    }

    private static MerkleTree treeOf(List<LogLeaf> leaves) {
        MerkleTree tree = new MerkleTree();
        leaves.forEach(leaf -> tree.append(leaf.hash()));
        return tree;
    }

    @Test
    void detachedSignatureIsAccepted() throws Exception {
        byte[] document = DirectiveJson.restrict("7").domain("d.kz", false).bytes();

        IntakeResult result = intake.submit(new Submission(pki.signDetached(signer, document, Encoding.DER),
                Optional.of(document), "test"));

        assertThat(result.created()).isTrue();
        assertThat(result.directive().document()).isEqualTo(document);
    }

    private IntakeResult submit(DirectiveJson json) throws Exception {
        return intake.submit(signed(json));
    }

    private void assertRejectedUnchanged(ThrowingCallable submission, Reason reason) throws Exception {
        Map<String, String> before = TableSnapshot.of(database.dataSource());
        DirectiveRejectedException e = catchThrowableOfType(DirectiveRejectedException.class, submission);
        assertThat(e).as("rejected with " + reason).isNotNull();
        assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
        assertThat(TableSnapshot.of(database.dataSource())).as("no row changed").isEqualTo(before);
    }

    private static int indexOf(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).indexOf(needle);
    }
}
