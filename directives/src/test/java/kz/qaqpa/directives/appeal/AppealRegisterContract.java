package kz.qaqpa.directives.appeal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kz.qaqpa.directives.appeal.AppealRegister.Registered;
import kz.qaqpa.directives.appeal.InvalidAppealException.Problem;
import kz.qaqpa.directives.audit.Actor;
import kz.qaqpa.directives.audit.AuditLog;
import kz.qaqpa.directives.audit.AuditVerification;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.directive.Action;
import kz.qaqpa.directives.directive.StoredDirective;
import kz.qaqpa.directives.document.DirectiveDocument;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.directives.intake.DirectiveIntake;
import kz.qaqpa.directives.intake.DirectiveRejectedException;
import kz.qaqpa.directives.intake.IntakeResult;
import kz.qaqpa.directives.intake.Submission;
import kz.qaqpa.directives.intake.TestIntakes;
import kz.qaqpa.directives.signature.OpenSslPki.Encoding;
import kz.qaqpa.directives.signature.OpenSslPki.KeyType;
import kz.qaqpa.directives.signature.OpenSslPki.Signer;
import kz.qaqpa.directives.signature.OpenSslPki;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.store.TableSnapshot;
import kz.qaqpa.directives.store.ThrowAwayDatabase;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registering restoration appeals on a real database. */
abstract class AppealRegisterContract {

    private static final Actor TEST_ACTOR = new Actor("test-reviewer", "127.0.0.1");

    /** Tuesday 1 December 2026, 18:00 in Almaty. */
    private static final Clock REGISTRATION = Clock.fixed(Instant.parse("2026-12-01T13:00:00Z"), ZoneOffset.UTC);
    private static final String IIN = "990740000029"; // a valid check digit, as BIN and IIN share the algorithm
    private static final String BAD_IIN = "990740000028";
    private static final String KAZAKH_NAME = "Қазақстан Республикасы Мәдениет және ақпарат министрлігінің Ақпарат комитеті";
    private static final String RUSSIAN_NAME = "Комитет информации Министерства культуры и информации Республики Казахстан";

    @TempDir
    static Path pkiDir;

    private static OpenSslPki pki;
    private static Signer signer;

    private ThrowAwayDatabase throwAway;
    private Database database;
    private DirectiveIntake intake;
    private AppealRegister register;

    abstract ThrowAwayDatabase newDatabase();

    @BeforeAll
    static void makePki() throws Exception {
        pki = OpenSslPki.create(pkiDir, "Appeal Test CA");
        signer = pki.issue("authority", KeyType.EC_P256);
    }

    @BeforeEach
    void open() throws Exception {
        throwAway = newDatabase();
        database = Database.open(throwAway.settings(), new SimpleMeterRegistry());
        intake = TestIntakes.trusting(database, pki, signer, Clock.systemUTC(), new AppealLink());
        register = new AppealRegister(database, WorkingCalendar.shipped(), REGISTRATION, () -> "https://appeals.example.kz");
        submit(DirectiveJson.restrict("12-3/456").domain("casino.kz", true));
    }

    @AfterEach
    void close() throws Exception {
        database.close();
        throwAway.close();
    }

