package kz.qaqpa.directives.store;

class ColumnInsertH2Test extends ColumnInsertContract {

    @Override
    ThrowAwayDatabase newDatabase() {
        return ThrowAwayDatabase.h2();
    }
}
