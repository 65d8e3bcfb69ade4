package kz.qaqpa.loadtest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import javax.sql.DataSource;
import kz.qaqpa.blocklist.model.BlocklistKey;
import kz.qaqpa.directives.blocklist.BlocklistLog;

/**
 * The synthetic list every benchmark uses: entry {@code i} is {@code site<i>.<tld>} over seven TLDs,
 * every other one restricted with its subdomains. Allowed names ({@code www.allowed<j>.<tld>}) are
 * never on it.
 */
public final class SyntheticNames {

    public static final String[] TLDS = {"kz", "xn--80ao21a", "com", "net", "org", "ru", "info"};

    private SyntheticNames() {
    }

    public static String name(int i) {
        return "site" + i + "." + TLDS[i % TLDS.length];
    }

    public static boolean withSubdomains(int i) {
        return i % 2 == 0;
    }

    /** A name the entry restricts: the name itself, or one below it when it has its subdomains. */
    public static String restrictedQuery(int i) {
        return withSubdomains(i) ? "www." + name(i) : name(i);
    }

    public static String allowedQuery(int j) {
        return "www.allowed" + j + "." + TLDS[j % TLDS.length];
    }

    /**
     * Writes entries 0…count-1 straight into a migrated database's current set and its change log
     * (serials 1…count), under one directive made for them; builds the Merkle log over them as the
     * gateway does when it starts on an older database; then prunes the change log, as if the
     * changes were old: the gateway loads such a list whole. Returns the list's serial.
     */
    public static long fill(DataSource database, int count) throws Exception {
        write(database, count);
        BlocklistLog.complete(database);
        try (Connection connection = database.getConnection(); Statement prune = connection.createStatement()) {
            prune.executeUpdate("DELETE FROM blocklist_change");
        }
        return count;
    }

    private static void write(DataSource database, int count) throws Exception {
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false);
            long directive = directive(connection);
            // In the primary key's order: appended to the index rather than inserted all over it,
            // which is several times faster for a million rows.
            String[] keys = new String[count];
            Integer[] order = new Integer[count];
            for (int i = 0; i < count; i++) {
                keys[i] = BlocklistKey.sha256(BlocklistKey.domain(name(i), withSubdomains(i)));
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparing(i -> keys[i]));
            Timestamp now = Timestamp.from(Instant.now());
            try (PreparedStatement change = connection.prepareStatement("""
                    INSERT INTO blocklist_change (serial, operation, kind, target_key, target_value, include_subdomains,
                                                  host_hint, directive_id, changed_at) VALUES (?, 'ADD', 'DOMAIN', ?, ?, ?, NULL, ?, ?)""")) {
                for (int i = 0; i < count; i++) {
                    change.setLong(1, i + 1);
                    change.setString(2, BlocklistKey.domain(name(i), withSubdomains(i)));
                    change.setString(3, name(i));
                    change.setBoolean(4, withSubdomains(i));
                    change.setLong(5, directive);
                    change.setTimestamp(6, now);
                    change.addBatch();
                    if (i % 10_000 == 9_999) {
                        change.executeBatch();
                        connection.commit();
                    }
                }
                change.executeBatch();
            }
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO blocklist_entry (key_sha256, target_key, kind, target_value, include_subdomains, host_hint,
                                                 directive_id, since_serial) VALUES (?, ?, 'DOMAIN', ?, ?, NULL, ?, ?)""")) {
                for (int n = 0; n < count; n++) {
                    int i = order[n];
                    insert.setString(1, keys[i]);
                    insert.setString(2, BlocklistKey.domain(name(i), withSubdomains(i)));
                    insert.setString(3, name(i));
                    insert.setBoolean(4, withSubdomains(i));
                    insert.setLong(5, directive);
                    insert.setLong(6, i + 1);
                    insert.addBatch();
                    if (n % 10_000 == 9_999) {
                        insert.executeBatch();
                        connection.commit();
                    }
                }
                insert.executeBatch();
            }
            try (Statement head = connection.createStatement()) {
                head.executeUpdate("UPDATE blocklist_head SET serial = " + count + " WHERE id = 1");
            }
            connection.commit();
        }
    }

    /** The directive the filled entries cite; returns its id. */
    public static long directiveId(DataSource database) throws Exception {
        try (Connection connection = database.getConnection(); Statement query = connection.createStatement();
             ResultSet row = query.executeQuery("SELECT id FROM directive WHERE number = 'SYNTHETIC-1'")) {
            row.next();
            return row.getLong(1);
        }
    }

    private static long directive(Connection connection) throws Exception {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO directive (authority_bin, authority_name, number, action, issued_at, legal_basis, status,
                    target_count, document, signature, document_sha256, signer_subject, signer_serial, signing_time,
                    received_at, submitted_by)
                VALUES ('990740000029', 'Benchmark', 'SYNTHETIC-1', 'RESTRICT', ?, 'benchmark', 'ACTIVE', 0, X'00', X'00',
                    '0000000000000000000000000000000000000000000000000000000000000000', 'CN=bench', '1', ?, ?, 'bench')""",
                Statement.RETURN_GENERATED_KEYS)) {
            Timestamp now = Timestamp.from(Instant.now());
            insert.setTimestamp(1, now);
            insert.setTimestamp(2, now);
            insert.setTimestamp(3, now);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }
}