    @Test
    void completeAppealIsRegisteredWithANumberTheDeadlineAndAPrivateToken() {
        Registered registered = register.register(person("CASINO.kz"));

        Appeal appeal = registered.appeal();
        assertThat(appeal.number()).matches("APL-2026-\\d{6}");
        assertThat(appeal.status()).isEqualTo(AppealStatus.REGISTERED);
        assertThat(appeal.deadline()).isEqualTo(Instant.parse("2026-12-23T18:59:59Z")); // 23:59:59 in Almaty
        assertThat(appeal.directiveNumber()).isEqualTo("12-3/456");
        assertThat(registered.token()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(register.find(appeal.number(), registered.token())).hasValueSatisfying(found -> {
            assertThat(found.iin()).isEqualTo(IIN);
            assertThat(found.links()).containsExactly("https://casino.kz/removed-page");
        });
        assertThat(register.find(appeal.number(), "not-the-token")).isEmpty();
    }

    /** Seed 003 §3 names no nationality: an appellant without an IIN or BIN identifies with a foreign document. */
    @Test
    void aForeignOwnerWithoutAnIinIsRegisteredByTheirDocument() {
        Registered registered = register.register(foreign(new ForeignDocument("PASSPORT", " C01X00T47 ", "DE"), null));
        assertThat(register.find(registered.appeal().number(), registered.token())).hasValueSatisfying(found -> {
            assertThat(found.iin()).isNull();
            assertThat(found.foreignDocument()).isEqualTo(new ForeignDocument("PASSPORT", "C01X00T47", "DE"));
            assertThat(found.deadline()).isEqualTo(Instant.parse("2026-12-23T18:59:59Z"));
        });
        assertRefused(foreign(new ForeignDocument("PASSPORT", "C01X00T47", "XX"), null), "/foreignDocument");
        assertRefused(foreign(new ForeignDocument("DIPLOMA", "1", "DE"), null), "/foreignDocument");
        assertRefused(foreign(new ForeignDocument("PASSPORT", "C01X00T47", "DE"), IIN), "/foreignDocument");
        assertRefused(foreign(null, null), "/iin");
    }

    private static AppealForm foreign(ForeignDocument document, String iin) {
        return new AppealForm("OWNER", "Anna Schmidt", iin, null, null, null, "owner@example.de", "en", "casino.kz",
                "12-3/456", List.of("https://casino.kz/removed-page"), null, Optional.empty(), document);
    }

    @Test
    void organisationAppealsThroughItsRepresentative() {
        AppealForm form = new AppealForm("REPRESENTATIVE", null, null, "ТОО «Казино»", IIN, "Асқар Нұрланұлы",
                "lawyer@example.kz", "ru", "www.casino.kz", "12-3/456", List.of("https://www.casino.kz/a"), null,
                Optional.empty());

        assertThat(register.register(form).appeal().organisationName()).isEqualTo("ТОО «Казино»");
    }

    @Test
    void everyWrongFieldIsNamedAndNothingIsStored() throws Exception {
        Map<String, String> before = TableSnapshot.of(database.dataSource());
        AppealForm form = new AppealForm("NEIGHBOUR", "Айгүл", BAD_IIN, null, null, null, "not-mail", "de", "casino.kz",
                "12-3/456", List.of("ftp://casino.kz/x"), null, Optional.empty());

        InvalidAppealException e = catchThrowableOfType(InvalidAppealException.class, () -> register.register(form));

        assertThat(e.problems()).extracting(Problem::pointer)
                .containsExactlyInAnyOrder("/kind", "/iin", "/email", "/language", "/links/0");
        assertThat(TableSnapshot.of(database.dataSource())).isEqualTo(before);
    }

    @Test
    void anAppellantsSignatureIsKeptWhenItVerifiesAndRefusedWhenItDoesNot() throws Exception {
        byte[] signed = pki.signAttached(signer, "Жолданым".getBytes(StandardCharsets.UTF_8), Encoding.DER);
        AppealForm withSignature = withSignature(person("casino.kz"), signed);
        byte[] broken = signed.clone();
        broken[broken.length - 10] ^= 0x55;

        assertThat(register.register(withSignature).appeal().number()).isNotBlank();
        InvalidAppealException e = catchThrowableOfType(InvalidAppealException.class,
                () -> register.register(withSignature(person("casino.kz"), broken)));
        assertThat(e.problems()).extracting(Problem::pointer).containsExactly("/signature");
    }

    private static AppealForm withSignature(AppealForm form, byte[] signature) {
        return new AppealForm(form.kind(), form.personName(), form.iin(), form.organisationName(), form.bin(),
                form.representative(), form.email(), form.language(), form.resource(), form.directiveNumber(), form.links(),
                form.message(), Optional.of(signature));
    }

    /**
     * Seed 003 §3, §5: the period runs from registration, so an appeal whose directive number is
     * mistyped, whose directive is cancelled or which names a resource no target matches is
     * registered all the same — NEEDS_MATCHING, with its deadline — and the authority links it.
     */
    @Test
    void anAppealThatMatchesNoDirectiveInForceIsRegisteredAndTheAuthorityLinksIt() throws Exception {
        submit(DirectiveJson.restrict("OLD-1").domain("old.kz", false));
        submit(DirectiveJson.restrict("APPS-1").target("URL", "https://play.google.com/store/apps/details?id=kz.casino"));
        submit(DirectiveJson.restore("OLD-2", "OLD-1"));
        AppealMonitoring monitoring = new AppealMonitoring(database, register, REGISTRATION);

        Appeal mistyped = register.register(person("casino.kz", "12-3/465")).appeal();
        Appeal cancelled = register.register(person("old.kz", "OLD-1")).appeal();
        Appeal app = register.register(person("kz.casino", "APPS-1")).appeal();

        for (Appeal appeal : List.of(mistyped, cancelled, app)) {
            assertThat(appeal.status()).isEqualTo(AppealStatus.NEEDS_MATCHING);
            assertThat(appeal.deadline()).as("the period runs from registration").isEqualTo(Instant.parse("2026-12-23T18:59:59Z"));
            assertThat(appeal.directiveNumber()).isNull();
            assertThat(register.find(appeal.number()).orElseThrow().status()).isEqualTo(AppealStatus.NEEDS_MATCHING);
        }
        assertThat(mistyped.unmatched()).isEqualTo("there is no directive 12-3/465 restricting access");
        assertThat(registeredNotice(app)).as("no text the appellant typed goes into a mail")
                .contains(app.number(), "сәйкестендіреді").doesNotContain("kz.casino", "APPS-1");
        assertThat(mistyped.directiveShown()).isEqualTo("12-3/465");
        assertThat(cancelled.unmatched()).contains("cancelled");
        assertThat(app.unmatched()).isEqualTo("directive APPS-1 does not restrict kz.casino");
        assertThat(monitoring.dueForProbe()).as("the appellant's links are evidence all the same")
                .extracting(Appeal::number).contains(mistyped.number());
        monitoring.recordProbe(mistyped.id(), new AppealMonitoring.Probe("https://casino.kz/removed-page",
                REGISTRATION.instant(), 404, "https://casino.kz/removed-page", null, 80, null, null));
        assertThat(register.find(mistyped.number()).orElseThrow().status()).as("a probe does not match it")
                .isEqualTo(AppealStatus.NEEDS_MATCHING);
        assertStepRefused(() -> monitoring.decide(mistyped, "REMOVAL_CONFIRMED", null, TEST_ACTOR), "link it to the directive");
        assertStepRefused(() -> monitoring.link(mistyped, "NO-SUCH", TEST_ACTOR), "there is no directive NO-SUCH");
        assertStepRefused(() -> monitoring.link(cancelled, "OLD-1", TEST_ACTOR), "cancelled");

        Appeal linked = monitoring.link(mistyped, "12-3/456", TEST_ACTOR);
        Appeal linkedApp = monitoring.link(app, "APPS-1", TEST_ACTOR);

        assertThat(linked.status()).isEqualTo(AppealStatus.REGISTERED);
        assertThat(linked.directiveNumber()).isEqualTo("12-3/456");
        assertThat(linked.citedDirective()).isEqualTo("12-3/465");
        assertThat(linked.deadline()).isEqualTo(mistyped.deadline());
        assertThat(linkedApp.directiveNumber()).isEqualTo("APPS-1");
        assertStepRefused(() -> monitoring.link(linked, "12-3/456", TEST_ACTOR), "about directive 12-3/456 already");
        assertThat(monitoring.decide(cancelled, "REFUSED", "the directive was cancelled before the appeal", TEST_ACTOR).status())
                .isEqualTo(AppealStatus.REFUSED);
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT submitted_by, details FROM audit_record WHERE event = 'APPEAL_MATCHED' ORDER BY seq");
             ResultSet rows = select.executeQuery()) {
            rows.next();
            assertThat(rows.getString("submitted_by")).isEqualTo("test-reviewer");
            assertThat(rows.getString("details")).contains(mistyped.number(), "12-3/465", "12-3/456", "[from 127.0.0.1]");
        }
        assertThat(AuditLog.verify(database.dataSource()).intact()).isTrue();
    }

