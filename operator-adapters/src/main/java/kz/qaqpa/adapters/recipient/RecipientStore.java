package kz.qaqpa.adapters.recipient;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
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
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import kz.qaqpa.blocklist.model.Sha256;
import kz.qaqpa.directives.identity.IdentificationNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registered recipients. Each gets an API token when registered (or when its token is
 * rotated); the token is returned once and only its SHA-256 is kept, so a stolen database does
 * not give away any recipient's access. Channel secrets (FTP and SMTP passwords) are kept sealed
 * ({@link SecretBox}); those stored before sealing existed are sealed when the store is opened.
 */
public final class RecipientStore {

    /** As directives name operators in {@code recipients}. */
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private static final String COLUMNS = "id, name, bin, role, channel, settings, active, created_at, updated_at";
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final Logger LOG = LoggerFactory.getLogger(RecipientStore.class);

    private final DataSource dataSource;
    private final Clock clock;
    private final SecretBox secrets;

    /**
     * Opens the store, sealing any channel secret still kept in clear.
     *
     * @throws IllegalStateException when a stored secret does not open with this key
     */
    public RecipientStore(DataSource dataSource, Clock clock, SecretBox secrets) throws SQLException {
        this.dataSource = dataSource;
        this.clock = clock;
        this.secrets = secrets;
        sealSecretsKeptInClear();
    }

