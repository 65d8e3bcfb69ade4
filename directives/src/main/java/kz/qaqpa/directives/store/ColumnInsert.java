package kz.qaqpa.directives.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Many rows written by one statement: each column travels as one array and the database unnests
 * the arrays into rows, {@code INSERT INTO t (a, b, c) SELECT u.*, CAST(? AS …) FROM
 * UNNEST(CAST(? AS BIGINT ARRAY), CAST(? AS VARCHAR ARRAY)) AS u}. A JDBC batch of the same rows
 * costs PostgreSQL a statement per row (a Bind and an Execute message, a portal, a snapshot each),
 * which for a directive of 10,000 targets was most of what its intake cost the database
 * (BENCHMARKS.md, the register). H2 and PostgreSQL read the same text.
 *
 * <p>A template ({@link #into}) is made once; {@link #rows} collects one statement's rows. Columns
 * marked {@link #shared} take one value for every row, given when the rows are written.
 */
public final class ColumnInsert {

    /** The column types the arrays are sent as. */
    public enum Type {
        BIGINT, INTEGER, VARCHAR, BOOLEAN, TIMESTAMPTZ;

        private String sql() {
            return this == TIMESTAMPTZ ? "TIMESTAMP WITH TIME ZONE" : name();
        }

        /**
         * The values as an array of this type's Java class: the PostgreSQL driver sends such an
         * array in binary, where an {@code Object[]} is written out as text, escaped, and parsed
         * back by the server (a ninth of the gateway's CPU in a cold register, BENCHMARKS.md).
         */
        private Object[] array(Object[] values) {
            Object[] typed = switch (this) {
                case BIGINT -> new Long[values.length];
                case INTEGER -> new Integer[values.length];
                case VARCHAR -> new String[values.length];
                case BOOLEAN -> new Boolean[values.length];
                case TIMESTAMPTZ -> throw new IllegalStateException("a timestamp column is shared by all rows");
            };
            for (int i = 0; i < values.length; i++) {
                Object value = values[i];
                typed[i] = value == null ? null : switch (this) {
                    case BIGINT -> ((Number) value).longValue();
                    case INTEGER -> ((Number) value).intValue();
                    default -> value;
                };
            }
            return typed;
        }
    }

    /** A column of the table, its values one per row or {@code shared} by all. */
    public record Column(String name, Type type, boolean shared) {
    }

    public static Column column(String name, Type type) {
        return new Column(name, type, false);
    }

    public static Column shared(String name, Type type) {
        return new Column(name, type, true);
    }

    /** Rows per statement at most, so that no one parameter grows with the rows: a log rebuilt whole has millions. */
    private static final int CHUNK = 10_000;

    private final List<Column> perRow;
    private final int shared;
    private final String sql;

    private ColumnInsert(String table, List<Column> columns) {
        this.perRow = columns.stream().filter(column -> !column.shared()).toList();
        List<Column> shared = columns.stream().filter(Column::shared).toList();
        this.shared = shared.size();
        // The shared columns are bound after the arrays, whatever their place in the table.
        this.sql = "INSERT INTO " + table + " ("
                + Stream.concat(perRow.stream(), shared.stream()).map(Column::name).collect(Collectors.joining(", "))
                + ") SELECT u.*"
                + shared.stream().map(column -> ", CAST(? AS " + column.type().sql() + ")").collect(Collectors.joining())
                + " FROM UNNEST("
                + perRow.stream().map(column -> "CAST(? AS " + column.type().sql() + " ARRAY)")
                        .collect(Collectors.joining(", "))
                + ") AS u";
    }

    /**
     * The statement for {@code table}; at least one column has a value per row. Timestamps are
     * shared only: a driver may write an array of them in its own time zone.
     */
    public static ColumnInsert into(String table, Column... columns) {
        if (Arrays.stream(columns).allMatch(Column::shared)) {
            throw new IllegalArgumentException("a column insert needs a column with a value per row");
        }
        if (Arrays.stream(columns).anyMatch(column -> !column.shared() && column.type() == Type.TIMESTAMPTZ)) {
            throw new IllegalArgumentException("a timestamp column is shared by all rows");
        }
        return new ColumnInsert(table, List.of(columns));
    }

    /** An empty set of rows for this statement. */
    public Rows rows() {
        return new Rows();
    }

    /** Rows to insert, in the order added. Not thread-safe. */
    public final class Rows {

        private final List<Object[]> rows = new ArrayList<>();

        private Rows() {
        }

        /** Adds a row: one value per column that is not shared, in the template's order. */
        public Rows add(Object... values) {
            if (values.length != perRow.size()) {
                throw new IllegalArgumentException("a row of " + perRow.size() + " values, not " + values.length);
            }
            rows.add(values);
            return this;
        }

        /**
         * Writes the rows, 10,000 a statement; the shared columns' values in the template's order.
         *
         * @return how many rows were inserted
         */
        public int insert(Connection connection, Object... sharedValues) throws SQLException {
            if (sharedValues.length != shared) {
                throw new IllegalArgumentException(shared + " shared values, not " + sharedValues.length);
            }
            if (rows.isEmpty()) {
                return 0;
            }
            int inserted = 0;
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                for (int from = 0; from < rows.size(); from += CHUNK) {
                    List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK));
                    int parameter = 1;
                    for (Object value : sharedValues) {
                        insert.setObject(parameter++, value);
                    }
                    for (int column = 0; column < perRow.size(); column++) {
                        Object[] values = new Object[chunk.size()];
                        for (int row = 0; row < values.length; row++) {
                            values[row] = chunk.get(row)[column];
                        }
                        Type type = perRow.get(column).type();
                        insert.setArray(parameter++, connection.createArrayOf(
                                type.name().toLowerCase(Locale.ROOT), type.array(values)));
                    }
                    inserted += insert.executeUpdate();
                }
            }
            return inserted;
        }
    }
}
