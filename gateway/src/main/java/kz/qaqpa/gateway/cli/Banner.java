package kz.qaqpa.gateway.cli;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kz.qaqpa.gateway.Gateway;
import kz.qaqpa.gateway.config.GatewayConfig;

/** The few lines {@code qaqpa gateway} prints once it is up: where everything is. */
final class Banner {

    /** The running jar relative to the working directory, as a user would type it. */
    private static String jarPath() {
        try {
            Path jar = Path.of(Banner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path relative = Path.of("").toAbsolutePath().relativize(jar);
            return jar.toString().endsWith(".jar") ? relative.toString() : "gateway/target/qaqpa.jar";
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return "gateway/target/qaqpa.jar";
        }
    }

    private Banner() {
    }

    static String of(Gateway gateway) {
        GatewayConfig config = gateway.config();
        String host = config.httpHost().equals("0.0.0.0") || config.httpHost().equals("::")
                ? "localhost" : config.httpHost();
        String base = (config.http().tls().isPresent() ? "https://" : "http://") + host + ":" + gateway.httpPort();
        String database = config.database().displayUrl()
                + (config.database().isEmbedded() ? "  (embedded H2)" : "");
        List<String> lines = new ArrayList<>(List.of(
                "",
                "Qaqpa gateway is up.",
                "  API         " + base + "/api/v1/openapi.json",
                "  Ready       " + base + "/health/ready",
                "  Metrics     " + base + "/metrics",
                "  Database    " + database,
                "  Cluster     '" + config.cluster().name() + "' at " + gateway.cluster().endpoint()
                        + ", " + gateway.cluster().size() + " member(s)",
                "  Data        " + config.dataDir().toAbsolutePath().normalize()));
        gateway.filterNode().ifPresent(node -> lines.add("  DNS         " + node.dnsAddress().getHostString() + ":"
                + node.dnsAddress().getPort() + " (filtering node, UDP; other names go to " + config.filterNode().upstream()
                .getHostString() + ":" + config.filterNode().upstream().getPort() + ")"));
        Gateway.Embedded embedded = gateway.embedded();
        if (embedded.generatedToken()) {
            lines.add("  Admin token " + config.dataDir().resolve("admin-token") + "  (Authorization: Bearer …)");
        }
        embedded.demoPki().ifPresent(pki -> {
            String qaqpa = "java -jar " + jarPath();
            lines.add("  Demo PKI    " + pki.caCertificate().getParent() + "  (for trying Qaqpa out; use --trust-anchors for real)");
            lines.add("Sign and submit the example directive:");
            lines.add("  " + qaqpa + " sign --key " + pki.signerKey() + " --cert " + pki.signerCertificate()
                    + " --out restrict.p7m examples/restrict.json");
            lines.add("  " + qaqpa + " submit --url " + base + " restrict.p7m");
        });
        lines.add("Stop with Ctrl+C or SIGTERM: requests in flight finish, the member leaves the cluster.");
        lines.add("");
        return String.join(System.lineSeparator(), lines);
    }
}
