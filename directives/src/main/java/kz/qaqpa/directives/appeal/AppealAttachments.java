package kz.qaqpa.directives.appeal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kz.qaqpa.blocklist.model.Sha256;
import kz.qaqpa.directives.appeal.InvalidAppealException.Problem;
import kz.qaqpa.directives.store.Database;

/**
 * Files an appellant attaches as evidence (seed 003 §3): proof of representation, proof of
 * removal. PDF, PNG and JPEG only — the type the appellant names must be what the file's first
 * bytes say — at most {@value #MAX_BYTES} bytes each and {@value #MAX_FILES} an appeal, while the
 * appeal is undecided. Each is kept with its SHA-256; its content is for the authority.
 */
public final class AppealAttachments {

    /** Largest file, in bytes. */
    public static final int MAX_BYTES = 4 * 1024 * 1024;
    /** Most files one appeal may carry. */
    public static final int MAX_FILES = 10;

    /** What the first bytes of each accepted type are. */
    private static final Map<String, byte[]> MAGIC = Map.of(
            "application/pdf", new byte[] {'%', 'P', 'D', 'F', '-'},
            "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'},
            "image/jpeg", new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff});

    /** An attached file as listed: no content. */
    public record Attachment(long id, String name, String mediaType, int size, String sha256, Instant uploadedAt) {
    }

    private final Database database;
    private final Clock clock;

    public AppealAttachments(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** The type a file's first bytes say it is, of those accepted; empty for any other. */
    public static Optional<String> typeOf(byte[] content) {
        return MAGIC.entrySet().stream().filter(type -> content.length >= type.getValue().length
                && Arrays.equals(Arrays.copyOf(content, type.getValue().length), type.getValue()))
                .map(Map.Entry::getKey).findFirst();
    }

    /** The types a file may have. */
    public static List<String> mediaTypes() {
        return MAGIC.keySet().stream().sorted().toList();
    }

    /**
     * Attaches a file to an undecided appeal.
     *
     * @throws InvalidAppealException       when the name, type, size or content is wrong
     * @throws AppealMonitoring.RefusedStepException when the appeal is decided, or carries {@value #MAX_FILES} files already
     */
    public Attachment attach(Appeal appeal, String name, String mediaType, byte[] content) {
        List<Problem> problems = new ArrayList<>();
        String cleanName = name == null ? "" : name.strip();
        if (cleanName.isEmpty() || cleanName.length() > 200 || cleanName.chars().anyMatch(c -> Character.isISOControl(c)
                || c == '/' || c == '\\')) {
            problems.add(new Problem("/name", "a file name of 1 to 200 characters, without a path"));
        }
        byte[] magic = MAGIC.get(mediaType);
        if (magic == null) {
            problems.add(new Problem("/type", "one of " + mediaTypes()));
        } else if (content.length < magic.length || !Arrays.equals(Arrays.copyOf(content, magic.length), magic)) {
            problems.add(new Problem("/content", "not a " + mediaType + " file"));
        }
        if (content.length == 0 || content.length > MAX_BYTES) {
            problems.add(new Problem("/content", "1 to " + MAX_BYTES + " bytes"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidAppealException(problems);
        }
        if (!appeal.status().undecided()) {
            throw new AppealMonitoring.RefusedStepException("appeal " + appeal.number() + " is " + appeal.status()
                    + " already; evidence is taken while it is undecided");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String sha256 = Sha256.hex(content);
        long id = database.inTransaction(connection -> {
            try (PreparedStatement lock = connection.prepareStatement("SELECT id FROM appeal WHERE id = ? FOR UPDATE");
                 PreparedStatement count = connection.prepareStatement(
                         "SELECT COUNT(*) FROM appeal_attachment WHERE appeal_id = ?");
                 PreparedStatement insert = connection.prepareStatement("""
                         INSERT INTO appeal_attachment (appeal_id, name, media_type, size_bytes, sha256, content, uploaded_at)
                         VALUES (?, ?, ?, ?, ?, ?, ?)""", new String[] {"id"})) {
                // One appeal's uploads one at a time, so two at once cannot pass the count together.
                lock.setLong(1, appeal.id());
                lock.executeQuery().close();
                count.setLong(1, appeal.id());
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    if (rows.getInt(1) >= MAX_FILES) {
                        throw new AppealMonitoring.RefusedStepException("appeal " + appeal.number() + " carries "
                                + MAX_FILES + " files already");
                    }
                }
                insert.setLong(1, appeal.id());
                insert.setString(2, cleanName);
                insert.setString(3, mediaType);
                insert.setInt(4, content.length);
                insert.setString(5, sha256);
                insert.setBytes(6, content);
                insert.setTimestamp(7, Timestamp.from(now));
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot keep the attachment: " + e.getMessage(), e);
            }
        });
        return new Attachment(id, cleanName, mediaType, content.length, sha256, now);
    }

    /** An appeal's files, oldest first. */
    public List<Attachment> list(Appeal appeal) {
        List<Attachment> found = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     SELECT id, name, media_type, size_bytes, sha256, uploaded_at FROM appeal_attachment
                     WHERE appeal_id = ? ORDER BY id""")) {
            select.setLong(1, appeal.id());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(new Attachment(rows.getLong("id"), rows.getString("name"), rows.getString("media_type"),
                            rows.getInt("size_bytes"), rows.getString("sha256"),
                            rows.getObject("uploaded_at", OffsetDateTime.class).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list the attachments of " + appeal.number() + ": " + e.getMessage(), e);
        }
        return found;
    }

    /** One file's content, for the authority; empty when the appeal has no such file, or it was removed at retention. */
    public Optional<byte[]> content(Appeal appeal, long id) {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT content FROM appeal_attachment WHERE appeal_id = ? AND id = ?")) {
            select.setLong(1, appeal.id());
            select.setLong(2, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.ofNullable(rows.getBytes(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read an attachment of " + appeal.number() + ": " + e.getMessage(), e);
        }
    }
}
