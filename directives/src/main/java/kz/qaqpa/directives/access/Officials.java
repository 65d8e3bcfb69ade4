package kz.qaqpa.directives.access;

import static kz.qaqpa.directives.access.Officials.RefusedChangeException.Kind.EXISTS;
import static kz.qaqpa.directives.access.Officials.RefusedChangeException.Kind.INVALID;
import static kz.qaqpa.directives.access.Officials.RefusedChangeException.Kind.UNKNOWN;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import kz.qaqpa.blocklist.model.Sha256;
import kz.qaqpa.directives.audit.Actor;
import kz.qaqpa.directives.audit.AuditLog;
import kz.qaqpa.directives.store.Database;

/**
 * The register of officials: their accounts, roles and secrets, and the checks of what they present
 * — a password with a one-time code (the console), a token (the API). Every change, every sign-in
 * and every refused one is written to the hash-chained audit log in the transaction that makes it,
 * with who did it and from where.
 *
 * <p>Guessing is bounded: after {@value #MAX_FAILURES} refused sign-ins in a row an account is
 * locked for {@link #LOCKOUT}, and a code is taken once (its time step must be later than the last
 * one taken). An unknown name costs as long to refuse as a wrong password, so that the time taken
 * does not tell which names exist.
 */
public final class Officials {

    public static final int MAX_FAILURES = 5;
    public static final Duration LOCKOUT = Duration.ofMinutes(15);
    public static final int MIN_PASSWORD = 12;
    /** What authenticator apps show the codes under. */
    private static final String ISSUER = "Qaqpa";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{1,63}");
    private static final String TOKEN_PREFIX = "qo_";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new account, with what the official needs once: the code secret, and the link an authenticator app reads. */
    public record Enrolment(Official official, String totpSecret, String totpLink) {
    }

    /** The outcome of a sign-in. */
    public sealed interface SignIn {
        record Admitted(Official official) implements SignIn {
        }

        /** Refused; {@code reason} is for the audit log only: the person is told nothing of which part was wrong. */
        record Refused(String reason) implements SignIn {
        }
    }

    /** Something refused about an account change: a 4xx for the caller, nothing changed. */
    public static final class RefusedChangeException extends RuntimeException {

        /** Why: the change would make an invalid account, the name is taken, or there is no such official. */
        public enum Kind { INVALID, EXISTS, UNKNOWN }

        private final Kind kind;

