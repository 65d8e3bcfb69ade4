package kz.qaqpa.directives.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Reading and writing columns the same way everywhere. */
public final class Rows {

    private Rows() {
    }

    /** A {@code TIMESTAMP WITH TIME ZONE} column as an instant; null stays null. */
    public static Instant instant(ResultSet rows, String column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** Text cut to a column's {@code max} characters, ending "..." when cut; null stays null. */
    public static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
