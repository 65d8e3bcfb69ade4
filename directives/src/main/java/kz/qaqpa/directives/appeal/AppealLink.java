package kz.qaqpa.directives.appeal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import kz.qaqpa.directives.directive.Action;
import kz.qaqpa.directives.directive.StoredDirective;
import kz.qaqpa.directives.document.DirectiveDocument;
import kz.qaqpa.directives.intake.AcceptanceStep;
import kz.qaqpa.directives.intake.DirectiveRejectedException;
import kz.qaqpa.directives.intake.DirectiveRejectedException.Reason;

/**
 * A RESTORE that names an appeal is accepted only when that appeal exists, its removal is confirmed,
 * and it is about the very directive the RESTORE cancels — one of them, for an appeal about several
 * (seed 003 §6: the order follows the confirmation). The directive keeps the appeal's number; the
 * appeal becomes RESTORED once every recipient has acknowledged a RESTORE for each of its directives.
 */
public final class AppealLink implements AcceptanceStep {

    @Override
    public void accepted(Connection connection, StoredDirective directive, DirectiveDocument document) throws SQLException {
        if (directive.action() != Action.RESTORE || document.appeal().isEmpty()) {
            return;
        }
        String number = document.appeal().get();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, status, directive_id FROM appeal WHERE number = ? FOR UPDATE")) {
            select.setString(1, number);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new DirectiveRejectedException(Reason.APPEAL_MISMATCH, "there is no appeal " + number);
                }
                AppealStatus status = AppealStatus.valueOf(row.getString("status"));
                if (status != AppealStatus.REMOVAL_CONFIRMED) {
                    throw new DirectiveRejectedException(Reason.APPEAL_MISMATCH, "appeal " + number + " is "
                            + status + ", not " + AppealStatus.REMOVAL_CONFIRMED);
                }
                if (directive.cancelsId() == null || !about(connection, row.getLong("id"), row.getLong("directive_id"),
                        directive.cancelsId())) {
                    throw new DirectiveRejectedException(Reason.APPEAL_MISMATCH, "appeal " + number
                            + " is about another directive than the one this RESTORE cancels");
                }
            }
        }
    }

    /** Whether the appeal is about the directive: the one it matched first, or one it was linked to as well. */
    private static boolean about(Connection connection, long appealId, long firstId, long directiveId) throws SQLException {
        if (firstId == directiveId) {
            return true;
        }
        try (PreparedStatement further = connection.prepareStatement(
                "SELECT 1 FROM appeal_further_directive WHERE appeal_id = ? AND directive_id = ?")) {
            further.setLong(1, appealId);
            further.setLong(2, directiveId);
            try (ResultSet row = further.executeQuery()) {
                return row.next();
            }
        }
    }
}