        RefusedChangeException(String message, Kind kind) {
            super(message);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    private final Database database;
    private final AuditLog audit;
    private final Clock clock;

    public Officials(Database database, AuditLog audit, Clock clock) {
        this.database = database;
        this.audit = audit;
        this.clock = clock;
    }

    /** Opens an account with its roles, its password and a new code secret. */
    public Enrolment add(String name, String displayName, Set<OfficialRole> roles, char[] password, Actor by) {
        requireName(name);
        if (displayName == null || displayName.isBlank() || displayName.length() > 200) {
            throw new RefusedChangeException("the official's full name is required (at most 200 characters)", INVALID);
        }
        requireRoles(roles);
        requirePassword(password);
        String secret = Totp.newSecret();
        String hash = PasswordHashing.hash(password);
        Instant now = clock.instant();
        database.inTransaction(connection -> {
            try {
                if (find(connection, name).isPresent()) {
                    throw new RefusedChangeException("official '" + name + "' exists already", EXISTS);
                }
                try (PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO official (name, display_name, roles, password_hash, totp_secret, created_at)
                        VALUES (?, ?, ?, ?, ?, ?)""")) {
                    insert.setString(1, name);
                    insert.setString(2, displayName.strip());
                    insert.setString(3, OfficialRole.column(roles));
                    insert.setString(4, hash);
                    insert.setString(5, secret);
                    insert.setTimestamp(6, Timestamp.from(now));
                    insert.executeUpdate();
                }
                audit.append(connection, by.entry("OFFICIAL_ADDED", "official " + name + " (" + displayName.strip()
                        + ") added with roles " + OfficialRole.column(roles)));
                return null;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot add the official: " + e.getMessage(), e);
            }
        });
        return new Enrolment(find(name).orElseThrow(), secret, Totp.enrolmentLink(ISSUER, name, secret));
    }

    /** Changes an account's roles and whether it is disabled; disabling ends its sessions. */
    public Official change(String name, Optional<Set<OfficialRole>> roles, Optional<Boolean> disabled, Actor by) {
        roles.ifPresent(Officials::requireRoles);
        if (roles.isEmpty() && disabled.isEmpty()) {
            throw new RefusedChangeException("say what to change: roles, disabled", INVALID);
        }
        database.inTransaction(connection -> {
            try {
                Official before = find(connection, name).orElseThrow(() -> new RefusedChangeException(
                        "no official '" + name + "'", UNKNOWN));
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE official SET roles = ?, disabled = ? WHERE name = ?")) {
                    update.setString(1, OfficialRole.column(roles.orElse(before.roles())));
                    update.setBoolean(2, disabled.orElse(before.disabled()));
                    update.setString(3, name);
                    update.executeUpdate();
                }
                if (before.has(OfficialRole.ADMINISTRATOR) && !before.disabled() && !anAdministrator(connection)) {
                    // Rolled back with the transaction: the register would have nobody to keep it.
                    throw new RefusedChangeException("official " + name + " is the last enabled administrator;"
                            + " give another official the role first", INVALID);
                }
                if (disabled.orElse(false)) {
                    OfficialSessions.endAll(connection, name);
                }
                audit.append(connection, by.entry("OFFICIAL_CHANGED", "official " + name + ": roles "
                        + OfficialRole.column(before.roles()) + " -> " + OfficialRole.column(roles.orElse(before.roles()))
                        + ", disabled " + before.disabled() + " -> " + disabled.orElse(before.disabled())));
                return null;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot change the official: " + e.getMessage(), e);
            }
        });
        return find(name).orElseThrow();
    }

    /**
     * Gives the official a new password and code secret (the old ones stop working), unlocks the
     * account and ends its sessions: for a forgotten password or a lost phone.
     */
    public Enrolment resetCredentials(String name, char[] password, Actor by) {
        requirePassword(password);
        String secret = Totp.newSecret();
        String hash = PasswordHashing.hash(password);
        database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE official SET password_hash = ?, totp_secret = ?, totp_last_step = NULL, failed_signins = 0,
                    locked_until = NULL WHERE name = ?""")) {
                update.setString(1, hash);
                update.setString(2, secret);
                update.setString(3, name);
                if (update.executeUpdate() != 1) {
                    throw new RefusedChangeException("no official '" + name + "'", UNKNOWN);
                }
                OfficialSessions.endAll(connection, name);
                audit.append(connection, by.entry("OFFICIAL_CREDENTIALS_RESET", "official " + name
                        + ": new password and code secret"));
                return null;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot reset the credentials: " + e.getMessage(), e);
            }
        });
        return new Enrolment(find(name).orElseThrow(), secret, Totp.enrolmentLink(ISSUER, name, secret));
    }

    /**
     * The official's own new password, given the current one; its other sessions end (this one is
     * the caller's to keep). A wrong current password changes nothing and counts as a refused
     * sign-in would: toward the lock-out.
     */
    public void changePassword(String name, char[] current, char[] replacement, Actor by) {
        requirePassword(replacement);
        Optional<Secrets> found = read(connection -> secrets(connection, name));
        boolean right = found.map(Secrets::passwordHash).filter(h -> h != null)
                .map(hash -> PasswordHashing.matches(current, hash)).orElse(false);
        String hash = PasswordHashing.hash(replacement);
        Instant now = clock.instant();
        boolean changed = database.inTransaction(connection -> {
            try {
                if (!right) {
                    try (PreparedStatement update = connection.prepareStatement("""
                            UPDATE official SET failed_signins = failed_signins + 1,
                            locked_until = CASE WHEN failed_signins + 1 >= ? THEN ? ELSE locked_until END WHERE name = ?""")) {
                        update.setInt(1, MAX_FAILURES);
                        update.setTimestamp(2, Timestamp.from(now.plus(LOCKOUT)));
                        update.setString(3, name);
                        update.executeUpdate();
                    }
                    audit.append(connection, by.entry("PASSWORD_CHANGE_REFUSED", "the current password was wrong"));
                    return false;
                }
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE official SET password_hash = ?, failed_signins = 0 WHERE name = ?")) {
                    update.setString(1, hash);
                    update.setString(2, name);
                    update.executeUpdate();
                }
                audit.append(connection, by.entry("PASSWORD_CHANGED", "official " + name + " changed its password"));
                return true;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot change the password: " + e.getMessage(), e);
            }
        });
        if (!changed) {
            throw new RefusedChangeException("the current password is not right", INVALID);
        }
    }

