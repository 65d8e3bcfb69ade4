package kz.qaqpa.directives.store;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the relational database — the source of truth of Qaqpa — lives.
 *
 * @param url          JDBC URL: an H2 file database in embedded mode, PostgreSQL in production
 * @param user         database user; empty when the URL carries it or none is needed
 * @param password     database password; empty when none is needed, or — for the embedded database —
 *                     until it is opened and the password generated into its data directory is read
 * @param embeddedDir  for the embedded database only: the data directory that holds it and its
 *                     generated password ({@link EmbeddedStore})
 */
public record DatabaseSettings(String url, String user, String password, Optional<Path> embeddedDir) {

    /** Options that make H2 accept the PostgreSQL dialect the repositories are compiled for (STACK.md). */
    static final String H2_POSTGRES_MODE = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    public DatabaseSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(embeddedDir, "embeddedDir");
    }

    /** A database reached by URL (PostgreSQL, or an H2 the caller manages). */
    public DatabaseSettings(String url, String user, String password) {
        this(url, user, password, Optional.empty());
    }

    /**
     * The embedded default: an H2 file database {@code qaqpa} inside {@code dataDir}, opened by this
     * process alone (no H2 server, so no port), with a password generated on first start and every
     * commit written before it returns ({@link EmbeddedStore}). Nothing is created until it is opened.
     */
    public static DatabaseSettings embedded(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        // WRITE_DELAY=0: H2 otherwise writes committed transactions up to half a second later, and a
        // killed process loses them although they were answered 201.
        return new DatabaseSettings("jdbc:h2:file:" + dir.resolve(EmbeddedStore.FILE_NAME) + H2_POSTGRES_MODE
                + ";WRITE_DELAY=0", EmbeddedStore.USER, "", Optional.of(dir));
    }

    /** True for an H2 URL (embedded mode), false for PostgreSQL. */
    public boolean isEmbedded() {
        return url.startsWith("jdbc:h2:");
    }

    /** The same database with this password. */
    DatabaseSettings withPassword(String newPassword) {
        return new DatabaseSettings(url, user, newPassword, embeddedDir);
    }

    /** The URL without credentials that may be embedded in it, for logs and banners. */
    public String displayUrl() {
        int query = url.indexOf('?');
        String withoutQuery = query < 0 ? url : url.substring(0, query);
        int options = withoutQuery.indexOf(';');
        return options < 0 ? withoutQuery : withoutQuery.substring(0, options);
    }

    @Override
    public String toString() {
        return "DatabaseSettings[" + displayUrl() + ", user=" + user + "]";
    }
}