    /** A site appealed by its name, while its directive lists only pages on it, matches that directive. */
    @Test
    void aSiteWhoseDirectiveListsOnlyItsPagesMatchesByItsName() throws Exception {
        submit(DirectiveJson.restrict("PAGES-1").target("URL", "https://www.shop.kz/bad/page"));

        Appeal appeal = register.register(person("shop.kz", "PAGES-1")).appeal();

        assertThat(appeal.status()).isEqualTo(AppealStatus.REGISTERED);
        assertThat(appeal.directiveNumber()).isEqualTo("PAGES-1");
        assertThat(new AppealMonitoring(database, register, REGISTRATION).directiveLinks(appeal))
                .containsExactly("https://www.shop.kz/bad/page");
    }

    /**
     * Seed 003 §5: an appeal registered in late December 2027, whose 15 working days reach 2028 — a
     * year the shipped calendar lacks — is registered with its deadline pending; the deadline is
     * computed when 2028 arrives and moved when a decree changes a day off, each change recorded.
     */
    @Test
    void aDeadlineInAYearTheCalendarLacksIsPendingAndComputedWhenTheDataArrives(@TempDir Path files) throws Exception {
        Clock december2027 = Clock.fixed(Instant.parse("2027-12-20T06:00:00Z"), ZoneOffset.UTC); // a Monday
        WorkingCalendar calendar = WorkingCalendar.shipped();
        AppealRegister late = new AppealRegister(database, calendar, december2027, () -> "https://appeals.example.kz");
        AppealDeadlines deadlines = new AppealDeadlines(database, calendar, december2027);

        Appeal appeal = late.register(person("casino.kz")).appeal();

        assertThat(appeal.status()).isEqualTo(AppealStatus.REGISTERED);
        assertThat(appeal.deadline()).isNull();
        assertThat(late.find(appeal.number()).orElseThrow().deadline()).isNull();
        assertThat(new AppealMonitoring(database, late, december2027).isOverdue(appeal)).isFalse();
        assertThat(deadlines.countPending()).isEqualTo(1);
        assertThat(deadlines.recompute()).as("no new data, no change").isEmpty();
        assertThat(registeredNotice(appeal)).contains("жұмыс күндерінің күнтізбесі жарияланғанда белгіленетін күнге дейін");

        // 2028 published: 1 and 2 January fall on a weekend and move to Monday 3 and Tuesday 4.
        String shipped;
        try (var in = WorkingCalendar.class.getResourceAsStream("kazakhstan.yaml")) {
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String year2028 = """

                2028:
                  holidays:
                    - {date: 2028-01-01, name: "Жаңа жыл / Новый год"}
                    - {date: 2028-01-02, name: "Жаңа жыл / Новый год"}
                    - {date: 2028-01-07, name: "Православиелік Рождество / Православное Рождество", moves: false}
                """;
        Path file = files.resolve("calendar.yaml");
        java.nio.file.Files.writeString(file, shipped + year2028 + "  decree: []\n");
        calendar.replaceWith(WorkingCalendar.load(file));
        List<AppealDeadlines.Change> arrived = deadlines.recompute();

        Instant thirteenth = Instant.parse("2028-01-13T18:59:59Z");
        assertThat(arrived).singleElement().satisfies(change -> {
            assertThat(change.previous()).isNull();
            assertThat(change.deadline()).isEqualTo(thirteenth);
            assertThat(change.calendar()).contains("2028");
        });
        assertThat(late.find(appeal.number()).orElseThrow().deadline()).isEqualTo(thirteenth);
        assertThat(deadlines.countPending()).isZero();

        // A decree published late makes Wednesday 5 January a day off: the deadline moves a day.
        java.nio.file.Files.writeString(file, shipped + year2028 + "  decree:\n    - {off: 2028-01-05, working: 2028-01-15,"
                + " act: \"Еңбек министрінің бұйрығы / приказ министра труда\"}\n");
        calendar.replaceWith(WorkingCalendar.load(file));
        assertThat(deadlines.recompute()).singleElement().satisfies(change -> {
            assertThat(change.previous()).isEqualTo(thirteenth);
            assertThat(change.deadline()).isEqualTo(Instant.parse("2028-01-14T18:59:59Z"));
        });
        assertThat(deadlines.recompute()).isEmpty();
        assertThat(deadlines.changes(late.find(appeal.number()).orElseThrow())).hasSize(2);
        assertThat(calendar.year(2028).daysOff()).anySatisfy(day -> assertThat(day.reason())
                .isEqualTo("демалыс күнін 2028-01-15 күнінен ауыстыру / перенос выходного дня с 2028-01-15"
                        + " (Еңбек министрінің бұйрығы / приказ министра труда)"));
    }

    @Test
    void monitoringRunsFromProbesToFindingsToADecisionThatTheFindingsSupport() {
        Appeal appeal = register.register(person("casino.kz")).appeal();
        AppealMonitoring monitoring = new AppealMonitoring(database, register, REGISTRATION);
        assertThat(monitoring.dueForProbe()).extracting(Appeal::number).containsExactly(appeal.number());

        monitoring.recordProbe(appeal.id(), new AppealMonitoring.Probe("https://casino.kz/removed-page",
                REGISTRATION.instant(), 404, "https://casino.kz/removed-page", null, 120, null, null));

        assertThat(register.find(appeal.number()).orElseThrow().status()).isEqualTo(AppealStatus.MONITORING);
        assertThat(monitoring.dueForProbe()).as("probed today").isEmpty();
        assertStepRefused(() -> monitoring.decide(appeal, "REMOVAL_CONFIRMED", null, TEST_ACTOR), "record findings");
        assertStepRefused(() -> monitoring.decide(appeal, "REFUSED", " ", TEST_ACTOR), "reasons");
        assertStepRefused(() -> monitoring.recordFindings(appeal, Map.of("https://elsewhere.kz/",
                new AppealMonitoring.Finding("https://elsewhere.kz/", true, null, null)), TEST_ACTOR), "not one of the links to check");

        monitoring.recordFindings(appeal, Map.of("https://casino.kz/removed-page",
                new AppealMonitoring.Finding("https://casino.kz/removed-page", true, "404 since registration", null)), TEST_ACTOR);
        assertStepRefused(() -> monitoring.decide(register.find(appeal.number()).orElseThrow(), "REMOVAL_CONFIRMED", null, TEST_ACTOR),
                "violations were eliminated");
        monitoring.recordViolationsEliminated(appeal, "the site's owner removed the section", TEST_ACTOR);
        Appeal decided = monitoring.decide(register.find(appeal.number()).orElseThrow(), "REMOVAL_CONFIRMED", null, TEST_ACTOR);
        assertThat(monitoring.violationsEliminated(decided)).hasValueSatisfying(finding ->
                assertThat(finding.note()).isEqualTo("the site's owner removed the section"));

        assertThat(decided.status()).isEqualTo(AppealStatus.REMOVAL_CONFIRMED);
        assertStepRefused(() -> monitoring.decide(decided, "REFUSED", "changed our mind", TEST_ACTOR), "REMOVAL_CONFIRMED already");
        assertThat(monitoring.probes(appeal.id())).singleElement().satisfies(probe -> assertThat(probe.statusCode()).isEqualTo(404));
    }

    @Test
    void noticesAreQueuedWithTheChangesTheyTellOfAndTheAuthorityIsRemindedOnce() {
        Appeal appeal = register.register(person("casino.kz")).appeal();
        AppealNotices notices = new AppealNotices(database, WorkingCalendar.shipped(), REGISTRATION);

        // First only the mail that asks to confirm the address: the registration waits for it.
        List<AppealNotices.Notice> confirmation = notices.due(10);
        assertThat(confirmation).singleElement().satisfies(notice -> {
            assertThat(notice.recipient()).isEqualTo("owner@example.kz");
            assertThat(notice.subject()).isEqualTo(appeal.number() + " жолданымы үшін мекенжайды растаңыз");
            assertThat(notice.body()).contains("https://appeals.example.kz/appeal/confirm/" + appeal.number() + "?token=");
        });
        notices.sent(confirmation.get(0));
        assertThat(notices.due(10)).isEmpty();
        String token = confirmation.get(0).body().replaceAll("(?s).*\\?token=(\\S+).*", "$1");
        assertThat(register.confirmEmail(appeal.number(), "not-the-token")).isFalse();
        assertThat(register.find(appeal.number()).orElseThrow().emailConfirmed()).isFalse();
        assertThat(register.confirmEmail(appeal.number(), token)).isTrue();
        assertThat(register.find(appeal.number()).orElseThrow().emailConfirmed()).isTrue();

        List<AppealNotices.Notice> due = notices.due(10);
        assertThat(due).singleElement().satisfies(notice -> {
            assertThat(notice.recipient()).isEqualTo("owner@example.kz");
            assertThat(notice.subject()).isEqualTo("Жолданым " + appeal.number() + " тіркелді");
            assertThat(notice.body()).contains("мониторинг 2026 жылғы 23 желтоқсанға дейін (Астана уақытымен 23:59-ға дейін)"
                    + " жүргізіледі");
        });
        notices.sent(due.get(0));
        assertThat(notices.due(10)).isEmpty();

        // The deadline is Wednesday 23 December: three working days before it is Friday 18 December.
        AppealNotices onThe17th = new AppealNotices(database, WorkingCalendar.shipped(),
                Clock.fixed(Instant.parse("2026-12-17T05:00:00Z"), ZoneOffset.UTC));
        AppealNotices onThe18th = new AppealNotices(database, WorkingCalendar.shipped(),
                Clock.fixed(Instant.parse("2026-12-18T05:00:00Z"), ZoneOffset.UTC));
        assertThat(onThe17th.queueReminders("authority@example.kz")).isZero();
        assertThat(onThe18th.queueReminders("authority@example.kz")).isEqualTo(1);
        assertThat(onThe18th.queueReminders("authority@example.kz")).as("once").isZero();
        assertThat(onThe18th.due(10)).singleElement().satisfies(notice -> {
            assertThat(notice.recipient()).isEqualTo("authority@example.kz");
            assertThat(notice.body()).contains("Срок мониторинга по обращению " + appeal.number());
        });
    }

    @Test
    void anAppealUndecidedAfterItsDeadlineIsOverdue() {
        Appeal appeal = register.register(person("casino.kz")).appeal();
        Clock afterDeadline = Clock.fixed(appeal.deadline().plusSeconds(1), ZoneOffset.UTC);
        AppealMonitoring onTime = new AppealMonitoring(database, register, REGISTRATION);
        AppealMonitoring late = new AppealMonitoring(database, register, afterDeadline);

        assertThat(onTime.isOverdue(appeal)).isFalse();
        assertThat(onTime.countOverdue()).isZero();
        assertThat(late.isOverdue(appeal)).isTrue();
        assertThat(late.countOverdue()).isEqualTo(1);
    }

    /**
     * Seed 003 appendix: the order names the directive by its legal date and number, lists the
     * links checked — the directive's own and the appellant's — the addressees and the signatory,
     * is dated the day it is drafted, and travels inside the RESTORE the intake accepts.
     */
    @Test
    void theDraftedOrderFollowsTheFormInsideTheRestoreAndIsAcceptedByTheIntake() throws Exception {
        submit(DirectiveJson.restrict("PAGES-2").target("URL", "https://casino.kz/bad").target("URL", "https://other.kz/x")
                .authorityNames(KAZAKH_NAME, RUSSIAN_NAME));
        Appeal appeal = register.register(person("casino.kz", "PAGES-2")).appeal();
        Clock december2 = Clock.fixed(Instant.parse("2026-12-02T05:00:00Z"), ZoneOffset.UTC);
        AppealMonitoring monitoring = new AppealMonitoring(database, register, WorkingCalendar.shipped(), 1, december2);
        for (String link : List.of("https://casino.kz/bad", "https://casino.kz/removed-page")) {
            monitoring.recordFindings(appeal, Map.of(link, new AppealMonitoring.Finding(link, true, "404", null)), TEST_ACTOR);
        }
        monitoring.recordViolationsEliminated(appeal, null, TEST_ACTOR);
        Appeal confirmed = monitoring.decide(register.find(appeal.number()).orElseThrow(), "REMOVAL_CONFIRMED", null, TEST_ACTOR);

        RestorationOrder order = monitoring.draftOrder(confirmed, monitoring.orderedDirective(confirmed, Optional.empty()),
                Optional.of("01-05/777"),
                List.of("«Мемлекеттік техникалық қызмет» АҚ", "«Қазақтелеком» АҚ"), "А. Сейітов");

        assertThat(order.kazakh()).contains("Тапсырма", "(тізім бойынша):\n- «Мемлекеттік техникалық қызмет» АҚ\n- «Қазақтелеком» АҚ\n",
                KAZAKH_NAME + " Қазақстан Республикасының", "casino.kz", "Айгүл Серікқызы",
                "уәкілетті органның 2026 жылғы 20 қарашадағы № PAGES-2 нұсқамасымен",
                "1) https://casino.kz/bad;", "2) https://casino.kz/removed-page сілтемелер бойынша",
                "2026 жылғы 2 желтоқсандағы жағдай бойынша", "41-1-бабының 5-тармағына");
        assertThat(order.russian()).as("each language names the authority in its own")
                .contains("В уполномоченный орган (" + RUSSIAN_NAME + ") поступило").doesNotContain(KAZAKH_NAME);
        assertThat(order.kazakh()).doesNotContain(RUSSIAN_NAME);
        assertThat(order.russian()).contains("Поручение", "от 20.11.2026 № PAGES-2", "по состоянию на 02.12.2026",
                "- «Қазақтелеком» АҚ", "пунктом 5 статьи 41-1");
        assertThat(order.kazakh()).doesNotContain("https://other.kz/x");
        IntakeResult accepted = intake.submit(new Submission(pki.signAttached(signer,
                order.restore().getBytes(StandardCharsets.UTF_8), Encoding.DER), Optional.empty(), "test"));
        assertThat(accepted.directive().action()).isEqualTo(Action.RESTORE);
        assertThat(accepted.directive().number()).isEqualTo("01-05/777");
        assertThat(accepted.directive().appealNumber()).isEqualTo(appeal.number());
        DirectiveDocument signed = new kz.qaqpa.directives.document.DirectiveParser(100, december2)
                .parse(accepted.directive().document());
        assertThat(signed.order()).hasValueSatisfying(carried -> {
            assertThat(carried.kazakh()).isEqualTo(order.kazakh());
            assertThat(carried.russian()).isEqualTo(order.russian());
            assertThat(carried.signatory()).isEqualTo("А. Сейітов");
            assertThat(signed.authority().nameKk()).as("the names go on to the letters").contains(KAZAKH_NAME);
            assertThat(signed.authority().nameRu()).contains(RUSSIAN_NAME);
            assertThat(carried.resources()).containsExactly("https://casino.kz/bad", "https://other.kz/x");
            assertThat(carried.links()).containsExactly("https://casino.kz/bad", "https://casino.kz/removed-page");
        });
        assertThat(accepted.effect().orElseThrow().lifted()).hasSize(2);
    }

    private static final byte[] PDF = "%PDF-1.4\n% proof of representation\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * Seed 003 §3: evidence beyond links — PDF and images, the type the first bytes say, bounded in
     * size and number, while the appeal is undecided; kept with their SHA-256.
     */
    @Test
    void anAppellantAttachesEvidenceOfTheRightTypeSizeAndNumberWhileTheAppealIsUndecided() {
        Appeal appeal = register.register(person("casino.kz")).appeal();
        AppealAttachments attachments = new AppealAttachments(database, REGISTRATION);
        byte[] png = new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};

        AppealAttachments.Attachment proof = attachments.attach(appeal, " доверенность.pdf ", "application/pdf", PDF);
        attachments.attach(appeal, "screenshot.png", "image/png", png);

        assertThat(proof.name()).isEqualTo("доверенность.pdf");
        assertThat(proof.sha256()).isEqualTo(kz.qaqpa.blocklist.model.Sha256.hex(PDF));
        assertThat(attachments.list(appeal)).extracting(AppealAttachments.Attachment::name)
                .containsExactly("доверенность.pdf", "screenshot.png");
        assertThat(attachments.content(appeal, proof.id())).hasValue(PDF);
        assertInvalid(() -> attachments.attach(appeal, "fake.pdf", "application/pdf", "<html>".getBytes(StandardCharsets.UTF_8)),
                "/content");
        assertInvalid(() -> attachments.attach(appeal, "run.exe", "application/x-msdownload", PDF), "/type");
        assertInvalid(() -> attachments.attach(appeal, "../../etc/passwd.pdf", "application/pdf", PDF), "/name");
        byte[] huge = java.util.Arrays.copyOf(PDF, AppealAttachments.MAX_BYTES + 1);
        assertInvalid(() -> attachments.attach(appeal, "huge.pdf", "application/pdf", huge), "/content");
        for (int i = 2; i < AppealAttachments.MAX_FILES; i++) {
            attachments.attach(appeal, "page-" + i + ".pdf", "application/pdf", PDF);
        }
        assertStepRefused(() -> attachments.attach(appeal, "one-more.pdf", "application/pdf", PDF), "10 files already");
        Appeal other = register.register(person("www.casino.kz")).appeal();
        new AppealMonitoring(database, register, REGISTRATION).decide(other, "REFUSED", "not removed", TEST_ACTOR);
        assertStepRefused(() -> attachments.attach(register.find(other.number()).orElseThrow(), "late.pdf",
                "application/pdf", PDF), "REFUSED already");
        assertThat(attachments.content(other, proof.id())).as("another appeal's file").isEmpty();
    }