    private void sealSecretsKeptInClear() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT id, channel, settings FROM recipient");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                String id = rows.getString("id");
                String stored = rows.getString("settings");
                ChannelSettings settings = ChannelSettings.stored(ChannelKind.valueOf(rows.getString("channel")), stored,
                        secrets, id);
                String sealed = settings.storedJson(secrets, id);
                if (settings.hasSecretsInClear(stored)) {
                    try (PreparedStatement update = connection.prepareStatement("UPDATE recipient SET settings = ? WHERE id = ?")) {
                        update.setString(1, sealed);
                        update.setString(2, id);
                        update.executeUpdate();
                    }
                    LOG.info("Sealed the channel secrets of recipient {}, kept in clear until now", id);
                }
            }
        }
    }

    /** A new recipient and its API token, which is shown this once. */
    public record Registered(Recipient recipient, String token) {
    }

    /**
     * Registers a recipient.
     *
     * @throws InvalidRecipientException  when a field is not acceptable
     * @throws RecipientConflictException when the id is taken, or a registry is asked for while
     *                                     another is active (there is one registry of .KZ/.ҚАЗ)
     */
    public Registered register(String id, String name, String bin, Role role, ChannelKind channel, JsonNode settings)
            throws SQLException {
        ChannelSettings checked = checked(id, name, bin, channel, settings);
        if (role == Role.REGISTRY) {
            Optional<Recipient> registry = list().stream().filter(r -> r.active() && r.role() == Role.REGISTRY).findFirst();
            if (registry.isPresent()) {
                throw new RecipientConflictException("the registry is registered already, as " + registry.get().id()
                        + "; deactivate it first");
            }
        }
        String token = newToken();
        Instant now = now();
        try (Connection connection = dataSource.getConnection()) {
            insert(connection, id, name.strip(), bin, role, checked.storedJson(secrets, id), checked.kind(),
                    Sha256.hex(token), now);
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new RecipientConflictException("a recipient with id " + id + " is registered already");
            }
            throw e;
        }
        return new Registered(new Recipient(id, name.strip(), bin, role, checked, true, now, now), token);
    }

    /**
     * Makes the recipient as given — registered, active, with the token whose SHA-256 is given —
     * whether or not it existed: how recipients listed in a configuration file are kept in step.
     * The token itself never passes through the gateway.
     *
     * @throws InvalidRecipientException when a field is not acceptable
     */
    public Recipient provision(String id, String name, String bin, Role role, ChannelKind channel, JsonNode settings,
                               String tokenSha256) throws SQLException {
        ChannelSettings checked = checked(id, name, bin, channel, settings);
        if (!Sha256.isHex(tokenSha256)) {
            throw new InvalidRecipientException(List.of("token-sha256: the SHA-256 of the recipient's token, 64 hex digits"));
        }
        Instant now = now();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("""
                     UPDATE recipient SET name = ?, bin = ?, role = ?, channel = ?, settings = ?, token_sha256 = ?,
                                          active = TRUE, updated_at = ?
                     WHERE id = ?""")) {
            update.setString(1, name.strip());
            update.setString(2, bin);
            update.setString(3, role.name());
            update.setString(4, channel.name());
            String sealed = checked.storedJson(secrets, id);
            update.setString(5, sealed);
            update.setString(6, tokenSha256);
            update.setTimestamp(7, Timestamp.from(now));
            update.setString(8, id);
            if (update.executeUpdate() == 0) {
                insert(connection, id, name.strip(), bin, role, sealed, channel, tokenSha256, now);
            }
        }
        return find(id).orElseThrow();
    }

    private static ChannelSettings checked(String id, String name, String bin, ChannelKind channel, JsonNode settings) {
        List<String> problems = new ArrayList<>();
        if (id == null || !ID.matcher(id).matches()) {
            problems.add("id: lower-case letters, digits and hyphens, at most 64");
        }
        checkName(name, problems);
        if (bin == null || !IdentificationNumber.isValid(bin)) {
            problems.add("bin: twelve digits with a valid check digit");
        }
        ChannelSettings checked = null;
        try {
            checked = ChannelSettings.of(channel, settings);
        } catch (InvalidRecipientException e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            throw new InvalidRecipientException(problems);
        }
        if (checked.allowsPlaintextCredentials()) {
            LOG.warn("Recipient {}: its channel's password will cross the network in clear (allowPlaintextCredentials)", id);
        }
        return checked;
    }

    private static void insert(Connection connection, String id, String name, String bin, Role role,
                               String settingsJson, ChannelKind channel, String tokenSha256, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO recipient (" + COLUMNS
                + ", token_sha256) VALUES (?, ?, ?, ?, ?, ?, TRUE, ?, ?, ?)")) {
            insert.setString(1, id);
            insert.setString(2, name);
            insert.setString(3, bin);
            insert.setString(4, role.name());
            insert.setString(5, channel.name());
            insert.setString(6, settingsJson);
            insert.setTimestamp(7, Timestamp.from(now));
            insert.setTimestamp(8, Timestamp.from(now));
            insert.setString(9, tokenSha256);
            insert.executeUpdate();
        }
    }

    public List<Recipient> list() throws SQLException {
        return query("SELECT " + COLUMNS + " FROM recipient ORDER BY id", null);
    }

    public Optional<Recipient> find(String id) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM recipient WHERE id = ?", id).stream().findFirst();
    }

    /** The active recipient whose token this is. */
    public Optional<Recipient> byToken(String token) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM recipient WHERE token_sha256 = ? AND active", Sha256.hex(token))
                .stream().findFirst();
    }

    /**
     * What the authority changes of a recipient; absent parts stay. Settings given without a channel
     * are checked against the current channel; a new channel needs its settings.
     */
    public record Change(Optional<String> name, Optional<ChannelKind> channel, Optional<JsonNode> settings,
                         Optional<Boolean> active, boolean rotateToken) {

        public static Change activity(boolean active) {
            return new Change(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(active), false);
        }
    }

    /** A recipient as changed, and its new token when one was asked for (shown once). */
    public record Changed(Recipient recipient, Optional<String> token) {
    }

    /**
     * Changes a recipient in one transaction: its name, channel and settings, whether it is active,
     * and a new token (the old one stops working at once) — all of it or, when a value is refused,
     * none of it.
     *
     * @return empty when there is no such recipient
     * @throws InvalidRecipientException listing what is not acceptable
     */
    public Optional<Changed> change(String id, Change change) throws SQLException {
        Optional<Recipient> found = find(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Recipient old = found.get();
        List<String> problems = new ArrayList<>();
        change.name().ifPresent(value -> checkName(value, problems));
        if (!problems.isEmpty()) {
            throw new InvalidRecipientException(problems);
        }
        ChannelSettings settings = change.channel().isPresent() || change.settings().isPresent()
                ? ChannelSettings.of(change.channel().orElse(old.settings().kind()), change.settings().orElse(null))
                : old.settings();
        Recipient updated = new Recipient(id, change.name().map(String::strip).orElse(old.name()), old.bin(), old.role(),
                settings, change.active().orElse(old.active()), old.createdAt(), now());
        Optional<String> token = change.rotateToken() ? Optional.of(newToken()) : Optional.empty();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE recipient SET name = ?, channel = ?, settings = ?, active = ?, updated_at = ?,"
                            + " token_sha256 = COALESCE(?, token_sha256) WHERE id = ?")) {
                update.setString(1, updated.name());
                update.setString(2, updated.settings().kind().name());
                update.setString(3, updated.settings().storedJson(secrets, id));
                update.setBoolean(4, updated.active());
                update.setTimestamp(5, Timestamp.from(updated.updatedAt()));
                update.setString(6, token.map(Sha256::hex).orElse(null));
                update.setString(7, id);
                update.executeUpdate();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
        return Optional.of(new Changed(updated, token));
    }

    private List<Recipient> query(String sql, String parameter) throws SQLException {
        List<Recipient> recipients = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            if (parameter != null) {
                select.setString(1, parameter);
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    recipients.add(read(rows, secrets));
                }
            }
        }
        return recipients;
    }

    /** Reads a row of the recipient table (every column), its channel secrets opened. */
    public static Recipient read(ResultSet rows, SecretBox secrets) throws SQLException {
        ChannelKind channel = ChannelKind.valueOf(rows.getString("channel"));
        String id = rows.getString("id");
        return new Recipient(id, rows.getString("name"), rows.getString("bin"),
                Role.valueOf(rows.getString("role")), ChannelSettings.stored(channel, rows.getString("settings"), secrets, id),
                rows.getBoolean("active"), rows.getObject("created_at", OffsetDateTime.class).toInstant(),
                rows.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

    private static void checkName(String name, List<String> problems) {
        if (name == null || name.isBlank() || name.length() > 512) {
            problems.add("name: required, at most 512 characters");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "qaqpa_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
