package kz.qaqpa.directives.appeal;

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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import kz.qaqpa.directives.audit.Actor;
import kz.qaqpa.directives.audit.AuditLog;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.directive.DirectiveRepository;
import kz.qaqpa.directives.directive.StoredDirective;
import kz.qaqpa.directives.directive.StoredTarget;
import kz.qaqpa.directives.directive.TargetRepository;
import kz.qaqpa.directives.store.Database;

/**
 * The monitoring of an appeal and its decision (seed 003 §5–7), moving the appeal through the
 * states of {@link AppealStatus}, each move an update that names the states it may come from.
 *
 * <p>Probes are evidence, kept as taken; findings are the authority's per link; the decision takes
 * REMOVAL_CONFIRMED only when every link of the appeal has a finding that its material is removed,
 * and REFUSED only with reasons.
 */
public final class AppealMonitoring {

    /**
     * What a probe of one link saw. {@code statusCode} is null when no answer came or the probe was
     * refused (see {@code error}); {@code note} says what else it noticed, such as a body cut short.
     */
    public record Probe(String link, Instant probedAt, Integer statusCode, String finalUrl, String bodySha256,
                        long elapsedMillis, String error, String note) {
    }

    /** The authority's finding on one link. */
    public record Finding(String link, boolean removed, String note, Instant recordedAt) {
    }

    /** The authority's record that the violations of the law were eliminated (seed 003 §6), with its note. */
    public record ViolationsEliminated(String note, Instant recordedAt) {
    }

    /**
     * Whether every recipient of a directive has acknowledged it — the delivery records' answer,
     * asked in the transaction that records an acknowledgement.
     */
    @FunctionalInterface
    public interface Acknowledgements {
        boolean everywhere(Connection connection, long directiveId) throws SQLException;
    }

    /** A step the appeal's state does not allow, or a decision its findings do not support. */
    public static final class RefusedStepException extends RuntimeException {
        public RefusedStepException(String message) {
            super(message, null, false, false);
        }
    }

    private static final Duration PROBE_EVERY = Duration.ofDays(1);
    /** An SQL condition on appeal {@code a}: a directive it is about has no RESTORE naming it. */
    private static final String ORDER_MISSING = """
            (NOT EXISTS (SELECT 1 FROM directive d
                         WHERE d.action = 'RESTORE' AND d.appeal_number = a.number AND d.cancels_id = a.directive_id)
             OR EXISTS (SELECT 1 FROM appeal_further_directive f
                        WHERE f.appeal_id = a.id
                          AND NOT EXISTS (SELECT 1 FROM directive d
                                          WHERE d.action = 'RESTORE' AND d.appeal_number = a.number
                                            AND d.cancels_id = f.directive_id)))""";
    /** Working days the authority has, after confirming removal, to issue the restoration order (тапсырма). */
    public static final int DEFAULT_ORDER_WORKING_DAYS = 1;

    private final Database database;
    private final AppealRegister register;
    private final AppealMatching matching;
    private final AuditLog audit;
    private final WorkingCalendar calendar;
    private final int orderWorkingDays;
    private final Clock clock;

    public AppealMonitoring(Database database, AppealRegister register, WorkingCalendar calendar, int orderWorkingDays,
                            Clock clock) {
        this.database = database;
        this.register = register;
        this.matching = new AppealMatching(database.repository(DirectiveRepository.class),
                database.repository(TargetRepository.class));
        this.audit = new AuditLog(clock);
        this.calendar = calendar;
        this.orderWorkingDays = orderWorkingDays;
        this.clock = clock;
    }

    /** With the shipped calendar and the default time for the order. */
    public AppealMonitoring(Database database, AppealRegister register, Clock clock) {
        this(database, register, WorkingCalendar.shipped(), DEFAULT_ORDER_WORKING_DAYS, clock);
    }

