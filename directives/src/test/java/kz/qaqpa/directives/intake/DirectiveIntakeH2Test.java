package kz.qaqpa.directives.intake;

import kz.qaqpa.directives.store.ThrowAwayDatabase;

class DirectiveIntakeH2Test extends DirectiveIntakeContract {

    @Override
    ThrowAwayDatabase newDatabase() {
        return ThrowAwayDatabase.h2();
    }
}
