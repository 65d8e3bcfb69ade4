package kz.qaqpa.directives.access;

import static kz.qaqpa.directives.store.Rows.instant;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import kz.qaqpa.blocklist.model.Sha256;
import kz.qaqpa.directives.audit.Actor;
import kz.qaqpa.directives.audit.AuditLog;
import kz.qaqpa.directives.store.Database;

/**
 * Console sessions, kept in the database so that every gateway of it knows them: only the SHA-256
 * of the session's cookie is stored (a copy of the table opens no session). A session ends after
 * {@code idle} without a request, after {@link #LONGEST} in any case, at sign-out, and when its
 * official is disabled or gets new credentials. Each carries its own token against cross-site
 * request forgery, which every form of the console sends back.
 */
public final class OfficialSessions {

    /** However active, a session ends after a working day; the official signs in again. */
    public static final Duration LONGEST = Duration.ofHours(12);
    /** How often a request's time is written as the session's last: idle time is counted to this. */
    static final Duration TOUCH_EVERY = Duration.ofSeconds(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A session as a request finds it: its official (read afresh: roles changed take effect) and its CSRF token. */
    public record Session(Official official, String csrfToken) {
    }

    /** A new session: the cookie's value, given to the browser once, and its CSRF token. */
    public record Opened(String cookie, String csrfToken) {
    }

    private final Database database;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration idle;

    public OfficialSessions(Database database, AuditLog audit, Clock clock, Duration idle) {
        this.database = database;
        this.audit = audit;
        this.clock = clock;
        this.idle = idle;
    }

    public Duration idle() {
        return idle;
    }

    /** Opens a session for an official who has just signed in. */
    public Opened open(Official official, String address) {
        String cookie = random();
        String csrf = random();
        Instant now = clock.instant();
        database.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO official_session (id_sha256, official, csrf_token, address, created_at, last_seen)
                    VALUES (?, ?, ?, ?, ?, ?)""")) {
                insert.setString(1, Sha256.hex(cookie));
                insert.setString(2, official.name());
                insert.setString(3, csrf);
                insert.setString(4, kz.qaqpa.directives.store.Rows.clip(address, 64));
                insert.setTimestamp(5, Timestamp.from(now));
                insert.setTimestamp(6, Timestamp.from(now));
                insert.executeUpdate();
                return null;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot open the session: " + e.getMessage(), e);
            }
        });
        return new Opened(cookie, csrf);
    }

    /**
     * The live session of this cookie, its idle time restarted; empty (and the session removed) when
     * it timed out, or its official is gone or disabled. The restart is written at most once every
     * {@link #TOUCH_EVERY}: a page's requests read the session without a write each.
     */
    public Optional<Session> resume(String cookie) {
        Instant now = clock.instant();
        String id = Sha256.hex(cookie);
        record Found(String official, String csrf, Instant created, Instant lastSeen, Optional<Official> account) {
        }
        Optional<Found> found;
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT official, csrf_token, created_at, last_seen FROM official_session WHERE id_sha256 = ?")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                found = rows.next() ? Optional.of(new Found(rows.getString("official"), rows.getString("csrf_token"),
                        instant(rows, "created_at"), instant(rows, "last_seen"),
                        Officials.find(connection, rows.getString("official")).filter(o -> !o.disabled())))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the session: " + e.getMessage(), e);
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Found session = found.get();
        boolean live = session.account().isPresent() && now.isBefore(session.lastSeen().plus(idle))
                && now.isBefore(session.created().plus(LONGEST));
        if (!live || !now.isBefore(session.lastSeen().plus(TOUCH_EVERY))) {
            database.inTransaction(connection -> {
                try (PreparedStatement write = connection.prepareStatement(live
                        ? "UPDATE official_session SET last_seen = ? WHERE id_sha256 = ?"
                        : "DELETE FROM official_session WHERE id_sha256 = ?")) {
                    if (live) {
                        write.setTimestamp(1, Timestamp.from(now));
                        write.setString(2, id);
                    } else {
                        write.setString(1, id);
                    }
                    return write.executeUpdate();
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot keep the session: " + e.getMessage(), e);
                }
            });
        }
        return live ? Optional.of(new Session(session.account().get(), session.csrf())) : Optional.empty();
    }

    /** Ends the session at the official's request. */
    public void close(String cookie, Actor by) {
        database.inTransaction(connection -> {
            try {
                if (delete(connection, cookie) == 1) {
                    audit.append(connection, by.entry("SIGN_OUT", "signed out"));
                }
                return null;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot end the session: " + e.getMessage(), e);
            }
        });
    }

    static void endAll(Connection connection, String official) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM official_session WHERE official = ?")) {
            delete.setString(1, official);
            delete.executeUpdate();
        }
    }

    private static int delete(Connection connection, String cookie) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM official_session WHERE id_sha256 = ?")) {
            delete.setString(1, Sha256.hex(cookie));
            return delete.executeUpdate();
        }
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
