package kz.qaqpa.directives.suspension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;
import kz.qaqpa.directives.ManualClock;
import kz.qaqpa.directives.audit.AuditLog;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.document.DirectiveDocument.DomainSuspension.Ground;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.directives.intake.DirectiveIntake;
import kz.qaqpa.directives.intake.IntakeResult;
import kz.qaqpa.directives.intake.Submission;
import kz.qaqpa.directives.intake.TestIntakes;
import kz.qaqpa.directives.signature.DirectiveKind;
import kz.qaqpa.directives.signature.OpenSslPki;
import kz.qaqpa.directives.signature.OpenSslPki.Encoding;
import kz.qaqpa.directives.signature.OpenSslPki.KeyType;
import kz.qaqpa.directives.signature.OpenSslPki.Signer;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.store.ThrowAwayDatabase;
import kz.qaqpa.directives.suspension.SuspensionCases.Case;
import kz.qaqpa.directives.suspension.SuspensionCases.Due;
import kz.qaqpa.directives.suspension.SuspensionState.Party;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 000 §16–26 on a manual clock and the shipped working-day calendar: a request on Friday
 * 11 December 2026, the weekend, Independence Day on Wednesday 16 December, the new year.
 */
abstract class SuspensionCasesContract {

    /** Friday 11 December 2026, 10:00 in Almaty. */
    private static final Instant FRIDAY = Instant.parse("2026-12-11T05:00:00Z");

    @TempDir
    static Path pkiDir;

    private static OpenSslPki pki;
    private static Signer signer;

    private ThrowAwayDatabase throwAway;
    private Database database;
    private ManualClock clock;
    private SuspensionCases cases;
    private DirectiveIntake intake;

    abstract ThrowAwayDatabase newDatabase();

    @BeforeAll
    static void makePki() throws Exception {
        pki = OpenSslPki.create(pkiDir, "Suspension Test CA");
        signer = pki.issue("authority", KeyType.EC_P256);
    }

    @BeforeEach
    void open() {
        throwAway = newDatabase();
        database = Database.open(throwAway.settings(), new SimpleMeterRegistry());
        clock = new ManualClock(FRIDAY);
        cases = new SuspensionCases(database, WorkingCalendar.shipped(), clock);
        // The authority for information security (seed 000 §2(1)) suspends, and ends its suspensions.
        intake = TestIntakes.trusting(database, pki, signer, clock, cases, Set.of(DirectiveKind.DOMAIN_SUSPENSION));
    }

    @AfterEach
    void close() throws Exception {
        database.close();
        throwAway.close();
    }

