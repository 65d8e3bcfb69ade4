package kz.qaqpa.directives.suspension;

import static kz.qaqpa.directives.store.Rows.instant;
import static kz.qaqpa.directives.store.Rows.clip;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kz.qaqpa.directives.audit.AuditEntry;
import kz.qaqpa.directives.audit.AuditLog;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.directive.Action;
import kz.qaqpa.directives.directive.StoredDirective;
import kz.qaqpa.directives.document.DirectiveDocument;
import kz.qaqpa.directives.document.DirectiveDocument.DomainSuspension.Ground;
import kz.qaqpa.directives.intake.AcceptanceStep;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.suspension.SuspensionState.Party;
import kz.qaqpa.directives.targets.DomainTarget;

/**
 * Domain-name suspension cases (seed 000 §16–26). A RESTRICT with {@code domainSuspension} opens one
 * case per name, in the transaction that accepts it; the registry and the registrar acknowledge
 * their steps, each checked against the state machine of {@link SuspensionState} and the party it
 * belongs to, and written with the hash-chained audit log; each step's deadline follows from the
 * step before on the working-day calendar. A RESTORE cancelling the directive ends its open cases.
 */
public final class SuspensionCases implements AcceptanceStep {

    /** One step of a case: when it happened by the party's word, when it was heard, from whom. */
    public record Step(SuspensionState step, Instant happenedAt, Instant recordedAt, String by, String note) {
    }

    /** What the registry's WHOIS said at opening: its registrar and the name's creation, or why nothing. */
    public record Whois(Instant askedAt, Optional<String> registrar, Optional<String> created, Optional<String> problem) {
    }

    /** The step a case waits for, whose it is, by when (null while the calendar lacks the year), and whether it is late. */
    public record Due(SuspensionState step, Party party, Instant due, boolean overdue) {
    }

    /** A reminder sent to the party that owed {@code step} past its deadline. */
    public record Reminded(SuspensionState step, String recipientId, Instant sentAt) {
    }

    /**
     * The ban on registering the name again that the directive carries out (seed 002 art. 21): its
     * use SUSPENDED for up to three months, or the registration ANNULLED and registering it again
     * banned for a year — until {@code until}.
     */
    public record Ban(String kind, Instant until) {
    }

    /** A case and its whole timeline, the reminders sent included, and the directive's ban on the name if any. */
    public record Case(long id, long directiveId, String directiveNumber, String domain, Ground ground,
                       Optional<LocalDate> remedyUntil, SuspensionState state, Instant openedAt, Optional<Instant> closedAt,
                       Optional<Whois> whois, Optional<String> registrar, List<Step> steps, List<Reminded> reminders,
                       Optional<Ban> ban) {

        /** Whether {@code recipientId} was reminded of {@code step} already. */
        public boolean reminded(SuspensionState step, String recipientId) {
            return reminders.stream().anyMatch(r -> r.step() == step && r.recipientId().equals(recipientId));
        }

        /** When the case reached {@code step}, if it did. */
        public Optional<Instant> at(SuspensionState step) {
            return steps.stream().filter(s -> s.step() == step).map(Step::happenedAt).findFirst();
        }
    }

    /** A step the case's state, the party or the time does not allow. */
    public static final class RefusedStepException extends RuntimeException {
        public RefusedStepException(String message) {
            super(message, null, false, false);
        }
    }

    /** How far ahead of the gateway's clock a party's "it happened at" may be. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /** Seed 000 §19: the registrant's period to remedy, unless a court sets another. */
    static final int REMEDY_WORKING_DAYS = SuspensionState.REMEDY_REPORTED.workingDays();
    private static final String GATEWAY = "gateway";
    private static final String STEP = """
            INSERT INTO suspension_step (case_id, step, happened_at, recorded_at, recorded_by, note)
            VALUES (?, ?, ?, ?, ?, ?)""";

    private final Database database;
    private final WorkingCalendar calendar;
    private final AuditLog audit;
    private final Clock clock;

    public SuspensionCases(Database database, WorkingCalendar calendar, Clock clock) {
        this.database = database;
        this.calendar = calendar;
        this.audit = new AuditLog(clock);
        this.clock = clock;
    }

    @Override
    public void accepted(Connection connection, StoredDirective directive, DirectiveDocument document) throws SQLException {
        if (directive.action() == Action.RESTRICT && document.domainSuspension().isPresent()) {
            open(connection, directive, document.domainSuspension().get(), document.targets().stream()
                    .map(entry -> entry.target()).filter(DomainTarget.class::isInstance)
                    .map(target -> ((DomainTarget) target).name()).distinct().toList());
        } else if (directive.action() == Action.RESTORE && directive.cancelsId() != null) {
            end(connection, directive);
        }
    }

