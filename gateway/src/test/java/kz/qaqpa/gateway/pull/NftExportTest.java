package kz.qaqpa.gateway.pull;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.gateway.SigningGateway;
import kz.qaqpa.gateway.config.DeliverySettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code nft} export as an operator's router runs it: Debian's nftables loads the file served
 * by the feed into a network namespace the test makes, and connections from it to a restricted
 * address (IPv4 and IPv6, alone or inside a restricted network) are dropped — the chain's counter
 * moves and no answer comes — while one to an address outside is answered (refused: nothing
 * listens). Loading again replaces the table; a RESTORE's export lets the address through again.
 */
class NftExportTest {

    private static final Path NFT = Path.of("/usr/sbin/nft");
    private static final Path IP = Path.of("/usr/sbin/ip");

    @TempDir
    Path dir;

    private SigningGateway authority;
    private final String namespace = "qaqpa-nft-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(NFT) && Files.isExecutable(IP), "apt-get install nftables iproute2");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "network namespaces need root");
        authority = new SigningGateway(dir, DeliverySettings.defaults());
        run(IP.toString(), "netns", "add", namespace);
        run(IP.toString(), "-n", namespace, "link", "set", "lo", "up");
        for (String address : List.of("203.0.113.7/32", "203.0.113.200/32", "198.51.100.20/32")) {
            run(IP.toString(), "-n", namespace, "addr", "add", address, "dev", "lo");
        }
        for (String address : List.of("2001:db8::7/128", "2001:db8:1::8/128")) {
            run(IP.toString(), "-n", namespace, "addr", "add", address, "dev", "lo", "nodad");
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (authority != null) {
            authority.close();
            run(IP.toString(), "netns", "del", namespace);
        }
    }

    @Test
    void theExportLoadedIntoARoutersRulesetDropsWhatIsRestrictedAndOnlyThat() throws Exception {
        Path empty = export("empty");
        assertThat(inNamespace(NFT.toString(), "-c", "-f", empty.toString()).exit()).as("an empty list loads").isZero();

        authority.submit(DirectiveJson.restrict("N-1").target("IP", "203.0.113.7").target("CIDR", "203.0.113.0/28")
                .target("CIDR", "198.51.100.0/24").target("IP", "2001:db8::7").domain("casino.kz", true));
        Path restricted = export("restricted");
        assertThat(Files.readString(restricted)).contains("203.0.113.0/28").contains("2001:db8::7").doesNotContain("casino.kz");
        assertThat(inNamespace(NFT.toString(), "-f", restricted.toString()).exit()).as("overlapping elements merge").isZero();
        assertThat(inNamespace(NFT.toString(), "-f", restricted.toString()).exit()).as("loaded again: replaced").isZero();

        assertThat(dropped("203.0.113.7")).isTrue();
        assertThat(dropped("198.51.100.20")).as("inside a restricted network").isTrue();
        assertThat(dropped("2001:db8::7")).isTrue();
        assertThat(dropped("203.0.113.200")).as("outside every restricted network").isFalse();
        assertThat(dropped("2001:db8:1::8")).isFalse();

        authority.submit(DirectiveJson.restore("N-2", "N-1"));
        assertThat(inNamespace(NFT.toString(), "-f", export("restored").toString()).exit()).isZero();
        assertThat(dropped("203.0.113.7")).as("after the RESTORE").isFalse();
    }

    /** The feed's {@code nft} form of the list now, in a file. */
    private Path export(String name) throws Exception {
        var answer = authority.as(SigningGateway.ADMIN, "GET", "/api/v1/blocklist?format=nft", null);
        assertThat(answer.statusCode()).isEqualTo(200);
        return Files.writeString(dir.resolve(name + ".nft"), answer.body());
    }

    /**
     * Whether a connection from the namespace to {@code address} is dropped: the output chain's
     * counter moves and no answer comes within a second; an address let through answers at once
     * (refused: nothing listens on port 9).
     */
    private boolean dropped(String address) throws Exception {
        long before = droppedPackets();
        Result connect = inNamespace("timeout", "1", "bash", "-c", "echo > /dev/tcp/" + address + "/9");
        boolean refused = connect.output().contains("Connection refused");
        boolean counted = droppedPackets() > before;
        assertThat(refused).as("%s: answered or dropped, never both: %s", address, connect.output()).isNotEqualTo(counted);
        return counted;
    }

    /** Packets the output chain's rules have dropped so far (0 before the table is loaded). */
    private long droppedPackets() throws Exception {
        Result listed = inNamespace(NFT.toString(), "list", "chain", "inet", "qaqpa", "output");
        long packets = 0;
        java.util.regex.Matcher counter = java.util.regex.Pattern.compile("counter packets (\\d+)").matcher(listed.output());
        while (counter.find()) {
            packets += Long.parseLong(counter.group(1));
        }
        return packets;
    }

    private Result inNamespace(String... command) throws Exception {
        List<String> all = new ArrayList<>(List.of(IP.toString(), "netns", "exec", namespace));
        all.addAll(List.of(command));
        return run(all.toArray(String[]::new));
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
