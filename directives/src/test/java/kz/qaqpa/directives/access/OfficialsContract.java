package kz.qaqpa.directives.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import kz.qaqpa.directives.ManualClock;
import kz.qaqpa.directives.access.Officials.SignIn;
import kz.qaqpa.directives.audit.Actor;
import kz.qaqpa.directives.audit.AuditLog;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.store.ThrowAwayDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The register of officials against someone guessing: passwords and codes, a code taken twice, the
 * lock-out, a disabled account, sessions that time out — and every attempt in the audit log.
 */
abstract class OfficialsContract {

    private static final Instant NOW = Instant.parse("2026-12-04T04:00:00Z");
    private static final Actor ADMIN = new Actor("admin", "10.0.0.1");
    private static final char[] PASSWORD = "correct horse battery".toCharArray();

    private ThrowAwayDatabase throwAway;
    private Database database;
    private ManualClock clock;
    private Officials officials;
    private OfficialSessions sessions;

    abstract ThrowAwayDatabase newDatabase();

    @BeforeEach
    void open() {
        throwAway = newDatabase();
        database = Database.open(throwAway.settings(), new SimpleMeterRegistry());
        clock = new ManualClock(NOW);
        officials = new Officials(database, new AuditLog(clock), clock);
        sessions = new OfficialSessions(database, new AuditLog(clock), clock, Duration.ofMinutes(15));
    }

    @AfterEach
    void close() throws Exception {
        database.close();
        throwAway.close();
    }

    @Test
    void anOfficialSignsInWithPasswordAndCodeAndEachCodeOnce() throws Exception {
        Officials.Enrolment enrolment = officials.add("aigerim", "Айгерім Сейітова", Set.of(OfficialRole.REVIEWER),
                PASSWORD, ADMIN);
        assertThat(enrolment.totpLink()).startsWith("otpauth://totp/Qaqpa:aigerim?secret=" + enrolment.totpSecret());
        String code = Officials.currentCode(enrolment.totpSecret(), clock.instant());

        assertThat(officials.signIn("aigerim", "wrong password!".toCharArray(), code, "10.0.0.9"))
                .isInstanceOf(SignIn.Refused.class);
        assertThat(officials.signIn("aigerim", PASSWORD, "000000".equals(code) ? "111111" : "000000", "10.0.0.9"))
                .isInstanceOf(SignIn.Refused.class);
        SignIn admitted = officials.signIn("aigerim", PASSWORD, code, "10.0.0.9");
        assertThat(admitted).isInstanceOf(SignIn.Admitted.class);
        assertThat(((SignIn.Admitted) admitted).official().roles()).containsExactly(OfficialRole.REVIEWER);
        // The same code again, within its 30 seconds: someone who saw it over the shoulder is refused.
        assertThat(officials.signIn("aigerim", PASSWORD, code, "10.0.0.66")).isEqualTo(new SignIn.Refused("code already used"));
        // The next step's code is taken.
        clock.advance(Duration.ofSeconds(30));
        assertThat(officials.signIn("aigerim", PASSWORD, Officials.currentCode(enrolment.totpSecret(), clock.instant()),
                "10.0.0.9")).isInstanceOf(SignIn.Admitted.class);

        List<AuditLog.Stored> records = AuditLog.search(database.dataSource(), new AuditLog.Filter(Optional.of("aigerim"),
                Optional.empty(), Optional.empty(), Optional.empty(), 0), 100);
        assertThat(records).extracting(AuditLog.Stored::event).containsExactly(
                "SIGN_IN_FAILED", "SIGN_IN_FAILED", "SIGN_IN", "SIGN_IN_FAILED", "SIGN_IN");
        assertThat(records.get(0).details()).isEqualTo("wrong password [from 10.0.0.9]");
        assertThat(records.get(3).details()).isEqualTo("code already used [from 10.0.0.66]");
        assertThat(AuditLog.search(database.dataSource(), new AuditLog.Filter(Optional.of("admin"),
                Optional.of("OFFICIAL_ADDED"), Optional.empty(), Optional.empty(), 0), 10)).singleElement()
                .satisfies(added -> assertThat(added.details()).contains("official aigerim", "REVIEWER", "[from 10.0.0.1]"));
        assertThat(AuditLog.verify(database.dataSource()).intact()).isTrue();
    }

