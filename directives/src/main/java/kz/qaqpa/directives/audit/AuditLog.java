package kz.qaqpa.directives.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import javax.sql.DataSource;
import kz.qaqpa.blocklist.model.Sha256;

/**
 * The append-only, hash-chained audit log.
 *
 * <p>Record {@code n} stores {@code hash(n) = SHA-256(fields(n) ‖ hash(n−1))}, with 64 zeros before
 * the first. Fields are written length-prefixed ({@code <length>:<text>\n}; an absent field is
 * {@code -:\n}), so no choice of values can make two records encode alike. Changing, removing or
 * inserting a record breaks every hash from there on; removing the newest records is caught by
 * the head row, which holds the last sequence number and hash and which every append locks —
 * that lock is also what keeps two gateways from forking the chain.
 */
public final class AuditLog {

    public static final String GENESIS = "0".repeat(64);

    private static final String LOCK_HEAD = "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE";
    private static final String INSERT = """
            INSERT INTO audit_record (seq, recorded_at, event, directive_id, signer_subject, signer_serial,
                                      signing_time, document_sha256, submitted_by, details, previous_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String MOVE_HEAD = "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1";
    private static final String READ_ALL = "SELECT * FROM audit_record ORDER BY seq";
    private static final String READ_HEAD = "SELECT seq, hash FROM audit_head WHERE id = 1";

    private final Clock clock;

    public AuditLog(Clock clock) {
        this.clock = clock;
    }

    /**
     * Appends a record inside the caller's transaction, so it commits or rolls back with the change
     * it describes.
     *
     * @return the record's sequence number
     */
    public long append(Connection connection, AuditEntry entry) throws SQLException {
        long previousSeq;
        String previousHash;
        try (PreparedStatement lock = connection.prepareStatement(LOCK_HEAD); ResultSet head = lock.executeQuery()) {
            if (!head.next()) {
                throw new SQLException("audit_head is missing");
            }
            previousSeq = head.getLong(1);
            previousHash = head.getString(2);
        }
        long seq = previousSeq + 1;
        Record record = new Record(seq, clock.instant().truncatedTo(ChronoUnit.MICROS), entry.event(),
                entry.directiveId().orElse(null),
                entry.signer().map(s -> s.subject()).orElse(null),
                entry.signer().map(s -> s.serialNumber()).orElse(null),
                entry.signingTime().map(t -> t.truncatedTo(ChronoUnit.MICROS)).orElse(null),
                entry.documentSha256().orElse(null), entry.submittedBy(), entry.details(), previousHash);
        String hash = record.hash();
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setLong(1, seq);
            insert.setTimestamp(2, Timestamp.from(record.recordedAt));
            insert.setString(3, record.event);
            if (record.directiveId == null) {
                insert.setNull(4, Types.BIGINT);
            } else {
                insert.setLong(4, record.directiveId);
            }
            insert.setString(5, record.signerSubject);
            insert.setString(6, record.signerSerial);
            insert.setTimestamp(7, record.signingTime == null ? null : Timestamp.from(record.signingTime));
            insert.setString(8, record.documentSha256);
            insert.setString(9, record.submittedBy);
            insert.setString(10, record.details);
            insert.setString(11, previousHash);
            insert.setString(12, hash);
            insert.executeUpdate();
        }
        try (PreparedStatement move = connection.prepareStatement(MOVE_HEAD)) {
            move.setLong(1, seq);
            move.setString(2, hash);
            move.executeUpdate();
        }
        return seq;
    }

    /**
     * Appends a record in a transaction of its own: for what changes nothing else, such as an
     * official reading an appellant's personal data.
     */
    public long record(kz.qaqpa.directives.store.Database database, AuditEntry entry) {
        return database.inTransaction(connection -> {
            try {
                return append(connection, entry);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot write the audit record: " + e.getMessage(), e);
            }
        });
    }

    /** A record as stored, for reading the log. */
    public record Stored(long seq, Instant recordedAt, String event, Optional<Long> directiveId, String by,
                         String details) {
    }

    /** Which records to read: by whom, of which event, from and before when (each optional), after {@code afterSeq}. */
    public record Filter(Optional<String> by, Optional<String> event, Optional<Instant> from, Optional<Instant> before,
                         long afterSeq) {
        public static Filter all() {
            return new Filter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0);
        }
    }

    /** The records the filter takes, oldest first, at most {@code limit}. */
    public static java.util.List<Stored> search(DataSource dataSource, Filter filter, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder(
                "SELECT seq, recorded_at, event, directive_id, submitted_by, details FROM audit_record WHERE seq > ?");
        java.util.List<Object> values = new java.util.ArrayList<>(java.util.List.of(filter.afterSeq()));
        filter.by().ifPresent(by -> {
            sql.append(" AND submitted_by = ?");
            values.add(by);
        });
        filter.event().ifPresent(event -> {
            sql.append(" AND event = ?");
            values.add(event);
        });
        filter.from().ifPresent(from -> {
            sql.append(" AND recorded_at >= ?");
            values.add(Timestamp.from(from));
        });
        filter.before().ifPresent(before -> {
            sql.append(" AND recorded_at < ?");
            values.add(Timestamp.from(before));
        });
        sql.append(" ORDER BY seq LIMIT ").append(limit);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < values.size(); i++) {
                select.setObject(i + 1, values.get(i));
            }
            java.util.List<Stored> found = new java.util.ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    long directive = rows.getLong("directive_id");
                    Optional<Long> directiveId = rows.wasNull() ? Optional.empty() : Optional.of(directive);
                    found.add(new Stored(rows.getLong("seq"), rows.getObject("recorded_at", OffsetDateTime.class).toInstant(),
                            rows.getString("event"), directiveId, rows.getString("submitted_by"), rows.getString("details")));
                }
            }
            return found;
        }
    }

    /** Reads the whole chain and names the first record that breaks it. */
    public static AuditVerification verify(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            long expectedSeq = 1;
            String previousHash = GENESIS;
            try (PreparedStatement read = connection.prepareStatement(READ_ALL)) {
                read.setFetchSize(1_000);
                try (ResultSet rows = read.executeQuery()) {
                    while (rows.next()) {
                        Record record = Record.read(rows);
                        String stored = rows.getString("hash");
                        if (record.seq != expectedSeq) {
                            return broken(expectedSeq - 1, expectedSeq,
                                    "record " + expectedSeq + " is missing (next is " + record.seq + ")");
                        }
                        if (!record.previousHash.equals(previousHash)) {
                            return broken(expectedSeq - 1, record.seq, "record " + record.seq
                                    + " does not follow the record before it (previous hash differs)");
                        }
                        if (!record.hash().equals(stored)) {
                            return broken(expectedSeq - 1, record.seq, "record " + record.seq
                                    + " was changed after it was written (its hash does not match its fields)");
                        }
                        previousHash = stored;
                        expectedSeq++;
                    }
                }
            }
            try (PreparedStatement head = connection.prepareStatement(READ_HEAD); ResultSet row = head.executeQuery()) {
                row.next();
                long headSeq = row.getLong(1);
                if (headSeq != expectedSeq - 1 || !row.getString(2).equals(previousHash)) {
                    return broken(expectedSeq - 1, expectedSeq, "the log ends at record " + (expectedSeq - 1)
                            + " but its head says " + headSeq + ": records were removed");
                }
            } finally {
                connection.rollback();
            }
            return new AuditVerification(expectedSeq - 1, Optional.empty(), "intact");
        }
    }

    private static AuditVerification broken(long read, long seq, String reason) {
        return new AuditVerification(read, Optional.of(seq), reason);
    }

    private record Record(long seq, Instant recordedAt, String event, Long directiveId, String signerSubject,
                          String signerSerial, Instant signingTime, String documentSha256, String submittedBy,
                          String details, String previousHash) {

        static Record read(ResultSet rows) throws SQLException {
            long directiveId = rows.getLong("directive_id");
            Long directive = rows.wasNull() ? null : directiveId;
            OffsetDateTime signing = rows.getObject("signing_time", OffsetDateTime.class);
            return new Record(rows.getLong("seq"), rows.getObject("recorded_at", OffsetDateTime.class).toInstant(),
                    rows.getString("event"), directive, rows.getString("signer_subject"),
                    rows.getString("signer_serial"), signing == null ? null : signing.toInstant(),
                    rows.getString("document_sha256"), rows.getString("submitted_by"), rows.getString("details"),
                    rows.getString("previous_hash"));
        }

        String hash() {
            StringBuilder fields = new StringBuilder();
            field(fields, Long.toString(seq));
            field(fields, recordedAt.toString());
            field(fields, event);
            field(fields, directiveId == null ? null : directiveId.toString());
            field(fields, signerSubject);
            field(fields, signerSerial);
            field(fields, signingTime == null ? null : signingTime.toString());
            field(fields, documentSha256);
            field(fields, submittedBy);
            field(fields, details);
            field(fields, previousHash);
            return Sha256.hex(fields.toString());
        }

        private static void field(StringBuilder out, String value) {
            if (value == null) {
                out.append("-:\n");
            } else {
                out.append(value.length()).append(':').append(value).append('\n');
            }
        }
    }
}
