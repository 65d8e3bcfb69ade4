package kz.qaqpa.gateway.cli;

import kz.qaqpa.gateway.Gateway;
import kz.qaqpa.gateway.config.GatewayConfig;

/** The few lines {@code qaqpa gateway} prints once it is up: where everything is. */
final class Banner {

    private Banner() {
    }

    static String of(Gateway gateway) {
        GatewayConfig config = gateway.config();
        String host = config.httpHost().equals("0.0.0.0") || config.httpHost().equals("::")
                ? "localhost" : config.httpHost();
        String base = "http://" + host + ":" + gateway.httpPort();
        String database = config.database().displayUrl()
                + (config.database().isEmbedded() ? "  (embedded H2)" : "");
        return String.join(System.lineSeparator(),
                "",
                "Qaqpa gateway is up.",
                "  API        " + base + "/api/v1/openapi.json",
                "  Ready      " + base + "/health/ready",
                "  Metrics    " + base + "/metrics",
                "  Database   " + database,
                "  Cluster    '" + config.cluster().name() + "' at " + gateway.cluster().endpoint()
                        + ", " + gateway.cluster().size() + " member(s)",
                "  Data       " + config.dataDir().toAbsolutePath().normalize(),
                "Stop with Ctrl+C or SIGTERM: requests in flight finish, the member leaves the cluster.",
                "");
    }
}
