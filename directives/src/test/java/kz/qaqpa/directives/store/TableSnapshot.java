package kz.qaqpa.directives.store;

import java.sql.Blob;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The row count and content digest of every table, to show that a rejected request changed
 * nothing at all.
 */
public final class TableSnapshot {

    private static final List<String> TABLES = List.of("directive", "directive_target", "directive_court_decision", "audit_record", "audit_head",
            "blocklist_change", "blocklist_head");

    private TableSnapshot() {
    }

    /** Table name to "rows:hash-of-all-rows", stable for equal content. */
    public static Map<String, String> of(DataSource dataSource) throws SQLException {
        Map<String, String> snapshot = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : TABLES) {
                long rows = 0;
                long hash = 17;
                try (ResultSet result = statement.executeQuery("SELECT * FROM " + table + " ORDER BY 1")) {
                    int columns = result.getMetaData().getColumnCount();
                    while (result.next()) {
                        rows++;
                        for (int column = 1; column <= columns; column++) {
                            Object value = result.getObject(column);
                            if (value instanceof Blob blob) { // H2 keeps signed documents as BLOBs
                                value = blob.getBytes(1, (int) blob.length());
                            }
                            hash = 31 * hash + (value instanceof byte[] bytes ? Arrays.hashCode(bytes)
                                    : String.valueOf(value).hashCode());
                        }
                    }
                }
                snapshot.put(table, rows + ":" + hash);
            }
        }
        return snapshot;
    }
}
