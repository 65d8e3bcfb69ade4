package kz.qaqpa.directives.directive;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

/** Court decisions of stored directives, by directive id. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface CourtDecisionRepository extends CrudRepository<StoredCourtDecision, Long> {
}
