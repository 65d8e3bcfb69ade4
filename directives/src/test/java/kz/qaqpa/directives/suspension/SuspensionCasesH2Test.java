package kz.qaqpa.directives.suspension;

import kz.qaqpa.directives.store.ThrowAwayDatabase;

class SuspensionCasesH2Test extends SuspensionCasesContract {

    @Override
    ThrowAwayDatabase newDatabase() {
        return ThrowAwayDatabase.h2();
    }
}
