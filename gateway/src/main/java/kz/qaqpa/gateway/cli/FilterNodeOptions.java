package kz.qaqpa.gateway.cli;

import picocli.CommandLine.Option;

/** A filtering node's DNS settings; shared by {@code gateway} and {@code filter-node}. Read through {@link MatchedSettings}. */
final class FilterNodeOptions {

    @Option(names = "--dns-host", paramLabel = "HOST", description = "Interface the filtering node answers on (default 127.0.0.1).")
    String dnsHost;

    @Option(names = "--dns-port", paramLabel = "PORT", description = "DNS port, UDP and TCP; 0 = any (default 5353).")
    String dnsPort;

    @Option(names = "--upstream", paramLabel = "HOST:PORT",
            description = "Resolver allowed names are forwarded to (default 127.0.0.1:53).")
    String upstream;

    @Option(names = "--upstream-timeout", paramLabel = "DURATION", description = "Upstream answer timeout (default 2s).")
    String upstreamTimeout;

    @Option(names = "--sinkhole-a", paramLabel = "IPV4",
            description = "Answer restricted names with this A record (NOERROR) instead of NXDOMAIN.")
    String sinkholeA;

    @Option(names = "--sinkhole-aaaa", paramLabel = "IPV6", description = "And AAAA questions with this address.")
    String sinkholeAaaa;

    @Option(names = "--dns-negative-ttl", paramLabel = "DURATION",
            description = "How long resolvers may cache the node's NXDOMAIN and NODATA answers (default 60s).")
    String dnsNegativeTtl;

    @Option(names = "--dns-client-in-flight", paramLabel = "N",
            description = "Forwarded queries one client address may have in flight (default 2000).")
    String dnsClientInFlight;

    @Option(names = "--upstream-tcp", paramLabel = "true|false",
            description = "Forward every query to the upstream over TCP (default false).")
    String upstreamTcp;

    @Option(names = "--upstream-0x20", paramLabel = "true|false",
            description = "Send names to the upstream in a random case; take only answers that echo it (default false).")
    String upstream0x20;

    @Option(names = "--rpz-origin", paramLabel = "NAME",
            description = "Origin of the policy zone: served to operators, cited in the node's negative answers (default rpz.qaqpa.).")
    String rpzOrigin;
}
