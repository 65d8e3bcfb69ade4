package kz.qaqpa.directives.directive;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.LocalDate;

/** The court decision a stored directive executes, or (a RESTORE) cites. */
@MappedEntity("directive_court_decision")
public record StoredCourtDecision(@Id long directiveId, String court, String decisionNumber, LocalDate decidedOn) {
}
