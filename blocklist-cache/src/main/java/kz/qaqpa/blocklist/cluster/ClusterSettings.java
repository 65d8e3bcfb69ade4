package kz.qaqpa.blocklist.cluster;

import java.util.List;
import java.util.Objects;

/**
 * How a process joins the Qaqpa cluster.
 *
 * @param name    cluster name; members with another name never join, so test clusters and
 *                deployments on one network stay apart
 * @param address the one interface this member binds to and announces (loopback by default)
 * @param port    the member's port; 0 lets the system choose a free one
 * @param members the addresses ({@code host} or {@code host:port}) to look for other members at;
 *                empty means "alone on {@code address}"
 */
public record ClusterSettings(String name, String address, int port, List<String> members) {

    public static final String DEFAULT_NAME = "qaqpa";
    public static final int DEFAULT_PORT = 5701;

    public ClusterSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        members = List.copyOf(members);
    }

    /** One member alone on loopback at the default port: the embedded mode. */
    public static ClusterSettings embedded() {
        return new ClusterSettings(DEFAULT_NAME, "127.0.0.1", DEFAULT_PORT, List.of());
    }
}
