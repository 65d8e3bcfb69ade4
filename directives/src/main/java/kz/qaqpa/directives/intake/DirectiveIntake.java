package kz.qaqpa.directives.intake;

import static kz.qaqpa.directives.store.ColumnInsert.column;
import static kz.qaqpa.directives.store.ColumnInsert.shared;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.data.exceptions.DataAccessException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import kz.qaqpa.blocklist.model.BlocklistKey;
import kz.qaqpa.blocklist.model.Operation;
import kz.qaqpa.blocklist.model.Sha256;
import kz.qaqpa.directives.audit.AuditEntry;
import kz.qaqpa.directives.audit.AuditLog;
import kz.qaqpa.directives.blocklist.ChangeLog;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.directive.Action;
import kz.qaqpa.directives.directive.CourtDecisionRepository;
import kz.qaqpa.directives.directive.DirectiveRepository;
import kz.qaqpa.directives.directive.DirectiveStatus;
import kz.qaqpa.directives.directive.StoredCourtDecision;
import kz.qaqpa.directives.directive.StoredDirective;
import kz.qaqpa.directives.directive.StoredTarget;
import kz.qaqpa.directives.directive.TargetRepository;
import kz.qaqpa.directives.document.DirectiveDocument.CancelledDirective;
import kz.qaqpa.directives.document.DirectiveDocument;
import kz.qaqpa.directives.document.DirectiveParser;
import kz.qaqpa.directives.document.TargetEntry;
import kz.qaqpa.directives.intake.DirectiveRejectedException.Reason;
import kz.qaqpa.directives.signature.DirectiveKind;
import kz.qaqpa.directives.signature.SignatureVerifier;
import kz.qaqpa.directives.signature.VerifiedDocument;
import kz.qaqpa.directives.store.ColumnInsert;
import kz.qaqpa.directives.store.ColumnInsert.Type;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.store.GroupCommit;
import kz.qaqpa.directives.targets.CollateralGuard;
import kz.qaqpa.directives.targets.DomainTarget;
import kz.qaqpa.directives.targets.Target;
import kz.qaqpa.directives.targets.UrlTarget;

/**
 * The authorised body's way in: verifies a signed directive, checks it against the rules, and
 * stores it — the directive, its targets, the cancellation it orders and its audit record — in one
 * transaction, so that it is either wholly accepted or not at all.
 *
 * <p>A target stays restricted while any active RESTRICT names it: a RESTORE cancels one directive,
 * and lifts only those of its targets that no other active directive still names.
 *
 * <p>Resubmission: the same document under the same number is accepted again as it was (the
 * sender may not know the first attempt succeeded); another document under a used number is a
 * conflict. Two submissions racing for one number are settled by the unique constraint, two
 * RESTOREs racing for one directive by a conditional update.
 *
 * <p>Directives are checked (signature, document) on their callers' threads, side by side, and
 * stored by a {@link GroupCommit}: those that arrive together share one transaction, each behind its
 * own savepoint, so that one refused does not refuse the others, and none is answered before the
 * transaction is on the disk.
 */
public final class DirectiveIntake {

    private static final String UNIQUE_VIOLATION = "23505";
    /** Directives stored in one transaction at most: a few clients' worth, far below a statement's limits. */
    private static final int MAX_BATCH = 64;
    private static final String SUCCESSORS = """
            SELECT e.key_sha256, MIN(d.id) AS successor
            FROM blocklist_entry e
            JOIN directive_target o ON o.key_sha256 = e.key_sha256 AND o.target_key = e.target_key
            JOIN directive d ON d.id = o.directive_id
            WHERE e.directive_id = ? AND d.id <> ? AND d.action = 'RESTRICT' AND d.status = 'ACTIVE'
            GROUP BY e.key_sha256
            ORDER BY e.key_sha256""";
    private static final ColumnInsert INSERT_TARGETS = ColumnInsert.into("directive_target",
            shared("directive_id", Type.BIGINT), column("position", Type.INTEGER), column("kind", Type.VARCHAR),
            column("target_key", Type.VARCHAR), column("key_sha256", Type.VARCHAR), column("target_value", Type.VARCHAR),
            column("include_subdomains", Type.BOOLEAN), column("host_hint", Type.VARCHAR),
            column("original", Type.VARCHAR), column("collateral", Type.VARCHAR));

    private final SignatureVerifier verifier;
    private final DirectiveParser parser;
    private final AuditLog audit;
    private final Clock clock;
    private final DirectiveRepository directives;
    private final TargetRepository targets;
    private final CourtDecisionRepository courtDecisions;
    private final AcceptanceStep step;
    private final GroupCommit commits;

    public DirectiveIntake(Database database, SignatureVerifier verifier, DirectiveParser parser, Clock clock) {
        this(database, verifier, parser, clock, AcceptanceStep.NONE);
    }

