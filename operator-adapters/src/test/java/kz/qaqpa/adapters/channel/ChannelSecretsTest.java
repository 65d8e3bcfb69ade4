package kz.qaqpa.adapters.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import kz.qaqpa.adapters.recipient.ChannelKind;
import kz.qaqpa.adapters.recipient.ChannelSettings;
import kz.qaqpa.adapters.recipient.Endpoint;
import kz.qaqpa.adapters.recipient.InvalidRecipientException;
import kz.qaqpa.adapters.recipient.RecipientStore;
import kz.qaqpa.adapters.recipient.Role;
import kz.qaqpa.adapters.recipient.SecretBox;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.store.ThrowAwayDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators' passwords against someone who reads the database, and against a network that would
 * carry them in clear or strip STARTTLS on the way.
 */
class ChannelSecretsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BIN = "990740000029";

    @TempDir
    Path dir;

    private ThrowAwayDatabase place;
    private Database database;

    @BeforeEach
    void open() {
        place = ThrowAwayDatabase.h2();
        database = Database.open(place.settings(), new SimpleMeterRegistry());
    }

    @AfterEach
    void close() throws Exception {
        database.close();
        place.close();
    }

    @Test
    void aPasswordIsKeptSealedForItsRecipientAndOpensOnlyWithItsKey() throws Exception {
        SecretBox box = SecretBox.load(dir.resolve("secrets.key"));
        RecipientStore store = new RecipientStore(database.dataSource(), Clock.systemUTC(), box);
        store.register("telecom", "Telecom", BIN, Role.OPERATOR, ChannelKind.FTP, ftp("very-secret-password"));
        store.register("tele2", "Tele2", BIN, Role.OPERATOR, ChannelKind.FTP, ftp("another-password"));

        String row = settingsRow("telecom");
        assertThat(row).doesNotContain("very-secret-password").contains("\"password\":\"aes-gcm:v1:");
        assertThat(((Endpoint.Ftp) store.find("telecom").orElseThrow().settings().endpoint()).password())
                .isEqualTo("very-secret-password");
        assertThat(store.find("telecom").orElseThrow().settings().shown().get("password").asText()).isEqualTo("***");

        // A sealed password copied into another recipient's row does not open there.
        setSettingsRow("tele2", row);
        assertThatThrownBy(() -> store.find("tele2")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tele2/password");
        // Nor with another key: a gateway member given a key of its own refuses to start.
        assertThatThrownBy(() -> new RecipientStore(database.dataSource(), Clock.systemUTC(),
                SecretBox.load(dir.resolve("other.key")))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sealed with another key");
    }

    @Test
    void aPasswordKeptInClearByAnEarlierVersionIsSealedWhenTheStoreOpens() throws Exception {
        SecretBox box = SecretBox.ephemeral();
        new RecipientStore(database.dataSource(), Clock.systemUTC(), box)
                .register("telecom", "Telecom", BIN, Role.OPERATOR, ChannelKind.FTP, ftp("placeholder"));
        setSettingsRow("telecom", ftp("kept-in-clear").toString()); // as an earlier version stored it

        RecipientStore reopened = new RecipientStore(database.dataSource(), Clock.systemUTC(), box);

        assertThat(settingsRow("telecom")).doesNotContain("kept-in-clear").contains("aes-gcm:v1:");
        assertThat(((Endpoint.Ftp) reopened.find("telecom").orElseThrow().settings().endpoint()).password())
                .isEqualTo("kept-in-clear");
    }

    @Test
    void aChannelThatWouldSendItsPasswordInClearIsRefusedUnlessItSaysSo() {
        ObjectNode ftp = JSON.createObjectNode().put("host", "ftp.example.kz").put("user", "u").put("password", "p");
        assertThatThrownBy(() -> ChannelSettings.of(ChannelKind.FTP, ftp)).isInstanceOf(InvalidRecipientException.class)
                .hasMessageContaining("settings.tls: the FTP password would cross the network in clear");
        ObjectNode mail = JSON.createObjectNode().put("host", "smtp.example.kz").put("from", "a@example.kz")
                .put("user", "u").put("password", "p");
        mail.putArray("to").add("noc@example.kz");
        assertThatThrownBy(() -> ChannelSettings.of(ChannelKind.EMAIL, mail)).isInstanceOf(InvalidRecipientException.class)
                .hasMessageContaining("the SMTP password would cross the network in clear");

        assertThat(ChannelSettings.of(ChannelKind.FTP, ftp.deepCopy().put("tls", true)).allowsPlaintextCredentials()).isFalse();
        assertThat(ChannelSettings.of(ChannelKind.EMAIL, mail.deepCopy().put("starttls", true))).isNotNull();
        assertThat(ChannelSettings.of(ChannelKind.FTP, ftp.deepCopy().put("allowPlaintextCredentials", true))
                .allowsPlaintextCredentials()).isTrue();
    }

    @Test
    void starttlsCarriesTheLoginInsideTlsAndAServerThatStripsItGetsNoPassword() throws Exception {
        ServerCertificate certificate = ServerCertificate.make(dir, "smtp");
        SmtpMailer mailer = new SmtpMailer(Duration.ofSeconds(5));
        String message = SmtpMailer.textMessage("qaqpa@gateway.kz", List.of("noc@operator.kz"), "Test", "m-1", "body");
        try (StartTlsSmtpServer honest = new StartTlsSmtpServer(certificate, true)) {
            mailer.send(server(honest.port(), certificate, true), "qaqpa@gateway.kz", List.of("noc@operator.kz"), message);

            assertThat(honest.messages).hasSize(1);
            assertThat(honest.commands).filteredOn(command -> command.line().startsWith("AUTH")).hasSize(2)
                    .allSatisfy(auth -> assertThat(auth.insideTls()).as(auth.line()).isTrue());
        }
        try (StartTlsSmtpServer stripping = new StartTlsSmtpServer(certificate, false)) {
            assertThatThrownBy(() -> mailer.send(server(stripping.port(), certificate, true), "qaqpa@gateway.kz",
                    List.of("noc@operator.kz"), message)).isInstanceOf(DeliveryException.class)
                    .hasMessageContaining("cannot start TLS");
            assertThatThrownBy(() -> mailer.send(server(stripping.port(), certificate, false), "qaqpa@gateway.kz",
                    List.of("noc@operator.kz"), message)).isInstanceOf(DeliveryException.class)
                    .hasMessageContaining("refusing to send the password without TLS");

            assertThat(stripping.commands).noneMatch(command -> command.line().startsWith("AUTH"));
            assertThat(stripping.messages).isEmpty();
        }
    }

    private static SmtpMailer.Server server(int port, ServerCertificate certificate, boolean starttls) {
        return new SmtpMailer.Server("127.0.0.1", port, false, starttls, "operator", "s3cret", certificate.pem(), false);
    }

    private static ObjectNode ftp(String password) {
        return JSON.createObjectNode().put("host", "127.0.0.1").put("user", "qaqpa").put("password", password)
                .put("tls", true);
    }

    private String settingsRow(String id) throws Exception {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT settings FROM recipient WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }

    private void setSettingsRow(String id, String json) throws Exception {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE recipient SET settings = ? WHERE id = ?")) {
            update.setString(1, json);
            update.setString(2, id);
            update.executeUpdate();
        }
    }
}
