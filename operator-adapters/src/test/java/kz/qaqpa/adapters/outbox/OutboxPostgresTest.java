package kz.qaqpa.adapters.outbox;

import kz.qaqpa.directives.store.RequiresPostgres;
import kz.qaqpa.directives.store.ThrowAwayDatabase;

@RequiresPostgres
class OutboxPostgresTest extends OutboxContract {

    @Override
    ThrowAwayDatabase newDatabase() {
        return ThrowAwayDatabase.postgres();
    }
}