    /** @param step work done in the accepting transaction, such as queueing deliveries */
    public DirectiveIntake(Database database, SignatureVerifier verifier, DirectiveParser parser, Clock clock,
                           AcceptanceStep step) {
        this.step = step;
        this.verifier = verifier;
        this.parser = parser;
        this.audit = new AuditLog(clock);
        this.clock = clock;
        this.directives = database.repository(DirectiveRepository.class);
        this.targets = database.repository(TargetRepository.class);
        this.courtDecisions = database.repository(CourtDecisionRepository.class);
        this.commits = new GroupCommit(database, MAX_BATCH);
    }

    /** Counts the intake's transactions and the submissions answered from them: their ratio is the mean group. */
    public DirectiveIntake bindMetrics(MeterRegistry metrics) {
        FunctionCounter.builder("qaqpa_intake_transactions", commits, GroupCommit::transactions)
                .description("Transactions the intake committed or tried, each holding one or more directives")
                .register(metrics);
        FunctionCounter.builder("qaqpa_intake_committed", commits, GroupCommit::committed)
                .description("Submissions answered from a committed transaction: stored, or found stored already")
                .register(metrics);
        Gauge.builder("qaqpa_intake_waiting", commits, GroupCommit::waiting)
                .description("Checked directives waiting for the transaction that stores them")
                .register(metrics);
        return this;
    }

    /**
     * Accepts a signed directive.
     *
     * @throws kz.qaqpa.directives.signature.SignatureRejectedException when the signature fails
     * @throws kz.qaqpa.directives.document.InvalidDocumentException    when the document is malformed
     * @throws DirectiveRejectedException                               when the rules forbid it
     */
    public IntakeResult submit(Submission submission) {
        VerifiedDocument verified = submission.detachedDocument()
                .map(document -> verifier.verifyDetached(document, submission.signature()))
                .orElseGet(() -> verifier.verifyAttached(submission.signature()));
        DirectiveDocument document = parser.parse(verified.content());
        String documentSha256 = Sha256.hex(verified.content());

        try {
            return commits.inTransaction(connection -> {
                // In the transaction: on the embedded store its one connection may be the batch's.
                Optional<StoredDirective> earlier = directives.findByAuthorityBinAndNumber(document.authority().bin(),
                        document.number());
                return earlier.isPresent()
                        ? repeat(earlier.get(), documentSha256)
                        : store(connection, verified, document, documentSha256, submission.submittedBy(), "DIRECTIVE_ACCEPTED");
            });
        } catch (DataAccessException e) {
            if (!isUniqueViolation(e)) {
                throw e;
            }
            // Another submission of this number committed first.
            return repeat(directives.findByAuthorityBinAndNumber(document.authority().bin(), document.number())
                    .orElseThrow(() -> e), documentSha256);
        }
    }

    private IntakeResult repeat(StoredDirective earlier, String documentSha256) {
        if (!earlier.documentSha256().equals(documentSha256)) {
            throw new DirectiveRejectedException(Reason.NUMBER_REUSED, "directive number " + earlier.number()
                    + " of this authority was accepted on " + earlier.receivedAt() + " with another document");
        }
        return new IntakeResult(false, earlier, Optional.empty());
    }

    /**
     * Accepts the RESTORE the gateway itself made and signed when a RESTRICT's period ended
     * ({@link DirectiveExpiry}): checked and stored as any RESTORE, its audit record DIRECTIVE_EXPIRED.
     *
     * @throws DirectiveRejectedException when the directive was cancelled meanwhile, or the rules forbid it
     */
    IntakeResult expire(VerifiedDocument restore, String submittedBy) {
        DirectiveDocument document = parser.parse(restore.content());
        String documentSha256 = Sha256.hex(restore.content());
        return commits.inTransaction(connection -> store(connection, restore, document, documentSha256, submittedBy,
                "DIRECTIVE_EXPIRED"));
    }

