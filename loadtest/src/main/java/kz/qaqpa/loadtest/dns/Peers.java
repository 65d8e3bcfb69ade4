package kz.qaqpa.loadtest.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kz.qaqpa.loadtest.BenchmarkCluster;
import kz.qaqpa.loadtest.SyntheticNames;

/**
 * The DNS benchmark's peers, Debian packages started as processes: Unbound as the upstream both
 * filters forward to (every name under the synthetic TLDs answers one A record from local data),
 * and dnsdist as the filter ours is compared with.
 */
final class Peers {

    static final int NXDOMAIN = 3;

    private Peers() {
    }

    /** Unbound on {@code port}, one thread, pinned to {@code cpus}: an "internet" that answers every name it is asked. */
    static Process upstream(Path dir, int port, String cpus) throws IOException {
        StringBuilder zones = new StringBuilder();
        for (String tld : SyntheticNames.TLDS) {
            zones.append("  local-zone: \"").append(tld).append(".\" redirect\n")
                    .append("  local-data: \"").append(tld).append(". 3600 IN A 192.0.2.1\"\n");
        }
        Path config = dir.resolve("unbound.conf");
        Files.writeString(config, """
                server:
                  interface: 127.0.0.1
                  port: %d
                  do-daemonize: no
                  use-syslog: no
                  logfile: ""
                  username: ""
                  chroot: ""
                  directory: "%s"
                  pidfile: ""
                  num-threads: 1
                  access-control: 127.0.0.0/8 allow
                %s""".formatted(port, dir, zones));
        return start(dir, "unbound", List.of("taskset", "-c", cpus, "/usr/sbin/unbound", "-d", "-c", config.toString()));
    }

    /**
     * dnsdist on {@code port}, pinned to {@code cpus}, with the same list as our node: names with
     * their subdomains in a SuffixMatchNode, exact names in a DNSNameSet, both answered NXDOMAIN;
     * everything else forwarded to the upstream. No packet cache, as our node has none.
     */
    static Process dnsdist(Path dir, int port, int upstreamPort, int entries, String cpus) throws IOException {
        Path subtrees = dir.resolve("subtrees.txt");
        Path exact = dir.resolve("exact.txt");
        try (var withSubdomains = Files.newBufferedWriter(subtrees); var alone = Files.newBufferedWriter(exact)) {
            for (int i = 0; i < entries; i++) {
                (SyntheticNames.withSubdomains(i) ? withSubdomains : alone).write(SyntheticNames.name(i) + "\n");
            }
        }
        Path config = dir.resolve("dnsdist.conf");
        Files.writeString(config, """
                setLocal("127.0.0.1:%d")
                setSecurityPollSuffix("")
                newServer({address="127.0.0.1:%d", checkName="health.kz."})
                local subtrees = newSuffixMatchNode()
                for line in io.lines("%s") do subtrees:add(newDNSName(line)) end
                local exact = newDNSNameSet()
                for line in io.lines("%s") do exact:add(newDNSName(line)) end
                addAction(SuffixMatchNodeRule(subtrees, true), RCodeAction(DNSRCode.NXDOMAIN))
                addAction(QNameSetRule(exact), RCodeAction(DNSRCode.NXDOMAIN))
                """.formatted(port, upstreamPort, subtrees, exact));
        return start(dir, "dnsdist", List.of("taskset", "-c", cpus, "dnsdist", "--supervised", "--disable-syslog", "-C",
                config.toString()));
    }

    private static Process start(Path dir, String name, List<String> command) throws IOException {
        return new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
    }

    static void stop(Process process) throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    /** Waits until the server on {@code port} answers a query for {@code name} with {@code rcode}. */
    static void awaitAnswer(int port, String name, int rcode, Duration timeout) throws Exception {
        BenchmarkCluster.waitFor(() -> rcode(port, name) == rcode, timeout, "127.0.0.1:" + port + " to answer " + name);
    }

    /** The response code a server gives an A question for {@code name}, or -1 when it does not answer in 500 ms. */
    static int rcode(int port, String name) throws IOException {
        ByteBuffer query = ByteBuffer.allocate(512);
        query.putShort((short) 0x5151).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0).putInt(0);
        for (String label : name.split("\\.")) {
            byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
            query.put((byte) bytes.length).put(bytes);
        }
        query.put((byte) 0).putShort((short) 1).putShort((short) 1);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(500);
            socket.send(new DatagramPacket(query.array(), query.position(), new InetSocketAddress("127.0.0.1", port)));
            byte[] answer = new byte[512];
            DatagramPacket packet = new DatagramPacket(answer, answer.length);
            socket.receive(packet);
            return answer[3] & 0x0f;
        } catch (SocketTimeoutException e) {
            return -1;
        }
    }

    /** A port free for both UDP and TCP just now. */
    static int freePort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0); DatagramSocket udp = new DatagramSocket(tcp.getLocalPort())) {
                return tcp.getLocalPort();
            } catch (IOException e) {
                // taken for UDP; try another
            }
        }
        throw new IOException("no free port");
    }
}
