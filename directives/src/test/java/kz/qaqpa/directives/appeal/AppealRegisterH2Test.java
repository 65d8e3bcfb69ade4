package kz.qaqpa.directives.appeal;

import kz.qaqpa.directives.store.ThrowAwayDatabase;

class AppealRegisterH2Test extends AppealRegisterContract {

    @Override
    ThrowAwayDatabase newDatabase() {
        return ThrowAwayDatabase.h2();
    }
}
