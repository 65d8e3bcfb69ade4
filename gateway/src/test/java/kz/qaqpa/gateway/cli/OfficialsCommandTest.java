package kz.qaqpa.gateway.cli;

import static kz.qaqpa.gateway.TestGateways.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import kz.qaqpa.directives.access.Officials;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.store.DatabaseSettings;
import kz.qaqpa.gateway.SigningGateway;
import kz.qaqpa.gateway.config.DeliverySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The first administrator is made by {@code qaqpa officials add} on the stopped gateway's database —
 * no account exists by default — and signs in to the console with the password and the code secret
 * the command printed once.
 */
class OfficialsCommandTest {

    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void theFirstAdministratorIsMadeByTheCommandAndSignsIn() throws Exception {
        Path data = dir.resolve("data");
        Database.open(DatabaseSettings.embedded(data), new SimpleMeterRegistry()).close();
        Path password = dir.resolve("password");
        Files.writeString(password, "the chief's long pass phrase\n");

        assertThat(run("officials", "add", "chief", "--display-name", "Бас әкімші", "--role", "administrator",
                "--role", "AUDITOR", "--password-file", password.toString(), "--data-dir", data.toString()))
                .as(err.toString()).isZero();
        String secret = out.toString().replaceFirst("(?s).*shown once\\): ([A-Z2-7]+).*", "$1");
        assertThat(out.toString()).contains("official chief: AUDITOR,ADMINISTRATOR", "otpauth://totp/Qaqpa:chief?secret=" + secret);

        assertThat(run("officials", "add", "other", "--display-name", "X", "--role", "KING", "--password-file",
                password.toString(), "--data-dir", data.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no role 'KING'");
        assertThat(run("officials", "add", "chief", "--display-name", "Again", "--role", "AUDITOR", "--password-file",
                password.toString(), "--data-dir", data.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("exists already");

        try (SigningGateway gateway = new SigningGateway(dir, DeliverySettings.defaults())) {
            String form = "name=chief&password=" + URLEncoder.encode("the chief's long pass phrase", StandardCharsets.UTF_8)
                    + "&code=" + Officials.currentCode(secret, Instant.now());
            HttpResponse<String> signedIn = send(gateway.gateway, "POST", "/console/signin", form.getBytes(StandardCharsets.UTF_8),
                    "Content-Type", "application/x-www-form-urlencoded");
            assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
            String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow().replaceFirst(";.*", "");
            assertThat(send(gateway.gateway, "GET", "/console/officials", new byte[0], "Cookie", cookie).body())
                    .contains("Бас әкімші");
            assertThat(new JsonObject(gateway.as(SigningGateway.ADMIN, "GET", "/api/v1/audit/records?event=OFFICIAL_ADDED",
                    null).body()).getJsonArray("records").getJsonObject(0).getString("by"))
                    .isEqualTo("cli:" + System.getProperty("user.name"));
        }
        assertThat(run("officials", "list", "--data-dir", data.toString())).isZero();
        assertThat(out.toString()).contains("chief\tAUDITOR,ADMINISTRATOR\tactive\tБас әкімші");
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine command = Qaqpa.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }
}