    private static void assertInvalid(ThrowingCallable step, String pointer) {
        InvalidAppealException e = catchThrowableOfType(InvalidAppealException.class, step);
        assertThat(e).as(pointer).isNotNull();
        assertThat(e.problems()).extracting(Problem::pointer).contains(pointer);
    }

    /**
     * Seed 002 art. 44: personal data are kept no longer than their purpose needs. Five years
     * after an appeal closed, its appellant's name, IIN, address, message and signature, and the
     * notices mailed to them, are gone — in one transaction with an audit record; an appeal
     * still open, or closed more recently, keeps them.
     */
    @Test
    void anAppealClosedLongerAgoThanTheRetentionPeriodLosesItsPersonalDataAndTheLogSaysSo() throws Exception {
        Appeal refused = register.register(person("casino.kz")).appeal();
        Appeal open = register.register(person("www.casino.kz")).appeal();
        Appeal foreign = register.register(foreign(new ForeignDocument("PASSPORT", "C01X00T47", "DE"), null)).appeal();
        AppealAttachments attachments = new AppealAttachments(database, REGISTRATION);
        attachments.attach(refused, "доверенность.pdf", "application/pdf", PDF);
        new AppealMonitoring(database, register, REGISTRATION).decide(refused, "REFUSED", "the material is still there", TEST_ACTOR);
        new AppealMonitoring(database, register, REGISTRATION).decide(foreign, "REFUSED", "the material is still there", TEST_ACTOR);
        long auditBefore = AuditLog.verify(database.dataSource()).records();

        Duration keep = Duration.ofDays(1826);
        Clock justBefore = Clock.offset(REGISTRATION, keep.minusMinutes(1));
        assertThat(new AppealRetention(database, justBefore).depersonalise(keep)).as("not yet").isZero();
        Clock after = Clock.offset(REGISTRATION, keep.plusMinutes(1));
        assertThat(new AppealRetention(database, after).depersonalise(keep)).isEqualTo(2);
        assertThat(new AppealRetention(database, after).depersonalise(keep)).as("once").isZero();

        Appeal gone = register.find(refused.number()).orElseThrow();
        assertThat(gone.personName()).isNull();
        assertThat(gone.iin()).isNull();
        assertThat(gone.email()).isEmpty();
        assertThat(gone.message()).isNull();
        assertThat(gone.resource()).as("what it was about stays").isEqualTo("casino.kz");
        assertThat(gone.status()).isEqualTo(AppealStatus.REFUSED);
        assertThat(gone.reasons()).isEqualTo("the material is still there");
        assertThat(register.find(open.number()).orElseThrow().iin()).as("an open appeal keeps its data").isEqualTo(IIN);
        assertThat(register.find(foreign.number()).orElseThrow().foreignDocument()).as("a foreign document").isNull();
        assertThat(attachments.list(gone)).singleElement().satisfies(file -> {
            assertThat(file.name()).as("the file's name").isEmpty();
            assertThat(file.sha256()).as("what it was, kept").isEqualTo(kz.qaqpa.blocklist.model.Sha256.hex(PDF));
            assertThat(attachments.content(gone, file.id())).as("its content").isEmpty();
        });
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT COUNT(*) FROM appeal_notice WHERE appeal_id = ? AND (recipient <> '' OR body <> '')")) {
            query.setLong(1, refused.id());
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                assertThat(rows.getLong(1)).as("the notices mailed to the appellant").isZero();
            }
            query.setLong(1, open.id());
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                assertThat(rows.getLong(1)).as("the open appeal's notices").isPositive();
            }
        }
        AuditVerification audit = AuditLog.verify(database.dataSource());
        assertThat(audit.intact()).as(audit.reason()).isTrue();
        assertThat(audit.records()).isEqualTo(auditBefore + 1);
    }

    /**
     * Seed 003 §4, §6: what is monitored is the material the directive restricted. A harmless link
     * of the appellant's cannot confirm the removal while a restricted URL of the directive on the
     * same site stays: each is probed and needs a finding; the directive's URLs elsewhere do not.
     */
    @Test
    void removalIsConfirmedOnlyWhenTheDirectivesOwnUrlsOnTheResourceAreFoundRemovedToo() throws Exception {
        submit(DirectiveJson.restrict("URLS-1").target("URL", "https://shop.kz/bad/page")
                .target("URL", "http://www.shop.kz/also-bad").target("URL", "https://elsewhere.kz/bad"));
        Appeal appeal = register.register(new AppealForm("OWNER", "Айгүл Серікқызы", IIN, null, null, null,
                "owner@example.kz", "kk", "https://shop.kz/bad/page", "URLS-1", List.of("https://shop.kz/harmless"),
                null, Optional.empty())).appeal();
        AppealMonitoring monitoring = new AppealMonitoring(database, register, REGISTRATION);

        assertThat(monitoring.directiveLinks(appeal)).containsExactly("https://shop.kz/bad/page", "http://www.shop.kz/also-bad");
        assertThat(monitoring.linksToCheck(appeal))
                .containsExactly("https://shop.kz/bad/page", "http://www.shop.kz/also-bad", "https://shop.kz/harmless");
        monitoring.recordFindings(appeal, Map.of("https://shop.kz/harmless",
                new AppealMonitoring.Finding("https://shop.kz/harmless", true, "never had it", null)), TEST_ACTOR);
        assertStepRefused(() -> monitoring.decide(register.find(appeal.number()).orElseThrow(), "REMOVAL_CONFIRMED", null, TEST_ACTOR),
                "https://shop.kz/bad/page");
        assertStepRefused(() -> monitoring.recordFindings(appeal, Map.of("https://elsewhere.kz/bad",
                new AppealMonitoring.Finding("https://elsewhere.kz/bad", true, null, null)), TEST_ACTOR), "not one of the links to check");

        monitoring.recordFindings(appeal, Map.of(
                "https://shop.kz/bad/page", new AppealMonitoring.Finding("https://shop.kz/bad/page", true, "404", null),
                "http://www.shop.kz/also-bad", new AppealMonitoring.Finding("http://www.shop.kz/also-bad", true, "410", null)), TEST_ACTOR);
        monitoring.recordViolationsEliminated(appeal, null, TEST_ACTOR);
        assertThat(monitoring.decide(register.find(appeal.number()).orElseThrow(), "REMOVAL_CONFIRMED", null, TEST_ACTOR).status())
                .isEqualTo(AppealStatus.REMOVAL_CONFIRMED);
    }

    /** Seed 003 §6: once removal is confirmed the authority issues the order; one working day later it is overdue until issued. */
    @Test
    void theRestorationOrderIsDueTheWorkingDayAfterTheConfirmedRemovalAndOverdueUntilIssued() throws Exception {
        Appeal appeal = register.register(person("casino.kz")).appeal();
        AppealMonitoring monitoring = new AppealMonitoring(database, register, REGISTRATION);
        String link = "https://casino.kz/removed-page";
        monitoring.recordProbe(appeal.id(), new AppealMonitoring.Probe(link, REGISTRATION.instant(), 404, link, null, 90, null, null));
        assertThat(monitoring.orderDue(register.find(appeal.number()).orElseThrow())).as("not before the decision").isEmpty();
        monitoring.recordFindings(appeal, Map.of(link, new AppealMonitoring.Finding(link, true, "404", null)), TEST_ACTOR);
        monitoring.recordViolationsEliminated(appeal, null, TEST_ACTOR);
        Appeal confirmed = monitoring.decide(register.find(appeal.number()).orElseThrow(), "REMOVAL_CONFIRMED", null, TEST_ACTOR);

        // Decided on Tuesday 1 December 2026: due at the end of Wednesday in Almaty.
        assertThat(monitoring.orderDue(confirmed)).contains(Instant.parse("2026-12-02T18:59:59Z"));
        assertThat(monitoring.isOrderOverdue(confirmed)).isFalse();
        Clock thursday = Clock.fixed(Instant.parse("2026-12-03T04:00:00Z"), ZoneOffset.UTC);
        AppealMonitoring late = new AppealMonitoring(database, register, WorkingCalendar.shipped(), 1, thursday);
        assertThat(late.isOrderOverdue(confirmed)).isTrue();
        assertThat(late.countOrdersOverdue()).isEqualTo(1);
        assertThat(new AppealMonitoring(database, register, WorkingCalendar.shipped(), 3, thursday).isOrderOverdue(confirmed))
                .as("three working days configured").isFalse();

        RestorationOrder order = monitoring.draftOrder(confirmed, monitoring.orderedDirective(confirmed, Optional.empty()),
                Optional.empty(), List.of("«Қазақтелеком» АҚ"), "А. Сейітов");
        intake.submit(new Submission(pki.signAttached(signer, order.restore().getBytes(StandardCharsets.UTF_8), Encoding.DER),
                Optional.empty(), "test"));
        assertThat(late.isOrderOverdue(confirmed)).as("issued").isFalse();
        assertThat(late.countOrdersOverdue()).isZero();
    }

    /**
     * Seed 003 §5: a resource two directives restrict (the site, and pages of it ordered again) is one
     * appeal the authority links to both. Removal is checked on the materials of both, each directive
     * gets its own order, the order is overdue until both are issued, and the appeal is RESTORED only
     * once both RESTOREs have been acknowledged by every recipient — whichever is acknowledged last.
     */
    @Test
    void anAppealAboutTwoDirectivesIsCheckedOrderedAndRestoredForBoth() throws Exception {
        submit(DirectiveJson.restrict("PAGES-9").target("URL", "https://casino.kz/mirror/bad"));
        submit(DirectiveJson.restrict("OTHER-9").domain("other.kz", false));
        AppealMonitoring monitoring = new AppealMonitoring(database, register, REGISTRATION);
        Appeal appeal = register.register(person("casino.kz")).appeal();
        assertThat(monitoring.directives(appeal)).extracting(StoredDirective::number).containsExactly("12-3/456");

        Appeal both = monitoring.link(appeal, "PAGES-9", TEST_ACTOR);

        assertThat(both.status()).isEqualTo(AppealStatus.REGISTERED);
        assertThat(both.directiveNumber()).as("the first stays the first").isEqualTo("12-3/456");
        assertThat(monitoring.directives(both)).extracting(StoredDirective::number).containsExactly("12-3/456", "PAGES-9");
        assertThat(monitoring.linksToCheck(both)).containsExactly("https://casino.kz/mirror/bad", "https://casino.kz/removed-page");
        assertStepRefused(() -> monitoring.link(both, "PAGES-9", TEST_ACTOR), "already");
        String link = "https://casino.kz/removed-page";
        monitoring.recordFindings(both, Map.of(link, new AppealMonitoring.Finding(link, true, "404", null)), TEST_ACTOR);
        monitoring.recordViolationsEliminated(both, null, TEST_ACTOR);
        assertStepRefused(() -> monitoring.decide(register.find(both.number()).orElseThrow(), "REMOVAL_CONFIRMED", null, TEST_ACTOR),
                "https://casino.kz/mirror/bad");
        String mirror = "https://casino.kz/mirror/bad";
        monitoring.recordFindings(both, Map.of(mirror, new AppealMonitoring.Finding(mirror, true, "410", null)), TEST_ACTOR);
        Appeal confirmed = monitoring.decide(register.find(both.number()).orElseThrow(), "REMOVAL_CONFIRMED", null, TEST_ACTOR);
        assertStepRefused(() -> monitoring.link(confirmed, "OTHER-9", TEST_ACTOR), "REMOVAL_CONFIRMED already");

        assertStepRefused(() -> monitoring.orderedDirective(confirmed, Optional.empty()), "name the one the order restores");
        assertStepRefused(() -> monitoring.orderedDirective(confirmed, Optional.of("OTHER-9")), "not about directive OTHER-9");
        RestorationOrder first = monitoring.draftOrder(confirmed, monitoring.orderedDirective(confirmed, Optional.of("12-3/456")),
                Optional.empty(), List.of("«Қазақтелеком» АҚ"), "А. Сейітов");
        RestorationOrder second = monitoring.draftOrder(confirmed, monitoring.orderedDirective(confirmed, Optional.of("PAGES-9")),
                Optional.empty(), List.of("«Қазақтелеком» АҚ"), "А. Сейітов");
        assertThat(first.kazakh()).contains("№ 12-3/456").doesNotContain("PAGES-9", mirror);
        assertThat(second.kazakh()).contains("№ PAGES-9", mirror).doesNotContain("12-3/456");

        Clock thursday = Clock.fixed(Instant.parse("2026-12-03T04:00:00Z"), ZoneOffset.UTC);
        AppealMonitoring late = new AppealMonitoring(database, register, WorkingCalendar.shipped(), 1, thursday);
        long firstRestore = submitSigned(first.restore()).directive().id();
        assertThat(late.isOrderOverdue(confirmed)).as("one of two orders issued").isTrue();
        assertThat(late.countOrdersOverdue()).isEqualTo(1);
        long secondRestore = submitSigned(second.restore()).directive().id();
        assertThat(late.isOrderOverdue(confirmed)).isFalse();
        assertThat(late.countOrdersOverdue()).isZero();

        // The first RESTORE acknowledged everywhere while the second is not: not yet restored.
        Set<Long> acknowledged = new HashSet<>();
        assertThat(restoredEverywhere(monitoring, firstRestore, acknowledged)).isFalse();
        acknowledged.add(firstRestore);
        assertThat(register.find(both.number()).orElseThrow().status()).isEqualTo(AppealStatus.REMOVAL_CONFIRMED);
        assertThat(restoredEverywhere(monitoring, secondRestore, acknowledged)).isTrue();
        assertThat(register.find(both.number()).orElseThrow().status()).isEqualTo(AppealStatus.RESTORED);
    }

    /** A RESTORE naming an appeal about two directives is refused when it cancels a third. */
    @Test
    void aRestoreNamingAnAppealMustCancelOneOfItsDirectives() throws Exception {
        submit(DirectiveJson.restrict("PAGES-9").target("URL", "https://casino.kz/mirror/bad"));
        submit(DirectiveJson.restrict("OTHER-9").domain("other.kz", false));
        AppealMonitoring monitoring = new AppealMonitoring(database, register, REGISTRATION);
        Appeal appeal = monitoring.link(register.register(person("casino.kz")).appeal(), "PAGES-9", TEST_ACTOR);
        for (String link : monitoring.linksToCheck(appeal)) {
            monitoring.recordFindings(appeal, Map.of(link, new AppealMonitoring.Finding(link, true, "404", null)), TEST_ACTOR);
        }
        monitoring.recordViolationsEliminated(appeal, null, TEST_ACTOR);
        Appeal confirmed = monitoring.decide(register.find(appeal.number()).orElseThrow(), "REMOVAL_CONFIRMED", null, TEST_ACTOR);
        String restore = monitoring.draftOrder(confirmed, monitoring.orderedDirective(confirmed, Optional.of("PAGES-9")),
                Optional.empty(), List.of("«Қазақтелеком» АҚ"), "А. Сейітов").restore();

        com.fasterxml.jackson.databind.node.ObjectNode document = (com.fasterxml.jackson.databind.node.ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(restore);
        ((com.fasterxml.jackson.databind.node.ObjectNode) document.get("cancels")).put("number", "OTHER-9");
        String cancelsAThird = document.toString();
        assertThat(catchThrowableOfType(DirectiveRejectedException.class, () -> submitSigned(cancelsAThird)).reason())
                .isEqualTo(DirectiveRejectedException.Reason.APPEAL_MISMATCH);
        assertThat(submitSigned(restore).directive().cancelsId()).isNotNull();
    }

    private IntakeResult submitSigned(String document) throws Exception {
        return intake.submit(new Submission(pki.signAttached(signer, document.getBytes(StandardCharsets.UTF_8), Encoding.DER),
                Optional.empty(), "test"));
    }

    /** The last acknowledgement of {@code restoreId}, with the RESTOREs in {@code acknowledged} acknowledged everywhere. */
    private boolean restoredEverywhere(AppealMonitoring monitoring, long restoreId, Set<Long> acknowledged) {
        return database.inTransaction(connection -> {
            try {
                return monitoring.restoredEverywhere(connection, restoreId, (c, id) -> acknowledged.contains(id));
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void assertStepRefused(ThrowingCallable step, String saying) {
        AppealMonitoring.RefusedStepException e = catchThrowableOfType(AppealMonitoring.RefusedStepException.class, step);
        assertThat(e).as(saying).isNotNull();
        assertThat(e.getMessage()).contains(saying);
    }

    /** The body of the notice queued at an appeal's registration. */
    private String registeredNotice(Appeal appeal) throws Exception {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT body FROM appeal_notice WHERE appeal_id = ? AND kind = 'REGISTERED'")) {
            select.setLong(1, appeal.id());
            try (ResultSet rows = select.executeQuery()) {
                assertThat(rows.next()).as("a registration notice is queued").isTrue();
                return rows.getString(1);
            }
        }
    }

    private void assertRefused(AppealForm form, String pointer) {
        InvalidAppealException e = catchThrowableOfType(InvalidAppealException.class, () -> register.register(form));
        assertThat(e).as(pointer).isNotNull();
        assertThat(e.problems()).extracting(Problem::pointer).contains(pointer);
    }

    private static AppealForm person(String resource) {
        return person(resource, "12-3/456");
    }

    private static AppealForm person(String resource, String directive) {
        return new AppealForm("OWNER", "Айгүл Серікқызы", IIN, null, null, null, "owner@example.kz", "kk", resource,
                directive, List.of("https://casino.kz/removed-page"), "Материал жойылды.", Optional.empty());
    }

    private void submit(DirectiveJson json) throws Exception {
        intake.submit(new Submission(pki.signAttached(signer, json.bytes(), Encoding.DER), Optional.empty(), "test"));
    }
}
