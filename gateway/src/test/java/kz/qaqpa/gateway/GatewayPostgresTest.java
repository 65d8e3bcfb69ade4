package kz.qaqpa.gateway;

import static kz.qaqpa.gateway.TestGateways.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import kz.qaqpa.directives.directive.Action;
import kz.qaqpa.directives.directive.DirectiveRepository;
import kz.qaqpa.directives.directive.DirectiveStatus;
import kz.qaqpa.directives.directive.StoredDirective;
import kz.qaqpa.directives.store.RequiresPostgres;
import kz.qaqpa.directives.store.ThrowAwayDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production set-up: the gateway on PostgreSQL instead of the embedded H2. */
@RequiresPostgres
class GatewayPostgresTest {

    @Test
    void gatewayOnPostgresMigratesItAndIsReady(@TempDir Path dataDir) throws Exception {
        try (ThrowAwayDatabase postgres = ThrowAwayDatabase.postgres();
             Gateway gateway = Gateway.start(TestGateways.config(dataDir, postgres.settings()))) {

            assertThat(send(gateway, "GET", "/health/ready").statusCode()).isEqualTo(200);
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            StoredDirective saved = gateway.database().repository(DirectiveRepository.class).save(
                    new StoredDirective(null, "990740000021", "1", Action.RESTRICT, now,
                            DirectiveStatus.ACTIVE, "00".repeat(32), now));
            assertThat(saved.id()).isNotNull();
            assertThat(dataDir.resolve("qaqpa.mv.db")).doesNotExist();
        }
    }
}
