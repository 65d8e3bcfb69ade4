package kz.qaqpa.directives.store;

import static kz.qaqpa.directives.store.ColumnInsert.column;
import static kz.qaqpa.directives.store.ColumnInsert.shared;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import kz.qaqpa.directives.store.ColumnInsert.Type;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rows written column by column arrive whole, in every statement a large set is split into, with
 * text a driver must escape inside an array and the values shared by all rows.
 */
abstract class ColumnInsertContract {

    private static final ColumnInsert SAMPLE = ColumnInsert.into("sample",
            column("id", Type.BIGINT), shared("batch", Type.BIGINT), column("n", Type.INTEGER),
            column("name", Type.VARCHAR), column("flag", Type.BOOLEAN), shared("at", Type.TIMESTAMPTZ));
    /** Text that means something else inside an array literal, or nothing at all. */
    private static final List<String> AWKWARD = List.of("NULL", "a,b", "{x}", "back\\slash", "quote\"d", "'single'",
            "Қазақстан", " spaced ", "");

    private ThrowAwayDatabase throwAway;
    private Database database;

    abstract ThrowAwayDatabase newDatabase();

    @BeforeEach
    void open() throws SQLException {
        throwAway = newDatabase();
        database = Database.open(throwAway.settings(), new SimpleMeterRegistry());
        try (Connection connection = database.dataSource().getConnection(); Statement create = connection.createStatement()) {
            create.execute("""
                    CREATE TABLE sample (id BIGINT PRIMARY KEY, batch BIGINT NOT NULL, n INTEGER, name VARCHAR(40),
                                         flag BOOLEAN, at TIMESTAMP WITH TIME ZONE NOT NULL)""");
        }
    }

    @AfterEach
    void close() throws Exception {
        database.close();
        throwAway.close();
    }

    @Test
    void moreRowsThanOneStatementTakesAreAllWrittenWithTheirValues() throws SQLException {
        int count = 25_001; // three statements
        ColumnInsert.Rows rows = SAMPLE.rows();
        for (int i = 0; i < count; i++) {
            rows.add((long) i, i % 7 == 0 ? null : i, AWKWARD.get(i % AWKWARD.size()), i % 2 == 0);
        }
        rows.add(-1L, null, null, null);
        Instant at = Instant.parse("2026-12-05T10:15:30.123456Z");

        int inserted = database.inTransaction(connection -> {
            try {
                return rows.insert(connection, 42L, OffsetDateTime.ofInstant(at, ZoneOffset.ofHours(5)));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(inserted).isEqualTo(count + 1);
        List<String> read = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection(); Statement select = connection.createStatement();
             ResultSet row = select.executeQuery("SELECT * FROM sample ORDER BY id")) {
            while (row.next()) {
                long id = row.getLong("id");
                int n = row.getInt("n");
                boolean noN = row.wasNull();
                boolean flag = row.getBoolean("flag");
                boolean noFlag = row.wasNull();
                read.add(id + "|" + (noN ? "-" : n) + "|" + row.getString("name") + "|" + (noFlag ? "-" : flag));
                assertThat(row.getLong("batch")).isEqualTo(42L);
                assertThat(Rows.instant(row, "at")).isEqualTo(at);
            }
        }
        List<String> expected = new ArrayList<>();
        expected.add("-1|-|null|-");
        for (int i = 0; i < count; i++) {
            expected.add(i + "|" + (i % 7 == 0 ? "-" : i) + "|" + AWKWARD.get(i % AWKWARD.size()) + "|" + (i % 2 == 0));
        }
        assertThat(read).isEqualTo(expected);
    }

    @Test
    void aRowOfTheWrongWidthOrTheWrongSharedValuesIsRefusedAndNothingIsWritten() throws SQLException {
        assertThatThrownBy(() -> SAMPLE.rows().add(1L, 2, "three")).isInstanceOf(IllegalArgumentException.class);
        ColumnInsert.Rows rows = SAMPLE.rows().add(1L, 2, "three", true);
        try (Connection connection = database.dataSource().getConnection()) {
            assertThatThrownBy(() -> rows.insert(connection, 42L)).isInstanceOf(IllegalArgumentException.class);
            try (Statement select = connection.createStatement(); ResultSet count = select.executeQuery("SELECT COUNT(*) FROM sample")) {
                count.next();
                assertThat(count.getInt(1)).isZero();
            }
        }
        assertThatThrownBy(() -> ColumnInsert.into("sample", column("at", Type.TIMESTAMPTZ), column("id", Type.BIGINT)))
                .as("a timestamp per row").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ColumnInsert.into("sample", shared("id", Type.BIGINT)))
                .as("no value per row").isInstanceOf(IllegalArgumentException.class);
    }
}
