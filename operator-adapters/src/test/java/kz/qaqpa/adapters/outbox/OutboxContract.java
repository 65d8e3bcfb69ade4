package kz.qaqpa.adapters.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import kz.qaqpa.adapters.FanOut;
import kz.qaqpa.adapters.outbox.DeliveryStore.Acknowledged;
import kz.qaqpa.adapters.outbox.DeliveryStore.AllAcknowledged;
import kz.qaqpa.adapters.outbox.DeliveryStore.Due;
import kz.qaqpa.adapters.recipient.ChannelKind;
import kz.qaqpa.adapters.recipient.RecipientStore;
import kz.qaqpa.adapters.recipient.Role;
import kz.qaqpa.directives.directive.StoredDirective;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.directives.intake.DirectiveRejectedException.Reason;
import kz.qaqpa.directives.intake.DirectiveRejectedException;
import kz.qaqpa.directives.store.TableSnapshot;
import kz.qaqpa.directives.store.ThrowAwayDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox on a real database: what the intake queues, what is due, who takes it, acknowledgements. */
abstract class OutboxContract {

    @TempDir
    Path dir;

    FanOut fanOut;

    abstract ThrowAwayDatabase newDatabase();

    @BeforeEach
    void open() throws Exception {
        fanOut = new FanOut(dir, newDatabase());
        fanOut.operator("kcell", ChannelKind.WEBHOOK, "{\"url\": \"http://127.0.0.1:1/hook\"}");
        fanOut.operator("beeline", ChannelKind.PULL_ONLY, null);
        fanOut.recipients.register("sts", "State Technical Service", "990740000029", Role.STATE_TECHNICAL_SERVICE,
                ChannelKind.PULL_ONLY, null);
        fanOut.recipients.register("old", "Retired operator", "990740000029", Role.OPERATOR, ChannelKind.PULL_ONLY, null);
        fanOut.recipients.change("old", RecipientStore.Change.activity(false));
    }

    @AfterEach
    void close() throws Exception {
        fanOut.close();
    }

    @Test
    void directiveToAllGoesToEveryActiveOperatorAndTheStateTechnicalService() throws Exception {
        StoredDirective directive = fanOut.submit(DirectiveJson.restrict("ALL-1").domain("a.kz", false));

        List<DeliveryView> views = fanOut.deliveries.forDirective(directive.id());

        assertThat(views).extracting(DeliveryView::recipientId).containsExactly("beeline", "kcell", "sts");
        assertThat(views).extracting(DeliveryView::status)
                .containsExactly(DeliveryStatus.DELIVERED, DeliveryStatus.QUEUED, DeliveryStatus.DELIVERED);
    }

