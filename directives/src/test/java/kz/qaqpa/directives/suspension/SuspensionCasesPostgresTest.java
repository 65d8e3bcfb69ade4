package kz.qaqpa.directives.suspension;

import kz.qaqpa.directives.store.RequiresPostgres;
import kz.qaqpa.directives.store.ThrowAwayDatabase;

@RequiresPostgres
class SuspensionCasesPostgresTest extends SuspensionCasesContract {

    @Override
    ThrowAwayDatabase newDatabase() {
        return ThrowAwayDatabase.postgres();
    }
}
