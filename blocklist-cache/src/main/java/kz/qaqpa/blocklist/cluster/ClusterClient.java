package kz.qaqpa.blocklist.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientConnectionStrategyConfig;
import com.hazelcast.core.HazelcastInstance;
import java.util.List;
import kz.qaqpa.blocklist.replica.ReplicatedBlocklist;

/**
 * How a filtering node joins the cluster: as a Hazelcast client, not a member.
 *
 * <p>Why a client: a node only reads (the ringbuffer of changes, the entries map once at start) and
 * writes its status. As a member it would own partitions, so every node started, stopped or
 * crashed would make the cluster migrate data and could cost the gateways their backups; filtering
 * nodes come and go with traffic, gateways should not notice. A client also needs no inbound port.
 * It reconnects on its own and keeps trying for ever: a node cut off from the cluster goes on
 * answering from its last state.
 */
public final class ClusterClient {

    private ClusterClient() {
    }

    /** Connects to the members listed in {@code settings}; blocks until connected. */
    public static HazelcastInstance connect(ClusterSettings settings) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(settings.name());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.getNetworkConfig().setAddresses(settings.members().isEmpty()
                ? List.of(settings.address() + ":" + ClusterSettings.DEFAULT_PORT) : settings.members());
        config.getNetworkConfig().getAutoDetectionConfig().setEnabled(false);
        config.getConnectionStrategyConfig()
                .setReconnectMode(ClientConnectionStrategyConfig.ReconnectMode.ON)
                .getConnectionRetryConfig().setClusterConnectTimeoutMillis(-1);
        return HazelcastClient.newHazelcastClient(ReplicatedBlocklist.serialisation(config));
    }
}
