package kz.qaqpa.adapters.outbox;

import kz.qaqpa.directives.store.ThrowAwayDatabase;

class OutboxH2Test extends OutboxContract {

    @Override
    ThrowAwayDatabase newDatabase() {
        return ThrowAwayDatabase.h2();
    }
}
