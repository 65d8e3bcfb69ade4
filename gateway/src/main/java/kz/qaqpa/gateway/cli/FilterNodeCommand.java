package kz.qaqpa.gateway.cli;

import com.hazelcast.core.HazelcastInstance;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import kz.qaqpa.blocklist.cluster.ClusterClient;
import kz.qaqpa.blocklist.dns.BlocklistView;
import kz.qaqpa.blocklist.dns.DnsFilterServer;
import kz.qaqpa.blocklist.matcher.Matcher;
import kz.qaqpa.blocklist.replica.BlocklistReplica;
import kz.qaqpa.gateway.StartupException;
import kz.qaqpa.gateway.config.CommandLineSettings;
import kz.qaqpa.gateway.config.ConfigResolver;
import kz.qaqpa.gateway.config.GatewayConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code qaqpa filter-node}: a filtering node in its own process. It answers DNS at once — REFUSED
 * until it holds a consistent blocklist — connects to the cluster as a client, and follows it.
 * Settings are read like the gateway's (options, QAQPA_* variables), from the same keys.
 */
@Command(name = "filter-node", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs a DNS filtering node that follows the cluster's blocklist.")
final class FilterNodeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(FilterNodeCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    FilterNodeOptions filterNode;

    @Option(names = "--node-id", paramLabel = "ID", description = "This node's id in /api/v1/nodes (default: random).")
    String nodeId;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> values = MatchedSettings.of(spec, List.of("--help", "--version", "--node-id"));
        GatewayConfig config = ConfigResolver.resolve(new CommandLineSettings(Optional.empty(), values), System.getenv());
        String id = nodeId != null ? nodeId : "node-" + UUID.randomUUID().toString().substring(0, 8);

        AtomicReference<BlocklistReplica> replica = new AtomicReference<>();
        DnsFilterServer dns;
        try {
            dns = DnsFilterServer.start(config.filterNode().dns(config.feed().rpzOrigin()), new BlocklistView() {
                @Override
                public Optional<Matcher> current() {
                    return Optional.ofNullable(replica.get()).flatMap(BlocklistReplica::current);
                }

                @Override
                public long serial() {
                    return Optional.ofNullable(replica.get()).map(BlocklistReplica::appliedSerial).orElse(0L);
                }
            });
        } catch (RuntimeException e) {
            throw new StartupException("cannot answer DNS on " + config.filterNode().dnsHost() + ":"
                    + config.filterNode().dnsPort() + ": " + e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicReference<HazelcastInstance> client = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dns.close();
            Optional.ofNullable(replica.get()).ifPresent(BlocklistReplica::close);
            Optional.ofNullable(client.get()).ifPresent(HazelcastInstance::shutdown);
            LOG.info("Filtering node {} stopped", id);
            stopped.countDown();
        }, "qaqpa-filter-node-shutdown"));

        LOG.info("Filtering node {} connecting to cluster '{}' at {}", id, config.cluster().name(), config.cluster().members());
        client.set(ClusterClient.connect(config.cluster()));
        replica.set(new BlocklistReplica(client.get(), id).start(dns.address().getHostString() + ":" + dns.address().getPort()));
        stopped.await();
        return 0;
    }

}