    private IntakeResult store(Connection connection, VerifiedDocument verified, DirectiveDocument document,
                               String documentSha256, String submittedBy, String event) {
        Optional<StoredDirective> cancelled = document.action() == Action.RESTORE
                ? Optional.of(cancelledDirective(document))
                : Optional.empty();
        DirectiveKind kind = DirectiveKind.of(document, cancelled.map(StoredDirective::document).orElse(null));
        if (!verified.scope().contains(kind)) {
            throw new DirectiveRejectedException(Reason.OUTSIDE_SIGNER_SCOPE, "the signer " + verified.signer().subject()
                    + " may sign " + verified.scope().stream().sorted().toList() + "; this directive is a " + kind);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        // A suspension that does not restrict access (restrictAccess: false) keeps its names in its
        // cases only: nothing of it is on the list, so no other directive's target is shadowed by it.
        List<TargetEntry> restricted = document.restrictsAccess() ? document.targets() : List.of();
        StoredDirective saved = directives.save(new StoredDirective(null,
                document.authority().bin(), document.authority().name(), document.number(), document.action(),
                document.issuedAt().toInstant(), document.legalBasis(), DirectiveStatus.ACTIVE,
                cancelled.map(StoredDirective::id).orElse(null), null, document.appeal().orElse(null),
                restricted.size(), verified.content(), verified.signature(), documentSha256,
                verified.signer().subject(), verified.signer().serialNumber(),
                verified.signingTime().truncatedTo(ChronoUnit.MICROS), now, submittedBy, null,
                document.validUntil().map(OffsetDateTime::toInstant).orElse(null),
                document.domainBan().map(ban -> ban.kind().name()).orElse(null),
                document.domainBan().map(ban -> ban.until().toInstant()).orElse(null)));
        document.courtDecision().ifPresent(decision -> courtDecisions.save(new StoredCourtDecision(saved.id(),
                decision.court(), decision.number(), decision.date())));

        try {
            List<StoredTarget> savedTargets = insertTargets(connection, saved.id(), rows(saved.id(), restricted));
            // Decide what changes only once the head is ours: another intake's changes are then
            // committed and visible, so no target is added or lifted twice.
            long serial = ChangeLog.lockHead(connection);
            BlocklistEffect effect;
            if (cancelled.isPresent()) {
                if (directives.cancel(cancelled.get().id(), saved.id()) == 0) {
                    throw new DirectiveRejectedException(Reason.ALREADY_CANCELLED,
                            "directive " + cancelled.get().number() + " was cancelled meanwhile");
                }
                List<StoredTarget> cancelledTargets = targets.findByDirectiveIdOrderByPosition(cancelled.get().id());
                List<String> still = directives.keysRestrictedElsewhere(cancelled.get().id());
                List<StoredTarget> lifted = without(cancelledTargets, still);
                effect = new BlocklistEffect(List.of(), List.of(), keys(lifted), still);
                serial = ChangeLog.append(connection, serial, Operation.REMOVE, lifted, saved.id(), now);
                // What stays restricted but was enforced under the cancelled directive is cited
                // under another one from now on, so no answer names a cancelled directive.
                for (var successor : successors(connection, cancelled.get().id(), cancelledTargets).entrySet()) {
                    serial = ChangeLog.append(connection, serial, Operation.UPDATE,
                            successor.getValue(), successor.getKey(), now);
                }
            } else {
                // What the set holds is what other active RESTRICTs name: asked of the set's
                // entries, by key, rather than of every directive's targets.
                Set<String> inSet = ChangeLog.restrictedAmong(connection, keys(savedTargets));
                List<String> already = keys(savedTargets).stream().filter(inSet::contains).toList();
                List<StoredTarget> added = without(savedTargets, already);
                effect = new BlocklistEffect(keys(added), already, List.of(), List.of());
                serial = ChangeLog.append(connection, serial, Operation.ADD, added, saved.id(), now);
            }
            directives.setBlocklistSerial(saved.id(), serial);
            step.accepted(connection, saved.withBlocklistSerial(serial), document);
            audit.append(connection, new AuditEntry(event, Optional.of(saved.id()),
                    Optional.of(verified.signer()), Optional.of(verified.signingTime()), Optional.of(documentSha256),
                    submittedBy, document.action() + " " + document.number() + " of "
                    + document.authority().bin() + cancelled.map(c -> " cancelling " + c.number()).orElse("")
                    + " at blocklist serial " + serial));
            return new IntakeResult(true, saved.withBlocklistSerial(serial), Optional.of(effect));
        } catch (SQLException e) {
            throw new DataAccessException("cannot record the change of the blocklist: " + e.getMessage(), e);
        }
    }

    /**
     * The targets of {@code cancelled} that are enforced under it and still named by another
     * active RESTRICT, grouped by the earliest such directive, which they are to be cited under.
     */
    private static Map<Long, List<StoredTarget>> successors(Connection connection, long cancelled,
                                                            List<StoredTarget> cancelledTargets) throws SQLException {
        Map<String, StoredTarget> byKey = new HashMap<>();
        cancelledTargets.forEach(target -> byKey.put(target.keySha256(), target));
        Map<Long, List<StoredTarget>> successors = new TreeMap<>();
        try (PreparedStatement query = connection.prepareStatement(SUCCESSORS)) {
            query.setLong(1, cancelled);
            query.setLong(2, cancelled);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    successors.computeIfAbsent(rows.getLong("successor"), id -> new ArrayList<>())
                            .add(byKey.get(rows.getString("key_sha256")));
                }
            }
        }
        return successors;
    }

    private StoredDirective cancelledDirective(DirectiveDocument restore) {
        CancelledDirective cancels = restore.cancels().orElseThrow();
        Optional<StoredDirective> found = directives.findByAuthorityBinAndNumber(restore.authority().bin(), cancels.number());
        if (found.isEmpty()) {
            boolean foreign = !directives.findByNumber(cancels.number()).isEmpty();
            throw foreign
                    ? new DirectiveRejectedException(Reason.CANCELLED_FOREIGN, "directive " + cancels.number()
                            + " was issued by another authority; only its issuer may cancel it")
                    : new DirectiveRejectedException(Reason.CANCELLED_UNKNOWN, "this authority has no directive "
                            + cancels.number());
        }
        StoredDirective cancelled = found.get();
        // Directives are dated in Kazakhstan's time.
        LocalDate issued = cancelled.issuedAt().atOffset(WorkingCalendar.ALMATY).toLocalDate();
        if (!issued.equals(cancels.date())) {
            throw new DirectiveRejectedException(Reason.CANCELLED_DATE_MISMATCH, "directive " + cancels.number()
                    + " is dated " + issued + ", not " + cancels.date());
        }
        if (cancelled.action() != Action.RESTRICT) {
            throw new DirectiveRejectedException(Reason.NOT_A_RESTRICTION, "directive " + cancels.number()
                    + " is a RESTORE; only a RESTRICT can be cancelled");
        }
        if (cancelled.status() != DirectiveStatus.ACTIVE) {
            throw new DirectiveRejectedException(Reason.ALREADY_CANCELLED, "directive " + cancels.number()
                    + " is cancelled already");
        }
        // A restriction a court ordered is lifted by a court, not upon an appeal under the Rules of
        // restoration (seed 002 art. 21; seed 003 applies to directives of the authority's own).
        Optional<StoredCourtDecision> court = courtDecisions.findById(cancelled.id());
        if (court.isPresent() && (restore.courtDecision().isEmpty() || restore.appeal().isPresent())) {
            throw new DirectiveRejectedException(Reason.COURT_DECISION_REQUIRED, "directive " + cancels.number()
                    + " executes decision No " + court.get().decisionNumber() + " of " + court.get().court() + " of "
                    + court.get().decidedOn() + ": a RESTORE lifting it cites a court decision (courtDecision)"
                    + " and no appeal");
        }
        if (!restore.targets().isEmpty()) {
            Set<String> named = new HashSet<>();
            restore.targets().forEach(entry -> named.add(entry.target().key()));
            Set<String> restricted = new HashSet<>();
            targets.findByDirectiveIdOrderByPosition(cancelled.id()).forEach(target -> restricted.add(target.targetKey()));
            if (!named.equals(restricted)) {
                throw new DirectiveRejectedException(Reason.RESTORE_TARGETS_MISMATCH, "the targets listed differ from"
                        + " those of directive " + cancels.number() + "; list all of them, or none");
            }
        }
        return cancelled;
    }

    private static List<StoredTarget> rows(long directiveId, List<TargetEntry> entries) {
        List<StoredTarget> rows = new ArrayList<>(entries.size());
        for (int position = 0; position < entries.size(); position++) {
            Target target = entries.get(position).target();
            String host = target instanceof UrlTarget url ? url.host() : null;
            boolean subdomains = target instanceof DomainTarget domain && domain.includeSubdomains();
            rows.add(new StoredTarget(null, directiveId, position, target.kind(), target.key(),
                    BlocklistKey.sha256(target.key()), target.value(), subdomains, host, entries.get(position).original(),
                    entries.get(position).acknowledged().map(CollateralGuard.Rule::label).orElse(null)));
        }
        return rows;
    }

    /**
     * Inserts a directive's targets in one statement ({@link ColumnInsert}): no generated id is
     * asked for, nothing here needs one.
     */
    private static List<StoredTarget> insertTargets(Connection connection, long directiveId, List<StoredTarget> rows)
            throws SQLException {
        ColumnInsert.Rows insert = INSERT_TARGETS.rows();
        for (StoredTarget row : rows) {
            insert.add(row.position(), row.kind().name(), row.targetKey(), row.keySha256(), row.value(),
                    row.includeSubdomains(), row.hostHint(), row.original(), row.collateral());
        }
        insert.insert(connection, directiveId);
        return rows;
    }

    /** The targets whose keys are not among {@code kept}. */
    private static List<StoredTarget> without(List<StoredTarget> all, List<String> kept) {
        Set<String> keep = new HashSet<>(kept);
        return all.stream().filter(target -> !keep.contains(target.targetKey())).toList();
    }

    private static List<String> keys(List<StoredTarget> targets) {
        return targets.stream().map(StoredTarget::targetKey).toList();
    }

    static boolean isUniqueViolation(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