    @Test
    void fiveFailuresLockTheAccountEvenAgainstTheRightPassword() {
        Officials.Enrolment enrolment = officials.add("bolat", "Болат Ахметов", Set.of(OfficialRole.AUDITOR), PASSWORD, ADMIN);
        for (int i = 0; i < Officials.MAX_FAILURES; i++) {
            officials.signIn("bolat", ("guess number " + i).toCharArray(), "123456", "203.0.113.5");
        }
        String code = Officials.currentCode(enrolment.totpSecret(), clock.instant());
        assertThat(officials.signIn("bolat", PASSWORD, code, "203.0.113.5")).isInstanceOf(SignIn.Refused.class);
        assertThat(officials.find("bolat").orElseThrow().lockedUntil()).contains(NOW.plus(Officials.LOCKOUT));

        clock.advance(Officials.LOCKOUT);
        assertThat(officials.signIn("bolat", PASSWORD, Officials.currentCode(enrolment.totpSecret(), clock.instant()),
                "10.0.0.9")).isInstanceOf(SignIn.Admitted.class);
    }

    @Test
    void anUnknownNameIsRefusedAndRecorded() throws Exception {
        assertThat(officials.signIn("nobody", PASSWORD, "123456", "203.0.113.5")).isEqualTo(new SignIn.Refused("unknown name"));
        assertThat(AuditLog.search(database.dataSource(), AuditLog.Filter.all(), 10)).singleElement()
                .satisfies(r -> assertThat(r.by()).isEqualTo("nobody"));
    }

    @Test
    void accountsAreRefusedWhatWouldWeakenThem() {
        assertThatThrownBy(() -> officials.add("a", "A", Set.of(OfficialRole.AUDITOR), PASSWORD, ADMIN))
                .hasMessageContaining("2 to 64 characters");
        assertThatThrownBy(() -> officials.add("automation", "A", Set.of(OfficialRole.AUDITOR), PASSWORD, ADMIN))
                .hasMessageContaining("admin token");
        assertThatThrownBy(() -> officials.add("dana", "Dana", Set.of(OfficialRole.AUDITOR), "short".toCharArray(), ADMIN))
                .hasMessageContaining("at least 12");
        assertThatThrownBy(() -> officials.add("dana", "Dana", Set.of(), PASSWORD, ADMIN)).hasMessageContaining("one role");
        officials.add("dana", "Dana", Set.of(OfficialRole.AUDITOR), PASSWORD, ADMIN);
        assertThatThrownBy(() -> officials.add("dana", "Dana", Set.of(OfficialRole.AUDITOR), PASSWORD, ADMIN))
                .isInstanceOfSatisfying(Officials.RefusedChangeException.class, e -> assertThat(e.kind()).isEqualTo(Officials.RefusedChangeException.Kind.EXISTS));
    }

    @Test
    void anOfficialChangesItsOwnPasswordOnlyWithTheCurrentOne() {
        Officials.Enrolment enrolment = officials.add("hana", "Hana", Set.of(OfficialRole.REVIEWER), PASSWORD, ADMIN);
        Actor hana = new Actor("hana", "10.0.0.9");
        char[] replacement = "another long pass phrase".toCharArray();
        assertThatThrownBy(() -> officials.changePassword("hana", "not the password".toCharArray(), replacement, hana))
                .hasMessageContaining("current password");
        assertThat(officials.signIn("hana", replacement, Officials.currentCode(enrolment.totpSecret(), clock.instant()),
                "10.0.0.9")).as("nothing changed").isInstanceOf(SignIn.Refused.class);
        clock.advance(Duration.ofSeconds(30));
        officials.changePassword("hana", PASSWORD, replacement, hana);
        assertThat(officials.signIn("hana", replacement, Officials.currentCode(enrolment.totpSecret(), clock.instant()),
                "10.0.0.9")).isInstanceOf(SignIn.Admitted.class);
    }

