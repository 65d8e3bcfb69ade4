package kz.qaqpa.gateway;

import static kz.qaqpa.gateway.TestGateways.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
            assertThat(dataDir.resolve("qaqpa.mv.db")).doesNotExist();
        }
    }
}