    @Test
    void eachStepIsDueOnTheWorkingDayCalendarAndOverdueWhenItsPartyMissesIt() throws Exception {
        submit(DirectiveJson.restrict("IS-1").domain("phishing.kz", false).domain("фишинг.қаз", false).suspension("PHISHING"));
        assertThat(cases.open()).extracting(Case::domain).containsExactly("phishing.kz", "xn--c1ajau6aza.xn--80ao21a");
        Case first = cases.open().get(0);
        long restored = first.id();
        long terminated = cases.open().get(1).id();
        assertThat(first.ground()).isEqualTo(Ground.PHISHING);
        assertThat(first.directiveNumber()).isEqualTo("IS-1");

        // §18: the registry suspends within a working day — Monday, past the weekend.
        assertThat(cases.due(first)).contains(new Due(SuspensionState.SUSPENDED, Party.REGISTRY, endOf("2026-12-14"), false));
        clock.set(Instant.parse("2026-12-14T19:00:00Z")); // Tuesday 00:00 in Almaty
        assertThat(cases.due(first).orElseThrow().overdue()).isTrue();
        assertThat(cases.countOverdue()).isEqualTo(2);
        cases.record(restored, SuspensionState.SUSPENDED, Party.REGISTRY, "kaznic",
                Instant.parse("2026-12-14T11:00:00Z"), "suspended in the register");
        cases.record(terminated, SuspensionState.SUSPENDED, Party.REGISTRY, "kaznic",
                Instant.parse("2026-12-14T11:00:00Z"), null);
        assertThat(cases.countOverdue()).as("late steps are recorded as they happened").isZero();

        // §19: the registrar tells the registrant within a working day of the registry's notice.
        assertStepRefused(() -> cases.record(terminated, SuspensionState.REGISTRANT_NOTIFIED, Party.REGISTRAR,
                "hoster", Instant.parse("2026-12-15T06:00:00Z"), null), "not the registrar");
        cases.recordWhois(restored, new SuspensionCases.Whois(FRIDAY, Optional.of("HOSTER.KZ"), Optional.empty(),
                Optional.empty()), Optional.of("hoster"));
        cases.nameRegistrar(terminated, "hoster", "kaznic");
        assertThat(cases.due(cases.find(restored).orElseThrow()))
                .contains(new Due(SuspensionState.REGISTRANT_NOTIFIED, Party.REGISTRAR, endOf("2026-12-15"), false));
        clock.set(Instant.parse("2026-12-16T06:00:00Z")); // Independence Day
        assertThat(cases.due(cases.find(restored).orElseThrow()).orElseThrow().overdue()).isTrue();
        assertStepRefused(() -> cases.record(restored, SuspensionState.REGISTRANT_NOTIFIED, Party.REGISTRY, "kaznic",
                Instant.parse("2026-12-15T06:00:00Z"), null), "registrar's step");
        for (Case c : cases.open()) {
            cases.record(c.id(), SuspensionState.REGISTRANT_NOTIFIED, Party.REGISTRAR, "hoster",
                    Instant.parse("2026-12-15T06:00:00Z"), null);
        }

        // §19: ten working days to remedy from the notice — 17 December (after the holiday) to 30 December.
        assertThat(cases.due(cases.find(restored).orElseThrow()))
                .contains(new Due(SuspensionState.REMEDY_REPORTED, Party.REGISTRY, endOf("2026-12-30"), false));
        clock.set(Instant.parse("2026-12-21T06:00:00Z"));
        assertStepRefused(() -> cases.record(terminated, SuspensionState.TERMINATED, Party.REGISTRY, "kaznic",
                Instant.parse("2026-12-21T06:00:00Z"), null), "period to remedy is over");
        cases.record(restored, SuspensionState.REMEDY_REPORTED, Party.REGISTRY, "kaznic",
                Instant.parse("2026-12-21T05:00:00Z"), "the registrant removed the phishing page");
        // §22: restored within a working day of the report.
        assertThat(cases.due(cases.find(restored).orElseThrow()))
                .contains(new Due(SuspensionState.RESTORED, Party.REGISTRY, endOf("2026-12-22"), false));
        clock.set(Instant.parse("2026-12-22T05:00:00Z"));
        Case done = cases.record(restored, SuspensionState.RESTORED, Party.REGISTRY, "kaznic",
                Instant.parse("2026-12-22T04:00:00Z"), null);
        assertThat(done.state()).isEqualTo(SuspensionState.RESTORED);
        assertThat(done.closedAt()).isPresent();
        assertThat(cases.due(done)).isEmpty();
        assertThat(done.steps()).extracting(SuspensionCases.Step::step).containsExactly(SuspensionState.REQUESTED,
                SuspensionState.SUSPENDED, SuspensionState.REGISTRANT_NOTIFIED, SuspensionState.REMEDY_REPORTED,
                SuspensionState.RESTORED);

        // §23 3), §26: no remedy by the end of 30 December — the registry terminates, due the next working day.
        clock.set(Instant.parse("2026-12-31T03:00:00Z"));
        assertThat(cases.due(cases.find(terminated).orElseThrow()))
                .contains(new Due(SuspensionState.TERMINATED, Party.REGISTRY, endOf("2026-12-31"), false));
        clock.set(Instant.parse("2027-01-04T03:00:00Z")); // Monday, after the new year's holidays
        assertThat(cases.countOverdue()).isEqualTo(1);
        Case ended = cases.record(terminated, SuspensionState.TERMINATED, Party.REGISTRY, "kaznic",
                Instant.parse("2027-01-04T03:00:00Z"), "registration terminated; registrar warned");
        assertThat(ended.state()).isEqualTo(SuspensionState.TERMINATED);
        assertStepRefused(() -> cases.record(terminated, SuspensionState.RESTORED, Party.REGISTRY, "kaznic",
                Instant.parse("2027-01-04T04:00:00Z"), null), "does not follow");
        assertThat(cases.countOverdue()).isZero();
        assertThat(AuditLog.verify(database.dataSource()).intact()).isTrue();
    }

