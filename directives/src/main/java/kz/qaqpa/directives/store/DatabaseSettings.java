package kz.qaqpa.directives.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the relational database — the source of truth of Qaqpa — lives.
 *
 * @param url      JDBC URL: an H2 file database in embedded mode, PostgreSQL in production
 * @param user     database user; empty when the URL carries it or none is needed
 * @param password database password; empty when none is needed
 */
public record DatabaseSettings(String url, String user, String password) {

    /** Options that make H2 accept the PostgreSQL dialect the repositories are compiled for (STACK.md). */
    static final String H2_POSTGRES_MODE = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    public DatabaseSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    /**
     * The embedded default: an H2 file database {@code qaqpa} inside {@code dataDir}. AUTO_SERVER lets
     * a second local process (qaqpa audit verify) open it while the gateway holds it.
     */
    public static DatabaseSettings embedded(Path dataDir) {
        Path file = dataDir.toAbsolutePath().normalize().resolve("qaqpa");
        return new DatabaseSettings("jdbc:h2:file:" + file + H2_POSTGRES_MODE + ";AUTO_SERVER=TRUE", "sa", "");
    }

    /** True for an H2 URL (embedded mode), false for PostgreSQL. */
    public boolean isEmbedded() {
        return url.startsWith("jdbc:h2:");
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
