package kz.qaqpa.directives.store;

@RequiresPostgres
class ColumnInsertPostgresTest extends ColumnInsertContract {

    @Override
    ThrowAwayDatabase newDatabase() {
        return ThrowAwayDatabase.postgres();
    }
}
