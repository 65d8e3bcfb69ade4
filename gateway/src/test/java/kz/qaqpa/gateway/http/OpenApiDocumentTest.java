package kz.qaqpa.gateway.http;

import static kz.qaqpa.gateway.TestGateways.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import kz.qaqpa.gateway.EmbeddedGateway;
import kz.qaqpa.gateway.Gateway;
import kz.qaqpa.gateway.TestGateways;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The served OpenAPI document describes exactly the routes the router has: no more, no fewer. */
class OpenApiDocumentTest {

    @RegisterExtension
    static final EmbeddedGateway GATEWAY = new EmbeddedGateway();

    private final Gateway gateway = GATEWAY.gateway();

    @Test
    void documentListsEveryRouteOfTheRouterAndNothingElse() throws Exception {
        JsonObject document = new JsonObject(send(gateway, "GET", "/api/v1/openapi.json").body());

        Set<String> documented = new TreeSet<>();
        JsonObject paths = document.getJsonObject("paths");
        for (String path : paths.fieldNames()) {
            for (String method : paths.getJsonObject(path).fieldNames()) {
                documented.add(method.toUpperCase() + " " + path);
            }
        }
        Set<String> routed = new TreeSet<>();
        for (RouteTable.Entry entry : gateway.api().routes().entries()) {
            routed.add(entry.method().name() + " " + entry.openApiPath());
        }

        assertThat(documented).isEqualTo(routed);
    }

    @Test
    void documentIsOpenApi31() throws Exception {
        JsonObject document = new JsonObject(send(gateway, "GET", "/api/v1/openapi.json").body());

        assertThat(document.getString("openapi")).startsWith("3.1");
        assertThat(document.getJsonObject("info").getString("title")).isNotBlank();
    }
}
