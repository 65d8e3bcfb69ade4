package kz.qaqpa.directives.directive;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

/** The targets of stored directives. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface TargetRepository extends CrudRepository<StoredTarget, Long> {

    List<StoredTarget> findByDirectiveIdOrderByPosition(long directiveId);
}