    private static void open(Connection connection, StoredDirective directive, DirectiveDocument.DomainSuspension suspension,
                             List<String> names) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO suspension_case (directive_id, domain, ground, remedy_until, state, opened_at)
                VALUES (?, ?, ?, ?, 'REQUESTED', ?)""", new String[] {"id"});
             PreparedStatement step = connection.prepareStatement(STEP)) {
            for (String name : names) {
                insert.setLong(1, directive.id());
                insert.setString(2, name);
                insert.setString(3, suspension.ground().name());
                insert.setObject(4, suspension.remedyUntil().orElse(null));
                insert.setTimestamp(5, Timestamp.from(directive.receivedAt()));
                insert.executeUpdate();
                try (ResultSet key = insert.getGeneratedKeys()) {
                    key.next();
                    insertStep(step, key.getLong(1), SuspensionState.REQUESTED, directive.receivedAt(), directive.receivedAt(),
                            GATEWAY, "directive " + directive.number());
                }
            }
        }
    }

    /** A RESTORE cancelling the directive ends its open cases: the authority withdrew the request. */
    private static void end(Connection connection, StoredDirective restore) throws SQLException {
        List<Long> open = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM suspension_case WHERE directive_id = ?"
                + " AND state IN " + SuspensionState.sqlOpen() + " FOR UPDATE")) {
            select.setLong(1, restore.cancelsId());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    open.add(rows.getLong(1));
                }
            }
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE suspension_case SET state = 'ENDED', closed_at = ? WHERE id = ?");
             PreparedStatement step = connection.prepareStatement(STEP)) {
            for (long id : open) {
                update.setTimestamp(1, Timestamp.from(restore.receivedAt()));
                update.setLong(2, id);
                update.executeUpdate();
                insertStep(step, id, SuspensionState.ENDED, restore.receivedAt(), restore.receivedAt(), GATEWAY,
                        "RESTORE " + restore.number());
            }
        }
    }

    private static void insertStep(PreparedStatement step, long caseId, SuspensionState state, Instant happened,
                                   Instant recorded, String by, String note) throws SQLException {
        step.setLong(1, caseId);
        step.setString(2, state.name());
        step.setTimestamp(3, Timestamp.from(happened));
        step.setTimestamp(4, Timestamp.from(recorded));
        step.setString(5, by);
        step.setString(6, note == null || note.isBlank() ? null : clip(note.strip(), 2000));
        step.executeUpdate();
    }

    /** A case by its id, with its timeline. */
    public Optional<Case> find(long id) {
        return read("c.id = ?", id, 1).stream().findFirst();
    }

    /** The open cases, oldest first. */
    public List<Case> open() {
        return read("c.state IN " + SuspensionState.sqlOpen(), null, 10_000);
    }

    /** The latest cases, newest first, at most {@code limit}. */
    public List<Case> latest(int limit) {
        return read("1 = 1", null, limit);
    }

    /**
     * What the case waits for: the next step, whose, by when and whether it is overdue. In
     * REGISTRANT_NOTIFIED that is the remedy's report until the remedy period ends, then the
     * registry's termination (§23 3), §26). Empty once the case is closed.
     */
    public Optional<Due> due(Case c) {
        if (!c.state().open()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        try {
            return Optional.of(switch (c.state()) {
                case REGISTRANT_NOTIFIED -> {
                    Instant remedyEnds = remedyEnds(c);
                    if (!now.isAfter(remedyEnds)) {
                        yield new Due(SuspensionState.REMEDY_REPORTED, Party.REGISTRY, remedyEnds, false);
                    }
                    Instant terminate = after(remedyEnds, SuspensionState.TERMINATED.workingDays());
                    yield new Due(SuspensionState.TERMINATED, Party.REGISTRY, terminate, now.isAfter(terminate));
                }
                default -> {
                    SuspensionState next = c.state().expected().orElseThrow();
                    Instant due = after(c.at(c.state()).orElseThrow(), next.workingDays());
                    yield new Due(next, next.party().orElseThrow(), due, now.isAfter(due));
                }
            });
        } catch (WorkingCalendar.UnknownYearException e) {
            SuspensionState next = c.state().expected().orElseThrow();
            return Optional.of(new Due(next, next.party().orElseThrow(), null, false));
        }
    }

    /** The end of the registrant's period to remedy: the court's term, or 10 working days from the registrar's notice. */
    private Instant remedyEnds(Case c) {
        return c.remedyUntil().map(day -> OffsetDateTime.of(day, LocalTime.MAX.withNano(0), WorkingCalendar.ALMATY).toInstant())
                .orElseGet(() -> after(c.at(SuspensionState.REGISTRANT_NOTIFIED).orElseThrow(), REMEDY_WORKING_DAYS));
    }

    private Instant after(Instant from, int workingDays) {
        return calendar.deadline(from, workingDays).deadline().toInstant();
    }

    /** How many open cases wait for a step that is overdue. */
    public long countOverdue() {
        return open().stream().map(this::due).flatMap(Optional::stream).filter(Due::overdue).count();
    }

    /**
     * Records a party's step: the registry's SUSPENDED, REMEDY_REPORTED, RESTORED, TERMINATED; the
     * case's registrar's REGISTRANT_NOTIFIED. TERMINATED needs the remedy period over, or a court's
     * decision as the ground (§23 3), 4)).
     *
     * @param recipientId the recipient acknowledging, for the timeline and the audit log
     * @throws RefusedStepException when the state, the party or the time does not allow it
     */
    public Case record(long id, SuspensionState step, Party party, String recipientId, Instant happenedAt, String note) {
        Case c = find(id).orElseThrow(() -> new RefusedStepException("there is no suspension case " + id));
        if (step.party().isEmpty()) {
            throw new RefusedStepException(step + " is not a party's step");
        }
        if (step.party().get() != party) {
            throw new RefusedStepException(step + " is the " + step.party().get().name().toLowerCase() + "'s step");
        }
        if (party == Party.REGISTRAR && !c.registrar().map(recipientId::equals).orElse(false)) {
            throw new RefusedStepException(recipientId + " is not the registrar of case " + id);
        }
        if (!c.state().mayMoveTo(step)) {
            throw new RefusedStepException("case " + id + " is " + c.state() + "; " + step + " does not follow");
        }
        Instant now = now();
        if (happenedAt.isAfter(now.plus(CLOCK_SKEW))) {
            throw new RefusedStepException("'at' " + happenedAt + " is in the future");
        }
        Instant previous = c.at(c.state()).orElseThrow();
        if (happenedAt.isBefore(previous)) {
            throw new RefusedStepException("'at' " + happenedAt + " is before the step it follows (" + previous + ")");
        }
        if (step == SuspensionState.TERMINATED && c.ground() != Ground.COURT_DECISION
                && (c.state() != SuspensionState.REGISTRANT_NOTIFIED || !now.isAfter(remedyEnds(c)))) {
            throw new RefusedStepException("the registration is terminated once the registrant's period to remedy is over"
                    + " (seed 000 §23 3)) or upon a court's decision (§23 4))");
        }
        int moved = database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE suspension_case SET state = ?, closed_at = ? WHERE id = ? AND state = ?");
                 PreparedStatement insert = connection.prepareStatement(STEP)) {
                update.setString(1, step.name());
                update.setTimestamp(2, step.open() ? null : Timestamp.from(now));
                update.setLong(3, id);
                update.setString(4, c.state().name());
                if (update.executeUpdate() != 1) {
                    return 0;
                }
                Instant at = happenedAt.truncatedTo(ChronoUnit.MICROS);
                insertStep(insert, id, step, at, now, recipientId, note);
                audit.append(connection, new AuditEntry("SUSPENSION_STEP", Optional.of(c.directiveId()), Optional.empty(),
                        Optional.empty(), Optional.empty(), recipientId, "case " + id + " (" + c.domain() + "): " + step
                        + " at " + at));
                return 1;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot record the step: " + e.getMessage(), e);
            }
        });
        if (moved == 0) {
            throw new RefusedStepException("case " + id + " moved meanwhile");
        }
        return find(id).orElseThrow();
    }

    /**
     * Keeps what the registry's WHOIS said at opening and the registrar recipient it names, when one
     * is registered under that name.
     */
    public Case recordWhois(long id, Whois whois, Optional<String> registrar) {
        database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE suspension_case SET whois_at = ?, whois_registrar = ?, whois_created = ?, whois_problem = ?,
                        registrar = COALESCE(registrar, ?)
                    WHERE id = ?""")) {
                update.setTimestamp(1, Timestamp.from(whois.askedAt().truncatedTo(ChronoUnit.MICROS)));
                update.setString(2, whois.registrar().map(text -> clip(text, 256)).orElse(null));
                update.setString(3, whois.created().map(text -> clip(text, 64)).orElse(null));
                update.setString(4, whois.problem().map(text -> clip(text, 512)).orElse(null));
                update.setString(5, registrar.orElse(null));
                update.setLong(6, id);
                update.executeUpdate();
                return null;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot keep the WHOIS answer: " + e.getMessage(), e);
            }
        });
        return find(id).orElseThrow();
    }

    /**
     * The registrar a case is with, named by the registry when WHOIS did not name one that is
     * registered (or named another), while the case is open.
     */
    public Case nameRegistrar(long id, String registrarId, String by) {
        int named = database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE suspension_case SET registrar = ? WHERE id = ? AND state IN " + SuspensionState.sqlOpen())) {
                update.setString(1, registrarId);
                update.setLong(2, id);
                int updated = update.executeUpdate();
                if (updated == 1) {
                    long directive = find(connection, id);
                    audit.append(connection, new AuditEntry("SUSPENSION_REGISTRAR", Optional.of(directive), Optional.empty(),
                            Optional.empty(), Optional.empty(), by, "case " + id + ": registrar " + registrarId));
                }
                return updated;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot name the registrar: " + e.getMessage(), e);
            }
        });
        if (named == 0) {
            throw new RefusedStepException("there is no open suspension case " + id);
        }
        return find(id).orElseThrow();
    }

    private static long find(Connection connection, long id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT directive_id FROM suspension_case WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private List<Case> read(String where, Long id, int limit) {
        Map<Long, Case> cases = new LinkedHashMap<>();
        String order = where.startsWith("1 = 1") ? " ORDER BY c.id DESC" : " ORDER BY c.id";
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT c.*, d.number, d.domain_ban, d.domain_ban_until FROM suspension_case c"
                     + " JOIN directive d ON d.id = c.directive_id WHERE " + where + order)) {
            select.setMaxRows(limit);
            if (id != null) {
                select.setLong(1, id);
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Instant asked = instant(rows, "whois_at");
                    Optional<Whois> whois = asked == null ? Optional.empty() : Optional.of(new Whois(asked,
                            Optional.ofNullable(rows.getString("whois_registrar")),
                            Optional.ofNullable(rows.getString("whois_created")),
                            Optional.ofNullable(rows.getString("whois_problem"))));
                    long caseId = rows.getLong("id");
                    String banned = rows.getString("domain_ban");
                    Optional<Ban> ban = banned == null ? Optional.empty()
                            : Optional.of(new Ban(banned, instant(rows, "domain_ban_until")));
                    cases.put(caseId, new Case(caseId, rows.getLong("directive_id"), rows.getString("number"),
                            rows.getString("domain"), Ground.valueOf(rows.getString("ground")),
                            Optional.ofNullable(rows.getObject("remedy_until", LocalDate.class)),
                            SuspensionState.valueOf(rows.getString("state")), instant(rows, "opened_at"),
                            Optional.ofNullable(instant(rows, "closed_at")), whois,
                            Optional.ofNullable(rows.getString("registrar")), steps(connection, caseId),
                            reminders(connection, caseId), ban));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the suspension cases: " + e.getMessage(), e);
        }
        return List.copyOf(cases.values());
    }

    private static List<Step> steps(Connection connection, long caseId) throws SQLException {
        List<Step> steps = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT * FROM suspension_step WHERE case_id = ? ORDER BY seq")) {
            select.setLong(1, caseId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    steps.add(new Step(SuspensionState.valueOf(rows.getString("step")), instant(rows, "happened_at"),
                            instant(rows, "recorded_at"), rows.getString("recorded_by"), rows.getString("note")));
                }
            }
        }
        return steps;
    }

    private static List<Reminded> reminders(Connection connection, long caseId) throws SQLException {
        List<Reminded> reminders = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT * FROM suspension_reminder WHERE case_id = ? ORDER BY sent_at")) {
            select.setLong(1, caseId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    reminders.add(new Reminded(SuspensionState.valueOf(rows.getString("step")), rows.getString("recipient_id"),
                            instant(rows, "sent_at")));
                }
            }
        }
        return reminders;
    }

    /** Records that {@code recipientId} was reminded of the case's overdue {@code step}; once is enough. */
    public void recordReminder(long caseId, SuspensionState step, String recipientId) {
        database.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO suspension_reminder (case_id, step, recipient_id, sent_at)
                    SELECT ?, ?, ?, ? FROM suspension_case WHERE id = ?
                      AND NOT EXISTS (SELECT 1 FROM suspension_reminder WHERE case_id = ? AND step = ? AND recipient_id = ?)""")) {
                insert.setLong(1, caseId);
                insert.setString(2, step.name());
                insert.setString(3, recipientId);
                insert.setTimestamp(4, Timestamp.from(now()));
                insert.setLong(5, caseId);
                insert.setLong(6, caseId);
                insert.setString(7, step.name());
                insert.setString(8, recipientId);
                return insert.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot record the reminder: " + e.getMessage(), e);
            }
        });
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
