package kz.qaqpa.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A gateway on embedded defaults (free ports, a private cluster, H2 in a temporary data directory)
 * for the tests of one class: {@code @RegisterExtension static final EmbeddedGateway GATEWAY = new EmbeddedGateway();}
 */
public final class EmbeddedGateway implements BeforeAllCallback, AfterAllCallback {

    private Path dataDir;
    private Gateway gateway;

    public Gateway gateway() {
        return gateway;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dataDir = Files.createTempDirectory("qaqpa-gateway-test");
        gateway = Gateway.start(TestGateways.embedded(dataDir));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        gateway.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