    /** Keeps a probe's result; the first one starts the monitoring (REGISTERED → MONITORING). */
    public void recordProbe(long appealId, Probe probe) {
        database.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO appeal_probe (appeal_id, link, probed_at, status_code, final_url, body_sha256, elapsed_ms, error, note)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""");
                 PreparedStatement start = connection.prepareStatement(
                         "UPDATE appeal SET status = '" + AppealStatus.MONITORING + "' WHERE id = ? AND status IN "
                                 + AppealStatus.sqlFrom(AppealStatus.MONITORING))) {
                insert.setLong(1, appealId);
                insert.setString(2, probe.link());
                insert.setTimestamp(3, Timestamp.from(probe.probedAt()));
                insert.setObject(4, probe.statusCode());
                insert.setString(5, clip(probe.finalUrl(), 2000));
                insert.setString(6, probe.bodySha256());
                insert.setLong(7, probe.elapsedMillis());
                insert.setString(8, clip(probe.error(), 1000));
                insert.setString(9, clip(probe.note(), 1000));
                insert.executeUpdate();
                start.setLong(1, appealId);
                start.executeUpdate();
                return null;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot keep the probe: " + e.getMessage(), e);
            }
        });
    }

    public List<Probe> probes(long appealId) {
        return query("SELECT * FROM appeal_probe WHERE appeal_id = ? ORDER BY probed_at, id", appealId, rows -> new Probe(
                rows.getString("link"), instant(rows, "probed_at"), (Integer) rows.getObject("status_code"),
                rows.getString("final_url"), rows.getString("body_sha256"), rows.getLong("elapsed_ms"), rows.getString("error"),
                rows.getString("note")));
    }

    public List<Finding> findings(long appealId) {
        return query("SELECT * FROM appeal_finding WHERE appeal_id = ? ORDER BY link", appealId, rows -> new Finding(
                rows.getString("link"), rows.getBoolean("removed"), rows.getString("note"), instant(rows, "recorded_at")));
    }

    /** Appeals under monitoring whose links were last probed more than a day ago, or never. */
    public List<Appeal> dueForProbe() {
        Instant before = clock.instant().minus(PROBE_EVERY);
        List<String> numbers = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     SELECT a.number FROM appeal a
                     WHERE a.status IN %s
                       AND NOT EXISTS (SELECT 1 FROM appeal_probe p WHERE p.appeal_id = a.id AND p.probed_at > ?)
                     ORDER BY a.id""".formatted(AppealStatus.sqlUndecided()))) {
            select.setTimestamp(1, Timestamp.from(before));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    numbers.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the appeals to probe: " + e.getMessage(), e);
        }
        return numbers.stream().map(number -> register.find(number).orElseThrow()).toList();
    }

    /**
     * What is probed and needs a finding before removal can be confirmed (seed 003 §4, §6): the
     * directive's own URL targets on the appealed resource — the unlawful materials it restricted —
     * then the links the appellant gave as evidence. A harmless link of the appellant's alone cannot
     * confirm a removal while a restricted page stays.
     */
    public List<String> linksToCheck(Appeal appeal) {
        Set<String> links = new LinkedHashSet<>(directiveLinks(appeal));
        links.addAll(appeal.links());
        return List.copyOf(links);
    }

    /** The URL targets of the appeal's directives on the appealed resource's host, or a host above or below it. */
    public List<String> directiveLinks(Appeal appeal) {
        Set<String> links = new LinkedHashSet<>();
        directiveIds(appeal).forEach(id -> links.addAll(matching.urlTargetsOnSite(id, appeal.resource())));
        return List.copyOf(links);
    }

    /**
     * The directives the appeal is about: the one it matched or was first linked to, then each the
     * authority linked it to as well, in that order; none while it is NEEDS_MATCHING.
     */
    public List<StoredDirective> directives(Appeal appeal) {
        DirectiveRepository repository = database.repository(DirectiveRepository.class);
        return directiveIds(appeal).stream().map(id -> repository.findById(id).orElseThrow()).toList();
    }

    private List<Long> directiveIds(Appeal appeal) {
        if (appeal.directiveId() == null) {
            return List.of();
        }
        List<Long> ids = new ArrayList<>(List.of(appeal.directiveId()));
        ids.addAll(query("SELECT directive_id FROM appeal_further_directive WHERE appeal_id = ? ORDER BY linked_at, directive_id",
                appeal.id(), rows -> rows.getLong(1)));
        return ids;
    }

    /**
     * Links an appeal to the RESTRICT in force under {@code directiveNumber} — the authority's
     * judgement, also where no target names the resource (a mobile application, a mirror) — and
     * records who did, in the audit log. An appeal registered as NEEDS_MATCHING becomes REGISTERED;
     * an undecided appeal about a directive already is linked to this one as well (a resource that
     * two directives restrict), so that removal is checked on the materials of both. The deadline
     * stays the one that runs from registration.
     *
     * @throws RefusedStepException when the appeal is decided, is about that directive already, or
     *                              no single RESTRICT is in force under that number
     */
    public Appeal link(Appeal appeal, String directiveNumber, Actor by) {
        requireUndecided(appeal);
        if (directiveNumber == null || directiveNumber.isBlank()) {
            throw new RefusedStepException("name the directive the appeal is about");
        }
        AppealMatching.Matched matched = matching.inForce(directiveNumber.strip(), appeal.resource());
        long directiveId = matched.directive().id();
        if (directiveIds(appeal).contains(directiveId)) {
            throw new RefusedStepException("appeal " + appeal.number() + " is about directive "
                    + matched.directive().number() + " already");
        }
        boolean first = appeal.status() == AppealStatus.NEEDS_MATCHING;
        int linked = database.inTransaction(connection -> {
            try {
                int updated = first ? linkFirst(connection, appeal, matched) : linkFurther(connection, appeal, matched);
                if (updated == 1) {
                    audit.append(connection, by.entry("APPEAL_MATCHED", Optional.of(directiveId), "appeal " + appeal.number()
                            + " (cited " + appeal.citedDirective() + ") linked to " + (first ? "" : "a further ")
                            + "directive " + matched.directive().number()));
                }
                return updated;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot link the appeal: " + e.getMessage(), e);
            }
        });
        if (linked == 0) {
            throw new RefusedStepException("appeal " + appeal.number() + " was matched or decided meanwhile");
        }
        return register.find(appeal.number()).orElseThrow();
    }

    private static int linkFirst(Connection connection, Appeal appeal, AppealMatching.Matched matched) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE appeal SET status = '%s', directive_id = ?, target = ?
                WHERE id = ? AND status IN %s""".formatted(AppealStatus.REGISTERED,
                AppealStatus.sqlFrom(AppealStatus.REGISTERED)))) {
            update.setLong(1, matched.directive().id());
            update.setString(2, matched.target());
            update.setLong(3, appeal.id());
            return update.executeUpdate();
        }
    }

    /** Links a further directive while the appeal is undecided and about a directive; 0 when it no longer is. */
    private int linkFurther(Connection connection, Appeal appeal, AppealMatching.Matched matched) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT id FROM appeal WHERE id = ? AND status IN "
                + AppealStatus.sqlUndecided() + " AND directive_id IS NOT NULL FOR UPDATE")) {
            lock.setLong(1, appeal.id());
            try (ResultSet row = lock.executeQuery()) {
                if (!row.next()) {
                    return 0;
                }
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO appeal_further_directive (appeal_id, directive_id, target, linked_at) VALUES (?, ?, ?, ?)")) {
            insert.setLong(1, appeal.id());
            insert.setLong(2, matched.directive().id());
            insert.setString(3, matched.target());
            insert.setTimestamp(4, Timestamp.from(now()));
            return insert.executeUpdate();
        }
    }

    /**
     * Records the authority's findings (a later finding on a link replaces the earlier one).
     *
     * @throws RefusedStepException when the appeal is decided already or a link is not one to check
     */
    public void recordFindings(Appeal appeal, Map<String, Finding> byLink, Actor by) {
        requireUndecided(appeal);
        List<String> toCheck = linksToCheck(appeal);
        for (String link : byLink.keySet()) {
            if (!toCheck.contains(link)) {
                throw new RefusedStepException("'" + link + "' is not one of the links to check " + toCheck);
            }
        }
        Instant now = now();
        database.inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM appeal_finding WHERE appeal_id = ? AND link = ?");
                 PreparedStatement insert = connection.prepareStatement(
                         "INSERT INTO appeal_finding (appeal_id, link, removed, note, recorded_at) VALUES (?, ?, ?, ?, ?)")) {
                for (Finding finding : byLink.values()) {
                    delete.setLong(1, appeal.id());
                    delete.setString(2, finding.link());
                    delete.executeUpdate();
                    insert.setLong(1, appeal.id());
                    insert.setString(2, finding.link());
                    insert.setBoolean(3, finding.removed());
                    insert.setString(4, clip(finding.note(), 2000));
                    insert.setTimestamp(5, Timestamp.from(now));
                    insert.executeUpdate();
                }
                audit.append(connection, by.entry("APPEAL_FINDINGS", Optional.ofNullable(appeal.directiveId()), "appeal " + appeal.number()
                        + ": " + byLink.values().stream().map(f -> f.link() + (f.removed() ? " removed" : " not removed"))
                        .collect(java.util.stream.Collectors.joining("; "))));
                return null;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot record the findings: " + e.getMessage(), e);
            }
        });
    }

    /**
     * Records the authority's finding that the violations of the law were eliminated (seed 003 §6:
     * "бұзушылықтарды жою"), apart from its findings that the materials were removed from each link;
     * removal is confirmed only with both. Recording it again replaces the note.
     *
     * @throws RefusedStepException when the appeal is decided already
     */
    public Appeal recordViolationsEliminated(Appeal appeal, String note, Actor by) {
        requireUndecided(appeal);
        Instant now = now();
        database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE appeal SET violations_eliminated_at = ?, violations_note = ? WHERE id = ? AND status IN "
                            + AppealStatus.sqlUndecided())) {
                update.setTimestamp(1, Timestamp.from(now));
                update.setString(2, note == null || note.isBlank() ? null : clip(note.strip(), 2000));
                update.setLong(3, appeal.id());
                if (update.executeUpdate() != 1) {
                    throw new RefusedStepException("appeal " + appeal.number() + " was decided meanwhile");
                }
                audit.append(connection, by.entry("APPEAL_VIOLATIONS_ELIMINATED", Optional.ofNullable(appeal.directiveId()),
                        "appeal " + appeal.number() + ": the violations found eliminated"));
                return null;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot record that the violations were eliminated: " + e.getMessage(), e);
            }
        });
        return register.find(appeal.number()).orElseThrow();
    }

    /** When the authority recorded that the violations were eliminated, and its note; empty before it did. */
    public Optional<ViolationsEliminated> violationsEliminated(Appeal appeal) {
        return query("SELECT violations_eliminated_at, violations_note FROM appeal WHERE id = ?"
                + " AND violations_eliminated_at IS NOT NULL", appeal.id(), rows -> new ViolationsEliminated(
                rows.getString("violations_note"), instant(rows, "violations_eliminated_at"))).stream().findFirst();
    }

    /**
     * Decides the appeal: REMOVAL_CONFIRMED when the violations are recorded as eliminated and the
     * material is found removed from every link to check — the directive's URL targets on the
     * resource and the appellant's links — or REFUSED with reasons.
     *
     * @throws RefusedStepException when the state or the findings do not allow it
     */
    public Appeal decide(Appeal appeal, String decision, String reasons, Actor by) {
        requireUndecided(appeal);
        AppealStatus next = AppealStatus.REMOVAL_CONFIRMED.name().equals(decision) ? AppealStatus.REMOVAL_CONFIRMED
                : AppealStatus.REFUSED.name().equals(decision) ? AppealStatus.REFUSED : null;
        if (next == AppealStatus.REMOVAL_CONFIRMED && appeal.status() == AppealStatus.NEEDS_MATCHING) {
            throw new RefusedStepException("appeal " + appeal.number() + " is about no directive yet; link it to the"
                    + " directive it is about first");
        }
        if (next == AppealStatus.REMOVAL_CONFIRMED) {
            Map<String, Boolean> removed = new TreeMap<>();
            findings(appeal.id()).forEach(finding -> removed.put(finding.link(), finding.removed()));
            List<String> open = linksToCheck(appeal).stream().filter(link -> !Boolean.TRUE.equals(removed.get(link))).toList();
            if (!open.isEmpty()) {
                throw new RefusedStepException("removal is not found for " + open + "; record findings for every link first");
            }
            if (violationsEliminated(appeal).isEmpty()) {
                throw new RefusedStepException("record first that the violations were eliminated (seed 003 §6), apart"
                        + " from the findings on the links");
            }
        } else if (next == AppealStatus.REFUSED) {
            if (reasons == null || reasons.isBlank()) {
                throw new RefusedStepException("a refusal needs its reasons");
            }
        } else {
            throw new RefusedStepException("the decision is REMOVAL_CONFIRMED or REFUSED");
        }
        int changed = database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE appeal SET status = ?, decided_at = ?, reasons = ?, closed_at = ?
                    WHERE id = ? AND status IN %s""".formatted(AppealStatus.sqlFrom(next)))) {
                update.setString(1, next.name());
                update.setTimestamp(2, Timestamp.from(now()));
                update.setString(3, reasons == null || reasons.isBlank() ? null : clip(reasons.strip(), 8000));
                // A refusal closes the appeal; a confirmed removal closes it once every recipient resumed.
                update.setTimestamp(4, next == AppealStatus.REFUSED ? Timestamp.from(now()) : null);
                update.setLong(5, appeal.id());
                int updated = update.executeUpdate();
                if (updated == 1) {
                    AppealNotices.queue(connection, appeal.id(), AppealNotices.Kind.DECIDED, now());
                    audit.append(connection, by.entry("APPEAL_DECIDED", Optional.ofNullable(appeal.directiveId()),
                            "appeal " + appeal.number() + ": " + next));
                }
                return updated;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot record the decision: " + e.getMessage(), e);
            }
        });
        if (changed == 0) {
            throw new RefusedStepException("appeal " + appeal.number() + " was decided meanwhile");
        }
        return register.find(appeal.number()).orElseThrow();
    }

    /**
     * Marks the appeal a RESTORE answers RESTORED, in the transaction that recorded the last
     * acknowledgement of that RESTORE, once every recipient has resumed access to the materials of
     * every directive the appeal is about: each has a RESTORE naming the appeal, and each of those
     * RESTOREs is {@code acknowledged} everywhere. Only a REMOVAL_CONFIRMED appeal moves; a directive
     * that answers no appeal, or an appeal in another state, is left as it is.
     *
     * <p>The appeal's row is locked before the other RESTOREs are looked at, so that of two last
     * acknowledgements of two RESTOREs of one appeal, the later sees the earlier.
     *
     * @return whether an appeal moved
     */
    public boolean restoredEverywhere(Connection connection, long restoreId, Acknowledgements acknowledged)
            throws SQLException {
        long appealId;
        String number;
        List<Long> directiveIds = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT a.id, a.number, a.directive_id FROM appeal a
                WHERE a.status = '%s'
                  AND a.number = (SELECT appeal_number FROM directive WHERE id = ? AND action = 'RESTORE')
                FOR UPDATE""".formatted(AppealStatus.REMOVAL_CONFIRMED))) {
            select.setLong(1, restoreId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return false;
                }
                appealId = row.getLong("id");
                number = row.getString("number");
                directiveIds.add(row.getLong("directive_id"));
            }
        }
        try (PreparedStatement further = connection.prepareStatement(
                "SELECT directive_id FROM appeal_further_directive WHERE appeal_id = ?")) {
            further.setLong(1, appealId);
            try (ResultSet rows = further.executeQuery()) {
                while (rows.next()) {
                    directiveIds.add(rows.getLong(1));
                }
            }
        }
        try (PreparedStatement restore = connection.prepareStatement(
                "SELECT id FROM directive WHERE action = 'RESTORE' AND appeal_number = ? AND cancels_id = ?")) {
            for (long directiveId : directiveIds) {
                restore.setString(1, number);
                restore.setLong(2, directiveId);
                try (ResultSet row = restore.executeQuery()) {
                    if (!row.next()) {
                        return false; // this directive's order is not issued yet
                    }
                    long id = row.getLong(1);
                    if (id != restoreId && !acknowledged.everywhere(connection, id)) {
                        return false;
                    }
                }
            }
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE appeal SET status = '%s', closed_at = ? WHERE id = ? AND status IN %s"
                .formatted(AppealStatus.RESTORED, AppealStatus.sqlFrom(AppealStatus.RESTORED)))) {
            update.setTimestamp(1, Timestamp.from(now()));
            update.setLong(2, appealId);
            if (update.executeUpdate() != 1) {
                return false;
            }
        }
        AppealNotices.queue(connection, appealId, AppealNotices.Kind.RESTORED, now());
        return true;
    }

    /**
     * The directive a restoration order of the appeal restores: the one named by its number, or,
     * when none is named, the appeal's only directive.
     *
     * @throws RefusedStepException when the removal is not confirmed, the appeal is about no such
     *                              directive, or about several and none is named
     */
    public StoredDirective orderedDirective(Appeal appeal, Optional<String> directiveNumber) {
        requireConfirmed(appeal);
        List<StoredDirective> about = directives(appeal);
        if (directiveNumber.isEmpty()) {
            if (about.size() != 1) {
                throw new RefusedStepException("appeal " + appeal.number() + " is about " + about.size()
                        + " directives; name the one the order restores: " + about.stream().map(StoredDirective::number).toList());
            }
            return about.get(0);
        }
        return about.stream().filter(directive -> directive.number().equals(directiveNumber.get())).findFirst()
                .orElseThrow(() -> new RefusedStepException("appeal " + appeal.number() + " is not about directive "
                        + directiveNumber.get()));
    }

    /**
     * The restoration order (seed 003, appendix) of an appeal whose removal is confirmed, inside the
     * RESTORE directive to sign, one for each directive the appeal is about: drafted once the
     * decision is REMOVAL_CONFIRMED (or the appeal is RESTORED), never before. Access resumes to the
     * cancelled directive's targets; the links are those checked — that directive's own on the
     * resource, then the appellant's — each found removed.
     *
     * @param cancelled  the directive the order restores, one of {@link #directives}
     * @param number     the order's outgoing number; empty: the appeal's number with "-R" (and the
     *                   directive's place among the appeal's, when there are several)
     * @param addressees the State Technical Service and the operators the order goes to, by name
     * @param signatory  who signs it
     * @throws RefusedStepException when the removal is not confirmed
     */
    public RestorationOrder draftOrder(Appeal appeal, StoredDirective cancelled, Optional<String> number,
                                       List<String> addressees, String signatory) {
        requireConfirmed(appeal);
        List<Long> about = directiveIds(appeal);
        if (!about.contains(cancelled.id())) {
            throw new RefusedStepException("appeal " + appeal.number() + " is not about directive " + cancelled.number());
        }
        String outgoing = number.orElse(appeal.number() + "-R" + (about.size() == 1 ? "" : about.indexOf(cancelled.id()) + 1));
        List<String> resources = database.repository(TargetRepository.class).findByDirectiveIdOrderByPosition(cancelled.id())
                .stream().map(StoredTarget::value).toList();
        Set<String> links = new LinkedHashSet<>(matching.urlTargetsOnSite(cancelled.id(), appeal.resource()));
        links.addAll(appeal.links());
        return RestorationOrder.draft(appeal, cancelled, new RestorationOrder.Particulars(
                outgoing, resources, List.copyOf(links), addressees, signatory), clock.instant());
    }

    /** Appeals still undecided after their deadline (OVERDUE). */
    public long countOverdue() {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT COUNT(*) FROM appeal WHERE status IN " + AppealStatus.sqlUndecided() + " AND deadline < ?")) {
            select.setTimestamp(1, Timestamp.from(clock.instant()));
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count overdue appeals: " + e.getMessage(), e);
        }
    }

    /** Whether an appeal is undecided after its deadline. */
    public boolean isOverdue(Appeal appeal) {
        return appeal.status().undecided() && appeal.deadline() != null && clock.instant().isAfter(appeal.deadline());
    }

    /**
     * When the restoration order of an appeal whose removal is confirmed is due: the end of the
     * {@code orderWorkingDays}-th working day after the decision. Empty before the decision, once
     * the appeal is RESTORED, and when the calendar lacks the year.
     */
    public Optional<Instant> orderDue(Appeal appeal) {
        if (appeal.status() != AppealStatus.REMOVAL_CONFIRMED) {
            return Optional.empty();
        }
        return orderDue(decidedAt(appeal));
    }

    private Optional<Instant> orderDue(Instant decided) {
        try {
            return Optional.ofNullable(decided).map(at -> calendar.deadline(at, orderWorkingDays).deadline().toInstant());
        } catch (WorkingCalendar.UnknownYearException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether an appeal's removal was confirmed, its order is past due, and some directive of the
     * appeal has no RESTORE naming the appeal yet.
     */
    public boolean isOrderOverdue(Appeal appeal) {
        return orderDue(appeal).filter(due -> clock.instant().isAfter(due)).isPresent()
                && !query("SELECT a.id FROM appeal a WHERE a.id = ? AND " + ORDER_MISSING, appeal.id(),
                        rows -> rows.getLong(1)).isEmpty();
    }

    /** How many appeals' restoration orders are overdue: one query, the due times worked out here. */
    public long countOrdersOverdue() {
        List<Instant> decided = query("SELECT a.decided_at FROM appeal a WHERE a.status = '" + AppealStatus.REMOVAL_CONFIRMED
                + "' AND " + ORDER_MISSING, null, rows -> instant(rows, "decided_at"));
        Instant now = clock.instant();
        return decided.stream().filter(at -> orderDue(at).filter(now::isAfter).isPresent()).count();
    }

    /** When the removal was confirmed: the decision's time, for the restoration order. */
    public Instant decidedAt(Appeal appeal) {
        List<Instant> at = query("SELECT decided_at FROM appeal WHERE id = ?", appeal.id(), rows -> instant(rows, "decided_at"));
        return at.isEmpty() ? null : at.get(0);
    }

    private static void requireConfirmed(Appeal appeal) {
        if (!appeal.status().removalConfirmed()) {
            throw new RefusedStepException("the order is drafted once the removal is confirmed; appeal " + appeal.number()
                    + " is " + appeal.status());
        }
    }

    private static void requireUndecided(Appeal appeal) {
        if (!appeal.status().undecided()) {
            throw new RefusedStepException("appeal " + appeal.number() + " is " + appeal.status() + " already");
        }
    }

    private interface Row<T> {
        T read(ResultSet rows) throws SQLException;
    }

    /** The rows of a query with at most one parameter (an appeal's id, or a number). */
    private <T> List<T> query(String sql, Object parameter, Row<T> row) {
        List<T> found = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            if (parameter != null) {
                select.setObject(1, parameter);
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(row.read(rows));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the appeal's monitoring: " + e.getMessage(), e);
        }
        return found;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