    /** Issues the official a new API token (the previous one stops working); the token is shown once. */
    public String issueToken(String name, Actor by) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE official SET token_sha256 = ? WHERE name = ?")) {
                update.setString(1, Sha256.hex(token));
                update.setString(2, name);
                if (update.executeUpdate() != 1) {
                    throw new RefusedChangeException("no official '" + name + "'", UNKNOWN);
                }
                audit.append(connection, by.entry("OFFICIAL_TOKEN_ISSUED", "official " + name + ": a new API token"));
                return null;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot issue the token: " + e.getMessage(), e);
            }
        });
        return token;
    }

    /** The enabled official whose API token this is. */
    public Optional<Official> byToken(String token) {
        if (!token.startsWith(TOKEN_PREFIX)) {
            return Optional.empty();
        }
        return read(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT * FROM official WHERE token_sha256 = ? AND NOT disabled")) {
                select.setString(1, Sha256.hex(token));
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(official(rows)) : Optional.empty();
                }
            }
        });
    }

    /** Whether this looks like an official's token (so that it is not taken for another kind). */
    public static boolean isOfficialToken(String token) {
        return token.startsWith(TOKEN_PREFIX);
    }

    /**
     * Checks a password and a one-time code. Admitted: the failures are cleared and the code's step
     * is spent. Refused: one more failure, the account locked at the {@value #MAX_FAILURES}th; a
     * locked or disabled account is refused whatever it presents. Either way the attempt is recorded.
     */
    public SignIn signIn(String name, char[] password, String code, String address) {
        Instant now = clock.instant();
        Optional<Secrets> found = read(connection -> secrets(connection, name == null ? "" : name));
        // Check the password even for an unknown name, so that both take as long.
        boolean passwordRight = PasswordHashing.matches(password,
                found.map(Secrets::passwordHash).filter(h -> h != null).orElse(PasswordHashing.DECOY));
        Actor actor = new Actor(name == null || name.isBlank() ? "-" : kz.qaqpa.directives.store.Rows.clip(name, 64), address);
        return database.inTransaction(connection -> {
            try {
                Optional<Secrets> secrets = secrets(connection, name == null ? "" : name);
                if (secrets.isEmpty()) {
                    audit.append(connection, actor.entry("SIGN_IN_FAILED", "no official of this name"));
                    return new SignIn.Refused("unknown name");
                }
                Secrets account = secrets.get();
                String refusal = null;
                OptionalLong step = OptionalLong.empty();
                if (account.official().disabled()) {
                    refusal = "account disabled";
                } else if (account.official().lockedUntil().filter(now::isBefore).isPresent()) {
                    refusal = "account locked until " + account.official().lockedUntil().get();
                } else if (!passwordRight || account.passwordHash() == null) {
                    refusal = "wrong password";
                } else if (account.totpSecret() == null) {
                    refusal = "no code secret";
                } else {
                    step = Totp.matchingStep(account.totpSecret(), code, now);
                    if (step.isEmpty()) {
                        refusal = "wrong code";
                    } else if (account.totpLastStep() != null && step.getAsLong() <= account.totpLastStep()) {
                        refusal = "code already used";
                    }
                }
                if (refusal != null) {
                    boolean counts = !account.official().disabled() && account.official().lockedUntil()
                            .filter(now::isBefore).isEmpty();
                    int failures = account.failures() + (counts ? 1 : 0);
                    boolean locks = counts && failures >= MAX_FAILURES;
                    try (PreparedStatement update = connection.prepareStatement(
                            "UPDATE official SET failed_signins = ?, locked_until = ? WHERE name = ?")) {
                        update.setInt(1, locks ? 0 : failures);
                        update.setTimestamp(2, locks ? Timestamp.from(now.plus(LOCKOUT))
                                : account.official().lockedUntil().map(Timestamp::from).orElse(null));
                        update.setString(3, account.official().name());
                        update.executeUpdate();
                    }
                    audit.append(connection, actor.entry("SIGN_IN_FAILED", refusal
                            + (locks ? "; locked for " + LOCKOUT.toMinutes() + " minutes after " + MAX_FAILURES
                            + " failures" : "")));
                    return new SignIn.Refused(refusal);
                }
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE official SET failed_signins = 0, locked_until = NULL, totp_last_step = ? WHERE name = ?")) {
                    update.setLong(1, step.getAsLong());
                    update.setString(2, account.official().name());
                    update.executeUpdate();
                }
                audit.append(connection, actor.entry("SIGN_IN", "signed in with password and code"));
                return new SignIn.Admitted(account.official());
            } catch (SQLException e) {
                throw new IllegalStateException("cannot check the sign-in: " + e.getMessage(), e);
            }
        });
    }

    public Optional<Official> find(String name) {
        return read(connection -> find(connection, name));
    }

    public List<Official> list() {
        return read(connection -> {
            List<Official> all = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT * FROM official ORDER BY name");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    all.add(official(rows));
                }
            }
            return all;
        });
    }

    private static boolean anAdministrator(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT roles FROM official WHERE NOT disabled");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                if (OfficialRole.parse(rows.getString(1)).contains(OfficialRole.ADMINISTRATOR)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The code an authenticator app would show for this official now: for tests and the CLI's check. */
    public static String currentCode(String totpSecret, Instant at) {
        return Totp.code(totpSecret, at);
    }

    private record Secrets(Official official, String passwordHash, String totpSecret, Long totpLastStep, int failures) {
    }

    private static Optional<Secrets> secrets(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT * FROM official WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                long last = rows.getLong("totp_last_step");
                Long lastStep = rows.wasNull() ? null : last;
                return Optional.of(new Secrets(official(rows), rows.getString("password_hash"),
                        rows.getString("totp_secret"), lastStep, rows.getInt("failed_signins")));
            }
        }
    }

    static Optional<Official> find(Connection connection, String name) throws SQLException {
        return secrets(connection, name).map(Secrets::official);
    }

    private static Official official(ResultSet rows) throws SQLException {
        return new Official(rows.getString("name"), rows.getString("display_name"),
                OfficialRole.parse(rows.getString("roles")), rows.getBoolean("disabled"),
                rows.getString("password_hash") != null, rows.getString("token_sha256") != null,
                instant(rows, "created_at"), Optional.ofNullable(instant(rows, "locked_until")));
    }

    private static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new RefusedChangeException("an official's name is 2 to 64 characters: a-z first, then a-z, 0-9,"
                    + " '.', '_' or '-' (it is also the subject CN of the official's client certificate)", INVALID);
        }
        if (name.equals(Actor.AUTOMATION)) {
            throw new RefusedChangeException("'" + Actor.AUTOMATION + "' is the shared admin token's name", INVALID);
        }
    }

    private static void requireRoles(Set<OfficialRole> roles) {
        if (roles == null || roles.isEmpty()) {
            throw new RefusedChangeException("an official has at least one role", INVALID);
        }
    }

    private static void requirePassword(char[] password) {
        if (password == null || password.length < MIN_PASSWORD) {
            throw new RefusedChangeException("a password has at least " + MIN_PASSWORD + " characters", INVALID);
        }
    }

    @FunctionalInterface
    private interface Read<T> {
        T from(Connection connection) throws SQLException;
    }

    private <T> T read(Read<T> work) {
        try (Connection connection = database.dataSource().getConnection()) {
            return work.from(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the officials: " + e.getMessage(), e);
        }
    }
}
