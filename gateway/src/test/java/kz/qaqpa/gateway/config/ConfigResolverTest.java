package kz.qaqpa.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kz.qaqpa.directives.signature.DirectiveKind;
import kz.qaqpa.directives.targets.CollateralGuard;
import kz.qaqpa.directives.targets.TargetNormaliser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigResolverTest {

    @TempDir
    Path dir;

    @Test
    void nothingSetMeansTheEmbeddedMode() {
        GatewayConfig config = GatewayConfig.defaults();

        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.dataDir()).isEqualTo(Path.of("data"));
        assertThat(config.database().isEmbedded()).isTrue();
        assertThat(config.database().url()).startsWith("jdbc:h2:file:" + Path.of("data").toAbsolutePath().normalize());
        assertThat(config.cluster().address()).isEqualTo("127.0.0.1");
        assertThat(config.cluster().port()).isEqualTo(5701);
        assertThat(config.cluster().members()).isEmpty();
        assertThat(config.adminToken()).isEmpty();
    }

    @Test
    void commandLineBeatsEnvironmentWhichBeatsTheFile() throws IOException {
        Path file = yaml("http-port: 1111\nhazelcast-port: 2222\ncluster-name: from-file\n");
        Map<String, String> environment = Map.of("QAQPA_HTTP_PORT", "3333", "QAQPA_HAZELCAST_PORT", "4444");

        GatewayConfig config = ConfigResolver.resolve(
                new CommandLineSettings(Optional.of(file), Map.of("http-port", "5555")), environment);

        assertThat(config.httpPort()).isEqualTo(5555);
        assertThat(config.cluster().port()).isEqualTo(4444);
        assertThat(config.cluster().name()).isEqualTo("from-file");
    }

    @Test
    void configFileMayComeFromTheEnvironment() throws IOException {
        Path file = yaml("data-dir: /var/lib/qaqpa\n");

        GatewayConfig config = ConfigResolver.resolve(CommandLineSettings.none(),
                Map.of("QAQPA_CONFIG", file.toString()));

        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/qaqpa"));
    }

    @Test
    void databaseUrlSelectsPostgresWithItsCredentials() {
        GatewayConfig config = ConfigResolver.resolve(new CommandLineSettings(Optional.empty(),
                Map.of("db-url", "jdbc:postgresql://db:5432/qaqpa", "db-user", "qaqpa")),
                Map.of("QAQPA_DB_PASSWORD", "s3cret"));

        assertThat(config.database().isEmbedded()).isFalse();
        assertThat(config.database().url()).isEqualTo("jdbc:postgresql://db:5432/qaqpa");
        assertThat(config.database().user()).isEqualTo("qaqpa");
        assertThat(config.database().password()).isEqualTo("s3cret");
    }

    @Test
    void clusterMembersAreAListInTheFileAndCommaSeparatedElsewhere() throws IOException {
        Path file = yaml("cluster-members:\n  - 10.0.0.1:5701\n  - 10.0.0.2\n");

        assertThat(ConfigResolver.resolve(new CommandLineSettings(Optional.of(file), Map.of()), Map.of())
                .cluster().members()).containsExactly("10.0.0.1:5701", "10.0.0.2");
        assertThat(ConfigResolver.resolve(CommandLineSettings.none(),
                Map.of("QAQPA_CLUSTER_MEMBERS", "a:1, b:2")).cluster().members()).containsExactly("a:1", "b:2");
    }

    @Test
    void shutdownGraceTakesUnits() {
        assertThat(resolveOption("shutdown-grace", "500ms").shutdownGrace()).isEqualTo(Duration.ofMillis(500));
        assertThat(resolveOption("shutdown-grace", "2m").shutdownGrace()).isEqualTo(Duration.ofMinutes(2));
        assertThat(resolveOption("change-log-keep-for", "30d").retention().keepFor()).isEqualTo(Duration.ofDays(30));
        assertThat(resolveOption("change-log-keep-for", "6h").retention().keepFor()).isEqualTo(Duration.ofHours(6));
    }

    @Test
    void badCommandLineValueNamesTheOption() {
        assertThatThrownBy(() -> resolveOption("http-port", "abc"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid --http-port 'abc': not a port number (0-65535)");
    }

    @Test
    void badEnvironmentValueNamesTheVariable() {
        assertThatThrownBy(() -> ConfigResolver.resolve(CommandLineSettings.none(), Map.of("QAQPA_HAZELCAST_PORT", "70000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid QAQPA_HAZELCAST_PORT '70000'");
    }

    @Test
    void badFileValueNamesTheKeyAndTheFile() throws IOException {
        Path file = yaml("shutdown-grace: forever\n");

        assertThatThrownBy(() -> ConfigResolver.resolve(new CommandLineSettings(Optional.of(file), Map.of()), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid shutdown-grace in " + file);
    }

    @Test
    void unknownKeyInTheFileIsAnErrorNotSilentlyIgnored() throws IOException {
        Path file = yaml("http-prot: 8081\n");

        assertThatThrownBy(() -> ConfigResolver.resolve(new CommandLineSettings(Optional.of(file), Map.of()), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("unknown setting 'http-prot' in " + file);
    }

    @Test
    void missingOrMalformedFileNamesTheConfigOption() throws IOException {
        Path missing = dir.resolve("missing.yaml");
        Path malformed = yaml("http-port: [1, 2\n");

        assertThatThrownBy(() -> ConfigResolver.resolve(new CommandLineSettings(Optional.of(missing), Map.of()), Map.of()))
                .hasMessage("cannot read --config " + missing + ": no such file");
        assertThatThrownBy(() -> ConfigResolver.resolve(new CommandLineSettings(Optional.of(malformed), Map.of()), Map.of()))
                .hasMessageStartingWith("cannot read --config " + malformed + ": not valid YAML");
    }

    @Test
    void shortAdminTokenIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> ConfigResolver.resolve(new CommandLineSettings(Optional.empty(), Map.of()),
                Map.of("QAQPA_ADMIN_TOKEN", "letmein")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("admin-token (hidden): too short")
                .hasMessageNotContaining("letmein");
    }

    @Test
    void secretsAreRefusedOnTheCommandLineWhereEveryLocalUserReadsThemAndTakenFromAFile() throws IOException {
        for (String secret : List.of("admin-token", "db-password", "smtp-password")) {
            assertThatThrownBy(() -> resolveOption(secret, "a-secret-long-enough-0123456789"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("--" + secret + " would be visible to every user of this host (ps)")
                    .hasMessageContaining(ConfigResolver.environmentVariable(secret))
                    .hasMessageNotContaining("a-secret-long-enough");
        }
        Path token = dir.resolve("admin-token.txt");
        Files.writeString(token, "from-a-file-0123456789abcdef\n");
        assertThat(resolveOption("admin-token-file", token.toString()).adminToken()).contains("from-a-file-0123456789abcdef");
        assertThatThrownBy(() -> ConfigResolver.resolve(new CommandLineSettings(Optional.empty(),
                Map.of("admin-token-file", token.toString())), Map.of("QAQPA_ADMIN_TOKEN", "another-token-0123456789abcdef")))
                .hasMessage("admin-token and admin-token-file go alone: give one of them");
        assertThatThrownBy(() -> ConfigResolver.resolve(new CommandLineSettings(Optional.empty(),
                Map.of("smtp-host", "mail.example.kz")), Map.of("QAQPA_SMTP_PASSWORD", "pw")))
                .hasMessageContaining("smtp-password would cross the network in clear");
    }

    @Test
    void nonPostgresDatabaseUrlIsRefused() {
        assertThatThrownBy(() -> resolveOption("db-url", "jdbc:mysql://db/qaqpa"))
                .hasMessageContaining("invalid --db-url");
    }

    @Test
    void trustFilesMustBeReadableAndAreNamedWhenNot() throws IOException {
        Path anchor = yaml("not really a certificate, but readable");

        assertThat(resolveOption("trust-anchors", anchor.toString()).trust().trustAnchors()).containsExactly(anchor);
        assertThat(resolveOption("crl", anchor + "," + anchor).trust().crls()).hasSize(2);
        assertThatThrownBy(() -> resolveOption("authorised-signers", dir.resolve("absent.pem").toString()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--authorised-signers").hasMessageContaining("absent.pem");
    }

    /** Seed 000 §2(1): the authority for information security signs suspensions; its certificate is named with its kinds. */
    @Test
    void signerScopesNameEachFileWithTheKindsItMaySign() throws IOException {
        Path security = yaml("the security authority's certificate");
        Path both = yaml("another certificate");

        assertThat(resolveOption("signer-scopes", security + "=DOMAIN_SUSPENSION," + both + "=restriction+RESTORATION")
                .trust().scopedSigners()).isEqualTo(Map.of(security, Set.of(DirectiveKind.DOMAIN_SUSPENSION),
                        both, Set.of(DirectiveKind.RESTRICTION, DirectiveKind.RESTORATION)));
        assertThatThrownBy(() -> resolveOption("signer-scopes", security + "=TAKEDOWN"))
                .hasMessageContaining("--signer-scopes").hasMessageContaining("TAKEDOWN");
        assertThatThrownBy(() -> resolveOption("signer-scopes", security.toString())).hasMessageContaining("FILE=KIND");
        assertThatThrownBy(() -> resolveOption("signer-scopes", dir.resolve("absent.pem") + "=RESTORATION"))
                .hasMessageContaining("absent.pem");
    }

    @Test
    void sinkholeAddressesAreCheckedLiterals() {
        assertThat(resolveOption("sinkhole-a", "192.0.2.99").filterNode().sinkhole().ipv4()).isPresent();
        assertThat(GatewayConfig.defaults().filterNode().sinkhole().isSet()).isFalse();
        assertThatThrownBy(() -> resolveOption("sinkhole-a", "sinkhole.example")).hasMessageContaining("--sinkhole-a");
        assertThatThrownBy(() -> resolveOption("sinkhole-aaaa", "192.0.2.1")).hasMessageContaining("--sinkhole-aaaa");
    }

    @Test
    void intakeLimitsAreBounded() {
        assertThat(resolveOption("max-targets", "10").intake().maxTargets()).isEqualTo(10);
        assertThat(GatewayConfig.defaults().intake().maxDirectiveBytes()).isEqualTo(1 << 20);
        assertThatThrownBy(() -> resolveOption("max-targets", "0")).hasMessageContaining("--max-targets");
        assertThatThrownBy(() -> resolveOption("max-directive-bytes", "lots")).hasMessageContaining("--max-directive-bytes");
    }

    @Test
    void theCollateralGuardTakesItsWidthsAndSharedInfrastructureFromTheSettings() throws IOException {
        Path shared = yaml("# a CDN\n203.0.113.0/24\n");
        GatewayConfig config = ConfigResolver.resolve(new CommandLineSettings(Optional.empty(), Map.of(
                "widest-ipv4-prefix", "20", "widest-ipv6-prefix", "40", "shared-infrastructure-file", shared.toString())), Map.of());
        CollateralGuard guard = config.intake().collateralGuard();
        assertThat(guard.check(TargetNormaliser.cidr("198.51.96.0/19"))).map(CollateralGuard.Finding::rule)
                .contains(CollateralGuard.Rule.WIDE_NETWORK);
        assertThat(guard.check(TargetNormaliser.cidr("198.51.96.0/20"))).isEmpty();
        assertThat(guard.check(TargetNormaliser.cidr("2001:db8::/39"))).map(CollateralGuard.Finding::rule)
                .contains(CollateralGuard.Rule.WIDE_NETWORK);
        assertThat(guard.check(TargetNormaliser.ip("203.0.113.5"))).map(CollateralGuard.Finding::rule)
                .contains(CollateralGuard.Rule.SHARED_INFRASTRUCTURE);
        assertThat(GatewayConfig.defaults().intake().collateralGuard().check(TargetNormaliser.cidr("198.51.0.0/16"))).isEmpty();
        assertThatThrownBy(() -> resolveOption("widest-ipv4-prefix", "33")).hasMessageContaining("--widest-ipv4-prefix");
    }

    @Test
    void httpsNeedsCertificateAndKeyTogetherAndClientCasNeedHttps() throws IOException {
        Path pem = yaml("a certificate or a key, readable");
        GatewayConfig https = ConfigResolver.resolve(new CommandLineSettings(Optional.empty(),
                Map.of("tls-certificate", pem.toString(), "tls-key", pem.toString(), "operator-client-ca", pem.toString())), Map.of());
        assertThat(https.http().tls()).hasValueSatisfying(tls -> {
            assertThat(tls.operatorCa()).contains(pem);
            assertThat(tls.authorityCa()).isEmpty();
        });
        assertThat(GatewayConfig.defaults().http().tls()).isEmpty();
        assertThatThrownBy(() -> resolveOption("tls-certificate", pem.toString())).hasMessageContaining("tls-key");
        assertThatThrownBy(() -> resolveOption("authority-client-ca", pem.toString())).hasMessageContaining("need HTTPS");
    }

    @Test
    void rateLimitsAndTheRequestHeadTimeoutTakeUnits() {
        assertThat(resolveOption("rate-limit-appeals", "5/d").rateLimits().appeals())
                .isEqualTo(new RateLimits.Rate(5, Duration.ofDays(1)));
        assertThat(resolveOption("http-head-timeout", "3s").http().requestHeadTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> resolveOption("rate-limit-lookups", "many")).hasMessageContaining("--rate-limit-lookups");
        assertThatThrownBy(() -> resolveOption("rate-limit-lookups", "0/m")).hasMessageContaining("--rate-limit-lookups");
    }

    private static GatewayConfig resolveOption(String key, String value) {
        return ConfigResolver.resolve(new CommandLineSettings(Optional.empty(), Map.of(key, value)), Map.of());
    }

    private Path yaml(String text) throws IOException {
        Path file = Files.createTempFile(dir, "qaqpa", ".yaml");
        Files.writeString(file, text);
        return file;
    }
}
