package kz.qaqpa.gateway.cli;

import picocli.CommandLine.Option;

/** How a process finds the cluster; shared by {@code gateway} and {@code filter-node}. Read through {@link MatchedSettings}. */
final class ClusterOptions {

    @Option(names = "--cluster-name", paramLabel = "NAME", description = "Hazelcast cluster name (default qaqpa).")
    String clusterName;

    @Option(names = "--cluster-members", paramLabel = "HOST[:PORT],...",
            description = "Members to join or connect to (gateway default: alone on the cluster address).")
    String clusterMembers;
}