    @Test
    void aStepIsRefusedOutOfOrderInTheFutureOrBeforeTheStepItFollows() throws Exception {
        submit(DirectiveJson.restrict("IS-2").domain("malware.kz", false).suspension("MALWARE"));
        long id = cases.open().get(0).id();

        assertStepRefused(() -> cases.record(id, SuspensionState.RESTORED, Party.REGISTRY, "kaznic", FRIDAY, null),
                "does not follow");
        assertStepRefused(() -> cases.record(id, SuspensionState.SUSPENDED, Party.REGISTRY, "kaznic",
                FRIDAY.plusSeconds(3_600), null), "in the future");
        assertStepRefused(() -> cases.record(id, SuspensionState.SUSPENDED, Party.REGISTRY, "kaznic",
                FRIDAY.minusSeconds(60), null), "before the step it follows");
        assertStepRefused(() -> cases.record(id, SuspensionState.TERMINATED, Party.REGISTRY, "kaznic", FRIDAY, null),
                "does not follow");
        assertThat(cases.find(id).orElseThrow().steps()).hasSize(1);
    }

    /** §19, §23 4): a court's term for the remedy replaces the ten days, and a court's decision may terminate at once. */
    @Test
    void aCourtsTermReplacesTheTenDaysAndACourtsDecisionTerminates() throws Exception {
        DirectiveJson court = DirectiveJson.restrict("IS-3").domain("court.kz", false).suspension("COURT_DECISION")
                .set("remedyUntil", "2027-01-29").set("domainBan", "ANNULLED");
        court.tree().putObject("courtDecision").put("court", "Астана қаласының соты").put("number", "2-77/2026")
                .put("date", "2026-11-02");
        submit(court);
        Case c = cases.open().get(0);
        cases.nameRegistrar(c.id(), "hoster", "kaznic");
        cases.record(c.id(), SuspensionState.SUSPENDED, Party.REGISTRY, "kaznic", FRIDAY, null);
        cases.record(c.id(), SuspensionState.REGISTRANT_NOTIFIED, Party.REGISTRAR, "hoster", FRIDAY, null);

        assertThat(cases.due(cases.find(c.id()).orElseThrow()))
                .contains(new Due(SuspensionState.REMEDY_REPORTED, Party.REGISTRY, endOf("2027-01-29"), false));
        assertThat(cases.find(c.id()).orElseThrow().remedyUntil()).contains(LocalDate.of(2027, 1, 29));
        Case terminated = cases.record(c.id(), SuspensionState.TERMINATED, Party.REGISTRY, "kaznic", FRIDAY,
                "the court's decision");
        assertThat(terminated.state()).isEqualTo(SuspensionState.TERMINATED);
        assertThat(terminated.ban()).as("seed 002 art. 21: annulled, no registration again for a year")
                .contains(new SuspensionCases.Ban("ANNULLED", Instant.parse("2027-11-20T05:00:00Z")));
    }

    /** A RESTORE cancelling the suspension directive ends its open cases; a closed one stays as it closed. */
    @Test
    void aRestoreOfTheDirectiveEndsItsOpenCases() throws Exception {
        submit(DirectiveJson.restrict("IS-4").domain("one.kz", false).domain("two.kz", false).suspension("HOSTED_ABROAD"));
        Case first = cases.open().get(0);
        cases.record(first.id(), SuspensionState.SUSPENDED, Party.REGISTRY, "kaznic", FRIDAY, null);

        IntakeResult restore = submit(DirectiveJson.restore("IS-5", "IS-4"));

        assertThat(cases.open()).isEmpty();
        Case ended = cases.find(first.id()).orElseThrow();
        assertThat(ended.state()).isEqualTo(SuspensionState.ENDED);
        assertThat(ended.steps()).last().satisfies(step -> {
            assertThat(step.step()).isEqualTo(SuspensionState.ENDED);
            assertThat(step.note()).isEqualTo("RESTORE IS-5");
        });
        assertThat(restore.directive().cancelsId()).isEqualTo(first.directiveId());
    }

    private static Instant endOf(String day) {
        return LocalDate.parse(day).atTime(23, 59, 59).atOffset(WorkingCalendar.ALMATY).toInstant();
    }

    private static void assertStepRefused(ThrowingCallable step, String saying) {
        SuspensionCases.RefusedStepException e = catchThrowableOfType(SuspensionCases.RefusedStepException.class, step);
        assertThat(e).as(saying).isNotNull();
        assertThat(e.getMessage()).contains(saying);
    }

    private IntakeResult submit(DirectiveJson json) throws Exception {
        return intake.submit(new Submission(pki.signAttached(signer, json.bytes(), Encoding.DER), Optional.empty(), "test"));
    }
}
