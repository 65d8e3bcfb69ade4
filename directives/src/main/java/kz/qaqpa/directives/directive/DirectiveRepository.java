package kz.qaqpa.directives.directive;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.Optional;

/**
 * Stored directives. Compiled for PostgreSQL; H2 runs the same SQL in PostgreSQL mode, so one
 * repository serves both databases.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface DirectiveRepository extends CrudRepository<StoredDirective, Long> {

    Optional<StoredDirective> findByAuthorityBinAndNumber(String authorityBin, String number);
}
