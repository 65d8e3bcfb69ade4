package kz.qaqpa.directives.access;

import kz.qaqpa.directives.store.ThrowAwayDatabase;

class OfficialsH2Test extends OfficialsContract {

    @Override
    ThrowAwayDatabase newDatabase() {
        return ThrowAwayDatabase.h2();
    }
}
