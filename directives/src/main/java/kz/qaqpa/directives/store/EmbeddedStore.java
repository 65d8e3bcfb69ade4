package kz.qaqpa.directives.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * The embedded H2 file database, kept as private and as durable as PostgreSQL:
 * <ul>
 *   <li>no H2 server: only this process opens the file, so no port answers for it (a second
 *       process, such as {@code qaqpa audit verify}, asks the running gateway instead);</li>
 *   <li>a random password, generated on first start into {@code db-password} (mode 0600) in the
 *       data directory, which is itself 0700 ({@link PrivateFiles});</li>
 *   <li>every commit written to the file before it returns ({@code WRITE_DELAY=0}), and the
 *       transactions that a client is answered for forced to the disk ({@link #forceToDisk}), so
 *       an acknowledged write survives a killed process and a lost power supply;</li>
 *   <li>its file kept near the size of its data ({@link #compact}).</li>
 * </ul>
 * A database made by an earlier version with an empty password gets its password on first start.
 */
public final class EmbeddedStore {

    /** The H2 database's name inside the data directory ({@code qaqpa.mv.db} on disk). */
    static final String FILE_NAME = "qaqpa";
    static final String USER = "sa";
    static final String PASSWORD_FILE = "db-password";
    /**
     * Below this share of live bytes in the file's written parts, {@link #compact} moves the live
     * pages out of the emptiest parts so that their space is used again.
     */
    private static final int FILL_PERCENT = 70;
    /**
     * Bytes {@link #compact} rewrites at most after one transaction, about what H2's background
     * writer would in a round: enough to keep pace with a gateway's writes, not with a bulk load.
     */
    private static final int REWRITE_BYTES = 16 << 20;
    /** H2's error code for a wrong user name or password. */
    private static final int WRONG_PASSWORD = 28000;

    private EmbeddedStore() {
    }

    /** The settings with the database's password, made and set first if there is none yet. */
    static DatabaseSettings prepare(DatabaseSettings settings) {
        Path dir = settings.embeddedDir().orElseThrow();
        PrivateFiles.privateDirectory(dir);
        Path passwordFile = dir.resolve(PASSWORD_FILE);
        Optional<String> kept = read(passwordFile);
        if (kept.isPresent()) {
            return settings.withPassword(kept.get());
        }
        String password = HexFormat.of().formatHex(random(24));
        if (Files.exists(dir.resolve(FILE_NAME + ".mv.db"))) {
            // A database from before passwords: its user has none. The new one is written beside it
            // first, so a crash between the two steps leaves a password that one of them knows.
            Path pending = dir.resolve(PASSWORD_FILE + ".pending");
            Optional<String> earlier = read(pending);
            String next = earlier.orElse(password);
            if (earlier.isEmpty()) {
                PrivateFiles.writeSecret(pending, next + "\n");
            }
            setPassword(settings, earlier.isPresent() ? next : "", next);
            PrivateFiles.writeSecret(passwordFile, next + "\n");
            try {
                Files.deleteIfExists(pending);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return settings.withPassword(next);
        }
        PrivateFiles.writeSecret(passwordFile, password + "\n");
        return settings.withPassword(password);
    }

    /**
     * Forces every committed transaction of the embedded database to the disk (write and fsync),
     * with the pages {@link #compact} moved.
     */
    static void forceToDisk(Connection connection) throws SQLException {
        compact(connection);
        try (PreparedStatement sync = connection.prepareStatement("CHECKPOINT SYNC")) {
            sync.execute();
        }
    }

    /**
     * Keeps the file near the size of its data. H2 writes a changed page anew and reuses a part of
     * the file only when every page in it has been replaced; it moves the pages still live out of
     * mostly empty parts only from its background writer, which {@code WRITE_DELAY=0} turns off
     * (h2database#442): 30,000 rows under hashed keys, a hundred a transaction, took 13 times the
     * file they need compacted (1.5 times with this), and a gateway that took 1,000,000 targets had
     * an 11 GB file for 505 MB of data (8 GB with this: a bulk load outpaces it). Called with
     * the pool's one connection held, so that no transaction is in the middle of a commit while
     * pages move; the moved pages are written with the checkpoint that follows.
     */
    private static void compact(Connection connection) throws SQLException {
        MVStore store = ((SessionLocal) connection.unwrap(JdbcConnection.class).getSession())
                .getDatabase().getStore().getMvStore();
        if (store.getFileStore().getChunksFillRate() < FILL_PERCENT) {
            store.compact(FILL_PERCENT, REWRITE_BYTES);
        }
    }

    private static void setPassword(DatabaseSettings settings, String current, String next) {
        try (Connection connection = DriverManager.getConnection(settings.url(), settings.user(), current)) {
            // The password is our own hex, so it can stand in the statement (H2 takes no parameter there).
            try (PreparedStatement alter = connection.prepareStatement("ALTER USER " + USER + " SET PASSWORD '" + next + "'")) {
                alter.execute();
            }
        } catch (SQLException e) {
            if (e.getErrorCode() == WRONG_PASSWORD && !current.isEmpty()) {
                setPassword(settings, "", next); // the crash came before the pending password was set
                return;
            }
            throw new DatabaseUnavailableException("cannot set the embedded database's password: " + e.getMessage(), e);
        }
    }

    private static Optional<String> read(Path file) {
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file).strip()).filter(s -> !s.isEmpty()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static byte[] random(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return random;
    }
}
