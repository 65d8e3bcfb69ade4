package kz.qaqpa.directives.directive;

import kz.qaqpa.directives.store.RequiresPostgres;
import kz.qaqpa.directives.store.ThrowAwayDatabase;

@RequiresPostgres
class DirectiveRepositoryPostgresTest extends DirectiveRepositoryContract {

    @Override
    ThrowAwayDatabase newDatabase() {
        return ThrowAwayDatabase.postgres();
    }
}
