package kz.qaqpa.adapters.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import kz.qaqpa.adapters.outbox.DeliveryStore.Acknowledged;
import kz.qaqpa.adapters.outbox.DeliveryStore.AllAcknowledged;
import kz.qaqpa.directives.appeal.Appeal;
import kz.qaqpa.directives.appeal.AppealForm;
import kz.qaqpa.directives.appeal.AppealMonitoring;
import kz.qaqpa.directives.appeal.AppealRegister;
import kz.qaqpa.directives.appeal.AppealStatus;
import kz.qaqpa.directives.audit.Actor;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.directives.intake.Submission;
import kz.qaqpa.directives.store.RequiresPostgres;
import kz.qaqpa.directives.store.ThrowAwayDatabase;
import org.junit.jupiter.api.Test;

@RequiresPostgres
class OutboxPostgresTest extends OutboxContract {

    private static final Actor TEST_ACTOR = new Actor("test-reviewer", "127.0.0.1");

    @Override
    ThrowAwayDatabase newDatabase() {
        return ThrowAwayDatabase.postgres();
    }

    /**
     * An appeal about two directives is RESTORED by whichever of its two RESTOREs is acknowledged
     * everywhere last — also when the last acknowledgement of each arrives at the same moment: both
     * transactions hold their acknowledgement, uncommitted, before either looks at the other's
     * (forced here), and the appeal's row lock makes the later one see the earlier. Without the lock
     * each would see the other's unacknowledged and the appeal would stay REMOVAL_CONFIRMED for ever.
     * (On the embedded store transactions take turns on its one connection: the case cannot arise.)
     */
    @Test
    void theLastAcknowledgementsOfAnAppealsTwoRestoresAtOnceMakeItRestored() throws Exception {
        fanOut.submit(DirectiveJson.restrict("AP-1").domain("two.kz", false));
        fanOut.submit(DirectiveJson.restrict("AP-2").target("URL", "https://two.kz/page"));
        AppealRegister register = new AppealRegister(fanOut.database, WorkingCalendar.shipped(), Clock.systemUTC(),
                () -> "https://appeals.example.kz");
        AppealMonitoring monitoring = new AppealMonitoring(fanOut.database, register, Clock.systemUTC());
        Appeal appeal = register.register(new AppealForm("OWNER", "Айгүл Серікқызы", "990740000029", null, null, null,
                "owner@example.kz", "kk", "two.kz", "AP-1", List.of("https://two.kz/removed"), null,
                Optional.empty())).appeal();
        appeal = monitoring.link(appeal, "AP-2", TEST_ACTOR);
        for (String link : monitoring.linksToCheck(appeal)) {
            monitoring.recordFindings(appeal, Map.of(link, new AppealMonitoring.Finding(link, true, null, null)), TEST_ACTOR);
        }
        monitoring.recordViolationsEliminated(appeal, null, TEST_ACTOR);
        Appeal confirmed = monitoring.decide(register.find(appeal.number()).orElseThrow(), "REMOVAL_CONFIRMED", null, TEST_ACTOR);
        List<Long> restores = new ArrayList<>();
        for (String cancelled : List.of("AP-1", "AP-2")) {
            String order = monitoring.draftOrder(confirmed, monitoring.orderedDirective(confirmed,
                    Optional.of(cancelled)), Optional.empty(), List.of("kcell"), "А. Сейітов").restore();
            restores.add(fanOut.intake.submit(new Submission(fanOut.authority.sign(
                    order.getBytes(StandardCharsets.UTF_8), true), Optional.empty(), "test"))
                    .directive().id());
        }
        Instant at = Instant.now();
        for (long restore : restores) {
            for (String recipient : List.of("kcell", "beeline")) {
                fanOut.deliveries.acknowledge(restore, recipient, "RESUMED", at, at, AllAcknowledged.NOTHING);
            }
        }

        CountDownLatch bothHeld = new CountDownLatch(2);
        ExecutorService lasts = Executors.newFixedThreadPool(2);
        try {
            List<Future<Acknowledged>> acknowledged = new ArrayList<>();
            for (long restore : restores) {
                acknowledged.add(lasts.submit(() -> fanOut.deliveries.acknowledge(restore, "sts", "RESUMED", at, at,
                        (connection, id) -> {
                            bothHeld.countDown();
                            try {
                                assertThat(bothHeld.await(10, TimeUnit.SECONDS)).as("the other's is held too").isTrue();
                            } catch (InterruptedException e) {
                                throw new IllegalStateException(e);
                            }
                            monitoring.restoredEverywhere(connection, id, DeliveryStore::acknowledgedEverywhere);
                        })));
            }
            for (Future<Acknowledged> each : acknowledged) {
                assertThat(each.get(30, TimeUnit.SECONDS)).isEqualTo(Acknowledged.RECORDED);
            }
        } finally {
            lasts.shutdownNow();
        }
        assertThat(register.find(appeal.number()).orElseThrow().status()).isEqualTo(AppealStatus.RESTORED);
    }
}
