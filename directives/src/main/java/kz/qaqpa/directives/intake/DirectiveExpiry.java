package kz.qaqpa.directives.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.directive.CourtDecisionRepository;
import kz.qaqpa.directives.directive.DirectiveRepository;
import kz.qaqpa.directives.directive.StoredCourtDecision;
import kz.qaqpa.directives.directive.StoredDirective;
import kz.qaqpa.directives.document.AuthorityNames;
import kz.qaqpa.directives.document.DirectiveDocument;
import kz.qaqpa.directives.intake.DirectiveRejectedException.Reason;
import kz.qaqpa.directives.signature.DirectiveKind;
import kz.qaqpa.directives.signature.DocumentSigner;
import kz.qaqpa.directives.signature.SignerIdentity;
import kz.qaqpa.directives.signature.VerifiedDocument;
import kz.qaqpa.directives.store.Database;

/**
 * Lifts a restriction for a period when its time is up (a directive's {@code validUntil} or
 * {@code restrictFor}; seed 002 art. 21: a ban for up to three months). Nobody has to sign a RESTORE
 * for it: the gateway makes one — numbered {@code EXP-<id>}, dated the end of the period, to every
 * recipient, citing the expired directive (and the court decision, when a court ordered it) — signs
 * it with its own key and accepts it through the intake like any RESTORE, so the change log, the
 * deliveries and the audit record (DIRECTIVE_EXPIRED) follow, and what another directive still
 * names stays restricted. Two gateways expiring one directive at once: one wins, the other finds it
 * cancelled.
 */
public final class DirectiveExpiry {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Directives lifted in one run at most; the rest in the next. */
    private static final int BATCH = 100;

    private final Database database;
    private final DirectiveIntake intake;
    private final DocumentSigner gateway;
    private final Clock clock;

    /** @param gateway the gateway's own key, which signs the RESTOREs it makes */
    public DirectiveExpiry(Database database, DirectiveIntake intake, DocumentSigner gateway, Clock clock) {
        this.database = database;
        this.intake = intake;
        this.gateway = gateway;
        this.clock = clock;
    }

    /**
     * Lifts every active RESTRICT whose period has ended.
     *
     * @return the RESTOREs accepted
     */
    public List<IntakeResult> expireDue() {
        List<IntakeResult> lifted = new ArrayList<>();
        DirectiveRepository directives = database.repository(DirectiveRepository.class);
        for (long id : due()) {
            Optional<StoredDirective> directive = directives.findById(id);
            if (directive.isEmpty()) {
                continue;
            }
            try {
                lifted.add(intake.expire(signed(restore(directive.get())), "gateway: the period of directive "
                        + directive.get().number() + " ended at " + directive.get().expiresAt()));
            } catch (DirectiveRejectedException e) {
                if (e.reason() != Reason.ALREADY_CANCELLED && e.reason() != Reason.NUMBER_REUSED) {
                    throw e;
                }
                // The authority, or another gateway, was first.
            } catch (io.micronaut.data.exceptions.DataAccessException e) {
                if (!DirectiveIntake.isUniqueViolation(e)) {
                    throw e;
                }
            }
        }
        return lifted;
    }

    private List<Long> due() {
        List<Long> ids = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     SELECT id FROM directive WHERE action = 'RESTRICT' AND status = 'ACTIVE' AND expires_at <= ?
                     ORDER BY expires_at, id LIMIT %d""".formatted(BATCH))) {
            select.setTimestamp(1, Timestamp.from(clock.instant()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the directives whose period ended: " + e.getMessage(), e);
        }
        return ids;
    }

    /** The RESTORE of an expired RESTRICT, as the gateway writes it. */
    private byte[] restore(StoredDirective expired) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", DirectiveDocument.SCHEMA);
        root.put("number", "EXP-" + expired.id());
        Instant ended = expired.expiresAt().truncatedTo(ChronoUnit.SECONDS);
        root.put("issuedAt", ended.atOffset(WorkingCalendar.ALMATY).toString());
        AuthorityNames.copy(expired.document(),
                root.putObject("authority").put("name", expired.authorityName()).put("bin", expired.authorityBin()));
        root.put("action", "RESTORE");
        root.put("legalBasis", expired.legalBasis());
        root.putObject("cancels").put("number", expired.number())
                .put("date", expired.issuedAt().atOffset(WorkingCalendar.ALMATY).toLocalDate().toString());
        root.put("recipients", "ALL");
        String until = ended.atOffset(WorkingCalendar.ALMATY).toString();
        root.put("reason", "№ " + expired.number() + " нұсқамасымен белгіленген шектеу мерзімі " + until
                + " аяқталды / срок ограничения, установленный предписанием № " + expired.number() + ", истёк " + until);
        Optional<StoredCourtDecision> court = database.repository(CourtDecisionRepository.class).findById(expired.id());
        court.ifPresent(decision -> root.putObject("courtDecision").put("court", decision.court())
                .put("number", decision.decisionNumber()).put("date", decision.decidedOn().toString()));
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private VerifiedDocument signed(byte[] document) {
        // The gateway signs only the RESTORE that ends what expired: a restriction's or a suspension's.
        return new VerifiedDocument(document, gateway.sign(document, true), SignerIdentity.of(gateway.certificate()),
                clock.instant(), EnumSet.of(DirectiveKind.RESTORATION, DirectiveKind.DOMAIN_SUSPENSION));
    }
}
