package kz.qaqpa.directives.directive;

import kz.qaqpa.directives.store.ThrowAwayDatabase;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

@EnabledIfEnvironmentVariable(named = ThrowAwayDatabase.PG_URL_VARIABLE, matches = ".+",
        disabledReason = ThrowAwayDatabase.PG_SKIP_REASON)
class DirectiveRepositoryPostgresTest extends DirectiveRepositoryContract {

    @Override
    ThrowAwayDatabase newDatabase() {
        return ThrowAwayDatabase.postgres();
    }
}
