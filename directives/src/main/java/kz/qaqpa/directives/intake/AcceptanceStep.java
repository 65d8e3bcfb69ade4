package kz.qaqpa.directives.intake;

import java.sql.Connection;
import java.sql.SQLException;
import kz.qaqpa.directives.directive.StoredDirective;
import kz.qaqpa.directives.document.DirectiveDocument;

/**
 * Work that belongs to accepting a directive and is done in the same transaction, after its
 * blocklist changes (the blocklist head is locked, so steps run in commit order): queueing its
 * deliveries to the recipients. A step may refuse the directive with a
 * {@link DirectiveRejectedException}; then nothing of it is stored.
 */
@FunctionalInterface
public interface AcceptanceStep {

    AcceptanceStep NONE = (connection, directive, document) -> { };

    void accepted(Connection connection, StoredDirective directive, DirectiveDocument document) throws SQLException;

    /** These steps, one after the other. */
    static AcceptanceStep all(AcceptanceStep... steps) {
        return (connection, directive, document) -> {
            for (AcceptanceStep step : steps) {
                step.accepted(connection, directive, document);
            }
        };
    }
}
