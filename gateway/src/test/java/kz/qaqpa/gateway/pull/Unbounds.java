package kz.qaqpa.gateway.pull;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kz.qaqpa.blocklist.dns.WireClient;

/** Unbound processes for tests: an "internet" with local data, and operators' resolvers in front of it. */
final class Unbounds implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/unbound");

    private final Path dir;
    private final List<Process> processes = new ArrayList<>();

    Unbounds(Path dir) {
        this.dir = dir;
    }

    /**
     * An Unbound answering for kz. from local data: casino.kz, www.casino.kz, allowed.kz, dup.kz,
     * www.dup.kz, later.kz, and ip.kz at 203.0.113.99 (an address tests restrict).
     */
    int internet() throws IOException {
        int port = freePort();
        start("upstream", port, """
                  local-zone: "kz." static
                  local-data: "casino.kz. A 192.0.2.1"
                  local-data: "www.casino.kz. A 192.0.2.1"
                  local-data: "allowed.kz. A 192.0.2.2"
                  local-data: "dup.kz. A 192.0.2.3"
                  local-data: "www.dup.kz. A 192.0.2.3"
                  local-data: "later.kz. A 192.0.2.4"
                  local-data: "ip.kz. A 203.0.113.99"
                """);
        return port;
    }

    /** An operator's resolver on {@code port} forwarding to {@code upstreamPort}, with the policy zone as {@code rpz}. */
    Process resolver(String name, int port, int upstreamPort, String rpz) throws IOException {
        return start(name, port, """
                  module-config: "respip iterator"
                  qname-minimisation: no
                forward-zone:
                  name: "."
                  forward-addr: 127.0.0.1@%d
                rpz:
                  name: "rpz.qaqpa."
                %s""".formatted(upstreamPort, rpz));
    }

    Process start(String name, int port, String rest) throws IOException {
        Path config = dir.resolve(name + ".conf");
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
                  do-not-query-localhost: no
                %s""".formatted(port, dir, rest));
        Process process = new ProcessBuilder(BINARY.toString(), "-d", "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        processes.add(process);
        return process;
    }

    static Optional<Integer> rcode(InetSocketAddress resolver, String name) throws IOException {
        return WireClient.send(resolver, WireClient.query(42, name, false), 2_000).map(WireClient.Reply::rcode);
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

    @Override
    public void close() throws InterruptedException {
        for (Process process : processes) {
            process.destroy();
            process.waitFor();
        }
    }
}
