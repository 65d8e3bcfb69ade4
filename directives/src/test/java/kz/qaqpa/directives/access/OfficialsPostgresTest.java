package kz.qaqpa.directives.access;

import kz.qaqpa.directives.store.RequiresPostgres;
import kz.qaqpa.directives.store.ThrowAwayDatabase;

@RequiresPostgres
class OfficialsPostgresTest extends OfficialsContract {

    @Override
    ThrowAwayDatabase newDatabase() {
        return ThrowAwayDatabase.postgres();
    }
}
