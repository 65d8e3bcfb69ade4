package kz.qaqpa.gateway.log;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.gateway.SigningGateway;
import kz.qaqpa.gateway.TestGateways;
import kz.qaqpa.gateway.cli.Qaqpa;
import kz.qaqpa.gateway.config.DeliverySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code qaqpa audit log verify} as an auditor runs it, with no token: a head kept from one run is
 * extended by the next; a gateway that lost its history and made another under the same key — a
 * database restored from an old copy, or replaced — is caught as a fork, and one that fell behind the
 * kept head as a rollback; a head signed by another key is refused. {@code qaqpa audit log prove}:
 * the set in force at a serial, from leaves that must begin the signed log.
 */
class AuditLogCommandTest {

    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void aKeptHeadIsExtendedByTheNextRunAndAnotherHistoryUnderTheSameKeyIsAFork() throws Exception {
        Path kept = dir.resolve("sth.p7m");
        Path certificate = dir.resolve("first/data/pki/gateway.pem");
        try (SigningGateway first = new SigningGateway(dir.resolve("first"), DeliverySettings.defaults())) {
            first.submit(DirectiveJson.restrict("A-1").domain("casino.kz", true).domain("bet.kz", false));
            assertThat(verify(first, certificate, "--keep-sth", kept.toString())).as(err.toString()).isZero();
            assertThat(out.toString()).contains("log at size 2");

            first.submit(DirectiveJson.restrict("A-2").domain("poker.kz", false));
            assertThat(verify(first, certificate, "--since-sth", kept.toString(), "--keep-sth", kept.toString()))
                    .as(err.toString()).isZero();
            assertThat(out.toString()).contains("log at size 3").contains("extends the log kept at size 2");
        }

        // The same gateway key over another database: its history does not begin with the kept one's.
        Path second = dir.resolve("second");
        Files.createDirectories(second.resolve("data/pki"));
        for (String file : List.of("gateway.pem", "gateway.key")) {
            Files.copy(dir.resolve("first/data/pki").resolve(file), second.resolve("data/pki").resolve(file));
        }
        try (SigningGateway other = new SigningGateway(second, DeliverySettings.defaults())) {
            other.submit(DirectiveJson.restrict("B-1").domain("casino.kz", true));
            assertThat(verify(other, certificate, "--since-sth", kept.toString())).as(out.toString()).isEqualTo(7);
            assertThat(err.toString()).contains("rollback").contains("serial 1").contains("serial 3");

            other.submit(DirectiveJson.restrict("B-2").domain("other.kz", false).domain("more.kz", false)
                    .domain("most.kz", false));
            assertThat(verify(other, certificate, "--since-sth", kept.toString())).as(out.toString()).isEqualTo(7);
            assertThat(err.toString()).contains("fork");

            Path stranger = dir.resolve("stranger.pem");
            Files.copy(other.pki.caCertificate(), stranger);
            assertThat(verify(other, stranger)).isEqualTo(4);
            assertThat(err.toString()).contains("not signed by the gateway's certificate");
        }
    }

    @Test
    void theSetInForceAtASerialIsProvedFromTheLeavesAndALeafAlteredOnTheWayIsCaught() throws Exception {
        try (SigningGateway gateway = new SigningGateway(dir, DeliverySettings.defaults())) {
            gateway.submit(DirectiveJson.restrict("A-1").domain("casino.kz", true).domain("bet.kz", false));
            gateway.submit(DirectiveJson.restrict("A-2").domain("poker.kz", false));
            gateway.submit(DirectiveJson.restore("A-3", "A-1"));
            String token = gateway.register("auditor", "OPERATOR", "PULL_ONLY", null);
            Path certificate = dir.resolve("data/pki/gateway.pem");

            assertThat(prove(gateway.gateway.httpPort(), certificate, token, 2)).as(err.toString()).isZero();
            assertThat(out.toString().lines().filter(line -> !line.startsWith("#")))
                    .containsExactly("DOMAIN:*.casino.kz\tA-1", "DOMAIN:bet.kz\tA-1");
            assertThat(out.toString()).contains("the set in force at serial 2: 2 target(s)").contains("head of size 5");
            assertThat(prove(gateway.gateway.httpPort(), certificate, token, 5)).isZero();
            assertThat(out.toString().lines().filter(line -> !line.startsWith("#"))).containsExactly("DOMAIN:poker.kz\tA-2");

            // A mirror that hides casino.kz from the history it passes on.
            WireMockServer mirror = new WireMockServer(options().dynamicPort());
            mirror.start();
            try {
                mirror.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse()
                        .proxiedFrom("http://127.0.0.1:" + gateway.gateway.httpPort())));
                String leaves = gateway.as(token, "GET", "/api/v1/log/leaves?from=1&to=2", null).body();
                mirror.stubFor(get(urlPathEqualTo("/api/v1/log/leaves")).atPriority(1).willReturn(aResponse()
                        .withStatus(200).withBody(leaves.replace("DOMAIN:*.casino.kz", "DOMAIN:*.other.kz"))));

                assertThat(prove(mirror.port(), certificate, token, 2)).as(out.toString()).isEqualTo(7);
                assertThat(out.toString()).isEmpty();
            } finally {
                mirror.stop();
            }
        }
    }

    private int prove(int port, Path certificate, String token, long serial) throws Exception {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine command = Qaqpa.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute("audit", "log", "prove", "--url", "http://127.0.0.1:" + port, "--gateway-certificate",
                certificate.toString(), "--serial", Long.toString(serial), "--token-file",
                TestGateways.tokenFile(dir, token).toString());
    }

    private int verify(SigningGateway gateway, Path certificate, String... options) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine command = Qaqpa.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        List<String> args = new java.util.ArrayList<>(List.of("audit", "log", "verify",
                "--url", "http://127.0.0.1:" + gateway.gateway.httpPort(), "--gateway-certificate", certificate.toString()));
        args.addAll(List.of(options));
        return command.execute(args.toArray(String[]::new));
    }
}
