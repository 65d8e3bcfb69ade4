package kz.qaqpa.directives.appeal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import kz.qaqpa.directives.audit.AuditEntry;
import kz.qaqpa.directives.audit.AuditLog;
import kz.qaqpa.directives.store.Database;

/**
 * Removes the personal data of appeals closed longer ago than the retention period (seed 002
 * art. 44: kept no longer than their purpose needs): the appellant's name, identification number
 * or foreign document, organisation, representative, e-mail address, message and signature, and
 * the addresses and texts of the notices mailed to them. What the appeal was about stays — the
 * resource, the directive, the links, the probes, findings and decision — and the removal is
 * recorded in the audit log.
 */
public final class AppealRetention {

    private final Database database;
    private final Clock clock;
    private final AuditLog audit;

    public AppealRetention(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.audit = new AuditLog(clock);
    }

    /**
     * Depersonalises every appeal closed before now minus {@code keep}, in one transaction with
     * its audit record.
     *
     * @return how many appeals were depersonalised
     */
    public int depersonalise(Duration keep) {
        Instant now = clock.instant();
        Instant closedBefore = now.minus(keep);
        return database.inTransaction(connection -> {
            try (PreparedStatement notices = connection.prepareStatement("""
                    UPDATE appeal_notice SET recipient = '', body = ''
                    WHERE appeal_id IN (SELECT id FROM appeal WHERE closed_at < ? AND depersonalised_at IS NULL)""");
                 PreparedStatement attachments = connection.prepareStatement("""
                         UPDATE appeal_attachment SET name = '', content = NULL
                         WHERE appeal_id IN (SELECT id FROM appeal WHERE closed_at < ? AND depersonalised_at IS NULL)""");
                 PreparedStatement appeals = connection.prepareStatement("""
                         UPDATE appeal SET person_name = NULL, iin = NULL, organisation_name = NULL, bin = NULL,
                                           representative = NULL, email = '', message = NULL, signature = NULL,
                                           foreign_document_type = NULL, foreign_document_number = NULL,
                                           foreign_document_country = NULL,
                                           depersonalised_at = ?
                         WHERE closed_at < ? AND depersonalised_at IS NULL""")) {
                notices.setTimestamp(1, Timestamp.from(closedBefore));
                notices.executeUpdate();
                attachments.setTimestamp(1, Timestamp.from(closedBefore));
                attachments.executeUpdate();
                appeals.setTimestamp(1, Timestamp.from(now));
                appeals.setTimestamp(2, Timestamp.from(closedBefore));
                int depersonalised = appeals.executeUpdate();
                if (depersonalised > 0) {
                    audit.append(connection, new AuditEntry("APPEALS_DEPERSONALISED", Optional.empty(), Optional.empty(),
                            Optional.empty(), Optional.empty(), "retention", depersonalised + " appeals closed before "
                            + closedBefore + ": names, identification numbers, e-mail addresses, messages and"
                            + " signatures removed, and the notices mailed to them and the files attached (their hashes kept)"));
                }
                return depersonalised;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot depersonalise closed appeals: " + e.getMessage(), e);
            }
        });
    }
}