    @Test
    void theLastAdministratorCannotBeDisabledOrLoseTheRole() {
        officials.add("first", "First", Set.of(OfficialRole.ADMINISTRATOR), PASSWORD, ADMIN);
        assertThatThrownBy(() -> officials.change("first", Optional.empty(), Optional.of(true), ADMIN))
                .hasMessageContaining("last enabled administrator");
        assertThatThrownBy(() -> officials.change("first", Optional.of(Set.of(OfficialRole.AUDITOR)), Optional.empty(), ADMIN))
                .hasMessageContaining("last enabled administrator");
        assertThat(officials.find("first").orElseThrow().roles()).containsExactly(OfficialRole.ADMINISTRATOR);
        officials.add("second", "Second", Set.of(OfficialRole.ADMINISTRATOR), PASSWORD, ADMIN);
        assertThat(officials.change("first", Optional.empty(), Optional.of(true), ADMIN).disabled()).isTrue();
    }

    @Test
    void aTokenIsTheOfficialsUntilReplacedOrDisabled() {
        officials.add("erlan", "Ерлан Нұрланұлы", Set.of(OfficialRole.ISSUER), PASSWORD, ADMIN);
        String first = officials.issueToken("erlan", ADMIN);
        assertThat(officials.byToken(first).orElseThrow().name()).isEqualTo("erlan");
        String second = officials.issueToken("erlan", ADMIN);
        assertThat(officials.byToken(first)).isEmpty();
        assertThat(officials.byToken(second)).isPresent();
        officials.change("erlan", Optional.empty(), Optional.of(true), ADMIN);
        assertThat(officials.byToken(second)).isEmpty();
    }

    @Test
    void aSessionEndsWhenIdleLongestOrItsOfficialIsDisabled() {
        Official official = officials.add("gulnar", "Гүлнар Омарова", Set.of(OfficialRole.REVIEWER), PASSWORD, ADMIN).official();
        OfficialSessions.Opened opened = sessions.open(official, "10.0.0.9");
        clock.advance(Duration.ofMinutes(14));
        assertThat(sessions.resume(opened.cookie())).map(OfficialSessions.Session::csrfToken).contains(opened.csrfToken());
        clock.advance(Duration.ofMinutes(14)); // 28 minutes in, but only 14 idle
        assertThat(sessions.resume(opened.cookie())).isPresent();
        clock.advance(Duration.ofMinutes(15));
        assertThat(sessions.resume(opened.cookie())).isEmpty();
        assertThat(sessions.resume("made-up")).isEmpty();

        OfficialSessions.Opened busy = sessions.open(official, "10.0.0.9");
        for (int i = 0; i < 12 * 6; i++) {
            clock.advance(Duration.ofMinutes(10));
            sessions.resume(busy.cookie());
        }
        assertThat(sessions.resume(busy.cookie())).as("a session lasts a working day at most").isEmpty();

        OfficialSessions.Opened third = sessions.open(official, "10.0.0.9");
        officials.change("gulnar", Optional.of(Set.of(OfficialRole.AUDITOR)), Optional.empty(), ADMIN);
        assertThat(sessions.resume(third.cookie()).orElseThrow().official().roles())
                .as("a role changed takes effect in the open session").containsExactly(OfficialRole.AUDITOR);
        officials.change("gulnar", Optional.empty(), Optional.of(true), ADMIN);
        assertThat(sessions.resume(third.cookie())).isEmpty();
    }
}
