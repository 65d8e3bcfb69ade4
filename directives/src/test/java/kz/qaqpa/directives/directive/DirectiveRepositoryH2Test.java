package kz.qaqpa.directives.directive;

import kz.qaqpa.directives.store.ThrowAwayDatabase;

class DirectiveRepositoryH2Test extends DirectiveRepositoryContract {

    @Override
    ThrowAwayDatabase newDatabase() {
        return ThrowAwayDatabase.h2();
    }
}
