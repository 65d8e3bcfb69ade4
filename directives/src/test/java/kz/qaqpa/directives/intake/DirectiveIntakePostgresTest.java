package kz.qaqpa.directives.intake;

import kz.qaqpa.directives.store.RequiresPostgres;
import kz.qaqpa.directives.store.ThrowAwayDatabase;

@RequiresPostgres
class DirectiveIntakePostgresTest extends DirectiveIntakeContract {

    @Override
    ThrowAwayDatabase newDatabase() {
        return ThrowAwayDatabase.postgres();
    }
}