    @Test
    void directiveNamingAnUnknownOrRetiredOperatorIsRefusedAndChangesNothing() throws Exception {
        Map<String, String> before = TableSnapshot.of(fanOut.database.dataSource());
        for (String named : List.of("nobody", "old")) {
            DirectiveJson json = DirectiveJson.restrict("TO-" + named).domain("a.kz", false);
            json.tree().putArray("recipients").add("kcell").add(named);

            DirectiveRejectedException e = catchThrowableOfType(DirectiveRejectedException.class, () -> fanOut.submit(json));

            assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_RECIPIENT);
            assertThat(e.getMessage()).contains(named).doesNotContain("kcell");
        }
        assertThat(TableSnapshot.of(fanOut.database.dataSource())).isEqualTo(before);
    }

    @Test
    void onlyTheOldestQueuedDeliveryOfARecipientIsDueAndOnlyOneDispatcherTakesIt() throws Exception {
        StoredDirective first = fanOut.submit(DirectiveJson.restrict("Q-1").domain("q1.kz", false));
        fanOut.submit(DirectiveJson.restrict("Q-2").domain("q2.kz", false));
        Instant now = Instant.now();

        List<Due> due = fanOut.deliveries.due(now, 10);

        assertThat(due).singleElement().satisfies(head -> {
            assertThat(head.recipientId()).isEqualTo("kcell");
            assertThat(head.id()).isEqualTo(fanOut.deliveries.forDirective(first.id()).get(1).id());
        });
        assertThat(fanOut.deliveries.take(due.get(0), now, now.plusSeconds(60))).isTrue();
        assertThat(fanOut.deliveries.take(due.get(0), now, now.plusSeconds(60))).as("a second dispatcher").isFalse();
        assertThat(fanOut.deliveries.due(now, 10)).as("leased, and the next waits its turn").isEmpty();
        assertThat(fanOut.deliveries.due(now.plusSeconds(61), 10)).as("the lease ran out").hasSize(1);

        fanOut.deliveries.delivered(due.get(0).id(), now);
        assertThat(fanOut.deliveries.due(now, 10)).singleElement()
                .satisfies(next -> assertThat(next.id()).isGreaterThan(due.get(0).id()));
    }

    @Test
    void whenEveryRecipientAcknowledgesAtOnceTheLastOnesStepRunsOnce() throws Exception {
        StoredDirective restrict = fanOut.submit(DirectiveJson.restrict("ACK-ALL").domain("all.kz", false));
        Instant at = Instant.parse("2026-11-22T10:00:00Z");
        List<String> recipients = fanOut.deliveries.forDirective(restrict.id()).stream().map(DeliveryView::recipientId).toList();
        AtomicInteger steps = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(recipients.size());
        try {
            List<Future<Acknowledged>> answers = new ArrayList<>();
            for (String recipient : recipients) {
                answers.add(clients.submit(() -> {
                    go.await();
                    return fanOut.deliveries.acknowledge(restrict.id(), recipient, "ENFORCED", at, at,
                            (connection, directive) -> steps.incrementAndGet());
                }));
            }
            go.countDown();
            for (Future<Acknowledged> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo(Acknowledged.RECORDED);
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(recipients).hasSizeGreaterThan(1);
        assertThat(steps).as("the step of the last acknowledgement, and only that one").hasValue(1);
    }

    @Test
    void anAcknowledgementWhoseStepFailsIsNotRecorded() throws Exception {
        StoredDirective restrict = fanOut.submit(DirectiveJson.restrict("ACK-STEP").domain("step.kz", false));
        Instant at = Instant.parse("2026-11-22T10:00:00Z");
        List<String> recipients = fanOut.deliveries.forDirective(restrict.id()).stream().map(DeliveryView::recipientId).toList();
        for (String recipient : recipients.subList(0, recipients.size() - 1)) {
            fanOut.deliveries.acknowledge(restrict.id(), recipient, "ENFORCED", at, at, AllAcknowledged.NOTHING);
        }
        String last = recipients.get(recipients.size() - 1);

        assertThatThrownBy(() -> fanOut.deliveries.acknowledge(restrict.id(), last, "ENFORCED", at, at,
                (connection, directive) -> {
                    throw new SQLException("the step refuses");
                })).hasMessageContaining("the step refuses");

        assertThat(fanOut.deliveries.forDirective(restrict.id())).filteredOn(view -> view.recipientId().equals(last))
                .singleElement().satisfies(view -> assertThat(view.acknowledgement()).as("rolled back with its step").isEmpty());
        assertThat(fanOut.deliveries.acknowledge(restrict.id(), last, "ENFORCED", at, at, AllAcknowledged.NOTHING))
                .isEqualTo(Acknowledged.RECORDED);
    }

    @Test
    void firstAcknowledgementCountsAndItMustFitTheAction() throws Exception {
        StoredDirective restrict = fanOut.submit(DirectiveJson.restrict("ACK-1").domain("ack.kz", false));
        Instant at = Instant.parse("2026-11-22T10:00:00Z");

        assertThat(fanOut.deliveries.acknowledge(restrict.id(), "kcell", "RESUMED", at, at, AllAcknowledged.NOTHING))
                .isEqualTo(Acknowledged.WRONG_KIND);
        assertThat(fanOut.deliveries.acknowledge(restrict.id(), "kcell", "ENFORCED", at, at, AllAcknowledged.NOTHING))
                .isEqualTo(Acknowledged.RECORDED);
        assertThat(fanOut.deliveries.acknowledge(restrict.id(), "kcell", "ENFORCED", at.plusSeconds(5), at, AllAcknowledged.NOTHING))
                .isEqualTo(Acknowledged.ALREADY);
        assertThat(fanOut.deliveries.acknowledge(restrict.id(), "old", "ENFORCED", at, at, AllAcknowledged.NOTHING))
                .isEqualTo(Acknowledged.NO_DELIVERY);

        DeliveryView kcell = fanOut.deliveries.forDirective(restrict.id()).get(1);
        assertThat(kcell.actedAt()).contains(at);
        assertThat(kcell.overdue(at.plusSeconds(86_400 * 2), Duration.ofHours(24), Duration.ofHours(1)))
                .isFalse();
        DeliveryView beeline = fanOut.deliveries.forDirective(restrict.id()).get(0);
        assertThat(beeline.overdue(Instant.now().plusSeconds(86_401), Duration.ofHours(24), Duration.ofHours(1)))
                .isTrue();
        assertThat(fanOut.deliveries.countOverdue(Instant.now().plusSeconds(1), Instant.now().plusSeconds(1)))
                .as("beeline and sts have not acknowledged").isEqualTo(2);
    }
}
